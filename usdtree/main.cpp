// usdtree: print the prim hierarchy of a layer, or with --flatten of the
// composed stage. Flags, output bytes and exit statuses follow OpenUSD's
// usdtree. --composition and --layers are not built yet and fail with a
// clear message rather than printing something else.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "common/ToolMain.h"
#include "io/LayerIO.h"
#include "sdf/Layer.h"
#include "stage/Flatten.h"
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
};

void configure(CLI::App& app, Args& args) {
  app.add_option("inputPath", args.inputPath, "The input file to process ('-' reads standard input)")
      ->required();
  app.add_flag("--unloaded", args.unloaded, "With --flatten, do not load payloads");
  app.add_flag("-a,--attributes", args.attributes, "Display authored attributes (all properties)");
  app.add_flag("-m,--metadata", args.metadata,
               "Display authored metadata (active and kind are part of the label\n"
               "and not shown as individual items)");
  app.add_flag("-s,--simple", args.simple,
               "Only display prim names: no specifier, kind or active state");
  app.add_flag("-f,--flatten", args.flatten,
               "Print the composed stage with the input as root layer");
  app.add_flag("--flattenLayerStack", args.flattenLayerStack,
               "Print the input's flattened layer stack, without other arcs");
  app.add_option("--mask", args.mask,
                 "With --flatten, populate only these prims, their ancestors and\n"
                 "descendants; paths separated by commas and/or spaces")
      ->option_text("PRIMPATH[,PRIMPATH...]");
  app.add_flag("--composition", args.composition,
               "Show each prim's composition arcs (not available yet)");
  app.add_flag("--layers", args.layers,
               "Show the layers contributing to each prim (not available yet)");
  app.add_option("--variant", args.variants,
                 "With --flatten, select a variant: PRIMPATH{SET=NAME} (repeatable)")
      ->option_text("PRIMPATH{SET=NAME}");
  app.add_option("--mute", args.mutes, "With --flatten, mute this layer (repeatable)")
      ->option_text("LAYER");
  app.add_option("--depth", args.depth, "Print only N levels of prims below '/'")
      ->check(CLI::PositiveNumber)
      ->option_text("N");
  app.add_flag("--json", args.json, "Print the tree as one JSON document");
}

// An option this build does not offer yet, or null.
const char* unavailableOption(const Args& args) {
  if (args.composition) return "--composition";
  if (args.layers) return "--layers";
  return nullptr;
}

// Where the prims come from: the layer as authored, or the flattened stage
// (or layer stack), whose specs are the composed prims.
struct OpenedSource {
  std::shared_ptr<Layer> layer;
  std::unique_ptr<TreeSource> source;
};

Expected<std::shared_ptr<Layer>> composedLayer(const Args& args) {
  FlattenRequest request;
  request.rootLayer = args.inputPath;
  request.layerStackOnly = !args.flatten;
  request.addSourceFileComment = false;
  request.keepInactivePrims = true;
  request.loadPayloads = !args.unloaded;
  request.mutedLayers = args.mutes;
  std::string item;
  auto flushMask = [&]() -> Status {
    if (item.empty()) return Ok{};
    auto p = Path::parse(item);
    if (!p || !p->isAbsolute() || !p->isPrimPath()) return makeError("--mask: '" + item + "' is not an absolute prim path");
    request.mask.push_back(*p);
    item.clear();
    return Ok{};
  };
  for (char c : args.mask) {
    if (c != ',' && c != ' ') item += c;
    else if (auto s = flushMask(); !s) return std::move(s).error();
  }
  if (auto s = flushMask(); !s) return std::move(s).error();
  for (const std::string& v : args.variants) {
    const std::size_t open = v.find('{'), eq = v.find('=', open), close = v.find('}', eq);
    auto prim = open == std::string::npos ? std::nullopt : Path::parse(v.substr(0, open));
    if (!prim || eq == std::string::npos || close != v.size() - 1 || !prim->isAbsolute())
      return makeError("--variant: expected '/Prim{set=selection}', got '" + v + "'");
    request.variants.push_back({*prim, v.substr(open + 1, eq - open - 1), v.substr(eq + 1, close - eq - 1)});
  }
  auto result = flatten(request);
  if (!result) return std::move(result).error();
  for (const std::string& w : result->warnings) spdlog::warn("{}", w);
  return std::shared_ptr<Layer>(std::move(result->layer));
}

Expected<OpenedSource> openSource(const Args& args) {
  std::vector<std::string> warnings;
  OpenOptions options;
  options.warnings = &warnings;
  const bool composed = args.flatten || args.flattenLayerStack || !args.variants.empty() || !args.mutes.empty();
  auto layer = composed ? composedLayer(args) : openLayer(args.inputPath, options);
  for (const std::string& w : warnings) spdlog::warn("{}", w);
  if (!layer) return layer.error();
  OpenedSource opened;
  opened.layer = std::move(*layer);
  opened.source = std::make_unique<LayerTreeSource>(*opened.layer, args.flatten);
  return opened;
}

int usdtree(const Args& args) {
  // OpenUSD checks this before anything else and exits 1 (not 2).
  if (!args.mask.empty() && !args.flatten) {
    spdlog::error("--mask requires --flatten");
    return kExitFailure;
  }
  if (const char* option = unavailableOption(args)) {
    spdlog::error("{} is not supported yet", option);
    return kExitFailure;
  }
  auto opened = openSource(args);
  if (!opened) {
    spdlog::error("Failed to process \"{}\" - {}", args.inputPath, opened.error().message);
    return kExitFailure;
  }
  TreeOptions options;
  options.attributes = args.attributes;
  options.metadata = args.metadata;
  options.simple = args.simple;
  options.maxDepth = args.depth;
  std::string text;
  if (args.json)
    appendTreeJson(text, *opened->source, options);
  else
    appendTreeText(text, *opened->source, options);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    spdlog::error("cannot write to standard output");
    return kExitFailure;
  }
  tool::keepUntilExit(std::move(opened->layer));
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
      argc, argv, [&](CLI::App& app) { usdkit::configure(app, args); },
      [&] { return usdkit::usdtree(args); });
}
