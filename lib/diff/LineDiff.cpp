#include "diff/LineDiff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace usdkit::diff {

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

namespace {

using Index = std::ptrdiff_t;

// Myers' algorithm over interned line ids. Subproblems are kept on an
// explicit stack, so neither deep recursion nor a pathological input can
// overflow the call stack.
class MyersDiff {
 public:
  MyersDiff(std::vector<std::uint32_t> a, std::vector<std::uint32_t> b)
      : a_(std::move(a)), b_(std::move(b)), removed_(a_.size()), added_(b_.size()) {
    const auto total = static_cast<Index>(a_.size() + b_.size());
    // Past this many edit steps per middle snake, settle for the furthest
    // point reached: bounds the work on unrelated texts, never taken on
    // texts that differ in a few thousand places.
    costLimit_ = std::max<Index>(4096, static_cast<Index>(std::sqrt(static_cast<double>(total))));
    // No search goes past step min(costLimit_, (n + m + 1) / 2), so its
    // diagonals fit in this many slots however long the texts are.
    const Index slots = 2 * (std::min(costLimit_, (total + 1) / 2) + 1) + 1;
    forward_.resize(static_cast<std::size_t>(slots));
    backward_.resize(static_cast<std::size_t>(slots));
  }

  void run() {
    struct Range { Index aLo, aHi, bLo, bHi; };
    std::vector<Range> todo{{0, static_cast<Index>(a_.size()), 0, static_cast<Index>(b_.size())}};
    while (!todo.empty()) {
      Range r = todo.back();
      todo.pop_back();
      while (r.aLo < r.aHi && r.bLo < r.bHi && a_[r.aLo] == b_[r.bLo]) ++r.aLo, ++r.bLo;
      while (r.aLo < r.aHi && r.bLo < r.bHi && a_[r.aHi - 1] == b_[r.bHi - 1]) --r.aHi, --r.bHi;
      if (r.aLo == r.aHi) {
        for (Index j = r.bLo; j < r.bHi; ++j) added_[j] = 1;
        continue;
      }
      if (r.bLo == r.bHi) {
        for (Index i = r.aLo; i < r.aHi; ++i) removed_[i] = 1;
        continue;
      }
      Split s = middleSnake(r.aLo, r.aHi, r.bLo, r.bHi);
      todo.push_back({s.aEnd, r.aHi, s.bEnd, r.bHi});
      todo.push_back({r.aLo, s.aStart, r.bLo, s.bStart});
    }
  }

  const std::vector<char>& removed() const { return removed_; }
  const std::vector<char>& added() const { return added_; }

 private:
  // A diagonal run of equal lines on an optimal (or, past the cost limit,
  // a good) path: everything before it and after it is solved separately.
  struct Split { Index aStart, bStart, aEnd, bEnd; };

  static constexpr Index kUnreached = -1;

  // Requires non-empty ranges whose first and last lines differ. Diagonal
  // k holds points with x - y = k; values are the furthest x reached on it
  // (forward) or the furthest x' in the reversed texts (backward), or
  // kUnreached. Only points inside the edit graph are ever stored, so the
  // overlap tests never see a point past an edge.
  Split middleSnake(Index aLo, Index aHi, Index bLo, Index bHi) {
    const Index n = aHi - aLo, m = bHi - bLo, delta = n - m;
    const bool odd = (delta & 1) != 0;
    const Index maxD = (n + m + 1) / 2;
    const Index offset = std::min(maxD, costLimit_) + 1;
    std::fill_n(forward_.begin(), 2 * offset + 1, kUnreached);
    std::fill_n(backward_.begin(), 2 * offset + 1, kUnreached);
    Index* vf = forward_.data() + offset;
    Index* vb = backward_.data() + offset;
    const std::uint32_t* a = a_.data() + aLo;
    const std::uint32_t* b = b_.data() + bLo;
    for (Index d = 0; d <= maxD; ++d) {
      const Index kLo = std::max(-d, -m), kHi = std::min(d, n);
      const Index kFirst = kLo + ((kLo + d) & 1);  // same parity as d
      for (Index k = kFirst; k <= kHi; k += 2) {
        Index x = step(vf, k, d, n, m);
        if (x == kUnreached) continue;
        const Index x0 = x, y0 = x - k;
        Index y = y0;
        while (x < n && y < m && a[x] == b[y]) ++x, ++y;
        vf[k] = x;
        const Index kr = delta - k;  // the same diagonal in reversed coordinates
        if (odd && kr >= -(d - 1) && kr <= d - 1 && vb[kr] != kUnreached && x + vb[kr] >= n)
          return {aLo + x0, bLo + y0, aLo + x, bLo + y};
      }
      for (Index k = kFirst; k <= kHi; k += 2) {
        Index x = step(vb, k, d, n, m);
        if (x == kUnreached) continue;
        const Index x0 = x, y0 = x - k;
        Index y = y0;
        while (x < n && y < m && a[n - 1 - x] == b[m - 1 - y]) ++x, ++y;
        vb[k] = x;
        const Index kf = delta - k;
        if (!odd && kf >= -d && kf <= d && vf[kf] != kUnreached && x + vf[kf] >= n)
          return {aLo + n - x, bLo + m - y, aLo + n - x0, bLo + m - y0};
      }
      if (d >= costLimit_) return bestForwardPoint(aLo, bLo, n, m, d);
    }
    // Unreachable: the two searches always meet by step (n + m + 1) / 2.
    return {aLo, bLo, aLo, bLo};
  }

  // The point on diagonal k after the d-th edit: one line further right
  // than diagonal k - 1 reached, or one further down than k + 1, whichever
  // gets further, if that stays inside the graph.
  static Index step(const Index* v, Index k, Index d, Index n, Index m) {
    if (d == 0) return 0;
    Index best = kUnreached;
    if (v[k - 1] != kUnreached && v[k - 1] + 1 <= n) best = v[k - 1] + 1;
    if (v[k + 1] != kUnreached && v[k + 1] - k <= m && v[k + 1] >= best) best = v[k + 1];
    return best;
  }

  // The forward point furthest along (largest x + y) after d steps: the
  // part before it and the part after it are both strictly smaller.
  Split bestForwardPoint(Index aLo, Index bLo, Index n, Index m, Index d) {
    const Index* vf = forward_.data() + std::min((n + m + 1) / 2, costLimit_) + 1;
    Index bestX = 0, bestY = 0;
    const Index kLo = std::max(-d, -m), kHi = std::min(d, n);
    for (Index k = kLo; k <= kHi; ++k) {
      if (vf[k] == kUnreached) continue;
      Index x = vf[k], y = x - k;
      if (x + y > bestX + bestY && !(x == n && y == m)) bestX = x, bestY = y;
    }
    if (bestX + bestY == 0) {  // nothing yet: take one deletion
      bestX = 1;
    }
    return {aLo + bestX, bLo + bestY, aLo + bestX, bLo + bestY};
  }

  std::vector<std::uint32_t> a_, b_;
  std::vector<char> removed_, added_;
  std::vector<Index> forward_, backward_;
  Index costLimit_ = 0;
};

}  // namespace

std::vector<Hunk> diffLines(std::span<const std::string_view> oldLines,
                            std::span<const std::string_view> newLines) {
  // Equal leading and trailing lines never enter the interning table: for
  // texts that differ in one place this is all the work there is.
  std::size_t prefix = 0;
  while (prefix < oldLines.size() && prefix < newLines.size() && oldLines[prefix] == newLines[prefix])
    ++prefix;
  std::size_t suffix = 0;
  while (suffix < oldLines.size() - prefix && suffix < newLines.size() - prefix &&
         oldLines[oldLines.size() - 1 - suffix] == newLines[newLines.size() - 1 - suffix])
    ++suffix;
  auto oldMid = oldLines.subspan(prefix, oldLines.size() - prefix - suffix);
  auto newMid = newLines.subspan(prefix, newLines.size() - prefix - suffix);

  // Equal text, equal id: the algorithm then compares integers only.
  std::unordered_map<std::string_view, std::uint32_t> ids;
  ids.reserve(oldMid.size() + newMid.size());
  auto intern = [&](std::span<const std::string_view> lines) {
    std::vector<std::uint32_t> out;
    out.reserve(lines.size());
    for (std::string_view line : lines)
      out.push_back(ids.try_emplace(line, static_cast<std::uint32_t>(ids.size())).first->second);
    return out;
  };
  std::vector<std::uint32_t> a = intern(oldMid);
  std::vector<std::uint32_t> b = intern(newMid);
  MyersDiff myers(std::move(a), std::move(b));
  myers.run();
  const auto& removed = myers.removed();
  const auto& added = myers.added();

  std::vector<Hunk> hunks;
  std::size_t i = 0, j = 0;
  const std::size_t n = oldMid.size(), m = newMid.size();
  while (i < n || j < m) {
    if (i < n && j < m && !removed[i] && !added[j]) {
      ++i, ++j;
      continue;
    }
    Hunk h;
    h.oldStart = prefix + i;
    h.newStart = prefix + j;
    while ((i < n && removed[i]) || (j < m && added[j])) {
      while (i < n && removed[i]) ++i, ++h.oldCount;
      while (j < m && added[j]) ++j, ++h.newCount;
    }
    hunks.push_back(h);
  }
  return hunks;
}

namespace {

// difflib's range text: "start" for one line, "start,count" otherwise,
// where an empty range names the line before it.
void appendRange(std::string& out, std::size_t start, std::size_t count) {
  std::size_t first = start + 1;
  if (count == 1) {
    out += std::to_string(first);
    return;
  }
  if (count == 0) --first;
  out += std::to_string(first);
  out += ',';
  out += std::to_string(count);
}

void appendLine(std::string& out, char mark, std::string_view line, const char* color) {
  if (color) out += color;
  out += mark;
  bool newline = !line.empty() && line.back() == '\n';
  out.append(line.data(), line.size() - (newline ? 1 : 0));
  if (color) out += "\033[0m";
  out += '\n';
}

}  // namespace

void appendUnified(std::string& out, std::span<const std::string_view> oldLines,
                   std::span<const std::string_view> newLines, std::span<const Hunk> hunks,
                   const UnifiedOptions& options) {
  const char* headerColor = options.color ? "\033[36m" : nullptr;
  const char* removedColor = options.color ? "\033[31m" : nullptr;
  const char* addedColor = options.color ? "\033[32m" : nullptr;
  const std::size_t ctx = options.context;
  std::size_t g = 0;
  while (g < hunks.size()) {
    // Hunks whose gaps are at most twice the context print as one group.
    std::size_t last = g;
    while (last + 1 < hunks.size() &&
           hunks[last + 1].oldStart - (hunks[last].oldStart + hunks[last].oldCount) <= 2 * ctx)
      ++last;
    const Hunk& first = hunks[g];
    const Hunk& end = hunks[last];
    std::size_t lead = std::min({ctx, first.oldStart, first.newStart});
    std::size_t oldEnd = end.oldStart + end.oldCount, newEnd = end.newStart + end.newCount;
    std::size_t trail = std::min({ctx, oldLines.size() - oldEnd, newLines.size() - newEnd});
    std::size_t oldFrom = first.oldStart - lead, newFrom = first.newStart - lead;

    if (headerColor) out += headerColor;
    out += "@@ -";
    appendRange(out, oldFrom, oldEnd + trail - oldFrom);
    out += " +";
    appendRange(out, newFrom, newEnd + trail - newFrom);
    out += " @@";
    if (headerColor) out += "\033[0m";
    out += '\n';

    std::size_t i = oldFrom;
    for (std::size_t h = g; h <= last; ++h) {
      for (; i < hunks[h].oldStart; ++i) appendLine(out, ' ', oldLines[i], nullptr);
      for (std::size_t k = 0; k < hunks[h].oldCount; ++k)
        appendLine(out, '-', oldLines[hunks[h].oldStart + k], removedColor);
      for (std::size_t k = 0; k < hunks[h].newCount; ++k)
        appendLine(out, '+', newLines[hunks[h].newStart + k], addedColor);
      i = hunks[h].oldStart + hunks[h].oldCount;
    }
    for (std::size_t k = 0; k < trail; ++k) appendLine(out, ' ', oldLines[oldEnd + k], nullptr);
    g = last + 1;
  }
}

}  // namespace usdkit::diff
