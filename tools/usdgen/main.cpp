// usdgen: deterministic usda scenes for benchmarks.
//
//   usdgen --shape floats --size-mb 100 -o big.usda     (big numeric arrays)
//   usdgen --shape prims --prims 200000 -o many.usda    (many small prims)
//   usdgen --shape refs --refs 10000 --assets 20 -o shot.usda
//       (a shot referencing assets with variant sets and payloads; the
//       assets are written to an `assets` folder beside the shot)
//   usdgen --shape clips --prims 1000 --frames 100 -o shot.usda
//       (animation in value clips: `prims` animated prims under one prim
//       whose template clip set reads one clip file per frame from a
//       `clips` folder beside the shot, with a manifest)
//
// The text is formatted here with fmt rather than through the library's
// writer, so benchmarks of the reader and writer do not depend on the code
// they measure. It is written in the exact form usdcat prints (sorted
// properties, shortest round-trip numbers, 4-space indent), so
// `usdcat X | cmp - X` doubles as a round-trip check on large inputs.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "common/ToolMain.h"

namespace usdkit {
namespace {

// splitmix64: tiny, fast and (unlike std distributions) gives the same
// sequence with every standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double range(double lo, double hi) { return lo + (hi - lo) * unit(); }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

 private:
  std::uint64_t state_;
};

// Rounds to 1..6 decimals so the numbers look like authored data (0.5,
// -12.25, 0.123457) rather than 9 significant digits of noise. Values too
// close to zero become 0: OpenUSD prints them in fixed notation
// (0.000001) where fmt would switch to an exponent.
double authored(Rng& rng, double v) {
  double scale = std::pow(10.0, 1 + rng.below(6));
  double r = std::round(v * scale) / scale;
  return std::fabs(r) < 1e-3 ? 0.0 : r;
}

// Buffers text and hands it to the output in large blocks.
class Writer {
 public:
  explicit Writer(OutputFile& out) : out_(out) { buf_.reserve(kFlushAt + 64 * 1024); }

  template <class... Args>
  void put(fmt::format_string<Args...> f, Args&&... args) {
    fmt::format_to(std::back_inserter(buf_), f, std::forward<Args>(args)...);
    if (buf_.size() >= kFlushAt) flush();
  }
  void text(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushAt) flush();
  }
  void indent(int level) { buf_.append(static_cast<std::size_t>(level) * 4, ' '); }
  void flush() {
    Status s = out_.write(buf_);
    if (!s) throw std::runtime_error(s.error().message);
    written_ += buf_.size();
    buf_.clear();
  }
  std::size_t written() const { return written_ + buf_.size(); }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  OutputFile& out_;
  std::string buf_;
  std::size_t written_ = 0;
};

void header(Writer& w, std::string_view doc) {
  w.text("#usda 1.0\n(\n");
  w.text("    defaultPrim = \"World\"\n");
  w.put("    doc = \"{}\"\n", doc);
  w.text("    metersPerUnit = 1\n");
  w.text("    upAxis = \"Y\"\n");
  w.text(")\n\n");
}

// ---------------------------------------------------------------------------
// --shape floats: grid meshes with float array attributes until the file
// reaches the requested size.

constexpr int kGrid = 64;  // vertices per side: 4096 points, 3969 quads

template <class Fn>
void array(Writer& w, std::string_view decl, int count, Fn element) {
  w.indent(2);
  w.put("{} = [", decl);
  for (int i = 0; i < count; ++i) {
    if (i) w.text(", ");
    element(i);
  }
  w.text("]");
}

void vec3(Writer& w, float x, float y, float z) { w.put("({}, {}, {})", x, y, z); }

void mesh(Writer& w, Rng& rng, int index) {
  const int n = kGrid * kGrid;
  const int quads = (kGrid - 1) * (kGrid - 1);
  const float originX = static_cast<float>(authored(rng, rng.range(-500, 500)));
  const float originZ = static_cast<float>(authored(rng, rng.range(-500, 500)));
  const float step = static_cast<float>(authored(rng, rng.range(0.05, 2.0)));

  std::vector<float> px(n), py(n), pz(n);
  float lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
  for (int i = 0; i < n; ++i) {
    px[i] = static_cast<float>(authored(rng, originX + step * (i % kGrid) + rng.range(-0.1, 0.1)));
    py[i] = static_cast<float>(authored(rng, rng.range(-12.5, 12.5)));
    pz[i] = static_cast<float>(authored(rng, originZ + step * (i / kGrid) + rng.range(-0.1, 0.1)));
    float p[3] = {px[i], py[i], pz[i]};
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], p[a]);
      hi[a] = std::max(hi[a], p[a]);
    }
  }

  w.put("    def Mesh \"Mesh_{}\"\n    {{\n", index);
  w.indent(2);
  w.text("float3[] extent = [");
  vec3(w, lo[0], lo[1], lo[2]);
  w.text(", ");
  vec3(w, hi[0], hi[1], hi[2]);
  w.text("]\n");
  array(w, "int[] faceVertexCounts", quads, [&](int) { w.text("4"); });
  w.text("\n");
  array(w, "int[] faceVertexIndices", quads, [&](int q) {
    int r = q / (kGrid - 1), c = q % (kGrid - 1);
    int v = r * kGrid + c;
    w.put("{}, {}, {}, {}", v, v + 1, v + kGrid + 1, v + kGrid);
  });
  w.text("\n");
  array(w, "normal3f[] normals", n, [&](int) {
    double x = rng.range(-0.2, 0.2), z = rng.range(-0.2, 0.2);
    double y = std::sqrt(1.0 - x * x - z * z);
    vec3(w, static_cast<float>(authored(rng, x)), static_cast<float>(authored(rng, y)),
         static_cast<float>(authored(rng, z)));
  });
  w.text(" (\n            interpolation = \"vertex\"\n        )\n");
  array(w, "point3f[] points", n, [&](int i) { vec3(w, px[i], py[i], pz[i]); });
  w.text("\n");
  array(w, "float[] primvars:displayOpacity", n, [&](int) {
    w.put("{}", static_cast<float>(authored(rng, rng.range(0.25, 1.0))));
  });
  w.text("\n    }\n");
}

void floatsScene(Writer& w, Rng& rng, double sizeMb, std::string_view doc) {
  const auto target = static_cast<std::size_t>(sizeMb * 1e6);
  header(w, doc);
  w.text("def Xform \"World\"\n{\n");
  int index = 0;
  do {
    if (index) w.text("\n");
    mesh(w, rng, index++);
  } while (w.written() < target);
  w.text("}\n\n");
}

// ---------------------------------------------------------------------------
// --shape prims: World (Xform) / Group_g (Scope) / Item_i (Xform), `prims`
// prims in all, each item with a transform, a custom string and (like real
// scenes, only where it differs from the fallback) a visibility opinion.

constexpr int kItemsPerGroup = 500;

void item(Writer& w, Rng& rng, int group, int index) {
  w.put("        def Xform \"Item_{}\"\n        {{\n", index);
  w.put("            custom string label = \"g{}/i{}\"\n", group, index);
  if (rng.below(8) == 0) w.text("            token visibility = \"invisible\"\n");
  w.put("            double3 xformOp:translate = ({}, {}, {})\n", authored(rng, rng.range(-100, 100)),
        authored(rng, rng.range(-100, 100)), authored(rng, rng.range(-100, 100)));
  w.text("            uniform token[] xformOpOrder = [\"xformOp:translate\"]\n");
  w.text("        }\n");
}

void primsScene(Writer& w, Rng& rng, long long prims, std::string_view doc) {
  header(w, doc);
  w.text("def Xform \"World\"\n{\n");
  long long remaining = prims - 1;  // World itself
  for (int g = 0; remaining > 0; ++g) {
    if (g) w.text("\n");
    w.put("    def Scope \"Group_{}\"\n    {{\n", g);
    --remaining;
    for (int i = 0; i < kItemsPerGroup && remaining > 0; ++i, --remaining) {
      if (i) w.text("\n");
      item(w, rng, g, i);
    }
    w.text("    }\n");
  }
  w.text("}\n\n");
}

// ---------------------------------------------------------------------------
// --shape refs: `assets` asset files, each a prim with a `lod` variant set
// (two meshes of different size) and a payload holding heavier detail, and
// a shot whose `refs` prims reference them round robin, half selecting the
// other variant, each with its own transform.

void assetFile(Writer& w, Rng& rng, int index) {
  w.text("#usda 1.0\n(\n    defaultPrim = \"Asset\"\n)\n\n");
  w.put("def Xform \"Asset\" (\n    kind = \"component\"\n    prepend payload = @./asset_{}_payload.usda@\n", index);
  w.text("    variants = {\n        string lod = \"high\"\n    }\n    prepend variantSets = \"lod\"\n)\n{\n");
  w.put("    custom int assetId = {}\n", index);
  w.text("    variantSet \"lod\" = {\n");
  for (const char* lod : {"high", "low"}) {
    const int n = lod[0] == 'h' ? 64 : 8;
    w.put("        \"{}\" {{\n            def Mesh \"Geo\"\n            {{\n", lod);
    w.text("                point3f[] points = [");
    for (int i = 0; i < n; ++i)
      w.put("{}({}, {}, {})", i ? ", " : "", authored(rng, rng.range(-1, 1)), authored(rng, rng.range(-1, 1)),
            authored(rng, rng.range(-1, 1)));
    w.text("]\n            }\n\n        }\n");
  }
  w.text("    }\n}\n\n");
}

void assetPayloadFile(Writer& w, Rng& rng, int index) {
  w.text("#usda 1.0\n(\n    defaultPrim = \"Asset\"\n)\n\n");
  w.text("def Xform \"Asset\"\n{\n    def Scope \"Detail\"\n    {\n");
  w.put("        float[] weights = [");
  for (int i = 0; i < 256; ++i) w.put("{}{}", i ? ", " : "", authored(rng, rng.range(0, 1)));
  w.put("]\n        custom string source = \"payload of asset {}\"\n    }}\n}}\n\n", index);
}

void refsScene(Writer& w, Rng& rng, long long refs, int assets, std::string_view doc) {
  header(w, doc);
  w.text("def Xform \"World\"\n{\n");
  for (long long i = 0; i < refs; ++i) {
    if (i) w.text("\n");
    w.put("    def \"Ref_{}\" (\n        prepend references = @./assets/asset_{}.usda@\n", i, i % assets);
    if (i % 2) w.text("        variants = {\n            string lod = \"low\"\n        }\n");
    w.text("    )\n    {\n");
    w.put("        double3 xformOp:translate = ({}, {}, {})\n", authored(rng, rng.range(-100, 100)),
          authored(rng, rng.range(-100, 100)), authored(rng, rng.range(-100, 100)));
    w.text("        uniform token[] xformOpOrder = [\"xformOp:translate\"]\n    }\n");
  }
  w.text("}\n\n");
}

// ---------------------------------------------------------------------------
// --shape clips: /World/Anim holds `prims` prims; a template clip set on
// Anim reads clips/anim.NNNN.usda for frames 1..`frames`, each with one
// sample of every prim's translation and weights.

void clipsShot(Writer& w, long long prims, int frames, std::string_view doc) {
  header(w, doc);
  w.text("def Xform \"World\"\n{\n    def Xform \"Anim\" (\n        clips = {\n");
  w.text("            dictionary default = {\n");
  w.text("                asset manifestAssetPath = @./clips/manifest.usda@\n");
  w.text("                string primPath = \"/Anim\"\n");
  w.text("                string templateAssetPath = \"./clips/anim.####.usda\"\n");
  w.put("                double templateEndTime = {}\n", frames);
  w.text("                double templateStartTime = 1\n                double templateStride = 1\n");
  w.text("            }\n        }\n    )\n    {\n");
  for (long long i = 0; i < prims; ++i) {
    if (i) w.text("\n");
    w.put("        def Xform \"Prim_{}\"\n        {{\n", i);
    // Declared without values: a value here would be stronger than the clips.
    w.text("            custom float[] weights\n            double3 xformOp:translate\n");
    w.text("            uniform token[] xformOpOrder = [\"xformOp:translate\"]\n        }\n");
  }
  w.text("    }\n}\n\n");
}

void clipsManifest(Writer& w, long long prims) {
  w.text("#usda 1.0\n\nover \"Anim\"\n{\n");
  for (long long i = 0; i < prims; ++i) {
    if (i) w.text("\n");
    w.put("    over \"Prim_{}\"\n    {{\n        custom float[] weights\n", i);
    w.text("        double3 xformOp:translate\n    }\n");
  }
  w.text("}\n\n");
}

void clipFrame(Writer& w, Rng& rng, long long prims, int frame) {
  w.text("#usda 1.0\n\nover \"Anim\"\n{\n");
  for (long long i = 0; i < prims; ++i) {
    if (i) w.text("\n");
    w.put("    over \"Prim_{}\"\n    {{\n        custom float[] weights.timeSamples = {{\n            {}: [", i, frame);
    for (int k = 0; k < 8; ++k) w.put("{}{}", k ? ", " : "", authored(rng, rng.range(0, 1)));
    w.put("],\n        }}\n        double3 xformOp:translate.timeSamples = {{\n            {}: ({}, {}, {}),\n", frame,
          authored(rng, rng.range(-100, 100)), authored(rng, rng.range(-100, 100)), authored(rng, rng.range(-100, 100)));
    w.text("        }\n    }\n");
  }
  w.text("}\n\n");
}

// Writes one generated file; `fill` produces its text.
template <class F>
Status writeFile(const std::string& path, F&& fill) {
  auto out = OutputFile::create(path);
  if (!out) return std::move(out).error();
  Writer w(*out);
  fill(w);
  w.flush();
  return out->commit();
}

struct Args {
  std::string shape;
  long long refs = 10000;
  int assets = 20;
  double sizeMb = 100;
  long long prims = 200000;
  int frames = 100;
  std::uint64_t seed = 1;
  std::string output = "-";
};

// The folder beside the shot that a shape of several files writes into
// (`name`), created if needed; nullopt (reported) when there is no shot
// file name or the folder cannot be made.
std::optional<std::string> sideFolder(const Args& args, const char* name) {
  if (args.output == "-") {
    spdlog::error("--shape {} writes several files: give the shot's file name with -o", args.shape);
    return std::nullopt;
  }
  std::string dir = siblingPath(args.output, name);
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    spdlog::error("cannot create {}: {}", dir, std::strerror(errno));
    return std::nullopt;
  }
  return dir;
}

int generateRefs(const Args& args) {
  const std::optional<std::string> folder = sideFolder(args, "assets");
  if (!folder) return tool::kExitFailure;
  const std::string& dir = *folder;
  Rng rng(args.seed);
  for (int a = 0; a < args.assets; ++a) {
    Status s = writeFile(fmt::format("{}/asset_{}.usda", dir, a), [&](Writer& w) { assetFile(w, rng, a); });
    if (s) s = writeFile(fmt::format("{}/asset_{}_payload.usda", dir, a), [&](Writer& w) { assetPayloadFile(w, rng, a); });
    if (!s) {
      spdlog::error("{}", s.error().message);
      return tool::kExitFailure;
    }
  }
  Status s = writeFile(args.output, [&](Writer& w) {
    refsScene(w, rng, args.refs, args.assets,
              fmt::format("Generated by usdgen --shape refs --refs {} --assets {} --seed {}", args.refs, args.assets,
                          args.seed));
  });
  if (!s) {
    spdlog::error("{}", s.error().message);
    return tool::kExitFailure;
  }
  return tool::kExitOk;
}

int generateClips(const Args& args) {
  const std::optional<std::string> folder = sideFolder(args, "clips");
  if (!folder) return tool::kExitFailure;
  const std::string& dir = *folder;
  Rng rng(args.seed);
  Status s = writeFile(dir + "/manifest.usda", [&](Writer& w) { clipsManifest(w, args.prims); });
  for (int f = 1; s && f <= args.frames; ++f)
    s = writeFile(fmt::format("{}/anim.{:04}.usda", dir, f), [&](Writer& w) { clipFrame(w, rng, args.prims, f); });
  if (s) {
    s = writeFile(args.output, [&](Writer& w) {
      clipsShot(w, args.prims, args.frames,
                fmt::format("Generated by usdgen --shape clips --prims {} --frames {} --seed {}", args.prims,
                            args.frames, args.seed));
    });
  }
  if (!s) {
    spdlog::error("{}", s.error().message);
    return tool::kExitFailure;
  }
  return tool::kExitOk;
}

int generate(const Args& args) {
  if (args.shape == "refs") return generateRefs(args);
  if (args.shape == "clips") return generateClips(args);
  auto out = OutputFile::create(args.output);
  if (!out) {
    spdlog::error("{}", out.error().message);
    return tool::kExitFailure;
  }
  Writer w(*out);
  Rng rng(args.seed);
  if (args.shape == "floats") {
    floatsScene(w, rng, args.sizeMb,
                fmt::format("Generated by usdgen --shape floats --size-mb {} --seed {}", args.sizeMb,
                            args.seed));
  } else {
    primsScene(w, rng, args.prims,
               fmt::format("Generated by usdgen --shape prims --prims {} --seed {}", args.prims,
                           args.seed));
  }
  w.flush();
  Status s = out->commit();
  if (!s) {
    spdlog::error("{}", s.error().message);
    return tool::kExitFailure;
  }
  spdlog::info("wrote {} bytes to {}", w.written(), args.output);
  return tool::kExitOk;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "usdgen", "Generate deterministic usda scenes for benchmarks.", argc, argv,
      [&](usdkit::tool::CommandLine& cmd) {
        cmd.option("--shape", args.shape,
                       "floats: meshes with large float arrays; prims: many small prims;\n"
                       "refs: a shot referencing assets with variants and payloads;\n"
                       "clips: prims animated by value clips, one clip file per frame")
            .required()
            .oneOf({"floats", "prims", "refs", "clips"});
        cmd.option("--refs", args.refs, "Number of referencing prims for --shape refs")
            .range(1LL, 100000000LL);
        cmd.option("--assets", args.assets, "Number of asset files for --shape refs")
            .range(1LL, 100000LL);
        cmd.option("--size-mb", args.sizeMb, "Approximate output size for --shape floats (10^6 bytes)")
            .range(0.001, 100000.0);
        cmd.option("--prims", args.prims, "Number of prims for --shape prims and clips")
            .range(1LL, 1000000000LL);
        cmd.option("--frames", args.frames, "Number of clip files (frames) for --shape clips")
            .range(1LL, 9999LL);
        cmd.option("--seed", args.seed, "Seed of the pseudo-random values");
        cmd.option("-o,--out", args.output, "Output file ('-' = standard output, '.zst' compresses)")
            .optionText("file");
      },
      [&] { return usdkit::generate(args); });
}
