// The usda text writer: output byte-identical to OpenUSD's
// SdfLayer::ExportToString for the same layer.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "base/TextSpool.h"
#include "sdf/Layer.h"

namespace usdkit {

// usda versions written and read: 1.0, 1.1 (spline tangent algorithms) and
// 1.2 (array edits).
inline constexpr int kUsdaMaxMinorVersion = 2;

struct UsdaWriteOptions {
  // Header cookie. Empty: from the layer's format id ("sdf" -> "#sdf 1.4.32",
  // anything else as "#usda"). "#usda": the version current OpenUSD gives a
  // new file (usdaHeader). Anything else is written as it is.
  std::string cookie;
  // Receives warnings (a usda version upgrade, an invalid
  // USD_WRITE_NEW_USDA_FILES_AS_VERSION).
  std::vector<std::string>* warnings = nullptr;
  // When set, called with the text written so far whenever it grows past
  // about a megabyte (between statements) and once at the end; the callee
  // consumes the text and the writer clears it. Lets a big layer stream to
  // a file without holding all of its text.
  std::function<void(std::string_view)> sink;
  // When set, called with each attribute default value and time-sample
  // value before it is written; when it returns true it has appended the
  // value's text itself. usddiff uses this to stand short placeholders in
  // for big arrays, so comparing huge layers does not format every number.
  std::function<bool(std::string& out, const Value& value)> valueText;
  // Threads that may format the text (see writeUsda); the text is the same
  // for every count.
  unsigned threads = 1;
};

// Appends the layer's text to `out`. Fails only when a lazy value (see
// LazyValue) cannot be decoded; the text is then incomplete.
Status writeUsda(const Layer& layer, std::string& out, const UsdaWriteOptions& options = {});
// "#usda 1.0", "1.1" or "1.2": USD_WRITE_NEW_USDA_FILES_AS_VERSION (1.0 when
// unset; an invalid value is warned about), raised to 1.1 when a spline in
// the layer writes a tangent algorithm, as OpenUSD does, and to 1.2 when an
// attribute holds an array edit.
std::string usdaHeader(const Layer& layer, std::vector<std::string>* warnings = nullptr);
Expected<std::string> writeUsdaToString(const Layer& layer, const UsdaWriteOptions& options = {});
// The same header for text made in pieces (UsdaText); `identifier` names
// the layer in the upgrade warning.
std::string usdaHeader(bool writesTangentAlgorithm, const std::string& identifier,
                       std::vector<std::string>* warnings = nullptr);

// A layer's text made a prim at a time, without its header line (chosen
// when the text is saved: saveUsdaText).
struct UsdaText {
  std::vector<TextSpool::Piece> pieces;  // in order
  std::shared_ptr<TextSpool> spool;      // holds the pieces not in memory
  bool writesTangentAlgorithm = false;
  std::string identifier;           // the layer's, for messages
  // Why the text is incomplete, if it is (a value that could not be read,
  // a prim nested too deep for text): saving it fails with this, as saving
  // the layer would.
  Status status = Ok{};

  // Passes the pieces to `sink` in order (those in the spool read back in
  // chunks); stops at the first error.
  Status read(const std::function<Status(std::string_view)>& sink) const;
};

namespace usda {
class LayerWriter;
}

// Writes a layer's text a prim at a time, for a producer that makes the
// layer prim by prim and forgets each prim once written (a flatten that
// streams): given the same specs, the pieces put together are exactly what
// writeUsda writes after the header line. The producer writes the
// separators: "\n" before each root prim, before each child when the parent
// wrote properties or an earlier child, and after the last root prim.
// Variant sets are not written (a flattened stage has none).
class UsdaPieceWriter {
 public:
  UsdaPieceWriter();
  ~UsdaPieceWriter();
  UsdaPieceWriter(const UsdaPieceWriter&) = delete;
  UsdaPieceWriter& operator=(const UsdaPieceWriter&) = delete;

  // The layer metadata block (and root reorder statement) of `layer`.
  void layerHead(const Layer& layer);
  // The prim `prim`, `indent` levels deep: its opening, metadata, reorder
  // statements and properties (the body's first part); whether any
  // property was written. Its specs are at `storedAt` of `layer` (a
  // producer may keep every prim at one path).
  bool primHead(const Layer& layer, const Path& storedAt, const Path& prim, int indent);
  // The end of a prim's body.
  void primTail(int indent);
  // Appends text as it is (separators).
  void append(std::string_view text) { text_ += text; }

  // The text written since the last call to takeText, and its size.
  std::string takeText();
  std::size_t size() const noexcept { return text_.size(); }
  // Whether an attribute written so far has a spline writing a tangent
  // algorithm (usda 1.1).
  bool writesTangentAlgorithm() const noexcept { return tangentAlgorithm_; }
  // The first failure: a value that could not be decoded, or a prim nested
  // too deep for text. The text is incomplete when this is an error.
  Status status() const;

 private:
  std::string text_;
  std::function<void(std::string_view)> noSink_;
  std::function<bool(std::string&, const Value&)> noValueText_;
  std::unique_ptr<Layer> empty_;
  std::unique_ptr<usda::LayerWriter> writer_;
  bool tangentAlgorithm_ = false;
};

}  // namespace usdkit
