#include "diff/LayerDiff.h"

#include <algorithm>
#include <unordered_set>

#include "base/Json.h"
#include "diff/ValueCompare.h"
#include "io/usda/UsdaValueText.h"
#include "sdf/Fields.h"

namespace usdkit::diff {

std::string_view specTypeName(SpecType type) {
  switch (type) {
    case SpecType::Attribute: return "attribute";
    case SpecType::Connection: return "connection";
    case SpecType::Expression: return "expression";
    case SpecType::Mapper: return "mapper";
    case SpecType::MapperArg: return "mapper argument";
    case SpecType::Prim: return "prim";
    case SpecType::PseudoRoot: return "layer";
    case SpecType::Relationship: return "relationship";
    case SpecType::RelationshipTarget: return "relationship target";
    case SpecType::Variant: return "variant";
    case SpecType::VariantSet: return "variant set";
    case SpecType::Unknown: break;
  }
  return "spec";
}

namespace {

class Differ {
 public:
  Differ(const Layer& a, const Layer& b, const LayerDiffOptions& options)
      : a_(a), b_(b), options_(options), names_(fieldNames()) {}

  Expected<std::vector<Change>> run() {
    std::vector<Path> paths;
    paths.reserve(a_.specCount() + b_.specCount());
    a_.forEachSpec([&](const Path& p, const Spec&) { paths.push_back(p); });
    b_.forEachSpec([&](const Path& p, const Spec&) {
      if (!a_.findSpec(p)) paths.push_back(p);
    });
    std::sort(paths.begin(), paths.end());

    std::unordered_set<Path> addedOrRemoved;
    for (const Path& path : paths) {
      const Spec* old = a_.findSpec(path);
      const Spec* now = b_.findSpec(path);
      if (old && now) {
        if (Status s = compareSpecs(path, *old, *now); !s) return s.error();
        continue;
      }
      addedOrRemoved.insert(path);
      if (!path.isAbsoluteRoot() && addedOrRemoved.count(path.parent())) continue;
      Change c;
      c.kind = old ? ChangeKind::Removed : ChangeKind::Added;
      c.subject = ChangeSubject::Spec;
      c.path = path;
      c.specType = (old ? old : now)->type();
      changes_.push_back(std::move(c));
    }
    return std::move(changes_);
  }

 private:
  bool holdsChildren(Token name) const {
    return name == names_.primChildren || name == names_.properties ||
           name == names_.variantSetChildren || name == names_.variantChildren ||
           name == targetChildren_ || name == connectionChildren_;
  }

  std::string valueText(const Value& value) const {
    std::string text;
    appendUsdaValue(text, value);
    for (char& c : text)
      if (c == '\n') c = ' ';
    if (options_.maxValueText && text.size() > options_.maxValueText) {
      text.resize(options_.maxValueText);
      text += "...";
    }
    return text;
  }

  Status compareSpecs(const Path& path, const Spec& old, const Spec& now) {
    if (old.type() != now.type()) {
      Change c;
      c.subject = ChangeSubject::Spec;
      c.path = path;
      c.specType = now.type();
      c.oldText = specTypeName(old.type());
      c.newText = specTypeName(now.type());
      changes_.push_back(std::move(c));
    }
    std::vector<Token> fields;
    for (const Field& f : old.fields()) fields.push_back(f.name);
    for (const Field& f : now.fields())
      if (!old.has(f.name)) fields.push_back(f.name);
    std::sort(fields.begin(), fields.end());
    fields.erase(std::unique(fields.begin(), fields.end()), fields.end());

    for (Token name : fields) {
      const Value* ov = old.get(name);
      const Value* nv = now.get(name);
      if (name == names_.timeSamples) {
        if (Status s = compareTimeSamples(path, now.type(), ov, nv); !s) return s;
        continue;
      }
      if (ov && nv) {
        if (sameSourceText(*ov, *nv)) {
          continue;
        } else if (ov->isLazy() || nv->isLazy()) {
          auto lo = ov->loaded();
          auto ln = nv->loaded();
          if (!lo) return lo.error();
          if (!ln) return ln.error();
          if (valuesEqual(*lo, *ln, options_.tolerance)) continue;
        } else if (valuesEqual(*ov, *nv, options_.tolerance)) {
          continue;
        }
      }
      // Children lists change with the specs added and removed, which are
      // reported themselves; only a pure reordering needs its own record.
      if (holdsChildren(name)) {
        if (!ov || !nv) continue;
        const auto* ol = ov->getIf<TokenVector>();
        const auto* nl = nv->getIf<TokenVector>();
        if (!ol || !nl ||
            !std::is_permutation(ol->items.begin(), ol->items.end(), nl->items.begin(), nl->items.end()))
          continue;
      }
      Change c;
      c.kind = !ov ? ChangeKind::Added : !nv ? ChangeKind::Removed : ChangeKind::Changed;
      c.subject = name == names_.defaultValue ? ChangeSubject::Value : ChangeSubject::Field;
      c.path = path;
      c.specType = now.type();
      if (c.subject == ChangeSubject::Field) c.field = name.string();
      if (ov) c.oldText = valueText(*ov);
      if (nv) c.newText = valueText(*nv);
      changes_.push_back(std::move(c));
    }
    return Ok{};
  }

  Status compareTimeSamples(const Path& path, SpecType type, const Value* ov, const Value* nv) {
    static const TimeSamples kNone;
    Value oldLoaded, newLoaded;
    const TimeSamples* os = &kNone;
    const TimeSamples* ns = &kNone;
    if (ov) {
      auto l = ov->loaded();
      if (!l) return l.error();
      oldLoaded = std::move(*l);
      if (const auto* t = oldLoaded.getIf<TimeSamples>()) os = t;
    }
    if (nv) {
      auto l = nv->loaded();
      if (!l) return l.error();
      newLoaded = std::move(*l);
      if (const auto* t = newLoaded.getIf<TimeSamples>()) ns = t;
    }
    auto record = [&](ChangeKind kind, double time, const Value* o, const Value* n) {
      Change c;
      c.kind = kind;
      c.subject = ChangeSubject::TimeSample;
      c.path = path;
      c.specType = type;
      c.time = time;
      if (o) c.oldText = valueText(*o);
      if (n) c.newText = valueText(*n);
      changes_.push_back(std::move(c));
    };
    // Both sample lists ascend by time: one merge pass.
    std::size_t i = 0, j = 0;
    const auto& a = os->samples;
    const auto& b = ns->samples;
    while (i < a.size() || j < b.size()) {
      if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
        record(ChangeKind::Removed, a[i].first, &a[i].second, nullptr);
        ++i;
      } else if (i == a.size() || b[j].first < a[i].first) {
        record(ChangeKind::Added, b[j].first, nullptr, &b[j].second);
        ++j;
      } else {
        if (!valuesEqual(a[i].second, b[j].second, options_.tolerance))
          record(ChangeKind::Changed, a[i].first, &a[i].second, &b[j].second);
        ++i, ++j;
      }
    }
    return Ok{};
  }

  const Layer& a_;
  const Layer& b_;
  const LayerDiffOptions& options_;
  const FieldNames& names_;
  Token targetChildren_{"targetChildren"}, connectionChildren_{"connectionChildren"};
  std::vector<Change> changes_;
};

std::string_view kindWord(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    case ChangeKind::Changed: break;
  }
  return "changed";
}

std::string_view subjectWord(const Change& c) {
  switch (c.subject) {
    case ChangeSubject::Spec: return specTypeName(c.specType);
    case ChangeSubject::Field:
      return c.specType == SpecType::PseudoRoot ? "layer metadata" : "metadata";
    case ChangeSubject::Value: return "value";
    case ChangeSubject::TimeSample: return "time sample";
  }
  return "spec";
}

std::string timeText(double t) {
  std::string s;
  appendUsdaValue(s, Value(t));
  return s;
}

}  // namespace

Expected<std::vector<Change>> diffLayers(const Layer& oldLayer, const Layer& newLayer,
                                         const LayerDiffOptions& options) {
  return Differ(oldLayer, newLayer, options).run();
}

std::string changeLine(const Change& c) {
  std::string line;
  line += kindWord(c.kind);
  line += ' ';
  line += subjectWord(c);
  line += ' ';
  c.path.appendText(line);
  if (!c.field.empty()) line.append(" (").append(c.field).append(")");
  if (c.time) line.append(" @ ").append(timeText(*c.time));
  if (c.subject == ChangeSubject::Spec && c.kind != ChangeKind::Changed) return line;
  if (c.kind == ChangeKind::Changed) {
    line.append(": ").append(c.oldText).append(" -> ").append(c.newText);
  } else {
    line.append(": ").append(c.kind == ChangeKind::Added ? c.newText : c.oldText);
  }
  return line;
}

std::string changesJson(const std::vector<Change>& changes) {
  std::string out = "[";
  std::string pathText;  // scratch for each path's text, reused
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Change& c = changes[i];
    out += i ? ",\n " : "\n ";
    out += "{\"change\": ";
    appendJsonString(out, kindWord(c.kind));
    out += ", \"subject\": ";
    const char* subject = c.subject == ChangeSubject::Spec    ? "spec"
                          : c.subject == ChangeSubject::Field ? "metadata"
                          : c.subject == ChangeSubject::Value ? "value"
                                                              : "timeSample";
    appendJsonString(out, subject);
    out += ", \"specType\": ";
    appendJsonString(out, specTypeName(c.specType));
    out += ", \"path\": ";
    pathText.clear();
    c.path.appendText(pathText);
    appendJsonString(out, pathText);
    if (!c.field.empty()) {
      out += ", \"field\": ";
      appendJsonString(out, c.field);
    }
    if (c.time) out.append(", \"time\": ").append(timeText(*c.time));
    bool hasOld = c.kind != ChangeKind::Added && !(c.subject == ChangeSubject::Spec && c.kind == ChangeKind::Removed);
    bool hasNew = c.kind != ChangeKind::Removed && !(c.subject == ChangeSubject::Spec && c.kind == ChangeKind::Added);
    if (hasOld) {
      out += ", \"old\": ";
      appendJsonString(out, c.oldText);
    }
    if (hasNew) {
      out += ", \"new\": ";
      appendJsonString(out, c.newText);
    }
    out += '}';
  }
  out += changes.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace usdkit::diff
