// What rules see and how they report (internal to lib/check). Rules hook
// into the same points as OpenUSD's rule checkers: the stage, the
// diagnostics of opening it, its dependencies, each layer, each package and
// each composed prim (once per variant combination it appears in).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "check/Checker.h"
#include "schema/SchemaRegistry.h"
#include "sdf/Layer.h"
#include "sdf/Path.h"
#include "stage/Stage.h"

namespace usdkit::usdz {
class ZipArchive;
}

namespace usdkit::check::detail {

// A prim of the composed stage (Stage::composedPrim): its metadata and
// properties hold the resolved opinions, paths are stage paths. Prims it
// leads to (parents, targets' owners) are composed when first asked for:
// its ancestors in its own stage, other prims in `lookup` (the same stage
// unless a traversal composes its stage in order and must not be
// disturbed).
class PrimView {
 public:
  PrimView(Stage& stage, Stage& lookup, Path path, const Spec& spec)
      : stage_(&stage), lookup_(&lookup), path_(std::move(path)), spec_(&spec) {}
  // The prim at `path` of `stage`, when it is one.
  static std::optional<PrimView> at(Stage& stage, const Path& path) { return at(stage, stage, path); }
  static std::optional<PrimView> at(Stage& stage, Stage& lookup, const Path& path);

  const Path& path() const noexcept { return path_; }
  const Spec& spec() const noexcept { return *spec_; }
  std::string_view typeName() const;
  std::optional<PrimView> parent() const;  // nullopt at a root prim
  bool isDefined() const;   // `def` (not `over`/`class`)
  bool isActive() const;

  // API schemas authored on the prim (composed apiSchemas), e.g. "CollectionAPI:a".
  std::vector<std::string> authoredApis() const;
  // Authored and built in by the type (UsdPrim::HasAPI).
  bool hasApi(std::string_view schema) const;
  bool isA(std::string_view schema) const;  // typed inheritance (UsdPrim::IsA)

  std::vector<Token> propertyNames() const;
  const Spec* property(std::string_view name) const;
  // The attribute's type name as authored ("color3f"); empty when it is not an authored attribute.
  std::string_view attributeType(std::string_view name) const;
  // Value at the earliest time (first time sample, else default), else the
  // schema fallback; nullopt when neither exists.
  std::optional<Value> attributeValue(std::string_view name) const;
  std::vector<Path> relationshipTargets(std::string_view name) const;
  std::vector<Path> connections(std::string_view name) const;
  std::optional<PrimView> primAt(const Path& path) const;  // any prim of the same stage

 private:
  Stage* stage_;
  Stage* lookup_;
  Path path_;
  const Spec* spec_;
};

// UsdShadeConnectableAPI's answers for a prim with a type name.
bool isConnectable(const PrimView& prim);
bool isContainerConnectable(const PrimView& prim);

struct StageFacts {
  const Layer& rootLayer;        // as read from disk
  Stage& stage;                  // the composed stage (default selections)
  std::string rootIdentifier;    // absolute; "/abs/pkg.usdz" for a package
  bool rootIsPackage = false;    // the input is a .usdz
  bool rootIsPackaged = false;   // the input is a layer inside one ("a.usdz[b.usda]")
};

struct DependencyLayer {
  std::string identifier;  // absolute path, "/abs/pkg.usdz[entry]" inside packages
  std::string formatId;    // "usda", "usdc", "usdz", "sdf", ...
  bool packageOrPackaged = false;
  std::string packagePath;  // the innermost package holding it (or itself)
};

struct Dependencies {
  std::vector<DependencyLayer> layers;  // root first, the rest sorted by path
  std::vector<std::string> assets;      // resolved paths of files that are not layers, sorted
  std::vector<std::string> unresolved;  // anchored asset paths nothing resolves, sorted
};

struct RuleContext {
  const CheckOptions& options;
  const schema::SchemaRegistry& schemas;
  // Whether an asset path of the composed stage (anchored when flattened)
  // resolves to a file.
  std::function<bool(const std::string&)> resolveAsset;
  bool consumerLevelChecks() const { return options.arkit; }
  bool assetLevelChecks() const { return options.assetLevelChecks; }
};

class Rule {
 public:
  Rule(const RuleInfo& info, const RuleContext& context) : info_(info), context_(context) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  virtual void checkStage(const StageFacts&) {}
  virtual void checkDiagnostics(std::span<const std::string>) {}
  virtual void checkUnresolvedPaths(std::span<const std::string>) {}
  virtual void checkDependencies(const StageFacts&, const Dependencies&) {}
  virtual void checkLayer(const DependencyLayer&) {}
  virtual void checkZip(const usdz::ZipArchive&, const std::string& /*packagePath*/) {}
  virtual void checkPrim(const PrimView&) {}
  virtual void resetCaches() {}

  const RuleInfo& info() const noexcept { return info_; }
  std::vector<Finding>& findings() noexcept { return findings_; }

 protected:
  void fail(std::string message) { add(Severity::Failure, std::move(message)); }
  void error(std::string message) { add(Severity::Error, std::move(message)); }
  void warn(std::string message) { add(Severity::Warning, std::move(message)); }
  // usdkit's own rules report at warning level: OpenUSD's verdict stays the
  // verdict, and --strict turns them into failures.
  void report(std::string message) { add(info_.set == RuleSet::Schema ? Severity::Warning : Severity::Failure, std::move(message)); }
  const RuleContext& context() const noexcept { return context_; }
  const schema::SchemaRegistry& schemas() const noexcept { return context_.schemas; }

 private:
  void add(Severity s, std::string message) { findings_.push_back({std::string(info_.id), s, std::move(message)}); }
  const RuleInfo& info_;
  const RuleContext& context_;
  std::vector<Finding> findings_;
};

// Factories, one per source file; nullptr when the file has no rule by that id.
std::unique_ptr<Rule> makePackageRule(const RuleInfo& info, const RuleContext& context);
std::unique_ptr<Rule> makeStageRule(const RuleInfo& info, const RuleContext& context);
std::unique_ptr<Rule> makeShadingRule(const RuleInfo& info, const RuleContext& context);
std::unique_ptr<Rule> makeSchemaRule(const RuleInfo& info, const RuleContext& context);

// Texture file formats (TextureChecker), shared with the ARKit package rules.
std::span<const std::string_view> basicUsdzImageFormats();
// Layer formats ARKit accepts, shared with the ARKit package rules.
std::span<const std::string_view> arkitLayerFormats();

}  // namespace usdkit::check::detail

namespace usdkit {
class LayerRegistry;
}

namespace usdkit::check::detail {

// UsdUtilsComputeAllDependencies: every layer and file `root` depends on,
// recursively through sublayers, references, payloads and asset-valued
// metadata and attributes, in every variant (it reads layers, not the
// composed stage).
Dependencies computeDependencies(LayerRegistry& registry, const std::shared_ptr<const Layer>& root);

// What OpenUSD's Usd.Stage.IsSupportedFile answers for a path.
bool isStageFile(std::string_view path);
// A layer's format id as OpenUSD names it ("usd" for .usd files).
std::string layerFormatId(const Layer& layer);

}  // namespace usdkit::check::detail
