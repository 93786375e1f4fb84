// Start values of a structural equation model, as lavaan 0.6's default (`start = "default"`,
// `lav_start`), with a data-based fallback for restarts.
//
// Implementation goals, in priority order: (1) start where lavaan starts, so that a model with
// reverse-keyed marker indicators (the Big Five on psych::bfi: A1 and E1) is not started with
// every implied covariance of its marker of the wrong sign (lavaan's `start = "simple"`, all
// loadings 1, cannot reach the negative loadings without passing λ = 0, where the gradient in λ
// vanishes, and ends in a collapsed factor variance); (2) a second, fully data-based start (the
// one-factor solution of every factor's indicators) for a restart when a fit ends with a collapsed
// latent variance.
//
// lavaan's default, per row of the parameter table (S and m: the sample moments, divisor N, or
// the EM moments under FIML):
//   loadings 1; latent (residual) variances 0.05; observed residual variances ½ s_ii; observed
//   intercepts m_i; (co)variances of exogenous observed variables s_ij (·(N−1)/N under FIML);
//   everything else 0. Then for each latent variable f measured by observed variables only, with
//   S the covariance matrix of its indicators (the first is the marker, λ₁ = 1):
//     FABIN 3 (Hägglund 1982), ≥ 4 indicators, J = indicators other than 1 and i:
//       λ_i = s_{iJ} S_JJ⁻¹ s_{J1} / (s_{1J} S_JJ⁻¹ s_{J1})   (FABIN 2 Σ s_{iJ}s_{J1}/Σ s_{J1}² if S_JJ singular)
//     ≤ 3 indicators (two: S bordered by a third variable with variance mean(s_ii) and
//       covariances (mean(s_ii), s_21)): ψ = s₂₁s₃₁/s₃₂, λ₂ = s₃₂/s₃₁, λ₃ = s₃₂/s₂₁; a negative
//       triad s₂₁s₃₁s₃₂ < 0 resets the loadings to 1;
//     bounds |λ_i| ≤ √(s_ii / (0.1 s₁₁)); with the factor variance fixed at 1 (std.lv) λ·sign(ψ)√|ψ|.
//   Models without latent variables start each regression at S_xx⁻¹ s_xy and its residual
//   variance at s_yy − β's_xy when that lies in (0.01, 0.99)·s_yy. User start values win.
// The data-based restart also takes ψ and θ from the one-factor solution of FABIN
// (lav_cfa_1fac_fabin with lambda.only = FALSE):
//   D = λλ'/λ'λ,  θ = (I − D∘D)⁻¹ diag(S − DSD),  ψ = λ'(S − diag θ)λ / (λ'λ)², ψ ≥ 0.05·s₁₁.
//
// References: Hägglund, G. (1982). Factor analysis by instrumental variables methods.
// *Psychometrika*, 47, 209–222. Rosseel, Y. (2012). lavaan. *Journal of Statistical Software*,
// 48(2); lavaan 0.6-14 `lav_start`, `lav_cfa_1fac_fabin`, `lav_cfa_1fac_3ind`.

import Foundation

enum SEMStartValues {
  /// lavaan's default start (`dataBased: false`), or the restart with factor and residual
  /// variances from each factor's one-factor solution (`dataBased: true`).
  static func values(table: SEMParameterTable, h1: SaturatedModel, n: Int, fiml: Bool, dataBased: Bool = false)
    -> [Double]
  {
    let start = rowValues(table: table, h1: h1, n: n, fiml: fiml, dataBased: dataBased)
    var theta = [Double](repeating: .nan, count: table.freeCount)
    for (i, r) in table.rows.enumerated() {
      guard let k = r.free, theta[k].isNaN else { continue }
      theta[k] = r.value ?? start[i]
    }
    return theta.map { $0.isFinite ? $0 : 0.5 }
  }

  /// The start value of every row (before user start values), as lavaan's `lav_start`.
  static func rowValues(table: SEMParameterTable, h1: SaturatedModel, n: Int, fiml: Bool, dataBased: Bool = false)
    -> [Double]
  {
    let obsIndex = Dictionary(uniqueKeysWithValues: table.observed.enumerated().map { ($1, $0) })
    let latent = Set(table.latent)
    let exogenous = Set(table.exogenous)
    let s = h1.sigma
    var start = [Double](repeating: 0, count: table.rows.count)
    for (i, r) in table.rows.enumerated() {
      switch r.op {
      case .measuredBy: start[i] = 1
      case .intercept: start[i] = obsIndex[r.lhs].map { h1.mu[$0] } ?? 0
      case .covariance:
        if let a = obsIndex[r.lhs], let b = obsIndex[r.rhs], exogenous.contains(r.lhs), exogenous.contains(r.rhs) {
          start[i] = s[a, b] * (fiml ? Double(n - 1) / Double(n) : 1)
        } else if r.lhs == r.rhs {
          if latent.contains(r.lhs) { start[i] = 0.05 } else if let a = obsIndex[r.lhs] { start[i] = 0.5 * s[a, a] }
        }
      case .regression, .defined: break
      }
    }
    for f in table.latent { factorStart(f, table: table, s: s, obsIndex: obsIndex, dataBased: dataBased, start: &start) }
    if table.latent.isEmpty { regressionStart(table: table, s: s, obsIndex: obsIndex, start: &start) }
    return start
  }

  /// FABIN 3 loadings of one factor (lavaan `lav_cfa_1fac_fabin`), and with `dataBased` its
  /// variance and its indicators' residual variances.
  static func factorStart(
    _ f: String, table: SEMParameterTable, s: Matrix, obsIndex: [String: Int], dataBased: Bool,
    start: inout [Double]
  ) {
    let lambdaRows = table.rows.indices.filter { table.rows[$0].op == .measuredBy && table.rows[$0].lhs == f }
    let ov = lambdaRows.compactMap { obsIndex[table.rows[$0].rhs] }
    guard !lambdaRows.isEmpty, ov.count == lambdaRows.count else { return }
    let varRow = table.rows.indices.first {
      table.rows[$0].op == .covariance && table.rows[$0].lhs == f && table.rows[$0].rhs == f
    }
    let stdLV = varRow.map { table.rows[$0].free == nil && table.rows[$0].value == 1 } ?? false
    var cov = Matrix(rows: ov.count, cols: ov.count)
    for (b, jb) in ov.enumerated() { for (a, ja) in ov.enumerated() { cov[a, b] = s[ja, jb] } }
    guard let one = oneFactor(cov, full: stdLV || dataBased) else { return }
    var lambda = one.lambda
    if one.negativeTriad { lambda = [Double](repeating: stdLV ? 0.7 : 1, count: lambda.count) }
    if stdLV, !one.negativeTriad, let psi = one.psi {
      lambda = lambda.map { $0 * (psi < 0 ? -1 : 1) * abs(psi).squareRoot() }
    }
    for (a, i) in lambdaRows.enumerated() { start[i] = lambda[a].isFinite ? lambda[a] : 1 }
    guard dataBased, !one.negativeTriad, let psi = one.psi, let theta = one.theta else { return }
    if let v = varRow, !stdLV { start[v] = max(psi, 0.05 * cov[0, 0]) }
    for (a, j) in ov.enumerated() {
      let name = table.observed[j]
      if let r = table.rows.indices.first(where: {
        table.rows[$0].op == .covariance && table.rows[$0].lhs == name && table.rows[$0].rhs == name
      }) {
        start[r] = min(max(theta[a], 0.05 * cov[a, a]), cov[a, a])
      }
    }
  }

  struct OneFactor {
    var lambda: [Double]
    var psi: Double?
    var theta: [Double]?
    var negativeTriad: Bool
  }

  /// The one-factor solution of a covariance matrix with the first variable as marker.
  static func oneFactor(_ sIn: Matrix, full: Bool) -> OneFactor? {
    let nvar = sIn.rows
    if nvar < 4 { return triad(sIn) }
    let s = sIn
    var lambda = [Double](repeating: 1, count: nvar)
    for i in 1..<nvar {
      let j = (0..<nvar).filter { $0 != i && $0 != 0 }
      var sjj = Matrix(rows: j.count, cols: j.count)
      for (b, jb) in j.enumerated() { for (a, ja) in j.enumerated() { sjj[a, b] = s[ja, jb] } }
      let sj1 = j.map { s[$0, 0] }
      let siJ = j.map { s[i, $0] }
      if let inv = try? LinearAlgebra.inverse(sjj), inv.values.allSatisfy(\.isFinite) {
        let t = inv.multiplied(by: sj1)
        lambda[i] = zip(siJ, t).reduce(0) { $0 + $1.0 * $1.1 } / zip(sj1, t).reduce(0) { $0 + $1.0 * $1.1 }
      } else {
        lambda[i] = zip(siJ, sj1).reduce(0) { $0 + $1.0 * $1.1 } / sj1.reduce(0) { $0 + $1 * $1 }
      }
    }
    let lowerPsi = 0.1 * s[0, 0]
    for i in 1..<nvar {
      let bound = (s[i, i] / lowerPsi).squareRoot()
      lambda[i] = min(max(-bound, lambda[i]), bound)
    }
    guard full else { return OneFactor(lambda: lambda, psi: nil, theta: nil, negativeTriad: false) }
    // θ = (I − D∘D)⁻¹ diag(S − D S D), D = λλ'/λ'λ; ψ = λ'(S − diag θ)λ / (λ'λ)².
    let l2 = lambda.reduce(0) { $0 + $1 * $1 }
    var d = Matrix(rows: nvar, cols: nvar)
    for b in 0..<nvar { for a in 0..<nvar { d[a, b] = lambda[a] * lambda[b] / l2 } }
    let dsd = d.multiplied(by: s).multiplied(by: d)
    var m = Matrix(rows: nvar, cols: nvar)
    for b in 0..<nvar { for a in 0..<nvar { m[a, b] = (a == b ? 1 : 0) - d[a, b] * d[a, b] } }
    let rhs = (0..<nvar).map { s[$0, $0] - dsd[$0, $0] }
    guard let inv = try? LinearAlgebra.inverse(m) else {
      return OneFactor(lambda: lambda, psi: nil, theta: nil, negativeTriad: false)
    }
    let theta = inv.multiplied(by: rhs)
    var psi = 0.0
    for b in 0..<nvar {
      for a in 0..<nvar { psi += lambda[a] * (s[a, b] - (a == b ? theta[a] : 0)) * lambda[b] }
    }
    return OneFactor(lambda: lambda, psi: psi / (l2 * l2), theta: theta, negativeTriad: false)
  }

  /// lavaan `lav_cfa_1fac_3ind`: the closed-form one-factor solution of ≤ 3 indicators.
  static func triad(_ sIn: Matrix) -> OneFactor? {
    let nvar = sIn.rows
    var s = Matrix(rows: 3, cols: 3)
    switch nvar {
    case 1:
      for b in 0..<3 { for a in 0..<3 { s[a, b] = 1 } }
    case 2:
      let mean = 0.5 * (sIn[0, 0] + sIn[1, 1])
      let maxVar = max(sIn[0, 0], sIn[1, 1])
      for b in 0..<2 { for a in 0..<2 { s[a, b] = sIn[a, b] } }
      s[2, 0] = mean; s[0, 2] = mean
      s[2, 1] = sIn[1, 0]; s[1, 2] = sIn[1, 0]
      s[2, 2] = maxVar
    default:
      s = sIn
    }
    guard s[0, 0] > 0, s[1, 1] > 0, s[2, 2] > 0 else { return nil }
    let (s21, s31, s32) = (s[1, 0], s[2, 0], s[2, 1])
    let negative = s21 * s31 * s32 < 0
    var psi = s21 * s31 / s32
    var l2 = s32 / s31
    var l3 = s32 / s21
    var theta = [s[0, 0] - psi, s[1, 1] - l2 * l2 * psi, s[2, 2] - l3 * l3 * psi]
    let lowerPsi = 0.1 * s[0, 0]
    psi = min(max(psi, lowerPsi), s[0, 0])
    let b2 = (s[1, 1] / lowerPsi).squareRoot()
    let b3 = (s[2, 2] / lowerPsi).squareRoot()
    l2 = min(max(-b2, l2), b2)
    l3 = min(max(-b3, l3), b3)
    for a in 0..<3 { theta[a] = min(max(theta[a], 0), s[a, a]) }
    var lambda = [1, l2, l3]
    if nvar == 1 {
      lambda = [1]
      theta = [theta[0]]
    } else if nvar == 2 {
      lambda = [1, l2]
      theta = [theta[0], theta[1]]
      psi /= 2
    }
    return OneFactor(lambda: lambda, psi: psi, theta: theta, negativeTriad: negative)
  }

  /// Regressions of a model without latent variables from S_xx⁻¹ s_xy, with residual variances.
  static func regressionStart(table: SEMParameterTable, s: Matrix, obsIndex: [String: Int], start: inout [Double]) {
    var ys: [String] = []
    for r in table.rows where r.op == .regression && !ys.contains(r.lhs) { ys.append(r.lhs) }
    for y in ys {
      let idx = table.rows.indices.filter { table.rows[$0].op == .regression && table.rows[$0].lhs == y }
      guard let yi = obsIndex[y] else { continue }
      let xs = idx.compactMap { obsIndex[table.rows[$0].rhs] }
      guard xs.count == idx.count else { continue }
      var sxx = Matrix(rows: xs.count, cols: xs.count)
      for (b, jb) in xs.enumerated() { for (a, ja) in xs.enumerated() { sxx[a, b] = s[ja, jb] } }
      let sxy = xs.map { s[$0, yi] }
      guard let inv = try? LinearAlgebra.inverse(sxx), inv.values.allSatisfy(\.isFinite) else {
        for i in idx { start[i] = 0 }
        continue
      }
      let beta = inv.multiplied(by: sxy)
      for (a, i) in idx.enumerated() { start[i] = beta[a] }
      let res = s[yi, yi] - zip(beta, sxy).reduce(0) { $0 + $1.0 * $1.1 }
      if res > 0.01 * s[yi, yi] && res < 0.99 * s[yi, yi],
        let v = table.rows.indices.first(where: {
          table.rows[$0].op == .covariance && table.rows[$0].lhs == y && table.rows[$0].rhs == y
        })
      {
        start[v] = res
      }
    }
  }
}
