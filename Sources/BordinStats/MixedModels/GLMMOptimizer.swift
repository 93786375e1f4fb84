import Foundation

// The outer optimisation of a GLMM's Laplace deviance and its Hessian-based standard errors.
//
// Implementation goals, in priority order: (1) the optimum of D(θ, β), the Laplace deviance
// that lme4's second stage (nAGQ = 1) minimises, not a stopping point: BOBYQA to a trust-region
// radius of 1e-10 on steps scaled by each parameter's natural size (θ: 0.05; β: a tenth of its
// approximate standard error from the stage-1 R_X, so the I(age²) coefficient and the intercept
// are equally well resolved; NLopt's BOBYQA rescales by these steps) — the deviance is then
// within ~1e-11 of its minimum, which a Newton polish did not improve, so none is run; (2) the
// standard errors lme4's `vcov.merMod` defines for GLMMs, 2·[H⁻¹]ββ, with H by numDeriv's
// Richardson extrapolation (NumericalDerivatives.swift, d = 0.1) on converged inner problems,
// each warm-started from the optimum's û so that the Hessian does not depend on the order of
// evaluation; θ within 1e-6 of its bound (a singular fit) is held fixed, as a boundary optimum
// has no interior curvature there.
//
// ```
//   stage 1:  θ₁ = argmin_θ D(θ, β̂(θ))           (β̂ from the joint PIRLS, lme4's nAGQ = 0)
//   stage 2:  (θ̂, β̂) = argmin_(θ,β) D(θ, β)       from (θ₁, β̂(θ₁)), BOBYQA
//   Var(β̂) = 2 · [H⁻¹]ββ,   H = ∂²D/∂(θ, β)² at (θ̂, β̂)
// ```
//
// Reference: lme4 1.1-31 `glmer` (two-stage optimisation, `optimizeGlmer`), `vcov.merMod`
// (`calc.vcov.hess`: solve(H), the β block, h + t(h) = 2·H⁻¹ for a symmetric H); Gilbert &
// Varadhan (2019), numDeriv (`hessian`, Richardson); Powell (2009), BOBYQA.

extension GeneralizedLinearMixedModel {
  /// The optimum of the Laplace deviance.
  struct Optimum {
    var theta: [Double]
    var beta: [Double]
    /// The converged inner problem at the optimum.
    var at: LaplaceEvaluation
    var converged: Bool
    var evaluations: Int
    var warnings: [StatsWarning]
  }

  /// `family$initialize` for the joint PIRLS's first step: η₀ = g(μ₀), μ₀ = (m·y + ½)/(m + 1)
  /// (binomial with prior weights m) or y + 0.1 (Poisson).
  static func startingEta(_ laplace: GLMMLaplace) -> [Double] {
    zip(laplace.y, laplace.weights).map { y, m in
      laplace.family.linkfun(laplace.family == .binomial ? (m * y + 0.5) / (m + 1) : y + 0.1)
    }
  }

  /// Stage 1 then stage 2 (see the file comment).
  /// - Throws: `glmm-failed` when PIRLS fails at the start, `optimizer-failed` from BOBYQA.
  static func optimise(_ laplace: GLMMLaplace, options: GLMMOptions) throws -> Optimum {
    let s = laplace.structure
    let nth = s.thetaCount, p = laplace.p
    var evaluations = 0
    var warnings: [StatsWarning] = []
    laplace.resetModes()
    guard laplace.laplaceJoint(theta: s.thetaStart, start: startingEta(laplace)) != nil else {
      throw StatsError(
        code: "glmm-failed", message: "penalised IRLS found no fit at the starting values",
        remedy: "Rescale the predictors (centre them, or divide large values by a power of ten), or simplify the random effects.")
    }
    let thetaUpper = [Double](repeating: .infinity, count: nth)
    let stage1 = try Optimize.minimize(
      { th in
        evaluations += 1
        return laplace.laplaceJoint(theta: th, start: nil)?.deviance ?? .infinity
      }, x0: s.thetaStart, lower: s.thetaLower, upper: thetaUpper, ftolRel: 0,
      maxeval: options.maxEvaluations, xtolAbs: 1e-6)
    guard let joint = laplace.laplaceJoint(theta: stage1.x, start: nil) else {
      throw StatsError(code: "glmm-failed", message: "penalised IRLS failed at the first-stage estimates",
                       remedy: "Rescale the predictors or simplify the random effects.")
    }

    // Stage 2 over (θ, β), steps on the parameters' scales.
    var betaScale = joint.beta.map { 0.1 * max(abs($0), 0.1) }
    if let rx = joint.rx, p > 0, let inv = try? LinearAlgebra.inverseFromCholeskyFactor(rx) {
      let se = (0..<p).map { inv[$0, $0].squareRoot() }
      if se.allSatisfy({ $0.isFinite && $0 > 0 }) { betaScale = se.map { 0.1 * $0 } }
    }
    let lower = s.thetaLower + [Double](repeating: -.infinity, count: p)
    let upper = [Double](repeating: .infinity, count: nth + p)
    let deviance: ([Double]) -> Double = { v in
      evaluations += 1
      return laplace.laplace(theta: Array(v[0..<nth]), beta: Array(v[nth...]))?.deviance ?? .infinity
    }
    let x0 = stage1.x + joint.beta
    let stage2 = try Optimize.minimize(
      deviance, x0: x0, lower: lower, upper: upper, ftolRel: 0, maxeval: options.maxEvaluations,
      xtolAbs: options.xtolAbs, initialStep: [Double](repeating: 0.05, count: nth) + betaScale)
    let theta = Array(stage2.x[0..<nth]), beta = Array(stage2.x[nth...])
    guard let at = laplace.laplace(theta: theta, beta: beta) else {
      throw StatsError(code: "glmm-failed", message: "penalised IRLS failed at the optimum",
                       remedy: "Rescale the predictors or simplify the random effects.")
    }
    var converged = stage2.status.converged || stage2.status == .roundoffLimited
    if !converged {
      warnings.append(
        "the optimizer (BOBYQA) stopped without converging: \(stage2.status) after \(stage2.evaluations) evaluations of the Laplace deviance; the estimates are not the maximum-likelihood ones (raise the evaluation limit, rescale the predictors or simplify the random effects)")
    }
    if !at.converged {
      converged = false
      warnings.append("penalised IRLS did not converge at the optimum (\(at.iterations) iterations); the Laplace deviance is approximate")
    }
    return Optimum(theta: theta, beta: beta, at: at, converged: converged, evaluations: evaluations, warnings: warnings)
  }

  /// The coefficient covariance and what went wrong computing it.
  struct StandardErrors {
    var vcov: Matrix
    var evaluations: Int
    var warnings: [StatsWarning]
  }

  /// 2·[H⁻¹]ββ over the free θ and β (see the file comment); when H is not positive definite,
  /// the Hessian over β alone with θ fixed, and a warning.
  static func standardErrors(
    _ laplace: GLMMLaplace, theta: [Double], beta: [Double], uHat: [[Double]], lower: [Double]
  ) -> StandardErrors {
    let p = beta.count
    let free = theta.indices.filter { theta[$0] - lower[$0] >= 1e-6 }
    var evaluations = 0
    func covariance(_ freeTheta: [Int]) -> Matrix? {
      let x0 = freeTheta.map { theta[$0] } + beta
      let f: ([Double]) -> Double = { v in
        evaluations += 1
        var th = theta
        for (k, i) in freeTheta.enumerated() { th[i] = v[k] }
        laplace.modes = uHat
        return laplace.laplace(theta: th, beta: Array(v[freeTheta.count...]))?.deviance ?? .nan
      }
      let h = NumericalDerivatives.hessian(f, at: x0)
      let m = x0.count
      var rowMajor = [Double](repeating: 0, count: m * m)
      for i in 0..<m { for j in 0..<m { rowMajor[i * m + j] = (h[i, j] + h[j, i]) / 2 } }
      guard let chol = NewtonPolish.choleskyLower(rowMajor, m) else { return nil }
      var v = Matrix(rows: p, cols: p)
      let k = freeTheta.count
      for j in 0..<p {
        var e = [Double](repeating: 0, count: m)
        e[k + j] = 1
        let col = NewtonPolish.solve(chol, m, e)
        for i in 0..<p { v[i, j] = 2 * col[k + i] }
      }
      return v
    }
    defer { laplace.modes = uHat }
    if p == 0 { return StandardErrors(vcov: Matrix(rows: 0, cols: 0), evaluations: 0, warnings: []) }
    if let v = covariance(free) { return StandardErrors(vcov: v, evaluations: evaluations, warnings: []) }
    let warning: StatsWarning = "the Hessian of the Laplace deviance over (θ, β) is not positive definite at the optimum; the standard errors treat the variance parameters as known (Hessian over the fixed effects only)"
    if let v = covariance([]) { return StandardErrors(vcov: v, evaluations: evaluations, warnings: [warning]) }
    return StandardErrors(
      vcov: Matrix(rows: p, cols: p, repeating: .nan), evaluations: evaluations,
      warnings: ["the Hessian of the Laplace deviance is not positive definite even over the fixed effects alone, so there are no standard errors; the model is not identified (check for separation or collinear predictors)"])
  }
}
