// The usda text of a layer made on several threads. Prims are written in
// order and each prim's text depends only on its own subtree, so a long list
// of sibling prims can be cut into runs whose texts are made independently
// and written one after the other: the bytes are those of the one-thread
// writer. One pass on the calling thread writes everything outside the runs
// (the layer's metadata, the prims above the cut lists and their
// properties) and cuts the runs out; the runs are then formatted on the
// worker threads and their texts written in order, a few at a time so that
// only those are held.
#include <algorithm>
#include <limits>
#include <mutex>

#include "base/Parallel.h"
#include "io/usda/LayerWriter.h"

namespace usdkit::usda {

namespace {

// Text is handed to the sink in pieces of about this size, as the
// one-thread writer does (a run's text can be much bigger).
constexpr std::size_t kSinkChunk = 1 << 20;

struct RunText {
  std::string text;
  Status status = Ok{};
};

}  // namespace

Status writeUsdaInParallel(const Layer& layer, std::string& out, std::string_view cookie,
                           const UsdaWriteOptions& options) {
  const std::function<void(std::string_view)> noSink;
  const std::function<bool(std::string&, const Value&)> noValueText;
  TextPieces pieces;
  // Several runs per thread, so that runs of unequal cost still keep every
  // thread busy to the end.
  pieces.runsPerList = std::size_t(options.threads) * 8;
  Status outlineStatus = Ok{};
  std::string pending;  // text not yet handed to the sink
  auto emit = [&](std::string_view text) {
    if (!options.sink) {
      out += text;
      return;
    }
    if (text.size() >= kSinkChunk) {
      // Big enough to go as it is, after what is pending.
      if (!pending.empty()) options.sink(pending);
      pending.clear();
      options.sink(text);
      return;
    }
    pending += text;
    if (pending.size() >= kSinkChunk) {
      options.sink(pending);
      pending.clear();
    }
  };
  {
    std::string outline;
    // Until the first run is cut, the text goes out as it is written (a
    // layer with no long list streams as with one thread).
    const std::function<void(std::string_view)> outlineSink = [&](std::string_view text) { emit(text); };
    LayerWriter writer(layer, outline, outlineSink, noValueText);
    writer.cutInto(pieces);
    writer.writeLayer(cookie);
    if (!writer.status() && pieces.firstErrorText == TextPieces{}.firstErrorText)
      pieces.firstErrorText = pieces.texts.size();
    pieces.texts.push_back(std::move(outline));
    outlineStatus = writer.status();
  }

  // The first error in text order, as the one-thread writer reports it:
  // the outline writer's (met in texts[firstErrorText]) or a run's.
  // Position 2k is texts[k], 2k + 1 is runs[k]. The text is written whole
  // either way.
  Status firstError = outlineStatus;
  std::size_t firstErrorAt = outlineStatus ? std::numeric_limits<std::size_t>::max() : 2 * pieces.firstErrorText;
  // Run texts are written into buffers that go back to a pool once
  // written out, so that their memory is reused rather than faulted in and
  // given back for every run.
  std::mutex poolMutex;
  std::vector<std::string> pool;
  const std::size_t runCount = pieces.runs.size();
  parallelInOrder<RunText>(
      options.threads, runCount, std::size_t(options.threads) * 2,
      [&](std::size_t i) {
        RunText made;
        {
          std::lock_guard lock(poolMutex);
          if (!pool.empty()) {
            made.text = std::move(pool.back());
            pool.pop_back();
          }
        }
        made.text.clear();
        LayerWriter writer(layer, made.text, noSink, noValueText);
        writer.writeRun(pieces.runs[i]);
        made.status = writer.status();
        return made;
      },
      [&](std::size_t i, RunText& made) {
        emit(pieces.texts[i]);
        emit(made.text);
        if (!made.status && 2 * i + 1 < firstErrorAt) {
          firstError = made.status;
          firstErrorAt = 2 * i + 1;
        }
        // Nothing of this run is needed again.
        pieces.texts[i] = std::string();
        pieces.runs[i] = PrimRun();
        std::lock_guard lock(poolMutex);
        pool.push_back(std::move(made.text));
      });
  emit(pieces.texts.back());
  if (options.sink && !pending.empty()) options.sink(pending);
  return firstError;
}

}  // namespace usdkit::usda
