import BordinStats
import Foundation

/// One APA result typed in a document, judged against the p recomputed from its statistic.
///
/// The rules are statcheck 1.4's (Nuijten et al. 2016, Behav Res Methods 48; `error_test`,
/// `decision_error_test`, `OneTailedTxt = TRUE`), except where noted:
/// - The statistic was rounded to its printed decimals d, so it lies in |x| ± ½·10⁻ᵈ; that
///   interval gives p in [pLow, pHigh] (two-sided for t, z and r; upper tail for F, χ², Q).
/// - `p = v` is consistent when v lies in [round(pLow, dₚ), round(pHigh, dₚ)]; `p < v` when
///   v ≥ pLow; `p > v` when v ≤ pHigh; `ns` reads as `p > .05`. A statistic reported with `<`
///   or `>` bounds p on one side only (`t(30) < 1.00, p = .01` is inconsistent: t < 1 means
///   p > .32).
/// - A decision error is an inconsistency that moves p across α = .05, with p = .05 counted
///   significant (statcheck's `pEqualAlphaSig`): reported significant when `p ≤ .05` or
///   `p < v ≤ .05`; computed significant when p(x) ≤ .05.
/// - One-tailed: a two-sided inconsistency of t, z or r that fits with p halved is consistent
///   when *its own* sentence (bounded by the neighbouring results) says one-tailed, one-sided,
///   1-tailed or directional (statcheck looks at the whole text, and reads "non-directional"
///   as a cue).
/// - Beyond statcheck: values no test can have (|r| > 1, p > 1, p < 0, a negative F or χ²,
///   df ≤ 0) are `impossible`, not decision errors (statcheck drops them); `p = .000` is a
///   reporting error (APA: write p < .001) but, when the statistic fits, counts as consistent
///   (statcheck counts it an error).
public struct TypedResult: Sendable, Equatable {
  public enum Test: String, Sendable { case t, F, r, chi2 = "χ2", z, Q, Qb, Qw }
  public enum Relation: String, Sendable { case equal = "=", less = "<", greater = ">" }

  public enum Verdict: String, Sendable {
    case ok
    case okOneTailed = "ok-one-tailed"
    case inconsistent
    case decisionError = "decision-error"
    case impossible = "impossible-value"
    case reportingError = "reporting-error"
  }

  public var test: Test
  public var df1: Double?
  public var df2: Double?
  public var valueRelation: Relation
  public var value: Double
  public var valueDecimals: Int
  /// nil when reported as "ns".
  public var pRelation: Relation?
  /// The reported p (.05 for "ns").
  public var p: Double
  public var pDecimals: Int
  /// Whether the result's own sentence says the test was one-tailed.
  public var oneTailedCue: Bool

  public init(test: Test, df1: Double?, df2: Double?, valueRelation: Relation = .equal, value: Double, valueDecimals: Int,
              pRelation: Relation?, p: Double, pDecimals: Int, oneTailedCue: Bool = false) {
    self.test = test
    self.df1 = df1
    self.df2 = df2
    self.valueRelation = valueRelation
    self.value = value
    self.valueDecimals = valueDecimals
    self.pRelation = pRelation
    self.p = p
    self.pDecimals = pDecimals
    self.oneTailedCue = oneTailedCue
  }

  /// Whether a one-tailed reading exists for this test (t, z and r; F, χ² and Q are one-tailed already).
  public var hasTwoTails: Bool { test == .t || test == .z || test == .r }

  /// p for statistic `x`: two-sided (or one-sided when `twoTailed` is false) for t, z and r,
  /// the upper tail for F, χ² and Q. r is tested as t = r·√(df/(1−r²)).
  public func pValue(_ x: Double, twoTailed: Bool = true) -> Double {
    let x = abs(x)
    var p: Double
    switch test {
    case .t: p = Distributions.tTwoSidedP(x, df: df1 ?? .nan)
    case .z: p = 2 * Distributions.normalCDF(-x)
    case .r:
      let df = df1 ?? .nan
      p = x >= 1 ? 0 : Distributions.tTwoSidedP(x * (df / (1 - x * x)).squareRoot(), df: df)
    case .F: return Distributions.fCDF(x, df1: df1 ?? .nan, df2: df2 ?? .nan, lowerTail: false)
    case .chi2, .Q, .Qb, .Qw: return Distributions.chiSquaredCDF(x, df: df1 ?? .nan, lowerTail: false)
    }
    return twoTailed ? p : p / 2
  }

  /// The p computed from the statistic as printed (two-sided).
  public var recomputedP: Double { pValue(value) }

  /// The range of p over the rounding interval of the statistic.
  public func pRange(twoTailed: Bool = true) -> ClosedRange<Double> {
    let h = 0.5 * pow(10, -Double(valueDecimals))
    let lo = max(abs(value) - h, 0), hi = abs(value) + h
    let a = pValue(lo, twoTailed: twoTailed), b = pValue(hi, twoTailed: twoTailed)
    return min(a, b)...max(a, b)
  }

  /// Why no test can have these numbers, or nil.
  public var impossibility: String? {
    if test == .r, abs(value) > 1 { return "a correlation lies in [−1, 1]" }
    if (test == .F || test == .chi2 || test == .Q || test == .Qb || test == .Qw), value < 0 { return "\(test.rawValue) cannot be negative" }
    if p > 1 { return "p cannot exceed 1" }
    if pRelation == .less, p <= 0 { return "p cannot be below 0" }
    if let d = df1, d <= 0 { return "degrees of freedom must be positive" }
    if let d = df2, d <= 0 { return "degrees of freedom must be positive" }
    return nil
  }

  /// Whether the reported p contradicts the statistic (statcheck's `error_test`).
  public func isError(twoTailed: Bool = true) -> Bool {
    let r = pRange(twoTailed: twoTailed)
    let low = r.lowerBound, up = r.upperBound
    let rel = pRelation ?? .greater
    let rp = p
    func round(_ x: Double) -> Double {
      let s = pow(10, Double(pDecimals))
      return (x * s).rounded(.toNearestOrAwayFromZero) / s
    }
    // Compare rounded numbers up to floating noise (round(.0455 → .046) vs a typed .046).
    let eps = 1e-12
    switch (valueRelation, rel) {
    case (.equal, .equal): return rp > round(up) + eps || rp < round(low) - eps
    case (.equal, .less): return rp < low
    case (.equal, .greater): return rp > up
    case (.less, .equal): return rp < round(up) - eps
    case (.less, .less): return rp < up
    case (.less, .greater): return false
    case (.greater, .equal): return rp > round(low) + eps
    case (.greater, .less): return false
    case (.greater, .greater): return rp > low
    }
  }

  /// Whether an inconsistency moves p across α (statcheck's `decision_error_test`, p = α significant).
  public func crossesAlpha(computed: Double, alpha: Double = 0.05) -> Bool {
    let rel = pRelation ?? .greater
    switch (valueRelation, rel) {
    case (.equal, .equal): return (p <= alpha && computed > alpha) || (p > alpha && computed <= alpha)
    case (.equal, .less): return p <= alpha && computed > alpha
    case (.equal, .greater): return p >= alpha && computed <= alpha
    case (.less, .equal), (.less, .less): return p <= alpha && computed >= alpha
    case (.greater, .equal): return p > alpha && computed <= alpha
    case (.greater, .greater): return p >= alpha && computed <= alpha
    case (.less, .greater), (.greater, .less): return false
    }
  }

  /// The judgement, and the p recomputed under the reading it used (halved when one-tailed).
  public var judgement: (verdict: Verdict, computedP: Double) {
    if impossibility != nil { return (.impossible, recomputedP) }
    let computed = recomputedP
    if !isError() { return (pRelation == .equal && p == 0 ? .reportingError : .ok, computed) }
    if oneTailedCue, hasTwoTails, !isError(twoTailed: false) { return (.okOneTailed, computed / 2) }
    return (crossesAlpha(computed: computed) ? .decisionError : .inconsistent, computed)
  }

  public var verdict: Verdict { judgement.verdict }
}
