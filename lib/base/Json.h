// A small JSON reader for configuration files (plugInfo.json, manifests).
// Accepts '#' line comments, which plugInfo.json files use.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/Expected.h"

namespace usdkit {

struct JsonValue {
  using Array = std::vector<JsonValue>;
  using Object = std::map<std::string, JsonValue>;
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> v;

  bool isNull() const { return v.index() == 0; }
  const std::string* string() const { return std::get_if<std::string>(&v); }
  const double* number() const { return std::get_if<double>(&v); }
  const bool* boolean() const { return std::get_if<bool>(&v); }
  const Array* array() const {
    auto p = std::get_if<std::shared_ptr<Array>>(&v);
    return p ? p->get() : nullptr;
  }
  const Object* object() const {
    auto p = std::get_if<std::shared_ptr<Object>>(&v);
    return p ? p->get() : nullptr;
  }
  // Member lookup; null when this is not an object or has no such key.
  const JsonValue* get(std::string_view key) const;
};

// `name` is used in error messages ("name:line:col: ...").
Expected<JsonValue> parseJson(std::string_view text, std::string_view name);

// Appends `text` as a JSON string literal: quoted, with quotes, backslashes and
// control characters escaped; other bytes (UTF-8) are copied as they are.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace usdkit
