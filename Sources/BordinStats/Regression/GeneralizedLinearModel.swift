import BordinData
import Foundation

// Generalized linear models by iteratively reweighted least squares, as R's `glm` +
// `summary.glm` + `confint.default`, for the binomial (logit) and Poisson (log) families.
//
// Implementation goals, in priority order: (1) R's numbers: the same starting values
// (`family$initialize`), the same IRLS step (weighted least squares by Householder QR with the
// rank tolerance 1e-11 of `glm.fit`), R's stopping rule |dev − devold|/(|dev| + 0.1) < 1e-8 for
// `converged`, and then further iterations until the deviance stops changing, so estimates sit at
// the optimum (never a worse deviance than R's); the covariance (X'WX)⁻¹ is that of one more
// step's QR at the optimum (`summary.glm` uses the weights one step behind its final β, which
// puts its SEs ~1e-8 off the MLE's); (2) no silent trouble: a non-0/1 binomial outcome, negative or
// fractional counts, aliased terms and too few rows are typed errors; separation, fitted values
// numerically 0 or 1, step halving and non-convergence are warnings naming what diverged.
//
// Reference: McCullagh, P. & Nelder, J. A. (1989), *Generalized Linear Models*, 2nd ed., §2.5;
// R Core Team, `stats::glm.fit`, `stats::summary.glm`, `stats::confint.default`; Albert, A. &
// Anderson, J. A. (1984), On the existence of maximum likelihood estimates in logistic
// regression models, *Biometrika, 71*, 1–10 (separation).

/// One row of a GLM coefficient table (`summary.glm` + `confint.default`).
public struct GLMCoefficient: Sendable, Equatable {
  /// R's coefficient name: `(Intercept)`, `tasc_child_4`, `formatindividual`.
  public var term: String
  /// β on the link scale (log odds or log rate).
  public var estimate: Double
  /// √[(X'WX)⁻¹]ⱼⱼ (dispersion 1).
  public var se: Double
  /// Wald z = estimate / se.
  public var z: Double
  /// Two-sided p = 2Φ(−|z|).
  public var p: Double
  /// Wald interval β ± z₍₁₊level₎/₂ · se (`confint.default`).
  public var ciLower: Double
  public var ciUpper: Double
  /// exp(β) and its interval: odds ratios (binomial) or rate ratios (Poisson).
  public var expEstimate: Double { Foundation.exp(estimate) }
  public var expCiLower: Double { Foundation.exp(ciLower) }
  public var expCiUpper: Double { Foundation.exp(ciUpper) }
}

/// The result of a GLM fit: `summary(glm(...))`, `confint.default(...)`, `AIC`, `logLik`.
public struct GLMResult: Sendable, Equatable {
  public var family: GLMFamily
  /// For a text or logical outcome: its two levels, the first coded 0 and the second (the one
  /// whose odds are modelled) 1, as R codes a factor response; nil for a 0/1 outcome.
  public var responseLevels: [String]? = nil
  /// Coefficients in design-matrix column order.
  public var coefficients: [GLMCoefficient]
  /// Residual deviance Σ d(yᵢ, μ̂ᵢ).
  public var deviance: Double
  /// Deviance of the intercept-only model (μ₀ = ȳ), or of μ₀ = g⁻¹(0) without an intercept.
  public var nullDeviance: Double
  /// n − rank.
  public var dfResidual: Int
  /// n − 1 with an intercept, n without.
  public var dfNull: Int
  /// −2 log L + 2 · rank (`AIC(m)`).
  public var aic: Double
  /// rank − AIC/2 (`logLik(m)`).
  public var logLik: Double
  /// Rows used.
  public var n: Int
  /// Rows dropped by listwise deletion.
  public var rowsDropped: Int
  /// Indices of the table rows used.
  public var rowsUsed: [Int]
  /// R's rule |dev − devold|/(|dev| + 0.1) < 1e-8 was met within `maxit` iterations.
  public var converged: Bool
  /// IRLS iterations taken in all (R's plus the polishing ones).
  public var iterations: Int
  /// A step was halved because the deviance was not finite or μ left its domain.
  public var boundary: Bool
  /// Terms whose estimates grow without bound (complete or quasi-complete separation, or a
  /// Poisson rate fitted as 0): their ML estimates are infinite.
  public var diverging: [String]
  /// Warnings in R's words, with what diverged.
  public var warnings: [StatsWarning]
  /// Confidence level of the Wald intervals.
  public var level: Double
  public var hasIntercept: Bool
  /// Fitted means μ̂ and the response, over the rows used.
  public var fitted: [Double]
  public var response: [Double]
  /// (X'WX)⁻¹, the coefficient covariance (`vcov`), in coefficient order.
  public var covariance: Matrix

  /// The coefficient called `term`, if any.
  public func coefficient(_ term: String) -> GLMCoefficient? { coefficients.first { $0.term == term } }

  /// Coefficient names in order.
  public var terms: [String] { coefficients.map(\.term) }
}

/// Generalized linear models (`glm`), binomial-logit and Poisson-log, by IRLS.
public enum GeneralizedLinearModel {
  /// R's `glm.control()`: epsilon 1e-8, maxit 25.
  public static let epsilon = 1e-8
  public static let defaultMaxIterations = 25
  /// Polishing stops when the relative deviance change falls below this (or after 10 steps).
  static let polishEpsilon = 1e-15
  static let polishSteps = 10

  /// Parses `formula` and fits it; see ``fit(_:data:family:level:maxIterations:evaluate:)``.
  public static func fit(
    _ formula: String, data: Table, family: GLMFamily = .binomial, level: Double = 0.95,
    maxIterations: Int = defaultMaxIterations, evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> GLMResult {
    try fit(try Formula.parse(formula), data: data, family: family, level: level, maxIterations: maxIterations, evaluate: evaluate)
  }

  /// Fits `formula` on `data` with listwise deletion (R's `na.omit`).
  /// - Throws: ``FormulaError``; `StatsError` from ``ModelMatrix/build(_:data:evaluate:)`` and
  ///   ``fit(_:family:level:maxIterations:)``.
  public static func fit(
    _ formula: Formula, data: Table, family: GLMFamily = .binomial, level: Double = 0.95,
    maxIterations: Int = defaultMaxIterations, evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> GLMResult {
    var data = data
    var levels: [String]? = nil
    if family == .binomial, case .variable(let name)? = formula.responseAtom, let column = data[name], !column.isNumeric {
      let (coded, lv) = try binaryCoding(column, name: name)
      data[name] = .numeric(coded)
      levels = lv
    }
    var fit = try fit(try ModelMatrix.build(formula, data: data, evaluate: evaluate, allowOffset: true), family: family, level: level, maxIterations: maxIterations)
    fit.responseLevels = levels
    return fit
  }

  /// A two-level text or logical outcome as 0/1, as R codes a factor response: the first level
  /// in sorted order (text by Unicode scalars, FALSE before TRUE) is 0, the other 1.
  /// - Throws: `non-binary-outcome` when the column has other than two levels.
  static func binaryCoding(_ column: Column, name: String) throws -> ([Double], [String]) {
    let rows = (0..<column.count).filter { !column.isMissing($0) }
    let (lv, codes) = CrossTabulation.levels(column, rows)
    guard lv.count == 2 else {
      let shown = lv.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (lv.count > 5 ? ", …" : "")
      throw StatsError(
        code: "non-binary-outcome",
        message: "family binomial needs an outcome with two values, but '\(name)' has \(lv.count) (\(shown))",
        remedy: "Recode it to two levels in a data step (e.g. with if_else), or code it 0/1.")
    }
    var out = [Double](repeating: .nan, count: column.count)
    for (k, i) in rows.enumerated() { out[i] = Double(codes[k]) }
    return (out, lv)
  }

  /// The state after one IRLS step: the QR fit that produced β, and β, η, μ, deviance.
  private struct Step {
    var ls: LeastSquaresFit
    var beta: [Double]
    var eta: [Double]
    var mu: [Double]
    var deviance: Double
  }

  /// Fits a prepared design matrix by IRLS (`glm.fit`):
  ///
  /// ```
  /// μ⁽⁰⁾ = mustart(y),  η⁽⁰⁾ = g(μ⁽⁰⁾)
  /// repeat:  zᵢ = ηᵢ + (yᵢ − μᵢ)/μ'(ηᵢ),  wᵢ = μ'(ηᵢ)²/V(μᵢ),  β = argmin Σ wᵢ(zᵢ − xᵢ'β)²,
  ///          η = Xβ,  μ = g⁻¹(η),  until |dev − devold|/(|dev| + 0.1) < 1e-8
  /// Var(β̂) = (X'WX)⁻¹ at β̂ (one more QR),  z = β̂/se,  CI = β̂ ± Φ⁻¹((1 + level)/2) · se
  /// ```
  /// - Parameters:
  ///   - design: the design matrix with a response.
  ///   - family: binomial (y ∈ {0, 1}) or Poisson (y ∈ {0, 1, 2, …}).
  ///   - level: confidence level of the Wald intervals.
  ///   - maxIterations: R's `maxit` for `converged` (default 25).
  /// - Throws: `StatsError` `no-response`, `bad-level`, `too-few-rows` (n ≤ p),
  ///   `non-binary-outcome`, `negative-count`, `non-integer-count`, `zero-variance` (a
  ///   constant 0/1 outcome, or all counts 0), `aliased-term`, `overflow`, `glm-diverged`.
  public static func fit(
    _ design: ModelMatrix, family: GLMFamily = .binomial, level: Double = 0.95,
    maxIterations: Int = defaultMaxIterations
  ) throws -> GLMResult {
    guard let y = design.response else {
      throw StatsError(code: "no-response", message: "the formula has no response", remedy: "Write it as 'outcome ~ predictors'.")
    }
    guard level > 0, level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(level)")
    }
    let name = design.formula.response ?? "response"
    let n = design.n, p = design.x.cols
    if n <= p {
      throw StatsError.tooFewRows("a GLM with \(p) coefficients", have: n, need: p + 1)
    }
    try checkResponse(y, family: family, name: name, rows: design.rowsUsed)
    try Regression.checkMagnitude(y, name: name)
    for j in 0..<p { try Regression.checkMagnitude(design.x.column(j), name: design.columnNames[j]) }

    let x = design.x
    // An offset (coefficient fixed at 1, R's model.offset) enters the linear predictor:
    // η = Xβ + offset (glm.fit); the working response subtracts it again (weightedStep).
    let offset = design.offset ?? [Double](repeating: 0, count: n)
    let linear = { (beta: [Double]) -> [Double] in zip(x.multiplied(by: beta), offset).map(+) }
    var warnings: [StatsWarning] = []
    var boundary = false
    var eta = y.map { family.linkfun(family.mustart($0)) }
    var mu = eta.map(family.linkinv)
    var devold = deviance(family, y, mu)
    var current: Step? = nil
    var converged = false
    var iterations = 0
    var polish = 0

    while true {
      if !converged, iterations >= maxIterations { break }
      if converged, polish >= polishSteps { break }
      iterations += 1
      let ls = try weightedStep(design, family, y, eta, mu)
      var beta = ls.coefficients
      var newEta = linear(beta)
      var newMu = newEta.map(family.linkinv)
      var dev = deviance(family, y, newMu)
      // Step halving (glm.fit): a non-finite deviance, or μ outside its domain.
      var halvings = 0
      while !dev.isFinite || !family.validMu(newMu) {
        guard let old = current?.beta else {
          throw StatsError(
            code: "glm-diverged", message: "IRLS found no valid set of coefficients (the first step already diverged)",
            remedy: "Rescale the predictors (centre them, or divide large values by a power of ten).")
        }
        halvings += 1
        if halvings > maxIterations {
          throw StatsError(
            code: "glm-diverged", message: "IRLS could not correct the step size (the deviance stays infinite)",
            remedy: "Rescale the predictors or simplify the model.")
        }
        beta = zip(beta, old).map { ($0 + $1) / 2 }
        newEta = linear(beta)
        newMu = newEta.map(family.linkinv)
        dev = deviance(family, y, newMu)
        boundary = true
      }
      let step = Step(ls: ls, beta: beta, eta: newEta, mu: newMu, deviance: dev)
      let change = abs(dev - devold) / (abs(dev) + 0.1)
      if converged {
        // Polishing: keep a step only if it does not make the deviance worse.
        if dev > devold {
          break
        }
        polish += 1
      }
      current = step
      eta = newEta
      mu = newMu
      if !converged, change < epsilon { converged = true }
      else if converged, change < polishEpsilon { break }
      devold = dev
    }
    guard let fit = current else {
      throw StatsError(code: "glm-diverged", message: "IRLS took no step (maxit is 0)")
    }
    if !converged {
      warnings.append("IRLS did not converge in \(maxIterations) iterations (R: 'glm.fit: algorithm did not converge'); the estimates are not the maximum-likelihood ones")
    }
    if boundary {
      warnings.append("a step was halved because the deviance became infinite or the fitted values left their range (R: 'step size truncated due to divergence'); check for extreme predictor values")
    }

    // Separation / fitted values at the boundary (R's warnings after convergence).
    let eps10 = 10 * Double.ulpOfOne
    let atBoundary = family == .binomial
      ? fit.mu.filter { $0 > 1 - eps10 || $0 < eps10 }.count
      : fit.mu.filter { $0 < eps10 }.count
    // One more IRLS step from the optimum: its QR gives the covariance at the MLE (R's comes
    // from the weights one step behind, ~1e-8 off), and its step tells regular estimates (which
    // move by rounding only) from diverging ones (which grow by a steady amount per step:
    // separation, or a group with only zero counts). A step is scale-free as its contribution
    // to the linear predictor, |Δβⱼ| · rms(xⱼ).
    var covariance = fit.ls.unscaledCovariance
    var diverging: [String] = []
    if let final = try? weightedStep(design, family, y, fit.eta, fit.mu), final.aliased.isEmpty {
      covariance = final.unscaledCovariance
      if converged {
        for j in 0..<p {
          let col = x.column(j)
          let rms = (col.reduce(0) { $0 + $1 * $1 } / Double(n)).squareRoot()
          let step = abs(final.coefficients[j] - fit.beta[j])
          if step * rms > 1e-6 && step > 1e-3 * abs(fit.beta[j]) { diverging.append(design.columnNames[j]) }
        }
      }
    }
    let named = diverging.filter { $0 != "(Intercept)" }
    let which = (named.isEmpty ? diverging : named).map { "'\($0)'" }.joined(separator: ", ")
    let withIntercept = !named.isEmpty && named.count < diverging.count ? ", as does the intercept's" : ""
    let plural = (named.isEmpty ? diverging : named).count > 1
    let diverges = "the estimate\(plural ? "s" : "") of \(which) diverge\(plural ? "" : "s")\(withIntercept)"
    if family == .binomial {
      let rNote = "\(atBoundary) of \(n) fitted probabilities are numerically 0 or 1 (R: 'glm.fit: fitted probabilities numerically 0 or 1 occurred')"
      if !diverging.isEmpty {
        warnings.append(
          "complete or quasi-complete separation: \(diverges) (the maximum-likelihood value is infinite), so estimate, SE, z, p and interval are meaningless"
            + (atBoundary > 0 ? "; " + rNote : "")
            + "; remove or merge the predictor categories that separate the outcome, or use penalised (Firth) logistic regression")
      } else if atBoundary > 0 {
        warnings.append(rNote + "; check for a predictor that (nearly) separates the outcome")
      }
    } else {
      let rNote = "\(atBoundary) of \(n) fitted rates are numerically 0 (R: 'glm.fit: fitted rates numerically 0 occurred')"
      if !diverging.isEmpty {
        warnings.append(
          "\(diverges) (a group or covariate pattern with only zero counts), so estimate, SE, z, p and interval are meaningless"
            + (atBoundary > 0 ? "; " + rNote : "")
            + "; merge the group with only zero counts with another, or drop it")
      } else if atBoundary > 0 {
        warnings.append(rNote)
      }
    }

    // Null deviance (with an offset and an intercept: the intercept-only fit with the offset,
    // as glm(); without intercept: μ = linkinv(offset)).
    let intercept = design.formula.intercept
    let nullDev: Double
    if design.offset != nil, intercept {
      var null = design
      null.x = Matrix(rows: n, cols: 1, repeating: 1)
      null.columnNames = ["(Intercept)"]
      null.assign = [0]
      // Its own null deviance is not needed: without the intercept flag it takes the closed
      // form (no recursion).
      null.formula.intercept = false
      nullDev = try GeneralizedLinearModel.fit(null, family: family, level: level, maxIterations: maxIterations).deviance
    } else {
      nullDev = deviance(family, y, intercept ? [Double](repeating: Regression.mean(y), count: n) : offset.map(family.linkinv))
    }
    let rank = fit.ls.rank
    let aic = family.aicTerm(y, fit.mu) + 2 * Double(rank)

    let cov = covariance
    let a = (1 - level) / 2
    let qLow = Distributions.normalQuantile(a), qHigh = Distributions.normalQuantile(1 - a)
    var coefficients: [GLMCoefficient] = []
    for j in 0..<p {
      let est = fit.beta[j]
      let se = cov[j, j].squareRoot()
      let z = est / se
      coefficients.append(GLMCoefficient(
        term: design.columnNames[j], estimate: est, se: se, z: z, p: 2 * Distributions.normalCDF(-abs(z)),
        ciLower: est + se * qLow, ciUpper: est + se * qHigh))
    }
    guard fit.deviance.isFinite, coefficients.allSatisfy({ $0.estimate.isFinite }) else {
      throw StatsError(code: "overflow", message: "the fit overflowed (the deviance or a coefficient is infinite)",
                       remedy: "Rescale the variables (e.g. divide very large values by a power of ten).")
    }
    return GLMResult(
      family: family, coefficients: coefficients, deviance: fit.deviance, nullDeviance: nullDev,
      dfResidual: n - rank, dfNull: n - (intercept ? 1 : 0), aic: aic, logLik: Double(rank) - aic / 2,
      n: n, rowsDropped: design.rowsDropped, rowsUsed: design.rowsUsed, converged: converged,
      iterations: iterations, boundary: boundary, diverging: diverging, warnings: warnings, level: level,
      hasIntercept: intercept, fitted: fit.mu, response: y, covariance: cov)
  }

  /// The weighted least-squares fit of one IRLS step at (η, μ): working response
  /// zᵢ = ηᵢ + (yᵢ − μᵢ)/μ'(ηᵢ) and weights √(μ'(ηᵢ)²/V(μᵢ)), by QR with `glm.fit`'s rank
  /// tolerance 1e-11.
  /// - Throws: `aliased-term` for a column that is a linear combination of earlier ones.
  static func weightedStep(_ design: ModelMatrix, _ family: GLMFamily, _ y: [Double], _ eta: [Double], _ mu: [Double]) throws
    -> LeastSquaresFit
  {
    let n = design.n, p = design.x.cols
    var xw = design.x
    var zw = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let d = family.muEta(eta[i])
      let w = (d * d / family.variance(mu[i])).squareRoot()
      zw[i] = (eta[i] - (design.offset?[i] ?? 0) + (y[i] - mu[i]) / d) * w
      for j in 0..<p { xw.values[i + j * n] *= w }
    }
    let ls = try LinearAlgebra.leastSquares(xw, zw, tolerance: 1e-11)
    if let a = ls.aliased.first { throw try Regression.aliasedError(design, column: a, kept: ls.kept) }
    return ls
  }

  /// Σ d(yᵢ, μᵢ).
  static func deviance(_ family: GLMFamily, _ y: [Double], _ mu: [Double]) -> Double {
    var s = 0.0
    for i in y.indices { s += family.unitDeviance(y[i], mu[i]) }
    return s
  }

  /// The outcome must be 0/1 (binomial) or a count (Poisson), and not constant at a boundary.
  static func checkResponse(_ y: [Double], family: GLMFamily, name: String, rows: [Int]) throws {
    func row(_ i: Int) -> Int { rows[i] + 1 }
    switch family {
    case .binomial:
      if let i = y.firstIndex(where: { $0 != 0 && $0 != 1 }) {
        throw StatsError(
          code: "non-binary-outcome",
          message: "family binomial needs an outcome coded 0 or 1, but '\(name)' is \(Self.show(y[i])) in row \(row(i))",
          remedy: "Recode it in a data step (e.g. derive: \(name)01: as_numeric(\(name) > CUTOFF)), or use family: poisson for counts.")
      }
      if let first = y.first, y.allSatisfy({ $0 == first }) {
        throw StatsError(
          code: "zero-variance",
          message: "'\(name)' is \(Self.show(first)) in every row used, so the log odds are infinite",
          remedy: "A logistic model needs both outcomes; check the filter and the coding.")
      }
    case .poisson:
      if let i = y.firstIndex(where: { $0 < 0 }) {
        throw StatsError(
          code: "negative-count",
          message: "family poisson needs counts (0, 1, 2, …), but '\(name)' is \(Self.show(y[i])) in row \(row(i))",
          remedy: "Use a count outcome, or another model for signed values (regress).")
      }
      if let i = y.firstIndex(where: { $0 != $0.rounded() }) {
        throw StatsError(
          code: "non-integer-count",
          message: "family poisson needs whole-number counts, but '\(name)' is \(Self.show(y[i])) in row \(row(i)) (R's AIC would be infinite)",
          remedy: "Round the counts, or model a continuous outcome with regress.")
      }
      if y.allSatisfy({ $0 == 0 }) {
        throw StatsError(
          code: "zero-variance", message: "'\(name)' is 0 in every row used, so the log rate is −∞",
          remedy: "Check the filter and the coding.")
      }
    }
  }

  static func show(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)" }
}
