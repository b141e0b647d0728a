// File paths as strings: the one home of the lexical path operations the
// library and the tools share (normalising, joining, splitting, extensions).
// Nothing here touches the file system except currentDirectory() and
// absolutePath(), which ask for the working directory. Paths use '/'.
//
// Functions returning std::string_view return a part of their argument:
// keep the argument alive while the view is used.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace usdkit {

// Lexically normalised path: collapses ".", "..", repeated and trailing
// slashes (leading ".." of a relative path are kept, ".." above "/" is
// dropped), as TfNormPath. An empty path stays empty; a relative path that
// collapses to nothing is ".".
std::string normalizePath(std::string_view path);

// The working directory, or "" when it cannot be known (it was removed).
std::string currentDirectory();

// `path` made absolute against the working directory and normalised. An
// empty path stays empty (as TfAbsPath). Without a working directory a
// relative path is only normalised: it still names the right file for this
// process, where "/" + path would not.
std::string absolutePath(std::string_view path);

// `rel` appended to `dir` with one '/' between them; no '/' is added after
// an empty `dir` or one that ends in '/'. Not normalised.
std::string joinPath(std::string_view dir, std::string_view rel);

// The path of `path` relative to the directory `base`, both absolute and
// normalised, as Python's os.path.relpath: "." when they are the same.
// Compares whole components and does not interpret "..".
std::string relativePath(std::string_view path, std::string_view base);

// The part before the last '/' and the slashes before it, as
// std::filesystem::path::parent_path: "a/b/c" -> "a/b", "a//c" -> "a",
// "/c" -> "/", "c" -> "", "a/b/" -> "a/b".
std::string_view directoryOf(std::string_view path);

// The part up to and including the last '/' ("a/b/c" -> "a/b/"), "" for a
// bare name: what to put before another name to place it beside `path`,
// with the directory spelled as `path` spells it.
std::string_view directoryPrefix(std::string_view path);

// `name` in the directory that holds `path`, spelled as `path` spells it
// ("a//b.json", "c" -> "a//c"); a bare file name's directory is "."
// ("b.json", "c" -> "./c").
std::string siblingPath(std::string_view path, std::string_view name);

// The part after the last '/' ("a/b.usda" -> "b.usda"; "a/" -> "").
std::string_view fileNameOf(std::string_view path);

// The file name without its extension, as std::filesystem::path::stem:
// "a/b.tar.gz" -> "b.tar", ".hidden" -> ".hidden", ".." -> "..".
std::string_view fileStem(std::string_view path);

// Extensions, without the dot. They differ in what counts, so each caller
// picks the rule it has always followed:
//
//                        "a/.usda"  "x.usda.zst"  "p.usdz[d/e.usdc]"
//   extensionAfterLastDot  "usda"     "zst"          "usdc]"
//   fileExtension          ""         "zst"          "usdc]"
//   formatExtension        "usda"     "usda"         "usdc]"
//   innermostFormatExtension "usda"   "usda"         "usdc"
//   innermostFileExtension ""         "zst"          "usdc"
//
// None of them changes letter case.

// The text after the last '.' of the file name; a name that starts with
// its only dot is all extension (".usda" -> "usda"). "" without a dot.
std::string_view extensionAfterLastDot(std::string_view path);

// The conventional extension, as TfGetExtension and
// std::filesystem::path::extension (without the dot): a name that starts
// with its only dot (".hidden") has none.
std::string_view fileExtension(std::string_view path);

// The extension that picks a layer file's format: extensionAfterLastDot of
// the name without a trailing ".zst" (compression is transparent).
std::string_view formatExtension(std::string_view path);

// Package-relative paths name a file inside a package (OpenUSD's
// "package.usdz[dir/file.usdc]"); packages nest at the end
// ("a.usdz[b.usdz[c.usda]]"). These split and build them as text; what a
// package holds is io's business (io/Packages.h).

// The outermost package and the path inside it: "a.usdz[b.usdz[c.usda]]"
// -> {"a.usdz", "b.usdz[c.usda]"}. nullopt when `path` does not end in a
// balanced bracketed inner path, or either part is empty.
std::optional<std::pair<std::string_view, std::string_view>> splitPackagePath(std::string_view path) noexcept;

// `entry` inside `package`: "a.usdz" + "b.usda" -> "a.usdz[b.usda]"; a
// package that is itself package-relative takes it inside its innermost
// brackets: "a.usdz[b.usdz]" + "c.usda" -> "a.usdz[b.usdz[c.usda]]".
std::string joinPackagePath(std::string_view package, std::string_view entry);

// The package that directly holds what a package-relative path names:
// "a.usdz[b.usdz[c.usda]]" -> "a.usdz[b.usdz]", "a.usdz[c.usda]" -> "a.usdz".
// Any other path is returned whole.
std::string enclosingPackagePath(std::string_view path);

// The entry a package-relative path names, innermost first:
// "a.usdz[b.usdz[c.usda]]" -> "c.usda". Any other path is returned whole.
std::string_view innermostPackageEntry(std::string_view path);

// formatExtension of the innermost package entry ("a.usdz[b.usdc]" ->
// "usdc"). Trailing ']' are dropped even where no '[' opens them
// ("x.usdc]" -> "usdc"), as the layer reader always has.
std::string_view innermostFormatExtension(std::string_view path);

// fileExtension of the innermost package entry ("a.usdz[b.png]" -> "png"),
// as OpenUSD's resolver gives the extension of a package-relative path.
std::string_view innermostFileExtension(std::string_view path);

}  // namespace usdkit
