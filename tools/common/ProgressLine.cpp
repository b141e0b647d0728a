#include "common/ProgressLine.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>

namespace usdkit::tool {

namespace {

// "Erase to the end of the line": clears what a longer earlier line left.
constexpr std::string_view kEraseToEnd = "\x1b[K";

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string byteSize(double bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 4) {
    bytes /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
  return text;
}

const char* noun(ProgressUnit unit) {
  switch (unit) {
    case ProgressUnit::Specs: return "specs";
    case ProgressUnit::Prims: return "prims";
    case ProgressUnit::Files: return "files";
    case ProgressUnit::Bytes: break;
  }
  return "bytes";
}

std::string duration(double seconds) {
  const auto s = static_cast<std::uint64_t>(std::ceil(seconds));
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  else
    std::snprintf(text, sizeof text, "%llu:%02llu", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  return text;
}

// The line's text after "<subject>: ".
std::string countsText(const ProgressSnapshot& task) {
  const bool bytes = task.unit == ProgressUnit::Bytes;
  std::string text;
  if (bytes) {
    text = byteSize(static_cast<double>(task.done));
    if (task.total > 0) text += " of " + byteSize(static_cast<double>(task.total));
  } else {
    text = grouped(task.done);
    if (task.total > 0) text += " of " + grouped(task.total);
    text += std::string(" ") + noun(task.unit);
  }
  if (task.total > 0) {
    const auto percent = static_cast<unsigned>(std::min<double>(100.0, 100.0 * static_cast<double>(task.done) /
                                                                           static_cast<double>(task.total)));
    text += " (" + std::to_string(percent) + "%)";
  }
  // A rate over the first moments says more about start-up than speed.
  if (task.seconds >= 0.5 && task.done > 0) {
    const double rate = static_cast<double>(task.done) / task.seconds;
    text += ", " + (bytes ? byteSize(rate) : grouped(static_cast<std::uint64_t>(std::llround(rate))) + " " +
                                                 noun(task.unit)) + "/s";
    if (task.total > task.done) text += ", " + duration(static_cast<double>(task.total - task.done) / rate) + " left";
  }
  return text;
}

// At most `width` bytes of `text`, not ending inside a UTF-8 sequence.
std::string cut(std::string text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t end = width;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::size_t terminalWidth(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

ProgressLineSettings progressSettingsFromEnvironment() {
  ProgressLineSettings settings;
  if (const char* delay = std::getenv("USDKIT_PROGRESS_DELAY_MS"); delay && *delay) {
    char* end = nullptr;
    const long ms = std::strtol(delay, &end, 10);
    if (*end == '\0' && ms >= 0) settings.delay = std::chrono::milliseconds(ms);
  }
  return settings;
}

std::string progressText(std::string_view toolName, const ProgressSnapshot& task, std::size_t width) {
  // One column is left free: a line that fills the terminal's width moves
  // the cursor to the next line on some terminals, and \r then redraws there.
  const std::size_t room = width > 1 ? width - 1 : 0;
  std::string head = std::string(toolName) + ": " + task.action;
  const std::string counts = ": " + countsText(task);
  std::string subject = task.subject;
  const std::size_t fixed = head.size() + counts.size() + (subject.empty() ? 0 : 1);
  // A long path loses its beginning first: its end names the file.
  if (!subject.empty() && fixed + subject.size() > room) {
    const std::size_t keep = room > fixed + 3 ? room - fixed - 3 : 0;
    std::size_t from = subject.size() - std::min(keep, subject.size());
    while (from < subject.size() && (static_cast<unsigned char>(subject[from]) & 0xC0) == 0x80) ++from;
    subject.replace(0, from, "...");
  }
  if (!subject.empty()) head += " " + subject;
  return cut(head + counts, room);
}

ProgressLine::ProgressLine(std::string toolName, ProgressLineSettings settings)
    : toolName_(std::move(toolName)), settings_(settings), created_(Clock::now()) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::begin(ProgressUnit unit, std::uint64_t total, std::string_view action, std::string_view subject) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  Task task;
  task.shown.unit = unit;
  task.shown.total = total;
  task.shown.action = action;
  task.shown.subject = subject;
  task.start = Clock::now();
  task.outerDone = done_.exchange(0, std::memory_order_relaxed);
  tasks_.push_back(std::move(task));
  if (!drawer_.joinable()) drawer_ = std::jthread([this](std::stop_token stop) { drawLoop(std::move(stop)); });
  if (tasks_.size() == 1 && Clock::now() - created_ >= settings_.delay) {
    // A new stage of the work (writing after reading) replaces the line at
    // once; tasks inside another (each layer a flatten reads) wait for the
    // next redraw, so that many short ones cost no more than one line each
    // interval.
    drawLocked();
  }
}

void ProgressLine::end() {
  std::lock_guard lock(mutex_);
  if (tasks_.empty()) return;
  done_.store(tasks_.back().outerDone, std::memory_order_relaxed);
  tasks_.pop_back();
  // When the line showed the task that ended, the enclosing one is shown at
  // once (no flicker between tasks); with none left, whatever the tool
  // prints next finds a clean line. A task never drawn changes nothing, so
  // thousands of short ones (the layers of a big flatten) cost no writes.
  if (!shown_ || shownDepth_ <= tasks_.size()) return;
  if (tasks_.empty())
    eraseLocked();
  else
    drawLocked();
}

void ProgressLine::whileErased(const std::function<void()>& write) {
  std::lock_guard lock(mutex_);
  eraseLocked();
  write();
}

void ProgressLine::finish() {
  if (drawer_.joinable()) {
    drawer_.request_stop();
    drawer_.join();
  }
  std::lock_guard lock(mutex_);
  eraseLocked();
  finished_ = true;
  tasks_.clear();
}

void ProgressLine::drawLoop(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  // The first line comes when the delay is over (at once with no delay, so
  // that tests see one from any run), then one per interval.
  Clock::time_point next = std::max(created_ + settings_.delay, Clock::now());
  while (!stop.stop_requested()) {
    wake_.wait_until(lock, stop, next, [] { return false; });
    if (stop.stop_requested()) break;
    drawLocked();
    next = Clock::now() + settings_.interval;
  }
}

void ProgressLine::drawLocked() {
  if (finished_ || tasks_.empty()) return;
  Task& task = tasks_.back();
  task.shown.done = done_.load(std::memory_order_relaxed);
  task.shown.seconds = std::chrono::duration<double>(Clock::now() - task.start).count();
  // Appended, not "\r" + text: GCC 12 warns wrongly about that form (-Wrestrict).
  std::string line = "\r";
  line += progressText(toolName_, task.shown, terminalWidth(settings_.fd));
  line += kEraseToEnd;
  writeLocked(line);
  shown_ = true;
  shownDepth_ = tasks_.size();
}

void ProgressLine::eraseLocked() {
  if (!shown_) return;
  std::string erase = "\r";
  erase += kEraseToEnd;
  writeLocked(erase);
  shown_ = false;
}

void ProgressLine::writeLocked(std::string_view bytes) const {
  // Straight to the descriptor: stderr is unbuffered anyway, and a failed
  // write (a closed stream) only loses the line.
  while (!bytes.empty()) {
    const ssize_t n = ::write(settings_.fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace usdkit::tool
