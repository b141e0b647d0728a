// Private to lib/sdf: validation of path text against the SdfPath grammar.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace usdkit::detail {

// Target paths nest; a bound keeps hostile input from exhausting the stack.
inline constexpr int kMaxPathTargetDepth = 64;

// Matches the grammar from the start of `text`. Returns the length of the
// matched path (the grammar's last rule also accepts a line end, so the
// caller decides what may follow), or nullopt when the text is no path.
std::optional<std::size_t> matchPathGrammar(std::string_view text);

}  // namespace usdkit::detail
