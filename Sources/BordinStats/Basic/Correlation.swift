import Foundation

// Pearson and Spearman correlations with tests, partial correlations, correlation matrices.
//
// Implementation goals, in priority order: (1) the numbers of R's `cor.test` (t, df, p, Fisher-z
// interval; Spearman's p by AS 89 or the t approximation, chosen exactly as `cor.test` does) and
// of `psych::partial.r`, to 1e-8 relative; (2) typed errors instead of NaN for constant
// variables and too few pairs; (3) explicit missing-data handling (complete or pairwise).
//
// References: R Core Team, `stats::cor.test`; Best, D. J. & Roberts, D. E. (1975), Algorithm
// AS 89: The upper tail probabilities of Spearman's rho, *Applied Statistics* 24, 377–379;
// Fisher, R. A. (1921), On the "probable error" of a coefficient of correlation, *Metron* 1,
// 3–32; Revelle, W., `psych::partial.r`.

/// Which correlation coefficient.
public enum CorrelationMethod: String, Sendable, CaseIterable {
  /// Pearson's product-moment r.
  case pearson
  /// Spearman's ρ: Pearson's r of the ranks (average ranks for ties).
  case spearman
}

/// How a correlation matrix treats missing values (R's `use`).
public enum MissingValues: String, Sendable, CaseIterable {
  /// Listwise: only rows complete on every variable (`"complete.obs"`).
  case complete
  /// Each pair uses the rows complete on that pair (`"pairwise.complete.obs"`).
  case pairwise
}

/// A correlation (or partial correlation) between two variables with its test.
public struct CorrelationResult: Sendable, Equatable {
  public var x: String
  public var y: String
  public var method: CorrelationMethod
  /// Variables partialled out (empty for a zero-order correlation).
  public var given: [String]
  /// The coefficient (r or ρ, or the partial coefficient).
  public var r: Double
  /// t = r √(df / (1 − r²)); nil when the p-value did not come from t (Spearman, exact).
  public var t: Double?
  /// n − 2 − k (k = number of variables partialled out); nil with `t`.
  public var df: Int?
  /// Two-sided p.
  public var p: Double
  /// Fisher-z interval tanh(atanh(r) ± z_{(1+level)/2} / √(n − 3 − k)); nil for Spearman and
  /// when n − 3 − k ≤ 0 (as `cor.test`, which gives an interval only when n > 3).
  public var ciLower: Double?
  public var ciUpper: Double?
  /// Rows used.
  public var n: Int
  /// Spearman's S = (n³ − n)(1 − ρ)/6 (nil for Pearson).
  public var spearmanS: Double?
  /// True when Spearman's p came from AS 89 (no ties, n ≤ 1290).
  public var exact: Bool
}

/// All pairwise correlations among several variables.
public struct CorrelationMatrixResult: Sendable, Equatable {
  /// Variable names, in the requested order.
  public var names: [String]
  /// The k × k matrix of coefficients (1 on the diagonal).
  public var r: Matrix
  /// The pairs i < j in row order, with their tests.
  public var pairs: [CorrelationResult]
  public var method: CorrelationMethod
  public var use: MissingValues
  /// Rows complete on all variables (and the partialled ones); the number of rows used by
  /// every pair when `use` is `.complete`.
  public var completeRows: Int
}

/// Correlation estimators.
public enum Correlation {
  /// Correlation test on the rows where both values are present, as `cor.test(x, y, method)`.
  ///
  /// Pearson:
  /// ```
  /// t = √(n − 2) r / √(1 − r²),  p = 2 min(P(T ≤ t), P(T ≥ t)),  df = n − 2
  /// CI = tanh(atanh(r) ± qnorm((1 + level)/2) / √(n − 3))
  /// ```
  /// Spearman: ρ = r(rank x, rank y); S = (n³ − n)(1 − ρ)/6. Without ties and n ≤ 1290 the
  /// two-sided p is 2·AS 89 (exact enumeration for n ≤ 9, Edgeworth series above), with
  /// `round(S) + 2` for the lower tail as R; with ties the t approximation with n − 2 df
  /// (and R's warning "Cannot compute exact p-value with ties").
  /// - Parameters:
  ///   - x, y: equally long samples; NaN is missing.
  ///   - method: pearson (default) or spearman.
  ///   - level: confidence level of the Pearson interval.
  ///   - names: the variable names used in results and messages.
  /// - Throws: `StatsError` `too-few-rows` (fewer than 3 complete pairs), `zero-variance`.
  public static func test(
    _ x: [Double], _ y: [Double], method: CorrelationMethod = .pearson, level: Double = 0.95,
    names: (String, String) = ("x", "y")
  ) throws -> CorrelationResult {
    precondition(x.count == y.count, "x and y differ in length")
    let rows = x.indices.filter { !x[$0].isNaN && !y[$0].isNaN }
    return try pairTest(
      rows.map { x[$0] }, rows.map { y[$0] }, method: method, level: level, names: names)
  }

  private static func pairTest(
    _ x: [Double], _ y: [Double], method: CorrelationMethod, level: Double,
    names: (String, String)
  ) throws -> CorrelationResult {
    let n = x.count
    if n < 3 { throw StatsError.tooFewRows("a correlation test", have: n, need: 3) }
    try checkVariance(x, names.0)
    try checkVariance(y, names.1)
    switch method {
    case .pearson:
      let r = pearson(x, y)
      let df = n - 2
      let t = Double(df).squareRoot() * r / (1 - r * r).squareRoot()
      let p = 2 * min(
        Distributions.tCDF(t, df: Double(df)), Distributions.tCDF(t, df: Double(df), lowerTail: false))
      let ci = fisherInterval(r, effectiveN: n, level: level)
      return CorrelationResult(
        x: names.0, y: names.1, method: .pearson, given: [], r: r, t: t, df: df, p: p,
        ciLower: ci?.0, ciUpper: ci?.1, n: n, spearmanS: nil, exact: false)
    case .spearman:
      let rx = ranks(x)
      let ry = ranks(y)
      let r = pearson(rx, ry)
      let nd = Double(n)
      let q = (nd * nd * nd - nd) * (1 - r) / 6
      let ties = Set(x).count < n || Set(y).count < n
      let exact = !ties && n <= 1290
      func pspearman(_ q: Double, lowerTail: Bool) -> Double {
        if exact {
          return spearmanTail(n: n, s: q.rounded(.toNearestOrEven) + (lowerTail ? 2 : 0), lowerTail: lowerTail)
        }
        let den = nd * (nd * nd - 1) / 6
        let rr = 1 - q / den
        return Distributions.tCDF(
          rr / ((1 - rr * rr) / (nd - 2)).squareRoot(), df: nd - 2, lowerTail: !lowerTail)
      }
      let one = q > (nd * nd * nd - nd) / 6
        ? pspearman(q, lowerTail: false) : pspearman(q, lowerTail: true)
      let p = min(2 * one, 1)
      var t: Double? = nil
      var df: Int? = nil
      if !exact {
        df = n - 2
        t = r / ((1 - r * r) / (nd - 2)).squareRoot()
      }
      return CorrelationResult(
        x: names.0, y: names.1, method: .spearman, given: [], r: r, t: t, df: df, p: p,
        ciLower: nil, ciUpper: nil, n: n, spearmanS: q, exact: exact)
    }
  }

  /// Partial correlation of x and y given the `given` variables, as `psych::partial.r`, with a
  /// t test on n − 2 − k df and a Fisher-z interval with √(n − 3 − k).
  ///
  /// Uses rows complete on x, y and every given variable. For Spearman every variable is first
  /// replaced by its ranks. With P = R⁻¹ the inverse correlation matrix of (x, y, given):
  /// ```
  /// r_xy·z = −P₁₂ / √(P₁₁ P₂₂),  t = r √((n − 2 − k)/(1 − r²)),  df = n − 2 − k
  /// ```
  /// - Throws: `StatsError` `too-few-rows` (n − 2 − k < 1), `zero-variance`,
  ///   `not-positive-definite` (a given variable is collinear with the others).
  public static func partial(
    _ x: [Double], _ y: [Double], given: [[Double]], method: CorrelationMethod = .pearson,
    level: Double = 0.95, names: (String, String) = ("x", "y"), givenNames: [String]? = nil
  ) throws -> CorrelationResult {
    let gNames = givenNames ?? given.indices.map { "z\($0 + 1)" }
    precondition(gNames.count == given.count, "one name per given variable")
    let all = [x, y] + given
    precondition(all.allSatisfy { $0.count == x.count }, "variables differ in length")
    let rows = x.indices.filter { i in all.allSatisfy { !$0[i].isNaN } }
    return try partialOnRows(
      all.map { v in rows.map { v[$0] } }, method: method, level: level,
      names: [names.0, names.1] + gNames)
  }

  /// `vars[0]` with `vars[1]` given `vars[2...]`, all already restricted to complete rows.
  private static func partialOnRows(
    _ vars: [[Double]], method: CorrelationMethod, level: Double, names: [String]
  ) throws -> CorrelationResult {
    let k = vars.count - 2
    let n = vars[0].count
    if n - 2 - k < 1 {
      throw StatsError.tooFewRows("a partial correlation given \(k) variables", have: n, need: k + 3)
    }
    for (v, name) in zip(vars, names) { try checkVariance(v, name) }
    let data = method == .spearman ? vars.map(ranks) : vars
    var c = Matrix.identity(vars.count)
    for i in 0..<vars.count {
      for j in (i + 1)..<vars.count {
        let r = pearson(data[i], data[j])
        c[i, j] = r
        c[j, i] = r
      }
    }
    let pinv: Matrix
    do {
      // Exact collinearity leaves a rounding-sized pivot whose sign depends on the BLAS/LAPACK
      // build (Cholesky succeeds on one, fails on another): judge it on the eigenvalues, as R's
      // solve() judges the reciprocal condition number against machine epsilon.
      let ev = try LinearAlgebra.symmetricEigen(c).values
      if let hi = ev.first, let lo = ev.last, !(lo > 1e-12 * hi) {
        throw StatsError(code: "not-positive-definite", message: "the correlation matrix is singular")
      }
      pinv = try LinearAlgebra.inverseSPD(c)
    } catch let e as StatsError {
      throw StatsError(
        code: e.code,
        message: "the correlation matrix of \(names.joined(separator: ", ")) is singular",
        remedy: "One variable is a linear combination of the others; remove it.")
    }
    let r = max(-1, min(1, -pinv[0, 1] / (pinv[0, 0] * pinv[1, 1]).squareRoot()))
    let df = n - 2 - k
    let t = r * (Double(df) / (1 - r * r)).squareRoot()
    let p = 2 * Distributions.tCDF(-abs(t), df: Double(df))
    let ci = method == .pearson ? fisherInterval(r, effectiveN: n - k, level: level) : nil
    return CorrelationResult(
      x: names[0], y: names[1], method: method, given: Array(names[2...]), r: r, t: t, df: df,
      p: p, ciLower: ci?.0, ciUpper: ci?.1, n: n, spearmanS: nil, exact: false)
  }

  /// Correlations of every pair of `variables`, optionally partialling out `partial`.
  ///
  /// Each pair is tested as ``test(_:_:method:level:names:)`` (zero-order) or
  /// ``partial(_:_:given:method:level:names:givenNames:)``, on the rows complete on all variables
  /// (`.complete`) or on that pair and the partialled variables (`.pairwise`).
  /// - Throws: `StatsError` from the pair that fails first, naming its variables.
  public static func matrix(
    _ variables: [(name: String, values: [Double])], method: CorrelationMethod = .pearson,
    use: MissingValues = .complete, partial: [(name: String, values: [Double])] = [],
    level: Double = 0.95
  ) throws -> CorrelationMatrixResult {
    let all = variables + partial
    let count = variables.first?.values.count ?? 0
    precondition(all.allSatisfy { $0.values.count == count }, "variables differ in length")
    if variables.count < 2 {
      throw StatsError(
        code: "too-few-variables",
        message: "a correlation matrix needs at least 2 variables; got \(variables.count)")
    }
    for v in all where count > 0 && v.values.allSatisfy(\.isNaN) {
      throw StatsError(
        code: "all-missing", message: "'\(v.name)' has no non-missing values",
        remedy: "Check the column and the missing-value codes of the data source.")
    }
    let complete = (0..<count).filter { i in all.allSatisfy { !$0.values[i].isNaN } }
    var r = Matrix.identity(variables.count)
    var pairs: [CorrelationResult] = []
    for i in 0..<variables.count {
      for j in (i + 1)..<variables.count {
        let rows =
          use == .complete
          ? complete
          : (0..<count).filter { k in
            !variables[i].values[k].isNaN && !variables[j].values[k].isNaN
              && partial.allSatisfy { !$0.values[k].isNaN }
          }
        let pick = { (v: [Double]) in rows.map { v[$0] } }
        let res: CorrelationResult
        if partial.isEmpty {
          res = try pairTest(
            pick(variables[i].values), pick(variables[j].values), method: method, level: level,
            names: (variables[i].name, variables[j].name))
        } else {
          res = try partialOnRows(
            ([variables[i].values, variables[j].values] + partial.map(\.values)).map(pick),
            method: method, level: level,
            names: [variables[i].name, variables[j].name] + partial.map(\.name))
        }
        r[i, j] = res.r
        r[j, i] = res.r
        pairs.append(res)
      }
    }
    return CorrelationMatrixResult(
      names: variables.map(\.name), r: r, pairs: pairs, method: method, use: use,
      completeRows: complete.count)
  }

  /// Pearson's r of two complete, equally long samples (two-pass, clamped to [−1, 1], as R's
  /// `cor`). NaN when a variable is constant.
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    let mx = Regression.mean(x)
    let my = Regression.mean(y)
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices {
      let dx = x[i] - mx
      let dy = y[i] - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    let r = sxy / (sxx.squareRoot() * syy.squareRoot())
    return r.isNaN ? r : max(-1, min(1, r))
  }

  /// Ranks 1…n with ties given their average rank, as R's `rank(x)` (`ties.method = "average"`).
  public static func ranks(_ x: [Double]) -> [Double] {
    let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
    var out = [Double](repeating: 0, count: x.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, x[order[j + 1]] == x[order[i]] { j += 1 }
      let avg = Double(i + j + 2) / 2
      for k in i...j { out[order[k]] = avg }
      i = j + 1
    }
    return out
  }

  /// AS 89: P(S ≥ s) (or P(S < s) for the lower tail) for Spearman's S under independence.
  ///
  /// Exact enumeration of all n! permutations for n ≤ 9; otherwise the Edgeworth series of
  /// Best & Roberts (1975) with their coefficients, with x = (6(s − 1)/(n³ − n) − 1)√(n − 1):
  /// ```
  /// P(S ≥ s) ≈ 1 − Φ(x) + u e^{−x²/2},   clamped to [0, 1]
  /// ```
  /// - Parameters: n ≥ 2; s the (rounded, possibly shifted) statistic.
  static func spearmanTail(n: Int, s: Double, lowerTail: Bool) -> Double {
    let start: Double = lowerTail ? 0 : 1
    if n <= 1 || s <= 0 { return start }
    let nd = Double(n)
    let n3 = nd * (nd * nd - 1) / 3
    if s > n3 { return 1 - start }
    if n <= 9 {
      var factorial = 1
      for i in 1...n { factorial *= i }
      var count = 0
      if s == n3 {
        count = 1
      } else {
        // Heap's algorithm over permutations of 1...n; S = Σ (i − π(i))².
        var perm = Array(1...n)
        var c = [Int](repeating: 0, count: n)
        func statistic() -> Double {
          var sum = 0
          for i in 0..<n { let d = i + 1 - perm[i]; sum += d * d }
          return Double(sum)
        }
        if s <= statistic() { count += 1 }
        var i = 0
        while i < n {
          if c[i] < i {
            if i % 2 == 0 { perm.swapAt(0, i) } else { perm.swapAt(c[i], i) }
            if s <= statistic() { count += 1 }
            c[i] += 1
            i = 0
          } else {
            c[i] = 0
            i += 1
          }
        }
      }
      return Double(lowerTail ? factorial - count : count) / Double(factorial)
    }
    let c1 = 0.2274, c2 = 0.2531, c3 = 0.1745, c4 = 0.0758, c5 = 0.1033, c6 = 0.3932
    let c7 = 0.0879, c8 = 0.0151, c9 = 0.0072, c10 = 0.0831, c11 = 0.0131, c12 = 4.6e-4
    let b = 1 / nd
    let x = (6 * (s - 1) * b / (nd * nd - 1) - 1) * (nd - 1).squareRoot()
    let x2 = x * x
    let inner = c9 - c10 * b + x2 * b * (c11 - c12 * x2)
    let u = x * b * (c1 + b * (c2 + c3 * b) + x2 * (-c4 + b * (c5 + c6 * b) - x2 * b * (c7 + c8 * b - x2 * inner)))
    let corr = u / exp(x2 / 2)
    let p = (lowerTail ? -corr : corr) + Distributions.normalCDF(x, lowerTail: lowerTail)
    return min(1, max(0, p))
  }

  private static func fisherInterval(_ r: Double, effectiveN: Int, level: Double) -> (Double, Double)? {
    guard effectiveN > 3 else { return nil }
    let z = atanh(r)
    let half = Distributions.normalQuantile((1 + level) / 2) / Double(effectiveN - 3).squareRoot()
    return (tanh(z - half), tanh(z + half))
  }

  private static func checkVariance(_ v: [Double], _ name: String) throws {
    if let first = v.first, v.allSatisfy({ $0 == first }) { throw StatsError.zeroVariance(name) }
  }
}
