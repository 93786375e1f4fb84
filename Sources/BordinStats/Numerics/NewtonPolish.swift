// Newton polish of a minimum found by a derivative-free optimiser.
//
// Implementation goals, in priority order: (1) the optimum itself, not a stopping point: BOBYQA
// works from function values only, so near a flat minimum it fixes x only to about
// √(noise(f)/f''), ~1e-7 relative for a deviance of 10³ whose last bits depend on the BLAS kernel
// (OPENBLAS_CORETYPE); a few Newton steps on a finite-difference gradient fix x to
// noise(f)/(h·f''), ~1e-11, so that every printed number — Satterthwaite df above all, whose
// sensitivity to θ is large — is the same on every machine; (2) never worse: a step is kept only
// when f does not rise beyond its rounding noise, and coordinates at (or within two steps of) a
// bound are left where the optimiser put them; (3) small: the Hessian is computed once, the
// gradient at each step, the linear algebra in plain Swift (no BLAS, so no kernel dependence).
//
// ```
//   gᵢ(x) = (4 D(h/2) − D(h)) / 3,   D(h) = (f(x + h eᵢ) − f(x − h eᵢ)) / 2h   (Richardson)
//   H     = central second differences at x₀, step h
//   x ← x − H⁻¹ g(x)   until a step is below 1e-6 relative (taken) or 1e-13 (not taken),
//                       at most `maxSteps`
//   hᵢ = 1e-3 · max(|xᵢ|, 0.1)
// ```
//
// Why a step of 1e-6 ends the polish: H is fixed at x₀ and accurate to O(h²) ≈ 1e-6 relative,
// so each step contracts the error by that factor (or better); after a step of size s the error
// is about 1e-6 · s plus the gradient's noise floor (~1e-10 relative at a deviance of 10⁵). Past
// that point further steps only walk in the noise: on the 80,000-row growth model the steps went
// 9e-8, 3e-10, 3e-10, 6e-11, 2e-10, … with f unchanged to the last bit, 168 evaluations where 49
// do (issue 24).
//
// Reference: Nocedal & Wright (2006), Numerical Optimization, 2nd ed., §3.3 and §8.1 (Newton
// with finite-difference derivatives); Richardson extrapolation as in NumericalDerivatives.swift.

/// Newton steps on a finite-difference gradient from the point a derivative-free optimiser found.
enum NewtonPolish {
  struct Result {
    /// The polished point.
    var x: [Double]
    /// f at `x`.
    var f: Double
    /// Newton steps taken.
    var steps: Int
    /// Function evaluations used.
    var evaluations: Int
    /// Coordinates left where the optimiser put them: at or within two steps of a bound.
    var held = 0
  }

  /// Relative step below which the polish stops without taking it.
  static let stepTolerance = 1e-13
  /// Relative step after which the polish stops: the error left is below the noise floor.
  static let settledStep = 1e-6

  /// Polishes the minimum `x` (with f(x) = `fx`) of `f` over the box `lower ≤ x ≤ upper`.
  /// Returns `x` unchanged when no coordinate is free of the bounds, when the finite-difference
  /// Hessian is not positive definite, or when the first step does not lower f.
  static func polish(
    _ f: ([Double]) -> Double, x x0: [Double], fx f0: Double, lower: [Double], upper: [Double],
    maxSteps: Int = 8, batch: (([[Double]]) -> [Double])? = nil
  ) -> Result {
    var evaluations = 0
    func eval(_ x: [Double]) -> Double {
      evaluations += 1
      return f(x)
    }
    // The Hessian's points, and each gradient's, are known before any is evaluated: `batch`
    // (e.g. on two threads) evaluates them together; the arithmetic on the values is the same.
    func evalAll(_ xs: [[Double]]) -> [Double] {
      evaluations += xs.count
      return batch?(xs) ?? xs.map(f)
    }
    let h = x0.map { 1e-3 * max(abs($0), 0.1) }
    let free = x0.indices.filter { x0[$0] - 2 * h[$0] > lower[$0] && x0[$0] + 2 * h[$0] < upper[$0] }
    let m = free.count
    let held = x0.count - m
    guard m > 0, f0.isFinite else { return Result(x: x0, f: f0, steps: 0, evaluations: 0, held: held) }
    func moved(_ x: [Double], _ i: Int, _ d: Double) -> [Double] {
      var y = x
      y[i] += d
      return y
    }

    // Hessian at x₀ (free coordinates), central differences with step h.
    var points: [[Double]] = []
    for i in free {
      points.append(moved(x0, i, h[i]))
      points.append(moved(x0, i, -h[i]))
    }
    for (a, i) in free.enumerated() {
      for (b, j) in free.enumerated() where b < a {
        points.append(moved(moved(x0, i, h[i]), j, h[j]))
        points.append(moved(moved(x0, i, h[i]), j, -h[j]))
        points.append(moved(moved(x0, i, -h[i]), j, h[j]))
        points.append(moved(moved(x0, i, -h[i]), j, -h[j]))
      }
    }
    let values = evalAll(points)
    var hess = [Double](repeating: 0, count: m * m)
    for (a, i) in free.enumerated() {
      let fPlus = values[2 * a], fMinus = values[2 * a + 1]
      hess[a * m + a] = (fPlus - 2 * f0 + fMinus) / (h[i] * h[i])
    }
    var next = 2 * m
    for (a, i) in free.enumerated() {
      for (b, j) in free.enumerated() where b < a {
        let pp = values[next], pm = values[next + 1], mp = values[next + 2], mm = values[next + 3]
        next += 4
        let v = (pp - pm - mp + mm) / (4 * h[i] * h[j])
        hess[a * m + b] = v
        hess[b * m + a] = v
      }
    }
    guard let chol = choleskyLower(hess, m) else { return Result(x: x0, f: f0, steps: 0, evaluations: evaluations, held: held) }

    var x = x0
    var fx = f0
    var steps = 0
    for _ in 0..<maxSteps {
      // Richardson-extrapolated central gradient.
      var g = [Double](repeating: 0, count: m)
      let around = evalAll(free.flatMap { i in
        [moved(x, i, h[i]), moved(x, i, -h[i]), moved(x, i, h[i] / 2), moved(x, i, -h[i] / 2)]
      })
      for (a, i) in free.enumerated() {
        let d1 = (around[4 * a] - around[4 * a + 1]) / (2 * h[i])
        let d2 = (around[4 * a + 2] - around[4 * a + 3]) / h[i]
        g[a] = (4 * d2 - d1) / 3
      }
      guard g.allSatisfy(\.isFinite) else { break }
      let step = solve(chol, m, g)
      var candidate = x
      var largest = 0.0
      for (a, i) in free.enumerated() {
        candidate[i] -= step[a]
        largest = max(largest, abs(step[a]) / max(abs(x[i]), 0.1))
      }
      if largest < stepTolerance { break }
      // A step that leaves the box, or more than a few finite-difference steps, is not a polish.
      if free.contains(where: { candidate[$0] - h[$0] <= lower[$0] || candidate[$0] + h[$0] >= upper[$0] })
        || free.enumerated().contains(where: { abs(step[$0.offset]) > 10 * h[$0.element] })
      {
        break
      }
      let fc = eval(candidate)
      // Keep the step unless f rises beyond its rounding noise.
      guard fc.isFinite, fc <= fx + 1e-14 * max(1, abs(fx)) else { break }
      x = candidate
      fx = fc
      steps += 1
      if largest < settledStep { break }
    }
    return Result(x: x, f: fx, steps: steps, evaluations: evaluations, held: held)
  }

  /// Lower Cholesky factor of the m × m row-major matrix `a`; nil when not positive definite.
  static func choleskyLower(_ a: [Double], _ m: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: m * m)
    for j in 0..<m {
      var d = a[j * m + j]
      for k in 0..<j { d -= l[j * m + k] * l[j * m + k] }
      guard d > 0, d.isFinite else { return nil }
      let ljj = d.squareRoot()
      l[j * m + j] = ljj
      for i in (j + 1)..<m {
        var s = a[i * m + j]
        for k in 0..<j { s -= l[i * m + k] * l[j * m + k] }
        l[i * m + j] = s / ljj
      }
    }
    return l
  }

  /// Solves L Lᵀ s = g.
  static func solve(_ l: [Double], _ m: Int, _ g: [Double]) -> [Double] {
    var y = g
    for i in 0..<m {
      for k in 0..<i { y[i] -= l[i * m + k] * y[k] }
      y[i] /= l[i * m + i]
    }
    for i in stride(from: m - 1, through: 0, by: -1) {
      for k in (i + 1)..<m { y[i] -= l[k * m + i] * y[k] }
      y[i] /= l[i * m + i]
    }
    return y
  }
}
