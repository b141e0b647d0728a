#include "io/usda/ValueWriter.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <type_traits>

#include "base/NumberFormat.h"
#include "base/Unicode.h"
#include "io/usda/UsdaValueText.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit::usda {

namespace {

// Appends a string literal without a strlen (hot in array loops).
template <std::size_t N>
inline void lit(std::string& out, const char (&text)[N]) {
  out.append(text, N - 1);
}

template <class T> constexpr bool kIsScalarType = false;
#define USDKIT_SCALAR_TRAIT(T, K) template <> constexpr bool kIsScalarType<T> = true;
USDKIT_SCALAR_VALUE_TYPES(USDKIT_SCALAR_TRAIT)
#undef USDKIT_SCALAR_TRAIT

template <class T> struct IsStdVector : std::false_type {};
template <class T> struct IsStdVector<std::vector<T>> : std::true_type {};

// ---------------------------------------------------------------------------
// Scalars, as Gf/Vt stream them. Templates taking `bool Q` say whether path
// expressions are quoted (everywhere except dictionary entries).

inline void putScalar(std::string& out, bool v) { out += v ? '1' : '0'; }
inline void putScalar(std::string& out, std::uint8_t v) { appendUInt(out, v); }
inline void putScalar(std::string& out, std::int32_t v) { appendInt(out, v); }
inline void putScalar(std::string& out, std::uint32_t v) { appendUInt(out, v); }
inline void putScalar(std::string& out, std::int64_t v) { appendInt(out, v); }
inline void putScalar(std::string& out, std::uint64_t v) { appendUInt(out, v); }
// Half streams through float with default ostream precision (GfHalf's <<).
// printf-style formatting is slow and there are only 65536 halves, so their
// texts are made once, on first use: 16 bytes each, length first.
class HalfTexts {
 public:
  HalfTexts() : text_(std::make_unique<char[]>(65536 * kStride)) {
    std::string s;
    for (std::uint32_t bits = 0; bits < 65536; ++bits) {
      s.clear();
      appendStreamed(s, Half::fromBits(static_cast<std::uint16_t>(bits)).toFloat());
      char* entry = &text_[bits * kStride];
      entry[0] = static_cast<char>(s.size());  // at most 12 ("-6.10352e-05")
      std::memcpy(entry + 1, s.data(), s.size());
    }
  }
  void append(std::string& out, Half h) const {
    const char* entry = &text_[std::size_t{h.bits} * kStride];
    out.append(entry + 1, static_cast<std::size_t>(entry[0]));
  }

 private:
  static constexpr std::size_t kStride = 16;
  std::unique_ptr<char[]> text_;
};

inline void putScalar(std::string& out, Half v) {
  static const HalfTexts texts;
  texts.append(out, v);
}
inline void putScalar(std::string& out, float v) { appendFloat(out, v); }
inline void putScalar(std::string& out, double v) { appendDouble(out, v); }
// SdfTimeCode's << streams the double with default precision: lossy on purpose.
inline void putScalar(std::string& out, const TimeCode& v) { appendStreamed(out, v.time); }
inline void putScalar(std::string& out, const std::string& v) { appendQuoted(out, v); }
inline void putScalar(std::string& out, const Token& v) { appendQuoted(out, v.str()); }
inline void putScalar(std::string& out, const AssetPath& v) { appendAssetPath(out, v.path); }

template <class T, int N>
inline void putScalar(std::string& out, const Vec<T, N>& v) {
  out += '(';
  for (int i = 0; i < N; ++i) {
    if (i) lit(out, ", ");
    putScalar(out, v[i]);
  }
  out += ')';
}

template <class T>
inline void putScalar(std::string& out, const Quat<T>& q) {
  out += '(';
  putScalar(out, q.real);
  for (int i = 0; i < 3; ++i) {
    lit(out, ", ");
    putScalar(out, q.imaginary[i]);
  }
  out += ')';
}

template <int N>
inline void putScalar(std::string& out, const Matrix<N>& m) {
  lit(out, "( ");
  for (int r = 0; r < N; ++r) {
    if (r) lit(out, ", ");
    out += '(';
    for (int c = 0; c < N; ++c) {
      if (c) lit(out, ", ");
      appendDouble(out, m.m[r][c]);
    }
    out += ')';
  }
  lit(out, " )");
}

template <bool Q>
inline void putScalarQ(std::string& out, const PathExpression& v) {
  if constexpr (Q) appendQuoted(out, v.text);
  else out += v.text;
}
template <bool Q, class T>
inline void putScalarQ(std::string& out, const T& v) {
  putScalar(out, v);
}

// Rough text size of one element, so a big array is written into one
// allocation instead of a cascade of regrowths.
template <class T>
constexpr std::size_t estimatedTextSize() {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::uint8_t>) return 3;
  else if constexpr (std::is_integral_v<T>) return 8;
  else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, Half>) return 11;
  else if constexpr (std::is_trivially_copyable_v<T>) return 2 + sizeof(T) * 3;
  else return 16;
}

template <bool Q, class T>
void putArray(std::string& out, const std::vector<T>& items) {
  out.reserve(out.size() + 2 + items.size() * estimatedTextSize<T>());
  out += '[';
  bool first = true;
  for (const auto& item : items) {  // auto: std::vector<bool> yields proxies
    if (!first) lit(out, ", ");
    first = false;
    if constexpr (std::is_same_v<T, bool>) putScalar(out, static_cast<bool>(item));
    else putScalarQ<Q>(out, item);
  }
  out += ']';
}

// ---------------------------------------------------------------------------
// Values that are not attribute value types. OpenUSD never prints most of
// these through StringFromVtValue; they get a readable form anyway.

template <class T>
void putOther(std::string&, const T&) {}
inline void putOther(std::string& out, const ValueBlock&) { out += "None"; }
inline void putOther(std::string& out, const AnimationBlock&) { out += "AnimationBlock"; }
inline void putOther(std::string& out, const UnregisteredValue& v) { out += v.text; }
inline void putOther(std::string& out, const Path& v) { v.appendText(out); }
inline void putOther(std::string& out, const Dictionary& v) { appendInlineDictionary(out, v); }
inline void putOther(std::string& out, const Specifier& v) {
  out += v == Specifier::Def ? "def" : v == Specifier::Class ? "class" : "over";
}
inline void putOther(std::string& out, const Permission& v) {
  out += v == Permission::Private ? "private" : "public";
}
inline void putOther(std::string& out, const Variability& v) {
  out += v == Variability::Uniform ? "uniform" : "varying";
}
inline void putOther(std::string& out, const LayerOffset& v) { appendInlineLayerOffset(out, v); }
inline void putOther(std::string& out, const TokenVector& v) { putArray<true>(out, v.items); }
inline void putOther(std::string& out, const StringVector& v) { putArray<true>(out, v.items); }
inline void putOther(std::string& out, const DoubleVector& v) { putArray<true>(out, v.items); }
inline void putOther(std::string& out, const PathVector& v) {
  out += '[';
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    if (i) out += ", ";
    appendPathRef(out, v.items[i]);
  }
  out += ']';
}

// `edit [op; op]` on one line, as current OpenUSD writes it; an insertion
// at 0 is `prepend`, at the end `append`. Operations naming a literal the
// edit does not have (possible only from a damaged file) do nothing when
// applied, and are not written.
void putOther(std::string& out, const ArrayEdit& e) {
  withKindType(e.kind, [&](auto type) {
    using T = typename decltype(type)::type;
    static const std::vector<T> none;
    const std::vector<T>* lits = e.literals.getIf<std::vector<T>>();
    if (!lits) lits = &none;
    auto hasLiteral = [&](std::int64_t k) { return k >= 0 && static_cast<std::uint64_t>(k) < lits->size(); };
    auto literal = [&](std::int64_t k) { putScalarQ<true>(out, T((*lits)[static_cast<std::size_t>(k)])); };
    auto index = [&](std::int64_t i) {
      out += '[';
      out += std::to_string(i);
      out += ']';
    };
    using Code = ArrayEditOp::Code;
    out += "edit [";
    bool first = true;
    for (const ArrayEditOp& op : e.ops) {
      const bool byLiteral = op.code == Code::WriteLiteral || op.code == Code::InsertLiteral;
      const bool fills = op.code == Code::MinSizeFill || op.code == Code::SetSizeFill;
      if ((byLiteral && !hasLiteral(op.a)) || (fills && !hasLiteral(op.b))) continue;
      if (!first) out += "; ";
      first = false;
      auto operand = [&] { byLiteral ? literal(op.a) : index(op.a); };
      switch (op.code) {
        case Code::WriteLiteral:
        case Code::WriteRef:
          out += "write ";
          operand();
          out += " to ";
          index(op.b);
          break;
        case Code::InsertLiteral:
        case Code::InsertRef:
          if (op.b == 0 || op.b == kArrayEditEnd) {
            out += op.b == 0 ? "prepend " : "append ";
            operand();
          } else {
            out += "insert ";
            operand();
            out += " at ";
            index(op.b);
          }
          break;
        case Code::EraseRef:
          out += "erase ";
          index(op.a);
          break;
        case Code::MinSize:
        case Code::MinSizeFill:
        case Code::SetSize:
        case Code::SetSizeFill:
        case Code::MaxSize:
          out += op.code == Code::MaxSize ? "maxsize "
                 : op.code == Code::MinSize || op.code == Code::MinSizeFill ? "minsize "
                                                                           : "resize ";
          out += std::to_string(op.a);
          if (fills) {
            out += " fill ";
            literal(op.b);
          }
          break;
      }
    }
    out += ']';
  });
}

template <bool Q>
void appendValueImpl(std::string& out, const Value& value) {
  value.visit([&](const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::monostate>) {
      // an empty value prints nothing
    } else if constexpr (std::is_same_v<T, LazyValue>) {
      // Layer writers decode lazy values first (and report failures); a
      // value that cannot be decoded prints nothing here.
      if (Expected<Value> decoded = v.load()) appendValueImpl<Q>(out, *decoded);
    } else if constexpr (IsStdVector<T>::value) {
      putArray<Q>(out, v);
    } else if constexpr (kIsScalarType<T>) {
      putScalarQ<Q>(out, v);
    } else {
      putOther(out, v);
    }
  });
}

// ---------------------------------------------------------------------------
// List ops (_ListOpWriter in OpenUSD): how one item prints, whether items go
// one per line, and whether a lone item still needs brackets.

template <class T>
struct ItemWriter {  // numbers
  static constexpr bool kPerLine = false;
  static bool needsBrackets(const T&) { return true; }
  static void write(std::string& out, int, const T& v) { putScalar(out, v); }
};
template <>
struct ItemWriter<std::string> {
  static constexpr bool kPerLine = false;
  static bool needsBrackets(const std::string&) { return true; }
  static void write(std::string& out, int, const std::string& v) { appendQuoted(out, v); }
};
template <>
struct ItemWriter<Token> {
  static constexpr bool kPerLine = false;
  static bool needsBrackets(const Token&) { return true; }
  static void write(std::string& out, int, const Token& v) { appendQuoted(out, v.str()); }
};
template <>
struct ItemWriter<UnregisteredValue> {
  static constexpr bool kPerLine = false;
  static bool needsBrackets(const UnregisteredValue&) { return true; }
  static void write(std::string& out, int, const UnregisteredValue& v) { out += v.text; }
};
template <>
struct ItemWriter<Path> {
  static constexpr bool kPerLine = true;
  static bool needsBrackets(const Path&) { return false; }
  static void write(std::string& out, int indent, const Path& v) {
    appendIndent(out, indent);
    appendPathRef(out, v);
  }
};

// OpenUSD's SdfLayerOffset equality is fuzzy (1e-6), so a tiny offset counts
// as the identity and is not written at all.
bool isIdentityOffset(const LayerOffset& o) {
  if (!std::isfinite(o.offset) || !std::isfinite(o.scale)) return false;
  return std::fabs(o.offset) < 1e-6 && std::fabs(o.scale - 1.0) < 1e-6;
}

// Asset path (or the prim path alone for internal arcs; `<>` means the
// default prim and must be kept).
template <class Arc>
void appendArcTarget(std::string& out, const Arc& arc) {
  if (!arc.assetPath.empty()) {
    appendAssetPath(out, arc.assetPath);
    if (!arc.primPath.empty()) appendPathRef(out, arc.primPath);
  } else {
    appendPathRef(out, arc.primPath);
  }
}

template <>
struct ItemWriter<Reference> {
  static constexpr bool kPerLine = true;
  static bool needsBrackets(const Reference& r) { return r.hasCustomData(); }
  static void write(std::string& out, int indent, const Reference& r) {
    appendIndent(out, indent);
    appendArcTarget(out, r);
    if (!r.hasCustomData()) {
      appendInlineLayerOffset(out, r.layerOffset);
      return;
    }
    // With custom data every parameter goes on its own line.
    out += " (\n";
    if (!isIdentityOffset(r.layerOffset)) {
      if (r.layerOffset.offset != 0.0) {
        appendIndent(out, indent + 1);
        out += "offset = ";
        appendDouble(out, r.layerOffset.offset);
        out += '\n';
      }
      if (r.layerOffset.scale != 1.0) {
        appendIndent(out, indent + 1);
        out += "scale = ";
        appendDouble(out, r.layerOffset.scale);
        out += '\n';
      }
    }
    appendIndent(out, indent + 1);
    out += "customData = ";
    appendDictionary(out, indent + 1, *r.customData);
    appendIndent(out, indent);
    out += ')';
  }
};
template <>
struct ItemWriter<Payload> {
  static constexpr bool kPerLine = true;
  static bool needsBrackets(const Payload&) { return false; }
  static void write(std::string& out, int indent, const Payload& p) {
    appendIndent(out, indent);
    appendArcTarget(out, p);
    appendInlineLayerOffset(out, p.layerOffset);
  }
};

template <class T>
void appendListOpStatement(std::string& out, int indent, std::string_view key, std::string_view op,
                           const std::vector<T>& items) {
  using W = ItemWriter<T>;
  appendIndent(out, indent);
  if (!op.empty()) {
    out += op;
    out += ' ';
  }
  out += key;
  out += " = ";
  if (items.empty()) {
    out += "None\n";
  } else if (items.size() == 1 && !W::needsBrackets(items.front())) {
    W::write(out, 0, items.front());
    out += '\n';
  } else {
    out += W::kPerLine ? "[\n" : "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      W::write(out, W::kPerLine ? indent + 1 : 0, items[i]);
      if (i + 1 < items.size()) out += W::kPerLine ? ",\n" : ", ";
      else if (W::kPerLine) out += '\n';
    }
    if (W::kPerLine) appendIndent(out, indent);
    out += "]\n";
  }
}

template <class T>
void appendListOp(std::string& out, int indent, std::string_view key, const ListOp<T>& op) {
  if (op.isExplicit) {
    appendListOpStatement(out, indent, key, {}, op.explicitItems);
    return;
  }
  // Fixed statement order; the authored order of statements is not kept.
  if (!op.deletedItems.empty()) appendListOpStatement(out, indent, key, "delete", op.deletedItems);
  if (!op.addedItems.empty()) appendListOpStatement(out, indent, key, "add", op.addedItems);
  if (!op.prependedItems.empty()) appendListOpStatement(out, indent, key, "prepend", op.prependedItems);
  if (!op.appendedItems.empty()) appendListOpStatement(out, indent, key, "append", op.appendedItems);
  if (!op.orderedItems.empty()) appendListOpStatement(out, indent, key, "reorder", op.orderedItems);
}

template <class T> struct IsListOp : std::false_type {};
template <class T> struct IsListOp<ListOp<T>> : std::true_type {};

template <class S>
void appendNameListImpl(std::string& out, const std::vector<S>& names) {
  if (names.size() > 1) out += '[';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    if constexpr (std::is_same_v<S, Token>) appendQuoted(out, names[i].str());
    else appendQuoted(out, names[i]);
  }
  if (names.size() > 1) out += ']';
}

// Returns the length (2-4) of a valid UTF-8 multi-byte sequence at `i`, or
// 0 (the byte is then escaped as \xNN). OpenUSD's quoter checks only the
// lead and continuation bit patterns, so it writes overlong forms (C0 80),
// surrogates and code points past U+10FFFF as raw bytes, which its reader
// (and ours) then refuses as invalid UTF-8; escaping them instead keeps
// every text we write readable. Valid UTF-8 comes out the same.
inline int utf8SequenceLength(std::string_view s, std::size_t i) {
  std::size_t end = i;
  char32_t codePoint = 0;
  if (!decodeUtf8(s, end, codePoint) || end - i < 2) return 0;
  return static_cast<int>(end - i);
}

void appendDictionaryKey(std::string& out, const std::string& key) {
  if (isValidAsciiIdentifier(key)) out += key;  // TfIsValidIdentifier
  else appendQuoted(out, key);
}

void appendSplineValue(std::string& out, Spline::ValueType type, double v) {
  switch (type) {
    case Spline::ValueType::Float: appendFloat(out, static_cast<float>(v)); break;
    case Spline::ValueType::Half: appendStreamed(out, Half::fromFloat(static_cast<float>(v)).toFloat()); break;
    default: appendDouble(out, v); break;
  }
}

void appendExtrapolation(std::string& out, int indent, const char* label, const Spline::Extrapolation& e) {
  if (e == Spline::Extrapolation{}) return;  // held is the default and not written
  appendIndent(out, indent + 1);
  out += label;
  out += ": ";
  switch (e.mode) {
    case Spline::ExtrapMode::None: out += "none"; break;
    case Spline::ExtrapMode::Held: out += "held"; break;
    case Spline::ExtrapMode::Linear: out += "linear"; break;
    case Spline::ExtrapMode::Sloped:
      out += "sloped(";
      appendDouble(out, e.slope);
      out += ')';
      break;
    case Spline::ExtrapMode::LoopRepeat: out += "loop repeat"; break;
    case Spline::ExtrapMode::LoopReset: out += "loop reset"; break;
    case Spline::ExtrapMode::LoopOscillate: out += "loop oscillate"; break;
  }
  out += ",\n";
}

const char* interpName(Spline::Interp i) {
  switch (i) {
    case Spline::Interp::None: return "none";
    case Spline::Interp::Held: return "held";
    case Spline::Interp::Linear: return "linear";
    case Spline::Interp::Curve: return "curve";
  }
  return "";
}

void appendTangent(std::string& out, const char* label, const Spline& s, double width, double slope,
                   Spline::TangentAlgorithm algo) {
  out += "; ";
  out += label;
  out += " (";
  if (s.curveType == Spline::CurveType::Bezier) {
    appendDouble(out, width);
    out += ", ";
  }
  appendSplineValue(out, s.valueType, slope);
  if (algo == Spline::TangentAlgorithm::Custom) out += ", custom";
  else if (algo == Spline::TangentAlgorithm::AutoEase) out += ", autoEase";
  out += ')';
}

}  // namespace

// ---------------------------------------------------------------------------

void appendIndent(std::string& out, int indent) {
  if (indent > 0) out.append(static_cast<std::size_t>(indent) * 4, ' ');
}

void appendQuoted(std::string& out, std::string_view text) {
  const bool hasDouble = text.find('"') != std::string_view::npos;
  const bool hasSingle = text.find('\'') != std::string_view::npos;
  const char quote = hasDouble && !hasSingle ? '\'' : '"';
  const bool triple = text.find('\n') != std::string_view::npos;
  static constexpr char kHex[] = "0123456789abcdef";

  out.append(triple ? 3 : 1, quote);
  // Names and labels are mostly printable ASCII that needs no escape: such
  // runs are copied whole rather than a character at a time.
  auto plain = [quote](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u <= 0x7e && c != '\\' && c != quote;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (plain(text[i])) {
      std::size_t end = i + 1;
      while (end < text.size() && plain(text[end])) ++end;
      out.append(text.data() + i, end - i);
      i = end - 1;
      continue;
    }
    const char c = text[i];
    if (c == '\0') break;  // OpenUSD walks a C string: a NUL ends the text
    if (int n = utf8SequenceLength(text, i)) {
      out.append(text.data() + i, n);
      i += n - 1;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\n': out += triple ? "\n" : "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c == quote) {
          out += '\\';
          out += quote;
        } else if (u < 0x20 || u > 0x7e) {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out.append(triple ? 3 : 1, quote);
}

void appendAssetPath(std::string& out, std::string_view path) {
  const bool triple = path.find('@') != std::string_view::npos;
  out.append(triple ? 3 : 1, '@');
  for (std::size_t i = 0; i < path.size() && path[i] != '\0'; ++i) {
    if (triple && path.compare(i, 3, "@@@") == 0) {
      out += "\\@@@";
      i += 2;
      continue;
    }
    out += path[i];
  }
  out.append(triple ? 3 : 1, '@');
}

void appendPathRef(std::string& out, const Path& path) {
  out += '<';
  path.appendText(out);
  out += '>';
}

void appendValueText(std::string& out, const Value& value) { appendValueImpl<true>(out, value); }

void appendDictionaryValueText(std::string& out, const Value& value) {
  appendValueImpl<false>(out, value);
}

std::string dictionaryTypeName(const Value& value) {
  ValueKind kind;
  bool isArray = false;
  if (!value.scalarKind(&kind, &isArray)) return value.is<Opaque>() ? "opaque" : "";
  std::string name(valueKindName(kind));
  if (isArray) name += "[]";
  return name;
}

namespace {

void appendDictionaryAt(std::string& out, int indent, const Dictionary& dict, int depth) {
  out += "{\n";
  for (const auto& [key, value] : dict.entries) {
    if (value.empty() || depth > kMaxTextDictionaryDepth) continue;
    appendIndent(out, indent + 1);
    if (const Dictionary* nested = value.getIf<Dictionary>()) {
      out += "dictionary ";
      appendDictionaryKey(out, key);
      out += " = ";
      appendDictionaryAt(out, indent + 1, *nested, depth + 1);
    } else {
      out += dictionaryTypeName(value);
      out += ' ';
      appendDictionaryKey(out, key);
      out += " = ";
      appendDictionaryValueText(out, value);
      out += '\n';
    }
  }
  appendIndent(out, indent);
  out += "}\n";
}

void appendInlineDictionaryAt(std::string& out, const Dictionary& dict, int depth) {
  out += "{ ";
  bool first = true;
  for (const auto& [key, value] : dict.entries) {
    if (value.empty() || depth > kMaxTextDictionaryDepth) continue;
    if (!first) out += "; ";
    first = false;
    if (const Dictionary* nested = value.getIf<Dictionary>()) {
      out += "dictionary ";
      appendDictionaryKey(out, key);
      out += " = ";
      appendInlineDictionaryAt(out, *nested, depth + 1);
    } else {
      out += dictionaryTypeName(value);
      out += ' ';
      appendDictionaryKey(out, key);
      out += " = ";
      appendDictionaryValueText(out, value);
    }
  }
  out += " }";
}

}  // namespace

void appendDictionary(std::string& out, int indent, const Dictionary& dict) { appendDictionaryAt(out, indent, dict, 1); }

void appendInlineDictionary(std::string& out, const Dictionary& dict) { appendInlineDictionaryAt(out, dict, 1); }

bool nestsTooDeep(const Value& value) {
  std::vector<std::pair<const Dictionary*, int>> pending;
  if (const Dictionary* d = value.getIf<Dictionary>()) {
    pending.emplace_back(d, 1);
  } else if (const ReferenceListOp* op = value.getIf<ReferenceListOp>()) {
    for (const auto* list : {&op->explicitItems, &op->addedItems, &op->prependedItems, &op->appendedItems,
                             &op->deletedItems, &op->orderedItems}) {
      for (const Reference& r : *list) {
        if (r.customData) pending.emplace_back(r.customData.get(), 1);
      }
    }
  } else if (const Spline* s = value.getIf<Spline>()) {
    for (const Spline::Knot& k : s->knots) {
      if (k.customData) pending.emplace_back(k.customData.get(), 1);
    }
  }
  while (!pending.empty()) {
    const auto [dict, depth] = pending.back();
    pending.pop_back();
    if (depth > kMaxTextDictionaryDepth) return true;
    for (const auto& [key, entry] : dict->entries) {
      if (const Dictionary* nested = entry.getIf<Dictionary>()) pending.emplace_back(nested, depth + 1);
    }
  }
  return false;
}

void appendStringDictionary(std::string& out, int indent, const std::map<std::string, std::string>& entries) {
  out += "{\n";
  std::size_t remaining = entries.size();
  for (const auto& [key, value] : entries) {
    appendIndent(out, indent + 1);
    appendQuoted(out, key);
    out += ": ";
    appendQuoted(out, value);
    if (--remaining) out += ", ";  // trailing space before the newline is OpenUSD's
    out += '\n';
  }
  appendIndent(out, indent);
  out += "}\n";
}

void appendInlineLayerOffset(std::string& out, const LayerOffset& offset) {
  if (isIdentityOffset(offset)) return;
  out += " (";
  if (offset.offset != 0.0) {
    out += "offset = ";
    appendDouble(out, offset.offset);
  }
  if (offset.scale != 1.0) {
    if (offset.offset != 0.0) out += "; ";
    out += "scale = ";
    appendDouble(out, offset.scale);
  }
  out += ')';
}

void appendNameList(std::string& out, const std::vector<Token>& names) { appendNameListImpl(out, names); }
void appendNameList(std::string& out, const std::vector<std::string>& names) {
  appendNameListImpl(out, names);
}

bool appendListOpField(std::string& out, int indent, std::string_view key, const Value& value) {
  return value.visit([&](const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (IsListOp<T>::value) {
      appendListOp(out, indent, key, v);
      return true;
    } else {
      return false;
    }
  });
}

void appendVariantSetNames(std::string& out, int indent, const StringListOp& op) {
  auto statement = [&](std::string_view prefix, const std::vector<std::string>& names) {
    appendIndent(out, indent);
    out += prefix;
    out += "variantSets = ";
    appendNameList(out, names);
    out += '\n';
  };
  if (op.isExplicit) {
    statement("", op.explicitItems);
    return;
  }
  if (!op.deletedItems.empty()) statement("delete ", op.deletedItems);
  if (!op.addedItems.empty()) statement("add ", op.addedItems);
  if (!op.prependedItems.empty()) statement("prepend ", op.prependedItems);
  if (!op.appendedItems.empty()) statement("append ", op.appendedItems);
  if (!op.orderedItems.empty()) statement("reorder ", op.orderedItems);
}

void appendSimpleField(std::string& out, int indent, std::string_view key, const Value& value) {
  if (appendListOpField(out, indent, key, value)) return;
  appendIndent(out, indent);
  out += key;
  out += " = ";
  if (const Dictionary* dict = value.getIf<Dictionary>()) {
    appendDictionary(out, indent, *dict);
    return;
  }
  if (const bool* b = value.getIf<bool>()) {
    out += *b ? "true" : "false";  // metadata bools, unlike attribute values
  } else {
    appendValueText(out, value);
  }
  out += '\n';
}

void appendTimeSamples(std::string& out, int indent, const TimeSamples& samples,
                       const std::function<bool(std::string&, const Value&)>* valueText) {
  for (const auto& [time, value] : samples.samples) {
    appendIndent(out, indent + 1);
    appendDouble(out, time);
    out += ": ";
    if (!valueText || !(*valueText)(out, value)) appendUsdaValue(out, value);
    out += ",\n";
  }
}

bool writesTangentAlgorithm(const Spline& s) {
  // The tangents appendSpline writes: a knot's pre-tangent after a curve
  // segment (or on the first knot), its post-tangent before one.
  Spline::Interp previous = Spline::Interp::Curve;
  for (const Spline::Knot& k : s.knots) {
    if (previous == Spline::Interp::Curve && k.preTanAlgorithm != Spline::TangentAlgorithm::None) return true;
    if (k.nextInterp == Spline::Interp::Curve && k.postTanAlgorithm != Spline::TangentAlgorithm::None) return true;
    previous = k.nextInterp;
  }
  return false;
}

void appendSpline(std::string& out, int indent, const Spline& s) {
  const auto& knots = s.knots;
  // The curve type only matters (and is only written) when some segment
  // between two knots is a curve.
  bool hasCurveSegments = false;
  for (std::size_t i = 0; i + 1 < knots.size(); ++i)
    if (knots[i].nextInterp == Spline::Interp::Curve) hasCurveSegments = true;
  if (hasCurveSegments) {
    appendIndent(out, indent + 1);
    out += s.curveType == Spline::CurveType::Hermite ? "hermite,\n" : "bezier,\n";
  }
  appendExtrapolation(out, indent, "pre", s.preExtrapolation);
  appendExtrapolation(out, indent, "post", s.postExtrapolation);
  if (s.hasLoops && !(s.loops == Spline::LoopParams{})) {
    appendIndent(out, indent + 1);
    out += "loop: (";
    appendDouble(out, s.loops.protoStart);
    out += ", ";
    appendDouble(out, s.loops.protoEnd);
    out += ", ";
    appendInt(out, s.loops.numPreLoops);
    out += ", ";
    appendInt(out, s.loops.numPostLoops);
    out += ", ";
    appendDouble(out, s.loops.valueOffset);
    out += "),\n";
  }

  // The first knot has no segment before it, but its pre-tangent is still
  // recorded, so start as if a curve came before.
  Spline::Interp previous = Spline::Interp::Curve;
  for (const Spline::Knot& k : knots) {
    appendIndent(out, indent + 1);
    appendDouble(out, k.time);
    out += ':';
    if (k.dualValued) {
      out += ' ';
      appendSplineValue(out, s.valueType, k.preValue);
      out += " &";
    }
    out += ' ';
    appendSplineValue(out, s.valueType, k.value);
    if (previous == Spline::Interp::Curve)
      appendTangent(out, "pre", s, k.preTanWidth, k.preTanSlope, k.preTanAlgorithm);
    previous = k.nextInterp;
    if (k.nextInterp == Spline::Interp::Curve) {
      appendTangent(out, "post curve", s, k.postTanWidth, k.postTanSlope, k.postTanAlgorithm);
    } else {
      out += "; post ";
      out += interpName(k.nextInterp);
    }
    if (k.customData && !k.customData->entries.empty()) {
      out += "; ";
      appendInlineDictionary(out, *k.customData);
    }
    out += ",\n";
  }
}

void appendRelocates(std::string& out, int indent, const std::vector<std::pair<Path, Path>>& entries) {
  appendIndent(out, indent);
  out += "relocates = {\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    appendIndent(out, indent + 1);
    appendPathRef(out, entries[i].first);
    out += ": ";
    appendPathRef(out, entries[i].second);
    if (i + 1 < entries.size()) out += ", ";  // OpenUSD leaves the space before the newline
    out += '\n';
  }
  appendIndent(out, indent);
  out += "}\n";
}

}  // namespace usdkit::usda
