// Problems composition reports. None of them stops composition: the
// offending sublayer or arc is skipped and the error recorded, worded as
// OpenUSD words it (sites print as "@layer identifier@<path>").
#pragma once

#include <string>
#include <vector>

namespace usdkit {

enum class CompositionErrorKind {
  SublayerCycle,
  InvalidSublayerPath,
  InvalidSublayerOffset,
  InvalidSublayerOwnership,
  InvalidAssetPath,
  MutedAssetPath,
  InvalidPrimPath,
  InvalidReferenceOffset,
  UnresolvedPrimPath,
  ArcCycle,
  ArcToProhibitedChild,
  InvalidAuthoredRelocation,
  InvalidConflictingRelocation,
  InvalidSameTargetRelocations,
  OpinionAtRelocationSource,
  InconsistentPropertyType,
  InvalidExternalTargetPath,
  InvalidInstanceTargetPath,
  InvalidTargetPath,
  ExpressionError,
  CapacityExceeded,
};

struct CompositionError {
  CompositionErrorKind kind;
  std::string message;  // complete text; may span lines
};

using CompositionErrors = std::vector<CompositionError>;

// "@identifier@<path>"
std::string formatSite(const std::string& layerIdentifier, const std::string& path);

}  // namespace usdkit
