// Value syntax of the usda grammar and its type-directed conversion
// (usda-format.md §3.4, §4.1, §4.2, §7.20). Arrays of numbers and numeric
// tuples take a direct path that writes straight into the typed vector; any
// input that path does not expect is re-read by the general path, which
// produces the exact diagnostics.
#pragma once

#include <string>
#include <vector>

#include "base/Parallel.h"
#include "io/usda/Scanner.h"
#include "io/usda/SharedTokenLists.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit::usda {

// A parsed but not yet typed value.
struct RawValue {
  enum class Kind : std::uint8_t { Number, Identifier, String, Asset, List, Tuple };
  Kind kind = Kind::Number;
  const char* pos = nullptr;
  NumberToken number;
  std::string text;  // identifier, evaluated string or asset path
  std::vector<RawValue> children;
};

class ValueParser {
 public:
  // Warnings (of the parser and of `s`) go to `warnings` when not null.
  ValueParser(Scanner& s, std::vector<std::string>* warnings, std::string_view displayName) : s_(s) {
    s_.setWarnings(warnings, displayName);
  }

  // Values nest by recursion (lists, tuples, dictionaries); a hostile file
  // must get an error, not a stack overflow. Real values nest a few levels;
  // this bound keeps the deepest value (even inside the deepest prims) far
  // from the default 8 MB stack, sanitizer builds included.
  static constexpr int kMaxValueNesting = 200;

  // TypedValue (without path references). Fails with `what` when no value
  // starts here.
  RawValue parseRaw(const char* what);
  // ListValue or EmptyList (used for list-op metadata and names).
  RawValue parseList(const char* what);

  // Parses a value of a known type at the cursor.
  Value parseTyped(const ValueTypeInfo& type);
  // Converts an already parsed value.
  Value convert(const RawValue& raw, const ValueTypeInfo& type);

  // `{ ... }` with typed entries.
  Dictionary parseDictionary();

  // Re-serialised text of an untyped value (pass-through storage).
  std::string recordText(const RawValue& raw);

  // Warns about an integer literal that did not fit (parsed as double).
  void warnOutOfRange(const NumberToken& n, const char* at);

  // Threads that may read the numbers of big arrays (see tryFastArray);
  // null: this thread alone. Must outlive the parser's use.
  void setWorkers(WorkerThreads* workers) { workers_ = workers; }

 private:
  RawValue parseAtom(bool allowTuple, bool allowList, const char* what);
  RawValue parseTuple();
  RawValue parseListBody(const char* open);
  bool tryFastArray(const ValueTypeInfo& type, Value& out);
  bool tryFastScalar(const ValueTypeInfo& type, Value& out);
  // After an item of a fast-path list: a ',' (a trailing one before ']' is
  // allowed) or the closing ']'. Anything else sends the list back to the
  // general path.
  enum class ListStep { Next, End, Bad };
  ListStep afterListItem();
  // The direct path of token[] and string[]: a list of quoted strings.
  template <class T>
  bool tryFastTextArray(Value& out);
  void appendRecorded(std::string& out, const RawValue& raw);
  // Counts one more level of value nesting while alive; fails at `at`
  // beyond kMaxValueNesting.
  class NestingGuard {
   public:
    NestingGuard(ValueParser& parser, const char* at);
    ~NestingGuard() { --parser_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    ValueParser& parser_;
  };

  Scanner& s_;
  WorkerThreads* workers_ = nullptr;
  int nesting_ = 0;
  // Equal token[] values read by this parser share one block.
  SharedTokenLists<std::vector<Token>> tokenArrays_;
  // Scratch of tryFastTextArray.
  std::string stringScratch_;
  std::vector<Token> tokenScratch_;
};

}  // namespace usdkit::usda
