/// A linear map from a data interval (the domain) to pixel positions (the range).
///
/// ```
/// scale(v) = start + (v − domain.lower) / (domain.upper − domain.lower) · (end − start)
/// ```
///
/// The range may run backwards (`end < start`), as a y axis does in SVG, where y grows down.
/// A zero-width domain maps every value to the middle of the range rather than dividing by
/// zero; a domain too wide for a Double (`upper − lower` = ∞) is handled by halving.
public struct LinearScale: Sendable, Equatable {
  /// The data interval.
  public let domain: Interval
  /// The pixel position of `domain.lower`.
  public let start: Double
  /// The pixel position of `domain.upper`.
  public let end: Double

  /// Creates a scale.
  ///
  /// - Parameters:
  ///   - domain: The data interval.
  ///   - start: Pixel position for `domain.lower`.
  ///   - end: Pixel position for `domain.upper`.
  public init(domain: Interval, start: Double, end: Double) {
    precondition(start.isFinite && end.isFinite, "LinearScale: range must be finite")
    self.domain = domain
    self.start = start
    self.end = end
  }

  /// The pixel position of `value` (not clamped to the range; non-finite in, non-finite out).
  public func callAsFunction(_ value: Double) -> Double {
    start + fraction(value) * (end - start)
  }

  /// The data value at pixel position `position` (the inverse map).
  public func invert(_ position: Double) -> Double {
    let t = end == start ? 0.5 : (position - start) / (end - start)
    if domain.width.isFinite { return domain.lower + t * domain.width }
    return 2 * (domain.lower / 2 + t * (domain.upper / 2 - domain.lower / 2))
  }

  /// Where `value` falls in the domain, 0 at `lower` and 1 at `upper`.
  public func fraction(_ value: Double) -> Double {
    let width = domain.width
    if width == 0 { return 0.5 }
    if width.isFinite { return (value - domain.lower) / width }
    return (value / 2 - domain.lower / 2) / (domain.upper / 2 - domain.lower / 2)
  }
}
