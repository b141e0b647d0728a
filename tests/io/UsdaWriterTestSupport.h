// Helpers shared by the usda writer tests: build layers to the storage
// contract in sdf/Fields.h.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "io/usda/UsdaValueText.h"
#include "io/usda/UsdaWriter.h"
#include "sdf/Fields.h"

namespace usdkit::writer_test {


inline Path path(std::string_view text) { return *Path::parse(text); }

struct Builder {
  Layer layer;
  const FieldNames& f = fieldNames();

  explicit Builder(std::string format = "sdf") { layer.setFormatId(std::move(format)); }

  Spec& root() { return layer.pseudoRoot(); }

  void appendName(const Path& owner, Token field, std::string_view name) {
    Spec* s = layer.findSpec(owner);
    TokenVector names;
    if (const TokenVector* old = s->getAs<TokenVector>(field)) names = *old;
    names.items.emplace_back(name);
    s->set(field, names);
  }

  Path prim(const Path& parent, std::string_view name, Specifier specifier = Specifier::Def,
            std::string_view type = {}) {
    Path p = parent.appendChild(name);
    Spec& s = layer.createSpec(p, SpecType::Prim);
    s.set(f.specifier, specifier);
    if (!type.empty()) s.set(f.typeName, Token(type));
    appendName(parent, f.primChildren, name);
    return p;
  }
  Path prim(std::string_view name, Specifier specifier = Specifier::Def, std::string_view type = {}) {
    return prim(Path::absoluteRoot(), name, specifier, type);
  }
  Spec& spec(const Path& p) { return *layer.findSpec(p); }

  Spec& attr(const Path& owner, std::string_view name, std::string_view type, Value value = {},
             bool custom = false, Variability variability = Variability::Varying) {
    Spec& s = layer.createSpec(owner.appendProperty(name), SpecType::Attribute);
    s.set(f.typeName, Token(type));
    if (custom) s.set(f.custom, true);
    s.set(f.variability, variability);
    if (!value.empty()) s.set(f.defaultValue, std::move(value));
    appendName(owner, f.properties, name);
    return s;
  }
  Spec& rel(const Path& owner, std::string_view name, bool custom = false,
            Variability variability = Variability::Uniform) {
    Spec& s = layer.createSpec(owner.appendProperty(name), SpecType::Relationship);
    if (custom) s.set(f.custom, true);
    s.set(f.variability, variability);
    appendName(owner, f.properties, name);
    return s;
  }
  Path variant(const Path& owner, std::string_view set, std::string_view name) {
    Path setPath = owner.appendVariantSelection(set, "");
    if (!layer.findSpec(setPath)) {
      layer.createSpec(setPath, SpecType::VariantSet);
      appendName(owner, f.variantSetChildren, set);
    }
    Path v = owner.appendVariantSelection(set, name);
    layer.createSpec(v, SpecType::Variant);
    appendName(setPath, f.variantChildren, name);
    return v;
  }

  std::string text() const { return writeUsdaToString(layer).value(); }
};

inline PathListOp explicitPaths(std::initializer_list<const char*> items) {
  PathListOp op;
  op.isExplicit = true;
  for (const char* p : items) op.explicitItems.push_back(path(p));
  return op;
}
inline std::vector<Path> paths(std::initializer_list<const char*> items) {
  std::vector<Path> out;
  for (const char* p : items) out.push_back(path(p));
  return out;
}
inline std::string quoted(const std::string& s) {
  std::string text;
  appendUsdaValue(text, Value(s));
  return text;
}


}  // namespace usdkit::writer_test
