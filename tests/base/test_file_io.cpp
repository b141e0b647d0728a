#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "base/FileIO.h"

using namespace usdkit;

namespace {

// A fresh directory per test, removed with its files afterwards.
struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/usdkit-fileio-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    for (const std::string& name : entries()) ::unlink((path + "/" + name).c_str());
    ::rmdir(path.c_str());
  }
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(path.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
      }
      ::closedir(d);
    }
    return names;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// Text that compresses well but is big enough to need several stream blocks.
std::string sampleText(std::size_t lines) {
  std::string s = "#usda 1.0\n\n";
  std::mt19937 rng(7);
  for (std::size_t i = 0; i < lines; ++i)
    s += "    float3 p" + std::to_string(i) + " = (" + std::to_string(rng() % 1000) + ", 0.5, -1)\n";
  return s;
}

void writeThrough(const std::string& path, const std::string& bytes) {
  auto out = OutputFile::create(path);
  REQUIRE(out.ok());
  // Several writes, as a streaming writer would do.
  std::size_t chunk = bytes.size() / 3 + 1;
  for (std::size_t i = 0; i < bytes.size(); i += chunk)
    REQUIRE(out->write(std::string_view(bytes).substr(i, chunk)).ok());
  REQUIRE(out->commit().ok());
}

}  // namespace

TEST_CASE("zstd suffix helpers", "[fileio]") {
  CHECK(hasZstdSuffix("a.usda.zst"));
  CHECK(hasZstdSuffix("dir/x.zst"));
  CHECK_FALSE(hasZstdSuffix("a.usda"));
  CHECK_FALSE(hasZstdSuffix("a.zstd"));
  CHECK_FALSE(hasZstdSuffix(".zst"));
  CHECK(stripZstdSuffix("a.usda.zst") == "a.usda");
  CHECK(stripZstdSuffix("a.usda") == "a.usda");
}

TEST_CASE("InputBuffer::fromString owns its bytes", "[fileio]") {
  InputBuffer b = InputBuffer::fromString("hello");
  CHECK(b.data() == "hello");
  CHECK(b.size() == 5);
  InputBuffer moved = std::move(b);
  CHECK(moved.data() == "hello");
  CHECK(InputBuffer().data().empty());
}

TEST_CASE("plain files round trip through OutputFile and readInput", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("scene.usda");
  const std::string text = sampleText(20000);
  writeThrough(path, text);
  CHECK(slurp(path) == text);

  auto in = readInput(path);
  REQUIRE(in.ok());
  CHECK(in->data() == text);
  // Only the destination remains: the temporary was renamed, not copied.
  CHECK(dir.entries() == std::vector<std::string>{"scene.usda"});
}

TEST_CASE("output files get ordinary permissions, not mkstemp's 0600", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("perm.usda");
  writeThrough(path, "x");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE(".zst files are compressed on write and decompressed on read", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("scene.usda.zst");
  const std::string text = sampleText(50000);
  writeThrough(path, text);

  std::string raw = slurp(path);
  REQUIRE(raw.size() >= 4);
  CHECK(static_cast<unsigned char>(raw[0]) == 0x28);
  CHECK(static_cast<unsigned char>(raw[1]) == 0xB5);
  CHECK(static_cast<unsigned char>(raw[2]) == 0x2F);
  CHECK(static_cast<unsigned char>(raw[3]) == 0xFD);
  CHECK(raw.size() < text.size() / 2);

  auto in = readInput(path);
  REQUIRE(in.ok());
  CHECK(in->data() == text);

  SECTION("zstd content is recognised by its magic even without the suffix") {
    const std::string renamed = dir.file("disguised.usda");
    REQUIRE(::rename(path.c_str(), renamed.c_str()) == 0);
    auto again = readInput(renamed);
    REQUIRE(again.ok());
    CHECK(again->data() == text);
  }
}

TEST_CASE("an empty .zst output round trips to empty", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("empty.usda.zst");
  writeThrough(path, "");
  auto in = readInput(path);
  REQUIRE(in.ok());
  CHECK(in->data().empty());
}

TEST_CASE("empty plain files read as empty", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("empty.usda");
  spit(path, "");
  auto in = readInput(path);
  REQUIRE(in.ok());
  CHECK(in->size() == 0);
}

TEST_CASE("uncommitted output leaves the destination untouched", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("keep.usda");
  spit(path, "original\n");
  {
    auto out = OutputFile::create(path);
    REQUIRE(out.ok());
    REQUIRE(out->write("partial replacement").ok());
    // The temporary exists while writing ...
    CHECK(dir.entries().size() == 2);
  }
  // ... and is gone once the OutputFile is dropped without commit().
  CHECK(slurp(path) == "original\n");
  CHECK(dir.entries() == std::vector<std::string>{"keep.usda"});

  SECTION("a never-written destination is not created") {
    {
      auto out = OutputFile::create(dir.file("new.usda.zst"));
      REQUIRE(out.ok());
      REQUIRE(out->write("data").ok());
    }
    CHECK(dir.entries() == std::vector<std::string>{"keep.usda"});
  }
}

TEST_CASE("commit replaces an existing file", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("over.usda");
  spit(path, "old contents that are longer than the new ones\n");
  writeThrough(path, "new\n");
  CHECK(slurp(path) == "new\n");
  CHECK(dir.entries() == std::vector<std::string>{"over.usda"});
}

TEST_CASE("a moved OutputFile keeps ownership of its temporary", "[fileio]") {
  TempDir dir;
  const std::string path = dir.file("moved.usda");
  auto created = OutputFile::create(path);
  REQUIRE(created.ok());
  OutputFile out = std::move(*created);
  REQUIRE(out.write("abc").ok());
  REQUIRE(out.commit().ok());
  CHECK(out.path() == path);
  CHECK(slurp(path) == "abc");
}

TEST_CASE("errors name the file", "[fileio]") {
  TempDir dir;

  SECTION("missing input") {
    const std::string path = dir.file("missing.usda");
    auto in = readInput(path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message == "cannot open '" + path + "': No such file or directory");
  }
  SECTION("directory as input") {
    auto in = readInput(dir.path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message.find("'" + dir.path + "'") != std::string::npos);
  }
  SECTION("output in a missing directory") {
    const std::string path = dir.file("nodir/out.usda");
    auto out = OutputFile::create(path);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message.find("'" + path + "'") != std::string::npos);
    CHECK(out.error().message.find("No such file or directory") != std::string::npos);
  }
  SECTION("directory as output") {
    auto out = OutputFile::create(dir.path);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message.find("Is a directory") != std::string::npos);
  }
}

TEST_CASE("damaged .zst input is an error naming the file", "[fileio]") {
  TempDir dir;
  const std::string good = dir.file("good.usda.zst");
  writeThrough(good, sampleText(5000));
  const std::string raw = slurp(good);

  SECTION("truncated") {
    const std::string path = dir.file("cut.usda.zst");
    spit(path, raw.substr(0, raw.size() / 2));
    auto in = readInput(path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message.find("'" + path + "'") != std::string::npos);
    CHECK(in.error().message.find("truncated") != std::string::npos);
  }
  SECTION("cut inside the frame header") {
    const std::string path = dir.file("head.usda.zst");
    spit(path, raw.substr(0, 5));
    auto in = readInput(path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message.find("'" + path + "'") != std::string::npos);
  }
  SECTION("flipped bytes are caught (checksum or structure)") {
    const std::string path = dir.file("flip.usda.zst");
    std::string bad = raw;
    for (std::size_t i = 20; i < bad.size(); i += 97) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    spit(path, bad);
    auto in = readInput(path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message.find("'" + path + "'") != std::string::npos);
  }
  SECTION(".zst name with plain text inside") {
    const std::string path = dir.file("plain.usda.zst");
    spit(path, "#usda 1.0\n");
    auto in = readInput(path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message.find("'" + path + "'") != std::string::npos);
  }
}

TEST_CASE("sameFile compares identity, not names", "[fileio]") {
  TempDir dir;
  const std::string a = dir.file("a.usda");
  const std::string b = dir.file("b.usda");
  spit(a, "a");
  spit(b, "a");
  CHECK(sameFile(a, a));
  CHECK(sameFile(a, dir.path + "/./a.usda"));
  CHECK_FALSE(sameFile(a, b));
  CHECK_FALSE(sameFile(a, dir.file("missing.usda")));
  CHECK_FALSE(sameFile("-", "-"));
  const std::string link = dir.file("link.usda");
  REQUIRE(::symlink(a.c_str(), link.c_str()) == 0);
  CHECK(sameFile(a, link));
}
