// The saturated (h1) and independence (baseline) models of incomplete normal data.
//
// Implementation goals, in priority order: (1) lavaan's numbers: lavaan estimates the saturated
// means and covariances by EM (`lav_mvnorm_missing_h1_estimate_moments`) from the available-case
// means and variances, stopping when no mean or covariance changes by more than 1e-5 (at most 500
// iterations), and uses those moments for the h1 log-likelihood, χ² and SRMR; we run the same
// iterations from the same start so that SRMR agrees beyond the EM tolerance; (2) the
// baseline model as lavaan's (`lav_partable_independence`, `baseline.fixed.x.free.cov`): free
// means and variances, no covariances except among the exogenous observed variables. Its
// likelihood factorises into one factor per other variable (maximum at the available-case mean
// and ML variance) and one saturated factor for the exogenous block (EM to convergence).
//
// EM (Dempster, Laird & Rubin 1977; Little & Rubin 2002, §11.2) for rows i with observed part o
// and missing part m:
//   E-step: ŷ_m = μ_m + Σ_mo Σ_oo⁻¹ (y_o − μ_o),  C_mm = Σ_mm − Σ_mo Σ_oo⁻¹ Σ_om
//           T1 = Σ_i ŷ_i,  T2 = Σ_i (ŷ_i ŷ_i' + C_i)
//   M-step: μ = T1/N,  Σ = T2/N − μ μ'   (+ max(diag Σ)·1e-8 on the diagonal when an
//           eigenvalue is below 1e-6, as lavaan)
//
// References: Dempster, A. P., Laird, N. M., & Rubin, D. B. (1977). Maximum likelihood from
// incomplete data via the EM algorithm. *JRSS B*, 39, 1–38. Little, R. J. A., & Rubin, D. B.
// (2002). *Statistical analysis with missing data* (2nd ed.). Wiley.

import Foundation

/// Saturated-model moments and log-likelihoods of a sample.
struct SaturatedModel: Sendable {
  /// EM (or, for complete data, sample) means.
  var mu: [Double]
  /// EM (or sample, divisor N) covariance matrix.
  var sigma: Matrix
  /// log L of the saturated model (lavaan `unrestricted.logl`).
  var logLik: Double
  /// log L of the independence model (free means and variances, zero covariances).
  var baselineLogLik: Double
  /// EM iterations used.
  var iterations: Int
  /// True when lavaan's ridge was added to a nearly singular EM covariance matrix.
  var ridged: Bool
  /// The last EM covariance matrix before any ridge.
  var unridgedSigma: Matrix

  /// - Parameters:
  ///   - exogenous: indices of the exogenous observed variables, whose covariances are free in
  ///     the baseline model.
  static func estimate(
    _ sample: SEMSample, exogenous: [Int] = [], maxIterations: Int = 500, tolerance: Double = 1e-5
  ) throws -> SaturatedModel {
    let p = sample.variables.count
    let nTotal = Double(sample.n)
    // Start: available-case means and ML variances.
    var sum = [Double](repeating: 0, count: p)
    var cnt = [Double](repeating: 0, count: p)
    for pat in sample.patterns {
      let k = pat.observed.count
      for r in 0..<pat.n { for (a, j) in pat.observed.enumerated() { sum[j] += pat.values[r * k + a] } }
      for j in pat.observed { cnt[j] += Double(pat.n) }
    }
    let mu0 = (0..<p).map { sum[$0] / cnt[$0] }
    var ss = [Double](repeating: 0, count: p)
    for pat in sample.patterns {
      let k = pat.observed.count
      for r in 0..<pat.n {
        for (a, j) in pat.observed.enumerated() {
          let d = pat.values[r * k + a] - mu0[j]
          ss[j] += d * d
        }
      }
    }
    var var0 = (0..<p).map { ss[$0] / cnt[$0] }
    let log2pi = Foundation.log(2 * Double.pi)
    var baseline = 0.0
    let block = exogenous.count > 1 ? Set(exogenous) : []
    for j in 0..<p where !block.contains(j) {
      baseline += -0.5 * cnt[j] * (log2pi + Foundation.log(var0[j]) + 1)
    }
    if !block.isEmpty {
      let sub = sample.restricted(to: exogenous.sorted())
      baseline += try estimate(sub, maxIterations: 100_000, tolerance: 1e-13).logLik
    }
    for j in 0..<p where !var0[j].isFinite || var0[j] == 0 { var0[j] = 1 }

    var mu = mu0
    var sigma = Matrix(rows: p, cols: p)
    for j in 0..<p { sigma[j, j] = var0[j] }
    var muOld = mu
    var sigmaOld = sigma
    var iterations = 0
    var ridged = false
    var unridged = sigma
    for _ in 0..<maxIterations {
      iterations += 1
      var t1 = [Double](repeating: 0, count: p)
      var t2 = [Double](repeating: 0, count: p * p)
      for pat in sample.patterns {
        let o = pat.observed
        let k = o.count
        if k == p {
          for r in 0..<pat.n {
            for a in 0..<p {
              let ya = pat.values[r * p + a]
              t1[a] += ya
              for b in 0..<p { t2[a + b * p] += ya * pat.values[r * p + b] }
            }
          }
          continue
        }
        let mis = (0..<p).filter { !o.contains($0) }
        var s22 = [Double](repeating: 0, count: k * k)
        for (b, jb) in o.enumerated() { for (a, ja) in o.enumerated() { s22[a + b * k] = sigma[ja, jb] } }
        guard let (inv22, _) = spdInverseLogDet(s22, k) else {
          throw StatsError(
            code: "sample-covariance-not-pd",
            message: "the EM estimate of the covariance matrix is not positive definite",
            remedy: "Check for constant or perfectly collinear variables.")
        }
        // Regression coefficients of the missing on the observed: Bt = Σ_mo Σ_oo⁻¹ (|m| × k).
        let nm = mis.count
        var coef = [Double](repeating: 0, count: nm * k)
        for c in 0..<k {
          for (a, ja) in mis.enumerated() {
            var s = 0.0
            for (b, jb) in o.enumerated() { s += sigma[ja, jb] * inv22[b + c * k] }
            coef[a + c * nm] = s
          }
        }
        var yFull = [Double](repeating: 0, count: p)
        for r in 0..<pat.n {
          for (a, j) in o.enumerated() { yFull[j] = pat.values[r * k + a] }
          for (a, ja) in mis.enumerated() {
            var s = mu[ja]
            for (c, jc) in o.enumerated() { s += coef[a + c * nm] * (pat.values[r * k + c] - mu[jc]) }
            yFull[ja] = s
          }
          for a in 0..<p {
            t1[a] += yFull[a]
            for b in 0..<p { t2[a + b * p] += yFull[a] * yFull[b] }
          }
        }
        // Conditional covariance of the missing part, once per row.
        for jb in mis {
          for (a, ja) in mis.enumerated() {
            var s = sigma[ja, jb]
            for (c, jc) in o.enumerated() { s -= coef[a + c * nm] * sigma[jc, jb] }
            t2[ja + jb * p] += s * Double(pat.n)
          }
        }
      }
      for a in 0..<p { mu[a] = t1[a] / nTotal }
      for b in 0..<p { for a in 0..<p { sigma[a, b] = t2[a + b * p] / nTotal - mu[a] * mu[b] } }
      for b in 0..<p {
        for a in (b + 1)..<p {
          let v = 0.5 * (sigma[a, b] + sigma[b, a])
          sigma[a, b] = v
          sigma[b, a] = v
        }
      }
      unridged = sigma
      if let smallest = (try? LinearAlgebra.symmetricEigen(sigma))?.values.last, smallest < 1e-6 {
        let maxDiag = sigma.diagonal.max() ?? 0
        for j in 0..<p { sigma[j, j] += maxDiag * 1e-8 }
        ridged = true
      }
      var delta = 0.0
      for a in 0..<p { delta = max(delta, abs(mu[a] - muOld[a])) }
      for b in 0..<p { for a in b..<p { delta = max(delta, abs(sigma[a, b] - sigmaOld[a, b])) } }
      if delta < tolerance { break }
      muOld = mu
      sigmaOld = sigma
    }
    guard let h1 = FIMLObjective(sample: sample).evaluate(sigma: sigma, mu: mu, gradient: false) else {
      throw StatsError(
        code: "sample-covariance-not-pd",
        message: "the sample covariance matrix of the model variables is not positive definite",
        remedy: "Check for constant or perfectly collinear variables.")
    }
    return SaturatedModel(
      mu: mu, sigma: sigma, logLik: h1.logLik, baselineLogLik: baseline, iterations: iterations,
      ridged: ridged, unridgedSigma: unridged)
  }
}

extension SEMSample {
  /// The sample of the variables `indices` only (rows with none of them observed left out).
  func restricted(to indices: [Int]) -> SEMSample {
    var patterns: [PatternData] = []
    var n = 0
    for pat in self.patterns {
      let keep = pat.observed.enumerated().filter { indices.contains($0.element) }
      if keep.isEmpty { continue }
      let k = pat.observed.count
      let kk = keep.count
      var values = [Double](repeating: 0, count: pat.n * kk)
      for r in 0..<pat.n { for (a, e) in keep.enumerated() { values[r * kk + a] = pat.values[r * k + e.offset] } }
      var mean = [Double](repeating: 0, count: kk)
      var cov = [Double](repeating: 0, count: kk * kk)
      for (a, ea) in keep.enumerated() {
        mean[a] = pat.mean[ea.offset]
        for (b, eb) in keep.enumerated() { cov[a + b * kk] = pat.cov[ea.offset + eb.offset * k] }
      }
      let observed = keep.map { indices.firstIndex(of: $0.element)! }
      patterns.append(
        PatternData(observed: observed, values: values, n: pat.n, mean: mean, cov: cov, code: pat.code))
      n += pat.n
    }
    return SEMSample(
      variables: indices.map { variables[$0] }, rowsUsed: [], patterns: patterns, n: n, rowsDropped: 0)
  }
}
