#include <catch2/catch.hpp>

#include "ComposeTestSupport.h"
#include "compose/PrimIndex.h"
#include "compose/PropertyIndex.h"
#include "compose/VariableExpressions.h"

using namespace usdkit;

namespace {

struct Stage {
  explicit Stage(const std::string& root)
      : registry(AssetResolver::forRootLayer(root)), stacks(registry), cache(stacks, *stacks.open(root)) {}
  LayerRegistry registry;
  LayerStackCache stacks;
  PrimIndexCache cache;

  // "layer-file-name path" per prim-stack entry, strongest first.
  std::vector<std::string> primStack(const char* path) {
    std::vector<std::string> out;
    for (const PrimStackEntry& e : cache.get(*Path::parse(path)).primStack()) {
      const std::string& id = e.layer->identifier();
      out.push_back(id.substr(id.rfind('/') + 1) + " " + e.path.string());
    }
    return out;
  }
};

std::vector<std::string> strings(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) out.push_back(t.string());
  return out;
}

}  // namespace

TEST_CASE("prim index: LIVRPS strength order") {
  test::SceneDir d;
  d.write("ref.usda", R"(
def "Ref"
{
    def "FromRef"
    {
    }
}
)");
  d.write("payload.usda", R"(
def "Pay" {}
)");
  std::string root = d.write("root.usda", R"(
class "Class" {}
def "Special" {}
def "P" (
    inherits = </Class>
    specializes = </Special>
    references = @./ref.usda@</Ref>
    payload = @./payload.usda@</Pay>
    variantSets = "v"
    variants = { string v = "x" }
)
{
    variantSet "v" = {
        "x" {
            def "FromVariant"
            {
            }
        }
    }
}
)");
  Stage stage(root);
  CHECK(stage.primStack("/P") == std::vector<std::string>{"root.usda /P", "root.usda /Class", "root.usda /P{v=x}",
                                                          "ref.usda /Ref", "payload.usda /Pay", "root.usda /Special"});
  const PrimIndex& index = stage.cache.get(*Path::parse("/P"));
  CHECK(index.variantSelections() == std::vector<std::pair<std::string, std::string>>{{"v", "x"}});
  // Child names: weakest opinions first.
  CHECK(strings(index.childNames()) == std::vector<std::string>{"FromRef", "FromVariant"});
  CHECK(index.errors().empty());
  // The reference node's map takes /Ref to /P.
  bool found = false;
  for (const PrimIndexNode& n : index.nodes())
    if (n.arcType == ArcType::Reference) {
      found = true;
      CHECK(n.mapToRoot.mapSourceToTarget(*Path::parse("/Ref/FromRef")) == *Path::parse("/P/FromRef"));
    }
  CHECK(found);
}

TEST_CASE("prim index: ancestral references, implied inherits, reference offsets") {
  test::SceneDir d;
  d.write("model.usda", R"(
class "_class_Model"
{
    def "Geom"
    {
    }
}
def "Model" (
    inherits = </_class_Model>
)
{
}
)");
  std::string root = d.write("root.usda", R"(
over "_class_Model"
{
}
def "World"
{
    def "M" (
        references = @./model.usda@</Model> (offset = 12)
    )
    {
    }
}
)");
  Stage stage(root);
  // The class opinion in the referencing layer stack is implied and beats
  // the referenced opinions.
  CHECK(stage.primStack("/World/M") ==
        std::vector<std::string>{"root.usda /World/M", "root.usda /_class_Model", "model.usda /Model",
                                 "model.usda /_class_Model"});
  CHECK(stage.primStack("/World/M/Geom") == std::vector<std::string>{"model.usda /_class_Model/Geom"});
  const PrimIndex& geom = stage.cache.get(*Path::parse("/World/M/Geom"));
  for (const PrimIndexNode& n : geom.nodes())
    if (n.arcType == ArcType::Reference) CHECK(n.mapToRoot.timeOffset() == LayerOffset{12, 1});
}

TEST_CASE("prim index: classes implied across a relocation keep the strength of their origins") {
  // A rig of limbs where Left and Right inherit Base; a character
  // references the rig, relocates Left out to its Controls and inherits a
  // class with overs for the limbs; a shot references the character and
  // has overs on the same class.
  test::SceneDir d;
  d.write("limbs.usda", R"(
def "Limbs"
{
    def "Base"
    {
    }
    def "Left" (
        inherits = </Limbs/Base>
    )
    {
    }
    def "Right" (
        inherits = </Limbs/Base>
    )
    {
    }
}
)");
  d.write("char.usda", R"(
(
    relocates = {
        </Char/Limbs/Left>: </Char/Controls/LeftCtl>
    }
)
def "Char" (
    inherits = </_class_Char>
)
{
    def "Limbs" (
        references = @./limbs.usda@</Limbs>
    )
    {
    }
    def "Controls"
    {
    }
}
class "_class_Char"
{
    over "Limbs"
    {
        over "Base"
        {
        }
        over "Left"
        {
        }
    }
}
)");
  std::string root = d.write("shot.usda", R"(
def "Hero" (
    references = @./char.usda@</Char>
)
{
}
class "_class_Char"
{
    over "Limbs"
    {
        over "Base"
        {
        }
        over "Left"
        {
        }
        over "Right"
        {
        }
    }
    over "Controls"
    {
        over "LeftCtl"
        {
        }
    }
}
)");
  Stage stage(root);
  // Why shot.usda's class for Base comes before its class for Left, as in
  // OpenUSD: the relocation source /Char/Limbs/Left is composed on its own,
  // and there Left's inherit of Base (through the limbs reference) is
  // implied onto the source's root. Mapped back it names the source itself,
  // so it is an inert placeholder; as an arc authored at depth 3 it is
  // stronger than the ancestral inherit of /_class_Char/Limbs/Left (depth
  // 1) under the same relocate node. Both are implied on to /Char/Controls/
  // LeftCtl (Base's as /Char/Limbs/Base, which inherits /_class_Char/Limbs/
  // Base) with those two as origins, and from there to the shot: equal
  // depths (3), so the stronger origin decides, Base's. The shot's
  // ancestral class opinion at depth 1 comes after both. In char.usda,
  // Base's class is an inherit (under the implied /Char/Limbs/Base) and
  // Left's comes through the relocate node, weaker; the rig's own opinions
  // are last, the inherited Base after Left.
  CHECK(stage.primStack("/Hero/Controls/LeftCtl") ==
        std::vector<std::string>{"shot.usda /_class_Char/Limbs/Base", "shot.usda /_class_Char/Limbs/Left",
                                 "shot.usda /_class_Char/Controls/LeftCtl", "char.usda /_class_Char/Limbs/Base",
                                 "char.usda /_class_Char/Limbs/Left", "limbs.usda /Limbs/Left",
                                 "limbs.usda /Limbs/Base"});
  // The limb that stays in place: the class of Base is implied at depth 3,
  // ahead of the ancestral class of Right (depth 1).
  CHECK(stage.primStack("/Hero/Limbs/Right") ==
        std::vector<std::string>{"shot.usda /_class_Char/Limbs/Base", "shot.usda /_class_Char/Limbs/Right",
                                 "char.usda /_class_Char/Limbs/Base", "limbs.usda /Limbs/Right",
                                 "limbs.usda /Limbs/Base"});
  CHECK(strings(stage.cache.get(*Path::parse("/Hero/Limbs")).prohibitedChildNames()) ==
        std::vector<std::string>{"Left"});
  CHECK(stage.cache.get(*Path::parse("/Hero/Controls/LeftCtl")).errors().empty());
}

TEST_CASE("prim index: missing layers, unresolved prims and cycles are errors, not crashes") {
  test::SceneDir d;
  std::string root = d.write("root.usda", R"(
def "A" (
    references = @./nowhere.usda@</X>
)
{
}
def "B" (
    references = </Missing>
)
{
}
def "C" (
    references = </D>
)
{
}
def "D" (
    references = </C>
)
{
}
)");
  Stage stage(root);
  CHECK(stage.cache.get(*Path::parse("/A")).errors().size() == 1);
  CHECK(stage.cache.get(*Path::parse("/A")).errors()[0].kind == CompositionErrorKind::InvalidAssetPath);
  const auto& b = stage.cache.get(*Path::parse("/B")).errors();
  REQUIRE(b.size() == 1);
  CHECK(b[0].kind == CompositionErrorKind::UnresolvedPrimPath);
  const auto& c = stage.cache.get(*Path::parse("/C")).errors();
  REQUIRE(c.size() == 1);
  CHECK(c[0].kind == CompositionErrorKind::ArcCycle);
  CHECK(stage.primStack("/C") == std::vector<std::string>{"root.usda /C", "root.usda /D"});
}

TEST_CASE("prim index: reorder nameChildren and payload filtering") {
  test::SceneDir d;
  d.write("pay.usda", R"(
def "Pay"
{
    def "Loaded"
    {
    }
}
)");
  std::string root = d.write("root.usda", R"(
def "P" ( payload = @./pay.usda@</Pay> )
{
    reorder nameChildren = ["c", "a"]
    def "a" {}
    def "b" {}
    def "c" {}
}
)");
  {
    Stage stage(root);
    CHECK(strings(stage.cache.get(*Path::parse("/P")).childNames()) ==
          std::vector<std::string>{"Loaded", "c", "a", "b"});
  }
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexOptions options;
  options.includePayload = [](const Path&) { return false; };
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  const PrimIndex& p = cache.get(*Path::parse("/P"));
  CHECK(p.hasAuthoredPayloads());
  // Reordering moves each named child with the unnamed ones after it.
  CHECK(strings(p.childNames()) == std::vector<std::string>{"c", "a", "b"});
}

TEST_CASE("property index: each property's specs strongest first, of the defining spec's type") {
  test::SceneDir d;
  d.write("weak.usda", "over \"P\" {\n  custom double a = 1\n  rel b\n  double c = 3\n}\n");
  const std::string root = d.write("root.usda",
                                   "(\n  subLayers = [@./weak.usda@]\n)\n"
                                   "def \"P\" {\n  uniform double a = 2\n  double b = 4\n}\n");
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root));
  const PropertyIndex properties(cache.get(*Path::parse("/P")));
  // Names in the order the prim stack lists them, strongest first.
  CHECK(properties.names() == std::vector<Token>{Token("a"), Token("b"), Token("c")});
  const PropertyStack a = properties.stack(Token("a"));
  CHECK(a.type == SpecType::Attribute);
  REQUIRE(a.specs.size() == 2);
  CHECK(a.specs[0].layer->identifier().ends_with("root.usda"));
  CHECK(a.specs[1].layer->identifier().ends_with("weak.usda"));
  CHECK(a.weakest == a.specs[1].spec);
  // The strongest spec defines the type; the weaker relationship is left out.
  const PropertyStack b = properties.stack(Token("b"));
  CHECK(b.type == SpecType::Attribute);
  CHECK(b.specs.size() == 1);
  REQUIRE(b.conflicting.size() == 1);
  CHECK(b.conflicting[0].spec->type() == SpecType::Relationship);
  CHECK(b.weakest == b.conflicting[0].spec);
  CHECK(properties.stack(Token("none")).specs.empty());
}

TEST_CASE("prim index: an arc's error names the layer that authored the arc, not its stack's root") {
  test::SceneDir d;
  d.write("look.usda", R"(
over "A" (
    references = @./nowhere.usda@</X>
    payload = @./gone.usda@</Y>
)
{
}
)");
  std::string root = d.write("root.usda", R"(
(
    subLayers = [@./look.usda@]
)
def "A"
{
}
)");
  Stage stage(root);
  const auto& errors = stage.cache.get(*Path::parse("/A")).errors();
  REQUIRE(errors.size() == 2);
  for (const CompositionError& e : errors) {
    INFO(e.message);
    CHECK(e.message.find("introduced by @" + d.path() + "/look.usda@</A>") != std::string::npos);
  }
}

TEST_CASE("variable expressions: the language (variables, literals, lists, functions), its errors") {
  const ExpressionVariables vars{{"SEL", std::string("b")},
                                 {"N", std::int64_t{7}},
                                 {"ON", true},
                                 {"NAMES", std::vector<std::string>{"x", "y"}},
                                 {"INDIRECT", std::string("`\"v_${SEL}\"`")},
                                 {"LOOP", std::string("`${LOOP}`")}};
  auto eval = [&](std::string_view text) { return evaluateVariableExpression(text, vars); };
  CHECK(*eval("`${SEL}`") == "b");
  CHECK(*eval("`\"x_${SEL}.usda\"`") == "x_b.usda");
  CHECK(*eval("`'a\\tb'`") == "a\tb");
  CHECK(eval("`None`")->empty());
  CHECK(*eval("`${INDIRECT}`") == "v_b");
  CHECK(*eval("`if(${ON}, 'yes', 'no')`") == "yes");
  CHECK(*eval("`if(eq(${N}, 7), 'seven')`") == "seven");
  CHECK(eval("`if(lt(${N}, 3), 'small')`")->empty());
  CHECK(*eval("`if(and(${ON}, not(false), contains(${NAMES}, 'y')), at(${NAMES}, -1))`") == "y");
  CHECK(*eval("`if(or(false, defined('SEL', 'N')), 'both', 'no')`") == "both");
  CHECK(*eval("`if(eq(len(${NAMES}), 2), at('abc', 1))`") == "b");
  CHECK(*eval("`if(contains([1, 2, 3], 2), 'in')`") == "in");
  // A variable missing inside a string stays as its name, as OpenUSD does.
  CHECK(*eval("`\"${MISSING}.usda\"`") == "MISSING.usda");
  // Errors, with OpenUSD's texts.
  CHECK(eval("`${MISSING}`").error().message == "No value for variable 'MISSING'");
  CHECK(eval("` ${SEL}`").error().message == "Unexpected expression at character 1");
  CHECK(eval("`${SEL`").error().message == "Missing ending '}' at character 6");
  CHECK(eval("`${N}`").error().message == "Expression evaluated to 'int' but expected 'string'");
  CHECK(eval("`\"${N}\"`").error().message == "String value required for substituting variable 'N', got int.");
  CHECK(eval("`if(1, 'a')`").error().message == "if: Condition must be a boolean value");
  CHECK(eval("`if(true)`").error().message == "Function 'if' does not take 1 arguments. at character 1");
  CHECK(eval("`eq(1, 'a')`").error().message == "eq: Cannot compare values of type int and string");
  CHECK(eval("`at(${NAMES}, 5)`").error().message == "at: Index out of range");
  CHECK(eval("`nosuch(1)`").error().message == "Unknown function 'nosuch' at character 1");
  CHECK(eval("`[1, 'a']`").error().message == "Unexpected value of type string in list at element 1");
  CHECK(eval("`${LOOP}`").error().message.find("Encountered circular variable substitutions") != std::string::npos);
  CHECK(eval("`99999999999999999999`").error().message.find("out of range") != std::string::npos);
  // Nesting is bounded (the text comes from input files).
  std::string deep = "`";
  for (int i = 0; i < 10000; ++i) deep += "not(";
  deep += "true";
  for (int i = 0; i < 10000; ++i) deep += ")";
  deep += "`";
  CHECK(eval(deep).error().message.find("nested too deeply") != std::string::npos);
}

TEST_CASE("variable expressions in variant selections") {
  test::SceneDir d;
  std::string root = d.write("root.usda", R"(
(
    expressionVariables = {
        string SEL = "b"
    }
)
def "P" (
    variants = {
        string v = "`${SEL}`"
        string w = "`${NOPE}`"
    }
    prepend variantSets = ["v", "w"]
)
{
    variantSet "v" = {
        "a" {
        }
        "b" {
        }
    }
    variantSet "w" = {
        "x" {
        }
    }
}
)");
  Stage stage(root);
  const PrimIndex& index = stage.cache.get(*Path::parse("/P"));
  CHECK(index.variantSelections() == std::vector<std::pair<std::string, std::string>>{{"v", "b"}});
  REQUIRE(index.errors().size() == 1);
  CHECK(index.errors()[0].message.find("Error evaluating expression `${NOPE}` for variant at /P in @") != std::string::npos);
}
