#include "sdf/Layer.h"

#include "sdf/Fields.h"
#include "sdf/PathNodes.h"

namespace usdkit {

void Spec::set(Token name, Value value) {
  for (Field& f : fields_.view()) {
    if (f.name == name) {
      f.value = std::move(value);
      return;
    }
  }
  fields_.push_back(Field{name, std::move(value)});
}

bool Spec::erase(Token name) {
  std::span<Field> all = fields_.view();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) {
      fields_.erase(i);
      return true;
    }
  }
  return false;
}

Layer::Layer() { createSpec(Path::absoluteRoot(), SpecType::PseudoRoot); }

// The index grows a page at a time as paths are added; nothing to reserve.
void Layer::reserve(std::size_t) {}

std::pair<Spec&, bool> Layer::tryCreateSpec(const Path& path, SpecType type) {
  std::uint32_t* slot = &index_.slot(path);
  if (*slot) {
    Spec& spec = entries_[*slot - 1].second;
    if (spec.type() == SpecType::Unknown) spec.setType(type);
    return {spec, false};
  }
  ++live_;
  if (!free_.empty()) {
    *slot = free_.back();
    free_.pop_back();
    auto& entry = entries_[*slot - 1];
    entry.first = path;
    entry.second = Spec(type);
    return {entry.second, true};
  }
  entries_.emplace_back(path, Spec(type));
  *slot = static_cast<std::uint32_t>(entries_.size());
  return {entries_.back().second, true};
}

bool Layer::eraseSpec(const Path& path) {
  const std::uint32_t e = index_.find(path);
  if (!e) return false;
  index_.slot(path) = 0;
  // The arena slot stays (an empty path marks it dead) until a new spec
  // takes it.
  entries_[e - 1].first = Path();
  entries_[e - 1].second = Spec();
  free_.push_back(e);
  --live_;
  return true;
}

void Layer::clear() {
  forEachSpec([&](const Path& path, const Spec&) { index_.slot(path) = 0; });
  entries_.clear();
  free_.clear();
  live_ = 0;
  createSpec(Path::absoluteRoot(), SpecType::PseudoRoot);
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

std::unique_ptr<Layer> Layer::clone() const {
  auto copy = std::make_unique<Layer>();
  copy->identifier_ = identifier_;
  copy->formatId_ = formatId_;
  copy->reserve(live_);
  forEachSpec([&](const Path& path, const Spec& spec) {
    Spec& target = copy->createSpec(path, spec.type());
    for (const Field& f : spec.fields()) target.set(f.name, f.value);
  });
  return copy;
}

std::unique_ptr<Layer> Layer::metadataOnlyCopy() const {
  auto copy = std::make_unique<Layer>();
  copy->identifier_ = identifier_;
  copy->formatId_ = formatId_;
  const FieldNames& names = fieldNames();
  Spec& root = copy->pseudoRoot();
  for (const Field& f : pseudoRoot().fields()) {
    if (f.name == names.primChildren || f.name == names.primOrder) continue;
    root.set(f.name, f.value);
  }
  return copy;
}

}  // namespace usdkit
