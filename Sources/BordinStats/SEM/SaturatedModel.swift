// The saturated (h1) and independence (baseline) models of incomplete normal data.
//
// Implementation goals, in priority order: (1) lavaan's numbers: lavaan estimates the saturated
// means and covariances by EM (`lav_mvnorm_missing_h1_estimate_moments`) from the available-case
// means and variances, stopping when no mean or covariance changes by more than 1e-5 (at most 500
// iterations), and uses those moments for the h1 log-likelihood, χ² and SRMR. We run the same
// iterations from the same start, and then go on to the maximum: SQUAREM-accelerated EM
// (Varadhan & Roland 2008, scheme S3) until no mean or covariance moves by more than 1e-12 of its
// scale (√σⱼⱼ, √σⱼⱼσₖₖ), keeping a step only when the log-likelihood does not fall (beyond
// rounding, 1e-12 relative: near the maximum it is flat to rounding while the moments are still
// ~1e-8 from it, so stopping on noise would leave them kernel-dependent). lavaan's 1e-5
// stopping point is up to 1.6e-5 from the maximum in the moments (riclpm-4wave), 4.4e-6 relative in
// SRMR (sem-hs1939-fiml), and which iteration first passes the test can depend on the last bits of
// the E-step sums (so on the BLAS kernel); the references are the maximum
// (Tests/Fixtures/r/sem-h1-tight.R). With complete data h1 is closed form: the sample mean and
// the ML covariance (no EM); (2) the
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
// SQUAREM (S3) on the EM map F, from θ₀: θ₁ = F(θ₀), θ₂ = F(θ₁), r = θ₁ − θ₀, v = θ₂ − θ₁ − r,
// α = min(−1, −‖r‖/‖v‖), θ′ = θ₀ − 2αr + α²v, then one stabilising EM step F(θ′); when θ′ is not a
// valid (positive definite) point or its log-likelihood is below that of θ₂, θ₂ is taken
// (α = −1 is two plain EM steps).
//
// References: Dempster, A. P., Laird, N. M., & Rubin, D. B. (1977). Maximum likelihood from
// incomplete data via the EM algorithm. *JRSS B*, 39, 1–38. Little, R. J. A., & Rubin, D. B.
// (2002). *Statistical analysis with missing data* (2nd ed.). Wiley. Varadhan, R., & Roland, C.
// (2008). Simple and globally convergent methods for accelerating the convergence of any EM
// algorithm. *Scandinavian Journal of Statistics*, 35, 335–353.

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
  /// EM iterations used (lavaan's, then the polishing EM steps; 0 for complete data).
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
    // Complete data: h1 is closed form, the sample mean and ML covariance (the one pattern's).
    let complete = sample.patterns.count == 1 && sample.patterns[0].observed.count == p
    for _ in 0..<(complete ? 1 : maxIterations) {
      if complete {
        let pat = sample.patterns[0]
        let o = pat.observed
        for (a, ja) in o.enumerated() {
          mu[ja] = pat.mean[a]
          for (b, jb) in o.enumerated() { sigma[ja, jb] = pat.cov[a + b * p] }
        }
      } else {
        iterations += 1
        (mu, sigma) = try emStep(sample, mu: mu, sigma: sigma)
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
    let objective = FIMLObjective(sample: sample)
    guard var h1 = objective.evaluate(sigma: sigma, mu: mu, gradient: false) else {
      throw StatsError(
        code: "sample-covariance-not-pd",
        message: "the sample covariance matrix of the model variables is not positive definite",
        remedy: "Check for constant or perfectly collinear variables.")
    }
    // From lavaan's stopping point to the maximum (not for a ridged, nearly singular matrix,
    // whose lavaan h1 is the ridged one).
    if !complete && !ridged {
      let polished = try squarem(sample, objective: objective, mu: mu, sigma: sigma, logLik: h1.logLik)
      if polished.logLik >= h1.logLik - 1e-12 * abs(h1.logLik), let e = objective.evaluate(sigma: polished.sigma, mu: polished.mu, gradient: false) {
        mu = polished.mu
        sigma = polished.sigma
        unridged = sigma
        h1 = e
        iterations += polished.steps
      }
    }
    return SaturatedModel(
      mu: mu, sigma: sigma, logLik: h1.logLik, baselineLogLik: baseline, iterations: iterations,
      ridged: ridged, unridgedSigma: unridged)
  }

  /// SQUAREM (S3) cycles of `emStep` from (μ, Σ) until no mean or covariance moves by more than
  /// 1e-12 of its scale, at most `maxCycles` cycles; the log-likelihood never falls by more than
  /// rounding (a cycle that would lower it by more than 1e-12 relative ends the search at the
  /// previous point).
  static func squarem(
    _ sample: SEMSample, objective: FIMLObjective, mu: [Double], sigma: Matrix, logLik: Double,
    maxCycles: Int = 2000
  ) throws -> (mu: [Double], sigma: Matrix, logLik: Double, steps: Int) {
    let p = sample.variables.count
    func pack(_ m: [Double], _ s: Matrix) -> [Double] {
      var t = m
      for b in 0..<p { for a in b..<p { t.append(s[a, b]) } }
      return t
    }
    func unpack(_ t: [Double]) -> ([Double], Matrix) {
      var s = Matrix(rows: p, cols: p)
      var k = p
      for b in 0..<p {
        for a in b..<p {
          s[a, b] = t[k]
          s[b, a] = t[k]
          k += 1
        }
      }
      return (Array(t[0..<p]), s)
    }
    func step(_ t: [Double]) throws -> [Double] {
      let (m, s) = unpack(t)
      let (m1, s1) = try emStep(sample, mu: m, sigma: s)
      return pack(m1, s1)
    }
    func logLikelihood(_ t: [Double]) -> Double? {
      let (m, s) = unpack(t)
      return objective.evaluate(sigma: s, mu: m, gradient: false)?.logLik
    }
    /// The largest change of t → u on the scale of each moment (√σⱼⱼ for a mean, √σⱼⱼσₖₖ for a
    /// covariance).
    func change(_ t: [Double], _ u: [Double]) -> Double {
      let (_, s) = unpack(t)
      let sd = (0..<p).map { max(s[$0, $0], .leastNormalMagnitude).squareRoot() }
      var d = 0.0
      for a in 0..<p { d = max(d, abs(u[a] - t[a]) / sd[a]) }
      var k = p
      for b in 0..<p {
        for a in b..<p {
          d = max(d, abs(u[k] - t[k]) / (sd[a] * sd[b]))
          k += 1
        }
      }
      return d
    }
    var theta = pack(mu, sigma)
    var ll = logLik
    var steps = 0
    for _ in 0..<maxCycles {
      let t1 = try step(theta)
      let t2 = try step(t1)
      steps += 2
      let r = zip(t1, theta).map { $0 - $1 }
      let v = (0..<theta.count).map { t2[$0] - t1[$0] - r[$0] }
      let rn = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
      let vn = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      var next = t2
      var llNext = logLikelihood(t2)
      if vn > 0 {
        let alpha = min(-1, -rn / vn)
        if alpha < -1 {
          let prime = (0..<theta.count).map { theta[$0] - 2 * alpha * r[$0] + alpha * alpha * v[$0] }
          if logLikelihood(prime) != nil, let stabilised = try? step(prime),
            let l = logLikelihood(stabilised), l >= (llNext ?? -.infinity)
          {
            next = stabilised
            llNext = l
            steps += 1
          }
        }
      }
      // EM never lowers the likelihood; a fall within rounding (1e-12 relative) is noise near
      // the maximum, where the likelihood is flat to rounding while the moments are still
      // determined to ~1e-8 only: stopping on it would leave them there (and kernel-dependent).
      guard let l = llNext, l >= ll - 1e-12 * abs(ll) else { break }
      let moved = change(theta, next)
      theta = next
      ll = l
      if moved <= 1e-12 { break }
    }
    let (m, s) = unpack(theta)
    return (m, s, ll, steps)
  }

  /// One EM iteration (E-step sums T1, T2 over the patterns, M-step μ = T1/N, Σ = T2/N − μμ',
  /// symmetrised); no ridge.
  static func emStep(_ sample: SEMSample, mu: [Double], sigma: Matrix) throws -> ([Double], Matrix) {
    let p = sample.variables.count
    let nTotal = Double(sample.n)
    var mu = mu
    var sigma = sigma
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
    return (mu, sigma)
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
