// Well-known field names (OpenUSD's SdfFieldKeys / SdfChildrenKeys and the
// metadata registered by the core plugins). Interned once on first use.
//
// How a layer stores scene description (the contract between the readers,
// the writers and composition). Paths: pseudo-root "/", prim "/A/B", variant
// set "/A{set=}", variant "/A{set=sel}", prim in a variant "/A{set=sel}C",
// property "/A.name". Value types are those of sdf/ValueTypes.h.
//
// PseudoRoot (layer metadata):
//   comment string (bare string in the block), documentation string (`doc`),
//   subLayers StringVector + subLayerOffsets LayerOffsetVector (same length),
//   layerRelocates Relocates (absolute paths, authored order),
//   primChildren TokenVector (root prims, authored order),
//   primOrder TokenVector (`reorder rootPrims`), any other metadata typed per
//   the schema (defaultPrim Token, startTimeCode double, customLayerData
//   Dictionary, framePrecision int32, hasOwnedSubLayers bool, ...).
// Prim and Variant specs:
//   specifier Specifier (prims only), typeName Token (absent when untyped),
//   primChildren / properties TokenVector (authored order),
//   variantSetChildren TokenVector (variant sets in authored order),
//   primOrder / propertyOrder TokenVector (`reorder nameChildren/properties`),
//   comment string, documentation string, kind Token, permission Permission,
//   symmetryFunction Token (may be the empty token), references
//   ReferenceListOp, payload PayloadListOp, inheritPaths / specializes
//   PathListOp, variantSetNames StringListOp, variantSelection
//   VariantSelectionMap, relocates RelocatesMap (absolute paths),
//   prefixSubstitutions / suffixSubstitutions StringDictionary, other metadata
//   typed per the schema (active bool, customData Dictionary, apiSchemas
//   TokenListOp, ...).
// VariantSet specs: variantChildren TokenVector (variant names).
// Attribute specs: typeName Token (the serialisation name, e.g. "point3f[]",
//   unknown names verbatim), custom bool (absent = false), variability
//   Variability (absent = Varying, the schema fallback), default (typed value, ValueBlock for `None`, UnregisteredValue
//   for unknown types), timeSamples TimeSamples, spline Spline,
//   connectionPaths PathListOp, displayUnit Token (unit name), metadata.
// Relationship specs: custom bool (absent = false), variability Variability
//   (always present: `rel` is Uniform, `varying rel` Varying), targetPaths PathListOp, default Path
//   (`rel r.default = <p>`), metadata.
// Unknown metadata keys: UnregisteredValue (text), Dictionary (a dictionary
//   value) or UnregisteredListOp (list-op statements).
#pragma once

#include "base/Token.h"

namespace usdkit {

struct FieldNames {
  // Structure
  Token primChildren{"primChildren"}, properties{"properties"},
      variantSetChildren{"variantSetChildren"}, variantChildren{"variantChildren"},
      primOrder{"primOrder"}, propertyOrder{"propertyOrder"};
  // Spec identity
  Token specifier{"specifier"}, typeName{"typeName"}, custom{"custom"},
      variability{"variability"};
  // Values
  Token defaultValue{"default"}, timeSamples{"timeSamples"}, spline{"spline"},
      connectionPaths{"connectionPaths"}, targetPaths{"targetPaths"};
  // Composition
  Token references{"references"}, payload{"payload"}, inheritPaths{"inheritPaths"},
      specializes{"specializes"}, variantSetNames{"variantSetNames"},
      variantSelection{"variantSelection"}, relocates{"relocates"},
      subLayers{"subLayers"}, subLayerOffsets{"subLayerOffsets"},
      layerRelocates{"layerRelocates"};
  // Metadata with special syntax
  Token comment{"comment"}, documentation{"documentation"}, kind{"kind"},
      permission{"permission"}, symmetryFunction{"symmetryFunction"},
      displayUnit{"displayUnit"}, prefixSubstitutions{"prefixSubstitutions"},
      suffixSubstitutions{"suffixSubstitutions"}, hasOwnedSubLayers{"hasOwnedSubLayers"},
      defaultPrim{"defaultPrim"}, customData{"customData"}, active{"active"},
      instanceable{"instanceable"}, apiSchemas{"apiSchemas"};
};

// The process-wide instance (constructed on first call, then immutable).
const FieldNames& fieldNames();

}  // namespace usdkit
