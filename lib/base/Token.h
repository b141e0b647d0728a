// Interned strings. The token table is the one piece of global mutable state
// the library allows: equal strings share one immutable record, so a Token is
// a pointer, compares in O(1) and hashes without touching the characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace usdkit {

namespace detail {
struct TokenRep {
  std::size_t hash;
  std::uint32_t size;
  char text[1];  // NUL-terminated, `size` bytes before the NUL
};
}  // namespace detail

class Token {
 public:
  Token() = default;
  explicit Token(std::string_view text);

  std::string_view str() const noexcept {
    return rep_ ? std::string_view(rep_->text, rep_->size) : std::string_view();
  }
  const char* c_str() const noexcept { return rep_ ? rep_->text : ""; }
  std::string string() const { return std::string(str()); }
  bool empty() const noexcept { return rep_ == nullptr; }
  std::size_t size() const noexcept { return rep_ ? rep_->size : 0; }
  std::size_t hash() const noexcept { return rep_ ? rep_->hash : 0; }

  // For tables that keep token records of their own (path nodes): a Token
  // over a record that stays valid for the life of the process.
  static Token fromRep(const detail::TokenRep* rep) noexcept {
    Token t;
    t.rep_ = rep;
    return t;
  }
  const detail::TokenRep* rep() const noexcept { return rep_; }

  friend bool operator==(Token a, Token b) noexcept { return a.rep_ == b.rep_; }
  // Byte-wise order of the text (what OpenUSD's TfToken::operator< gives).
  friend bool operator<(Token a, Token b) noexcept {
    return a.rep_ != b.rep_ && a.str() < b.str();
  }
  friend bool operator==(Token a, std::string_view b) noexcept { return a.str() == b; }

 private:
  const detail::TokenRep* rep_ = nullptr;
};

// Hash used for token and path interning; exposed so callers that look up a
// string_view in their own tables agree with Token::hash().
std::size_t hashText(std::string_view text) noexcept;

}  // namespace usdkit

template <>
struct std::hash<usdkit::Token> {
  std::size_t operator()(usdkit::Token t) const noexcept { return t.hash(); }
};
