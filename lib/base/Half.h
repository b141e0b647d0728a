// IEEE 754 binary16, stored as its bit pattern (OpenUSD's GfHalf).
#pragma once

#include <cstdint>
#include <cstring>

namespace usdkit {

struct Half {
  std::uint16_t bits = 0;

  static Half fromBits(std::uint16_t b) { Half h; h.bits = b; return h; }

  // Round-to-nearest-even conversion; overflow gives infinity, NaN stays NaN.
  static Half fromFloat(float f) {
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    std::uint32_t sign = (x >> 16) & 0x8000u;
    std::uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) {  // inf or nan
      return fromBits(static_cast<std::uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u)));
    }
    if (absx >= 0x477ff000u) {  // rounds to >= 65520: overflow
      return fromBits(static_cast<std::uint16_t>(sign | 0x7c00u));
    }
    if (absx < 0x38800000u) {  // subnormal half or zero
      if (absx < 0x33000000u) return fromBits(static_cast<std::uint16_t>(sign));
      std::uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
      int shift = 113 - static_cast<int>(absx >> 23) + 13;  // 126 - e + 13 - ... in half units
      std::uint32_t half = mant >> shift;
      std::uint32_t rem = mant & ((1u << shift) - 1);
      std::uint32_t halfway = 1u << (shift - 1);
      if (rem > halfway || (rem == halfway && (half & 1u))) ++half;
      return fromBits(static_cast<std::uint16_t>(sign | half));
    }
    std::uint32_t half = ((absx - 0x38000000u) >> 13);
    std::uint32_t rem = absx & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u))) ++half;
    return fromBits(static_cast<std::uint16_t>(sign | half));
  }

  float toFloat() const {
    std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    std::uint32_t exp = (bits >> 10) & 0x1fu;
    std::uint32_t mant = bits & 0x3ffu;
    std::uint32_t x;
    if (exp == 0) {
      if (mant == 0) {
        x = sign;
      } else {  // subnormal: normalise
        int e = -1;
        do { ++e; mant <<= 1; } while ((mant & 0x400u) == 0);
        x = sign | (static_cast<std::uint32_t>(112 - e) << 23) | ((mant & 0x3ffu) << 13);
      }
    } else if (exp == 31) {
      x = sign | 0x7f800000u | (mant << 13);
    } else {
      x = sign | ((exp + 112) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &x, 4);
    return f;
  }

  friend bool operator==(Half a, Half b) { return a.bits == b.bits; }
};

}  // namespace usdkit
