import BordinData

// One-sample, paired, Welch and Student t-tests with Cohen's d, as R's `t.test`.
//
// Implementation goals, in priority order: (1) the numbers of `t.test` (statistic, Welch–
// Satterthwaite df, p, interval computed as R does: mu + (t ± q)·se) to 1e-8 relative; (2) R's
// refusals as typed errors (too few observations, essentially constant data); (3) one
// documented effect size per design.
//
// References: R Core Team, `stats::t.test`; Welch, B. L. (1947), The generalization of
// "Student's" problem when several different population variances are involved, *Biometrika*
// 34, 28–35; Cohen, J. (1988), *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.

/// Which t-test.
public enum TTestKind: String, Sendable, CaseIterable {
  case oneSample = "one-sample"
  case paired
  /// Unequal variances, Welch–Satterthwaite df (R's default).
  case welch
  /// Equal variances, pooled (`var.equal = TRUE`).
  case student
}

/// The result of a t-test.
public struct TTestResult: Sendable, Equatable {
  public var kind: TTestKind
  public var t: Double
  public var df: Double
  /// Two-sided p.
  public var p: Double
  /// mean(x) − mean(y) (two-sample), the mean of x − y (paired), or mean(x) − mu (one-sample).
  public var meanDiff: Double
  /// Standard error of `meanDiff`.
  public var se: Double
  /// Confidence interval for the mean difference (for the mean, one-sample) at `level`.
  public var ciLower: Double
  public var ciUpper: Double
  public var level: Double
  /// Cohen's d. Two-sample (Welch and Student alike): the difference over the pooled SD,
  /// (x̄ − ȳ)/√(((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2)). Paired: d_z = mean(x − y)/sd(x − y).
  /// One-sample: (x̄ − mu)/s.
  public var d: Double
  /// Group means (two-sample), or the mean of x and of y (paired), or the mean (one-sample).
  public var meanX: Double
  public var meanY: Double?
  /// Observations in x and y (paired: both are the number of complete pairs).
  public var nX: Int
  public var nY: Int?
  /// The group labels of a formula test (x is the first level), else nil.
  public var groups: [String]?
}

/// Student t-tests.
public enum TTest {
  /// One-sample t-test of H₀: mean = mu, as `t.test(x, mu = mu)`. NaN values are dropped.
  ///
  /// ```
  /// t = (x̄ − mu)/(s/√n),  df = n − 1,  CI = mu + (t ± qt(1 − α/2, df)) s/√n
  /// ```
  /// - Throws: `StatsError` `too-few-rows` (n < 2), `zero-variance` (essentially constant data).
  public static func oneSample(
    _ x: [Double], mu: Double = 0, level: Double = 0.95, name: String = "x"
  ) throws -> TTestResult {
    try checkLevel(level)
    let v = x.filter { !$0.isNaN }
    let n = v.count
    if n < 2 { throw StatsError.tooFewRows("a one-sample t-test of '\(name)'", have: n, need: 2) }
    let m = Regression.mean(v)
    let s2 = variance(v, mean: m)
    let se = (s2 / Double(n)).squareRoot()
    if se < 10 * Double.ulpOfOne * abs(m) || s2 == 0 { throw constant(name) }
    let t = (m - mu) / se
    let df = Double(n - 1)
    let (lo, hi) = interval(t: t, df: df, se: se, mu: mu, level: level)
    return TTestResult(
      kind: .oneSample, t: t, df: df, p: twoSided(t, df), meanDiff: m - mu, se: se,
      ciLower: lo, ciUpper: hi, level: level, d: (m - mu) / s2.squareRoot(), meanX: m,
      meanY: nil, nX: n, nY: nil, groups: nil)
  }

  /// Paired t-test, as `t.test(x, y, paired = TRUE)`: a one-sample test of the differences
  /// x − y over complete pairs. d is d_z = mean(x − y)/sd(x − y).
  /// - Throws: `StatsError` `too-few-rows` (fewer than 2 pairs), `zero-variance`.
  public static func paired(
    _ x: [Double], _ y: [Double], level: Double = 0.95, names: (String, String) = ("x", "y")
  ) throws -> TTestResult {
    precondition(x.count == y.count, "paired samples differ in length")
    let rows = x.indices.filter { !x[$0].isNaN && !y[$0].isNaN }
    if rows.count < 2 {
      throw StatsError.tooFewRows(
        "a paired t-test of '\(names.0)' and '\(names.1)'", have: rows.count, need: 2)
    }
    let diff = rows.map { x[$0] - y[$0] }
    var r: TTestResult
    do {
      r = try oneSample(diff, level: level, name: "\(names.0) − \(names.1)")
    } catch let e as StatsError where e.code == "zero-variance" {
      throw StatsError(
        code: e.code, message: "the differences '\(names.0)' − '\(names.1)' are essentially constant",
        remedy: e.remedy)
    }
    r.kind = .paired
    r.meanX = Regression.mean(rows.map { x[$0] })
    r.meanY = Regression.mean(rows.map { y[$0] })
    r.nY = rows.count
    return r
  }

  /// Two-sample t-test, as `t.test(x, y, var.equal = varEqual)`. NaN values are dropped per
  /// sample.
  ///
  /// Welch: se² = s₁²/n₁ + s₂²/n₂, df = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)).
  /// Student: s_p² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2), se² = s_p²(1/n₁ + 1/n₂), df = n₁+n₂−2.
  /// ```
  /// t = (x̄ − ȳ)/se,  CI = (t ± qt(1 − α/2, df)) se,  d = (x̄ − ȳ)/s_p
  /// ```
  /// - Throws: `StatsError` `too-few-rows`, `zero-variance`.
  public static func twoSample(
    _ x: [Double], _ y: [Double], varEqual: Bool = false, level: Double = 0.95,
    names: (String, String) = ("x", "y")
  ) throws -> TTestResult {
    try checkLevel(level)
    let a = x.filter { !$0.isNaN }
    let b = y.filter { !$0.isNaN }
    let nx = a.count
    let ny = b.count
    let need = varEqual ? 1 : 2
    if nx < need { throw StatsError.tooFewRows("the group '\(names.0)'", have: nx, need: need) }
    if ny < need { throw StatsError.tooFewRows("the group '\(names.1)'", have: ny, need: need) }
    if varEqual, nx + ny < 3 {
      throw StatsError.tooFewRows("a two-sample t-test", have: nx + ny, need: 3)
    }
    let mx = Regression.mean(a)
    let my = Regression.mean(b)
    let vx = nx > 1 ? variance(a, mean: mx) : 0
    let vy = ny > 1 ? variance(b, mean: my) : 0
    let pooledDF = Double(nx + ny - 2)
    var pooled = 0.0
    if nx > 1 { pooled += Double(nx - 1) * vx }
    if ny > 1 { pooled += Double(ny - 1) * vy }
    pooled /= pooledDF
    let se: Double
    let df: Double
    if varEqual {
      df = pooledDF
      se = (pooled * (1 / Double(nx) + 1 / Double(ny))).squareRoot()
    } else {
      let sx = vx / Double(nx)
      let sy = vy / Double(ny)
      se = (sx + sy).squareRoot()
      df = (se * se) * (se * se) / (sx * sx / Double(nx - 1) + sy * sy / Double(ny - 1))
    }
    if se < 10 * Double.ulpOfOne * max(abs(mx), abs(my)) || se == 0 {
      throw StatsError(
        code: "zero-variance",
        message: "the data of '\(names.0)' and '\(names.1)' are essentially constant",
        remedy: "A t-test needs variation within the groups.")
    }
    let t = (mx - my) / se
    let (lo, hi) = interval(t: t, df: df, se: se, mu: 0, level: level)
    return TTestResult(
      kind: varEqual ? .student : .welch, t: t, df: df, p: twoSided(t, df), meanDiff: mx - my,
      se: se, ciLower: lo, ciUpper: hi, level: level, d: (mx - my) / pooled.squareRoot(),
      meanX: mx, meanY: my, nX: nx, nY: ny, groups: nil)
  }

  /// Two-sample t-test from a formula `outcome ~ group` on a table, as
  /// `t.test(outcome ~ group, data)`: rows complete on both, the group column (text, logical
  /// or numeric) must have exactly two distinct values there; x is the first in sorted order.
  /// - Throws: ``FormulaError``; `StatsError` `bad-formula`, `unknown-column`,
  ///   `non-numeric-response`, `not-two-groups`, and those of ``twoSample(_:_:varEqual:level:names:)``.
  public static func twoSample(
    _ formula: String, data: Table, varEqual: Bool = false, level: Double = 0.95
  ) throws -> TTestResult {
    let f = try Formula.parse(formula)
    guard case .variable(let outcome)? = f.responseAtom, f.terms.count == 1,
      f.terms[0].atoms.count == 1, case .variable(let group) = f.terms[0].atoms[0]
    else {
      throw StatsError(
        code: "bad-formula", message: "a t-test formula must be 'outcome ~ group'; got '\(formula)'",
        remedy: "Name one numeric outcome and one grouping column.")
    }
    guard let yc = data[outcome] else { throw unknown(outcome, data) }
    guard let gc = data[group] else { throw unknown(group, data) }
    guard case .numeric(let y) = yc else {
      throw StatsError(
        code: "non-numeric-response", message: "the outcome '\(outcome)' is not numeric")
    }
    let labels: [String?]
    var numericOrder: [String: Double] = [:]
    switch gc {
    case .text(let v): labels = v
    case .logical(let v): labels = v.map { $0.map { $0 ? "TRUE" : "FALSE" } }
    case .numeric(let v):
      labels = v.map { $0.isNaN ? nil : formatShortest($0) }
      for x in v where !x.isNaN { numericOrder[formatShortest(x)] = x }
    }
    let rows = y.indices.filter { !y[$0].isNaN && labels[$0] != nil }
    let levels = Set(rows.compactMap { labels[$0] }).sorted { a, b in
      if let x = numericOrder[a], let y = numericOrder[b] { return x < y }
      return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
    guard levels.count == 2 else {
      throw StatsError(
        code: "not-two-groups",
        message: "'\(group)' must have exactly 2 groups in the rows used; got \(levels.count)"
          + (levels.isEmpty ? "" : " (\(levels.prefix(5).joined(separator: ", ")))"),
        remedy: "Filter the data to two groups.")
    }
    let x1 = rows.filter { labels[$0] == levels[0] }.map { y[$0] }
    let x2 = rows.filter { labels[$0] == levels[1] }.map { y[$0] }
    var r = try twoSample(
      x1, x2, varEqual: varEqual, level: level,
      names: ("\(group) = \(levels[0])", "\(group) = \(levels[1])"))
    r.groups = levels
    return r
  }

  // MARK: helpers

  /// Sample variance with n − 1, two-pass.
  static func variance(_ v: [Double], mean m: Double) -> Double {
    v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
  }

  private static func interval(t: Double, df: Double, se: Double, mu: Double, level: Double)
    -> (Double, Double)
  {
    let q = Distributions.tQuantile(1 - (1 - level) / 2, df: df)
    return (mu + (t - q) * se, mu + (t + q) * se)
  }

  private static func twoSided(_ t: Double, _ df: Double) -> Double {
    2 * Distributions.tCDF(-abs(t), df: df)
  }

  private static func checkLevel(_ level: Double) throws {
    guard level > 0, level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(level)")
    }
  }

  private static func constant(_ name: String) -> StatsError {
    StatsError(
      code: "zero-variance", message: "the data of '\(name)' are essentially constant",
      remedy: "A t-test needs variation in the data.")
  }

  private static func unknown(_ name: String, _ data: Table) -> StatsError {
    StatsError(
      code: "unknown-column", message: "column '\(name)' is not in the data",
      remedy: "Available columns: \(data.names.joined(separator: ", ")).")
  }
}
