// The rule list; see RuleCatalog.h. The descriptions of OpenUSD's rules are
// the text its usdchecker prints for --dumpRules.
#include "check/RuleCatalog.h"

#include <array>

namespace usdkit::check {

namespace {

constexpr std::array kRules = {
    RuleInfo{"ByteAlignmentChecker", RuleSet::Base,
             "Files within a usdz package must be laid out properly, i.e. they should be aligned to 64 bytes."},
    RuleInfo{"CompressionChecker", RuleSet::Base,
             "Files within a usdz package should not be compressed or encrypted."},
    RuleInfo{"ShaderPropertyTypeConformanceChecker", RuleSet::Base,
             "Shader prim's input types must be conforming to their appropriate Sdf types in the respective sdr "
             "shader."},
    RuleInfo{"MissingReferenceChecker", RuleSet::Base,
             "The composed USD stage should not contain any unresolvable asset dependencies (in every possible "
             "variation of the asset), when using the default asset resolver. "},
    RuleInfo{"StageMetadataChecker", RuleSet::Base,
             "All stages should declare their 'upAxis' and 'metersPerUnit'.  \n"
             "Stages that can be consumed as referencable assets should furthermore have\n"
             "a valid 'defaultPrim' declared, and stages meant for consumer-level packaging\n"
             "should always have upAxis set to 'Y'"},
    RuleInfo{"TextureChecker", RuleSet::Base,
             "Texture files should be readable by intended client \n"
             "(only .jpg, .jpeg or .png for consumer-level USDZ)."},
    RuleInfo{"PrimEncapsulationChecker", RuleSet::Base,
             "Check for basic prim encapsulation rules:\n"
             "   - Boundables may not be nested under Gprims\n"
             "   - Connectable prims (e.g. Shader, Material, etc) can only be nested \n"
             "     inside other Container-like Connectable prims. Container-like prims\n"
             "     include Material, NodeGraph, Light, LightFilter, and *exclude Shader*"},
    RuleInfo{"NormalMapTextureChecker", RuleSet::Base,
             "UsdUVTexture nodes that feed the _inputs:normals_ of a\n"
             "UsdPreviewSurface must ensure that the data is encoded and scaled properly.\n"
             "Specifically:\n"
             "   - Since normals are expected to be in the range [(-1,-1,-1), (1,1,1)],\n"
             "     the Texture node must transform 8-bit textures from their [0..1] range by\n"
             "     setting its _inputs:scale_ to (2, 2, 2, 1) and \n"
             "     _inputs:bias_ to (-1, -1, -1, 0)\n"
             "   - Normal map data is commonly expected to be linearly encoded.  However, many\n"
             "     image-writing tools automatically set the profile of three-channel, 8-bit\n"
             "     images to SRGB.  To prevent an unwanted transformation, the UsdUVTexture's\n"
             "     _inputs:sourceColorSpace_ must be set to \"raw\".\n"},
    RuleInfo{"MaterialBindingAPIAppliedChecker", RuleSet::Base,
             "A prim providing a material binding, must have MaterialBindingAPI applied on the prim."},
    RuleInfo{"SkelBindingAPIAppliedChecker", RuleSet::Base,
             "A prim providing skelBinding properties, must have SkelBindingAPI applied on the prim."},
    RuleInfo{"ARKitLayerChecker", RuleSet::ARKit,
             "All included layers that participate in composition should have one of the core supported file "
             "formats."},
    RuleInfo{"ARKitPrimTypeChecker", RuleSet::ARKit,
             "UsdGeomPointInstancers and custom schemas not provided by core USD are not allowed."},
    RuleInfo{"ARKitShaderChecker", RuleSet::ARKit,
             "Shader nodes must have \"id\" as the implementationSource, with id values that begin with "
             "\"Usd*|ND_*\". Also, shader inputs with connections must each have a single, valid connection "
             "source."},
    RuleInfo{"ARKitMaterialBindingChecker", RuleSet::ARKit,
             "All material binding relationships must have valid targets."},
    RuleInfo{"ARKitFileExtensionChecker", RuleSet::ARKit, "Only layer files and textures are allowed in a package."},
    RuleInfo{"ARKitPackageEncapsulationChecker", RuleSet::ARKit,
             "If the root layer is a package, then the composed stage should not contain references to files "
             "outside the package. In other words, the package should be entirely self-contained."},
    RuleInfo{"SchemaPrimTypeChecker", RuleSet::Schema,
             "Every defined prim's type name must be a concrete typed schema known to core USD (an abstract "
             "type such as Gprim cannot be instantiated)."},
    RuleInfo{"SchemaAPIChecker", RuleSet::Schema,
             "Applied API schemas must be known single- or multiple-apply schemas; a multiple-apply schema "
             "needs an (allowed) instance name, a single-apply one must not have one, and a schema restricted "
             "to some prim types may only be applied to those."},
    RuleInfo{"SchemaPropertyChecker", RuleSet::Schema,
             "Properties a prim's schemas define must be authored with the schema's type and variability, "
             "as an attribute or relationship as the schema says, and token values must be among the "
             "schema's allowed tokens."},
    RuleInfo{"KindHierarchyChecker", RuleSet::Schema,
             "Model kinds must form a valid hierarchy: a model's parent must be a group (or the pseudo-root), "
             "so no model may sit below a component or below a prim that is not a model."},
};

}  // namespace

std::span<const RuleInfo> allRules() { return kRules; }

const RuleInfo* findRule(std::string_view id) {
  for (const RuleInfo& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace usdkit::check
