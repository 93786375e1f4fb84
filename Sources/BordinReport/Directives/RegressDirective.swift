import BordinData
import BordinStats

/// `regress`: ordinary least squares with R's formula syntax (`lm` + `summary.lm` + `confint`).
enum RegressDirective {
  static let definition = DirectiveDefinition(
    name: "regress",
    summary: "OLS regression with an R formula (factors, interactions, I() terms)",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "formula", type: .formula, required: true, help: "R formula, e.g. y ~ x * group"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level of the coefficient CIs"),
    ],
    fields: [
      FieldSpec(name: "coef[]", help: "term, estimate, se, t, p, ci_lb, ci_ub (key: R's term name)"),
      FieldSpec(name: "r2, adj_r2", help: "R² and adjusted R²"),
      FieldSpec(name: "F, df1, df2, p", help: "the overall F test"),
      FieldSpec(name: "sigma", help: "residual standard error"),
      FieldSpec(name: "n", help: "rows used"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let text = try o.requiredString("formula")
    let formula = try ev.checkFormula(text, inv, option: "formula", table: table, dataName: name)
    let level = try o.level()
    let fit: RegressionResult
    do {
      fit = try Regression.fit(formula, data: table, level: level, evaluate: formulaEvaluator(table))
    } catch {
      throw ev.statsFailure(error, inv, option: "formula")
    }
    return DirectiveOutput(
      result: value(fit, formula: text), data: name, rowsUsed: fit.n, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing values in \(formula.variables.joined(separator: ", "))" : nil,
      method: "OLS", warnings: fit.perfectFit ? [Self.perfectFitWarning] : [])
  }

  /// R's `summary.lm` warning, for a fit whose residual variance is ~0 relative to the fitted values.
  static let perfectFitWarning: StatsWarning = "essentially perfect fit: the residual variance is ~0, so the standard errors, t, p and intervals are unreliable (R: 'essentially perfect fit: summary may be unreliable'); check that the outcome is not a copy or a function of a predictor"

  static func value(_ fit: RegressionResult, formula: String) -> ResultValue {
    .object([
      ("formula", .string(formula)),
      ("coef", .array(fit.coefficients.map { c in
        .object([("term", .string(c.term)), ("estimate", .num(c.estimate)), ("se", .num(c.se)), ("t", .num(c.t)),
                 ("p", .num(c.p)), ("ci_lb", .num(c.ciLower)), ("ci_ub", .num(c.ciUpper))])
      })),
      ("r2", .num(fit.r2)), ("adj_r2", .num(fit.adjR2)), ("F", .num(fit.fStatistic)), ("df1", .int(fit.df1)),
      ("df2", .int(fit.df2)), ("p", .num(fit.fP)), ("sigma", .num(fit.sigma)), ("n", .int(fit.n)), ("level", .number(fit.level)),
    ])
  }
}
