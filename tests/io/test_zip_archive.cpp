// The zip layer under .usdz (crate-format.md §18, §21 "usdz"). Expected
// header bytes are written out by hand from the PKWARE APPNOTE layouts and
// the §18.2 padding rule, never captured from our writer; interoperability is
// checked against Python's zipfile and the Info-ZIP `zip`/`unzip` tools when
// they are installed.
#include <catch2/catch.hpp>

#include "TempDirectory.h"

#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/FileIO.h"
#include "io/usdz/ZipArchive.h"

using namespace usdkit;
using usdkit::testing::TempDirectory;
using namespace usdkit::usdz;

namespace {

using Bytes = std::vector<std::byte>;

std::span<const std::byte> bytesOf(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

std::string textOf(std::span<const std::byte> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Hand assembly of expected bytes, independent of the writer's code.
struct Expect {
  Bytes b;
  Expect& u16(std::uint16_t v) {
    b.push_back(std::byte(v & 0xFF));
    b.push_back(std::byte(v >> 8));
    return *this;
  }
  Expect& u32(std::uint32_t v) { return u16(std::uint16_t(v & 0xFFFF)).u16(std::uint16_t(v >> 16)); }
  Expect& str(std::string_view s) {
    for (char c : s) b.push_back(std::byte(static_cast<unsigned char>(c)));
    return *this;
  }
  Expect& zeros(std::size_t n) {
    b.insert(b.end(), n, std::byte{0});
    return *this;
  }
};

std::uint16_t peek16(const Bytes& b, std::size_t at) {
  return std::uint16_t(std::to_integer<unsigned>(b.at(at)) | std::to_integer<unsigned>(b.at(at + 1)) << 8);
}
std::uint32_t peek32(const Bytes& b, std::size_t at) { return peek16(b, at) | std::uint32_t(peek16(b, at + 2)) << 16; }
void poke16(Bytes& b, std::size_t at, std::uint16_t v) {
  b.at(at) = std::byte(v & 0xFF);
  b.at(at + 1) = std::byte(v >> 8);
}
void poke32(Bytes& b, std::size_t at, std::uint32_t v) {
  poke16(b, at, std::uint16_t(v & 0xFFFF));
  poke16(b, at + 2, std::uint16_t(v >> 16));
}
void pokeText(Bytes& b, std::size_t at, std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) b.at(at + i) = std::byte(static_cast<unsigned char>(s[i]));
}

Bytes build(const std::vector<std::pair<std::string, std::string>>& files) {
  ZipWriter w;
  for (const auto& [name, data] : files) REQUIRE(w.addFile(name, data).ok());
  REQUIRE(w.finish().ok());
  return w.takeBytes();
}

// Where things are in a writer-made archive without a comment, found by
// walking the raw records (not through the reader under test).
struct Layout {
  std::size_t end = 0;                 // end of central directory record
  std::size_t dir = 0;                 // central directory
  std::vector<std::size_t> central;    // each central header
  std::vector<std::size_t> local;      // each local header
};

Layout layoutOf(const Bytes& b) {
  Layout l;
  l.end = b.size() - 22;
  REQUIRE(peek32(b, l.end) == 0x06054b50);
  l.dir = peek32(b, l.end + 16);
  std::size_t pos = l.dir;
  for (unsigned i = 0; i < peek16(b, l.end + 10); ++i) {
    REQUIRE(peek32(b, pos) == 0x02014b50);
    l.central.push_back(pos);
    l.local.push_back(peek32(b, pos + 42));
    pos += 46 + peek16(b, pos + 28) + peek16(b, pos + 30) + peek16(b, pos + 32);
  }
  return l;
}

// Opens `b` expecting failure; returns the message after checking its frame.
// Compressed or encrypted entries open (as in OpenUSD) but cannot be read.
std::string readError(const Bytes& b, std::string_view entry, std::string name = "pkg.usdz") {
  auto z = ZipArchive::open(std::span<const std::byte>(b), name);
  REQUIRE(z.ok());
  const ZipEntry* e = z->find(entry);
  REQUIRE(e != nullptr);
  CHECK_FALSE(e->usable());
  auto data = z->read(entry);
  REQUIRE_FALSE(data.ok());
  const std::string& msg = data.error().message;
  CHECK(msg.rfind(name + ": zip error at offset ", 0) == 0);
  return msg;
}

std::string openError(const Bytes& b, std::string name = "pkg.usdz") {
  auto z = ZipArchive::open(std::span<const std::byte>(b), name);
  REQUIRE_FALSE(z.ok());
  const std::string& msg = z.error().message;
  CHECK(msg.rfind(name + ": zip error at offset ", 0) == 0);
  return msg;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}


void writeFile(const std::string& path, std::string_view data) {
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), std::streamsize(data.size()));
  REQUIRE(f.good());
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool haveCommand(const std::string& probe) { return std::system((probe + " >/dev/null 2>&1").c_str()) == 0; }

Bytes readBytes(const std::string& path) {
  std::string s = slurp(path);
  auto b = bytesOf(s);
  return Bytes(b.begin(), b.end());
}

// Touches every byte of every entry so sanitizers see any bad span.
void touchAll(const ZipArchive& z) {
  unsigned sum = 0;
  for (const ZipEntry& e : z.entries()) {
    for (std::byte x : e.data) sum += std::to_integer<unsigned>(x);
    for (char c : e.name) sum += static_cast<unsigned char>(c);
    (void)z.verifyCrc(e);
    CHECK(z.find(e.name) == &e);
  }
  (void)sum;
}

}  // namespace

TEST_CASE("crc32 matches the zip/zlib reference values", "[zip]") {
  CHECK(crc32({}) == 0);
  CHECK(crc32(bytesOf("123456789")) == 0xCBF43926u);
  CHECK(crc32(bytesOf("hello")) == 0x3610A686u);
  CHECK(crc32(bytesOf("The quick brown fox jumps over the lazy dog")) == 0x414FA339u);
  // Chaining, across the 8-byte blocks of the fast loop at every split.
  std::string text;
  for (int i = 0; i < 1000; ++i) text.push_back(char(i * 7 + 3));
  const std::uint32_t whole = crc32(bytesOf(text));
  for (std::size_t split = 0; split <= 40; ++split) {
    std::string_view sv = text;
    CHECK(crc32(bytesOf(sv.substr(split)), crc32(bytesOf(sv.substr(0, split)))) == whole);
  }
  // The byte loop and the 8-byte loop agree: feed one byte at a time.
  std::uint32_t step = 0;
  for (char c : text) step = crc32(bytesOf(std::string_view(&c, 1)), step);
  CHECK(step == whole);
}

TEST_CASE("entry names must be safe relative paths", "[zip]") {
  for (std::string_view ok : {"a", "root.usdc", "dir/sub/file.png", "dir/", "a..b", "..a/b", "ab:c", "-"})
    CHECK(entryNameProblem(ok).empty());
  for (std::string_view bad : {"", "/abs", "../x", "a/../b", "a/..", "..", "./a", "a/./b", "a//b", "C:x", "c:/x", "x:y",
                               "a\\b", "..\\x", "/"})
    CHECK_FALSE(entryNameProblem(bad).empty());
  CHECK_FALSE(entryNameProblem(std::string_view("a\0b", 3)).empty());
  CHECK_FALSE(entryNameProblem(std::string(0x10000, 'x')).empty());
  CHECK(entryNameProblem(std::string(0xFFFF, 'x')).empty());
}

TEST_CASE("writer bytes match the hand-computed OpenUSD layout", "[zip]") {
  // Entry 1 "a.txt" at 0: data would start at 30 + 5 = 35, so 29 bytes of
  // padding (4-byte record header + 25 zeros) move it to 64. Entry 2 (26-byte
  // name) at 69: data would start at 125 = 61 mod 64; 3 bytes cannot hold the
  // record header, so 3 + 64 = 67 bytes of padding move it to 192.
  const std::string longName = "abcdefghijklmnopqrstuvwxyz";
  Bytes actual = build({{"a.txt", "hello"}, {longName, ""}});

  auto local = [](Expect& e, std::string_view name, std::uint32_t crc, std::uint32_t size, std::uint16_t extra) {
    e.u32(0x04034b50).u16(10).u16(0).u16(0).u16(0x0000).u16(0x0021);  // sig, version 1.0, flags, stored, 1980-01-01
    e.u32(crc).u32(size).u32(size).u16(std::uint16_t(name.size())).u16(extra).str(name);
    e.u16(0x1986).u16(std::uint16_t(extra - 4)).zeros(extra - 4u);
  };
  auto central = [](Expect& e, std::string_view name, std::uint32_t crc, std::uint32_t size, std::uint16_t extra,
                    std::uint32_t offset) {
    e.u32(0x02014b50).u16(0).u16(10).u16(0).u16(0).u16(0x0000).u16(0x0021);  // made by 0, then as local
    e.u32(crc).u32(size).u32(size).u16(std::uint16_t(name.size())).u16(extra);
    e.u16(0).u16(0).u16(0).u32(0).u32(offset).str(name);  // comment len, disk, int/ext attributes, offset
    e.u16(0x1986).u16(std::uint16_t(extra - 4)).zeros(extra - 4u);
  };
  Expect e;
  local(e, "a.txt", 0x3610A686u, 5, 29);
  REQUIRE(e.b.size() == 64);
  e.str("hello");
  local(e, longName, 0, 0, 67);
  REQUIRE(e.b.size() == 192);
  central(e, "a.txt", 0x3610A686u, 5, 29, 0);
  central(e, longName, 0, 0, 67, 69);
  REQUIRE(e.b.size() == 411);
  e.u32(0x06054b50).u16(0).u16(0).u16(2).u16(2).u32(411 - 192).u32(192).u16(0);
  REQUIRE(e.b.size() == 433);

  REQUIRE(actual.size() == e.b.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("byte " << i);
    CHECK(actual[i] == e.b[i]);
  }

  // A 34-byte name puts the first data exactly at 64: no extra field at all.
  Bytes exact = build({{std::string(34, 'n'), "x"}});
  CHECK(peek16(exact, 28) == 0);
  CHECK(peek16(exact, 65 + 30) == 0);  // central header at 65: extra length
  CHECK(char(exact.at(64)) == 'x');
  CHECK(exact.size() == 64 + 1 + 46 + 34 + 22);
}

TEST_CASE("round trip keeps order, names and bytes, with data aligned to 64", "[zip]") {
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("root.usdc", "PXR-USDC");
  files.emplace_back("empty.txt", "");
  for (std::size_t size : {1, 3, 63, 64, 65, 127, 1000, 4097}) {
    std::string data;
    for (std::size_t i = 0; i < size; ++i) data.push_back(char((i * 31 + size) & 0xFF));
    files.emplace_back("textures/t" + std::to_string(size) + ".bin", data);
  }
  for (int n = 1; n <= 70; ++n) files.emplace_back("n/" + std::string(std::size_t(n), 'q'), std::string(std::size_t(n % 5), 'z'));
  files.emplace_back("dir/", "");

  Bytes bytes = build(files);
  auto z = ZipArchive::open(std::span<const std::byte>(bytes), "rt.usdz");
  REQUIRE(z.ok());
  REQUIRE(z->entries().size() == files.size());
  CHECK(z->archiveSize() == bytes.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const ZipEntry& e = z->entries()[i];
    INFO(files[i].first);
    CHECK(e.name == files[i].first);
    CHECK(textOf(e.data) == files[i].second);
    CHECK(e.dataOffset % 64 == 0);
    CHECK(e.data.data() == bytes.data() + e.dataOffset);
    CHECK(z->verifyCrc(e).ok());
    CHECK(z->find(files[i].first) == &e);
    auto r = z->read(files[i].first, CrcCheck::Verify);
    REQUIRE(r.ok());
    CHECK(textOf(*r) == files[i].second);
  }
  CHECK(z->find("missing") == nullptr);
  auto missing = z->read("nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.error().message, "rt.usdz: no entry 'nope'"));

  // Deterministic: same input, same bytes.
  CHECK(build(files) == bytes);

  // The archive survives being moved (lookups keep working).
  ZipArchive moved = std::move(*z);
  CHECK(moved.find("root.usdc") == &moved.entries()[0]);

  // An archive with no entries is just an end record.
  Bytes none = build({});
  CHECK(none.size() == 22);
  auto zn = ZipArchive::open(std::span<const std::byte>(none), "none");
  REQUIRE(zn.ok());
  CHECK(zn->entries().empty());
}

TEST_CASE("streaming into an OutputFile writes the same bytes", "[zip]") {
  TempDirectory dir;
  const std::string path = dir / "out.usdz";
  std::string big(100000, 'b');
  {
    auto out = OutputFile::create(path);
    REQUIRE(out.ok());
    ZipWriter w(*out);
    REQUIRE(w.addFile("root.usda", std::string_view("#usda 1.0\n")).ok());
    REQUIRE(w.addFile("big.bin", std::string_view(big)).ok());
    CHECK(w.entryCount() == 2);
    REQUIRE(w.finish().ok());
    CHECK(w.takeBytes().empty());
    REQUIRE(out->commit().ok());
  }
  CHECK(readBytes(path) == build({{"root.usda", "#usda 1.0\n"}, {"big.bin", big}}));

  auto in = readInput(path);
  REQUIRE(in.ok());
  auto z = ZipArchive::open(in->data(), path);
  REQUIRE(z.ok());
  auto r = z->read("big.bin", CrcCheck::Verify);
  REQUIRE(r.ok());
  CHECK(r->size() == big.size());
}

TEST_CASE("writer refuses what it cannot write faithfully", "[zip]") {
  ZipWriter w;
  for (const char* bad : {"", "/abs.usda", "../up.usda", "a\\b", "a//b"}) {
    Status s = w.addFile(bad, std::string_view("x"));
    REQUIRE_FALSE(s.ok());
    CHECK(contains(s.error().message, "zip archive: cannot add entry"));
  }
  REQUIRE(w.addFile("a.usda", std::string_view("1")).ok());
  Status dup = w.addFile("a.usda", std::string_view("2"));
  REQUIRE_FALSE(dup.ok());
  CHECK(contains(dup.error().message, "'a.usda' twice"));
  CHECK(w.entryCount() == 1);
  REQUIRE(w.finish().ok());
  CHECK_FALSE(w.addFile("late.usda", std::string_view("")).ok());
  CHECK_FALSE(w.finish().ok());
  // Refused entries left no trace.
  Bytes bytes = w.takeBytes();
  CHECK(bytes == build({{"a.usda", "1"}}));
}

TEST_CASE("other zip tools read what we write", "[zip]") {
  TempDirectory dir;
  const std::string path = dir / "ours.usdz";
  Bytes bytes = build({{"root.usdc", "PXR-USDC...."}, {"empty", ""}, {"sub/odd.bin", std::string(333, '\x7f')}});
  writeFile(path, textOf(bytes));

  if (haveCommand("python3 -c pass")) {
    const std::string script = dir / "check.py";
    writeFile(script,
              "import sys, zipfile\n"
              "z = zipfile.ZipFile(sys.argv[1])\n"
              "assert z.testzip() is None\n"
              "with open(sys.argv[2], 'w') as out:\n"
              "    for i in z.infolist():\n"
              "        out.write('%s %d %d %d %r\\n' % (i.filename, i.file_size, i.compress_type,\n"
              "                  len(z.read(i.filename)), i.date_time))\n");
    REQUIRE(std::system(("python3 " + script + " " + path + " " + (dir / "list.txt")).c_str()) == 0);
    CHECK(slurp(dir / "list.txt") ==
          "root.usdc 12 0 12 (1980, 1, 1, 0, 0, 0)\n"
          "empty 0 0 0 (1980, 1, 1, 0, 0, 0)\n"
          "sub/odd.bin 333 0 333 (1980, 1, 1, 0, 0, 0)\n");
  } else {
    WARN("python3 not found; skipping the zipfile cross-check");
  }
  if (haveCommand("unzip -v"))
    CHECK(std::system(("unzip -tqq " + path + " >/dev/null 2>&1").c_str()) == 0);
}

TEST_CASE("archives from Python's zipfile: stored read, deflated listed but not readable", "[zip]") {
  if (!haveCommand("python3 -c pass")) {
    WARN("python3 not found; skipping");
    return;
  }
  TempDirectory dir;
  const std::string script = dir / "make.py";
  writeFile(script,
            "import sys, zipfile\n"
            "for name, method in (('stored.zip', zipfile.ZIP_STORED), ('deflated.zip', zipfile.ZIP_DEFLATED)):\n"
            "    with zipfile.ZipFile(sys.argv[1] + '/' + name, 'w', method) as z:\n"
            "        z.writestr('root.usda', '#usda 1.0\\n' * 20)\n"
            "        z.writestr('sub/tex.png', bytes(range(256)) * 3)\n"
            "        z.writestr('empty.txt', b'')\n");
  REQUIRE(std::system(("python3 " + script + " " + dir.path.string()).c_str()) == 0);

  Bytes stored = readBytes(dir / "stored.zip");
  auto z = ZipArchive::open(std::span<const std::byte>(stored), "stored.zip");
  REQUIRE(z.ok());
  REQUIRE(z->entries().size() == 3);
  CHECK(z->entries()[0].name == "root.usda");
  std::string usda;
  for (int i = 0; i < 20; ++i) usda += "#usda 1.0\n";
  auto root = z->read("root.usda", CrcCheck::Verify);
  REQUIRE(root.ok());
  CHECK(textOf(*root) == usda);
  auto tex = z->read("sub/tex.png", CrcCheck::Verify);
  REQUIRE(tex.ok());
  REQUIRE(tex->size() == 768);
  CHECK(std::to_integer<int>((*tex)[257]) == 1);
  auto empty = z->read("empty.txt", CrcCheck::Verify);
  REQUIRE(empty.ok());
  CHECK(empty->empty());

  Bytes deflated = readBytes(dir / "deflated.zip");
  std::string msg = readError(deflated, "root.usda", "deflated.zip");
  CHECK(contains(msg, "entry 'root.usda' uses compression method 8 (deflate)"));
  CHECK(contains(msg, "stored uncompressed"));
}

TEST_CASE("archives from Info-ZIP zip: -0 read (extra fields, directories), deflated not readable", "[zip]") {
  if (!haveCommand("zip -v")) {
    WARN("zip not found; skipping");
    return;
  }
  TempDirectory dir;
  std::filesystem::create_directories(dir.path / "src" / "sub");
  writeFile(dir / "src/root.usda", "#usda 1.0\n");
  writeFile(dir / "src/sub/data.txt", std::string(5000, 'a'));
  const std::string cd = "cd " + (dir / "src") + " && ";
  REQUIRE(std::system((cd + "zip -q -0 -r ../stored.zip root.usda sub").c_str()) == 0);
  REQUIRE(std::system((cd + "zip -q -9 -r ../deflated.zip root.usda sub").c_str()) == 0);

  Bytes stored = readBytes(dir / "stored.zip");
  auto z = ZipArchive::open(std::span<const std::byte>(stored), "stored.zip");
  REQUIRE(z.ok());
  REQUIRE(z->entries().size() == 3);
  CHECK(z->entries()[0].name == "root.usda");
  CHECK(z->entries()[1].name == "sub/");
  CHECK(z->entries()[1].data.empty());
  auto data = z->read("sub/data.txt", CrcCheck::Verify);
  REQUIRE(data.ok());
  CHECK(textOf(*data) == std::string(5000, 'a'));

  std::string msg = readError(readBytes(dir / "deflated.zip"), "sub/data.txt", "deflated.zip");
  CHECK(contains(msg, "entry 'sub/data.txt' uses compression method 8 (deflate)"));
}

TEST_CASE("every truncation of a valid archive is an error, never a crash", "[zip]") {
  Bytes full = build({{"root.usda", "#usda 1.0\n"}, {"b.bin", "0123456789abcdef"}, {"c", ""}});
  REQUIRE(ZipArchive::open(std::span<const std::byte>(full), "t").ok());
  for (std::size_t n = 0; n < full.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    // A copy of exactly n bytes, so sanitizers catch reads past the end.
    Bytes prefix(full.begin(), full.begin() + std::ptrdiff_t(n));
    openError(prefix, "t");
    Bytes suffix(full.begin() + std::ptrdiff_t(full.size() - n), full.end());
    openError(suffix, "t");
  }
}

TEST_CASE("corrupting any byte never crashes", "[zip]") {
  Bytes full = build({{"root.usda", "#usda 1.0\n"}, {"b.bin", "0123456789abcdef"}, {"c/", ""}});
  std::size_t opened = 0, refused = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    for (int how = 0; how < 4; ++how) {
      Bytes b = full;
      const unsigned old = std::to_integer<unsigned>(b[i]);
      const unsigned v[] = {0x00, 0xFF, old ^ 0x01, old ^ 0x80};
      b[i] = std::byte(v[how]);
      auto z = ZipArchive::open(std::span<const std::byte>(b), "f");
      if (z.ok()) {
        ++opened;
        touchAll(*z);
      } else {
        ++refused;
      }
    }
  }
  CHECK(refused > 0);
  CHECK(opened > 0);  // data bytes, CRCs and padding are not structural

  std::mt19937 rng(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    Bytes b = full;
    const int edits = 1 + int(rng() % 6);
    for (int k = 0; k < edits; ++k) b[rng() % b.size()] = std::byte(rng() & 0xFF);
    if (rng() % 4 == 0) b.resize(rng() % b.size());
    auto z = ZipArchive::open(std::span<const std::byte>(b), "r");
    if (z.ok()) touchAll(*z);
  }
}

TEST_CASE("hostile archives are refused with a precise message", "[zip]") {
  // "a.txt"/"hello" and "b.txt"/"world!": data at 64 and 128.
  const Bytes good = build({{"a.txt", "hello"}, {"b.txt", "world!"}});
  const Layout l = layoutOf(good);
  REQUIRE(l.local == std::vector<std::size_t>{0, 69});
  REQUIRE(ZipArchive::open(std::span<const std::byte>(good), "pkg.usdz").ok());
  Bytes b = good;

  SECTION("too small and not a zip") {
    CHECK(contains(openError(Bytes(10)), "at offset 0: file of 10 bytes is too small"));
    CHECK(contains(openError(Bytes(100)), "at offset 100: no end of central directory record"));
  }
  SECTION("central directory outside the file") {
    poke32(b, l.end + 16, 0x7FFFFFF0);
    CHECK(contains(openError(b), "does not end before the end record"));
  }
  SECTION("central directory size lies") {
    poke32(b, l.end + 12, peek32(b, l.end + 12) + 1);
    CHECK(contains(openError(b), "does not end before the end record"));
    b = good;
    poke32(b, l.end + 12, peek32(b, l.end + 12) - 1);
    poke32(b, l.end + 16, peek32(b, l.end + 16) + 1);
    CHECK(contains(openError(b), "missing central directory header signature"));
  }
  SECTION("huge entry counts") {
    poke16(b, l.end + 8, 0xFFFF);
    poke16(b, l.end + 10, 0xFFFF);
    CHECK(contains(openError(b), "entry count 65535 cannot fit in a central directory of"));
    b = good;
    poke16(b, l.end + 8, 3);
    poke16(b, l.end + 10, 3);
    CHECK(contains(openError(b), "central directory ends inside entry 2 of 3"));
    b = good;
    poke16(b, l.end + 8, 1);
    poke16(b, l.end + 10, 1);
    CHECK(contains(openError(b), "bytes left in the central directory after its 1 entries"));
  }
  SECTION("multi-disk") {
    poke16(b, l.end + 8, 1);
    CHECK(contains(openError(b), "multi-disk"));
  }
  SECTION("comment length lies") {
    poke16(b, l.end + 20, 5);
    std::string msg = openError(b);
    CHECK(contains(msg, "at offset " + std::to_string(l.end) + ": end of central directory record's comment length 5"));
    CHECK(contains(msg, "the 0 bytes that follow"));
    b = good;
    Expect c;
    c.str("comment");
    b.insert(b.end(), c.b.begin(), c.b.end());
    poke16(b, l.end + 20, 3);
    CHECK(contains(openError(b), "comment length 3 does not match the 7 bytes"));
    poke16(b, l.end + 20, 7);  // the truth is accepted
    CHECK(ZipArchive::open(std::span<const std::byte>(b), "x").ok());
  }
  SECTION("entry sizes past EOF") {
    for (std::size_t at : {l.central[1] + 20, l.local[1] + 18}) poke32(b, at, 0x10000000);
    for (std::size_t at : {l.central[1] + 24, l.local[1] + 22}) poke32(b, at, 0x10000000);
    CHECK(contains(openError(b), "data of entry 'b.txt' (268435456 bytes) runs past the central directory"));
  }
  SECTION("local and central headers disagree") {
    poke32(b, l.local[1] + 18, 5);
    CHECK(contains(openError(b), "local header of 'b.txt' gives sizes 5/6 but the central directory says 6"));
    b = good;
    pokeText(b, l.local[1] + 30, "c");
    CHECK(contains(openError(b), "local header names the entry 'c.txt' but the central directory names it 'b.txt'"));
    b = good;
    poke32(b, l.local[0] + 14, 1);
    CHECK(contains(openError(b), "gives CRC 0x00000001 but the central directory says 0x3610a686"));
    b = good;
    poke32(b, l.local[1], 0x04034b51);
    CHECK(contains(openError(b), "at offset 69: missing local file header signature for entry 'b.txt'"));
    b = good;
    poke16(b, l.local[1] + 28, 200);  // extra field reaching into the directory
    CHECK(contains(openError(b), "runs into the central directory"));
  }
  SECTION("overlapping entries") {
    poke32(b, l.central[1] + 42, 64);  // second entry inside the first's data
    CHECK(contains(openError(b), "entry 'b.txt' at offset 64 overlaps entry 'a.txt', which ends at offset 69"));
    b = good;
    poke32(b, l.central[1] + 42, 0);
    CHECK(contains(openError(b), "overlaps"));
  }
  SECTION("gaps and prefixes that would hide entries from a local-header walk") {
    poke32(b, l.central[0] + 42, 10);
    CHECK(contains(openError(b), "first entry 'a.txt' starts at offset 10, not 0"));
    b = good;
    Bytes prefixed = good;
    prefixed.insert(prefixed.begin(), 7, std::byte{'#'});
    CHECK(contains(openError(prefixed), "unexpected bytes between the central directory and the end record"));
    b = good;
    poke32(b, l.central[1] + 42, 70);
    CHECK(contains(openError(b), "leaves 1 unused bytes after entry 'a.txt'"));
    b = good;
    // Second entry 1 byte shorter in both headers: a byte is left over
    // before the central directory.
    for (std::size_t at : {l.central[1] + 20, l.central[1] + 24, l.local[1] + 18, l.local[1] + 22}) poke32(b, at, 5);
    CHECK(contains(openError(b), "1 unused bytes between the data of entry 'b.txt' and the central directory"));
  }
  SECTION("duplicate names") {
    pokeText(b, l.central[1] + 46, "a");
    pokeText(b, l.local[1] + 30, "a");
    CHECK(contains(openError(b), "at offset " + std::to_string(l.central[1]) +
                                     ": duplicate entry name 'a.txt' (first listed at offset " +
                                     std::to_string(l.central[0]) + ")"));
  }
  SECTION("unsafe names") {
    Bytes up = build({{"root.usda", ""}, {"ab/x", "evil"}});
    Layout lu = layoutOf(up);
    pokeText(up, lu.central[1] + 46, "../x");
    pokeText(up, lu.local[1] + 30, "../x");
    CHECK(contains(openError(up), "entry name '../x' has a '..' component"));
    pokeText(up, lu.central[1] + 46, "/abx");
    CHECK(contains(openError(up), "entry name '/abx' is an absolute path"));
    pokeText(up, lu.central[1] + 46, "a\x1b[x");
    CHECK(contains(openError(up), "names it 'a\\x1b[x'"));  // escaped, not sent raw to a terminal
  }
  SECTION("unsupported features") {
    poke16(b, l.central[1] + 8, 1);
    CHECK(contains(openError(b), "gives flags/method 0/0 but the central directory says 1/0"));
    poke16(b, l.local[1] + 6, 1);
    CHECK(contains(readError(b, "b.txt"), "entry 'b.txt' is encrypted"));
    b = good;
    poke16(b, l.central[1] + 8, 8);
    poke16(b, l.local[1] + 6, 8);
    CHECK(contains(openError(b), "trailing data descriptor"));
    b = good;
    poke16(b, l.local[1] + 8, 12);  // only the local header says bzip2
    CHECK(contains(openError(b), "at offset 69: local header of 'b.txt' gives flags/method 0/12"));
    poke16(b, l.central[1] + 10, 12);
    CHECK(contains(readError(b, "b.txt"), "at offset 69: entry 'b.txt' uses compression method 12 (bzip2)"));
    b = good;
    poke32(b, l.central[0] + 20, 0xFFFFFFFF);
    poke32(b, l.central[0] + 24, 0xFFFFFFFF);
    CHECK(contains(openError(b), "entry 'a.txt' needs ZIP64"));
    b = good;
    poke32(b, l.central[0] + 24, 4);
    CHECK(contains(openError(b), "stored entry 'a.txt' has compressed size 5 but uncompressed size 4"));
    b = good;
    poke16(b, l.central[0] + 34, 2);
    CHECK(contains(openError(b), "entry 'a.txt' is on another disk"));
  }
  SECTION("a ZIP64 end locator is refused") {
    // Shape of a ZIP64 archive's tail: locator just before the end record.
    Bytes z = good;
    Expect loc;
    loc.u32(0x07064b50).u32(0).u32(0).u32(0).u32(1);
    z.insert(z.begin() + std::ptrdiff_t(l.end), loc.b.begin(), loc.b.end());
    CHECK(contains(openError(z), "ZIP64 archives are not supported"));
  }
  SECTION("bad CRCs are found only when asked for") {
    b.at(64) = std::byte{'j'};  // "jello"
    auto z = ZipArchive::open(std::span<const std::byte>(b), "pkg.usdz");
    REQUIRE(z.ok());
    CHECK(z->read("a.txt").ok());
    auto bad = z->read("a.txt", CrcCheck::Verify);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message ==
          "pkg.usdz: zip error at offset 64: CRC mismatch in entry 'a.txt': recorded 0x3610a686, data has " +
              [] {
                char buf[16];
                std::snprintf(buf, sizeof buf, "0x%08x", crc32(bytesOf("jello")));
                return std::string(buf);
              }());
    CHECK(z->verifyCrc(z->entries()[1]).ok());
  }
}
