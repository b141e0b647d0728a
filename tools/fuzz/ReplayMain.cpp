// Runs a fuzz target's LLVMFuzzerTestOneInput over files and folders given
// on the command line, for builds without libFuzzer (the test suite replays
// the corpus of valid and damaged files through every target this way).
// Exits 0 when every input ran; a crash or hang is the failure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

static bool runFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return true;
}

int main(int argc, char** argv) {
  std::size_t ran = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(arg, ec))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) ok &= runFile(f), ++ran;
    } else if (fs::is_regular_file(arg, ec)) {
      ok &= runFile(arg), ++ran;
    } else {
      std::printf("skipped: %s not found\n", argv[i]);
    }
  }
  std::printf("replayed %zu inputs\n", ran);
  if (ran == 0) {
    std::printf("skipped: no inputs\n");
    return 77;
  }
  return ok ? 0 : 1;
}
