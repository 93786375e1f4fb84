// Descriptive statistics of a numeric vector, as R's `length`, `mean`, `sd`, `min`, `max`,
// `median` after `na.omit`.
//
// Implementation goals, in priority order: (1) R's values (two-pass mean and variance);
// (2) no NaN surprises: statistics that do not exist for the sample size are nil.
//
// Reference: R Core Team, `base::mean`, `stats::sd`, `stats::median`.

/// Descriptive statistics of one variable.
public struct DescriptiveResult: Sendable, Equatable {
  /// Non-missing values.
  public var n: Int
  /// Missing (NaN) values.
  public var missing: Int
  /// Mean; nil when n = 0.
  public var mean: Double?
  /// Standard deviation with n − 1; nil when n < 2.
  public var sd: Double?
  /// Minimum and maximum; nil when n = 0.
  public var min: Double?
  public var max: Double?
  /// Median (average of the two middle values for even n); nil when n = 0.
  public var median: Double?
}

/// Descriptive statistics.
public enum Describe {
  /// Describes a numeric vector; NaN is missing.
  ///
  /// ```
  /// mean = Σx/n (plus R's correction pass Σ(x − mean)/n),  sd = √(Σ(x − mean)²/(n − 1))
  /// ```
  public static func numeric(_ values: [Double]) -> DescriptiveResult {
    let v = values.filter { !$0.isNaN }
    let n = v.count
    guard n > 0 else {
      return DescriptiveResult(
        n: 0, missing: values.count, mean: nil, sd: nil, min: nil, max: nil, median: nil)
    }
    let m = Regression.mean(v)
    let sd: Double? = n > 1 ? TTest.variance(v, mean: m).squareRoot() : nil
    let sorted = v.sorted()
    let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    return DescriptiveResult(
      n: n, missing: values.count - n, mean: m, sd: sd, min: sorted.first, max: sorted.last,
      median: median)
  }
}
