// McDonald's omega total from a one-factor maximum-likelihood model.
//
// Implementation goals, in priority order: (1) the omega of a one-factor ML CFA as lavaan fits
// it (`cfa("F =~ i1 + … + ip", std.lv = TRUE)`, ML on the covariance matrix with divisor n),
// ω = (Σλ)²/((Σλ)² + Σθ), with loadings and residual variances in the items' metric, to the
// 1e-5 of optimised estimates (DESIGN.md §9) — computed at the exact ML optimum
// (``FactorAnalysis/oneFactorML(correlation:)``), which lavaan's default stopping point misses
// by ~1e-6; (2) not psych::omega: its default (three minres factors, oblimin, Schmid–Leiman) is
// iterative and rotation-dependent, and is not what the reference specifies; (3) listwise
// deletion (lavaan's default for ML) with the rows counted, and typed errors.
//
// References: McDonald, R. P. (1999), *Test Theory: A Unified Treatment*, Erlbaum, ch. 6
// (ω); Jöreskog, K. G. (1967) for the ML factor model; Rosseel, Y. (2012), lavaan: An R package
// for structural equation modeling, *Journal of Statistical Software* 48(2).

/// Omega total and the one-factor model behind it.
public struct OmegaResult: Sendable, Equatable {
  public var items: [String]
  /// ω_t = (Σλ)²/((Σλ)² + Σθ) (`omega_total`).
  public var omegaTotal: Double
  /// Loadings in the items' metric (lavaan `std.lv = TRUE` estimates; `loadings`).
  public var loadings: [Double]
  /// Residual variances θ in the items' metric (divisor n, as lavaan's ML).
  public var residualVariances: [Double]
  /// Standardised loadings and uniquenesses (the correlation metric; `factanal`'s).
  public var standardizedLoadings: [Double]
  public var uniquenesses: [Double]
  /// Likelihood-ratio χ² = n·F_ML against the saturated model, on p(p + 1)/2 − 2p df (lavaan's
  /// `chisq` under ML).
  public var chisq: Double
  public var df: Int
  /// Complete rows used.
  public var n: Int
  /// Rows dropped because an item was missing.
  public var rowsDropped: Int
  public var converged: Bool
  /// A uniqueness hit its lower bound (0.005): ω is then an upper-bound estimate.
  public var heywood: Bool
}

/// McDonald's omega.
public enum Omega {
  /// Omega total of items on their complete rows. Reversed items are multiplied by −1 (any
  /// reversal c − x gives the same covariances).
  /// - Parameters:
  ///   - columns: one column per item (equal lengths; NaN is missing).
  ///   - names: item names.
  ///   - reverse: names of reverse-keyed items.
  /// - Throws: `StatsError` `unknown-item`, `too-few-items` (< 3), `too-few-rows` (not more
  ///   complete rows than items), `zero-variance` (a constant item), and what
  ///   ``total(covariance:n:items:)`` throws.
  public static func total(_ columns: [[Double]], names: [String], reverse: [String] = []) throws
    -> OmegaResult
  {
    precondition(columns.count == names.count, "one name per item column")
    try Reliability.checkReverse(reverse, names: names)
    let p = columns.count
    if p < 3 {
      throw StatsError(
        code: "too-few-items",
        message: "omega from a one-factor model needs at least three items; got \(p)",
        remedy: "Add items, or report alpha only.")
    }
    let total = columns[0].count
    let rows = (0..<total).filter { i in columns.allSatisfy { !$0[i].isNaN } }
    let n = rows.count
    if n <= p {
      throw StatsError.tooFewRows("omega of \(p) items", have: n, need: p + 1)
    }
    let x = columns.enumerated().map { j, c in
      rows.map { reverse.contains(names[j]) ? -c[$0] : c[$0] }
    }
    let means = x.map { Regression.mean($0) }
    var s = Matrix(rows: p, cols: p)
    for a in 0..<p {
      for b in a..<p {
        var sum = 0.0
        for i in 0..<n { sum += (x[a][i] - means[a]) * (x[b][i] - means[b]) }
        s[a, b] = sum / Double(n)
        s[b, a] = s[a, b]
      }
    }
    for j in 0..<p where !(s[j, j] > 0) { throw StatsError.zeroVariance(names[j]) }
    var result = try self.total(covariance: s, n: n, items: names)
    result.rowsDropped = total - n
    return result
  }

  /// Omega total from a covariance matrix with divisor n (lavaan's ML sample covariance).
  ///
  /// ```
  /// R = D^{-1/2} S D^{-1/2},   (λ*, ψ) = one-factor ML solution of R
  /// λᵢ = λ*ᵢ √Sᵢᵢ,   θᵢ = ψᵢ Sᵢᵢ,   ω = (Σλ)² / ((Σλ)² + Σθ),   χ² = n F_ML
  /// ```
  /// - Throws: `StatsError` `too-few-items`, `zero-variance`, `not-positive-definite`.
  public static func total(covariance s: Matrix, n: Int, items: [String]) throws -> OmegaResult {
    let p = s.rows
    precondition(s.cols == p && items.count == p, "a p × p covariance with p names")
    for j in 0..<p where !(s[j, j] > 0) { throw StatsError.zeroVariance(items[j]) }
    let sd = (0..<p).map { s[$0, $0].squareRoot() }
    var r = Matrix(rows: p, cols: p)
    for j in 0..<p {
      for i in 0..<p { r[i, j] = i == j ? 1 : s[i, j] / (sd[i] * sd[j]) }
    }
    let solution: OneFactorSolution
    do {
      solution = try FactorAnalysis.oneFactorML(correlation: r)
    } catch let e as StatsError where e.code == "not-positive-definite" {
      throw StatsError(
        code: e.code,
        message: "the correlation matrix of \(items.map { "'\($0)'" }.joined(separator: ", ")) is singular",
        remedy: "Remove an item that duplicates the others, or add rows.")
    }
    let loadings = (0..<p).map { solution.loadings[$0] * sd[$0] }
    let theta = (0..<p).map { solution.uniquenesses[$0] * s[$0, $0] }
    let sumL = loadings.reduce(0, +)
    let omega = sumL * sumL / (sumL * sumL + theta.reduce(0, +))
    return OmegaResult(
      items: items, omegaTotal: omega, loadings: loadings, residualVariances: theta,
      standardizedLoadings: solution.loadings, uniquenesses: solution.uniquenesses,
      chisq: Double(n) * solution.objective, df: p * (p + 1) / 2 - 2 * p, n: n, rowsDropped: 0,
      converged: solution.converged, heywood: solution.heywood)
  }
}
