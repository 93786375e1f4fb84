import BordinData
import BordinStats

/// `anova`: one- and two-way ANOVA and ANCOVA with type 2 or type 3 sums of squares and partial
/// η², as `car::Anova(lm(...))` (type 3 under `contr.sum`) and `effectsize::eta_squared`.
enum AnovaDirective {
  static let definition = DirectiveDefinition(
    name: "anova",
    summary: "ANOVA / ANCOVA table: type 2 or 3 sums of squares, F, p, partial η² (as car::Anova)",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "formula", type: .formula, required: true, help: "R formula, e.g. ext_post ~ format + ext_pre (factors: text columns)"),
      OptionSpec(name: "type", type: .choice(["2", "3"]), defaultValue: "3",
                 help: "3: each term adjusted for all others, sum-to-zero contrasts, lists (Intercept); 2: each term adjusted for the terms not containing it"),
    ],
    fields: [
      FieldSpec(name: "terms[]", help: "term, ss, df, F, p, eta2_partial (none for (Intercept)); key: R's term label"),
      FieldSpec(name: "residual_ss, residual_df", help: "the full model's residual sum of squares and df"),
      FieldSpec(name: "n, type", help: "rows used; the sums-of-squares type"),
    ],
    run: run,
    traits: [.cacheable],
    apa: { o, root in AnovaDirective.fragment(o, root: root) })

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let text = try o.requiredString("formula")
    let formula = try ev.checkFormula(text, inv, option: "formula", table: table, dataName: name)
    let type = try o.choice("type") == "2" ? 2 : 3
    let fit: AnovaResult
    do {
      fit = try AnalysisOfVariance.fit(formula, data: table, type: type, evaluate: formulaEvaluator(table))
    } catch {
      throw ev.statsFailure(error, inv, option: "formula")
    }
    return DirectiveOutput(
      result: value(fit, formula: text), data: name, rowsUsed: fit.n, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing values in \(formula.variables.joined(separator: ", "))" : nil,
      method: type == 3 ? "type 3 sums of squares, sum-to-zero contrasts (car::Anova)" : "type 2 sums of squares (car::Anova)",
      warnings: fit.warnings + (fit.model.perfectFit ? [RegressDirective.perfectFitWarning] : []))
  }

  static func value(_ fit: AnovaResult, formula: String) -> ResultValue {
    .object([
      ("formula", .string(formula)), ("type", .int(fit.type)),
      ("terms", .array(fit.terms.map { t in
        var f: [(String, ResultValue)] = [("term", .string(t.term)), ("ss", .num(t.ss)), ("df", .int(t.df)), ("F", .num(t.f)), ("p", .num(t.p))]
        if let e = t.eta2Partial { f.append(("eta2_partial", .num(e))) }
        return .object(f)
      })),
      ("residual_ss", .num(fit.residualSS)), ("residual_df", .int(fit.residualDF)), ("n", .int(fit.n)),
    ])
  }

  /// APA fragment of a term: "*F*(2, 48) = 8.50, *p* < .001, η²<sub>p</sub> = .26"; of the
  /// whole result, its error term: "*MS*<sub>error</sub> = 54.40, *df* = 336, *N* = 339".
  static func fragment(_ o: ResultValue, root: ResultValue) -> String? {
    if o["terms"] != nil, let rss = o["residual_ss"]?.double, let rdf = o["residual_df"]?.double {
      return APA.i("MS") + "<sub>error</sub> = " + escapeHTML(Format.fixed(rss / rdf, 2)) + ", " + APA.i("df") + " = " + APA.df(rdf) +
        (o["n"]?.double.map { ", " + APA.i("N") + " = " + Format.integer($0) } ?? "")
    }
    guard let f = o["F"]?.double, let df = o["df"]?.double, let rdf = root["residual_df"]?.double else { return nil }
    var s = APA.i("F") + "(" + APA.df(df) + ", " + APA.df(rdf) + ") = " + Format.fixed(f, 2)
    if let p = o["p"]?.double { s += ", " + APA.p(p) }
    if let e = o["eta2_partial"]?.double { s += ", " + etaSymbol + " = " + Format.fixed(e, 2, leadingZero: false) }
    return s
  }

  static let etaSymbol = APA.i("η") + "<sup>2</sup><sub>p</sub>"

  /// APA's ANOVA table: source, SS, df, MS, F, p, partial η², then the residual (error) row.
  static func table(label: String, value v: ResultValue, digits: Int, labels: Labels = Labels()) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    if case .array(let items)? = v["terms"] {
      for t in items {
        let term = t["term"]?.string ?? ""
        let ref = "\(label).terms[\"\(term)\"]"
        let ss = t["ss"]?.double ?? .nan, df = t["df"]?.double ?? .nan
        rows.append([
          .init(escapeHTML(labels.term(term))),
          .init(escapeHTML(Format.fixed(ss, digits)), ref: ref + ".ss"),
          .init(Format.integer(df), ref: ref + ".df"),
          .init(escapeHTML(Format.fixed(ss / df, digits))),
          .init(escapeHTML(Format.fixed(t["F"]?.double ?? .nan, 2)), ref: ref + ".F"),
          .init(escapeHTML(Format.p(t["p"]?.double ?? .nan)), ref: ref + ".p"),
          t["eta2_partial"]?.double.map { .init(escapeHTML(Format.fixed($0, 2, leadingZero: false)), ref: ref + ".eta2_partial") } ?? .init(""),
        ])
      }
    }
    let rss = v["residual_ss"]?.double ?? .nan, rdf = v["residual_df"]?.double ?? .nan
    rows.append([.init("Residuals"), .init(escapeHTML(Format.fixed(rss, digits)), ref: "\(label).residual_ss"),
                 .init(Format.integer(rdf), ref: "\(label).residual_df"), .init(escapeHTML(Format.fixed(rss / rdf, digits))),
                 .init(""), .init(""), .init("")])
    let type = v["type"]?.double == 2 ? "Type II sums of squares" : "Type III sums of squares (sum-to-zero contrasts)"
    let note = type + "; " + etaSymbol + " = partial η²; " + APA.i("N") + " = " + Format.integer(v["n"]?.double ?? .nan) + "."
    return TableModel(header: ["Source", APA.i("SS"), APA.i("df"), APA.i("MS"), APA.i("F"), APA.i("p"), etaSymbol], rows: rows, note: note)
  }
}
