// libFuzzer entry point for the usda reader with a round-trip oracle: when
// the bytes read as a layer, the layer's usda text must read back to a layer
// with the same text, and the layer written as crate must read back to a
// layer with the same text too. A difference means one of the readers or
// writers loses or changes data, which "no crash" alone would not notice;
// it aborts with both texts on stderr. Content crate refuses to store, or
// leaves out with a warning, is fine (the writer says so); a crate it
// writes and cannot read back as written is not.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"

namespace {

[[noreturn]] void roundTripFailure(const char* what, std::string_view expected, std::string_view actual) {
  // fwrite, not %.*s: the texts may hold NUL bytes.
  std::fprintf(stderr, "usda round trip: %s\n--- expected\n", what);
  std::fwrite(expected.data(), 1, expected.size(), stderr);
  std::fprintf(stderr, "\n--- actual\n");
  std::fwrite(actual.data(), 1, actual.size(), stderr);
  std::fprintf(stderr, "\n");
  std::abort();
}

// The text of a layer with a fixed cookie: a layer read from crate has
// another format id than one read from usda, and only content matters here.
std::string textOf(const usdkit::Layer& layer, const char* what) {
  usdkit::UsdaWriteOptions options;
  options.cookie = "#usda 1.0";
  std::string text;
  if (auto written = usdkit::writeUsda(layer, text, options); !written)
    roundTripFailure(what, "a layer that prints", written.error().message);
  return text;
}

// OpenUSD's writer opens a spec's metadata block for every field, also one
// that prints nothing (an empty `variants = {}` map); the block reads back
// as no field at all, so the second text lacks the empty " (\n    )". The
// usda leg compares texts with such empty blocks left out.
std::string withoutEmptyMetadataBlocks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, " (\n") == 0) {
      std::size_t j = i + 3;
      while (j < text.size() && text[j] == ' ') ++j;
      if (j < text.size() && text[j] == ')') {
        i = j + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// Crate stores vectors and matrices of small whole numbers inline as int8
// components, and arrays of whole numbers as integers, so -0 components
// come back as 0 (as in OpenUSD: docs/crate-format.md §9, §11). The crate
// leg compares texts with the number -0 read as 0.
std::string withNegativeZerosAsZero(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto isNumberChar = [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool negativeZero = text[i] == '-' && i + 1 < text.size() && text[i + 1] == '0' &&
                              (i + 2 == text.size() || !isNumberChar(text[i + 2])) &&
                              (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(' || text[i - 1] == '[');
    if (!negativeZero) out += text[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto layer = usdkit::readUsda(input, "fuzz.usda");
  if (!layer) return 0;
  const std::string text = textOf(**layer, "the input's layer does not print");

  // usda -> text -> usda: the writer's text must say exactly what was read.
  auto again = usdkit::readUsda(text, "roundtrip.usda");
  if (!again) roundTripFailure("the written usda does not read back", text, again.error().message);
  if (std::string back = textOf(**again, "the re-read usda does not print");
      back != text && withoutEmptyMetadataBlocks(back) != withoutEmptyMetadataBlocks(text))
    roundTripFailure("usda written and read back differs", text, back);

  // usda -> crate -> layer: a refused write is an answer, a wrong one is
  // not; nor is a field the writer says it leaves out.
  std::vector<std::string> warnings;
  usdkit::CrateWriteOptions crateOptions;
  crateOptions.warnings = &warnings;
  auto crate = usdkit::writeCrate(**layer, crateOptions);
  if (!crate) return 0;
  for (const std::string& w : warnings)
    if (w.find("is not written") != std::string::npos) return 0;
  auto bytes = std::make_shared<const std::string>(std::move(*crate));
  auto fromCrate = usdkit::readCrate(*bytes, bytes, "roundtrip.usdc");
  if (!fromCrate) roundTripFailure("the written crate does not read back", text, fromCrate.error().message);
  if (std::string back = textOf(**fromCrate, "the crate read back does not print");
      back != text && withNegativeZerosAsZero(back) != withNegativeZerosAsZero(text))
    roundTripFailure("crate written and read back differs", text, back);
  return 0;
}
