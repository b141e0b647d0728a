// Spline values (docs/crate-format.md §13): the crate wrapper (blob plus
// per-knot custom data) and OpenUSD's version-1 spline blob (version 2,
// crate 0.13.0's tangent algorithms, is reported as unsupported).
#include <algorithm>
#include <unordered_map>

#include "io/crate/CrateInternal.h"

namespace usdkit::crate {

namespace {

constexpr std::uint8_t kBlobVersion = 1;
constexpr std::uint8_t kMaxExtrapMode = 6;  // LoopOscillate

template <class T>
double readSplineValue(ByteReader& r) {
  const T v = r.read<T>("a spline value");
  if constexpr (std::is_same_v<T, Half>) return static_cast<double>(v.toFloat());
  else return static_cast<double>(v);
}

template <class T>
void readKnots(ByteReader& r, Spline& spline) {
  const std::uint64_t countAt = r.pos();
  const auto count = r.read<std::uint32_t>("the knot count");
  const bool hermite = spline.curveType == Spline::CurveType::Hermite;
  // Flags, time, value and two slopes at least.
  const std::uint64_t minKnot = 1 + 8 + 3 * sizeof(T);
  if (count > r.remaining() / minKnot)
    throwAt(countAt, std::to_string(count) + " spline knots cannot fit in the " + std::to_string(r.remaining()) + " bytes left");
  spline.knots.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    Spline::Knot knot;
    const auto flags = r.read<std::uint8_t>("knot flags");
    knot.dualValued = flags & 0x01;
    knot.nextInterp = static_cast<Spline::Interp>((flags >> 1) & 0x03);
    knot.time = r.read<double>("a knot time");
    knot.value = readSplineValue<T>(r);
    if (knot.dualValued) knot.preValue = readSplineValue<T>(r);
    if (!hermite) {
      knot.preTanWidth = r.read<double>("a tangent width");
      knot.postTanWidth = r.read<double>("a tangent width");
    }
    knot.preTanSlope = readSplineValue<T>(r);
    knot.postTanSlope = readSplineValue<T>(r);
    spline.knots.push_back(std::move(knot));
  }
}

Spline::Extrapolation readExtrapolation(std::uint8_t mode, ByteReader& r, std::uint64_t at) {
  if (mode > kMaxExtrapMode) throwAt(at, "spline extrapolation mode " + std::to_string(mode) + " is unknown");
  Spline::Extrapolation e;
  e.mode = static_cast<Spline::ExtrapMode>(mode);
  if (e.mode == Spline::ExtrapMode::Sloped) e.slope = r.read<double>("an extrapolation slope");
  return e;
}

}  // namespace

Spline ValueDecoder::parseSplineBlob(std::span<const std::byte> blob, std::uint64_t at) {
  ByteReader r(file_.data, at, at + blob.size());
  const auto header = r.read<std::uint8_t>("the spline header");
  if ((header & 0x0F) == 2)
    throwAt(at, "spline data version 2 (tangent algorithms, crate 0.13.0) is not supported yet");
  if ((header & 0x0F) != kBlobVersion)
    throwAt(at, "spline data version " + std::to_string(header & 0x0F) + " is not supported (expected 1)");
  Spline spline;
  const unsigned valueType = (header >> 4) & 0x03;
  spline.valueType = valueType == 2 ? Spline::ValueType::Float
                     : valueType == 3 ? Spline::ValueType::Half
                                      : Spline::ValueType::Double;
  spline.timeValued = header & 0x40;
  spline.curveType = (header & 0x80) ? Spline::CurveType::Hermite : Spline::CurveType::Bezier;
  const std::uint64_t modesAt = r.pos();
  const auto modes = r.read<std::uint8_t>("the spline extrapolation modes");
  // The post mode takes bits 3-5 as written; OpenUSD 24.11's reader masks
  // only bits 3-4, which loses the loop modes (§13).
  spline.preExtrapolation = readExtrapolation(modes & 0x07, r, modesAt);
  spline.postExtrapolation = readExtrapolation((modes >> 3) & 0x07, r, modesAt);
  spline.hasLoops = modes & 0x40;
  if (spline.hasLoops) {
    spline.loops.protoStart = r.read<double>("a loop start");
    spline.loops.protoEnd = r.read<double>("a loop end");
    spline.loops.numPreLoops = r.read<std::int32_t>("a loop count");
    spline.loops.numPostLoops = r.read<std::int32_t>("a loop count");
    spline.loops.valueOffset = r.read<double>("a loop value offset");
  }
  switch (spline.valueType) {
    case Spline::ValueType::Double: readKnots<double>(r, spline); break;
    case Spline::ValueType::Float: readKnots<float>(r, spline); break;
    case Spline::ValueType::Half: readKnots<Half>(r, spline); break;
  }
  budget_.charge(Budget::times(spline.knots.size(), sizeof(Spline::Knot)), at);
  return spline;
}

Value ValueDecoder::readSpline(ByteReader& r) {
  const std::uint64_t blobSize = r.readCount(1, "spline data size");
  const std::uint64_t blobAt = r.pos();
  if (blobSize == 0) throwAt(blobAt, "spline data is empty");
  Spline spline = parseSplineBlob(r.bytes(blobSize, "the spline data"), blobAt);
  // Custom data per knot time: double, count, then dictionary entries.
  const std::uint64_t count = r.readCount(16, "spline custom data count");
  for (std::uint64_t i = 0; i < count; ++i) {
    const double time = r.read<double>("a knot time");
    Dictionary dict = readDictionaryBody(r);
    if (dict.entries.empty()) continue;
    auto it = std::find_if(spline.knots.begin(), spline.knots.end(), [&](const Spline::Knot& k) { return k.time == time; });
    if (it != spline.knots.end()) it->customData = std::make_shared<const Dictionary>(std::move(dict));
  }
  return Value(std::move(spline));
}

}  // namespace usdkit::crate
