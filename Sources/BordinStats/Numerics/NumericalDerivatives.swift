// Numerical derivatives by Richardson extrapolation, as R's numDeriv package.
//
// Implementation goals, in priority order: (1) numDeriv's `hessian` (via `genD`) and `jacobian`
// with their default `method.args` exactly — same step sizes, same evaluation points, same
// extrapolation — because lmerTest's Satterthwaite degrees of freedom are computed from them and
// inherit their truncation error; (2) one departure, optional: a floor on the step of a parameter
// near 0 (numDeriv's steps are relative to the value, so a θ of 1e-4 is differenced over steps
// of 1e-9 at which the BLAS kernel's rounding noise in the function shows; see Satterthwaite.swift).
//
// Defaults: eps = 1e-4, zero.tol = √(DBL_EPSILON / 7e-7), r = 4, v = 2, and d = 0.1 for
// `hessian` (which overrides genD's own d = 1e-4) but d = 1e-4 for `jacobian`. The initial step
// is h₀ = |d·x| + eps·(|x| < zero.tol), halved r − 1 times; the r central differences are
// combined by Richardson extrapolation, Bₖ = (4ᵐ Aₖ₊₁ − Aₖ)/(4ᵐ − 1), m = 1 … r − 1.
//
// Reference: Gilbert, P. & Varadhan, R. (2019), numDeriv: Accurate Numerical Derivatives, R
// package 2016.8-1.1 (`R/num1.R`: `grad.default`, `jacobian.default`, `genD.default`,
// `hessian.default`); Linfield, G. R. & Penny, J. E. T. (1989), Microcomputers in Numerical
// Analysis, Halsted Press.

enum NumericalDerivatives {
  static let eps = 1e-4
  /// `hessian.default`'s d (passed on to `genD`).
  static let hessianD = 0.1
  /// `jacobian.default`'s d.
  static let jacobianD = 1e-4
  static let zeroTol = (Double.ulpOfOne / 7e-7).squareRoot()
  static let r = 4

  /// numDeriv's initial steps h₀ = |d·xᵢ| + eps·(|xᵢ| < zero.tol); with a `scale`, |d·xᵢ| is
  /// raised to d·scaleᵢ (a step relative to the parameter's natural scale rather than to its
  /// value, so that a parameter near 0 is not differenced over steps at which the function's
  /// rounding noise dominates).
  static func initialSteps(_ x: [Double], d: Double, scale: [Double]? = nil) -> [Double] {
    x.indices.map { i in
      let s = scale?[i] ?? 0
      if s > abs(x[i]) { return d * s }
      return abs(d * x[i]) + eps * (abs(x[i]) < zeroTol ? 1 : 0)
    }
  }

  /// Richardson extrapolation of r approximations (numDeriv assumes v = 2).
  static func extrapolate(_ a: [Double]) -> Double {
    var a = a
    for m in 1..<r {
      let f = Double(1 << (2 * m))  // 4^m
      for k in 0..<(r - m) { a[k] = (a[k + 1] * f - a[k]) / (f - 1) }
    }
    return a[0]
  }

  /// `numDeriv::hessian(func, x)` with the default Richardson method (through `genD`).
  /// `scale`: optional step floors (see ``initialSteps(_:d:scale:)``).
  static func hessian(_ f: ([Double]) -> Double, at x: [Double], scale: [Double]? = nil) -> Matrix {
    let n = x.count
    let f0 = f(x)
    let h0 = initialSteps(x, d: hessianD, scale: scale)
    var hdiag = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var h = h0
      var haprox = [Double](repeating: 0, count: r)
      for k in 0..<r {
        var xp = x
        var xm = x
        xp[i] = x[i] + h[i]
        xm[i] = x[i] - h[i]
        let f1 = f(xp)
        let f2 = f(xm)
        haprox[k] = (f1 - 2 * f0 + f2) / (h[i] * h[i])
        h = h.map { $0 / 2 }
      }
      hdiag[i] = extrapolate(haprox)
    }
    var hess = Matrix(rows: n, cols: n)
    for i in 0..<n {
      hess[i, i] = hdiag[i]
      for j in 0..<i {
        var h = h0
        var daprox = [Double](repeating: 0, count: r)
        for k in 0..<r {
          var xp = x
          var xm = x
          xp[i] = x[i] + h[i]
          xp[j] = x[j] + h[j]
          xm[i] = x[i] - h[i]
          xm[j] = x[j] - h[j]
          let f1 = f(xp)
          let f2 = f(xm)
          daprox[k] =
            (f1 - 2 * f0 + f2 - hdiag[i] * (h[i] * h[i]) - hdiag[j] * (h[j] * h[j])) / (2 * h[i] * h[j])
          h = h.map { $0 / 2 }
        }
        let v = extrapolate(daprox)
        hess[i, j] = v
        hess[j, i] = v
      }
    }
    return hess
  }

  /// `numDeriv::jacobian(func, x)` with the default Richardson method: an m × n matrix for a
  /// function returning m values.
  /// `scale`: optional step floors (see ``initialSteps(_:d:scale:)``).
  static func jacobian(_ f: ([Double]) -> [Double], at x: [Double], scale: [Double]? = nil) -> Matrix {
    let n = x.count
    var h = initialSteps(x, d: jacobianD, scale: scale)
    var a: [[[Double]]] = []  // a[k][i] = the k-th difference vector for parameter i
    var rows = 0
    for _ in 0..<r {
      var level: [[Double]] = []
      for i in 0..<n {
        var xp = x
        var xm = x
        xp[i] = x[i] + h[i]
        xm[i] = x[i] - h[i]
        let fp = f(xp)
        let fm = f(xm)
        rows = fp.count
        level.append(zip(fp, fm).map { ($0 - $1) / (2 * h[i]) })
      }
      a.append(level)
      h = h.map { $0 / 2 }
    }
    var jac = Matrix(rows: rows, cols: n)
    for i in 0..<n {
      for row in 0..<rows { jac[row, i] = extrapolate((0..<r).map { a[$0][i][row] }) }
    }
    return jac
  }
}
