import BordinData
import BordinStats

/// `lmm`: a linear mixed model with lme4's formula syntax, fitted by the profiled REML or ML
/// deviance of Bates et al. (2015) with BOBYQA, with Satterthwaite df and p as lmerTest.
enum LMMDirective {
  static let definition = DirectiveDefinition(
    name: "lmm",
    summary: "linear mixed model (lme4 syntax), REML/ML, Satterthwaite df (lmerTest)",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset (long format)"),
      OptionSpec(name: "formula", type: .formula, required: true, help: "y ~ x + (1 + t | g), (t || g), (1 | a/b), crossed terms"),
      OptionSpec(name: "reml", type: .bool, defaultValue: "true", help: "REML (true) or ML (false)"),
      OptionSpec(name: "df", type: .choice(["satterthwaite", "none"]), defaultValue: "satterthwaite", help: "degrees of freedom for the fixed-effect tests"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level of the fixed-effect CIs"),
      OptionSpec(name: "blups", type: .bool, defaultValue: "false", help: "include the conditional modes (BLUPs) in the result"),
    ],
    fields: fields,
    run: run,
    traits: [.cacheable])

  static let fields: [FieldSpec] = [
    FieldSpec(name: "fixed[]", help: "term, estimate, se, df, t, p, ci_lb, ci_ub (key: R's term name)"),
    FieldSpec(name: "random[]", help: "grp, var1, var2, vcov, sdcor (as.data.frame(VarCorr(fit)))"),
    FieldSpec(name: "sigma, logLik, deviance, REMLcrit, AIC, BIC, npar, nobs", help: "fit"),
    FieldSpec(name: "ngroups[]", help: "name, levels per grouping factor"),
    FieldSpec(name: "converged, singular", help: "optimiser status and boundary fit"),
    FieldSpec(name: "ranef[]", help: "with blups: grp, term, level, value"),
  ]

  /// What the directive keeps for plots: the fit, the rows it used and the data.
  struct Model: Sendable {
    var fit: LMMResult
    var data: Table
    var time: String?
    var outcome: String?
    var groups: [String]
    var predictors: [String]
  }

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let text = try o.requiredString("formula")
    return try fit(inv, ev, o, name: name, table: table, formula: text, option: "formula", time: nil, predictors: [])
  }

  static func fit(_ inv: Invocation, _ ev: Evaluation, _ o: OptionReader, name: String, table: Table, formula text: String,
                  option: String, time: String?, predictors: [String]) throws(DirectiveFailure) -> DirectiveOutput {
    let formula: MixedFormula
    do { formula = try MixedFormula.parse(text) } catch { throw ev.statsFailure(error, inv, option: option) }
    for v in formula.fixed.variables + formula.random.flatMap(\.groupVariables) {
      try o.checkColumn(v, option: option, in: table, dataName: name)
    }
    let options = LMMOptions(reml: try o.bool("reml"),
                             df: try o.choice("df") == "none" ? .none : .satterthwaite,
                             level: try o.level())
    let fit: LMMResult
    do { fit = try MixedModel.fit(formula, data: table, options: options, evaluate: formulaEvaluator(table)) } catch {
      throw ev.statsFailure(error, inv, option: option)
    }
    var fields = value(fit)
    fields.insert(("formula", .string(text)), at: 0)
    if try o.bool("blups") {
      var items: [ResultValue] = []
      for r in fit.ranef {
        for (j, term) in r.terms.enumerated() {
          for (i, level) in r.levels.enumerated() {
            items.append(.object([("grp", .string(r.grp)), ("term", .string(term)), ("level", .string(level)), ("value", .num(r.values[i][j]))]))
          }
        }
      }
      fields.append(("ranef", .array(items)))
    }
    let groups = formula.random.flatMap(\.groupVariables)
    return DirectiveOutput(
      result: .object(fields), data: name, rowsUsed: fit.nobs, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing values in \((formula.fixed.variables + groups).joined(separator: ", "))" : nil,
      method: "\(options.reml ? "REML" : "ML"), BOBYQA on the profiled deviance; \(options.df == .satterthwaite ? "Satterthwaite df" : "no df")",
      warnings: fit.warnings,
      model: Model(fit: fit, data: table, time: time, outcome: formula.fixed.response, groups: groups, predictors: predictors))
  }

  static func value(_ f: LMMResult) -> [(String, ResultValue)] {
    var v: [(String, ResultValue)] = [
      ("fixed", .array(f.fixed.map { e in
        .object([("term", .string(e.term)), ("estimate", .num(e.estimate)), ("se", .num(e.se)), ("df", .num(e.df)), ("t", .num(e.t)),
                 ("p", .num(e.p)), ("ci_lb", .num(e.ciLower)), ("ci_ub", .num(e.ciUpper))])
      })),
      ("random", .array(f.random.map { c in
        .object([("grp", .string(c.grp)), ("var1", c.var1.map { .string($0) } ?? .null), ("var2", c.var2.map { .string($0) } ?? .null),
                 ("vcov", .num(c.vcov)), ("sdcor", .num(c.sdcor))])
      })),
      ("sigma", .num(f.sigma)), ("logLik", .num(f.logLik)), ("deviance", .num(f.mlDeviance)),
    ]
    if let r = f.remlCriterion { v.append(("REMLcrit", .num(r))) }
    v += [("AIC", .num(f.AIC)), ("BIC", .num(f.BIC)), ("npar", .int(f.npar)), ("nobs", .int(f.nobs)),
          ("ngroups", .array(f.ngroups.map { .object([("name", .string($0.name)), ("levels", .int($0.levels))]) })),
          ("reml", .bool(f.reml)), ("converged", .bool(f.converged)), ("singular", .bool(f.singular)), ("level", .number(f.level))]
    return v
  }
}
