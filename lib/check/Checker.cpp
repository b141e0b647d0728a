// The checking driver; see Checker.h. It follows OpenUSD's
// ComplianceChecker: stage-level rules, dependencies, layers, packages, then
// every prim of the composed stage, once per combination of variant
// selections below each prim that has variant sets.
#include "check/Checker.h"

#include <algorithm>
#include <set>

#include "check/RuleBase.h"
#include "compose/AssetResolver.h"
#include "compose/LayerRegistry.h"
#include "compose/LayerStack.h"
#include "io/Packages.h"
#include "io/usdz/ZipArchive.h"
#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "stage/Flatten.h"
#include "stage/StageFlattener.h"

namespace usdkit::check {

Expected<std::vector<const RuleInfo*>> selectRules(const CheckOptions& options) {
  for (const auto* list : {&options.enable, &options.disable})
    for (const std::string& id : *list)
      if (!findRule(id)) return makeError("unknown rule '" + id + "' (see --dumpRules)");
  const auto listed = [](const std::vector<std::string>& list, std::string_view id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  std::vector<const RuleInfo*> out;
  for (const RuleInfo& r : allRules()) {
    const bool wanted = r.set != RuleSet::ARKit || options.arkit || listed(options.enable, r.id);
    if (wanted && !listed(options.disable, r.id)) out.push_back(&r);
  }
  return out;
}

std::size_t CheckResult::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity == s; }));
}

bool CheckResult::failed(bool strict) const {
  return count(Severity::Error) + count(Severity::Failure) > 0 || (strict && count(Severity::Warning) > 0);
}

std::string openUsdLine(const Finding& f) {
  if (f.rule.empty()) return f.message;
  switch (f.severity) {
    case Severity::Warning: return f.message + " (may violate '" + f.rule + "')";
    case Severity::Error: return "Error checking rule '" + f.rule + "': " + f.message;
    case Severity::Failure: break;
  }
  return f.message + " (fails '" + f.rule + "')";
}

namespace {

using detail::PrimView;
using detail::Rule;

class AssetCheck {
 public:
  AssetCheck(const std::string& input, const CheckOptions& options, std::span<const RuleInfo* const> ruleInfos)
      : input_(input),
        options_(options),
        root_(absolutePath(input)),
        registry_(AssetResolver::forRootLayer(root_)),
        stacks_(registry_, LayerStackOptions::fromEnvironment()),
        context_{options, schema::SchemaRegistry::instance(), {}} {
    context_.resolveAsset = [this](const std::string& asset) {
      return registry_.resolver().resolve(registry_.resolver().anchor(asset, root_)).has_value();
    };
    for (const RuleInfo* info : ruleInfos) {
      std::unique_ptr<Rule> rule = detail::makePackageRule(*info, context_);
      if (!rule) rule = detail::makeStageRule(*info, context_);
      if (!rule) rule = detail::makeShadingRule(*info, context_);
      if (!rule) rule = detail::makeSchemaRule(*info, context_);
      if (rule) rules_.push_back(std::move(rule));
    }
  }

  CheckResult run() {
    CheckResult result;
    result.input = input_;
    check();
    // OpenUSD's order: warnings, errors (the checker's own first), failed checks.
    for (Severity s : {Severity::Warning, Severity::Error, Severity::Failure}) {
      for (const Finding& f : own_)
        if (f.severity == s) result.findings.push_back(f);
      for (const auto& rule : rules_)
        for (const Finding& f : rule->findings())
          if (f.severity == s) result.findings.push_back(f);
    }
    result.log = std::move(log_);
    return result;
  }

 private:
  void error(std::string message) { own_.push_back({std::string(), Severity::Error, std::move(message)}); }
  void note(std::string message) {
    if (options_.verbose) log_.push_back(std::move(message));
  }

  void check() {
    if (!detail::isStageFile(input_)) {
      error("Cannot open file '" + input_ + "' on a USD stage.");
      return;
    }
    Expected<std::shared_ptr<const Layer>> root = registry_.open(root_);
    if (!root) {
      error(root.error().message);
      return;
    }
    rootLayer_ = *root;
    stack_ = stacks_.get(rootLayer_, nullptr);
    // One pass over the stage: the traversal composes every prim in a
    // flatten's order, checks those UsdPrimRange visits and forgets each
    // branch once it is done, so memory holds a branch, never the whole
    // composed stage (which can be the square of the input's size). What
    // composing reports is checked at the end and its findings are put
    // where OpenUSD reports them, after the stage-level ones. Rules look
    // other prims up in a second stage, so the traversal's stage composes
    // in order and reports each problem where a flatten would.
    Composed stage = compose({}, true);
    const std::string& rootId = rootLayer_->identifier();
    const bool packaged = rootId.ends_with("]");
    const detail::StageFacts facts{*rootLayer_, stage.lookup(), rootId,
                                   !packaged && innermostFileExtension(rootId) == "usdz", packaged};
    std::vector<std::size_t> diagnosticsAt;
    for (auto& rule : rules_) {
      rule->checkStage(facts);
      diagnosticsAt.push_back(rule->findings().size());
    }
    std::vector<Path> withVariants;
    checkBeyondStage(stage, facts, withVariants);
    if (Status s = stage->status(); !s) {
      // A stage that cannot be composed whole is not checked at all.
      for (auto& rule : rules_) rule->findings().clear();
      own_.clear();
      log_.clear();
      error(s.error().message);
      return;
    }
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      std::vector<Finding>& found = rules_[i]->findings();
      const std::size_t end = found.size();
      rules_[i]->checkDiagnostics(stage->warnings());
      std::rotate(found.begin() + static_cast<std::ptrdiff_t>(diagnosticsAt[i]),
                  found.begin() + static_cast<std::ptrdiff_t>(end), found.end());
    }
    for (const VariantPrim& p : describe(*stage, withVariants)) traverseVariants(p);
  }

  // The stage with the variant selections made so far, limited to the
  // subtree at `mask` when given; prims compose as they are visited, and
  // go with the stage: memory stays flat however many combinations are
  // checked.
  class Composed {
   public:
    Composed(std::unique_ptr<Stage> stage, std::unique_ptr<Stage> lookup)
        : stage_(std::move(stage)), lookup_(std::move(lookup)) {}
    Stage& operator*() const noexcept { return *stage_; }
    Stage* operator->() const noexcept { return stage_.get(); }
    // The same stage again, for prims looked up out of order (the stage
    // itself when it was composed without one).
    Stage& lookup() const noexcept { return lookup_ ? *lookup_ : *stage_; }

   private:
    std::unique_ptr<Stage> stage_;
    std::unique_ptr<Stage> lookup_;
  };

  Composed compose(const std::vector<Path>& mask, bool withLookup = false) {
    FlattenRequest request;
    // The schema rules compare authored types and variability with the
    // schemas, which the composed stage would already have applied.
    request.authoredPropertyTypes = true;
    request.mask = mask;
    std::shared_ptr<const LayerStack> stack = selectionsStack_ ? selectionsStack_ : stack_;
    std::unique_ptr<Stage> lookup = withLookup ? Stage::openOn(stacks_, stack, request) : nullptr;
    return Composed(Stage::openOn(stacks_, std::move(stack), request), std::move(lookup));
  }

  // Dependencies, layers, packages, then the prims of the stage (those
  // with variant sets are left in `withVariants`).
  void checkBeyondStage(Composed& stage, const detail::StageFacts& facts, std::vector<Path>& withVariants) {
    const detail::Dependencies deps = detail::computeDependencies(registry_, rootLayer_);
    for (auto& rule : rules_) {
      rule->checkUnresolvedPaths(deps.unresolved);
      rule->checkDependencies(facts, deps);
    }
    if (options_.rootPackageOnly) {
      if (facts.rootIsPackage)
        checkPackage(enclosingPackagePath(rootLayer_->identifier()));
      else
        error("Root layer of the USD stage (" + rootLayer_->identifier() +
              ") doesn't belong to a package, but 'rootPackageOnly' is True!");
      stage->composeSubtree(Path::absoluteRoot(), false);  // for what composing reports
      return;
    }
    std::set<std::string> packages;
    for (const detail::DependencyLayer& layer : deps.layers) {
      if (layer.packageOrPackaged) packages.insert(layer.packagePath);
      note("Checking layer <" + layer.identifier + ">.");
      for (auto& rule : rules_) rule->checkLayer(layer);
    }
    for (const std::string& p : packages) checkPackage(p);
    withVariants = traverse(*stage, stage.lookup(), Path::absoluteRoot(), true, true);
  }

  void checkPackage(const std::string& packagePath) {
    note("Checking package <" + packagePath + ">.");
    if (innermostFileExtension(packagePath) != "usdz") {
      error("Package at path " + packagePath + " has an invalid extension.");
      return;
    }
    // The package holding this one first ("a.usdz[b.usdz]" is inside "a.usdz").
    if (packagePath.ends_with("]")) checkPackage(enclosingPackagePath(packagePath));
    if (!checkedPackages_.insert(packagePath).second) return;
    Expected<FileBytes> bytes = packageBytes(packagePath);
    if (!bytes) {
      error(bytes.error().message);
      return;
    }
    Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(bytes->data, packagePath);
    if (!zip) {
      error("Could not open package at path '" + packagePath + "': " + zip.error().message);
      return;
    }
    for (auto& rule : rules_) rule->checkZip(*zip, packagePath);
  }

  // The bytes of a package file, or of a package inside packages; the
  // outermost is found through the resolver.
  Expected<FileBytes> packageBytes(const std::string& packagePath) {
    const auto split = splitPackagePath(packagePath);
    const std::string outer(split ? split->first : std::string_view(packagePath));
    const std::optional<std::string> resolved = registry_.resolver().resolve(outer);
    if (!resolved) return makeError("Failed to resolve package path '" + outer + "'.");
    return readFileBytes(split ? joinPackagePath(*resolved, split->second) : *resolved);
  }

  // UsdPrimRange with the default predicate and instance proxies: defined,
  // non-abstract, active, loaded prims (the stage holds only loaded ones),
  // from `start`. A prim with variant sets is not checked here but
  // returned, for each combination to be checked. With `composeAll` every
  // prim below is composed, checked or not, in a flatten's order (so that
  // the stage reports what composing it whole reports). Each subtree is
  // forgotten once walked, and `lookup` after each root prim.
  std::vector<Path> traverse(Stage& stage, Stage& lookup, const Path& start, bool isStageRoot, bool composeAll) {
    std::vector<Path> withVariants;
    // Depth first without recursion: namespace is as deep as the input
    // makes it. Paths, not prim views: a prim with many children holds one
    // path each.
    struct Pending {
      Path path;
      bool done;   // its subtree is walked
      bool check;  // its ancestors up to `start` were checked
      bool last;   // the last child of its parent
    };
    std::vector<Pending> pending;
    // A copy: composing prims adds specs beside the list.
    auto pushChildren = [&](const Path& parent, bool check) {
      const std::vector<Token> names = stage.childNames(parent);
      for (auto name = names.rbegin(); name != names.rend(); ++name)
        pending.push_back({parent.appendChild(name->str()), false, check, name == names.rbegin()});
    };
    if (start.isAbsoluteRoot())
      pushChildren(start, true);
    else
      pending.push_back({start, false, true, false});
    while (!pending.empty()) {
      const Pending next = std::move(pending.back());
      pending.pop_back();
      if (next.done) {
        stage.forget(next.path);
        if (&lookup != &stage && next.path.parent().isAbsoluteRoot()) lookup.forget(Path::absoluteRoot());
        continue;
      }
      const Spec* spec = stage.composedPrim(next.path);
      if (next.last) stage.dropIndex(next.path.parent());
      if (!spec) continue;
      const PrimView prim(stage, lookup, next.path, *spec);
      bool check = next.check && prim.isDefined() && prim.isActive();
      if (check && doVariants() && (isStageRoot || next.path != start) && !stage.variantSets(next.path).empty()) {
        withVariants.push_back(next.path);
        check = false;
      }
      if (!check && !composeAll) {
        stage.forget(next.path);
        continue;
      }
      pending.push_back({next.path, true, false, false});
      if (check) {
        note("Checking prim <" + next.path.string() + ">.");
        for (auto& rule : rules_) rule->checkPrim(prim);
      }
      pushChildren(next.path, check);
    }
    return withVariants;
  }

  // Below an instance (what OpenUSD calls an instance proxy).
  static bool isInstanceProxy(Stage& stage, const Path& prim) {
    for (Path a = prim.parent(); !a.empty() && !a.isAbsoluteRoot(); a = a.parent())
      if (stage.isInstanceable(a)) return true;
    return false;
  }

  // A prim whose variant combinations are to be checked, as the stage it
  // was found in shows it.
  struct VariantPrim {
    Path path;
    bool instanceProxy = false;
    std::vector<PrimVariantSet> sets;
  };
  static std::vector<VariantPrim> describe(Stage& stage, const std::vector<Path>& prims) {
    std::vector<VariantPrim> out;
    for (const Path& p : prims) out.push_back({p, isInstanceProxy(stage, p), stage.variantSets(p)});
    return out;
  }

  // Checks each combination of the prim's variant selections. The stage
  // of a combination is gone before the prims with variant sets found in
  // it are checked: the selections layer is edited only while no stage
  // reads it.
  void traverseVariants(const VariantPrim& target) {
    if (target.instanceProxy) return;
    const Path& prim = target.path;
    const std::vector<PrimVariantSet>& sets = target.sets;
    for (const PrimVariantSet& s : sets)
      if (s.variants.empty()) return;  // no combination at all
    for (const std::vector<std::size_t>& combination : combinations(sets, prim)) {
      std::string described;
      for (std::size_t i = 0; i < sets.size(); ++i) {
        const std::string& variant = sets[i].variants[combination[i]];
        select(prim, sets[i].name, variant);
        described += (i ? ", '" : "'") + variant + "'";
      }
      note("Testing variation (" + described + (sets.size() == 1 ? ",)" : ")") + " of prim <" + prim.string() + ">");
      for (auto& rule : rules_) rule->resetCaches();
      std::vector<VariantPrim> nested;
      {
        Composed variation = compose({prim});
        variation->composeSubtree(prim);
        if (Status s = variation->status(); !s) {
          error(s.error().message);
          continue;
        }
        nested = describe(*variation, traverse(*variation, *variation, prim, false, false));
      }
      for (const VariantPrim& p : nested) traverseVariants(p);
    }
  }

  // Sets a variant selection in the selections layer, the session layer of
  // every later composition (OpenUSD's checker leaves each prim at the last
  // variant it tried). The layer is edited in place: built anew for each
  // combination, it cost every selection made so far each time.
  void select(const Path& prim, const std::string& set, const std::string& variant) {
    if (!selections_) {
      selections_ = std::make_shared<Layer>();
      selections_->setIdentifier("anon:usdchecker-variants.usda");
      selectionsStack_ = stacks_.get(rootLayer_, registry_.add(selections_));
    }
    setVariantSelection(*selections_, prim, set, variant);
  }

  // Every combination (the first set slowest, as itertools.product), or
  // past the limit a covering set: each variant of each set once, the
  // other sets at their selection (or first variant).
  std::vector<std::vector<std::size_t>> combinations(const std::vector<PrimVariantSet>& sets, const Path& prim) {
    std::size_t total = 1;
    bool over = false;
    const std::size_t limit = options_.maxVariantCombinations;
    for (const PrimVariantSet& s : sets) {
      if (limit && total > limit / s.variants.size()) over = true;
      total *= over ? 1 : s.variants.size();
    }
    std::vector<std::vector<std::size_t>> out;
    if (!over) {
      std::vector<std::size_t> at(sets.size(), 0);
      while (true) {
        out.push_back(at);
        std::size_t i = sets.size();
        while (i > 0 && ++at[i - 1] == sets[i - 1].variants.size()) at[--i] = 0;
        if (i == 0) return out;
      }
    }
    std::vector<std::size_t> base(sets.size(), 0);
    for (std::size_t i = 0; i < sets.size(); ++i) {
      const auto& v = sets[i].variants;
      const auto it = std::find(v.begin(), v.end(), sets[i].selection);
      if (it != v.end()) base[i] = static_cast<std::size_t>(it - v.begin());
    }
    for (std::size_t i = 0; i < sets.size(); ++i) {
      for (std::size_t k = 0; k < sets[i].variants.size(); ++k) {
        if (k == base[i] && i > 0) continue;  // already in the list
        std::vector<std::size_t> c = base;
        c[i] = k;
        out.push_back(std::move(c));
      }
    }
    own_.push_back({std::string(), Severity::Warning,
                    "Prim <" + prim.string() + "> has more than " + std::to_string(limit) +
                        " combinations of variant selections; checked " + std::to_string(out.size()) +
                        " that select every variant of every set at least once (see --maxVariantCombinations)."});
    return out;
  }

  bool doVariants() const { return !options_.skipVariants; }

  std::string input_;
  const CheckOptions& options_;
  std::string root_;
  LayerRegistry registry_;
  LayerStackCache stacks_;
  detail::RuleContext context_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<Finding> own_;
  std::vector<std::string> log_;
  std::shared_ptr<const Layer> rootLayer_;
  std::shared_ptr<const LayerStack> stack_;
  std::shared_ptr<Layer> selections_;  // see select()
  std::shared_ptr<const LayerStack> selectionsStack_;
  std::set<std::string> checkedPackages_;
};

}  // namespace

CheckResult checkAsset(const std::string& input, const CheckOptions& options, std::span<const RuleInfo* const> rules) {
  return AssetCheck(input, options, rules).run();
}

}  // namespace usdkit::check
