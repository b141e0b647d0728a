#include "io/usda/Reader.h"

#include <algorithm>

#include "base/Unicode.h"

namespace usdkit::usda {

std::optional<int> scanListOpKeyword(Scanner& s) {
  static const std::pair<std::string_view, int> kOps[] = {
      {"add", 1}, {"prepend", 2}, {"append", 3}, {"delete", 4}, {"reorder", 5}};
  for (const auto& [word, slot] : kOps) {
    if (s.peekKeyword(word)) {
      const char* save = s.p;
      s.p += word.size();
      if (!s.trySep()) {
        s.p = save;
        return std::nullopt;
      }
      return slot;
    }
  }
  return std::nullopt;
}

Reader::Reader(std::string_view text, std::string_view displayName, const UsdaReadOptions& options,
               const Schema& schema, Layer& layer)
    : s_(text.data(), text.data() + text.size()),
      values_(s_, options.warnings, displayName),
      displayName_(displayName),
      options_(options),
      schema_(schema),
      layer_(layer),
      F_(fieldNames()),
      progress_(options.progress, ProgressUnit::Bytes, text.size(), "reading", displayName) {
  if (options.deferNumericArrays && options.textOwner)
    deferredName_ = std::make_shared<const std::string>(displayName);
  if (options.threads > 1) {
    workers_ = std::make_unique<WorkerThreads>(options.threads);
    values_.setWorkers(workers_.get());
  }
}

void Reader::warn(const char* at, const std::string& message) { s_.warn(at, message); }

Path Reader::anchorFor(const Path& path) {
  Path p = path.primOrPrimVariantSelectionPath();
  while (p.isPrimVariantSelectionPath()) p = p.parent();
  return p;
}

Path Reader::parsePathLiteral(std::string_view text, const char* at) {
  if (text.empty()) return Path();
  std::optional<Path> p = Path::parse(text);
  if (!p) fail(at, "'" + std::string(text) + "' is not a valid path");
  return *p;
}

void Reader::requireLineEnd(bool allowSemicolon, bool allowEof) {
  if (!s_.tryStatementEnd(allowSemicolon, allowEof))
    fail(s_.p, allowSemicolon ? "Expected ; or newline" : "Expected newline");
}

// ---- layer ------------------------------------------------------------------

void Reader::parseHeader() {
  if (s_.peek() != '#') fail(s_.p, "not a usda layer: expected '#usda 1.0' on the first line");
  const char* start = s_.p;
  while (!s_.atEnd() && s_.peek() != '\n' && s_.peek() != '\r') ++s_.p;
  std::string_view header(start, static_cast<std::size_t>(s_.p - start));
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
  std::string_view version;
  if (header.substr(0, 6) == "#usda ") {
    layer_.setFormatId("usda");
    version = "1.0";
  } else if (header.substr(0, 5) == "#sdf ") {
    layer_.setFormatId("sdf");
    version = "1.4.32";
  } else {
    fail(start, "Magic Cookie '" + std::string(header) + "'.  Expected prefix of '#usda '");
  }
  // Current OpenUSD writes usda 1.1 for spline tangent algorithms and 1.2
  // for array edits.
  const bool current = header.size() >= version.size() && header.substr(header.size() - version.size()) == version;
  if (!current && header != "#usda 1.1" && header != "#usda 1.2") {
    std::string_view cookieLen = layer_.formatId() == "sdf" ? "#sdf " : "#usda ";
    warn(start, "File '" + std::string(displayName_) + "' is not the latest " + layer_.formatId() +
                    " version (found '" + std::string(header.substr(cookieLen.size())) + "', expected '" +
                    std::string(version) + "'). The file may parse correctly and yield incorrect results.");
  }
}

void Reader::parseLayer() {
  parseHeader();
  s_.skipAnyPad();
  if (s_.peek() == '(') {
    parseLayerMetadata();
    s_.skipAnyPad();
  }
  if (options_.metadataOnly) return;
  Body root;
  for (;;) {
    s_.skipAnyPad();
    if (s_.atEnd()) break;
    if (s_.peekKeyword("reorder")) {
      parseRootReorder();
      continue;
    }
    if (s_.peekKeyword("def") || s_.peekKeyword("over") || s_.peekKeyword("class")) {
      parsePrim(Path::absoluteRoot(), root);
      requireLineEnd(false, true);
      continue;
    }
    fail(s_.p, "Expected prim definition (def, over or class), reorder rootPrims, or end of file");
  }
  if (!root.children.empty()) layer_.pseudoRoot().set(F_.primChildren, TokenVector{std::move(root.children)});
}

void Reader::parseRootReorder() {
  s_.p += 7;  // "reorder"
  s_.expectSep("Expected spaces");
  if (!s_.tryKeyword("rootPrims")) fail(s_.p, "Expected rootPrims");
  s_.skipInlinePad();
  s_.expectChar('=', "Expected =");
  s_.skipInlinePad();
  std::vector<Token> names = parseNameList();
  layer_.pseudoRoot().set(F_.primOrder, TokenVector{std::move(names)});
  requireLineEnd(true, true);
}

std::vector<Token> Reader::parseNameList() {
  std::vector<Token> names;
  std::string text;
  if (s_.atStringStart()) {
    s_.scanString(text);
    names.emplace_back(text);
    return names;
  }
  if (!s_.tryChar('[')) fail(s_.p, "Expected string or list of strings enclosed in [] separated by ,");
  s_.commaList(']', [&] {
    if (!s_.atStringStart()) fail(s_.p, "Expected string");
    s_.scanString(text);
    names.emplace_back(text);
  }, false);
  return names;
}

// ---- prims ------------------------------------------------------------------

void Reader::parsePrim(const Path& parent, Body& parentBody) {
  Specifier spec = Specifier::Def;
  if (s_.tryKeyword("def")) spec = Specifier::Def;
  else if (s_.tryKeyword("over")) spec = Specifier::Over;
  else if (s_.tryKeyword("class")) spec = Specifier::Class;
  s_.expectSep("Expected spaces");
  std::string typeName;
  if (!s_.atStringStart()) {
    for (;;) {
      std::string_view id = s_.scanIdentifier();
      if (id.empty()) fail(s_.p, "Expected string or identifier");
      typeName.append(id);
      const char* save = s_.p;
      s_.skipInlinePad();
      if (s_.tryChar('.')) {
        s_.skipInlinePad();
        typeName += '.';
        continue;
      }
      s_.p = save;
      break;
    }
    s_.expectSep("Expected spaces");
    if (!s_.atStringStart()) fail(s_.p, "Expected string");
  }
  const char* namePos = s_.p;
  std::string name;
  s_.scanString(name);
  if (!isValidUtf8Identifier(name)) fail(namePos, "'" + name + "' is not a valid prim name");
  Token nameToken(name);
  Path path = parent.appendChild(name);
  auto [prim, isNew] = layer_.tryCreateSpec(path, SpecType::Prim);
  if (!isNew) fail(namePos, "Duplicate prim '" + name + "'");
  prim.set(F_.specifier, spec);
  if (!typeName.empty()) prim.set(F_.typeName, Token(typeName));
  parentBody.children.push_back(nameToken);

  parseMetadataAndBody(path, prim, SpecType::Prim);
  reportProgress();
}

void Reader::parseMetadataAndBody(const Path& path, Spec& spec, SpecType type) {
  s_.skipAnyPad();
  if (s_.peek() == '(') {
    parseMetadataBlock(path, type);
    s_.skipAnyPad();
  }
  if (!s_.tryChar('{')) fail(s_.p, "Expected {");
  if (++nesting_ > kMaxNesting)
    fail(s_.p, "prims and variants nested more than " + std::to_string(kMaxNesting) + " levels deep");
  if (bodies_.size() < static_cast<std::size_t>(nesting_)) bodies_.resize(static_cast<std::size_t>(nesting_));
  Body& body = bodies_[static_cast<std::size_t>(nesting_) - 1];
  body.children.clear();
  body.properties.clear();
  parsePrimBody(path, body);
  finishBody(spec, body);
  --nesting_;
}

void Reader::reportProgress() {
  constexpr std::size_t kStep = 8 << 20;
  std::size_t offset = static_cast<std::size_t>(s_.p - s_.begin());
  // A megabyte at a time: often enough for a smooth line, rarely enough
  // to cost nothing.
  if (offset >= nextProgressAt_ && progress_.watched()) {
    progress_.advanceTo(offset);
    nextProgressAt_ = offset + (1 << 20);
  }
  if (options_.consumed && offset >= lastReported_ + kStep) {
    // Keep some text behind the cursor for statements still being read.
    options_.consumed(offset - (1 << 20));
    lastReported_ = offset;
  }
}

void Reader::finishBody(Spec& spec, Body& body) {
  // Copies: the body's vectors are scratch that the next prim reuses.
  if (!body.children.empty()) spec.set(F_.primChildren, TokenVector{body.children});
  if (!body.properties.empty()) spec.set(F_.properties, propertyLists_.share(body.properties));
}

void Reader::parsePrimBody(const Path& path, Body& body) {
  for (;;) {
    s_.skipAnyPad();
    if (s_.tryChar('}')) return;
    if (s_.atEnd()) fail(s_.p, "Expected }");
    if (s_.peekKeyword("def") || s_.peekKeyword("over") || s_.peekKeyword("class")) {
      parsePrim(path, body);
      requireLineEnd(false, false);
      continue;
    }
    if (s_.peekKeyword("variantSet")) {
      parseVariantSet(path);
      requireLineEnd(false, false);
      continue;
    }
    if (s_.peekKeyword("reorder")) {
      Scanner look = s_;
      look.p += 7;
      if (look.trySep() && (look.peekKeyword("nameChildren") || look.peekKeyword("properties"))) {
        parseOrderStatement(path);
        requireLineEnd(true, false);
        continue;
      }
    }
    parseProperty(path, body);
    requireLineEnd(true, false);
  }
}

void Reader::parseOrderStatement(const Path& primPath) {
  s_.p += 7;
  s_.expectSep("Expected spaces");
  bool children = s_.tryKeyword("nameChildren");
  if (!children && !s_.tryKeyword("properties")) fail(s_.p, "Expected nameChildren or properties");
  s_.skipInlinePad();
  s_.expectChar('=', "Expected =");
  s_.skipInlinePad();
  std::vector<Token> names = parseNameList();
  layer_.findSpec(primPath)->set(children ? F_.primOrder : F_.propertyOrder, TokenVector{std::move(names)});
}

void Reader::parseVariantSet(const Path& primPath) {
  s_.p += 10;  // "variantSet"
  s_.expectSep("Expected spaces");
  const char* setPos = s_.p;
  if (!s_.atStringStart()) fail(s_.p, "Expected string");
  std::string setName;
  s_.scanString(setName);
  if (!isValidVariantIdentifier(setName) || setName.empty())
    fail(setPos, "\"" + setName + "\" is not a valid variant name");
  s_.skipInlinePad();
  s_.expectChar('=', "Expected =");
  s_.skipAnyPad();
  if (!s_.tryChar('{')) fail(s_.p, "Expected {");

  std::vector<Token> variants;
  // `{}` is an empty set; `{ }` is a syntax error in OpenUSD's grammar and
  // is rejected the same way here.
  if (!s_.tryChar('}')) {
    for (;;) {
      s_.skipAnyPad();
      const char* namePos = s_.p;
      if (!s_.atStringStart()) fail(s_.p, "Expected string");
      std::string variantName;
      s_.scanString(variantName);
      if (!isValidVariantIdentifier(variantName))
        fail(namePos, "\"" + variantName + "\" is not a valid variant name");
      Path variantPath = primPath.appendVariantSelection(setName, variantName);
      Spec& variantSpec = layer_.createSpec(variantPath, SpecType::Variant);
      Token vt(variantName);
      if (std::find(variants.begin(), variants.end(), vt) == variants.end()) variants.push_back(vt);
      parseMetadataAndBody(variantPath, variantSpec, SpecType::Variant);
      s_.skipAnyPad();
      if (s_.tryChar('}')) break;
    }
  }
  Path setPath = primPath.appendVariantSelection(setName, "");
  Spec& prim = *layer_.findSpec(primPath);
  if (!layer_.findSpec(setPath)) {
    layer_.createSpec(setPath, SpecType::VariantSet);
    std::vector<Token> sets;
    if (const TokenVector* existing = prim.getAs<TokenVector>(F_.variantSetChildren)) sets = existing->items;
    sets.emplace_back(setName);
    layer_.findSpec(primPath)->set(F_.variantSetChildren, TokenVector{std::move(sets)});
  }
  layer_.findSpec(setPath)->set(F_.variantChildren, TokenVector{std::move(variants)});
}

}  // namespace usdkit::usda

namespace usdkit {

Expected<std::unique_ptr<Layer>> readUsda(std::string_view text, std::string_view displayName,
                                          const UsdaReadOptions& options) {
  auto layer = std::make_unique<Layer>();
  layer->setIdentifier(std::string(displayName));
  const Schema& schema = options.schema ? *options.schema : Schema::standard();
  usda::Reader reader(text, displayName, options, schema, *layer);
  try {
    reader.parseLayer();
  } catch (const usda::ParseFailure& failure) {
    const usda::Scanner where(text.data(), text.data() + text.size());
    return makeError(where.failureText(failure, displayName));
  }
  return layer;
}

}  // namespace usdkit
