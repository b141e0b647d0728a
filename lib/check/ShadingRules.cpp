// Rules on shading networks: shader input types against the shader
// registry, texture formats, normal-map readers, and ARKit's shader limits.
#include <algorithm>
#include <array>
#include <cctype>

#include "base/FilePaths.h"
#include "check/RuleBase.h"
#include "io/usda/UsdaValueText.h"

namespace usdkit::check::detail {

namespace {

std::string angle(const Path& p) { return "<" + p.string() + ">"; }

std::string tokenValue(const PrimView& prim, std::string_view attr) {
  std::optional<Value> v = prim.attributeValue(attr);
  if (!v) return {};
  if (const Token* t = v->getIf<Token>()) return t->string();
  if (const std::string* s = v->getIf<std::string>()) return *s;
  return {};
}

// UsdShadeShader::GetImplementationSource and GetShaderId.
std::string implementationSource(const PrimView& shader) {
  std::string s = tokenValue(shader, "info:implementationSource");
  return s.empty() ? std::string("id") : s;
}
std::string shaderId(const PrimView& shader) {
  return implementationSource(shader) == "id" ? tokenValue(shader, "info:id") : std::string();
}

// The inputs a connectable prim has authored (UsdShadeConnectableAPI::GetInputs).
std::vector<Token> inputNames(const PrimView& prim) {
  std::vector<Token> out;
  for (const Token& n : prim.propertyNames()) {
    const Spec* s = prim.property(n.str());
    if (s && s->type() == SpecType::Attribute && n.str().starts_with("inputs:")) out.push_back(n);
  }
  return out;
}

bool hasAuthoredValue(const PrimView& prim, std::string_view attr) {
  const Spec* s = prim.property(attr);
  return s && (s->has(Token("default")) || s->has(Token("timeSamples")));
}

// The attribute that produces an input's or output's value, following
// connections (UsdShadeUtils::GetValueProducingAttributes, first result):
// a Shader's output, or an input with a value and no connection.
std::optional<std::pair<PrimView, std::string>> valueProducer(const PrimView& prim, std::string name, int depth = 0) {
  if (depth > 64) return std::nullopt;  // connection cycles
  const bool isOutput = name.starts_with("outputs:");
  if (isOutput && prim.isA("Shader")) return std::make_pair(prim, name);
  const std::vector<Path> sources = prim.connections(name);
  if (sources.empty()) {
    if (!isOutput && hasAuthoredValue(prim, name)) return std::make_pair(prim, name);
    return std::nullopt;
  }
  const Path& src = sources.front();
  if (!src.isPropertyPath()) return std::nullopt;
  const std::optional<PrimView> owner = prim.primAt(src.parent());
  if (!owner) return std::nullopt;
  return valueProducer(*owner, std::string(src.name()), depth + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class ShaderPropertyTypeConformanceChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    if (!prim.isA("Shader")) return;
    const std::string source = implementationSource(prim);
    if (source != "id" && source != "sourceAsset" && source != "sourceCode") {
      fail("Shader " + angle(prim.path()) + " has invalid implementation source '" + source + "'.");
      return;
    }
    const schema::ShaderNodeDef* node = nullptr;
    if (source == "id") {
      const std::string id = shaderId(prim);
      if (id.empty()) return;
      // MaterialX nodes (ND_*) come from MaterialX's own library, which
      // this build does not carry: their inputs cannot be checked here.
      if (id.starts_with("ND_")) return;
      node = schemas().findShaderNode(id);
    } else {
      const std::string suffix = source == "sourceAsset" ? ":sourceAsset" : ":sourceCode";
      bool hasSource = false;
      for (const Token& n : prim.propertyNames())
        if (n.str().starts_with("info:") && n.str().ends_with(suffix)) hasSource = true;
      if (!hasSource) {
        fail("Shader " + angle(prim.path()) + " has no sourceType. ");
        return;
      }
      // Parsing shader sources (glslfx, OSL, ...) needs their compilers'
      // plugins; without them OpenUSD finds no node either.
    }
    if (!node) {
      fail("Shader " + angle(prim.path()) + " has invalid shader node. ");
      return;
    }
    for (const Token& n : inputNames(prim)) {
      const std::string_view base = n.str().substr(7);
      for (const schema::ShaderInputDef& in : node->inputs) {
        if (in.name != base) continue;
        const std::string_view authored = prim.attributeType(n.str());
        if (authored != in.typeName)
          fail("Incorrect type for " + prim.path().appendProperty(n.str()).string() + ". Expected '" +
               std::string(in.typeName) + "'; got '" + std::string(authored) + "'.");
      }
    }
  }
};

class TextureChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkStage(const StageFacts& stage) override {
    checkFormats_ = stage.rootIsPackage || context().consumerLevelChecks();
  }
  void checkPrim(const PrimView& prim) override {
    if (!checkFormats_ || prim.typeName().empty() || !isConnectable(prim)) return;
    for (const Token& n : inputNames(prim)) {
      const std::string_view type = prim.attributeType(n.str());
      if (type != "asset" && type != "asset[]") continue;
      const std::optional<Value> v = prim.attributeValue(n.str());
      if (!v) continue;
      const Path attr = prim.path().appendProperty(n.str());
      if (const AssetPath* a = v->getIf<AssetPath>()) {
        if (!a->path.empty()) checkTexture(a->path, attr);
      } else if (const auto* list = v->getIf<std::vector<AssetPath>>()) {
        for (const AssetPath& a2 : *list) checkTexture(a2.path, attr);
      }
    }
  }

 private:
  void checkTexture(const std::string& asset, const Path& attr) {
    static constexpr std::array<std::string_view, 6> kNonPortable = {"bmp", "tga", "hdr", "tif", "tx", "zfile"};
    const std::string ext = lower(std::string(innermostFileExtension(asset)));
    const auto formats = basicUsdzImageFormats();
    if (context().consumerLevelChecks() && std::find(kNonPortable.begin(), kNonPortable.end(), ext) != kNonPortable.end())
      fail("Texture " + angle(attr) + " with asset @" + asset + "@ has non-portable file format.");
    else if (std::find(formats.begin(), formats.end(), ext) == formats.end())
      fail("Texture " + angle(attr) + " with asset @" + asset + "@ has unknown file format.");
  }
  bool checkFormats_ = false;
};

// Python's str() of a Gf.Vec4f: "(2, 2, 2, 1)".
std::string vecText(const Vec4f& v) {
  std::string s = "(";
  for (int i = 0; i < 4; ++i) {
    if (i) s += ", ";
    appendUsdaValue(s, Value(v[i]));
  }
  return s + ")";
}

class NormalMapTextureChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    if (!prim.isA("Shader") || shaderId(prim) != "UsdPreviewSurface") return;
    if (!prim.property("inputs:normal")) return;
    const auto producer = valueProducer(prim, "inputs:normal");
    if (!producer || producer->first.path() == prim.path()) return;
    const PrimView& source = producer->first;
    if (!source.isA("Shader")) {
      if (isConnectable(source)) return;
      fail("UsdPreviewSurface.normal on prim " + angle(prim.path()) + " is connected to a non-Shader prim.");
      return;
    }
    if (shaderId(source) != "UsdUVTexture") return;
    const std::optional<Value> file = inputValue(source, "file");
    const AssetPath* asset = file ? file->getIf<AssetPath>() : nullptr;
    const std::string assetText = asset ? asset->path : std::string();
    if (assetText.empty() || !resolves(assetText)) {
      fail("UsdUVTexture prim " + angle(source.path()) + " has invalid or unresolvable inputs:file of @" + assetText +
           "@");
      return;
    }
    static constexpr std::array<std::string_view, 6> k8Bit = {"bmp", "tga", "jpg", "jpeg", "png", "tif"};
    const std::string ext(innermostFileExtension(assetText));
    if (std::find(k8Bit.begin(), k8Bit.end(), ext) == k8Bit.end()) return;

    const std::optional<Value> colorSpace = inputValue(source, "sourceColorSpace");
    const Token* cs = colorSpace ? colorSpace->getIf<Token>() : nullptr;
    if (!cs || cs->str() != "raw")
      error("UsdUVTexture prim " + angle(source.path()) + " that reads Normal Map @" + assetText +
            "@ should set inputs:sourceColorSpace to 'raw'.");
    const std::optional<Value> biasValue = inputValue(source, "bias");
    const std::optional<Value> scaleValue = inputValue(source, "scale");
    const Vec4f* bias = biasValue ? biasValue->getIf<Vec4f>() : nullptr;
    const Vec4f* scale = scaleValue ? scaleValue->getIf<Vec4f>() : nullptr;
    if (!bias || !scale) {
      error("UsdUVTexture prim " + angle(source.path()) + " reads 8 bit Normal Map @" + assetText +
            "@, which requires that inputs:scale be set to (2, 2, 2, 1) and inputs:bias be set to (-1, -1, -1, 0) "
            "for proper interpretation as per the UsdPreviewSurface and UsdUVTexture docs.");
      return;
    }
    const bool badScale = (*scale)[0] != 2 || (*scale)[1] != 2 || (*scale)[2] != 2;
    if (badScale)
      warn("UsdUVTexture prim " + angle(source.path()) + " reads an 8 bit Normal Map, but has non-standard "
           "inputs:scale value of " + vecText(*scale) + ".inputs:scale must be set to (2, 2, 2, 1) so as fullfill "
           "the requirements of the normals to be in tangent space of [(-1,-1,-1), (1,1,1)] as documented in the "
           "UsdPreviewSurface and UsdUVTexture docs.");
    if (!badScale && ((*bias)[0] != -1 || (*bias)[1] != -1 || (*bias)[2] != -1))
      error("UsdUVTexture prim " + angle(source.path()) + " reads an 8 bit Normal Map, but has non-standard "
            "inputs:bias value of " + vecText(*bias) + ". inputs:bias must be set to [-1,-1,-1,0] so as to fullfill "
            "the requirements of the normals to be in tangent space of [(-1,-1,-1), (1,1,1)] as documented in the "
            "UsdPreviewSurface and UsdUVTexture docs.");
  }

 private:
  // An input's value as the node sees it: through its connection to a
  // graph's interface input, never from another node's output.
  static std::optional<Value> inputValue(const PrimView& shader, std::string_view input) {
    const std::string name = "inputs:" + std::string(input);
    if (!shader.property(name)) return std::nullopt;
    const auto producer = valueProducer(shader, name);
    if (!producer || !producer->second.starts_with("inputs:")) return std::nullopt;
    return producer->first.attributeValue(producer->second);
  }
  bool resolves(const std::string& asset) const {
    return context().resolveAsset && context().resolveAsset(asset);
  }
};

class ARKitShaderChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    if (!prim.isA("Shader")) return;
    const std::string source = implementationSource(prim);
    if (source != "id")
      fail("Shader " + angle(prim.path()) + " has non-id implementation source '" + source + "'.");
    const std::string id = shaderId(prim);
    const bool supported = id == "UsdPreviewSurface" || id == "UsdUVTexture" || id == "UsdTransform2d" ||
                           id.starts_with("UsdPrimvarReader") || id.starts_with("ND_");
    if (!supported) fail("Shader " + angle(prim.path()) + " has unsupported info:id '" + id + "'.");
    for (const Token& n : inputNames(prim)) {
      const std::vector<Path> sources = prim.connections(n.str());
      if (sources.empty()) continue;
      const Path attr = prim.path().appendProperty(n.str());
      if (sources.size() > 1)
        fail("Shader input " + angle(attr) + " has " + std::to_string(sources.size()) +
             " connection sources, but only one is allowed.");
      const Path& src = sources.front();
      const std::optional<PrimView> owner = src.isPropertyPath() ? prim.primAt(src.parent()) : std::nullopt;
      const bool validSource = owner && isConnectable(*owner) && owner->property(src.name()) &&
                               (src.name().starts_with("outputs:") || src.name().starts_with("inputs:"));
      if (!validSource) {
        fail("Connection source " + angle(src) + " for shader input " + angle(attr) + " is missing.");
      } else if (!owner->isA("Shader") && !owner->isA("Material")) {
        fail("Shader input " + angle(attr) + " has an invalid connection source prim of type '" +
             std::string(owner->typeName()) + "'.");
      }
    }
  }
};

}  // namespace

std::span<const std::string_view> basicUsdzImageFormats() {
  static constexpr std::array<std::string_view, 4> kFormats = {"exr", "jpg", "jpeg", "png"};
  return kFormats;
}

std::unique_ptr<Rule> makeShadingRule(const RuleInfo& info, const RuleContext& context) {
  const std::string_view id = info.id;
  if (id == "ShaderPropertyTypeConformanceChecker")
    return std::make_unique<ShaderPropertyTypeConformanceChecker>(info, context);
  if (id == "TextureChecker") return std::make_unique<TextureChecker>(info, context);
  if (id == "NormalMapTextureChecker") return std::make_unique<NormalMapTextureChecker>(info, context);
  if (id == "ARKitShaderChecker") return std::make_unique<ARKitShaderChecker>(info, context);
  return nullptr;
}

}  // namespace usdkit::check::detail
