import Foundation

// Satterthwaite degrees of freedom for the fixed effects of a linear mixed model, as lmerTest.
//
// Implementation goals, in priority order: (1) lmerTest's numbers: the same variance-parameter
// vector (θ, σ) on the σ scale, the same deviance function (`devfun_vp`), numDeriv's Hessian and
// Jacobian with their default Richardson steps, the same eigenvalue rule for the inverse —
// except for step floors: an off-diagonal θ gets at least the steps of a θ of 10% of the largest
// |θ|, a diagonal θ those of 1% (numDeriv's value-relative steps make a near-zero θ's derivatives
// rounding noise: df 155.750 vs 155.755 across OpenBLAS kernels on the PRAC growth model, 5e-9
// relative with the floors; lmerTest's own df carry that noise); (2) the
// deviance evaluations reuse the model's blocked Cholesky, so the derivatives cost about as much
// as the fit; (3) warnings instead of silence when the Hessian is not positive definite.
//
// ```
//   H   = ∂²d(θ, σ) / ∂varpar²            (numDeriv::hessian)
//   A   = 2 H⁺, over eigenvalues > 1e-8   (Moore–Penrose, as lmerTest)
//   Jᵢ  = ∂[σ² R_X⁻¹R_X⁻ᵀ] / ∂varparᵢ     (numDeriv::jacobian)
//   for a contrast L:  v = LᵀV L,  gᵢ = Lᵀ Jᵢ L,  df = 2 v² / (gᵀ A g)
// ```
//
// Reference: Kuznetsova, Brockhoff & Christensen (2017), lmerTest package: tests in linear mixed
// effects models, J. Stat. Softw. 82(13), §3; lmerTest 3.1-3 `R/lmer.R` (`as_lmerModLT`,
// `devfun_vp`, `get_covbeta`) and `R/contest.R` (`contest1D.lmerModLmerTest`).

/// lmerTest's pieces for Satterthwaite tests at a fit: the asymptotic covariance of the variance
/// parameters and the Jacobian of the fixed-effects covariance.
struct SatterthwaiteInputs {
  /// A = 2 H⁺ ((q + 1) × (q + 1), over varpar = (θ, σ)).
  var varparCovariance: Matrix
  /// One p × p matrix per variance parameter.
  var jacobians: [Matrix]
  /// Eigenvalues of H (decreasing).
  var hessianEigenvalues: [Double]
  /// lmerTest's warnings about negative or near-zero Hessian eigenvalues.
  var warnings: [StatsWarning]

  /// lmerTest's tolerance for zero eigenvalues.
  static let eigenTolerance = 1e-8

  /// Computes H and J at (θ̂, σ̂) with the model's deviance function; with `second` (a system
  /// over the same cross-products), the θ points are factored on two threads first.
  static func compute(
    system: MixedModelSystem, theta: [Double], sigma: Double, reml: Bool, second: MixedModelSystem? = nil
  ) throws -> SatterthwaiteInputs {
    let varpar = theta + [sigma]
    let nt = theta.count
    // Step floors against rounding noise (numDeriv's steps are relative to the value): an
    // off-diagonal θ (a Cholesky element, unbounded, on the scale of the diagonal ones) is
    // differenced with the steps of a θ of 10% of the largest |θ|, and a diagonal θ below 1% of
    // the largest with those of a θ of that 1%; σ keeps numDeriv's steps.
    let largest = theta.map(abs).max() ?? 0
    let diagonal = system.structure.thetaIsDiagonal
    let scale = (0..<nt).map { diagonal[$0] ? 0.01 * largest : 0.1 * largest } + [0]
    let p = system.p
    // σ enters the deviance and σ²R_X⁻¹R_X⁻ᵀ in closed form, so the factorisation depends on θ
    // only: numDeriv's steps in σ (and the cross steps in θᵢ and σ, which reuse the θ points of
    // the diagonal steps) are served from this cache. The numbers are those of refactoring.
    var cache: [[Double]: (DevianceComponents, Matrix)?] = [:]
    if let second {
      let list = points(varpar: varpar, nt: nt, p: p, scale: scale)
      for (th, v) in zip(list, system.map(list, with: second, factors)) { cache[th] = v }
    }
    func at(_ th: [Double]) -> (DevianceComponents, Matrix)? {
      if let hit = cache[th] { return hit }
      let value = factors(system, th)
      cache[th] = value
      return value
    }
    let devfun: ([Double]) -> Double = { vp in
      guard let (c, _) = at(Array(vp[0..<nt])) else { return .nan }
      return c.deviance(sigma: vp[nt], reml: reml)
    }
    let h = NumericalDerivatives.hessian(devfun, at: varpar, scale: scale)
    let eigen = try LinearAlgebra.symmetricEigen(h)
    let (values, vectors) = (eigen.values, eigen.vectors)
    let tol = eigenTolerance
    var warnings: [StatsWarning] = []
    let negative = values.filter { $0 < -tol }
    let zero = values.filter { $0 > -tol && $0 < tol }
    if !negative.isEmpty {
      warnings.append(
        "Model failed to converge with \(negative.count) negative eigenvalue\(negative.count > 1 ? "s" : ""): \(negative.map(scientific).joined(separator: " "))")
    }
    if !zero.isEmpty {
      warnings.append(
        "Model may not have converged with \(zero.count) eigenvalue\(zero.count > 1 ? "s" : "") close to zero: \(zero.map(scientific).joined(separator: " "))")
    }
    let k = varpar.count
    var a = Matrix(rows: k, cols: k)
    for (e, lambda) in values.enumerated() where lambda > tol {
      for j in 0..<k {
        for i in 0..<k { a[i, j] += 2 * vectors[i, e] * vectors[j, e] / lambda }
      }
    }
    let covbeta: ([Double]) -> [Double] = { vp in
      guard let (_, inv) = at(Array(vp[0..<nt])) else { return [Double](repeating: .nan, count: p * p) }
      let s2 = vp[nt] * vp[nt]
      return inv.values.map { s2 * $0 }
    }
    let jac = NumericalDerivatives.jacobian(covbeta, at: varpar, scale: scale)
    let jacobians = (0..<k).map { Matrix(rows: p, cols: p, values: jac.column($0)) }
    return SatterthwaiteInputs(
      varparCovariance: a, jacobians: jacobians, hessianEigenvalues: values, warnings: warnings)
  }

  /// Models with at least this many rows evaluate the θ points of their derivatives (the Newton
  /// polish's and these) on two threads: about 110 factorisations here for a 4-parameter θ, 1.3 s
  /// of the 1M-row growth model's 3.8 s (issue 24).
  static let parallelRows = 20_000

  /// The deviance components and R_X⁻¹R_X⁻ᵀ at θ; nil when the factorisation fails.
  private static func factors(_ system: MixedModelSystem, _ th: [Double]) -> (DevianceComponents, Matrix)? {
    guard let c = system.components(th),
      let inv = try? LinearAlgebra.inverseFromCholeskyFactor(system.cholesky.rx())
    else { return nil }
    return (c, inv)
  }

  /// The distinct θ points numDeriv's Hessian and Jacobian ask for, in the order they ask:
  /// their steps depend on x and the step rule only, never on f, so a pass with f ≡ 0 lists them.
  private static func points(varpar: [Double], nt: Int, p: Int, scale: [Double]) -> [[Double]] {
    var list: [[Double]] = []
    var seen = Set<[Double]>()
    func record(_ vp: [Double]) {
      let th = Array(vp[0..<nt])
      if seen.insert(th).inserted { list.append(th) }
    }
    _ = NumericalDerivatives.hessian({ record($0); return 0 }, at: varpar, scale: scale)
    _ = NumericalDerivatives.jacobian({ record($0); return [Double](repeating: 0, count: p * p) }, at: varpar, scale: scale)
    return list
  }

  /// Satterthwaite df of the contrast Lᵀβ given Var(β̂) = `vcov`.
  func df(contrast l: [Double], vcov: Matrix) -> Double {
    let v = vcov.quadraticForm(l)
    let g = jacobians.map { $0.quadraticForm(l) }
    let denom = varparCovariance.quadraticForm(g)
    return 2 * v * v / denom
  }

  /// R's `sprintf("%1.1e", x)`.
  private static func scientific(_ x: Double) -> String { String(format: "%1.1e", x) }
}
