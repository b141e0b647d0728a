// Stage flattening; see StageFlattener.h. Composition itself (prim indexes,
// child names) comes from lib/compose, each prim's composed metadata and
// properties from PrimComposer; this file walks the stage, finds instances
// and their prototypes, and writes the prims in OpenUSD's order.
#include "stage/StageFlattener.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "compose/PrimIndex.h"
#include "sdf/Fields.h"
#include "stage/ChildNameLists.h"
#include "stage/LayerStackFlattener.h"
#include "stage/PrimComposer.h"
#include "stage/Prototypes.h"
#include "stage/Stage.h"
#include "stage/ValueClips.h"
#include "stage/ValueResolution.h"

namespace usdkit {

using stage_detail::Opinion;
using stage_detail::isActive;
using stage_detail::primOpinions;

namespace {

class StageFlattener {
 public:
  StageFlattener(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack, const FlattenRequest& request,
                 FlattenResult& result)
      : stacks_(stacks), rootStack_(std::move(rootStack)), request_(request), result_(result), f_(fieldNames()),
        cache_(stacks_, rootStack_, primIndexOptions(request)),
        clipLayers_(stacks_.registry(), [this](std::string text) { warnOnce(text); }),
        composer_(stacks_.registry().resolver(), request.authoredPropertyTypes,
                  [this](std::string text) { warn(std::move(text)); }) {
    if (request.textOutput) {
      text_ = std::make_unique<UsdaPieceWriter>();
      scratch_ = std::make_unique<Layer>();
      spool_ = std::make_shared<TextSpool>();
    }
  }

  // One walk of the stage writes every prim outside prototypes and finds
  // the instances; each prim's index is dropped as soon as its subtree is
  // done, so composition holds the indexes of one branch at a time, not the
  // whole stage's. Prototypes are named once all are found, then written.
  // What the walk reports (warnings, layers, root names, instance
  // references) is held back and replayed after the prototypes, so the
  // result reads as if prototypes had been written first.
  Expected<std::unique_ptr<Layer>> run() {
    out_ = std::make_unique<Layer>();
    out_->setIdentifier("flattened.usda");
    if (auto s = copyLayerMetadata(); !s) return std::move(s).error();
    recordLayers(*rootStack_, ArcType::Root, Path());
    const Path root = Path::absoluteRoot();
    const std::vector<Token> rootNames = cache_.get(root).childNames();
    held_ = std::make_unique<HeldBack>();
    if (auto s = walk(root, root, rootNames, Walk::CopyAndDiscover, {}, -1); !s) return std::move(s).error();
    if (text_) {
      cutText(true);
      pieces_ = &prototypePieces_;
    }
    std::unique_ptr<HeldBack> held = std::move(held_);
    // Prototypes first, in the order of their stage names (__Prototype_N
    // sorted as paths, so _10 before _2), each named after the first
    // Flattened_Prototype_K that no root prim already uses.
    const std::vector<std::size_t> order = prototypes_.inStageOrder();
    flattened_.resize(prototypes_.size());
    std::unordered_set<Token> taken(rootNames.begin(), rootNames.end());
    int k = 1;
    for (std::size_t i : order) {
      std::string name;
      do name = "Flattened_Prototype_" + std::to_string(k++);
      while (taken.count(Token(name)));
      flattened_[i] = root.appendChild(name);
      result_.prototypes.push_back(flattened_[i]);
    }
    for (std::size_t i : order) {
      const Path& source = prototypes_.source(i);
      const Path& flattened = flattened_[i];
      Layer& target = text_ ? *scratch_ : *out_;
      target.createSpec(flattened, SpecType::Prim).set(f_.specifier, Specifier::Over);
      appendName(root, f_.primChildren, flattened.nameToken());
      if (text_) {
        text_->append("\n");
        text_->primHead(target, flattened, flattened, 0);
        scratch_->clear();
      }
      composer_.setPrototype(source, flattened, prototypes_.stagePath(i));
      const PrimIndex& sourceIndex = cache_.get(source);
      const std::vector<Token> names = sourceIndex.childNames();
      // The prototype's own clip sets (OpenUSD's prototype prim has the
      // source instance's index); its ancestors' stay with the instance.
      ClipSets clips = clipSetsOfPrim(sourceIndex, {}, clipLayers_);
      if (auto s = walk(source, flattened, names, Walk::Copy, std::move(clips), 0); !s) return std::move(s).error();
      if (text_) text_->primTail(0);
      cache_.release(source);
    }
    composer_.setPrototype(Path(), Path(), Path());
    for (auto& [text, deduplicate] : held->warnings)
      if (!deduplicate || reported_.insert(text).second) warn(std::move(text));
    for (const HeldBack::LayerUse& use : held->layers) recordLayers(*use.stack, use.arc, use.prim);
    for (Token name : held->rootNames) appendName(root, f_.primChildren, name);
    for (const auto& [instance, prototype] : held->instanceReferences) {
      ReferenceListOp refs;
      refs.addedItems.push_back(Reference{std::string(), flattened_[prototype], LayerOffset{}, nullptr});
      out_->findSpec(instance)->set(f_.references, std::move(refs));
    }
    children_.storeIn(*out_);
    if (text_) finishText();
    return std::move(out_);
  }

 private:
  void warn(std::string text) const {
    if (held_) held_->warnings.emplace_back(std::move(text), false);
    else result_.warnings.push_back(std::move(text));
  }
  // A composition error, reported once however many prims it shows in.
  void warnOnce(const std::string& text) {
    if (held_) held_->warnings.emplace_back(text, true);
    else if (reported_.insert(text).second) warn(text);
  }

  bool inMask(const Path& p) const {
    if (request_.mask.empty()) return true;
    return std::any_of(request_.mask.begin(), request_.mask.end(),
                       [&](const Path& m) { return p.hasPrefix(m) || m.hasPrefix(p); });
  }

  // The stage's metadata, and the comment naming the source when asked.
  Status copyLayerMetadata() {
    Spec& target = out_->pseudoRoot();
    if (Status s = composer_.composeStageMetadata(stage_detail::stageMetadataOpinions(*rootStack_), target); !s)
      return s;
    if (request_.addSourceFileComment) {
      std::string doc;
      if (const std::string* existing = target.getAs<std::string>(f_.documentation)) doc = *existing;
      if (!doc.empty()) doc += "\n\n";
      const std::string& name = request_.sourceCommentName.empty() ? rootStack_->rootLayer()->identifier()
                                                                   : request_.sourceCommentName;
      doc += "Generated from Composed Stage of root layer " + name + "\n";
      target.set(f_.documentation, std::move(doc));
    }
    return Ok{};
  }

  // Walks the subtrees of `names` below `path` (stage namespace), depth
  // first without recursion (namespace is as deep as the input makes it),
  // writing each prim below `outPath` of the output (CopyAndDiscover, Copy)
  // and finding instances (CopyAndDiscover). Below an instance that starts
  // a prototype, prims are only composed, for the instances nested there: a
  // prototype's own nested instances are numbered before it (what
  // OpenUSD's baselines show). A prim's index is released when its subtree
  // is done.
  enum class Walk { CopyAndDiscover, Copy, Discover };
  static Walk below(Walk mode, bool instance) { return instance ? Walk::Discover : mode; }
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Frame {
    Path path, outPath;
    std::vector<Token> names;  // children still to visit, from `next`
    std::size_t next;
    Walk mode;
    std::size_t numberPrototype;  // not kNone: number this prototype when done
    ClipSets clips;               // the prim's clip sets, its own first, then its ancestors'
    // Text output: the prim's depth, whether its head is written (its
    // tail is due when it is done), and what it wrote so far (a child is
    // preceded by an empty line after properties or another child).
    int indent = 0;
    bool open = false, wroteProperties = false, wroteChild = false;
  };
  // `indent`: the text depth of the prim at `outPath` (-1 for the
  // pseudo-root), whose head and tail the caller writes.
  Status walk(const Path& path, const Path& outPath, std::vector<Token> names, Walk mode, ClipSets clips,
              int indent) {
    std::vector<Frame> frames;
    frames.push_back({path, outPath, std::move(names), 0, mode, kNone, std::move(clips), indent});
    std::vector<Token> children;
    while (!frames.empty()) {
      Frame& top = frames.back();
      if (top.next == top.names.size()) {
        if (top.numberPrototype != kNone) prototypes_.finish(top.numberPrototype);
        if (top.open) {
          text_->primTail(top.indent);
          cutText(false);
        }
        if (frames.size() > 1) cache_.release(top.path);
        frames.pop_back();
        continue;
      }
      const Token name = top.names[top.next++];
      const Path child = top.path.appendChild(name.str());
      const bool masked = top.mode == Walk::CopyAndDiscover;
      if (child.empty() || (masked && !inMask(child))) continue;
      const Walk mode = top.mode;
      const Path childOut = mode == Walk::Discover ? Path() : top.outPath.appendChild(name.str());
      const PrimIndex& index = cache_.get(child);
      // The parent's index is needed only to build its children's: kept
      // until its subtree is done, a chain of single children would hold
      // the index of every prim above the deepest.
      if (top.next == top.names.size() && frames.size() > 1) cache_.release(top.path);
      if (request_.progress) request_.progress->advance(1);
      const std::vector<Opinion> ops = primOpinions(index);
      const bool active = isActive(ops);
      std::size_t numberPrototype = kNone;
      const bool instance =
          active && mode != Walk::Copy && index.isInstanceable();
      if (instance) {
        const Prototypes::Added added = prototypes_.addInstance(child, index);
        if (added.isNew) numberPrototype = added.id;
      }
      children.clear();
      ClipSets clips;
      Frame next{child, childOut, {}, 0, below(mode, instance), numberPrototype, {}, top.indent + 1};
      if (mode != Walk::Discover) {
        clips = clipSetsOfPrim(index, top.clips, clipLayers_);
        // No children come back for an instance or an inactive prim.
        bool written = false;
        if (auto s = copyPrim(child, childOut, top.outPath, index, ops, clips, active, children, written); !s)
          return s;
        if (written && text_) writePrimText(top, next, !children.empty());
      } else if (active && !instance) {
        children = index.childNames();
      }
      if (numberPrototype != kNone) children = index.childNames();
      if (children.empty() && numberPrototype == kNone) {
        cache_.release(child);
        continue;
      }
      next.names = std::move(children);
      next.clips = std::move(clips);
      frames.push_back(std::move(next));
      children = {};
    }
    return Ok{};
  }

  // Copies the prim at `path` alone, given its index and opinions;
  // `children` receives the names of the children to copy next.
  // `written` tells whether the prim is written at all. With text output
  // the prim goes to the scratch layer, to be written and forgotten, or,
  // for an instance whose prototype is not named yet, to the output layer
  // until the end (instances have no children below them there).
  Status copyPrim(const Path& path, const Path& outPath, const Path& parentOut, const PrimIndex& index,
                  const std::vector<Opinion>& ops, const ClipSets& clips, bool active, std::vector<Token>& children,
                  bool& written) {
    for (const CompositionError& e : index.errors()) warnOnce(e.message);
    // Inactive prims are left out with everything below them (or kept
    // without their children, which the stage does not compose).
    if (!active && !request_.keepInactivePrims) return Ok{};
    written = true;
    const std::size_t prototype = active ? prototypes_.of(path).value_or(kNone) : kNone;
    const bool deferred = prototype != kNone && held_;
    Layer& target = text_ && !deferred ? *scratch_ : *out_;
    const Path& storedAt = text_ && !deferred ? scratchPath_ : outPath;
    Spec& spec = target.createSpec(storedAt, SpecType::Prim);
    if (!text_) appendName(parentOut, f_.primChildren, outPath.nameToken());
    recordComposition(path, outPath, index);
    if (auto s = composer_.composeMetadata(index, ops, spec); !s) return s;
    if (auto s = composer_.composeProperties(target, outPath, storedAt, index, ops, clips, children_); !s) return s;
    if (text_) children_.storeIn(target);
    if (!active) return Ok{};
    if (prototype != kNone) {
      // An instance: its children live in the prototype it references,
      // whose name is known once all prototypes are found.
      if (deferred) {
        held_->instanceReferences.emplace_back(outPath, prototype);
        return Ok{};
      }
      ReferenceListOp refs;
      refs.addedItems.push_back(Reference{std::string(), flattened_[prototype], LayerOffset{}, nullptr});
      target.findSpec(storedAt)->set(f_.references, std::move(refs));
      return Ok{};
    }
    children = index.childNames();
    return Ok{};
  }

  // Text output: the prim `next` just copied, below `parent`: its head now
  // (its tail when its children are done, or now when it has none), or a
  // placeholder for an instance written at the end.
  void writePrimText(Frame& parent, Frame& next, bool hasChildren) {
    if (parent.indent < 0 || parent.wroteChild || parent.wroteProperties) text_->append("\n");
    parent.wroteChild = true;
    if (held_ && prototypes_.of(next.path)) {
      cutText(true);
      deferredInstances_.push_back({rootPieces_.size(), next.outPath, next.indent});
      rootPieces_.emplace_back();
      return;
    }
    next.wroteProperties = text_->primHead(*scratch_, scratchPath_, next.outPath, next.indent);
    scratch_->clear();
    if (hasChildren) next.open = true;
    else text_->primTail(next.indent);
    cutText(false);
  }

  // Moves the text written so far into the pieces when `always` or once
  // it passes a megabyte: the text is held in pieces of their own size,
  // not in one buffer that doubles as it grows.
  void cutText(bool always) {
    constexpr std::size_t kPiece = std::size_t(1) << 20;
    if (!always && text_->size() < kPiece) return;
    std::string piece = text_->takeText();
    piece.shrink_to_fit();
    Expected<TextSpool::Piece> stored = spool_->store(std::move(piece));
    if (!stored) {
      if (spooled_) spooled_ = std::move(stored).error();
      return;
    }
    pieces_->push_back(std::move(*stored));
  }

  // Text output: the instances held back, now that their prototypes have
  // names, then the pieces in output order: layer metadata, prototypes,
  // the stage's root prims.
  void finishText() {
    cutText(true);
    for (const DeferredInstance& d : deferredInstances_) {
      text_->primHead(*out_, d.outPath, d.outPath, d.indent);
      text_->primTail(d.indent);
      rootPieces_[d.piece].text = text_->takeText();
    }
    text_->layerHead(*out_);
    UsdaText& text = result_.text;
    text.status = text_->status();
    if (text.status) text.status = spooled_;
    text.identifier = out_->identifier();
    text.spool = spool_;
    text.pieces.push_back({text_->takeText()});
    for (TextSpool::Piece& piece : prototypePieces_) text.pieces.push_back(std::move(piece));
    for (TextSpool::Piece& piece : rootPieces_) text.pieces.push_back(std::move(piece));
    text.pieces.push_back({"\n"});
    text.writesTangentAlgorithm = text_->writesTangentAlgorithm();
  }

  void recordComposition(const Path& path, const Path& outPath, const PrimIndex& index) {
    if (request_.recordComposition) {
      std::vector<std::string>& lines = result_.composition[outPath];
      for (const PrimStackEntry& e : index.primStack())
        lines.push_back("@" + e.layer->identifier() + "@<" + e.path.string() + ">");
      for (const auto& [set, selection] : index.variantSelections()) lines.push_back("{" + set + "=" + selection + "}");
    }
    for (const PrimIndexNode& node : index.nodes()) recordLayers(*node.layerStack, node.arcType, path);
  }

  // The layers of a stack the stage uses, each the first time it is seen.
  void recordLayers(const LayerStack& stack, ArcType arc, const Path& prim) {
    if (!request_.recordComposition) return;
    if (held_) {
      // Only a stack's first use can count when replayed.
      if (held_->stacks.insert(&stack).second) held_->layers.push_back({&stack, arc, prim});
      return;
    }
    if (!seenStacks_.insert(&stack).second) return;
    const bool rootStack = &stack == rootStack_.get();
    const auto& layers = stack.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const Layer* layer = layers[i].layer.get();
      if (!seenLayers_.insert(layer).second) continue;
      std::string how;
      if (rootStack) {
        how = layer == rootStack_->rootLayer().get()      ? "root"
              : layer == rootStack_->sessionLayer().get() ? "session"
                                                          : "sublayer";
      } else {
        how = layer == stack.rootLayer().get() ? std::string(arcTypeName(arc)) : "sublayer";
      }
      result_.layers.push_back({layer->identifier(), std::move(how), rootStack ? Path() : prim});
    }
  }

  void appendName(const Path& parent, Token childrenField, Token name) {
    if (held_ && parent.isAbsoluteRoot()) held_->rootNames.push_back(name);
    else children_.append(parent, childrenField, name);
  }

  LayerStackCache& stacks_;
  std::shared_ptr<const LayerStack> rootStack_;
  const FlattenRequest& request_;
  FlattenResult& result_;  // warnings, and what recordComposition asks for
  const FieldNames& f_;
  PrimIndexCache cache_;
  ClipLayers clipLayers_;
  stage_detail::PrimComposer composer_;
  std::unique_ptr<Layer> out_;
  stage_detail::ChildNameLists children_;
  // Text output (request.textOutput): the writer, the layer each prim is
  // composed into before it is written, the text of the stage's root prims
  // in pieces, and the instances held back (each written at the end into
  // its empty piece).
  std::unique_ptr<UsdaPieceWriter> text_;
  std::unique_ptr<Layer> scratch_;
  // Where each prim is composed in the scratch layer: one path for all,
  // so the output's property paths are never made (a small file can
  // compose into a stage with the square of its properties).
  const Path scratchPath_ = Path::absoluteRoot().appendChild("prim");
  std::vector<TextSpool::Piece> rootPieces_, prototypePieces_;
  std::vector<TextSpool::Piece>* pieces_ = &rootPieces_;  // where text goes now
  // The text beyond what memory holds, and the first failure to put it there.
  std::shared_ptr<TextSpool> spool_;
  Status spooled_ = Ok{};
  struct DeferredInstance {
    std::size_t piece;
    Path outPath;
    int indent;
  };
  std::vector<DeferredInstance> deferredInstances_;
  std::unordered_set<std::string> reported_;
  std::unordered_set<const LayerStack*> seenStacks_;
  std::unordered_set<const Layer*> seenLayers_;

  Prototypes prototypes_;
  std::vector<Path> flattened_;  // each prototype's /Flattened_Prototype_K
  // What the first walk reports, replayed after the prototypes are written
  // (null once replayed): warnings (true: a composition error, reported
  // once), layers used, root prim names, instances' prototype references.
  struct HeldBack {
    struct LayerUse {
      const LayerStack* stack;
      ArcType arc;
      Path prim;
    };
    std::vector<std::pair<std::string, bool>> warnings;
    std::vector<LayerUse> layers;
    std::unordered_set<const LayerStack*> stacks;  // those in `layers` (the stack cache keeps them)
    std::vector<Token> rootNames;
    std::vector<std::pair<Path, std::size_t>> instanceReferences;
  };
  std::unique_ptr<HeldBack> held_;
};

}  // namespace

Expected<std::unique_ptr<Layer>> flattenStage(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                              const FlattenRequest& request, FlattenResult& result) {
  return StageFlattener(stacks, std::move(rootStack), request, result).run();
}

}  // namespace usdkit
