import CRmath

/// Distribution functions of the normal, t, F and chi-square distributions.
///
/// Implementation goals, in priority order: (1) bit-for-bit agreement with R, by calling R's own
/// standalone math library (Rmath) rather than re-deriving any series; (2) a Swift-shaped API
/// with named tails. Nothing here is hand-rolled: every function is a thin wrapper over the Rmath
/// routine named in its comment. Arguments outside a distribution's domain give NaN, as in R.
///
/// Reference: R Core Team, *R: A Language and Environment for Statistical Computing*, `nmath`
/// (`pnorm`, `qnorm`, `pt`, `qt`, `pf`, `qf`, `pchisq`, `qchisq`).
public enum Distributions {
  /// Normal distribution function, `pnorm(x, mean, sd, lower.tail)`.
  public static func normalCDF(
    _ x: Double, mean: Double = 0, sd: Double = 1, lowerTail: Bool = true
  ) -> Double {
    bordin_pnorm(x, mean, sd, lowerTail ? 1 : 0, 0)
  }

  /// Normal quantile function, `qnorm(p, mean, sd, lower.tail)`.
  public static func normalQuantile(
    _ p: Double, mean: Double = 0, sd: Double = 1, lowerTail: Bool = true
  ) -> Double {
    bordin_qnorm(p, mean, sd, lowerTail ? 1 : 0, 0)
  }

  /// Student t distribution function, `pt(x, df, lower.tail)`.
  public static func tCDF(_ x: Double, df: Double, lowerTail: Bool = true) -> Double {
    pt(x, df, lowerTail ? 1 : 0, 0)
  }

  /// Student t quantile function, `qt(p, df, lower.tail)`.
  public static func tQuantile(_ p: Double, df: Double, lowerTail: Bool = true) -> Double {
    qt(p, df, lowerTail ? 1 : 0, 0)
  }

  /// F distribution function, `pf(x, df1, df2, lower.tail)`.
  public static func fCDF(_ x: Double, df1: Double, df2: Double, lowerTail: Bool = true) -> Double {
    pf(x, df1, df2, lowerTail ? 1 : 0, 0)
  }

  /// F quantile function, `qf(p, df1, df2, lower.tail)`.
  public static func fQuantile(_ p: Double, df1: Double, df2: Double, lowerTail: Bool = true)
    -> Double
  {
    qf(p, df1, df2, lowerTail ? 1 : 0, 0)
  }

  /// Chi-square distribution function, `pchisq(x, df, lower.tail)`.
  public static func chiSquaredCDF(_ x: Double, df: Double, lowerTail: Bool = true) -> Double {
    pchisq(x, df, lowerTail ? 1 : 0, 0)
  }

  /// Chi-square quantile function, `qchisq(p, df, lower.tail)`.
  public static func chiSquaredQuantile(_ p: Double, df: Double, lowerTail: Bool = true) -> Double {
    qchisq(p, df, lowerTail ? 1 : 0, 0)
  }

  /// Two-sided p-value of a t statistic, as `2 * pt(-abs(t), df)` in `t.test` and `summary.lm`.
  public static func tTwoSidedP(_ t: Double, df: Double) -> Double {
    2 * tCDF(-abs(t), df: df)
  }
}

// MARK: - Gamma function (added for MetaAnalysis: SMD bias correction, Kendall exact p)

extension Distributions {
  /// The gamma function Γ(x), R's `gamma(x)` (Rmath `gammafn`).
  public static func gamma(_ x: Double) -> Double { gammafn(x) }

  /// log|Γ(x)|, R's `lgamma(x)` (Rmath `lgammafn`).
  public static func logGamma(_ x: Double) -> Double { lgammafn(x) }
}

// MARK: - Structural equation models (helper-sem): non-central chi-square

extension Distributions {
  /// Non-central chi-square distribution function, `pchisq(x, df, ncp, lower.tail)` (Rmath
  /// `pnchisq`; R calls it whenever `ncp` is given, also for `ncp = 0`). Used for the RMSEA
  /// confidence interval (Steiger 1990; lavaan `lav_fit_rmsea_ci`).
  public static func noncentralChiSquaredCDF(
    _ x: Double, df: Double, ncp: Double, lowerTail: Bool = true
  ) -> Double {
    pnchisq(x, df, ncp, lowerTail ? 1 : 0, 0)
  }
}

// MARK: - Discrete densities (helper-glm): GLM AIC and Fisher's exact test

extension Distributions {
  /// Binomial density, `dbinom(x, size, prob, log)` (Rmath `dbinom`): the binomial GLM's AIC.
  public static func binomialDensity(_ x: Double, size: Double, prob: Double, log: Bool = false) -> Double {
    dbinom(x, size, prob, log ? 1 : 0)
  }

  /// Poisson density, `dpois(x, lambda, log)` (Rmath `dpois`): the Poisson GLM's AIC.
  public static func poissonDensity(_ x: Double, lambda: Double, log: Bool = false) -> Double {
    dpois(x, lambda, log ? 1 : 0)
  }

  /// Hypergeometric density, `dhyper(x, m, n, k, log)` (Rmath `dhyper`): x white balls in k
  /// draws from an urn of m white and n black; Fisher's exact test of a 2 × 2 table.
  public static func hypergeometricDensity(_ x: Double, m: Double, n: Double, k: Double, log: Bool = false) -> Double {
    dhyper(x, m, n, k, log ? 1 : 0)
  }
}
