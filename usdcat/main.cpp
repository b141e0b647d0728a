// usdcat: print layers as usda text, or convert one layer to another file.
// Flags, output bytes and exit statuses follow OpenUSD's usdcat; --flatten,
// --flattenLayerStack and --mask compose through the same library call as
// usdflatten.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "common/ToolMain.h"
#include "io/LayerIO.h"
#include "io/CrateVersion.h"
#include "sdf/Layer.h"
#include "stage/Flatten.h"

namespace usdkit {
namespace {

using tool::kExitFailure;
using tool::kExitOk;
using tool::UsageError;

struct Args {
  std::vector<std::string> inputFiles;
  std::string output;
  std::string usdFormat;
  std::string usdcVersion;
  std::string mask;
  bool loadOnly = false;
  bool flatten = false;
  bool flattenLayerStack = false;
  bool skipSourceFileComment = false;
  bool layerMetadata = false;
  unsigned threads = 1;  // -j, from the standard options
};

void configure(tool::CommandLine& cmd, Args& args) {
  cmd.option("inputFiles", args.inputFiles, "Input layers ('-' reads standard input)")
      .required()
      .usdFiles()
      .optionText("...");
  cmd.option("-o,--out", args.output,
                 "Write the (single) input to this file instead of standard output;\n"
                 "the extension picks the format, '.zst' adds zstd compression")
      .optionText("file")
      .anyFiles();
  cmd.option("--usdFormat", args.usdFormat,
                 "Underlying format of an output file named '*.usd'\n"
                 "(text 'usda' or binary 'usdc')")
      .oneOfIgnoringCase({"usda", "usdc"})
      .optionText("usda|usdc");
  cmd.option("--usdcVersion", args.usdcVersion,
                 "Write crate (.usdc, and the root layer of .usdz) output in this\n"
                 "version, for older readers; fails if the content needs a newer one\n"
                 "(default: as current OpenUSD, 0.8.0 or USD_WRITE_NEW_USDC_FILES_AS_VERSION,\n"
                 "raised when the content needs it)")
      .optionText("MAJOR.MINOR.PATCH");
  cmd.flag("-l,--loadOnly", args.loadOnly,
               "Only try to load each input and print 'OK' or 'ERR' for it;\n"
               "exit 1 if any failed");
  cmd.flag("-f,--flatten", args.flatten,
               "Compose a stage from each input and write it flattened");
  cmd.flag("--flattenLayerStack", args.flattenLayerStack,
               "Flatten each input's layer stack (sublayers) without flattening\n"
               "other arcs");
  cmd.flag("--skipSourceFileComment", args.skipSourceFileComment,
               "With --flatten, do not record the source file in the output\n"
               "layer's documentation");
  cmd.option("--mask", args.mask,
                 "With --flatten, populate only these prims with their ancestors\n"
                 "and descendants; paths separated by commas and/or spaces")
      .optionText("PRIMPATH[,PRIMPATH...]");
  cmd.flag("--layerMetadata", args.layerMetadata,
               "Read and write only the layer metadata of each input;\n"
               "not combinable with --flatten or --flattenLayerStack");
}

// The way std::quoted prints a name: in double quotes, with '"' and '\'
// escaped, so messages stay unambiguous for odd file names.
std::string quoteName(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// Argument checks that need more than one option at a time, in the order
// OpenUSD's usdcat makes them so the first complaint matches.
int validate(const Args& args) {
  if (!args.output.empty()) {
    if (::access(args.output.c_str(), F_OK) == 0 && ::access(args.output.c_str(), W_OK) != 0) {
      spdlog::error("no write permission for existing output file '{}'", args.output);
      return kExitFailure;
    }
    if (args.inputFiles.size() != 1)
      throw UsageError("must supply exactly one input file when writing to an output file.");
    if (!args.usdFormat.empty() && formatExtension(args.output) != "usd")
      throw UsageError("use of --usdFormat requires output file end with '.usd' extension.");
    std::optional<std::string_view> usdFormat;
    if (!args.usdFormat.empty()) usdFormat = args.usdFormat;
    auto format = outputFormatFor(args.output, usdFormat);
    if (!format) {
      spdlog::error("{}", format.error().message);
      return kExitFailure;
    }
  } else if (!args.usdFormat.empty() && args.usdFormat != "usda") {
    throw UsageError(
        "--usdFormat must be unspecified or 'usda' if writing to stdout; specify an output "
        "file with -o/--out to write other formats.");
  }
  if (!args.usdcVersion.empty()) {
    if (auto version = parseCrateVersion(args.usdcVersion); !version)
      throw UsageError("--usdcVersion: " + version.error().message);
    std::optional<std::string_view> usdFormat;
    if (!args.usdFormat.empty()) usdFormat = args.usdFormat;
    auto format = args.output.empty() ? Expected<LayerFormat>(LayerFormat::Usda)
                                      : outputFormatFor(args.output, usdFormat);
    if (!format || (*format != LayerFormat::Usdc && *format != LayerFormat::Usdz))
      throw UsageError("--usdcVersion requires an output file in crate format (.usdc, .usdz, or .usd)");
  }
  if (!args.mask.empty() && !args.flatten) throw UsageError("--mask requires --flatten");
  if (args.layerMetadata && (args.flatten || args.flattenLayerStack))
    throw UsageError(std::string("--layerMetadata cannot be used together with ") +
                     (args.flatten ? "--flatten" : "--flattenLayerStack"));
  // Converting a file onto itself would be safe with our atomic output, but
  // it is almost always a typo that would destroy the original's formatting.
  if (!args.output.empty() && !args.loadOnly) {
    const std::string& input = args.inputFiles.front();
    if (input != "-" && (input == args.output || sameFile(input, args.output))) {
      spdlog::error("refusing to overwrite input file '{}'", input);
      return kExitFailure;
    }
  }
  return kExitOk;
}

// What is written for one input: a layer, or the usda text of a stage
// flattened for text output (made prim by prim, never held as a layer).
struct Loaded {
  std::shared_ptr<Layer> layer;
  UsdaText text;
};

// The composed stage (or layer stack) of `input`. Composition problems
// become warnings; only an unreadable root layer fails.
Expected<Loaded> flattened(const Args& args, const std::string& input, const SaveOptions& save,
                           std::vector<std::string>& warnings, ProgressSink* progress) {
  FlattenRequest request;
  request.progress = progress;
  request.rootLayer = input;
  request.layerStackOnly = !args.flatten;
  request.addSourceFileComment = !args.skipSourceFileComment;
  request.textOutput = args.flatten && !args.loadOnly && savesAsText(args.output.empty() ? "-" : args.output, save);
  auto mask = parsePrimPathList(args.mask, "--mask");
  if (!mask) return std::move(mask).error();
  request.mask = std::move(*mask);
  auto result = flatten(request);
  if (!result) return std::move(result).error();
  warnings.insert(warnings.end(), result->warnings.begin(), result->warnings.end());
  return Loaded{std::shared_ptr<Layer>(std::move(result->layer)), std::move(result->text)};
}

Expected<Loaded> opened(const std::string& input, const OpenOptions& options) {
  auto layer = openLayer(input, options);
  if (!layer) return std::move(layer).error();
  return Loaded{std::move(*layer), {}};
}

Status save(const Loaded& loaded, const std::string& path, const SaveOptions& options) {
  return loaded.layer ? saveLayer(*loaded.layer, path, options) : saveUsdaText(loaded.text, path, options);
}

// Text on a terminal shows how far it has got by itself (and a line drawn
// between its lines would only get in the way); redirected, it is counted.
SaveOptions textOutputOptions(const tool::ToolContext& context) {
  SaveOptions options;
  if (!::isatty(STDOUT_FILENO)) options.progress = context.progress();
  return options;
}

bool writeStdout(std::string_view text) {
  Status written = tool::writeStandardOutput(text);
  if (!written) spdlog::error("{}", written.error().message);
  return written.ok();
}

int usdcat(Args args, const tool::ToolContext& context) {
  // "-o -" is standard output: the same as giving no -o at all.
  if (args.output == "-") args.output.clear();
  if (int rc = validate(args); rc != kExitOk) return rc;

  SaveOptions saveOptions;
  saveOptions.threads = args.threads;
  SaveOptions printOptions = textOutputOptions(context);
  printOptions.threads = args.threads;
  if (!args.usdFormat.empty()) saveOptions.usdFormat = args.usdFormat;
  if (!args.usdcVersion.empty()) saveOptions.usdcVersion = parseCrateVersion(args.usdcVersion).value();

  int exitCode = kExitOk;
  for (const std::string& input : args.inputFiles) {
    bool lastInput = &input == &args.inputFiles.back();
    std::vector<std::string> warnings;
    OpenOptions openOptions;
    openOptions.metadataOnly = args.layerMetadata;
    openOptions.warnings = &warnings;
    openOptions.threads = args.threads;
    openOptions.progress = context.progress();
    auto loaded = args.flatten || args.flattenLayerStack
                      ? flattened(args, input, saveOptions, warnings, context.progress())
                      : opened(input, openOptions);
    for (const std::string& w : warnings) spdlog::warn("{}", w);

    if (!loaded) {
      exitCode = kExitFailure;
      const std::string& message = loaded.error().message;
      if (args.loadOnly) {
        std::string line = "ERR " + input + "\n\t" + message + "\n";
        if (!writeStdout(line)) return kExitFailure;
      } else {
        spdlog::error("Failed to open {} - {}", quoteName(input), message);
      }
      continue;
    }
    if (args.loadOnly) {
      if (!writeStdout("OK  " + input + "\n")) return kExitFailure;
      continue;
    }

    std::shared_ptr<Layer>& layer = loaded->layer;
    if (layer) spdlog::info("read {} ({} specs)", input, layer->specCount());
    if (args.layerMetadata) {
      // Only what the user asked for, as text whatever the source's format.
      layer = layer->metadataOnlyCopy();
      layer->setFormatId("usda");
    }

    if (!args.output.empty()) {
      std::vector<std::string> saveWarnings;
      saveOptions.warnings = &saveWarnings;
      saveOptions.progress = context.progress();
      Status saved = save(*loaded, args.output, saveOptions);
      for (const std::string& w : saveWarnings) spdlog::warn("{}", w);
      if (!saved) {
        spdlog::error("Error exporting {} to {} - {}", quoteName(input), quoteName(args.output),
                      saved.error().message);
        exitCode = kExitFailure;
      } else {
        spdlog::info("wrote {}", args.output);
      }
    } else if (Status printed = save(*loaded, "-", printOptions); !printed) {
      spdlog::error("{}", printed.error().message);  // names standard output and the cause
      return kExitFailure;
    }
    if (lastInput && layer) tool::keepUntilExit(std::move(layer));
  }
  return exitCode;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "usdcat", "Write USD files as text to standard output, or convert one to an output file.",
      argc, argv, [&](usdkit::tool::CommandLine& cmd) { usdkit::configure(cmd, args); },
      [&](const usdkit::tool::ToolContext& context) {
        args.threads = context.threads();
        return usdkit::usdcat(args, context);
      });
}
