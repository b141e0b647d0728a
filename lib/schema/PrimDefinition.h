// A composed prim's definition (OpenUSD's UsdPrimDefinition): what its
// concrete type and applied API schemas declare, looked up in the schema
// registry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/SchemaRegistry.h"
#include "sdf/Layer.h"

namespace usdkit::schema {

class PrimDefinition {
 public:
  PrimDefinition() = default;
  // Only a concrete type has a definition; an abstract one ("PointBased")
  // or an unknown one contributes nothing.
  PrimDefinition(std::string_view typeName, std::vector<std::string> appliedApis);
  // The definition of a composed prim spec: its typeName and the applied
  // names its apiSchemas list op gives.
  static PrimDefinition of(const Spec& composedPrim);

  bool empty() const noexcept { return typeName_.empty() && appliedApis_.empty(); }
  // The built-in property `name`, or nullptr.
  const PropertyDef* findProperty(std::string_view name) const;
  // Every built-in attribute with a name of its own (multiple-apply
  // templates are left out), the type's first, then each applied API's.
  std::vector<const PropertyDef*> attributes() const;

 private:
  std::string typeName_;
  std::vector<std::string> appliedApis_;
};

}  // namespace usdkit::schema
