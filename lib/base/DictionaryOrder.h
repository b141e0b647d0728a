// OpenUSD's "dictionary order" (TfDictionaryLessThan): case-insensitive
// letters, embedded digit runs compared as numbers, ties broken so the order
// is total. The writer sorts properties and spec metadata with it.
#pragma once

#include <string_view>

namespace usdkit {

bool dictionaryLess(std::string_view lhs, std::string_view rhs) noexcept;

struct DictionaryLess {
  bool operator()(std::string_view a, std::string_view b) const noexcept { return dictionaryLess(a, b); }
};

}  // namespace usdkit
