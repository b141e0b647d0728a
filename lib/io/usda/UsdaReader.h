// The usda text reader: one pass over the bytes, OpenUSD's grammar and
// semantics (see ../shared/docs/usda-format.md).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "base/Progress.h"
#include "sdf/Layer.h"

namespace usdkit {

class Schema;

struct UsdaReadOptions {
  // Stop after the layer metadata block (usdcat --layerMetadata).
  bool metadataOnly = false;
  // Field registry; null = Schema::standard() (plus PXR_PLUGINPATH_NAME fields).
  const Schema* schema = nullptr;
  // Non-fatal diagnostics are appended here when set.
  std::vector<std::string>* warnings = nullptr;
  // Called now and then with the offset below which the text has been
  // consumed (everything before it is already in the layer), so a mapped
  // input can give its pages back.
  std::function<void(std::size_t)> consumed;
  // Told how much of the text has been read ("reading <displayName>", in
  // bytes); null: nobody is watching.
  ProgressSink* progress = nullptr;
  // Numeric arrays of attribute default values written in the plain form
  // the usda writer uses stay as their text: checked (every number read
  // and range-checked, so reading it later cannot fail) and hashed, but not
  // stored (a lazy value: see LazyValue::SourceText). Comparing two such
  // layers then needs no arrays built. Bad input still fails here with
  // file:line:col. `textOwner` must keep the text alive; without it
  // nothing is deferred.
  bool deferNumericArrays = false;
  std::shared_ptr<const void> textOwner;
  // Threads that may read the numbers of big arrays; the layer, warnings
  // and errors are the same for every count.
  unsigned threads = 1;
};

// `displayName` prefixes every message: "<displayName>:<line>:<col>: ...".
Expected<std::unique_ptr<Layer>> readUsda(std::string_view text, std::string_view displayName,
                                          const UsdaReadOptions& options = {});

}  // namespace usdkit
