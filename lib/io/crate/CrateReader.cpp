// readCrate: turns the decoded structure into a Layer shaped exactly like the
// one the usda reader builds for the same content (docs/crate-format.md
// §15), with bulky values left lazy.
#include "io/crate/CrateReader.h"

#include <charconv>
#include <new>
#include <optional>
#include <unordered_map>

#include "io/crate/CrateInternal.h"
#include "sdf/Fields.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit {

namespace crate {

void throwAt(std::uint64_t offset, std::string what) { throw CrateError{offset, std::move(what)}; }

void throwNested(std::uint64_t base, const Error& error) {
  // Compression.h says "<what> at offset K: <problem>" with K relative to
  // its input; report the file offset instead.
  const std::string& m = error.message;
  constexpr std::string_view kMarker = " at offset ";
  const std::size_t marker = m.find(kMarker);
  if (marker != std::string::npos) {
    const char* digits = m.data() + marker + kMarker.size();
    std::uint64_t relative = 0;
    auto [end, ec] = std::from_chars(digits, m.data() + m.size(), relative);
    if (ec == std::errc() && end != digits && std::string_view(end, 2) == ": ")
      throwAt(base + relative, m.substr(0, marker) + ": " + std::string(end + 2));
  }
  throwAt(base, m);
}

Error formatError(const std::string& name, const CrateError& e) {
  return makeError(name + ": crate error at offset " + std::to_string(e.offset) + ": " + e.what);
}

void Budget::refuse(std::uint64_t bytes, std::uint64_t offset) const {
  throwAt(offset, "decoding needs " + std::to_string(bytes) + " more bytes of memory, beyond the limit of " +
                      std::to_string(limit_) + " bytes");
}

namespace {

// Without a caller's budget, one operation may allocate this much: far
// more than any real file needs relative to its size (LZ4 expands at most
// 255:1), yet small enough that hostile files cannot exhaust memory.
std::uint64_t defaultMemoryLimit(std::uint64_t fileSize) {
  return (std::uint64_t(512) << 20) + Budget::times(fileSize, 256);
}

constexpr Version kTargetSpecsDropped{0, 1, 0};

class LayerBuilder {
 public:
  LayerBuilder(std::shared_ptr<const CrateFile> file, const CrateStructure& s, const CrateReadOptions& options,
               Budget& budget)
      : file_(std::move(file)),
        s_(s),
        options_(options),
        budget_(budget),
        decoder_(*file_, budget),
        F_(fieldNames()),
        targetChildren_("targetChildren"),
        connectionChildren_("connectionChildren") {}

  std::shared_ptr<Layer> build() {
    auto layer = std::make_shared<Layer>();
    layer->setIdentifier(file_->name);
    layer->setFormatId("usdc");
    budget_.charge(Budget::times(s_.specs.size(), 256), s_.sections.specs.start);
    layer->reserve(s_.specs.size() + 1);
    fieldValues_.resize(s_.fieldReps.size());
    fieldReady_.assign(s_.fieldReps.size(), false);
    const Path root = Path::absoluteRoot();
    bool rootSeen = false;
    for (std::size_t i = 0; i < s_.specs.size(); ++i) {
      const CrateStructure::Spec& cs = s_.specs[i];
      const std::uint64_t at = s_.sections.specs.start;
      const Path& path = file_->path(cs.path, at);
      if (path.empty()) throwAt(at, "spec " + std::to_string(i) + " has the empty path (slot " + std::to_string(cs.path) + ")");
      if (cs.type == 0 || cs.type > static_cast<std::uint32_t>(SpecType::VariantSet))
        throwAt(at, "spec <" + path.string() + "> has invalid spec type " + std::to_string(cs.type));
      if (cs.fieldSet >= s_.fieldSets.size() || (cs.fieldSet != 0 && s_.fieldSets[cs.fieldSet - 1] != kInvalidIndex))
        throwAt(at, "spec <" + path.string() + "> has field set index " + std::to_string(cs.fieldSet) +
                        ", which does not start a field set");
      const auto type = static_cast<SpecType>(cs.type);
      // Pre-0.1.0 files stored relationship target specs; they are implied
      // by the targetPaths / connectionPaths lists now.
      if (file_->version < kTargetSpecsDropped && path.isTargetPath()) continue;
      const bool isRoot = path == root;
      if (isRoot != (type == SpecType::PseudoRoot))
        throwAt(at, "spec <" + path.string() + "> has spec type " + std::to_string(cs.type) +
                        (isRoot ? " instead of the pseudo-root's" : ", which only the pseudo-root may have"));
      if (options_.metadataOnly && !isRoot) continue;
      Spec* spec;
      if (isRoot) {
        if (rootSeen) throwAt(at, "the pseudo-root has two specs");
        rootSeen = true;
        spec = &layer->pseudoRoot();
      } else {
        auto [created, isNew] = layer->tryCreateSpec(path, type);
        if (!isNew) throwAt(at, "two specs have the path <" + path.string() + ">");
        spec = &created;
      }
      addFields(*spec, type, cs.fieldSet);
    }
    return layer;
  }

 private:
  void addFields(Spec& spec, SpecType type, std::uint32_t fieldSet) {
    // The field set list ends with a terminator (checked when read).
    for (std::size_t k = fieldSet; s_.fieldSets[k] != kInvalidIndex; ++k) {
      const std::uint32_t fi = s_.fieldSets[k];
      const Token& name = file_->tokens[s_.fieldTokens[fi]];
      if (name == targetChildren_ || name == connectionChildren_) continue;  // derived, never stored (§15)
      const Value& value = fieldValue(fi, name);
      if (value.empty()) continue;
      // The usda reader leaves out fields equal to the schema fallback.
      if (name == F_.custom) {
        if (const bool* b = value.getIf<bool>(); b && !*b) continue;
      } else if (name == F_.variability && type == SpecType::Attribute) {
        if (const Variability* v = value.getIf<Variability>(); v && *v == Variability::Varying) continue;
      }
      if (spec.has(name)) continue;  // the first of duplicate names wins, as in OpenUSD
      if (name == F_.typeName && type == SpecType::Attribute) {
        if (const Token* t = value.getIf<Token>()) {
          spec.set(name, Value(attributeTypeName(*t)));
          continue;
        }
      }
      spec.set(name, value);
    }
  }

  // Legacy attribute type names ("Vec3f", "PointFloat[]") are stored as the
  // usda reader stores them: under their current name.
  Token attributeTypeName(Token stored) {
    auto [it, isNew] = typeNames_.try_emplace(stored, stored);
    if (isNew) {
      if (std::optional<ValueTypeInfo> info = findValueType(stored.str())) it->second = info->serializationName;
    }
    return it->second;
  }

  FieldRole roleFor(Token name) const {
    if (name == F_.payload) return FieldRole::Payload;
    if (name == F_.prefixSubstitutions || name == F_.suffixSubstitutions) return FieldRole::StringDictionary;
    if (name == F_.relocates) return FieldRole::PrimRelocates;
    return FieldRole::Plain;
  }

  // Fields are shared between specs (OpenUSD deduplicates them), so each is
  // decoded once.
  const Value& fieldValue(std::uint32_t fi, Token name) {
    if (fieldReady_[fi]) return fieldValues_[fi];
    const ValueRep rep = s_.fieldReps[fi];
    const std::uint64_t where = s_.sections.fields.start;
    const FieldRole role = roleFor(name);
    Value value;
    if (rep.typeByte() == 0) {
      // What OpenUSD stores for a value it could not pack; it reads back as
      // no value.
      if (options_.warnings)
        options_.warnings->push_back(file_->name + ": warning: field '" + name.string() + "' has no stored value");
    } else if (decoder_.isBulky(rep, where)) {
      value = Value::lazy(std::make_shared<CrateLazyValue>(file_, rep, role, where));
    } else {
      value = decoder_.decodeField(rep, role, where);
    }
    fieldValues_[fi] = std::move(value);
    fieldReady_[fi] = true;
    return fieldValues_[fi];
  }

  std::shared_ptr<const CrateFile> file_;
  const CrateStructure& s_;
  const CrateReadOptions& options_;
  Budget& budget_;
  ValueDecoder decoder_;
  const FieldNames& F_;
  Token targetChildren_, connectionChildren_;
  std::vector<Value> fieldValues_;
  std::vector<bool> fieldReady_;
  std::unordered_map<Token, Token> typeNames_;
};

}  // namespace
}  // namespace crate

Expected<std::shared_ptr<Layer>> readCrate(std::string_view data, std::shared_ptr<const void> owner,
                                           const std::string& name, const CrateReadOptions& options) {
  using namespace crate;
  try {
    auto file = std::make_shared<CrateFile>();
    file->data = data;
    file->owner = std::move(owner);
    file->name = name;
    file->cumulative = options.memoryBudget != 0;
    file->memoryLimit = options.memoryBudget != 0 ? options.memoryBudget : defaultMemoryLimit(data.size());
    Budget budget = file->makeBudget();
    CrateStructure structure = readStructure(*file, budget);
    LayerBuilder builder(file, structure, options, budget);
    return builder.build();
  } catch (const CrateError& e) {
    return formatError(name, e);
  } catch (const std::bad_alloc&) {
    return makeError(name + ": crate error at offset 0: out of memory while reading the file");
  }
}

}  // namespace usdkit
