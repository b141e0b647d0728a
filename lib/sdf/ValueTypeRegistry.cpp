#include "sdf/ValueTypeRegistry.h"

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace usdkit {
namespace {

struct TypeRow {
  const char* name;
  ValueKind kind;
  const char* role;
  const char* serializeAs;  // null: the name itself
  bool opaque = false;
};

// Current names first; legacy spellings say which current name they are
// written as. `Transform`, `PointIndex`, `EdgeIndex`, `FaceIndex` and
// `Schema` have no modern alias, so they are written as they are.
const TypeRow kTypes[] = {
    {"bool", ValueKind::Bool, "", nullptr},
    {"uchar", ValueKind::UChar, "", nullptr},
    {"int", ValueKind::Int, "", nullptr},
    {"uint", ValueKind::UInt, "", nullptr},
    {"int64", ValueKind::Int64, "", nullptr},
    {"uint64", ValueKind::UInt64, "", nullptr},
    {"half", ValueKind::Half, "", nullptr},
    {"float", ValueKind::Float, "", nullptr},
    {"double", ValueKind::Double, "", nullptr},
    {"timecode", ValueKind::TimeCode, "", nullptr},
    {"string", ValueKind::String, "", nullptr},
    {"token", ValueKind::Token, "", nullptr},
    {"asset", ValueKind::Asset, "", nullptr},
    {"pathExpression", ValueKind::PathExpression, "", nullptr},
    {"opaque", ValueKind::Bool, "", nullptr, true},
    {"group", ValueKind::Bool, "Group", nullptr, true},
    {"double2", ValueKind::Vec2d, "", nullptr},
    {"double3", ValueKind::Vec3d, "", nullptr},
    {"double4", ValueKind::Vec4d, "", nullptr},
    {"float2", ValueKind::Vec2f, "", nullptr},
    {"float3", ValueKind::Vec3f, "", nullptr},
    {"float4", ValueKind::Vec4f, "", nullptr},
    {"half2", ValueKind::Vec2h, "", nullptr},
    {"half3", ValueKind::Vec3h, "", nullptr},
    {"half4", ValueKind::Vec4h, "", nullptr},
    {"int2", ValueKind::Vec2i, "", nullptr},
    {"int3", ValueKind::Vec3i, "", nullptr},
    {"int4", ValueKind::Vec4i, "", nullptr},
    {"point3h", ValueKind::Vec3h, "Point", nullptr},
    {"point3f", ValueKind::Vec3f, "Point", nullptr},
    {"point3d", ValueKind::Vec3d, "Point", nullptr},
    {"vector3h", ValueKind::Vec3h, "Vector", nullptr},
    {"vector3f", ValueKind::Vec3f, "Vector", nullptr},
    {"vector3d", ValueKind::Vec3d, "Vector", nullptr},
    {"normal3h", ValueKind::Vec3h, "Normal", nullptr},
    {"normal3f", ValueKind::Vec3f, "Normal", nullptr},
    {"normal3d", ValueKind::Vec3d, "Normal", nullptr},
    {"color3h", ValueKind::Vec3h, "Color", nullptr},
    {"color3f", ValueKind::Vec3f, "Color", nullptr},
    {"color3d", ValueKind::Vec3d, "Color", nullptr},
    {"color4h", ValueKind::Vec4h, "Color", nullptr},
    {"color4f", ValueKind::Vec4f, "Color", nullptr},
    {"color4d", ValueKind::Vec4d, "Color", nullptr},
    {"quath", ValueKind::Quath, "", nullptr},
    {"quatf", ValueKind::Quatf, "", nullptr},
    {"quatd", ValueKind::Quatd, "", nullptr},
    {"matrix2d", ValueKind::Matrix2d, "", nullptr},
    {"matrix3d", ValueKind::Matrix3d, "", nullptr},
    {"matrix4d", ValueKind::Matrix4d, "", nullptr},
    {"frame4d", ValueKind::Matrix4d, "Frame", nullptr},
    {"texCoord2f", ValueKind::Vec2f, "TextureCoordinate", nullptr},
    {"texCoord2d", ValueKind::Vec2d, "TextureCoordinate", nullptr},
    {"texCoord2h", ValueKind::Vec2h, "TextureCoordinate", nullptr},
    {"texCoord3f", ValueKind::Vec3f, "TextureCoordinate", nullptr},
    {"texCoord3d", ValueKind::Vec3d, "TextureCoordinate", nullptr},
    {"texCoord3h", ValueKind::Vec3h, "TextureCoordinate", nullptr},
    // Legacy spellings.
    {"Vec2i", ValueKind::Vec2i, "", "int2"},
    {"Vec2h", ValueKind::Vec2h, "", "half2"},
    {"Vec2f", ValueKind::Vec2f, "", "float2"},
    {"Vec2d", ValueKind::Vec2d, "", "double2"},
    {"Vec3i", ValueKind::Vec3i, "", "int3"},
    {"Vec3h", ValueKind::Vec3h, "", "half3"},
    {"Vec3f", ValueKind::Vec3f, "", "float3"},
    {"Vec3d", ValueKind::Vec3d, "", "double3"},
    {"Vec4i", ValueKind::Vec4i, "", "int4"},
    {"Vec4h", ValueKind::Vec4h, "", "half4"},
    {"Vec4f", ValueKind::Vec4f, "", "float4"},
    {"Vec4d", ValueKind::Vec4d, "", "double4"},
    {"Point", ValueKind::Vec3d, "Point", "point3d"},
    {"PointFloat", ValueKind::Vec3f, "Point", "point3f"},
    {"Normal", ValueKind::Vec3d, "Normal", "normal3d"},
    {"NormalFloat", ValueKind::Vec3f, "Normal", "normal3f"},
    {"Vector", ValueKind::Vec3d, "Vector", "vector3d"},
    {"VectorFloat", ValueKind::Vec3f, "Vector", "vector3f"},
    {"Color", ValueKind::Vec3d, "Color", "color3d"},
    {"ColorFloat", ValueKind::Vec3f, "Color", "color3f"},
    {"Quath", ValueKind::Quath, "", "quath"},
    {"Quatf", ValueKind::Quatf, "", "quatf"},
    {"Quatd", ValueKind::Quatd, "", "quatd"},
    {"Matrix2d", ValueKind::Matrix2d, "", "matrix2d"},
    {"Matrix3d", ValueKind::Matrix3d, "", "matrix3d"},
    {"Matrix4d", ValueKind::Matrix4d, "", "matrix4d"},
    {"Frame", ValueKind::Matrix4d, "Frame", "frame4d"},
    {"Transform", ValueKind::Matrix4d, "Transform", nullptr},
    {"PointIndex", ValueKind::Int, "PointIndex", nullptr},
    {"EdgeIndex", ValueKind::Int, "EdgeIndex", nullptr},
    {"FaceIndex", ValueKind::Int, "FaceIndex", nullptr},
    {"Schema", ValueKind::Token, "", nullptr},
};

const char* const kKindNames[] = {
#define USDKIT_KIND_NAME(T, K) #K,
    USDKIT_SCALAR_VALUE_TYPES(USDKIT_KIND_NAME)
#undef USDKIT_KIND_NAME
};

// Role-less names in ValueKind order.
const char* const kScalarNames[] = {
    "bool",  "uchar",  "int",    "uint",     "int64",          "uint64", "half",   "float",
    "double", "timecode", "string", "token", "asset", "pathExpression", "int2",   "int3",
    "int4",  "half2",  "half3",  "half4",    "float2",         "float3", "float4", "double2",
    "double3", "double4", "quath", "quatf",  "quatd",          "matrix2d", "matrix3d", "matrix4d",
};
static_assert(sizeof(kScalarNames) == sizeof(kKindNames));

class TypeTable {
 public:
  TypeTable() {
    for (const TypeRow& row : kTypes) {
      ValueTypeInfo info;
      info.kind = row.kind;
      info.isOpaque = row.opaque;
      info.role = Token(row.role);
      std::string ser = row.serializeAs ? row.serializeAs : row.name;
      info.scalarName = Token(kScalarNames[static_cast<int>(row.kind)]);
      info.serializationName = Token(ser);
      scalars_.emplace(row.name, info);
      if (!row.opaque) {
        info.isArray = true;
        info.serializationName = Token(ser + "[]");
        arrays_.emplace(row.name, info);
      }
    }
  }
  std::optional<ValueTypeInfo> find(std::string_view name) const {
    bool array = name.size() > 2 && name.substr(name.size() - 2) == "[]";
    if (array) name.remove_suffix(2);
    const auto& table = array ? arrays_ : scalars_;
    auto it = table.find(name);
    if (it == table.end()) return std::nullopt;
    return it->second;
  }

 private:
  // Looked up by string_view (once per attribute a reader reads), without
  // making a string first.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
  };
  using Table = std::unordered_map<std::string, ValueTypeInfo, NameHash, std::equal_to<>>;
  Table scalars_, arrays_;
};

}  // namespace

std::optional<ValueTypeInfo> findValueType(std::string_view name) {
  static const TypeTable table;
  return table.find(name);
}

std::string_view valueKindName(ValueKind kind) { return kScalarNames[static_cast<int>(kind)]; }

int valueKindComponents(ValueKind kind) {
  switch (kind) {
    case ValueKind::Vec2i: case ValueKind::Vec2h: case ValueKind::Vec2f: case ValueKind::Vec2d:
      return 2;
    case ValueKind::Vec3i: case ValueKind::Vec3h: case ValueKind::Vec3f: case ValueKind::Vec3d:
      return 3;
    case ValueKind::Vec4i: case ValueKind::Vec4h: case ValueKind::Vec4f: case ValueKind::Vec4d:
    case ValueKind::Quath: case ValueKind::Quatf: case ValueKind::Quatd: case ValueKind::Matrix2d:
      return 4;
    case ValueKind::Matrix3d: return 9;
    case ValueKind::Matrix4d: return 16;
    default: return 1;
  }
}

}  // namespace usdkit
