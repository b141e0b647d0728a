// Composition work along long chains of arcs (issue 12, "hostile input"):
// flattening must cost in proportion to the input, and chains longer than
// the composition bounds are cut with an error instead of exhausting the
// stack. Work is measured in retired instructions (not time), so the test
// does not depend on the machine's speed or load.
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <optional>

#include "../compose/ComposeTestSupport.h"
#include "compose/PrimIndex.h"
#include "io/LayerIO.h"
#include "stage/Flatten.h"

using namespace usdkit;

namespace {

// User-space instructions retired while `work` runs; nullopt when the
// kernel does not let this process count them.
std::optional<std::uint64_t> instructionsFor(const std::function<void()>& work) {
  perf_event_attr attr{};
  attr.type = PERF_TYPE_HARDWARE;
  attr.size = sizeof(attr);
  attr.config = PERF_COUNT_HW_INSTRUCTIONS;
  attr.disabled = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  const int fd = static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
  if (fd < 0) return std::nullopt;
  ::ioctl(fd, PERF_EVENT_IOC_RESET, 0);
  ::ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
  work();
  ::ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
  std::uint64_t count = 0;
  const bool ok = ::read(fd, &count, sizeof(count)) == static_cast<ssize_t>(sizeof(count));
  ::close(fd);
  if (!ok || count == 0) return std::nullopt;
  return count;
}

// Writes a chain of `n` layers into `d`: a0 references (or has as payload,
// or sublayers) a1, a1 a2, ...; each adds one attribute. Returns a0's path.
std::string writeChain(test::SceneDir& d, const std::string& arc, int n) {
  for (int i = 0; i < n; ++i) {
    const std::string next = "@./a" + std::to_string(i + 1) + ".usda@";
    const std::string x = "    double x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
    if (arc == "subLayers") {
      d.write("a" + std::to_string(i) + ".usda",
              (i + 1 < n ? "(\n    subLayers = [" + next + "]\n)\n" : std::string()) + "over \"P\" {\n" + x + "}\n");
    } else {
      d.write("a" + std::to_string(i) + ".usda",
              "(\n    defaultPrim = \"P" + std::to_string(i) + "\"\n)\ndef \"P" + std::to_string(i) + "\" (\n" +
                  (i + 1 < n ? "    prepend " + arc + " = " + next + "\n" : std::string()) + ") {\n" + x + "}\n");
    }
  }
  return d.path() + "/a0.usda";
}

// A prim with variant set v0 whose selected variant holds set v1, ... `n`
// deep, each variant adding one attribute.
std::string writeNestedVariants(test::SceneDir& d, int n) {
  std::string head, tail;
  for (int i = 0; i < n; ++i) {
    const std::string next = std::to_string(i + 1);
    head += "variantSet \"v" + std::to_string(i) + "\" = {\n\"x\" (\n";
    if (i + 1 < n) head += "variants = { string v" + next + " = \"x\" }\nprepend variantSets = \"v" + next + "\"\n";
    head += ") {\ndouble x" + std::to_string(i) + " = 1\n";
    tail += "}\n}\n";
  }
  return d.write("a0.usda", "def \"P\" (\n    variants = { string v0 = \"x\" }\n    prepend variantSets = \"v0\"\n) {\n" +
                                head + tail + "}\n");
}

std::optional<std::uint64_t> flattenInstructions(const std::string& root, std::size_t* attributes = nullptr) {
  return instructionsFor([&] {
    FlattenRequest request;
    request.rootLayer = root;
    auto result = flatten(request);
    REQUIRE(result.ok());
    auto text = exportToString(*result->layer);
    REQUIRE(text.ok());
    if (attributes) {
      *attributes = 0;
      for (std::size_t at = text->find("double x"); at != std::string::npos; at = text->find("double x", at + 1))
        ++*attributes;
    }
  });
}

// Flattening a chain 4 times as long costs about 4 times the work when
// composition is linear (16 times when quadratic); 6 leaves room for
// what does not scale.
void checkLinear(const std::function<std::string(test::SceneDir&, int)>& write, int n) {
  test::SceneDir small, large;
  const std::string a = write(small, n), b = write(large, 4 * n);
  std::size_t attrsSmall = 0, attrsLarge = 0;
  flattenInstructions(a);  // warm up allocators and tables
  const auto workSmall = flattenInstructions(a, &attrsSmall);
  const auto workLarge = flattenInstructions(b, &attrsLarge);
  CHECK(attrsSmall == static_cast<std::size_t>(n));
  CHECK(attrsLarge == static_cast<std::size_t>(4 * n));
  if (!workSmall || !workLarge) {
    WARN("instruction counters are not available here; the growth of the work is not checked");
    return;
  }
  const double ratio = static_cast<double>(*workLarge) / static_cast<double>(*workSmall);
  INFO("instructions: " << *workSmall << " for " << n << ", " << *workLarge << " for " << 4 * n);
  CHECK(ratio < 6.0);
}

}  // namespace

TEST_CASE("compose scaling: flattening a chain of references, payloads or sublayers is linear in its length") {
  SECTION("references") { checkLinear([](test::SceneDir& d, int n) { return writeChain(d, "references", n); }, 500); }
  SECTION("payloads") { checkLinear([](test::SceneDir& d, int n) { return writeChain(d, "payload", n); }, 500); }
  SECTION("sublayers") { checkLinear([](test::SceneDir& d, int n) { return writeChain(d, "subLayers", n); }, 500); }
}

TEST_CASE("compose scaling: flattening variant sets nested in variants is linear in their depth") {
  checkLinear(writeNestedVariants, 100);
}

TEST_CASE("compose scaling: a chain of arcs past the index capacity is cut with one error naming the site") {
  test::SceneDir d;
  const std::string root = writeChain(d, "references", 40);
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexOptions options;
  options.maxIndexNodes = 10;
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  const PrimIndex& index = cache.get(*Path::parse("/P0"));
  CHECK(index.nodes().size() == 10);
  REQUIRE(index.errors().size() == 1);
  CHECK(index.errors()[0].kind == CompositionErrorKind::CapacityExceeded);
  CHECK(index.errors()[0].message.find("more than 10 nodes") != std::string::npos);
  CHECK(index.errors()[0].message.find("a9.usda@</P9>") != std::string::npos);
  CHECK(index.errors()[0].message.find("a10.usda@</P10>") != std::string::npos);
}

TEST_CASE("compose scaling: arcs to non-root prims nest only as deep as the bound, with an error") {
  // a_i's </P/Q> references a_{i+1}'s </P/Q>: each arc's target has an
  // ancestor, composed by a nested build.
  test::SceneDir d;
  const int n = 30;
  for (int i = 0; i < n; ++i) {
    const std::string ref =
        i + 1 < n ? "(\n        references = @./a" + std::to_string(i + 1) + ".usda@</P/Q>\n    )" : std::string();
    d.write("a" + std::to_string(i) + ".usda",
            "def \"P\" {\n    def \"Q\" " + ref + " {\n        double x" + std::to_string(i) + " = 1\n    }\n}\n");
  }
  const std::string root = d.path() + "/a0.usda";
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexOptions options;
  options.maxNestedBuilds = 5;
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  const PrimIndex& index = cache.get(*Path::parse("/P/Q"));
  REQUIRE(index.errors().size() == 1);
  CHECK(index.errors()[0].kind == CompositionErrorKind::CapacityExceeded);
  CHECK(index.errors()[0].message.find("arcs nested more than 5 deep") != std::string::npos);
  CHECK(index.primStack().size() == 6);
}
