// A program of one's own on the installed usdkit library: prints how many
// prims each layer given on the command line defines. Built (and run) by
// the `install` test against a freshly installed copy, so it also shows
// how to build against the library:
//
//   c++ -std=c++20 primcount.cpp $(pkg-config --cflags --libs usdkit) -o primcount
//   ./primcount scene.usda   # scene.usda: 10 prims
//
// usdkit.pc puts <includedir>/usdkit on the include path; headers are named
// "<layer>/<header>" as in the library itself.
#include <cstddef>
#include <cstdio>

#include "io/LayerIO.h"
#include "sdf/Layer.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: primcount LAYER...\n", stderr);
    return 2;
  }
  int rc = 0;
  for (int i = 1; i < argc; ++i) {
    usdkit::Expected<std::shared_ptr<usdkit::Layer>> layer = usdkit::openLayer(argv[i]);
    if (!layer) {
      std::fprintf(stderr, "primcount: %s\n", layer.error().message.c_str());
      rc = 1;
      continue;
    }
    std::size_t prims = 0;
    (*layer)->forEachSpec([&](const usdkit::Path&, const usdkit::Spec& spec) {
      if (spec.type() == usdkit::SpecType::Prim) ++prims;
    });
    std::printf("%s: %zu prims\n", argv[i], prims);
  }
  return rc;
}
