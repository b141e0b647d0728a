// usdbench: times the library's phases on one layer file, so parse and
// write throughput can be read separately from process start-up, I/O and
// the tool around them (tools/bench.sh times whole usdcat runs).
//
//   usdbench FILE [--runs N]
//   usdbench FILE --query PATH
//
// Prints, for each phase, the median over N runs of wall and CPU time and the
// throughput over the bytes involved, next to a baseline of one pass over
// the same bytes (the cost of touching the input at all).
//
// --query opens FILE once in any format (crate values stay in the file until
// used), prints the value of one attribute or field at PATH ("/A/B.attr" for
// an attribute's default, "/A/B" for a prim's specifier and type) and how
// long that took, so tools/bench.sh can measure what opening a huge crate
// file costs when only a little of it is read.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "base/FileIO.h"
#include "common/ToolMain.h"
#include "io/LayerIO.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaValueText.h"
#include "io/usda/UsdaWriter.h"
#include "sdf/Fields.h"

namespace {

struct Times {
  std::vector<double> wall, cpu;
};

double cpuNow() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

template <class F>
void measure(Times& t, F&& f) {
  auto w0 = std::chrono::steady_clock::now();
  double c0 = cpuNow();
  f();
  double c1 = cpuNow();
  auto w1 = std::chrono::steady_clock::now();
  t.wall.push_back(std::chrono::duration<double>(w1 - w0).count());
  t.cpu.push_back(c1 - c0);
}

void report(const char* name, const Times& t, double bytes) {
  double w = median(t.wall), c = median(t.cpu);
  fmt::print("{:<10} wall {:7.3f} s  cpu {:7.3f} s  {:8.1f} MB/s (cpu)\n", name, w, c, bytes / 1e6 / c);
}

// Opens `file`, prints the value at `pathText` and the time taken.
int query(const std::string& file, const std::string& pathText) {
  auto w0 = std::chrono::steady_clock::now();
  auto layer = usdkit::openLayer(file);
  if (!layer) {
    fmt::print(stderr, "usdbench: {}\n", layer.error().message);
    return usdkit::tool::kExitFailure;
  }
  auto w1 = std::chrono::steady_clock::now();
  auto path = usdkit::Path::parse(pathText);
  const usdkit::Spec* spec = path ? (*layer)->findSpec(*path) : nullptr;
  if (!spec) {
    fmt::print(stderr, "usdbench: {}: no spec at '{}'\n", file, pathText);
    return usdkit::tool::kExitFailure;
  }
  std::string text;
  const usdkit::FieldNames& f = usdkit::fieldNames();
  for (const usdkit::Field& field : spec->fields()) {
    if (field.name == f.primChildren || field.name == f.properties) continue;
    auto value = field.value.loaded();
    if (!value) {
      fmt::print(stderr, "usdbench: {}\n", value.error().message);
      return usdkit::tool::kExitFailure;
    }
    std::string one;
    usdkit::appendUsdaValue(one, *value);
    if (one.size() > 100) one = one.substr(0, 100) + "... (" + std::to_string(one.size()) + " chars)";
    text += fmt::format("  {} = {}\n", field.name.str(), one);
  }
  auto w2 = std::chrono::steady_clock::now();
  fmt::print("{}", text);
  fmt::print("open {:.3f} s, read {} {:.3f} s\n", std::chrono::duration<double>(w1 - w0).count(), pathText,
             std::chrono::duration<double>(w2 - w1).count());
  return usdkit::tool::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file;
  int runs = 5;
  std::string queryPath;
  return usdkit::tool::runTool(
      "usdbench", "Time the usda reader and writer on one file (medians of several runs).", argc, argv,
      [&](usdkit::tool::CommandLine& cmd) {
        cmd.option("file", file, "usda layer to read and write").required();
        cmd.option("--runs", runs, "Number of runs (median reported)").range(1LL, 1000LL);
        cmd.option("--query", queryPath, "Open FILE (any format) and print the fields of the spec at this path");
      },
      [&]() -> int {
        if (!queryPath.empty()) return query(file, queryPath);
        auto input = usdkit::readInput(file);
        if (!input) {
          fmt::print(stderr, "usdbench: {}\n", input.error().message);
          return usdkit::tool::kExitFailure;
        }
        std::string_view text = input->data();
        Times baseline, parse, write;
        std::size_t outBytes = 0;
        for (int i = 0; i < runs; ++i) {
          volatile unsigned long sink = 0;
          measure(baseline, [&] {
            unsigned long s = 0;
            for (std::size_t k = 0; k < text.size(); k += 64) s += static_cast<unsigned char>(text[k]);
            sink = s;
          });
          std::unique_ptr<usdkit::Layer> layer;
          bool ok = true;
          measure(parse, [&] {
            auto r = usdkit::readUsda(text, file);
            if (!r) {
              fmt::print(stderr, "usdbench: {}\n", r.error().message);
              ok = false;
              return;
            }
            layer = std::move(r.value());
          });
          if (!ok) return usdkit::tool::kExitFailure;
          std::string out;
          measure(write, [&] { (void)usdkit::writeUsda(*layer, out); });
          outBytes = out.size();
          (void)sink;
        }
        fmt::print("{}: {:.1f} MB in, {:.1f} MB out, {} runs (medians)\n", file, text.size() / 1e6,
                   outBytes / 1e6, runs);
        report("touch", baseline, static_cast<double>(text.size()));
        report("parse", parse, static_cast<double>(text.size()));
        report("write", write, static_cast<double>(outBytes));
        return usdkit::tool::kExitOk;
      });
}
