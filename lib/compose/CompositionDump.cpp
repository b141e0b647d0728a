#include "compose/CompositionDump.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "base/FilePaths.h"
#include "compose/PrimIndexBuilder.h"
#include "compose/PropertyIndex.h"
#include "sdf/Fields.h"

namespace usdkit {

namespace {

const std::string kRule(72, '-');

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string fixed2(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string pyRepr(const std::vector<Token>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    std::string_view s = names[i].str();
    const bool dq = s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos;
    out += dq ? '"' : '\'';
    for (char c : s) {
      if (c == '\\') out += "\\\\";
      else if (c == '\'' && !dq) out += "\\'";
      else out += c;
    }
    out += dq ? '"' : '\'';
  }
  return out + "]";
}

std::string strip(std::string text, const std::string& prefix) {
  if (prefix.empty()) return text;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string lp = lower(prefix);
  std::string out;
  std::string lt = lower(text);
  std::size_t i = 0;
  while (i < text.size()) {
    if (lt.compare(i, lp.size(), lp) == 0) {
      i += lp.size();
      continue;
    }
    out += text[i++];
  }
  return out;
}


class Dumper {
 public:
  Dumper(PrimIndexCache& cache, const CompositionDumpOptions& options) : cache_(cache), o_(options) {}

  std::string label(const Layer& layer) const { return relativePath(layer.identifier(), o_.labelDirectory); }

  void errorsBlock(const std::string& title, const CompositionErrors& errors) {
    if (errors.empty()) return;
    out_.errors += kRule + "\n" + title + "\n\n";
    for (const CompositionError& e : errors) out_.errors += strip(e.message, o_.stripPrefix) + "\n";
    out_.errors += "\n";
  }

  CompositionDump run() {
    if (!o_.sessionLayerArgument.empty()) out_.results += "Loading session @" + o_.sessionLayerArgument + "@\n\n";
    out_.results += "Loading @" + o_.rootLayerArgument + "@\n\n";
    out_.results += kRule + "\nLayer Stack:\n";
    const LayerStack& stack = cache_.rootLayerStack();
    for (const LayerStackEntry& e : stack.layers()) out_.results += "     " + label(*e.layer) + "\n";
    out_.results += "\n";
    errorsBlock("Errors while computing Layer Stack", stack.errors());
    if (o_.layerStackOnly) return std::move(out_);
    std::vector<Path> queue;
    if (!o_.onlyPath.empty()) {
      queue.push_back(o_.onlyPath);
    } else {
      const PrimIndex& pseudo = cache_.get(Path::absoluteRoot());
      for (const Token& c : pseudo.childNames()) queue.push_back(Path::absoluteRoot().appendChild(c.str()));
    }
    while (!queue.empty()) {
      Path p = queue.front();
      queue.erase(queue.begin());
      std::vector<Path> children = prim(p);
      if (!o_.onlyPath.empty()) break;
      queue.insert(queue.begin(), children.begin(), children.end());
    }
    return std::move(out_);
  }

  // A target authored in an inherited class that points (outside the class)
  // at a prim that itself inherits that class: OpenUSD drops it.
  bool targetsInstanceOfClass(const Path& authored, const PrimIndexNode& classNode, const Path& translated) {
    const Path classPath = classNode.pathAtIntroduction();
    if (authored.hasPrefix(classPath)) return false;
    Path prim = translated.isPrimPath() ? translated : translated.primPath();
    if (prim.empty() || !prim.isAbsolute() || prim.isAbsoluteRoot()) return false;
    const PrimIndex& target = cache_.get(prim);
    for (const PrimIndexNode& n : target.nodes())
      if (n.arcType == ArcType::Inherit && n.layerStack == classNode.layerStack && n.path.hasPrefix(classPath)) return true;
    return false;
  }

  std::vector<Path> prim(const Path& primPath) {
    const PrimIndex& index = cache_.get(primPath);
    CompositionErrors errors = index.errors();
    std::string& r = out_.results;
    r += kRule + "\nResults for composing <" + primPath.string() + ">\n";
    auto nodes = index.nodes();
    bool anyOffsets = false;
    for (const PrimIndexNode& n : nodes)
      if (!isIdentityOffset(n.mapToParent.timeOffset()) || n.layerStack->hasNonIdentityOffsets()) anyOffsets = true;
    std::vector<Token> childNames = index.childNames();
    std::vector<Token> prohibited = index.prohibitedChildNames();
    std::vector<Token> propNames = index.propertyNames();

    // Property stacks and targets.
    std::map<Path, std::vector<PropertySpecEntry>> stacks;
    std::map<Path, std::vector<Path>> targets, connections, deleted;
    const PropertyIndex properties(index);
    for (const Token& name : propNames) {
      Path propPath = primPath.appendProperty(name.str());
      PropertyStack ps = properties.stack(name);
      std::vector<PropertySpecEntry>& stack = ps.specs;
      const SpecType definingType = ps.type;
      CompositionErrors propErrors;
      for (const PropertySpecEntry& c : ps.conflicting) {
        auto kind = [](SpecType t) { return t == SpecType::Attribute ? "an attribute" : "a relationship"; };
        const PropertySpecEntry& defining = stack.front();
        propErrors.push_back({CompositionErrorKind::InconsistentPropertyType,
                              "The property <" + propPath.string() + "> has inconsistent spec types.  The defining spec is " +
                                  formatSite(defining.layer->identifier(), defining.path.string()) + " and is " +
                                  kind(definingType) + " spec.  The conflicting spec is " +
                                  formatSite(c.layer->identifier(), c.path.string()) + " and is " + kind(c.spec->type()) +
                                  " spec.  The conflicting spec will be ignored."});
      }
      errors.insert(errors.end(), propErrors.begin(), propErrors.end());
      if (stack.empty()) continue;
      // Target computation builds the property index again, errors included.
      errors.insert(errors.end(), propErrors.begin(), propErrors.end());
      const bool isRel = definingType == SpecType::Relationship;
      Token field = isRel ? fieldNames().targetPaths : fieldNames().connectionPaths;
      std::vector<Path> list, dels;
      for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        const PathListOp* op = it->spec->getAs<PathListOp>(field);
        if (!op) continue;
        const PrimIndexNode& n = nodes[static_cast<std::size_t>(it->node)];
        const Path owner = it->path.primPath();
        const PathListOp translated = op->mapItems([&](PathListOp::Slot slot, const Path& t) -> std::optional<Path> {
          Path abs = t.isAbsolute() ? t : t.makeAbsolute(owner);
          Path mapped = n.mapToRoot.mapSourceToTarget(abs.stripAllVariantSelections());
          if (mapped.empty()) {
            if (slot != PathListOp::Slot::Deleted) {
              // The node's arc and where it was introduced, in its
              // parent's namespace (variant selections above it kept).
              const PrimIndexNode& a = n;
              Path from = a.parent >= 0 ? nodes[static_cast<std::size_t>(a.parent)].path : Path::absoluteRoot();
              for (int depth = a.parent >= 0 ? a.depthBelowIntroduction() : 0; depth > 0; --depth) {
                while (from.isPrimVariantSelectionPath()) from = from.parent();
                from = from.parent();
              }
              errors.push_back({CompositionErrorKind::InvalidExternalTargetPath,
                                std::string("The ") + (isRel ? "relationship target" : "attribute connection") + " <" +
                                    abs.string() + "> from <" + it->path.string() + "> in layer @" +
                                    it->layer->identifier() + "@ refers to a path outside the scope of the " +
                                    std::string(arcTypeName(a.arcType)) + " from <" + from.string() + ">.  Ignoring."});
            }
            return std::nullopt;
          }
          if (slot != PathListOp::Slot::Deleted && n.arcType == ArcType::Inherit && targetsInstanceOfClass(abs, n, mapped)) {
            errors.push_back({CompositionErrorKind::InvalidInstanceTargetPath,
                              std::string("The ") + (isRel ? "relationship target" : "attribute connection") + " <" +
                                  abs.string() + "> from <" + it->path.string() + "> in layer @" +
                                  it->layer->identifier() +
                                  "@ is authored in a class but refers to an instance of that class.  Ignoring."});
            return std::nullopt;
          }
          return mapped;
        });
        if (op->isExplicit) dels.clear();
        for (const Path& d : translated.deletedItems)
          if (std::find(dels.begin(), dels.end(), d) == dels.end()) dels.push_back(d);
        translated.applyTo(list);
      }
      stacks.emplace(propPath, std::move(stack));
      if (!list.empty()) (isRel ? targets : connections).emplace(propPath, list);
      if (!dels.empty()) deleted.emplace(propPath, dels);
    }

    r += "\nPrim Stack:\n";
    for (const PrimStackEntry& e : index.primStack()) r += "    " + pad(label(*e.layer), 20) + " " + e.path.string() + "\n";
    if (anyOffsets) {
      r += "\nTime Offsets:\n";
      for (const PrimIndexNode& n : nodes) {
        const LayerOffset& off = n.mapToRoot.timeOffset();
        r += "    " + pad(label(*n.layerStack->layers().front().layer), 20) + " " + pad(n.path.string(), 15) + " " +
             pad(arcTypeName(n.arcType), 10) + " (offset=" + fixed2(off.offset) + ", scale=" + fixed2(off.scale) + ")\n";
        for (const LayerStackEntry& e : n.layerStack->layers())
          if (!isIdentityOffset(e.offset))
            r += "        " + pad(label(*e.layer), 32) + " " + pad("sublayer", 10) + " (offset=" + fixed2(e.offset.offset) +
                 ", scale=" + fixed2(e.offset.scale) + ")\n";
      }
    }
    auto selections = index.variantSelections();
    if (!selections.empty()) {
      r += "\nVariant Selections:\n";
      for (auto& [set, sel] : selections) r += "    {" + set + " = " + sel + "}\n";
    }
    if (!childNames.empty()) r += "\nChild names:\n     " + pyRepr(childNames) + "\n";
    if (!prohibited.empty()) r += "\nProhibited child names:\n     " + pyRepr(prohibited) + "\n";
    if (!propNames.empty()) r += "\nProperty names:\n     " + pyRepr(propNames) + "\n";
    if (!stacks.empty()) {
      r += "\nProperty stacks:\n";
      for (auto& [p, s] : stacks) {
        r += p.string() + ":\n";
        for (const PropertySpecEntry& e : s) r += "    " + pad(label(*e.layer), 20) + " " + e.path.string() + "\n";
      }
    }
    auto printTargets = [&](const char* title, const std::map<Path, std::vector<Path>>& m) {
      if (m.empty()) return;
      r += std::string("\n") + title + ":\n";
      for (auto& [p, list] : m) {
        r += p.string() + ":\n";
        for (const Path& t : list) r += "    " + t.string() + "\n";
      }
    };
    printTargets("Relationship targets", targets);
    printTargets("Attribute connections", connections);
    printTargets("Deleted target paths", deleted);
    errorsBlock("Errors while composing <" + primPath.string() + ">", errors);
    r += "\n";
    std::vector<Path> children;
    for (const Token& c : childNames)
      if (std::find(prohibited.begin(), prohibited.end(), c) == prohibited.end()) children.push_back(primPath.appendChild(c.str()));
    return children;
  }

 private:
  PrimIndexCache& cache_;
  const CompositionDumpOptions& o_;
  CompositionDump out_;
};

}  // namespace

CompositionDump dumpComposition(PrimIndexCache& cache, const CompositionDumpOptions& options) {
  return Dumper(cache, options).run();
}

}  // namespace usdkit
