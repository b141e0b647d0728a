// Packing values into ValueReps (docs/crate-format.md §7-§13): inline
// words, out-of-line scalars, arrays (raw, integer-coded and float-coded),
// dictionaries, list ops, vectors, payloads, relocates, splines, array
// edits and time samples. Identical values share one encoding, as in
// OpenUSD.
#include <algorithm>
#include <cmath>
#include <memory_resource>
#include <unordered_map>

#include "io/crate/Compression.h"
#include "io/crate/CrateArrayEdit.h"
#include "io/crate/CratePacking.h"
#include "io/crate/CrateValueTraits.h"

namespace usdkit::crate {

namespace {

// Arrays shorter than this are never compressed (OpenUSD's
// MinCompressedArraySize; readers rely on it).
constexpr std::size_t kMinCompressedArraySize = 16;

// Dedup kinds outside the Value variant's index range.
constexpr std::uint32_t kWrappedKindBit = 1u << 16;
constexpr std::uint32_t kTimeSamplesKind = 1u << 17;
constexpr std::uint32_t kDoubleVectorKind = 1u << 18;

// A value packed before, by its deduplication key.
struct DedupEntry {
  const char* key;
  std::size_t size;
  std::uint32_t kind;
  ValueRep rep;
};

ValueRep inlineRep(TypeId type, std::uint32_t word) { return ValueRep(type, true, false, word); }
ValueRep offsetRep(TypeId type, std::size_t offset, bool isArray = false) {
  return ValueRep(type, false, isArray, offset);
}

// Paths in deduplication keys are numbers, one per distinct path (paths
// are compared by identity; their texts are never built for a key).
using PathIds = std::unordered_map<Path, std::uint32_t>;

// Canonical bytes of a value for deduplication: equal bytes mean the
// encodings are interchangeable. Numbers are compared bit for bit.
class KeyWriter {
 public:
  KeyWriter(std::string& out, const LoadedValues& loaded, PathIds& pathIds)
      : s_(out), loaded_(loaded), pathIds_(pathIds) {}

  template <class T>
  void raw(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    s_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void text(std::string_view t) {
    raw<std::uint64_t>(t.size());
    s_.append(t);
  }
  void count(std::size_t n) { raw<std::uint64_t>(n); }

  void item(const std::string& v) { text(v); }
  void item(const Token& v) { text(v.str()); }
  void item(const Path& v) {
    raw<std::uint32_t>(pathIds_.try_emplace(v, static_cast<std::uint32_t>(pathIds_.size())).first->second);
  }
  void item(const AssetPath& v) { text(v.path); }
  void item(const PathExpression& v) { text(v.text); }
  void item(const UnregisteredValue& v) { text(v.text); }
  void item(const LayerOffset& v) { raw(v.offset), raw(v.scale); }
  void item(const Payload& v) { text(v.assetPath), item(v.primPath), item(v.layerOffset); }
  void item(const Reference& v) {
    text(v.assetPath), item(v.primPath), item(v.layerOffset);
    if (v.hasCustomData()) item(*v.customData);
    else count(0);
  }
  void item(const Dictionary& d) {
    count(d.entries.size());
    for (const auto& [k, v] : d.entries) text(k), value(v);
  }
  void item(const StringDictionary& d) {
    count(d.entries.size());
    for (const auto& [k, v] : d.entries) text(k), text(v);
  }
  void item(const VariantSelectionMap& m) {
    count(m.selections.size());
    for (const auto& [k, v] : m.selections) text(k), text(v);
  }
  void item(const Relocates& r) {
    count(r.entries.size());
    for (const auto& [a, b] : r.entries) item(a), item(b);
  }
  template <class T>
  void item(const ListOp<T>& op) {
    raw<std::uint8_t>(op.isExplicit);
    for (const auto* list : {&op.explicitItems, &op.addedItems, &op.prependedItems, &op.appendedItems,
                             &op.deletedItems, &op.orderedItems})
      items(*list);
  }
  void item(const TokenVector& v) { items(v.items); }
  void item(const StringVector& v) { items(v.items); }
  void item(const PathVector& v) { items(v.items); }
  void item(const DoubleVector& v) { items(v.items); }
  void item(const LayerOffsetVector& v) { items(v.items); }
  void item(const Spline& sp) {
    raw(sp.valueType), raw(sp.timeValued), raw(sp.curveType);
    raw(sp.preExtrapolation.mode), raw(sp.preExtrapolation.slope);
    raw(sp.postExtrapolation.mode), raw(sp.postExtrapolation.slope);
    raw(sp.hasLoops), raw(sp.loops.protoStart), raw(sp.loops.protoEnd);
    raw(sp.loops.numPreLoops), raw(sp.loops.numPostLoops), raw(sp.loops.valueOffset);
    count(sp.knots.size());
    for (const Spline::Knot& k : sp.knots) {
      raw(k.time), raw(k.value), raw(k.dualValued), raw(k.preValue), raw(k.preTanWidth), raw(k.preTanSlope);
      raw(k.postTanWidth), raw(k.postTanSlope), raw(k.nextInterp);
      if (k.customData) item(*k.customData);
      else count(0);
    }
  }
  void item(const ArrayEdit& e) {
    raw(e.kind);
    value(e.literals);
    count(e.ops.size());
    for (const ArrayEditOp& op : e.ops) raw(op.code), raw(op.a), raw(op.b);
  }
  void item(const bool& v) { raw<std::uint8_t>(v); }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void item(const T& v) {
    raw(v);
  }
  template <class T>
  void items(const std::vector<T>& v) {
    count(v.size());
    if constexpr (std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>) {
      s_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    } else {
      for (const auto& x : v) item(x);
    }
  }
  // A nested value: its variant alternative, then its content.
  void value(const Value& v0) {
    const Value& v = loaded_.resolve(v0);
    raw<std::uint32_t>(static_cast<std::uint32_t>(v.storage().index()));
    v.visit([&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, std::monostate> || std::is_same_v<T, LazyValue> ||
                    std::is_same_v<T, TimeSamples> || std::is_same_v<T, RelocatesMap> ||
                    std::is_same_v<T, ValueBlock> || std::is_same_v<T, AnimationBlock> ||
                    std::is_same_v<T, Opaque>) {
        // Unsupported or content-free: the alternative index says it all.
      } else if constexpr (IsStdVector<T>::value) {
        items(x);
      } else {
        item(x);
      }
    });
  }

 private:
  std::string& s_;
  const LoadedValues& loaded_;
  PathIds& pathIds_;
};

// OpenUSD's exact equality for the float lookup table: -0.0 equals 0.0 and
// NaN equals nothing, so the table is keyed by the bits with zero folded.
template <class T>
bool lutKey(T v, std::uint64_t* key) {
  if constexpr (std::is_same_v<T, Half>) {
    if ((v.bits & 0x7c00u) == 0x7c00u && (v.bits & 0x3ffu) != 0) return false;
    *key = (v.bits & 0x7fffu) == 0 ? 0 : v.bits;
  } else {
    if (std::isnan(v)) return false;
    if (v == T(0)) v = T(0);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    *key = bits;
  }
  return true;
}

// Whether a float element is exactly an int32 (the 'i' array coding).
template <class T>
bool integralValue(T v, std::int32_t* out) {
  double d;
  if constexpr (std::is_same_v<T, Half>) d = v.toFloat();
  else d = static_cast<double>(v);
  if (!(d >= -2147483648.0 && d < 2147483648.0)) return false;
  const auto i = static_cast<std::int32_t>(d);
  if (static_cast<double>(i) != d) return false;
  *out = i;
  return true;
}

}  // namespace

struct ValueEncoder::Impl {
  Impl(ByteSink& o, StructureTables& t, const LoadedValues& l, Encoding e) : out(o), tables(t), loaded(l), enc(e) {}

  ByteSink& out;
  StructureTables& tables;
  const LoadedValues& loaded;
  Encoding enc;
  // The deduplication kind of int64[] values, which an edit's op stream
  // shares its encodings with.
  const std::uint32_t int64ArrayKind = static_cast<std::uint32_t>(
      Value::Storage(std::in_place_type<std::shared_ptr<const std::vector<std::int64_t>>>).index());

  EntryIndex dedup;
  std::vector<DedupEntry> packed;
  // Copies of the keys that do not outlive the writer, in one arena (a
  // string per key cost a heap block per value).
  std::pmr::monotonic_buffer_resource keyArena;
  PathIds pathIds;

  // Returns the rep of an equal value packed before, or writes this one.
  // `stable` says the key bytes outlive the writer (they point into a
  // value); otherwise they are copied.
  template <class Write>
  ValueRep deduplicated(std::uint32_t kind, std::string_view key, bool stable, Write&& write) {
    const std::size_t hash = hashText(key) ^ (static_cast<std::size_t>(kind) * 0x9E3779B97F4A7C15ull);
    auto same = [&](std::uint32_t i) {
      const DedupEntry& e = packed[i];
      return e.kind == kind && std::string_view(e.key, e.size) == key;
    };
    if (auto found = dedup.find(hash, same)) return packed[*found].rep;
    // Writing may pack nested values first, so the entry is added after.
    const ValueRep rep = write();
    const char* stored = key.data();
    if (!stable && !key.empty()) {
      char* copy = static_cast<char*>(keyArena.allocate(key.size(), 1));
      std::memcpy(copy, key.data(), key.size());
      stored = copy;
    }
    dedup.add(hash, static_cast<std::uint32_t>(packed.size()));
    packed.push_back({stored, key.size(), kind, rep});
    return rep;
  }
  template <class T, class Write>
  ValueRep deduplicatedItem(std::uint32_t kind, const T& v, Write&& write) {
    std::string key;
    KeyWriter(key, loaded, pathIds).item(v);
    return deduplicated(kind, key, false, std::forward<Write>(write));
  }

  void putCount(std::size_t n) {
    if (enc.wideArrayCounts()) out.put<std::uint64_t>(n);
    else out.put<std::uint32_t>(static_cast<std::uint32_t>(n));
  }

  // ---- element writers (the bodies of vectors, lists and arrays) ----------

  template <class T>
  void putElements(std::span<const T> items) {
    if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Token> || std::is_same_v<T, Path> ||
                  std::is_same_v<T, AssetPath> || std::is_same_v<T, PathExpression>) {
      std::vector<std::uint32_t> indexes(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) indexes[i] = indexOf(items[i]);
      out.putArray(std::span<const std::uint32_t>(indexes));
    } else if constexpr (std::is_same_v<T, Reference> || std::is_same_v<T, Payload> ||
                         std::is_same_v<T, UnregisteredValue>) {
      for (const T& item : items) putItem(item);
    } else {
      out.putArray(items);
    }
  }
  void putElements(const std::vector<bool>& items) {
    std::vector<std::uint8_t> bytes(items.begin(), items.end());
    out.putArray(std::span<const std::uint8_t>(bytes));
  }
  template <class T>
  void putVector(const std::vector<T>& items) {
    out.put<std::uint64_t>(items.size());
    putElements(std::span<const T>(items));
  }

  // Strings, asset paths and expressions inside structures are StringIndexes
  // (an asset path *scalar* is a TokenIndex, see packScalar).
  std::uint32_t indexOf(const std::string& s) { return tables.string(s); }
  std::uint32_t indexOf(const Token& t) { return tables.token(t); }
  std::uint32_t indexOf(const Path& p) { return tables.path(p); }
  std::uint32_t indexOf(const AssetPath& a) { return tables.string(a.path); }
  std::uint32_t indexOf(const PathExpression& e) { return tables.string(e.text); }

  void putItem(const Payload& p) {
    out.put<std::uint32_t>(tables.string(p.assetPath));
    out.put<std::uint32_t>(tables.path(p.primPath));
    // Whether the offset is present depends on the file version only.
    if (enc.payloadLayerOffsets()) out.put(p.layerOffset);
  }
  void putItem(const Reference& r) {
    out.put<std::uint32_t>(tables.string(r.assetPath));
    out.put<std::uint32_t>(tables.path(r.primPath));
    out.put(r.layerOffset);
    if (r.customData) putDictionaryBody(*r.customData);
    else out.put<std::uint64_t>(0);
  }
  void putItem(const UnregisteredValue& u) { putNested(Value(u.text)); }

  // A nested value record: the distance to the rep, the nested value's own
  // out-of-line data (if it is new), then its rep.
  void putNested(const Value& v) {
    const std::size_t start = out.tell();
    out.put<std::int64_t>(0);
    const ValueRep rep = pack(v);
    out.patch<std::int64_t>(start, static_cast<std::int64_t>(out.tell() - start));
    out.put(rep.bits());
  }
  void putNestedRep(ValueRep rep) {
    out.put<std::int64_t>(8);
    out.put(rep.bits());
  }
  void putDictionaryBody(const Dictionary& d) {
    out.put<std::uint64_t>(d.entries.size());
    for (const auto& [key, value] : d.entries) {
      out.put<std::uint32_t>(tables.string(key));
      putNested(value);
    }
  }

  // ---- scalars --------------------------------------------------------------

  template <class T>
  ValueRep packScalar(std::uint32_t kind, const T& v) {
    constexpr TypeId type = kScalarTypeId<T>;
    if constexpr (kAlwaysInlinedRaw<T>) {
      return inlineRep(type, rawInlineWord(v));
    } else if constexpr (std::is_same_v<T, std::string>) {
      return inlineRep(type, tables.string(v));
    } else if constexpr (std::is_same_v<T, Token>) {
      return inlineRep(type, tables.token(v));
    } else if constexpr (std::is_same_v<T, AssetPath>) {
      return inlineRep(type, tables.token(std::string_view(v.path)));
    } else if constexpr (std::is_same_v<T, PathExpression>) {
      return deduplicated(kind, v.text, false, [&] {
        const std::size_t at = out.tell();
        out.put<std::uint32_t>(tables.string(v.text));
        return offsetRep(type, at);
      });
    } else {
      std::uint32_t word = 0;
      if (conditionalInlineWord(v, &word)) return inlineRep(type, word);
      const std::string_view key(reinterpret_cast<const char*>(&v), sizeof(T));
      return deduplicated(kind, key, false, [&] {
        const std::size_t at = out.tell();
        out.put(v);
        return offsetRep(type, at);
      });
    }
  }

  // ---- arrays -----------------------------------------------------------------

  template <class T>
  ValueRep packArray(std::uint32_t kind, const std::vector<T>& a) {
    constexpr TypeId type = kScalarTypeId<T>;
    if (a.empty()) return offsetRep(type, 0, true);
    auto write = [&] { return writeArray(a); };
    if constexpr (std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>) {
      // The array's own bytes are the key; the value outlives the writer.
      const std::string_view key(reinterpret_cast<const char*>(a.data()), a.size() * sizeof(T));
      return deduplicated(kind, key, true, write);
    } else {
      std::string key;
      KeyWriter(key, loaded, pathIds).items(a);
      return deduplicated(kind, key, false, write);
    }
  }

  template <class T>
  ValueRep writeArray(const std::vector<T>& a) {
    constexpr TypeId type = kScalarTypeId<T>;
    if (enc.arrayRank()) {
      const std::size_t at = out.align(8);
      out.put<std::uint32_t>(1);
      out.put<std::uint32_t>(static_cast<std::uint32_t>(a.size()));
      putArrayElements(a);
      return offsetRep(type, at, true);
    }
    if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t> ||
                  std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
      // Not aligned: the elements are either few or coded.
      ValueRep rep = offsetRep(type, out.tell(), true);
      putCount(a.size());
      if (a.size() < kMinCompressedArraySize) {
        out.putArray(std::span<const T>(a));
      } else {
        out.putBytes(encodeIntBlock<T>(std::span<const T>(a)));
        rep.setCompressed(true);
      }
      return rep;
    } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, float> || std::is_same_v<T, double>) {
      if (enc.compressedFloats() && a.size() >= kMinCompressedArraySize) {
        if (auto rep = writeCodedFloats(a)) return *rep;
      }
      return writeRawArray(a);
    } else {
      return writeRawArray(a);
    }
  }

  template <class T>
  void putArrayElements(const std::vector<T>& a) {
    if constexpr (std::is_same_v<T, bool>) putElements(a);
    else putElements(std::span<const T>(a));
  }

  template <class T>
  ValueRep writeRawArray(const std::vector<T>& a) {
    // Aligned so a reader can use mapped elements in place.
    const std::size_t at = out.align(8);
    putCount(a.size());
    putArrayElements(a);
    return offsetRep(kScalarTypeId<T>, at, true);
  }

  // The 'i' (all integral) and 't' (lookup table) codings of §11.4, or
  // nothing when neither applies.
  template <class T>
  std::optional<ValueRep> writeCodedFloats(const std::vector<T>& a) {
    constexpr TypeId type = kScalarTypeId<T>;
    const std::size_t n = a.size();
    std::vector<std::int32_t> ints(n);
    bool integral = true;
    for (std::size_t i = 0; i < n && integral; ++i) integral = integralValue(a[i], &ints[i]);
    if (integral) {
      ValueRep rep = offsetRep(type, out.tell(), true);
      rep.setCompressed(true);
      putCount(n);
      out.put<std::int8_t>('i');
      out.putBytes(encodeIntBlock<std::int32_t>(std::span<const std::int32_t>(ints)));
      return rep;
    }
    // A table of at most min(n/4, 1024) distinct values, in first-seen
    // order; give up as soon as one more would be needed.
    const std::size_t maxLut = std::min<std::size_t>(n / 4, 1024);
    std::vector<T> lut;
    std::unordered_map<std::uint64_t, std::uint32_t> lutIndex;
    std::vector<std::uint32_t> indexes(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t key = 0;
      const bool comparable = lutKey(a[i], &key);
      if (comparable) {
        if (auto it = lutIndex.find(key); it != lutIndex.end()) {
          indexes[i] = it->second;
          continue;
        }
      }
      if (lut.size() == maxLut) return std::nullopt;
      indexes[i] = static_cast<std::uint32_t>(lut.size());
      if (comparable) lutIndex.emplace(key, indexes[i]);
      lut.push_back(a[i]);
    }
    ValueRep rep = offsetRep(type, out.tell(), true);
    rep.setCompressed(true);
    putCount(n);
    out.put<std::int8_t>('t');
    out.put<std::uint32_t>(static_cast<std::uint32_t>(lut.size()));
    out.putArray(std::span<const T>(lut));
    out.putBytes(encodeIntBlock<std::uint32_t>(std::span<const std::uint32_t>(indexes)));
    return rep;
  }

  // ---- structures -------------------------------------------------------------

  template <class T>
  ValueRep packListOp(std::uint32_t kind, const ListOp<T>& op) {
    constexpr TypeId type = kListOpTypeId<T>;
    return deduplicatedItem(kind, op, [&] {
      const std::size_t at = out.tell();
      std::uint8_t header = op.isExplicit ? 0x01 : 0;
      if (!op.explicitItems.empty()) header |= 0x02;
      if (!op.addedItems.empty()) header |= 0x04;
      if (!op.deletedItems.empty()) header |= 0x08;
      if (!op.orderedItems.empty()) header |= 0x10;
      if (!op.prependedItems.empty()) header |= 0x20;
      if (!op.appendedItems.empty()) header |= 0x40;
      out.put(header);
      // Body order differs from the bit order.
      for (const auto* list : {&op.explicitItems, &op.addedItems, &op.prependedItems, &op.appendedItems,
                               &op.deletedItems, &op.orderedItems})
        if (!list->empty()) putVector(*list);
      return offsetRep(type, at);
    });
  }

  template <class T, class Write>
  ValueRep packStructure(std::uint32_t kind, TypeId type, const T& v, Write&& body) {
    return deduplicatedItem(kind, v, [&] {
      const std::size_t at = out.tell();
      body();
      return offsetRep(type, at);
    });
  }

  ValueRep packDictionary(std::uint32_t kind, const Dictionary& d) {
    if (d.entries.empty()) return inlineRep(TypeId::Dictionary, 0);
    return packStructure(kind, TypeId::Dictionary, d, [&] { putDictionaryBody(d); });
  }
  ValueRep packStringDictionary(std::uint32_t kind, const StringDictionary& d) {
    // OpenUSD holds these as a VtDictionary of strings.
    if (d.entries.empty()) return inlineRep(TypeId::Dictionary, 0);
    return packStructure(kind, TypeId::Dictionary, d, [&] {
      out.put<std::uint64_t>(d.entries.size());
      for (const auto& [key, value] : d.entries) {
        out.put<std::uint32_t>(tables.string(key));
        putNestedRep(inlineRep(TypeId::String, tables.string(value)));
      }
    });
  }

  ValueRep packSpline(std::uint32_t kind, const Spline& sp);
  ValueRep packArrayEdit(std::uint32_t kind, const ArrayEdit& edit);

  ValueRep pack(const Value& v0, FieldWrap wrap = FieldWrap::None) {
    const Value& v = loaded.resolve(v0);
    const auto kind = static_cast<std::uint32_t>(v.storage().index());
    if (wrap == FieldWrap::Unregistered) {
      std::string key;
      KeyWriter(key, loaded, pathIds).value(v);
      return deduplicated(kind | kWrappedKindBit, key, false, [&] {
        const std::size_t at = out.tell();
        putNested(v);
        return offsetRep(TypeId::UnregisteredValue, at);
      });
    }
    return v.visit([&](const auto& x) -> ValueRep {
      using T = std::decay_t<decltype(x)>;
      if constexpr (IsStdVector<T>::value) {
        return packArray(kind, x);
      } else if constexpr (kScalarTypeId<T> != TypeId::Invalid) {
        return packScalar(kind, x);
      } else if constexpr (IsListOpType<T>::value) {
        return packListOp(kind, x);
      } else if constexpr (std::is_same_v<T, ValueBlock>) {
        return inlineRep(TypeId::ValueBlock, 0);
      } else if constexpr (std::is_same_v<T, AnimationBlock>) {
        // Always inlined; current OpenUSD asks for no newer file version.
        return inlineRep(TypeId::AnimationBlock, 0);
      } else if constexpr (std::is_same_v<T, Specifier> || std::is_same_v<T, Permission> ||
                           std::is_same_v<T, Variability>) {
        constexpr TypeId type = std::is_same_v<T, Specifier>    ? TypeId::Specifier
                                : std::is_same_v<T, Permission> ? TypeId::Permission
                                                                : TypeId::Variability;
        return inlineRep(type, static_cast<std::uint32_t>(x));
      } else if constexpr (std::is_same_v<T, Dictionary>) {
        return packDictionary(kind, x);
      } else if constexpr (std::is_same_v<T, StringDictionary>) {
        return packStringDictionary(kind, x);
      } else if constexpr (std::is_same_v<T, TokenVector>) {
        return packStructure(kind, TypeId::TokenVector, x, [&] { putVector(x.items); });
      } else if constexpr (std::is_same_v<T, StringVector>) {
        return packStructure(kind, TypeId::StringVector, x, [&] { putVector(x.items); });
      } else if constexpr (std::is_same_v<T, PathVector>) {
        return packStructure(kind, TypeId::PathVector, x, [&] { putVector(x.items); });
      } else if constexpr (std::is_same_v<T, DoubleVector>) {
        return packDoubles(x.items);
      } else if constexpr (std::is_same_v<T, LayerOffsetVector>) {
        return packStructure(kind, TypeId::LayerOffsetVector, x, [&] { putVector(x.items); });
      } else if constexpr (std::is_same_v<T, VariantSelectionMap>) {
        return packStructure(kind, TypeId::VariantSelectionMap, x, [&] {
          out.put<std::uint64_t>(x.selections.size());
          for (const auto& [set, selection] : x.selections) {
            out.put<std::uint32_t>(tables.string(set));
            out.put<std::uint32_t>(tables.string(selection));
          }
        });
      } else if constexpr (std::is_same_v<T, Payload>) {
        return packStructure(kind, TypeId::Payload, x, [&] { putItem(x); });
      } else if constexpr (std::is_same_v<T, Relocates>) {
        return packStructure(kind, TypeId::Relocates, x, [&] {
          out.put<std::uint64_t>(x.entries.size());
          for (const auto& [source, target] : x.entries) {
            out.put<std::uint32_t>(tables.path(source));
            out.put<std::uint32_t>(tables.path(target));
          }
        });
      } else if constexpr (std::is_same_v<T, UnregisteredValue>) {
        return packStructure(kind, TypeId::UnregisteredValue, x, [&] { putNested(Value(x.text)); });
      } else if constexpr (std::is_same_v<T, Spline>) {
        return packSpline(kind, x);
      } else if constexpr (std::is_same_v<T, ArrayEdit>) {
        return packArrayEdit(kind, x);
      } else {
        // The planner refuses every other type before anything is written.
        return ValueRep(0);
      }
    });
  }

  // A DoubleVector (also the times of time samples, so both share).
  ValueRep packDoubles(std::span<const double> items) {
    const std::string_view bytes(reinterpret_cast<const char*>(items.data()), items.size_bytes());
    return deduplicated(kDoubleVectorKind, bytes, false, [&] {
      const std::size_t at = out.tell();
      out.put<std::uint64_t>(items.size());
      out.putArray(items);
      return offsetRep(TypeId::DoubleVector, at);
    });
  }

  ValueRep packTimeSamples(std::span<const double> times, std::span<const ValueRep> reps) {
    std::string key;
    key.append(reinterpret_cast<const char*>(times.data()), times.size_bytes());
    key.append(reinterpret_cast<const char*>(reps.data()), reps.size_bytes());
    return deduplicated(kTimeSamplesKind, key, false, [&] {
      const std::size_t at = out.tell();
      out.put<std::int64_t>(0);
      const ValueRep timesRep = packDoubles(times);
      out.patch<std::int64_t>(at, static_cast<std::int64_t>(out.tell() - at));
      out.put(timesRep.bits());
      // The sample values were packed before (grouped by time), so nothing
      // is written between the offset and the reps.
      out.put<std::int64_t>(8);
      out.put<std::uint64_t>(reps.size());
      out.putArray(reps);
      return offsetRep(TypeId::TimeSamples, at);
    });
  }
};

ValueRep ValueEncoder::Impl::packSpline(std::uint32_t kind, const Spline& sp) {
  return packStructure(kind, TypeId::Spline, sp, [&] {
    // The spline blob (Ts binary format version 1, §13).
    std::string blob;
    auto put = [&](const auto& v) { blob.append(reinterpret_cast<const char*>(&v), sizeof(v)); };
    auto putValue = [&](double v) {
      switch (sp.valueType) {
        case Spline::ValueType::Double: put(v); break;
        case Spline::ValueType::Float: put(static_cast<float>(v)); break;
        case Spline::ValueType::Half: put(Half::fromFloat(static_cast<float>(v))); break;
      }
    };
    const std::uint8_t typeCode = sp.valueType == Spline::ValueType::Double  ? 1
                                  : sp.valueType == Spline::ValueType::Float ? 2
                                                                             : 3;
    const bool hermite = sp.curveType == Spline::CurveType::Hermite;
    // OpenUSD writes loop parameters whenever they differ from the defaults.
    const bool hasLoops = !(sp.loops == Spline::LoopParams{});
    put(static_cast<std::uint8_t>(1 | typeCode << 4 | (sp.timeValued ? 0x40 : 0) | (hermite ? 0x80 : 0)));
    put(static_cast<std::uint8_t>(static_cast<std::uint8_t>(sp.preExtrapolation.mode) |
                                  static_cast<std::uint8_t>(sp.postExtrapolation.mode) << 3 |
                                  (hasLoops ? 0x40 : 0)));
    if (sp.preExtrapolation.mode == Spline::ExtrapMode::Sloped) put(sp.preExtrapolation.slope);
    if (sp.postExtrapolation.mode == Spline::ExtrapMode::Sloped) put(sp.postExtrapolation.slope);
    if (hasLoops) {
      put(sp.loops.protoStart), put(sp.loops.protoEnd);
      put(sp.loops.numPreLoops), put(sp.loops.numPostLoops);
      put(sp.loops.valueOffset);
    }
    put(static_cast<std::uint32_t>(sp.knots.size()));
    for (const Spline::Knot& k : sp.knots) {
      put(static_cast<std::uint8_t>((k.dualValued ? 1 : 0) | static_cast<std::uint8_t>(k.nextInterp) << 1 |
                                    (hermite ? 0x08 : 0)));
      put(k.time);
      putValue(k.value);
      if (k.dualValued) putValue(k.preValue);
      if (!hermite) put(k.preTanWidth), put(k.postTanWidth);
      putValue(k.preTanSlope);
      putValue(k.postTanSlope);
    }
    out.put<std::uint64_t>(blob.size());
    out.putBytes(blob.data(), blob.size());
    // Per-knot custom data, by knot time (OpenUSD iterates a hash map here;
    // time order keeps the output deterministic).
    std::size_t withData = 0;
    for (const Spline::Knot& k : sp.knots) withData += k.customData && !k.customData->entries.empty();
    out.put<std::uint64_t>(withData);
    for (const Spline::Knot& k : sp.knots) {
      if (!k.customData || k.customData->entries.empty()) continue;
      out.put(k.time);
      putDictionaryBody(*k.customData);
    }
  });
}

ValueRep ValueEncoder::Impl::packArrayEdit(std::uint32_t kind, const ArrayEdit& edit) {
  const TypeId type = withKindType(edit.kind, [](auto t) { return kScalarTypeId<typename decltype(t)::type>; });
  // The element type with the array-edit flag; the payload is the record's
  // offset, or 0 for the identity edit, which stores nothing else (literals
  // no operation names are not kept, so it reads back with none).
  auto editRep = [&](std::size_t at) { return ValueRep(ValueRep::kArrayEditBit | ValueRep(type, false, false, at).bits()); };
  if (edit.isIdentity()) return editRep(0);
  return deduplicatedItem(kind, edit, [&] {
    // Both arrays first, as ordinary values (shared with equal arrays).
    const Value& literals = loaded.resolve(edit.literals);
    const ValueRep literalsRep = literals.empty() ? offsetRep(type, 0, true) : pack(literals);
    const std::vector<std::int64_t> words = encodeArrayEditOps(edit.ops);
    const std::string_view key(reinterpret_cast<const char*>(words.data()), words.size() * sizeof(std::int64_t));
    const ValueRep opsRep = deduplicated(int64ArrayKind, key, false, [&] { return writeArray(words); });
    const std::size_t at = out.tell();
    out.put(literalsRep.bits());
    out.put(opsRep.bits());
    out.put<std::uint8_t>(0);  // once "dense"; current readers ignore it
    return editRep(at);
  });
}

ValueEncoder::ValueEncoder(ByteSink& out, StructureTables& tables, const LoadedValues& loaded, Version version)
    : impl_(std::make_unique<Impl>(out, tables, loaded, Encoding{version})) {}
ValueEncoder::~ValueEncoder() = default;

ValueRep ValueEncoder::pack(const Value& value, FieldWrap wrap) { return impl_->pack(value, wrap); }

ValueRep ValueEncoder::packTimeSamples(std::span<const double> times, std::span<const ValueRep> reps) {
  return impl_->packTimeSamples(times, reps);
}

}  // namespace usdkit::crate
