#include "base/Json.h"

#include <charconv>
#include <string>

namespace usdkit {

const JsonValue* JsonValue::get(std::string_view key) const {
  const Object* o = object();
  if (!o) return nullptr;
  auto it = o->find(std::string(key));
  return it == o->end() ? nullptr : &it->second;
}

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

namespace {

class JsonParser {
 public:
  JsonParser(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  Expected<JsonValue> parseDocument() {
    JsonValue v;
    if (!parseValue(v, 0)) return makeError(error_);
    skipSpace();
    if (pos_ != text_.size()) {
      fail("unexpected text after the JSON value");
      return makeError(error_);
    }
    return v;
  }

 private:
  bool fail(std::string_view what) {
    if (!error_.empty()) return false;
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    error_ = std::string(name_) + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " +
             std::string(what);
    return false;
  }

  void skipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool parseValue(JsonValue& out, int depth) {
    if (depth > 200) return fail("JSON nested too deeply");
    skipSpace();
    if (pos_ >= text_.size()) return fail("expected a JSON value");
    char c = text_[pos_];
    if (c == '{') return parseObject(out, depth);
    if (c == '[') return parseArray(out, depth);
    if (c == '"') {
      std::string s;
      if (!parseString(s)) return false;
      out.v = std::move(s);
      return true;
    }
    if (literal("true")) { out.v = true; return true; }
    if (literal("false")) { out.v = false; return true; }
    if (literal("null")) { out.v = nullptr; return true; }
    if (c == '-' || (c >= '0' && c <= '9')) {
      double d = 0;
      auto [p, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), d);
      if (ec != std::errc()) return fail("malformed number");
      pos_ = static_cast<std::size_t>(p - text_.data());
      out.v = d;
      return true;
    }
    return fail("expected a JSON value");
  }

  bool parseObject(JsonValue& out, int depth) {
    auto obj = std::make_shared<JsonValue::Object>();
    ++pos_;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      out.v = std::move(obj);
      return true;
    }
    for (;;) {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string key");
      std::string key;
      if (!parseString(key)) return false;
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      JsonValue v;
      if (!parseValue(v, depth + 1)) return false;
      (*obj)[std::move(key)] = std::move(v);
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < text_.size() && text_[pos_] == '}') { ++pos_; break; }
      return fail("expected ',' or '}'");
    }
    out.v = std::move(obj);
    return true;
  }

  bool parseArray(JsonValue& out, int depth) {
    auto arr = std::make_shared<JsonValue::Array>();
    ++pos_;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      out.v = std::move(arr);
      return true;
    }
    for (;;) {
      JsonValue v;
      if (!parseValue(v, depth + 1)) return false;
      arr->push_back(std::move(v));
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < text_.size() && text_[pos_] == ']') { ++pos_; break; }
      return fail("expected ',' or ']'");
    }
    out.v = std::move(arr);
    return true;
  }

  static void appendUtf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool parseHex4(unsigned& cp) {
    if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
    auto [p, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, cp, 16);
    if (ec != std::errc() || p != text_.data() + pos_ + 4) return fail("malformed \\u escape");
    pos_ += 4;
    return true;
  }

  bool parseString(std::string& out) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (c != '\\') { out += c; continue; }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!parseHex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            unsigned lo = 0;
            if (!parseHex4(lo)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default: return fail("unknown string escape");
      }
    }
    return fail("unterminated string");
  }

  std::string_view text_;
  std::string_view name_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Expected<JsonValue> parseJson(std::string_view text, std::string_view name) {
  return JsonParser(text, name).parseDocument();
}

}  // namespace usdkit
