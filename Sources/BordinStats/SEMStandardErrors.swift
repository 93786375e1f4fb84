// Standard errors of SEM estimates: observed or expected information, identification check,
// delta method for defined parameters.
//
// Implementation goals, in priority order: (1) lavaan's defaults: under FIML
// (`missing = "ml"`) the observed information, i.e. −∂²log L/∂θ∂θ' (`information = "observed"`,
// `observed.information = "hessian"`), which lavaan computes by a 5-point central difference of
// its analytic gradient; with complete data (listwise) the expected information
// Δ' W Δ evaluated at the model-implied moments (`h1.information = "structured"`); (2) an
// unidentified model is an error that names the parameters involved, found from the eigenvector
// of the (scaled) expected information with a zero eigenvalue.
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
  /// Throws `unidentified` when the expected information is singular, naming the parameters
  /// that load on its null space.
  static func checkIdentification(_ info: Matrix, table: SEMParameterTable) throws {
    let q = info.rows
    if q == 0 { return }
    var zero: [Int] = []
    for j in 0..<q where !(info[j, j] > 0) { zero.append(j) }
    var involved = Set(zero)
    if zero.isEmpty {
      var r = info
      let d = (0..<q).map { 1 / info[$0, $0].squareRoot() }
      for j in 0..<q { for i in 0..<q { r[i, j] = info[i, j] * d[i] * d[j] } }
      guard let ev = try? LinearAlgebra.symmetricEigen(r) else { return }
      for (c, lambda) in ev.values.enumerated() where lambda < 1e-8 {
        for j in 0..<q where abs(ev.vectors[j, c]) > 0.1 { involved.insert(j) }
      }
    }
    guard !involved.isEmpty else { return }
    let names = involved.sorted().map { table.name(ofFree: $0) }
    throw StatsError(
      code: "unidentified",
      message: "the model is not identified: the information matrix is singular; these "
        + "parameters cannot be estimated separately: " + names.joined(separator: ", "),
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
