// Values, specs and the layer's spec index.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sdf/Fields.h"
#include "sdf/Layer.h"
#include "sdf/Schema.h"
#include "sdf/ValueTypeRegistry.h"

using namespace usdkit;

TEST_CASE("values hold each type and compare by content", "[value]") {
  Value empty;
  CHECK(empty.empty());
  Value i(std::int32_t{7});
  CHECK(i.is<std::int32_t>());
  CHECK_FALSE(i.is<std::int64_t>());
  CHECK(i.get<std::int32_t>() == 7);
  CHECK(i.getIf<float>() == nullptr);

  Value s(std::string("text"));
  CHECK(s.get<std::string>() == "text");
  CHECK(s == Value(std::string("text")));
  CHECK_FALSE(s == Value(Token("text")));  // same text, different type

  Value arr(std::vector<Vec3f>{{{1, 2, 3}}, {{4, 5, 6}}});
  CHECK(arr.isArray());
  ValueKind kind{};
  bool isArray = false;
  REQUIRE(arr.scalarKind(&kind, &isArray));
  CHECK(kind == ValueKind::Vec3f);
  CHECK(isArray);
  // Copies share the immutable block.
  Value copy = arr;
  CHECK(copy.sharedIdentity() == arr.sharedIdentity());
  CHECK(copy == arr);
  CHECK_FALSE(Value(std::vector<Vec3f>{{{1, 2, 3}}}) == arr);

  Dictionary d;
  d.entries["a"] = Value(1.5);
  d.entries["nested"] = Value(Dictionary{{{"x", Value(true)}}});
  Value dv(d);
  CHECK(dv.get<Dictionary>().entries.at("nested").get<Dictionary>().entries.at("x").get<bool>());
  CHECK_FALSE(Value(ValueBlock{}).isArray());
}

TEST_CASE("reference equality treats empty and missing customData alike", "[value]") {
  Reference a{"a.usda", Path::fromCanonical("/A"), {}, nullptr};
  Reference b = a;
  b.customData = std::make_shared<const Dictionary>();
  CHECK(a == b);
  Reference c = a;
  c.customData = std::make_shared<const Dictionary>(Dictionary{{{"k", Value(1)}}});
  CHECK_FALSE(a == c);
}

TEST_CASE("type names resolve to kinds, roles and writer names", "[value]") {
  auto p = findValueType("PointFloat[]");
  REQUIRE(p);
  CHECK(p->kind == ValueKind::Vec3f);
  CHECK(p->isArray);
  CHECK(p->serializationName == "point3f[]");
  CHECK(p->role == "Point");
  auto t = findValueType("Transform");
  REQUIRE(t);
  CHECK(t->serializationName == "Transform");  // no modern alias: kept
  CHECK(findValueType("opaque")->isOpaque);
  CHECK_FALSE(findValueType("opaque[]"));
  CHECK_FALSE(findValueType("foobar"));
  CHECK(valueKindName(ValueKind::Matrix4d) == "matrix4d");
  CHECK(valueKindComponents(ValueKind::Quatd) == 4);
}

TEST_CASE("the schema separates metadata from other fields per spec type", "[value]") {
  auto schema = Schema::makeBuiltin();
  Token active("active"), comment("comment"), upAxis("upAxis"), noLoadHint("noLoadHint");
  CHECK(schema->isMetadata(active, SpecType::Prim));
  CHECK(schema->isMetadata(active, SpecType::Variant));
  CHECK_FALSE(schema->isMetadata(active, SpecType::Attribute));
  CHECK_FALSE(schema->isMetadata(comment, SpecType::Prim));
  CHECK(schema->isField(comment, SpecType::Prim));
  CHECK(schema->isMetadata(upAxis, SpecType::PseudoRoot));  // usdGeom plugin metadata
  CHECK(schema->isMetadata(noLoadHint, SpecType::Relationship));
  CHECK_FALSE(schema->isField(noLoadHint, SpecType::Prim));
  CHECK(schema->registerMetadata("myTest", "intlistop", 0, true));
  CHECK(schema->isMetadata(Token("myTest"), SpecType::Attribute));
  CHECK_FALSE(schema->registerMetadata("active", "bool", 0, true));
  CHECK_FALSE(schema->registerMetadata("bad", "nosuchtype", 0, true));
}

TEST_CASE("specs keep fields in insertion order, inline and beyond", "[layer]") {
  Spec spec(SpecType::Prim);
  for (int i = 0; i < 6; ++i) spec.set(Token("f" + std::to_string(i)), Value(std::int32_t{i}));
  REQUIRE(spec.fields().size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(spec.fields()[static_cast<std::size_t>(i)].value.get<std::int32_t>() == i);
  spec.set(Token("f2"), Value(std::int32_t{42}));  // replace keeps the position
  CHECK(spec.fields()[2].value.get<std::int32_t>() == 42);
  CHECK(spec.erase(Token("f0")));
  CHECK_FALSE(spec.erase(Token("f0")));
  CHECK(spec.fields()[0].name == "f1");
  CHECK(spec.fields().size() == 5);

  Spec small(SpecType::Attribute);
  small.set(Token("a"), Value(1.0));
  small.set(Token("b"), Value(2.0));
  CHECK(small.erase(Token("a")));
  REQUIRE(small.fields().size() == 1);
  CHECK(small.getAs<double>(Token("b")));
}

TEST_CASE("the spec index finds, creates and erases by path", "[layer]") {
  Layer layer;
  CHECK(layer.specCount() == 1);  // the pseudo-root
  CHECK(layer.pseudoRoot().type() == SpecType::PseudoRoot);
  std::vector<Path> paths;
  for (int g = 0; g < 50; ++g)
    for (int i = 0; i < 200; ++i)
      paths.push_back(*Path::parse("/G" + std::to_string(g) + "/P" + std::to_string(i) + ".attr"));
  for (const Path& p : paths) {
    auto [spec, isNew] = layer.tryCreateSpec(p, SpecType::Attribute);
    CHECK(isNew);
    spec.set(Token("name"), Value(p.string()));
  }
  CHECK(layer.specCount() == paths.size() + 1);
  CHECK_FALSE(layer.tryCreateSpec(paths[17], SpecType::Attribute).second);

  // Erase a random half; the rest must still be found (backward-shift
  // deletion must not break probe sequences).
  std::mt19937 rng(7);
  std::vector<bool> erased(paths.size());
  for (std::size_t k = 0; k < paths.size(); ++k) {
    if (rng() % 2) {
      CHECK(layer.eraseSpec(paths[k]));
      erased[k] = true;
    }
  }
  std::size_t live = 0;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const Spec* byPath = layer.findSpec(paths[k]);
    // The same path made again from its text finds the same spec.
    const Spec* byText = layer.findSpec(*Path::parse(paths[k].string()));
    if (erased[k]) {
      CHECK(byPath == nullptr);
      CHECK(byText == nullptr);
    } else {
      ++live;
      REQUIRE(byPath);
      CHECK(*byPath->getAs<std::string>(Token("name")) == paths[k].string());
      CHECK(byText == byPath);
    }
  }
  CHECK(layer.specCount() == live + 1);
  CHECK(layer.findSpec(*Path::parse("/NoSuch/Path")) == nullptr);
  std::size_t visited = 0;
  layer.forEachSpec([&](const Path&, const Spec&) { ++visited; });
  CHECK(visited == layer.specCount());
}

TEST_CASE("layers share paths but not specs", "[layer]") {
  Layer a, b;
  const Path p = *Path::parse("/Shared/Prim.attr");
  a.createSpec(p, SpecType::Attribute).set(Token("v"), Value(1.0));
  CHECK(b.findSpec(p) == nullptr);
  CHECK(b.findSpec(*Path::parse(p.string())) == nullptr);
  b.createSpec(p, SpecType::Attribute).set(Token("v"), Value(2.0));
  CHECK(*a.findSpec(p)->getAs<double>(Token("v")) == 1.0);
  CHECK(*b.findSpec(p)->getAs<double>(Token("v")) == 2.0);
  CHECK(a.eraseSpec(p));
  CHECK_FALSE(a.eraseSpec(p));
  CHECK(a.findSpec(p) == nullptr);
  REQUIRE(b.findSpec(p));
  CHECK(*b.findSpec(p)->getAs<double>(Token("v")) == 2.0);
  auto [again, isNew] = a.tryCreateSpec(p, SpecType::Attribute);
  CHECK(isNew);
  CHECK(again.fields().empty());
  // A path made after both layers existed is found like any other.
  const Path late = *Path::parse("/Late/Made/After");
  CHECK(a.findSpec(late) == nullptr);
  a.createSpec(late, SpecType::Prim);
  CHECK(a.findSpec(*Path::parse("/Late/Made/After")) == a.findSpec(late));
  CHECK(b.findSpec(late) == nullptr);
}

TEST_CASE("lookups of siblings of every element kind below one parent", "[layer]") {
  // Paths made by the append functions and paths parsed from text find the
  // same specs, for every element kind and for names that only look like
  // they continue another path.
  Layer layer;
  const std::vector<std::string> made = {
      "/A/B",         "/A/B.x",          "/A/B.y",          "/A/B/C",            "/A/B/D",    "/A/B.a:b",
      "/A/BB",        "/A/BB.x",         "/A/Bxy",          "/A/Bx.y",           "/A/B{v=a}", "/A/B{v=a}C",
      "/A/B{v=a}D",   "/A/B{v=a}C.p",    "/A/B.rel[/T]",    "/A/B.rel[/T].ra",   "/A/B.rel[/T].rb",
      "/A/B/C.z",     "/A/B.x.expression", "/A/B.mapper",   "rel/B",             "rel/B.x",   "rel/B/C"};
  for (const std::string& t : made) {
    std::optional<Path> p = Path::parse(t);
    REQUIRE(p);
    layer.createSpec(*p, SpecType::Prim);
  }
  std::vector<std::string> texts = made;
  for (const char* missing : {"/A/B.nope", "/A/B/Nope", "/A/B{v=b}", "/A/BBB", "/A/B.rel[/U]", "/A/B{v=a}E"})
    texts.push_back(missing);
  for (const std::string& t : texts) {
    INFO(t);
    std::optional<Path> p = Path::parse(t);
    REQUIRE(p);
    const bool exists = std::find(made.begin(), made.end(), t) != made.end();
    CHECK((layer.findSpec(*p) != nullptr) == exists);
  }
  const Path b = *Path::parse("/A/B");
  CHECK(layer.findSpec(b.appendChild("C")) == layer.findSpec(*Path::parse("/A/B/C")));
  CHECK(layer.findSpec(b.appendProperty("a:b")) == layer.findSpec(*Path::parse("/A/B.a:b")));
  CHECK(layer.findSpec(b.appendVariantSelection("v", "a").appendChild("C").appendProperty("p")) ==
        layer.findSpec(*Path::parse("/A/B{v=a}C.p")));
  CHECK(layer.findSpec(b.appendProperty("rel").appendTarget(*Path::parse("/T")).appendRelationalAttribute("ra")) ==
        layer.findSpec(*Path::parse("/A/B.rel[/T].ra")));
  CHECK(layer.findSpec(b.appendProperty("x").appendExpression()) != nullptr);
  CHECK(layer.findSpec(b.appendVariantSelection("v", "b")) == nullptr);
  CHECK(layer.findSpec(b.appendChild("Nope")) == nullptr);
}

TEST_CASE("lookups mix parents, roots and unknown paths", "[layer]") {
  Layer layer;
  const char* made[] = {"/G0", "/G0/P1", "/G0/P1.attr", "/G1/P2.attr", "rel/A"};
  for (const char* t : made) layer.createSpec(*Path::parse(t), SpecType::Prim);
  auto find = [&](std::string_view t) { return layer.findSpec(*Path::parse(t)); };
  CHECK(find("/G0/P1.attr") != nullptr);
  CHECK(find("/G0/P1.attr") == layer.findSpec(Path::absoluteRoot().appendChild("G0").appendChild("P1").appendProperty("attr")));
  CHECK(find("/G1/P2.attr") != nullptr);
  CHECK(find("/") == &layer.pseudoRoot());
  CHECK(find("/G0/P9") == nullptr);
  CHECK(find("") == nullptr);
  CHECK(layer.findSpec(Path()) == nullptr);
  CHECK(find("rel/A") != nullptr);
  CHECK(find(".") == nullptr);
  CHECK(find("/Never/Made/X") == nullptr);
}
