import Foundation

// Maximum-likelihood factor analysis with one common factor (the model behind omega total).
//
// Implementation goals, in priority order: (1) the ML optimum itself, not an optimiser's
// stopping point: BOBYQA on the concentrated likelihood over the uniquenesses (the approach of
// R's `factanal`), then Newton steps on the stationarity equations diag(ΛΛ' + Ψ − R) = 0 until
// they hold to rounding; lavaan's default stopping point is within ~1e-6 of this optimum, and the
// ML solution is scale-equivariant, so the covariance-metric solution is the correlation-metric
// one rescaled; (2) Heywood cases reported, not hidden: uniquenesses are bounded below by 0.005
// (factanal's `lower`) and a solution on the bound is flagged.
//
// References: Jöreskog, K. G. (1967), Some contributions to maximum likelihood factor analysis,
// *Psychometrika* 32, 443–482; Lawley, D. N. & Maxwell, A. E. (1971), *Factor Analysis as a
// Statistical Method*, 2nd ed., ch. 4; R Core Team, `stats::factanal` (`factanal.fit.mle`).

/// A one-factor ML solution in the correlation metric.
public struct OneFactorSolution: Sendable, Equatable {
  /// Standardised loadings λ (sign chosen so that Σλ ≥ 0).
  public var loadings: [Double]
  /// Uniquenesses ψ = 1 − λ² at the optimum.
  public var uniquenesses: [Double]
  /// The ML discrepancy F = log|Σ| − log|R| + tr(RΣ⁻¹) − p at the optimum, Σ = λλ' + Ψ.
  public var objective: Double
  /// True when the optimiser converged and the stationarity equations hold (or a Heywood case
  /// was reached).
  public var converged: Bool
  /// True when a uniqueness is on its lower bound (a Heywood case).
  public var heywood: Bool
  /// Largest |λᵢ² + ψᵢ − 1| at the returned point.
  public var maxGradient: Double
}

/// Maximum-likelihood factor analysis.
public enum FactorAnalysis {
  /// Lower bound of the uniquenesses (factanal's default `lower`).
  public static let lowerUniqueness = 0.005

  /// One-factor ML factor analysis of a correlation matrix.
  ///
  /// For uniquenesses Ψ, let θ₁ ≥ θ₂ ≥ … be the eigenvalues of Ψ^{-1/2} R Ψ^{-1/2} and v₁ the
  /// first eigenvector. The likelihood concentrated over Λ is
  /// ```
  /// F(Ψ) = Σ_{j≥2} (θⱼ − log θⱼ − 1),   Λ(Ψ) = Ψ^{1/2} v₁ √max(θ₁ − 1, 0)
  /// ```
  /// F is minimised over 0.005 ≤ ψᵢ ≤ 1 by BOBYQA from ψᵢ = (1 − 1/(2p))/(R⁻¹)ᵢᵢ (factanal's
  /// start), then Newton steps with a forward-difference Jacobian solve gᵢ(Ψ) = λᵢ² + ψᵢ − 1 = 0.
  /// - Parameter r: a p × p correlation matrix (p ≥ 3), positive definite.
  /// - Throws: `StatsError` `too-few-items` (p < 3: the model is not identified),
  ///   `not-positive-definite`, `optimizer-failed`.
  public static func oneFactorML(correlation r: Matrix) throws -> OneFactorSolution {
    let p = r.rows
    precondition(r.cols == p, "a correlation matrix is square")
    if p < 3 {
      throw StatsError(
        code: "too-few-items",
        message: "a one-factor model needs at least three items to be identified; got \(p)",
        remedy: "Add items, or report alpha only.")
    }
    let inverse = try LinearAlgebra.inverseSPD(r)
    let start = (0..<p).map { min(max((1 - 0.5 / Double(p)) / inverse[$0, $0], lowerUniqueness), 1) }

    func scaled(_ psi: [Double]) -> Matrix {
      var s = r
      for j in 0..<p { for i in 0..<p { s[i, j] = r[i, j] / (psi[i] * psi[j]).squareRoot() } }
      return s
    }
    func objective(_ psi: [Double]) -> Double {
      guard let e = try? LinearAlgebra.symmetricEigen(scaled(psi)) else { return .infinity }
      var f = 0.0
      for theta in e.values.dropFirst() {
        guard theta > 0 else { return .infinity }
        f += theta - log(theta) - 1
      }
      return f
    }
    func loadings(_ psi: [Double]) throws -> [Double] {
      let e = try LinearAlgebra.symmetricEigen(scaled(psi))
      let scale = max(e.values[0] - 1, 0).squareRoot()
      var l = (0..<p).map { psi[$0].squareRoot() * e.vectors[$0, 0] * scale }
      if l.reduce(0, +) < 0 { l = l.map { -$0 } }
      return l
    }
    func gradient(_ psi: [Double]) throws -> [Double] {
      let l = try loadings(psi)
      return (0..<p).map { l[$0] * l[$0] + psi[$0] - 1 }
    }

    let lower = [Double](repeating: lowerUniqueness, count: p)
    let upper = [Double](repeating: 1, count: p)
    let fit = try Optimize.minimize(
      objective, x0: start, lower: lower, upper: upper, ftolRel: 1e-14, maxeval: 20_000)
    var psi = fit.x
    let heywood = psi.contains { $0 <= lowerUniqueness * (1 + 1e-6) }
    var g = try gradient(psi)
    var best = g.map(abs).max() ?? 0
    if !heywood {
      // Newton on g(ψ) = 0; stop when a step no longer reduces max|g|.
      for _ in 0..<50 {
        if best < 1e-15 { break }
        var jacobian = Matrix(rows: p, cols: p)
        for j in 0..<p {
          var e = psi
          let h = 1e-7 * psi[j]
          e[j] += h
          let ge = try gradient(e)
          for i in 0..<p { jacobian[i, j] = (ge[i] - g[i]) / h }
        }
        guard let step = try? LinearAlgebra.leastSquares(jacobian, g, tolerance: 1e-12),
          step.aliased.isEmpty
        else { break }
        let next = (0..<p).map { psi[$0] - step.coefficients[$0] }
        if next.contains(where: { $0 < lowerUniqueness || $0 > 1 }) { break }
        let gn = try gradient(next)
        let size = gn.map(abs).max() ?? 0
        if !(size < best) { break }
        psi = next
        g = gn
        best = size
      }
    }
    let l = try loadings(psi)
    return OneFactorSolution(
      loadings: l, uniquenesses: psi, objective: objective(psi),
      converged: heywood || (fit.status.converged || fit.status == .roundoffLimited) && best < 1e-8,
      heywood: heywood, maxGradient: best)
  }
}
