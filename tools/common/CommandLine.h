// The options a tool declares, without CLI11 in sight: CLI11 is header-only
// and costs 10 s to compile (40 s under the sanitizers) in every file that
// includes it, so only ToolMain.cpp does, and the tools declare their
// options through this small surface:
//
//   cmd.option("-o,--out", args.output, "Write to this file").optionText("file");
//   cmd.flag("-f,--flatten", args.flatten, "Flatten the stage");
//   cmd.option("--color", args.color, "...").oneOf({"auto", "always", "never"});
//   cmd.option("inputFiles", args.inputs, "Input layers").usdFiles();
//
// Names, help texts and checks mean what they mean in CLI11 (the help text
// is CLI11's); each method forwards to the CLI11 call of the same meaning.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace usdkit::tool {

// What the shell completions (see Completions.h) offer for an option's
// value beyond what CLI11 knows: the names oneOf lists, and whether the
// value is a file name.
struct ValueHints {
  enum class Files { None, Usd, Any };
  std::vector<std::string> choices;
  Files files = Files::None;
};

// One declared option, for adding checks and help details.
class OptionRef {
 public:
  OptionRef(CLI::Option* option, ValueHints& hints) : option_(option), hints_(&hints) {}

  OptionRef& required();
  // Text shown for the value in --help ("file", "N", "usda|usdc").
  OptionRef& optionText(const std::string& text);
  // The value must be one of `names`.
  OptionRef& oneOf(std::initializer_list<const char*> names);
  // The same ignoring case; the value becomes the listed spelling.
  OptionRef& oneOfIgnoringCase(std::initializer_list<const char*> names);
  // The value must lie in [min, max] (help shows "INT in [min - max]").
  OptionRef& range(long long min, long long max);
  OptionRef& range(double min, double max);
  OptionRef& nonNegative();
  OptionRef& positive();
  // A repeatable option takes one value per occurrence, so that positional
  // arguments may follow it.
  OptionRef& oneValuePerOccurrence();
  // The value names a USD layer (completed to .usd, .usda, .usdc, .usdz),
  // or any file.
  OptionRef& usdFiles();
  OptionRef& anyFiles();

 private:
  CLI::Option* option_;
  ValueHints* hints_;
};

// The tool's option definitions (runTool hands one to the tool's setup).
class CommandLine {
 public:
  explicit CommandLine(CLI::App& app) : app_(app) {}

  // Options with a value ("-o,--out") or positional arguments ("inputFiles").
  OptionRef option(const std::string& names, std::string& value, const std::string& help);
  OptionRef option(const std::string& names, std::vector<std::string>& values, const std::string& help);
  OptionRef option(const std::string& names, int& value, const std::string& help);
  OptionRef option(const std::string& names, unsigned& value, const std::string& help);
  OptionRef option(const std::string& names, long long& value, const std::string& help);
  OptionRef option(const std::string& names, unsigned long& value, const std::string& help);
  OptionRef option(const std::string& names, double& value, const std::string& help);
  // Flags: a bool is set, an int counts occurrences (-vv gives 2).
  OptionRef flag(const std::string& names, bool& value, const std::string& help);
  OptionRef flag(const std::string& names, int& count, const std::string& help);

  // The hints declared for `option` (empty for options declared elsewhere).
  ValueHints hintsFor(const CLI::Option* option) const;

 private:
  OptionRef ref(CLI::Option* option) { return OptionRef(option, hints_[option]); }

  CLI::App& app_;
  std::map<const CLI::Option*, ValueHints> hints_;
};

}  // namespace usdkit::tool
