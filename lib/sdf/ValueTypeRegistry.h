// Attribute type names (`float3`, `point3f[]`, legacy `Vec3f`, ...) and what
// they mean: the value kind, whether it is an array, the role, and the name
// the writer uses for it.
#pragma once

#include <optional>
#include <string_view>

#include "base/Token.h"
#include "sdf/Value.h"

namespace usdkit {

struct ValueTypeInfo {
  ValueKind kind = ValueKind::Bool;
  bool isArray = false;
  bool isOpaque = false;       // `opaque` / `group`: no value may be authored
  Token role;                  // "Point", "Color", ... (empty when none)
  Token serializationName;     // e.g. "point3f[]" for `PointFloat[]`
  Token scalarName;            // role-less name of the C++ type, e.g. "float3"
};

// Looks up a type name as written in a file (with or without "[]").
std::optional<ValueTypeInfo> findValueType(std::string_view name);

// Role-less type name of a kind ("float3", "matrix4d", "token", ...), as
// dictionaries print their entries.
std::string_view valueKindName(ValueKind kind);

// Number of scalar components of one element (3 for Vec3f, 4 for a quat,
// 16 for Matrix4d, 1 for scalars).
int valueKindComponents(ValueKind kind);

}  // namespace usdkit
