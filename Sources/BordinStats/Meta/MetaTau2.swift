import Foundation
import BordinData

// The between-study variance τ² of a random-effects meta-analysis, as metafor's `rma.uni`.
//
// Implementation goals, in priority order: (1) metafor's model at its optimum: ML/REML/EB are
// metafor's Fisher scoring from the HE start with its step-halving, run to |Δτ²| ≤ 1e-12 (or to
// rounding) instead of metafor's default threshold 1e-5, which stops the REML τ² of dat.molloy2014
// 1.2e-4 relative from the root and moves the pooled SE by 3.4e-5 (the references are metafor with
// `threshold = 1e-12`); PM and the Q-profile CI are Brent's `zeroin` as R's `uniroot` runs it (the
// same bracket as metafor), run to rounding (`RootFinder.tightTolerance`) instead of metafor's
// default `tol` 1.2e-4, which stops the PM τ² of dat.molloy2014 3.4e-5 relative from the root and
// k = 2 (yi 0.2, 0.5) at 0.0300022 instead of 0.03 (the references: metafor with
// `control = list(tol = .Machine$double.xmin)`, Tests/Fixtures/r/meta-roots-tight.R);
// (2) metafor's data centring (τ² estimators see yᵢ − ȳ) and truncation at τ² = 0;
// (3) typed errors for non-convergence with metafor's remedy.
//
// References: DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. Controlled
// Clinical Trials, 7, 177–188 (DL); Hedges, L. V. & Olkin, I. (1985), Statistical Methods for
// Meta-Analysis (HE); Hunter, J. E. & Schmidt, F. L. (2004), Methods of Meta-Analysis (HS);
// Sidik, K. & Jonkman, J. N. (2005). Simple heterogeneity variance estimation for meta-analysis.
// JRSS C, 54, 367–384 (SJ); Paule, R. C. & Mandel, J. (1982). Consensus values and weighting
// factors. J. Res. Natl. Bur. Stand., 87, 377–385 (PM); Morris, C. N. (1983). Parametric empirical
// Bayes inference. JASA, 78, 47–55 (EB); Viechtbauer, W. (2005). Bias and efficiency of
// meta-analytic variance estimators in the random-effects model. JEBS, 30, 261–293 (ML, REML,
// Fisher scoring, SEs of τ²); Brent, R. P. (1973), Algorithms for Minimization without
// Derivatives, ch. 4, in the C translation of Forsythe, Malcolm & Moler (1977) used by R.

/// Dense helpers shared by the meta-analysis files (weighted least squares, projections,
/// and R's summary functions).
enum MetaLinear {
  /// (X'WX)⁻¹ by QR of √W·X, as metafor's `.invcalc`.
  /// - Throws: `StatsError` `singular-design` when X'WX is singular.
  static func weightedInverse(_ x: Matrix, _ w: [Double]) throws -> Matrix {
    var sx = x
    for j in 0..<x.cols { for i in 0..<x.rows { sx[i, j] = x[i, j] * w[i].squareRoot() } }
    let fit = try LinearAlgebra.leastSquares(sx, [Double](repeating: 0, count: x.rows))
    if !fit.aliased.isEmpty {
      throw StatsError(
        code: "singular-design", message: "the model matrix is not of full rank",
        remedy: "Remove redundant moderators.")
    }
    return fit.unscaledCovariance
  }

  /// b = (X'WX)⁻¹ X'W y.
  static func weightedCoefficients(_ x: Matrix, _ w: [Double], _ s: Matrix, _ y: [Double]) -> [Double] {
    var xwy = [Double](repeating: 0, count: x.cols)
    for j in 0..<x.cols {
      var acc = 0.0
      for i in 0..<x.rows { acc += x[i, j] * w[i] * y[i] }
      xwy[j] = acc
    }
    return s.multiplied(by: xwy)
  }

  /// P = W − WX(X'WX)⁻¹X'W (k × k), metafor's `P`.
  static func projection(_ x: Matrix, _ w: [Double], _ s: Matrix) -> Matrix {
    let k = x.rows
    let p = x.cols
    var a = Matrix(rows: k, cols: p)  // W X
    for j in 0..<p { for i in 0..<k { a[i, j] = w[i] * x[i, j] } }
    let b = a.multiplied(by: s)  // W X S
    var out = Matrix(rows: k, cols: k)
    for j in 0..<k {
      for i in 0..<k {
        var acc = 0.0
        for l in 0..<p { acc += b[i, l] * a[j, l] }
        out[i, j] = (i == j ? w[i] : 0) - acc
      }
    }
    return out
  }

  /// What the estimators need from P = W − WX(X'WX)⁻¹X'W, in O(kp²) without forming P:
  ///
  /// ```
  /// Py = W(y − Xβ̂),  y'Py = Σwᵢeᵢ²,  tr P = Σwᵢ − tr(C),  tr(PP) = Σwᵢ² − 2tr(S X'W³X) + tr(C²)
  /// S = (X'WX)⁻¹,  C = S X'W²X
  /// ```
  struct ProjectionSummary {
    /// y'Py.
    var quadratic: Double
    /// P y.
    var py: [Double]
    /// tr P.
    var trace: Double
    /// tr(PP) = Σᵢⱼ Pᵢⱼ².
    var sumOfSquares: Double
  }

  static func summary(_ x: Matrix, _ w: [Double], _ y: [Double]) throws -> ProjectionSummary {
    let k = x.rows
    let p = x.cols
    let s = try weightedInverse(x, w)
    let beta = weightedCoefficients(x, w, s, y)
    let fitted = x.multiplied(by: beta)
    var py = [Double](repeating: 0, count: k)
    var quadratic = 0.0
    for i in 0..<k {
      let e = y[i] - fitted[i]
      py[i] = w[i] * e
      quadratic += w[i] * e * e
    }
    let w2 = w.map { $0 * $0 }
    let c = s.multiplied(by: crossProduct(x, w2))
    let d = s.multiplied(by: crossProduct(x, zip(w2, w).map { $0 * $1 }))
    var trC = 0.0
    var trD = 0.0
    var trCC = 0.0
    for a in 0..<p {
      trC += c[a, a]
      trD += d[a, a]
      for b in 0..<p { trCC += c[a, b] * c[b, a] }
    }
    return ProjectionSummary(
      quadratic: quadratic, py: py, trace: sum(w) - trC,
      sumOfSquares: w2.reduce(0, +) - 2 * trD + trCC)
  }

  /// P for weights w: (X'WX)⁻¹ computed on the way.
  static func projection(_ x: Matrix, _ w: [Double]) throws -> Matrix {
    projection(x, w, try weightedInverse(x, w))
  }

  static func trace(_ m: Matrix) -> Double { m.diagonal.reduce(0, +) }

  /// Σᵢⱼ mᵢⱼ² (R's `sum(P * P)`).
  static func sumOfSquares(_ m: Matrix) -> Double { m.values.reduce(0) { $0 + $1 * $1 } }

  static func sum(_ x: [Double]) -> Double { x.reduce(0, +) }

  /// R's `mean` (with its second correction pass).
  static func mean(_ x: [Double]) -> Double { Regression.mean(x) }

  /// R's `var` of one vector (n − 1 denominator).
  static func variance(_ x: [Double]) -> Double {
    let m = mean(x)
    return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
  }

  /// R's `median`.
  static func median(_ x: [Double]) -> Double {
    let s = x.sorted()
    let n = s.count
    if n == 0 { return .nan }
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
  }

  /// R's `mad` (constant 1.4826).
  static func mad(_ x: [Double]) -> Double {
    let c = median(x)
    return 1.4826 * median(x.map { abs($0 - c) })
  }

  /// y − ȳ, as R's `scale(y, center = TRUE, scale = FALSE)` (`colMeans`, one pass).
  static func centered(_ y: [Double]) -> [Double] {
    let m = y.reduce(0, +) / Double(y.count)
    return y.map { $0 - m }
  }

  /// log|A| of a symmetric positive-definite matrix by Cholesky.
  static func logDeterminant(_ a: Matrix) throws -> Double {
    let u = try LinearAlgebra.cholesky(a)
    return 2 * u.diagonal.reduce(0) { $0 + log($1) }
  }

  /// X'WX.
  static func crossProduct(_ x: Matrix, _ w: [Double]) -> Matrix {
    var out = Matrix(rows: x.cols, cols: x.cols)
    for a in 0..<x.cols {
      for b in 0...a {
        var acc = 0.0
        for i in 0..<x.rows { acc += x[i, a] * w[i] * x[i, b] }
        out[a, b] = acc
        out[b, a] = acc
      }
    }
    return out
  }
}

/// τ² estimators of `rma.uni`.
enum MetaTau2 {
  struct Estimate {
    var tau2: Double
    /// SE of τ² (metafor's `se.tau2`); nil for FE.
    var se: Double?
    /// Fisher-scoring iterations (ML, REML, EB).
    var iterations: Int?
  }

  struct Control {
    var threshold: Double
    var maxIterations: Int
    /// metafor `tau2.max`: max(100, 10·mad(y)²), the upper end of the PM bracket.
    var tau2Max: Double
    /// uniroot tolerance for PM: at rounding (metafor's default is 1.2e-4).
    var tol: Double = RootFinder.tightTolerance
  }

  /// Estimates τ² with `method` for the model y = Xβ + u + e, var(eᵢ) = vᵢ.
  /// - Throws: `StatsError` `not-converged` (Fisher scoring), `tau2-max-too-low` (PM).
  static func estimate(
    method: MetaMethod, yi: [Double], vi: [Double], x: Matrix, control: Control,
    warnings: inout [StatsWarning]
  ) throws -> Estimate {
    let k = yi.count
    let p = x.cols
    let kd = Double(k)
    let df = Double(k - p)
    let ymc = MetaLinear.centered(yi)
    func clamp(_ t: Double) -> Double { max(0, t) }

    switch method {
    case .FE:
      return Estimate(tau2: 0, se: nil, iterations: nil)

    case .DL, .HS:
      let w = vi.map { 1 / $0 }
      let summary = try MetaLinear.summary(x, w, ymc)
      let rss = summary.quadratic
      let trP = summary.trace
      let sumP2 = summary.sumOfSquares
      if method == .DL {
        let tau2 = clamp((rss - df) / trP)
        let se = (1 / (trP * trP) * (2 * df + 4 * tau2 * trP + 2 * tau2 * tau2 * sumP2)).squareRoot()
        return Estimate(tau2: tau2, se: se, iterations: nil)
      }
      let sw = MetaLinear.sum(w)
      let tau2 = clamp((rss - kd) / sw)
      let se = (1 / (sw * sw) * (2 * df + 4 * tau2 * trP + 2 * tau2 * tau2 * sumP2)).squareRoot()
      return Estimate(tau2: tau2, se: se, iterations: nil)

    case .SJ:
      let tau20 = MetaLinear.variance(ymc) * (kd - 1) / kd
      let w = vi.map { 1 / ($0 + tau20) }
      let pm = try MetaLinear.projection(x, w)
      let rss = pm.quadraticForm(ymc)
      let tau2 = clamp(tau20 * rss / df)
      var pvpvt = 0.0  // sum(PV * t(PV)) = Σ P²ᵢⱼ vᵢ vⱼ
      var pvp = 0.0  // sum(PV * P) = Σ P²ᵢⱼ vⱼ
      for j in 0..<k {
        for i in 0..<k {
          let q = pm[i, j] * pm[i, j]
          pvpvt += q * vi[i] * vi[j]
          pvp += q * vi[j]
        }
      }
      let se = (tau20 * tau20 / (df * df)
        * (2 * pvpvt + 4 * tau2 * pvp + 2 * tau2 * tau2 * MetaLinear.sumOfSquares(pm))).squareRoot()
      return Estimate(tau2: tau2, se: se, iterations: nil)

    case .PM:
      let tau2 = try pauleMandel(ymc: ymc, vi: vi, x: x, target: df, control: control, warnings: &warnings)
      let w = vi.map { 1 / ($0 + tau2) }
      let sw = MetaLinear.sum(w)
      return Estimate(tau2: tau2, se: (2 * kd * kd / df / (sw * sw)).squareRoot(), iterations: nil)

    case .HE, .ML, .REML, .EB:
      // Hedges' (HE) moment estimator from OLS residuals; also the Fisher-scoring start.
      let ones = [Double](repeating: 1, count: k)
      let pOLS = try MetaLinear.projection(x, ones)
      let rss = pOLS.quadraticForm(ymc)
      var trPV = 0.0
      for i in 0..<k { trPV += pOLS[i, i] * vi[i] }
      let he = (rss - trPV) / df
      if method == .HE {
        let tau2 = clamp(he)
        var pvpvt = 0.0
        for j in 0..<k { for i in 0..<k { pvpvt += pOLS[i, j] * pOLS[i, j] * vi[i] * vi[j] } }
        let se = (1 / (df * df) * (2 * pvpvt + 4 * tau2 * trPV + 2 * tau2 * tau2 * df)).squareRoot()
        return Estimate(tau2: tau2, se: se, iterations: nil)
      }
      return try fisherScoring(
        method: method, start: max(0, he), yi: ymc, vi: vi, x: x, control: control,
        warnings: &warnings)

    }
  }

  /// Fisher scoring for ML, REML and EB, metafor's loop (Viechtbauer 2005):
  ///
  /// ```
  /// ML:   Δ = (y'PPy − Σwᵢ) / Σwᵢ²
  /// REML: Δ = (y'PPy − tr P) / tr(PP)
  /// EB:   Δ = (y'Py·k/(k − p) − k) / Σwᵢ          wᵢ = 1/(vᵢ + τ²)
  /// ```
  /// Δ is halved until τ² + Δ ≥ 0; stop when |Δτ²| ≤ threshold; fail after maxiter. For ML and
  /// REML a fit whose log-likelihood is below that at τ² = 0 by more than 1.22e-4 is replaced by
  /// τ² = 0 (metafor's `ll0check`), with a warning.
  static func fisherScoring(
    method: MetaMethod, start: Double, yi ymc: [Double], vi: [Double], x: Matrix,
    control: Control, warnings: inout [StatsWarning]
  ) throws -> Estimate {
    let k = ymc.count
    let p = x.cols
    let kd = Double(k)
    var tau2 = start
    var change = control.threshold + 1
    var iter = 0
    while change > control.threshold {
      iter += 1
      let old = tau2
      let w = vi.map { 1 / ($0 + tau2) }
      let pm = try MetaLinear.summary(x, w, ymc)
      var adj: Double
      switch method {
      case .ML:
        adj = (pm.py.reduce(0) { $0 + $1 * $1 } - MetaLinear.sum(w)) / w.reduce(0) { $0 + $1 * $1 }
      case .REML:
        adj = (pm.py.reduce(0) { $0 + $1 * $1 } - pm.trace) / pm.sumOfSquares
      default:  // EB
        adj = (pm.quadratic * kd / Double(k - p) - kd) / MetaLinear.sum(w)
      }
      if adj.isNaN { adj = 0 }
      while tau2 + adj < 0 { adj /= 2 }
      tau2 += adj
      change = abs(old - tau2)
      // Converged to rounding: a change of a few ulps of τ² is the noise of the update itself.
      if change <= 8 * tau2.ulp { break }
      if iter > control.maxIterations {
        throw StatsError(
          code: "not-converged",
          message: "the Fisher scoring algorithm for the \(method.rawValue) estimate of τ² did not converge in \(control.maxIterations) iterations",
          remedy: "Try a different method (e.g. method: DL or PM) or increase the number of iterations.")
      }
    }
    if method == .ML || method == .REML {
      let ll0 = try logLikelihood(reml: method == .REML, tau2: 0, yc: ymc, vi: vi, x: x)
      let ll = try logLikelihood(reml: method == .REML, tau2: tau2, yc: ymc, vi: vi, x: x)
      // metafor's ll0check compares with its `tol` (default .Machine$double.eps^0.25): a
      // threshold on a log-likelihood difference, not a root tolerance, so it stays at R's.
      if ll0 - ll > RootFinder.defaultTolerance && tau2 > control.threshold {
        warnings.append(
          "Fisher scoring may have stopped at a local maximum; τ² set to 0 (its log-likelihood is higher)")
        tau2 = 0
      }
    }
    let w = vi.map { 1 / ($0 + tau2) }
    let se: Double
    switch method {
    case .ML: se = (2 / w.reduce(0) { $0 + $1 * $1 }).squareRoot()
    case .REML:
      se = (2 / (try MetaLinear.summary(x, w, ymc)).sumOfSquares).squareRoot()
    default:
      let sw = MetaLinear.sum(w)
      se = (2 * kd * kd / Double(k - p) / (sw * sw)).squareRoot()
    }
    return Estimate(tau2: max(0, tau2), se: se, iterations: iter)
  }

  /// The ML or REML log-likelihood used by `ll0check` (without metafor's ½log|X'X| term, which
  /// cancels in the comparison).
  static func logLikelihood(reml: Bool, tau2: Double, yc: [Double], vi: [Double], x: Matrix) throws
    -> Double
  {
    let k = yc.count
    let p = x.cols
    let w = vi.map { 1 / ($0 + tau2) }
    let s = try MetaLinear.weightedInverse(x, w)
    let b = MetaLinear.weightedCoefficients(x, w, s, yc)
    let fitted = x.multiplied(by: b)
    var rss = 0.0
    for i in 0..<k { rss += w[i] * (yc[i] - fitted[i]) * (yc[i] - fitted[i]) }
    let logV = vi.reduce(0) { $0 + log($1 + tau2) }
    if !reml { return -0.5 * Double(k) * log(2 * Double.pi) - 0.5 * logV - 0.5 * rss }
    let ld = try MetaLinear.logDeterminant(MetaLinear.crossProduct(x, w))
    return -0.5 * Double(k - p) * log(2 * Double.pi) - 0.5 * logV - 0.5 * ld - 0.5 * rss
  }

  /// The generalised Q statistic Q(τ²) = y'P(τ²)y (metafor `.QE.func`).
  static func generalizedQ(_ tau2: Double, y: [Double], vi: [Double], x: Matrix) throws -> Double {
    let w = vi.map { 1 / ($0 + tau2) }
    return try MetaLinear.summary(x, w, y).quadratic
  }

  /// Paule–Mandel: the τ² with Q(τ²) = k − p, by `uniroot` on [0, tau2.max] (0 when Q(0) < k − p).
  static func pauleMandel(
    ymc: [Double], vi: [Double], x: Matrix, target: Double, control: Control,
    warnings: inout [StatsWarning]
  ) throws -> Double {
    let f: (Double) throws -> Double = { try generalizedQ($0, y: ymc, vi: vi, x: x) - target }
    let f0 = try f(0)
    if f0 < 0 { return 0 }
    let fMax = try f(control.tau2Max)
    if fMax > 0 {
      throw StatsError(
        code: "tau2-max-too-low",
        message: "the Paule–Mandel equation has no root below τ² = \(formatShortest(control.tau2Max))",
        remedy: "Switch to another method (e.g. REML or DL).")
    }
    let root = try RootFinder.zeroin(
      f, lower: 0, upper: control.tau2Max, fLower: f0, fUpper: fMax, tol: control.tol,
      maxiter: control.maxIterations)
    if !root.converged {
      warnings.append("the Paule–Mandel root search did not converge in \(control.maxIterations) iterations")
    }
    return max(0, root.root)
  }
}
