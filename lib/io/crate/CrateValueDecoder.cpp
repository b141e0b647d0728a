// Crate values (docs/crate-format.md §7-§10, §12-§14): inline encodings,
// out-of-line scalars, dictionaries, list ops, vectors, references,
// payloads, time samples, splines and nested value records. Arrays are in
// CrateArrays.cpp, array edits in CrateArrayEdit.cpp.
#include <algorithm>
#include <array>

#include "io/crate/CrateInternal.h"
#include "sdf/Fields.h"

namespace usdkit::crate {

namespace {

// Nesting of dictionaries and value records that no real file approaches;
// deeper input would only serve to exhaust the stack.
constexpr int kMaxDepth = kMaxValueNesting;
// Payloads carry a layer offset from 0.8.0 on (§10.9).
constexpr Version kPayloadOffsetVersion{0, 8, 0};

std::uint32_t inlineWord(ValueRep rep) { return static_cast<std::uint32_t>(rep.payload()); }

// Components of a vector or matrix diagonal inlined as int8 (§9).
template <class S>
S fromInt8(std::int8_t v) {
  if constexpr (std::is_same_v<S, Half>) return Half::fromFloat(static_cast<float>(v));
  else return static_cast<S>(v);
}

template <class T, int N>
Vec<T, N> inlineVec(std::uint32_t w) {
  Vec<T, N> v;
  for (int i = 0; i < N; ++i) v[i] = fromInt8<T>(static_cast<std::int8_t>(w >> (8 * i)));
  return v;
}

template <int N>
Matrix<N> inlineMatrix(std::uint32_t w) {
  Matrix<N> m;
  for (int i = 0; i < N; ++i) m.m[i][i] = static_cast<double>(static_cast<std::int8_t>(w >> (8 * i)));
  return m;
}

template <class T>
T readRaw(ByteReader& r, std::string_view what) {
  static_assert(std::is_trivially_copyable_v<T>);
  return r.read<T>(what);
}

template <class T>
T oneOrDefault(ValueRep rep, ByteReader* r, std::string_view what) {
  // Types without an inline form read as a default value when flagged
  // inline, as OpenUSD does.
  if (rep.isInlined() || !r) return T{};
  return readRaw<T>(*r, what);
}

// Guards the decoder's depth and ancestry around one nested decode.
struct NestingGuard {
  NestingGuard(int& depth, std::vector<std::uint64_t>& ancestry, ValueRep rep, std::uint64_t where)
      : depth_(depth), ancestry_(ancestry) {
    if (depth_ >= kMaxDepth) throwAt(where, "values are nested more than " + std::to_string(kMaxDepth) + " levels deep");
    if (!rep.isInlined() && std::find(ancestry_.begin(), ancestry_.end(), rep.bits()) != ancestry_.end())
      throwAt(where, "value refers to itself");
    ++depth_;
    ancestry_.push_back(rep.bits());
  }
  ~NestingGuard() {
    --depth_;
    ancestry_.pop_back();
  }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;
  int& depth_;
  std::vector<std::uint64_t>& ancestry_;
};

bool supportsArrays(TypeId t) {
  const auto n = static_cast<std::uint8_t>(t);
  return (n >= 1 && n <= 30) || t == TypeId::TimeCode || t == TypeId::PathExpression;
}

}  // namespace

ByteReader ValueDecoder::at(ValueRep rep, std::uint64_t where) const {
  const std::uint64_t offset = rep.payload();
  if (offset >= file_.data.size())
    throwAt(where, "value offset " + std::to_string(offset) + " is outside the " + std::to_string(file_.data.size()) + "-byte file");
  return ByteReader(file_.data, offset, file_.data.size());
}

Value ValueDecoder::decode(ValueRep rep, std::uint64_t where) {
  NestingGuard guard(depth_, ancestry_, rep, where);
  return decodeInner(rep, where);
}

void ValueDecoder::checkAssetPath(std::string_view text, std::uint64_t at) const {
  // OpenUSD's SdfAssetPath refuses control characters (C0, DEL, and C1 as
  // UTF-8 sequences C2 80..C2 9F).
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) throwAt(at, "asset path contains a control character");
  }
}

ValueRep ValueDecoder::readNestedRep(ByteReader& r, std::uint64_t* repOffset) {
  const std::uint64_t p = r.pos();
  const auto d = r.read<std::int64_t>("a value record distance");
  // d >= 8 keeps every record moving forward, so loops over records end.
  if (d < 8 || static_cast<std::uint64_t>(d) > r.end() - p || r.end() - p - static_cast<std::uint64_t>(d) < 8)
    throwAt(p, "value record distance " + std::to_string(d) + " does not lead to a value inside the file");
  *repOffset = p + static_cast<std::uint64_t>(d);
  r.seek(*repOffset);
  const ValueRep rep(r.read<std::uint64_t>());
  return rep;
}

Value ValueDecoder::readNestedValue(ByteReader& r) {
  std::uint64_t repOffset = 0;
  const ValueRep rep = readNestedRep(r, &repOffset);
  return decode(rep, repOffset);
}

Dictionary ValueDecoder::readDictionaryBody(ByteReader& r) {
  // Each entry is a 4-byte key plus a record of at least 16 bytes.
  const std::uint64_t count = r.readCount(20, "dictionary entry count");
  budget_.charge(Budget::times(count, 96), r.pos());
  Dictionary dict;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t keyAt = r.pos();
    const Token& key = file_.string(r.read<std::uint32_t>("a dictionary key"), keyAt);
    budget_.charge(key.size(), keyAt);
    Value value = readNestedValue(r);
    dict.entries.insert_or_assign(key.string(), std::move(value));  // the last duplicate wins, as in OpenUSD
  }
  return dict;
}

template <class T, class ReadItem>
std::vector<T> ValueDecoder::readVector(ByteReader& r, std::uint64_t minItemSize, ReadItem&& readItem) {
  const std::uint64_t count = r.readCount(minItemSize, "item count");
  budget_.charge(Budget::times(count, sizeof(T) + 16), r.pos());
  std::vector<T> items;
  items.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) items.push_back(readItem(r));
  return items;
}

template <class T, class ReadItem>
ListOp<T> ValueDecoder::readListOp(ByteReader& r, std::uint64_t minItemSize, ReadItem&& readItem) {
  using Slot = typename ListOp<T>::Slot;
  const auto header = r.read<std::uint8_t>("a list op header");
  ListOp<T> op;
  if (header & 0x01) op.clearAndMakeExplicit();
  // The header's bit order differs from the order of the lists (§10.6).
  static constexpr std::pair<std::uint8_t, Slot> kLists[] = {
      {0x02, Slot::Explicit}, {0x04, Slot::Added},   {0x20, Slot::Prepended},
      {0x40, Slot::Appended}, {0x08, Slot::Deleted}, {0x10, Slot::Ordered}};
  for (const auto& [bit, slot] : kLists)
    if (header & bit) op.set(slot, readVector<T>(r, minItemSize, readItem));
  return op;
}

Reference ValueDecoder::readReference(ByteReader& r) {
  Reference ref;
  const std::uint64_t at = r.pos();
  ref.assetPath = file_.string(r.read<std::uint32_t>("a reference asset path"), at).string();
  ref.primPath = file_.path(r.read<std::uint32_t>("a reference prim path"), at + 4);
  ref.layerOffset.offset = r.read<double>("a layer offset");
  ref.layerOffset.scale = r.read<double>("a layer scale");
  Dictionary customData = readDictionaryBody(r);
  if (!customData.entries.empty()) ref.customData = std::make_shared<const Dictionary>(std::move(customData));
  return ref;
}

Payload ValueDecoder::readPayload(ByteReader& r) {
  Payload payload;
  const std::uint64_t at = r.pos();
  payload.assetPath = file_.string(r.read<std::uint32_t>("a payload asset path"), at).string();
  payload.primPath = file_.path(r.read<std::uint32_t>("a payload prim path"), at + 4);
  if (file_.version >= kPayloadOffsetVersion) {
    payload.layerOffset.offset = r.read<double>("a layer offset");
    payload.layerOffset.scale = r.read<double>("a layer scale");
  }
  return payload;
}

UnregisteredValue ValueDecoder::readUnregisteredItem(ByteReader& r) {
  const std::uint64_t at = r.pos();
  Value v = readNestedValue(r);
  if (const std::string* s = v.getIf<std::string>()) return UnregisteredValue{*s};
  if (const UnregisteredValue* u = v.getIf<UnregisteredValue>()) return *u;
  throwAt(at, "unregistered list op item does not hold a string");
}

Value ValueDecoder::readTimeSamples(ByteReader& r) {
  const std::uint64_t p = r.pos();
  std::uint64_t timesRepAt = 0;
  const ValueRep timesRep = readNestedRep(r, &timesRepAt);
  if (timesRep.type() != TypeId::DoubleVector || timesRep.isInlined() || timesRep.isArray())
    throwAt(timesRepAt, "time samples' times are not a double vector");
  ByteReader times = at(timesRep, timesRepAt);
  const std::uint64_t count = times.readCount(8, "time sample count");
  budget_.charge(Budget::times(count, sizeof(std::pair<double, Value>)), p);
  // r is now at Q, the second record: the value reps follow its distance.
  std::uint64_t valuesAt = 0;
  {
    const std::uint64_t q = r.pos();
    const auto d = r.read<std::int64_t>("a time samples distance");
    if (d < 8 || static_cast<std::uint64_t>(d) > r.end() - q)
      throwAt(q, "time samples distance " + std::to_string(d) + " does not lead inside the file");
    r.seek(q + static_cast<std::uint64_t>(d));
    valuesAt = r.pos();
  }
  const std::uint64_t numValues = r.readCount(8, "time sample value count");
  if (numValues != count)
    throwAt(valuesAt, std::to_string(numValues) + " time sample values for " + std::to_string(count) + " times");
  TimeSamples samples;
  samples.samples.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    const double t = times.read<double>("a sample time");
    const std::uint64_t repAt = r.pos();
    const ValueRep rep(r.read<std::uint64_t>("a sample value"));
    if (rep.type() == TypeId::TimeSamples) throwAt(repAt, "a time sample value is itself time samples");
    samples.samples.emplace_back(t, decode(rep, repAt));
  }
  return Value(std::move(samples));
}

Value ValueDecoder::decodeScalarOutOfLine(ValueRep rep, ByteReader& r) {
  const std::uint64_t where = r.pos();
  switch (rep.type()) {
    case TypeId::Int64: return Value(readRaw<std::int64_t>(r, "an int64"));
    case TypeId::UInt64: return Value(readRaw<std::uint64_t>(r, "a uint64"));
    case TypeId::Double: return Value(readRaw<double>(r, "a double"));
    case TypeId::Matrix2d: return Value(readRaw<Matrix2d>(r, "a matrix2d"));
    case TypeId::Matrix3d: return Value(readRaw<Matrix3d>(r, "a matrix3d"));
    case TypeId::Matrix4d: return Value(readRaw<Matrix4d>(r, "a matrix4d"));
    case TypeId::Vec2d: return Value(readRaw<Vec2d>(r, "a double2"));
    case TypeId::Vec2f: return Value(readRaw<Vec2f>(r, "a float2"));
    case TypeId::Vec2i: return Value(readRaw<Vec2i>(r, "an int2"));
    case TypeId::Vec3d: return Value(readRaw<Vec3d>(r, "a double3"));
    case TypeId::Vec3f: return Value(readRaw<Vec3f>(r, "a float3"));
    case TypeId::Vec3h: return Value(readRaw<Vec3h>(r, "a half3"));
    case TypeId::Vec3i: return Value(readRaw<Vec3i>(r, "an int3"));
    case TypeId::Vec4d: return Value(readRaw<Vec4d>(r, "a double4"));
    case TypeId::Vec4f: return Value(readRaw<Vec4f>(r, "a float4"));
    case TypeId::Vec4h: return Value(readRaw<Vec4h>(r, "a half4"));
    case TypeId::Vec4i: return Value(readRaw<Vec4i>(r, "an int4"));
    case TypeId::Dictionary: return Value(readDictionaryBody(r));
    default: throwAt(where, "internal: type " + std::to_string(rep.typeByte()) + " has no out-of-line scalar form");
  }
}

Value ValueDecoder::decodeInner(ValueRep rep, std::uint64_t where) {
  const std::uint8_t typeByte = rep.typeByte();
  if (typeByte == 0 || typeByte >= kTypeCount) throwAt(where, "unknown value type " + std::to_string(typeByte));
  const TypeId type = rep.type();
  if (rep.isArrayEdit()) return readArrayEdit(rep, where);
  if (rep.isArray() && supportsArrays(type)) return decodeArray(rep, where);
  const std::uint32_t w = inlineWord(rep);
  budget_.charge(16, where);

  switch (type) {
    // Always inlined (§9).
    case TypeId::Bool:
      if (w > 1) throwAt(where, "bool value " + std::to_string(w) + " is neither 0 nor 1");
      return Value(w != 0);
    case TypeId::UChar: return Value(static_cast<std::uint8_t>(w));
    case TypeId::Int: return Value(static_cast<std::int32_t>(w));
    case TypeId::UInt: return Value(w);
    case TypeId::Half: return Value(Half::fromBits(static_cast<std::uint16_t>(w)));
    case TypeId::Float: {
      float f;
      std::memcpy(&f, &w, 4);
      return Value(f);
    }
    case TypeId::Vec2h: {
      Vec2h v;
      std::memcpy(&v, &w, 4);
      return Value(v);
    }
    case TypeId::String: return Value(file_.string(w, where).string());
    case TypeId::Token: return Value(file_.token(w, where));
    case TypeId::AssetPath: {
      const Token& t = file_.token(w, where);
      checkAssetPath(t.str(), where);
      return Value(AssetPath{t.string()});
    }
    case TypeId::Specifier:
      if (w > 2) throwAt(where, "specifier " + std::to_string(w) + " is not 0 (def), 1 (over) or 2 (class)");
      return Value(static_cast<Specifier>(w));
    case TypeId::Permission:
      if (w > 1) throwAt(where, "permission " + std::to_string(w) + " is not 0 (public) or 1 (private)");
      return Value(static_cast<Permission>(w));
    case TypeId::Variability:
      // 2 is the legacy "config" variability, read as uniform (§14).
      if (w > 2) throwAt(where, "variability " + std::to_string(w) + " is not 0 (varying), 1 (uniform) or 2 (config)");
      return Value(w == 0 ? Variability::Varying : Variability::Uniform);
    case TypeId::ValueBlock: return Value(ValueBlock{});
    case TypeId::AnimationBlock: return Value(AnimationBlock{});

    // Inlined when the value qualifies (§9).
    case TypeId::Int64:
      if (rep.isInlined()) return Value(static_cast<std::int64_t>(static_cast<std::int32_t>(w)));
      break;
    case TypeId::UInt64:
      if (rep.isInlined()) return Value(static_cast<std::uint64_t>(w));
      break;
    case TypeId::Double:
      if (rep.isInlined()) {
        float f;
        std::memcpy(&f, &w, 4);
        return Value(static_cast<double>(f));
      }
      break;
    case TypeId::Vec2d: if (rep.isInlined()) return Value(inlineVec<double, 2>(w)); break;
    case TypeId::Vec2f: if (rep.isInlined()) return Value(inlineVec<float, 2>(w)); break;
    case TypeId::Vec2i: if (rep.isInlined()) return Value(inlineVec<std::int32_t, 2>(w)); break;
    case TypeId::Vec3d: if (rep.isInlined()) return Value(inlineVec<double, 3>(w)); break;
    case TypeId::Vec3f: if (rep.isInlined()) return Value(inlineVec<float, 3>(w)); break;
    case TypeId::Vec3h: if (rep.isInlined()) return Value(inlineVec<Half, 3>(w)); break;
    case TypeId::Vec3i: if (rep.isInlined()) return Value(inlineVec<std::int32_t, 3>(w)); break;
    case TypeId::Vec4d: if (rep.isInlined()) return Value(inlineVec<double, 4>(w)); break;
    case TypeId::Vec4f: if (rep.isInlined()) return Value(inlineVec<float, 4>(w)); break;
    case TypeId::Vec4h: if (rep.isInlined()) return Value(inlineVec<Half, 4>(w)); break;
    case TypeId::Vec4i: if (rep.isInlined()) return Value(inlineVec<std::int32_t, 4>(w)); break;
    case TypeId::Matrix2d: if (rep.isInlined()) return Value(inlineMatrix<2>(w)); break;
    case TypeId::Matrix3d: if (rep.isInlined()) return Value(inlineMatrix<3>(w)); break;
    case TypeId::Matrix4d: if (rep.isInlined()) return Value(inlineMatrix<4>(w)); break;
    case TypeId::Dictionary: if (rep.isInlined()) return Value(Dictionary{}); break;
    default: break;
  }

  // Everything else lives at the payload offset; types that have no inline
  // form read as their default when flagged inline (as in OpenUSD).
  const bool neverInline = rep.isInlined();
  switch (type) {
    case TypeId::Int64: case TypeId::UInt64: case TypeId::Double:
    case TypeId::Matrix2d: case TypeId::Matrix3d: case TypeId::Matrix4d:
    case TypeId::Vec2d: case TypeId::Vec2f: case TypeId::Vec2i: case TypeId::Vec3d: case TypeId::Vec3f:
    case TypeId::Vec3h: case TypeId::Vec3i: case TypeId::Vec4d: case TypeId::Vec4f: case TypeId::Vec4h:
    case TypeId::Vec4i: case TypeId::Dictionary: {
      ByteReader r = at(rep, where);
      return decodeScalarOutOfLine(rep, r);
    }
    default: break;
  }
  std::optional<ByteReader> reader;
  if (!neverInline) reader.emplace(at(rep, where));
  ByteReader* r = reader ? &*reader : nullptr;
  auto readToken = [&](ByteReader& in) {
    const std::uint64_t a = in.pos();
    return file_.token(in.read<std::uint32_t>("a token index"), a);
  };
  auto readString = [&](ByteReader& in) {
    const std::uint64_t a = in.pos();
    return file_.string(in.read<std::uint32_t>("a string index"), a).string();
  };
  auto readPath = [&](ByteReader& in) {
    const std::uint64_t a = in.pos();
    return file_.path(in.read<std::uint32_t>("a path index"), a);
  };
  auto readRawItem = [](auto tag) {
    return [](ByteReader& in) { return in.read<typename decltype(tag)::type>("a list item"); };
  };

  switch (type) {
    case TypeId::Quatd: return Value(oneOrDefault<Quatd>(rep, r, "a quatd"));
    case TypeId::Quatf: return Value(oneOrDefault<Quatf>(rep, r, "a quatf"));
    case TypeId::Quath: return Value(oneOrDefault<Quath>(rep, r, "a quath"));
    case TypeId::TimeCode: return Value(TimeCode{oneOrDefault<double>(rep, r, "a timecode")});
    default: break;
  }
  if (!r) {
    switch (type) {
      case TypeId::TokenListOp: return Value(TokenListOp{});
      case TypeId::StringListOp: return Value(StringListOp{});
      case TypeId::PathListOp: return Value(PathListOp{});
      case TypeId::ReferenceListOp: return Value(ReferenceListOp{});
      case TypeId::IntListOp: return Value(IntListOp{});
      case TypeId::Int64ListOp: return Value(Int64ListOp{});
      case TypeId::UIntListOp: return Value(UIntListOp{});
      case TypeId::UInt64ListOp: return Value(UInt64ListOp{});
      case TypeId::PayloadListOp: return Value(PayloadListOp{});
      case TypeId::UnregisteredValueListOp: return Value(UnregisteredListOp{});
      case TypeId::PathVector: return Value(PathVector{});
      case TypeId::TokenVector: return Value(TokenVector{});
      case TypeId::DoubleVector: return Value(DoubleVector{});
      case TypeId::LayerOffsetVector: return Value(LayerOffsetVector{});
      case TypeId::StringVector: return Value(StringVector{});
      case TypeId::VariantSelectionMap: return Value(VariantSelectionMap{});
      case TypeId::TimeSamples: return Value(TimeSamples{});
      case TypeId::Payload: return Value(Payload{});
      case TypeId::PathExpression: return Value(PathExpression{});
      case TypeId::Relocates: return Value(Relocates{});
      case TypeId::Spline: return Value(Spline{});
      case TypeId::Value: case TypeId::UnregisteredValue: return Value(UnregisteredValue{});
      default: break;
    }
    throwAt(where, "value of type " + std::to_string(typeByte) + " cannot be inlined");
  }

  switch (type) {
    case TypeId::TokenListOp: return Value(readListOp<Token>(*r, 4, readToken));
    case TypeId::StringListOp: return Value(readListOp<std::string>(*r, 4, readString));
    case TypeId::PathListOp: return Value(readListOp<Path>(*r, 4, readPath));
    case TypeId::ReferenceListOp:
      return Value(readListOp<Reference>(*r, 32, [&](ByteReader& in) { return readReference(in); }));
    case TypeId::IntListOp: return Value(readListOp<std::int32_t>(*r, 4, readRawItem(std::type_identity<std::int32_t>{})));
    case TypeId::Int64ListOp: return Value(readListOp<std::int64_t>(*r, 8, readRawItem(std::type_identity<std::int64_t>{})));
    case TypeId::UIntListOp: return Value(readListOp<std::uint32_t>(*r, 4, readRawItem(std::type_identity<std::uint32_t>{})));
    case TypeId::UInt64ListOp:
      return Value(readListOp<std::uint64_t>(*r, 8, readRawItem(std::type_identity<std::uint64_t>{})));
    case TypeId::PayloadListOp:
      return Value(readListOp<Payload>(*r, file_.version >= kPayloadOffsetVersion ? 24 : 8,
                                       [&](ByteReader& in) { return readPayload(in); }));
    case TypeId::UnregisteredValueListOp:
      return Value(readListOp<UnregisteredValue>(*r, 16, [&](ByteReader& in) { return readUnregisteredItem(in); }));
    case TypeId::PathVector: return Value(PathVector{readVector<Path>(*r, 4, readPath)});
    case TypeId::TokenVector: return Value(TokenVector{readVector<Token>(*r, 4, readToken)});
    case TypeId::DoubleVector: return Value(DoubleVector{readVector<double>(*r, 8, readRawItem(std::type_identity<double>{}))});
    case TypeId::LayerOffsetVector:
      return Value(LayerOffsetVector{readVector<LayerOffset>(*r, 16, [](ByteReader& in) {
        LayerOffset o;
        o.offset = in.read<double>("a layer offset");
        o.scale = in.read<double>("a layer scale");
        return o;
      })});
    case TypeId::StringVector: return Value(StringVector{readVector<std::string>(*r, 4, readString)});
    case TypeId::VariantSelectionMap: {
      const std::uint64_t count = r->readCount(8, "variant selection count");
      budget_.charge(Budget::times(count, 96), where);
      VariantSelectionMap map;
      for (std::uint64_t i = 0; i < count; ++i) {
        std::string set = readString(*r);
        map.selections.insert_or_assign(std::move(set), readString(*r));
      }
      return Value(std::move(map));
    }
    case TypeId::TimeSamples: return readTimeSamples(*r);
    case TypeId::Payload: return Value(readPayload(*r));
    case TypeId::PathExpression: return Value(PathExpression{readString(*r)});
    case TypeId::Relocates: {
      Relocates relocates;
      relocates.entries = readVector<std::pair<Path, Path>>(*r, 8, [&](ByteReader& in) {
        Path source = readPath(in);
        return std::pair<Path, Path>(std::move(source), readPath(in));
      });
      return Value(std::move(relocates));
    }
    case TypeId::Spline: return readSpline(*r);
    case TypeId::Value: return readNestedValue(*r);
    case TypeId::UnregisteredValue: {
      const std::uint64_t a = r->pos();
      Value inner = readNestedValue(*r);
      if (const std::string* s = inner.getIf<std::string>()) return Value(UnregisteredValue{*s});
      if (inner.is<Dictionary>() || inner.is<UnregisteredListOp>() || inner.is<UnregisteredValue>()) return inner;
      throwAt(a, "unregistered value holds neither a string, a dictionary nor a list op");
    }
    default: break;
  }
  throwAt(where, "value type " + std::to_string(typeByte) + " is not supported here");
}

Value ValueDecoder::decodeField(ValueRep rep, FieldRole role, std::uint64_t where) {
  Value v = decode(rep, where);
  switch (role) {
    case FieldRole::Plain: break;
    case FieldRole::Payload:
      if (const Payload* p = v.getIf<Payload>()) {
        PayloadListOp op;
        if (p->assetPath.empty()) op.clearAndMakeExplicit();
        else op.set(PayloadListOp::Slot::Explicit, {*p});
        return Value(std::move(op));
      }
      break;
    case FieldRole::StringDictionary:
      if (const Dictionary* d = v.getIf<Dictionary>()) {
        StringDictionary out;
        for (const auto& [key, value] : d->entries) {
          const std::string* s = value.getIf<std::string>();
          if (!s) throwAt(where, "substitution '" + key + "' does not map to a string");
          out.entries.emplace(key, *s);
        }
        return Value(std::move(out));
      }
      break;
    case FieldRole::PrimRelocates:
      if (const Relocates* r = v.getIf<Relocates>()) {
        RelocatesMap map;
        for (const auto& entry : r->entries) {
          auto it = std::find_if(map.entries.begin(), map.entries.end(), [&](const auto& e) { return e.first == entry.first; });
          if (it != map.entries.end()) it->second = entry.second;
          else map.entries.push_back(entry);
        }
        std::sort(map.entries.begin(), map.entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        return Value(std::move(map));
      }
      break;
  }
  return v;
}

bool ValueDecoder::isBulky(ValueRep rep, std::uint64_t where) {
  const std::uint8_t typeByte = rep.typeByte();
  if (typeByte == 0 || typeByte >= kTypeCount) return false;  // decoding reports it
  const TypeId type = rep.type();
  // Edits are decoded when the layer is read (their literals are mostly
  // few), so a damaged one is reported at once.
  if (rep.isArrayEdit()) return false;
  if (rep.isArray() && supportsArrays(type)) return rep.payload() != 0;
  switch (type) {
    case TypeId::Dictionary: return !rep.isInlined();
    case TypeId::Spline: return !rep.isInlined();
    case TypeId::Value:
    case TypeId::UnregisteredValue: {
      if (rep.isInlined()) return false;
      NestingGuard guard(depth_, ancestry_, rep, where);
      ByteReader r = at(rep, where);
      std::uint64_t innerAt = 0;
      const ValueRep inner = readNestedRep(r, &innerAt);
      return isBulky(inner, innerAt);
    }
    case TypeId::TimeSamples: {
      if (rep.isInlined()) return false;
      ByteReader r = at(rep, where);
      std::uint64_t timesAt = 0;
      const ValueRep timesRep = readNestedRep(r, &timesAt);
      if (timesRep.type() != TypeId::DoubleVector || timesRep.isInlined() || timesRep.isArray()) return false;
      ByteReader times = at(timesRep, timesAt);
      const std::uint64_t count = times.readCount(8, "time sample count");
      const std::uint64_t q = r.pos();
      const auto d = r.read<std::int64_t>("a time samples distance");
      if (d < 8 || static_cast<std::uint64_t>(d) > r.end() - q) return false;
      r.seek(q + static_cast<std::uint64_t>(d));
      if (r.readCount(8, "time sample value count") != count) return false;
      for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t repAt = r.pos();
        const ValueRep sample(r.read<std::uint64_t>("a sample value"));
        if (sample.type() != TypeId::TimeSamples && isBulky(sample, repAt)) return true;
      }
      return false;
    }
    default: return false;
  }
}

Expected<Value> CrateLazyValue::load() const {
  try {
    Budget budget = file_->makeBudget();
    ValueDecoder decoder(*file_, budget);
    return decoder.decodeField(rep_, role_, where_);
  } catch (const CrateError& e) {
    return formatError(file_->name, e);
  }
}

}  // namespace usdkit::crate
