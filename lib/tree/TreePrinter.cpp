#include "tree/TreePrinter.h"

#include <algorithm>

#include "base/Json.h"
#include "sdf/Fields.h"
#include "sdf/Schema.h"
#include "stage/StageFields.h"

namespace usdkit {

std::vector<Path> LayerTreeSource::children(const Path& prim) const {
  std::vector<Path> out;
  const auto& names = layer_.primChildren(prim);
  out.reserve(names.size());
  for (Token name : names) {
    Path child = prim.appendChild(name.str());
    // A name without a spec (damaged input) has nothing to show.
    if (child.empty() || !layer_.findSpec(child)) continue;
    if (composedStage_ && prim.isAbsoluteRoot() &&
        std::find(prototypes_.begin(), prototypes_.end(), child) != prototypes_.end())
      continue;
    out.push_back(std::move(child));
  }
  return out;
}

TreePrim LayerTreeSource::describe(const Path& prim) const {
  const FieldNames& f = fieldNames();
  TreePrim out;
  out.name = std::string(prim.name());
  const Spec* spec = layer_.findSpec(prim);
  if (!spec) return out;

  // The schema's fallback for an unauthored specifier is `over`.
  Specifier specifier = Specifier::Over;
  if (const auto* s = spec->getAs<Specifier>(f.specifier)) specifier = *s;
  out.specifier = specifier == Specifier::Def ? "def" : specifier == Specifier::Class ? "class" : "over";
  if (const auto* t = spec->getAs<Token>(f.typeName)) out.typeName = t->string();
  if (const auto* k = spec->getAs<Token>(f.kind)) out.kind = k->string();
  if (const Value* active = spec->get(f.active)) {
    out.activeAuthored = true;
    if (const bool* b = active->getIf<bool>()) out.active = *b;
  }

  // OpenUSD lists the fields its prim spec definition knows, skipping those
  // that hold children; fields it does not know are invisible to it.
  const Schema& schema = Schema::standard();
  for (const Field& field : spec->fields()) {
    Token name = field.name;
    if (name.empty() || name == f.typeName || name == f.specifier || name == f.kind ||
        name == f.active || name == f.primChildren || name == f.properties ||
        name == f.variantSetChildren)
      continue;
    if (composedStage_ ? isPrivateStageField(name) : !schema.isField(name, SpecType::Prim)) continue;
    out.metadataKeys.push_back(name.string());
  }
  std::sort(out.metadataKeys.begin(), out.metadataKeys.end());
  out.metadataKeys.erase(std::unique(out.metadataKeys.begin(), out.metadataKeys.end()),
                         out.metadataKeys.end());

  if (composedStage_) {
    std::vector<Token> names(layer_.propertyNames(prim).begin(), layer_.propertyNames(prim).end());
    const TokenVector* order = spec->getAs<TokenVector>(f.propertyOrder);
    orderPropertyNames(names, order ? std::span<const Token>(order->items) : std::span<const Token>());
    for (Token name : names) out.propertyNames.push_back(name.string());
  } else {
    for (Token name : layer_.propertyNames(prim)) out.propertyNames.push_back(name.string());
  }
  if (auto it = composition_.find(prim); it != composition_.end()) out.composition = it->second;
  return out;
}

namespace {

std::string primLabel(const TreePrim& prim) {
  std::string label = prim.name;
  label += " [";
  label += prim.specifier;
  if (!prim.typeName.empty()) label.append(" ").append(prim.typeName);
  label += "]";
  std::string shortMetadata;
  if (!prim.active)
    shortMetadata = "active = false";
  else if (prim.activeAuthored)
    shortMetadata = "active = true";
  if (!prim.kind.empty()) {
    if (!shortMetadata.empty()) shortMetadata += ", ";
    shortMetadata += "kind = " + prim.kind;
  }
  if (!shortMetadata.empty()) label.append(" (").append(shortMetadata).append(")");
  return label;
}

// One prim's line and the lines of its listed metadata and properties.
void appendPrimLines(std::string& out, const TreePrim& prim, const std::string& prefix, bool isLast,
                     bool showsChildren, const TreeOptions& options) {
  out += prefix;
  out += isLast ? " `--" : " |--";
  out += options.simple ? prim.name : primLabel(prim);
  out += '\n';

  std::vector<std::string> items;
  if (options.composition) items = prim.composition;
  if (options.metadata)
    for (const std::string& key : prim.metadataKeys) items.push_back("(" + key + ")");
  if (options.attributes)
    for (const std::string& name : prim.propertyNames) items.push_back("." + name);
  // The item column continues the prim's own branch line when more
  // siblings follow, and the line down to its children when it has some.
  const char* itemStep = isLast ? (showsChildren ? "     |" : "      ")
                                : (showsChildren ? " |   |" : " |    ");
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += prefix;
    out += itemStep;
    out += i + 1 < items.size() ? " :--" : " `--";
    out += items[i];
    out += '\n';
  }
}

bool withinDepth(const TreeOptions& options, std::size_t depth) {
  return options.maxDepth <= 0 || depth <= static_cast<std::size_t>(options.maxDepth);
}

constexpr std::size_t kChunk = 1u << 20;

// Hands a chunk of text to the sink (between prims).
void flushChunk(std::string& out, const TreeTextSink& sink, bool last) {
  if (sink && (last || out.size() >= kChunk)) {
    if (!out.empty()) sink(out);
    out.clear();
  }
}

void appendJsonStringList(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    appendJsonString(out, items[i]);
  }
  out += ']';
}

// Where the walk is when it enters a prim.
struct TreeVisit {
  const Path& path;
  bool isFirst, isLast;  // among its siblings
  bool hasChildren;      // children that will be visited (within --depth)
};

// The depth-first walk both outputs share, without recursion, so a hostile
// file nesting prims a million deep cannot exhaust the stack: enter(visit)
// for every prim, then its children, then leave() for a prim that had any.
template <class Enter, class Leave>
void walkTree(const TreeSource& source, const TreeOptions& options, Enter&& enter, Leave&& leave) {
  struct Frame {
    std::vector<Path> children;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  stack.push_back({source.children(Path::absoluteRoot()), 0});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == top.children.size()) {
      stack.pop_back();
      if (!stack.empty()) leave();
      continue;
    }
    const std::size_t index = top.next++;
    const Path path = top.children[index];
    const bool isLast = top.next == top.children.size();
    std::vector<Path> grandChildren;
    if (withinDepth(options, stack.size() + 1)) grandChildren = source.children(path);
    // `top` may dangle once a frame is pushed.
    enter(TreeVisit{path, index == 0, isLast, !grandChildren.empty()});
    if (!grandChildren.empty()) stack.push_back({std::move(grandChildren), 0});
  }
}

}  // namespace

void appendTreeText(std::string& out, const TreeSource& source, const TreeOptions& options,
                    const TreeTextSink& sink) {
  out += "/\n";
  std::vector<std::string> prefixes{""};  // one per level being listed
  walkTree(
      source, options,
      [&](const TreeVisit& v) {
        appendPrimLines(out, source.describe(v.path), prefixes.back(), v.isLast, v.hasChildren, options);
        if (v.hasChildren) prefixes.push_back(prefixes.back() + (v.isLast ? "    " : " |  "));
        flushChunk(out, sink, false);
      },
      [&] { prefixes.pop_back(); });
  flushChunk(out, sink, true);
}

void appendTreeJson(std::string& out, const TreeSource& source, const TreeOptions& options,
                    const TreeTextSink& sink) {
  // Each prim's object stays open while its children are listed.
  out += "{\"path\": \"/\", \"children\": [";
  std::string pathText;  // scratch for each path's text, reused
  walkTree(
      source, options,
      [&](const TreeVisit& v) {
        if (!v.isFirst) out += ", ";
        TreePrim prim = source.describe(v.path);
        out += "{\"name\": ";
        appendJsonString(out, prim.name);
        out += ", \"path\": ";
        pathText.clear();
        v.path.appendText(pathText);
        appendJsonString(out, pathText);
        if (!options.simple) {
          out += ", \"specifier\": ";
          appendJsonString(out, prim.specifier);
          out += ", \"typeName\": ";
          appendJsonString(out, prim.typeName);
          out += ", \"kind\": ";
          appendJsonString(out, prim.kind);
          out += prim.active ? ", \"active\": true" : ", \"active\": false";
          out += prim.activeAuthored ? ", \"activeAuthored\": true" : ", \"activeAuthored\": false";
        }
        if (options.metadata) {
          out += ", \"metadata\": ";
          appendJsonStringList(out, prim.metadataKeys);
        }
        if (options.attributes) {
          out += ", \"properties\": ";
          appendJsonStringList(out, prim.propertyNames);
        }
        if (options.composition) {
          out += ", \"composition\": ";
          appendJsonStringList(out, prim.composition);
        }
        out += ", \"children\": [";
        if (!v.hasChildren) out += "]}";
        flushChunk(out, sink, false);
      },
      [&] { out += "]}"; });
  out += "]}\n";
  flushChunk(out, sink, true);
}

}  // namespace usdkit
