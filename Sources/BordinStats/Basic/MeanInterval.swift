/// The t confidence interval of a mean: x̄ ± t₁₋α/₂(n − 1) · s/√n (Student 1908), as R's
/// `t.test(x)$conf.int`; missing values (NaN) are dropped. With fewer than two values the
/// half-width is NaN (no interval), and with none the mean is NaN too.
public struct MeanInterval: Sendable, Equatable {
  public var n: Int
  public var mean: Double
  public var lower: Double
  public var upper: Double

  public init(_ values: [Double], level: Double = 0.95) {
    let d = Describe.numeric(values)
    let m = d.mean ?? .nan
    let half = d.n > 1
      ? Distributions.tQuantile(1 - (1 - level) / 2, df: Double(d.n - 1)) * (d.sd ?? .nan) / Double(d.n).squareRoot() : .nan
    n = d.n
    mean = m
    lower = m - half
    upper = m + half
  }
}
