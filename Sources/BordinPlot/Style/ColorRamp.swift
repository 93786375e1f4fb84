/// A sequential colour ramp defined by fixed hex stops, interpolated linearly in sRGB.
///
/// The default, ``viridis``, is the ten-stop viridis ramp (R's `viridisLite::viridis(10)`):
/// perceptually ordered, readable by people with the common colour-vision deficiencies and
/// still ordered when printed in grey (its lightness rises from dark purple to yellow).
///
/// ```
/// t = 0 → #440154   t = 0.5 → between #26828E and #1F9E89   t = 1 → #FDE725
/// ```
///
/// Reference: Garnier, S., Ross, N., Rudis, R., Camargo, A. P., Sciaini, M., & Scherer, C.
/// (2024). *viridis(Lite): Colorblind-friendly color maps for R* (R package).
public struct ColorRamp: Sendable, Equatable {
  /// The stops, evenly spaced from t = 0 to t = 1, as `#rrggbb`.
  public let stops: [String]
  private let rgb: [(Double, Double, Double)]

  /// Creates a ramp from `#rrggbb` stops (invalid stops are read as black). A single stop gives
  /// a constant ramp; no stops give ``viridis``.
  public init(stops: [String]) {
    let used = stops.isEmpty ? ColorRamp.viridisStops : stops.count == 1 ? stops + stops : stops
    self.stops = used
    rgb = used.map(ColorRamp.parse)
  }

  private static let viridisStops = [
    "#440154", "#482878", "#3E4A89", "#31688E", "#26828E", "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725",
  ]

  /// Two ramps are equal when their stops are.
  public static func == (a: ColorRamp, b: ColorRamp) -> Bool { a.stops == b.stops }

  /// The viridis ramp, ten stops.
  public static let viridis = ColorRamp(stops: viridisStops)

  /// The colour at `t` in [0, 1] (clamped; NaN gives the middle) as `#rrggbb`.
  public func colour(at t: Double) -> String {
    let (r, g, b) = components(at: t)
    return ColorRamp.hex(r, g, b)
  }

  /// The luma (ITU-R BT.601 weights on sRGB) of the colour at `t`, from 0 (black) to 1
  /// (white): enough to choose black or white ink over the colour.
  public func brightness(at t: Double) -> Double {
    let (r, g, b) = components(at: t)
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255
  }

  private func components(at t: Double) -> (Double, Double, Double) {
    let u = t.isNaN ? 0.5 : min(1, max(0, t))
    let position = u * Double(rgb.count - 1)
    let index = min(Int(position.rounded(.down)), rgb.count - 2)
    let f = position - Double(index)
    let a = rgb[index]
    let b = rgb[index + 1]
    return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
  }

  private static func parse(_ hex: String) -> (Double, Double, Double) {
    let digits = Array(hex.utf8.filter { $0 != UInt8(ascii: "#") })
    guard digits.count == 6 else { return (0, 0, 0) }
    func value(_ c: UInt8) -> Int? {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - UInt8(ascii: "a")) + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - UInt8(ascii: "A")) + 10
      default: return nil
      }
    }
    var channels: [Double] = []
    for k in 0..<3 {
      guard let hi = value(digits[2 * k]), let lo = value(digits[2 * k + 1]) else { return (0, 0, 0) }
      channels.append(Double(hi * 16 + lo))
    }
    return (channels[0], channels[1], channels[2])
  }

  private static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
    let digits = Array("0123456789abcdef")
    var out = "#"
    for channel in [r, g, b] {
      let v = Int(min(255, max(0, channel)).rounded(.toNearestOrAwayFromZero))
      out.append(digits[v / 16])
      out.append(digits[v % 16])
    }
    return out
  }
}
