// Internal to lib/stage: one prim of the composed stage written as plain
// specs: its composed metadata, and each property with its resolved values
// (time samples from opinions or value clips, the strongest default),
// composed metadata and targets. The flattener writes every prim this way
// into its output layer; the Stage writes the prims it is asked about into
// its own layer of composed prims. One implementation of "what the composed
// prim holds", whoever reads it.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "compose/AssetResolver.h"
#include "compose/PrimIndex.h"
#include "schema/PrimDefinition.h"
#include "sdf/Layer.h"
#include "stage/ChildNameLists.h"
#include "stage/ValueClips.h"
#include "stage/ValueResolution.h"

namespace usdkit::stage_detail {

class PrimComposer {
 public:
  using Warn = std::function<void(std::string)>;

  // `authoredPropertyTypes`: attributes keep the type name, variability and
  // `custom` their opinions give, also where the prim's schemas define them
  // (for tools that compare what is authored with the schemas).
  PrimComposer(const AssetResolver& resolver, bool authoredPropertyTypes, Warn warn);

  // While a prototype is written: paths into its source instance
  // (`source`) are written below `written`; `stagePath` is the prototype
  // as the stage names it ("/__Prototype_1"), where path expressions inside
  // it are anchored, as OpenUSD flattens them. Empty paths: no prototype.
  void setPrototype(Path source, Path written, Path stagePath);

  // The prim's composed metadata into `spec`: specifier, type name and
  // every other field an opinion authors (stage-private fields left out).
  Status composeMetadata(const PrimIndex& index, std::span<const Opinion> ops, Spec& spec) const;

  // The stage's metadata (stageMetadataOpinions) into `spec`, composed as
  // a prim's fields are (stage-private fields left out, dictionaries
  // merged), values as the stage sees them.
  Status composeStageMetadata(std::span<const Opinion> ops, Spec& spec) const;

  // The prim's properties as specs below `storedAt` of `out` (where
  // composeMetadata has written its prim spec), their names appended to
  // `names` under `storedAt` in the prim's property order. `outPath` is the
  // prim's path in the output's namespace (path expressions are anchored
  // there); a writer that keeps one prim at a time stores every prim at
  // one path, so that no property path of the output is ever made.
  Status composeProperties(Layer& out, const Path& outPath, const Path& storedAt, const PrimIndex& index,
                           const std::vector<Opinion>& primOps, const ClipSets& clips, ChildNameLists& names) const;

  // A field's value as the composed stage holds it (stage_detail::
  // stageValue), its problems reported as warnings.
  Expected<Value> stageValue(Token field, const Value& raw, const Opinion& op) const;

 private:
  std::string anchor(std::string_view assetPath, const Opinion& op) const;
  Expected<Value> composeField(Token field, std::span<const Opinion> ops) const;
  std::vector<Path> composeTargets(const PrimIndex& index, std::span<const Opinion> ops, Token field) const;
  Status composeClipOnlyAttributes(Layer& out, const Path& storedAt, const PrimIndex& index, const ClipSets& clips,
                                   const schema::PrimDefinition& definition, const std::vector<Token>& authored,
                                   ChildNameLists& names) const;
  Status composePropertyMetadata(Spec& spec, std::span<const Opinion> ops, const Spec& weakest, bool attribute,
                                 const schema::PropertyDef* builtin) const;
  Status composeAttribute(Spec& spec, const Path& primOut, Token name, const PrimIndex& index, std::span<const Opinion> ops,
                          const ClipSets& clips, const Spec& weakest, const schema::PropertyDef* builtin) const;
  Status composeSamples(Spec& spec, const PrimIndex& index, std::span<const Opinion> ops, const ClipSets& clips,
                        Token name) const;
  // The default and time samples where an opinion holds an array edit
  // (ArrayEditResolution.h), without value clips.
  Status composeWithArrayEdits(Spec& spec, std::span<const Opinion> ops, const schema::PropertyDef* builtin) const;
  Status composeRelationship(Spec& spec, const PrimIndex& index, std::span<const Opinion> ops, const Spec& weakest,
                             const schema::PropertyDef* builtin) const;
  void anchorPathExpressions(Spec& spec, const Path& primOut) const;
  void retypeValues(Spec& spec, std::string_view typeName) const;

  const AssetResolver& resolver_;
  bool authoredPropertyTypes_;
  Warn warn_;
  Path prototypeSource_, prototypeWritten_, prototypeStagePath_;
};

}  // namespace usdkit::stage_detail
