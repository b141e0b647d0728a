// A composed stage opened for questions about single objects (OpenUSD's
// UsdStage, as far as usdkit has one): which prims it has, each prim as the
// composed stage holds it (metadata, properties, resolved values), and how
// an attribute's value or an object's metadata resolves. Everything is
// composed on demand, so asking about one prim of a large scene composes
// only that prim and its ancestors. Instances show their composed children
// at their own paths (what a traversal with instance proxies sees); the
// prototypes they share are prims of the stage too (prototypes()).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/Expected.h"
#include "compose/LayerRegistry.h"
#include "compose/LayerStack.h"
#include "compose/PrimIndex.h"
#include "stage/Flatten.h"
#include "stage/Prototypes.h"

namespace usdkit {

class ClipSet;
using ClipSets = std::vector<std::shared_ptr<const ClipSet>>;
class ClipLayers;
namespace stage_detail {
class PrimComposer;
}

// What a stage is composed from: the layers opened so far and the root
// layer stack, with the session layer, muted layers and variant overrides
// the request names.
struct StageLayers {
  std::unique_ptr<LayerRegistry> registry;
  std::unique_ptr<LayerStackCache> stacks;
  std::shared_ptr<const LayerStack> root;
};
Expected<StageLayers> openStageLayers(const FlattenRequest& request);
// Which payloads prim indexes include, as the request says.
PrimIndexOptions primIndexOptions(const FlattenRequest& request);

struct PrimVariantSet {
  std::string name;
  std::vector<std::string> variants;  // sorted
  std::string selection;              // the variant composition selected (may be empty)
};

// The variant sets a prim's index offers, in its order, with the variant
// composition selected.
std::vector<PrimVariantSet> variantSetsOf(const PrimIndex& index);

class Stage {
 public:
  // The request's stage options apply (root and session layer, muted
  // layers, variant overrides, payload loading, population mask,
  // authoredPropertyTypes).
  static Expected<std::unique_ptr<Stage>> open(const FlattenRequest& request);
  // A stage over layers opened elsewhere: for a tool that composes the
  // same layers several times (usdchecker, once per variant selection).
  // `rootStack` carries the layer choices; the request's other stage
  // options apply. `stacks` must outlive the stage.
  static std::unique_ptr<Stage> openOn(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                       const FlattenRequest& request);
  ~Stage();

  const LayerStack& rootLayerStack() const noexcept { return *root_; }
  LayerRegistry& registry() noexcept { return stacks_.registry(); }

  // The index of a prim on the stage; the error says why `path` is not
  // one (no such prim, below an inactive prim, outside the mask).
  Expected<const PrimIndex*> prim(const Path& path);
  // The clip sets that apply to a prim on the stage: its own, then its
  // ancestors'.
  const ClipSets& clipSets(const Path& prim);

  // The prim at `path` as the composed stage holds it, or nullptr when
  // `path` is no prim of the stage: a prim spec with the composed metadata,
  // `primChildren` naming its children on the stage (none when inactive),
  // and its properties as specs below it, with `properties` in the prim's
  // order and values resolved to stage time (as a flatten writes them).
  // Composed once; the spec lives as long as the stage.
  const Spec* composedPrim(const Path& path);
  // The names of the children of a prim on the stage (of the pseudo-root
  // for "/"): empty for an inactive prim, or when `path` is no prim.
  const std::vector<Token>& childNames(const Path& path);
  // The prim's variant sets, and whether its index makes it an instance
  // (instanceable, with arcs to share); empty / false when `prim` is no
  // prim of the stage.
  const std::vector<PrimVariantSet>& variantSets(const Path& prim);
  bool isInstanceable(const Path& prim);
  // The layer composedPrim's specs live in, at stage paths: what has been
  // composed so far.
  const Layer& composedPrims() const noexcept { return *composed_; }
  // Composes every prim at or below `path`, depth first as a flatten visits
  // them, so that warnings() holds what composing them reports. With
  // `keep` false each prim is forgotten once its subtree is composed (for
  // what composing reports, not for the prims): memory then holds one
  // branch, not the stage.
  void composeSubtree(const Path& path, bool keep = true);
  // Forgets the composed prim at `path` and everything below it: they are
  // composed again when asked for. Specs and views of them are gone.
  void forget(const Path& path);
  // Forgets the prim index of the composed prim at `path`, kept to compose
  // its children from: a walk calls it once the last child is composed,
  // so that a chain of single children does not hold the index of every
  // prim above the deepest. The prim stays composed; prim() and children
  // composed later build the index again.
  void dropIndex(const Path& path) { cache_->release(indexPath(path)); }

  // The stage's own metadata (OpenUSD's stage metadata: the session
  // layer's and the root layer's, never a sublayer's), values as the stage
  // sees them; composed on first use.
  const Spec& stageMetadata();

  // Instancing as OpenUSD's stage builds it: every instance and the
  // prototype it shares. The first call walks the prim indexes of the
  // whole stage (within the mask) to find them, in namespace order; a
  // prototype is numbered when the walk below its source instance is done.
  // The prims of a prototype (/__Prototype_N and below) are prims of the
  // stage: prim(), composedPrim() and childNames() answer for them from the
  // source instance's indexes, as OpenUSD composes prototype prims (asking
  // for one finds the prototypes first). They are not children of the
  // pseudo-root.
  const Prototypes& prototypes();
  // The prototype the prim at `path` is an instance of (/__Prototype_N),
  // also for an instance proxy or a prim inside a prototype; an empty path
  // when it is no instance.
  Path prototypeOf(const Path& path);

  // Problems met while composing, in the order met: a composition error
  // once, however many prims show it.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  // The first value that could not be read while composing prims (a
  // damaged crate value): the prim keeps what was read before it, and the
  // stage is not whole. Ok when there was none.
  Status status() const;

 private:
  // Over `owned`'s layers, or over `stacks` and `rootStack` when given.
  Stage(StageLayers owned, LayerStackCache* stacks, std::shared_ptr<const LayerStack> rootStack,
        const FlattenRequest& request);
  void warn(std::string text);
  void warnOnce(const std::string& text);
  bool inMask(const Path& path) const;
  // The prototype `path` lies in (/__Prototype_N or below), once
  // prototypes() has found them.
  std::optional<std::size_t> prototypeContaining(const Path& path) const;
  // Finds the prototypes when `path` is named as a prim inside one.
  void findPrototypesFor(const Path& path);
  // The path whose prim index composes the prim at `path`: inside a
  // prototype the same prim below its source instance, else `path`.
  Path indexPath(const Path& path) const;
  // Lists the children `index` composes (those in the mask; none without
  // an index) as `parent`'s children on its composed spec, each an Unknown
  // spec until composed.
  void listChildren(const Path& parent, Spec& spec, const PrimIndex* index);
  void listRootChildren();
  // Composes the prim at `path`, whose parent is composed and lists it.
  const Spec* compose(const Path& path);

  StageLayers owned_;  // the layers, when the stage opened them
  LayerStackCache& stacks_;
  std::shared_ptr<const LayerStack> root_;
  std::vector<Path> mask_;
  bool authoredPropertyTypes_;
  std::unique_ptr<PrimIndexCache> cache_;
  std::unique_ptr<ClipLayers> clipLayers_;
  std::unordered_map<Path, ClipSets> clipSetsByPrim_;
  std::unique_ptr<stage_detail::PrimComposer> composer_;
  std::unique_ptr<Layer> composed_;  // composedPrim's specs, at stage paths
  bool stageMetadataComposed_ = false;
  std::optional<Prototypes> prototypes_;  // once prototypes() has walked the stage
  // What the prim index says beyond the composed spec, for prims where it
  // says something.
  struct PrimFacts {
    bool instanceable = false;
    std::vector<PrimVariantSet> variantSets;
  };
  std::unordered_map<Path, PrimFacts> facts_;
  std::optional<Error> failure_;
  std::vector<std::string> warnings_;
  std::unordered_set<std::string> reported_;  // warnOnce's texts
};

}  // namespace usdkit
