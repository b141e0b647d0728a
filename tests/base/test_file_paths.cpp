#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "../TempDirectory.h"
#include "base/FilePaths.h"

using namespace usdkit;

namespace {

// Runs the test in a fresh directory and returns to the original one
// afterwards, even when the test removed the fresh directory.
struct InTemporaryDirectory {
  std::string original = currentDirectory();
  testing::TempDirectory folder{"usdkit-paths"};
  std::string path = folder.string();
  InTemporaryDirectory() { REQUIRE(::chdir(path.c_str()) == 0); }
  ~InTemporaryDirectory() { (void)::chdir(original.c_str()); }
};

}  // namespace

TEST_CASE("normalizePath collapses '.', '..' and repeated slashes lexically", "[paths]") {
  CHECK(normalizePath("/a/./b//../c") == "/a/c");
  CHECK(normalizePath("a/b/") == "a/b");
  CHECK(normalizePath("//a///b") == "/a/b");
  // Relative paths keep the ".." they cannot resolve; "/" has no parent.
  CHECK(normalizePath("../a/../../b") == "../../b");
  CHECK(normalizePath("/../a") == "/a");
  CHECK(normalizePath("/..") == "/");
  CHECK(normalizePath("/") == "/");
  // What collapses to nothing is "."; nothing stays nothing.
  CHECK(normalizePath("a/..") == ".");
  CHECK(normalizePath("./") == ".");
  CHECK(normalizePath("") == "");
  // Package brackets are plain characters here ("a.usdz[b" is a component).
  CHECK(normalizePath("./a.usdz[b/./c.usda]") == "a.usdz[b/c.usda]");
  CHECK(normalizePath("a.usdz[b/../c.usda]") == "c.usda]");
}

TEST_CASE("absolutePath joins relative paths to the working directory", "[paths]") {
  InTemporaryDirectory dir;
  const std::string cwd = currentDirectory();
  REQUIRE(!cwd.empty());
  CHECK(absolutePath("x.usda") == cwd + "/x.usda");
  CHECK(absolutePath("./sub/../x.usda") == cwd + "/x.usda");
  CHECK(absolutePath(".") == cwd);
  CHECK(absolutePath("/abs//y/./z") == "/abs/y/z");
  // No path is not made into the working directory (usdflatten "" says so).
  CHECK(absolutePath("") == "");
}

TEST_CASE("absolutePath without a working directory leaves the path relative", "[paths]") {
  InTemporaryDirectory dir;
  REQUIRE(::rmdir(dir.path.c_str()) == 0);
  CHECK(currentDirectory() == "");
  CHECK(absolutePath("a/./x.usda") == "a/x.usda");
  CHECK(absolutePath("/abs/x.usda") == "/abs/x.usda");
}

TEST_CASE("joinPath puts exactly one '/' between non-empty parts, without normalising", "[paths]") {
  CHECK(joinPath("dir", "a/b.usda") == "dir/a/b.usda");
  CHECK(joinPath("dir/", "b.usda") == "dir/b.usda");
  CHECK(joinPath("/", "b") == "/b");
  CHECK(joinPath("", "b") == "b");
  CHECK(joinPath("a/../b", "./c") == "a/../b/./c");
  CHECK(joinPath("dir", "") == "dir/");
}

TEST_CASE("relativePath compares components as os.path.relpath", "[paths]") {
  CHECK(relativePath("/a/b/c.usda", "/a/b") == "c.usda");
  CHECK(relativePath("/a/x/c.usda", "/a/b") == "../x/c.usda");
  CHECK(relativePath("/a", "/a/b/c") == "../..");
  CHECK(relativePath("/a/b", "/a/b") == ".");
  CHECK(relativePath("/a/b", "/") == "a/b");
  CHECK(relativePath("/a/b", "") == "a/b");
  // Empty components do not count.
  CHECK(relativePath("/a//b/c", "/a/b/") == "c");
}

TEST_CASE("directoryOf, directoryPrefix, siblingPath and fileNameOf split at the last '/'", "[paths]") {
  CHECK(directoryOf("a/b/c.usda") == "a/b");
  CHECK(directoryOf("/c.usda") == "/");
  CHECK(directoryOf("//c.usda") == "/");
  CHECK(directoryOf("c.usda") == "");
  CHECK(directoryOf("") == "");
  CHECK(directoryOf("a//c") == "a");  // as std::filesystem::path::parent_path
  CHECK(directoryOf("a/b/") == "a/b");
  CHECK(directoryOf("a.usdz[b/c.usda]") == "a.usdz[b");

  CHECK(directoryPrefix("a/b/c") == "a/b/");
  CHECK(directoryPrefix("a//c") == "a//");
  CHECK(directoryPrefix("/c") == "/");
  CHECK(directoryPrefix("c") == "");

  // The directory as the path spells it; a bare name's directory is ".".
  CHECK(siblingPath("a/b/plugInfo.json", "*/plugInfo.json") == "a/b/*/plugInfo.json");
  CHECK(siblingPath("a//plugInfo.json", "x") == "a//x");
  CHECK(siblingPath("/plugInfo.json", "x") == "/x");
  CHECK(siblingPath("plugInfo.json", "x") == "./x");
  CHECK(siblingPath("shot.usda", "assets") == "./assets");

  CHECK(fileNameOf("a/b/c.usda") == "c.usda");
  CHECK(fileNameOf("c.usda") == "c.usda");
  CHECK(fileNameOf("a/") == "");
  CHECK(fileNameOf("/proc/self/fd/1") == "1");
}

TEST_CASE("fileStem drops the extension as std::filesystem::path::stem", "[paths]") {
  CHECK(fileStem("dir/shot.usdz") == "shot");
  CHECK(fileStem("a.b.tar") == "a.b");
  CHECK(fileStem(".hidden") == ".hidden");
  CHECK(fileStem("x.") == "x");
  CHECK(fileStem("..") == "..");
  CHECK(fileStem(".") == ".");
  CHECK(fileStem("dir/") == "");
  CHECK(fileStem("") == "");
  CHECK(fileStem("noext") == "noext");
}

TEST_CASE("extensionAfterLastDot and fileExtension differ on names that start with their only dot", "[paths]") {
  CHECK(extensionAfterLastDot("a/b.usda") == "usda");
  CHECK(extensionAfterLastDot("a/.usda") == "usda");
  CHECK(extensionAfterLastDot("a.b/c") == "");
  CHECK(extensionAfterLastDot("x.") == "");
  CHECK(extensionAfterLastDot("x.USDA") == "USDA");  // case is kept
  CHECK(extensionAfterLastDot("x.usda.zst") == "zst");
  CHECK(extensionAfterLastDot("") == "");

  CHECK(fileExtension("a/b.usda") == "usda");
  CHECK(fileExtension("a/.usda") == "");
  CHECK(fileExtension("..") == "");
  CHECK(fileExtension("..usd") == "usd");
  CHECK(fileExtension("a.b/c") == "");
  CHECK(fileExtension("x.PNG") == "PNG");
  CHECK(fileExtension("x.usda.zst") == "zst");
  CHECK(fileExtension("a.usdz[b.usda]") == "usda]");  // brackets are not special here
}

TEST_CASE("formatExtension looks through a trailing .zst", "[paths]") {
  CHECK(formatExtension("out.usda.zst") == "usda");
  CHECK(formatExtension("out.usd") == "usd");
  CHECK(formatExtension(".usdc.zst") == "usdc");
  CHECK(formatExtension("out.zst") == "");
  CHECK(formatExtension(".zst") == "zst");  // too short to be a compressed name
  CHECK(formatExtension("dir.usda/out.zst") == "");
  CHECK(formatExtension("a.usdz[b.usda]") == "usda]");
}

TEST_CASE("innermostPackageEntry names the file a package-relative path ends in", "[paths]") {
  CHECK(innermostPackageEntry("a.usdz[b.usda]") == "b.usda");
  CHECK(innermostPackageEntry("a.usdz[b.usdz[c/d.usdc]]") == "c/d.usdc");
  CHECK(innermostPackageEntry("a/b.usda") == "a/b.usda");
  CHECK(innermostPackageEntry("x.usda]") == "x.usda]");  // nothing opens it
  CHECK(innermostPackageEntry("") == "");
}

TEST_CASE("innermostFormatExtension: the layer reader's rule", "[paths]") {
  CHECK(innermostFormatExtension("a.usdz[b.usdc]") == "usdc");
  CHECK(innermostFormatExtension("a.usdz[b.usdz[dir/c.usda]]") == "usda");
  CHECK(innermostFormatExtension("a.usdz[b.usda.zst]") == "usda");
  CHECK(innermostFormatExtension("a.usdz[.usdc]") == "usdc");
  CHECK(innermostFormatExtension("x.usdc.zst") == "usdc");
  // Trailing ']' go even without a '['.
  CHECK(innermostFormatExtension("x.usdc]") == "usdc");
  // Brackets are looked for before ".zst" is dropped.
  CHECK(innermostFormatExtension("a.usdz[b.usdc].zst") == "usdc]");
}

TEST_CASE("innermostFileExtension: usdchecker's rule", "[paths]") {
  CHECK(innermostFileExtension("a.usdz[b.png]") == "png");
  CHECK(innermostFileExtension("a.usdz[b.usdz[tex/c.JPG]]") == "JPG");
  CHECK(innermostFileExtension("pkg.usdz") == "usdz");
  CHECK(innermostFileExtension("a.usdz[.png]") == "");
  CHECK(innermostFileExtension(".usda") == "");
  CHECK(innermostFileExtension("x.usda.zst") == "zst");
  // A ']' that nothing opens is part of the name.
  CHECK(innermostFileExtension("x.png]") == "png]");
  CHECK(innermostFileExtension("") == "");
}

TEST_CASE("package-relative paths split at the outermost package", "[paths][packages]") {
  auto p = splitPackagePath("a.usdz[b.usda]");
  REQUIRE(p);
  CHECK(p->first == "a.usdz");
  CHECK(p->second == "b.usda");
  p = splitPackagePath("dir/a.usdz[b.usdz[c/d.usdc]]");
  REQUIRE(p);
  CHECK(p->first == "dir/a.usdz");
  CHECK(p->second == "b.usdz[c/d.usdc]");
  CHECK_FALSE(splitPackagePath("plain.usda"));
  CHECK_FALSE(splitPackagePath("a.usdz[]"));
  CHECK_FALSE(splitPackagePath("[x]"));
  CHECK_FALSE(splitPackagePath("unbalanced]"));
}

TEST_CASE("package-relative paths are built and taken apart as one rule", "[paths][packages]") {
  CHECK(joinPackagePath("a.usdz", "b.usda") == "a.usdz[b.usda]");
  CHECK(joinPackagePath("a.usdz", "b.usdz[c.usda]") == "a.usdz[b.usdz[c.usda]]");
  CHECK(joinPackagePath("a.usdz[b.usdz]", "c.usda") == "a.usdz[b.usdz[c.usda]]");
  CHECK(joinPackagePath("a.usdz[b.usdz[c.usdz]]", "d/e.png") == "a.usdz[b.usdz[c.usdz[d/e.png]]]");
  CHECK(enclosingPackagePath("a.usdz[b.usdz[c.usda]]") == "a.usdz[b.usdz]");
  CHECK(enclosingPackagePath("a.usdz[c.usda]") == "a.usdz");
  CHECK(enclosingPackagePath("a.usdz") == "a.usdz");
  CHECK(enclosingPackagePath("d/a.usdz[b.usdz[c.usdz[x/y.png]]]") == "d/a.usdz[b.usdz[c.usdz]]");
  // What joinPackagePath builds, splitPackagePath takes apart.
  const std::string nested = joinPackagePath("p.usdz", joinPackagePath("q.usdz", "r.usda"));
  auto split = splitPackagePath(nested);
  REQUIRE(split);
  CHECK(split->first == "p.usdz");
  CHECK(split->second == "q.usdz[r.usda]");
  CHECK(innermostPackageEntry(nested) == "r.usda");
}
