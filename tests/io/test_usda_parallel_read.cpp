// Reading a big layer's root prims on several threads (ParallelReader.cpp)
// gives the layer, warnings and errors one thread gives: the same specs in
// the same creation order, the same text, the same messages with the same
// line and column, whatever sits in the text between the statements.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "io/usda/UsdaReader.h"
#include "io/LayerIO.h"

using namespace usdkit;

namespace {

// Root prims `first` .. `first + count - 1`, about 230 bytes each, with
// children, metadata and a few kinds of values.
std::string rootPrims(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    const std::string n = std::to_string(i);
    out += "def Xform \"P" + n + "\" (\n    kind = \"component\"\n)\n{\n";
    out += "    double3 xformOp:translate = (" + n + ", 1.5, -2)\n";
    out += "    uniform token[] xformOpOrder = [\"xformOp:translate\"]\n\n";
    out += "    def Sphere \"S\"\n    {\n        double radius = " + n + "\n    }\n}\n\n";
  }
  return out;
}

constexpr int kPrims = 30000;  // about 6 MB: past the size that is read in parallel

struct Read {
  bool ok = false;
  std::string text;                 // the layer's usda text, or the error
  std::vector<std::string> warnings;
  std::vector<std::string> order;   // spec paths in creation order
};

Read readWith(const std::string& usda, unsigned threads) {
  Read r;
  UsdaReadOptions options;
  options.threads = threads;
  options.warnings = &r.warnings;
  auto layer = readUsda(usda, "big.usda", options);
  if (!layer) {
    r.text = layer.error().message;
    return r;
  }
  r.ok = true;
  auto text = exportToString(**layer);
  REQUIRE(text.ok());
  r.text = *text;
  (*layer)->forEachSpec([&](const Path& p, const Spec&) { r.order.push_back(p.string()); });
  return r;
}

// Reads `usda` on 1, 2 and 4 threads; everything must be the same.
Read sameOnAllThreadCounts(const std::string& usda) {
  const Read one = readWith(usda, 1);
  for (unsigned threads : {2u, 4u}) {
    INFO("threads: " << threads);
    const Read many = readWith(usda, threads);
    CHECK(many.ok == one.ok);
    CHECK(many.text == one.text);
    CHECK(many.warnings == one.warnings);
    CHECK(many.order == one.order);
  }
  return one;
}

}  // namespace

TEST_CASE("parallel usda read: a big layer reads the same on every thread count") {
  const std::string usda = "#usda 1.0\n(\n    defaultPrim = \"P0\"\n)\n\n" + rootPrims(0, kPrims);
  const Read r = sameOnAllThreadCounts(usda);
  REQUIRE(r.ok);
  CHECK(r.order.size() == 1 + 5 * kPrims);  // the pseudo-root; each prim, its child and their three properties
  CHECK(r.text == usda);  // the generated text is in the writer's form
}

TEST_CASE("parallel usda read: brackets, quotes and keywords inside strings, assets, paths and comments") {
  const std::string tricky =
      "def \"Tricky\" (\n"
      "    doc = \"\"\"a } in a long string\n}\n\ndef \"Fake\" {\n}\n\"\"\"\n"
      "    customData = {\n        string s = \"}{)(][\"\n        asset a = @./x{y}.usda@\n"
      "        asset b = @@@odd\"}name@@@\n        string q = 'it\\'s \"}\"'\n    }\n"
      ")\n{\n    rel r = </Tricky/Child>\n    # } a comment\n    /* { */ custom int k = 1 // }\n"
      "    variantSet \"v\" = {\n        \"x\" {\n            def \"Child\"\n            {\n            }\n        }\n    }\n"
      "}\n\n";
  const std::string usda = "#usda 1.0\n\n" + rootPrims(0, kPrims / 2) + tricky + rootPrims(kPrims / 2, kPrims / 2) +
                           "# a comment after the last statement }\n";
  const Read r = sameOnAllThreadCounts(usda);
  REQUIRE(r.ok);
  CHECK(r.text.find("def \"Fake\"\n") == std::string::npos);  // stayed inside the string
  CHECK(r.text.find("</Tricky/Child>") != std::string::npos);
}

TEST_CASE("parallel usda read: errors and warnings in a later piece are the one-thread reader's") {
  SECTION("a syntax error") {
    const std::string usda = "#usda 1.0\n" + rootPrims(0, kPrims) + "def \"Bad\"\n{\n    double = 1\n}\n" +
                             rootPrims(kPrims, 100);
    const Read r = sameOnAllThreadCounts(usda);
    CHECK(!r.ok);
    CHECK(r.text.find("big.usda:") != std::string::npos);
  }
  SECTION("an unclosed prim at the end") {
    const Read r = sameOnAllThreadCounts("#usda 1.0\n" + rootPrims(0, kPrims) + "def \"Open\"\n{\n");
    CHECK(!r.ok);
  }
  SECTION("a warning (an integer out of range) keeps its line") {
    const std::string usda = "#usda 1.0\n" + rootPrims(0, kPrims) +
                             "def \"W\"\n{\n    double big = 99999999999999999999999\n}\n\n" + rootPrims(kPrims, 100);
    const Read r = sameOnAllThreadCounts(usda);
    CHECK(r.ok);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("on line " + std::to_string(13 * kPrims + 4)) != std::string::npos);
  }
  SECTION("a root prim defined twice, in different pieces") {
    const std::string usda = "#usda 1.0\n" + rootPrims(0, kPrims) + rootPrims(0, 1);
    const Read r = sameOnAllThreadCounts(usda);
    CHECK(!r.ok);
    CHECK(r.text.find("Duplicate prim 'P0'") != std::string::npos);
  }
  SECTION("a root reorder statement between prims") {
    const std::string usda = "#usda 1.0\n" + rootPrims(0, kPrims / 2) + "reorder rootPrims = [\"P1\", \"P0\"]\n\n" +
                             rootPrims(kPrims / 2, kPrims / 2);
    const Read r = sameOnAllThreadCounts(usda);
    CHECK(r.ok);
  }
  SECTION("two statements on one line") {
    const std::string usda = "#usda 1.0\n" + rootPrims(0, kPrims) + "def \"A\" {\n} def \"B\" {\n}\n";
    const Read r = sameOnAllThreadCounts(usda);
    CHECK(!r.ok);
  }
}
