import Foundation
import BordinData

// Effect sizes for meta-analysis, as metafor's `escalc`.
//
// Implementation goals, in priority order: (1) metafor's numbers to the last digit, by the same
// formulas in the same floating-point order (`ZCOR` is ½·log((1 + r)/(1 − r)), not `atanh`;
// the SMD bias correction is the exact gamma-function form, not Hedges' approximation);
// (2) bad input is a typed error naming the row and the value, never a silent NaN; (3) missing
// inputs are not errors: such rows are kept as NaN and counted as dropped by the fit.
//
// Reference: Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
// Journal of Statistical Software, 36(3), 1–48 (`escalc`, measures "ZCOR", "SMD", "OR", "RR", "RD",
// vtype "LS"); Fleiss, J. L., & Berlin, J. A. (2009). Effect sizes for dichotomous data. In The
// handbook of research synthesis and meta-analysis (2nd ed., pp. 237–253);
// Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
// estimators. Journal of Educational Statistics, 6(2), 107–128; Fisher, R. A. (1921). On the
// "probable error" of a coefficient of correlation. Metron, 1, 3–32.

/// Effect sizes yᵢ and sampling variances vᵢ, one per input row, ready for pooling.
///
/// Rows with a missing input have NaN `yi` and `vi`; the fit drops and counts them. Build values
/// with ``correlations(r:n:)``, ``standardizedMeanDifferences(m1:sd1:n1:m2:sd2:n2:)``,
/// ``twoByTwo(_:ai:bi:ci:di:add:drop00:)``,
/// ``init(yi:vi:)`` or ``init(yi:sei:)``.
public struct MetaEffects: Sendable, Equatable {
  /// The outcome measure (metafor's `measure`).
  public enum Measure: String, Sendable, Equatable {
    /// yᵢ and vᵢ given by the user (metafor "GEN").
    case generic = "GEN"
    /// Fisher's z of a correlation (metafor "ZCOR"); results are also reported as r.
    case zcor = "ZCOR"
    /// Bias-corrected standardized mean difference, Hedges' g (metafor "SMD").
    case smd = "SMD"
    /// Log odds ratio of a 2 × 2 table (metafor "OR"); results are also reported exponentiated.
    case logOddsRatio = "OR"
    /// Log risk ratio of a 2 × 2 table (metafor "RR"); results are also reported exponentiated.
    case logRiskRatio = "RR"
    /// Risk difference of a 2 × 2 table (metafor "RD").
    case riskDifference = "RD"

    /// The log-scale measures whose results are also shown as exp(·) (metafor `transf = exp`).
    public var isLogRatio: Bool { self == .logOddsRatio || self == .logRiskRatio }
  }

  public var measure: Measure
  /// Effect sizes, one per input row (NaN = missing).
  public var yi: [Double]
  /// Sampling variances, one per input row (NaN = missing).
  public var vi: [Double]
  /// Total sample size per row when known (ZCOR: n; SMD, OR, RR, RD: n₁ + n₂), NaN when missing.
  public var ni: [Double]?

  /// Number of input rows.
  public var rowCount: Int { yi.count }

  /// Indices (0-based) of the rows whose yᵢ and vᵢ are both present.
  public var completeRows: [Int] { yi.indices.filter { !yi[$0].isNaN && !vi[$0].isNaN } }

  /// Effect sizes with their sampling variances (metafor `rma(yi, vi)`).
  /// - Throws: `StatsError` `length-mismatch`; `non-positive-variance` for vᵢ ≤ 0;
  ///   `non-finite` for infinite values.
  public init(yi: [Double], vi: [Double], measure: Measure = .generic) throws {
    try Self.checkLengths(["yi": yi.count, "vi": vi.count])
    for i in yi.indices where !yi[i].isNaN && !vi[i].isNaN {
      if !yi[i].isFinite || !vi[i].isFinite {
        throw StatsError(
          code: "non-finite", message: "row \(i + 1) has an infinite effect size or variance",
          remedy: "Check the data of that study.")
      }
      if vi[i] <= 0 { throw Self.nonPositiveVariance(row: i, value: vi[i], name: "vi") }
    }
    self.measure = measure
    self.yi = yi.indices.map { yi[$0].isNaN || vi[$0].isNaN ? .nan : yi[$0] }
    self.vi = vi.indices.map { yi[$0].isNaN || vi[$0].isNaN ? .nan : vi[$0] }
    self.ni = nil
  }

  /// Effect sizes with their standard errors: vᵢ = seᵢ² (metafor `rma(yi, sei = sei)`).
  /// - Throws: as ``init(yi:vi:measure:)``; `non-positive-variance` for seᵢ ≤ 0.
  public init(yi: [Double], sei: [Double]) throws {
    try Self.checkLengths(["yi": yi.count, "sei": sei.count])
    for i in sei.indices where !sei[i].isNaN && sei[i] <= 0 {
      throw Self.nonPositiveVariance(row: i, value: sei[i], name: "sei")
    }
    try self.init(yi: yi, vi: sei.map { $0 * $0 })
  }

  /// Fisher's z of correlations (metafor `escalc("ZCOR")`).
  ///
  /// ```
  /// yᵢ = ½ log((1 + rᵢ)/(1 − rᵢ)),   vᵢ = 1/(nᵢ − 3)
  /// ```
  /// Rows with a missing r or n are kept as missing.
  /// - Throws: `StatsError` `correlation-out-of-range` for |r| ≥ 1 (metafor stops for |r| > 1;
  ///   r = ±1 gives an infinite z); `sample-size-too-small` for n ≤ 3 (metafor: "Cannot estimate
  ///   the sampling variance when ni <= 3"); `length-mismatch`.
  public static func correlations(r: [Double], n: [Double]) throws -> MetaEffects {
    try checkLengths(["r": r.count, "n": n.count])
    var yi = [Double](repeating: .nan, count: r.count)
    var vi = yi
    for i in r.indices where !r[i].isNaN && !n[i].isNaN {
      if !(abs(r[i]) < 1) {
        throw StatsError(
          code: "correlation-out-of-range",
          message: "the correlation in row \(i + 1) is \(formatShortest(r[i])); Fisher's z needs −1 < r < 1",
          remedy: "Check the value: a correlation of ±1 or beyond cannot be pooled.")
      }
      if !(n[i] > 3) || !n[i].isFinite {
        throw StatsError(
          code: "sample-size-too-small",
          message: "the sample size in row \(i + 1) is \(formatShortest(n[i])); the variance 1/(n − 3) needs n > 3",
          remedy: "Check the sample size, or remove the study.")
      }
      yi[i] = 1.0 / 2 * log((1 + r[i]) / (1 - r[i]))
      vi[i] = 1 / (n[i] - 3)
    }
    var out = try MetaEffects(yi: yi, vi: vi, measure: .zcor)
    out.ni = n
    return out
  }

  /// Hedges' g from two groups' means, SDs and sizes (metafor `escalc("SMD")`, vtype "LS").
  ///
  /// ```
  /// mᵢ = n₁ + n₂ − 2,   s_p = √(((n₁ − 1)s₁² + (n₂ − 1)s₂²)/mᵢ),   dᵢ = (x̄₁ − x̄₂)/s_p
  /// c(m) = exp(lgamma(m/2) − log √(m/2) − lgamma((m − 1)/2))      (exact bias correction)
  /// yᵢ = c(mᵢ)·dᵢ,   vᵢ = 1/n₁ + 1/n₂ + yᵢ²/(2(n₁ + n₂))
  /// ```
  /// - Throws: `StatsError` `negative-sd`, `sample-size-too-small` (a group size ≤ 0, or
  ///   n₁ + n₂ ≤ 3 where c(m) is undefined), `zero-variance` (both SDs 0), `length-mismatch`.
  public static func standardizedMeanDifferences(
    m1: [Double], sd1: [Double], n1: [Double], m2: [Double], sd2: [Double], n2: [Double]
  ) throws -> MetaEffects {
    try checkLengths([
      "m1": m1.count, "sd1": sd1.count, "n1": n1.count, "m2": m2.count, "sd2": sd2.count,
      "n2": n2.count,
    ])
    let count = m1.count
    var yi = [Double](repeating: .nan, count: count)
    var vi = yi
    var ni = yi
    for i in 0..<count {
      let values = [m1[i], sd1[i], n1[i], m2[i], sd2[i], n2[i]]
      if values.contains(where: \.isNaN) { continue }
      if sd1[i] < 0 || sd2[i] < 0 {
        throw StatsError(
          code: "negative-sd", message: "row \(i + 1) has a negative standard deviation",
          remedy: "Standard deviations must be ≥ 0; check the data.")
      }
      if !(n1[i] > 0) || !(n2[i] > 0) {
        throw StatsError(
          code: "sample-size-too-small", message: "row \(i + 1) has a group size ≤ 0",
          remedy: "Check the group sizes.")
      }
      let n = n1[i] + n2[i]
      let m = n - 2
      if !(m > 1) {
        throw StatsError(
          code: "sample-size-too-small",
          message: "row \(i + 1) has n₁ + n₂ = \(formatShortest(n)); the bias correction needs n₁ + n₂ > 3",
          remedy: "Remove the study or report its effect size with a variance (yi + vi).")
      }
      let sdp = (((n1[i] - 1) * sd1[i] * sd1[i] + (n2[i] - 1) * sd2[i] * sd2[i]) / m).squareRoot()
      if sdp == 0 {
        throw StatsError.zeroVariance("the pooled SD of row \(i + 1)")
      }
      let d = (m1[i] - m2[i]) / sdp
      let c = biasCorrection(m)
      let y = c * d
      yi[i] = y
      vi[i] = 1 / n1[i] + 1 / n2[i] + y * y / (2 * n)
      ni[i] = n
    }
    var out = try MetaEffects(yi: yi, vi: vi, measure: .smd)
    out.ni = ni
    return out
  }

  /// Effect sizes from 2 × 2 tables (metafor `escalc("OR" | "RR" | "RD", ai, bi, ci, di)` with
  /// its defaults `add = 1/2, to = "only0"`, vtype "LS"): aᵢ, bᵢ the events and non-events of
  /// group 1, cᵢ, dᵢ those of group 2.
  ///
  /// A table with a zero cell gets ½ added to all four cells first (`to = "only0"`); with
  /// `drop00`, a table with no events or no non-events in both groups (aᵢ = cᵢ = 0 or
  /// bᵢ = dᵢ = 0) is left missing instead (metafor `drop00 = TRUE`; its default is FALSE). Then,
  /// with n₁ = a + b, n₂ = c + d, p₁ = a/n₁, p₂ = c/n₂:
  /// ```
  /// OR:  yᵢ = log(p₁/(1 − p₁)) − log(p₂/(1 − p₂)),   vᵢ = 1/a + 1/b + 1/c + 1/d
  /// RR:  yᵢ = log p₁ − log p₂,                       vᵢ = 1/a − 1/n₁ + 1/c − 1/n₂
  /// RD:  yᵢ = p₁ − p₂,                               vᵢ = p₁(1 − p₁)/n₁ + p₂(1 − p₂)/n₂
  /// ```
  /// `ni` is n₁ + n₂ of the uncorrected table. Rows with a missing count are kept as missing.
  /// - Throws: `StatsError` `negative-count` (metafor: "One or more counts are negative"),
  ///   `non-integer-count` (counts must be whole numbers), `non-finite`, `length-mismatch`.
  public static func twoByTwo(
    _ measure: Measure, ai: [Double], bi: [Double], ci: [Double], di: [Double], add: Double = 0.5, drop00: Bool = false
  ) throws -> MetaEffects {
    precondition(measure == .logOddsRatio || measure == .logRiskRatio || measure == .riskDifference)
    try checkLengths(["ai": ai.count, "bi": bi.count, "ci": ci.count, "di": di.count])
    var yi = [Double](repeating: .nan, count: ai.count)
    var vi = yi
    var ni = yi
    for i in ai.indices {
      let cells = [("ai", ai[i]), ("bi", bi[i]), ("ci", ci[i]), ("di", di[i])]
      if cells.contains(where: { $0.1.isNaN }) { continue }
      for (name, v) in cells {
        if !v.isFinite {
          throw StatsError(code: "non-finite", message: "row \(i + 1) has an infinite count ('\(name)')", remedy: "Check the data of that study.")
        }
        if v < 0 {
          throw StatsError(code: "negative-count", message: "row \(i + 1) has a negative count ('\(name)' = \(formatShortest(v)))",
                           remedy: "Cell counts must be ≥ 0; check the data (with group sizes, the events must not exceed them).")
        }
        if v.rounded() != v {
          throw StatsError(code: "non-integer-count", message: "row \(i + 1) has a count that is not a whole number ('\(name)' = \(formatShortest(v)))",
                           remedy: "Give the numbers of participants with and without the event, not proportions or percentages.")
        }
      }
      var (a, b, c, d) = (ai[i], bi[i], ci[i], di[i])
      ni[i] = a + b + c + d
      if drop00 && ((a == 0 && c == 0) || (b == 0 && d == 0)) { continue }
      if a == 0 || b == 0 || c == 0 || d == 0 { a += add; b += add; c += add; d += add }
      let n1 = a + b, n2 = c + d
      let p1 = a / n1, p2 = c / n2
      switch measure {
      case .logRiskRatio:
        yi[i] = log(p1) - log(p2)
        vi[i] = 1 / a - 1 / n1 + 1 / c - 1 / n2
      case .logOddsRatio:
        yi[i] = log(p1 / (1 - p1)) - log(p2 / (1 - p2))
        vi[i] = 1 / a + 1 / b + 1 / c + 1 / d
      default:
        yi[i] = p1 - p2
        vi[i] = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
      }
    }
    var out = try MetaEffects(yi: yi, vi: vi, measure: measure)
    out.ni = ni
    return out
  }

  /// Group sizes to non-event counts for ``twoByTwo(_:ai:bi:ci:di:add:drop00:)`` (metafor's
  /// `bi = n1i − ai`): NaN stays NaN.
  /// - Throws: `StatsError` `count-exceeds-size` when events exceed the group size
  ///   (metafor: "One or more event counts are larger than the corresponding group sizes").
  public static func nonEvents(events: [Double], sizes: [Double], names: (events: String, size: String)) throws -> [Double] {
    try checkLengths([names.events: events.count, names.size: sizes.count])
    return try events.indices.map { i in
      if events[i] > sizes[i] {
        throw StatsError(code: "count-exceeds-size",
                         message: "row \(i + 1) has more events ('\(names.events)' = \(formatShortest(events[i]))) than participants ('\(names.size)' = \(formatShortest(sizes[i])))",
                         remedy: "Check the counts: '\(names.size)' is the group size, events included.")
      }
      return sizes[i] - events[i]
    }
  }

  /// metafor's `.cmicalc`: the exact small-sample correction of Hedges (1981),
  /// c(m) = Γ(m/2) / (√(m/2) Γ((m − 1)/2)), computed on the log scale. NaN for m ≤ 1.
  public static func biasCorrection(_ m: Double) -> Double {
    if !(m > 1) { return .nan }
    return exp(Distributions.logGamma(m / 2) - log((m / 2).squareRoot()) - Distributions.logGamma((m - 1) / 2))
  }

  static func checkLengths(_ counts: KeyValuePairs<String, Int>) throws {
    guard let first = counts.first else { return }
    for (name, c) in counts where c != first.value {
      throw StatsError(
        code: "length-mismatch",
        message: "'\(name)' has \(c) values but '\(first.key)' has \(first.value)",
        remedy: "Give one value per study for every input.")
    }
  }

  static func nonPositiveVariance(row: Int, value: Double, name: String) -> StatsError {
    StatsError(
      code: "non-positive-variance",
      message: "the sampling variance in row \(row + 1) is not positive ('\(name)' = \(formatShortest(value)))",
      remedy: "Every study needs a positive sampling variance; check the data or remove the study.")
  }
}
