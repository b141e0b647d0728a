// Reading a big layer's root prims on several threads (Reader::
// parseRootPrimsInParallel). A quick lexical pass finds where the root prim
// statements end; runs of whole statements are read into layers of their
// own on worker threads and joined into the layer in file order, so the
// layer is the one a single thread builds: the same specs, created in the
// same order. Whatever the pass cannot vouch for is left to the one-thread
// reader: a piece that fails or warns, or whose root prims the layer has
// already, stops the parallel read there, and the one-thread reader goes on
// from that statement, giving the errors and warnings (with their lines)
// that it always gives.
#include <algorithm>
#include <optional>

#include "base/Parallel.h"
#include "io/usda/Reader.h"

namespace usdkit::usda {

namespace {

// Below this much text after the layer metadata one thread reads; pieces
// are about kPieceBytes of whole statements.
constexpr std::size_t kParallelMinBytes = std::size_t(4) << 20;
constexpr std::size_t kPieceBytes = std::size_t(1) << 20;

bool isSpace(char c) { return c == ' ' || c == '\t'; }
bool isLineEnd(char c) { return c == '\n' || c == '\r'; }

// A lexical walk over usda text that knows what may hold brackets without
// nesting: strings, asset paths, path literals and comments.
class StatementCutter {
 public:
  StatementCutter(const char* p, const char* end) : p_(p), end_(end) {}

  // Where pieces of whole root prim statements of at least `pieceBytes`
  // start, from here to the end of the text (which ends the list; a
  // statement ends just past the line end that closes it), or nothing when
  // the text holds anything else at the root or does not close as
  // expected. One entry per piece, not per statement: memory does not
  // grow with the number of statements.
  std::optional<std::vector<const char*>> pieceStarts(std::size_t pieceBytes) {
    std::vector<const char*> out{p_};
    const char* lastEnd = p_;  // the end of the last statement
    for (;;) {
      if (!skipPad(true)) return std::nullopt;
      if (p_ == end_) break;
      if (!startsPrim()) return std::nullopt;
      if (!skipStatement()) return std::nullopt;
      lastEnd = p_;
      if (p_ - out.back() >= static_cast<std::ptrdiff_t>(pieceBytes)) out.push_back(p_);
    }
    // Padding after the last statement belongs to the last piece.
    if (out.size() > 1 && out.back() == lastEnd) out.back() = end_;
    else out.push_back(end_);
    return out;
  }

 private:
  bool at(std::string_view s) const {
    return static_cast<std::size_t>(end_ - p_) >= s.size() && std::string_view(p_, s.size()) == s;
  }

  // Spaces, comments and (when `lines`) line ends; false on an unclosed
  // block comment.
  bool skipPad(bool lines) {
    while (p_ < end_) {
      const char c = *p_;
      if (isSpace(c) || (lines && isLineEnd(c))) {
        ++p_;
      } else if (c == '#' || at("//")) {
        while (p_ < end_ && !isLineEnd(*p_)) ++p_;
      } else if (at("/*")) {
        const char* close = find("*/", p_ + 2);
        if (!close) return false;
        p_ = close + 2;
      } else {
        break;
      }
    }
    return true;
  }

  const char* find(std::string_view s, const char* from) const {
    const char* hit = std::search(from, end_, s.begin(), s.end());
    return hit == end_ ? nullptr : hit;
  }

  bool startsPrim() const {
    for (std::string_view word : {"def", "over", "class"})
      if (at(word) && end_ - p_ > static_cast<std::ptrdiff_t>(word.size()) && isSpace(p_[word.size()])) return true;
    return false;
  }

  // From a prim keyword to the line end after the `}` that closes the
  // prim's body at depth 0.
  bool skipStatement() {
    int depth = 0;
    bool bodyOpened = false;
    while (p_ < end_) {
      const char c = *p_;
      switch (c) {
        case '"':
        case '\'':
          if (!skipString(c)) return false;
          continue;
        case '@':
          if (!skipAsset()) return false;
          continue;
        case '<': {
          const char* close = std::find(p_ + 1, end_, '>');
          if (close == end_) return false;
          p_ = close + 1;
          continue;
        }
        case '#':
          if (!skipPad(false)) return false;
          continue;
        case '/':
          if (at("//") || at("/*")) {
            if (!skipPad(false)) return false;
            continue;
          }
          break;
        case '(':
        case '[':
          ++depth;
          break;
        case '{':
          if (depth == 0) bodyOpened = true;
          ++depth;
          break;
        case ')':
        case ']':
        case '}':
          if (--depth < 0) return false;
          if (depth == 0 && c == '}' && bodyOpened) {
            ++p_;
            return skipLineEnd();
          }
          break;
        default:
          break;
      }
      ++p_;
    }
    return false;
  }

  // After a statement: inline pad and comments, then a line end (taken) or
  // the end of the text.
  bool skipLineEnd() {
    if (!skipPad(false)) return false;
    if (p_ == end_) return true;
    if (*p_ == '\r') {
      ++p_;
      if (p_ < end_ && *p_ == '\n') ++p_;
      return true;
    }
    if (*p_ == '\n') {
      ++p_;
      return true;
    }
    return false;
  }

  bool skipString(char quote) {
    const std::string_view triple = quote == '"' ? "\"\"\"" : "'''";
    const bool multiline = at(triple);
    p_ += multiline ? 3 : 1;
    while (p_ < end_) {
      if (*p_ == '\\') {
        p_ += 2;
        continue;
      }
      if (multiline ? at(triple) : *p_ == quote) {
        p_ += multiline ? 3 : 1;
        return true;
      }
      if (!multiline && isLineEnd(*p_)) return false;
      ++p_;
    }
    return false;
  }

  bool skipAsset() {
    if (at("@@@")) {
      p_ += 3;
      while (p_ < end_) {
        if (at("\\@@@")) {
          p_ += 4;
        } else if (at("@@@")) {
          // The closing run may be longer than three: the asset path ends
          // with the last three of it.
          while (at("@@@@")) ++p_;
          p_ += 3;
          return true;
        } else {
          ++p_;
        }
      }
      return false;
    }
    const char* close = std::find(p_ + 1, end_, '@');
    if (close == end_) return false;
    p_ = close + 1;
    return true;
  }

  const char* p_;
  const char* end_;
};

// What a worker made of one piece: its specs, its root prims' names in
// order, and whether it was read without a failure or a warning.
struct Piece {
  std::unique_ptr<Layer> layer;
  std::vector<Token> rootNames;
  bool ok = false;
};

// Thrown by the joining side to stop the workers early.
struct StopJoining {};

}  // namespace

void Reader::parseRootPrimsInParallel(Body& root) {
  const std::size_t remaining = static_cast<std::size_t>(s_.end() - s_.p);
  if (options_.threads < 2 || remaining < kParallelMinBytes) return;
  // Pieces of whole statements, about kPieceBytes each: [starts[i], starts[i + 1]).
  const std::optional<std::vector<const char*>> found = StatementCutter(s_.p, s_.end()).pieceStarts(kPieceBytes);
  if (!found || found->size() < 3) return;
  const std::vector<const char*>& starts = *found;
  const std::size_t count = starts.size() - 1;

  UsdaReadOptions pieceOptions;
  pieceOptions.schema = &schema_;
  pieceOptions.deferNumericArrays = options_.deferNumericArrays;
  pieceOptions.textOwner = options_.textOwner;
  const char* resumeAt = s_.p;  // where the one-thread reader goes on
  try {
    parallelInOrder<Piece>(
        options_.threads, count, 2 * options_.threads,
        [&](std::size_t i) {
          Piece piece;
          piece.layer = std::make_unique<Layer>();
          std::vector<std::string> warnings;
          UsdaReadOptions o = pieceOptions;
          o.warnings = &warnings;
          const std::string_view text(starts[i], static_cast<std::size_t>(starts[i + 1] - starts[i]));
          Reader reader(text, displayName_, o, schema_, *piece.layer);
          Body body;
          try {
            reader.parseRootPrims(body);
          } catch (const ParseFailure&) {
            return piece;
          }
          piece.rootNames = std::move(body.children);
          piece.ok = warnings.empty();
          return piece;
        },
        [&](std::size_t i, Piece& piece) {
          if (!piece.ok || !layer_.appendSpecs(*piece.layer)) throw StopJoining{};
          root.children.insert(root.children.end(), piece.rootNames.begin(), piece.rootNames.end());
          resumeAt = starts[i + 1];
          s_.p = resumeAt;
          reportProgress();
        });
  } catch (const StopJoining&) {
  }
  s_.p = resumeAt;
}

void Reader::parseRootPrims(Body& root) {
  for (;;) {
    s_.skipAnyPad();
    if (s_.atEnd()) return;
    parsePrim(Path::absoluteRoot(), root);
    requireLineEnd(false, true);
  }
}

}  // namespace usdkit::usda
