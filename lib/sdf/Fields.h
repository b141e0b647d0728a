// Well-known field names (OpenUSD's SdfFieldKeys / SdfChildrenKeys and the
// metadata registered by the core plugins). Interned once on first use.
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
