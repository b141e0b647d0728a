// Compression building blocks of the binary crate (.usdc) format, see
// docs/crate-format.md §5 (layout) and §21 (reader hardening):
//
//   * TFC streams: OpenUSD's TfFastCompression framing of LZ4 blocks (§5.1).
//   * Integer coding: OpenUSD's Usd_IntegerCompression / ...64 delta coding
//     with 2-bit size classes (§5.2), raw and TFC-compressed.
//   * Integer blocks: the on-disk "uint64 byteCount + TFC stream" wrapper
//     (§5.3) used by structural sections and integer arrays.
//
// Every decoder takes untrusted bytes: lengths, counts and offsets are
// checked before use, allocations are bounded by the input size, and errors
// name the byte offset relative to the start of the buffer passed in (the
// caller adds the file name and the buffer's own position in the file).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "base/Expected.h"

namespace usdkit::crate {

// The multi-chunk limits add up to more than 4 GB; a 32-bit size_t could not
// even describe the largest stream OpenUSD can write.
static_assert(sizeof(std::size_t) >= 8, "crate compression needs a 64-bit size_t");

// ---------------------------------------------------------------------------
// TFC streams (§5.1)

// Largest input of one LZ4 block (LZ4_MAX_INPUT_SIZE); larger inputs are
// split into chunks of exactly this size plus a remainder.
inline constexpr std::size_t kTfcMaxChunkSize = 0x7E000000;
// The chunk count is one byte and OpenUSD's reader treats it as a signed char,
// so 127 is the most chunks that both sides agree on.
inline constexpr std::size_t kTfcMaxChunks = 127;
inline constexpr std::size_t kTfcMaxInputSize = kTfcMaxChunks * kTfcMaxChunkSize;

// LZ4_compressBound in size_t arithmetic, for one block of n <= kTfcMaxChunkSize
// bytes (0 beyond, like LZ4's own macro).
constexpr std::size_t lz4CompressBound(std::size_t n) noexcept {
  return n > kTfcMaxChunkSize ? 0 : n + n / 255 + 16;
}

// Worst-case size of compressTfc(n bytes), i.e. OpenUSD's
// TfFastCompression::GetCompressedBufferSize. 0 if n > kTfcMaxInputSize.
constexpr std::size_t tfcCompressedBound(std::size_t n) noexcept {
  if (n > kTfcMaxInputSize) return 0;
  if (n <= kTfcMaxChunkSize) return lz4CompressBound(n) + 1;
  const std::size_t whole = n / kTfcMaxChunkSize;
  const std::size_t partial = n % kTfcMaxChunkSize;
  std::size_t size = 1 + whole * (lz4CompressBound(kTfcMaxChunkSize) + 4);
  if (partial != 0) size += lz4CompressBound(partial) + 4;
  return size;
}

// Upper bound on what any TFC stream of `streamSize` bytes can decompress to.
// An LZ4 sequence turns each input byte into at most 255 output bytes (a
// match-length extension byte), so 255 x the stream size is safe; readers use
// it to bound allocations by the file size before decompressing.
constexpr std::size_t tfcMaxDecodedSize(std::size_t streamSize) noexcept {
  if (streamSize > kTfcMaxInputSize / 255) return kTfcMaxInputSize;
  return streamSize * 255;
}

// Compresses `in` exactly as OpenUSD lays it out: inputs up to
// kTfcMaxChunkSize give 0x00 + one LZ4 block; larger inputs give a chunk
// count byte followed by (int32 size + LZ4 block) per chunk. The LZ4 block
// bytes are whatever the system liblz4 produces (any valid block is
// accepted by readers). Throws std::length_error if in.size() >
// kTfcMaxInputSize (~268 GB), which no caller can reach in practice.
std::vector<std::byte> compressTfc(std::span<const std::byte> in);

// Decompresses a whole TFC stream (`in` is exactly the stream, whose length
// the caller knows from context) into `out` and returns the bytes written.
// Fails if the stream is malformed, has trailing bytes, or would produce more
// than out.size() bytes. A short result is not an error here; callers that
// know the exact decoded size should use decompressTfcExact.
//
// Multi-chunk streams: the writer makes every chunk but the last decode to
// exactly kTfcMaxChunkSize bytes, but OpenUSD's reader does not check that
// (it appends whatever each chunk yields, up to kTfcMaxChunkSize). We accept
// the same: any chunk count 1..127 and chunks of any decoded size.
Expected<std::size_t> decompressTfc(std::span<const std::byte> in, std::span<std::byte> out);

// As decompressTfc, but the stream must decode to exactly out.size() bytes.
Status decompressTfcExact(std::span<const std::byte> in, std::span<std::byte> out);

// ---------------------------------------------------------------------------
// Integer coding (§5.2)

// The element types OpenUSD codes: 32-bit types use Usd_IntegerCompression,
// 64-bit ones Usd_IntegerCompression64. Signedness only affects how the
// decoded bits are presented.
template <class T>
concept CrateInteger = std::same_as<T, std::int32_t> || std::same_as<T, std::uint32_t> ||
                       std::same_as<T, std::int64_t> || std::same_as<T, std::uint64_t>;

// Size of the code area: 2 bits per integer, rounded up to whole bytes.
constexpr std::size_t integerCodeBytes(std::size_t count) noexcept {
  return count / 4 + (count % 4 != 0 ? 1 : 0);
}

// Smallest possible encoding of `count` integers (common value + codes, every
// delta equal to the common value); 0 for count 0. Decoders check this
// against the input before allocating anything for `count` elements.
template <CrateInteger T>
constexpr std::size_t minEncodedSize(std::size_t count) noexcept {
  return count == 0 ? 0 : sizeof(T) + integerCodeBytes(count);
}

// Largest possible encoding of `count` integers: W + ceil(n/4) + n*W (0 for
// n = 0), OpenUSD's _GetEncodedBufferSize and its decompression working-space
// size. Saturates at SIZE_MAX instead of wrapping for absurd counts.
template <CrateInteger T>
constexpr std::size_t encodedBufferSize(std::size_t count) noexcept {
  if (count == 0) return 0;
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  const std::size_t fixed = sizeof(T) + integerCodeBytes(count);
  if (count > (kMax - fixed) / sizeof(T)) return kMax;
  return fixed + count * sizeof(T);
}

// Worst-case TFC size of `count` coded integers (OpenUSD's
// Usd_IntegerCompression[64]::GetCompressedBufferSize); the largest byteCount
// a valid integer block (§5.3) can have. 0 if no stream could hold them.
template <CrateInteger T>
constexpr std::size_t compressedIntegersBound(std::size_t count) noexcept {
  return tfcCompressedBound(encodedBufferSize<T>(count));
}

// Raw integer coding (no LZ4). Produces the same bytes as OpenUSD, including
// its choice of common value (most frequent delta, ties to the largest).
template <CrateInteger T>
std::vector<std::byte> encodeIntegers(std::span<const T> values);

// Decodes `count` integers from exactly the bytes of one encoding. Rejects
// inputs too short for `count` (before allocating), codes that demand more
// value bytes than exist, non-zero unused code bits and trailing bytes.
template <CrateInteger T>
Expected<std::vector<T>> decodeIntegers(std::span<const std::byte> encoded, std::size_t count);

// As decodeIntegers, into caller-provided storage of out.size() elements.
template <CrateInteger T>
Status decodeIntegersInto(std::span<const std::byte> encoded, std::span<T> out);

// Integer coding followed by TFC compression: the stream OpenUSD's
// Usd_IntegerCompression[64]::CompressToBuffer writes.
template <CrateInteger T>
std::vector<std::byte> compressIntegers(std::span<const T> values);

// Inverse of compressIntegers; `stream` is exactly the TFC stream. The
// working buffer is at most min(encodedBufferSize(count),
// tfcMaxDecodedSize(stream.size())) bytes.
template <CrateInteger T>
Expected<std::vector<T>> decompressIntegers(std::span<const std::byte> stream, std::size_t count);

// ---------------------------------------------------------------------------
// Integer blocks (§5.3): uint64 byteCount, then byteCount bytes of TFC stream.
// The integer count is never stored in the block; it comes from context.

// The whole block: 8-byte little-endian byteCount + compressIntegers(values).
template <CrateInteger T>
std::vector<std::byte> encodeIntBlock(std::span<const T> values);

template <CrateInteger T>
struct DecodedIntBlock {
  std::vector<T> values;
  std::size_t byteSize = 0;  // bytes of `in` the block occupies: 8 + byteCount
};

// Reads one block starting at in[0]; `in` may continue past the block (the
// rest of a section), byteSize says where the block ends. OpenUSD clamps an
// oversized byteCount to compressedIntegersBound(count) and reads on from a
// desynchronized position; we reject it instead.
template <CrateInteger T>
Expected<DecodedIntBlock<T>> decodeIntBlock(std::span<const std::byte> in, std::size_t count);

}  // namespace usdkit::crate
