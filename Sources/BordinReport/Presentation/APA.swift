/// APA 7 result fragments for whole objects (`{model | apa}`, `{cor.pairs[0]}`), as HTML with
/// italic statistical symbols: "*r*(346) = .44, 95% CI [.35, .52], *p* < .001".
enum APA {
  static func i(_ s: String) -> String { "<i>\(s)</i>" }

  /// `p < .001` or `p = .032`.
  static func p(_ x: Double) -> String {
    let s = Format.p(x)
    return i("p") + (s.hasPrefix("<") || s.hasPrefix(">") ? " " + escapeHTML(s) : " = " + s)
  }

  static func df(_ x: Double) -> String { x == x.rounded() ? Format.integer(x) : Format.fixed(x, 2) }

  static func ciLabel(_ obj: ResultValue, _ root: ResultValue) -> String {
    let level = obj["level"]?.double ?? root["level"]?.double ?? 0.95
    return Format.fixed(level * 100, level * 100 == (level * 100).rounded() ? 0 : 1) + "% CI"
  }

  /// A fragment for a result object, chosen by the fields it has.
  static func fragment(_ o: ResultValue, root: ResultValue, kind: String) -> String {
    var parts: [String] = []
    let ci = { (kind: Format.Kind) -> String? in
      guard let lb = o["ci_lb"]?.double, let ub = o["ci_ub"]?.double else { return nil }
      return ciLabel(o, root) + " " + Format.interval(lb, ub, kind: kind)
    }
    // Kind-specific fragments (pooled effects, model comparisons, GLMs, crosstabs, ANOVA,
    // baseline tables, change) come from the directive's definition.
    if let f = directiveDefinition(kind)?.apa?(o, root) { return f }
    if let icc = o["ICC"]?.double, let type = o["type"]?.string {  // an ICC form, named as Shrout and Fleiss (1979)
      let raters: Int? = { if case .array(let r)? = root["raters"] { return r.count }; return nil }()
      parts.append(escapeHTML(AgreeDirective.shroutFleissName(type, raters: raters)) + " = " + Format.fixed(icc, 2, leadingZero: false))
      if let c = ci(.bounded) { parts.append(c) }
      if let f = o["F"]?.double, let d1 = o["df1"]?.double, let d2 = o["df2"]?.double {
        parts.append(i("F") + "(" + df(d1) + ", " + df(d2) + ") = " + Format.fixed(f, 2))
      }
      if let pv = o["p"]?.double { parts.append(p(pv)) }
      return parts.joined(separator: ", ")
    }
    if let r = o["r"]?.double {  // a correlation
      let head = o["df"]?.double.map { i("r") + "(" + df($0) + ")" } ?? i("r")
      parts.append(head + " = " + Format.fixed(r, 2, leadingZero: false))
      if let c = ci(.bounded) { parts.append(c) }
      if let pv = o["p"]?.double { parts.append(p(pv)) }
    } else if let t = o["t"]?.double, o["estimate"] != nil {  // a regression coefficient
      parts.append(i("b") + " = " + Format.fixed(o["estimate"]!.double ?? .nan, 2))
      if let c = ci(.general) { parts.append(c) }
      let d = o["df"]?.double ?? root["df2"]?.double
      parts.append(i("t") + (d.map { "(" + df($0) + ")" } ?? "") + " = " + Format.fixed(t, 2))
      if let pv = o["p"]?.double { parts.append(p(pv)) }
    } else if let t = o["t"]?.double {  // a t-test
      if let md = o["mean_diff"]?.double {
        parts.append(i("M") + "<sub>diff</sub> = " + Format.fixed(md, 2))
        if let c = ci(.general) { parts.append(c) }
      }
      parts.append(i("t") + (o["df"]?.double.map { "(" + df($0) + ")" } ?? "") + " = " + Format.fixed(t, 2))
      if let pv = o["p"]?.double { parts.append(p(pv)) }
      if let d = o["d"]?.double { parts.append(i("d") + " = " + Format.fixed(d, 2)) }
    } else if let r2 = o["r2"]?.double, let f = o["F"]?.double {  // a regression model
      parts.append(i("R") + "<sup>2</sup> = " + Format.fixed(r2, 2, leadingZero: false))
      let d1 = o["df1"]?.double ?? .nan, d2 = o["df2"]?.double ?? .nan
      parts.append(i("F") + "(" + df(d1) + ", " + df(d2) + ") = " + Format.fixed(f, 2))
      if let pv = o["p"]?.double { parts.append(p(pv)) }
    } else if let m = o["mean"]?.double {  // descriptives
      parts.append(i("M") + " = " + Format.fixed(m, 2))
      if let sd = o["sd"]?.double { parts.append(i("SD") + " = " + Format.fixed(sd, 2)) }
      if let n = o["n"]?.double { parts.append(i("n") + " = " + Format.integer(n)) }
    } else if let est = o["estimate"]?.double {
      parts.append(Format.fixed(est, 2))
      if let c = ci(.general) { parts.append(c) }
      if let pv = o["p"]?.double { parts.append(p(pv)) }
    }
    if parts.isEmpty {
      // Fall back to every numeric field.
      for (k, v) in o.fields ?? [] {
        if let x = v.double { parts.append(escapeHTML(k) + " = " + escapeHTML(Format.auto(x, kind: Format.kind(of: k, in: o)))) }
      }
    }
    return parts.joined(separator: ", ")
  }
}
