// Definitions shared by the crate (.usdc) reader and writer: the bootstrap,
// section names, the 64-bit value descriptor and the type enum.
// docs/crate-format.md §3, §4, §7, §8 and §16 describe them.
#pragma once

#include <cstdint>
#include <string_view>

#include "io/CrateVersion.h"

namespace usdkit::crate {

inline constexpr std::string_view kMagic = "PXR-USDC";
inline constexpr std::size_t kBootstrapSize = 88;
// Index value OpenUSD uses as "none" and as the field-set terminator.
inline constexpr std::uint32_t kInvalidIndex = 0xFFFFFFFFu;

// Section names (NUL-padded to 16 bytes in the table of contents).
inline constexpr std::string_view kTokensSection = "TOKENS";
inline constexpr std::string_view kStringsSection = "STRINGS";
inline constexpr std::string_view kFieldsSection = "FIELDS";
inline constexpr std::string_view kFieldSetsSection = "FIELDSETS";
inline constexpr std::string_view kPathsSection = "PATHS";
inline constexpr std::string_view kSpecsSection = "SPECS";
inline constexpr std::size_t kSectionNameSize = 16;

// Crate type numbers (crateDataTypes.h); permanent, 0 is invalid.
enum class TypeId : std::uint8_t {
  Invalid = 0,
  Bool = 1,
  UChar = 2,
  Int = 3,
  UInt = 4,
  Int64 = 5,
  UInt64 = 6,
  Half = 7,
  Float = 8,
  Double = 9,
  String = 10,
  Token = 11,
  AssetPath = 12,
  Matrix2d = 13,
  Matrix3d = 14,
  Matrix4d = 15,
  Quatd = 16,
  Quatf = 17,
  Quath = 18,
  Vec2d = 19,
  Vec2f = 20,
  Vec2h = 21,
  Vec2i = 22,
  Vec3d = 23,
  Vec3f = 24,
  Vec3h = 25,
  Vec3i = 26,
  Vec4d = 27,
  Vec4f = 28,
  Vec4h = 29,
  Vec4i = 30,
  Dictionary = 31,
  TokenListOp = 32,
  StringListOp = 33,
  PathListOp = 34,
  ReferenceListOp = 35,
  IntListOp = 36,
  Int64ListOp = 37,
  UIntListOp = 38,
  UInt64ListOp = 39,
  PathVector = 40,
  TokenVector = 41,
  Specifier = 42,
  Permission = 43,
  Variability = 44,
  VariantSelectionMap = 45,
  TimeSamples = 46,
  Payload = 47,
  DoubleVector = 48,
  LayerOffsetVector = 49,
  StringVector = 50,
  ValueBlock = 51,
  Value = 52,
  UnregisteredValue = 53,
  UnregisteredValueListOp = 54,
  PayloadListOp = 55,
  TimeCode = 56,
  PathExpression = 57,
  Relocates = 58,
  Spline = 59,
  AnimationBlock = 60,
};
inline constexpr std::uint8_t kTypeCount = 61;

// The 64-bit value descriptor stored for every field value: flags, the type
// and a 48-bit payload (an inline value or the absolute offset of the
// value's encoding).
class ValueRep {
 public:
  static constexpr std::uint64_t kArrayBit = 1ull << 63;
  static constexpr std::uint64_t kInlinedBit = 1ull << 62;
  static constexpr std::uint64_t kCompressedBit = 1ull << 61;
  // An array edit (crate 0.14.0) of the type's arrays, not a plain value.
  static constexpr std::uint64_t kArrayEditBit = 1ull << 60;
  static constexpr std::uint64_t kPayloadMask = (1ull << 48) - 1;

  constexpr ValueRep() = default;
  constexpr explicit ValueRep(std::uint64_t bits) : bits_(bits) {}
  constexpr ValueRep(TypeId type, bool isInlined, bool isArray, std::uint64_t payload)
      : bits_((isArray ? kArrayBit : 0) | (isInlined ? kInlinedBit : 0) |
              (std::uint64_t(static_cast<std::uint8_t>(type)) << 48) | (payload & kPayloadMask)) {}

  constexpr std::uint64_t bits() const noexcept { return bits_; }
  constexpr bool isArray() const noexcept { return bits_ & kArrayBit; }
  constexpr bool isInlined() const noexcept { return bits_ & kInlinedBit; }
  constexpr bool isCompressed() const noexcept { return bits_ & kCompressedBit; }
  constexpr bool isArrayEdit() const noexcept { return bits_ & kArrayEditBit; }
  constexpr std::uint8_t typeByte() const noexcept { return std::uint8_t(bits_ >> 48); }
  constexpr TypeId type() const noexcept { return static_cast<TypeId>(typeByte()); }
  constexpr std::uint64_t payload() const noexcept { return bits_ & kPayloadMask; }
  constexpr void setCompressed(bool on) noexcept { bits_ = on ? (bits_ | kCompressedBit) : (bits_ & ~kCompressedBit); }

  friend constexpr bool operator==(ValueRep a, ValueRep b) noexcept { return a.bits_ == b.bits_; }

 private:
  std::uint64_t bits_ = 0;
};

}  // namespace usdkit::crate
