import Foundation

// Small-study effects and publication bias: Egger's regression test, the rank correlation test
// and trim-and-fill, as metafor's `regtest`, `ranktest` and `trimfill`.
//
// Implementation goals, in priority order: (1) metafor 3.8-1's defaults and numbers: `regtest`
// with `model = "rma"` and `predictor = "sei"` (the fitted τ² method and test), `ranktest` with
// `cor.test(..., method = "kendall", exact = TRUE)` (exact null distribution without ties, the
// tie-corrected normal approximation with ties), `trimfill` with the L0 estimator, the side
// chosen by the sign of the √vᵢ slope, and the same refits; (2) the filled studies returned for
// funnel plots; (3) the limits of each method are typed errors, not silent output.
//
// References: Egger, M., Davey Smith, G., Schneider, M. & Minder, C. (1997). Bias in
// meta-analysis detected by a simple, graphical test. BMJ, 315, 629–634; Sterne, J. A. C. &
// Egger, M. (2005), Regression methods to detect publication and other bias in meta-analysis, in
// Rothstein, Sutton & Borenstein (eds.), Publication Bias in Meta-Analysis; Begg, C. B. &
// Mazumdar, M. (1994). Operating characteristics of a rank correlation test for publication bias.
// Biometrics, 50, 1088–1101; Kendall, M. G. (1970), Rank Correlation Methods (4th ed.); Duval,
// S. & Tweedie, R. (2000). Trim and fill: a simple funnel-plot-based method of testing and
// adjusting for publication bias in meta-analysis. Biometrics, 56, 455–463.

/// Egger's regression test for funnel-plot asymmetry (metafor `regtest(res)`).
public struct EggerTest: Sendable, Equatable {
  /// The test statistic of the √vᵢ (standard error) coefficient: z, or t under Knapp–Hartung.
  public var z: Double?
  public var t: Double?
  public var df: Int?
  public var p: Double
  /// The coefficient of the standard error (the asymmetry slope).
  public var slope: MetaCoefficient
  /// The intercept: the estimate as the standard error goes to 0 ("limit estimate"), with its
  /// CI; nil when the model has moderators.
  public var limitEstimate: Double?
  public var limitCiLower: Double?
  public var limitCiUpper: Double?
  /// The τ² method of the regression model (that of the model tested).
  public var method: MetaMethod
}

/// The rank correlation test of Begg & Mazumdar (metafor `ranktest(res)`).
public struct RankTest: Sendable, Equatable {
  /// Kendall's τ_b between the standardized effects and the sampling variances.
  public var tau: Double
  public var p: Double
  /// True when p is from the exact null distribution (no ties); false for the tie-corrected
  /// normal approximation.
  public var exact: Bool
  /// The normal statistic when `exact` is false.
  public var z: Double?
}

/// Which side of the funnel plot studies are imputed on.
public enum TrimFillSide: String, Sendable, Equatable {
  case left
  case right
}

/// An imputed study of trim-and-fill.
public struct FilledStudy: Sendable, Equatable {
  public var yi: Double
  public var vi: Double
}

/// The result of trim-and-fill (metafor `trimfill(res)`).
public struct TrimFillResult: Sendable, Equatable {
  /// Estimated number of missing studies (L0).
  public var k0: Int
  /// SE of k0 (metafor `se.k0`).
  public var seK0: Double
  public var side: TrimFillSide
  /// The imputed studies, mirror images of the k0 most extreme studies about the trimmed
  /// estimate.
  public var filled: [FilledStudy]
  /// The model refitted to the observed and the filled studies (the original model when k0 = 0);
  /// `yi`, `vi`, `weights` list the observed studies first, then the filled ones; `rowsUsed`
  /// lists the input rows of the observed studies.
  public var model: MetaResult

  public var estimate: Double { model.estimate }
  public var se: Double { model.se }
  public var ciLower: Double { model.ciLower }
  public var ciUpper: Double { model.ciUpper }
  public var tau2: Double { model.tau2 }
}

/// Publication-bias diagnostics of a fitted ``MetaResult``.
public enum PublicationBias {
  /// Egger's regression test as `regtest(res)` with metafor's defaults (`model = "rma"`,
  /// `predictor = "sei"`): the model's moderators plus √vᵢ, fitted with the model's τ² method,
  /// test and level.
  ///
  /// ```
  /// yᵢ = β₀ + β₁·√vᵢ (+ moderators) + uᵢ + eᵢ;   test of β₁ = 0;   β₀ = the limit estimate
  /// ```
  /// - Throws: `StatsError` `too-few-studies` (a random-effects model needs k ≥ p + 2),
  ///   `aliased-term` when √vᵢ is collinear with the moderators (e.g. equal variances), and those
  ///   of the refit.
  public static func egger(_ model: MetaResult) throws -> EggerTest {
    let k = model.k
    let p = model.design.cols
    let sei = model.vi.map { $0.squareRoot() }
    let x = Matrix(rows: k, cols: p + 1, values: model.design.values + sei)
    let terms = model.coefficients.map(\.term) + ["sei"]
    let need = model.method.isRandomEffects ? p + 2 : p + 1
    if k < need {
      throw StatsError(
        code: "too-few-studies",
        message: "Egger's test with a \(model.method.rawValue) model needs at least \(need) studies; got \(k)",
        remedy: "The test is not informative with so few studies.")
    }
    let ls = try LinearAlgebra.leastSquares(x, model.yi)
    if !ls.aliased.isEmpty {
      throw StatsError(
        code: "aliased-term",
        message: "the standard errors are collinear with the model's moderators (e.g. all equal), so Egger's test cannot be computed",
        remedy: "Egger's test needs studies of different precision.")
    }
    let fit = try Engine.fit(
      yi: model.yi, vi: model.vi, x: x, terms: terms, options: model.options,
      measure: model.measure, inference: false)
    let slope = fit.coefficients[p]
    var out = EggerTest(
      z: slope.z, t: slope.t, df: slope.df, p: slope.p, slope: slope, limitEstimate: nil,
      limitCiLower: nil, limitCiUpper: nil, method: model.method)
    if p == 1, terms[0] == "intrcpt" {
      out.limitEstimate = fit.coefficients[0].estimate
      out.limitCiLower = fit.coefficients[0].ciLower
      out.limitCiUpper = fit.coefficients[0].ciUpper
    }
    return out
  }

  /// The rank correlation test (Begg & Mazumdar 1994) as `ranktest(res)`: Kendall's τ between
  /// the standardized deviates and the sampling variances.
  ///
  /// ```
  /// θ̂ = Σwᵢyᵢ/Σwᵢ (wᵢ = 1/vᵢ),   yᵢ* = (yᵢ − θ̂)/√(vᵢ − 1/Σwᵢ),   τ = Kendall τ_b(yᵢ*, vᵢ)
  /// ```
  /// Without ties p is exact (R's `ckendall`, for k ≤ 170); with ties (or more studies) it is
  /// the normal approximation with R's tie-corrected variance of S, without continuity
  /// correction. The model's moderators are ignored, as in metafor.
  /// - Throws: `StatsError` `too-few-studies` for k < 3.
  public static func rankTest(_ model: MetaResult) throws -> RankTest {
    let k = model.k
    if k < 3 {
      throw StatsError(
        code: "too-few-studies", message: "the rank correlation test needs at least 3 studies; got \(k)",
        remedy: "The test is not informative with so few studies.")
    }
    let w = model.vi.map { 1 / $0 }
    let sw = MetaLinear.sum(w)
    var theta = 0.0
    for i in 0..<k { theta += model.yi[i] * w[i] }
    theta /= sw
    let vb = 1 / sw
    let ystar = (0..<k).map { (model.yi[$0] - theta) / (model.vi[$0] - vb).squareRoot() }
    return Kendall.test(ystar, model.vi)
  }

  /// Trim-and-fill (Duval & Tweedie 2000) as `trimfill(res)` with the L0 estimator.
  ///
  /// The side is chosen as metafor does: by the sign of the slope of √vᵢ in a meta-regression
  /// with the model's method (slope < 0: studies are missing on the right). Then, on the effects
  /// flipped so that the missing side is the left, iterate: fit the model to the k − k0 smallest
  /// effects, rank |yᵢ − μ̂| (ties by position), Sᵣ = the sum of the ranks of the positive
  /// deviations, and
  ///
  /// ```
  /// k0 = max(0, round((4Sᵣ − k(k + 1))/(2k − 1)))
  /// ```
  /// until k0 repeats. The k0 largest effects are mirrored about the last trimmed estimate
  /// (yᵢ ↦ 2μ̂ − yᵢ, same vᵢ) and the model is refitted to all k + k0 studies.
  ///
  /// Unlike metafor, whose refit uses `rma`'s defaults (test "z", level 95) unless they are
  /// passed again, the refit keeps the model's test and level; with the defaults the numbers are
  /// metafor's.
  /// - Throws: `StatsError` `moderators-not-supported` for a model with moderators,
  ///   `not-converged` after `maxIterations` iterations, and the errors of the refits.
  public static func trimFill(
    _ model: MetaResult, side: TrimFillSide? = nil, maxIterations: Int = 100
  ) throws -> TrimFillResult {
    if model.hasModerators {
      throw StatsError(
        code: "moderators-not-supported",
        message: "trim-and-fill applies to models without moderators",
        remedy: "Remove 'mods' or run trim-and-fill on the model without moderators.")
    }
    let k = model.k
    var options = model.options
    options.test = .z
    if side == nil, let v = model.vi.first, model.vi.allSatisfy({ $0 == v }) {
      throw StatsError(
        code: "trimfill-side",
        message: "trim-and-fill cannot choose the side: every study has the same sampling variance",
        remedy: "Give the side ('left' or 'right') explicitly.")
    }
    let side = try side ?? {
      let x = Matrix(
        rows: k, cols: 2,
        values: [Double](repeating: 1, count: k) + model.vi.map { $0.squareRoot() })
      try MetaAnalysis.checkDesign(x, terms: ["intrcpt", "sei"], yi: model.yi, method: model.method)
      let fit = try Engine.fit(
        yi: model.yi, vi: model.vi, x: x, terms: ["intrcpt", "sei"], options: options,
        measure: model.measure, inference: false)
      return fit.coefficients[1].estimate < 0 ? .right : .left
    }()

    let flip = side == .right ? -1.0 : 1.0
    let flipped = model.yi.map { $0 * flip }
    let order = flipped.indices.sorted { flipped[$0] < flipped[$1] || (flipped[$0] == flipped[$1] && $0 < $1) }
    let yi = order.map { flipped[$0] }
    let vi = order.map { model.vi[$0] }
    let kd = Double(k)

    var k0Saved = -1
    var k0 = 0
    var iterations = 0
    var beta = 0.0
    var seK0 = 0.0
    var centered = yi
    while k0 != k0Saved {
      k0Saved = k0
      iterations += 1
      if iterations > maxIterations {
        throw StatsError(
          code: "not-converged",
          message: "the trim-and-fill algorithm did not converge in \(maxIterations) iterations",
          remedy: "Try a different method or increase the number of iterations.")
      }
      let kt = k - k0
      if kt < 1 {
        throw StatsError(
          code: "too-few-studies", message: "trim-and-fill trimmed every study",
          remedy: "Trim-and-fill is not informative with so few studies.")
      }
      if kt == 1 {
        beta = yi[0]
      } else {
        let fit = try Engine.fit(
          yi: Array(yi[0..<kt]), vi: Array(vi[0..<kt]), x: Matrix(rows: kt, cols: 1, repeating: 1),
          terms: ["intrcpt"], options: options, measure: model.measure, inference: false)
        beta = fit.estimate
      }
      centered = yi.map { $0 - beta }
      // rank(abs(yi.c), ties.method = "first")
      let byAbs = centered.indices.sorted {
        abs(centered[$0]) < abs(centered[$1]) || (abs(centered[$0]) == abs(centered[$1]) && $0 < $1)
      }
      var rank = [Double](repeating: 0, count: k)
      for (r, i) in byAbs.enumerated() { rank[i] = Double(r + 1) }
      var sr = 0.0
      for i in 0..<k where centered[i] > 0 { sr += rank[i] }
      let est = (4 * sr - kd * (kd + 1)) / (2 * kd - 1)
      let varSr = 1.0 / 24 * (kd * (kd + 1) * (2 * kd + 1) + 10 * est * est * est + 27 * est * est + 17 * est
        - 18 * kd * est * est - 18 * kd * est + 6 * kd * kd * est)
      seK0 = max(0, 4 * varSr.squareRoot() / (2 * kd - 1))
      k0 = max(0, Int(est.rounded(.toNearestOrEven)))
    }

    guard k0 > 0 else {
      return TrimFillResult(k0: 0, seK0: seK0, side: side, filled: [], model: model)
    }
    var filled: [FilledStudy] = []
    for i in (k - k0)..<k {
      let c = side == .right ? -(centered[i] - beta) : centered[i] - beta
      filled.append(FilledStudy(yi: -c, vi: vi[i]))
    }
    let allY = model.yi + filled.map(\.yi)
    let allV = model.vi + filled.map(\.vi)
    let n = allY.count
    var refit = try Engine.fit(
      yi: allY, vi: allV, x: Matrix(rows: n, cols: 1, repeating: 1), terms: ["intrcpt"],
      options: model.options, measure: model.measure, inference: true)
    refit.rowsUsed = model.rowsUsed
    refit.rowsDropped = model.rowsDropped
    return TrimFillResult(k0: k0, seK0: seK0, side: side, filled: filled, model: refit)
  }
}

/// Kendall's rank correlation test, as R's `cor.test(x, y, method = "kendall", exact = TRUE)`.
enum Kendall {
  /// τ_b as R's `cor(x, y, method = "kendall")`: Σ sign(Δx)sign(Δy) / √(Σ sign(Δx)² Σ sign(Δy)²).
  static func tau(_ x: [Double], _ y: [Double]) -> Double {
    var s = 0.0
    var sx = 0.0
    var sy = 0.0
    for i in 0..<x.count {
      for j in 0..<i {
        let a = sign(x[i] - x[j])
        let b = sign(y[i] - y[j])
        s += a * b
        sx += a * a
        sy += b * b
      }
    }
    return s / (sx.squareRoot() * sy.squareRoot())
  }

  static func sign(_ d: Double) -> Double { d > 0 ? 1 : (d < 0 ? -1 : 0) }

  /// Sizes (≥ 2) of the groups of tied values.
  static func tieGroups(_ x: [Double]) -> [Double] {
    var counts: [Double: Int] = [:]
    for v in x { counts[v, default: 0] += 1 }
    return counts.values.filter { $0 > 1 }.map(Double.init).sorted()
  }

  static func test(_ x: [Double], _ y: [Double]) -> RankTest {
    let n = x.count
    let nd = Double(n)
    let r = tau(x, y)
    let ties = Set(x).count < n || Set(y).count < n
    if !ties && n <= 170 {
      // Exact: T = number of concordant pairs, two-sided p from the permutation distribution.
      let q = ((r + 1) * nd * (nd - 1) / 4).rounded(.toNearestOrEven)
      let p: Double
      if q > nd * (nd - 1) / 4 {
        p = 1 - cdf(q - 1, n: n)
      } else {
        p = cdf(q, n: n)
      }
      return RankTest(tau: r, p: min(2 * p, 1), exact: true, z: nil)
    }
    let xt = tieGroups(x)
    let yt = tieGroups(y)
    let t0 = nd * (nd - 1) / 2
    let t1 = xt.reduce(0) { $0 + $1 * ($1 - 1) } / 2
    let t2 = yt.reduce(0) { $0 + $1 * ($1 - 1) } / 2
    let s = r * ((t0 - t1) * (t0 - t2)).squareRoot()
    let v0 = nd * (nd - 1) * (2 * nd + 5)
    let vt = xt.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
    let vu = yt.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
    let v1 = xt.reduce(0) { $0 + $1 * ($1 - 1) } * yt.reduce(0) { $0 + $1 * ($1 - 1) }
    let v2 = xt.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) } * yt.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) }
    let varS = (v0 - vt - vu) / 18 + v1 / (2 * nd * (nd - 1)) + v2 / (9 * nd * (nd - 1) * (nd - 2))
    let z = s / varS.squareRoot()
    let p = 2 * min(Distributions.normalCDF(z), Distributions.normalCDF(z, lowerTail: false))
    return RankTest(tau: r, p: p, exact: false, z: z)
  }

  /// P(T ≤ q) for the number of concordant pairs T under independence (R's `pkendall`):
  /// the number of permutations of n with at most q inversions, over n!.
  static func cdf(_ q: Double, n: Int) -> Double {
    let u = n * (n - 1) / 2
    let qq = (q + 1e-7).rounded(.down)
    if qq < 0 { return 0 }
    if qq > Double(u) { return 1 }
    // counts[j] = number of permutations of m elements with j inversions, built up to m = n:
    // c_m(j) = Σ_{i<m} c_{m−1}(j − i), summed in R's order for n ≤ 50 (exact integers up to
    // n = 18) and by a running window beyond (faster; same values to rounding).
    var counts = [Double](repeating: 0, count: u + 1)
    counts[0] = 1
    var maxJ = 0
    if n >= 2 {
      for m in 2...n {
        let newMax = maxJ + m - 1
        var next = [Double](repeating: 0, count: u + 1)
        if n <= 50 {
          for j in 0...newMax {
            var acc = 0.0
            for i in 0..<m where j - i >= 0 && j - i <= maxJ { acc += counts[j - i] }
            next[j] = acc
          }
        } else {
          var acc = 0.0
          for j in 0...newMax {
            if j <= maxJ { acc += counts[j] }
            if j - m >= 0 { acc -= counts[j - m] }
            next[j] = acc
          }
        }
        counts = next
        maxJ = newMax
      }
    }
    var p = 0.0
    for j in 0...Int(qq) { p += counts[j] }
    return p / Distributions.gamma(Double(n + 1))
  }
}
