#include <catch2/catch.hpp>

#include <algorithm>

#include "../compose/ComposeTestSupport.h"
#include "check/Checker.h"
#include "check/ReportFormats.h"

using namespace usdkit;
using namespace usdkit::check;

namespace {

const char* kMetadata = "(\n  defaultPrim = \"World\"\n  metersPerUnit = 1\n  upAxis = \"Y\"\n)\n";

CheckResult run(const std::string& path, CheckOptions options = {}) {
  auto rules = selectRules(options);
  REQUIRE(rules.ok());
  return checkAsset(path, options, *rules);
}

std::vector<std::string> messages(const CheckResult& r, std::string_view rule) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings)
    if (f.rule == rule) out.push_back(f.message);
  return out;
}

}  // namespace

TEST_CASE("checker: rule selection follows the options") {
  CheckOptions base;
  auto rules = selectRules(base);
  REQUIRE(rules.ok());
  const auto has = [](const std::vector<const RuleInfo*>& list, std::string_view id) {
    return std::any_of(list.begin(), list.end(), [&](const RuleInfo* r) { return r->id == id; });
  };
  CHECK(has(*rules, "StageMetadataChecker"));
  CHECK_FALSE(has(*rules, "ARKitPrimTypeChecker"));
  CheckOptions arkit;
  arkit.arkit = true;
  arkit.disable = {"StageMetadataChecker"};
  rules = selectRules(arkit);
  REQUIRE(rules.ok());
  CHECK(has(*rules, "ARKitPrimTypeChecker"));
  CHECK_FALSE(has(*rules, "StageMetadataChecker"));
  CheckOptions bad;
  bad.enable = {"NoSuchChecker"};
  CHECK_FALSE(selectRules(bad).ok());
  // OpenUSD's order: its base rules first, in its order.
  CHECK((*selectRules(base))[0]->id == "ByteAlignmentChecker");
}

TEST_CASE("checker: OpenUSD's line forms and verdicts") {
  CHECK(openUsdLine({"R", Severity::Failure, "m"}) == "m (fails 'R')");
  CHECK(openUsdLine({"R", Severity::Error, "m"}) == "Error checking rule 'R': m");
  CHECK(openUsdLine({"R", Severity::Warning, "m"}) == "m (may violate 'R')");
  CheckResult warned;
  warned.findings.push_back({"R", Severity::Warning, "m"});
  CHECK_FALSE(warned.failed(false));
  CHECK(warned.failed(true));
  const std::vector<CheckResult> results{warned};
  CHECK(textVerdict(results, {}) == "Success with warnings...\n");
  ReportOptions strict;
  strict.strict = true;
  CHECK(textVerdict(results, strict) == "Failed!\n");
  CHECK(formatReport(results, {}, ReportFormat::GitHub, {}) == "::warning file=,title=R::m\n");
}

TEST_CASE("checker: GitHub annotations escape what would end a command") {
  CheckResult r;
  r.input = "a,b:c.usda";
  r.findings.push_back({"R", Severity::Failure, "50% done\nnext"});
  const std::vector<CheckResult> results{r};
  CHECK(formatReport(results, {}, ReportFormat::GitHub, {}) == "::error file=a%2Cb%3Ac.usda,title=R::50%25 done%0Anext\n");
}

TEST_CASE("checker: a clean stage passes, metadata problems fail") {
  test::SceneDir d;
  const std::string good = d.write("good.usda", std::string(kMetadata) + "def Xform \"World\" {}\n");
  CHECK(run(good).findings.empty());
  const std::string bad = d.write("bad.usda", "def Xform \"World\" {}\n");
  const CheckResult r = run(bad);
  CHECK(r.failed(false));
  CHECK(messages(r, "StageMetadataChecker") ==
        std::vector<std::string>{"Stage does not specify an upAxis.",
                                 "Stage does not specify its linear scale in metersPerUnit.",
                                 "Stage has missing or invalid defaultPrim."});
}

TEST_CASE("checker: composed prims are checked, instance proxies included") {
  test::SceneDir d;
  d.write("asset.usda", "def Mesh \"Body\" {\n  def Sphere \"Knob\" {}\n}\n");
  const std::string root =
      d.write("root.usda", std::string(kMetadata) +
                               "def Xform \"World\" {\n"
                               "  def \"A\" (instanceable = true\n references = @./asset.usda@</Body>) {}\n"
                               "  def \"B\" (instanceable = true\n references = @./asset.usda@</Body>) {}\n}\n");
  const CheckResult r = run(root);
  // Both instances' copies of the nested sphere, at their proxy paths.
  CHECK(messages(r, "PrimEncapsulationChecker") ==
        std::vector<std::string>{
            "Gprim </World/A/Knob> has an ancestor prim that is also a Gprim, which is not allowed.",
            "Gprim </World/B/Knob> has an ancestor prim that is also a Gprim, which is not allowed."});
}

TEST_CASE("checker: every variant combination, without multiplying independent prims") {
  test::SceneDir d;
  // Ten sibling prims with a three-way variant set each: 10 x 3 compositions
  // are checked, not 3^10; each variant's prim type shows up exactly once.
  std::string text = std::string(kMetadata) + "def Xform \"World\" {\n";
  for (int i = 0; i < 10; ++i) {
    text += "  def Xform \"P" + std::to_string(i) +
            "\" (\n    variants = { string v = \"a\" }\n    prepend variantSets = \"v\"\n  ) {\n"
            "    variantSet \"v\" = {\n"
            "      \"a\" {\n def Cube \"Shape\" {}\n }\n"
            "      \"b\" {\n def PointInstancer \"Shape\" {}\n }\n"
            "      \"c\" {\n def Capsule \"Shape\" {}\n }\n"
            "    }\n  }\n";
  }
  text += "}\n";
  const std::string root = d.write("variants.usda", text);
  CheckOptions arkit;
  arkit.arkit = true;
  const CheckResult all = run(root, arkit);
  const std::vector<std::string> found = messages(all, "ARKitPrimTypeChecker");
  REQUIRE(found.size() == 10);
  CHECK(found[3] == "Prim </World/P3/Shape> has unsupported type 'PointInstancer'.");
  arkit.skipVariants = true;
  CHECK(messages(run(root, arkit), "ARKitPrimTypeChecker").empty());
}

TEST_CASE("checker: unreadable input is a finding naming the file") {
  test::SceneDir d;
  const std::string broken = d.write("broken.usda", "def \"A\" {\n");
  const CheckResult r = run(broken);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule.empty());
  CHECK(r.findings[0].message.find("broken.usda:") != std::string::npos);
  CHECK(run(d.path() + "/notes.txt").findings[0].message ==
        "Cannot open file '" + d.path() + "/notes.txt' on a USD stage.");
}

TEST_CASE("checker: past the combination limit every variant is still checked once") {
  test::SceneDir d;
  // Twelve two-way sets on one prim: 4096 combinations, over the default
  // limit of 1024. Set k's variant "bad" holds a PointInstancer child.
  std::string sets, bodies;
  for (int k = 0; k < 12; ++k) {
    sets += std::string(k ? ", " : "") + "\"s" + std::to_string(k) + "\"";
    bodies += "    variantSet \"s" + std::to_string(k) + "\" = {\n      \"bad\" {\n def PointInstancer \"I" +
              std::to_string(k) + "\" {}\n }\n      \"good\" {\n def Xform \"I" + std::to_string(k) +
              "\" {}\n }\n    }\n";
  }
  const std::string root = d.write("many.usda", std::string(kMetadata) + "def Xform \"World\" (\n  prepend variantSets = [" +
                                                    sets + "]\n) {\n" + bodies + "}\n");
  CheckOptions arkit;
  arkit.arkit = true;
  const CheckResult r = run(root, arkit);
  // Base combination (all "bad", the first variant) has 12 instancers; each
  // of the 12 others switches one set to "good": 11 each.
  CHECK(messages(r, "ARKitPrimTypeChecker").size() == 12 + 12 * 11);
  const std::vector<std::string> notes = messages(r, "");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] ==
        "Prim </World> has more than 1024 combinations of variant selections; checked 13 that select every variant "
        "of every set at least once (see --maxVariantCombinations).");
  arkit.maxVariantCombinations = 0;  // no limit: all 4096 (2^12 * 12 / 2 instancers)
  CHECK(messages(run(root, arkit), "ARKitPrimTypeChecker").size() == 4096 * 6);
}

TEST_CASE("checker: inactive prims exist (as defaultPrim) but are not traversed") {
  test::SceneDir d;
  const std::string root = d.write("inactive.usda", std::string(kMetadata) +
                                                        "def Mesh \"World\" (\n  active = false\n) {\n"
                                                        "  def Sphere \"Knob\" {}\n}\n");
  CHECK(run(root).findings.empty());
}

TEST_CASE("checker: composition problems come in a flatten's order, whatever prims the rules look up") {
  test::SceneDir d;
  // Checking </World/A> looks up its material </World/Z/Mat>, whose broken
  // reference must still be reported after </World/B>'s (a flatten meets B
  // first); the problems below an `over` and an inactive prim, which are
  // never checked, are reported too.
  const std::string root = d.write(
      "order.usda", std::string(kMetadata) +
                        "def Xform \"World\" {\n"
                        "  def Mesh \"A\" (prepend apiSchemas = [\"MaterialBindingAPI\"]) {\n"
                        "    rel material:binding = </World/Z/Mat>\n  }\n"
                        "  def Xform \"B\" (references = @./missing_b.usda@) {}\n"
                        "  over \"O\" {\n    def Xform \"C\" (references = @./missing_c.usda@) {}\n  }\n"
                        "  def Xform \"I\" (active = false\n references = @./missing_i.usda@) {}\n"
                        "  def Scope \"Z\" {\n    def Material \"Mat\" (references = @./missing_z.usda@) {}\n  }\n"
                        "}\n");
  CheckOptions arkit;
  arkit.arkit = true;
  const CheckResult r = run(root, arkit);
  std::vector<std::string> order;
  for (const std::string& m : messages(r, "MissingReferenceChecker"))
    for (const char* name : {"missing_b", "missing_c", "missing_i", "missing_z"})
      if (m.find(name) != std::string::npos && m.find("Found unresolvable") == std::string::npos)
        order.push_back(name);
  CHECK(order == std::vector<std::string>{"missing_b", "missing_c", "missing_i", "missing_z"});
  // The lookup found the material: no invalid-binding finding.
  CHECK(messages(r, "ARKitMaterialBindingChecker").empty());
}

TEST_CASE("checker: variant sets inside variants are checked under each outer selection") {
  test::SceneDir d;
  // </World/A>'s variants each hold a prim with its own variant set; the
  // inner prim's type depends on both selections, so a finding shows that
  // the inner combination was composed under the right outer one.
  const std::string inner =
      "      def Xform \"In\" (\n        variants = { string w = \"x\" }\n        prepend variantSets = \"w\"\n      ) {\n"
      "        variantSet \"w\" = {\n"
      "          \"x\" {\n def Cube \"S\" {}\n }\n"
      "          \"y\" {\n def %s \"S\" {}\n }\n"
      "        }\n      }\n";
  auto innerWith = [&](const char* type) {
    std::string s = inner;
    s.replace(s.find("%s"), 2, type);
    return s;
  };
  const std::string root = d.write(
      "nested.usda", std::string(kMetadata) + "def Xform \"World\" {\n"
                                              "  def Xform \"A\" (\n    variants = { string v = \"a\" }\n"
                                              "    prepend variantSets = \"v\"\n  ) {\n"
                                              "    variantSet \"v\" = {\n      \"a\" {\n" +
                         innerWith("Sphere") + "      }\n      \"b\" {\n" + innerWith("PointInstancer") +
                         "      }\n    }\n  }\n}\n");
  CheckOptions options;
  options.arkit = true;
  options.verbose = true;
  const CheckResult r = run(root, options);
  std::vector<std::string> tested;
  for (const std::string& line : r.log)
    if (line.starts_with("Testing variation")) tested.push_back(line);
  CHECK(tested == std::vector<std::string>{"Testing variation ('a',) of prim </World/A>",
                                           "Testing variation ('x',) of prim </World/A/In>",
                                           "Testing variation ('y',) of prim </World/A/In>",
                                           "Testing variation ('b',) of prim </World/A>",
                                           "Testing variation ('x',) of prim </World/A/In>",
                                           "Testing variation ('y',) of prim </World/A/In>"});
  CHECK(messages(r, "ARKitPrimTypeChecker") ==
        std::vector<std::string>{"Prim </World/A/In/S> has unsupported type 'PointInstancer'."});
}
