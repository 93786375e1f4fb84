/// Recomputing the p-value of a reported test statistic (what statcheck does for papers):
/// given "t(58) = 2.10, p = .04", is p consistent with t and df, allowing for rounding?
///
/// The reported statistic was rounded to its printed decimals, so the true value lies in
/// [x − ½·10⁻ᵈ, x + ½·10⁻ᵈ]; the result is consistent when the reported p (with its relation
/// and its own rounding) agrees with some p in the range of p-values that interval implies.
/// A result is also accepted as one-tailed when the text says so and p/2 fits. A *decision*
/// error is an inconsistency that moves p across α = .05. (Nuijten et al. 2016, Behav Res 48.)
public struct ReportedStatistic: Sendable, Equatable {
  public enum Test: String, Sendable { case t, F, r, chi2, z, Q }
  public enum Relation: String, Sendable { case equal = "=", less = "<", greater = ">" }

  public var test: Test
  public var df1: Double?
  public var df2: Double?
  public var value: Double
  /// Decimals printed for the statistic.
  public var decimals: Int
  public var relation: Relation
  public var p: Double
  /// Decimals printed for p.
  public var pDecimals: Int
  public var oneTailedMentioned: Bool

  public init(test: Test, df1: Double?, df2: Double?, value: Double, decimals: Int, relation: Relation, p: Double, pDecimals: Int,
              oneTailedMentioned: Bool = false) {
    self.test = test
    self.df1 = df1
    self.df2 = df2
    self.value = value
    self.decimals = decimals
    self.relation = relation
    self.p = p
    self.pDecimals = pDecimals
    self.oneTailedMentioned = oneTailedMentioned
  }

  /// The two-sided p for statistic `x` (upper tail for F, χ² and Q).
  public func pValue(_ x: Double) -> Double {
    switch test {
    case .t: return Distributions.tTwoSidedP(x, df: df1 ?? .nan)
    case .z: return 2 * Distributions.normalCDF(-abs(x))
    case .F: return Distributions.fCDF(x, df1: df1 ?? .nan, df2: df2 ?? .nan, lowerTail: false)
    case .chi2, .Q: return Distributions.chiSquaredCDF(x, df: df1 ?? .nan, lowerTail: false)
    case .r:
      let df = df1 ?? .nan
      guard abs(x) < 1 else { return 0 }
      return Distributions.tTwoSidedP(x * (df / (1 - x * x)).squareRoot(), df: df)
    }
  }

  /// The p computed from the statistic as printed.
  public var recomputedP: Double { pValue(value) }

  /// The range of p over the rounding interval of the statistic.
  public var pRange: ClosedRange<Double> {
    let h = 0.5 * pow10(-decimals)
    var lo = abs(value) - h, hi = abs(value) + h
    if test == .r { hi = min(hi, 0.999_999_999) }
    if test != .t && test != .z && test != .r { lo = max(lo, 0) } else { lo = max(lo, 0) }
    let a = pValue(lo), b = pValue(hi)
    return min(a, b)...max(a, b)
  }

  /// Whether the reported p agrees with the statistic (two-sided), allowing for rounding.
  public var consistentTwoSided: Bool { fits(pRange) }

  /// Whether it agrees as a one-tailed test (p halved), when the text says one-tailed.
  public var consistentOneTailed: Bool {
    guard oneTailedMentioned, test == .t || test == .z || test == .r else { return false }
    let r = pRange
    return fits((r.lowerBound / 2)...(r.upperBound / 2))
  }

  public var consistent: Bool { consistentTwoSided || consistentOneTailed }

  /// An inconsistency that changes the decision at α = .05.
  public var decisionError: Bool {
    guard !consistent else { return false }
    let computedSignificant = recomputedP < 0.05
    let reportedSignificant: Bool
    switch relation {
    case .equal: reportedSignificant = p < 0.05
    case .less: reportedSignificant = p <= 0.05
    case .greater: reportedSignificant = false
    }
    return computedSignificant != reportedSignificant
  }

  private func fits(_ range: ClosedRange<Double>) -> Bool {
    switch relation {
    case .equal:
      // The reported p is a rounded number: it matches when some p in range rounds to it.
      let h = 0.5 * pow10(-pDecimals)
      return range.upperBound >= p - h && range.lowerBound <= p + h
    case .less: return range.lowerBound < p
    case .greater: return range.upperBound > p
    }
  }

  private func pow10(_ e: Int) -> Double {
    var x = 1.0
    for _ in 0..<abs(e) { x *= 10 }
    return e < 0 ? 1 / x : x
  }
}
