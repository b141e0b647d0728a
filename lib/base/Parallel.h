// Running independent pieces of work on a few threads, with the thread
// count a plain argument (the tools' -j): there is no pool and no global
// state; each call starts its threads and joins them before it returns.
//
//   parallelFor(threads, pieces.size(), [&](std::size_t i) { encode(pieces[i]); });
//   parallelInOrder<std::string>(threads, chunks.size(), window,
//       [&](std::size_t i) { return format(chunks[i]); },       // on any thread
//       [&](std::size_t i, std::string& text) { write(text); });  // calling thread, in order
//
// With one thread (or one piece) everything runs on the calling thread in
// index order and no thread is started: `-j 1` is strictly single-threaded.
// The work must not depend on which thread does it or in which order the
// pieces finish, so results are the same for every thread count.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace usdkit {

// The hardware threads of this machine, at least 1 (the tools' default -j).
inline unsigned hardwareThreads() noexcept { return std::max(1u, std::thread::hardware_concurrency()); }

namespace parallel_detail {

// The exception of the lowest failing index, so that a failure is reported
// the same way whichever thread met it first.
class FirstFailure {
 public:
  void record(std::size_t index, std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_ || index < index_) {
      index_ = index;
      error_ = std::move(error);
    }
  }
  bool any() {
    std::lock_guard lock(mutex_);
    return error_ != nullptr;
  }
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::size_t index_ = 0;
  std::exception_ptr error_;
};

// Starts `count` threads running `body` and joins them when it goes out of
// scope (also when the calling thread leaves by an exception).
class ThreadGroup {
 public:
  // A thread the system refuses to start is done without: the calling
  // thread takes part in the work, so fewer threads only take longer.
  ThreadGroup(unsigned count, const std::function<void()>& body) {
    threads_.reserve(count);
    try {
      for (unsigned i = 0; i < count; ++i) threads_.emplace_back(body);
    } catch (const std::system_error&) {
    }
  }
  ~ThreadGroup() {
    for (std::thread& t : threads_) t.join();
  }
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;

 private:
  std::vector<std::thread> threads_;
};

}  // namespace parallel_detail

// Calls body(i) for every i in [0, count) on at most `threads` threads, the
// calling one included. Indexes are taken in increasing order; after a
// failure no new index is started, and the exception of the lowest failing
// index is rethrown once every thread has stopped (every index below it
// was started, so that is the failure a single thread would meet first).
inline void parallelFor(unsigned threads, std::size_t count, const std::function<void(std::size_t)>& body) {
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(threads, count));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::mutex mutex;
  std::size_t next = 0;
  bool stop = false;
  parallel_detail::FirstFailure failure;
  auto work = [&] {
    for (;;) {
      std::size_t i;
      {
        std::lock_guard lock(mutex);
        if (stop || next == count) return;
        i = next++;
      }
      try {
        body(i);
      } catch (...) {
        failure.record(i, std::current_exception());
        std::lock_guard lock(mutex);
        stop = true;
      }
    }
  };
  {
    parallel_detail::ThreadGroup helpers(workers - 1, work);
    work();
  }
  failure.rethrow();
}

// Makes produce(i) for every i in [0, count) on at most `threads` threads
// and hands each result to consume(i, result) on the calling thread, in
// index order, as soon as it and all before it are done. At most `window`
// results are made ahead of the one consumed next, which bounds the memory
// they hold. When produce(k) throws, no new index is started, the results
// before k are still consumed (as one thread would have), and then its
// exception is rethrown; an exception from consume stops everything and is
// rethrown once every thread has stopped.
template <class T>
void parallelInOrder(unsigned threads, std::size_t count, std::size_t window,
                     const std::function<T(std::size_t)>& produce,
                     const std::function<void(std::size_t, T&)>& consume) {
  window = std::max<std::size_t>(window, 1);
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(threads, count));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      T result = produce(i);
      consume(i, result);
    }
    return;
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<T>> slots(window);  // result i lives in slots[i % window]
  std::size_t next = 0;      // the next index to produce
  std::size_t consumed = 0;  // indexes below this were consumed
  std::size_t failedAt = count;  // the lowest index whose produce threw
  std::exception_ptr failure;
  bool stop = false;  // set when the calling thread leaves

  // The next index to produce, if one may start now (or, waiting, once one may).
  auto takeIndex = [&](std::unique_lock<std::mutex>& lock, bool wait) -> std::optional<std::size_t> {
    for (;;) {
      if (stop || failure || next == count) return std::nullopt;
      if (next < consumed + window) return next++;
      if (!wait) return std::nullopt;
      changed.wait(lock);
    }
  };
  auto produceOne = [&](std::unique_lock<std::mutex>& lock, std::size_t i) {
    lock.unlock();
    std::optional<T> result;
    std::exception_ptr error;
    try {
      result.emplace(produce(i));
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (result) {
      slots[i % window] = std::move(result);
    } else if (i < failedAt) {
      failedAt = i;
      failure = error;
    }
    changed.notify_all();
  };
  // Helper threads only produce; the calling thread consumes, and produces
  // too while the next result to consume is not ready.
  auto helper = [&] {
    std::unique_lock lock(mutex);
    while (std::optional<std::size_t> i = takeIndex(lock, true)) produceOne(lock, *i);
  };
  {
    // However the calling thread leaves, the helpers stop before they are joined.
    struct StopOnExit {
      std::mutex& mutex;
      std::condition_variable& changed;
      bool& stop;
      ~StopOnExit() {
        std::lock_guard lock(mutex);
        stop = true;
        changed.notify_all();
      }
    };
    parallel_detail::ThreadGroup helpers(workers - 1, helper);
    StopOnExit stopOnExit{mutex, changed, stop};
    std::unique_lock lock(mutex);
    while (consumed < count && consumed < failedAt) {
      std::optional<T>& slot = slots[consumed % window];
      if (slot) {
        T result = std::move(*slot);
        slot.reset();
        lock.unlock();
        consume(consumed, result);
        lock.lock();
        ++consumed;
        changed.notify_all();
      } else if (std::optional<std::size_t> i = takeIndex(lock, false)) {
        produceOne(lock, *i);
      } else {
        changed.wait(lock);
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

// A set of helper threads kept for many small parallel loops (each big
// array of a file being read), so that a loop costs a wake-up rather than
// starting threads. Owned by one reader for one read: no global state.
// The helpers start on the first loop that can use them and stop when the
// object is destroyed. Not for use by several threads at once.
class WorkerThreads {
 public:
  // `threads` counts the calling thread: 1 never starts a helper.
  explicit WorkerThreads(unsigned threads) : threads_(std::max(threads, 1u)) {}
  ~WorkerThreads() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : helpers_) t.join();
  }
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  unsigned threads() const noexcept { return threads_; }

  // As parallelFor: body(i) for every i in [0, count), the calling thread
  // taking part; the exception of the lowest failing index is rethrown.
  void forEach(std::size_t count, const std::function<void(std::size_t)>& body) {
    if (threads_ <= 1 || count <= 1) {
      for (std::size_t i = 0; i < count; ++i) body(i);
      return;
    }
    start();
    {
      std::lock_guard lock(mutex_);
      body_ = &body;
      count_ = count;
      next_ = 0;
      unfinished_ = count;
      failedAt_ = count;
      failure_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    std::unique_lock lock(mutex_);
    work(lock);
    done_.wait(lock, [&] { return unfinished_ == 0; });
    body_ = nullptr;
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  void start() {
    if (!helpers_.empty() || startFailed_) return;
    try {
      for (unsigned i = 1; i < threads_; ++i) helpers_.emplace_back([this] { helper(); });
    } catch (const std::system_error&) {
      startFailed_ = helpers_.empty();  // fewer helpers only take longer
    }
  }
  // Takes indexes of the current loop until none is left (called locked).
  void work(std::unique_lock<std::mutex>& lock) {
    while (body_ && next_ < count_ && failedAt_ == count_) {
      const std::size_t i = next_++;
      const std::function<void(std::size_t)>& body = *body_;
      lock.unlock();
      std::exception_ptr error;
      try {
        body(i);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && i < failedAt_) {
        failedAt_ = i;
        failure_ = error;
      }
      if (error) unfinished_ -= count_ - next_;  // indexes no one will take now
      if (error) next_ = count_;
      if (--unfinished_ == 0) done_.notify_all();
    }
  }
  void helper() {
    std::unique_lock lock(mutex_);
    std::uint64_t seen = 0;
    for (;;) {
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
      work(lock);
    }
  }

  unsigned threads_;
  std::vector<std::thread> helpers_;
  bool startFailed_ = false;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t count_ = 0, next_ = 0, unfinished_ = 0, failedAt_ = 0;
  std::exception_ptr failure_;
  std::uint64_t generation_ = 0;
  bool quit_ = false;
};

}  // namespace usdkit
