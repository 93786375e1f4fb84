import BordinData
import BordinStats

/// Glue between directives and BordinStats: formulas checked against the data, and the data
/// language evaluating `I(...)` terms (errors become diagnostics in ErrorDiagnostics.swift).
extension Evaluation {
  /// Checks that every variable of `formula` is a column of `table` before fitting.
  func checkFormula(_ text: String, _ inv: Invocation, option: String, table: Table, dataName: String) throws(DirectiveFailure) -> Formula {
    let f: Formula
    do { f = try Formula.parse(text) } catch { throw statsFailure(error, inv, option: option) }
    let r = OptionReader(inv, self)
    for v in f.variables { try r.checkColumn(v, option: option, in: table, dataName: dataName) }
    return f
  }
}

/// Evaluates `I(...)` and function terms of a formula with the data language.
func formulaEvaluator(_ table: Table) -> ModelMatrix.Evaluator {
  { code in
    let e = try ExpressionParser.parse(code)
    let c = try EvaluationContext(table: table).evaluate(e)
    guard let d = c.doubles else {
      throw StatsError(code: "non-numeric", message: "the term I(\(code)) is not numeric", remedy: "")
    }
    if let i = d.firstIndex(where: { $0.isInfinite }) {
      throw StatsError(code: "non-finite", message: "the term I(\(code)) is infinite in row \(i + 1)",
                       remedy: "avoid division by zero or overflow in the term, e.g. with ifelse(...)")
    }
    return d
  }
}

extension ResultValue {
  /// A number, or null when missing.
  static func num(_ x: Double?) -> ResultValue {
    guard let x, x.isFinite else { return .null }
    return .number(x)
  }
}
