// lib/base/Parallel.h: every index is run once, results are consumed in
// order, failures are reported as one thread would meet them first, and one
// thread starts no thread at all.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/Parallel.h"

using namespace usdkit;

TEST_CASE("parallelFor runs every index once, on several threads", "[parallel]") {
  for (unsigned threads : {1u, 2u, 4u, 16u}) {
    std::vector<std::atomic<int>> runs(1000);
    parallelFor(threads, runs.size(), [&](std::size_t i) { ++runs[i]; });
    for (std::size_t i = 0; i < runs.size(); ++i) REQUIRE(runs[i] == 1);
  }
}

TEST_CASE("one thread runs everything on the calling thread, in order", "[parallel]") {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::size_t> order;
  bool elsewhere = false;
  parallelFor(1, 50, [&](std::size_t i) {
    elsewhere |= std::this_thread::get_id() != caller;
    order.push_back(i);
  });
  parallelInOrder<std::size_t>(
      1, 50, 4,
      [&](std::size_t i) {
        elsewhere |= std::this_thread::get_id() != caller;
        return i;
      },
      [&](std::size_t, std::size_t& i) { order.push_back(i); });
  WorkerThreads workers(1);
  workers.forEach(50, [&](std::size_t i) {
    elsewhere |= std::this_thread::get_id() != caller;
    order.push_back(i);
  });
  REQUIRE_FALSE(elsewhere);
  REQUIRE(order.size() == 150);
  for (std::size_t i = 0; i < order.size(); ++i) REQUIRE(order[i] == i % 50);
}

TEST_CASE("parallelFor rethrows the lowest failing index's exception", "[parallel]") {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::atomic<int> ran{0};
    try {
      parallelFor(threads, 200, [&](std::size_t i) {
        ++ran;
        if (i == 37 || i == 120) throw std::runtime_error("index " + std::to_string(i));
      });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      REQUIRE(std::string(e.what()) == "index 37");
    }
    // Every index below the failure ran.
    REQUIRE(ran >= 38);
  }
}

TEST_CASE("parallelInOrder consumes every result in index order", "[parallel]") {
  for (unsigned threads : {2u, 3u, 8u}) {
    for (std::size_t window : {1u, 2u, 16u}) {
      std::vector<std::string> consumed;
      std::set<std::thread::id> producers;
      std::mutex producersMutex;
      parallelInOrder<std::string>(
          threads, 300, window,
          [&](std::size_t i) {
            {
              std::lock_guard lock(producersMutex);
              producers.insert(std::this_thread::get_id());
            }
            // Uneven work, so that results finish out of order.
            std::string text(i % 7 == 0 ? 5000 : 10, char('a' + i % 26));
            for (int k = 0; k < (i % 5 == 0 ? 2000 : 10); ++k) text[0] = char('a' + (text[0] - 'a' + 1) % 26);
            return std::to_string(i) + ":" + text.substr(1, 3);
          },
          [&](std::size_t i, std::string& text) {
            REQUIRE(i == consumed.size());
            consumed.push_back(std::move(text));
          });
      REQUIRE(consumed.size() == 300);
      for (std::size_t i = 0; i < consumed.size(); ++i)
        REQUIRE(consumed[i].substr(0, consumed[i].find(':')) == std::to_string(i));
    }
  }
}

TEST_CASE("parallelInOrder: a failing produce still lets the results before it be consumed", "[parallel]") {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::size_t> consumed;
    try {
      parallelInOrder<std::size_t>(
          threads, 100, 3,
          [&](std::size_t i) -> std::size_t {
            if (i == 42 || i == 60) throw std::runtime_error("index " + std::to_string(i));
            return i;
          },
          [&](std::size_t, std::size_t& i) { consumed.push_back(i); });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      REQUIRE(std::string(e.what()) == "index 42");
    }
    REQUIRE(consumed.size() == 42);
    for (std::size_t i = 0; i < consumed.size(); ++i) REQUIRE(consumed[i] == i);
  }
}

TEST_CASE("parallelInOrder: an exception from consume stops the helpers", "[parallel]") {
  std::atomic<int> produced{0};
  REQUIRE_THROWS_AS(parallelInOrder<int>(
                        4, 10000, 2, [&](std::size_t) { return ++produced; },
                        [&](std::size_t i, int&) {
                          if (i == 5) throw std::logic_error("stop");
                        }),
                    std::logic_error);
  // At most the window ahead of the consumer, and what was in flight.
  REQUIRE(produced < 20);
}

TEST_CASE("WorkerThreads runs many loops with the same helpers", "[parallel]") {
  WorkerThreads workers(3);
  REQUIRE(workers.threads() == 3);
  std::set<std::thread::id> seen;
  std::mutex seenMutex;
  for (int loop = 0; loop < 200; ++loop) {
    std::vector<int> hits(64, 0);
    workers.forEach(hits.size(), [&](std::size_t i) {
      ++hits[i];
      std::lock_guard lock(seenMutex);
      seen.insert(std::this_thread::get_id());
    });
    for (int h : hits) REQUIRE(h == 1);
  }
  // The calling thread and at most two helpers, however many loops ran.
  REQUIRE(seen.size() <= 3);
  // A failure is the lowest index's, and the workers stay usable.
  try {
    workers.forEach(100, [&](std::size_t i) {
      if (i == 7 || i == 90) throw std::runtime_error("index " + std::to_string(i));
    });
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    REQUIRE(std::string(e.what()) == "index 7");
  }
  std::atomic<int> after{0};
  workers.forEach(10, [&](std::size_t) { ++after; });
  REQUIRE(after == 10);
}
