// Completely standardized estimates (lavaan `std.all`, `standardizedSolution(type = "std.all")`).
//
// Implementation goals: lavaan's `lav_standardize_all` with its default `cov.std = TRUE`, from
// the model-implied total variances of all variables, observed and latent (diag of Σ_full), and
// the (residual) variance parameters (diag of S):
//   f =~ x :  λ·sd(f)/sd(x)          y ~ x :  β·sd(x)/sd(y)          y ~ 1 :  ν/sd(y)
//   a ~~ a :  ψ_aa / var(a)           a ~~ b :  ψ_ab / √(|ψ_aa| |ψ_bb|)  (residual correlation)
// A latent variable with a negative total variance has no SD, so its rows are NaN (lavaan NA).
//   a := f(θ) :  f evaluated at the standardized values of the labelled parameters
//
// Reference: Rosseel, Y. (2012). lavaan. *Journal of Statistical Software*, 48(2); lavaan 0.6-14
// `lav_standardize_all`.

enum Standardized {
  /// std.all of every non-`:=` row (NaN where a variance is zero or negative).
  static func all(table: SEMParameterTable, ram: RAMModel, implied: RAMModel.Implied, rowValues: [Double])
    -> [Double]
  {
    let m = ram.m
    var index: [String: Int] = [:]
    for (k, v) in ram.variables.enumerated() { index[v] = k }
    let latent = Set(table.latent)
    // lavaan: total variances below 0 (latent) or not above 0 (observed, |v| < eps) have no SD.
    func variance(_ v: String) -> Double {
      let k = index[v]!
      let t = implied.sigmaFull[k + k * m]
      if !latent.contains(v) && abs(t) < Double.ulpOfOne { return .nan }
      return t
    }
    func sd(_ v: String) -> Double {
      let t = variance(v)
      return t < 0 ? .nan : t.squareRoot()
    }
    // Residual SDs for residual covariances: √|ψ_vv| (lavaan cov.std = TRUE).
    func residualSD(_ v: String) -> Double { let k = index[v]!; return abs(implied.s[k + k * m]).squareRoot() }
    var out = [Double](repeating: .nan, count: table.rows.count)
    for (i, r) in table.rows.enumerated() {
      let est = rowValues[i]
      switch r.op {
      case .measuredBy: out[i] = est * sd(r.lhs) / sd(r.rhs)
      case .regression: out[i] = est * sd(r.rhs) / sd(r.lhs)
      case .intercept: out[i] = est / sd(r.lhs)
      case .covariance:
        if r.lhs == r.rhs {
          out[i] = latent.contains(r.lhs) ? est / sd(r.lhs) / sd(r.lhs) : est / variance(r.lhs)
        } else {
          out[i] = est / (residualSD(r.lhs) * residualSD(r.rhs))
        }
      case .defined: break
      }
    }
    let defs = DefinedParameters.evaluate(table: table, rowValues: out, withGradient: false)
    var d = 0
    for i in table.rows.indices where table.rows[i].op == .defined {
      out[i] = defs[d].value
      d += 1
    }
    return out
  }
}
