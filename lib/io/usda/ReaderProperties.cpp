// Attribute and relationship statements, time samples and splines.
#include <algorithm>
#include <cmath>

#include "base/Unicode.h"
#include "io/usda/DeferredArray.h"
#include "io/usda/Reader.h"

namespace usdkit::usda {

void Reader::parseProperty(const Path& primPath, Body& body) {
  const char* start = s_.p;
  std::optional<int> slot = scanListOpKeyword(s_);
  bool custom = false;
  if (s_.tryKeyword("custom")) {
    s_.expectSep("Expected spaces");
    custom = true;
  }
  if (s_.peekKeyword("rel") || s_.peekKeyword("varying")) {
    parseRelationship(primPath, body, slot, custom);
    return;
  }
  if (s_.peekKeyword("uniform") || s_.peekKeyword("config") || !s_.peekBaseId().empty()) {
    if (!s_.peekKeyword("uniform") && !s_.peekKeyword("config")) {
      Scanner look = s_;
      if (look.scanIdentifier().empty()) fail(start, "Expected child order, property order, prim, property, or variant set");
    }
    parseAttribute(primPath, body, slot, custom);
    return;
  }
  fail(start, "Expected child order, property order, prim, property, or variant set");
}

Spec& Reader::declareAttribute(const Path& path, Body& body, std::string_view name, const char* namePos,
                               Token typeName, bool custom, Variability variability) {
  auto [created, isNew] = layer_.tryCreateSpec(path, SpecType::Attribute);
  if (!isNew) {
    Spec* spec = &created;
    if (spec->type() != SpecType::Attribute)
      fail(namePos, "property '" + std::string(name) + "' is already declared as a relationship");
    const Token* existing = spec->getAs<Token>(F_.typeName);
    if (existing && !(*existing == typeName))
      fail(namePos, "attribute '" + std::string(name) + "' already has type '" + existing->string() +
                        "', cannot change to '" + typeName.string() + "'");
    const Variability* v = spec->getAs<Variability>(F_.variability);
    Variability existingVariability = v ? *v : Variability::Varying;
    if (existingVariability != variability)
      fail(namePos, "attribute '" + std::string(name) + "' already has variability '" +
                        (existingVariability == Variability::Uniform ? "SdfVariabilityUniform" : "SdfVariabilityVarying") +
                        "', cannot change to '" +
                        (variability == Variability::Uniform ? "SdfVariabilityUniform" : "SdfVariabilityVarying") + "'");
    if (custom) spec->set(F_.custom, true);
    return created;
  }
  // Fields equal to the schema fallback (custom = false, variability =
  // varying) are not stored, as OpenUSD's own data does not need them;
  // most attributes then fit in a spec's inline field slots.
  created.set(F_.typeName, typeName);
  if (custom) created.set(F_.custom, true);
  if (variability == Variability::Uniform) created.set(F_.variability, variability);
  body.properties.push_back(Token(name));
  return created;
}

Spec& Reader::declareRelationship(const Path& path, Body& body, std::string_view name, const char* namePos,
                                  bool custom, Variability variability) {
  auto [created, isNew] = layer_.tryCreateSpec(path, SpecType::Relationship);
  if (!isNew) {
    Spec* spec = &created;
    if (spec->type() != SpecType::Relationship)
      fail(namePos, "property '" + std::string(name) + "' is already declared as an attribute");
    if (custom) spec->set(F_.custom, true);
    spec->set(F_.variability, variability);
    return created;
  }
  if (custom) created.set(F_.custom, true);
  created.set(F_.variability, variability);
  body.properties.push_back(Token(name));
  return created;
}

std::vector<Path> Reader::parseTargetList(const Path& propPath, bool connections, bool allowNone, const char* what) {
  std::vector<Path> paths;
  Path anchor = anchorFor(propPath);
  auto item = [&] {
    if (s_.peek() != '<') fail(s_.p, what);
    const char* at = s_.p;
    std::string_view text = s_.scanPathRef();
    std::optional<Path> p = Path::parse(text);
    if (connections) {
      if (!p || p->empty() || !(p->isPrimPath() || p->isPropertyPath()) || p->containsPrimVariantSelection())
        fail(at, "'" + std::string(text) + "' is not a valid prim or property scene path");
      Path abs = p->makeAbsolute(anchor);
      if (abs.containsPrimVariantSelection()) {
        Path stripped = abs.stripAllVariantSelections();
        warn(at, "Connection path <" + abs.string() + "> has a variant selection, but variant selections are "
                 "not meaningful in connection paths.  Stripping the variant selection and using <" +
                 stripped.string() + "> instead.  Resaving the file will fix this issue.");
        abs = stripped;
      }
      if (abs.empty() || !abs.isAbsolute())
        fail(at, "Connection paths must be absolute prim or property paths: <" + std::string(text) + ">");
      paths.push_back(abs);
    } else {
      if (!p || p->empty()) fail(at, "'" + std::string(text) + "' is not a valid path");
      Path abs = p->isAbsolute() ? *p : p->makeAbsolute(anchor);
      if (abs.empty() || !(abs.isPrimPath() || abs.isPropertyPath() || abs.isMapperPath()) || !abs.isAbsolute())
        fail(at, "Relationship target paths must be absolute prim, property or mapper paths");
      if (variantSelectionsProhibited() && abs.containsPrimVariantSelection())
        fail(at, "Relationship target paths cannot contain variant selections");
      paths.push_back(abs);
    }
  };
  if (allowNone && s_.tryKeyword("None")) return paths;
  if (s_.tryChar('[')) {
    s_.commaList(']', [&] {
      item();
    });
    return paths;
  }
  item();
  return paths;
}

void Reader::parseTargetAssignment(const Path& propPath, bool connections, std::optional<int> slot) {
  const char* at = s_.p;
  std::vector<Path> targets =
      parseTargetList(propPath, connections, true, "Expected None, path ref, or list of path refs separated by ,");
  int slotValue = slot.value_or(0);
  const char* what = connections ? "connection paths" : "relationship targets";
  if (targets.empty() && slotValue != 0)
    fail(at, std::string("Setting ") + what + " to None (or an empty list) is only allowed when setting explicit " +
                 what + ", not for list editing");
  setListOpSlot(propPath, connections ? F_.connectionPaths : F_.targetPaths, slotValue, std::move(targets), at);
}

void Reader::parseRelationship(const Path& primPath, Body& body, std::optional<int> slot, bool custom) {
  Variability variability = Variability::Uniform;
  if (s_.tryKeyword("varying")) {
    s_.expectSep("Expected spaces");
    variability = Variability::Varying;
  }
  if (!s_.tryKeyword("rel")) fail(s_.p, "Expected rel");
  s_.expectSep("Expected spaces");
  const char* namePos = s_.p;
  std::string_view name = s_.scanNamespacedName();
  if (name.empty()) fail(s_.p, "Expected identifier");
  if (!isValidNamespacedUtf8Identifier(name))
    fail(namePos, "'" + std::string(name) + " is not a valid relationship name");
  Path path = primPath.appendProperty(name);
  Spec* spec = &declareRelationship(path, body, name, namePos, custom, variability);
  const char* afterName = s_.p;
  s_.skipInlinePad();
  if (!slot && s_.tryChar('.')) {
    s_.skipInlinePad();
    if (!s_.tryKeyword("default")) fail(s_.p, "Expected default");
    s_.skipInlinePad();
    s_.expectChar('=', "Expected =");
    s_.skipInlinePad();
    if (s_.peek() != '<') fail(s_.p, "Expected path reference");
    const char* at = s_.p;
    spec->set(F_.defaultValue, parsePathLiteral(s_.scanPathRef(), at));
    return;
  }
  if (!slot && s_.tryChar('[')) {
    // Legacy target declaration `rel r [</target>]`.
    s_.skipInlinePad();
    if (s_.peek() != '<') fail(s_.p, "Expected path reference");
    // Only validated: OpenUSD's data model no longer keeps these
    // declarations, and its writer never prints them.
    parseTargetList(path, false, false, "Expected path reference");
    s_.skipInlinePad();
    s_.expectChar(']', "Expected ]");
    return;
  }
  if (s_.tryChar('=')) {
    s_.skipInlinePad();
    parseTargetAssignment(path, false, slot);
    s_.skipInlinePad();
  } else {
    s_.p = afterName;
    s_.skipInlinePad();
  }
  if (!slot && s_.peek() == '(') parseMetadataBlock(path, SpecType::Relationship);
}

Value Reader::parseAttributeValue(const std::optional<ValueTypeInfo>& type) {
  if (s_.tryKeyword("None")) return Value(ValueBlock{});
  // `edit [ ... ]`: an array edit (usda 1.2). (`edit` alone stays an
  // identifier: the word is not reserved.)
  if (const char* at = s_.p; s_.tryKeyword("edit")) {
    s_.skipInlinePad();
    if (s_.peek() == '[') return parseArrayEdit(type, at);
    s_.p = at;
  }
  if (type) {
    if (s_.peek() == '<') fail(s_.p, "path values are not allowed for attributes of type '" +
                                         type->serializationName.string() + "'");
    return values_.parseTyped(*type);
  }
  if (s_.peek() == '<') {
    std::string_view p = s_.scanPathRef();
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on
    // `"<" + std::string(...)` when inlined.
    std::string text;
    text.reserve(p.size() + 2);
    text += '<';
    text += p;
    text += '>';
    return Value(UnregisteredValue{std::move(text)});
  }
  return Value(UnregisteredValue{values_.recordText(
      values_.parseRaw("Expected number, identifier, string, asset ref, list or tuple"))});
}

void Reader::parseAttribute(const Path& primPath, Body& body, std::optional<int> slot, bool custom) {
  Variability variability = Variability::Varying;
  if (s_.tryKeyword("uniform") || s_.tryKeyword("config")) {
    s_.expectSep("Expected spaces");
    variability = Variability::Uniform;
  }
  const char* typePos = s_.p;
  std::string typeName = s_.scanTypeName();
  if (typeName.empty()) fail(s_.p, "Expected identifier");
  s_.expectSep("Expected spaces");
  const char* namePos = s_.p;
  std::string_view name = s_.scanNamespacedName();
  if (name.empty()) fail(s_.p, "Expected identifier");
  std::optional<ValueTypeInfo> type = findValueType(typeName);
  Token storedType = type ? type->serializationName : Token(typeName);
  if (!isValidNamespacedUtf8Identifier(name))
    fail(namePos, "'" + std::string(name) + "' is not a valid attribute name");
  Path path = primPath.appendProperty(name);
  Spec* spec = &declareAttribute(path, body, name, namePos, storedType, custom, variability);

  const char* afterName = s_.p;
  s_.skipInlinePad();
  if (s_.tryChar('.')) {
    s_.skipInlinePad();
    if (s_.tryKeyword("connect")) {
      s_.skipInlinePad();
      s_.expectChar('=', "Expected =");
      s_.skipInlinePad();
      parseTargetAssignment(path, true, slot);
      return;
    }
    if (slot) fail(s_.p, "Expected connect");
    if (s_.tryKeyword("timeSamples")) {
      s_.skipInlinePad();
      s_.expectChar('=', "Expected =");
      s_.skipInlinePad();
      parseTimeSamples(path, type);
      return;
    }
    if (s_.tryKeyword("spline")) {
      s_.skipInlinePad();
      s_.expectChar('=', "Expected =");
      s_.skipInlinePad();
      parseSpline(path, type, typePos, typeName);
      return;
    }
    fail(s_.p, "Expected timeSamples, connect or spline");
  }
  if (slot) fail(afterName, "Expected .connect");
  if (s_.tryChar('=')) {
    s_.skipInlinePad();
    const char* valueStart = s_.p;
    ScannedArray scanned;
    if (deferredName_ && type && canDeferArray(*type)) scanned = scanPlainArray(valueStart, s_.end(), *type);
    if (scanned.end) {
      s_.p = scanned.end;
      spec->set(F_.defaultValue,
                deferredArray(options_.textOwner, std::string_view(valueStart, scanned.end - valueStart), *type,
                              scanned, deferredName_));
    } else if (s_.tryKeyword("AnimationBlock")) {
      // Only a default (current OpenUSD's AttributeAssignment), never a
      // time sample.
      spec->set(F_.defaultValue, Value(AnimationBlock{}));
    } else {
      spec->set(F_.defaultValue, parseAttributeValue(type));
    }
    afterName = s_.p;
  }
  s_.p = afterName;
  s_.skipInlinePad();
  if (s_.peek() == '(') parseMetadataBlock(path, SpecType::Attribute);
}

void Reader::parseTimeSamples(const Path& attrPath, const std::optional<ValueTypeInfo>& type) {
  if (!s_.tryChar('{')) fail(s_.p, "Expected dictionary of time samples (x : y)");
  s_.skipAnyPad();
  TimeSamples samples;
  auto& list = samples.samples;
  // Real files list samples in time order: each is appended. Any other
  // order is sorted once at the end, never by inserting one sample at a
  // time (quadratic: a hostile file in reverse order would hang).
  bool inOrder = true;
  s_.commaList('}', [&] {
    NumberToken time;
    const char* at = s_.p;
    if (!s_.scanNumber(time)) fail(s_.p, "Expected dictionary of time samples (x : y)");
    s_.skipInlinePad();
    s_.expectChar(':', "Expected dictionary of time samples (x : y)");
    s_.skipInlinePad();
    if (!type && !list.empty()) fail(at, "Unrecognized type name");
    Value v = parseAttributeValue(type);
    const double t = time.asDouble();
    if (inOrder && !list.empty() && !(list.back().first < t)) {
      if (list.back().first == t) {
        list.back().second = std::move(v);  // a repeated time: the last value wins
        return;
      }
      inOrder = false;
    }
    list.emplace_back(t, std::move(v));
  });
  if (!inOrder) sortTimeSamples(list);
  layer_.findSpec(attrPath)->set(F_.timeSamples, Value(std::move(samples)));
}

void sortTimeSamples(std::vector<std::pair<double, Value>>& list) {
  // Sorted by time, the last value of a repeated time winning (its first
  // time kept, as -0 and 0 are one time); NaN times first, latest first.
  std::vector<std::size_t> order(list.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = list[a].first, y = list[b].first;
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && (!std::isnan(y) || a > b);
    return x < y;
  });
  std::vector<std::pair<double, Value>> sorted;
  sorted.reserve(list.size());
  for (std::size_t i : order) {
    auto& sample = list[i];
    if (!sorted.empty() && sorted.back().first == sample.first) sorted.back().second = std::move(sample.second);
    else sorted.push_back(std::move(sample));
  }
  list = std::move(sorted);
}

}  // namespace usdkit::usda
