// usdflatten: compose a stage from a root layer and write it as one layer,
// byte for byte what OpenUSD's `usdcat --flatten` (or, with
// --flattenLayerStack, `usdcat --flattenLayerStack`) writes, plus the
// controls people need when debugging a scene: population mask, payload
// loading, variant selections, muted layers, a session layer.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "common/ToolMain.h"
#include "io/LayerIO.h"
#include "stage/Flatten.h"

namespace usdkit {
namespace {

using tool::kExitFailure;
using tool::kExitOk;
using tool::UsageError;

struct Args {
  std::string input;
  std::string output;
  std::string usdFormat;
  std::string session;
  std::vector<std::string> masks, loads, variants, mutes;
  bool flattenLayerStack = false;
  bool skipSourceFileComment = false;
  bool unloaded = false;
  unsigned threads = 1;  // -j, from the standard options
};

void configure(tool::CommandLine& cmd, Args& args) {
  cmd.option("rootLayer", args.input, "The stage's root layer ('-' is not allowed: sublayers and\n"
                                          "references are found relative to the root layer's file)")
      .required()
      .usdFiles();
  cmd.option("-o,--out", args.output,
                 "Write to this file instead of standard output; the extension\n"
                 "picks the format (.usda, .usdc, .usd, .usdz; '.zst' adds zstd)")
      .optionText("file")
      .anyFiles();
  cmd.option("--usdFormat", args.usdFormat, "Underlying format of an output file named '*.usd'")
      .oneOfIgnoringCase({"usda", "usdc"})
      .optionText("usda|usdc");
  cmd.flag("--flattenLayerStack", args.flattenLayerStack,
               "Merge only the root layer stack (sublayers), keeping references,\n"
               "payloads, inherits and variants as arcs");
  cmd.flag("--skipSourceFileComment", args.skipSourceFileComment,
               "Do not record the root layer in the output's documentation");
  cmd.option("--mask", args.masks,
                 "Populate only these prims, their ancestors and descendants;\n"
                 "paths separated by commas (repeatable)")
      .optionText("PRIMPATH[,PRIMPATH...]");
  cmd.flag("--unloaded", args.unloaded, "Load no payloads (except those under --load paths)");
  cmd.option("--load", args.loads, "With --unloaded, load the payloads at or under this prim (repeatable)")
      .optionText("PRIMPATH");
  cmd.option("--variant", args.variants, "Select a variant: '/Prim{set=selection}' (repeatable)")
      .optionText("'/PRIM{SET=SEL}'");
  cmd.option("--mute", args.mutes, "Leave this layer (and its sublayers) out (repeatable)").optionText("LAYER").usdFiles();
  cmd.option("--session", args.session, "A session layer, stronger than the root layer")
      .optionText("LAYER")
      .usdFiles();
}

// Parsed option values; a bad one is a usage error.
std::vector<Path> primPaths(const std::vector<std::string>& lists, const char* option) {
  std::vector<Path> paths;
  for (const std::string& list : lists) {
    auto parsed = parsePrimPathList(list, option);
    if (!parsed) throw UsageError(parsed.error().message);
    paths.insert(paths.end(), parsed->begin(), parsed->end());
  }
  return paths;
}

int usdflatten(const Args& args, const tool::ToolContext& context) {
  if (args.input == "-") throw UsageError("the root layer must be a file (its arcs are found relative to it)");
  FlattenRequest request;
  request.rootLayer = args.input;
  request.sessionLayer = args.session;
  request.layerStackOnly = args.flattenLayerStack;
  request.addSourceFileComment = !args.skipSourceFileComment;
  request.mask = primPaths(args.masks, "--mask");
  request.loadPayloads = !args.unloaded;
  request.loadPaths = primPaths(args.loads, "--load");
  for (const std::string& v : args.variants) {
    auto variant = parseVariantOverride(v, "--variant");
    if (!variant) throw UsageError(variant.error().message);
    request.variants.push_back(std::move(*variant));
  }
  request.mutedLayers = args.mutes;
  request.progress = context.progress();
  if (args.flattenLayerStack && !request.mask.empty()) throw UsageError("--mask cannot be used with --flattenLayerStack");
  if (!args.loads.empty() && !args.unloaded) throw UsageError("--load requires --unloaded");

  std::string output = args.output == "-" ? std::string() : args.output;
  SaveOptions save;
  save.threads = args.threads;
  if (!args.usdFormat.empty()) save.usdFormat = args.usdFormat;
  if (!output.empty()) {
    auto format = outputFormatFor(output, save.usdFormat);
    if (!format) {
      spdlog::error("{}", format.error().message);
      return kExitFailure;
    }
  }

  request.textOutput = !args.flattenLayerStack && savesAsText(output.empty() ? "-" : output, save);
  auto result = flatten(request);
  if (!result) {
    spdlog::error("{}", result.error().message);
    return kExitFailure;
  }
  for (const std::string& w : result->warnings) spdlog::warn("{}", w);
  std::vector<std::string> saveWarnings;
  save.warnings = &saveWarnings;
  // Text on a terminal shows how far it has got by itself (and a line
  // drawn between its lines would only get in the way); redirected, it is
  // counted.
  if (!output.empty() || !::isatty(STDOUT_FILENO)) save.progress = context.progress();
  const std::string path = output.empty() ? "-" : output;
  Status saved = result->layer ? saveLayer(*result->layer, path, save) : saveUsdaText(result->text, path, save);
  for (const std::string& w : saveWarnings) spdlog::warn("{}", w);
  if (!saved) {
    spdlog::error("{}", saved.error().message);  // names the output (or standard output) and the cause
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "usdflatten", "Compose a USD stage and write it flattened into one layer.", argc, argv,
      [&](usdkit::tool::CommandLine& cmd) { usdkit::configure(cmd, args); },
      [&](const usdkit::tool::ToolContext& context) {
        args.threads = context.threads();
        return usdkit::usdflatten(args, context);
      });
}
