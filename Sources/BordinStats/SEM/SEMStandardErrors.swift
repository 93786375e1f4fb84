// Standard errors of SEM estimates: observed or expected information, identification check,
// delta method for defined parameters.
//
// Implementation goals, in priority order: (1) lavaan's defaults: under FIML
// (`missing = "ml"`) the observed information, i.e. −∂²log L/∂θ∂θ' (`information = "observed"`,
// `observed.information = "hessian"`), which lavaan computes by a 5-point central difference of
// its analytic gradient; with complete data (listwise) the expected information
// Δ' W Δ evaluated at the model-implied moments (`h1.information = "structured"`); (2) an
// unidentified model is an error that names the parameters involved, found from the null space
// of the Jacobian of the implied moments (collinear data are caught before, on the sample
// correlation matrix).
//
//   V(θ̂) = I(θ̂)⁻¹,   se_j = √V_jj,   z = θ̂/se,   p = 2Φ(−|z|)
//   defined a = f(θ):  se(a) = √(J V J'),  J = ∂f/∂θ'  (delta method, Sobel 1982)
//
// References: Savalei, V. (2010). Expected versus observed information in SEM with incomplete
// normal and nonnormal data. *Psychological Methods*, 15, 352–367. Kenward, M. G., & Molenberghs,
// G. (1998). Likelihood based frequentist inference when data are missing at random.
// *Statistical Science*, 13, 236–247.

/// Which information matrix gives the standard errors.
public enum SEMInformation: String, Sendable, Equatable {
  /// −Hessian of the log-likelihood at the estimates (lavaan's default under FIML).
  case observed
  /// Expected (Fisher) information at the estimates (lavaan's default with complete data).
  case expected
}

enum SEMStandardErrors {
  /// Throws `unidentified` when the Jacobian Δ = ∂(vech Σ(θ), μ(θ))/∂θ' is rank-deficient at
  /// θ̂ (local non-identification: some direction of θ leaves the implied moments unchanged),
  /// naming the parameters in that direction. The columns of Δ are scaled to unit length and
  /// directions with an eigenvalue of Δ'Δ below 1e-14 are flagged (exact rank deficiency gives
  /// rounding-level eigenvalues, ~1e-16). Δ does not involve Σ⁻¹, so
  /// nearly collinear data (an ill-conditioned but identified model) are not flagged.
  static func checkIdentification(
    dSigma: [[Double]], dMu: [[Double]], p: Int, table: SEMParameterTable,
    constraints: SEMLinearConstraints? = nil
  ) throws {
    let q = dSigma.count
    if q == 0 { return }
    var columns: [[Double]] = []
    var zero = Set<Int>()
    for k in 0..<q {
      var c: [Double] = []
      for j in 0..<p { for i in j..<p { c.append(dSigma[k][i + j * p]) } }
      c += dMu[k]
      let norm = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if !(norm > 0) { zero.insert(k) }
      columns.append(norm > 0 ? c.map { $0 / norm } : c)
    }
    var involved = zero
    if zero.isEmpty {
      var g = Matrix(rows: q, cols: q)
      for b in 0..<q {
        for a in b..<q {
          let v = zip(columns[a], columns[b]).reduce(0) { $0 + $1.0 * $1.1 }
          g[a, b] = v
          g[b, a] = v
        }
      }
      guard let ev = try? LinearAlgebra.symmetricEigen(g) else { return }
      for (c, lambda) in ev.values.enumerated() where lambda < 1e-14 {
        let v = (0..<q).map { abs(ev.vectors[$0, c]) }
        let top = v.max() ?? 0
        for j in 0..<q where v[j] > 0.01 * top { involved.insert(j) }
      }
    }
    guard !involved.isEmpty else { return }
    // Under constraints the columns are directions φ_j of θ = θ₀ + Kφ: name the parameters
    // that move with them.
    var free = involved
    if let c = constraints {
      free = []
      for j in involved {
        let col = (0..<c.k.rows).map { abs(c.k[$0, j]) }
        let top = col.max() ?? 0
        for i in col.indices where col[i] > 0.01 * top { free.insert(i) }
      }
    }
    let names = free.sorted().map { table.name(ofFree: $0) }
    throw StatsError(
      code: "unidentified",
      message: "the model is not identified: these parameters cannot be estimated separately "
        + "(changing them together leaves the implied means and covariances unchanged): "
        + names.joined(separator: ", "),
      remedy: "Fix one of them (e.g. a loading at 1 or a variance at 0), constrain them equal "
        + "with a shared label, or remove paths; a latent variable needs at least three "
        + "indicators, or two when it covaries with another latent variable.")
  }

  /// V = I⁻¹, or nil when I is not positive definite.
  static func covariance(_ info: Matrix) -> Matrix? {
    guard let v = try? LinearAlgebra.inverseSPD(info), v.values.allSatisfy(\.isFinite) else { return nil }
    for j in 0..<v.rows where !(v[j, j] > 0) { return nil }
    return v
  }

  /// se of a function with gradient J: √(J V J').
  static func deltaSE(_ gradient: [Double], _ v: Matrix) -> Double {
    max(0, v.quadraticForm(gradient)).squareRoot()
  }
}
