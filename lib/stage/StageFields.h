// Rules of the composed stage about fields and names: which fields of the
// specs under a composed prim or property are its metadata (what
// UsdObject::GetAllAuthoredMetadata lists and a flattened stage writes),
// and the order of a composed prim's properties.
#pragma once

#include <span>
#include <vector>

#include "base/Token.h"

namespace usdkit {

// Composition arcs, value clips, values and the fields that hold children:
// fields the stage consumes, never metadata of the composed object
// (UsdStage's private field keys).
bool isPrivateStageField(Token name);

// The order of a composed prim's property names (UsdPrim::GetPropertyNames):
// dictionary order, then the names `propertyOrder` lists (the prim's
// composed propertyOrder metadata) moved to the front in its order; the
// rest keep their order after them. Names it lists that are absent are
// ignored.
void orderPropertyNames(std::vector<Token>& names, std::span<const Token> propertyOrder);

}  // namespace usdkit
