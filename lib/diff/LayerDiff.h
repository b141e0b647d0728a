// Structural difference of two layers (`usddiff --summary`): specs added and
// removed, fields (metadata, values, list ops) changed, and time samples
// added, removed or changed, each as one record naming the path.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit::diff {

enum class ChangeKind { Added, Removed, Changed };

// What a change is about.
enum class ChangeSubject {
  Spec,        // a prim, property, variant set, variant, ... (see specType)
  Field,       // a metadata field or other field of a spec present on both sides
  Value,       // an attribute's default value or a relationship's default target
  TimeSample,  // one time sample of an attribute
};

struct Change {
  ChangeKind kind = ChangeKind::Changed;
  ChangeSubject subject = ChangeSubject::Spec;
  Path path;
  SpecType specType = SpecType::Unknown;  // of the spec at `path`
  std::string field;                      // Field: the field's name
  std::optional<double> time;             // TimeSample: the sample's time
  // usda text of the old and new value (empty for the side that lacks
  // one), shortened to a readable size with "..." for long arrays.
  std::string oldText, newText;
};

struct LayerDiffOptions {
  // Floating-point values within this distance are equal (see valuesEqual).
  double tolerance = 0.0;
  // Longest value text kept in Change::oldText/newText (0: no limit).
  std::size_t maxValueText = 200;
};

// Changes that turn `oldLayer` into `newLayer`, ordered by path (parents
// before children, properties after their prim's fields), then subject.
// A spec added or removed with its parent is not listed on its own: the
// parent's record covers it. Fails only when a value cannot be decoded.
Expected<std::vector<Change>> diffLayers(const Layer& oldLayer, const Layer& newLayer,
                                         const LayerDiffOptions& options = {});

// One line per change: "added prim /A", "changed metadata /A (kind): a -> b",
// "changed value /A.x: 1 -> 2", "removed time sample /A.x @ 3: 1".
std::string changeLine(const Change& change);
// A JSON array of records {"change", "subject", "specType", "path",
// "field", "time", "old", "new"} (absent members omitted), one per line.
std::string changesJson(const std::vector<Change>& changes);

// Readable name of a spec type ("prim", "attribute", "relationship", ...).
std::string_view specTypeName(SpecType type);

}  // namespace usdkit::diff
