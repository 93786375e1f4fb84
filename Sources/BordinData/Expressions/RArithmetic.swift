import Foundation

// R's arithmetic special cases, transcribed from R 4's src/main/arithmetic.c and
// src/nmath/fround.c so that `derive` gives the numbers R would.

#if arch(x86_64) && !os(Windows)
  /// R computes some intermediate steps in `long double`; on x86-64 that is 80-bit.
  typealias RLongDouble = Float80
#else
  typealias RLongDouble = Double
#endif

/// `x ^ y` as R's `R_POW`: `1^y` and `x^0` are 1 even for missing values, `0^-1` is `Inf`.
func rPower(_ x: Double, _ y: Double) -> Double {
  if x == 1 || y == 0 { return 1 }
  if x == 0 {
    if y > 0 { return 0 }
    if y < 0 { return .infinity }
    return y
  }
  if x.isFinite && y.isFinite {
    return y == 2 ? x * x : pow(x, y)
  }
  if x.isNaN || y.isNaN { return x + y }
  if !x.isFinite {
    if x > 0 { return y < 0 ? 0 : .infinity }
    if y.isFinite && y == y.rounded(.down) {
      return y < 0 ? 0 : (rModulo(y, 2) != 0 ? x : -x)
    }
  }
  if !y.isFinite && x >= 0 {
    if y > 0 { return x >= 1 ? .infinity : 0 }
    return x < 1 ? .infinity : 0
  }
  return .nan
}

/// `x %% y` as R's `myfmod`: the result has the sign of `y`; `x %% 0` is `NaN`.
func rModulo(_ x: Double, _ y: Double) -> Double {
  if y == 0 { return .nan }
  if abs(y) * Double.ulpOfOne > 1 && x.isFinite && abs(x) <= abs(y) {
    if abs(x) == abs(y) { return 0 }
    return (x < 0 && y > 0) || (y < 0 && x > 0) ? x + y : x
  }
  let q = x / y
  let tmp = RLongDouble(x) - RLongDouble(q.rounded(.down)) * RLongDouble(y)
  return Double(tmp - (tmp / RLongDouble(y)).rounded(.down) * RLongDouble(y))
}

/// `x %/% y` as R's `myfloor`: floor division consistent with `%%`.
func rIntegerDivide(_ x: Double, _ y: Double) -> Double {
  let q = x / y
  if y == 0 || abs(q) * Double.ulpOfOne > 1 || !q.isFinite { return q }
  if abs(q) < 1 {
    if q < 0 { return -1 }
    return (x < 0 && y > 0) || (x > 0 && y < 0) ? -1 : 0
  }
  let fq = q.rounded(.down)
  let tmp = RLongDouble(x) - RLongDouble(fq) * RLongDouble(y)
  return Double(RLongDouble(fq) + (tmp / RLongDouble(y)).rounded(.down))
}

/// `x^n` for an integer `n` by repeated squaring, as R's `R_pow_di`.
func rPowDI(_ base: Double, _ exponent: Int) -> Double {
  var x = base
  var n = exponent
  var result = 1.0
  if x.isNaN { return x }
  if n == 0 { return 1 }
  if !x.isFinite { return rPower(x, Double(n)) }
  let negative = n < 0
  if negative { n = -n }
  while true {
    if n & 1 != 0 { result *= x }
    n >>= 1
    if n != 0 { x *= x } else { break }
  }
  return negative ? 1 / result : result
}

/// `round(x, digits)` as R ≥ 4.0.0 (`fround`): rounds to the nearer of the two decimal
/// candidates of the *represented* number, ties to even; `digits = 0` rounds half to even.
///
/// So `round(0.15, 1)` is 0.1 (0.15 is stored as 0.1499…), `round(2.5)` is 2 and
/// `round(2.675, 2)` is 2.67.
func rRound(_ value: Double, _ digits: Double) -> Double {
  let maxDigits = 308.0
  if value.isNaN || digits.isNaN { return value + digits }
  if !value.isFinite || digits > maxDigits + 15 || value == 0 { return value }
  if digits < -maxDigits { return 0 }
  if digits == 0 { return value.rounded(.toNearestOrEven) }
  let dig = Int((digits + 0.5).rounded(.down))
  let sign: Double = value < 0 ? -1 : 1
  let x = abs(value)
  let log10of2 = 0.301029995663981195213738894724
  let l10x = log10of2 * (0.5 + Double(x.exponent))
  if l10x + Double(dig) > 15 { return sign * x }
  let xd: Double
  let xu: Double
  let i10: Double
  if dig <= Int(maxDigits) {
    let p10 = rPowDI(10, dig)
    let x10 = p10 * x
    i10 = x10.rounded(.down)
    xd = i10 / p10
    xu = x10.rounded(.up) / p10
  } else {
    let e10 = dig - Int(maxDigits)
    let p10 = RLongDouble(rPowDI(10, e10))
    let pow10 = RLongDouble(rPowDI(10, Int(maxDigits)))
    let x10 = Double(pow10 * RLongDouble(x)) * Double(p10)
    i10 = x10.rounded(.down)
    xd = Double(RLongDouble(Double(RLongDouble(i10) / pow10)) / p10)
    xu = Double(RLongDouble(Double(RLongDouble(x10.rounded(.up)) / pow10)) / p10)
  }
  let du = xu - x
  let dd = x - xd
  let odd = i10.truncatingRemainder(dividingBy: 2) == 1
  return sign * ((du < dd || (du == dd && odd)) ? xu : xd)
}
