// usdtree: print the prim hierarchy of a layer, or with --flatten of the
// composed stage. Flags, output bytes and exit statuses follow OpenUSD's
// usdtree; --composition and --layers show how the stage was composed.
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "common/ToolMain.h"
#include "io/LayerIO.h"
#include "sdf/Layer.h"
#include "stage/Explain.h"
#include "stage/Flatten.h"
#include "stage/Stage.h"
#include "tree/StageLayersReport.h"
#include "tree/StageTreeSource.h"
#include "tree/TreePrinter.h"

namespace usdkit {
namespace {

using tool::kExitFailure;
using tool::kExitOk;

struct Args {
  std::string inputPath;
  bool unloaded = false;
  bool attributes = false;
  bool metadata = false;
  bool simple = false;
  bool flatten = false;
  bool flattenLayerStack = false;
  std::string mask;
  bool composition = false;
  bool layers = false;
  std::vector<std::string> variants;
  std::vector<std::string> mutes;
  int depth = 0;
  bool json = false;
  std::string explain;
  std::string time;  // --time, as given
};

void configure(tool::CommandLine& cmd, Args& args) {
  cmd.option("inputPath", args.inputPath, "The input file to process ('-' reads standard input)")
      .required()
      .usdFiles();
  cmd.flag("--unloaded", args.unloaded, "With --flatten, do not load payloads");
  cmd.flag("-a,--attributes", args.attributes, "Display authored attributes (all properties)");
  cmd.flag("-m,--metadata", args.metadata,
               "Display authored metadata (active and kind are part of the label\n"
               "and not shown as individual items)");
  cmd.flag("-s,--simple", args.simple,
               "Only display prim names: no specifier, kind or active state");
  cmd.flag("-f,--flatten", args.flatten,
               "Print the composed stage with the input as root layer");
  cmd.flag("--flattenLayerStack", args.flattenLayerStack,
               "Print the input's flattened layer stack, without other arcs");
  cmd.option("--mask", args.mask,
                 "With --flatten, populate only these prims, their ancestors and\n"
                 "descendants; paths separated by commas and/or spaces")
      .optionText("PRIMPATH[,PRIMPATH...]");
  cmd.flag("--composition", args.composition,
               "Under each prim of the composed stage, list its opinions\n"
               "(@layer@<path>, strongest first) and variant selections");
  cmd.flag("--layers", args.layers,
               "Instead of the tree, list every layer the composed stage uses,\n"
               "with the arc that brought it in, and those that could not be found");
  cmd.option("--variant", args.variants,
                 "With --flatten, select a variant: PRIMPATH{SET=NAME} (repeatable)")
      .optionText("PRIMPATH{SET=NAME}");
  cmd.option("--mute", args.mutes, "With --flatten, mute this layer (repeatable)")
      .optionText("LAYER")
      .usdFiles();
  cmd.option("--depth", args.depth, "Print only N levels of prims below '/'")
      .positive()
      .optionText("N");
  cmd.flag("--json", args.json, "Print the tree (or the explanation) as one JSON document");
  cmd.option("--explain", args.explain,
                 "Instead of the tree, explain one prim or property of the composed stage:\n"
                 "its resolved value or metadata and every opinion behind it, strongest\n"
                 "first, marking the one that wins")
      .optionText("PRIM_OR_PROPERTY_PATH");
  cmd.option("--time", args.time, "With --explain, resolve an attribute's value at this time code\n"
                                   "(default: its default value)")
      .optionText("T");
}

// Where the prims come from: the layer as authored, the composed stage, or
// a flattened stage or layer stack whose specs are the composed prims.
struct OpenedSource {
  std::shared_ptr<Layer> layer;
  std::shared_ptr<Stage> stage;
  std::unique_ptr<TreeSource> source;
  std::vector<StageLayer> layers;  // with --layers
};

bool composedMode(const Args& args) {
  return args.flatten || args.flattenLayerStack || args.composition || args.layers || !args.variants.empty() ||
         !args.mutes.empty();
}

// The stage options the command line gives (--unloaded, --mask, --variant,
// --mute).
Expected<FlattenRequest> stageRequest(const Args& args) {
  FlattenRequest request;
  request.rootLayer = args.inputPath;
  request.loadPayloads = !args.unloaded;
  request.mutedLayers = args.mutes;
  auto mask = parsePrimPathList(args.mask, "--mask");
  if (!mask) return std::move(mask).error();
  request.mask = std::move(*mask);
  for (const std::string& v : args.variants) {
    auto variant = parseVariantOverride(v, "--variant");
    if (!variant) return std::move(variant).error();
    request.variants.push_back(std::move(*variant));
  }
  return request;
}

Expected<FlattenResult> composedLayer(const Args& args, ProgressSink* progress) {
  Expected<FlattenRequest> stage = stageRequest(args);
  if (!stage) return std::move(stage).error();
  FlattenRequest request = std::move(*stage);
  // --composition and --layers describe the composed stage.
  request.layerStackOnly = args.flattenLayerStack && !args.flatten && !args.composition && !args.layers;
  request.recordComposition = args.composition || args.layers;
  request.addSourceFileComment = false;
  request.keepInactivePrims = true;
  request.progress = progress;
  auto result = flatten(request);
  if (!result) return std::move(result).error();
  // --layers reports what could not be resolved itself.
  if (!args.layers)
    for (const std::string& w : result->warnings) spdlog::warn("{}", w);
  return result;
}

// The prims of the composed stage (--flatten and the stage options).
Expected<OpenedSource> openStage(const Args& args) {
  Expected<FlattenRequest> request = stageRequest(args);
  if (!request) return std::move(request).error();
  auto stage = Stage::open(*request);
  if (!stage) return std::move(stage).error();
  OpenedSource opened;
  opened.stage = std::move(*stage);
  opened.source = std::make_unique<StageTreeSource>(*opened.stage);
  for (const std::string& w : opened.stage->warnings()) spdlog::warn("{}", w);
  if (Status whole = opened.stage->status(); !whole) return std::move(whole).error();
  return opened;
}

// `progress` is told of reading the layer, or of flattening it; a stage
// (openStage) is composed while the tree is printed, and reports nothing.
Expected<OpenedSource> openSource(const Args& args, ProgressSink* progress) {
  // --composition and --layers report what composing the stage into a
  // layer records; --flattenLayerStack alone flattens only the layer stack.
  const bool layerStackOnly = args.flattenLayerStack && !args.flatten;
  if (composedMode(args) && !layerStackOnly && !args.composition && !args.layers) return openStage(args);
  OpenedSource opened;
  if (composedMode(args)) {
    auto result = composedLayer(args, progress);
    if (!result) return std::move(result).error();
    opened.layer = std::shared_ptr<Layer>(std::move(result->layer));
    auto source = std::make_unique<LayerTreeSource>(*opened.layer, !args.flattenLayerStack || args.flatten,
                                                    std::move(result->prototypes));
    source->setComposition(std::move(result->composition));
    opened.source = std::move(source);
    opened.layers = std::move(result->layers);
    for (const std::string& w : result->warnings)
      if (args.layers) opened.layers.push_back({w, "unresolved", Path()});
    return opened;
  }
  std::vector<std::string> warnings;
  OpenOptions options;
  options.warnings = &warnings;
  options.progress = progress;
  auto layer = openLayer(args.inputPath, options);
  for (const std::string& w : warnings) spdlog::warn("{}", w);
  if (!layer) return layer.error();
  opened.layer = std::move(*layer);
  opened.source = std::make_unique<LayerTreeSource>(*opened.layer);
  return opened;
}

// --explain: the library explains, the tool prints.
int explainObject(const Args& args) {
  auto path = Path::parse(args.explain);
  if (!path || !path->isAbsolute()) {
    spdlog::error("--explain: '{}' is not an absolute prim or property path", args.explain);
    return tool::kExitUsage;
  }
  std::optional<double> time;
  if (!args.time.empty()) {
    char* end = nullptr;
    const double t = std::strtod(args.time.c_str(), &end);
    if (end != args.time.c_str() + args.time.size() || !std::isfinite(t)) {
      spdlog::error("--time: '{}' is not a number", args.time);
      return tool::kExitUsage;
    }
    time = t;
  }
  Expected<FlattenRequest> request = stageRequest(args);
  if (!request) {
    spdlog::error("{}", request.error().message);
    return tool::kExitUsage;
  }
  auto stage = Stage::open(*request);
  if (!stage) {
    spdlog::error("Failed to process \"{}\" - {}", args.inputPath, stage.error().message);
    return kExitFailure;
  }
  Expected<Explanation> explanation = explain(**stage, *path, time);
  for (const std::string& w : (*stage)->warnings()) spdlog::warn("{}", w);
  if (!explanation) {
    spdlog::error("{}: {}", args.inputPath, explanation.error().message);
    return kExitFailure;
  }
  const std::string text = args.json ? explanationJson(*explanation) : explanationText(*explanation);
  if (Status written = tool::writeStandardOutput(text); !written) {
    spdlog::error("{}", written.error().message);
    return kExitFailure;
  }
  return kExitOk;
}

int usdtree(const Args& args, const tool::ToolContext& context) {
  if (!args.explain.empty()) return explainObject(args);
  if (!args.time.empty()) {
    spdlog::error("--time requires --explain");
    return tool::kExitUsage;
  }
  // OpenUSD checks this before anything else and exits 1 (not 2).
  if (!args.mask.empty() && !args.flatten) {
    spdlog::error("--mask requires --flatten");
    return kExitFailure;
  }
  auto opened = openSource(args, context.progress());
  if (!opened) {
    spdlog::error("Failed to process \"{}\" - {}", args.inputPath, opened.error().message);
    return kExitFailure;
  }
  if (args.layers) {
    const std::string text = formatStageLayers(opened->layers, args.json);
    if (Status written = tool::writeStandardOutput(text); !written) {
      spdlog::error("{}", written.error().message);
      return kExitFailure;
    }
    return kExitOk;
  }
  TreeOptions options;
  options.composition = args.composition;
  options.attributes = args.attributes;
  options.metadata = args.metadata;
  options.simple = args.simple;
  options.maxDepth = args.depth;
  // The tree streams to stdout a megabyte at a time; after a failed write
  // the rest is dropped and the error reported once.
  Status written = Ok{};
  const TreeTextSink sink = [&](std::string_view chunk) {
    if (written) written = tool::writeStandardOutput(chunk);
  };
  std::string text;
  if (args.json)
    appendTreeJson(text, *opened->source, options, sink);
  else
    appendTreeText(text, *opened->source, options, sink);
  if (!written) {
    spdlog::error("{}", written.error().message);
    return kExitFailure;
  }
  // Freeing a big stage or layer only costs time at exit.
  tool::keepUntilExit(std::move(opened->layer));
  tool::keepUntilExit(std::move(opened->stage));
  return kExitOk;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "usdtree",
      "Write the prim tree of a USD file. Without --flatten it shows the specs of the\n"
      "file itself; 'kind' and 'active' are part of each prim's label unless --simple.",
      argc, argv, [&](usdkit::tool::CommandLine& cmd) { usdkit::configure(cmd, args); },
      // -j is accepted for a uniform command line; the tree is printed by
      // one thread.
      [&](const usdkit::tool::ToolContext& context) { return usdkit::usdtree(args, context); });
}
