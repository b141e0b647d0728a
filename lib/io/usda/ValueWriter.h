// Private to lib/io: the text of values and of the value-like field bodies
// (list ops, dictionaries, time samples, splines, relocates) exactly as
// OpenUSD 24.11's text writer prints them (Sdf_FileIOUtility). Every function
// appends to `out`; `indent` counts levels of four spaces.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdf/Value.h"

namespace usdkit::usda {

void appendIndent(std::string& out, int indent);

// A string or token literal (Sdf_FileIOUtility::Quote): `"` unless the text
// has `"` and no `'`; triple quotes when it has a newline; stops at a NUL.
void appendQuoted(std::string& out, std::string_view text);
// `@path@`, or `@@@path@@@` with inner `@@@` escaped when the path has an `@`.
void appendAssetPath(std::string& out, std::string_view path);
// `<path>`.
void appendPathRef(std::string& out, const Path& path);

// The text OpenUSD's StringFromVtValue gives: numbers per their type, strings
// quoted, assets `@..@`, tuples, `( (..), (..) )` matrices, `[..]` arrays,
// `None` for a value block, unregistered values verbatim.
void appendValueText(std::string& out, const Value& value);
// As a dictionary entry prints its value: like appendValueText except that
// path expressions stay unquoted (an OpenUSD 24.11 quirk).
void appendDictionaryValueText(std::string& out, const Value& value);
// Role-less type name of a dictionary entry ("float3[]"); empty when the
// value has no usda type.
std::string dictionaryTypeName(const Value& value);

// Dictionaries nest by recursion in the writers below, which stop (writing
// an empty dictionary) past this depth so that no value can exhaust the
// stack; the layer writer refuses such values first (nestsTooDeep), as the
// crate writer does.
inline constexpr int kMaxTextDictionaryDepth = 512;
// True when `value` (a dictionary, a reference list op or a spline, whose
// custom data are dictionaries) nests dictionaries deeper than
// kMaxTextDictionaryDepth. Measured without recursion.
bool nestsTooDeep(const Value& value);

// Multi-line dictionary, written after "key = " on a line at `indent`; ends
// with the closing "}\n".
void appendDictionary(std::string& out, int indent, const Dictionary& dict);
// `{ type key = value; ... }` (spline knot custom data).
void appendInlineDictionary(std::string& out, const Dictionary& dict);
// prefixSubstitutions / suffixSubstitutions body: `"from": "to", ` lines.
void appendStringDictionary(std::string& out, int indent,
                            const std::map<std::string, std::string>& entries);
// ` (offset = 1; scale = 2)` when the offset is not the identity.
void appendInlineLayerOffset(std::string& out, const LayerOffset& offset);

// `a` or `["a", "b"]` (reorder statements and variantSets).
void appendNameList(std::string& out, const std::vector<Token>& names);
void appendNameList(std::string& out, const std::vector<std::string>& names);

// One `[op ]key = items` line per statement of the list op: explicit as one
// statement, else the non-empty slots in delete, add, prepend, append,
// reorder order. Returns false (writing nothing) if `value` is no list op.
bool appendListOpField(std::string& out, int indent, std::string_view key, const Value& value);
// `variantSets` statements, whose items are name lists.
void appendVariantSetNames(std::string& out, int indent, const StringListOp& op);

// `key = value` metadata line (Sdf_WriteSimpleField): list ops, dictionaries,
// `true`/`false` for bools, unregistered text verbatim.
void appendSimpleField(std::string& out, int indent, std::string_view key, const Value& value);

// Sample lines `time: value,` at indent + 1 (the caller writes the braces).
// `valueText`, when set, may write a value's text instead (see
// UsdaWriteOptions::valueText).
void appendTimeSamples(std::string& out, int indent, const TimeSamples& samples,
                       const std::function<bool(std::string&, const Value&)>* valueText = nullptr);
// Spline body lines at indent + 1 (the caller writes the braces).
void appendSpline(std::string& out, int indent, const Spline& spline);
// Whether appendSpline writes a tangent algorithm (which needs usda 1.1).
bool writesTangentAlgorithm(const Spline& spline);
// `relocates = {` ... `}` with entries at indent + 1, in the given order.
void appendRelocates(std::string& out, int indent,
                     const std::vector<std::pair<Path, Path>>& entries);

}  // namespace usdkit::usda
