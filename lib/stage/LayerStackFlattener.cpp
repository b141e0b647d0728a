// Layer-stack flattening; see LayerStackFlattener.h.
#include "stage/LayerStackFlattener.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "compose/VariableExpressions.h"
#include "sdf/Fields.h"
#include "sdf/Schema.h"
#include "stage/ChildNameLists.h"
#include "stage/ValueRemapping.h"

namespace usdkit {

namespace {

// Non-explicit list ops lose `reorder` and turn legacy `add` into appends:
// only then can two of them always be combined into one.
template <class T>
ListOp<T> composableListOp(ListOp<T> op) {
  if (op.isExplicit) return op;
  for (const T& item : op.addedItems) {
    if (std::find(op.appendedItems.begin(), op.appendedItems.end(), item) == op.appendedItems.end())
      op.appendedItems.push_back(item);
  }
  op.addedItems.clear();
  op.orderedItems.clear();
  return op;
}

Value composableValue(const Value& v) {
  Value out = v;
  v.visit([&](const auto& x) {
    if constexpr (requires { x.explicitItems; x.orderedItems; }) {
      if (!x.isExplicit && (!x.addedItems.empty() || !x.orderedItems.empty())) out = composableListOp(x);
    }
  });
  return out;
}

// Combines a stronger and a weaker opinion of one field.
Value reduce(const Value& stronger, const Value& weaker, Token field) {
  if (stronger.empty()) return weaker;
  if (weaker.empty()) return stronger;
  if (stronger.is<ValueBlock>() || weaker.is<ValueBlock>()) return stronger;
  if (stronger.storage().index() != weaker.storage().index()) return stronger;
  Value out = stronger;
  stronger.visit([&](const auto& s) {
    using S = std::decay_t<decltype(s)>;
    if constexpr (requires { s.explicitItems; s.orderedItems; }) {
      if (const S* w = weaker.getIf<S>()) out = s.composeOver(*w);
    } else if constexpr (std::is_same_v<S, Specifier>) {
      if (s == Specifier::Over) out = weaker;
    } else if constexpr (std::is_same_v<S, Dictionary>) {
      out = mergeDictionaryOver(s, weaker.get<Dictionary>());
    } else if constexpr (std::is_same_v<S, VariantSelectionMap>) {
      VariantSelectionMap merged = weaker.get<VariantSelectionMap>();
      for (const auto& [set, selection] : s.selections) merged.selections[set] = selection;
      out = std::move(merged);
    } else if constexpr (std::is_same_v<S, Relocates>) {
      Relocates merged = s;
      const Relocates& w = weaker.get<Relocates>();
      merged.entries.insert(merged.entries.end(), w.entries.begin(), w.entries.end());
      out = std::move(merged);
    } else if constexpr (std::is_same_v<S, Token>) {
      // An empty type name is no opinion.
      if (field == fieldNames().typeName && s.empty()) out = weaker;
    }
  });
  return out;
}

class Flattener {
 public:
  Flattener(const LayerStack& stack, const AssetResolver& resolver, const LayerStackFlattenOptions& options)
      : stack_(stack), layers_(stack.layers()), resolver_(resolver), options_(options), schema_(Schema::standard()),
        f_(fieldNames()) {}

  Expected<std::unique_ptr<Layer>> run() {
    out_ = std::make_unique<Layer>();
    out_->setIdentifier("flattened.usda");
    const Path root = Path::absoluteRoot();
    if (auto s = flattenFields(root, SpecType::PseudoRoot); !s) return std::move(s).error();
    if (auto s = flattenPrim(root, true); !s) return std::move(s).error();
    children_.storeIn(*out_);
    return std::move(out_);
  }

 private:
  // Calls f(entry, spec) for each layer of the stack with a spec at `path`,
  // strongest first (or weakest first), until f returns false. A deep
  // stack (a long chain of sublayers) is indexed once by path: asking
  // every layer about every spec would cost their product.
  template <class F>
  void forEachSpecAt(const Path& path, F&& f, bool weakestFirst = false) const {
    if (layers_.size() <= kIndexLayersAbove) {
      auto visit = [&](const LayerStackEntry& entry) {
        const Spec* spec = entry.layer->findSpec(path);
        return !spec || f(entry, *spec);
      };
      if (weakestFirst) {
        for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
          if (!visit(*it)) return;
      } else {
        for (const LayerStackEntry& entry : layers_)
          if (!visit(entry)) return;
      }
      return;
    }
    if (holders_.empty()) {
      for (std::size_t i = 0; i < layers_.size(); ++i)
        layers_[i].layer->forEachSpec([&](const Path& p, const Spec&) {
          std::vector<std::size_t>& at = holders_[p];
          if (at.empty() || at.back() != i) at.push_back(i);
        });
    }
    auto it = holders_.find(path);
    if (it == holders_.end()) return;
    auto visit = [&](std::size_t i) { return f(layers_[i], *layers_[i].layer->findSpec(path)); };
    if (weakestFirst) {
      for (auto k = it->second.rbegin(); k != it->second.rend(); ++k)
        if (!visit(*k)) return;
    } else {
      for (std::size_t i : it->second)
        if (!visit(i)) return;
    }
  }

  void warn(std::string text) {
    if (options_.warnings) options_.warnings->push_back(std::move(text));
  }

  // Names of a children field over the stack: weakest layer first, each
  // name where it first appears, then that layer's order field if any.
  std::vector<Token> composeChildNames(const Path& path, Token childrenField, const Token* orderField) const {
    std::vector<Token> names;
    std::unordered_set<Token> seen;
    forEachSpecAt(path, [&](const LayerStackEntry&, const Spec& spec) {
      if (const TokenVector* children = spec.getAs<TokenVector>(childrenField)) {
        for (const Token& name : children->items)
          if (seen.insert(name).second) names.push_back(name);
      }
      if (orderField) {
        if (const TokenVector* order = spec.getAs<TokenVector>(*orderField); order && !order->items.empty()) {
          TokenListOp::reorder(names, order->items);
        }
      }
      return true;
    }, true);
    return names;
  }

  // One field of `path` reduced over the stack, strongest layer first, each
  // opinion first moved to stack time and its asset paths anchored; empty
  // when no layer has an opinion.
  Expected<Value> reduceField(const Path& path, SpecType type, Token field) {
    Value result;
    std::optional<Error> failure;
    forEachSpecAt(path, [&](const LayerStackEntry& entry, const Spec& spec) {
      if (spec.type() != type && type != SpecType::PseudoRoot) {
        noteTypeMismatch(path, *entry.layer, type, spec.type());
        return true;
      }
      const Value* raw = spec.get(field);
      if (!raw) return true;
      Expected<Value> loaded = raw->loaded();
      if (!loaded) {
        failure = std::move(loaded).error();
        return false;
      }
      Value v = applyLayerOffsetToValue(field, *loaded, entry.offset);
      const std::string& anchor = entry.layer->identifier();
      v = fixAssetPathsInValue(field, v, [&](std::string_view p) {
        return flattenedAssetPath(resolver_, p, anchor, stack_.expressionVariables(), options_.warnings);
      });
      result = reduce(result, composableValue(v), field);
      return true;
    });
    if (failure) return std::move(*failure);
    return result;
  }

  void noteTypeMismatch(const Path& path, const Layer& layer, SpecType expected, SpecType found) {
    const std::string key = path.string() + "\n" + layer.identifier();
    if (!reportedMismatches_.insert(key).second) return;
    warn("UsdFlattenLayerStack: Ignoring spec at <" + path.string() + "> in @" + layer.identifier() +
         "@: expected spec type " + specTypeName(expected) + " but found " + specTypeName(found));
  }

  static std::string specTypeName(SpecType t) {
    switch (t) {
      case SpecType::Attribute: return "SdfSpecTypeAttribute";
      case SpecType::Relationship: return "SdfSpecTypeRelationship";
      case SpecType::Prim: return "SdfSpecTypePrim";
      case SpecType::Variant: return "SdfSpecTypeVariant";
      case SpecType::VariantSet: return "SdfSpecTypeVariantSet";
      case SpecType::PseudoRoot: return "SdfSpecTypePseudoRoot";
      default: return "SdfSpecTypeUnknown";
    }
  }

  bool skipped(Token field) const {
    return field == f_.primChildren || field == f_.properties || field == f_.variantSetChildren ||
           field == f_.variantChildren || field == f_.targetPaths || field == f_.connectionPaths ||
           field == f_.subLayers || field == f_.subLayerOffsets || field == f_.timeSamples;
  }

  Status flattenFields(const Path& path, SpecType type) {
    Spec& target = out_->createSpec(path, type);
    // Every schema field of this spec type that some layer authors.
    std::vector<Token> fields;
    std::unordered_set<Token> seen;
    forEachSpecAt(path, [&](const LayerStackEntry&, const Spec& spec) {
      if (spec.type() != type && type != SpecType::PseudoRoot) return true;
      for (const Field& field : spec.fields()) {
        if (skipped(field.name) || !schema_.isField(field.name, type)) continue;
        if (seen.insert(field.name).second) fields.push_back(field.name);
      }
      return true;
    });
    for (Token field : fields) {
      Expected<Value> v = reduceField(path, type, field);
      if (!v) return std::move(v).error();
      if (!v->empty()) target.set(field, std::move(*v));
    }
    if (type == SpecType::Attribute) {
      // Time samples only when the strongest layer with a value has samples.
      bool samples = false;
      forEachSpecAt(path, [&](const LayerStackEntry&, const Spec& spec) {
        samples = spec.has(f_.timeSamples);
        return !samples && !spec.has(f_.defaultValue);
      });
      if (samples) {
        Expected<Value> v = reduceField(path, type, f_.timeSamples);
        if (!v) return std::move(v).error();
        if (!v->empty()) target.set(f_.timeSamples, std::move(*v));
      }
    }
    return Ok{};
  }

  Status flattenTargets(const Path& path, SpecType type, Token field) {
    Expected<Value> v = reduceField(path, type, field);
    if (!v) return std::move(v).error();
    const PathListOp* op = v->getIf<PathListOp>();
    if (!op) return Ok{};
    PathListOp out;
    if (op->isExplicit) {
      out.isExplicit = true;
      out.explicitItems = op->explicitItems;
    } else {
      out.prependedItems = op->prependedItems;
      out.appendedItems = op->appendedItems;
      out.deletedItems = op->deletedItems;
    }
    out_->createSpec(path, type).set(field, std::move(out));
    return Ok{};
  }

  void appendChild(const Path& parent, Token childrenField, Token name) { children_.append(parent, childrenField, name); }

  Status flattenPrim(const Path& path, bool pseudoRoot) {
    for (Token name : composeChildNames(path, f_.primChildren, &f_.primOrder)) {
      const Path child = path.appendChild(name.str());
      if (child.empty()) continue;
      appendChild(path, f_.primChildren, name);
      out_->createSpec(child, SpecType::Prim).set(f_.specifier, Specifier::Def);
      if (options_.progress) options_.progress->advance(1);
      if (auto s = flattenFields(child, SpecType::Prim); !s) return s;
      if (auto s = flattenPrim(child, false); !s) return s;
    }
    if (pseudoRoot) return Ok{};

    for (Token setName : composeChildNames(path, f_.variantSetChildren, nullptr)) {
      const Path setPath = path.appendVariantSelection(setName.str(), "");
      if (setPath.empty()) continue;
      appendChild(path, f_.variantSetChildren, setName);
      if (auto s = flattenFields(setPath, SpecType::VariantSet); !s) return s;
      for (Token variant : composeChildNames(setPath, f_.variantChildren, nullptr)) {
        const Path variantPath = path.appendVariantSelection(setName.str(), variant.str());
        if (variantPath.empty()) continue;
        appendChild(setPath, f_.variantChildren, variant);
        if (auto s = flattenFields(variantPath, SpecType::Variant); !s) return s;
        if (auto s = flattenPrim(variantPath, false); !s) return s;
      }
    }

    for (Token name : composeChildNames(path, f_.properties, nullptr)) {
      const Path prop = path.appendProperty(name.str());
      if (prop.empty()) continue;
      SpecType type = SpecType::Unknown;
      forEachSpecAt(prop, [&](const LayerStackEntry&, const Spec& spec) {
        type = spec.type();
        return false;
      });
      if (type != SpecType::Attribute && type != SpecType::Relationship) {
        warn("Unknown spec type at <" + prop.string() + ">");
        continue;
      }
      appendChild(path, f_.properties, name);
      if (type == SpecType::Attribute) {
        out_->createSpec(prop, type).set(f_.typeName, Token("int"));
        if (auto s = flattenFields(prop, type); !s) return s;
        if (auto s = flattenTargets(prop, type, f_.connectionPaths); !s) return s;
      } else {
        if (auto s = flattenFields(prop, type); !s) return s;
        if (auto s = flattenTargets(prop, type, f_.targetPaths); !s) return s;
      }
    }
    return Ok{};
  }

  const LayerStack& stack_;
  const std::vector<LayerStackEntry>& layers_;
  const AssetResolver& resolver_;
  const LayerStackFlattenOptions& options_;
  const Schema& schema_;
  const FieldNames& f_;
  std::unique_ptr<Layer> out_;
  stage_detail::ChildNameLists children_;
  std::unordered_set<std::string> reportedMismatches_;
  static constexpr std::size_t kIndexLayersAbove = 16;
  // Path -> indexes of the layers with a spec there, ascending (built on
  // first use, for stacks of more than kIndexLayersAbove layers).
  mutable std::unordered_map<Path, std::vector<std::size_t>> holders_;
};

}  // namespace

std::string flattenedAssetPath(const AssetResolver& resolver, std::string_view assetPath,
                               const std::string& authoringLayer, const ExpressionVariables& variables,
                               std::vector<std::string>* warnings) {
  std::string path(assetPath);
  if (isVariableExpression(assetPath)) {
    auto evaluated = evaluateVariableExpression(assetPath, variables);
    if (evaluated) {
      path = std::move(*evaluated);
    } else {
      if (warnings) warnings->push_back("Error evaluating expression " + path + ": " + evaluated.error().message);
      path.clear();
    }
  }
  if (path.empty()) return path;
  std::string anchored = resolver.anchor(path, authoringLayer);
  if (anchored == resolver.anchor(path, "")) return path;
  return anchored;
}

Expected<std::unique_ptr<Layer>> flattenLayerStack(const LayerStack& stack, const AssetResolver& resolver,
                                                   const LayerStackFlattenOptions& options) {
  return Flattener(stack, resolver, options).run();
}

}  // namespace usdkit
