// "Why does this attribute have this value?": an object of the composed
// stage with its resolved value (or metadata) and, strongest first, every
// opinion that could contribute: layer, spec path, arc, layer offset, value
// clips, schema fallback, and which one wins (`usdtree --explain`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "sdf/Path.h"
#include "sdf/Value.h"
#include "stage/Stage.h"

namespace usdkit {

struct ExplainedOpinion {
  std::string layer;      // its identifier; for value clips the clip layer used
  Path path;              // the spec's path in `layer`
  std::string arc;        // the arc of its prim index node ("root", "reference", ...), or "value clips", "fallback"
  LayerOffset offset;     // layer time -> stage time
  std::string holds;      // what it has to say here ("default = 1", "3 time samples from 0 to 10", ...)
  bool wins = false;      // the value comes from it
};

struct Explanation {
  Path path;
  std::string kind;                 // "attribute", "relationship", "prim", or "metadata" (a prim's field)
  std::string name;                 // a metadata field's name
  std::string typeName;             // attributes
  std::optional<double> time;       // the stage time asked about; none: the default value
  std::optional<std::string> value; // the resolved value as usda text; none: no value
  std::string source;               // "default", "time samples", "value clips", "fallback", "blocked", "none", "composed"
  std::string detail;               // how the value was found there (interpolation, clip in use)
  std::vector<ExplainedOpinion> opinions;  // strongest first
  std::vector<Explanation> fields;         // a prim's metadata, field by field
};

// Explains the prim or property at `path`; `time` asks for an attribute's
// value at that stage time instead of its default. Fails (naming the path)
// when the stage has no such object.
Expected<Explanation> explain(Stage& stage, const Path& path, std::optional<double> time);

// The explanation as text for people, or as one JSON document.
std::string explanationText(const Explanation& e);
std::string explanationJson(const Explanation& e);

}  // namespace usdkit
