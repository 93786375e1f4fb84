import Foundation

// The profiled deviance of a linear mixed model as a function of θ (and, for lmerTest's
// Satterthwaite method, of θ and σ).
//
// Implementation goals, in priority order: (1) lme4's formulas term for term, so that the REML
// criterion and the ML deviance agree with lme4's to rounding error; (2) one blocked Cholesky
// factorisation per evaluation and nothing else (no β, no u); (3) a non-finite result instead
// of a crash when the factorisation breaks down, so that the optimiser can back off.
//
// ```
//   ML:    d(θ)  = ldL2 + n (1 + log(2π r²/n))
//   REML:  dR(θ) = ldL2 + ldRX2 + (n − p)(1 + log(2π r²/(n − p)))
//   at σ:  d(θ, σ) = ldL2 + r²/σ² + n log(2πσ²)   [+ ldRX2 − p log(2πσ²) under REML]
// ```
//
// ldL2 = log det(L_ZZ)², ldRX2 = log det(R_X)², r² the penalised residual sum of squares.
//
// Reference: Bates et al. (2015), J. Stat. Softw. 67(1), eqs. 34 and 41; lme4
// `src/respModule.cpp` (`Laplace`), `R/lmer.R` (`mkdevfun`); lmerTest `R/lmer.R` (`devfun_vp`).

/// The pieces of one deviance evaluation.
struct DevianceComponents: Sendable, Equatable {
  var ldL2: Double
  var ldRX2: Double
  var pwrss: Double
  var n: Int
  var p: Int

  /// lme4's ML deviance (profiled over β and σ).
  var ml: Double {
    let nn = Double(n)
    return ldL2 + nn * (1 + Foundation.log(2 * Double.pi * pwrss / nn))
  }

  /// lme4's REML criterion (profiled over σ, integrated over β).
  var reml: Double {
    let nmp = Double(n - p)
    return ldL2 + ldRX2 + nmp * (1 + Foundation.log(2 * Double.pi * pwrss / nmp))
  }

  func criterion(reml useREML: Bool) -> Double { useREML ? reml : ml }

  /// σ̂ of the fit type: √(r²/(n − p)) under REML, √(r²/n) under ML.
  func sigma(reml useREML: Bool) -> Double {
    (pwrss / Double(useREML ? n - p : n)).squareRoot()
  }

  /// lmerTest's `devfun_vp`: the deviance at a given σ (not profiled).
  func deviance(sigma: Double, reml useREML: Bool) -> Double {
    let s2 = sigma * sigma
    let logTerm = Foundation.log(2 * Double.pi * s2)
    var d = ldL2 + pwrss / s2 + Double(n) * logTerm
    if useREML { d += ldRX2 - Double(p) * logTerm }
    return d
  }
}

/// A mixed model's data structure plus its blocked Cholesky factor: evaluates the deviance at
/// any θ. Not thread-safe (it reuses its buffers).
///
/// The response is replaced by its OLS residual y − Xβ₀ before the cross-products are formed.
/// The deviance is invariant to that shift (β absorbs it: β̂ = β₀ + β̂′), but r², read off the
/// last pivot as yᵀy minus the explained part, then cancels against ‖y − Xβ₀‖² ≈ r² instead of
/// yᵀy, which keeps the deviance accurate to a few ulps. lmerTest's Hessian takes second
/// differences of it with steps of 1e-5 and needs that accuracy.
final class MixedModelSystem {
  let structure: RandomEffectsStructure
  let cholesky: BlockedCholesky
  let n: Int
  let p: Int
  /// β₀, the OLS coefficients subtracted from the response.
  let betaOffset: [Double]

  /// - Parameter ols: the least-squares fit of y on x when the caller has it (else computed).
  init(structure: RandomEffectsStructure, x: Matrix, y: [Double], ols: LeastSquaresFit? = nil) throws {
    self.structure = structure
    n = y.count
    p = x.cols
    var response = y
    var offset = [Double](repeating: 0, count: x.cols)
    if x.cols > 0, let ls = ols ?? (try? LinearAlgebra.leastSquares(x, y)), ls.aliased.isEmpty,
      ls.coefficients.count == x.cols
    {
      response = ls.residuals
      offset = ls.coefficients
    }
    betaOffset = offset
    cholesky = BlockedCholesky(terms: structure.terms, x: x, y: response)
  }

  /// A second system over the same cross-products, for factoring another θ on another thread
  /// (``BlockedCholesky/init(sharingCrossProductsOf:)``).
  init(sharingCrossProductsOf o: MixedModelSystem) {
    structure = o.structure
    n = o.n
    p = o.p
    betaOffset = o.betaOffset
    cholesky = BlockedCholesky(sharingCrossProductsOf: o.cholesky)
  }

  /// `body(system, θ)` for every θ of `points`, on two threads: this system takes points 0, 2, …,
  /// `second` (a system over the same cross-products) points 1, 3, …. Each result lands at its
  /// point's index, and a factorisation's numbers do not depend on which system makes it, so the
  /// results are those of a serial loop.
  func map<T>(
    _ points: [[Double]], with second: MixedModelSystem, _ body: (MixedModelSystem, [Double]) -> T
  ) -> [T] {
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: max(points.count, 1))
    slots.initialize(repeating: nil)
    defer {
      slots.deinitialize()
      slots.deallocate()
    }
    let systems = [self, second]
    withoutActuallyEscaping(body) { body in
      let work = SystemWork(systems: systems, points: points, slots: slots, body: body)
      DispatchQueue.concurrentPerform(iterations: systems.count, execute: work.run)
    }
    return (0..<points.count).map { slots[$0]! }
  }

  /// β̂(θ) of the last factorisation (stored with `storeAll`).
  func fixedEffects() -> [Double] {
    zip(cholesky.fixedEffects(), betaOffset).map { $0 + $1 }
  }

  /// The spherical conditional modes of the last factorisation.
  func conditionalModes() -> [[Double]] {
    cholesky.conditionalModes(beta: cholesky.fixedEffects())
  }

  /// Factors at θ; nil when the factorisation fails.
  func components(_ theta: [Double], storeAll: Bool = false) -> DevianceComponents? {
    guard cholesky.factor(lambdas: structure.lambdas(theta), storeAll: storeAll) else { return nil }
    return DevianceComponents(
      ldL2: cholesky.ldL2, ldRX2: cholesky.ldRX2, pwrss: cholesky.pwrss, n: n, p: p)
  }

  /// The REML criterion or ML deviance at θ (+∞ when the factorisation fails).
  func criterion(_ theta: [Double], reml: Bool) -> Double {
    guard let c = components(theta) else { return .infinity }
    let d = c.criterion(reml: reml)
    return d.isNaN ? .infinity : d
  }
}

/// Worker w of ``MixedModelSystem/map(_:with:_:)``: points w, w + 2, … with system w, each into
/// its own slot.
private struct SystemWork<T>: @unchecked Sendable {
  let systems: [MixedModelSystem]
  let points: [[Double]]
  let slots: UnsafeMutableBufferPointer<T?>
  let body: (MixedModelSystem, [Double]) -> T

  func run(_ w: Int) {
    for i in stride(from: w, to: points.count, by: systems.count) { slots[i] = body(systems[w], points[i]) }
  }
}
