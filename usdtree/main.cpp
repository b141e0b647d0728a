// usdtree: print the prim hierarchy of a layer. Flags, output bytes and exit
// statuses follow OpenUSD's usdtree. The composed modes (--flatten,
// --flattenLayerStack and our --composition, --layers, --variant, --mute)
// need the composition engine; until it exists they fail with a clear
// message rather than printing the uncomposed layer as if it were composed.
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
               "Print the composed stage with the input as root layer\n"
               "(needs the composition engine: not available yet)");
  app.add_flag("--flattenLayerStack", args.flattenLayerStack,
               "Print the input's flattened layer stack, without other arcs\n"
               "(needs the composition engine: not available yet)");
  app.add_option("--mask", args.mask,
                 "With --flatten, populate only these prims, their ancestors and\n"
                 "descendants; paths separated by commas and/or spaces")
      ->option_text("PRIMPATH[,PRIMPATH...]");
  app.add_flag("--composition", args.composition,
               "Show each prim's composition arcs (needs the composition engine)");
  app.add_flag("--layers", args.layers,
               "Show the layers contributing to each prim (needs the composition engine)");
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

// The option that asks for a composed view, or null when the layer as
// authored is wanted.
const char* composedModeOption(const Args& args) {
  if (args.flatten) return "--flatten";
  if (args.flattenLayerStack) return "--flattenLayerStack";
  if (args.composition) return "--composition";
  if (args.layers) return "--layers";
  if (!args.variants.empty()) return "--variant";
  if (!args.mutes.empty()) return "--mute";
  return nullptr;
}

// Where the prims come from. Only the layer as authored is available now;
// the composed modes plug in here (a TreeSource over the composed stage)
// once lib/compose exists.
struct OpenedSource {
  std::shared_ptr<Layer> layer;
  std::unique_ptr<TreeSource> source;
};

Expected<OpenedSource> openSource(const Args& args) {
  if (const char* option = composedModeOption(args))
    return makeError(std::string(option) + " is not supported yet: needs the composition engine");
  std::vector<std::string> warnings;
  OpenOptions options;
  options.warnings = &warnings;
  auto layer = openLayer(args.inputPath, options);
  for (const std::string& w : warnings) spdlog::warn("{}", w);
  if (!layer) return layer.error();
  OpenedSource opened;
  opened.layer = std::move(*layer);
  opened.source = std::make_unique<LayerTreeSource>(*opened.layer);
  return opened;
}

int usdtree(const Args& args) {
  // OpenUSD checks this before anything else and exits 1 (not 2).
  if (!args.mask.empty() && !args.flatten) {
    spdlog::error("--mask requires --flatten");
    return kExitFailure;
  }
  if (const char* option = composedModeOption(args)) {
    spdlog::error("{} is not supported yet: needs the composition engine", option);
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
