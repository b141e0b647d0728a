// Explaining an object of the stage; see Explain.h.
#include "stage/Explain.h"

#include <cmath>

#include "base/Json.h"
#include "base/NumberFormat.h"
#include "compose/PropertyIndex.h"
#include "io/usda/UsdaValueText.h"
#include "schema/PrimDefinition.h"
#include "sdf/Fields.h"
#include "sdf/TimeSampleQueries.h"
#include "stage/ValueClips.h"
#include "stage/ValueRemapping.h"
#include "stage/ValueResolution.h"

namespace usdkit {

namespace {

using stage_detail::Opinion;

// A value as usda text, arrays past a few dozen elements cut short: the
// explanation is for reading.
std::string valueText(const Value& value) {
  std::string text;
  appendUsdaValue(text, value);
  constexpr std::size_t kLimit = 240;
  if (text.size() <= kLimit) return text;
  std::size_t elements = 0;
  value.visit([&](const auto& v) {
    if constexpr (requires { v.size(); v.begin(); }) elements = v.size();
  });
  std::size_t cut = text.rfind(", ", kLimit);
  if (cut == std::string::npos || cut < 8) cut = kLimit;
  text.resize(cut);
  text += ", ...";
  if (elements) text += " (" + std::to_string(elements) + " elements)";
  return text;
}

std::string timeText(double t) { return formatDouble(t); }

// What one opinion of an attribute holds, in stage time.
std::string attributeHolds(const Opinion& op) {
  const FieldNames& f = fieldNames();
  std::string out;
  if (const Value* d = op.spec->get(f.defaultValue)) {
    Expected<Value> v = d->loaded();
    out = !v ? "default (unreadable: " + v.error().message + ")"
          : v->is<ValueBlock>() ? "default = None (a value block)"
                                : "default = " + valueText(applyLayerOffsetToValue(f.defaultValue, *v, op.toStage));
  }
  if (const Value* raw = op.spec->get(f.timeSamples)) {
    Expected<Value> v = raw->loaded();
    const TimeSamples* ts = v ? v->getIf<TimeSamples>() : nullptr;
    if (!out.empty()) out += "; ";
    if (!ts || ts->samples.empty()) {
      out += "no time samples";
    } else {
      const double first = applyOffset(op.toStage, ts->samples.front().first);
      const double last = applyOffset(op.toStage, ts->samples.back().first);
      out += std::to_string(ts->samples.size()) + (ts->samples.size() == 1 ? " time sample at " : " time samples from ") +
             timeText(std::min(first, last)) + (ts->samples.size() == 1 ? "" : " to " + timeText(std::max(first, last)));
    }
  }
  if (out.empty()) out = "no value (declares the attribute)";
  return out;
}

ExplainedOpinion opinionEntry(const PrimIndex& index, const Opinion& op, const Path& specPath) {
  const PrimIndexNode& node = index.nodes()[static_cast<std::size_t>(op.node)];
  ExplainedOpinion e;
  e.layer = op.layer->identifier();
  e.path = specPath;
  e.arc = std::string(arcTypeName(node.arcType));
  e.offset = op.toStage;
  return e;
}

class Explainer {
 public:
  Explainer(Stage& stage, std::optional<double> time) : stage_(stage), time_(time) {}

  Expected<Explanation> run(const Path& path) {
    const bool property = path.isPrimPropertyPath();
    const Path primPath = property ? path.primPath() : path;
    Expected<const PrimIndex*> index = stage_.prim(primPath);
    if (!index) return std::move(index).error();
    std::vector<Opinion> primOps = stage_detail::primOpinions(**index);
    if (path.isAbsoluteRoot()) primOps = stage_detail::stageMetadataOpinions(stage_.rootLayerStack());
    if (!property) return prim(**index, primOps, path);
    const PropertyIndex properties(**index);
    const Token name = path.nameToken();
    const PropertyStack stack = properties.stack(name);
    const std::vector<Opinion> ops = stage_detail::propertyOpinions(stack, primOps);
    // The definition the composed prim's type name and applied schemas give.
    const Spec* composed = stage_.composedPrim(primPath);
    const schema::PrimDefinition definition =
        composed ? schema::PrimDefinition::of(*composed) : schema::PrimDefinition{};
    const schema::PropertyDef* builtin = definition.findProperty(name.str());
    if (ops.empty() && !builtin) return makeError("the stage has no property <" + path.string() + ">");
    const bool relationship = ops.empty() ? builtin->isRelationship : stack.type == SpecType::Relationship;
    if (relationship) return this->relationship(**index, ops, path);
    return attribute(**index, ops, path, builtin);
  }

 private:
  Stage& stage_;
  std::optional<double> time_;

  Value stageValue(Token field, const Value& raw, const Opinion& op, Explanation& e) {
    std::vector<std::string> warnings;
    Expected<Value> v = stage_detail::stageValue(field, raw, op, stage_.registry().resolver(), &warnings);
    for (std::string& w : warnings) e.detail += (e.detail.empty() ? "" : "; ") + w;
    return v ? std::move(*v) : Value();
  }

  Expected<Explanation> attribute(const PrimIndex& index, const std::vector<Opinion>& ops, const Path& path,
                                  const schema::PropertyDef* builtin) {
    const FieldNames& f = fieldNames();
    Explanation e;
    e.path = path;
    e.kind = "attribute";
    e.time = time_;
    if (builtin) e.typeName = std::string(builtin->typeName);
    for (const Opinion& op : ops)
      if (const Token* t = op.spec->getAs<Token>(f.typeName); t && !t->empty() && e.typeName.empty()) e.typeName = t->string();
    const Token name = path.nameToken();
    const ClipSets& clips = stage_.clipSets(path.primPath());
    bool decided = false;
    bool blocked = false;
    bool skippedSamples = false;  // stronger samples that the default time does not read
    for (const stage_detail::ValueSourceEntry& entry : stage_detail::valueSources(index, ops, clips, name)) {
      const Path specPath = index.nodes()[static_cast<std::size_t>(entry.node)].path.appendProperty(name.str());
      if (entry.clips) {
        e.opinions.push_back(clipEntry(*entry.clips, entry.clipSpecPath));
        // Clips give samples only: they count when a time is asked.
        if (!decided && !time_) skippedSamples = true;
        if (decided || !time_) continue;
        ClipSet::Resolved r = entry.clips->valueAt(entry.clipSpecPath, *time_);
        e.opinions.back().wins = decided = true;
        e.source = "value clips";
        e.detail = "clip set '" + entry.clips->name + "', clip time " + timeText(r.clipTime) + " of @" +
                   r.layer->identifier() + "@";
        if (!r.value.is<ValueBlock>()) e.value = valueText(r.value);
        continue;
      }
      const Opinion& op = *entry.opinion;
      ExplainedOpinion& out = e.opinions.emplace_back(opinionEntry(index, op, specPath));
      out.holds = attributeHolds(op);
      if (decided) continue;
      if (time_ && stage_detail::hasTimeSamples(op)) {
        out.wins = decided = true;
        resolveSamples(op, e);
        continue;
      }
      if (!time_ && stage_detail::hasTimeSamples(op)) skippedSamples = true;
      if (const Value* d = op.spec->get(f.defaultValue)) {
        decided = true;
        const Value v = stageValue(f.defaultValue, *d, op, e);
        if (v.is<ValueBlock>() || v.empty()) {
          blocked = true;
          e.source = "blocked";
          out.holds += ", which hides every weaker opinion";
        } else {
          out.wins = true;
          e.source = "default";
          e.value = valueText(v);
        }
      }
    }
    std::optional<Value> fallback = builtin ? builtin->fallback() : std::nullopt;
    if (fallback) {
      ExplainedOpinion& out = e.opinions.emplace_back();
      out.arc = "fallback";
      out.holds = "fallback = " + valueText(*fallback) + " (from the prim's schemas)";
      // A block hides authored opinions, not the schema's fallback.
      if (!decided || blocked) {
        out.wins = true;
        e.source = blocked ? "fallback (authored value blocked)" : "fallback";
        e.value = valueText(*fallback);
      }
    }
    if (e.source.empty()) e.source = "none";
    if (skippedSamples)
      e.detail += std::string(e.detail.empty() ? "" : "; ") +
                  "at the default time only defaults count: stronger time samples (or value clips) are read with --time";
    return e;
  }

  // The value at time_ from an opinion's samples: in the layer's time,
  // bracketing samples interpolated as value resolution does.
  void resolveSamples(const Opinion& op, Explanation& e) {
    const FieldNames& f = fieldNames();
    e.source = "time samples";
    Expected<Value> raw = op.spec->get(f.timeSamples)->loaded();
    const TimeSamples* ts = raw ? raw->getIf<TimeSamples>() : nullptr;
    if (!ts) return;
    const double layerTime = applyOffset(inverseOffset(op.toStage), *time_);
    const std::optional<TimeBracket> b = bracketingTimes(*ts, layerTime);
    const std::optional<Value> v = interpolatedSampleValue(*ts, layerTime);
    if (v) e.value = valueText(stageValue(f.defaultValue, *v, op, e));
    const double lower = applyOffset(op.toStage, b->lower), upper = applyOffset(op.toStage, b->upper);
    if (std::fabs(b->upper - b->lower) < 1e-6)
      e.detail = (layerTime == b->lower ? "the sample at " : "held from the sample at ") + timeText(lower);
    else
      e.detail = "between the samples at " + timeText(lower) + " and " + timeText(upper);
    if (!op.toStage.isIdentity()) e.detail += " (layer time " + timeText(layerTime) + ")";
    if (!v) e.detail += ": a value block";
  }

  ExplainedOpinion clipEntry(const ClipSet& clips, const Path& specPath) {
    ExplainedOpinion out;
    out.arc = "value clips";
    out.path = specPath;
    out.layer = clips.sourceLayer->identifier();
    const std::vector<double> times = clips.timeSamples(specPath);
    out.holds = "clip set '" + clips.name + "' anchored in this layer: " + std::to_string(times.size()) +
                (times.size() == 1 ? " time sample" : " time samples");
    if (!times.empty()) out.holds += " from " + timeText(times.front()) + " to " + timeText(times.back());
    return out;
  }

  Expected<Explanation> relationship(const PrimIndex& index, const std::vector<Opinion>& ops, const Path& path) {
    const FieldNames& f = fieldNames();
    Explanation e;
    e.path = path;
    e.kind = "relationship";
    e.source = "composed";
    for (const Opinion& op : ops) {
      ExplainedOpinion& out = e.opinions.emplace_back(
          opinionEntry(index, op, index.nodes()[static_cast<std::size_t>(op.node)].path.appendProperty(path.name())));
      const Value* targets = op.spec->get(f.targetPaths);
      out.holds = targets ? "targets " + valueText(*targets) : "no targets";
      out.wins = targets != nullptr;
    }
    const std::vector<Path> targets = stage_detail::composeTargetPaths(index, ops, f.targetPaths);
    std::string list = "[";
    for (const Path& t : targets) list += (list.size() > 1 ? ", <" : "<") + t.string() + ">";
    e.value = list + "]";
    e.detail = "each opinion's list edits applied weakest first, paths mapped to the stage's namespace";
    return e;
  }

  Expected<Explanation> prim(const PrimIndex& index, const std::vector<Opinion>& ops, const Path& path) {
    Explanation e;
    e.path = path;
    e.kind = "prim";
    e.source = "composed";
    // An instance: say which prototype it shares (finding the prototypes
    // walks the whole stage, so only instances ask).
    if (!path.isAbsoluteRoot() && index.isInstanceable() && stage_detail::isActive(ops)) {
      const Path prototype = stage_.prototypeOf(path);
      const Prototypes& prototypes = stage_.prototypes();
      if (const std::optional<std::size_t> id = prototypes.byStagePath(prototype))
        e.detail = "an instance of <" + prototype.string() + ">, whose prims are composed from <" +
                   prototypes.source(*id).string() + ">";
    }
    const FieldNames& f = fieldNames();
    std::vector<Token> fields = stage_detail::authoredFields(ops);
    // Every prim has a specifier; the pseudo-root (the stage's metadata) has none.
    if (!path.isAbsoluteRoot() && std::find(fields.begin(), fields.end(), f.specifier) == fields.end())
      fields.insert(fields.begin(), f.specifier);
    for (Token field : fields) {
      Explanation& fe = e.fields.emplace_back();
      fe.path = path;
      fe.kind = "metadata";
      fe.name = field.string();
      std::vector<Value> values;
      for (const Opinion& op : ops) {
        const Value* raw = op.spec->get(field);
        if (!raw) continue;
        const Value v = stageValue(field, *raw, op, fe);
        ExplainedOpinion& out = fe.opinions.emplace_back(opinionEntry(index, op, index.nodes()[static_cast<std::size_t>(op.node)].path));
        out.holds = valueText(v);
        values.push_back(v);
      }
      if (field == f.specifier) {
        const Specifier s = stage_detail::composedSpecifier(index, ops);
        fe.value = s == Specifier::Def ? "def" : s == Specifier::Class ? "class" : "over";
        fe.source = "composed";
        fe.detail = "def wins over class and over; class only when not reached through an inherit";
        continue;
      }
      const Value composed = stage_detail::composeMetadataValues(values);
      fe.value = valueText(composed);
      // List ops and dictionaries take something from every opinion; other
      // fields, the strongest.
      const bool merged = !values.empty() && (values.front().is<Dictionary>() || values.front().is<TokenListOp>() ||
                                              values.front().is<StringListOp>() || values.front().is<IntListOp>() ||
                                              values.front().is<Int64ListOp>() || values.front().is<UIntListOp>() ||
                                              values.front().is<UInt64ListOp>());
      fe.source = merged ? "composed" : "strongest opinion";
      for (std::size_t i = 0; i < fe.opinions.size(); ++i) fe.opinions[i].wins = merged || i == 0;
    }
    return e;
  }
};

void appendOpinionText(std::string& out, const ExplainedOpinion& o, const std::string& indent) {
  out += indent + (o.wins ? "* " : "  ");
  if (o.arc == "fallback") {
    out += "schema fallback\n";
  } else {
    out += "@" + o.layer + "@<" + o.path.string() + ">  " + o.arc;
    if (!o.offset.isIdentity())
      out += ", layer time x " + formatDouble(o.offset.scale) + " + " + formatDouble(o.offset.offset);
    out += "\n";
  }
  out += indent + "      " + o.holds + "\n";
}

void appendExplanationJson(std::string& out, const Explanation& e) {
  auto member = [&](std::string_view key, std::string_view value, bool first = false) {
    if (!first) out += ",";
    appendJsonString(out, key);
    out += ":";
    appendJsonString(out, value);
  };
  out += "{";
  member("path", e.path.string(), true);
  member("kind", e.kind);
  if (!e.name.empty()) member("name", e.name);
  if (!e.typeName.empty()) member("typeName", e.typeName);
  if (e.time) out += ",\"time\":" + formatDouble(*e.time);
  out += ",\"value\":";
  if (e.value) appendJsonString(out, *e.value);
  else out += "null";
  member("source", e.source);
  if (!e.detail.empty()) member("detail", e.detail);
  out += ",\"opinions\":[";
  for (std::size_t i = 0; i < e.opinions.size(); ++i) {
    const ExplainedOpinion& o = e.opinions[i];
    out += i ? ",{" : "{";
    member("arc", o.arc, true);
    if (!o.layer.empty()) member("layer", o.layer);
    if (!o.path.empty()) member("path", o.path.string());
    out += ",\"offset\":" + formatDouble(o.offset.offset) + ",\"scale\":" + formatDouble(o.offset.scale);
    member("holds", o.holds);
    out += std::string(",\"wins\":") + (o.wins ? "true" : "false") + "}";
  }
  out += "]";
  if (!e.fields.empty()) {
    out += ",\"fields\":[";
    for (std::size_t i = 0; i < e.fields.size(); ++i) {
      if (i) out += ",";
      appendExplanationJson(out, e.fields[i]);
    }
    out += "]";
  }
  out += "}";
}

}  // namespace

Expected<Explanation> explain(Stage& stage, const Path& path, std::optional<double> time) {
  if (path.empty() || !path.isAbsolute() || !(path.isAbsoluteRoot() || path.isPrimPath() || path.isPrimPropertyPath()))
    return makeError("<" + path.string() + "> is not an absolute prim or property path");
  return Explainer(stage, time).run(path);
}

std::string explanationText(const Explanation& e) {
  const std::string kind = e.path.isAbsoluteRoot() ? "the stage's metadata" : e.kind;
  std::string out = e.path.string() + " (" + kind + (e.typeName.empty() ? "" : ", " + e.typeName) + ")\n";
  auto body = [&](const Explanation& x, const std::string& indent) {
    out += indent + "value";
    if (x.time) out += " at time " + formatDouble(*x.time);
    else if (x.kind == "attribute") out += " (default time)";
    out += ": " + (x.value ? *x.value : std::string("none")) + "\n";
    out += indent + "from: " + x.source + (x.detail.empty() ? "" : ", " + x.detail) + "\n";
    out += indent + "opinions, strongest first (* gives the value):\n";
    for (const ExplainedOpinion& o : x.opinions) appendOpinionText(out, o, indent + "  ");
    if (x.opinions.empty()) out += indent + "  (none)\n";
  };
  if (e.kind != "prim") {
    body(e, "  ");
    return out;
  }
  if (!e.detail.empty()) out += "  " + e.detail + "\n";
  for (const Explanation& field : e.fields) {
    out += "  " + field.name + "\n";
    body(field, "    ");
  }
  return out;
}

std::string explanationJson(const Explanation& e) {
  std::string out;
  appendExplanationJson(out, e);
  out += "\n";
  return out;
}

}  // namespace usdkit
