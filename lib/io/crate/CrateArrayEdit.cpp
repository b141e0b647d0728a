// Array edits (crate 0.14.0): the op stream coding and reading an edit's
// record. An edit's value descriptor carries the element type with the
// array-edit flag; a zero payload is the identity edit, any other payload
// is the offset of [literals descriptor][op stream descriptor][flag byte],
// both arrays packed as ordinary values (so shared, compressed and empty
// as any array is).
#include "io/crate/CrateArrayEdit.h"

#include <string>

#include "io/crate/CrateInternal.h"
#include "io/crate/CrateValueTraits.h"

namespace usdkit::crate {

namespace {

constexpr Version kArrayEditVersion{0, 14, 0};
// The two descriptors and the flag byte. OpenUSD 25.11 wrote the byte as
// "dense" (the literals then being the whole array); current OpenUSD
// writes 0 and ignores it on read, and so does this reader.
constexpr std::uint64_t kRecordSize = 8 + 8 + 1;

// The value kind whose arrays a crate type holds (false for types without
// arrays: an edit of them means nothing).
bool kindOfType(TypeId type, ValueKind* kind) {
#define USDKIT_KIND_OF(T, K)           \
  if (kScalarTypeId<T> == type) {      \
    *kind = ValueKind::K;              \
    return true;                       \
  }
  USDKIT_SCALAR_VALUE_TYPES(USDKIT_KIND_OF)
#undef USDKIT_KIND_OF
  return false;
}

std::string versionText(Version v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

std::string hexBits(ValueRep rep) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 60; shift >= 0; shift -= 4) s += kDigits[(rep.bits() >> shift) & 0xF];
  return s;
}

}  // namespace

std::vector<std::int64_t> encodeArrayEditOps(std::span<const ArrayEditOp> ops) {
  std::size_t words = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i == 0 || ops[i].code != ops[i - 1].code) ++words;
    words += static_cast<std::size_t>(ArrayEditOp::arity(ops[i].code));
  }
  std::vector<std::int64_t> out;
  out.reserve(words);
  for (std::size_t i = 0; i < ops.size();) {
    const ArrayEditOp::Code code = ops[i].code;
    std::size_t end = i + 1;
    while (end < ops.size() && ops[end].code == code && end - i < kOpCountMask) ++end;
    const std::uint64_t header = (std::uint64_t{static_cast<std::uint8_t>(code)} << kOpCodeShift) | (end - i);
    out.push_back(static_cast<std::int64_t>(header));
    const int arity = ArrayEditOp::arity(code);
    for (; i < end; ++i) {
      out.push_back(ops[i].a);
      if (arity == 2) out.push_back(ops[i].b);
    }
  }
  return out;
}

Expected<std::vector<ArrayEditOp>> decodeArrayEditOps(std::span<const std::int64_t> words) {
  // Two passes: the first checks every group and counts the operations, so
  // the result is allocated once and never beyond what the words hold.
  std::size_t count = 0;
  for (std::size_t w = 0; w < words.size();) {
    const auto header = static_cast<std::uint64_t>(words[w]);
    const auto code = static_cast<std::uint8_t>(header >> kOpCodeShift);
    const std::uint64_t repeat = header & kOpCountMask;
    if (code > kLastOpCode)
      return makeError("word " + std::to_string(w) + ": operation code " + std::to_string(code) +
                       " is unknown (expected 0 to " + std::to_string(kLastOpCode) + ")");
    const auto arity = static_cast<std::uint64_t>(ArrayEditOp::arity(static_cast<ArrayEditOp::Code>(code)));
    const std::uint64_t left = words.size() - w - 1;
    if (repeat > left / arity)
      return makeError("word " + std::to_string(w) + ": " + std::to_string(repeat) +
                       " operations of code " + std::to_string(code) + " need " + std::to_string(repeat) + " x " +
                       std::to_string(arity) + " argument words, but only " + std::to_string(left) + " follow");
    count += static_cast<std::size_t>(repeat);
    w += 1 + static_cast<std::size_t>(repeat * arity);
  }
  std::vector<ArrayEditOp> ops;
  ops.reserve(count);
  for (std::size_t w = 0; w < words.size();) {
    const auto header = static_cast<std::uint64_t>(words[w++]);
    const auto code = static_cast<ArrayEditOp::Code>(header >> kOpCodeShift);
    const bool twoArguments = ArrayEditOp::arity(code) == 2;
    for (std::uint64_t k = header & kOpCountMask; k > 0; --k) {
      ArrayEditOp op{code, words[w++], 0};
      if (twoArguments) op.b = words[w++];
      ops.push_back(op);
    }
  }
  return ops;
}

Value ValueDecoder::readArrayEdit(ValueRep rep, std::uint64_t where) {
  if (file_.version < kArrayEditVersion)
    throwAt(where, "array edits need crate version 0.14.0, but this file is version " + versionText(file_.version));
  ValueKind kind{};
  if (!kindOfType(rep.type(), &kind))
    throwAt(where, "array edit of type " + std::to_string(rep.typeByte()) + ", which has no arrays");
  if (rep.isArray() || rep.isInlined() || rep.isCompressed())
    throwAt(where, "array edit descriptor " + hexBits(rep) + " also has the array, inlined or compressed flag");
  budget_.charge(sizeof(ArrayEdit) + 16, where);
  if (rep.payload() == 0) return Value(ArrayEdit{kind, emptyArrayOf(kind), {}});

  ByteReader r = at(rep, where);
  const std::uint64_t recordAt = r.pos();
  r.need(kRecordSize, "an array edit record (two value descriptors and a flag byte)");
  const ValueRep literalsRep(r.read<std::uint64_t>());
  const ValueRep opsRep(r.read<std::uint64_t>());
  const std::uint64_t opsRepAt = recordAt + 8;

  // The literals: an array of the edit's own type. An empty array needs
  // no type to mean "no literals", so any empty array is accepted.
  const bool literalsEmpty = literalsRep.isArray() && literalsRep.payload() == 0;
  if (!literalsRep.isArray() || literalsRep.isArrayEdit() || (!literalsEmpty && literalsRep.type() != rep.type()))
    throwAt(recordAt, "array edit literals " + hexBits(literalsRep) + " are not an array of type " +
                          std::to_string(rep.typeByte()) + " (the edit's type)");
  if (!opsRep.isArray() || opsRep.isArrayEdit() || opsRep.type() != TypeId::Int64)
    throwAt(opsRepAt, "array edit operations " + hexBits(opsRep) + " are not an int64 array (type " +
                          std::to_string(static_cast<int>(TypeId::Int64)) + ")");

  Value literals = literalsEmpty ? emptyArrayOf(kind) : decode(literalsRep, recordAt);
  const Value words = decode(opsRep, opsRepAt);
  const auto* stream = words.getIf<std::vector<std::int64_t>>();
  if (!stream) throwAt(opsRepAt, "internal: array edit operations did not decode as an int64 array");
  // At most one operation per word.
  budget_.charge(Budget::times(stream->size(), sizeof(ArrayEditOp)), opsRepAt);
  auto ops = decodeArrayEditOps(*stream);
  if (!ops) throwAt(opsRep.payload() != 0 ? opsRep.payload() : opsRepAt, "array edit operations, " + ops.error().message);
  return Value(ArrayEdit{kind, std::move(literals), std::move(*ops)});
}

}  // namespace usdkit::crate
