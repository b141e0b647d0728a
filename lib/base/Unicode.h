// UTF-8 decoding and the identifier character classes USD uses
// (Unicode XID_Start / XID_Continue).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace usdkit {

// Decodes one code point at `text[pos]`. On success returns true, stores the
// code point and advances `pos`. Rejects overlong forms, surrogates, values
// above U+10FFFF and truncated sequences (pos is left unchanged then).
bool decodeUtf8(std::string_view text, std::size_t& pos, char32_t& cp) noexcept;
bool isValidUtf8(std::string_view text) noexcept;

bool isXidStart(char32_t cp) noexcept;
bool isXidContinue(char32_t cp) noexcept;

// `_` or XID_Start, then XID_Continue (SdfPath::IsValidIdentifier).
bool isValidUtf8Identifier(std::string_view name) noexcept;
// ASCII-only [A-Za-z_][A-Za-z0-9_]* (TfIsValidIdentifier; decides whether the
// writer quotes a dictionary key).
bool isValidAsciiIdentifier(std::string_view name) noexcept;
// Identifiers joined by single ':' (SdfPath::IsValidNamespacedIdentifier).
bool isValidNamespacedUtf8Identifier(std::string_view name) noexcept;
// Optional leading '.', then XID_Continue, '|' or '-' (variant names and
// variant set names; SdfSchema::IsValidVariantIdentifier). May be empty.
bool isValidVariantIdentifier(std::string_view name) noexcept;

}  // namespace usdkit
