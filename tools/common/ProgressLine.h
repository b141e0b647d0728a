// The progress line the tools draw on stderr for long work: one line,
// redrawn in place at most ten times a second, saying what is being done,
// how much of it, how fast and how long the rest should take:
//
//   usdcat: reading big.usda: 45.2 MB of 100.0 MB (45%), 120.3 MB/s, 0:01 left
//   usdflatten: flattening shot.usda: 12,345 prims, 5,432 prims/s
//
// Nothing is drawn until the run is a second old (ProgressLineSettings::
// delay), so quick runs print nothing. The line is erased before any other
// text goes to stderr (whileErased; the tools' logger does it for every
// message) and when the work ends, so it never mixes with other output.
//
// The library reports through ProgressSink (lib/base/Progress.h) and knows
// nothing of this; ToolMain.cpp makes a ProgressLine when one is wanted
// (--progress, or stderr a terminal) and hands the tools a null sink
// otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/Progress.h"

namespace usdkit::tool {

struct ProgressLineSettings {
  // How old the run must be before a line is drawn.
  std::chrono::milliseconds delay{1000};
  // Time between redraws.
  std::chrono::milliseconds interval{100};
  // Where the line goes; its width (when it is a terminal) bounds the line.
  int fd = 2;
};

// The defaults, except that USDKIT_PROGRESS_DELAY_MS (a number of
// milliseconds) replaces the delay: for tests, which need a line from a
// run that takes less than a second.
ProgressLineSettings progressSettingsFromEnvironment();

// What one task looks like at one moment, and the line it gives (pure, for
// the drawing thread and for tests).
struct ProgressSnapshot {
  ProgressUnit unit = ProgressUnit::Bytes;
  std::uint64_t done = 0;
  std::uint64_t total = 0;  // 0: unknown
  std::string action, subject;
  double seconds = 0;  // since the task began
};
std::string progressText(std::string_view toolName, const ProgressSnapshot& task, std::size_t width);

class ProgressLine final : public ProgressSink {
 public:
  ProgressLine(std::string toolName, ProgressLineSettings settings);
  ~ProgressLine() override;
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void begin(ProgressUnit unit, std::uint64_t total, std::string_view action, std::string_view subject) override;
  void advance(std::uint64_t amount) override { done_.fetch_add(amount, std::memory_order_relaxed); }
  void end() override;

  // Runs `write` (which writes to the line's stream or the same terminal)
  // with the line erased; it is drawn again at the next redraw.
  void whileErased(const std::function<void()>& write);
  // Stops drawing and erases the line; nothing is drawn afterwards.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  struct Task {
    ProgressSnapshot shown;  // done and seconds are filled in when drawn
    Clock::time_point start;
    std::uint64_t outerDone;  // the enclosing task's count, restored at end()
  };
  void drawLoop(std::stop_token stop);
  void drawLocked();
  void eraseLocked();
  void writeLocked(std::string_view bytes) const;

  const std::string toolName_;
  const ProgressLineSettings settings_;
  const Clock::time_point created_;
  std::atomic<std::uint64_t> done_{0};  // of the innermost task
  std::mutex mutex_;                    // everything below, and the stream
  std::condition_variable_any wake_;
  std::vector<Task> tasks_;  // outermost first
  bool shown_ = false;
  std::size_t shownDepth_ = 0;  // tasks_.size() when the line was drawn
  bool finished_ = false;
  std::jthread drawer_;  // started by the first task; last member, so it stops first
};

}  // namespace usdkit::tool
