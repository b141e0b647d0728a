// Every asset path a layer mentions, for packaging (usdz), dependency
// listings and checks: sublayers, references, payloads, and asset-valued
// data (attribute defaults and time samples, metadata, dictionary entries).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit {

enum class AssetRole {
  SubLayer,   // a layer of the layer stack
  Reference,  // a layer brought in by a reference
  Payload,    // a layer brought in by a payload
  Value,      // any other asset (textures, clips, ...): copied as bytes
};

struct AssetPathUse {
  AssetRole role;
  std::string_view path;  // as authored; never empty
  const Path& spec;       // where it is authored
  Token field;
};

// Calls f for every non-empty asset path, in spec creation order and field
// order. Lazy values are decoded (their errors are returned).
Status forEachAssetPath(const Layer& layer, const std::function<void(const AssetPathUse&)>& f);

// Replaces asset paths in place: f returns the new text, or nullopt to keep
// the path. Fails only when a lazy value cannot be decoded.
Status remapAssetPaths(Layer& layer,
                       const std::function<std::optional<std::string>(const AssetPathUse&)>& f);

}  // namespace usdkit
