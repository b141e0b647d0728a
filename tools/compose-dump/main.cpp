// compose-dump: prints a stage's composition the way OpenUSD's
// testPcpCompositionResults does (same arguments, same text), for checking
// the composition engine against OpenUSD's museum baselines.
#include <cstdio>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "common/ToolMain.h"
#include "compose/CompositionDump.h"
#include "compose/PrimIndex.h"

namespace usdkit {
namespace {

struct Args {
  std::vector<std::string> layers;
  bool usd = false;
  std::string payloads = ".*";
  std::string session;
  std::string variantFallbacks;
  std::string errorFile;
  std::string dumpPath;
  bool dumpMaps = false;
  bool layerStackOnly = false;
};

// Parses a Python dict literal of string -> list of strings:
// {'standin': ['render', 'anim']}.
std::map<std::string, std::vector<std::string>> parseFallbacks(const std::string& text) {
  std::map<std::string, std::vector<std::string>> out;
  std::size_t i = 0;
  auto skip = [&] { while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i; };
  auto str = [&]() -> std::string {
    skip();
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) throw tool::UsageError("--variantFallbacks: expected a quoted string in '" + text + "'");
    char q = text[i++];
    std::string s;
    while (i < text.size() && text[i] != q) s += text[i++];
    ++i;
    return s;
  };
  skip();
  if (i >= text.size() || text[i] != '{') throw tool::UsageError("--variantFallbacks: expected a dictionary like {'set': ['a']}");
  ++i;
  skip();
  while (i < text.size() && text[i] != '}') {
    std::string key = str();
    skip();
    if (i >= text.size() || text[i] != ':') throw tool::UsageError("--variantFallbacks: expected ':'");
    ++i;
    skip();
    if (i >= text.size() || text[i] != '[') throw tool::UsageError("--variantFallbacks: expected a list");
    ++i;
    std::vector<std::string>& list = out[key];
    skip();
    while (i < text.size() && text[i] != ']') {
      list.push_back(str());
      skip();
      if (i < text.size() && text[i] == ',') ++i;
      skip();
    }
    ++i;
    skip();
    if (i < text.size() && text[i] == ',') ++i;
    skip();
  }
  return out;
}

int run(const Args& args) {
  if (args.layers.empty()) throw tool::UsageError("a root layer is required");
  std::map<std::string, std::vector<std::string>> fallbacks{{"standin", {"render"}}};
  if (!args.variantFallbacks.empty()) fallbacks = parseFallbacks(args.variantFallbacks);
  std::regex payloadRegex;
  try {
    payloadRegex = std::regex(args.payloads, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    throw tool::UsageError("--payloads: invalid regular expression '" + args.payloads + "'");
  }
  std::string allErrors;
  std::string allResults;
  for (const std::string& rootArg : args.layers) {
    LayerRegistry registry(AssetResolver::forRootLayer(rootArg));
    LayerStackCache stacks(registry, LayerStackOptions::fromEnvironment());
    Expected<std::shared_ptr<const LayerStack>> stack = stacks.open(registry.resolver().anchor(rootArg, ""),
        args.session.empty() ? std::string() : registry.resolver().anchor(args.session, ""));
    if (!stack) {
      std::fprintf(stderr, "compose-dump: error: %s\n", stack.error().message.c_str());
      return tool::kExitFailure;
    }
    PrimIndexOptions options;
    options.variantFallbacks = fallbacks;
    options.includePayload = [&payloadRegex](const Path& p) {
      std::string s = p.string();
      return std::regex_search(s, payloadRegex, std::regex_constants::match_continuous);
    };
    PrimIndexCache cache(stacks, *stack, options);
    CompositionDumpOptions dump;
    dump.rootLayerArgument = rootArg;
    dump.sessionLayerArgument = args.session;
    const std::string& rootId = (*stack)->rootLayer()->identifier();
    dump.labelDirectory = directoryOf(rootId);
    dump.stripPrefix = currentDirectory() + "/";
    dump.layerStackOnly = args.layerStackOnly;
    if (!args.dumpPath.empty()) {
      auto p = Path::parse(args.dumpPath);
      if (!p) throw tool::UsageError("--dumpPath: not a path: '" + args.dumpPath + "'");
      dump.onlyPath = *p;
    }
    CompositionDump out = dumpComposition(cache, dump);
    std::fwrite(out.results.data(), 1, out.results.size(), stdout);
    allErrors += out.errors;
  }
  if (!args.errorFile.empty()) {
    Expected<OutputFile> f = OutputFile::create(args.errorFile);
    Status written = f ? f->write(allErrors) : Status(f.error());
    if (written) written = f->commit();
    if (!written) {
      std::fprintf(stderr, "compose-dump: error: %s\n", written.error().message.c_str());
      return tool::kExitFailure;
    }
    return tool::kExitOk;
  }
  if (!allErrors.empty()) {
    std::fwrite(allErrors.data(), 1, allErrors.size(), stderr);
    std::fprintf(stderr, "ERROR: Unexpected error(s) encountered during test!\n");
    return tool::kExitFailure;
  }
  return tool::kExitOk;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "compose-dump", "Print the composition of a stage as OpenUSD's testPcpCompositionResults does", argc, argv,
      [&](usdkit::tool::CommandLine& cmd) {
        cmd.option("layer", args.layers, "Root layer(s)");
        cmd.flag("--usd", args.usd, "USD mode (always on)");
        cmd.option("--payloads", args.payloads, "Load payloads of prims whose path matches this regex (default .*)");
        cmd.option("--session", args.session, "Session layer");
        cmd.option("--variantFallbacks", args.variantFallbacks, "Python dict of variant fallbacks");
        cmd.option("--errorFile", args.errorFile, "Write composition errors to this file");
        cmd.option("--dumpPath", args.dumpPath, "Only this prim");
        cmd.flag("--dumpMaps", args.dumpMaps, "(accepted, ignored)");
        cmd.flag("--layerStackOnly", args.layerStackOnly, "Only print the layer stack");
      },
      [&] { return usdkit::run(args); });
}
