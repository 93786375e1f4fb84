import BordinData

// The formula functions R's `model.frame` understands itself rather than evaluating as data
// expressions: `factor(x)` (a numeric column as a factor, levels in numeric order),
// `ordered(x)` (the same levels with R's polynomial contrasts `contr.poly`: `.L`, `.Q`, `.C`),
// `poly(x, d)` (orthogonal polynomials of degree 1…d, as R's `stats::poly` with `raw = FALSE`)
// and `offset(…)` (a term with coefficient 1: regress and glm fit it, other models refuse it).
//
// Reference: R's src/library/stats/R/contr.poly.R (`contr.poly`, `make.poly`; `poly`: centred x, QR of the Vandermonde
// matrix, the three-term recurrence of `predict.poly`); Kennedy, W. J. & Gentle, J. E. (1980),
// *Statistical Computing*, §7.7 (orthogonal polynomials by the three-term recurrence).

/// A call in a formula that the model-matrix builder handles itself.
enum FormulaFunction {
  /// `factor(arg)`.
  case factor(Node)
  /// `ordered(arg)`: a factor with R's polynomial contrasts (`contr.poly`).
  case ordered(Node)
  /// `poly(arg, degree)`.
  case poly(Node, degree: Int)
  /// `offset(arg)`.
  case offset(Node)

  /// Recognises `factor(…)`, `poly(…, d)` and `offset(…)` in an expression atom's code.
  /// - Throws: `StatsError` `bad-expression` for a malformed `factor`/`poly`/`offset` call.
  static func recognise(_ code: String) throws -> FormulaFunction? {
    guard let name = code.split(separator: "(", maxSplits: 1).first.map(String.init),
      ["factor", "ordered", "poly", "offset"].contains(name)
    else { return nil }
    var parser = ExpressionParser(code)
    guard let node = try? parser.parseAll(), case .call(let f, let args) = node.kind else { return nil }
    switch f {
    case "factor", "ordered":
      guard args.count == 1 else {
        throw StatsError(
          code: "bad-expression", message: "'\(code)': \(f)() takes one argument (a column)",
          remedy: "Write \(f)(x); set the levels' order in a data step if needed.")
      }
      return f == "factor" ? .factor(args[0]) : .ordered(args[0])
    case "poly":
      guard args.count == 2, case .number(let d, _) = args[1].kind, d >= 1, d == d.rounded(), d <= 20 else {
        throw StatsError(
          code: "bad-expression",
          message: "'\(code)': poly() takes a variable and a whole degree from 1 to 20, e.g. poly(x, 2)",
          remedy: "Write poly(x, 2) (orthogonal polynomials; raw powers are I(x^2)).")
      }
      return .poly(args[0], degree: Int(d))
    case "offset":
      guard args.count == 1 else {
        throw StatsError(code: "bad-expression", message: "'\(code)': offset() takes one argument")
      }
      return .offset(args[0])
    default:
      return nil
    }
  }

  /// R's `contr.poly(k)`: the orthonormal polynomials of degree 1…k − 1 on the scores 1…k,
  /// one column per degree, named `.L`, `.Q`, `.C`, `^4`, … (suffixes of the term's columns).
  static func polynomialContrasts(levels k: Int) throws -> (columns: [[Double]], suffixes: [String]) {
    let columns = try orthogonalPolynomials((1...k).map(Double.init), degree: k - 1, label: "contr.poly")
    let suffixes = (1..<k).map { j in j == 1 ? ".L" : j == 2 ? ".Q" : j == 3 ? ".C" : "^\(j)" }
    return (columns, suffixes)
  }

  /// Orthogonal polynomials of degree 1…`degree` over `x`, as R's `poly(x, degree)`: the columns
  /// of the QR decomposition of the centred Vandermonde matrix, scaled to unit length, computed
  /// by the three-term recurrence (x centred at x̄):
  ///
  /// ```
  /// p₀ = 1,  p₁ = x − α₀,  pⱼ₊₁ = (x − αⱼ)pⱼ − (nⱼ/nⱼ₋₁)pⱼ₋₁,
  /// αⱼ = Σx pⱼ²/nⱼ,  nⱼ = Σpⱼ²;   column j = pⱼ/√nⱼ
  /// ```
  /// The signs are R's: each pⱼ is monic (QR's Q·diag(R) does not depend on the signs of R).
  /// - Throws: `StatsError` `missing-in-poly` (R: "missing values are not allowed in 'poly'")
  ///   and `poly-degree` when the degree is not less than the number of distinct values.
  static func orthogonalPolynomials(_ x: [Double], degree: Int, label: String) throws -> [[Double]] {
    if x.contains(where: { !$0.isFinite }) {
      throw StatsError(
        code: "missing-in-poly",
        message: "'\(label)': missing values are not allowed in poly() (as in R, the polynomials are computed on every row)",
        remedy: "Filter out the rows with a missing value first (a data step with a filter).")
    }
    if Set(x).count <= degree {
      throw StatsError(
        code: "poly-degree",
        message: "'\(label)': the degree must be less than the number of distinct values (\(Set(x).count))",
        remedy: "Lower the degree.")
    }
    let n = x.count
    let mean = x.reduce(0, +) / Double(n)
    let xc = x.map { $0 - mean }
    var previous = [Double](repeating: 1, count: n)
    var previousNorm = Double(n)
    var current = xc  // α₀ = 0 after centring
    var columns: [[Double]] = []
    for j in 1...degree {
      let norm = current.reduce(0) { $0 + $1 * $1 }
      columns.append(current.map { $0 / norm.squareRoot() })
      if j == degree { break }
      var sx = 0.0
      for i in 0..<n { sx += xc[i] * current[i] * current[i] }
      let alpha = sx / norm
      let ratio = norm / previousNorm
      let next = (0..<n).map { (xc[$0] - alpha) * current[$0] - ratio * previous[$0] }
      previous = current
      previousNorm = norm
      current = next
    }
    return columns
  }
}
