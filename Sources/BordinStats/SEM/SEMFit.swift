// Fit measures of a structural equation model, as lavaan's `fitMeasures` (0.6-14) computes them
// for estimator ML, one group, normal likelihood (divisor N throughout).
//
// Implementation goals, in priority order: (1) lavaan's numbers at the optimum, including the
// RMSEA interval, lavaan's `uniroot` equations solved to rounding rather than at its default
// tolerance (see RootFinding.swift); (2) formulas stated here, with their references.
//
//   χ²    = 2 (log L_h1 − log L_h0)   (under FIML: h1 = the EM saturated model; lavaan `chisq`)
//   df    = p(p+1)/2 + p − npar       (means counted when the model has a mean structure)
//   p     = P(χ²_df > χ²)
//   CFI   = 1 − max(χ² − df, 0) / max(χ² − df, χ²_b − df_b, 0)            (Bentler 1990)
//   TLI   = 1 − (χ² − df)·df_b / ((χ²_b − df_b)·df)              (Tucker & Lewis 1973)
//   RMSEA = √max((χ²/N)/df − 1/N, 0)                                   (Steiger 1990)
//   RMSEA 90% CI: λ_L, λ_U solve pchisq(χ², df, ncp = λ) = .95 and .05 (uniroot on [0, χ²] and
//          [0, max(N, 4χ²)]); limits √(λ/(N·df)), 0 when the root does not exist
//   SRMR  = √( (Σ_{i≤j} r_ij² + Σ_i r_i²) / (p(p+1)/2 + p) ),  r_ij = (s_ij − σ̂_ij)/√(s_ii s_jj),
//           r_i = (m_i − μ̂_i)/√s_ii; s and m are the h1 (EM) moments; without a mean
//           structure the r_i terms and the "+ p" are dropped (lavaan `srmr` = `srmr_bentler`)
//   AIC   = −2 log L + 2 npar,  BIC = −2 log L + npar·log N
// The baseline (independence) model has free means and variances and no covariances except
// among the k exogenous observed variables (lavaan `baseline.fixed.x.free.cov`, applied also
// with fixed.x = FALSE); df_b = p(p−1)/2 − k(k−1)/2.
//
// References: Bentler, P. M. (1990). Comparative fit indexes in structural models.
// *Psychological Bulletin*, 107, 238–246. Steiger, J. H. (1990). Structural model evaluation and
// modification: An interval estimation approach. *Multivariate Behavioral Research*, 25,
// 173–180. Tucker, L. R., & Lewis, C. (1973). *Psychometrika*, 38, 1–10. Bentler, P. M. (1995).
// *EQS structural equations program manual* (SRMR).

import Foundation

/// The fit measures of a structural equation model (lavaan `fitMeasures` names in comments).
public struct SEMFitMeasures: Sendable, Equatable {
  /// Likelihood-ratio χ² against the saturated model (`chisq`).
  public var chisq: Double
  /// Degrees of freedom (`df`).
  public var df: Int
  /// P(χ²_df > chisq) (`pvalue`); NaN when df = 0.
  public var p: Double
  /// Comparative fit index (`cfi`).
  public var cfi: Double
  /// Tucker–Lewis index (`tli`).
  public var tli: Double
  /// Root mean square error of approximation (`rmsea`).
  public var rmsea: Double
  /// Lower limit of the 90% RMSEA interval (`rmsea.ci.lower`).
  public var rmseaCILower: Double
  /// Upper limit of the 90% RMSEA interval (`rmsea.ci.upper`).
  public var rmseaCIUpper: Double
  /// Standardized root mean square residual, Bentler's (`srmr`).
  public var srmr: Double
  /// Log-likelihood of the model (`logl`).
  public var logLik: Double
  /// Log-likelihood of the saturated model (`unrestricted.logl`).
  public var logLikH1: Double
  /// `aic`
  public var aic: Double
  /// `bic`
  public var bic: Double
  /// Rows used (`ntotal`).
  public var n: Int
  /// Number of free parameters (`npar`).
  public var npar: Int
  /// χ² of the baseline (independence) model (`baseline.chisq`).
  public var baselineChisq: Double
  /// df of the baseline model (`baseline.df`).
  public var baselineDf: Int
  /// Scaled and robust measures (estimator MLR); nil under ML.
  public var robust: SEMRobustFitMeasures? = nil
}

enum SEMFit {
  /// lavaan `lav_fit_rmsea_ci`: the RMSEA interval at `level` (0.90), with both noncentrality
  /// roots at rounding (`RootFinder.tightTolerance`) instead of lavaan's default `uniroot` tol
  /// 1.2e-4, which leaves e.g. the upper limit of riclpm-4wave 3.5e-7 relative off (R:
  /// Tests/Fixtures/r/meta-roots-tight.R, `uniroot(tol = .Machine$double.xmin)`).
  static func rmseaInterval(chisq x2: Double, df: Int, n: Int, level: Double = 0.90) -> (Double, Double) {
    guard x2.isFinite, df >= 1 else { return (df < 1 ? 0 : .nan, df < 1 ? 0 : .nan) }
    let d = Double(df)
    let upperPerc = 1 - (1 - level) / 2
    let lowerPerc = (1 - level) / 2
    let lowerLambda = { (l: Double) -> Double in
      Distributions.noncentralChiSquaredCDF(x2, df: d, ncp: l) - upperPerc
    }
    let upperLambda = { (l: Double) -> Double in
      Distributions.noncentralChiSquaredCDF(x2, df: d, ncp: l) - lowerPerc
    }
    let nn = Double(n)
    var lower = 0.0
    let l0 = lowerLambda(0)
    if !(l0 < 0) {
      let fu = lowerLambda(x2)
      if l0 * fu <= 0,
        let r = RootFinding.zeroin(
          lowerLambda, lower: 0, upper: x2, fLower: l0, fUpper: fu, tol: RootFinder.tightTolerance)
      {
        lower = (r.root / (nn * d)).squareRoot()
      } else {
        lower = .nan
      }
    }
    var upper = 0.0
    let nRMSEA = max(nn, x2 * 4)
    let uN = upperLambda(nRMSEA)
    let u0 = upperLambda(0)
    if !(uN > 0 || u0 < 0) {
      if let r = RootFinding.zeroin(
        upperLambda, lower: 0, upper: nRMSEA, fLower: u0, fUpper: uN, tol: RootFinder.tightTolerance) {
        upper = (r.root / (nn * d)).squareRoot()
      } else {
        upper = .nan
      }
    }
    return (lower, upper)
  }

  /// Bentler's SRMR of implied moments against h1 moments.
  static func srmr(
    s: Matrix, m: [Double], sigma: Matrix, mu: [Double], meanstructure: Bool
  ) -> Double {
    let p = s.rows
    var sum = 0.0
    for j in 0..<p {
      for i in j..<p {
        let r = (s[i, j] - sigma[i, j]) / (s[i, i] * s[j, j]).squareRoot()
        sum += r * r
      }
    }
    var count = Double(p * (p + 1) / 2)
    if meanstructure {
      for i in 0..<p {
        let r = (m[i] - mu[i]) / s[i, i].squareRoot()
        sum += r * r
      }
      count += Double(p)
    }
    return (sum / count).squareRoot()
  }

  /// CFI and TLI (lav_fit_cfi, lav_fit_tli), with the robust corrections ĉ·df in place of df
  /// when c and c_b are given and both differ from 1.
  static func incremental(
    chisq x2: Double, df: Int, baselineChisq x2b: Double, baselineDf: Int, c: Double = 1, cBaseline: Double = 1
  ) -> (cfi: Double, tli: Double) {
    let corrected = df > 0 && c != 1 && cBaseline != 1
    let d = Double(df) * (corrected ? c : 1)
    let db = Double(baselineDf) * (corrected ? cBaseline : 1)
    // CFI: all.equal(t, 0) uses tolerance 1.5e-8.
    let t1 = max(x2 - d, 0)
    let t2 = max(x2 - d, x2b - db, 0)
    let cfi = (abs(t1) < 1.5e-8 && abs(t2) < 1.5e-8) ? 1 : 1 - t1 / t2
    let u1 = (x2 - d) * Double(baselineDf)
    let u2 = (x2b - db) * Double(df)
    let tli: Double
    if df > 0 && abs(u2) > 0 {
      tli = 1 - u1 / u2
    } else if !u1.isFinite || !u2.isFinite {
      tli = .nan
    } else {
      tli = 1
    }
    return (cfi, tli)
  }

  static func measures(
    logLik: Double, h1: SaturatedModel, n: Int, npar: Int, df: Int, baselineDf: Int,
    sigma: Matrix, mu: [Double], meanstructure: Bool
  ) -> SEMFitMeasures {
    let x2 = 2 * (h1.logLik - logLik)
    let x2b = 2 * (h1.logLik - h1.baselineLogLik)
    let d = Double(df)
    let db = Double(baselineDf)
    let nn = Double(n)
    let pvalue = df > 0 ? Distributions.chiSquaredCDF(x2, df: d, lowerTail: false) : .nan
    let (cfi, tli) = incremental(chisq: x2, df: df, baselineChisq: x2b, baselineDf: baselineDf)
    let rmsea = df > 0 ? max((x2 / nn) / d - 1 / nn, 0).squareRoot() : 0
    let (lo, hi) = rmseaInterval(chisq: x2, df: df, n: n)
    let srmr = Self.srmr(s: h1.sigma, m: h1.mu, sigma: sigma, mu: mu, meanstructure: meanstructure)
    return SEMFitMeasures(
      chisq: x2, df: df, p: pvalue, cfi: cfi, tli: tli, rmsea: rmsea, rmseaCILower: lo,
      rmseaCIUpper: hi, srmr: srmr, logLik: logLik, logLikH1: h1.logLik,
      aic: -2 * logLik + 2 * Double(npar), bic: -2 * logLik + Double(npar) * Foundation.log(nn),
      n: n, npar: npar, baselineChisq: x2b, baselineDf: baselineDf)
  }
}
