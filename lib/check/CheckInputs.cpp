// Which files a usdchecker run checks, and checking them on several threads.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "base/FilePaths.h"
#include "check/Checker.h"

namespace usdkit::check {

std::vector<std::string> expandCheckInputs(std::span<const std::string> inputs) {
  std::vector<std::string> out;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(in, ec)) {
      out.push_back(in);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = std::filesystem::recursive_directory_iterator(in, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const std::string path = it->path().string();
      const std::string_view ext = fileExtension(path);
      if (ext != "usd" && ext != "usda" && ext != "usdc" && ext != "usdz") continue;
      std::error_code typeError;
      const bool unresolvedLink = it->is_symlink(typeError) && !std::filesystem::exists(it->path(), typeError);
      if (unresolvedLink || it->is_regular_file(typeError)) found.push_back(path);
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::vector<CheckResult> checkAssets(std::span<const std::string> inputs, const CheckOptions& options,
                                     std::span<const RuleInfo* const> rules, unsigned jobs) {
  std::vector<CheckResult> results(inputs.size());
  ProgressTask progress(options.progress, ProgressUnit::Files, inputs.size(), "checking",
                        inputs.size() == 1 ? std::string_view(inputs.front()) : std::string_view());
  // Each thread takes the next unchecked input; every result has its slot.
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      results[i] = checkAsset(inputs[i], options, rules);
      progress.advance(1);
    }
  };
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, inputs.size()));
  std::vector<std::jthread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  return results;
}

}  // namespace usdkit::check
