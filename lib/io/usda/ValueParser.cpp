#include "io/usda/ValueParser.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "base/NumberFormat.h"
#include "base/Unicode.h"
#include "io/usda/PlainNumbers.h"
#include "io/usda/ValueWriter.h"

namespace usdkit::usda {

namespace {

template <class T> struct Components { static constexpr int rows = 0, cols = 0; using C = T; };
template <class C_, int N> struct Components<Vec<C_, N>> { static constexpr int rows = 1, cols = N; using C = C_; };
template <class C_> struct Components<Quat<C_>> { static constexpr int rows = 1, cols = 4; using C = C_; };
template <int N> struct Components<Matrix<N>> { static constexpr int rows = N, cols = N; using C = double; };

template <class T>
constexpr bool kIsNumericScalar =
    std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t> ||
    std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t> || std::is_same_v<T, Half> ||
    std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, TimeCode>;

// Numbers and tuples of numbers (vectors, quaternions, matrices) are read by
// the direct path; everything else only by the general one.
template <class T>
constexpr bool kHasDirectPath = kIsNumericScalar<T> || (Components<T>::rows > 0 && !std::is_same_v<typename Components<T>::C, T>);

template <class C>
C& componentRef(auto& elem, int row, int col) {
  using T = std::decay_t<decltype(elem)>;
  if constexpr (Components<T>::rows == 0) {
    return elem;
  } else if constexpr (std::is_same_v<T, Matrix<Components<T>::rows>> && Components<T>::rows > 1) {
    return elem.m[static_cast<std::size_t>(row)][static_cast<std::size_t>(col)];
  } else if constexpr (std::is_same_v<T, Quat<C>>) {
    return col == 0 ? elem.real : elem.imaginary[static_cast<std::size_t>(col - 1)];
  } else {
    return elem.v[static_cast<std::size_t>(col)];
  }
}

// Integer from a number: integers range-checked, finite doubles truncated.
template <class I>
bool numberToInt(const NumberToken& n, I& out) {
  using L = std::numeric_limits<I>;
  switch (n.kind) {
    case NumberToken::Kind::Int64:
      if (n.i < static_cast<std::int64_t>(L::min()) ||
          (n.i > 0 && static_cast<std::uint64_t>(n.i) > static_cast<std::uint64_t>(L::max())))
        return false;
      out = static_cast<I>(n.i);
      return true;
    case NumberToken::Kind::UInt64:
      if (n.u > static_cast<std::uint64_t>(L::max())) return false;
      out = static_cast<I>(n.u);
      return true;
    case NumberToken::Kind::Double: {
      // Refused exactly as OpenUSD's checked conversion (truncating toward
      // zero) refuses: at or below min - 1, at or above max + 1, both bounds
      // computed in double. So 2^64 is no uint64 and 2^63 no int64 (max + 1
      // rounds to them), and -2^63 is no int64 either (min - 1 rounds to it).
      if (!std::isfinite(n.d)) return false;
      constexpr double below = static_cast<double>(L::min()) - 1.0;
      constexpr double above = static_cast<double>(L::max()) + 1.0;
      if (n.d <= below || n.d >= above) return false;
      out = static_cast<I>(std::trunc(n.d));
      return true;
    }
  }
  return false;
}

// Numeric component from a number token.
template <class C>
bool numberToComponent(const NumberToken& n, C& out) {
  if constexpr (std::is_same_v<C, double>) {
    out = n.asDouble();
    return true;
  } else if constexpr (std::is_same_v<C, float>) {
    out = n.kind == NumberToken::Kind::Double ? static_cast<float>(n.d)
          : n.kind == NumberToken::Kind::Int64 ? static_cast<float>(n.i)
                                                : static_cast<float>(n.u);
    return true;
  } else if constexpr (std::is_same_v<C, Half>) {
    float f = 0;
    numberToComponent(n, f);
    out = Half::fromFloat(f);
    return true;
  } else if constexpr (std::is_same_v<C, TimeCode>) {
    out.time = n.asDouble();
    return true;
  } else {
    return numberToInt(n, out);
  }
}

bool specialRealString(std::string_view s, double& out) {
  if (s == "inf") { out = std::numeric_limits<double>::infinity(); return true; }
  if (s == "-inf") { out = -std::numeric_limits<double>::infinity(); return true; }
  if (s == "nan") { out = std::numeric_limits<double>::quiet_NaN(); return true; }
  return false;
}

bool boolFromString(std::string_view s, bool& out) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "false" || lower == "no" || lower == "0") { out = false; return true; }
  if (lower == "true" || lower == "yes" || lower == "1") { out = true; return true; }
  return false;
}

void checkAssetPath(Scanner& s, const char* at, const std::string& path) {
  std::size_t pos = 0;
  std::size_t index = 0;
  while (pos < path.size()) {
    char32_t cp = 0;
    if (!decodeUtf8(path, pos, cp))
      s.fail(at, "Invalid asset path string -- invalid UTF-8 at byte " + std::to_string(pos));
    ++index;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned>(cp));
      s.fail(at, "Invalid asset path string -- character " + std::to_string(index) +
                     " is control character 0x" + hex);
    }
  }
}

}  // namespace

void ValueParser::warnOutOfRange(const NumberToken& n, const char* at) {
  std::size_t line = 0, col = 0;
  s_.lineAndColumn(at, line, col);
  s_.warn(at, "Integer literal '" + std::string(n.text) + "' on line " + std::to_string(line) +
                  " is out of range, parsing as double.  Consider exponential notation for "
                  "large floating point values.");
}

ValueParser::NestingGuard::NestingGuard(ValueParser& parser, const char* at) : parser_(parser) {
  if (++parser_.nesting_ > kMaxValueNesting) {
    --parser_.nesting_;
    parser_.s_.fail(at, "values (lists, tuples, dictionaries) nested more than " +
                            std::to_string(kMaxValueNesting) + " levels deep");
  }
}

// ---- raw syntax -------------------------------------------------------------

RawValue ValueParser::parseAtom(bool allowTuple, bool allowList, const char* what) {
  RawValue r;
  r.pos = s_.p;
  char c = s_.peek();
  if (s_.atNumberStart()) {
    r.kind = RawValue::Kind::Number;
    s_.scanNumber(r.number);
    if (r.number.outOfRange) warnOutOfRange(r.number, r.pos);
    return r;
  }
  if (c == '"' || c == '\'') {
    r.kind = RawValue::Kind::String;
    s_.scanString(r.text);
    return r;
  }
  if (c == '@') {
    r.kind = RawValue::Kind::Asset;
    s_.scanAssetRef(r.text);
    return r;
  }
  if (c == '(' && allowTuple) return parseTuple();
  if (c == '[' && allowList) {
    // A list inside a list must have items: `[[]]` is not valid syntax.
    const char* open = s_.p;
    ++s_.p;
    RawValue inner = parseListBody(open);
    if (inner.children.empty()) s_.fail(open, "Expected number, identifier, string, asset ref, list or tuple");
    return inner;
  }
  std::string_view id = s_.scanIdentifier();
  if (!id.empty()) {
    r.kind = RawValue::Kind::Identifier;
    r.text.assign(id);
    return r;
  }
  s_.fail(what);
}

RawValue ValueParser::parseTuple() {
  NestingGuard guard(*this, s_.p);
  RawValue r;
  r.kind = RawValue::Kind::Tuple;
  r.pos = s_.p;
  ++s_.p;  // '('
  s_.commaList(')', [&] {
    r.children.push_back(parseAtom(true, false, "Expected number, identifier, string, asset ref, or tuple"));
  }, false);
  return r;
}

RawValue ValueParser::parseListBody(const char* open) {
  NestingGuard guard(*this, open);
  RawValue r;
  r.kind = RawValue::Kind::List;
  r.pos = open;
  s_.skipAnyPad();
  if (s_.peek() == ']') {
    // Only `[` InlinePad* `]` is an empty list; a newline inside is not.
    for (const char* q = open + 1; q < s_.p; ++q)
      if (*q == '\n' || *q == '\r')
        s_.fail(open, "Expected number, identifier, string, asset ref, list or tuple (an empty list is `[]` on one line)");
    ++s_.p;
    return r;
  }
  s_.commaList(']', [&] {
    r.children.push_back(parseAtom(true, true, "Expected number, identifier, string, asset ref, list or tuple"));
  }, false);
  return r;
}

RawValue ValueParser::parseRaw(const char* what) {
  if (s_.peek() == '[') return parseList(what);  // top level: `[]` allowed
  return parseAtom(true, true, what);
}

RawValue ValueParser::parseList(const char* what) {
  if (s_.peek() != '[') s_.fail(what);
  const char* open = s_.p;
  ++s_.p;
  return parseListBody(open);
}

// ---- typed conversion -------------------------------------------------------

namespace {

template <class T>
void convertElement(Scanner& s, const RawValue& r, T& out);

std::string describe(const RawValue& r) {
  switch (r.kind) {
    case RawValue::Kind::Number: return "number " + std::string(r.number.text);
    case RawValue::Kind::Identifier: return "identifier " + r.text;
    case RawValue::Kind::String: return "a string";
    case RawValue::Kind::Asset: return "an asset path";
    case RawValue::Kind::List: return "a list";
    case RawValue::Kind::Tuple: return "a tuple of " + std::to_string(r.children.size());
  }
  return "a value";
}

// What a value of scalar type T must look like, for messages.
template <class T>
std::string expectedText() {
  using K = Components<T>;
  if constexpr (K::rows == 1) {
    return "a tuple of " + std::to_string(K::cols) + " numbers";
  } else if constexpr (K::rows > 1) {
    return std::to_string(K::rows) + " tuples of " + std::to_string(K::cols) + " numbers";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "a bool (0, 1, true, false, yes or no)";
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Token>) {
    return "a quoted string";
  } else if constexpr (std::is_same_v<T, AssetPath>) {
    return "an asset path (@path@) or a quoted string";
  } else if constexpr (std::is_same_v<T, PathExpression>) {
    return "a quoted path expression";
  } else if constexpr (std::is_integral_v<T>) {
    return "an integer from " + std::to_string(+std::numeric_limits<T>::min()) + " to " +
           std::to_string(+std::numeric_limits<T>::max());
  } else {
    return "a number (or \"inf\", \"-inf\", \"nan\")";
  }
}

template <class T>
[[noreturn]] void badValue(Scanner& s, const RawValue& r) {
  s.fail(r.pos, "Error parsing value: expected " + expectedText<T>() + ", found " + describe(r));
}

template <class C>
void convertComponent(Scanner& s, const RawValue& r, C& out) {
  if (r.kind == RawValue::Kind::Tuple || r.kind == RawValue::Kind::List)
    s.fail(r.pos, "Tuple nesting too deep: expected " + expectedText<C>() + ", found " + describe(r));
  if (r.kind == RawValue::Kind::Number) {
    if (!numberToComponent(r.number, out)) badValue<C>(s, r);
    return;
  }
  if constexpr (std::is_floating_point_v<C> || std::is_same_v<C, Half> || std::is_same_v<C, TimeCode>) {
    double d = 0;
    if ((r.kind == RawValue::Kind::String || r.kind == RawValue::Kind::Identifier) && specialRealString(r.text, d)) {
      NumberToken n;
      n.kind = NumberToken::Kind::Double;
      n.d = d;
      numberToComponent(n, out);
      return;
    }
  }
  badValue<C>(s, r);
}

template <class T>
void convertElement(Scanner& s, const RawValue& r, T& out) {
  using K = Components<T>;
  if constexpr (K::rows == 0) {
    if (r.kind == RawValue::Kind::Tuple)
      s.fail(r.pos, "Tuple nesting too deep: expected " + expectedText<T>() + ", found " + describe(r));
    if constexpr (std::is_same_v<T, bool>) {
      if (r.kind == RawValue::Kind::Number) {
        out = r.number.kind == NumberToken::Kind::Double ? r.number.d != 0
              : r.number.kind == NumberToken::Kind::Int64 ? r.number.i != 0 : r.number.u != 0;
        return;
      }
      if ((r.kind == RawValue::Kind::Identifier || r.kind == RawValue::Kind::String) && boolFromString(r.text, out))
        return;
      badValue<T>(s, r);
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (r.kind != RawValue::Kind::String) badValue<T>(s, r);
      out = r.text;
    } else if constexpr (std::is_same_v<T, Token>) {
      if (r.kind != RawValue::Kind::String) badValue<T>(s, r);
      out = Token(r.text);
    } else if constexpr (std::is_same_v<T, AssetPath>) {
      if (r.kind != RawValue::Kind::String && r.kind != RawValue::Kind::Asset)
        badValue<T>(s, r);
      checkAssetPath(s, r.pos, r.text);
      out.path = r.text;
    } else if constexpr (std::is_same_v<T, PathExpression>) {
      if (r.kind != RawValue::Kind::String) badValue<T>(s, r);
      out.text = r.text;
    } else {
      convertComponent(s, r, out);
    }
  } else {
    using C = typename K::C;
    if (r.kind != RawValue::Kind::Tuple) badValue<T>(s, r);
    if constexpr (K::rows == 1) {
      if (r.children.size() != static_cast<std::size_t>(K::cols)) s.fail(r.pos, "Tuple dimensions error: expected " + expectedText<T>() + ", found " + describe(r));
      for (int c = 0; c < K::cols; ++c) convertComponent(s, r.children[static_cast<std::size_t>(c)], componentRef<C>(out, 0, c));
    } else {
      if (r.children.size() != static_cast<std::size_t>(K::rows)) s.fail(r.pos, "Tuple dimensions error: expected " + expectedText<T>() + ", found " + describe(r));
      for (int row = 0; row < K::rows; ++row) {
        const RawValue& rr = r.children[static_cast<std::size_t>(row)];
        if (rr.kind != RawValue::Kind::Tuple || rr.children.size() != static_cast<std::size_t>(K::cols))
          s.fail(rr.pos, "Tuple dimensions error: expected " + expectedText<T>() + ", found " + describe(rr));
        for (int c = 0; c < K::cols; ++c)
          convertComponent(s, rr.children[static_cast<std::size_t>(c)], componentRef<C>(out, row, c));
      }
    }
  }
}

// Collects the leaves of a (possibly nested, rectangular) list.
void flattenList(Scanner& s, const RawValue& list, std::vector<const RawValue*>& leaves) {
  bool anyList = false, anyLeaf = false;
  std::size_t subSize = 0;
  for (const RawValue& c : list.children) {
    if (c.kind == RawValue::Kind::List) {
      if (anyList && c.children.size() != subSize) s.fail(c.pos, "Non-square shaped value");
      subSize = c.children.size();
      anyList = true;
    } else {
      anyLeaf = true;
    }
  }
  if (anyList && anyLeaf) s.fail(list.pos, "Non-square shaped value");
  for (const RawValue& c : list.children) {
    if (c.kind == RawValue::Kind::List) flattenList(s, c, leaves);
    else leaves.push_back(&c);
  }
}

}  // namespace

Value ValueParser::convert(const RawValue& raw, const ValueTypeInfo& type) {
  if (type.isOpaque) s_.fail(raw.pos, "Found authored opinion for opaque attribute");
  return withKindType(type.kind, [&](auto id) -> Value {
    using T = typename decltype(id)::type;
    if (type.isArray) {
      if (raw.kind != RawValue::Kind::List)
        s_.fail(raw.pos, raw.kind == RawValue::Kind::Tuple ? "Type name has [] for non-shaped value."
                                                           : "Type name has [] for non-shaped value!");
      std::vector<const RawValue*> leaves;
      flattenList(s_, raw, leaves);
      std::vector<T> out(leaves.size());
      for (std::size_t i = 0; i < leaves.size(); ++i) {
        T elem{};
        convertElement(s_, *leaves[i], elem);
        out[i] = elem;
      }
      return Value(std::move(out));
    }
    if (raw.kind == RawValue::Kind::List) s_.fail(raw.pos, "Type name missing [] for shaped value.");
    T elem{};
    convertElement(s_, raw, elem);
    return Value(std::move(elem));
  });
}

// ---- fast paths ---------------------------------------------------------------

namespace {

// One number of a direct-path element. Reals in the writer's plain form
// skip the general scanner and from_chars (same value, see PlainNumbers.h);
// one followed by an exponent or more digits is left to the scanner.
template <class C>
bool fastComponent(Scanner& s, C& out) {
  if constexpr (std::is_same_v<C, float> || std::is_same_v<C, double>) {
    double v = 0;
    if (const char* q = plain::scanReal(s.p, s.end(), v);
        q && (q == s.end() || !(plain::isDigit(*q) || *q == '.' || *q == 'e' || *q == 'E'))) {
      s.p = q;
      out = static_cast<C>(v);
      return true;
    }
  }
  NumberToken n;
  if (!s.scanNumber(n) || n.outOfRange) return false;
  return numberToComponent(n, out);
}

// Reads one element of numeric kind T directly from the text. Returns false
// (position unspecified) on anything the general path must look at.
template <class T>
bool fastElement(Scanner& s, T& out) {
  using K = Components<T>;
  if constexpr (K::rows == 0) {
    return fastComponent(s, out);
  } else {
    using C = typename K::C;
    if (!s.tryChar('(')) return false;
    s.skipAnyPad();
    for (int row = 0; row < K::rows; ++row) {
      if constexpr (K::rows > 1) {
        if (!s.tryChar('(')) return false;
        s.skipAnyPad();
      }
      for (int c = 0; c < K::cols; ++c) {
        if (!fastComponent(s, componentRef<C>(out, row, c))) return false;
        s.skipInlinePad();
        bool last = c + 1 == K::cols;
        if (!last) {
          if (!s.tryChar(',')) return false;
          s.skipAnyPad();
        }
      }
      if (s.tryChar(',')) s.skipAnyPad();
      else s.skipAnyPad();
      if (!s.tryChar(')')) return false;
      if constexpr (K::rows > 1) {
        s.skipInlinePad();
        if (row + 1 < K::rows) {
          if (!s.tryChar(',')) return false;
          s.skipAnyPad();
        }
      }
    }
    if constexpr (K::rows > 1) {
      if (s.tryChar(',')) s.skipAnyPad();
      else s.skipAnyPad();
      if (!s.tryChar(')')) return false;
    }
    return true;
  }
}

// Big arrays are read in pieces on several threads when their text is at
// least this long; each piece is at least half of it.
constexpr std::size_t kPiecewiseArrayBytes = 64 * 1024;

// Reads the elements of a numeric array from `first` (its first element)
// to the ']' at `close` (the first one after `first`) in pieces on
// `workers`, into `values`; returns where the text after the ']' starts, or
// null (nothing appended) when the one-thread loop must read it instead.
// The pieces start at element boundaries (after a ',' for numbers, at a '('
// for tuples, which hold no nested ones), and each piece takes exactly the
// steps the one-thread loop takes over its text, checking that it ends where
// the next begins: when every piece succeeds the elements are those the
// loop reads; anything else (a bad number, a comment, which could hide a
// separator, so none is allowed here) leaves the array to the loop, which
// then reports what it would have reported.
template <class T>
const char* readArrayInPieces(const Scanner& text, WorkerThreads& workers, const char* first, const char* close,
                              std::vector<T>& values) {
  using K = Components<T>;
  static_assert(K::rows <= 1, "matrix elements nest '(', which the pieces cannot start at");
  const auto bytes = static_cast<std::size_t>(close - first);
  if (bytes < kPiecewiseArrayBytes) return nullptr;
  if (std::memchr(first, '#', bytes) || std::memchr(first, '/', bytes)) return nullptr;
  const std::size_t pieces = std::min<std::size_t>(std::size_t(workers.threads()) * 2, bytes / (kPiecewiseArrayBytes / 2));
  std::vector<const char*> starts{first};
  for (std::size_t k = 1; k < pieces; ++k) {
    const char* at = first + bytes * k / pieces;
    if (at <= starts.back()) continue;
    const char split = K::rows == 0 ? ',' : '(';
    const void* found = std::memchr(at, split, static_cast<std::size_t>(close - at));
    if (!found) break;
    Scanner s(text.begin(), text.end());
    s.p = static_cast<const char*>(found);
    if constexpr (K::rows == 0) {
      ++s.p;
      s.skipAnyPad();  // white space only: no comment starts in this text
    }
    if (s.p <= starts.back() || s.p >= close) break;
    starts.push_back(s.p);
  }
  if (starts.size() < 2) return nullptr;
  std::vector<std::vector<T>> parts(starts.size());
  std::vector<const char*> ends(starts.size(), nullptr);
  workers.forEach(starts.size(), [&](std::size_t k) {
    const bool last = k + 1 == starts.size();
    const char* next = last ? nullptr : starts[k + 1];
    Scanner s(text.begin(), text.end());
    s.p = starts[k];
    std::vector<T>& part = parts[k];
    // Sized once: one element per separator the piece holds.
    const char* pieceEnd = last ? close : next;
    part.reserve(static_cast<std::size_t>(std::count(s.p, pieceEnd, K::rows == 0 ? ',' : '(')) + 1);
    try {
      for (;;) {
        T elem{};
        if (!fastElement(s, elem)) return;
        part.push_back(elem);
        // ValueParser::afterListItem's steps.
        s.skipInlinePad();
        if (!s.tryChar(',')) {
          s.skipAnyPad();
          if (last && s.tryChar(']')) ends[k] = s.p;
          return;
        }
        s.skipAnyPad();
        if (s.tryChar(']')) {
          if (last) ends[k] = s.p;
          return;
        }
        if (!last && s.p >= next) {
          if (s.p == next) ends[k] = next;
          return;
        }
      }
    } catch (const ParseFailure&) {
      // Left to the one-thread loop, which meets the same failure first.
    }
  });
  for (const char* end : ends)
    if (!end) return nullptr;
  std::size_t count = 0;
  for (const std::vector<T>& part : parts) count += part.size();
  values.reserve(count);
  for (const std::vector<T>& part : parts) values.insert(values.end(), part.begin(), part.end());
  return ends.back();
}

}  // namespace

bool ValueParser::tryFastArray(const ValueTypeInfo& type, Value& out) {
  return withKindType(type.kind, [&](auto id) -> bool {
    using T = typename decltype(id)::type;
    using K = Components<T>;
    if constexpr (!kHasDirectPath<T>) {
      return false;
    } else {
      const char* save = s_.p;
      if (!s_.tryChar('[')) return false;
      s_.skipInlinePad();
      std::vector<T> values;
      if (s_.tryChar(']')) {
        out = Value(std::move(values));
        return true;
      }
      s_.skipAnyPad();
      // Size the vector once: a numeric array has no ']' before its end, so
      // counting separators up to it gives the element count.
      if (const void* close = std::memchr(s_.p, ']', static_cast<std::size_t>(s_.end() - s_.p))) {
        const char* e = static_cast<const char*>(close);
        if constexpr (K::rows <= 1) {
          if (workers_) {
            if (const char* after = readArrayInPieces(s_, *workers_, s_.p, e, values)) {
              s_.p = after;
              out = Value(std::move(values));
              return true;
            }
          }
        }
        std::size_t n = 1;
        if constexpr (K::rows == 0) n += static_cast<std::size_t>(std::count(s_.p, e, ','));
        else n = static_cast<std::size_t>(std::count(s_.p, e, '(')) / (K::rows > 1 ? K::rows + 1 : 1) + 1;
        // Every component takes two bytes of text at least: a hostile run of
        // separators must not reserve many times the size of the input.
        constexpr std::size_t kComponents = K::rows == 0 ? 1 : static_cast<std::size_t>(K::rows * K::cols);
        values.reserve(std::min(n, static_cast<std::size_t>(e - s_.p) / (2 * kComponents) + 1));
      }
      for (;;) {
        T elem{};
        if (!fastElement(s_, elem)) { s_.p = save; return false; }
        values.push_back(elem);
        const ListStep step = afterListItem();
        if (step == ListStep::End) break;
        if (step == ListStep::Bad) { s_.p = save; return false; }
      }
      out = Value(std::move(values));
      return true;
    }
  });
}

ValueParser::ListStep ValueParser::afterListItem() {
  s_.skipInlinePad();
  if (s_.tryChar(',')) {
    s_.skipAnyPad();
    return s_.tryChar(']') ? ListStep::End : ListStep::Next;
  }
  s_.skipAnyPad();
  return s_.tryChar(']') ? ListStep::End : ListStep::Bad;
}

bool ValueParser::tryFastScalar(const ValueTypeInfo& type, Value& out) {
  return withKindType(type.kind, [&](auto id) -> bool {
    using T = typename decltype(id)::type;
    if constexpr (!kHasDirectPath<T>) {
      return false;
    } else {
      const char* save = s_.p;
      T elem{};
      if (!fastElement(s_, elem)) { s_.p = save; return false; }
      out = Value(std::move(elem));
      return true;
    }
  });
}

template <class T>
bool ValueParser::tryFastTextArray(Value& out) {
  // Mirrors the general path (parseList, then convert) for lists whose items
  // are all quoted strings; on anything else it backs off and the general
  // path re-reads the value. A bad string fails in scanString exactly as it
  // would there, at the same place.
  const char* save = s_.p;
  if (!s_.tryChar('[')) return false;
  s_.skipInlinePad();
  // Tokens are gathered in reused scratch: a list seen before then costs no
  // allocation at all.
  std::vector<T> strings;
  auto& values = [&]() -> std::vector<T>& {
    if constexpr (std::is_same_v<T, Token>) {
      tokenScratch_.clear();
      return tokenScratch_;
    } else {
      return strings;
    }
  }();
  if (!s_.tryChar(']')) {
    s_.skipAnyPad();
    for (;;) {
      if (s_.peek() != '"' && s_.peek() != '\'') {
        s_.p = save;
        return false;
      }
      s_.scanString(stringScratch_);
      if constexpr (std::is_same_v<T, Token>) values.emplace_back(stringScratch_);
      else values.push_back(stringScratch_);
      const ListStep step = afterListItem();
      if (step == ListStep::End) break;
      if (step == ListStep::Bad) {
        s_.p = save;
        return false;
      }
    }
  }
  if constexpr (std::is_same_v<T, Token>) out = tokenArrays_.share(values);
  else out = Value(std::move(values));
  return true;
}

Value ValueParser::parseTyped(const ValueTypeInfo& type) {
  Value v;
  if (!type.isOpaque) {
    if (type.isArray && type.kind == ValueKind::Token) {
      if (tryFastTextArray<Token>(v)) return v;
    } else if (type.isArray && type.kind == ValueKind::String) {
      if (tryFastTextArray<std::string>(v)) return v;
    } else if (type.isArray ? tryFastArray(type, v) : tryFastScalar(type, v)) {
      return v;
    }
  }
  RawValue raw = parseRaw("Expected number, identifier, string, asset ref, list or tuple");
  return convert(raw, type);
}

// ---- dictionaries -------------------------------------------------------------

Dictionary ValueParser::parseDictionary() {
  Dictionary dict;
  if (s_.peek() != '{') s_.fail("Expected {");
  NestingGuard guard(*this, s_.p);
  ++s_.p;
  s_.statementList('}', [&] {
    const char* entryStart = s_.p;
    bool isDict = s_.tryKeyword("dictionary");
    std::string typeName;
    if (!isDict) {
      typeName = s_.scanTypeName();
      if (typeName.empty()) s_.fail("Expected }");
    }
    s_.expectSep("Expected spaces");
    std::string key;
    if (s_.atStringStart()) {
      s_.scanString(key);
    } else {
      std::string_view id = s_.scanBaseId();
      if (id.empty()) s_.fail("Expected string or identifier");
      key.assign(id);
    }
    s_.skipInlinePad();
    s_.expectChar('=', "Expected =");
    s_.skipInlinePad();
    if (isDict) {
      dict.entries[key] = Value(parseDictionary());
    } else {
      std::optional<ValueTypeInfo> type = findValueType(typeName);
      if (!type || type->isOpaque)
        s_.fail(entryStart, "Unrecognized value typename '" + typeName + "' for dictionary");
      dict.entries[key] = parseTyped(*type);
    }
  });
  return dict;
}

// ---- pass-through text -----------------------------------------------------------

void ValueParser::appendRecorded(std::string& out, const RawValue& raw) {
  switch (raw.kind) {
    case RawValue::Kind::Number:
      switch (raw.number.kind) {
        case NumberToken::Kind::Int64: appendInt(out, raw.number.i); break;
        case NumberToken::Kind::UInt64: appendUInt(out, raw.number.u); break;
        case NumberToken::Kind::Double: appendDouble(out, raw.number.d); break;
      }
      break;
    case RawValue::Kind::Identifier: out += raw.text; break;
    case RawValue::Kind::String: appendQuoted(out, raw.text); break;
    case RawValue::Kind::Asset:
      // As the typed writer spells it: "@@@" quotes a path holding '@'.
      // (OpenUSD records "@" + path + "@" here, text its own reader
      // refuses when the path holds '@'.)
      appendAssetPath(out, raw.text);
      break;
    case RawValue::Kind::List:
    case RawValue::Kind::Tuple: {
      bool list = raw.kind == RawValue::Kind::List;
      out += list ? '[' : '(';
      for (std::size_t i = 0; i < raw.children.size(); ++i) {
        if (i) out += ", ";
        appendRecorded(out, raw.children[i]);
      }
      out += list ? ']' : ')';
      break;
    }
  }
}

std::string ValueParser::recordText(const RawValue& raw) {
  std::string out;
  appendRecorded(out, raw);
  return out;
}

}  // namespace usdkit::usda
