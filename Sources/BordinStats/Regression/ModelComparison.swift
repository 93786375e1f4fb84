import Foundation

/// One model of a comparison: its parameter count and likelihood-based fit, as R's
/// `anova(m0, m1)` prints them (`npar`, `AIC`, `BIC`, `logLik`, `deviance` = −2 logLik), with the
/// residual df and the residual deviance or sum of squares where the test uses them.
public struct ComparedModel: Sendable, Equatable {
  public var npar: Int
  public var nobs: Int
  public var logLik: Double
  /// −2 logLik + 2·npar and −2 logLik + log(n)·npar.
  public var AIC: Double
  public var BIC: Double
  /// −2 logLik (mixed and linear models); the residual deviance for a GLM (R's `Resid. Dev`).
  public var deviance: Double
  /// Residual degrees of freedom (GLM and linear models; nil for mixed models).
  public var dfResidual: Int?
  /// Residual sum of squares (linear models only).
  public var rss: Double?

  public init(npar: Int, nobs: Int, logLik: Double, deviance: Double, dfResidual: Int? = nil, rss: Double? = nil) {
    self.npar = npar
    self.nobs = nobs
    self.logLik = logLik
    self.AIC = -2 * logLik + 2 * Double(npar)
    self.BIC = -2 * logLik + Foundation.log(Double(nobs)) * Double(npar)
    self.deviance = deviance
    self.dfResidual = dfResidual
    self.rss = rss
  }
}

/// The comparison of a smaller model with a larger one nested in it.
public struct ModelComparisonResult: Sendable, Equatable {
  public enum Test: String, Sendable { case likelihoodRatio = "Chisq", f = "F" }
  /// The smaller model first.
  public var models: [ComparedModel]
  public var test: Test
  /// The likelihood-ratio χ² (mixed: 2·max(0, ΔlogLik); GLM: the deviance difference), or for
  /// `.f` the F statistic.
  public var statistic: Double
  /// Difference in parameters (χ²'s df, or F's numerator df).
  public var df: Int
  /// For `.f`: the reduction in the residual sum of squares and the denominator df.
  public var sumOfSquares: Double?
  public var dfDenominator: Int?
  public var p: Double
}

/// Comparisons of nested models as R's `anova(m0, m1)`.
///
/// - Mixed models (`anova.merMod`, lme4): both fits must be ML (lme4 refits REML fits with ML,
///   `refit = TRUE`); χ² = 2·max(0, ℓ₁ − ℓ₀) on npar₁ − npar₀ df.
/// - GLMs (`anova.glm`, `test = "Chisq"`): χ² = D₀ − D₁ (residual deviances) on df₀ − df₁.
/// - Linear models (`anova.lm`): F = ((RSS₀ − RSS₁)/(df₀ − df₁)) / (RSS₁/df₁) on
///   (df₀ − df₁, df₁) df.
public enum ModelComparison {
  /// The likelihood-ratio test of two ML mixed-model fits (smaller first).
  public static func mixed(_ m0: LMMResult, _ m1: LMMResult) -> ModelComparisonResult {
    let a = compared(m0), b = compared(m1)
    let chisq = 2 * max(0, b.logLik - a.logLik)
    let df = b.npar - a.npar
    return ModelComparisonResult(models: [a, b], test: .likelihoodRatio, statistic: chisq, df: df, p: chiSquaredP(chisq, df))
  }

  /// A mixed model as a compared model: the ML log-likelihood (−mlDeviance/2), lme4's npar.
  public static func compared(_ m: LMMResult) -> ComparedModel {
    ComparedModel(npar: m.npar, nobs: m.nobs, logLik: -m.mlDeviance / 2, deviance: m.mlDeviance)
  }

  /// The analysis of deviance of two GLMs of one family (smaller first).
  public static func glm(_ g0: GLMResult, _ g1: GLMResult) -> ModelComparisonResult {
    let a = compared(g0), b = compared(g1)
    let chisq = g0.deviance - g1.deviance
    let df = g0.dfResidual - g1.dfResidual
    return ModelComparisonResult(models: [a, b], test: .likelihoodRatio, statistic: chisq, df: df, p: chiSquaredP(chisq, df))
  }

  /// A GLM: npar = the number of coefficients (R's `attr(logLik(m), "df")` for these families).
  public static func compared(_ g: GLMResult) -> ComparedModel {
    ComparedModel(npar: g.coefficients.count, nobs: g.n, logLik: g.logLik, deviance: g.deviance, dfResidual: g.dfResidual)
  }

  /// The F test of two OLS fits (smaller first).
  public static func linear(_ r0: RegressionResult, _ r1: RegressionResult) -> ModelComparisonResult {
    let a = compared(r0), b = compared(r1)
    let rss0 = a.rss ?? .nan, rss1 = b.rss ?? .nan
    let df = r0.df2 - r1.df2
    let ss = rss0 - rss1
    let f = (ss / Double(df)) / (rss1 / Double(r1.df2))
    let p = df > 0 && f.isFinite ? Distributions.fCDF(f, df1: Double(df), df2: Double(r1.df2), lowerTail: false) : .nan
    return ModelComparisonResult(models: [a, b], test: .f, statistic: f, df: df, sumOfSquares: ss, dfDenominator: r1.df2, p: p)
  }

  /// An OLS fit: npar = coefficients + σ; logLik = −n/2·(log(2π) + 1 − log n + log RSS), as R's
  /// `logLik.lm` without weights.
  public static func compared(_ r: RegressionResult) -> ComparedModel {
    let rss = r.residuals.reduce(0) { $0 + $1 * $1 }
    let n = Double(r.n)
    let ll = -0.5 * n * (Foundation.log(2 * Double.pi) + 1 - Foundation.log(n) + Foundation.log(rss))
    return ComparedModel(npar: r.coefficients.count + 1, nobs: r.n, logLik: ll, deviance: -2 * ll, dfResidual: r.df2, rss: rss)
  }

  static func chiSquaredP(_ x: Double, _ df: Int) -> Double {
    df > 0 && x.isFinite ? Distributions.chiSquaredCDF(x, df: Double(df), lowerTail: false) : .nan
  }
}
