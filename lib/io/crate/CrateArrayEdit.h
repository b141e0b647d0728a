// Array edits in crate files (0.14.0): the int64 "op stream" an edit's
// operations are stored as. Not a public header; the reader and writer
// (and their tests) share it.
//
// The stream is a run of groups: a header word (a repeat count in the low
// 56 bits, the operation code in the high 8), then count × arity argument
// words. The writer groups consecutive operations of one code; the reader
// accepts any grouping.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/Expected.h"
#include "sdf/Value.h"

namespace usdkit::crate {

inline constexpr std::uint64_t kOpCountMask = (std::uint64_t{1} << 56) - 1;
inline constexpr unsigned kOpCodeShift = 56;
inline constexpr std::uint8_t kLastOpCode = static_cast<std::uint8_t>(ArrayEditOp::Code::MaxSize);

// The op stream of `ops`.
std::vector<std::int64_t> encodeArrayEditOps(std::span<const ArrayEditOp> ops);

// The operations of an op stream. The error says which word is wrong and
// why (an unknown code, a group running past the end); the caller adds the
// file and offset. A group with a count of 0 is accepted and contributes
// nothing: it is harmless, and bounded (it costs its header word), so
// refusing it would only make files unreadable that mean something clear.
Expected<std::vector<ArrayEditOp>> decodeArrayEditOps(std::span<const std::int64_t> words);

}  // namespace usdkit::crate
