import Foundation
// Meta-regression extras: the pseudo-R² of `rma.uni` (its default `r2def = "1"`).
//
// Implementation goals, in priority order: (1) metafor's definition and its corner cases
// (truncation at 0, R² = 0 when the model without moderators has τ² = 0, the weighted adjusted R²
// for FE models); (2) the reduced model is refitted with the same method and options, as metafor
// does, so that a non-converging reduced fit leaves R² unreported instead of failing the model.
//
// The model itself (coefficients, z/t tests, CIs, QM as a Wald χ² or Knapp–Hartung F test) is
// fitted by `Engine.fit` in MetaAnalysis.swift; moderators are given as a formula right-hand side
// through ``MetaAnalysis/fit(_:mods:data:options:evaluate:)``.
//
// References: Raudenbush, S. W. (2009). Analyzing effect sizes: random-effects models. In H.
// Cooper, L. V. Hedges & J. C. Valentine (eds.), The Handbook of Research Synthesis and
// Meta-Analysis (2nd ed., pp. 295–315); López-López, J. A., Marín-Martínez, F., Sánchez-Meca, J.,
// Van den Noortgate, W. & Viechtbauer, W. (2014). Estimation of the predictive power of the
// model in mixed-effects meta-regression. British Journal of Mathematical and Statistical
// Psychology, 67, 30–48; Knapp, G. & Hartung, J. (2003), Statistics in Medicine 22, 2693–2710.

enum MetaRegression {
  /// metafor's pseudo-R² in percent.
  ///
  /// ```
  /// random effects: R² = max(0, 100·(τ²₀ − τ²)/τ²₀), τ²₀ from the model without moderators
  ///                 (R² = 0 when τ²₀ = 0)
  /// FE:             R² = max(0, 100·adjusted R² of lm(y ~ X, weights = 1/vᵢ))
  /// ```
  /// Returns nil when the reduced model cannot be fitted (metafor: NA).
  static func pseudoR2(
    yi: [Double], vi: [Double], x: Matrix, tau2: Double, beta: [Double], options: MetaOptions,
    measure: MetaEffects.Measure
  ) throws -> Double? {
    let k = yi.count
    if !options.method.isRandomEffects {
      if let f = yi.first, yi.allSatisfy({ $0 == f }) { return 0 }
      let w = vi.map { 1 / $0 }
      let fitted = x.multiplied(by: beta)
      let sw = MetaLinear.sum(w)
      var mf = 0.0
      for i in 0..<k { mf += w[i] * fitted[i] }
      mf /= sw
      var mss = 0.0
      var rss = 0.0
      for i in 0..<k {
        mss += w[i] * (fitted[i] - mf) * (fitted[i] - mf)
        rss += w[i] * (yi[i] - fitted[i]) * (yi[i] - fitted[i])
      }
      let r2 = mss / (mss + rss)
      let adj = 1 - (1 - r2) * Double(k - 1) / Double(k - x.cols)
      return max(0, 100 * adj)
    }
    let ones = Matrix(rows: k, cols: 1, repeating: 1)
    guard
      let reduced = try? Engine.fit(
        yi: yi, vi: vi, x: ones, terms: ["intrcpt"], options: options, measure: measure,
        inference: false)
    else { return nil }
    if reduced.tau2 == 0 { return 0 }
    return max(0, 100 * (reduced.tau2 - tau2) / reduced.tau2)
  }
}
