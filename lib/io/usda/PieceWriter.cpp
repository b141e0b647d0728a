// UsdaPieceWriter: a layer's text a prim at a time, on the same writer as
// writeUsda (see UsdaWriter.h).
#include "io/usda/LayerWriter.h"
#include "io/usda/UsdaWriter.h"
#include "io/usda/ValueWriter.h"

namespace usdkit {

UsdaPieceWriter::UsdaPieceWriter()
    : empty_(std::make_unique<Layer>()),
      writer_(std::make_unique<usda::LayerWriter>(*empty_, text_, noSink_, noValueText_)) {}

UsdaPieceWriter::~UsdaPieceWriter() = default;

void UsdaPieceWriter::layerHead(const Layer& layer) { writer_->writeLayerHead(layer); }

bool UsdaPieceWriter::primHead(const Layer& layer, const Path& storedAt, const Path& prim, int indent) {
  const bool wroteProperties = writer_->writePrimHead(layer, storedAt, prim, indent);
  if (!tangentAlgorithm_ && wroteProperties) {
    const FieldNames& f = fieldNames();
    for (Token name : layer.propertyNames(storedAt)) {
      const Spec* spec = layer.findSpec(storedAt.appendProperty(name.str()));
      const Spline* spline = spec ? spec->getAs<Spline>(f.spline) : nullptr;
      if (spline && usda::writesTangentAlgorithm(*spline)) {
        tangentAlgorithm_ = true;
        break;
      }
    }
  }
  return wroteProperties;
}

void UsdaPieceWriter::primTail(int indent) {
  usda::appendIndent(text_, indent);
  text_ += "}\n";
}

std::string UsdaPieceWriter::takeText() {
  std::string taken = std::move(text_);
  text_.clear();
  return taken;
}

Status UsdaPieceWriter::status() const { return writer_->status(); }

Status UsdaText::read(const std::function<Status(std::string_view)>& sink) const {
  for (const TextSpool::Piece& piece : pieces) {
    Status s = piece.spilled ? spool->read(piece, sink) : sink(piece.text);
    if (!s) return s;
  }
  return Ok{};
}

}  // namespace usdkit
