// Rules of the composed stage about fields and names (stage/StageFields.h).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stage/StageFields.h"

using namespace usdkit;

namespace {

std::vector<Token> tokens(std::initializer_list<const char*> names) {
  std::vector<Token> out;
  for (const char* n : names) out.emplace_back(n);
  return out;
}

}  // namespace

TEST_CASE("a composed prim's properties: dictionary order, then propertyOrder", "[stage]") {
  std::vector<Token> names = tokens({"b", "a10", "__INSTANCE_NAME__", "A2", "a2", "c"});
  orderPropertyNames(names, {});
  // Dictionary order: case-insensitive first, numbers by value, '_' before letters.
  CHECK(names == tokens({"__INSTANCE_NAME__", "A2", "a2", "a10", "b", "c"}));

  // Listed names move to the front in the order of their first mention;
  // names not present and repeated mentions are ignored.
  names = tokens({"b", "a10", "c", "a2"});
  const std::vector<Token> order = tokens({"c", "missing", "a10", "c"});
  orderPropertyNames(names, order);
  CHECK(names == tokens({"c", "a10", "a2", "b"}));

  // Duplicates (a name authored in several specs) appear once.
  names = tokens({"x", "y", "x"});
  orderPropertyNames(names, tokens({"y"}));
  CHECK(names == tokens({"y", "x"}));
}

TEST_CASE("composition, clip and value fields are not metadata of the composed prim", "[stage]") {
  for (const char* name : {"references", "payload", "inheritPaths", "specializes", "variantSelection",
                           "variantSetNames", "clips", "clipSets", "default", "timeSamples", "primChildren"})
    CHECK(isPrivateStageField(Token(name)));
  for (const char* name : {"instanceable", "kind", "customData", "documentation", "apiSchemas", "propertyOrder"})
    CHECK_FALSE(isPrivateStageField(Token(name)));
}
