// Opens each layer once and shares it: thousands of references to one asset
// read it one time. Layers are keyed by their resolved (absolute) path, so
// the same file reached through two spellings is one layer. Failures are
// remembered too, so a missing file is looked for once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/Expected.h"
#include "base/Progress.h"
#include "compose/AssetResolver.h"
#include "sdf/Layer.h"

namespace usdkit {

class LayerRegistry {
 public:
  // `progress` is told how far reading each layer's text has got; a
  // registry used from several threads must not be given one (the tasks of
  // different threads would interleave).
  explicit LayerRegistry(AssetResolver resolver = AssetResolver(), ProgressSink* progress = nullptr)
      : resolver_(std::move(resolver)), progress_(progress) {}
  LayerRegistry(const LayerRegistry&) = delete;
  LayerRegistry& operator=(const LayerRegistry&) = delete;

  const AssetResolver& resolver() const noexcept { return resolver_; }

  // Opens the layer an identifier (see AssetResolver::anchor) names. The
  // returned layer's identifier() is its resolved absolute path (for
  // package entries "/abs/pkg.usdz[entry]"). The error names the asset.
  Expected<std::shared_ptr<const Layer>> open(std::string_view identifier);

  // Anchors `assetPath` to `authoringLayer`'s identifier, then opens it.
  Expected<std::shared_ptr<const Layer>> openRelativeTo(std::string_view assetPath, const Layer& authoringLayer) {
    return open(resolver_.anchor(assetPath, authoringLayer.identifier()));
  }

  // Adds an already built layer under its identifier (tests, anonymous
  // layers). Replaces nothing: returns the layer already registered there.
  std::shared_ptr<const Layer> add(std::shared_ptr<const Layer> layer);

  // Drops `layer` from the registry, when it is the one registered under
  // its identifier: for a tool that builds a layer per run of a loop
  // (usdchecker's variant selections), so memory does not grow with the
  // runs. Those still holding it keep it.
  void forget(const Layer& layer);

  // Number of distinct files opened (successfully or not).
  std::size_t openCount() const;

 private:
  AssetResolver resolver_;
  ProgressSink* progress_;
  mutable std::mutex mutex_;
  std::map<std::string, Expected<std::shared_ptr<const Layer>>, std::less<>> byResolvedPath_;
};

}  // namespace usdkit
