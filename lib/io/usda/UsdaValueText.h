// One value as usda text, outside of any layer: parsed with a known type as
// the reader parses an attribute's value, printed as the writer prints one.
// For code that keeps values as text (the schema table's fallbacks) or
// quotes one in a message, without reaching into the reader or the writer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "sdf/Value.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit {

// Parses `text` as one value of `type`; the whole text must be that value
// (padding and comments around it are allowed). `None` is not a value of
// any type here: a value block is a statement's, not a value's. Errors read
// "<displayName>:<line>:<col>: error: ..." like the reader's; warnings (an
// integer too big for its type, read as a double) are appended to
// `warnings` when it is not null.
Expected<Value> parseUsdaValue(std::string_view text, const ValueTypeInfo& type,
                               std::string_view displayName = "value",
                               std::vector<std::string>* warnings = nullptr);
// The same with the type named as in a file ("float3[]", "token", the legacy
// "Vec3f"); an unknown name is an error.
Expected<Value> parseUsdaValue(std::string_view text, std::string_view typeName,
                               std::string_view displayName = "value",
                               std::vector<std::string>* warnings = nullptr);

// Appends the text the writer gives `value` as an attribute default or a
// time-sample value: numbers as OpenUSD prints them, strings quoted, `@asset@`,
// tuples, `[..]` arrays, `None` for a value block, paths as `<path>`.
void appendUsdaValue(std::string& out, const Value& value);

}  // namespace usdkit
