import Foundation

// The two GLM families Bordin fits, each with its canonical link, exactly as R's `binomial()`
// and `poisson()` (R/family.R) and their C code (src/library/stats/src/family.c).
//
// Implementation goals: R's numbers to the last bits where R uses closed forms (the logit's
// thresholds at |η| = 30, the log link's floor at machine epsilon, the unit deviances with
// y log y := 0, the AIC from dbinom/dpois), so that IRLS takes the same steps as `glm.fit`.
//
// Reference: McCullagh, P. & Nelder, J. A. (1989), *Generalized Linear Models*, 2nd ed., ch. 2;
// R Core Team, `stats::family`, `stats::glm.fit`.

/// A GLM family with its canonical link: binomial (logit) or Poisson (log).
public enum GLMFamily: String, Sendable, CaseIterable {
  case binomial
  case poisson

  /// The link's name, as `family$link`.
  public var link: String { self == .binomial ? "logit" : "log" }

  /// What exp(β) is for this family: an odds ratio or a rate ratio.
  public var ratioName: String { self == .binomial ? "odds ratio" : "rate ratio" }

  private static let eps = Double.ulpOfOne

  /// The link g(μ): log(μ/(1 − μ)) or log μ.
  public func linkfun(_ mu: Double) -> Double {
    switch self {
    case .binomial: return Foundation.log(mu / (1 - mu))
    case .poisson: return Foundation.log(mu)
    }
  }

  /// The inverse link μ = g⁻¹(η). Logit (family.c `logit_linkinv`): e^η/(1 + e^η) with η
  /// clamped to ±30 (μ = ε/(1 + ε) below −30, (1/ε)/(1 + 1/ε) above 30). Log: max(e^η, ε).
  public func linkinv(_ eta: Double) -> Double {
    switch self {
    case .binomial:
      let t = eta < -30 ? Self.eps : (eta > 30 ? 1 / Self.eps : Foundation.exp(eta))
      return t / (1 + t)
    case .poisson:
      return Swift.max(Foundation.exp(eta), Self.eps)
    }
  }

  /// dμ/dη. Logit: e^η/(1 + e^η)², or ε when |η| > 30. Log: max(e^η, ε).
  public func muEta(_ eta: Double) -> Double {
    switch self {
    case .binomial:
      if eta > 30 || eta < -30 { return Self.eps }
      let e = Foundation.exp(eta)
      let o = 1 + e
      return e / (o * o)
    case .poisson:
      return Swift.max(Foundation.exp(eta), Self.eps)
    }
  }

  /// The variance function V(μ): μ(1 − μ) or μ.
  public func variance(_ mu: Double) -> Double {
    self == .binomial ? mu * (1 - mu) : mu
  }

  /// The unit deviance d(y, μ) (weight 1):
  /// binomial 2[y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))], Poisson 2[y log(y/μ) − (y − μ)]
  /// (2μ at y = 0), with y log y := 0 at y = 0.
  public func unitDeviance(_ y: Double, _ mu: Double) -> Double {
    func ylogy(_ y: Double, _ mu: Double) -> Double { y != 0 ? y * Foundation.log(y / mu) : 0 }
    switch self {
    case .binomial: return 2 * (ylogy(y, mu) + ylogy(1 - y, 1 - mu))
    case .poisson: return y > 0 ? 2 * (y * Foundation.log(y / mu) - (y - mu)) : 2 * mu
    }
  }

  /// −2 log L without the 2·rank penalty, as `family$aic`: −2 Σ log dbinom(y, 1, μ) or
  /// −2 Σ log dpois(y, μ) (which includes log y!).
  public func aicTerm(_ y: [Double], _ mu: [Double]) -> Double {
    var s = 0.0
    for (yi, mi) in zip(y, mu) {
      switch self {
      case .binomial: s += Distributions.binomialDensity(yi.rounded(), size: 1, prob: mi, log: true)
      case .poisson: s += Distributions.poissonDensity(yi, lambda: mi, log: true)
      }
    }
    return -2 * s
  }

  /// The starting μ of `family$initialize`: (y + 0.5)/2 for binomial 0/1 data, y + 0.1 for
  /// Poisson.
  public func mustart(_ y: Double) -> Double {
    self == .binomial ? (y + 0.5) / 2 : y + 0.1
  }

  /// `family$validmu`: every μ finite and inside (0, 1) (binomial) or positive (Poisson).
  public func validMu(_ mu: [Double]) -> Bool {
    switch self {
    case .binomial: return mu.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 }
    case .poisson: return mu.allSatisfy { $0.isFinite && $0 > 0 }
    }
  }
}
