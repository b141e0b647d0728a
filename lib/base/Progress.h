// How far a long operation has got, for a caller that wants to show it.
// The library only reports; drawing is the caller's business (the tools
// draw one updating line on a terminal: tools/common/ProgressLine.h), so
// no terminal code lives here.
//
// Operations that can take long take a `ProgressSink*` in their options.
// Null, the default, means nobody is watching: a report is then a test of
// a pointer, and reports are coarse anyway (per megabyte of text, per
// thousand specs or prims, per file), so progress off costs nothing
// measurable. ProgressTask wraps the calls:
//
//   ProgressTask task(options.progress, ProgressUnit::Bytes, text.size(), "reading", name);
//   ... task.advanceTo(offset); ...
//   // the destructor ends the task, also on an early return
#pragma once

#include <cstdint>
#include <string_view>

namespace usdkit {

// What a task counts; Bytes are shown as sizes, the rest as counts of things.
enum class ProgressUnit : unsigned char { Bytes, Specs, Prims, Files };

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A task starts: `action` and `subject` say what it does ("reading",
  // "scene.usda"); `total` is its size in `unit`, 0 when not known in
  // advance. Tasks nest: one begun inside another is the one shown until
  // it ends. The views are only valid during the call.
  virtual void begin(ProgressUnit unit, std::uint64_t total, std::string_view action, std::string_view subject) = 0;
  // `amount` more of the innermost task is done. Unlike begin and end, may
  // be called from several threads at once (usdchecker's workers).
  virtual void advance(std::uint64_t amount) = 0;
  // The innermost task is over, finished or failed.
  virtual void end() = 0;
};

// A sink that ignores everything, for callers that need one to pass.
class NullProgress final : public ProgressSink {
 public:
  void begin(ProgressUnit, std::uint64_t, std::string_view, std::string_view) override {}
  void advance(std::uint64_t) override {}
  void end() override {}
};

// One task on a sink that may be null; ends the task when it goes out of
// scope. advanceTo is for a single thread reporting a position.
class ProgressTask {
 public:
  ProgressTask(ProgressSink* sink, ProgressUnit unit, std::uint64_t total, std::string_view action,
               std::string_view subject = {})
      : sink_(sink) {
    if (sink_) sink_->begin(unit, total, action, subject);
  }
  ~ProgressTask() {
    if (sink_) sink_->end();
  }
  ProgressTask(const ProgressTask&) = delete;
  ProgressTask& operator=(const ProgressTask&) = delete;

  void advance(std::uint64_t amount) {
    if (sink_) sink_->advance(amount);
  }
  // Reports the part of `done` not reported yet (a position only moves on).
  void advanceTo(std::uint64_t done) {
    if (sink_ && done > done_) {
      sink_->advance(done - done_);
      done_ = done;
    }
  }
  bool watched() const { return sink_ != nullptr; }

 private:
  ProgressSink* sink_;
  std::uint64_t done_ = 0;
};

}  // namespace usdkit
