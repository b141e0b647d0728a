// Rules on the stage and its prims' structure: stage metadata, unresolved
// dependencies, prim encapsulation, binding APIs, and ARKit's prim types and
// material bindings.
#include <array>
#include <map>
#include <optional>

#include "check/RuleBase.h"
#include "sdf/Fields.h"

namespace usdkit::check::detail {

namespace {

std::string angle(const Path& p) { return "<" + p.string() + ">"; }

class StageMetadataChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkStage(const StageFacts& stage) override {
    const Spec& metadata = stage.stage.stageMetadata();
    const auto authored = [&](std::string_view key) { return metadata.get(Token{key}); };
    if (const Value* up = authored("upAxis"); !up) {
      fail("Stage does not specify an upAxis.");
    } else if (context().consumerLevelChecks()) {
      const Token* axis = up->getIf<Token>();
      const std::string_view text = axis ? axis->str() : std::string_view();
      if (text != "Y") fail("Stage specifies upAxis '" + std::string(text) + "'. upAxis should be 'Y'.");
    }
    if (!authored("metersPerUnit")) fail("Stage does not specify its linear scale in metersPerUnit.");
    if (context().assetLevelChecks() && !defaultPrimExists(stage)) fail("Stage has missing or invalid defaultPrim.");
  }

 private:
  static bool defaultPrimExists(const StageFacts& stage) {
    const Token* name = stage.stage.stageMetadata().getAs<Token>(fieldNames().defaultPrim);
    if (!name || name->empty()) return false;
    std::optional<Path> path = Path::parse(name->str());
    if (!path) return false;
    if (!path->isAbsolute()) path = Path::absoluteRoot().appendPath(*path);
    if (!path || path->empty() || !path->isPrimPath()) return false;
    return stage.stage.composedPrim(*path) != nullptr;
  }
};

class MissingReferenceChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkDiagnostics(std::span<const std::string> diagnostics) override {
    for (const std::string& d : diagnostics) fail(d);
  }
  void checkUnresolvedPaths(std::span<const std::string> unresolved) override {
    for (const std::string& p : unresolved) fail("Found unresolvable external dependency '" + p + "'.");
  }
};

class PrimEncapsulationChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    const std::optional<PrimView> parent = prim.parent();
    if (prim.isA("Boundable") && parent && hasGprimAncestor(*parent))
      fail("Gprim " + angle(prim.path()) + " has an ancestor prim that is also a Gprim, which is not allowed.");
    if (prim.typeName().empty() || !isConnectable(prim)) return;
    const bool parentConnectable = parent && !parent->typeName().empty() && isConnectable(*parent);
    if (parentConnectable) {
      if (!isContainerConnectable(*parent))
        fail("Connectable " + std::string(prim.typeName()) + " " + angle(prim.path()) +
             " cannot reside under a non-Container Connectable " + std::string(parent->typeName()));
      return;
    }
    if (!parent) return;
    if (const std::optional<PrimView> ancestor = connectableAncestor(*parent))
      fail("Connectable " + std::string(prim.typeName()) + " " + angle(prim.path()) +
           " can only have Connectable Container ancestors up to " + std::string(ancestor->typeName()) +
           " ancestor " + angle(ancestor->path()) + ", but its parent " + std::string(parent->path().name()) +
           " is a " + std::string(parent->typeName()) + ".");
  }
  void resetCaches() override {
    gprimAncestor_.clear();
    connectableAncestor_.clear();
  }

 private:
  bool hasGprimAncestor(const PrimView& prim) {
    if (auto it = gprimAncestor_.find(prim.path()); it != gprimAncestor_.end()) return it->second;
    const std::optional<PrimView> parent = prim.parent();
    const bool result = (parent && hasGprimAncestor(*parent)) || prim.isA("Gprim");
    gprimAncestor_[prim.path()] = result;
    return result;
  }
  std::optional<PrimView> connectableAncestor(const PrimView& prim) {
    if (auto it = connectableAncestor_.find(prim.path()); it != connectableAncestor_.end()) {
      if (!it->second) return std::nullopt;
      return prim.primAt(*it->second);
    }
    const std::optional<PrimView> parent = prim.parent();
    std::optional<PrimView> result = parent ? connectableAncestor(*parent) : std::nullopt;
    if (!result && !prim.typeName().empty() && isConnectable(prim)) result = prim;
    connectableAncestor_[prim.path()] = result ? std::optional<Path>(result->path()) : std::nullopt;
    return result;
  }
  std::map<Path, bool> gprimAncestor_;
  std::map<Path, std::optional<Path>> connectableAncestor_;
};

bool isMaterialBinding(std::string_view name) { return name.starts_with("material:binding"); }

class MaterialBindingAPIAppliedChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    for (const Token& name : prim.propertyNames()) {
      const Spec* p = prim.property(name.str());
      if (p && p->type() == SpecType::Relationship && isMaterialBinding(name.str())) {
        if (!prim.hasApi("MaterialBindingAPI"))
          fail("Found material bindings but no MaterialBindingAPI applied on the prim " + angle(prim.path()) + ".");
        return;
      }
    }
  }
};

class SkelBindingAPIAppliedChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    if (!prim.hasApi("SkelBindingAPI")) {
      const schema::SchemaDef* api = schemas().find("SkelBindingAPI");
      if (!api) return;
      const std::vector<Token> names = prim.propertyNames();
      for (const schema::PropertyDef& def : api->properties) {
        for (const Token& n : names) {
          if (n.str() != def.name) continue;
          fail("Found a UsdSkelBinding property (" + std::string(def.name) +
               ") , but no SkelBindingAPI applied on the prim " + angle(prim.path()) + ".");
          return;
        }
      }
      return;
    }
    for (std::optional<PrimView> p = prim; p; p = p->parent())
      if (p->typeName() == "SkelRoot") return;
    fail("UsdSkelBindingAPI applied on a prim, which is not of type SkelRoot or is not rooted at a prim of type "
         "SkelRoot, as required by the UsdSkel schema.");
  }
};

class ARKitPrimTypeChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    static constexpr std::array<std::string_view, 23> kAllowed = {
        "",         "Scope",         "Xform",        "Camera",      "Shader",       "Material",
        "Mesh",     "Sphere",        "Cube",         "Cylinder",    "Cone",         "Capsule",
        "GeomSubset", "Points",      "SkelRoot",     "Skeleton",    "SkelAnimation", "BlendShape",
        "SpatialAudio", "PhysicsScene", "Preliminary_ReferenceImage", "Preliminary_Text",
        "Preliminary_Trigger"};
    const std::string_view type = prim.typeName();
    for (std::string_view a : kAllowed)
      if (a == type) return;
    if (type.starts_with("RealityKit")) return;
    fail("Prim " + angle(prim.path()) + " has unsupported type '" + std::string(type) + "'.");
  }
};

class ARKitMaterialBindingChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    for (const Token& name : prim.propertyNames()) {
      const Spec* p = prim.property(name.str());
      if (!p || p->type() != SpecType::Relationship || !isMaterialBinding(name.str())) continue;
      const Path rel = prim.path().appendProperty(name.str());
      const std::vector<Path> targets = prim.relationshipTargets(name.str());
      if (targets.size() == 1) {
        if (!isMaterial(prim, targets[0]))
          fail("Direct material binding " + angle(rel) + " targets an invalid material " + angle(targets[0]) + ".");
      } else if (targets.size() == 2) {
        // A collection binding names the collection (a property path) and
        // the material (a prim path), in either order.
        Path collection, material;
        for (const Path& t : targets) (t.isPropertyPath() ? collection : material) = t;
        if (!isMaterial(prim, material))
          fail("Collection-based material binding " + angle(rel) + " targets an invalid material " +
               angle(material) + ".");
        if (!isCollection(prim, collection))
          fail("Collection-based material binding " + angle(rel) + " targets an invalid collection " +
               angle(collection) + ".");
      }
    }
  }

 private:
  static bool isMaterial(const PrimView& from, const Path& path) {
    if (path.empty() || !path.isPrimPath()) return false;
    const std::optional<PrimView> target = from.primAt(path);
    return target && target->isA("Material");
  }
  static bool isCollection(const PrimView& from, const Path& path) {
    if (path.empty() || !path.isPropertyPath()) return false;
    const std::string_view name = path.name();
    if (!name.starts_with("collection:")) return false;
    const std::optional<PrimView> owner = from.primAt(path.parent());
    return owner && owner->hasApi("CollectionAPI:" + std::string(name.substr(11)));
  }
};

}  // namespace

std::unique_ptr<Rule> makeStageRule(const RuleInfo& info, const RuleContext& context) {
  const std::string_view id = info.id;
  if (id == "StageMetadataChecker") return std::make_unique<StageMetadataChecker>(info, context);
  if (id == "MissingReferenceChecker") return std::make_unique<MissingReferenceChecker>(info, context);
  if (id == "PrimEncapsulationChecker") return std::make_unique<PrimEncapsulationChecker>(info, context);
  if (id == "MaterialBindingAPIAppliedChecker") return std::make_unique<MaterialBindingAPIAppliedChecker>(info, context);
  if (id == "SkelBindingAPIAppliedChecker") return std::make_unique<SkelBindingAPIAppliedChecker>(info, context);
  if (id == "ARKitPrimTypeChecker") return std::make_unique<ARKitPrimTypeChecker>(info, context);
  if (id == "ARKitMaterialBindingChecker") return std::make_unique<ARKitMaterialBindingChecker>(info, context);
  return nullptr;
}

}  // namespace usdkit::check::detail
