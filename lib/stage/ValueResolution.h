// Internal to lib/stage: value resolution over one attribute's opinions
// (OpenUSD's UsdStage value resolution walk): which source, strongest first,
// gives its time samples: an opinion's own samples or value clips.
#pragma once

#include <functional>
#include <span>

#include "compose/AssetResolver.h"
#include "compose/PrimIndex.h"
#include "compose/PropertyIndex.h"
#include "sdf/Layer.h"
#include "stage/ValueClips.h"

namespace usdkit::stage_detail {

// One opinion: a spec in a layer, the layer that authored it and the offset
// from that layer's times to stage times.
struct Opinion {
  const Spec* spec;
  const Layer* layer;
  LayerOffset toStage;
  int node;
  const LayerStack* stack;  // the node's, whose variables expressions use
};

// The stage's own metadata opinions, strongest first: the session layer's
// and the root layer's pseudo-roots (sublayers never contribute).
std::vector<Opinion> stageMetadataOpinions(const LayerStack& root);

// A prim's opinions, one per prim stack entry in its order (the prim spec
// of each), with their offsets to stage time.
std::vector<Opinion> primOpinions(const PrimIndex& index);
// A property's opinions: its specs, with the offsets of the prim opinions
// (`primOps`, as primOpinions gives them) they hang from.
std::vector<Opinion> propertyOpinions(const PropertyStack& stack, const std::vector<Opinion>& primOps);
// The prim's composed `active` (true when no opinion says).
bool isActive(std::span<const Opinion> primOps);

// The composed specifier: def if any opinion says def; class if one says
// class not only through an inherit arc; else over.
Specifier composedSpecifier(const PrimIndex& index, std::span<const Opinion> ops);
// Field names authored on any of the opinions, in first-seen order (the
// stage's private fields left out).
std::vector<Token> authoredFields(std::span<const Opinion> ops);
// Target or connection paths (`field`): each opinion's list op, its paths
// mapped into the stage's namespace (then through `adjust`), applied
// weakest first.
std::vector<Path> composeTargetPaths(const PrimIndex& index, std::span<const Opinion> ops, Token field,
                                     const std::function<Path(Path)>& adjust = {});

// Where an attribute's time samples come from: the strongest source with
// samples, unless a stronger opinion has a default (then, and without any
// samples, neither is set).
struct SampleSource {
  const Opinion* opinion = nullptr;  // samples authored in its spec
  const ClipSet* clips = nullptr;    // or samples from these clips ...
  Path clipSpecPath;                 // ... for this attribute path at the node they apply to
  int node = -1;
};

// One place value resolution looks, strongest first: an opinion, or the
// clip sets anchored just after an opinion's layer.
struct ValueSourceEntry {
  const Opinion* opinion = nullptr;
  const ClipSet* clips = nullptr;
  Path clipSpecPath;  // with clips: the attribute's path at the node
  int node = -1;
};

// Every place, in the order value resolution visits them. `ops` are the
// attribute's opinions strongest first (in prim index order); `clips` the
// prim's clip sets. Clip sets speak just after the layer that anchors them,
// in each node of their layer stack at or below their prim, also in nodes
// without specs, and only for attributes their manifest holds.
std::vector<ValueSourceEntry> valueSources(const PrimIndex& index, std::span<const Opinion> ops, const ClipSets& clips,
                                           Token name);

// The first of valueSources() with samples or a default (not counting an
// AnimationBlock default, which hides the samples of weaker opinions).
SampleSource sampleSource(const PrimIndex& index, std::span<const Opinion> ops, const ClipSets& clips, Token name);

// Whether an opinion holds at least one time sample.
bool hasTimeSamples(const Opinion& op);
// Whether a composed attribute's default or one of its time samples is an
// array edit.
bool resolvesToArrayEdit(const Spec& attribute);
// Whether an opinion's default is AnimationBlock: it gives no default
// itself (weaker defaults apply) and blocks weaker samples.
bool isAnimationBlock(const Opinion& op);

// A field's value as the composed stage sees it: times in stage time, asset
// paths anchored to the layer that authored it (expressions evaluated with
// its layer stack's variables). Problems with asset paths go to `warnings`.
Expected<Value> stageValue(Token field, const Value& raw, const Opinion& op, const AssetResolver& resolver,
                           std::vector<std::string>* warnings);

// Generic metadata composition over the values of one field, strongest
// first: the strongest value; dictionaries merged key by key; list ops of
// plain items applied weakest first onto an empty list and given as an
// explicit list.
Value composeMetadataValues(const std::vector<Value>& strongestFirst);

// The clips' samples: every time any clip has a sample at, with the value
// resolved there (a block where the clips give none), passed through
// `fixAssetPaths` with the layer it came from.
using ClipValueFix = std::function<Value(const Value&, const Layer& from)>;
TimeSamples clipSamples(const SampleSource& source, const ClipValueFix& fixAssetPaths);

}  // namespace usdkit::stage_detail
