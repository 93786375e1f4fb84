import BordinData
import BordinStats

/// `discrepancy`: does disagreement between two informants predict an outcome? The polynomial
/// regression z ~ x + y + x² + xy + y² (+ controls) with the response-surface parameters a1–a5
/// (Edwards 1994; Shanock et al. 2010), beside the difference-score model z ~ (x − y) and the F
/// test of the constraints the difference score imposes.
enum DiscrepancyDirective {
  static let definition = DirectiveDefinition(
    name: "discrepancy",
    summary: "informant discrepancy → outcome: polynomial regression, response surface a1–a5, difference score",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "outcome", type: .column, required: true, help: "the outcome z"),
      OptionSpec(name: "x", type: .column, required: true, help: "informant x's rating (e.g. child)"),
      OptionSpec(name: "y", type: .column, required: true, help: "informant y's rating (e.g. therapist)"),
      OptionSpec(name: "controls", type: .columns, help: "covariates added to both models"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
    ],
    fields: [
      FieldSpec(name: "coef[]", help: "the polynomial model's coefficients (term, estimate, se, t, p, ci_lb, ci_ub)"),
      FieldSpec(name: "a1 … a5", help: "surface parameters: estimate, se, t, df, p"),
      FieldSpec(name: "r2, adj_r2, n", help: "fit of the polynomial model"),
      FieldSpec(name: "difference", help: "the difference-score model: coef[], r2"),
      FieldSpec(name: "constraint_F, constraint_df1, constraint_df2, constraint_p", help: "test of the difference-score constraints"),
    ],
    run: run,
    traits: [.cacheable])

  /// The fit and the observed ranges of the two ratings, for the surface plot.
  struct Model: Sendable {
    var fit: DiscrepancyResult
    var xRange: (Double, Double)
    var yRange: (Double, Double)
  }

  /// The observed range of column `c` (finite values).
  static func observedRange(_ t: Table, _ c: String) -> (Double, Double) {
    let v = (t[c]?.doubles ?? []).filter { $0.isFinite }
    return (v.min() ?? 0, v.max() ?? 1)
  }

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let z = try o.requiredColumn("outcome", in: table, dataName: name)
    let x = try o.requiredColumn("x", in: table, dataName: name)
    let y = try o.requiredColumn("y", in: table, dataName: name)
    let controls = try o.columns("controls", in: table, dataName: name) ?? []
    for c in [z, x, y] + controls { _ = try o.numeric(c, option: c == z ? "outcome" : c == x ? "x" : c == y ? "y" : "controls", in: table, dataName: name) }
    let fit: DiscrepancyResult
    do {
      fit = try DiscrepancyModel.fit(table, outcome: z, x: x, y: y, controls: controls, level: try o.level())
    } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: "x") }
    let lc = { (c: LinearCombination) -> ResultValue in
      .object([("estimate", .num(c.estimate)), ("se", .num(c.se)), ("t", .num(c.t)), ("df", .num(c.df)), ("p", .num(c.p))])
    }
    var fields = RegressDirective.value(fit.polynomial, formula: "").fields?.filter { $0.0 != "formula" } ?? []
    fields.insert(("outcome", .string(z)), at: 0)
    fields += [("a1", lc(fit.surface.a1)), ("a2", lc(fit.surface.a2)), ("a3", lc(fit.surface.a3)), ("a4", lc(fit.surface.a4)), ("a5", lc(fit.surface.a5))]
    fields.append(("difference", RegressDirective.value(fit.difference, formula: "")))
    fields += [("constraint_F", .num(fit.constraintTest.f)), ("constraint_df1", .int(fit.constraintTest.df1)),
               ("constraint_df2", .int(fit.constraintTest.df2)), ("constraint_p", .num(fit.constraintTest.p))]
    return DirectiveOutput(result: .object(fields), data: name, rowsUsed: fit.n, rowsDropped: table.rowCount - fit.n,
                           droppedReason: table.rowCount > fit.n ? "missing values in \(([z, x, y] + controls).joined(separator: ", "))" : nil,
                           method: "polynomial regression with response-surface parameters (Edwards 1994)",
                           model: Model(fit: fit, xRange: observedRange(table, x), yRange: observedRange(table, y)))
  }
}
