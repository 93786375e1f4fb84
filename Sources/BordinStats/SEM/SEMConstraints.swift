// Explicit constraints of a structural equation model (`a == b`, `c == 2*d - 1`, `a > 0.5`,
// `t6 < t5`) as a reparametrisation of the free parameters.
//
// Implementation goals, in priority order: (1) lavaan 0.6's estimates, standard errors and
// degrees of freedom: linear equality constraints are imposed exactly and reduce npar (lavaan's
// `eq.constraints.K`), an inequality constraint changes nothing while it holds and is imposed as
// an equality when it is active at the optimum (lavaan's nlminb.constr, whose standard errors
// use the augmented information of the equality and active inequality constraints); npar and df
// do not count inequalities, active or not (as lavaan); (2) constraints that cannot be met, that
// repeat each other, or that are not linear are errors with a remedy.
//
// Each constraint is c(θ) = lhs − rhs, linear in the free parameters: c(θ) = a'θ + b. The
// equalities (and active inequalities) A θ + b = 0 are solved by
//   θ = θ₀ + K φ,   K = an orthonormal basis of the null space of A (from the eigenvectors of A'A),
//   θ₀ = −A⁺ b (the minimum-norm solution),
// and the likelihood is maximised over φ: ∇_φ = K'∇_θ, I_φ = K' I_θ K, and
//   V(θ̂) = K I_φ⁻¹ K'
// which equals the inverse of lavaan's augmented information [I A'; A 0] in its θ block. A
// parameter pinned by an active bound (`a > 0.7` at a = 0.7) therefore has se 0, and z and p are
// not given (lavaan NA).
//
// Active set: fit with the equalities; while some inequality is violated at the optimum (by more
// than 1e-8 on its scale), add the most violated one to the active set and refit. Inequalities
// that become inactive again are not released (each refit starts from the previous optimum; a
// released bound would need the Lagrange multiplier's sign).
//
// Reference: Rosseel, Y. (2012). lavaan. *Journal of Statistical Software*, 48(2);
// lavaan 0.6-14 `lav_constraints_parse`, `lav_model_information_augment_invert`.

import Foundation

/// θ = θ₀ + K φ for linear equality constraints on the q free parameters.
struct SEMLinearConstraints: Sendable {
  /// q × r, orthonormal columns.
  let k: Matrix
  let offset: [Double]
  /// Number of independent constraints (q − r).
  let rank: Int

  var working: Int { k.cols }

  func theta(_ phi: [Double]) -> [Double] {
    var t = offset
    for j in 0..<k.cols where phi[j] != 0 { for i in 0..<k.rows { t[i] += k[i, j] * phi[j] } }
    return t
  }

  /// The working parameters of the point of the constraint set nearest to θ: K'(θ − θ₀).
  func phi(_ theta: [Double]) -> [Double] {
    (0..<k.cols).map { j in (0..<k.rows).reduce(0) { $0 + k[$1, j] * (theta[$1] - offset[$1]) } }
  }

  /// K'g.
  func reduce(gradient g: [Double]) -> [Double] {
    (0..<k.cols).map { j in (0..<k.rows).reduce(0) { $0 + k[$1, j] * g[$1] } }
  }

  /// K' I K.
  func reduce(information info: Matrix) -> Matrix {
    let ik = info.multiplied(by: k)
    var out = Matrix(rows: k.cols, cols: k.cols)
    for b in 0..<k.cols {
      for a in 0..<k.cols { out[a, b] = (0..<k.rows).reduce(0) { $0 + k[$1, a] * ik[$1, b] } }
    }
    return out
  }

  /// K V K'.
  func expand(covariance v: Matrix) -> Matrix {
    let kv = k.multiplied(by: v)
    var out = Matrix(rows: k.rows, cols: k.rows)
    for b in 0..<k.rows {
      for a in 0..<k.rows { out[a, b] = (0..<k.cols).reduce(0) { $0 + kv[a, $1] * k[b, $1] } }
    }
    return out
  }

  /// Jacobian columns ∂/∂φ_j = Σ_k K_kj ∂/∂θ_k.
  func reduce(columns: [[Double]]) -> [[Double]] {
    guard let len = columns.first?.count else { return [] }
    return (0..<k.cols).map { j in
      var c = [Double](repeating: 0, count: len)
      for i in 0..<k.rows where k[i, j] != 0 { for e in 0..<len { c[e] += k[i, j] * columns[i][e] } }
      return c
    }
  }

  /// The reparametrisation of A θ + b = 0 (rows a'θ + b); nil without constraints.
  /// - Throws: `StatsError` `inconsistent-constraints` when no θ satisfies them all.
  static func make(_ rows: [(a: [Double], b: Double, text: String)], q: Int) throws -> SEMLinearConstraints? {
    guard !rows.isEmpty else { return nil }
    var ata = Matrix(rows: q, cols: q)
    var atb = [Double](repeating: 0, count: q)
    for r in rows {
      for j in 0..<q where r.a[j] != 0 {
        atb[j] -= r.a[j] * r.b
        for i in 0..<q { ata[i, j] += r.a[i] * r.a[j] }
      }
    }
    let ev = try LinearAlgebra.symmetricEigen(ata)
    let top = ev.values.map(abs).max() ?? 0
    let tol = 1e-10 * max(top, 1e-300)
    var nullCols: [[Double]] = []
    var offset = [Double](repeating: 0, count: q)
    for (c, lambda) in ev.values.enumerated() {
      let v = (0..<q).map { ev.vectors[$0, c] }
      if lambda > tol {
        let proj = zip(v, atb).reduce(0) { $0 + $1.0 * $1.1 } / lambda
        for i in 0..<q { offset[i] += v[i] * proj }
      } else {
        nullCols.append(v.map { abs($0) < 1e-13 ? 0 : $0 })
      }
    }
    for r in rows {
      let resid = zip(r.a, offset).reduce(r.b) { $0 + $1.0 * $1.1 }
      let scale = max(1, abs(r.b), r.a.map(abs).max() ?? 0)
      if abs(resid) > 1e-9 * scale {
        throw StatsError(
          code: "inconsistent-constraints",
          message: "the constraints cannot all hold: '\(r.text)' contradicts the others",
          remedy: "Remove or correct one of the constraints.")
      }
    }
    let k = nullCols.isEmpty ? Matrix(rows: q, cols: 0) : Matrix(columns: nullCols)
    return SEMLinearConstraints(k: k, offset: offset, rank: q - nullCols.count)
  }
}

enum SEMConstraints {
  /// c(θ) = lhs − rhs of constraint `c` as a'θ + b.
  /// - Throws: `StatsError` `nonlinear-constraint` when c is not linear in θ, `bad-constraint`
  ///   when it involves no free parameter.
  static func linear(_ c: LavaanConstraint, table: SEMParameterTable) throws -> (a: [Double], b: Double, text: String) {
    let q = table.freeCount
    let text = "\(c.lhsText) \(c.relation.rawValue) \(c.rhsText)"
    func at(_ theta: [Double]) -> DualNumber {
      let values = table.rows.map { r in r.free.map { theta[$0] } ?? r.value ?? 0 }
      let l = DefinedParameters.evaluate(c.lhs, table: table, rowValues: values, withGradient: true)
      let r = DefinedParameters.evaluate(c.rhs, table: table, rowValues: values, withGradient: true)
      return DualNumber(value: l.value - r.value, gradient: zip(l.gradient, r.gradient).map(-))
    }
    let zero = at([Double](repeating: 0, count: q))
    let probe = (0..<q).map { 0.5 + 0.37 * Double($0 % 7) }
    let other = at(probe)
    let predicted = zero.value + zip(zero.gradient, probe).reduce(0) { $0 + $1.0 * $1.1 }
    let scale = max(1, abs(other.value), abs(zero.value))
    let linear =
      zero.value.isFinite && abs(other.value - predicted) <= 1e-10 * scale
      && zip(zero.gradient, other.gradient).allSatisfy { abs($0 - $1) <= 1e-10 * max(1, abs($0)) }
    guard linear else {
      throw StatsError(
        code: "nonlinear-constraint",
        message: "the constraint '\(text)' is not linear in the parameters; only linear constraints are supported",
        remedy: "Write it as a linear equation of labels, e.g. 'a == 2*b - 1', or reparametrise with ':='.")
    }
    guard zero.gradient.contains(where: { $0 != 0 }) else {
      throw StatsError(
        code: "bad-constraint",
        message: "the constraint '\(text)' involves no free parameter",
        remedy: "Constrain labels of free parameters, or fix the parameter with a modifier (e.g. '0.5*x').")
    }
    return (zero.gradient, zero.value, text)
  }

  /// How far inequality `c` is from being violated at θ (≥ 0: satisfied), on the scale of its
  /// coefficients.
  static func slack(_ row: (a: [Double], b: Double, text: String), _ relation: LavaanConstraint.Relation, theta: [Double])
    -> Double
  {
    let v = zip(row.a, theta).reduce(row.b) { $0 + $1.0 * $1.1 }
    return relation == .less ? -v : v
  }
}
