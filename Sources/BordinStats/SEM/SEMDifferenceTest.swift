// The χ² difference (likelihood-ratio) test between nested structural equation models, as
// lavaan's `lavTestLRT(restricted, free)` computes it.
//
// ML:   Δχ² = χ²_r − χ²_f,  Δdf = df_r − df_f,  p = P(χ²_Δdf > Δχ²).
// MLR (lavTestLRT's default `method = "satorra.bentler.2001"`): with the unscaled statistics
// T_r, T_f and the scaling factors c_r, c_f (χ² / χ²_scaled) of the two models,
//   c_d = (df_r·c_r − df_f·c_f) / (df_r − df_f),   Δχ²* = (T_r − T_f) / c_d;
// a saturated free model (df_f = 0) has no scaling factor and contributes 0 (lavaan sets c_f = 1).
//
// References: Satorra, A., & Bentler, P. M. (2001). A scaled difference chi-square test statistic
// for moment structure analysis. *Psychometrika*, 66, 507–514.

import Foundation

/// The result of a χ² difference test.
public struct SEMDifferenceTest: Sendable, Equatable {
  /// Δχ² (scaled under MLR: Satorra–Bentler 2001).
  public var chisqDiff: Double
  public var dfDiff: Int
  public var p: Double
  /// The difference-test scaling factor c_d (MLR only).
  public var scalingFactor: Double?
  /// The unscaled difference T_r − T_f and its p (equal to `chisqDiff` and `p` under ML).
  public var unscaledChisqDiff: Double
  public var unscaledP: Double

  /// Compares two fitted models; which is the restricted one is decided by the df (the one with
  /// more df). Throws `not-nested` when the df are equal, `bad-option` when the estimators differ
  /// or the MLR scaling factors are missing, `negative-scaling` when c_d ≤ 0 (the scaled test is
  /// not defined: lavaan's warning).
  public static func compare(_ a: SEMResult, _ b: SEMResult) throws -> SEMDifferenceTest {
    guard a.fit.df != b.fit.df else {
      throw StatsError(
        code: "not-nested", message: "the two models have the same degrees of freedom (\(a.fit.df))",
        remedy: "A χ² difference test compares a model with a constrained (nested) version of it.")
    }
    guard a.estimator == b.estimator else {
      throw StatsError(
        code: "bad-option", message: "the two models use different estimators (\(a.estimator.rawValue), \(b.estimator.rawValue))",
        remedy: "Fit both models with the same estimator.")
    }
    let (r, f) = a.fit.df > b.fit.df ? (a.fit, b.fit) : (b.fit, a.fit)
    let dfd = r.df - f.df
    let raw = r.chisq - f.chisq
    var diff = raw
    var cd: Double? = nil
    if a.estimator == .mlr {
      guard let rr = r.robust, let cf = f.df == 0 ? 1 : f.robust?.scalingFactor, cf.isFinite, rr.scalingFactor.isFinite else {
        throw StatsError(
          code: "se-failed", message: "the scaled χ² of a model is not available",
          remedy: "The robust (MLR) statistics of one model could not be computed; compare the ML fits.")
      }
      let c = (Double(r.df) * rr.scalingFactor - Double(f.df) * cf) / Double(dfd)
      guard c > 0 else {
        throw StatsError(
          code: "negative-scaling",
          message: "the Satorra–Bentler difference scaling factor is not positive (\(c))",
          remedy: "The models may not be nested, or the sample is too small for the scaled difference test.")
      }
      cd = c
      diff /= c
    }
    return SEMDifferenceTest(
      chisqDiff: diff, dfDiff: dfd, p: Distributions.chiSquaredCDF(diff, df: Double(dfd), lowerTail: false),
      scalingFactor: cd, unscaledChisqDiff: raw,
      unscaledP: Distributions.chiSquaredCDF(raw, df: Double(dfd), lowerTail: false))
  }
}
