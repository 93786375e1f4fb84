/// Tick positions by R's `pretty()` algorithm.
///
/// Implementation goals, in order of priority:
/// 1. The same ticks as R's `pretty(c(lower, upper))` (R ≥ 3.5, `src/appl/pretty.c`,
///    `R_pretty`), so a figure's axes match what an R user expects for the same data.
/// 2. Total: every finite input gives a finite, increasing list of at least two ticks;
///    loops are bounded.
///
/// The algorithm picks a *cell* ≈ (upper − lower) / n, its power of ten *base*, and then a
/// *unit* from {1, 2, 5, 10} × base, preferring the larger unit with biases `h` and `h5`:
///
/// ```
/// unit = base
/// if 2·base − cell <  h·(cell − unit)   { unit = 2·base
///   if 5·base − cell < h5·(cell − unit) { unit = 5·base
///     if 10·base − cell < h·(cell − unit) { unit = 10·base } } }
/// ns = floor(lower / unit + 1e-10),  nu = ceil(upper / unit − 1e-10)
/// ticks = ns·unit, (ns+1)·unit, …, nu·unit     (at least min.n intervals)
/// ```
///
/// A range that is tiny relative to its magnitude (`i_small`) uses a cell derived from the
/// magnitude instead (shrunk by `shrink.sml`). Ticks are computed as `(ns + i) · unit` and
/// values within 1e-14 · unit of zero are set to zero, as R does; they may differ from R's
/// `seq.int` values in the last bit, which no label shows.
///
/// Reference: R Core Team (2024). *R: A language and environment for statistical computing*,
/// `pretty()`, src/appl/pretty.c (Ihaka & Gentleman 1995–96; Maechler, R Core, 1998–2022).
public enum Ticks {
  /// The outcome of ``pretty(lower:upper:n:minN:shrinkSmall:highUBias:u5Bias:)``.
  public struct Pretty: Sendable, Equatable {
    /// The tick step: 1, 2 or 5 times a power of ten.
    public let unit: Double
    /// Index of the first tick: the first tick is `first · unit`.
    public let first: Double
    /// Index of the last tick: the last tick is `last · unit`.
    public let last: Double

    /// The tick values, increasing, with near-zero values set to exactly zero.
    public var values: [Double] {
      // Capped before the conversion: a span of 1e300 ticks (or NaN) must not trap in Int(_:).
      let span = (last - first).rounded()
      let count = span.isFinite && span >= 0 ? Int(min(span, 9_999)) + 1 : 1
      return (0..<count).map { i in
        let value = (first + Double(i)) * unit
        return abs(value) < 1e-14 * unit ? 0 : value
      }
    }

    /// The first tick value (the lower bound of the pretty range).
    public var lower: Double { first * unit }

    /// The last tick value (the upper bound of the pretty range).
    public var upper: Double { last * unit }
  }

  /// Rounding tolerance of `R_pretty` (since R 3.5.0).
  static let roundingEps = 1e-10

  /// Pretty tick positions covering `[lower, upper]`, as R's `pretty()`.
  ///
  /// - Parameters:
  ///   - lower: The smallest value to cover (finite).
  ///   - upper: The largest value to cover (finite, ≥ `lower`; swapped otherwise).
  ///   - n: The desired number of intervals (R's `n`, default 5).
  ///   - minN: The minimal number of intervals (R's `min.n`, default `n / 3`).
  ///   - shrinkSmall: Factor for the cell of a tiny range (R's `shrink.sml`, default 0.75).
  ///   - highUBias: Bias towards a larger unit (R's `high.u.bias`, default 1.5).
  ///   - u5Bias: Bias towards 5 over 2 (R's `u5.bias`, default 0.5 + 1.5 · `highUBias`).
  /// - Returns: The unit and the first and last tick indices.
  public static func pretty(
    lower: Double, upper: Double, n: Int = 5, minN: Int? = nil, shrinkSmall: Double = 0.75,
    highUBias: Double = 1.5, u5Bias: Double? = nil
  ) -> Pretty {
    precondition(lower.isFinite && upper.isFinite, "Ticks.pretty: bounds must be finite")
    precondition(n >= 0 && shrinkSmall > 0 && highUBias >= 0, "Ticks.pretty: invalid tuning")
    let lo = min(lower, upper)
    let up = max(lower, upper)
    let minN = min(max(minN ?? n / 3, 0), n)
    let h = highUBias
    let h5 = u5Bias ?? 0.5 + 1.5 * highUBias
    let ndiv = max(1, n)

    let dx = up - lo
    var cell: Double
    let isSmall: Bool
    if dx == 0 && up == 0 {
      cell = 1
      isSmall = true
    } else {
      cell = max(abs(lo), abs(up))
      let uBound = 1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5))
      // `dx` overflows to +inf only for ranges wider than Double.greatestFiniteMagnitude.
      isSmall = dx < cell * uBound * Double(ndiv) * Double.ulpOfOne * 3
    }

    if isSmall {
      if cell > 10 { cell = 9 + cell / 10 }
      cell *= shrinkSmall
      if minN > 1 { cell /= Double(minN) }
    } else {
      cell = dx
      if n > 1 { cell /= Double(n) }
    }
    let subsmall = 0x1p-20 * Double.leastNormalMagnitude
    let maxCell = Double.greatestFiniteMagnitude / 1.25
    if !(cell >= subsmall) {
      cell = subsmall
    } else if cell > maxCell {
      cell = maxCell
    }

    let base = pow10(floorLog10(cell))
    var unit = base
    if 2 * base - cell < h * (cell - unit) {
      unit = 2 * base
      if 5 * base - cell < h5 * (cell - unit) {
        unit = 5 * base
        if 10 * base - cell < h * (cell - unit) { unit = 10 * base }
      }
    }

    var ns = (lo / unit + roundingEps).rounded(.down)
    var nu = (up / unit - roundingEps).rounded(.up)
    var guardSteps = 0
    while ns * unit > lo + roundingEps * unit && guardSteps < 64 { ns -= 1; guardSteps += 1 }
    while !(ns * unit).isFinite && guardSteps < 128 { ns += 1; guardSteps += 1 }
    while nu * unit < up - roundingEps * unit && guardSteps < 192 { nu += 1; guardSteps += 1 }
    while !(nu * unit).isFinite && guardSteps < 256 { nu -= 1; guardSteps += 1 }

    var k = Int((0.5 + nu - ns).rounded(.down))
    if k < minN {
      k = minN - k
      if ns >= 0 {
        nu += Double(k / 2)
        ns -= Double(k / 2 + k % 2)
      } else {
        ns -= Double(k / 2)
        nu += Double(k / 2 + k % 2)
      }
    }
    if nu <= ns { nu = ns + 1 }  // never a single tick: an axis needs two
    return Pretty(unit: unit, first: ns, last: nu)
  }

  /// Floor of log10(x) for positive finite x, exact at powers of ten.
  static func floorLog10(_ x: Double) -> Int {
    // log10(2) ≈ 0.30103: a first guess within one of the answer, then corrected exactly.
    var e = Int((Double(x.exponent) * 0.301_029_995_663_981_2).rounded(.down))
    while e > -400 && pow10(e) > x { e -= 1 }
    while e < 400 && pow10(e + 1) <= x { e += 1 }
    return e
  }

  /// 10^e by repeated squaring of exact powers of ten: correctly rounded for |e| ≤ 22
  /// (like a good `pow`), within a few ulps beyond, and free of libm differences.
  static func pow10(_ e: Int) -> Double {
    if e < -300 { return pow10(e + 300) / pow10(300) }
    var exponent = abs(e)
    var result = 1.0
    var factor = 10.0
    while exponent > 0 {
      if exponent & 1 == 1 { result *= factor }
      exponent >>= 1
      if exponent > 0 { factor *= factor }
    }
    return e < 0 ? 1 / result : result
  }
}
