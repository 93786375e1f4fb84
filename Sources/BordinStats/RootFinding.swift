// One-dimensional root finding exactly as R's `uniroot` (C function `R_zeroin2`).
//
// Implementation goals: (1) the same iterates as R, so that quantities R computes with
// `uniroot`'s default tolerance (.Machine$double.eps^0.25 ≈ 1.22e-4, e.g. lavaan's RMSEA
// confidence limits, metafor's Q-profile intervals) agree to the last digits rather than only to
// that tolerance; (2) no allocation, a plain closure.
//
// Brent's method: bisection, secant and inverse quadratic interpolation, keeping the root
// bracketed between b (best) and c.
//
// References: Brent, R. P. (1973). *Algorithms for minimization without derivatives*, ch. 4.
// Prentice-Hall. R Core Team, `src/library/stats/src/zeroin.c` (R_zeroin2).

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
    let eps = Double.ulpOfOne
    var a = ax
    var b = bx
    var fa = fa0
    var fb = fb0
    var c = a
    var fc = fa
    if fa == 0 { return (a, 0) }
    if fb == 0 { return (b, 0) }
    var maxit = maxiter + 1
    while maxit > 0 {
      maxit -= 1
      let prevStep = b - a
      if abs(fc) < abs(fb) {
        a = b
        b = c
        c = a
        fa = fb
        fb = fc
        fc = fa
      }
      let tolAct = 2 * eps * abs(b) + tol / 2
      var newStep = (c - b) / 2
      if abs(newStep) <= tolAct || fb == 0 {
        return (b, maxiter + 1 - maxit - 1)
      }
      if abs(prevStep) >= tolAct && abs(fa) > abs(fb) {
        var p: Double
        var q: Double
        let cb = c - b
        if a == c {
          let t1 = fb / fa
          p = cb * t1
          q = 1 - t1
        } else {
          let qq = fa / fc
          let t1 = fb / fc
          let t2 = fb / fa
          p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1))
          q = (qq - 1) * (t1 - 1) * (t2 - 1)
        }
        if p > 0 { q = -q } else { p = -p }
        if p < (0.75 * cb * q - abs(tolAct * q) / 2) && p < abs(prevStep * q / 2) {
          newStep = p / q
        }
      }
      if abs(newStep) < tolAct {
        newStep = newStep > 0 ? tolAct : -tolAct
      }
      a = b
      fa = fb
      b += newStep
      fb = f(b)
      if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) {
        c = a
        fc = fa
      }
    }
    return nil
  }
}
