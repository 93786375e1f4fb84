import Foundation
import BordinData

// Heterogeneity of a meta-analysis: Cochran's Q, I², H², and the Q-profile CI of τ², as
// metafor's `rma.uni` and `confint.rma.uni`.
//
// Implementation goals, in priority order: (1) metafor's definitions, which differ by model type:
// random-effects models report I² = 100τ²/(vt + τ²) with the "typical" within-study variance
// vt = (k − p)/tr(P), FE models the Q-based 100(Q − df)/Q; (2) the Q-profile bounds exactly as
// `confint` finds them (Brent's zeroin on [0, max(100, 10τ²)]), run to rounding
// (`RootFinder.tightTolerance`; R: `confint(fit, control = list(tol = .Machine$double.xmin))`)
// instead of uniroot's default 1.2e-4, which leaves the lower bound of τ² for dat.molloy2014
// 3.4e-3 relative from the root (I² lower bound 25.28 instead of 25.22); (3) the degenerate cases
// (Q below both quantiles: an empty CI) reported, not hidden.
//
// References: Cochran, W. G. (1954). The combination of estimates from different experiments.
// Biometrics, 10, 101–129; Higgins, J. P. T. & Thompson, S. G. (2002). Quantifying heterogeneity
// in a meta-analysis. Statistics in Medicine, 21, 1539–1558; Viechtbauer, W. (2007). Confidence
// intervals for the amount of heterogeneity in meta-analysis. Statistics in Medicine, 26, 37–52
// (Q-profile).

enum MetaHeterogeneity {
  struct Statistics {
    var Q: Double
    var QP: Double
    var I2: Double
    var H2: Double
    var vt: Double
  }

  /// Q, its p-value, I², H² and vt, as `rma.uni` computes them.
  ///
  /// ```
  /// P = W − WX(X'WX)⁻¹X'W with W = diag(1/vᵢ),   Q = y'Py,   vt = (k − p)/tr(P)
  /// random effects: I² = 100τ²/(vt + τ²),  H² = τ²/vt + 1
  /// FE:             I² = max(0, 100(Q − (k − p))/Q),  H² = Q/(k − p)
  /// ```
  /// With k = p: Q = 0, p = 1, I² = 0, H² = 1 (metafor). For FE with Q = 0 (identical effects)
  /// I² is 0 (metafor: NaN).
  static func statistics(yi: [Double], vi: [Double], x: Matrix, tau2: Double, method: MetaMethod)
    throws -> Statistics
  {
    let k = yi.count
    let p = x.cols
    guard k > p else { return Statistics(Q: 0, QP: 1, I2: 0, H2: 1, vt: 0) }
    let df = Double(k - p)
    let w = vi.map { 1 / $0 }
    let pm = try MetaLinear.summary(x, w, MetaLinear.centered(yi))
    let q = max(0, pm.quadratic)
    let qp = Distributions.chiSquaredCDF(q, df: df, lowerTail: false)
    let vt = df / pm.trace
    if method.isRandomEffects {
      return Statistics(Q: q, QP: qp, I2: 100 * tau2 / (vt + tau2), H2: tau2 / vt + 1, vt: vt)
    }
    let i2 = q > 0 ? max(0, 100 * (q - df) / q) : 0
    return Statistics(Q: q, QP: qp, I2: i2, H2: q / df, vt: vt)
  }

  struct Interval {
    var lower: Double?
    var upper: Double?
  }

  /// The Q-profile confidence interval of τ² (Viechtbauer 2007), `confint.rma.uni` type "QP":
  /// the τ² at which the generalised Q(τ²) = Σ(yᵢ − ŷᵢ(τ²))²/(vᵢ + τ²) equals the upper and lower
  /// α/2 quantiles of χ²(k − p).
  ///
  /// ```
  /// lower: Q(τ²) = χ²_{k−p, 1−α/2}  (0 when Q(0) < that quantile)
  /// upper: Q(τ²) = χ²_{k−p, α/2}    (the empty set when Q(0) is below it too)
  /// ```
  /// The search interval is [0, max(100, 10τ̂²)]; a bound beyond it is reported at the end of the
  /// interval with a warning.
  static func qProfile(
    yi: [Double], vi: [Double], x: Matrix, tau2: Double, level: Double, warnings: inout [StatsWarning]
  ) throws -> Interval {
    let k = yi.count
    let p = x.cols
    let alpha = 1 - level
    let df = Double(k - p)
    let tau2Min = min(0, tau2)
    let tau2Max = max(100, tau2 * 10, tau2Min * 10)
    let critU = Distributions.chiSquaredQuantile(alpha / 2, df: df, lowerTail: false)
    let critL = Distributions.chiSquaredQuantile(alpha / 2, df: df, lowerTail: true)
    let q: (Double) throws -> Double = { try MetaTau2.generalizedQ($0, y: yi, vi: vi, x: x) }
    let qMax = try q(tau2Max)
    let qMin = try q(tau2Min)
    var lower: Double? = nil
    var upper: Double? = nil
    var empty = false
    var beyond = false

    func solve(_ target: Double) throws -> Double {
      let f: (Double) throws -> Double = { try q($0) - target }
      let root = try RootFinder.zeroin(
        f, lower: tau2Min, upper: tau2Max, fLower: qMin - target, fUpper: qMax - target,
        tol: RootFinder.tightTolerance)
      if !root.converged { warnings.append("the Q-profile search for a τ² bound did not converge") }
      return root.root
    }

    if qMin < critL {
      lower = tau2Min
      upper = tau2Min
      empty = tau2Min <= 0
    } else if qMax > critL {
      upper = tau2Max
      beyond = true
    } else {
      upper = try solve(critL)
    }
    if qMax > critU {
      lower = tau2Max
      upper = tau2Max
      beyond = true
    } else if qMin < critU {
      lower = tau2Min
    } else {
      lower = try solve(critU)
    }
    if empty {
      warnings.append(
        "both bounds of the Q-profile CI for τ² fall below 0: the CI is the empty set (τ² CI, I² CI and H² CI not reported)")
      return Interval(lower: nil, upper: nil)
    }
    if beyond {
      warnings.append(
        "a bound of the Q-profile CI for τ² lies beyond \(formatShortest(tau2Max)); it is reported as \(formatShortest(tau2Max))")
    }
    return Interval(lower: lower, upper: upper)
  }
}
