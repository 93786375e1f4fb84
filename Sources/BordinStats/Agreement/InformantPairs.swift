// Agreement between each pair of informants: correlation, paired t-test and Bland–Altman limits.
//
// Implementation goals, in priority order: (1) R's numbers for each piece — `cor.test` (r),
// `t.test(x, y, paired = TRUE)` (mean difference, t, df, p) and the Bland–Altman statistics of
// `BlandAltmanLeh::bland.altman.stats` (bias, limits bias ± 1.96·SD with the n − 1 SD, and
// t-based confidence intervals of the limits with SE √(3s²/n)) — to 1e-8 relative, by reusing
// ``Correlation`` and ``TTest``; (2) one fixed multiplier: 1.96, the value of Bland & Altman
// (1986) and of BlandAltmanLeh's default `two = 1.96`, not qnorm(.975) = 1.959964 (the two differ
// at 2e-5 relative in the limits, well above the 1e-8 tolerance); (3) each pair on its own
// complete rows, so one informant's missing ratings do not remove the other pairs' rows.
//
// References: Bland, J. M. & Altman, D. G. (1986), Statistical methods for assessing agreement
// between two methods of clinical measurement, *Lancet* 327, 307–310; Bland, J. M. & Altman,
// D. G. (1999), Measuring agreement in method comparison studies, *Statistical Methods in
// Medical Research* 8, 135–160 (SE of a limit √(3s²/n)); Lehnert, B., `BlandAltmanLeh`.

/// Agreement statistics of one pair of informants (`pairs[]` in DESIGN.md §3). Differences are
/// x − y.
public struct InformantPair: Sendable, Equatable {
  public var x: String
  public var y: String
  /// Complete pairs used.
  public var n: Int
  /// Pearson r.
  public var r: Double
  /// mean(x − y).
  public var meanDiff: Double
  /// Paired t = mean(d)/(sd(d)/√n).
  public var t: Double
  /// n − 1.
  public var df: Double
  /// Two-sided p of t.
  public var p: Double
  /// Bland–Altman bias: mean(x − y) (`ba_bias`; equals `meanDiff`).
  public var baBias: Double
  /// SD of the differences with divisor n − 1.
  public var baSD: Double
  /// Limits of agreement bias ∓ 1.96·SD (`ba_loa_lb`, `ba_loa_ub`).
  public var baLoaLower: Double
  public var baLoaUpper: Double
  /// SE of either limit, √(3s²/n) (Bland & Altman 1999).
  public var baLoaSE: Double
  /// Confidence intervals of the limits: limit ± qt((1 + level)/2, n − 1)·SE.
  public var baLoaLowerCILower: Double
  public var baLoaLowerCIUpper: Double
  public var baLoaUpperCILower: Double
  public var baLoaUpperCIUpper: Double
}

/// Pairwise informant agreement.
public enum InformantPairs {
  /// The Bland–Altman multiplier: 1.96 exactly (Bland & Altman 1986; BlandAltmanLeh's `two`).
  public static let blandAltmanMultiplier = 1.96

  /// Agreement statistics for every pair of columns (i < j, in column order).
  /// - Parameters:
  ///   - columns: one column per informant (equal lengths; NaN is missing).
  ///   - names: informant names, one per column.
  ///   - level: confidence level of the limit intervals.
  /// - Throws: `StatsError` `too-few-raters` (fewer than two columns), and what
  ///   ``pair(_:_:names:level:)`` throws.
  public static func compute(_ columns: [[Double]], names: [String], level: Double = 0.95) throws
    -> [InformantPair]
  {
    precondition(columns.count == names.count, "one name per column")
    if columns.count < 2 {
      throw StatsError(
        code: "too-few-raters",
        message: "informant pairs need at least two informants; got \(columns.count)",
        remedy: "List two or more informant columns in 'raters'.")
    }
    var out: [InformantPair] = []
    for i in 0..<columns.count {
      for j in (i + 1)..<columns.count {
        out.append(try pair(columns[i], columns[j], names: (names[i], names[j]), level: level))
      }
    }
    return out
  }

  /// Agreement statistics of x and y on their complete pairs.
  ///
  /// ```
  /// d = x − y,  bias = d̄,  s = sd(d) (n − 1),  LoA = d̄ ∓ 1.96 s,
  /// SE(LoA) = √(3s²/n),  CI(LoA) = LoA ± qt((1 + level)/2, n − 1) SE(LoA),
  /// t = d̄/(s/√n) on n − 1 df,  r = Pearson r of (x, y)
  /// ```
  /// - Throws: `StatsError` `too-few-rows` (fewer than 3 complete pairs, as `cor.test`),
  ///   `zero-variance` (a constant informant, or constant differences), `bad-level`.
  public static func pair(
    _ x: [Double], _ y: [Double], names: (String, String) = ("x", "y"), level: Double = 0.95
  ) throws -> InformantPair {
    precondition(x.count == y.count, "x and y differ in length")
    let correlation = try Correlation.test(x, y, names: names)
    let test = try TTest.paired(x, y, level: level, names: names)
    let rows = x.indices.filter { !x[$0].isNaN && !y[$0].isNaN }
    let d = rows.map { x[$0] - y[$0] }
    let n = d.count
    let bias = Regression.mean(d)
    let s = TTest.variance(d, mean: bias).squareRoot()
    let lower = bias - blandAltmanMultiplier * s
    let upper = bias + blandAltmanMultiplier * s
    let se = (3 * s * s / Double(n)).squareRoot()
    let tq = Distributions.tQuantile(1 - (1 - level) / 2, df: Double(n - 1))
    return InformantPair(
      x: names.0, y: names.1, n: n, r: correlation.r, meanDiff: test.meanDiff, t: test.t,
      df: test.df, p: test.p, baBias: bias, baSD: s, baLoaLower: lower, baLoaUpper: upper,
      baLoaSE: se, baLoaLowerCILower: lower - tq * se, baLoaLowerCIUpper: lower + tq * se,
      baLoaUpperCILower: upper - tq * se, baLoaUpperCIUpper: upper + tq * se)
  }
}
