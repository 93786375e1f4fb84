import BordinData
import BordinStats

/// `compare`: the comparison of two nested models fitted by earlier `lmm`, `glm` or `regress`
/// directives to the same rows, as R's `anova(m0, m1)`: for mixed models the likelihood-ratio
/// test of lme4's `anova.merMod` (REML fits refitted with ML, `refit = TRUE`), for GLMs the
/// analysis of deviance (`test = "Chisq"`), for linear models the F test of `anova.lm`; for
/// `sem` and `clpm` fits the χ² difference test of lavaan's `lavTestLRT` (Satorra–Bentler 2001
/// scaled under MLR; CompareDirective+SEM.swift).
///
/// The models are refitted here from the referenced directives' options (a cached or replayed
/// result carries no fitted model); the smaller model (fewer parameters) comes first, as
/// `anova.merMod` orders them.
enum CompareDirective {
  static let kinds = ["lmm", "glmm", "glm", "regress", "sem", "clpm"]

  static let definition = DirectiveDefinition(
    name: "compare",
    summary: "compare two nested models (lmm, glmm, glm, regress, sem or clpm): likelihood-ratio or F test, as R's anova(m0, m1) and lavaan's lavTestLRT",
    options: [
      OptionSpec(name: "models", type: .strings, required: true, help: "the labels of two earlier lmm, glmm, glm, regress or sem/clpm directives of one kind fitted to the same rows, e.g. [m0, m1]"),
    ],
    fields: [
      FieldSpec(name: "models[]", help: "name (the label), formula, npar, nobs, AIC, BIC, logLik, deviance; df_residual (glm, regress), rss (regress); sem/clpm: model (syntax), group, group_equal, chisq, df, scaling_factor (MLR) instead of formula and deviance; key: the label; smaller model first"),
      FieldSpec(name: "chisq, df, p", help: "lmm, glmm, glm, sem and clpm: the likelihood-ratio χ² (deviance or χ² difference), its df and p (Pr(>Chisq)); under MLR the unscaled difference"),
      FieldSpec(name: "scaled, scaling, p_scaled", help: "sem/clpm with estimator MLR: the Satorra–Bentler (2001) scaled difference (lavTestLRT's Chisq diff), its scaling factor c_d and p"),
      FieldSpec(name: "F, df, df2, ss, p", help: "regress: the F test (Sum of Sq, Df, residual df of the larger model, Pr(>F))"),
      FieldSpec(name: "kind, test, refit, estimator", help: "the models' kind; Chisq or F; whether REML fits were refitted with ML (lmm); ML or MLR (sem, clpm)"),
    ],
    run: run,
    apa: { o, _ in CompareDirective.fragment(o) },
    references: references)

  /// One referenced model, refitted: its label, formula, the comparison's view of it, its terms.
  private struct Fitted {
    var label: String
    var formula: String
    var data: String
    var rows: [Int]
    var terms: [String]
    var random: [String] = []
    var npar: Int
    /// Warnings of an ML refit (a REML fit's own warnings were reported by its directive).
    var warnings: [StatsWarning] = []
    var family: String? = nil
    var reml = false
    var lmm: LMMResult? = nil
    var glm: GLMResult? = nil
    var glmm: GLMMResult? = nil
    var lm: RegressionResult? = nil
  }

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let labels = try o.strings("models") ?? []
    let at: [SourceLocation] = {
      if case .list(let items, _)? = inv.node("models") { return items.map(\.location) }
      return [inv.location("models")]
    }()
    let loc = { (i: Int) in i < at.count ? at[i] : inv.location("models") }
    guard labels.count == 2 else {
      ev.sink.error(inv.location("models"), "compare-models",
                    "compare '\(inv.label)' needs exactly two models in 'models'; got \(labels.count)\(labels.isEmpty ? "" : " (\(labels.joined(separator: ", ")))")",
                    remedy: "write 'models: [m0, m1]' naming a smaller and a larger model (lmm, glm or regress labels)")
      throw DirectiveFailure()
    }
    if labels[0] == labels[1] {
      ev.sink.error(loc(1), "same-model", "compare '\(inv.label)' names '\(labels[0])' twice; a model cannot be compared with itself",
                    remedy: "name two different models, the smaller first: 'models: [m0, m1]'")
      throw DirectiveFailure()
    }
    var kinds: [String] = []
    for (i, l) in labels.enumerated() {
      let k = try ev.result(l, at: loc(i)).kind
      guard Self.kinds.contains(k) else {
        ev.sink.error(loc(i), "compare-kind", "'\(l)' is a \(k) directive; compare takes lmm, glmm, glm, regress, sem or clpm models",
                      remedy: "name the labels of two lmm, two glmm, two glm, two regress or two sem/clpm directives")
        throw DirectiveFailure()
      }
      kinds.append(k)
    }
    if semKinds.contains(kinds[0]), semKinds.contains(kinds[1]) {
      return try semRun(inv, ev, labels: labels, kinds: kinds, loc: loc)
    }
    guard kinds[0] == kinds[1] else {
      ev.sink.error(loc(1), "compare-kind", "compare '\(inv.label)': '\(labels[0])' is a \(kinds[0]) model but '\(labels[1])' is a \(kinds[1]) model; only models of one kind can be compared",
                    remedy: "compare two \(kinds[0]) models (refit '\(labels[1])' as \(kinds[0]))")
      throw DirectiveFailure()
    }
    var fits: [Fitted] = []
    for l in labels {
      guard let ref = ev.invocations.first(where: { $0.label == l }) else { throw DirectiveFailure() }
      fits.append(try refit(ref, ev))
    }
    // Same data, same rows.
    if fits[0].data != fits[1].data || fits[0].rows != fits[1].rows {
      let what = fits[0].data != fits[1].data
        ? "'\(fits[0].label)' is fitted to '\(fits[0].data)' but '\(fits[1].label)' to '\(fits[1].data)'"
        : "'\(fits[0].label)' is fitted to \(fits[0].rows.count) rows but '\(fits[1].label)' to \(fits[1].rows.count)\(fits[0].rows.count == fits[1].rows.count ? " different ones" : "")"
      ev.sink.error(loc(1), "compare-rows", "compare '\(inv.label)': \(what); nested models must be fitted to the same rows",
                    remedy: "fit both models to one dataset with the same complete rows (filter the rows missing on any variable of the larger model in a data step)")
      throw DirectiveFailure()
    }
    if kinds[0] == "glm" || kinds[0] == "glmm", fits[0].family != fits[1].family {
      ev.sink.error(loc(1), "not-nested", "compare '\(inv.label)': '\(fits[0].label)' is a \(fits[0].family ?? "?") \(kinds[0]) but '\(fits[1].label)' a \(fits[1].family ?? "?") one",
                    remedy: "compare two \(kinds[0]) models of one family")
      throw DirectiveFailure()
    }
    // Smaller first (anova.merMod's order); ties keep the order written.
    if fits[1].npar < fits[0].npar { fits.swapAt(0, 1) }
    let (small, large) = (fits[0], fits[1])
    if Set(small.terms) == Set(large.terms), Set(small.random) == Set(large.random), small.npar == large.npar {
      ev.sink.error(loc(1), "same-model", "compare '\(inv.label)': '\(small.label)' and '\(large.label)' have the same terms (\(small.formula) and \(large.formula)); there is nothing to test",
                    remedy: "compare a model with one that adds or drops terms")
      throw DirectiveFailure()
    }
    let missing = small.terms.filter { !large.terms.contains($0) }
    let missingRandom = small.random.filter { !large.random.contains($0) }
    guard missing.isEmpty, missingRandom.isEmpty, small.npar < large.npar else {
      let parts = (missing.isEmpty ? [] : ["fixed term\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"]) +
        (missingRandom.isEmpty ? [] : ["random term\(missingRandom.count == 1 ? "" : "s") \(missingRandom.joined(separator: ", "))"])
      let why = parts.isEmpty ? "they have as many parameters (\(small.npar))" : "'\(small.label)' has \(parts.joined(separator: " and ")) that '\(large.label)' lacks"
      ev.sink.error(loc(1), "not-nested", "compare '\(inv.label)': the models are not nested: \(why) (\(small.formula) vs \(large.formula))",
                    remedy: "the smaller model's terms must all be in the larger model; compare non-nested models by AIC or BIC instead")
      throw DirectiveFailure()
    }
    let c: ModelComparisonResult
    switch kinds[0] {
    case "lmm": c = ModelComparison.mixed(small.lmm!, large.lmm!)
    case "glmm": c = ModelComparison.mixed(small.glmm!, large.glmm!)
    case "glm": c = ModelComparison.glm(small.glm!, large.glm!)
    default: c = ModelComparison.linear(small.lm!, large.lm!)
    }
    let refitted = kinds[0] == "lmm" && (small.reml || large.reml)
    var fields: [(String, ResultValue)] = [("kind", .string(kinds[0])), ("test", .string(c.test.rawValue))]
    if kinds[0] == "lmm" { fields.append(("refit", .bool(refitted))) }
    fields.append(("models", .array(zip([small, large], c.models).map { f, m in
      var v: [(String, ResultValue)] = [("name", .string(f.label)), ("formula", .string(f.formula)), ("npar", .int(m.npar)), ("nobs", .int(m.nobs)),
                                        ("AIC", .num(m.AIC)), ("BIC", .num(m.BIC)), ("logLik", .num(m.logLik)), ("deviance", .num(m.deviance))]
      if let d = m.dfResidual { v.append(("df_residual", .int(d))) }
      if let r = m.rss { v.append(("rss", .num(r))) }
      return .object(v)
    })))
    if c.test == .f {
      fields += [("F", .num(c.statistic)), ("df", .int(c.df)), ("df2", .int(c.dfDenominator ?? 0)), ("ss", .num(c.sumOfSquares ?? .nan)), ("p", .num(c.p))]
    } else {
      fields += [("chisq", .num(c.statistic)), ("df", .int(c.df)), ("p", .num(c.p))]
    }
    let value = ResultValue.object(fields)
    let method: String
    switch kinds[0] {
    case "lmm": method = "likelihood-ratio test of ML fits (lme4's anova)" + (refitted ? "; models refitted with ML, as lme4's anova" : "")
    case "glmm": method = "likelihood-ratio test of Laplace fits (lme4's anova of glmer models)"
    case "glm": method = "analysis of deviance, likelihood-ratio χ² (anova.glm, test = \"Chisq\")"
    default: method = "F test of the residual sums of squares (anova.lm)"
    }
    let model = table(label: inv.label, value: value, digits: 2)
    let html = model.html(id: inv.labelled ? inv.label : nil, number: ev.numbers[inv.label], caption: try o.string("caption"))
    // The ML refit of a REML model is a new fit: its warnings are this directive's.
    let warnings = refitted ? [small, large].flatMap { f in f.reml ? f.warnings.map { "'\(f.label)' refitted with ML: \($0)" } : [] } : []
    return DirectiveOutput(result: value, html: html, data: small.data, rowsUsed: small.rows.count, method: method, warnings: warnings.map { StatsWarning(message: $0) })
  }

  /// Refits the model of directive `ref` from its options (ML for an lmm).
  private static func refit(_ ref: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> Fitted {
    let o = OptionReader(ref, ev)
    let (name, table) = try ev.dataset(for: ref)
    let text = try o.requiredString("formula")
    switch ref.kind {
    case "lmm":
      let fit: LMMResult
      do {
        fit = try MixedModel.fit(try MixedFormula.parse(text), data: table, options: LMMOptions(reml: false, df: .none), evaluate: formulaEvaluator(table))
      } catch { throw ev.statsFailure(error, ref, option: "formula") }
      // Random terms as (grouping factor, column) pairs: (1 | g) + (0 + x | g) is nested in (x | g).
      let random = fit.ranef.flatMap { r in r.terms.map { r.factor + ": " + $0 } }
      return Fitted(label: ref.label, formula: text, data: name, rows: fit.rowsUsed, terms: fit.fixed.map(\.term), random: random,
                    npar: fit.npar, warnings: fit.warnings + (fit.converged ? [] : ["the optimiser did not converge"]),
                    reml: try o.bool("reml", default: true), lmm: fit)
    case "glmm":
      let family = GLMFamily(rawValue: try o.choice("family")) ?? .binomial
      let options = GLMMOptions(family: family, maxEvaluations: try o.integer("max_evaluations", range: 1...10_000_000))
      let fit: GLMMResult
      do {
        fit = try GeneralizedLinearMixedModel.fit(try MixedFormula.parse(text), data: table, options: options, evaluate: formulaEvaluator(table))
      } catch { throw ev.statsFailure(error, ref, option: "formula") }
      let random = fit.ranef.flatMap { r in r.terms.map { r.factor + ": " + $0 } }
      return Fitted(label: ref.label, formula: text, data: name, rows: fit.rowsUsed, terms: fit.coefficients.map(\.term), random: random,
                    npar: fit.npar, family: family.rawValue, glmm: fit)
    case "glm":
      let family = GLMFamily(rawValue: try o.choice("family", GLMDirective.families, default: "binomial")) ?? .binomial
      let fit: GLMResult
      do { fit = try GeneralizedLinearModel.fit(text, data: table, family: family, evaluate: formulaEvaluator(table)) } catch {
        throw ev.statsFailure(error, ref, option: "formula")
      }
      return Fitted(label: ref.label, formula: text, data: name, rows: fit.rowsUsed, terms: fit.coefficients.map(\.term),
                    npar: fit.coefficients.count, family: family.rawValue, glm: fit)
    default:
      let fit: RegressionResult
      do { fit = try Regression.fit(text, data: table, evaluate: formulaEvaluator(table)) } catch {
        throw ev.statsFailure(error, ref, option: "formula")
      }
      return Fitted(label: ref.label, formula: text, data: name, rows: fit.rowsUsed, terms: fit.coefficients.map(\.term),
                    npar: fit.coefficients.count + 1, lm: fit)
    }
  }

  /// The comparison as R prints it: per model npar, AIC, BIC, logLik, deviance (lmm; glm adds
  /// the residual df) or Res.Df and RSS (regress), the test on the larger model's row.
  static func table(label: String, value v: ResultValue, digits: Int) -> TableModel {
    let kind = v["kind"]?.string ?? ""
    if semKinds.contains(kind) { return semTable(label: label, value: v, digits: digits) }
    let f = { (x: ResultValue?, d: Int) in escapeHTML(Format.fixed(x?.double ?? .nan, d)) }
    let int = { (x: ResultValue?) in escapeHTML(Format.integer(x?.double ?? .nan)) }
    var header = ["Model"]
    var rows: [[TableModel.Cell]] = []
    let items: [ResultValue] = { if case .array(let a)? = v["models"] { return a }; return [] }()
    for (i, m) in items.enumerated() {
      let ref = "\(label).models[\(i)]"
      var row: [TableModel.Cell] = [.init(escapeHTML(m["name"]?.string ?? "") + ": " + "<code>" + escapeHTML(m["formula"]?.string ?? "") + "</code>")]
      if kind == "regress" {
        row += [.init(int(m["df_residual"]), ref: ref + ".df_residual"), .init(f(m["rss"], digits), ref: ref + ".rss")]
        row += i == 0 ? [.init(""), .init(""), .init(""), .init("")] :
          [.init(int(v["df"]), ref: "\(label).df"), .init(f(v["ss"], digits), ref: "\(label).ss"), .init(f(v["F"], digits), ref: "\(label).F"),
           .init(escapeHTML(Format.p(v["p"]?.double ?? .nan)), ref: "\(label).p")]
      } else {
        row += [.init(int(m["npar"]), ref: ref + ".npar"), .init(f(m["AIC"], digits), ref: ref + ".AIC"), .init(f(m["BIC"], digits), ref: ref + ".BIC"),
                .init(f(m["logLik"], digits), ref: ref + ".logLik")]
        if kind == "glm" { row.append(.init(int(m["df_residual"]), ref: ref + ".df_residual")) }
        row.append(.init(f(m["deviance"], digits), ref: ref + ".deviance"))
        row += i == 0 ? [.init(""), .init(""), .init("")] :
          [.init(f(v["chisq"], digits), ref: "\(label).chisq"), .init(int(v["df"]), ref: "\(label).df"),
           .init(escapeHTML(Format.p(v["p"]?.double ?? .nan)), ref: "\(label).p")]
      }
      rows.append(row)
    }
    if kind == "regress" {
      header += ["Residual " + APA.i("df"), "RSS", APA.i("df"), "Sum of squares", APA.i("F"), APA.i("p")]
    } else {
      header += [APA.i("k"), "AIC", "BIC", "log " + APA.i("L")] + (kind == "glm" ? ["Residual " + APA.i("df")] : []) + ["Deviance", "χ<sup>2</sup>", APA.i("df"), APA.i("p")]
    }
    let refit: Bool = { if case .bool(true)? = v["refit"] { return true }; return false }()
    var note: String
    switch kind {
    case "glmm": note = "Likelihood-ratio test of nested generalized linear mixed models (Laplace approximation); " + APA.i("k") + " = parameters"
    case "lmm": note = "Likelihood-ratio test of nested mixed models" + (refit ? "; models refitted with ML, as lme4's anova" : " (ML fits)") + "; " + APA.i("k") + " = parameters"
    case "glm": note = "Analysis of deviance (likelihood-ratio χ<sup>2</sup>); " + APA.i("k") + " = parameters"
    default: note = APA.i("F") + " test of nested linear models; RSS = residual sum of squares"
    }
    if let n = items.first?["nobs"]?.double { note += "; " + APA.i("N") + " = " + Format.integer(n) }
    return TableModel(header: header, rows: rows, note: note + ".")
  }

  /// APA fragment of the result: "χ²(2) = 42.14, *p* < .001" or "*F*(1, 29) = 12.38, *p* = .001".
  static func fragment(_ o: ResultValue) -> String? {
    if semKinds.contains(o["kind"]?.string ?? "") { return semFragment(o) }
    if let x = o["chisq"]?.double, let df = o["df"]?.double {
      return "χ<sup>2</sup>(" + APA.df(df) + ") = " + Format.fixed(x, 2) + (o["p"]?.double.map { ", " + APA.p($0) } ?? "")
    }
    if let f = o["F"]?.double, let d1 = o["df"]?.double, let d2 = o["df2"]?.double {
      return APA.i("F") + "(" + APA.df(d1) + ", " + APA.df(d2) + ") = " + Format.fixed(f, 2) + (o["p"]?.double.map { ", " + APA.p($0) } ?? "")
    }
    return nil
  }
}

extension CompareDirective {
  /// The models compared (`models: [m0, m1]`) are read before this directive runs.
  static func references(_ inv: Invocation) -> [(name: String, at: SourceLocation)] {
    guard case .list(let items, _)? = inv.node("models") else { return [] }
    return items.compactMap { it in it.scalarText.map { ($0, it.location) } }
  }
}
