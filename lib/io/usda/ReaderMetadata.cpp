// Metadata blocks `( ... )` of layers, prims, variants and properties.
#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "base/Unicode.h"
#include "io/usda/Reader.h"

namespace usdkit::usda {

bool variantSelectionsProhibited() {
  static const bool prohibited = [] {
    const char* v = std::getenv("SDF_SCHEMA_PROHIBIT_INVALID_VARIANT_SELECTIONS");
    return !(v && std::string_view(v) == "0");
  }();
  return prohibited;
}



void Reader::parseLayerMetadata() {
  parseMetadataBlock(Path::absoluteRoot(), SpecType::PseudoRoot);
}

void Reader::parseMetadataBlock(const Path& path, SpecType type) {
  s_.expectChar('(', "Expected (");
  s_.statementList(')', [&] {
    parseMetadataItem(path, type);
  });
}

LayerOffset Reader::parseLayerOffsetItem(LayerOffset offset) {
  bool isOffset = s_.tryKeyword("offset");
  if (!isOffset && !s_.tryKeyword("scale")) fail(s_.p, "Expected offset or scale");
  s_.skipInlinePad();
  s_.expectChar('=', "Expected =");
  s_.skipInlinePad();
  NumberToken n;
  if (!s_.scanNumber(n)) fail(s_.p, "Expected number");
  (isOffset ? offset.offset : offset.scale) = n.asDouble();
  return offset;
}

void Reader::parseMetadataItem(const Path& path, SpecType type) {
  Spec* spec = layer_.findSpec(path);
  const char* itemPos = s_.p;
  bool isLayer = type == SpecType::PseudoRoot;
  bool isPrimLike = type == SpecType::Prim || type == SpecType::Variant;
  bool isAttr = type == SpecType::Attribute;
  bool isProperty = isAttr || type == SpecType::Relationship;

  if (s_.atStringStart()) {
    std::string comment;
    s_.scanString(comment);
    spec->set(F_.comment, std::move(comment));
    return;
  }
  auto expectEquals = [&] {
    s_.skipInlinePad();
    s_.expectChar('=', "Expected =");
    s_.skipInlinePad();
  };
  if (s_.tryKeyword("doc")) {
    expectEquals();
    if (!s_.atStringStart()) fail(s_.p, "Expected string");
    std::string doc;
    s_.scanString(doc);
    spec->set(F_.documentation, std::move(doc));
    return;
  }
  if (isLayer && s_.tryKeyword("subLayers")) {
    expectEquals();
    parseSubLayers();
    return;
  }
  if ((isLayer || isPrimLike) && s_.tryKeyword("relocates")) {
    expectEquals();
    parseRelocates(path, isLayer);
    return;
  }
  if (isPrimLike) {
    if (s_.tryKeyword("kind")) {
      expectEquals();
      if (!s_.atStringStart()) fail(s_.p, "Expected string");
      std::string kind;
      s_.scanString(kind);
      spec->set(F_.kind, Token(kind));
      return;
    }
    if (s_.tryKeyword("references")) { expectEquals(); parseReferenceList(path, 0, false); return; }
    if (s_.tryKeyword("payload")) { expectEquals(); parseReferenceList(path, 0, true); return; }
    if (s_.tryKeyword("inherits")) { expectEquals(); parsePathListMetadata(path, 0, F_.inheritPaths, false); return; }
    if (s_.tryKeyword("specializes")) { expectEquals(); parsePathListMetadata(path, 0, F_.specializes, true); return; }
    if (s_.tryKeyword("variants")) { expectEquals(); parseVariantSelections(path); return; }
    if (s_.tryKeyword("variantSets")) { expectEquals(); parseVariantSetNames(path, 0); return; }
    if (s_.tryKeyword("prefixSubstitutions")) { expectEquals(); parseStringDictionary(path, F_.prefixSubstitutions); return; }
    if (s_.tryKeyword("suffixSubstitutions")) { expectEquals(); parseStringDictionary(path, F_.suffixSubstitutions); return; }
  }
  if (isPrimLike || isProperty) {
    if (s_.tryKeyword("permission")) {
      expectEquals();
      const char* at = s_.p;
      std::string_view id = s_.scanIdentifier();
      if (id.empty()) fail(s_.p, "Expected identifier");
      if (id == "public") spec->set(F_.permission, Permission::Public);
      else if (id == "private") spec->set(F_.permission, Permission::Private);
      else fail(at, "'" + std::string(id) + "' is not a valid permission constant");
      return;
    }
    if (s_.tryKeyword("symmetryFunction")) {
      expectEquals();
      std::string_view id = s_.scanIdentifier();
      spec->set(F_.symmetryFunction, Token(id));
      return;
    }
  }
  if (isAttr && s_.tryKeyword("displayUnit")) {
    expectEquals();
    const char* at = s_.p;
    std::string_view id = s_.scanIdentifier();
    if (id.empty()) fail(s_.p, "Expected identifier");
    static const std::string_view kUnits[] = {"mm", "cm", "dm", "m", "km", "in", "ft", "yd", "mi", "deg", "rad"};
    if (std::find(std::begin(kUnits), std::end(kUnits), id) == std::end(kUnits))
      fail(at, "'" + std::string(id) + "' is not a valid display unit");
    spec->set(F_.displayUnit, Token(id));
    return;
  }
  // List-op statements.
  if (std::optional<int> slot = scanListOpKeyword(s_)) {
    if (isPrimLike) {
      if (s_.tryKeyword("references")) { expectEquals(); parseReferenceList(path, *slot, false); return; }
      if (s_.tryKeyword("payload")) { expectEquals(); parseReferenceList(path, *slot, true); return; }
      if (s_.tryKeyword("inherits")) { expectEquals(); parsePathListMetadata(path, *slot, F_.inheritPaths, false); return; }
      if (s_.tryKeyword("specializes")) { expectEquals(); parsePathListMetadata(path, *slot, F_.specializes, true); return; }
      if (s_.tryKeyword("variantSets")) { expectEquals(); parseVariantSetNames(path, *slot); return; }
    }
    const char* keyPos = s_.p;
    std::string_view key = s_.scanIdentifier();
    if (key.empty()) fail(s_.p, "Expected identifier");
    parseGenericMetadata(path, type, key, keyPos, slot);
    return;
  }
  const char* keyPos = s_.p;
  std::string_view key;
  if (s_.peekKeyword("customData")) key = std::string_view(s_.p, 10), s_.p += 10;
  else if (s_.peekKeyword("symmetryArguments")) key = std::string_view(s_.p, 17), s_.p += 17;
  else key = s_.scanIdentifier();
  if (key.empty()) fail(itemPos, "Expected )");
  parseGenericMetadata(path, type, key, keyPos, std::nullopt);
}

void Reader::parseGenericMetadata(const Path& path, SpecType type, std::string_view keyText, const char* keyPos,
                                  std::optional<int> listOpSlot) {
  Token key(keyText);
  s_.skipInlinePad();
  s_.expectChar('=', "Expected =");
  s_.skipInlinePad();
  Spec* spec = layer_.findSpec(path);
  const char* valuePos = s_.p;
  const FieldDefinition* def = schema_.find(key);
  bool isMeta = def && (def->metadataFor & specClassOf(type));

  // A field of this spec that is not metadata (comment, specifier, ...)
  // cannot be set with `key = value`.
  if (!isMeta && def && ((def->fieldFor | def->metadataFor) & specClassOf(type)))
    fail(keyPos, "\"" + key.string() + "\" is registered as a non-metadata field");

  if (isMeta) {
    bool isListOp = def->kind >= FieldValueKind::TokenListOp && def->kind <= FieldValueKind::UInt64ListOp;
    if (listOpSlot && !isListOp) fail(keyPos, "invalid value for field \"" + key.string() + "\"");
    if (isListOp) {
      int slot = listOpSlot.value_or(0);
      std::optional<RawValue> raw;
      if (!s_.tryKeyword("None")) {
        if (s_.peek() != '[') fail(s_.p, "Expected None or [");
        raw = values_.parseList("Expected None or [");
      }
      // The items are read as an array of the list op's item type; `None`
      // sets the slot to an empty list.
      auto apply = [&]<class T>(std::type_identity<T>, ValueKind kind) {
        std::vector<T> list;
        if (raw) {
          ValueTypeInfo itemArray;
          itemArray.kind = kind;
          itemArray.isArray = true;
          list = values_.convert(*raw, itemArray).template get<std::vector<T>>();
        }
        if (hasDuplicateItems(list))
          fail(valuePos, "Duplicate items exist for field '" + key.string() + "' at '" + path.string() + "'");
        ListOp<T> op;
        if (const ListOp<T>* existing = spec->getAs<ListOp<T>>(key)) op = *existing;
        op.set(static_cast<typename ListOp<T>::Slot>(slot), std::move(list));
        spec->set(key, Value(std::move(op)));
      };
      switch (def->kind) {
        case FieldValueKind::TokenListOp: apply(std::type_identity<Token>{}, ValueKind::Token); break;
        case FieldValueKind::StringListOp: apply(std::type_identity<std::string>{}, ValueKind::String); break;
        case FieldValueKind::IntListOp: apply(std::type_identity<std::int32_t>{}, ValueKind::Int); break;
        case FieldValueKind::Int64ListOp: apply(std::type_identity<std::int64_t>{}, ValueKind::Int64); break;
        case FieldValueKind::UIntListOp: apply(std::type_identity<std::uint32_t>{}, ValueKind::UInt); break;
        case FieldValueKind::UInt64ListOp: apply(std::type_identity<std::uint64_t>{}, ValueKind::UInt64); break;
        default: break;
      }
      return;
    }
    if (s_.peekKeyword("None")) fail(keyPos, "invalid value for field \"" + key.string() + "\"");
    if (def->kind == FieldValueKind::Dictionary) {
      if (s_.peek() != '{') fail(keyPos, "invalid value for field \"" + key.string() + "\"");
      spec->set(key, Value(values_.parseDictionary()));
      return;
    }
    if (def->kind != FieldValueKind::Typed || s_.peek() == '{' || s_.peek() == '<')
      fail(keyPos, "invalid value for field \"" + key.string() + "\"");
    Value v = values_.parseTyped(def->type);
    if (def->positive) {
      const double* d = v.getIf<double>();
      if (d && !(*d > 0)) fail(keyPos, "invalid value for field \"" + key.string() + "\"");
    }
    spec->set(key, std::move(v));
    return;
  }

  // Unregistered: keep dictionaries as parsed, everything else as text.
  if (!listOpSlot && s_.peek() == '{') {
    spec->set(key, Value(values_.parseDictionary()));
    return;
  }
  std::string text;
  if (s_.tryKeyword("None")) {
    text = "None";
  } else if (listOpSlot) {
    if (s_.peek() != '[') fail(s_.p, "Expected None or [");
    text = values_.recordText(values_.parseList("Expected None or ["));
  } else if (s_.peek() == '<') {
    std::string_view p = s_.scanPathRef();
    text = "<" + std::string(p) + ">";
  } else {
    text = values_.recordText(values_.parseRaw("Expected number, identifier, string, asset ref, list or tuple"));
  }
  if (!listOpSlot) {
    spec->set(key, UnregisteredValue{std::move(text)});
    return;
  }
  const Value* old = spec->get(key);
  if (old && !old->is<UnregisteredListOp>()) return;  // a plain value was authored first: keep it
  UnregisteredListOp op;
  if (old) op = old->get<UnregisteredListOp>();
  std::vector<UnregisteredValue> items;
  if (text != "None") {
    if (!text.empty() && text.front() == '[') text.erase(0, 1);
    if (!text.empty() && text.back() == ']') text.pop_back();
    items.push_back(UnregisteredValue{std::move(text)});
  }
  op.set(static_cast<UnregisteredListOp::Slot>(*listOpSlot), std::move(items));
  spec->set(key, Value(std::move(op)));
}

void Reader::parseSubLayers() {
  if (!s_.tryChar('[')) fail(s_.p, "Expected [");
  std::vector<std::string> paths;
  std::vector<LayerOffset> offsets;
  s_.commaList(']', [&] {
    if (!s_.atAssetStart()) fail(s_.p, "Expected @");
    std::string asset;
    s_.scanAssetRef(asset);
    LayerOffset offset;
    s_.skipInlinePad();
    if (s_.tryChar('(')) s_.statementList(')', [&] { offset = parseLayerOffsetItem(offset); });
    paths.push_back(std::move(asset));
    offsets.push_back(offset);
  });
  if (paths.empty()) return;  // `subLayers = []` stores nothing
  Spec& root = layer_.pseudoRoot();
  root.set(F_.subLayers, StringVector{std::move(paths)});
  root.set(F_.subLayerOffsets, LayerOffsetVector{std::move(offsets)});
}

void Reader::parseReferenceList(const Path& path, int slot, bool payload) {
  const char* listPos = s_.p;
  std::vector<Reference> refs;
  std::vector<Payload> pays;
  auto parseItem = [&] {
    const char* itemPos = s_.p;
    std::string asset;
    Path prim;
    if (s_.atAssetStart()) {
      s_.scanAssetRef(asset);
      if (asset.empty())
        fail(itemPos, std::string(payload ? "Payload" : "Reference") +
                          " asset path must not be empty. If this is intended to be an internal " +
                          (payload ? "payload" : "reference") + ", remove the '@' delimiters.");
      s_.skipInlinePad();
      if (s_.peek() == '<') {
        const char* pathPos = s_.p;
        prim = parsePathLiteral(s_.scanPathRef(), pathPos);
      }
    } else if (s_.peek() == '<') {
      const char* pathPos = s_.p;
      prim = parsePathLiteral(s_.scanPathRef(), pathPos);
    } else {
      fail(s_.p, payload ? "Expected None, payload, or list of payloads separated by ,"
                         : "Expected None, reference, or list of references separated by ,");
    }
    if (!prim.empty()) {
      if (!prim.isPrimPath() && !prim.isPrimVariantSelectionPath())
        fail(itemPos, "'" + prim.string() + "' is not a valid prim path");
      if (variantSelectionsProhibited() && prim.containsPrimVariantSelection())
        fail(itemPos, std::string(payload ? "Payload" : "Reference") + " paths cannot contain variant selections");
      if (!prim.isAbsolute())
        fail(itemPos, std::string(payload ? "Payload" : "Reference") + " prim path <" + prim.string() +
                          "> must be either empty or an absolute prim path");
    }
    LayerOffset offset;
    std::shared_ptr<const Dictionary> customData;
    s_.skipInlinePad();
    if (s_.tryChar('(')) {
      s_.statementList(')', [&] {
        if (!payload && s_.tryKeyword("customData")) {
          s_.skipInlinePad();
          s_.expectChar('=', "Expected =");
          s_.skipInlinePad();
          customData = std::make_shared<const Dictionary>(values_.parseDictionary());
        } else {
          offset = parseLayerOffsetItem(offset);
        }
      });
    }
    if (payload) pays.push_back(Payload{std::move(asset), prim, offset});
    else refs.push_back(Reference{std::move(asset), prim, offset, std::move(customData)});
  };
  if (s_.tryKeyword("None")) {
    // explicit empty
  } else if (s_.tryChar('[')) {
    s_.commaList(']', [&] {
      parseItem();
    });
  } else {
    parseItem();
  }
  bool empty = payload ? pays.empty() : refs.empty();
  if (empty && slot != 0)
    fail(listPos, std::string("Setting ") + (payload ? "payload" : "references") +
                      " to None (or an empty list) is only allowed when setting explicit " +
                      (payload ? "payloads" : "references") + ", not for list editing");
  if (payload) setListOpSlot(path, F_.payload, slot, std::move(pays), listPos);
  else setListOpSlot(path, F_.references, slot, std::move(refs), listPos);
}


void Reader::parsePathListMetadata(const Path& path, int slot, Token field, bool specializes) {
  const char* listPos = s_.p;
  std::vector<Path> paths;
  Path anchor = anchorFor(path);
  auto item = [&] {
    if (s_.peek() != '<') fail(s_.p, "Expected None, path ref, or list of path refs separated by ,");
    const char* at = s_.p;
    std::string_view text = s_.scanPathRef();
    std::optional<Path> p = Path::parse(text);
    if (!p || p->empty() || !p->isPrimPath())
      fail(at, "'" + std::string(text) + "' is not a valid prim path");
    Path abs = p->makeAbsolute(anchor);
    if (abs.empty() || !abs.isAbsolute())
      fail(at, std::string(specializes ? "Specializes" : "Inherit") + " paths must be absolute prim paths");
    if (variantSelectionsProhibited() && abs.containsPrimVariantSelection())
      fail(at, std::string(specializes ? "Specializes" : "Inherit") + " paths cannot contain variant selections");
    paths.push_back(abs);
  };
  if (s_.tryKeyword("None")) {
  } else if (s_.tryChar('[')) {
    s_.commaList(']', [&] {
      item();
    });
  } else {
    item();
  }
  if (paths.empty() && slot != 0)
    fail(listPos, std::string("Setting ") + (specializes ? "specializes paths" : "inherit paths") +
                      " to None (or an empty list) is only allowed when setting explicit " +
                      (specializes ? "specializes paths" : "inherit paths") + ", not for list editing");
  setListOpSlot(path, field, slot, std::move(paths), listPos);
}

void Reader::parseVariantSetNames(const Path& path, int slot) {
  const char* at = s_.p;
  std::vector<Token> names = parseNameList();
  std::vector<std::string> strings;
  for (Token t : names) {
    if (!isValidUtf8Identifier(t.str())) fail(at, "\"" + t.string() + "\" is not a valid variant set name");
    strings.push_back(t.string());
  }
  if (hasDuplicateItems(strings))
    fail(at, "Duplicate items exist for field 'variantSetNames' at '" + path.string() + "'");
  Spec* spec = layer_.findSpec(path);
  StringListOp op;
  if (const StringListOp* existing = spec->getAs<StringListOp>(F_.variantSetNames)) op = *existing;
  op.set(static_cast<StringListOp::Slot>(slot), strings);
  spec->set(F_.variantSetNames, Value(std::move(op)));
  if (slot == 0 || slot == 1) {  // explicit or add: the sets exist
    for (Token n : names) layer_.createSpec(path.appendVariantSelection(n.str(), ""), SpecType::VariantSet);
    layer_.findSpec(path)->set(F_.variantSetChildren, TokenVector{names});
  }
}

void Reader::parseVariantSelections(const Path& path) {
  const char* at = s_.p;
  if (s_.peek() != '{') fail(s_.p, "Expected {");
  Dictionary dict = values_.parseDictionary();
  Spec* spec = layer_.findSpec(path);
  VariantSelectionMap map;
  if (const VariantSelectionMap* existing = spec->getAs<VariantSelectionMap>(F_.variantSelection)) map = *existing;
  for (const auto& [set, value] : dict.entries) {
    const std::string* sel = value.getIf<std::string>();
    if (!sel) fail(at, "variant name must be a string");
    bool expression = sel->size() >= 2 && sel->front() == '`' && sel->back() == '`';
    if (!expression && !isValidVariantIdentifier(*sel))
      fail(at, "\"" + *sel + "\" is not a valid variant name");
    map.selections[set] = *sel;
  }
  spec->set(F_.variantSelection, Value(std::move(map)));
}

void Reader::parseRelocates(const Path& path, bool layerLevel) {
  if (!s_.tryChar('{')) fail(s_.p, "Expected {");
  s_.skipAnyPad();
  std::vector<std::pair<Path, Path>> entries;
  s_.commaList('}', [&] {
    if (s_.peek() != '<') fail(s_.p, "Expected path reference");
    const char* srcPos = s_.p;
    std::string_view srcText = s_.scanPathRef();
    std::optional<Path> src = Path::parse(srcText);
    if (!src || src->empty() || src->isAbsoluteRoot() || !src->isPrimPath() ||
        (variantSelectionsProhibited() && src->containsPrimVariantSelection()))
      fail(srcPos, "'" + std::string(srcText) + "' is not a valid relocates source path");
    s_.skipInlinePad();
    s_.expectChar(':', "Expected :");
    s_.skipInlinePad();
    if (s_.peek() != '<') fail(s_.p, "Expected path reference");
    const char* tgtPos = s_.p;
    std::string_view tgtText = s_.scanPathRef();
    std::optional<Path> tgt = Path::parse(tgtText);
    if (!tgt || (!tgt->empty() && (tgt->isAbsoluteRoot() || !tgt->isPrimPath() ||
                                          (variantSelectionsProhibited() && tgt->containsPrimVariantSelection()))))
      fail(tgtPos, "'" + std::string(srcText) + "' is not a valid relocates target path");
    // A relative path that climbs above the root names no prim.
    Path anchor = layerLevel ? Path::absoluteRoot() : path;
    Path absSrc = src->makeAbsolute(anchor);
    if (absSrc.empty()) fail(srcPos, "'" + std::string(srcText) + "' is not a valid relocates source path");
    Path absTgt = tgt->empty() ? Path() : tgt->makeAbsolute(anchor);
    if (!tgt->empty() && absTgt.empty()) fail(tgtPos, "'" + std::string(tgtText) + "' is not a valid relocates target path");
    entries.emplace_back(std::move(absSrc), std::move(absTgt));
  });
  Spec* spec = layer_.findSpec(path);
  if (layerLevel) {
    Relocates r;
    if (const Relocates* existing = spec->getAs<Relocates>(F_.layerRelocates)) r = *existing;
    for (auto& e : entries) r.entries.push_back(std::move(e));
    spec->set(F_.layerRelocates, Value(std::move(r)));
  } else {
    RelocatesMap r;
    if (const RelocatesMap* existing = spec->getAs<RelocatesMap>(F_.relocates)) r = *existing;
    for (auto& e : entries) {
      auto it = std::find_if(r.entries.begin(), r.entries.end(), [&](const auto& x) { return x.first == e.first; });
      if (it != r.entries.end()) it->second = e.second;
      else r.entries.push_back(std::move(e));
    }
    std::sort(r.entries.begin(), r.entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    spec->set(F_.relocates, Value(std::move(r)));
  }
}

void Reader::parseStringDictionary(const Path& path, Token field) {
  if (!s_.tryChar('{')) fail(s_.p, "Expected {");
  s_.skipAnyPad();
  StringDictionary dict;
  s_.commaList('}', [&] {
    if (!s_.atStringStart()) fail(s_.p, "Expected string : string");
    const char* keyPos = s_.p;
    std::string key, value;
    s_.scanString(key);
    if (key.empty()) fail(keyPos, "invalid value for field \"" + field.string() + "\"");
    s_.skipInlinePad();
    s_.expectChar(':', "Expected string : string");
    s_.skipInlinePad();
    if (!s_.atStringStart()) fail(s_.p, "Expected string : string");
    s_.scanString(value);
    dict.entries[key] = value;
  });
  layer_.findSpec(path)->set(field, Value(std::move(dict)));
}

}  // namespace usdkit::usda
