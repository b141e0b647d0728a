// Number text exactly as OpenUSD writes it (TfStringify and std::ostream).
#pragma once

#include <string>

namespace usdkit {

// Shortest text that reads back to the same double; fixed notation when the
// decimal exponent is in [-6, 15), else `1.5e17` / `1e-7` (no '+', no zero
// padding); `inf`, `-inf`, `nan`; `-0` kept.
void appendDouble(std::string& out, double v);
// Same rules with the shortest text for single precision.
void appendFloat(std::string& out, float v);
// Default std::ostream formatting (printf "%g": 6 significant digits,
// `1.23457e+06`), used for half and timecode values.
void appendStreamed(std::string& out, double v);
// Decimal integers.
void appendInt(std::string& out, long long v);
void appendUInt(std::string& out, unsigned long long v);

inline std::string formatDouble(double v) { std::string s; appendDouble(s, v); return s; }
inline std::string formatFloat(float v) { std::string s; appendFloat(s, v); return s; }

}  // namespace usdkit
