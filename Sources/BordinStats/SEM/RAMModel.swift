// Model-implied means and covariances of any SEM in one formulation: the reticular action model.
//
// Implementation goals, in priority order: (1) one code path for path models, latent-variable
// models and random-intercept cross-lagged panel models; (2) exact first derivatives of the
// implied moments, for analytic gradients and information matrices; (3) small dense loops (models
// have tens of variables), no allocation per element.
//
// All m variables (observed first, in the table's order, then latent) obey v = A v + u with
// Cov(u) = S and E(u) = M. Each row of the parameter table is one cell:
//   f =~ x  → A[x, f];   y ~ x → A[y, x];   a ~~ b → S[a, b] = S[b, a];   y ~ 1 → M[y].
// With B = (I − A)⁻¹ and F the selection of the p observed variables,
//   Σ_full = B S B',  μ_full = B M,  Σ(θ) = F Σ_full F',  μ(θ) = F μ_full.
// Derivatives (E_ij the unit matrix):
//   ∂Σ_full/∂A_ij = B E_ij Σ_full + Σ_full E_ji B',   ∂μ_full/∂A_ij = B E_ij μ_full,
//   ∂Σ_full/∂S_ij = B (E_ij + E_ji) B' (i ≠ j), B E_ii B',   ∂μ_full/∂M_i = B e_i.
// The RAM form gives the same Σ(θ), μ(θ) as lavaan's LISREL matrices (Λ, B, Θ, Ψ, ν, α).
//
// References: McArdle, J. J., & McDonald, R. P. (1984). Some algebraic properties of the
// reticular action model for moment structures. *British Journal of Mathematical and Statistical
// Psychology*, 37, 234–251. Jöreskog, K. G. (1969). A general approach to confirmatory maximum
// likelihood factor analysis. *Psychometrika*, 34, 183–202.

/// The RAM matrices of a parameter table and the moments they imply.
struct RAMModel: Sendable {
  enum Slot: Sendable, Equatable {
    case a(Int, Int)
    case s(Int, Int)
    case mean(Int)
  }

  struct Cell: Sendable {
    var row: Int
    var slot: Slot
    var free: Int?
    var value: Double
  }

  /// Number of observed variables.
  let p: Int
  /// Number of all variables (observed + latent).
  let m: Int
  /// Observed then latent variable names.
  let variables: [String]
  let cells: [Cell]
  let freeCount: Int

  init(table: SEMParameterTable) {
    let vars = table.observed + table.latent
    var index: [String: Int] = [:]
    for (k, v) in vars.enumerated() { index[v] = k }
    p = table.observed.count
    m = vars.count
    variables = vars
    freeCount = table.freeCount
    var cells: [Cell] = []
    for (r, row) in table.rows.enumerated() {
      let slot: Slot
      switch row.op {
      case .measuredBy: slot = .a(index[row.rhs]!, index[row.lhs]!)
      case .regression: slot = .a(index[row.lhs]!, index[row.rhs]!)
      case .covariance: slot = .s(index[row.lhs]!, index[row.rhs]!)
      case .intercept: slot = .mean(index[row.lhs]!)
      case .defined: continue
      }
      cells.append(Cell(row: r, slot: slot, free: row.free, value: row.free == nil ? (row.value ?? 0) : 0))
    }
    self.cells = cells
  }

  /// Implied moments at θ, with the intermediate matrices the derivatives need.
  struct Implied: Sendable {
    /// B = (I − A)⁻¹, m × m, column-major.
    var b: [Double]
    /// Σ_full = B S B', m × m.
    var sigmaFull: [Double]
    /// μ_full = B M.
    var muFull: [Double]
    /// Σ(θ), p × p.
    var sigma: Matrix
    /// μ(θ).
    var mu: [Double]
    /// S (the variance/covariance parameters), m × m.
    var s: [Double]
  }

  /// The value of every table row at θ (fixed rows at their value).
  func rowValues(_ theta: [Double], rowCount: Int) -> [Double] {
    var out = [Double](repeating: .nan, count: rowCount)
    for c in cells { out[c.row] = c.free.map { theta[$0] } ?? c.value }
    return out
  }

  /// Σ(θ) and μ(θ).
  /// - Throws: `StatsError` `singular` when I − A is singular (a feedback loop with gain 1).
  func implied(_ theta: [Double]) throws -> Implied {
    var a = [Double](repeating: 0, count: m * m)
    var s = [Double](repeating: 0, count: m * m)
    var mm = [Double](repeating: 0, count: m)
    for c in cells {
      let v = c.free.map { theta[$0] } ?? c.value
      switch c.slot {
      case .a(let i, let j): a[i + j * m] = v
      case .s(let i, let j):
        s[i + j * m] = v
        s[j + i * m] = v
      case .mean(let i): mm[i] = v
      }
    }
    var ia = Matrix(rows: m, cols: m)
    for j in 0..<m { for i in 0..<m { ia.values[i + j * m] = (i == j ? 1 : 0) - a[i + j * m] } }
    let b: [Double]
    if a.allSatisfy({ $0 == 0 }) {
      b = Matrix.identity(m).values
    } else {
      b = try LinearAlgebra.inverse(ia).values
    }
    // T = B S, Σ_full = T B'.
    var t = [Double](repeating: 0, count: m * m)
    for j in 0..<m {
      for k in 0..<m {
        let skj = s[k + j * m]
        if skj == 0 { continue }
        for i in 0..<m { t[i + j * m] += b[i + k * m] * skj }
      }
    }
    var sf = [Double](repeating: 0, count: m * m)
    for j in 0..<m {
      for k in 0..<m {
        let bjk = b[j + k * m]
        if bjk == 0 { continue }
        for i in 0..<m { sf[i + j * m] += t[i + k * m] * bjk }
      }
    }
    // Symmetrise (rounding).
    for j in 0..<m {
      for i in (j + 1)..<m {
        let v = 0.5 * (sf[i + j * m] + sf[j + i * m])
        sf[i + j * m] = v
        sf[j + i * m] = v
      }
    }
    var muf = [Double](repeating: 0, count: m)
    for k in 0..<m where mm[k] != 0 { for i in 0..<m { muf[i] += b[i + k * m] * mm[k] } }
    var sigma = Matrix(rows: p, cols: p)
    for j in 0..<p { for i in 0..<p { sigma.values[i + j * p] = sf[i + j * m] } }
    return Implied(b: b, sigmaFull: sf, muFull: muf, sigma: sigma, mu: Array(muf[0..<p]), s: s)
  }

  /// ∂Σ/∂θ_k (p × p, column-major) and ∂μ/∂θ_k for every free parameter k; rows sharing a
  /// label add up.
  func jacobian(_ imp: Implied) -> (dSigma: [[Double]], dMu: [[Double]]) {
    var dS = [[Double]](repeating: [Double](repeating: 0, count: p * p), count: freeCount)
    var dM = [[Double]](repeating: [Double](repeating: 0, count: p), count: freeCount)
    let b = imp.b
    let c = imp.sigmaFull
    for cell in cells {
      guard let k = cell.free else { continue }
      switch cell.slot {
      case .a(let i, let j):
        dS[k].withUnsafeMutableBufferPointer { d in
          for bb in 0..<p {
            let cjb = c[j + bb * m]
            let bbi = b[bb + i * m]
            for aa in 0..<p {
              d[aa + bb * p] += b[aa + i * m] * cjb + c[aa + j * m] * bbi
            }
          }
        }
        let muj = imp.muFull[j]
        if muj != 0 { for aa in 0..<p { dM[k][aa] += b[aa + i * m] * muj } }
      case .s(let i, let j):
        dS[k].withUnsafeMutableBufferPointer { d in
          for bb in 0..<p {
            let bbj = b[bb + j * m]
            let bbi = b[bb + i * m]
            for aa in 0..<p {
              if i == j {
                d[aa + bb * p] += b[aa + i * m] * bbi
              } else {
                d[aa + bb * p] += b[aa + i * m] * bbj + b[aa + j * m] * bbi
              }
            }
          }
        }
      case .mean(let i):
        for aa in 0..<p { dM[k][aa] += b[aa + i * m] }
      }
    }
    return (dS, dM)
  }
}
