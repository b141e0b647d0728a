// `.spline = { ... }` blocks (OpenUSD animation splines; tangent algorithms
// are usda 1.1).
#include <algorithm>
#include <cmath>
#include <optional>

#include "io/usda/Reader.h"

namespace usdkit::usda {

void Reader::parseSpline(const Path& attrPath, const std::optional<ValueTypeInfo>& type, const char* typePos,
                         std::string_view typeName) {
  Spline spline;
  if (!type || type->isArray ||
      !(type->kind == ValueKind::Double || type->kind == ValueKind::Float || type->kind == ValueKind::Half ||
        type->kind == ValueKind::TimeCode))
    fail(typePos, "Unsupported spline value type '" + std::string(typeName) + "'");
  spline.valueType = type->kind == ValueKind::Float  ? Spline::ValueType::Float
                     : type->kind == ValueKind::Half ? Spline::ValueType::Half
                                                     : Spline::ValueType::Double;
  spline.timeValued = type->kind == ValueKind::TimeCode;

  auto number = [&]() -> double {
    NumberToken n;
    if (!s_.scanNumber(n)) fail(s_.p, "Expected number");
    return n.asDouble();
  };
  auto extrapolation = [&]() -> Spline::Extrapolation {
    Spline::Extrapolation e;
    if (s_.tryKeyword("none")) e.mode = Spline::ExtrapMode::None;
    else if (s_.tryKeyword("held")) e.mode = Spline::ExtrapMode::Held;
    else if (s_.tryKeyword("linear")) e.mode = Spline::ExtrapMode::Linear;
    else if (s_.tryKeyword("sloped")) {
      e.mode = Spline::ExtrapMode::Sloped;
      s_.skipInlinePad();
      s_.expectChar('(', "Expected (");
      s_.skipInlinePad();
      e.slope = number();
      s_.skipInlinePad();
      s_.expectChar(')', "Expected )");
    } else if (s_.tryKeyword("loop")) {
      s_.expectSep("Expected spaces");
      if (s_.tryKeyword("repeat")) e.mode = Spline::ExtrapMode::LoopRepeat;
      else if (s_.tryKeyword("reset")) e.mode = Spline::ExtrapMode::LoopReset;
      else if (s_.tryKeyword("oscillate")) e.mode = Spline::ExtrapMode::LoopOscillate;
      else fail(s_.p, "Expected repeat, reset or oscillate");
    } else {
      fail(s_.p, "Expected extrapolation (none, held, linear, sloped, loop)");
    }
    return e;
  };
  // usda 1.1: a tangent may end with its algorithm (`custom`, `autoEase`).
  auto algorithm = [&]() -> std::optional<Spline::TangentAlgorithm> {
    if (s_.tryKeyword("custom")) return Spline::TangentAlgorithm::Custom;
    if (s_.tryKeyword("autoEase")) return Spline::TangentAlgorithm::AutoEase;
    return std::nullopt;
  };
  // `(slope)`, `(slope, algorithm)`, `(width, slope)` or
  // `(width, slope, algorithm)`.
  auto tangent = [&](double& width, double& slope, Spline::TangentAlgorithm& algo) {
    s_.expectChar('(', "Expected (");
    s_.skipInlinePad();
    double a = number();
    s_.skipInlinePad();
    if (s_.tryChar(',')) {
      s_.skipInlinePad();
      if (auto alg = algorithm()) {
        slope = a;
        algo = *alg;
      } else {
        width = a;
        slope = number();
        s_.skipInlinePad();
        if (s_.tryChar(',')) {
          s_.skipInlinePad();
          auto named = algorithm();
          if (!named) fail(s_.p, "Expected tangent algorithm (custom or autoEase)");
          algo = *named;
        }
      }
      s_.skipInlinePad();
    } else {
      slope = a;
    }
    s_.expectChar(')', "Expected )");
  };
  auto colon = [&] {
    s_.skipInlinePad();
    s_.expectChar(':', "Expected :");
    s_.skipInlinePad();
  };

  if (!s_.tryChar('{')) fail(s_.p, "Expected {");
  s_.skipAnyPad();
  bool any = false;
  s_.commaList('}', [&] {
    any = true;
    if (s_.tryKeyword("bezier")) {
      spline.curveType = Spline::CurveType::Bezier;
    } else if (s_.tryKeyword("hermite")) {
      spline.curveType = Spline::CurveType::Hermite;
    } else if (s_.tryKeyword("pre")) {
      colon();
      spline.preExtrapolation = extrapolation();
    } else if (s_.tryKeyword("post")) {
      colon();
      spline.postExtrapolation = extrapolation();
    } else if (s_.tryKeyword("loop")) {
      colon();
      s_.expectChar('(', "Expected (");
      double v[5];
      for (int i = 0; i < 5; ++i) {
        s_.skipInlinePad();
        const char* at = s_.p;
        v[i] = number();
        if ((i == 2 || i == 3) && v[i] != std::trunc(v[i])) fail(at, "SplineLoopItem: Non-integer loop count");
        // Converting a larger count to int32 would be undefined behaviour.
        if ((i == 2 || i == 3) && !(v[i] >= -2147483648.0 && v[i] <= 2147483647.0))
          fail(at, "SplineLoopItem: loop count out of range (a 32-bit integer is expected)");
        s_.skipInlinePad();
        if (i < 4) s_.expectChar(',', "Expected ,");
      }
      s_.expectChar(')', "Expected )");
      spline.hasLoops = true;
      spline.loops = {v[0], v[1], static_cast<std::int32_t>(v[2]), static_cast<std::int32_t>(v[3]), v[4]};
    } else if (s_.atNumberStart()) {
      Spline::Knot knot;
      knot.time = number();
      colon();
      double first = number();
      s_.skipInlinePad();
      if (s_.tryChar('&')) {
        s_.skipInlinePad();
        knot.dualValued = true;
        knot.preValue = first;
        knot.value = number();
      } else {
        knot.value = first;
      }
      // Knot parameters: `; pre (..)`, `; post <interp> (..)`, `; { dict }`.
      for (;;) {
        const char* save = s_.p;
        s_.skipInlinePad();
        if (!(s_.tryChar(';') || s_.tryEol())) {
          s_.p = save;
          break;
        }
        s_.skipInlinePad();
        if (s_.tryKeyword("pre")) {
          s_.expectSep("Expected spaces");
          tangent(knot.preTanWidth, knot.preTanSlope, knot.preTanAlgorithm);
        } else if (s_.tryKeyword("post")) {
          s_.skipInlinePad();
          if (s_.tryKeyword("none")) knot.nextInterp = Spline::Interp::None;
          else if (s_.tryKeyword("held")) knot.nextInterp = Spline::Interp::Held;
          else if (s_.tryKeyword("linear")) knot.nextInterp = Spline::Interp::Linear;
          else if (s_.tryKeyword("curve")) knot.nextInterp = Spline::Interp::Curve;
          else fail(s_.p, "Expected none, held, linear or curve");
          const char* beforeTan = s_.p;
          s_.skipInlinePad();
          if (s_.peek() == '(') tangent(knot.postTanWidth, knot.postTanSlope, knot.postTanAlgorithm);
          else s_.p = beforeTan;
        } else if (s_.peek() == '{') {
          knot.customData = std::make_shared<const Dictionary>(values_.parseDictionary());
        } else {
          s_.p = save;
          break;
        }
      }
      auto it = std::lower_bound(spline.knots.begin(), spline.knots.end(), knot.time,
                                 [](const Spline::Knot& k, double t) { return k.time < t; });
      if (it != spline.knots.end() && it->time == knot.time) *it = std::move(knot);
      else spline.knots.insert(it, std::move(knot));
    } else {
      fail(s_.p, "Expected spline item (bezier, hermite, pre, post, loop or knot)");
    }
  });
  if (!any) fail(s_.p, "Expected spline item");
  layer_.findSpec(attrPath)->set(F_.spline, Value(std::move(spline)));
}

}  // namespace usdkit::usda
