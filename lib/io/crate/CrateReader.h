// Reading crate (.usdc) layers. The structure (tokens, paths, specs, fields)
// is decoded when the layer is opened; arrays and other bulky values stay in
// the mapped file as lazy values (see LazyValue) until something needs them.
// The input is untrusted: every count, offset and index is checked, nesting
// is bounded and allocations are bounded by the file size (and the optional
// memory budget). Errors read "<name>: crate error at offset N: <what>".
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "io/crate/CrateFormat.h"
#include "sdf/Layer.h"

namespace usdkit {

struct CrateReadOptions {
  // Most bytes the reader may allocate for this layer (structure plus every
  // decoded value); 0 means bounded by the file size only.
  std::size_t memoryBudget = 0;
  // Only the pseudo-root's fields (layer metadata) are needed.
  bool metadataOnly = false;
  // Receives non-fatal problems (e.g. damage OpenUSD also tolerates).
  std::vector<std::string>* warnings = nullptr;
};

// Reads the crate file in `data`. `owner` keeps `data` alive for as long as
// the layer's lazy values exist (usually the InputBuffer holding the mapped
// file). `name` is used in messages and becomes the layer's identifier.
Expected<std::shared_ptr<Layer>> readCrate(std::string_view data, std::shared_ptr<const void> owner,
                                           const std::string& name, const CrateReadOptions& options = {});

}  // namespace usdkit
