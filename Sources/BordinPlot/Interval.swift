/// A closed interval of finite numbers: the domain of a scale.
///
/// Building a plot domain from data goes in three steps, each total (no input crashes):
///
/// ```swift
/// let domain = (Interval.covering(xs) ?? Interval(0, 1))  // finite values only
///   .widenedIfEmpty()                                       // all-equal data
///   .niced()                                                // out to pretty() bounds
/// ```
public struct Interval: Sendable, Equatable, CustomStringConvertible {
  /// The lower bound.
  public let lower: Double
  /// The upper bound, ≥ ``lower``.
  public let upper: Double

  /// Creates the interval between two finite numbers, in either order.
  ///
  /// - Parameters:
  ///   - a: One bound (finite).
  ///   - b: The other bound (finite).
  public init(_ a: Double, _ b: Double) {
    precondition(a.isFinite && b.isFinite, "Interval: bounds must be finite, got \(a), \(b)")
    lower = min(a, b)
    upper = max(a, b)
  }

  /// The smallest interval holding every finite value of `values`, or nil when there is none.
  ///
  /// NaN and ±infinity are skipped: they cannot be placed on a linear axis.
  public static func covering<S: Sequence>(_ values: S) -> Interval? where S.Element == Double {
    var low = Double.infinity
    var high = -Double.infinity
    for value in values where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
    return low <= high ? Interval(low, high) : nil
  }

  /// The width `upper − lower` (may overflow to +infinity for extreme bounds).
  public var width: Double { upper - lower }

  /// Whether `value` lies in the interval.
  public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

  /// The smallest interval holding both.
  public func union(_ other: Interval) -> Interval {
    Interval(min(lower, other.lower), max(upper, other.upper))
  }

  /// The smallest interval holding both, when `other` exists.
  public func union(_ other: Interval?) -> Interval {
    other.map(union) ?? self
  }

  /// A zero-width interval widened as R's graphics engine does (`GScale`): by 40% of the value
  /// on each side, or to [−1, 1] around zero. Other intervals are returned unchanged.
  public func widenedIfEmpty() -> Interval {
    guard lower == upper else { return self }
    if lower == 0 { return Interval(-1, 1) }
    let delta = 0.4 * abs(lower)
    return Interval(lower - delta, upper + delta)
  }

  /// Pretty ticks covering the interval (R's `pretty()`, see ``Ticks``).
  ///
  /// - Parameter count: The desired number of intervals between ticks.
  public func pretty(count: Int = 5) -> Ticks.Pretty {
    Ticks.pretty(lower: lower, upper: upper, n: count)
  }

  /// The interval extended outwards to its first and last pretty tick, so that axes start
  /// and end on a labelled tick.
  ///
  /// - Parameter count: The desired number of intervals between ticks.
  public func niced(count: Int = 5) -> Interval {
    let ticks = pretty(count: count)
    let low = ticks.lower.isFinite ? min(lower, ticks.lower) : lower
    let high = ticks.upper.isFinite ? max(upper, ticks.upper) : upper
    return Interval(low, high)
  }

  public var description: String { "[\(lower), \(upper)]" }
}
