#include "sdf/Layer.h"

#include "sdf/Fields.h"

namespace usdkit {

void Spec::set(Token name, Value value) {
  for (Field& f : fields_.view()) {
    if (f.name == name) {
      f.value = std::move(value);
      return;
    }
  }
  fields_.push_back(Field{name, std::move(value)});
}

bool Spec::erase(Token name) {
  std::span<Field> all = fields_.view();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) {
      fields_.erase(i);
      return true;
    }
  }
  return false;
}

Layer::Layer() { createSpec(Path::absoluteRoot(), SpecType::PseudoRoot); }

namespace {
// The tag is the hash's low half: enough to rehash without visiting entries
// (tables stay below 2^32 slots) and still a filter on the bits above the
// bucket number.
inline std::uint64_t slotTag(std::size_t hash) { return static_cast<std::uint64_t>(hash) << 32; }
inline std::size_t slotHash(std::uint64_t slot) { return static_cast<std::size_t>(slot >> 32); }
inline std::uint32_t slotEntry(std::uint64_t slot) { return static_cast<std::uint32_t>(slot); }
}  // namespace

std::uint32_t Layer::lookup(const Path& path) const noexcept {
  if (index_.empty() || path.empty()) return 0;
  std::size_t hash = path.token().hash();
  std::uint64_t tag = slotTag(hash);
  std::size_t mask = index_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    std::uint64_t slot = index_[i];
    if (slot == 0) return 0;
    if ((slot & 0xffffffff00000000ull) == tag && entries_[slotEntry(slot) - 1].first == path) return slotEntry(slot);
  }
}

const Spec* Layer::findSpecByText(std::string_view text) const noexcept {
  if (index_.empty() || text.empty()) return nullptr;
  std::size_t hash = hashText(text);  // the hash its Token would have
  std::uint64_t tag = slotTag(hash);
  std::size_t mask = index_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    std::uint64_t slot = index_[i];
    if (slot == 0) return nullptr;
    if ((slot & 0xffffffff00000000ull) == tag) {
      const auto& entry = entries_[slotEntry(slot) - 1];
      if (entry.first.text() == text) return &entry.second;
    }
  }
}

void Layer::findSpecsByText(std::span<const std::string_view> texts, std::span<const Spec*> out) const noexcept {
  constexpr std::size_t kBatch = 16;
  std::size_t hashes[kBatch];
  std::uint32_t candidates[kBatch];
  const std::size_t mask = index_.empty() ? 0 : index_.size() - 1;
  for (std::size_t base = 0; base < texts.size(); base += kBatch) {
    const std::size_t n = std::min(kBatch, texts.size() - base);
    if (index_.empty()) {
      for (std::size_t k = 0; k < n; ++k) out[base + k] = nullptr;
      continue;
    }
    // 1: hash everything and start loading the home slots.
    for (std::size_t k = 0; k < n; ++k) {
      hashes[k] = hashText(texts[base + k]);
      __builtin_prefetch(&index_[hashes[k] & mask]);
    }
    // 2: probe (slots now arriving) and start loading the candidate entries.
    for (std::size_t k = 0; k < n; ++k) {
      candidates[k] = 0;
      std::uint64_t tag = slotTag(hashes[k]);
      for (std::size_t i = hashes[k] & mask;; i = (i + 1) & mask) {
        std::uint64_t slot = index_[i];
        if (slot == 0) break;
        if ((slot & 0xffffffff00000000ull) == tag) {
          candidates[k] = slotEntry(slot);
          __builtin_prefetch(&entries_[candidates[k] - 1]);
          break;
        }
      }
    }
    // 3: confirm; a tag match that is another path falls back to a full probe.
    for (std::size_t k = 0; k < n; ++k) {
      const Spec* found = nullptr;
      if (candidates[k]) {
        const auto& entry = entries_[candidates[k] - 1];
        found = entry.first.text() == texts[base + k] ? &entry.second : findSpecByText(texts[base + k]);
      }
      out[base + k] = found;
    }
  }
}

void Layer::reserve(std::size_t n) {
  std::size_t want = 16;
  while (want < n + n / 2) want *= 2;
  if (want <= index_.size()) return;
  decltype(index_) old(want, 0);
  old.swap(index_);
  std::size_t mask = index_.size() - 1;
  for (std::uint64_t slot : old) {
    if (!slot) continue;
    std::size_t i = slotHash(slot) & mask;
    while (index_[i]) i = (i + 1) & mask;
    index_[i] = slot;
  }
}

void Layer::grow() { reserve(index_.empty() ? 16 : index_.size()); }

std::pair<Spec&, bool> Layer::tryCreateSpec(const Path& path, SpecType type) {
  if (std::uint32_t e = lookup(path)) {
    Spec& spec = entries_[e - 1].second;
    if (spec.type() == SpecType::Unknown) spec.setType(type);
    return {spec, false};
  }
  if ((live_ + 1) * 3 > index_.size() * 2) grow();
  entries_.emplace_back(path, Spec(type));
  ++live_;
  std::size_t mask = index_.size() - 1;
  std::size_t hash = path.token().hash();
  std::size_t i = hash & mask;
  while (index_[i]) i = (i + 1) & mask;
  index_[i] = slotTag(hash) | static_cast<std::uint32_t>(entries_.size());
  return {entries_.back().second, true};
}

bool Layer::eraseSpec(const Path& path) {
  std::uint32_t e = lookup(path);
  if (!e) return false;
  // Backward-shift deletion keeps probe sequences intact without tombstones.
  std::size_t mask = index_.size() - 1;
  std::size_t hole = path.token().hash() & mask;
  while (slotEntry(index_[hole]) != e) hole = (hole + 1) & mask;
  for (std::size_t j = (hole + 1) & mask; index_[j]; j = (j + 1) & mask) {
    std::size_t home = slotHash(index_[j]) & mask;
    bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = 0;
  // The arena slot stays (empty path marks it dead); erasing is rare.
  entries_[e - 1].first = Path();
  entries_[e - 1].second = Spec();
  --live_;
  return true;
}

namespace {
const std::vector<Token>& tokenVectorField(const Layer& layer, const Path& path, Token field) {
  static const std::vector<Token> kEmpty;
  const Spec* spec = layer.findSpec(path);
  if (!spec) return kEmpty;
  const TokenVector* v = spec->getAs<TokenVector>(field);
  return v ? v->items : kEmpty;
}
}  // namespace

const std::vector<Token>& Layer::primChildren(const Path& path) const {
  return tokenVectorField(*this, path, fieldNames().primChildren);
}
const std::vector<Token>& Layer::propertyNames(const Path& path) const {
  return tokenVectorField(*this, path, fieldNames().properties);
}
const std::vector<Token>& Layer::variantSetNames(const Path& primPath) const {
  return tokenVectorField(*this, primPath, fieldNames().variantSetChildren);
}
const std::vector<Token>& Layer::variantNames(const Path& variantSetPath) const {
  return tokenVectorField(*this, variantSetPath, fieldNames().variantChildren);
}

std::unique_ptr<Layer> Layer::clone() const {
  auto copy = std::make_unique<Layer>();
  copy->identifier_ = identifier_;
  copy->formatId_ = formatId_;
  copy->reserve(live_);
  forEachSpec([&](const Path& path, const Spec& spec) {
    Spec& target = copy->createSpec(path, spec.type());
    for (const Field& f : spec.fields()) target.set(f.name, f.value);
  });
  return copy;
}

}  // namespace usdkit
