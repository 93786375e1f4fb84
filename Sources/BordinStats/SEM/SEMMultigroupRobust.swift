// The FIML-corrected robust CFI, TLI and RMSEA of a multigroup MLR fit (lavaan 0.6-14
// lav_fit_fiml_corrected, "V3", Zhang & Savalei 2022), group by group as lavaan builds them.
//
// Per group g (n_g cases, f_g = n_g/N): W_m,g and J_m,g the observed and first-order
// information per case of the unstructured h1 at the EM moments (S̃_g, m̃_g), W_c,g the
// complete-data h1 information per case at (S̃_g, m̃_g), Δ_g = ∂(vech Σ_g, μ_g)/∂θ' over every
// free parameter. With the block-diagonal
//   W_m = ⊕ f_g W_m,g,  W_m⁻¹ = ⊕ W_m,g⁻¹/f_g,  W_c = ⊕ f_g W_c,g,  Γ = ⊕ W_m,g⁻¹ J_m,g W_m,g⁻¹ / f_g,
// Δ = [Δ_1; …; Δ_G], E = Δ'W_mΔ and U = W_m − W_mΔE⁻¹Δ'W_m:
//   ĉ₃ = tr(U W_m⁻¹ W_c W_m⁻¹ U Γ) / df,   XX3 = Σ_g n_g[log|Σ̂_g| + tr(S̃_gΣ̂_g⁻¹) − log|S̃_g| − p + d_g'Σ̂_g⁻¹d_g],
// and the same for the baseline model; then as for one group (SEMRobust.swift) with √G in the
// RMSEA and its interval (lavaan lav_fit_rmsea with G groups).
//
// References: Zhang, X., & Savalei, V. (2022). New computations for RMSEA and CFI following FIML
// and TS estimation with missing data. *Psychological Methods*.

import Foundation

extension SEM {
  /// One group's h1 ingredients: per-case W_m, J_m (not yet weighted) and W_c, with n_g.
  struct GroupH1 {
    var wm: Matrix
    var jm: Matrix
    var wc: Matrix
    var n: Int
    var em: SaturatedModel
  }

  /// The robust CFI, TLI, RMSEA and RMSEA interval; nil when a matrix is singular.
  static func multigroupRobustIndices(
    model: SEMRobustModelPart, baseline: SEMRobustModelPart, groups: [GroupH1], fit: SEMFitMeasures
  ) -> (cfi: Double, tli: Double, rmsea: Double, lower: Double, upper: Double)? {
    let n = groups.reduce(0) { $0 + $1.n }
    let nn = Double(n)
    let p = groups[0].em.mu.count
    let big = p * groups.count
    var wm: [Matrix] = [], wmi: [Matrix] = [], jm: [Matrix] = [], wc: [Matrix] = []
    for g in groups {
      let f = Double(g.n) / nn
      guard let inv = SEMStandardErrors.covariance(g.wm) else { return nil }
      wm.append(scaled(g.wm, f))
      wmi.append(scaled(inv, 1 / f))
      jm.append(scaled(g.jm, f))
      wc.append(scaled(g.wc, f))
    }
    let deltaModel = stackRows((0..<groups.count).map { groupDelta(model.delta, total: big, p: p, group: $0) })
    let deltaBase = stackRows((0..<groups.count).map { groupDelta(baseline.delta, total: big, p: p, group: $0) })
    let (bwm, bwmi, bjm, bwc) = (blockDiagonal(wm), blockDiagonal(wmi), blockDiagonal(jm), blockDiagonal(wc))
    var xx3 = 0.0, xx3b = 0.0
    for (g, h) in groups.enumerated() {
      let idx = Array((g * p)..<((g + 1) * p))
      let (sm, mm) = block(model.sigma, model.mu, idx)
      let (sb, mb) = block(baseline.sigma, baseline.mu, idx)
      guard let x = SEMRobust.completeDataChisq(sigma: sm, mu: mm, s: h.em.sigma, m: h.em.mu, n: h.n),
        let xb = SEMRobust.completeDataChisq(sigma: sb, mu: mb, s: h.em.sigma, m: h.em.mu, n: h.n)
      else { return nil }
      xx3 += x
      xx3b += xb
    }
    guard fit.df > 0,
      let k = SEMRobust.fimlCorrectedTrace(wm: bwm, wmInverse: bwmi, jm: bjm, wc: bwc, delta: deltaModel),
      let kb = SEMRobust.fimlCorrectedTrace(wm: bwm, wmInverse: bwmi, jm: bjm, wc: bwc, delta: deltaBase)
    else { return nil }
    let d = Double(fit.df)
    let c3 = k / d
    let c3b = kb / Double(fit.baselineDf)
    let robust = SEMFit.incremental(chisq: xx3, df: fit.df, baselineChisq: xx3b, baselineDf: fit.baselineDf, c: c3, cBaseline: c3b)
    let rootG = Double(groups.count).squareRoot()
    let (lo, hi) = SEMFit.rmseaInterval(chisq: xx3 / c3, df: fit.df, n: n)
    return (robust.cfi, robust.tli, rootG * max(xx3 / (nn * d) - c3 / nn, 0).squareRoot(),
            rootG * lo * c3.squareRoot(), rootG * hi * c3.squareRoot())
  }

  /// The rows of a stacked Δ (vech of the total × total Σ, then the means) that belong to group
  /// `group`'s own moments, in one group's h1 order (vech Σ_g by columns, then μ_g).
  static func groupDelta(_ delta: Matrix, total: Int, p: Int, group g: Int) -> Matrix {
    let h = p * (p + 1) / 2 + p
    var out = Matrix(rows: h, cols: delta.cols)
    var r = 0
    func vechRow(_ i: Int, _ j: Int) -> Int { j * total - j * (j - 1) / 2 + (i - j) }
    for j in 0..<p {
      for i in j..<p {
        let src = vechRow(g * p + i, g * p + j)
        for k in 0..<delta.cols { out[r, k] = delta[src, k] }
        r += 1
      }
    }
    for i in 0..<p {
      let src = total * (total + 1) / 2 + g * p + i
      for k in 0..<delta.cols { out[r, k] = delta[src, k] }
      r += 1
    }
    return out
  }

  static func scaled(_ m: Matrix, _ f: Double) -> Matrix {
    var out = m
    for i in out.values.indices { out.values[i] *= f }
    return out
  }

  static func blockDiagonal(_ blocks: [Matrix]) -> Matrix {
    let n = blocks.reduce(0) { $0 + $1.rows }
    var out = Matrix(rows: n, cols: n)
    var o = 0
    for b in blocks {
      for j in 0..<b.cols { for i in 0..<b.rows { out[o + i, o + j] = b[i, j] } }
      o += b.rows
    }
    return out
  }

  static func stackRows(_ parts: [Matrix]) -> Matrix {
    let rows = parts.reduce(0) { $0 + $1.rows }
    var out = Matrix(rows: rows, cols: parts[0].cols)
    var o = 0
    for m in parts {
      for j in 0..<m.cols { for i in 0..<m.rows { out[o + i, j] = m[i, j] } }
      o += m.rows
    }
    return out
  }
}
