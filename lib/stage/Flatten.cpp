// The flatten driver; see Flatten.h.
#include "stage/Flatten.h"

#include <algorithm>

#include "base/FilePaths.h"
#include "compose/AssetResolver.h"
#include "compose/LayerRegistry.h"
#include "compose/LayerStack.h"
#include "sdf/Fields.h"
#include "stage/LayerStackFlattener.h"
#include "stage/Stage.h"
#include "stage/StageFlattener.h"

namespace usdkit {

void setVariantSelection(Layer& layer, const Path& prim, const std::string& set, const std::string& variant) {
  const FieldNames& f = fieldNames();
  Path parent = Path::absoluteRoot();
  for (const Path& prefix : prim.prefixes()) {
    auto [spec, added] = layer.tryCreateSpec(prefix, SpecType::Prim);
    if (added) {
      spec.set(f.specifier, Specifier::Over);
      Spec& parentSpec = *layer.findSpec(parent);
      std::vector<Token> names;
      if (const TokenVector* existing = parentSpec.getAs<TokenVector>(f.primChildren)) names = existing->items;
      names.push_back(prefix.nameToken());
      parentSpec.set(f.primChildren, TokenVector{std::move(names)});
    }
    parent = prefix;
  }
  Spec& spec = *layer.findSpec(prim);
  VariantSelectionMap selections;
  if (const VariantSelectionMap* existing = spec.getAs<VariantSelectionMap>(f.variantSelection)) selections = *existing;
  selections.selections[set] = variant;
  spec.set(f.variantSelection, std::move(selections));
}

std::shared_ptr<Layer> variantOverrideLayer(std::span<const FlattenRequest::VariantOverride> variants,
                                            const std::string& userSession) {
  auto layer = std::make_shared<Layer>();
  layer->setIdentifier("anon:usdflatten-variant-overrides.usda");
  const FieldNames& f = fieldNames();
  if (!userSession.empty()) {
    layer->pseudoRoot().set(f.subLayers, StringVector{{userSession}});
    layer->pseudoRoot().set(f.subLayerOffsets, LayerOffsetVector{{LayerOffset{}}});
  }
  for (const FlattenRequest::VariantOverride& v : variants) setVariantSelection(*layer, v.prim, v.set, v.variant);
  return layer;
}

Expected<FlattenResult> flatten(const FlattenRequest& request) {
  // Opening the layers is part of the task: a root layer's text may take
  // longer to read than its prims to flatten.
  ProgressTask progress(request.progress, ProgressUnit::Prims, 0, "flattening", request.rootLayer);
  FlattenResult result;
  Expected<StageLayers> layers = openStageLayers(request);
  if (!layers) return std::move(layers).error();
  const std::shared_ptr<const LayerStack>& stack = layers->root;
  for (const CompositionError& e : stack->errors()) result.warnings.push_back(e.message);

  if (request.layerStackOnly) {
    LayerStackFlattenOptions options;
    options.warnings = &result.warnings;
    options.progress = request.progress;
    auto layer = flattenLayerStack(*stack, layers->registry->resolver(), options);
    if (!layer) return std::move(layer).error();
    result.layer = std::move(*layer);
    return result;
  }
  auto layer = flattenStage(*layers->stacks, stack, request, result);
  if (!layer) return std::move(layer).error();
  if (!request.textOutput) result.layer = std::move(*layer);
  return result;
}

Expected<std::vector<Path>> parsePrimPathList(std::string_view list, std::string_view option) {
  std::vector<Path> paths;
  std::size_t at = 0;
  while (at < list.size()) {
    const std::size_t end = std::min(list.find_first_of(", ", at), list.size());
    const std::string_view item = list.substr(at, end - at);
    at = end + 1;
    if (item.empty()) continue;
    auto p = Path::parse(item);
    if (!p || !p->isAbsolute() || !p->isPrimPath())
      return makeError(std::string(option) + ": '" + std::string(item) + "' is not an absolute prim path");
    paths.push_back(*p);
  }
  return paths;
}

Expected<FlattenRequest::VariantOverride> parseVariantOverride(std::string_view text, std::string_view option) {
  const std::size_t open = text.find('{'), eq = text.find('=', open), close = text.find('}', eq);
  auto bad = [&] {
    return makeError(std::string(option) + ": expected '/Prim{set=selection}', got '" + std::string(text) + "'");
  };
  if (open == std::string_view::npos || eq == std::string_view::npos || close != text.size() - 1) return bad();
  auto prim = Path::parse(text.substr(0, open));
  if (!prim || !prim->isAbsolute() || !prim->isPrimPath() || eq == open + 1) return bad();
  return FlattenRequest::VariantOverride{*prim, std::string(text.substr(open + 1, eq - open - 1)),
                                         std::string(text.substr(eq + 1, close - eq - 1))};
}

}  // namespace usdkit
