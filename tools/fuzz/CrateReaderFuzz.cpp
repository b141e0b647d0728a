// libFuzzer entry point for the crate (.usdc) reader: opens the bytes as a
// layer, decodes every lazy value and prints the layer as usda text, so the
// structure, every value decoder and the writer's view of the result are all
// exercised. Build with -fsanitize=fuzzer,address,undefined and link against
// the usdkit library (not wired into meson; see the project's fuzz setup).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/crate/CrateReader.h"
#include "io/usda/UsdaWriter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The reader keeps pointing into the bytes for lazy values; an owned copy
  // stands in for the mapped file.
  auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
  usdkit::CrateReadOptions options;
  options.memoryBudget = std::size_t(256) << 20;  // keep within the fuzzer's RSS limit
  auto layer = usdkit::readCrate(*bytes, bytes, "fuzz.usdc", options);
  if (!layer) return 0;
  (*layer)->forEachSpec([](const usdkit::Path&, const usdkit::Spec& spec) {
    for (const usdkit::Field& field : spec.fields())
      if (field.value.isLazy()) (void)field.value.loaded();
  });
  // Streamed and dropped, as usdcat streams it: a small crate file can hold
  // a layer whose text is gigabytes (one big array shared by many
  // attributes), which is output, not memory the reader may not spend.
  std::string text;
  usdkit::UsdaWriteOptions writeOptions;
  writeOptions.sink = [](std::string_view) {};
  (void)usdkit::writeUsda(**layer, text, writeOptions);
  return 0;
}
