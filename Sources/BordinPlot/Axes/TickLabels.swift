/// Axis tick labels: one number of decimals for the whole axis, typographic minus.
///
/// A column of tick labels reads best when every label has the same number of decimals
/// (`0.0 0.5 1.0`, not `0 0.5 1`), as in R's `axis()` and APA figures. The number of decimals is
/// the fewest that show every tick exactly (to 1e-9 relative), at most ``maxDecimals``.
/// Negative numbers use the minus sign U+2212 ("−"), and a label that would read `−0` reads `0`.
/// On axes reaching 10,000 or more, thousands are separated by commas (APA 7 §6.38; four-digit
/// axes such as years stay ungrouped).
///
/// Magnitudes of 1e15 or more, and axes whose largest magnitude is below 1e-4, use scientific
/// notation with superscript exponents: `2.5 × 10⁻⁷`.
///
/// Formatting is integer arithmetic on the rounded value: no locale, no `printf`.
public enum TickLabels {
  /// The most decimals a fixed-notation label gets.
  public static let maxDecimals = 6

  /// The typographic minus sign, U+2212.
  public static let minus = "\u{2212}"

  /// Labels for `values`, formatted together.
  ///
  /// - Parameter values: Finite tick values (non-finite values are labelled with an empty string).
  /// - Returns: One label per value, in order.
  public static func format(_ values: [Double]) -> [String] {
    let finite = values.filter(\.isFinite)
    let largest = finite.map(abs).max() ?? 0
    if largest >= 1e15 || (largest > 0 && largest < 1e-4) {
      return scientific(values)
    }
    let places = decimals(for: finite)
    let grouped = largest >= 10_000
    return values.map { $0.isFinite ? fixed($0, decimals: places, grouped: grouped) : "" }
  }

  /// The fewest decimals (≤ ``maxDecimals``) that show every value exactly.
  ///
  /// - Parameter values: Finite values.
  /// - Returns: A number of decimals in `0...maxDecimals`.
  public static func decimals(for values: [Double]) -> Int {
    values.map { decimalsNeeded($0, limit: maxDecimals) }.max() ?? 0
  }

  /// `value` with exactly `decimals` decimals, rounded half away from zero, minus as U+2212.
  ///
  /// - Parameters:
  ///   - value: A finite number with `|value| · 10^decimals < 9e18`.
  ///   - decimals: Digits after the decimal point, 0…15.
  ///   - grouped: Separate thousands in the integer part with commas (`12,500`).
  /// - Returns: The label, e.g. `−0.40`.
  public static func fixed(_ value: Double, decimals: Int, grouped: Bool = false) -> String {
    precondition((0...15).contains(decimals), "TickLabels.fixed: decimals out of range")
    let scaled = (value * Ticks.pow10(decimals)).rounded(.toNearestOrAwayFromZero)
    guard value.isFinite, abs(scaled) < 9e18 else { return value.description }
    let integer = Int64(scaled)
    var digits = String(integer.magnitude)
    if digits.count <= decimals {
      digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits
    }
    var whole = String(digits.prefix(digits.count - decimals))
    let fraction = digits.suffix(decimals)
    if grouped {
      var position = whole.count - 3
      while position > 0 {
        whole.insert(",", at: whole.index(whole.startIndex, offsetBy: position))
        position -= 3
      }
    }
    let text = decimals > 0 ? whole + "." + fraction : whole
    return integer < 0 ? minus + text : text
  }

  private static func decimalsNeeded(_ value: Double, limit: Int) -> Int {
    for places in 0..<limit {
      let scaled = value * Ticks.pow10(places)
      if abs(scaled - scaled.rounded()) <= 1e-9 * max(1, abs(scaled)) { return places }
    }
    return limit
  }

  private static func scientific(_ values: [Double]) -> [String] {
    let parts: [(mantissa: Double, exponent: Int)?] = values.map { value in
      guard value.isFinite else { return nil }
      if value == 0 { return (0, 0) }
      var exponent = Ticks.floorLog10(abs(value))
      var mantissa = value / Ticks.pow10(exponent)
      if abs(mantissa) >= 10 - 1e-9 {  // 9.999…e-5 is 1 × 10⁻⁴, not 10 × 10⁻⁵
        mantissa /= 10
        exponent += 1
      }
      return (mantissa, exponent)
    }
    let places = parts.compactMap { $0.map { decimalsNeeded($0.mantissa, limit: 3) } }.max() ?? 0
    return parts.map { part in
      guard let part else { return "" }
      if part.mantissa == 0 { return "0" }
      return fixed(part.mantissa, decimals: places) + " × 10" + superscript(part.exponent)
    }
  }

  private static func superscript(_ exponent: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(exponent.magnitude).map { digits[Int(String($0)) ?? 0] }
    return (exponent < 0 ? "⁻" : "") + String(body)
  }
}
