#include "io/usda/UsdaWriter.h"

#include <algorithm>
#include <initializer_list>

#include "base/DictionaryOrder.h"
#include "io/usda/LayerWriter.h"

namespace usdkit {

namespace usda {

namespace {

Status tooDeepError() {
  return makeError("prims nested more than " + std::to_string(kMaxIndent) + " levels deep cannot be written as text");
}

// The path of prim child `name` of `parent`; empty (no spec) when `name` is
// not a prim name. appendChild("..") gives the parent, never a child: a
// hostile layer listing ".." among a prim's children must not loop.
Path childPath(const Path& parent, Token name) {
  return name.str() == ".." ? Path() : parent.appendChild(name.str());
}

bool contains(std::initializer_list<Token> set, Token t) {
  for (Token s : set)
    if (s == t) return true;
  return false;
}

}  // namespace

Status checkNesting(const Layer& layer) {
  Status status = Ok{};
  layer.forEachSpec([&](const Path& path, const Spec&) {
    // A prim's indent is its prim elements less one plus two per variant
    // selection, at most twice its element count: only deep paths are
    // walked.
    if (!status || !path.isPrimOrPrimVariantSelectionPath() || path.elementCount() * 2 <= kMaxIndent + 1) return;
    std::size_t indent = 0;
    for (Path p = path; !p.empty() && !p.isAbsoluteRoot(); p = p.parent())
      indent += p.isPrimVariantSelectionPath() ? 2 : 1;
    if (indent - 1 > static_cast<std::size_t>(kMaxIndent)) status = tooDeepError();
  });
  return status;
}

const Spec& LayerWriter::ready(const Spec& spec, std::unique_ptr<Spec>& holder) {
  // A value held as source text goes to valueText as it is (usddiff
  // matches such arrays without decoding them).
  auto needsLoad = [&](const Value& v) { return v.isLazy() && (!valueText_ || v.sourceText().text.empty()); };
  bool anyLazy = false;
  for (const Field& f : spec.fields()) anyLazy |= needsLoad(f.value);
  if (!anyLazy) return spec;
  holder = std::make_unique<Spec>(spec.type());
  for (const Field& f : spec.fields()) {
    if (!needsLoad(f.value)) {
      holder->set(f.name, f.value);
      continue;
    }
    Expected<Value> v = f.value.loaded();
    if (v) {
      holder->set(f.name, std::move(v.value()));
    } else if (status_) {
      status_ = std::move(v).error();
    }
  }
  return *holder;
}

std::size_t LayerWriter::stackChildren(const std::vector<Token>& names) {
  const std::size_t base = childStack_.size();
  // All paths first, then all lookups: the lookups' cache misses overlap.
  for (Token n : names) childStack_.push_back({childPath(path_, n), nullptr});
  for (std::size_t i = base; i < childStack_.size(); ++i) childStack_[i].spec = layer_->findSpec(childStack_[i].path);
  return base;
}

void LayerWriter::maybeFlush() {
  constexpr std::size_t kChunk = 1 << 20;
  // Once a run is cut out, the text after it must wait for the run's.
  if (sink_ && out_.size() >= kChunk && (!pieces_ || pieces_->runs.empty())) {
    sink_(out_);
    out_.clear();
  }
}

bool LayerWriter::isStructural(Token n, SpecKind kind) const {
  switch (kind) {
    case SpecKind::Layer:
      return contains({f_.primChildren, f_.primOrder, f_.comment, f_.subLayerOffsets, f_.layerRelocates}, n);
    case SpecKind::Prim:
      return contains({f_.specifier, f_.typeName, f_.primChildren, f_.properties, f_.variantSetChildren,
                       f_.primOrder, f_.propertyOrder, f_.comment},
                      n);
    case SpecKind::Attribute:
      return contains({f_.typeName, f_.custom, f_.variability, f_.defaultValue, f_.timeSamples, f_.spline,
                       f_.connectionPaths, f_.comment},
                      n);
    case SpecKind::Relationship:
      return contains({f_.custom, f_.variability, f_.targetPaths, f_.defaultValue, f_.comment}, n);
  }
  return false;
}

void LayerWriter::collectMetadata(const Spec& spec, SpecKind kind) {
  metadata_.clear();
  for (const Field& field : spec.fields())
    if (!isStructural(field.name, kind)) metadata_.push_back(&field);
  if (kind == SpecKind::Layer) {
    // Layer metadata is in plain byte order, spec metadata in dictionary order.
    std::sort(metadata_.begin(), metadata_.end(),
              [](const Field* a, const Field* b) { return a->name.str() < b->name.str(); });
  } else {
    std::sort(metadata_.begin(), metadata_.end(),
              [](const Field* a, const Field* b) { return dictionaryLess(a->name.str(), b->name.str()); });
  }
}

const std::string* LayerWriter::comment(const Spec& spec) const {
  const std::string* c = spec.getAs<std::string>(f_.comment);
  return c && !c->empty() ? c : nullptr;
}

// ---------------------------------------------------------------------------
// Metadata blocks of prims, variants, attributes and relationships.

void LayerWriter::writeMetadataBlock(const Spec& spec, int indent, SpecKind kind) {
  const std::string* text = comment(spec);
  collectMetadata(spec, kind);
  // The block opens as soon as a field exists, even one that prints nothing.
  if (!text && metadata_.empty()) return;
  out_ += " (\n";
  if (text) {
    appendIndent(out_, indent + 1);
    appendQuoted(out_, *text);
    out_ += '\n';
  }
  for (const Field* field : metadata_) writeMetadataField(*field, indent + 1, kind);
  appendIndent(out_, indent);
  out_ += ')';
}

void LayerWriter::writeMetadataField(const Field& field, int indent, SpecKind kind) {
  const Token name = field.name;
  const Value& value = field.value;
  if (tooDeep(field)) return;
  auto line = [&](std::string_view key) {
    appendIndent(out_, indent);
    out_ += key;
    out_ += " = ";
  };

  if (name == f_.documentation) {
    line("doc");
    if (const std::string* s = value.getIf<std::string>()) appendQuoted(out_, *s);
    else appendValueText(out_, value);
    out_ += '\n';
    return;
  }
  if (name == f_.permission) {
    line("permission");
    const Permission* p = value.getIf<Permission>();
    out_ += p && *p == Permission::Private ? "private" : "public";
    out_ += '\n';
    return;
  }
  if (name == f_.symmetryFunction || (kind == SpecKind::Attribute && name == f_.displayUnit)) {
    // Unquoted identifiers; an empty symmetryFunction leaves "= " behind.
    line(name.str());
    if (const Token* t = value.getIf<Token>()) out_ += t->str();
    else if (const std::string* s = value.getIf<std::string>()) out_ += *s;
    out_ += '\n';
    return;
  }
  if (kind == SpecKind::Prim) {
    std::string_view listKey;
    if (name == f_.references) listKey = "references";
    else if (name == f_.payload) listKey = "payload";
    else if (name == f_.inheritPaths) listKey = "inherits";
    else if (name == f_.specializes) listKey = "specializes";
    if (!listKey.empty()) {
      appendListOpField(out_, indent, listKey, value);
      return;
    }
    if (name == f_.variantSetNames) {
      if (const StringListOp* op = value.getIf<StringListOp>()) appendVariantSetNames(out_, indent, *op);
      return;
    }
    if (name == f_.variantSelection) {
      if (const VariantSelectionMap* m = value.getIf<VariantSelectionMap>()) writeVariantSelections(*m, indent);
      return;
    }
    if (name == f_.relocates) {
      writePrimRelocates(namespacePath(), value, indent);
      return;
    }
    if (name == f_.prefixSubstitutions || name == f_.suffixSubstitutions) {
      if (const StringDictionary* d = value.getIf<StringDictionary>()) {
        line(name.str());
        appendStringDictionary(out_, indent, d->entries);
        return;
      }
    }
  }
  appendSimpleField(out_, indent, name.str(), value);
}

void LayerWriter::writeVariantSelections(const VariantSelectionMap& map, int indent) {
  if (map.selections.empty()) return;  // the block still opened: OpenUSD quirk
  Dictionary dict;
  for (const auto& [set, variant] : map.selections) dict.entries.emplace(set, Value(variant));
  appendIndent(out_, indent);
  out_ += "variants = ";
  appendDictionary(out_, indent, dict);
}

void LayerWriter::writePrimRelocates(const Path& primPath, const Value& value, int indent) {
  const std::vector<std::pair<Path, Path>>* entries = nullptr;
  if (const RelocatesMap* m = value.getIf<RelocatesMap>()) entries = &m->entries;
  else if (const Relocates* r = value.getIf<Relocates>()) entries = &r->entries;
  std::vector<std::pair<Path, Path>> relative;
  if (entries) {
    relative.reserve(entries->size());
    for (const auto& [source, target] : *entries)
      relative.emplace_back(source.empty() ? source : source.makeRelative(primPath),
                            target.empty() ? target : target.makeRelative(primPath));
  }
  // Written from a map keyed by the relative source path, so sorted by
  // SdfPath order of that path (a later duplicate would win).
  std::stable_sort(relative.begin(), relative.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<Path, Path>> unique;
  unique.reserve(relative.size());
  for (auto& entry : relative) {
    if (!unique.empty() && unique.back().first == entry.first) unique.back() = std::move(entry);
    else unique.push_back(std::move(entry));
  }
  appendRelocates(out_, indent, unique);
}

// ---------------------------------------------------------------------------
// Prims and variants.

void LayerWriter::writePrim(Token name, const Spec& stored, int indent) {
  // (writeUsda refuses such layers before writing; this keeps the
  // recursion bounded whatever the layer holds.)
  if (indent > kMaxIndent) {
    if (status_) status_ = tooDeepError();
    return;
  }
  std::unique_ptr<Spec> holder;
  const Spec& spec = ready(stored, holder);
  writePrimOpening(name, spec, indent);
  writePrimBody(spec, indent);
  appendIndent(out_, indent);
  out_ += "}\n";
  maybeFlush();
}

void LayerWriter::writePrimOpening(Token name, const Spec& spec, int indent) {
  appendIndent(out_, indent);
  // A missing specifier reads back as `over`, OpenUSD's fallback.
  const Specifier* specifier = spec.getAs<Specifier>(f_.specifier);
  const Specifier sp = specifier ? *specifier : Specifier::Over;
  out_ += sp == Specifier::Def ? "def" : sp == Specifier::Class ? "class" : "over";
  if (const Token* type = spec.getAs<Token>(f_.typeName); type && !type->empty() && type->str() != "__AnyType__") {
    out_ += ' ';
    out_ += type->str();
  }
  out_ += ' ';
  appendQuoted(out_, name.str());
  writeMetadataBlock(spec, indent, SpecKind::Prim);
  out_ += '\n';
  appendIndent(out_, indent);
  out_ += "{\n";
}

void LayerWriter::writePrimBody(const Spec& spec, int indent) {
  const bool hasProperties = writeReordersAndProperties(spec, indent);

  bool first = true;
  if (const TokenVector* children = spec.getAs<TokenVector>(f_.primChildren)) {
    // Found before recursing: the recursion pushes its own children above
    // these on the stack (which may move it, so it is read by index).
    const std::size_t base = stackChildren(children->items);
    if (!pieces_ || !cutChildren(children->items, base, hasProperties, indent + 1)) {
      const Path self = path_;
      for (std::size_t c = 0; c < children->items.size(); ++c) {
        const Spec* childSpec = childStack_[base + c].spec;
        if (!childSpec) continue;
        path_ = childStack_[base + c].path;
        // One empty line between properties and children, and between children.
        if (!first || hasProperties) out_ += '\n';
        first = false;
        writePrim(children->items[c], *childSpec, indent + 1);
      }
      path_ = self;
    }
    childStack_.resize(base);
  }

  if (const TokenVector* sets = spec.getAs<TokenVector>(f_.variantSetChildren))
    for (Token set : sets->items) writeVariantSet(set, indent + 1);
}

bool LayerWriter::cutChildren(const std::vector<Token>& names, std::size_t base, bool hasProperties, int indent) {
  // Fewer prims are written here: cutting pays only where there are many.
  constexpr std::size_t kMinPrimsToCut = 8;
  std::vector<PrimRun::Prim> prims;
  for (std::size_t c = 0; c < names.size(); ++c)
    if (const Child& child = childStack_[base + c]; child.spec) prims.push_back({names[c], child.path, child.spec});
  if (prims.size() < kMinPrimsToCut) return false;
  // Enough runs to keep every thread busy, and runs of few prims, so that
  // the texts held at a time stay small (a prim can be megabytes of
  // arrays); but not so many that handing them over costs more than
  // writing them (a list of 100,000 one-line prims).
  constexpr std::size_t kMaxPrimsPerRun = 4, kMaxRunsPerList = 1024;
  const std::size_t wanted = std::max({pieces_->runsPerList, (prims.size() + kMaxPrimsPerRun - 1) / kMaxPrimsPerRun,
                                       std::size_t(1)});
  const std::size_t runs = std::min({prims.size(), wanted, std::max(kMaxRunsPerList, pieces_->runsPerList)});
  for (std::size_t r = 0; r < runs; ++r) {
    const std::size_t begin = prims.size() * r / runs, end = prims.size() * (r + 1) / runs;
    // The empty line before the run's first prim, as writePrimBody puts it;
    // the run writes those between its own prims.
    if (begin > 0 || hasProperties) out_ += '\n';
    if (!status_ && pieces_->firstErrorText == TextPieces{}.firstErrorText)
      pieces_->firstErrorText = pieces_->texts.size();
    pieces_->texts.push_back(std::move(out_));
    out_.clear();
    pieces_->runs.push_back({std::vector<PrimRun::Prim>(prims.begin() + static_cast<std::ptrdiff_t>(begin),
                                                        prims.begin() + static_cast<std::ptrdiff_t>(end)),
                             indent});
  }
  return true;
}

void LayerWriter::writeRun(const PrimRun& run) {
  for (std::size_t i = 0; i < run.prims.size(); ++i) {
    if (i > 0) out_ += '\n';
    path_ = run.prims[i].path;
    writePrim(run.prims[i].name, *run.prims[i].spec, run.indent);
  }
  path_ = Path();
}

// Returns whether any property was written.
bool LayerWriter::writeReordersAndProperties(const Spec& spec, int indent) {
  if (const TokenVector* order = spec.getAs<TokenVector>(f_.propertyOrder); order && order->items.size() > 1) {
    appendIndent(out_, indent + 1);
    out_ += "reorder properties = ";
    appendNameList(out_, order->items);
    out_ += '\n';
  }
  if (const TokenVector* order = spec.getAs<TokenVector>(f_.primOrder); order && order->items.size() > 1) {
    appendIndent(out_, indent + 1);
    out_ += "reorder nameChildren = ";
    appendNameList(out_, order->items);
    out_ += '\n';
  }

  // Properties always come out sorted, whatever the authored or reorder order.
  properties_.clear();
  if (const TokenVector* names = spec.getAs<TokenVector>(f_.properties)) {
    for (Token n : names->items)
      if (const Spec* s = layer_->findSpec(path_.appendProperty(n.str()))) properties_.push_back({n, s});
  }
  std::sort(properties_.begin(), properties_.end(), [](const Property& a, const Property& b) {
    return dictionaryLess(a.name.str(), b.name.str());
  });
  // Writing properties never reenters writePrimBody, so properties_ is
  // stable while it is walked.
  for (const Property& p : properties_) {
    if (p.spec->type() == SpecType::Attribute) writeAttribute(p.name, *p.spec, indent + 1);
    else if (p.spec->type() == SpecType::Relationship) writeRelationship(p.name, *p.spec, indent + 1);
  }
  return !properties_.empty();
}

void LayerWriter::writeVariantSet(Token setName, int indent) {
  std::vector<Variant> variants;
  findVariants(setName, variants);
  if (variants.empty()) return;  // a set without variants is not written

  appendIndent(out_, indent);
  out_ += "variantSet ";
  appendQuoted(out_, setName.str());
  out_ += " = {\n";
  const Path self = path_;
  for (const Variant& v : variants) {
    path_ = v.path;
    std::unique_ptr<Spec> holder;
    const Spec& variantSpec = ready(*v.spec, holder);
    writeVariantOpening(v.name, variantSpec, indent + 1);
    writePrimBody(variantSpec, indent + 1);
    path_ = self;
    out_ += '\n';  // every variant body ends with an empty line
    appendIndent(out_, indent + 1);
    out_ += "}\n";
  }
  appendIndent(out_, indent);
  out_ += "}\n";
}

// The set's variants that have specs, by name.
void LayerWriter::findVariants(Token setName, std::vector<Variant>& variants) {
  const Spec* setSpec = layer_->findSpec(path_.appendVariantSelection(setName.str(), ""));
  const TokenVector* names = setSpec ? setSpec->getAs<TokenVector>(f_.variantChildren) : nullptr;
  for (Token v : names ? names->items : std::vector<Token>{}) {
    Path variantPath = path_.appendVariantSelection(setName.str(), v.str());
    if (const Spec* s = layer_->findSpec(variantPath)) variants.push_back({v, std::move(variantPath), s});
  }
  std::sort(variants.begin(), variants.end(),
            [](const Variant& a, const Variant& b) { return a.name.str() < b.name.str(); });
}

void LayerWriter::writeVariantOpening(Token variantName, const Spec& variantSpec, int indent) {
  appendIndent(out_, indent);
  appendQuoted(out_, variantName.str());
  writeMetadataBlock(variantSpec, indent, SpecKind::Prim);
  out_ += " {\n";
}

// ---------------------------------------------------------------------------
// Properties.

void LayerWriter::writeAttribute(Token name, const Spec& stored, int indent) {
  std::unique_ptr<Spec> holder;
  const Spec& spec = ready(stored, holder);
  const Token* typeToken = spec.getAs<Token>(f_.typeName);
  const std::string_view typeName = typeToken ? typeToken->str() : std::string_view();
  const bool* customFlag = spec.getAs<bool>(f_.custom);
  const bool custom = customFlag && *customFlag;
  const Variability* variability = spec.getAs<Variability>(f_.variability);
  const bool uniform = variability && *variability == Variability::Uniform;
  const Value* defaultValue = spec.get(f_.defaultValue);
  const Value* samples = spec.get(f_.timeSamples);
  const Spline* spline = spec.getAs<Spline>(f_.spline);
  const bool hasSpline = spline && !spline->knots.empty();  // empty splines are not written
  const Value* connections = spec.get(f_.connectionPaths);

  // "[uniform ]type name", shared by every statement about this attribute.
  std::string& declaration = declaration_;
  declaration.clear();
  if (uniform) declaration += "uniform ";
  declaration += typeName;
  declaration += ' ';
  declaration += name.str();

  const bool hasInfo = comment(spec) || std::any_of(spec.fields().begin(), spec.fields().end(), [&](const Field& fd) {
                         return !isStructural(fd.name, SpecKind::Attribute);
                       });
  if (hasInfo || defaultValue || custom || (!connections && !samples && !hasSpline)) {
    appendIndent(out_, indent);
    if (custom) out_ += "custom ";
    out_ += declaration;
    // Opaque values are never written (OpenUSD refuses to).
    if (defaultValue && !defaultValue->empty() && !defaultValue->is<Opaque>()) {
      out_ += " = ";
      if (!valueText_ || !(*valueText_)(out_, *defaultValue)) {
        if (!defaultValue->isLazy()) {
          appendUsdaValue(out_, *defaultValue);
        } else if (Expected<Value> loaded = defaultValue->loaded()) {
          appendUsdaValue(out_, *loaded);  // kept as source text for valueText
        } else if (status_) {
          status_ = std::move(loaded).error();
        }
      }
    }
    writeMetadataBlock(spec, indent, SpecKind::Attribute);
    out_ += '\n';
  }

  if (samples) {
    appendIndent(out_, indent);
    out_ += declaration;
    out_ += ".timeSamples = {\n";
    if (const TimeSamples* ts = samples->getIf<TimeSamples>()) {
      appendTimeSamples(out_, indent, *ts, valueText_);
    } else if (const UnregisteredValue* text = samples->getIf<UnregisteredValue>()) {
      // Samples of an unknown type survive only as text.
      appendIndent(out_, indent + 1);
      out_ += text->text;
      out_ += '\n';
    }
    appendIndent(out_, indent);
    out_ += "}\n";
  }

  if (hasSpline) {
    appendIndent(out_, indent);
    out_ += declaration;
    out_ += ".spline = {\n";
    appendSpline(out_, indent, *spline);
    appendIndent(out_, indent);
    out_ += "}\n";
  }

  if (connections) {
    if (const PathListOp* op = connections->getIf<PathListOp>()) {
      if (op->isExplicit) {
        writeConnectionStatement(indent, "", declaration, op->explicitItems);
      } else {
        if (!op->deletedItems.empty()) writeConnectionStatement(indent, "delete ", declaration, op->deletedItems);
        if (!op->addedItems.empty()) writeConnectionStatement(indent, "add ", declaration, op->addedItems);
        if (!op->prependedItems.empty())
          writeConnectionStatement(indent, "prepend ", declaration, op->prependedItems);
        if (!op->appendedItems.empty())
          writeConnectionStatement(indent, "append ", declaration, op->appendedItems);
        if (!op->orderedItems.empty()) writeConnectionStatement(indent, "reorder ", declaration, op->orderedItems);
      }
    }
  }
}

void LayerWriter::writeConnectionStatement(int indent, std::string_view op, std::string_view declaration,
                                      const std::vector<Path>& paths) {
  appendIndent(out_, indent);
  out_ += op;
  out_ += declaration;
  out_ += ".connect = ";
  if (paths.empty()) {
    out_ += "None";
  } else if (paths.size() == 1) {
    appendPathRef(out_, paths.front());
  } else {
    // Unlike list-op metadata, every item (the last too) gets a comma.
    out_ += "[\n";
    for (const Path& p : paths) {
      appendIndent(out_, indent + 1);
      appendPathRef(out_, p);
      out_ += ",\n";
    }
    appendIndent(out_, indent);
    out_ += ']';
  }
  out_ += '\n';
}

void LayerWriter::writeTargetList(int indent, const std::vector<Path>& targets) {
  if (targets.size() == 1) {
    out_ += " = ";
    appendPathRef(out_, targets.front());
    return;
  }
  out_ += " = [\n";
  for (const Path& p : targets) {
    appendIndent(out_, indent + 1);
    appendPathRef(out_, p);
    out_ += ",\n";
  }
  appendIndent(out_, indent);
  out_ += ']';
}

void LayerWriter::writeRelationship(Token name, const Spec& stored, int indent) {
  std::unique_ptr<Spec> holder;
  const Spec& spec = ready(stored, holder);
  const bool* customFlag = spec.getAs<bool>(f_.custom);
  const bool custom = customFlag && *customFlag;
  const Variability* variability = spec.getAs<Variability>(f_.variability);
  const std::string_view varying =
      variability && *variability == Variability::Varying ? "varying " : std::string_view();
  const PathListOp* targets = spec.getAs<PathListOp>(f_.targetPaths);
  const bool explicitTargets = targets && targets->isExplicit;
  const bool listOpTargets = targets && !targets->isExplicit && targets->hasKeys();

  const bool hasInfo = comment(spec) || std::any_of(spec.fields().begin(), spec.fields().end(), [&](const Field& fd) {
                         return !isStructural(fd.name, SpecKind::Relationship);
                       });
  if (hasInfo || explicitTargets || (!listOpTargets && !custom)) {
    appendIndent(out_, indent);
    if (custom) out_ += "custom ";
    out_ += varying;
    out_ += "rel ";
    out_ += name.str();
    if (explicitTargets) {
      if (targets->explicitItems.empty()) out_ += " = None";
      else writeTargetList(indent, targets->explicitItems);
    }
    writeMetadataBlock(spec, indent, SpecKind::Relationship);
    out_ += '\n';
  } else if (custom) {
    // `custom` has to be declared somewhere; the list-op lines cannot say it.
    appendIndent(out_, indent);
    out_ += "custom ";
    out_ += varying;
    out_ += "rel ";
    out_ += name.str();
    out_ += '\n';
  }

  if (listOpTargets) {
    auto statement = [&](std::string_view op, const std::vector<Path>& items) {
      if (items.empty()) return;
      appendIndent(out_, indent);
      out_ += op;
      out_ += varying;
      out_ += "rel ";
      out_ += name.str();
      writeTargetList(indent, items);
      out_ += '\n';
    };
    statement("delete ", targets->deletedItems);
    statement("add ", targets->addedItems);
    statement("prepend ", targets->prependedItems);
    statement("append ", targets->appendedItems);
    statement("reorder ", targets->orderedItems);
  }

  if (const Value* def = spec.get(f_.defaultValue); def && !def->empty()) {
    appendIndent(out_, indent);
    out_ += varying;
    out_ += "rel ";
    out_ += name.str();
    out_ += ".default = ";
    appendUsdaValue(out_, *def);
    appendIndent(out_, indent);  // OpenUSD indents the newline: trailing spaces
    out_ += '\n';
  }
}

// ---------------------------------------------------------------------------
// The layer.

void LayerWriter::writeSubLayers(const Spec& root) {
  const std::vector<std::string>* paths = nullptr;
  if (const StringVector* v = root.getAs<StringVector>(f_.subLayers)) paths = &v->items;
  else if (const auto* a = root.getAs<std::vector<std::string>>(f_.subLayers)) paths = a;
  const LayerOffsetVector* offsets = root.getAs<LayerOffsetVector>(f_.subLayerOffsets);

  appendIndent(out_, 1);
  out_ += "subLayers = [\n";
  const std::size_t n = paths ? paths->size() : 0;
  for (std::size_t i = 0; i < n; ++i) {
    appendIndent(out_, 2);
    appendAssetPath(out_, (*paths)[i]);
    if (offsets && i < offsets->items.size()) appendInlineLayerOffset(out_, offsets->items[i]);
    out_ += i + 1 < n ? ",\n" : "\n";
  }
  appendIndent(out_, 1);
  out_ += "]\n";
}

void LayerWriter::writeLayer(std::string_view cookie) {
  out_ += cookie;
  out_ += '\n';
  writeLayerHead(*layer_);
  if (const TokenVector* prims = layer_->pseudoRoot().getAs<TokenVector>(f_.primChildren)) {
    path_ = Path::absoluteRoot();
    const std::size_t base = stackChildren(prims->items);
    // Every root prim follows an empty line, as a prim's children do after
    // its properties.
    if (!pieces_ || !cutChildren(prims->items, base, true, 0)) {
      for (std::size_t c = 0; c < prims->items.size(); ++c) {
        const Child& child = childStack_[base + c];
        if (!child.spec) continue;
        path_ = child.path;
        out_ += '\n';
        writePrim(prims->items[c], *child.spec, 0);
      }
    }
    childStack_.resize(base);
    path_ = Path();
  }
  out_ += '\n';
}


void LayerWriter::writeLayerHead(const Layer& layer) {
  layer_ = &layer;
  std::unique_ptr<Spec> holder;
  const Spec& root = ready(layer_->pseudoRoot(), holder);
  const std::size_t blockStart = out_.size();
  out_ += "(\n";
  const std::size_t contentStart = out_.size();

  if (const std::string* text = comment(root)) {
    appendIndent(out_, 1);
    appendQuoted(out_, *text);
    out_ += '\n';
  }
  collectMetadata(root, SpecKind::Layer);
  for (const Field* field : metadata_) {
    if (field->name == f_.documentation) {
      // An empty layer doc is dropped (prim and property docs are not).
      const std::string* doc = field->value.getIf<std::string>();
      if (doc && !doc->empty()) {
        appendIndent(out_, 1);
        out_ += "doc = ";
        appendQuoted(out_, *doc);
        out_ += '\n';
      }
    } else if (field->name == f_.subLayers) {
      writeSubLayers(root);
    } else if (field->name == f_.hasOwnedSubLayers) {
      const bool* owned = field->value.getIf<bool>();
      if (owned && *owned) {
        appendIndent(out_, 1);
        out_ += "hasOwnedSubLayers = true\n";
      }
    } else if (!tooDeep(*field)) {
      appendSimpleField(out_, 1, field->name.str(), field->value);
    }
  }
  if (const Value* relocates = root.get(f_.layerRelocates)) {
    if (const Relocates* r = relocates->getIf<Relocates>()) appendRelocates(out_, 1, r->entries);
    else if (const RelocatesMap* m = relocates->getIf<RelocatesMap>()) appendRelocates(out_, 1, m->entries);
  }

  // The block is only written when something was printed inside it.
  if (out_.size() == contentStart) out_.resize(blockStart);
  else out_ += ")\n";

  if (const TokenVector* order = root.getAs<TokenVector>(f_.primOrder); order && order->items.size() > 1) {
    out_ += "\nreorder rootPrims = ";
    appendNameList(out_, order->items);
    out_ += '\n';
  }
}

bool LayerWriter::writePrimHead(const Layer& layer, const Path& storedAt, const Path& path, int indent) {
  layer_ = &layer;
  bool wroteProperties = false;
  if (indent > kMaxIndent) {
    if (status_) status_ = tooDeepError();
  } else if (const Spec* stored = layer.findSpec(storedAt)) {
    path_ = storedAt;
    if (storedAt != path) shownPath_ = path;
    std::unique_ptr<Spec> holder;
    const Spec& spec = ready(*stored, holder);
    writePrimOpening(path.nameToken(), spec, indent);
    wroteProperties = writeReordersAndProperties(spec, indent);
    path_ = Path();
    shownPath_ = Path();
  }
  return wroteProperties;
}

}  // namespace usda

Status writeUsda(const Layer& layer, std::string& out, const UsdaWriteOptions& options) {
  std::string header;
  std::string_view cookie = options.cookie;
  if (cookie.empty() && layer.formatId() == "sdf") cookie = "#sdf 1.4.32";
  if (cookie.empty() || cookie == "#usda") cookie = header = usdaHeader(layer, options.warnings);
  // Big arrays reserve their own room as they are written; this covers the
  // many small lines (a chunk's worth when streaming to a sink).
  out.reserve(out.size() + (options.sink ? (2u << 20) : 64 + layer.specCount() * 96));
  if (Status nesting = usda::checkNesting(layer); !nesting) return nesting;
  // A value-text callback may keep state of its own, so it is only called
  // from this thread.
  if (options.threads > 1 && !options.valueText) return usda::writeUsdaInParallel(layer, out, cookie, options);
  usda::LayerWriter writer(layer, out, options.sink, options.valueText);
  writer.writeLayer(cookie);
  if (options.sink && !out.empty()) {
    options.sink(out);
    out.clear();
  }
  return writer.status();
}

Expected<std::string> writeUsdaToString(const Layer& layer, const UsdaWriteOptions& options) {
  std::string out;
  Status written = writeUsda(layer, out, options);
  if (!written) return std::move(written).error();
  return out;
}

}  // namespace usdkit
