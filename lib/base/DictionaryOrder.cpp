#include "base/DictionaryOrder.h"

#include <algorithm>
#include <cstddef>

namespace usdkit {

namespace {

bool isDigit(unsigned char c) noexcept { return static_cast<unsigned>(c - '0') < 10u; }
bool isAsciiLetter(unsigned char c) noexcept {
  return static_cast<unsigned>((c & ~0x20u) - 'A') < 26u;
}

// OpenUSD reads the terminating NUL of std::string when one string is a
// prefix of the other; string_views have no terminator, so past-the-end
// bytes read as 0 to give the same decisions.
unsigned char byteAt(std::string_view s, std::size_t i) noexcept {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// First index >= (li, ri) pair where the bytes differ, scanning while li
// stays below `lLimit` (the length of the common stretch).
void skipEqual(std::string_view l, std::string_view r, std::size_t& li, std::size_t& ri,
               std::size_t lLimit) noexcept {
  while (li < lLimit && l[li] == r[ri]) {
    ++li;
    ++ri;
  }
}

}  // namespace

bool dictionaryLess(std::string_view lhs, std::string_view rhs) noexcept {
  std::size_t li = 0, ri = 0;
  // `limit` bounds li so that neither index runs past its string: after a
  // digit run with different leading-zero counts the two indices diverge.
  std::size_t limit = std::min(lhs.size(), rhs.size());
  skipEqual(lhs, rhs, li, ri, limit);
  if (li == limit && lhs.size() == rhs.size()) return false;

  while (li != limit) {
    const unsigned char l = static_cast<unsigned char>(lhs[li]);
    const unsigned char r = static_cast<unsigned char>(rhs[ri]);

    const bool bothAscii = l < 0x80 && r < 0x80;
    const bool differIgnoringCase = (l & ~0x20u) != (r & ~0x20u);
    const bool letterZone = l >= 0x40 && r >= 0x40;
    if (bothAscii && differIgnoringCase && letterZone) {
      // Adding 5 mod 32 maps '_' (and the other punctuation above '@') below
      // 'a'/'A', so underscores sort before letters.
      return ((l + 5) & 31) < ((r + 5) & 31);
    }

    if (isDigit(l) || isDigit(r)) {
      if (isDigit(l) && isDigit(r)) {
        // Compare the whole digit runs containing this position as numbers.
        std::size_t lStart = li, rStart = ri, lEnd = li, rEnd = ri;
        while (lStart > 0 && isDigit(static_cast<unsigned char>(lhs[lStart - 1]))) --lStart;
        while (rStart > 0 && isDigit(static_cast<unsigned char>(rhs[rStart - 1]))) --rStart;
        while (lEnd < lhs.size() && isDigit(static_cast<unsigned char>(lhs[lEnd]))) ++lEnd;
        while (rEnd < rhs.size() && isDigit(static_cast<unsigned char>(rhs[rEnd]))) ++rEnd;
        while (lStart != lEnd && lhs[lStart] == '0') ++lStart;
        while (rStart != rEnd && rhs[rStart] == '0') ++rStart;
        while (lStart != lEnd && rStart != rEnd && lhs[lStart] == rhs[rStart]) {
          ++lStart;
          ++rStart;
        }
        const bool lDone = lStart == lEnd, rDone = rStart == rEnd;
        if (lDone != rDone) return lDone;
        if (!lDone) {
          // Same significant prefix so far: more remaining digits means a
          // larger number; otherwise the first differing digit decides.
          const std::size_t lDigits = lEnd - lStart, rDigits = rEnd - rStart;
          if (lDigits != rDigits) return lDigits < rDigits;
          return lhs[lStart] < rhs[rStart];
        }
        // Numerically equal (maybe different leading zeros): go on after
        // both runs; the zeros only matter in the final tie-break.
        li = lEnd;
        ri = rEnd;
        limit = li + std::min(lhs.size() - li, rhs.size() - ri);
      } else {
        if (li == 0) return l < r;
        // A digit continuing a number makes it longer (greater); a digit
        // starting a new number sorts before a letter or punctuation.
        const unsigned char prev = static_cast<unsigned char>(lhs[li - 1]);
        return isDigit(prev) ? isDigit(r) : isDigit(l);
      }
    } else if (!isAsciiLetter(l) || !isAsciiLetter(r)) {
      return l < r;
    } else {
      // Same letter in different case: decided only if nothing else is.
      ++li;
      ++ri;
    }
    skipEqual(lhs, rhs, li, ri, limit);
  }

  // Out of characters on at least one side with only case or leading-zero
  // differences seen: the shorter remainder is less.
  const bool lAtEnd = li == lhs.size(), rAtEnd = ri == rhs.size();
  if (!lAtEnd || !rAtEnd) return lAtEnd;

  // Both exhausted: the first raw difference is a case or a zero difference.
  // A side with an extra '0' there is greater; otherwise upper case first.
  std::size_t i = 0;
  const std::size_t common = std::min(lhs.size(), rhs.size());
  while (i < common && lhs[i] == rhs[i]) ++i;
  const unsigned char l = byteAt(lhs, i), r = byteAt(rhs, i);
  return r == '0' || (l != '0' && l < r);
}

}  // namespace usdkit
