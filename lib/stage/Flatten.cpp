// The flatten driver; see Flatten.h.
#include "stage/Flatten.h"

#include <unistd.h>

#include "compose/AssetResolver.h"
#include "compose/LayerRegistry.h"
#include "compose/LayerStack.h"
#include "stage/LayerStackFlattener.h"
#include "stage/StageFlattener.h"

namespace usdkit {

namespace {

std::string absoluteFromCwd(const std::string& path) {
  if (path.empty() || path[0] == '/') return normalizePath(path);
  std::string cwd;
  if (char* buf = ::getcwd(nullptr, 0)) {
    cwd = buf;
    ::free(buf);
  }
  return normalizePath(cwd + "/" + path);
}

}  // namespace

Expected<FlattenResult> flatten(const FlattenRequest& request) {
  FlattenResult result;
  const std::string root = absoluteFromCwd(request.rootLayer);
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackOptions stackOptions = LayerStackOptions::fromEnvironment();
  for (const std::string& muted : request.mutedLayers) {
    stackOptions.mutedLayers.insert(muted);
    stackOptions.mutedLayers.insert(absoluteFromCwd(muted));
  }
  LayerStackCache stacks(registry, stackOptions);
  auto stack = stacks.open(root, request.sessionLayer.empty() ? std::string() : absoluteFromCwd(request.sessionLayer));
  if (!stack) return std::move(stack).error();
  for (const CompositionError& e : (*stack)->errors()) result.warnings.push_back(e.message);

  if (request.layerStackOnly) {
    LayerStackFlattenOptions options;
    options.warnings = &result.warnings;
    auto layer = flattenLayerStack(**stack, registry.resolver(), options);
    if (!layer) return std::move(layer).error();
    result.layer = std::move(*layer);
    return result;
  }
  StageFlattenOptions options;
  options.addSourceFileComment = request.addSourceFileComment;
  options.mask = request.mask;
  options.loadPayloads = request.loadPayloads;
  options.loadPaths = request.loadPaths;
  for (const auto& v : request.variants) options.variants.push_back({v.prim, v.set, v.variant});
  options.warnings = &result.warnings;
  auto layer = flattenStage(stacks, *stack, options);
  if (!layer) return std::move(layer).error();
  result.layer = std::move(*layer);
  return result;
}

}  // namespace usdkit
