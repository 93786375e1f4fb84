import BordinData
import Foundation

// The likelihood of a multivariate meta-analysis, M = V + Z T Zᵀ with T = Σ θᵣ Bᵣ linear in its
// parameters, and its REML/ML Fisher scoring (Harville 1977):
//
//   scoreᵣ = −½ tr(P Dᵣ) + ½ (Py)ᵀ Dᵣ (Py),   Iᵣₛ = ½ tr(P Dᵣ P Dₛ),   Dᵣ = ∂M/∂θᵣ = Z Bᵣ Zᵀ
//
// with P = M⁻¹ − M⁻¹X(XᵀM⁻¹X)⁻¹XᵀM⁻¹ (REML) or M⁻¹ (ML). Dᵣ[i, j] = Bᵣ[lᵢ, lⱼ] for rows of
// the same outer group and 0 otherwise, so it is never formed. See MetaMultivariate.swift.

struct MultivariateModel {
  let yi: [Double]
  /// The within-study covariance V of the rows used.
  let v: Matrix
  let x: Matrix
  /// Outer group and inner level of every row.
  let group: [Int]
  let level: [Int]
  let basis: [(matrix: Matrix, l: Int, m: Int)]
  let levels: Int
  let reml: Bool

  struct Evaluation {
    var logLik: Double
    var beta: [Double]
    /// (XᵀM⁻¹X)⁻¹.
    var s: Matrix
    var score: [Double]
    var information: Matrix
  }

  var k: Int { yi.count }

  /// Rows of each outer group.
  var members: [[Int]] {
    var out = [[Int]](repeating: [], count: (group.max() ?? -1) + 1)
    for (i, g) in group.enumerated() { out[g].append(i) }
    return out
  }

  func tMatrix(_ theta: [Double]) -> Matrix {
    var t = Matrix(rows: levels, cols: levels)
    for (r, b) in basis.enumerated() {
      for j in 0..<levels { for i in 0..<levels { t[i, j] += theta[r] * b.matrix[i, j] } }
    }
    return t
  }

  /// Whether T(θ) is positive semi-definite (eigenvalues ≥ −1e-12 of the largest).
  func feasible(_ theta: [Double]) -> Bool {
    let t = tMatrix(theta)
    guard let e = try? LinearAlgebra.symmetricEigen(t), let lo = e.values.last, let hi = e.values.first else { return false }
    return lo >= -1e-12 * max(abs(hi), 1e-300)
  }

  /// Starting values: the τ²s at max(0.001, var(y − Xβ_FE) − 1/mean(1/vᵢ)) (metafor's total for
  /// one component), the covariances at 0.
  func startingValues() throws -> [Double] {
    let w = v.diagonal.map { 1 / $0 }
    let s = try MetaLinear.weightedInverse(x, w)
    let b = MetaLinear.weightedCoefficients(x, w, s, yi)
    let f = x.multiplied(by: b)
    let total = max(0.001, MetaLinear.variance((0..<k).map { yi[$0] - f[$0] }) - 1 / MetaLinear.mean(w))
    return basis.map { $0.l == $0.m ? total : 0 }
  }

  /// Cochran's QE = yᵀ(V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹)y (metafor `QE` of rma.mv).
  func cochranQE() throws -> Double {
    let vInv = try LinearAlgebra.inverseSPD(v)
    let vInvX = vInv.multiplied(by: x)
    let s = try LinearAlgebra.inverseSPD(x.transposed.multiplied(by: vInvX))
    let beta = s.multiplied(by: vInvX.transposed.multiplied(by: yi))
    let fitted = x.multiplied(by: beta)
    let r = (0..<k).map { yi[$0] - fitted[$0] }
    return max(0, vInv.quadraticForm(r))
  }

  func evaluate(_ theta: [Double], derivatives: Bool = true) throws -> Evaluation {
    let p = x.cols
    let t = tMatrix(theta)
    let groups = members
    var m = v
    for rows in groups { for i in rows { for j in rows { m[i, j] += t[level[i], level[j]] } } }
    let u = try LinearAlgebra.cholesky(m)
    let logDetM = 2 * u.diagonal.reduce(0) { $0 + log($1) }
    let mInv = try LinearAlgebra.inverseFromCholeskyFactor(u)
    let mInvX = mInv.multiplied(by: x)
    let xtMInvX = x.transposed.multiplied(by: mInvX)
    let s = try LinearAlgebra.inverseSPD(xtMInvX)
    let beta = s.multiplied(by: mInvX.transposed.multiplied(by: yi))
    let fitted = x.multiplied(by: beta)
    let resid = (0..<k).map { yi[$0] - fitted[$0] }
    let py = mInv.multiplied(by: resid)
    var rss = 0.0
    for i in 0..<k { rss += resid[i] * py[i] }
    let twoPi = log(2 * Double.pi)
    let logLik: Double
    if reml {
      let ldXX = try MetaLinear.logDeterminant(MetaLinear.crossProduct(x, [Double](repeating: 1, count: k)))
      let ldXMX = try MetaLinear.logDeterminant(xtMInvX)
      logLik = -0.5 * Double(k - p) * twoPi + 0.5 * ldXX - 0.5 * logDetM - 0.5 * ldXMX - 0.5 * rss
    } else {
      logLik = -0.5 * Double(k) * twoPi - 0.5 * logDetM - 0.5 * rss
    }
    guard derivatives else {
      return Evaluation(logLik: logLik, beta: beta, s: s, score: [], information: Matrix(rows: 0, cols: 0))
    }
    var pm = mInv
    if reml {
      let b = mInvX.multiplied(by: s)
      for j in 0..<k { for i in 0..<k { for l in 0..<p { pm[i, j] -= b[i, l] * mInvX[j, l] } } }
    }
    let (score, info) = scoreAndInformation(pm: pm, py: py, groups: groups)
    return Evaluation(logLik: logLik, beta: beta, s: s, score: score, information: info)
  }

  /// The score and Fisher information in θ from P and Py, with Aᵣ = P Dᵣ formed group by group.
  func scoreAndInformation(pm: Matrix, py: [Double], groups: [[Int]]) -> ([Double], Matrix) {
    let nr = basis.count
    var score = [Double](repeating: 0, count: nr)
    var a: [Matrix] = []
    for (r, b) in basis.enumerated() {
      var trPD = 0.0
      var quad = 0.0
      var ar = Matrix(rows: k, cols: k)
      for rows in groups {
        for j in rows {
          for mm in rows {
            let d = b.matrix[level[mm], level[j]]
            if d == 0 { continue }
            trPD += pm[j, mm] * d
            quad += py[mm] * py[j] * d
            for i in 0..<k { ar[i, j] += pm[i, mm] * d }
          }
        }
      }
      score[r] = -0.5 * trPD + 0.5 * quad
      a.append(ar)
    }
    var info = Matrix(rows: nr, cols: nr)
    for r in 0..<nr {
      for q in 0...r {
        var acc = 0.0
        for j in 0..<k { for i in 0..<k { acc += a[r][i, j] * a[q][j, i] } }
        info[r, q] = 0.5 * acc
        info[q, r] = 0.5 * acc
      }
    }
    return (score, info)
  }

  /// Fisher scoring with step halving that keeps T positive semi-definite and the likelihood
  /// from falling; a τ² at 0 whose score points below 0 stays there (with its covariances).
  func maximize(from start: [Double], maxIterations: Int) throws -> ([Double], Int) {
    var theta = start
    var current = try evaluate(theta)
    for iteration in 1...maxIterations {
      let zeroLevels = Set(basis.indices.filter { basis[$0].l == basis[$0].m && theta[$0] <= 0 && current.score[$0] <= 0 }
        .map { basis[$0].l })
      let active = basis.indices.filter { r in
        !(basis[r].l == basis[r].m ? zeroLevels.contains(basis[r].l) : (zeroLevels.contains(basis[r].l) || zeroLevels.contains(basis[r].m)))
      }
      if active.isEmpty { return (theta, iteration) }
      guard let inv = try? LinearAlgebra.inverseSPD(current.information.submatrix(active)) else {
        throw notConverged("the information matrix is singular")
      }
      let step = inv.multiplied(by: active.map { current.score[$0] })
      var factor = 1.0
      var accepted: ([Double], Evaluation)? = nil
      while factor > 1e-12 {
        var candidate = theta
        for (a, r) in active.enumerated() {
          candidate[r] = theta[r] + factor * step[a]
          if basis[r].l == basis[r].m { candidate[r] = max(0, candidate[r]) }
        }
        if feasible(candidate), let e = try? evaluate(candidate), e.logLik >= current.logLik - 1e-12 * abs(current.logLik) {
          accepted = (candidate, e)
          break
        }
        factor /= 2
      }
      guard let (next, e) = accepted else { return (theta, iteration) }
      let change = basis.indices.map { r -> Double in
        let b = basis[r]
        let scale = b.l == b.m ? theta[r] : (variance(theta, b.l) * variance(theta, b.m)).squareRoot()
        return abs(next[r] - theta[r]) / max(scale, 1e-8)
      }.max() ?? 0
      theta = next
      current = e
      if change < 1e-10 { return (theta, iteration) }
    }
    throw notConverged("no convergence in \(maxIterations) iterations")
  }

  /// Fisher scoring stalls when the optimum lies on the boundary of the positive semi-definite
  /// cone (a correlation of ±1): its steps point out of the cone and are halved to nothing. There
  /// the likelihood is maximised over the Cholesky factor instead, T = LLᵀ (every L gives a valid
  /// T, the boundary included), by BOBYQA from the scoring's end point, as metafor optimises
  /// over a parametrisation of T. UN only: returns θ in the basis of ``basis`` when it improves
  /// the log-likelihood.
  func polishOnBoundary(_ theta: [Double]) throws -> [Double]? {
    let n = levels
    let t = tMatrix(theta)
    let scale = max((0..<n).map { t[$0, $0] }.max() ?? 0, 1e-8)
    var shifted = t
    for l in 0..<n { shifted[l, l] += 1e-10 * scale }
    let u = try LinearAlgebra.cholesky(shifted)  // T ≈ UᵀU, L = Uᵀ
    var x0: [Double] = []
    var lower: [Double] = []
    for m in 0..<n {
      for l in m..<n {
        x0.append(u[m, l])
        lower.append(l == m ? 0 : -Double.infinity)
      }
    }
    func thetaOf(_ x: [Double]) -> [Double] {
      var lm = Matrix(rows: n, cols: n)
      var i = 0
      for m in 0..<n { for l in m..<n { lm[l, m] = x[i]; i += 1 } }
      let tt = lm.multiplied(by: lm.transposed)
      return basis.map { tt[$0.l, $0.m] }
    }
    let start = try evaluate(theta, derivatives: false).logLik
    let result = try Optimize.minimize(
      { x in (try? self.evaluate(thetaOf(x), derivatives: false).logLik).map { -$0 } ?? .infinity },
      x0: x0, lower: lower, upper: [Double](repeating: .infinity, count: x0.count), ftolRel: 1e-15, xtolAbs: 1e-12)
    guard -result.f > start else { return nil }
    return thetaOf(result.x)
  }

  /// The τ² of level l under θ.
  func variance(_ theta: [Double], _ l: Int) -> Double {
    var s = 0.0
    for (r, b) in basis.enumerated() { s += theta[r] * b.matrix[l, l] }
    return s
  }

  func notConverged(_ why: String) -> StatsError {
    StatsError(
      code: "not-converged",
      message: "the \(reml ? "REML" : "ML") fit of the multivariate model did not converge (\(why))",
      remedy: "Try struct: DIAG or CS, the other method, or more iterations; check that the outcomes occur together in several studies.")
  }
}
