#include <catch2/catch.hpp>

#include "TempDirectory.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/FileIO.h"

using namespace usdkit;
using usdkit::testing::TempDirectory;

namespace {

// A fresh directory per test, removed with its files afterwards.

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
  TempDirectory dir;
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
  TempDirectory dir;
  const std::string path = dir.file("perm.usda");
  writeThrough(path, "x");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE(".zst files are compressed on write and decompressed on read", "[fileio]") {
  TempDirectory dir;
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

TEST_CASE("zstd data expanding past 64 MiB at more than 1000:1 is refused as a bomb", "[fileio]") {
  TempDirectory dir;
  // 70 MiB of one byte compresses to a few kilobytes.
  const std::string bomb = dir.file("bomb.usda.zst");
  writeThrough(bomb, std::string(std::size_t(70) << 20, ' '));
  REQUIRE(slurp(bomb).size() < 70 * 1024);
  auto in = readInput(bomb);
  REQUIRE_FALSE(in.ok());
  CHECK_THAT(in.error().message, Catch::Contains("bomb.usda.zst") && Catch::Contains("decompression bomb") &&
                                     Catch::Contains("zstd -d"));

  SECTION("the same ratio below 64 MiB reads") {
    const std::string small = dir.file("small.usda.zst");
    const std::string text(std::size_t(60) << 20, ' ');
    writeThrough(small, text);
    auto ok = readInput(small);
    REQUIRE(ok.ok());
    CHECK(ok->data() == text);
  }
}

TEST_CASE("an empty .zst output round trips to empty", "[fileio]") {
  TempDirectory dir;
  const std::string path = dir.file("empty.usda.zst");
  writeThrough(path, "");
  auto in = readInput(path);
  REQUIRE(in.ok());
  CHECK(in->data().empty());
}

TEST_CASE("empty plain files read as empty", "[fileio]") {
  TempDirectory dir;
  const std::string path = dir.file("empty.usda");
  spit(path, "");
  auto in = readInput(path);
  REQUIRE(in.ok());
  CHECK(in->size() == 0);
}

TEST_CASE("uncommitted output leaves the destination untouched", "[fileio]") {
  TempDirectory dir;
  const std::string path = dir.file("keep.usda");
  spit(path, "original\n");
  {
    auto out = OutputFile::create(path);
    REQUIRE(out.ok());
    REQUIRE(out->write("partial replacement").ok());
    // While writing, the destination is untouched and nothing else carries
    // its name (the temporary is unnamed, or hidden with the marker) ...
    CHECK(slurp(path) == "original\n");
    for (const std::string& name : dir.entries())
      CHECK((name == "keep.usda" || name.starts_with(".keep.usda.usdkit-tmp-")));
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
  TempDirectory dir;
  const std::string path = dir.file("over.usda");
  spit(path, "old contents that are longer than the new ones\n");
  writeThrough(path, "new\n");
  CHECK(slurp(path) == "new\n");
  CHECK(dir.entries() == std::vector<std::string>{"over.usda"});
}

TEST_CASE("a moved OutputFile keeps ownership of its temporary", "[fileio]") {
  TempDirectory dir;
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
  TempDirectory dir;

  SECTION("missing input") {
    const std::string path = dir.file("missing.usda");
    auto in = readInput(path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message == "cannot open '" + path + "': No such file or directory");
  }
  SECTION("directory as input") {
    auto in = readInput(dir.path);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().message.find("'" + dir.path.string() + "'") != std::string::npos);
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
  TempDirectory dir;
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
  TempDirectory dir;
  const std::string a = dir.file("a.usda");
  const std::string b = dir.file("b.usda");
  spit(a, "a");
  spit(b, "a");
  CHECK(sameFile(a, a));
  CHECK(sameFile(a, dir.path.string() + "/./a.usda"));
  CHECK_FALSE(sameFile(a, b));
  CHECK_FALSE(sameFile(a, dir.file("missing.usda")));
  CHECK_FALSE(sameFile("-", "-"));
  const std::string link = dir.file("link.usda");
  REQUIRE(::symlink(a.c_str(), link.c_str()) == 0);
  CHECK(sameFile(a, link));
}

// ---------------------------------------------------------------------------
// Outputs that are not plain files (issue 12: hostile input)

namespace {

mode_t fileType(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & S_IFMT;
}

mode_t permissionBits(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("symlink outputs are followed to their target, which is replaced while the link stays", "[fileio]") {
  TempDirectory dir;
  REQUIRE(::mkdir(dir.file("real").c_str(), 0755) == 0);
  const std::string target = dir.file("real/scene.usda");
  spit(target, "old\n");
  // A relative link to a relative link: each is resolved from its own folder.
  REQUIRE(::symlink("real/scene.usda", dir.file("first.usda").c_str()) == 0);
  REQUIRE(::symlink("first.usda", dir.file("second.usda").c_str()) == 0);
  writeThrough(dir.file("second.usda"), "new\n");
  CHECK(fileType(dir.file("second.usda")) == S_IFLNK);
  CHECK(fileType(dir.file("first.usda")) == S_IFLNK);
  CHECK(slurp(target) == "new\n");

  SECTION("a dangling link gets its target created") {
    REQUIRE(::symlink("real/later.usda", dir.file("dangling.usda").c_str()) == 0);
    writeThrough(dir.file("dangling.usda"), "made\n");
    CHECK(fileType(dir.file("dangling.usda")) == S_IFLNK);
    CHECK(slurp(dir.file("real/later.usda")) == "made\n");
    ::unlink(dir.file("real/later.usda").c_str());
  }
  SECTION("a looping link is an error naming the path") {
    const std::string loop = dir.file("loop.usda");
    REQUIRE(::symlink("loop.usda", loop.c_str()) == 0);
    auto out = OutputFile::create(loop);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message == "cannot write '" + loop + "': " + std::strerror(ELOOP));
    CHECK(fileType(loop) == S_IFLNK);
  }
  ::unlink(target.c_str());
  ::rmdir(dir.file("real").c_str());
}

TEST_CASE("a FIFO output is written to and not replaced", "[fileio]") {
  TempDirectory dir;
  const std::string fifo = dir.file("pipe.usda");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string text = sampleText(20000);  // more than a pipe buffer holds
  std::string received;
  std::thread reader([&] { received = slurp(fifo); });
  writeThrough(fifo, text);
  reader.join();
  CHECK(received == text);
  CHECK(fileType(fifo) == S_IFIFO);
  CHECK(dir.entries() == std::vector<std::string>{"pipe.usda"});
}

TEST_CASE("a character device output is written to and not replaced", "[fileio]") {
  TempDirectory dir;
  const std::string node = dir.file("null.usda");
  if (::mknod(node.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {
    // Not /dev/null instead: a broken OutputFile would replace it for
    // everyone on the machine.
    WARN("skipped: cannot make a device node here (" << std::strerror(errno) << ")");
    return;
  }
  writeThrough(node, "discarded");
  CHECK(fileType(node) == S_IFCHR);
  CHECK(dir.entries() == std::vector<std::string>{"null.usda"});
}

TEST_CASE("/proc/self/fd/N and /dev/fd/N write through that descriptor", "[fileio]") {
  TempDirectory dir;
  const std::string shared = dir.file("shared.txt");
  const int fd = ::open(shared.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "head\n", 5) == 5);
  // The descriptor's position is shared, as with a shell's redirection.
  writeThrough("/proc/self/fd/" + std::to_string(fd), "body\n");
  writeThrough("/dev/fd/" + std::to_string(fd), "more\n");
  REQUIRE(::write(fd, "tail\n", 5) == 5);
  ::close(fd);
  CHECK(slurp(shared) == "head\nbody\nmore\ntail\n");
  CHECK(dir.entries() == std::vector<std::string>{"shared.txt"});
  CHECK(writesThrough("/proc/self/fd/" + std::to_string(STDERR_FILENO)));
  CHECK_FALSE(writesThrough(shared));

  SECTION("a descriptor open only for reading is refused by name") {
    const int in = ::open(shared.c_str(), O_RDONLY);
    REQUIRE(in >= 0);
    const std::string name = "/dev/fd/" + std::to_string(in);
    auto out = OutputFile::create(name);
    ::close(in);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message.find("'" + name + "'") != std::string::npos);
    CHECK(out.error().message.find("reading only") != std::string::npos);
  }
}

TEST_CASE("outputs that cannot be written are refused by name and left untouched", "[fileio]") {
  TempDirectory dir;
  SECTION("a socket") {
    const std::string path = dir.file("socket.usda");
    const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(s >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    auto out = OutputFile::create(path);
    ::close(s);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message.find("'" + path + "'") != std::string::npos);
    CHECK(out.error().message.find("socket") != std::string::npos);
    CHECK(fileType(path) == S_IFSOCK);
  }
  SECTION("a link to a directory") {
    const std::string link = dir.file("dir-link.usda");
    REQUIRE(::symlink(dir.path.c_str(), link.c_str()) == 0);
    auto out = OutputFile::create(link);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message == "cannot write '" + link + "': " + std::strerror(EISDIR));
  }
}

TEST_CASE("replacing a file keeps its permission bits and new files follow the umask", "[fileio]") {
  TempDirectory dir;
  for (mode_t mode : {mode_t(0640), mode_t(0755), mode_t(0600)}) {
    const std::string path = dir.file("perm" + std::to_string(mode) + ".usda");
    spit(path, "old");
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    writeThrough(path, "new");
    CHECK(permissionBits(path) == mode);
    CHECK(slurp(path) == "new");
  }
  const mode_t mask = ::umask(0);
  ::umask(mask);
  writeThrough(dir.file("fresh.usda"), "x");
  CHECK(permissionBits(dir.file("fresh.usda")) == (0666 & ~mask));
}

TEST_CASE("temporaries left by killed runs are removed but live ones are not", "[fileio]") {
  TempDirectory dir;
  const std::string out = dir.file("out.usda");
  const std::string stale = dir.file(".out.usda.usdkit-tmp-99999999-0badf00d");
  const std::string live = dir.file(".out.usda.usdkit-tmp-1-c0ffee00");
  const std::string other = dir.file(".other.usda.usdkit-tmp-99999999-0badf00d");
  spit(stale, "partial");
  spit(live, "being written");
  spit(other, "another output's");
  // A writer in another process holds its temporary locked until renamed.
  const int liveFd = ::open(live.c_str(), O_RDONLY);
  REQUIRE(liveFd >= 0);
  REQUIRE(::flock(liveFd, LOCK_EX) == 0);
  // An flock held through another open file conflicts even in this process.
  writeThrough(out, "done\n");
  ::close(liveFd);
  CHECK(slurp(out) == "done\n");
  CHECK(::access(stale.c_str(), F_OK) != 0);
  CHECK(::access(live.c_str(), F_OK) == 0);
  CHECK(::access(other.c_str(), F_OK) == 0);
}

TEST_CASE("a small input truncated after reading stays readable", "[fileio]") {
  // A mapped file that shrinks raises SIGBUS when the lost pages are
  // touched; small files are read into memory instead.
  TempDirectory dir;
  const std::string path = dir.file("shrinks.usda");
  const std::string text = sampleText(1500);  // several pages, under the mapping threshold
  REQUIRE(text.size() > 16 * 1024);
  REQUIRE(text.size() <= 64 * 1024);
  spit(path, text);
  auto in = readInput(path);
  REQUIRE(in.ok());
  REQUIRE(::truncate(path.c_str(), 0) == 0);
  CHECK(in->data() == text);
}

TEST_CASE("FIFOs and devices read as streams and directories are errors", "[fileio]") {
  TempDirectory dir;
  const std::string fifo = dir.file("in.usda");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string text = sampleText(20000);
  std::thread writer([&] { spit(fifo, text); });
  auto in = readInput(fifo);
  writer.join();
  REQUIRE(in.ok());
  CHECK(in->data() == text);

  auto empty = readInput("/dev/null");
  REQUIRE(empty.ok());
  CHECK(empty->size() == 0);

  auto folder = readInput(dir.path);
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.error().message == "cannot read '" + dir.path.string() + "': " + std::strerror(EISDIR));
}
