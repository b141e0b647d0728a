// Hostile and extreme content for crate files and paths: very long paths
// (costs linear in their length), tables the crate format cannot express
// (refused before a file exists), nesting bounds shared by the writers and
// the reader, and files named .usdc that are not crate files.
#include <catch2/catch.hpp>

#include "TempDirectory.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <unistd.h>

#include "io/LayerIO.h"
#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"

using namespace usdkit;
using usdkit::testing::TempDirectory;

namespace {

namespace fs = std::filesystem;


void writeFile(const fs::path& p, std::string_view bytes) { std::ofstream(p, std::ios::binary) << bytes; }

std::unique_ptr<Layer> parse(std::string_view text) {
  auto layer = readUsda(text, "test.usda");
  REQUIRE(layer.ok());
  return std::move(layer.value());
}

std::string usdaOf(const Layer& layer) {
  auto text = writeUsdaToString(layer);
  REQUIRE(text.ok());
  return *text;
}

std::shared_ptr<Layer> readBack(const std::string& bytes) {
  auto layer = readCrate(bytes, nullptr, "back.usdc");
  if (!layer.ok()) FAIL(layer.error().message);
  return *layer;
}

// "/p0/p1/.../p{n-1}", built as text.
std::string deepPathText(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += "/p" + std::to_string(i % 10);
  return text;
}

Path deepPath(std::size_t n) {
  auto p = Path::parse(deepPathText(n));
  REQUIRE(p.has_value());
  return *p;
}

// A layer with one relationship /A.rel targeting `target`.
std::unique_ptr<Layer> relationshipTo(const Path& target) {
  auto layer = parse("#usda 1.0\ndef \"A\"\n{\n    rel rel = </A>\n}\n");
  Spec* rel = layer->findSpec(*Path::parse("/A.rel"));
  REQUIRE(rel != nullptr);
  PathListOp op;
  op.clearAndMakeExplicit();
  op.explicitItems = {target};
  rel->set(Token("targetPaths"), Value(op));
  return layer;
}

Value nestedDictionary(int depth) {
  Dictionary inner;
  inner.entries.emplace("leaf", Value(std::int32_t{1}));
  Value value{inner};
  for (int i = 1; i < depth; ++i) {
    Dictionary outer;
    outer.entries.emplace("d", std::move(value));
    value = Value(std::move(outer));
  }
  return value;
}

// Written as crate 0.8.0 and 0.0.1, the layer reads back as itself.
void checkRoundTripsAsOldAndNewCrate(const Layer& layer) {
  for (const char* version : {"0.8.0", "0.0.1"}) {
    CrateWriteOptions options;
    options.version = *parseCrateVersion(version);
    auto bytes = writeCrate(layer, options);
    REQUIRE(bytes.ok());
    CHECK(usdaOf(*readBack(*bytes)) == usdaOf(layer));
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Long paths

TEST_CASE("a 100000-element path is parsed and taken apart in linear space", "[crate-hostile][path]") {
  // Each prefix interned with its own full text would take 100,000 texts of
  // up to 300 KB (gigabytes); the chain of nodes now adds up to a few times
  // the text.
  const std::string text = deepPathText(100000);
  const Path p = deepPath(100000);
  CHECK(p.string() == text);
  CHECK(p.isPrimPath());
  CHECK(*Path::parse(text) == p);  // one path, however it is made

  const Path parent = p.parent();
  CHECK(parent.string() == text.substr(0, text.size() - 3));
  CHECK(p.hasPrefix(parent));
  CHECK(parent.appendChild("p9") == p);
  CHECK(p.appendProperty("x").parent() == p);
  CHECK(p.name() == "p9");
  // Equal texts made different ways are one path.
  CHECK(Path::fromCanonical(std::string(text)) == p);
  CHECK(deepPath(3000).appendChild("q").parent() == deepPath(3000));
}

TEST_CASE("specs at long paths are found from their text", "[crate-hostile][path]") {
  auto layer = parse("#usda 1.0\n");
  Path p = Path::absoluteRoot();
  for (int i = 0; i < 1500; ++i) {
    p = p.appendChild("prim" + std::to_string(i % 7));
    layer->createSpec(p, SpecType::Prim);
  }
  const std::string text = p.string(), parentText = p.parent().string();
  CHECK(layer->findSpec(*Path::parse(text)) == layer->findSpec(p));
  CHECK(layer->findSpec(*Path::parse(parentText)) == layer->findSpec(p.parent()));
  CHECK(layer->findSpec(p) != nullptr);
  CHECK(layer->findSpec(*Path::parse(text + "/missing")) == nullptr);
}

TEST_CASE("a relationship target of 100000 elements round-trips through crate", "[crate-hostile][path]") {
  const Path target = deepPath(100000);
  auto layer = relationshipTo(target);
  auto bytes = writeCrate(*layer);
  REQUIRE(bytes.ok());
  auto back = readBack(*bytes);
  const Spec* rel = back->findSpec(*Path::parse("/A.rel"));
  REQUIRE(rel != nullptr);
  const PathListOp* op = rel->getAs<PathListOp>(Token("targetPaths"));
  REQUIRE(op != nullptr);
  REQUIRE(op->explicitItems.size() == 1);
  CHECK(op->explicitItems[0] == target);
  CHECK(usdaOf(*back) == usdaOf(*layer));
}

TEST_CASE("crate path tables keep OpenUSD's order for mixed path kinds", "[crate-hostile][path]") {
  auto layer = parse(R"(#usda 1.0
def "A" (
    variants = {
        string v = "x"
    }
    prepend variantSets = "v"
)
{
    rel r = [</A/B.attr>, </A.r[/T].a>]
    custom double attr.connect = </A/B.attr>
    def "B"
    {
        double attr
    }
    variantSet "v" = {
        "x" {
            def "C"
            {
                double d
            }
        }
    }
}
)");
  checkRoundTripsAsOldAndNewCrate(*layer);
}

TEST_CASE("crate path tables of paths longer than 2048 bytes keep their order and targets", "[crate-hostile][path]") {
  // Siblings, properties and targets below long ancestors must come out in
  // OpenUSD's order and read back.
  const std::string longName(300, 'x');
  std::string usda = "#usda 1.0\n";
  std::string path, close;
  for (int d = 0; d < 12; ++d) {
    const std::string name = std::string(1, static_cast<char>('a' + d)) + longName;
    const std::string ancestor = path;
    path.append("/").append(name);
    usda.append("def \"").append(name).append("\"\n{\n    custom double p\n    custom double a");
    usda.append(std::to_string(d)).append("\n");
    if (d >= 7) {
      usda.append("    rel r = [");
      for (const std::string& target : {path + ".p", path + ".r[" + ancestor + "].ra", path + ".r[/S].rb",
                                        path + ".r[/S/T].rc", path + "/b", path + "/a.q", ancestor})
        usda.append("<").append(target).append(">, ");
      usda.append("</S>]\n");
      usda.append("    def \"b\"\n    {\n    }\n    def \"a\"\n    {\n        custom double q\n    }\n");
    }
    close += "}\n";
  }
  usda += close + "def \"S\"\n{\n    def \"T\"\n    {\n    }\n}\n";
  auto layer = parse(usda);
  checkRoundTripsAsOldAndNewCrate(*layer);
}

// ---------------------------------------------------------------------------
// Tables the crate format cannot express

TEST_CASE("the crate writer refuses tokens and strings with NUL bytes", "[crate-hostile][selfcheck]") {
  auto layer = parse("#usda 1.0\ndef \"A\"\n{\n}\n");
  layer->findSpec(*Path::parse("/A"))->set(Token("documentation"), Value(std::string("before\0after", 12)));
  auto bytes = writeCrate(*layer);
  REQUIRE_FALSE(bytes.ok());
  CHECK_THAT(bytes.error().message, Catch::Contains("NUL byte"));

  // Through saveLayer: exit with an error and no file.
  TempDirectory dir;
  const std::string out = (dir.path / "out.usdc").string();
  auto saved = saveLayer(*layer, out);
  CHECK_FALSE(saved.ok());
  CHECK_FALSE(fs::exists(out));

  auto tokenLayer = parse("#usda 1.0\ndef \"A\"\n{\n    token t = \"x\"\n}\n");
  tokenLayer->findSpec(*Path::parse("/A.t"))->set(Token("default"), Value(Token(std::string_view("a\0b", 3))));
  CHECK_FALSE(writeCrate(*tokenLayer).ok());
}

TEST_CASE("the crate writer refuses paths that would not read back as themselves", "[crate-hostile][selfcheck]") {
  // Text that is no path's, made into a Path without the grammar's check
  // (fromCanonical trusts its input), must not reach a file. (A trailing
  // separator is no such case: it adds no element, so "/A/" is /A.)
  const std::string longName(3000, 'x');
  for (const std::string& text : {std::string("/A/b c"), std::string("/A.x/B"), std::string("/A/B.x.y.z"),
                                  std::string("/A/1B"), std::string("/A//B"), std::string("/[x]"),
                                  std::string("/A{v=x"), "/" + longName + "/b c", "/" + longName + ".x/B",
                                  "/" + longName + "//B", "/" + longName + ".r[/T"}) {
    INFO(text);
    auto layer = relationshipTo(Path::fromCanonical(text));
    auto bytes = writeCrate(*layer);
    CHECK_FALSE(bytes.ok());
    if (!bytes.ok())
      CHECK_THAT(bytes.error().message, Catch::Contains("would not read back") || Catch::Contains("not an absolute path"));
  }
  // Valid paths of every kind still write.
  for (const std::string& text : {std::string("/A/B"), std::string("/A.x"), std::string("/A.rel[/T].attr"),
                                  std::string("/A{v=x}B.c"), std::string("/A.a.mapper[/B.b]"), std::string("/A.x:y:z"),
                                  "/" + longName + "/B", "/" + longName + ".rel[/T].attr", "/A{v=x}" + longName + ".c",
                                  "/" + longName + ".a.mapper[/B.b]", "/A.a.mapper[/" + longName + ".b]"}) {
    INFO(text.substr(0, 100));
    auto layer = relationshipTo(*Path::parse(text));
    auto bytes = writeCrate(*layer);
    REQUIRE(bytes.ok());
    CHECK(usdaOf(*readBack(*bytes)) == usdaOf(*layer));
  }
}

// ---------------------------------------------------------------------------
// Nesting

TEST_CASE("the crate writer writes no nesting the crate reader refuses", "[crate-hostile][nesting]") {
  for (int depth = 1; depth <= 80; ++depth) {
    INFO("depth " << depth);
    auto layer = parse("#usda 1.0\ndef \"A\"\n{\n}\n");
    layer->findSpec(*Path::parse("/A"))->set(Token("customData"), nestedDictionary(depth));
    auto bytes = writeCrate(*layer);
    if (!bytes.ok()) {
      CHECK_THAT(bytes.error().message, Catch::Contains("nested more than"));
      CHECK(depth > 32);  // real dictionaries are far shallower
      continue;
    }
    auto back = readCrate(*bytes, nullptr, "nested.usdc");
    if (!back.ok()) FAIL(back.error().message);
    CHECK(usdaOf(**back) == usdaOf(*layer));
  }
}

TEST_CASE("the usda writer refuses dictionaries nested too deep to write", "[crate-hostile][nesting]") {
  auto layer = parse("#usda 1.0\ndef \"A\"\n{\n}\n");
  layer->findSpec(*Path::parse("/A"))->set(Token("customData"), nestedDictionary(5000));
  auto text = writeUsdaToString(*layer);
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message, Catch::Contains("customData"));
  CHECK_THAT(text.error().message, Catch::Contains("</A>"));

  auto fine = parse("#usda 1.0\ndef \"A\"\n{\n}\n");
  fine->findSpec(*Path::parse("/A"))->set(Token("customData"), nestedDictionary(100));
  CHECK(writeUsdaToString(*fine).ok());
}

// ---------------------------------------------------------------------------
// Files named .usdc that are no crate files

TEST_CASE("an empty or all-NUL .usdc is reported as an invalid crate file", "[crate-hostile][sniff]") {
  TempDirectory dir;
  const std::string empty = (dir.path / "empty.usdc").string();
  const std::string zeros = (dir.path / "zeros.usdc").string();
  const std::string text = (dir.path / "text.usdc").string();
  writeFile(empty, "");
  writeFile(zeros, std::string(200, '\0'));
  writeFile(text, "#usda 1.0\ndef \"A\"\n{\n}\n");
  for (const std::string& file : {empty, zeros}) {
    INFO(file);
    auto layer = openLayer(file);
    REQUIRE_FALSE(layer.ok());
    const std::string& m = layer.error().message;
    CHECK_THAT(m, Catch::StartsWith(file + ": "));
    CHECK_THAT(m, Catch::Contains("not a valid crate file"));
    CHECK_THAT(m, Catch::Contains("'PXR-USDC' magic at byte offset 0"));
    CHECK_THAT(m, !Catch::Contains("usda"));
  }
  // usda text in a .usdc is still read (sniffed), as before.
  CHECK(openLayer(text).ok());
}

TEST_CASE("derived children fields from text metadata are dropped with a warning, not silently",
          "[crate-hostile][selfcheck]") {
  // Crate files never store targetChildren / connectionChildren (they are
  // derived from the targets, as in OpenUSD); as layer metadata from text
  // they cannot be kept, and the writer says so.
  auto layer = parse("#usda 1.0\n(\n    targetChildren = 3\n)\ndef \"A\" {\n    rel r = </A>\n}\n");
  std::vector<std::string> warnings;
  CrateWriteOptions options;
  options.warnings = &warnings;
  auto bytes = writeCrate(*layer, options);
  REQUIRE(bytes.ok());
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("field 'targetChildren' of </> is not written"));
  // The relationship's own (derived) targetChildren is not warned about and
  // comes back from its targets.
  auto shared = std::make_shared<const std::string>(std::move(*bytes));
  auto back = readCrate(*shared, shared, "back.usdc");
  REQUIRE(back.ok());
  const Spec* rel = (*back)->findSpec(*Path::parse("/A.r"));
  REQUIRE(rel != nullptr);
  CHECK((*back)->pseudoRoot().get(Token("targetChildren")) == nullptr);
}
