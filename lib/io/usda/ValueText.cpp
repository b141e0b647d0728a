#include "io/usda/UsdaValueText.h"

#include "io/usda/Scanner.h"
#include "io/usda/ValueParser.h"
#include "io/usda/ValueWriter.h"

namespace usdkit {

Expected<Value> parseUsdaValue(std::string_view text, const ValueTypeInfo& type, std::string_view displayName,
                               std::vector<std::string>* warnings) {
  usda::Scanner scanner(text.data(), text.data() + text.size());
  usda::ValueParser parser(scanner, warnings, displayName);
  try {
    scanner.skipAnyPad();
    Value value = parser.parseTyped(type);
    scanner.skipAnyPad();
    if (!scanner.atEnd()) scanner.fail("Expected the end of the value");
    return value;
  } catch (const usda::ParseFailure& failure) {
    return makeError(scanner.failureText(failure, displayName));
  }
}

Expected<Value> parseUsdaValue(std::string_view text, std::string_view typeName, std::string_view displayName,
                               std::vector<std::string>* warnings) {
  const std::optional<ValueTypeInfo> type = findValueType(typeName);
  if (!type) {
    return makeError(std::string(displayName) + ": error: unknown value type '" +
                     usda::printableText(typeName) + "'");
  }
  return parseUsdaValue(text, *type, displayName, warnings);
}

void appendUsdaValue(std::string& out, const Value& value) {
  // Paths print as references wherever a value slot holds one (time samples,
  // relationship defaults); everything else as StringFromVtValue.
  if (const Path* p = value.getIf<Path>()) {
    usda::appendPathRef(out, *p);
    return;
  }
  usda::appendValueText(out, value);
}

}  // namespace usdkit
