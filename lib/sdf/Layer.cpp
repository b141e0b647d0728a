#include "sdf/Layer.h"

#include "sdf/Fields.h"

namespace usdkit {

void Spec::set(Token name, Value value) {
  for (Field& f : fields_) {
    if (f.name == name) {
      f.value = std::move(value);
      return;
    }
  }
  fields_.push_back(Field{name, std::move(value)});
}

bool Spec::erase(Token name) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (it->name == name) {
      fields_.erase(it);
      return true;
    }
  }
  return false;
}

Layer::Layer() { specs_.emplace(Path::absoluteRoot(), Spec(SpecType::PseudoRoot)); }

Spec& Layer::createSpec(const Path& path, SpecType type) {
  auto [it, inserted] = specs_.try_emplace(path, type);
  if (!inserted && it->second.type() == SpecType::Unknown) it->second.setType(type);
  return it->second;
}

namespace {
const std::vector<Token>& tokenVectorField(const Layer& layer, const Path& path, Token field) {
  static const std::vector<Token> kEmpty;
  const Spec* spec = layer.findSpec(path);
  if (!spec) return kEmpty;
  const TokenVector* v = spec->getAs<TokenVector>(field);
  return v ? v->items : kEmpty;
}
}  // namespace

const std::vector<Token>& Layer::primChildren(const Path& path) const {
  return tokenVectorField(*this, path, fieldNames().primChildren);
}
const std::vector<Token>& Layer::propertyNames(const Path& path) const {
  return tokenVectorField(*this, path, fieldNames().properties);
}
const std::vector<Token>& Layer::variantSetNames(const Path& primPath) const {
  return tokenVectorField(*this, primPath, fieldNames().variantSetChildren);
}
const std::vector<Token>& Layer::variantNames(const Path& variantSetPath) const {
  return tokenVectorField(*this, variantSetPath, fieldNames().variantChildren);
}

}  // namespace usdkit
