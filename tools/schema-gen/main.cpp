// schema-gen: turns OpenUSD's schema definitions (each domain's
// generatedSchema.usda and plugInfo.json, plus usdShaders' shaderDefs.usda)
// into lib/schema/SchemaTable.inc. A developer tool: run it through
// regenerate.sh, which extracts the inputs from an OpenUSD checkout.
//
//   schema-gen INPUT_DIR OUTPUT_FILE
//
// INPUT_DIR holds <domain>/generatedSchema.usda and <domain>/plugInfo.json
// for every domain of kDomains, and usdShaders/shaderDefs.usda.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "SchemaModel.h"

using namespace usdkit::schemagen;

namespace {

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: schema-gen INPUT_DIR OUTPUT_FILE\n");
    return 2;
  }
  const std::string inputDir = argv[1];
  SchemaModel model;
  std::string error;
  for (const DomainName& domain : kDomains) {
    std::string plugInfo, schemaText;
    const std::string dir = inputDir + "/" + std::string(domain.folder) + "/";
    if (!readFile(dir + "plugInfo.json", plugInfo) || !readFile(dir + "generatedSchema.usda", schemaText)) {
      std::fprintf(stderr, "schema-gen: cannot read the inputs of %s in %s\n", std::string(domain.folder).c_str(),
                   dir.c_str());
      return 1;
    }
    if (!model.addDomain(domain.name, dir + "plugInfo.json", plugInfo, dir + "generatedSchema.usda", schemaText,
                         error)) {
      std::fprintf(stderr, "schema-gen: %s\n", error.c_str());
      return 1;
    }
  }
  std::string shaderText;
  const std::string shaderPath = inputDir + "/usdShaders/shaderDefs.usda";
  if (!readFile(shaderPath, shaderText)) {
    std::fprintf(stderr, "schema-gen: cannot read %s\n", shaderPath.c_str());
    return 1;
  }
  if (!model.addShaderDefs(shaderPath, shaderText, error) || !model.resolve(error)) {
    std::fprintf(stderr, "schema-gen: %s\n", error.c_str());
    return 1;
  }
  const std::string table = model.emitTable();
  const std::string outPath = argv[2];
  const std::string tmpPath = outPath + ".tmp";
  {
    std::ofstream out(tmpPath, std::ios::binary);
    out << table;
    if (!out) {
      std::fprintf(stderr, "schema-gen: cannot write %s\n", tmpPath.c_str());
      return 1;
    }
  }
  if (std::rename(tmpPath.c_str(), outPath.c_str()) != 0) {
    std::fprintf(stderr, "schema-gen: cannot rename %s to %s\n", tmpPath.c_str(), outPath.c_str());
    return 1;
  }
  std::fprintf(stderr, "%s\n", model.summary().c_str());
  return 0;
}
