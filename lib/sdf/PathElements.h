// Internal to lib/sdf: the kinds of path elements (which the nodes record
// and the ordering compares), and canonical path text cut into elements
// (what Path::fromCanonical makes one node per element from).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace usdkit::path_detail {

// Node kinds in SdfPath's node-type order (operator< relies on it).
enum class Kind : std::uint8_t { Root, Prim, VariantSel, Property, Target, Mapper, RelAttr, MapperArg, Expression };

// One element of a canonical text: [begin, end) is the element's own
// spelling ("B", "{v=x}", ".prop", "[/T]", ".mapper[/T]", ".expression"),
// and text.substr(0, end) is the path of that prefix.
struct Elem {
  Kind kind;
  std::uint32_t begin;
  std::uint32_t end;
};

class ElemList {
 public:
  void push_back(Elem e) {
    if (size_ < inline_.size()) {
      inline_[size_++] = e;
      return;
    }
    if (size_ == inline_.size()) heap_.assign(inline_.begin(), inline_.end());
    heap_.push_back(e);
    ++size_;
  }
  std::size_t size() const { return size_; }
  const Elem& operator[](std::size_t i) const { return size_ <= inline_.size() ? inline_[i] : heap_[i]; }

 private:
  std::array<Elem, 24> inline_;
  std::vector<Elem> heap_;
  std::size_t size_ = 0;
};

struct Elements {
  ElemList list;
  std::size_t primCount = 0;  // leading elements that form the prim part
  bool absolute = false;
  bool hasProperty() const { return list.size() > primCount; }
};

inline std::string_view elemText(std::string_view t, const Elem& e) { return t.substr(e.begin, e.end - e.begin); }

inline bool sameElem(std::string_view ta, const Elem& a, std::string_view tb, const Elem& b) {
  return a.kind == b.kind && elemText(ta, a) == elemText(tb, b);
}

// Cuts canonical text into elements (PathElements.cpp).
void scanPathElements(std::string_view t, Elements& out);

}  // namespace usdkit::path_detail
