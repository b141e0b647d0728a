// Crate arrays (docs/crate-format.md §11): the count prefix of each file
// version, raw element runs (copied in bulk), integer-coded int arrays and
// the 'i' / 't' encodings of floating-point arrays.
#include <cstring>

#include "io/crate/Compression.h"
#include "io/crate/CrateInternal.h"

namespace usdkit::crate {

namespace {

constexpr Version kRanklessArrays{0, 5, 0};       // arrays lose the rank word
constexpr Version kCompressedIntArrays{0, 5, 0};
constexpr Version kCompressedFloatArrays{0, 6, 0};
constexpr Version kWideArrayCounts{0, 7, 0};      // 64-bit counts
constexpr std::uint64_t kMinCompressedCount = 16;  // smaller arrays are always raw

// Our value types are the file's element layouts, so raw runs are memcpy'd.
static_assert(sizeof(Half) == 2 && sizeof(Vec2h) == 4 && sizeof(Vec3h) == 6 && sizeof(Vec4h) == 8);
static_assert(sizeof(Vec3f) == 12 && sizeof(Vec4d) == 32 && sizeof(Vec3i) == 12);
static_assert(sizeof(Quath) == 8 && sizeof(Quatf) == 16 && sizeof(Quatd) == 32);
static_assert(sizeof(Matrix2d) == 32 && sizeof(Matrix3d) == 72 && sizeof(Matrix4d) == 128);
static_assert(sizeof(TimeCode) == 8);

template <class T>
T fromInt32(std::int32_t v) {
  if constexpr (std::is_same_v<T, Half>) return Half::fromFloat(static_cast<float>(v));
  else return static_cast<T>(v);
}

}  // namespace

// Array decoding needs the decoder's file and budget; a helper class keeps
// the element-type templates out of the public decoder interface.
class ArrayDecoder {
 public:
  ArrayDecoder(ValueDecoder& d, ValueRep rep, ByteReader& r) : d_(d), file_(d.file_), rep_(rep), r_(r) {}

  std::uint64_t readCount() {
    const std::uint64_t at = r_.pos();
    std::uint64_t count;
    if (file_.version < kRanklessArrays) {
      r_.read<std::uint32_t>("an array rank");
      count = r_.read<std::uint32_t>("an array size");
    } else if (file_.version < kWideArrayCounts) {
      count = r_.read<std::uint32_t>("an array size");
    } else {
      count = r_.read<std::uint64_t>("an array size");
    }
    countAt_ = at;
    return count;
  }

  template <class T>
  std::vector<T> raw(std::uint64_t count) {
    const std::uint64_t bytes = Budget::times(count, sizeof(T));
    r_.need(bytes, "the array elements");
    d_.budget_.charge(bytes, countAt_);
    std::vector<T> out(static_cast<std::size_t>(count));
    if (count) std::memcpy(static_cast<void*>(out.data()), r_.bytes(bytes, "the array elements").data(), bytes);
    return out;
  }

  template <class I>
  std::vector<I> intBlock(std::uint64_t count) {
    const std::uint64_t at = r_.pos();
    d_.budget_.charge(Budget::times(count, sizeof(I)), countAt_);
    auto block = decodeIntBlock<I>(r_.rest(), static_cast<std::size_t>(count));
    if (!block) throwNested(at, block.error());
    r_.seek(at + block->byteSize);
    return std::move(block->values);
  }

  template <class T>
  Value plain() {
    return Value(raw<T>(readCount()));
  }

  template <class I>
  Value integers() {
    if (!rep_.isCompressed() || file_.version < kCompressedIntArrays) return plain<I>();
    const std::uint64_t count = readCount();
    if (count < kMinCompressedCount) return Value(raw<I>(count));
    return Value(intBlock<I>(count));
  }

  template <class T>
  Value floats() {
    if (!rep_.isCompressed() || file_.version < kCompressedFloatArrays) return plain<T>();
    const std::uint64_t count = readCount();
    if (count < kMinCompressedCount) return Value(raw<T>(count));
    const std::uint64_t codeAt = r_.pos();
    const auto code = r_.read<std::uint8_t>("an array encoding code");
    if (code == 'i') {
      std::vector<std::int32_t> ints = intBlock<std::int32_t>(count);
      d_.budget_.charge(Budget::times(count, sizeof(T)), codeAt);
      std::vector<T> out(ints.size());
      for (std::size_t i = 0; i < ints.size(); ++i) out[i] = fromInt32<T>(ints[i]);
      return Value(std::move(out));
    }
    if (code == 't') {
      const std::uint64_t lutAt = r_.pos();
      const auto lutSize = r_.read<std::uint32_t>("a lookup table size");
      if (lutSize > count) throwAt(lutAt, "lookup table of " + std::to_string(lutSize) + " entries for " + std::to_string(count) + " elements");
      std::vector<T> lut = raw<T>(lutSize);
      const std::uint64_t indexesAt = r_.pos();
      std::vector<std::uint32_t> indexes = intBlock<std::uint32_t>(count);
      d_.budget_.charge(Budget::times(count, sizeof(T)), codeAt);
      std::vector<T> out(indexes.size());
      for (std::size_t i = 0; i < indexes.size(); ++i) {
        if (indexes[i] >= lut.size())
          throwAt(indexesAt, "lookup index " + std::to_string(indexes[i]) + " of element " + std::to_string(i) +
                                 " is outside the " + std::to_string(lut.size()) + "-entry table");
        out[i] = lut[indexes[i]];
      }
      return Value(std::move(out));
    }
    throwAt(codeAt, "unknown float array encoding code " + std::to_string(code) + " (expected 'i' or 't')");
  }

  // Elements stored as 32-bit table indexes (strings, tokens, asset paths,
  // path expressions).
  template <class T, class Make>
  Value indexed(Make&& make) {
    const std::uint64_t count = readCount();
    const std::uint64_t at = r_.pos();
    std::vector<std::uint32_t> indexes = raw<std::uint32_t>(count);
    d_.budget_.charge(Budget::times(count, sizeof(T)), countAt_);
    std::vector<T> out;
    out.reserve(indexes.size());
    for (std::size_t i = 0; i < indexes.size(); ++i) out.push_back(make(indexes[i], at + 4 * i));
    return Value(std::move(out));
  }

  Value bools() {
    std::vector<std::uint8_t> bytes = raw<std::uint8_t>(readCount());
    std::vector<bool> out(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] > 1) throwAt(countAt_, "bool array element " + std::to_string(i) + " is neither 0 nor 1");
      out[i] = bytes[i] != 0;
    }
    return Value(std::move(out));
  }

 private:
  ValueDecoder& d_;
  const CrateFile& file_;
  ValueRep rep_;
  ByteReader& r_;
  std::uint64_t countAt_ = 0;
};

Value ValueDecoder::decodeArray(ValueRep rep, std::uint64_t where) {
  // An empty array stores nothing (§7).
  if (rep.payload() == 0) {
    switch (rep.type()) {
#define USDKIT_EMPTY(id, T) \
  case TypeId::id: return Value(std::vector<T>{});
      USDKIT_EMPTY(Bool, bool) USDKIT_EMPTY(UChar, std::uint8_t) USDKIT_EMPTY(Int, std::int32_t)
      USDKIT_EMPTY(UInt, std::uint32_t) USDKIT_EMPTY(Int64, std::int64_t) USDKIT_EMPTY(UInt64, std::uint64_t)
      USDKIT_EMPTY(Half, Half) USDKIT_EMPTY(Float, float) USDKIT_EMPTY(Double, double)
      USDKIT_EMPTY(String, std::string) USDKIT_EMPTY(Token, Token) USDKIT_EMPTY(AssetPath, AssetPath)
      USDKIT_EMPTY(Matrix2d, Matrix2d) USDKIT_EMPTY(Matrix3d, Matrix3d) USDKIT_EMPTY(Matrix4d, Matrix4d)
      USDKIT_EMPTY(Quatd, Quatd) USDKIT_EMPTY(Quatf, Quatf) USDKIT_EMPTY(Quath, Quath)
      USDKIT_EMPTY(Vec2d, Vec2d) USDKIT_EMPTY(Vec2f, Vec2f) USDKIT_EMPTY(Vec2h, Vec2h) USDKIT_EMPTY(Vec2i, Vec2i)
      USDKIT_EMPTY(Vec3d, Vec3d) USDKIT_EMPTY(Vec3f, Vec3f) USDKIT_EMPTY(Vec3h, Vec3h) USDKIT_EMPTY(Vec3i, Vec3i)
      USDKIT_EMPTY(Vec4d, Vec4d) USDKIT_EMPTY(Vec4f, Vec4f) USDKIT_EMPTY(Vec4h, Vec4h) USDKIT_EMPTY(Vec4i, Vec4i)
      USDKIT_EMPTY(TimeCode, TimeCode) USDKIT_EMPTY(PathExpression, PathExpression)
#undef USDKIT_EMPTY
      default: break;
    }
    throwAt(where, "internal: type " + std::to_string(rep.typeByte()) + " has no array form");
  }
  ByteReader r = at(rep, where);
  ArrayDecoder a(*this, rep, r);
  switch (rep.type()) {
    case TypeId::Bool: return a.bools();
    case TypeId::UChar: return a.plain<std::uint8_t>();
    case TypeId::Int: return a.integers<std::int32_t>();
    case TypeId::UInt: return a.integers<std::uint32_t>();
    case TypeId::Int64: return a.integers<std::int64_t>();
    case TypeId::UInt64: return a.integers<std::uint64_t>();
    case TypeId::Half: return a.floats<Half>();
    case TypeId::Float: return a.floats<float>();
    case TypeId::Double: return a.floats<double>();
    case TypeId::TimeCode: return a.plain<TimeCode>();
    case TypeId::Matrix2d: return a.plain<Matrix2d>();
    case TypeId::Matrix3d: return a.plain<Matrix3d>();
    case TypeId::Matrix4d: return a.plain<Matrix4d>();
    case TypeId::Quatd: return a.plain<Quatd>();
    case TypeId::Quatf: return a.plain<Quatf>();
    case TypeId::Quath: return a.plain<Quath>();
    case TypeId::Vec2d: return a.plain<Vec2d>();
    case TypeId::Vec2f: return a.plain<Vec2f>();
    case TypeId::Vec2h: return a.plain<Vec2h>();
    case TypeId::Vec2i: return a.plain<Vec2i>();
    case TypeId::Vec3d: return a.plain<Vec3d>();
    case TypeId::Vec3f: return a.plain<Vec3f>();
    case TypeId::Vec3h: return a.plain<Vec3h>();
    case TypeId::Vec3i: return a.plain<Vec3i>();
    case TypeId::Vec4d: return a.plain<Vec4d>();
    case TypeId::Vec4f: return a.plain<Vec4f>();
    case TypeId::Vec4h: return a.plain<Vec4h>();
    case TypeId::Vec4i: return a.plain<Vec4i>();
    case TypeId::String:
      return a.indexed<std::string>([&](std::uint32_t i, std::uint64_t at) {
        const Token& t = file_.string(i, at);
        budget_.charge(t.size(), at);
        return t.string();
      });
    case TypeId::Token:
      return a.indexed<Token>([&](std::uint32_t i, std::uint64_t at) { return file_.token(i, at); });
    case TypeId::AssetPath:
      // Array elements are string indexes, unlike the scalar's token (§8).
      return a.indexed<AssetPath>([&](std::uint32_t i, std::uint64_t at) {
        const Token& t = file_.string(i, at);
        checkAssetPath(t.str(), at);
        budget_.charge(t.size(), at);
        return AssetPath{t.string()};
      });
    case TypeId::PathExpression:
      return a.indexed<PathExpression>([&](std::uint32_t i, std::uint64_t at) {
        const Token& t = file_.string(i, at);
        budget_.charge(t.size(), at);
        return PathExpression{t.string()};
      });
    default: break;
  }
  throwAt(where, "internal: type " + std::to_string(rep.typeByte()) + " has no array form");
}

}  // namespace usdkit::crate
