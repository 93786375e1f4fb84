import Foundation

// The Laplace approximation to the deviance of a generalized linear mixed model, as lme4's
// `glmer` with nAGQ = 1, by penalised iteratively reweighted least squares (PIRLS).
//
// Implementation goals, in priority order: (1) the Laplace deviance lme4 optimises, term for
// term (`glmResp::Laplace`: ldL2 + ‖u‖² + the family's AIC term), so that logLik agrees with
// `logLik(glmer(...))` at the same (θ, β); (2) the inner problem solved to convergence: PIRLS
// runs until its step is below 1e-11 (relative to max(1, |u|)), i.e. to rounding — Newton
// converges quadratically, so that is one or two steps more than
// lme4's `tolPwrss` = 1e-7, whose early stop leaves the deviance and its
// finite-difference Hessian (hence the SEs) visibly off; (3) lme4's sparse structure reused:
// each PIRLS step is one blocked Cholesky factorisation (BlockedCholesky.swift) of the weighted
// system, so nested and crossed grouping factors work as in `lmm`.
//
// With η = Xβ + ZΛθu + offset, μ = g⁻¹(η), prior weights mᵢ (binomial sizes; 1 otherwise), the
// working weights wᵢ = mᵢ μ'(ηᵢ)²/V(μᵢ) and working response zᵢ = ηᵢ − offsetᵢ + (yᵢ − μᵢ)/μ'(ηᵢ):
//
// ```
//   PIRLS (u only, β fixed):  (ΛᵀZᵀWZΛ + I) u⁺ = ΛᵀZᵀW (z − Xβ),  step halving on
//                              PD(u) = Σ mᵢ d(yᵢ, μᵢ) + ‖u‖²
//   PIRLS (β and u, stage 1): the same system with X beside ZΛ (lme4's nAGQ = 0)
//   Laplace deviance:         D(θ, β) = −2 Σ log p(yᵢ | û) + ‖û‖² + log det(L L ᵀ),
//                              L Lᵀ = ΛᵀZᵀW(û)ZΛ + I
// ```
//
// For canonical links (logit, log) the Fisher weights are the observed information, so D is the
// exact Laplace approximation. −2 log p(y | u) is `family$aic`: −2 Σ log dbinom(round(mᵢyᵢ), mᵢ,
// μᵢ) or −2 Σ log dpois(yᵢ, μᵢ).
//
// Reference: Bates, D. et al. (2015), lme4, J. Stat. Softw. 67(1), and the lme4 vignette
// "Computational methods" (PIRLS, §3.4–3.5); lme4 `src/respModule.cpp` (`glmResp::Laplace`,
// `updateWts`), `src/external.cpp` (`pwrssUpdate`); Tierney, L. & Kadane, J. B. (1986),
// Accurate approximations for posterior moments and marginal densities, JASA 81, 82–86.

/// One converged inner problem: the Laplace deviance and the state it was computed at.
struct LaplaceEvaluation {
  /// D(θ, β) (lme4's `devfun` value, −2 × the Laplace log-likelihood).
  var deviance: Double
  /// The spherical conditional modes û, per term level-major (as BlockedCholesky).
  var u: [[Double]]
  /// β (stage 2: as given; stage 1: the PIRLS solution).
  var beta: [Double]
  /// μ̂ at (β, û).
  var mu: [Double]
  /// PIRLS iterations, and whether PIRLS met its convergence rule.
  var iterations: Int
  var converged: Bool
  /// R_X of the stage-1 system (for approximate fixed-effect scales), p × p; nil in stage 2.
  var rx: Matrix?
}

/// The data of a GLMM and its Laplace deviance at any (θ, β). Not thread-safe: it keeps the
/// last conditional modes to warm-start the next PIRLS.
final class GLMMLaplace {
  let family: GLMFamily
  let structure: RandomEffectsStructure
  let x: Matrix
  /// The response: 0/1, a proportion mᵢyᵢ successes of mᵢ (binomial), or a count.
  let y: [Double]
  /// Prior weights mᵢ (binomial sizes), all 1 for 0/1 and Poisson data.
  let weights: [Double]
  let offset: [Double]
  let n: Int
  let p: Int
  /// The last conditional modes, the warm start of the next PIRLS.
  private var lastU: [[Double]]
  /// The last joint (stage-1) β, the warm start of the next joint PIRLS.
  private var lastBeta: [Double] = []

  /// PIRLS limits: iterations, step halvings, and the convergence rule on the penalised
  /// deviance (relative) and on the step (absolute, in u units).
  static let maxIterations = 200
  static let maxHalvings = 30
  static let stepTolerance = 1e-11

  init(family: GLMFamily, structure: RandomEffectsStructure, x: Matrix, y: [Double], weights: [Double], offset: [Double]) {
    self.family = family
    self.structure = structure
    self.x = x
    self.y = y
    self.weights = weights
    self.offset = offset
    n = y.count
    p = x.cols
    lastU = structure.terms.map { [Double](repeating: 0, count: $0.levelCount * $0.q) }
  }

  /// Forgets the warm start (the next PIRLS starts from u = 0).
  func resetModes() {
    lastU = structure.terms.map { [Double](repeating: 0, count: $0.levelCount * $0.q) }
    lastBeta = []
  }

  /// The warm start used by the next PIRLS.
  var modes: [[Double]] {
    get { lastU }
    set { lastU = newValue }
  }

  // MARK: pieces

  /// ZΛu per row.
  func randomPart(_ lambdas: [[Double]], _ u: [[Double]]) -> [Double] {
    var out = [Double](repeating: 0, count: n)
    out.withUnsafeMutableBufferPointer { o in
      for (t, term) in structure.terms.enumerated() {
        let q = term.q
        let lam = lambdas[t]
        // b = λ u per level, then row r adds z_r · b_level.
        var b = [Double](repeating: 0, count: term.levelCount * q)
        u[t].withUnsafeBufferPointer { ut in
          for l in 0..<term.levelCount {
            for i in 0..<q {
              var s = 0.0
              for k in 0...i { s += lam[i + k * q] * ut[l * q + k] }
              b[l * q + i] = s
            }
          }
        }
        b.withUnsafeBufferPointer { bp in
          term.z.withUnsafeBufferPointer { z in
            term.factor.codes.withUnsafeBufferPointer { codes in
              if q == 1 {
                for r in 0..<n { o[r] += z[r] * bp[Int(codes[r])] }
              } else {
                for r in 0..<n {
                  let l = Int(codes[r]) * q
                  var s = 0.0
                  for i in 0..<q { s += z[r * q + i] * bp[l + i] }
                  o[r] += s
                }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// ‖u‖².
  static func squaredNorm(_ u: [[Double]]) -> Double {
    var s = 0.0
    for v in u { for x in v { s += x * x } }
    return s
  }

  /// Σ mᵢ d(yᵢ, μᵢ), the deviance of the conditional distribution.
  func conditionalDeviance(_ mu: [Double]) -> Double {
    var s = 0.0
    y.withUnsafeBufferPointer { yp in
      weights.withUnsafeBufferPointer { wp in
        mu.withUnsafeBufferPointer { mp in
          for i in 0..<n { s += wp[i] * family.unitDeviance(yp[i], mp[i]) }
        }
      }
    }
    return s
  }

  /// η = fixed + ZΛu and μ = g⁻¹(η).
  func linearPredictor(_ fixed: [Double], _ lambdas: [[Double]], _ u: [[Double]]) -> (eta: [Double], mu: [Double]) {
    var eta = randomPart(lambdas, u)
    var mu = [Double](repeating: 0, count: n)
    eta.withUnsafeMutableBufferPointer { e in
      mu.withUnsafeMutableBufferPointer { m in
        fixed.withUnsafeBufferPointer { f in
          for i in 0..<n {
            e[i] += f[i]
            m[i] = family.linkinv(e[i])
          }
        }
      }
    }
    return (eta, mu)
  }

  /// −2 Σ log p(yᵢ | μᵢ) (`family$aic` without the 2·rank): dbinom on mᵢ trials or dpois.
  func minusTwoLogDensity(_ mu: [Double]) -> Double {
    var s = 0.0
    for i in 0..<n {
      switch family {
      case .binomial:
        let m = weights[i]
        s += Distributions.binomialDensity((m * y[i]).rounded(), size: m.rounded(), prob: mu[i], log: true)
      case .poisson:
        s += Distributions.poissonDensity(y[i], lambda: mu[i], log: true)
      }
    }
    return -2 * s
  }

  /// The blocked Cholesky factor of the weighted system at η (working weights and response),
  /// with X beside ZΛ when `joint`. The response column is the working response minus the fixed
  /// part `fixed` (Xβ + offset; only the offset when `joint`).
  private func weightedSystem(_ eta: [Double], _ mu: [Double], fixed: [Double], joint: Bool) -> BlockedCholesky {
    var sw = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: n)
    sw.withUnsafeMutableBufferPointer { swp in
      z.withUnsafeMutableBufferPointer { zp in
        for i in 0..<n {
          let d = family.muEta(eta[i])
          let w = weights[i] * d * d / family.variance(mu[i])
          swp[i] = w.squareRoot()
          zp[i] = (eta[i] - fixed[i] + (y[i] - mu[i]) / d) * swp[i]
        }
      }
    }
    let terms = structure.terms.map { term -> RandomEffectsTerm in
      var t = term
      let q = term.q
      sw.withUnsafeBufferPointer { swp in
        t.z.withUnsafeMutableBufferPointer { zt in
          for r in 0..<n { for c in 0..<q { zt[r * q + c] *= swp[r] } }
        }
      }
      return t
    }
    var xw = joint ? x : Matrix(rows: n, cols: 0)
    if joint {
      sw.withUnsafeBufferPointer { swp in
        xw.values.withUnsafeMutableBufferPointer { xv in
          for j in 0..<p { for i in 0..<n { xv[i + j * n] *= swp[i] } }
        }
      }
    }
    return BlockedCholesky(terms: terms, x: xw, y: z)
  }

  // MARK: PIRLS

  /// The Laplace deviance at (θ, β) with the conditional modes û(θ, β) found by PIRLS over u
  /// (lme4's stage 2, nAGQ = 1). Nil when a factorisation fails or the deviance is not finite.
  func laplace(theta: [Double], beta: [Double]) -> LaplaceEvaluation? {
    let lambdas = structure.lambdas(theta)
    var fixed = x.multiplied(by: beta)
    for i in 0..<n { fixed[i] += offset[i] }
    return pirls(lambdas: lambdas, joint: false, fixed: fixed, beta: beta, start: nil)
  }

  /// The Laplace deviance at θ with β and u from the joint PIRLS (lme4's stage 1, nAGQ = 0).
  /// `start`: η to start from when there is no previous solution (`family$initialize`).
  func laplaceJoint(theta: [Double], start: [Double]?) -> LaplaceEvaluation? {
    pirls(lambdas: structure.lambdas(theta), joint: true, fixed: offset, beta: [], start: start)
  }

  /// PIRLS to convergence. In the joint form, β is re-solved at every step and `start` (η)
  /// seeds the first step (else the last joint solution does); otherwise β stays fixed and
  /// `fixed` = Xβ + offset.
  private func pirls(lambdas: [[Double]], joint: Bool, fixed: [Double], beta: [Double], start: [Double]?)
    -> LaplaceEvaluation?
  {
    var u = lastU
    var b = joint ? lastBeta : beta
    let seeded = joint && (start != nil || b.count != p)
    var eta: [Double]
    if seeded {
      eta = start ?? y.map { family.linkfun(family.mustart($0)) }
      u = structure.terms.map { [Double](repeating: 0, count: $0.levelCount * $0.q) }
      b = []
    } else {
      var fx = joint ? x.multiplied(by: b) : fixed
      if joint { for i in 0..<n { fx[i] += offset[i] } }
      eta = linearPredictor(fx, lambdas, u).eta
    }
    var mu = eta.map(family.linkinv)
    // The penalised deviance of the start (+∞ for a seeded start: the first step is taken).
    var pd = seeded ? Double.infinity : conditionalDeviance(mu) + Self.squaredNorm(u)
    var converged = false
    var iterations = 0
    var system = weightedSystem(eta, mu, fixed: fixed, joint: joint)
    guard system.factor(lambdas: lambdas, storeAll: true) else { return nil }
    while iterations < Self.maxIterations {
      iterations += 1
      let newBeta = joint ? system.fixedEffects() : b
      let newU = system.conditionalModes(beta: newBeta)
      // Step from (b, u) towards (newBeta, newU), halved while PD rises beyond rounding.
      var step = 1.0
      var accepted = false
      var candU = newU, candB = newBeta, candEta = eta, candMu = mu, candPD = pd
      for _ in 0...Self.maxHalvings {
        candU = zip(u, newU).map { old, new in zip(old, new).map { $0 + step * ($1 - $0) } }
        candB = seeded && iterations == 1 ? newBeta : zip(b, newBeta).map { $0 + step * ($1 - $0) }
        var fx = joint ? x.multiplied(by: candB) : fixed
        if joint { for i in 0..<n { fx[i] += offset[i] } }
        (candEta, candMu) = linearPredictor(fx, lambdas, candU)
        candPD = conditionalDeviance(candMu) + Self.squaredNorm(candU)
        if candPD.isFinite && (!pd.isFinite || candPD <= pd + 1e-13 * abs(pd)) {
          accepted = true
          break
        }
        step /= 2
      }
      if !accepted {
        // No step lowers PD: the current point is its minimum to rounding.
        converged = pd.isFinite
        break
      }
      var largest = 0.0, scale = 1.0
      for (old, new) in zip(u, candU) {
        for (a, c) in zip(old, new) {
          largest = max(largest, abs(c - a))
          scale = max(scale, abs(c))
        }
      }
      if !(seeded && iterations == 1) {
        for (a, c) in zip(b, candB) {
          largest = max(largest, abs(c - a))
          scale = max(scale, abs(c))
        }
      }
      u = candU
      b = candB
      eta = candEta
      mu = candMu
      pd = candPD
      // The factorisation at the new point: the next step's system, or the final ldL2.
      system = weightedSystem(eta, mu, fixed: fixed, joint: joint)
      guard system.factor(lambdas: lambdas, storeAll: true) else { return nil }
      if largest < Self.stepTolerance * scale {
        converged = true
        break
      }
    }
    let rx: Matrix? = joint ? system.rx() : nil
    let dev = minusTwoLogDensity(mu) + Self.squaredNorm(u) + system.ldL2
    guard dev.isFinite else { return nil }
    lastU = u
    if joint { lastBeta = b }
    return LaplaceEvaluation(deviance: dev, u: u, beta: b, mu: mu, iterations: iterations, converged: converged, rx: rx)
  }
}
