// Writing crate (.usdc) layers the way OpenUSD does: deterministic bytes
// (24.11's layout), deduplicated tokens, strings, paths, fields and field
// sets, compressed structural sections and numeric arrays, and the lowest
// file version the content needs (from 0.8.0 unless asked otherwise).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "base/Progress.h"
#include "io/crate/CrateFormat.h"
#include "sdf/Layer.h"

namespace usdkit {

struct CrateWriteOptions {
  // Version to write. Unset: USD_WRITE_NEW_USDC_FILES_AS_VERSION from the
  // environment when valid, else 0.8.0; raised automatically when the
  // content needs a newer feature (as OpenUSD does).
  std::optional<crate::Version> version;
  // Set for an explicit request such as usdcat --usdcVersion: content that
  // needs a newer version is refused with an error instead.
  bool exactVersion = false;
  // Receives warnings (e.g. an unusable USD_WRITE_NEW_USDC_FILES_AS_VERSION).
  std::vector<std::string>* warnings = nullptr;
  // Threads that may encode and compress sections and big arrays; the
  // bytes are the same for every count.
  unsigned threads = 1;
  // Told how many specs have been packed ("writing <progressSubject>").
  ProgressSink* progress = nullptr;
  std::string_view progressSubject;
};

// The complete file. Fails, naming the spec path and field, when the layer
// holds content the crate format cannot store (as OpenUSD refuses it).
Expected<std::string> writeCrate(const Layer& layer, const CrateWriteOptions& options = {});

}  // namespace usdkit
