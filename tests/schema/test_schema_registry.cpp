// The schema registry against facts read from OpenUSD v24.11-rc1's schema
// definitions (pxr/usd/*/generatedSchema.usda, plugInfo.json and usdShaders'
// shaderDefs.usda), written down here by hand, not taken from the table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "io/usda/UsdaValueText.h"
#include "schema/SchemaRegistry.h"

using namespace usdkit;
using namespace usdkit::schema;

namespace {

const SchemaRegistry& reg() { return SchemaRegistry::instance(); }

std::vector<std::string_view> tokens(const PropertyDef& p) { return {p.allowedTokens.begin(), p.allowedTokens.end()}; }

}  // namespace

// (The cost of the registry's first use is a benchmark's question, the
// "tiny file, process start to exit" row of tools/bench.sh; a test timing
// it failed under the sanitizers.)
TEST_CASE("the registry answers on first use", "[schema]") {
  const SchemaRegistry& r = SchemaRegistry::instance();
  REQUIRE(r.find("Mesh") != nullptr);
  CHECK(&SchemaRegistry::instance() == &r);
}

TEST_CASE("schema counts match OpenUSD's plugInfo.json files", "[schema]") {
  // Counted with, for each of the 11 domains,
  //   git show v24.11-rc1:pxr/usd/<domain>/plugInfo.json | grep '"schemaKind"'
  // and tallied by kind (abstractBase ones, Typed/APISchemaBase/SchemaBase,
  // are not schemas a prim can name): 57 concreteTyped, 11 abstractTyped,
  // 23 singleApplyAPI, 4 multipleApplyAPI, 5 nonAppliedAPI. Shader nodes:
  // the 13 `def Shader` prims of shaderDefs.usda.
  int concrete = 0, abstract = 0, single = 0, multiple = 0, nonApplied = 0;
  for (const SchemaDef& s : reg().all()) {
    switch (s.kind) {
      case SchemaKind::ConcreteTyped: ++concrete; break;
      case SchemaKind::AbstractTyped: ++abstract; break;
      case SchemaKind::SingleApplyAPI: ++single; break;
      case SchemaKind::MultipleApplyAPI: ++multiple; break;
      case SchemaKind::NonAppliedAPI: ++nonApplied; break;
    }
  }
  CHECK(concrete == 57);
  CHECK(abstract == 11);
  CHECK(single == 23);
  CHECK(multiple == 4);
  CHECK(nonApplied == 5);
  CHECK(reg().shaderNodes().size() == 13);
}

TEST_CASE("typed inheritance", "[schema]") {
  CHECK(reg().isA("Mesh", "Mesh"));
  CHECK(reg().isA("Mesh", "PointBased"));
  CHECK(reg().isA("Mesh", "Gprim"));
  CHECK(reg().isA("Mesh", "Boundable"));
  CHECK(reg().isA("Mesh", "Xformable"));
  CHECK(reg().isA("Mesh", "Imageable"));
  CHECK(reg().isA("Gprim", "Boundable"));
  CHECK_FALSE(reg().isA("Gprim", "Mesh"));
  CHECK_FALSE(reg().isA("Mesh", "Camera"));
  CHECK_FALSE(reg().isA("Mesh", "NoSuchType"));
  CHECK_FALSE(reg().isA("NoSuchType", "Mesh"));
  CHECK_FALSE(reg().isA("Mesh", "MaterialBindingAPI"));
  CHECK(reg().isA("SphereLight", "BoundableLightBase"));
  CHECK(reg().isA("DomeLight", "NonboundableLightBase"));
  CHECK(reg().isA("Scope", "Imageable"));
  CHECK(reg().isA("RenderSettings", "RenderSettingsBase"));

  const SchemaDef* mesh = reg().find("Mesh");
  REQUIRE(mesh);
  CHECK(mesh->kind == SchemaKind::ConcreteTyped);
  CHECK(mesh->domain == "UsdGeom");
  CHECK(mesh->base == "PointBased");
  CHECK(reg().find("Imageable")->base.empty());
  CHECK(reg().find("Gprim")->kind == SchemaKind::AbstractTyped);
}

TEST_CASE("usda type names are the plugInfo aliases", "[schema]") {
  for (const char* name : {"PhysicsScene", "PhysicsRevoluteJoint", "RenderSettings", "RenderProduct", "RenderVar",
                           "SpatialAudio", "GenerativeProcedural", "Backdrop", "OpenVDBAsset", "Volume",
                           "SkelRoot", "Skeleton", "SkelAnimation", "BlendShape", "Material", "Shader", "NodeGraph"}) {
    INFO(name);
    const SchemaDef* s = reg().find(name);
    REQUIRE(s);
    CHECK(s->kind == SchemaKind::ConcreteTyped);
  }
  CHECK(reg().find("UsdPhysicsScene") == nullptr);
  CHECK(reg().find("Scene") == nullptr);
  CHECK(reg().find("PhysicsScene")->domain == "UsdPhysics");
}

TEST_CASE("Mesh properties", "[schema]") {
  const SchemaDef* mesh = reg().find("Mesh");
  REQUIRE(mesh);
  const PropertyDef* scheme = mesh->findProperty("subdivisionScheme");
  REQUIRE(scheme);
  CHECK_FALSE(scheme->isRelationship);
  CHECK(scheme->typeName == "token");
  CHECK(scheme->uniform);
  CHECK(tokens(*scheme) == std::vector<std::string_view>{"catmullClark", "loop", "bilinear", "none"});
  auto fallback = scheme->fallback();
  REQUIRE(fallback);
  REQUIRE(fallback->is<Token>());
  CHECK(fallback->get<Token>() == "catmullClark");

  // Inherited from Imageable, PointBased and Xformable.
  const PropertyDef* visibility = mesh->findProperty("visibility");
  REQUIRE(visibility);
  CHECK(visibility->typeName == "token");
  CHECK_FALSE(visibility->uniform);
  CHECK(tokens(*visibility) == std::vector<std::string_view>{"inherited", "invisible"});
  const PropertyDef* purpose = mesh->findProperty("purpose");
  REQUIRE(purpose);
  CHECK(purpose->uniform);
  CHECK(tokens(*purpose) == std::vector<std::string_view>{"default", "render", "proxy", "guide"});
  const PropertyDef* points = mesh->findProperty("points");
  REQUIRE(points);
  CHECK(points->typeName == "point3f[]");
  CHECK(points->fallbackText.empty());
  CHECK_FALSE(points->fallback());
  const PropertyDef* order = mesh->findProperty("xformOpOrder");
  REQUIRE(order);
  CHECK(order->typeName == "token[]");
  CHECK(order->uniform);
  const PropertyDef* proxyPrim = mesh->findProperty("proxyPrim");
  REQUIRE(proxyPrim);
  CHECK(proxyPrim->isRelationship);
  CHECK(mesh->findProperty("radius") == nullptr);

  const PropertyDef* radius = reg().find("Sphere")->findProperty("radius");
  REQUIRE(radius);
  CHECK(radius->typeName == "double");
  auto r = radius->fallback();
  REQUIRE(r);
  REQUIRE(r->is<double>());
  CHECK(r->get<double>() == 1.0);
}

TEST_CASE("API schema kinds and restrictions", "[schema]") {
  const SchemaDef* binding = reg().find("MaterialBindingAPI");
  REQUIRE(binding);
  CHECK(binding->kind == SchemaKind::SingleApplyAPI);
  CHECK(binding->isApi());
  CHECK(reg().find("CollectionAPI")->kind == SchemaKind::MultipleApplyAPI);
  CHECK(reg().find("CoordSysAPI")->kind == SchemaKind::MultipleApplyAPI);
  CHECK(reg().find("PhysicsLimitAPI")->kind == SchemaKind::MultipleApplyAPI);
  CHECK(reg().find("PhysicsDriveAPI")->kind == SchemaKind::MultipleApplyAPI);
  CHECK(reg().find("ModelAPI")->kind == SchemaKind::NonAppliedAPI);
  CHECK(reg().find("PrimvarsAPI")->kind == SchemaKind::NonAppliedAPI);
  CHECK(reg().findApi("CollectionAPI:foo") == reg().find("CollectionAPI"));
  CHECK(reg().findApi("Mesh") == nullptr);
  CHECK(reg().findApi("NoSuchAPI:x") == nullptr);

  // The one apiSchemaCanOnlyApplyTo of the core domains.
  const SchemaDef* visibility = reg().find("VisibilityAPI");
  REQUIRE(visibility);
  CHECK(std::vector<std::string_view>(visibility->canOnlyApplyTo.begin(), visibility->canOnlyApplyTo.end()) ==
        std::vector<std::string_view>{"Imageable"});
  // No core schema auto-applies or restricts instance names.
  for (const SchemaDef& s : reg().all()) {
    INFO(s.name);
    CHECK(s.autoApplyTo.empty());
    CHECK(s.allowedInstanceNames.empty());
  }
  CHECK(reg().autoAppliedApis("Mesh").empty());
}

TEST_CASE("SkelBindingAPI properties", "[schema]") {
  const SchemaDef* skel = reg().find("SkelBindingAPI");
  REQUIRE(skel);
  CHECK(skel->kind == SchemaKind::SingleApplyAPI);
  std::vector<std::string_view> names;
  for (const PropertyDef& p : skel->properties) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string_view>{"primvars:skel:geomBindTransform", "primvars:skel:jointIndices",
                                               "primvars:skel:jointWeights", "primvars:skel:skinningMethod",
                                               "skel:animationSource", "skel:blendShapeTargets", "skel:blendShapes",
                                               "skel:joints", "skel:skeleton"});
  CHECK(skel->findProperty("skel:skeleton")->isRelationship);
  CHECK(skel->findProperty("primvars:skel:geomBindTransform")->typeName == "matrix4d");
  CHECK(skel->findProperty("primvars:skel:jointIndices")->typeName == "int[]");
  CHECK(skel->findProperty("skel:joints")->typeName == "token[]");
  CHECK(skel->findProperty("skel:joints")->uniform);
  CHECK(skel->findProperty("primvars:skel:skinningMethod")->fallbackText == "\"classicLinear\"");
}

TEST_CASE("built-in API schemas of lights", "[schema]") {
  const SchemaDef* sphere = reg().find("SphereLight");
  REQUIRE(sphere);
  CHECK(std::find(sphere->builtinApis.begin(), sphere->builtinApis.end(), "LightAPI") != sphere->builtinApis.end());
  // LightAPI includes the light-link and shadow-link collections.
  CHECK(reg().builtinApis("SphereLight") ==
        std::vector<std::string>{"LightAPI", "CollectionAPI:lightLink", "CollectionAPI:shadowLink"});
  CHECK(reg().builtinApis("PluginLight") ==
        std::vector<std::string>{"NodeDefAPI", "LightAPI", "CollectionAPI:lightLink", "CollectionAPI:shadowLink"});
  CHECK(reg().builtinApis("Shader") == std::vector<std::string>{"NodeDefAPI"});
  CHECK(reg().builtinApis("Mesh").empty());
  CHECK(reg().builtinApis("NoSuchType").empty());

  // The light's prim definition holds LightAPI's properties...
  const PropertyDef* intensity = sphere->findProperty("inputs:intensity");
  REQUIRE(intensity);
  CHECK(intensity->typeName == "float");
  CHECK(intensity->fallbackText == "1");
  CHECK(sphere->findProperty("inputs:radius"));
  // ...the collections' with the instance name in place and LightAPI's
  // override of includeRoot (the template has no fallback)...
  const PropertyDef* includeRoot = sphere->findProperty("collection:lightLink:includeRoot");
  REQUIRE(includeRoot);
  CHECK(includeRoot->typeName == "bool");
  auto rootValue = includeRoot->fallback();
  REQUIRE(rootValue);
  CHECK(rootValue->get<bool>() == true);
  CHECK(reg().find("CollectionAPI")->findProperty("collection:__INSTANCE_NAME__:includeRoot")->fallbackText.empty());
  CHECK(sphere->findProperty("collection:shadowLink:includes")->isRelationship);
  // ...and its own override of light:shaderId.
  CHECK(sphere->findProperty("light:shaderId")->fallbackText == "\"SphereLight\"");
  CHECK(reg().find("LightAPI")->findProperty("light:shaderId")->fallbackText == "\"\"");

  // DistantLight overrides LightAPI's intensity fallback (1) with 50000.
  CHECK(reg().find("DistantLight")->findProperty("inputs:intensity")->fallbackText == "50000");
  CHECK(reg().find("LightAPI")->findProperty("inputs:intensity")->fallbackText == "1");

  // MeshLightAPI overrides LightAPI's fallbacks; the allowed tokens stay.
  const PropertyDef* sync = reg().find("MeshLightAPI")->findProperty("light:materialSyncMode");
  REQUIRE(sync);
  CHECK(sync->fallbackText == "\"materialGlowTintsLight\"");
  CHECK(tokens(*sync) ==
        std::vector<std::string_view>{"materialGlowTintsLight", "independent", "noMaterialResponse"});
  CHECK(reg().find("MeshLightAPI")->findProperty("inputs:intensity"));
}

TEST_CASE("findProperty over a type and its applied API schemas", "[schema]") {
  std::vector<std::string> apis{"MaterialBindingAPI", "CollectionAPI:foo"};
  std::string resolved;
  const PropertyDef* includes = reg().findProperty("Xform", apis, "collection:foo:includes", &resolved);
  REQUIRE(includes);
  CHECK(includes->isRelationship);
  CHECK(resolved == "collection:foo:includes");
  const PropertyDef* rule = reg().findProperty("Xform", apis, "collection:foo:expansionRule");
  REQUIRE(rule);
  CHECK(rule->fallbackText == "\"expandPrims\"");
  CHECK(tokens(*rule) == std::vector<std::string_view>{"explicitOnly", "expandPrims", "expandPrimsAndProperties"});
  CHECK(reg().findProperty("Xform", apis, "collection:bar:includes") == nullptr);
  CHECK(reg().findProperty("Xform", apis, "collection:foo") != nullptr);  // the opaque collection attribute
  // MaterialBindingAPI's generated definition declares no properties: its
  // binding relationships are named per purpose and collection at run time.
  CHECK(reg().find("MaterialBindingAPI")->properties.empty());
  CHECK(reg().findProperty("Xform", apis, "material:binding") == nullptr);
  CHECK(reg().findProperty("Xform", apis, "xformOpOrder") != nullptr);
  CHECK(reg().findProperty("Xform", apis, "radius") == nullptr);

  // A multiple-apply schema without an instance name contributes nothing.
  std::vector<std::string> bare{"CollectionAPI"};
  CHECK(reg().findProperty("Xform", bare, "collection:foo:includes") == nullptr);
  std::vector<std::string> limits{"PhysicsLimitAPI:rotX"};
  const PropertyDef* low = reg().findProperty("PhysicsRevoluteJoint", limits, "limit:rotX:physics:low");
  REQUIRE(low);
  auto lowValue = low->fallback();
  REQUIRE(lowValue);
  CHECK(std::isinf(lowValue->get<float>()));
  CHECK(lowValue->get<float>() < 0);

  // The typed schema is stronger than an applied API: SphereLight's own
  // light:shaderId beats MeshLightAPI's.
  std::vector<std::string> meshLight{"MeshLightAPI"};
  CHECK(reg().findProperty("SphereLight", meshLight, "light:shaderId")->fallbackText == "\"SphereLight\"");
  CHECK(reg().findProperty("Mesh", meshLight, "light:shaderId")->fallbackText == "\"MeshLight\"");
  // An untyped prim still gets its API schemas' properties.
  CHECK(reg().findProperty("", meshLight, "inputs:exposure") != nullptr);
}

// Before the test below parses every fallback: here most are parsed for the
// first time, by several threads at once.
TEST_CASE("fallbacks are parsed once and shared by threads", "[schema]") {
  std::vector<const PropertyDef*> withFallback;
  for (const SchemaDef& s : reg().all()) {
    for (const PropertyDef& p : s.properties) {
      if (!p.fallbackText.empty()) withFallback.push_back(&p);
    }
  }
  std::vector<std::vector<std::optional<Value>>> seen(4);
  {
    std::vector<std::jthread> threads;
    for (auto& out : seen) {
      threads.emplace_back([&withFallback, &out] {
        for (const PropertyDef* p : withFallback) out.push_back(p->fallback());
      });
    }
  }
  for (std::size_t i = 0; i < withFallback.size(); ++i) {
    INFO(withFallback[i]->name << " = " << withFallback[i]->fallbackText);
    for (const auto& out : seen) CHECK(out[i] == seen[0][i]);
  }
  // An array fallback is one shared array, not a new one per call.
  const PropertyDef* extent = reg().find("Cube")->findProperty("extent");
  REQUIRE(extent);
  const std::optional<Value> first = extent->fallback();
  const std::optional<Value> second = extent->fallback();
  REQUIRE((first && first->is<std::vector<Vec3f>>()));
  CHECK(&first->get<std::vector<Vec3f>>() == &second->get<std::vector<Vec3f>>());

  // A definition that is not in the table is parsed when asked.
  const PropertyDef local{"size", false, "double", false, "2", {}};
  const std::optional<Value> size = local.fallback();
  REQUIRE((size && size->is<double>()));
  CHECK(size->get<double>() == 2.0);
  const PropertyDef opaque{"o", false, "opaque", false, "1", {}};
  CHECK_FALSE(opaque.fallback());
}

TEST_CASE("every fallback in the table parses with its type", "[schema]") {
  int withFallback = 0;
  for (const SchemaDef& s : reg().all()) {
    for (const PropertyDef& p : s.properties) {
      if (p.fallbackText.empty()) continue;
      ++withFallback;
      INFO(s.name << "." << p.name << " " << p.typeName << " = " << p.fallbackText);
      const std::optional<Value> fallback = p.fallback();
      REQUIRE(fallback.has_value());
      // schema-gen wrote the text with appendUsdaValue: it prints back as is.
      std::string printed;
      appendUsdaValue(printed, *fallback);
      CHECK(printed == p.fallbackText);
    }
  }
  CHECK(withFallback > 100);  // the loop above really ran over the table
}

TEST_CASE("properties are sorted and unique per schema", "[schema]") {
  for (const SchemaDef& s : reg().all()) {
    INFO(s.name);
    for (std::size_t i = 1; i < s.properties.size(); ++i) CHECK(s.properties[i - 1].name < s.properties[i].name);
    for (const PropertyDef& p : s.properties) CHECK(s.findProperty(p.name) == &p);
  }
}

TEST_CASE("usdShaders nodes and their Sdf types", "[schema]") {
  auto input = [](std::string_view node, std::string_view name) -> std::string_view {
    const ShaderNodeDef* n = reg().findShaderNode(node);
    REQUIRE(n);
    for (const ShaderInputDef& in : n->inputs) {
      if (in.name == name) return in.typeName;
    }
    return {};
  };
  auto output = [](std::string_view node, std::string_view name) -> std::string_view {
    const ShaderNodeDef* n = reg().findShaderNode(node);
    REQUIRE(n);
    for (const ShaderInputDef& out : n->outputs) {
      if (out.name == name) return out.typeName;
    }
    return {};
  };
  CHECK(input("UsdPreviewSurface", "diffuseColor") == "color3f");
  CHECK(input("UsdPreviewSurface", "useSpecularWorkflow") == "int");
  CHECK(input("UsdPreviewSurface", "normal") == "normal3f");
  CHECK(input("UsdPreviewSurface", "roughness") == "float");
  CHECK(output("UsdPreviewSurface", "surface") == "token");
  CHECK(input("UsdUVTexture", "file") == "asset");
  CHECK(input("UsdUVTexture", "st") == "float2");
  CHECK(input("UsdUVTexture", "wrapS") == "token");
  CHECK(input("UsdUVTexture", "fallback") == "float4");
  CHECK(output("UsdUVTexture", "rgb") == "float3");
  // varname comes from the UsdPrimvarReader class the readers inherit.
  CHECK(input("UsdPrimvarReader_float2", "varname") == "string");
  CHECK(input("UsdPrimvarReader_float2", "fallback") == "float2");
  CHECK(output("UsdPrimvarReader_point", "result") == "point3f");
  CHECK(input("UsdPrimvarReader_matrix", "fallback") == "matrix4d");
  CHECK(input("UsdTransform2d", "rotation") == "float");
  CHECK(input("UsdUVTexture", "noSuchInput").empty());
  CHECK(reg().findShaderNode("UsdPrimvarReader") == nullptr);  // a class, not a node
  CHECK(reg().findShaderNode("NoSuchNode") == nullptr);
}
