// One-dimensional root finding exactly as R's `uniroot` (C function `R_zeroin2`).
//
// Implementation goals: (1) the same iterates as R, so that a root found here and by R's `uniroot`
// with the same `tol` agree to the last digits rather than only to that tolerance; (2) every root
// the statistics report (PM τ², Q-profile bounds, RMSEA limits) converged to rounding
// (`tightTolerance`), not to `uniroot`'s default .Machine$double.eps^0.25 ≈ 1.22e-4, which leaves
// e.g. the Q-profile lower bound of τ² for dat.molloy2014 3.4e-3 relative from the root and lets
// the printed I² bound depend on the last bits of f (so on the BLAS kernel); (3) no allocation, a
// plain closure.
//
// Brent's method: bisection, secant and inverse quadratic interpolation, keeping the root
// bracketed between b (best) and c.
//
// References: Brent, R. P. (1973). *Algorithms for minimization without derivatives*, ch. 4.
// Prentice-Hall. R Core Team, `src/library/stats/src/zeroin.c` (R_zeroin2).

/// Root finding as R's `uniroot` (C `R_zeroin2`): Brent's method combining bisection with
/// linear and inverse quadratic interpolation, on a bracket whose end values are known.
enum RootFinder {
  struct Root {
    var root: Double
    /// Iterations used; -1 when `maxiter` was reached first (R warns, and keeps the point).
    var iterations: Int
    var converged: Bool { iterations >= 0 }
  }

  /// R's default `uniroot` tolerance, `.Machine$double.eps^0.25` = 2⁻¹³.
  static let defaultTolerance = 1.220703125e-4

  /// The tolerance of every root Bordin reports: the smallest positive normal double, so that
  /// zeroin's stopping test |c − b|/2 ≤ 2ε|b| + tol/2 reduces to the bracket being at rounding
  /// (2ε relative). R gives the same iterates with `uniroot(..., tol = .Machine$double.xmin)`
  /// (Tests/Fixtures/r/meta-roots-tight.R). Brent's method is superlinear, so this costs a few
  /// more evaluations than the default (molloy Q-profile: about 10).
  static let tightTolerance = Double.leastNormalMagnitude

  /// Finds x in [lower, upper] with f(x) = 0, given fLower = f(lower), fUpper = f(upper) of
  /// opposite signs (or one of them 0). The iteration is R's, step for step, so that roots agree
  /// with R's to the last digit, not just to `tol`.
  static func zeroin(
    _ f: (Double) throws -> Double, lower: Double, upper: Double, fLower: Double, fUpper: Double,
    tol: Double = defaultTolerance, maxiter: Int = 1000
  ) rethrows -> Root {
    var a = lower
    var b = upper
    var fa = fLower
    var fb = fUpper
    var c = a
    var fc = fa
    if fa == 0 { return Root(root: a, iterations: 0) }
    if fb == 0 { return Root(root: b, iterations: 0) }
    let eps = Double.ulpOfOne
    var remaining = maxiter + 1
    while remaining > 0 {
      remaining -= 1
      let previousStep = b - a
      if abs(fc) < abs(fb) {
        a = b; b = c; c = a
        fa = fb; fb = fc; fc = fa
      }
      let tolAct = 2 * eps * abs(b) + tol / 2
      var newStep = (c - b) / 2
      if abs(newStep) <= tolAct || fb == 0 {
        return Root(root: b, iterations: maxiter - remaining)
      }
      if abs(previousStep) >= tolAct && abs(fa) > abs(fb) {
        var p: Double
        var q: Double
        let cb = c - b
        if a == c {
          let t1 = fb / fa
          p = cb * t1
          q = 1.0 - t1
        } else {
          q = fa / fc
          let t1 = fb / fc
          let t2 = fb / fa
          p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
          q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
        }
        if p > 0 { q = -q } else { p = -p }
        if p < (0.75 * cb * q - abs(tolAct * q) / 2) && p < abs(previousStep * q / 2) {
          newStep = p / q
        }
      }
      if abs(newStep) < tolAct { newStep = newStep > 0 ? tolAct : -tolAct }
      a = b
      fa = fb
      b += newStep
      fb = try f(b)
      if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
        c = a
        fc = fa
      }
    }
    return Root(root: b, iterations: -1)
  }
}


public enum RootFinding {
  /// R's `uniroot(f, lower = a, upper = b)`: `$root` and `$iter`, with R's defaults for `tol`
  /// (.Machine$double.eps^0.25) and `maxiter` (1000). No interval extension (`extendInt = "no"`).
  ///
  /// - Parameters:
  ///   - fLower, fUpper: f(lower) and f(upper), of opposite signs (or one of them 0); the caller
  ///     checks the signs (R stops with "f() values at end points not of opposite sign").
  /// - Returns: the root estimate and the number of iterations; nil when `maxiter` was reached
  ///   (R warns "_NOT_ converged").
  public static func zeroin(
    _ f: (Double) -> Double, lower ax: Double, upper bx: Double, fLower fa0: Double,
    fUpper fb0: Double, tol: Double = 0x1p-13, maxiter: Int = 1000
  ) -> (root: Double, iterations: Int)? {
    let r = RootFinder.zeroin(f, lower: ax, upper: bx, fLower: fa0, fUpper: fb0, tol: tol, maxiter: maxiter)
    return r.converged ? (r.root, r.iterations) : nil
  }
}
