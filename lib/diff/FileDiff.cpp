#include "diff/FileDiff.h"

#include "diff/CompactIndent.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <system_error>
#include <thread>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "sdf/Fields.h"
#include "io/LayerIO.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaValueText.h"
#include "io/usda/UsdaWriter.h"
#include "io/FileFormat.h"
#include "io/Packages.h"
#include "io/usdz/ZipArchive.h"
#include "diff/ValueCompare.h"
#include "sdf/WordHash.h"

namespace usdkit::diff {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// Classifying and reading files.

enum class FileKind { Layer, Package, Unknown };

// The extension as OpenUSD's usddiff reads it: letter case ignored, a
// version specifier ("a.usd#3") dropped. A package-relative path
// ("a.usdz[b.usda]") has none: it is classified as a whole, not by its
// entry's name.
std::string lowerExtension(std::string_view path) {
  const std::string_view formatExt = formatExtension(path);
  if (formatExt.find(']') != std::string_view::npos) return {};
  std::string ext(formatExt);
  if (std::size_t hash = ext.rfind('#'); hash != std::string::npos) ext.resize(hash);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// A single layer's extension (not a package's).
bool isLayerExtension(std::string_view ext) {
  const FileFormat* format = findFileFormat(ext);
  return format && !format->package;
}

bool isPackageExtension(std::string_view ext) {
  const FileFormat* format = findFileFormat(ext);
  return format && format->package;
}

bool startsAsCrate(std::string_view bytes) { return sniffFormat(bytes) == LayerFormat::Usdc; }

bool startsAsText(std::string_view bytes) {
  const std::optional<LayerFormat> format = sniffFormat(bytes);
  return format == LayerFormat::Usda || format == LayerFormat::Sdf;
}

// By extension, else (extensionless temp files from version control) by
// content, as OpenUSD's usddiff tries the 'usd' format: an empty file
// counts as a layer so that it can still be compared. A file that cannot
// be read (a looping link) is that error, not an unknown format.
Expected<FileKind> classify(const std::string& path) {
  std::string ext = lowerExtension(path);
  if (isPackageExtension(ext)) return FileKind::Package;
  if (isLayerExtension(ext)) return FileKind::Layer;
  if (splitPackagePath(path)) return FileKind::Layer;
  Expected<InputBuffer> input = readInput(path);
  if (!input) return std::move(input).error();
  if (input->size() == 0 || startsAsText(input->data()) || startsAsCrate(input->data())) return FileKind::Layer;
  return FileKind::Unknown;
}

bool isEmptyFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0 && !ec;
}

// Whether `path` holds usda text: by its first bytes, or for a compressed
// file by its name. Package paths and anything unclear say no.
bool holdsUsdaText(const std::string& path) {
  if (splitPackagePath(path)) return false;
  if (hasZstdSuffix(path)) {
    const FileFormat* format = findFileFormat(lowerExtension(path));
    return format && !format->sniffed && (format->writes == LayerFormat::Usda || format->writes == LayerFormat::Sdf);
  }
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  return startsAsText(std::string_view(head, static_cast<std::size_t>(in.gcount())));
}

// Two text layers read only to be compared keep their big numeric arrays
// as checked text (OpenOptions::deferNumericArrays): equal arrays then
// match by text and hash without being decoded. Against a crate file every
// such array would have to be decoded to compare it after all, so then
// both are read as usual.
Expected<std::shared_ptr<Layer>> loadLayer(const std::string& path, const FileDiffOptions& options,
                                           bool deferArrays = false) {
  if (options.compose) return options.compose(path);
  OpenOptions open;
  open.deferNumericArrays = deferArrays;
  return openLayer(path, open);
}

// Runs f(a) and f(b) at the same time (two big layers parse in half the
// wall time on two cores).
template <class F>
auto bothInParallel(const std::string& a, const std::string& b, F f) {
  using R = decltype(f(a));
  std::optional<R> second;
  std::thread worker([&] { second.emplace(f(b)); });
  R first = f(a);
  worker.join();
  return std::pair<R, R>(std::move(first), std::move(*second));
}


// ---------------------------------------------------------------------------
// Layer text without formatting every number.
//
// Formatting the numbers of big arrays is most of the cost of writing a
// layer's text, and two versions of a big layer share nearly all of them.
// So the text both sides are compared by has a placeholder for each big
// numeric array, numbered by content (same kind, same bytes): equal arrays
// get equal placeholders, so two lines of that text are equal exactly when
// the real lines are. Only the lines that get printed have their
// placeholders replaced.
//
// Arrays the reader kept as source text (OpenOptions::deferNumericArrays)
// come with the hash of the bytes they decode to, so they are numbered the
// same way without being decoded: equal text is equal content, and only
// arrays of equal hash and different text (or an array in memory against
// one kept as text) are decoded to compare them.

class ArrayPlaceholders {
 public:
  static constexpr std::size_t kMinElements = 16;

  // Registers the big arrays of `layer`'s attribute values.
  void addLayer(const Layer& layer) {
    const FieldNames& f = fieldNames();
    layer.forEachSpec([&](const Path&, const Spec& spec) {
      if (spec.type() != SpecType::Attribute) return;
      if (const Value* v = spec.get(f.defaultValue)) add(*v);
      if (const TimeSamples* ts = spec.getAs<TimeSamples>(f.timeSamples))
        for (const auto& sample : ts->samples) add(sample.second);
    });
  }

  // UsdaWriteOptions::valueText. A value not registered by its block (a
  // crate file's arrays are decoded into new blocks as they are written)
  // is looked up by content, so it gets the same placeholder as an equal
  // registered array; one equal to none is written out in full on both
  // sides. Only reads the tables: safe from two writer threads.
  bool write(std::string& out, const Value& value) const {
    const void* block = value.sharedIdentity();
    if (!block) return false;
    std::optional<std::uint32_t> id;
    if (auto it = idByBlock_.find(block); it != idByBlock_.end()) {
      id = it->second;
    } else if (std::optional<Key> key = keyOf(value)) {
      id = find(*key, value, false);
    }
    if (!id) return false;
    out += kMark;
    out += std::to_string(*id);
    out += kEnd;
    return true;
  }

  // `line` with its placeholders replaced by the values' text.
  std::string expand(std::string_view line) const {
    std::string out;
    std::size_t pos = 0;
    while (true) {
      std::size_t mark = line.find(kMark, pos);
      if (mark == std::string_view::npos) break;
      std::size_t end = line.find(kEnd, mark + kMark.size());
      if (end == std::string_view::npos) break;
      out.append(line.substr(pos, mark - pos));
      std::size_t id = std::stoul(std::string(line.substr(mark + kMark.size(), end - mark - kMark.size())));
      appendUsdaValue(out, entries_.at(id).value);
      pos = end + 1;
    }
    out.append(line.substr(pos));
    return out;
  }

  bool contains(std::string_view line) const { return line.find(kMark) != std::string_view::npos; }

 private:
  static constexpr std::string_view kMark = "\x01usddiff#";
  static constexpr char kEnd = '\x01';

  struct Key {
    std::uint64_t hash;
    ValueKind kind;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return k.hash ^ static_cast<std::size_t>(k.kind); }
  };
  struct Entry {
    Value value;  // lazy when kept as text and never needed decoded
    mutable std::optional<Value> decoded;  // filled only while registering
  };

  // Bytes of a big array of plain numbers in memory; empty for anything else.
  static std::string_view arrayBytes(const Value& value) {
    if (value.isLazy() || !value.isArray()) return {};
    return value.visit([](const auto& v) -> std::string_view {
      using T = std::decay_t<decltype(v)>;
      if constexpr (requires { typename T::value_type; v.data(); }) {
        using E = typename T::value_type;
        if constexpr (std::is_trivially_copyable_v<E>) {
          if (v.size() < kMinElements) return {};
          return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(E)};
        }
      }
      return {};
    });
  }

  // The key of a big numeric array, in memory or kept as text.
  static std::optional<Key> keyOf(const Value& value) {
    if (LazyValue::SourceText source = value.sourceText(); !source.text.empty()) {
      if (source.count < kMinElements) return std::nullopt;
      return Key{source.contentHash, source.kind};
    }
    std::string_view bytes = arrayBytes(value);
    ValueKind kind{};
    bool isArray = false;
    if (bytes.empty() || !value.scalarKind(&kind, &isArray)) return std::nullopt;
    return Key{WordHash::ofBytes(bytes), kind};
  }

  // The decoded form of a registered entry, or of `value` itself (decoded
  // into `scratch` when it is kept as text); null when it cannot be decoded.
  static const Value* decodedForm(const Value& value, std::optional<Value>& scratch) {
    if (!value.isLazy()) return &value;
    if (!scratch) {
      Expected<Value> loaded = value.loaded();
      if (!loaded) return nullptr;
      scratch = std::move(*loaded);
    }
    return &*scratch;
  }

  // Same key and same content. `cache` (registering only) keeps what a
  // registered entry was decoded to.
  static bool sameContent(const Entry& entry, const Value& value, bool cache) {
    if (sameSourceText(entry.value, value)) return true;
    std::optional<Value> entryScratch, valueScratch;
    const Value* a = !cache && entry.decoded ? &*entry.decoded
                                             : decodedForm(entry.value, cache ? entry.decoded : entryScratch);
    const Value* b = decodedForm(value, valueScratch);
    if (!a || !b || a->storage().index() != b->storage().index()) return false;
    std::string_view ab = arrayBytes(*a), bb = arrayBytes(*b);
    return !ab.empty() && ab == bb;
  }

  std::optional<std::uint32_t> find(const Key& key, const Value& value, bool cache) const {
    auto it = byKey_.find(key);
    if (it == byKey_.end()) return std::nullopt;
    for (std::uint32_t id : it->second)
      if (sameContent(entries_[id], value, cache)) return id;
    return std::nullopt;
  }

  void add(const Value& value) {
    const void* block = value.sharedIdentity();
    if (!block || idByBlock_.count(block)) return;
    std::optional<Key> key = keyOf(value);
    if (!key) return;
    if (auto id = find(*key, value, true)) {
      idByBlock_.emplace(block, *id);
      return;
    }
    const auto id = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back(Entry{value, std::nullopt});
    byKey_[*key].push_back(id);
    idByBlock_.emplace(block, id);
  }

  std::unordered_map<const void*, std::uint32_t> idByBlock_;
  std::unordered_map<Key, std::vector<std::uint32_t>, KeyHash> byKey_;
  std::deque<Entry> entries_;  // by id
};

// ---------------------------------------------------------------------------
// Comparing texts.

// Writes text edited in an external diff program back over `original` in
// the original's format (a text .usd stays text).
Status writeBack(const std::string& original, const EditedText& edited) {
  if (::access(original.c_str(), W_OK) != 0)
    return makeError("Cannot write to " + original + ", insufficient permissions");
  Expected<std::unique_ptr<Layer>> layer = readUsda(edited.text, edited.file);
  if (!layer) return makeError("failed to read the edited text of " + original + ": " + layer.error().message);
  SaveOptions save;
  if (const FileFormat* format = findFileFormat(lowerExtension(original)); format && format->sniffed) {
    Expected<InputBuffer> input = readInput(original);
    save.usdFormat = input && startsAsCrate(input->data()) ? "usdc" : "usda";
  }
  (*layer)->setIdentifier(original);
  Status saved = saveLayer(**layer, original, save);
  if (!saved) return makeError("failed to write edits back to " + original + ": " + saved.error().message);
  return Ok{};
}

// Compares two texts shown as `baseName` and `compName`. With an external
// tool, `writeBackTo` names the inputs its edits may be written back to
// (empty: never).
Expected<bool> compareTexts(std::string_view baseText, std::string_view compText, const std::string& baseName,
                            const std::string& compName, const FileDiffOptions& options, const Printer& print,
                            const std::pair<std::string, std::string>& writeBackTo,
                            const ArrayPlaceholders* placeholders = nullptr) {
  if (options.externalTool) {
    Expected<ExternalDiffResult> result = options.externalTool({baseText, compText, baseName, compName});
    if (!result) return result.error();
    if (!options.noEffect) {
      if (result->editedBaseline) {
        if (writeBackTo.first.empty()) return makeError("Cannot write out flattened result.");
        if (Status s = writeBack(writeBackTo.first, *result->editedBaseline); !s) return s.error();
      }
      if (result->editedComparison) {
        if (writeBackTo.second.empty()) return makeError("Cannot write out flattened result.");
        if (Status s = writeBack(writeBackTo.second, *result->editedComparison); !s) return s.error();
      }
    }
    return result->status != 0;
  }
  if (baseText == compText) return false;
  if (options.brief) {
    print("Files " + baseName + " and " + compName + " differ\n");
    return true;
  }
  std::vector<std::string_view> a = splitLines(baseText), b = splitLines(compText);
  std::vector<Hunk> hunks = diffLines(a, b);
  // Lines that will be printed get their real values and indentation back
  // (texts of layers are compared compacted, see CompactIndent.h).
  std::deque<std::string> expanded;
  auto restore = [&](std::vector<std::string_view>& lines, std::size_t from, std::size_t count) {
    for (std::size_t i = from; i < from + count && i < lines.size(); ++i) {
      const bool value = placeholders && placeholders->contains(lines[i]);
      const bool indent = hasCompactIndent(lines[i]);
      if (!value && !indent) continue;
      std::string line = value ? placeholders->expand(lines[i]) : std::string(lines[i]);
      if (indent) line = expandCompactIndent(line);
      lines[i] = expanded.emplace_back(std::move(line));
    }
  };
  const std::size_t ctx = options.unified.context;
  for (const Hunk& h : hunks) {
    restore(a, h.oldStart - std::min(ctx, h.oldStart), h.oldCount + 2 * ctx);
    restore(b, h.newStart - std::min(ctx, h.newStart), h.newCount + 2 * ctx);
  }
  std::string out;
  appendUnified(out, a, b, hunks, options.unified);
  print(out);
  return true;
}

Expected<bool> compareLayersStructurally(const Layer& a, const Layer& b, const std::string& baseName,
                                         const std::string& compName, const FileDiffOptions& options,
                                         const Printer& print) {
  Expected<std::vector<Change>> changes = diffLayers(a, b, options.layerDiff);
  if (!changes) return changes.error();
  if (changes->empty()) return false;
  if (options.brief) {
    print("Files " + baseName + " and " + compName + " differ\n");
  } else if (options.json) {
    print(changesJson(*changes));
  } else {
    std::string out;
    for (const Change& c : *changes) out.append(changeLine(c)).append("\n");
    print(out);
  }
  return true;
}

// ---------------------------------------------------------------------------
// Packages, entry by entry.

bool isImageExtension(std::string_view ext) {
  return ext == "bmp" || ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "tga" || ext == "hdr";
}

// "a.usdz[b.usdz[c.usda]]" for the stack a.usdz, b.usdz and entry c.usda.
std::string packagePath(const std::vector<std::string>& stack, const std::string& entry) {
  std::string out = entry;
  for (std::size_t i = stack.size(); i-- > 0;) out = joinPackagePath(stack[i], out);
  return out;
}

std::string_view bytesOf(const usdz::ZipEntry& e) {
  return {reinterpret_cast<const char*>(e.data.data()), e.data.size()};
}

Expected<bool> diffPackageBytes(std::string_view baseBytes, std::string_view compBytes,
                                std::vector<std::string>& baseStack, std::vector<std::string>& compStack,
                                const FileDiffOptions& options, const Printer& print, int depth) {
  if (depth >= kMaxPackageDepth) return packagesTooDeep(baseStack.front());
  const std::string baseName = baseStack.size() == 1 ? baseStack.front() : packagePath({baseStack.begin(), baseStack.end() - 1}, baseStack.back());
  const std::string compName = compStack.size() == 1 ? compStack.front() : packagePath({compStack.begin(), compStack.end() - 1}, compStack.back());
  auto baseZip = usdz::ZipArchive::open(baseBytes, baseName);
  if (!baseZip) return baseZip.error();
  auto compZip = usdz::ZipArchive::open(compBytes, compName);
  if (!compZip) return compZip.error();

  std::set<std::string> baseNames, compNames;
  for (const auto& e : baseZip->entries()) baseNames.insert(std::string(e.name));
  for (const auto& e : compZip->entries()) compNames.insert(std::string(e.name));
  bool differ = false;
  for (const std::string& name : baseNames) {
    if (!compNames.count(name)) {
      differ = true;
      continue;
    }
    const usdz::ZipEntry& be = *baseZip->find(name);
    const usdz::ZipEntry& ce = *compZip->find(name);
    if (be.crc32 == ce.crc32 && be.uncompressedSize == ce.uncompressedSize && bytesOf(be) == bytesOf(ce)) continue;
    const std::string basePath = packagePath(baseStack, name);
    const std::string compPath = packagePath(compStack, name);
    const std::string ext = lowerExtension(name);
    if (isPackageExtension(ext)) {
      baseStack.push_back(name);
      compStack.push_back(name);
      auto nested = diffPackageBytes(bytesOf(be), bytesOf(ce), baseStack, compStack, options, print, depth + 1);
      baseStack.pop_back();
      compStack.pop_back();
      if (!nested) return nested;
      differ = differ || *nested;
      continue;
    }
    print("Differences in " + basePath + " and " + compPath + ":\n");
    if (isImageExtension(ext) || !be.usable() || !ce.usable()) {
      differ = true;
      continue;
    }
    // Crate entries are compared as the text usdcat prints for them; text
    // entries as they are, which is what OpenUSD's usddiff shows.
    const bool crate = startsAsCrate(bytesOf(be)) || startsAsCrate(bytesOf(ce));
    if (options.summary && isLayerExtension(ext)) {
      auto layers = bothInParallel(basePath, compPath, [&](const std::string& p) { return openLayer(p); });
      if (!layers.first) return layers.first.error();
      if (!layers.second) return layers.second.error();
      auto r = compareLayersStructurally(**layers.first, **layers.second, basePath, compPath, options, print);
      if (!r) return r;
      differ = differ || *r;
      continue;
    }
    std::string baseText, compText;
    if (crate && isLayerExtension(ext)) {
      auto texts = bothInParallel(basePath, compPath, [&](const std::string& p) { return layerText(p, {}); });
      if (!texts.first) return texts.first.error();
      if (!texts.second) return texts.second.error();
      baseText = std::move(*texts.first);
      compText = std::move(*texts.second);
    } else {
      baseText = bytesOf(be);
      compText = bytesOf(ce);
    }
    FileDiffOptions inner = options;
    inner.noEffect = true;  // edits cannot go back into a package
    auto r = compareTexts(baseText, compText, basePath, compPath, inner, print, {});
    if (!r) return r;
    differ = differ || *r;
  }
  std::string tail;
  for (const std::string& name : baseNames)
    if (!compNames.count(name)) tail += "Only in baseline: " + packagePath(baseStack, name) + ".\n";
  for (const std::string& name : compNames)
    if (!baseNames.count(name)) {
      tail += "Not in baseline: " + packagePath(compStack, name) + ".\n";
      differ = true;
    }
  if (!tail.empty()) print(tail);
  return differ;
}

}  // namespace

Expected<std::string> layerText(const std::string& path, const FileDiffOptions& options) {
  if (!options.compose && isEmptyFile(path)) return std::string();
  Expected<std::shared_ptr<Layer>> layer = loadLayer(path, options);
  if (!layer) return layer.error();
  Expected<std::string> text = exportToString(**layer);
  if (!text) return text.error();
  return text;
}

Expected<bool> diffFiles(const std::string& baseline, const std::string& comparison,
                         const FileDiffOptions& options, const Printer& print) {
  const Expected<FileKind> baseClass = classify(baseline);
  if (!baseClass) return baseClass.error();
  const Expected<FileKind> compClass = classify(comparison);
  if (!compClass) return compClass.error();
  const FileKind baseKind = *baseClass, compKind = *compClass;
  if (baseKind == FileKind::Unknown)
    return makeError("Cannot find supported file format plugin for " + baseline);
  if (compKind == FileKind::Unknown)
    return makeError("Cannot find supported file format plugin for " + comparison);

  if (baseKind == FileKind::Package && compKind == FileKind::Package && !options.compose) {
    auto pair = bothInParallel(baseline, comparison, [](const std::string& p) { return readInput(p); });
    if (!pair.first) return pair.first.error();
    if (!pair.second) return pair.second.error();
    std::vector<std::string> baseStack{baseline}, compStack{comparison};
    return diffPackageBytes(pair.first->data(), pair.second->data(), baseStack, compStack, options, print, 0);
  }
  // A package against a plain layer: the package's root layer is compared
  // by content. (OpenUSD's usddiff reports such a pair as different without
  // looking; identical content in another format is no difference here.)

  if (options.summary) {
    const bool defer = holdsUsdaText(baseline) && holdsUsdaText(comparison);
    auto layers = bothInParallel(baseline, comparison, [&](const std::string& p) { return loadLayer(p, options, defer); });
    if (!layers.first) return layers.first.error();
    if (!layers.second) return layers.second.error();
    return compareLayersStructurally(**layers.first, **layers.second, baseline, comparison, options, print);
  }

  std::pair<std::string, std::string> writeBackTo;
  if (!options.compose) writeBackTo = {baseline, comparison};
  if (options.externalTool) {
    // The program gets the complete text, which it may edit.
    auto texts = bothInParallel(baseline, comparison, [&](const std::string& p) { return layerText(p, options); });
    if (!texts.first) return texts.first.error();
    if (!texts.second) return texts.second.error();
    return compareTexts(*texts.first, *texts.second, baseline, comparison, options, print, writeBackTo);
  }

  // Built in: both layers read at once, then their text with placeholders
  // for the big arrays (see ArrayPlaceholders), written at once.
  auto isEmpty = [&](const std::string& p) { return !options.compose && isEmptyFile(p); };
  const bool defer = holdsUsdaText(baseline) && holdsUsdaText(comparison);
  auto layers = bothInParallel(baseline, comparison, [&](const std::string& p) -> Expected<std::shared_ptr<Layer>> {
    if (isEmpty(p)) return std::shared_ptr<Layer>();
    return loadLayer(p, options, defer);
  });
  if (!layers.first) return layers.first.error();
  if (!layers.second) return layers.second.error();
  ArrayPlaceholders placeholders;
  if (*layers.first) placeholders.addLayer(**layers.first);
  if (*layers.second) placeholders.addLayer(**layers.second);
  UsdaWriteOptions writeOptions;
  writeOptions.valueText = [&](std::string& out, const Value& v) { return placeholders.write(out, v); };
  // Each text is compacted as the writer streams it, so a deeply nested
  // layer's indentation never exists in full (see CompactIndent.h).
  auto texts = bothInParallel(baseline, comparison, [&](const std::string& p) -> Expected<std::string> {
    const std::shared_ptr<Layer>& layer = &p == &baseline ? *layers.first : *layers.second;
    if (!layer) return std::string();
    std::string text, chunk;
    IndentCompactor compactor;
    UsdaWriteOptions streaming = writeOptions;
    streaming.sink = [&](std::string_view piece) { compactor.append(piece, text); };
    if (Status s = writeUsda(*layer, chunk, streaming); !s) return s.error();
    compactor.finish(text);
    return text;
  });
  if (!texts.first) return texts.first.error();
  if (!texts.second) return texts.second.error();
  return compareTexts(*texts.first, *texts.second, baseline, comparison, options, print, writeBackTo, &placeholders);
}

}  // namespace usdkit::diff
