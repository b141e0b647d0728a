// Writing crate (.usdc) files: choosing the version, planning the specs and
// fields (the content checks and version triggers run before anything is
// written, so every value is encoded for the final version), then packing
// them in OpenUSD 24.11's order and writing the sections and the TOC.
#include "io/crate/CrateWriter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <optional>
#include <unordered_map>

#include "base/NumberFormat.h"
#include "io/crate/CrateInternal.h"  // kMaxValueNesting, the reader's bound
#include "io/crate/CratePacking.h"
#include "io/crate/CrateValueTraits.h"
#include "sdf/Fields.h"
#include "sdf/Schema.h"

namespace usdkit {

using crate::Version;

namespace {

constexpr std::string_view kVersionEnvVar = "USD_WRITE_NEW_USDC_FILES_AS_VERSION";

// "<path>", built with append: GCC 12 warns falsely (-Wrestrict) on
// `"literal" + std::string(...)` when inlined.
std::string angled(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '<';
  out += text;
  out += '>';
  return out;
}

std::string versionText(Version v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

// What current OpenUSD can write (Version::CanWrite), minus the broken 0.3.x.
bool writable(Version v) {
  return v.major == 0 && v <= crate::kSoftwareVersion && v.packed() != 0 && v.minor != 3;
}

// A content feature that needs a newer file version (§16.3). `reason` is
// OpenUSD's wording for the upgrade warning.
struct Feature {
  Version version;
  std::string_view name;
  std::string_view reason;
};
constexpr Feature kPrependAppend{{0, 2, 0}, "a list op with prepended or appended items",
                                 "A SdfListOp value using a prepended or appended value was detected, which "
                                 "requires crate version 0.2.0."};
constexpr Feature kPayloadOffset{{0, 8, 0}, "a payload with a layer offset",
                                 "A payload with a non-identity layer offset was detected, which requires crate "
                                 "version 0.8.0."};
constexpr Feature kPayloadListOp{{0, 8, 0}, "a payload list op",
                                 "A SdfPayloadListOp value was detected which requires crate version 0.8.0."};
constexpr Feature kTimeCode{{0, 9, 0}, "a timecode value",
                            "A timecode or timecode[] value type was detected which requires crate version 0.9.0."};
constexpr Feature kPathExpression{{0, 10, 0}, "a path expression value",
                                  "A pathExpression value type was detected which requires crate version 0.10.0."};
constexpr Feature kRelocates{{0, 11, 0}, "layer relocates",
                             "A SdfRelocatesMap value was detected which requires crate version 0.11.0."};
constexpr Feature kSpline{{0, 12, 0}, "a spline", "A spline was detected which requires crate version 0.12.0."};
constexpr Feature kArrayEdit{{0, 14, 0}, "an array edit",
                             "An array edit was detected which requires crate version 0.14.0."};

// A field as the crate stores it (§15). Not kept between the passes: a
// layer has millions of fields, so the packer maps each again (mapField).
struct PlannedField {
  Token name;
  const Value* value;  // the field's value, loaded; see stored()
  Value converted;     // a replacement the mapping made (a payload), else empty
  crate::FieldWrap wrap = crate::FieldWrap::None;
  bool timeSamples = false;
  const Value& stored() const { return converted.empty() ? *value : converted; }
};
struct PlannedSpec {
  const Path* path;
  const Spec* spec;
};

// First pass over the layer: orders the specs as OpenUSD does, resolves
// lazy values, maps fields onto what the crate stores (§15), refuses what
// it cannot store and works out the file version.
class Planner {
 public:
  Planner(const Layer& layer, Version version, bool exact, std::vector<std::string>* warnings,
          crate::LoadedValues& loaded)
      : layer_(layer), version_(version), exact_(exact), warnings_(warnings), loaded_(loaded) {}

  Status run();
  // "LAYER: cannot write crate file: WHAT".
  Error fail(std::string what) const;
  Version version() const { return version_; }
  // The specs in saving order, handed over so that the packer can free
  // them before the sections are written.
  std::vector<PlannedSpec> takeSpecs() { return std::move(specs_); }
  // How `field` is stored, or nothing when it is not. Its value must have
  // been loaded (run() loads every one).
  std::optional<PlannedField> mapField(const Field& field) const;

 private:
  Status planSpec(const Path& path, const Spec& spec);
  Status planField(const Path& path, const Spec& spec, const Field& field);
  Status scan(const Value& value, int depth);
  Status scanPath(const Path& p);
  template <class T>
  Status scanListOp(const ListOp<T>& op, int depth);
  Status require(const Feature& f);
  Error unsupported(std::string_view typeName, std::string_view detail = {}) const;

  const Layer& layer_;
  Version version_;
  bool exact_;
  std::vector<std::string>* warnings_;
  crate::LoadedValues& loaded_;
  const FieldNames& F_ = fieldNames();
  const Schema& schema_ = Schema::standard();

  std::vector<PlannedSpec> specs_;
  // Where the scan is, for messages.
  const Path* path_ = nullptr;
  Token field_;
};

Error Planner::fail(std::string what) const {
  std::string msg = layer_.identifier().empty() ? std::string() : layer_.identifier() + ": ";
  msg += "cannot write crate file: ";
  msg += what;
  return makeError(std::move(msg));
}

Error Planner::unsupported(std::string_view typeName, std::string_view detail) const {
  std::string what = "field '" + field_.string() + "' of <" + path_->string() + "> holds a value of type '" +
                     std::string(typeName) + "'";
  if (!detail.empty()) what += " (" + std::string(detail) + ")";
  what += ", which the crate format cannot store";
  return fail(std::move(what));
}

Status Planner::require(const Feature& f) {
  if (f.version.major == version_.major && f.version.minor <= version_.minor) return Ok{};
  if (exact_) {
    return fail(std::string(f.name) + " in field '" + field_.string() + "' of <" + path_->string() +
                "> needs crate version " + versionText(f.version) + ", but version " + versionText(version_) +
                " was requested");
  }
  if (warnings_) {
    warnings_->push_back("Upgrading crate file <" + layer_.identifier() + "> from version " + versionText(version_) +
                         " to " + versionText(f.version) + ": " + std::string(f.reason));
  }
  version_ = f.version;
  return Ok{};
}

Status Planner::scanPath(const Path& p) {
  // The PATHS tree is rooted at "/": relative paths have no encoding.
  if (!p.empty() && !p.isAbsolute())
    return fail("field '" + field_.string() + "' of <" + path_->string() + "> holds the relative path <" +
                p.string() + ">, which the crate format cannot store");
  return Ok{};
}

template <class T>
Status Planner::scanListOp(const ListOp<T>& op, int depth) {
  if (!op.prependedItems.empty() || !op.appendedItems.empty()) {
    if (auto s = require(kPrependAppend); !s) return s;
  }
  if constexpr (std::is_same_v<T, Payload>) {
    if (auto s = require(kPayloadListOp); !s) return s;
  }
  for (const auto* list : {&op.explicitItems, &op.addedItems, &op.prependedItems, &op.appendedItems,
                           &op.deletedItems, &op.orderedItems}) {
    for (const T& item : *list) {
      if constexpr (std::is_same_v<T, Path>) {
        if (auto s = scanPath(item); !s) return s;
      } else if constexpr (std::is_same_v<T, Reference> || std::is_same_v<T, Payload>) {
        if (auto s = scanPath(item.primPath); !s) return s;
        if constexpr (std::is_same_v<T, Reference>) {
          if (item.customData) {
            for (const auto& [k, v] : item.customData->entries)
              if (auto s = scan(v, depth + 1); !s) return s;
          }
        }
      }
    }
  }
  return Ok{};
}

// Checks that the crate can store `value` (loading it and anything nested
// in it when lazy) and records the version its encoding needs.
Status Planner::scan(const Value& value, int depth) {
  // Dictionaries nest without limit in principle; so deep a nesting can
  // only come from a damaged or hostile source.
  if (depth >= crate::kMaxValueNesting)
    return fail("values nested more than " + std::to_string(crate::kMaxValueNesting) + " levels deep in field '" +
                field_.string() + "' of <" +
                               path_->string() + ">");
  auto loaded = loaded_.load(value);
  if (!loaded) {
    return fail("field '" + field_.string() + "' of <" + path_->string() + ">: " + loaded.error().message);
  }
  return (*loaded)->visit([&](const auto& x) -> Status {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, TimeCode> || std::is_same_v<T, std::vector<TimeCode>>) {
      // Also for an empty timecode[]: its type number needs 0.9.0 to read.
      return require(kTimeCode);
    } else if constexpr (std::is_same_v<T, PathExpression> || std::is_same_v<T, std::vector<PathExpression>>) {
      return require(kPathExpression);
    } else if constexpr (crate::IsStdVector<T>::value || crate::kScalarTypeId<T> != crate::TypeId::Invalid) {
      return Ok{};
    } else if constexpr (crate::IsListOpType<T>::value) {
      return scanListOp(x, depth);
    } else if constexpr (std::is_same_v<T, Payload>) {
      if (!x.layerOffset.isIdentity()) {
        if (auto s = require(kPayloadOffset); !s) return s;
      }
      return scanPath(x.primPath);
    } else if constexpr (std::is_same_v<T, Dictionary>) {
      for (const auto& [k, v] : x.entries)
        if (auto s = scan(v, depth + 1); !s) return s;
      return Ok{};
    } else if constexpr (std::is_same_v<T, PathVector>) {
      for (const Path& p : x.items)
        if (auto s = scanPath(p); !s) return s;
      return Ok{};
    } else if constexpr (std::is_same_v<T, Relocates>) {
      if (auto s = require(kRelocates); !s) return s;
      for (const auto& [a, b] : x.entries) {
        if (auto s = scanPath(a); !s) return s;
        if (auto s = scanPath(b); !s) return s;
      }
      return Ok{};
    } else if constexpr (std::is_same_v<T, Spline>) {
      // Current OpenUSD stores tangent algorithms in a second version of
      // the spline data (crate 0.13.0), whose layout is not known here:
      // refused rather than written without them.
      for (const Spline::Knot& k : x.knots) {
        if (k.preTanAlgorithm != Spline::TangentAlgorithm::None || k.postTanAlgorithm != Spline::TangentAlgorithm::None)
          return fail("the spline of <" + path_->string() + "> has a knot (time " + formatDouble(k.time) +
                      ") with a tangent algorithm, which needs crate version 0.13.0 spline data; "
                      "writing it is not supported yet");
      }
      if (auto s = require(kSpline); !s) return s;
      for (const Spline::Knot& k : x.knots) {
        if (!k.customData) continue;
        for (const auto& [key, v] : k.customData->entries)
          if (auto s = scan(v, depth + 1); !s) return s;
      }
      return Ok{};
    } else if constexpr (std::is_same_v<T, ArrayEdit>) {
      // Even the identity edit: older readers know no such descriptor.
      if (auto s = require(kArrayEdit); !s) return s;
      for (const ArrayEditOp& op : x.ops) {
        if (static_cast<std::uint8_t>(op.code) > static_cast<std::uint8_t>(ArrayEditOp::Code::MaxSize))
          return fail("the array edit in field '" + field_.string() + "' of <" + path_->string() +
                      "> has an operation of unknown code " + std::to_string(static_cast<int>(op.code)));
      }
      auto literals = loaded_.load(x.literals);
      if (!literals)
        return fail("field '" + field_.string() + "' of <" + path_->string() + ">: " + literals.error().message);
      const Value& lits = **literals;
      const bool fits = lits.empty() || withKindType(x.kind, [&](auto t) {
                          return lits.is<std::vector<typename decltype(t)::type>>();
                        });
      if (!fits)
        return fail("the array edit in field '" + field_.string() + "' of <" + path_->string() +
                    "> has literals that are not an array of its element type");
      return Ok{};
    } else if constexpr (std::is_same_v<T, ValueBlock> || std::is_same_v<T, AnimationBlock> ||
                         std::is_same_v<T, Specifier> ||
                         std::is_same_v<T, Permission> || std::is_same_v<T, Variability> ||
                         std::is_same_v<T, TokenVector> || std::is_same_v<T, StringVector> ||
                         std::is_same_v<T, DoubleVector> || std::is_same_v<T, LayerOffsetVector> ||
                         std::is_same_v<T, VariantSelectionMap> || std::is_same_v<T, StringDictionary> ||
                         std::is_same_v<T, UnregisteredValue>) {
      return Ok{};
    } else if constexpr (std::is_same_v<T, Path>) {
      // OpenUSD: "Attempted to pack unsupported type 'SdfPath'".
      return unsupported("SdfPath", angled(x.string()));
    } else if constexpr (std::is_same_v<T, RelocatesMap>) {
      return unsupported("SdfRelocatesMap", std::to_string(x.entries.size()) + " relocates");
    } else if constexpr (std::is_same_v<T, Reference>) {
      return unsupported("SdfReference");
    } else if constexpr (std::is_same_v<T, LayerOffset>) {
      return unsupported("SdfLayerOffset");
    } else if constexpr (std::is_same_v<T, Opaque>) {
      return unsupported("SdfOpaqueValue");
    } else if constexpr (std::is_same_v<T, TimeSamples>) {
      return unsupported("SdfTimeSampleMap");
    } else {
      return unsupported("empty value");
    }
  });
}

std::optional<PlannedField> Planner::mapField(const Field& field) const {
  // Derived from targetPaths / connectionPaths when the file is read, so
  // never stored (as in OpenUSD).
  if (field.name == "targetChildren" || field.name == "connectionChildren") return std::nullopt;
  if (field.value.empty()) return std::nullopt;
  const Value* value = &loaded_.resolve(field.value);
  PlannedField planned{field.name, value, Value(), crate::FieldWrap::None, false};
  if (field.name == F_.timeSamples && value->is<TimeSamples>()) {
    planned.timeSamples = true;
    return planned;
  }
  if (field.name == F_.spline) {
    // OpenUSD does not store splines without knots (they affect nothing).
    if (const Spline* sp = value->getIf<Spline>(); sp && sp->knots.empty()) return std::nullopt;
  }
  if (field.name == F_.payload) {
    // An explicit list of none or of one external payload is stored as a
    // single payload, which files before 0.8.0 can hold (crateData.cpp).
    if (const PayloadListOp* op = value->getIf<PayloadListOp>(); op && op->isExplicit) {
      if (op->explicitItems.empty()) {
        planned.converted = Payload{};
      } else if (op->explicitItems.size() == 1 && !op->explicitItems.front().assetPath.empty()) {
        planned.converted = op->explicitItems.front();
      }
    }
  }
  // OpenUSD keeps values of fields it has no definition for inside an
  // SdfUnregisteredValue: list-op statements always, dictionaries too.
  if (value->is<UnregisteredListOp>() || (value->is<Dictionary>() && !schema_.find(field.name))) {
    planned.wrap = crate::FieldWrap::Unregistered;
  }
  return planned;
}

Status Planner::planField(const Path& path, const Spec& spec, const Field& field) {
  field_ = field.name;
  // Elsewhere than on relationships / attributes, these fields can only come
  // from text metadata (`targetChildren = 3` on a prim); mapField drops
  // them too, but not silently.
  if (field.name == "targetChildren" || field.name == "connectionChildren") {
    const bool derived = field.name == "targetChildren" ? spec.type() == SpecType::Relationship
                                                        : spec.type() == SpecType::Attribute;
    if (!derived && warnings_)
      warnings_->push_back("field '" + field.name.string() + "' of <" + path.string() +
                           "> is not written: crate files derive it from the spec's targets");
    return Ok{};
  }
  if (field.value.empty()) return Ok{};
  auto loaded = loaded_.load(field.value);
  if (!loaded) return fail("field '" + field_.string() + "' of <" + path.string() + ">: " + loaded.error().message);
  if (field.name == F_.displayUnit) {
    // OpenUSD holds display units as TfEnum values, which crate has no type
    // for ("Attempted to pack unsupported type 'TfEnum'").
    const Token* unit = (*loaded)->getIf<Token>();
    return unsupported("TfEnum", unit ? unit->string() : std::string());
  }
  const std::optional<PlannedField> planned = mapField(field);
  if (!planned) return Ok{};
  if (planned->timeSamples) {
    for (const auto& [time, sample] : planned->value->get<TimeSamples>().samples)
      if (auto s = scan(sample, 1); !s) return s;
    return Ok{};
  }
  return scan(planned->stored(), 0);
}

Status Planner::planSpec(const Path& path, const Spec& spec) {
  path_ = &path;
  for (const Field& f : spec.fields())
    if (auto s = planField(path, spec, f); !s) return s;
  specs_.push_back({&path, &spec});
  return Ok{};
}


// A spec to save: its path, and the name that groups properties.
struct SaveEntry {
  const Path* path;
  const Spec* spec;
  std::string_view propertyName;  // empty for prims and other non-properties
  bool isProperty;
};

bool savePathLess(const SaveEntry& a, const SaveEntry& b) { return *a.path < *b.path; }

// Sorts prims (and the pseudo-root, variant selections) by path as a walk
// of their tree with each one's children sorted: whole paths are compared
// only between siblings, where a comparison is one step. False (nothing
// changed) when some entry is no prim-like path or its parent has no entry.
bool sortPrimTree(std::span<SaveEntry> items) {
  const auto n = static_cast<std::uint32_t>(items.size());
  PathTable index;  // 1 + position in items
  for (std::uint32_t i = 0; i < n; ++i) index.slot(*items[i].path) = i + 1;
  constexpr std::uint32_t kTop = std::numeric_limits<std::uint32_t>::max();  // below "/" without an entry
  std::vector<std::uint32_t> parentOf(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const Path& p = *items[i].path;
    if (p.isAbsoluteRoot()) {
      parentOf[i] = kTop;
      continue;
    }
    if (!p.isPrimPath() && !p.isPrimVariantSelectionPath()) return false;
    const Path up = p.parent();
    const std::uint32_t at = index.find(up);
    if (at == 0 && !up.isAbsoluteRoot()) return false;
    parentOf[i] = at == 0 ? kTop : at - 1;
  }
  // Children of each entry (the last list: of kTop) in one array.
  std::vector<std::uint32_t> first(n + 2, 0), children(n);
  auto group = [&](std::uint32_t parent) { return parent == kTop ? n : parent; };
  for (std::uint32_t i = 0; i < n; ++i) ++first[group(parentOf[i]) + 1];
  for (std::uint32_t g = 0; g <= n; ++g) first[g + 1] += first[g];
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) children[fill[group(parentOf[i])]++] = i;
  }
  auto less = [&](std::uint32_t a, std::uint32_t b) { return savePathLess(items[a], items[b]); };
  std::vector<std::uint32_t> stack;
  std::vector<SaveEntry> sorted;
  sorted.reserve(n);
  auto pushChildren = [&](std::uint32_t g) {
    const auto kids = std::span<std::uint32_t>(children).subspan(first[g], first[g + 1] - first[g]);
    std::sort(kids.begin(), kids.end(), less);
    for (std::size_t k = kids.size(); k-- > 0;) stack.push_back(kids[k]);
  };
  pushChildren(n);
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    stack.pop_back();
    sorted.push_back(items[i]);
    pushChildren(i);
  }
  std::copy(sorted.begin(), sorted.end(), items.begin());
  return true;
}

// Prims before properties, properties grouped by name, then SdfPath order
// (crateData.cpp's save order, which groups related data in the file).
// Comparing whole paths walks their nodes, and a million of them made this
// sort most of the writer's time; so only the non-properties are sorted by
// path. A prim property's order among properties of its name is its
// owner's (the prim part decides first, PathOrder.cpp), so when every
// property's owner is one of the sorted specs, the properties sort by
// (name, owner's position) as integers. Otherwise (relational attributes,
// properties without an owner spec) the whole comparison decides.
void sortForSaving(std::vector<SaveEntry>& entries) {
  auto firstProperty = std::partition(entries.begin(), entries.end(), [](const SaveEntry& e) { return !e.isProperty; });
  if (!sortPrimTree(std::span<SaveEntry>(entries.begin(), firstProperty)))
    std::sort(entries.begin(), firstProperty, savePathLess);
  PathTable rank;  // 1 + position among the sorted non-properties
  for (auto it = entries.begin(); it != firstProperty; ++it)
    rank.slot(*it->path) = static_cast<std::uint32_t>(it - entries.begin()) + 1;
  // (name group, owner rank) per property; names are few, so they are
  // numbered first and their texts compared once per distinct name.
  std::unordered_map<std::string_view, std::uint32_t> nameGroup;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;  // (key, index among properties)
  const auto properties = std::span<SaveEntry>(firstProperty, entries.end());
  keys.reserve(properties.size());
  bool ranked = true;
  for (std::size_t i = 0; i < properties.size() && ranked; ++i) {
    const SaveEntry& e = properties[i];
    const std::uint32_t owner = e.path->isPrimPropertyPath() ? rank.find(e.path->parent()) : 0;
    ranked = owner != 0;
    const auto group = nameGroup.try_emplace(e.propertyName, static_cast<std::uint32_t>(nameGroup.size())).first->second;
    keys.emplace_back(std::uint64_t(group) << 32 | owner, static_cast<std::uint32_t>(i));
  }
  if (!ranked) {
    std::sort(firstProperty, entries.end(), [](const SaveEntry& a, const SaveEntry& b) {
      if (a.propertyName != b.propertyName) return a.propertyName < b.propertyName;
      return *a.path < *b.path;
    });
    return;
  }
  // Groups renumbered in name order.
  std::vector<std::pair<std::string_view, std::uint32_t>> names(nameGroup.begin(), nameGroup.end());
  std::sort(names.begin(), names.end());
  std::vector<std::uint64_t> groupOrder(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) groupOrder[names[i].second] = std::uint64_t(i) << 32;
  for (auto& [key, index] : keys) key = groupOrder[key >> 32] | (key & 0xffffffffu);
  std::sort(keys.begin(), keys.end());
  std::vector<SaveEntry> sorted;
  sorted.reserve(properties.size());
  for (const auto& [key, index] : keys) sorted.push_back(properties[index]);
  std::copy(sorted.begin(), sorted.end(), properties.begin());
}

Status Planner::run() {
  std::vector<SaveEntry> entries;
  entries.reserve(layer_.specCount());
  Status bad = Ok{};
  layer_.forEachSpec([&](const Path& path, const Spec& spec) {
    // Relationship target and connection specs are implied by the list ops.
    if (path.isTargetPath()) return;
    if (bad && (!path.isAbsolute() || spec.type() == SpecType::Unknown)) {
      bad = fail("the spec <" + path.string() + "> " +
                 (path.isAbsolute() ? std::string("has no spec type") : std::string("has a relative path")));
    }
    const bool prop = path.isPropertyPath();
    entries.push_back({&path, &spec, prop ? path.name() : std::string_view(), prop});
  });
  if (!bad) return bad;
  sortForSaving(entries);
  specs_.reserve(entries.size());
  for (const SaveEntry& e : entries)
    if (auto s = planSpec(*e.path, *e.spec); !s) return s;
  return Ok{};
}

// Second pass: packs the planned specs in OpenUSD's order. Specs with time
// samples (and, below 0.8.0, single payloads) are deferred to the end; the
// deferred sample values are packed time by time so data for one time sits
// together (CrateFile::_AddSpec / _AddDeferredSpecs).
class Packer {
 public:
  Packer(Planner& plan, const crate::LoadedValues& loaded, const CrateWriteOptions& options)
      : plan_(plan), options_(options), enc_{plan.version()} {
    encoder_.emplace(out_, tables_, loaded, plan.version());
  }

  Expected<std::string> run() &&;

 private:
  struct Deferred {
    std::uint32_t path;
    SpecType type;
    std::vector<std::uint32_t> fields;
    std::vector<PlannedField> pending;
    std::vector<PlannedField> timeSamples;
  };
  void addField(std::vector<std::uint32_t>& fields, const PlannedField& f) {
    // Value first, then the name: OpenUSD's token numbering follows that
    // order.
    const crate::ValueRep rep = encoder_->pack(f.stored(), f.wrap);
    fields.push_back(tables_.field(tables_.token(f.name), rep));
  }
  void packDeferred();

  Planner& plan_;
  const CrateWriteOptions& options_;
  crate::Encoding enc_;
  crate::ByteSink out_;
  crate::StructureTables tables_;
  // Its deduplication tables are freed before the sections are written.
  std::optional<crate::ValueEncoder> encoder_;
  std::vector<Deferred> deferred_;
};

void Packer::packDeferred() {
  // Every sample value of every deferred spec, ordered by time; equal times
  // keep their spec, field and sample order.
  struct Sample {
    double time;
    const Value* value;
    crate::ValueRep* rep;
  };
  std::vector<std::vector<crate::ValueRep>> reps;
  std::vector<Sample> samples;
  for (const Deferred& d : deferred_) {
    for (const PlannedField& f : d.timeSamples) {
      const auto& ts = f.value->get<TimeSamples>().samples;
      reps.emplace_back(ts.size());
    }
  }
  std::size_t next = 0;
  for (const Deferred& d : deferred_) {
    for (const PlannedField& f : d.timeSamples) {
      const auto& ts = f.value->get<TimeSamples>().samples;
      std::vector<crate::ValueRep>& r = reps[next++];
      for (std::size_t i = 0; i < ts.size(); ++i) samples.push_back({ts[i].first, &ts[i].second, &r[i]});
    }
  }
  std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
    // NaN times sort last instead of breaking the ordering.
    if (std::isnan(a.time) || std::isnan(b.time)) return !std::isnan(a.time) && std::isnan(b.time);
    return a.time < b.time;
  });
  for (const Sample& s : samples) *s.rep = encoder_->pack(*s.value);

  next = 0;
  std::vector<double> times;
  for (Deferred& d : deferred_) {
    for (const PlannedField& f : d.pending) addField(d.fields, f);
    for (const PlannedField& f : d.timeSamples) {
      const auto& ts = f.value->get<TimeSamples>().samples;
      times.resize(ts.size());
      for (std::size_t i = 0; i < ts.size(); ++i) times[i] = ts[i].first;
      const crate::ValueRep rep = encoder_->packTimeSamples(times, reps[next++]);
      d.fields.push_back(tables_.field(tables_.token(f.name), rep));
    }
    tables_.addSpec(d.path, tables_.fieldSet(d.fields), d.type);
  }
}

Expected<std::string> Packer::run() && {
  out_.putBytes(std::string(crate::kBootstrapSize, '\0').data(), crate::kBootstrapSize);
  std::vector<PlannedSpec> specs = plan_.takeSpecs();
  tables_.reserve(specs.size());
  ProgressTask progress(options_.progress, ProgressUnit::Specs, specs.size(), "writing", options_.progressSubject);
  std::vector<std::uint32_t> fields;
  for (std::size_t n = 0; n < specs.size(); ++n) {
    const PlannedSpec& spec = specs[n];
    if (n % 256 == 0) progress.advanceTo(n);
    fields.clear();
    std::vector<PlannedField> pending, timeSamples;
    for (const Field& field : spec.spec->fields()) {
      std::optional<PlannedField> f = plan_.mapField(field);
      if (!f) continue;
      if (f->timeSamples) {
        timeSamples.push_back(std::move(*f));
      } else if (!enc_.payloadLayerOffsets() && f->stored().is<Payload>()) {
        // Held back so that every payload in the file gets the same layout
        // (OpenUSD decides this before it knows whether it must upgrade).
        pending.push_back(std::move(*f));
      } else {
        addField(fields, *f);
      }
    }
    const std::uint32_t path = tables_.path(*spec.path);
    const SpecType type = spec.spec->type();
    if (pending.empty() && timeSamples.empty()) {
      tables_.addSpec(path, tables_.fieldSet(fields), type);
    } else {
      deferred_.push_back({path, type, fields, std::move(pending), std::move(timeSamples)});
    }
  }
  specs = {};
  packDeferred();
  deferred_ = {};
  encoder_.reset();

  std::vector<crate::StructureTables::Section> toc;
  // Checked before anything is committed: tables that would read back as
  // something else must not become a file.
  if (!tables_.problem().empty()) return plan_.fail(tables_.problem());
  tables_.writeSections(out_, enc_.version, toc, options_.threads);
  const std::uint64_t tocOffset = out_.tell();
  out_.put<std::uint64_t>(toc.size());
  for (const auto& s : toc) {
    char name[crate::kSectionNameSize] = {};
    std::copy(s.name.begin(), s.name.end(), name);
    out_.putBytes(name, sizeof(name));
    out_.put<std::int64_t>(static_cast<std::int64_t>(s.start));
    out_.put<std::int64_t>(static_cast<std::int64_t>(s.size));
  }
  std::string bytes = std::move(out_).take();
  std::copy(crate::kMagic.begin(), crate::kMagic.end(), bytes.begin());
  bytes[8] = static_cast<char>(enc_.version.major);
  bytes[9] = static_cast<char>(enc_.version.minor);
  bytes[10] = static_cast<char>(enc_.version.patch);
  std::memcpy(bytes.data() + 16, &tocOffset, sizeof(tocOffset));
  return bytes;
}

Expected<Version> initialVersion(const CrateWriteOptions& options) {
  if (options.version) {
    if (!writable(*options.version))
      return makeError("crate version " + versionText(*options.version) + " cannot be written (supported: 0.0.1 to " +
                       versionText(crate::kSoftwareVersion) + ", except 0.3.x)");
    return *options.version;
  }
  const char* env = std::getenv(std::string(kVersionEnvVar).c_str());
  if (!env || !*env) return crate::kDefaultWriteVersion;
  auto parsed = parseCrateVersion(env);
  if (parsed) return *parsed;
  if (options.warnings) {
    options.warnings->push_back("Invalid value '" + std::string(env) + "' for " + std::string(kVersionEnvVar) +
                                " - falling back to default '" + versionText(crate::kDefaultWriteVersion) +
                                "' (" + parsed.error().message + ")");
  }
  return crate::kDefaultWriteVersion;
}

}  // namespace

namespace crate {

Expected<const Value*> LoadedValues::load(const Value& v) {
  if (!v.isLazy()) return &v;
  const void* key = v.sharedIdentity();
  if (auto it = loaded_.find(key); it != loaded_.end()) return &it->second;
  Expected<Value> value = v.loaded();
  if (!value) return std::move(value).error();
  return &loaded_.emplace(key, std::move(*value)).first->second;
}

}  // namespace crate

Expected<std::string> writeCrate(const Layer& layer, const CrateWriteOptions& options) {
  auto start = initialVersion(options);
  if (!start) return std::move(start).error();
  crate::LoadedValues loaded;
  Planner plan(layer, *start, options.exactVersion, options.warnings, loaded);
  if (auto planned = plan.run(); !planned) return std::move(planned).error();
  return Packer(plan, loaded, options).run();
}

Expected<Version> parseCrateVersion(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return makeError("invalid crate version '" + std::string(text) + "': " + std::string(why));
  };
  std::uint8_t parts[3] = {};
  std::string_view rest = text;
  for (int i = 0; i < 3; ++i) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc() || end == rest.data()) return bad("expected MAJOR.MINOR.PATCH");
    if (value > 255) return bad("each part must be at most 255");
    parts[i] = static_cast<std::uint8_t>(value);
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
    if (i < 2) {
      if (rest.empty() || rest.front() != '.') return bad("expected MAJOR.MINOR.PATCH");
      rest.remove_prefix(1);
    }
  }
  if (!rest.empty()) return bad("expected MAJOR.MINOR.PATCH");
  const Version v{parts[0], parts[1], parts[2]};
  if (v.minor == 3 && v.major == 0) return bad("version 0.3 is broken and never written");
  if (!writable(v)) return bad("supported versions are 0.0.1 to " + versionText(crate::kSoftwareVersion));
  return v;
}

}  // namespace usdkit
