// Errors as values. Library functions return Expected<T>; the tools turn the
// Error into a message and an exit code.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace usdkit {

struct Error {
  // Complete, user-facing text: names the file and the position
  // ("file:line:col: ..." or "file: ... at offset N: ...").
  std::string message;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(state_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// For operations that produce nothing but may fail.
struct Ok {};
using Status = Expected<Ok>;

inline Error makeError(std::string message) { return Error{std::move(message)}; }

}  // namespace usdkit
