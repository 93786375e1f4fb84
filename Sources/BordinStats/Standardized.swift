// Completely standardized estimates (lavaan `std.all`, `standardizedSolution(type = "std.all")`).
//
// Implementation goals: lavaan's `lav_standardize_all` with its default `cov.std = TRUE`, from
// the model-implied total variances of all variables, observed and latent (diag of Σ_full), and
// the (residual) variance parameters (diag of S):
//   f =~ x :  λ·sd(f)/sd(x)          y ~ x :  β·sd(x)/sd(y)          y ~ 1 :  ν/sd(y)
//   a ~~ a :  ψ_aa / var(a)           a ~~ b :  ψ_ab / √(ψ_aa ψ_bb)   (residual correlation)
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
    func total(_ v: String) -> Double { let k = index[v]!; return implied.sigmaFull[k + k * m] }
    func residual(_ v: String) -> Double { let k = index[v]!; return implied.s[k + k * m] }
    var out = [Double](repeating: .nan, count: table.rows.count)
    for (i, r) in table.rows.enumerated() {
      let est = rowValues[i]
      switch r.op {
      case .measuredBy: out[i] = est * total(r.lhs).squareRoot() / total(r.rhs).squareRoot()
      case .regression: out[i] = est * total(r.rhs).squareRoot() / total(r.lhs).squareRoot()
      case .intercept: out[i] = est / total(r.lhs).squareRoot()
      case .covariance:
        if r.lhs == r.rhs {
          out[i] = est / total(r.lhs)
        } else {
          out[i] = est / (residual(r.lhs) * residual(r.rhs)).squareRoot()
        }
      case .defined: break
      }
      if est == 0, r.op != .defined { out[i] = 0 }
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
