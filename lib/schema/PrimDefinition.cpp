#include "schema/PrimDefinition.h"

#include "sdf/Fields.h"

namespace usdkit::schema {

PrimDefinition::PrimDefinition(std::string_view typeName, std::vector<std::string> appliedApis)
    : appliedApis_(std::move(appliedApis)) {
  const SchemaDef* typed = SchemaRegistry::instance().find(typeName);
  if (typed && typed->kind == SchemaKind::ConcreteTyped) typeName_ = std::string(typeName);
}

PrimDefinition PrimDefinition::of(const Spec& composedPrim) {
  const FieldNames& f = fieldNames();
  std::string_view typeName;
  if (const Token* t = composedPrim.getAs<Token>(f.typeName)) typeName = t->str();
  std::vector<std::string> apis;
  if (const TokenListOp* op = composedPrim.getAs<TokenListOp>(f.apiSchemas)) {
    std::vector<Token> applied;
    op->applyTo(applied);
    for (Token api : applied) apis.push_back(api.string());
  }
  return PrimDefinition(typeName, std::move(apis));
}

const PropertyDef* PrimDefinition::findProperty(std::string_view name) const {
  if (empty()) return nullptr;
  return SchemaRegistry::instance().findProperty(typeName_, appliedApis_, name);
}

std::vector<const PropertyDef*> PrimDefinition::attributes() const {
  const SchemaRegistry& registry = SchemaRegistry::instance();
  std::vector<const SchemaDef*> schemas;
  if (const SchemaDef* typed = registry.find(typeName_)) schemas.push_back(typed);
  for (const std::string& api : appliedApis_)
    if (const SchemaDef* def = registry.findApi(api)) schemas.push_back(def);
  std::vector<const PropertyDef*> out;
  for (const SchemaDef* schema : schemas)
    for (const PropertyDef& def : schema->properties)
      if (!def.isRelationship && def.name.find("__INSTANCE_NAME__") == std::string_view::npos) out.push_back(&def);
  return out;
}

}  // namespace usdkit::schema
