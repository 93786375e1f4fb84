/// The one number formatter for SVG coordinates and lengths.
///
/// Output depends only on the value: no locale, no environment, no platform `printf`.
/// Values are rounded half away from zero to at most two decimals, trailing zeros are
/// trimmed, and a result that rounds to zero is written `0` (never `-0`).
///
/// ```
/// 12        → "12"        0.5      → "0.5"      -0.004 → "0"
/// 3.14159   → "3.14"      1e-20    → "0"        -2.5   → "-2.5"
/// 123456789.126 → "123456789.13"
/// |x| ≥ 9e13: rounded to an integer; |x| ≥ 9.2e18: Swift's shortest form, e.g. "1e+20"
/// ```
///
/// Two decimals are a hundredth of a user unit: invisible at any zoom a report is read at,
/// and they keep a scatter plot of thousands of points small.
public enum SVGNumber {
  /// Formats a finite `value` for an SVG attribute.
  ///
  /// - Parameter value: A finite number. Non-finite values are a programming error: the
  ///   drawing layer removes them before they reach the writer.
  /// - Returns: The shortest decimal string with at most two decimals.
  public static func format(_ value: Double) -> String {
    precondition(value.isFinite, "SVGNumber.format: non-finite value \(value)")
    let magnitude = abs(value)
    if magnitude < 9e13 {
      let hundredths = Int64((value * 100).rounded(.toNearestOrAwayFromZero))
      return fixed(hundredths, decimals: 2)
    }
    if magnitude < 9.2e18 {
      return fixed(Int64(value.rounded(.toNearestOrAwayFromZero)), decimals: 0)
    }
    return value.description
  }

  /// Writes `scaled / 10^decimals` with trailing zeros trimmed; `0` for zero.
  static func fixed(_ scaled: Int64, decimals: Int) -> String {
    if scaled == 0 { return "0" }
    let digits = String(scaled.magnitude)
    var result = scaled < 0 ? "-" : ""
    if decimals == 0 { return result + digits }
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    let split = padded.index(padded.endIndex, offsetBy: -decimals)
    result += padded[..<split]
    var fraction = padded[split...]
    while fraction.last == "0" { fraction = fraction.dropLast() }
    if !fraction.isEmpty { result += "." + fraction }
    return result
  }
}
