// Crate (.usdc) file versions: the part of the crate format the tools and
// other layers see (usdcat --usdcVersion, SaveOptions::usdcVersion). The
// rest of the format is internal to io/crate/.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/Expected.h"

namespace usdkit {

namespace crate {

struct Version {
  std::uint8_t major = 0, minor = 0, patch = 0;

  constexpr std::uint32_t packed() const noexcept {
    return (std::uint32_t(major) << 16) | (std::uint32_t(minor) << 8) | patch;
  }
  friend constexpr bool operator==(Version a, Version b) noexcept { return a.packed() == b.packed(); }
  friend constexpr auto operator<=>(Version a, Version b) noexcept { return a.packed() <=> b.packed(); }
  // OpenUSD reads any file with the same major and a minor not above its own
  // (the patch is ignored).
  constexpr bool readableBy(Version software) const noexcept {
    return major == software.major && minor <= software.minor;
  }
};

// The newest version read and written (current OpenUSD's software version:
// 0.13.0 added spline tangent algorithms, 0.14.0 array edits), and the
// version new files start at before their content raises it (current
// OpenUSD's default, also the USD_WRITE_NEW_USDC_FILES_AS_VERSION fallback).
inline constexpr Version kSoftwareVersion{0, 14, 0};
inline constexpr Version kDefaultWriteVersion{0, 8, 0};
// OpenUSD 24.11 started new files at 0.9.0 (its software version was
// 0.12.0): with USD_WRITE_NEW_USDC_FILES_AS_VERSION=0.9.0 the writer gives
// 24.11's bytes for every layer 24.11 could write.

}  // namespace crate

// Parses "MAJOR.MINOR.PATCH" (each 0..255) into a version this build can
// write (0.0.1 up to kSoftwareVersion, never 0.3.x).
Expected<crate::Version> parseCrateVersion(std::string_view text);

}  // namespace usdkit
