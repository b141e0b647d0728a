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

// What OpenUSD 24.11 implements, and what it writes by default.
inline constexpr Version kSoftwareVersion{0, 12, 0};
inline constexpr Version kDefaultWriteVersion{0, 9, 0};

}  // namespace crate

// Parses "MAJOR.MINOR.PATCH" (each 0..255) into a version this build can
// write (0.0.1 up to 0.12.0, never 0.3.0).
Expected<crate::Version> parseCrateVersion(std::string_view text);

}  // namespace usdkit
