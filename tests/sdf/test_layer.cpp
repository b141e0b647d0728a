// Layer copies: the whole layer, or its layer metadata alone.
#include <catch2/catch.hpp>

#include "sdf/Fields.h"
#include "sdf/Layer.h"

using namespace usdkit;

TEST_CASE("metadataOnlyCopy keeps the layer metadata and drops every prim", "[layer]") {
  const FieldNames& f = fieldNames();
  Layer layer;
  layer.setIdentifier("shot.usdc");
  layer.setFormatId("usdc");
  layer.pseudoRoot().set(f.defaultPrim, Token("World"));
  layer.pseudoRoot().set(f.documentation, std::string("notes"));
  layer.pseudoRoot().set(f.primChildren, TokenVector{{Token("World")}});
  layer.pseudoRoot().set(f.primOrder, TokenVector{{Token("World")}});
  layer.createSpec(*Path::parse("/World"), SpecType::Prim).set(f.specifier, Specifier::Def);

  const std::unique_ptr<Layer> copy = layer.metadataOnlyCopy();
  CHECK(copy->identifier() == "shot.usdc");
  CHECK(copy->formatId() == "usdc");
  CHECK(copy->specCount() == 1);  // the pseudo-root alone
  CHECK(copy->findSpec(*Path::parse("/World")) == nullptr);
  const Spec& root = copy->pseudoRoot();
  REQUIRE(root.getAs<Token>(f.defaultPrim));
  CHECK(*root.getAs<Token>(f.defaultPrim) == Token("World"));
  REQUIRE(root.getAs<std::string>(f.documentation));
  CHECK(*root.getAs<std::string>(f.documentation) == "notes");
  CHECK_FALSE(root.has(f.primChildren));
  CHECK_FALSE(root.has(f.primOrder));
}
