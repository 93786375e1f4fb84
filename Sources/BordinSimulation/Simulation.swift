import BordinData
import BordinStats
import Foundation

// Building blocks of the study-design simulators (PracSimulator, CopingPowerSimulator,
// SessionsSimulator): named random streams, integer draws, shuffling, Likert items that add up
// to a scale total, and rounding to a recorded precision.
//
// Implementation goals, in priority order: (1) the same bytes for a seed on every machine: only
// SplitMix64 (integer arithmetic) and Box–Muller normals, every recorded value rounded to the
// precision it is stored with, so that a last-ulp difference in a libm `log` or `cos` could only
// matter at an exact rounding tie; (2) stability under change: each component of a design draws
// from its own stream (seed ⊕ the component's name), so that adding a variable to one
// component does not move the values of the others.
//
// Reference: Fowler, Noll & Vo, FNV-1a hash (IETF draft-eastlake-fnv); Lemire (2019), Fast
// random integer generation in an interval, ACM TOMACS 29(1) (the unbiased rejection of the
// 2⁶⁴ mod n lowest outputs, as OpenBSD's arc4random_uniform).

extension SplitMix64 {
  /// The generator of one named component of a design: SplitMix64 seeded with the first
  /// output of SplitMix64(seed ⊕ FNV-1a-64(stream)).
  public init(seed: UInt64, stream: String) {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in stream.utf8 {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    var mixer = SplitMix64(seed: seed ^ h)
    self.init(seed: mixer.next())
  }

  /// A uniform integer in 0..<n, without modulo bias (rejection of the low remainder).
  public mutating func integer(below n: Int) -> Int {
    precondition(n > 0)
    let m = UInt64(n)
    let threshold = (0 &- m) % m
    while true {
      let r = next()
      if r >= threshold { return Int(r % m) }
    }
  }

  /// True with probability p.
  public mutating func bernoulli(_ p: Double) -> Bool { uniform() <= p }

  /// A Fisher–Yates shuffle.
  public mutating func shuffle<T>(_ a: inout [T]) {
    var i = a.count - 1
    while i > 0 {
      let j = integer(below: i + 1)
      a.swapAt(i, j)
      i -= 1
    }
  }
}

/// Helpers shared by the simulators.
public enum Simulation {
  /// `x` rounded half away from zero to `decimals` places (what a scoring sheet records).
  public static func round(_ x: Double, _ decimals: Int = 0) -> Double {
    if decimals == 0 { return x.rounded() }
    let f = Foundation.pow(10, Double(decimals))
    return (x * f).rounded() / f
  }

  public static func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
    Swift.min(Swift.max(x, lo), hi)
  }

  /// A scale total as recorded: the latent total rounded to an integer and clamped to the
  /// scale's range `items·low … items·high`.
  public static func total(_ latent: Double, items: Int, low: Int, high: Int) -> Int {
    Int(clamp(latent.rounded(), Double(items * low), Double(items * high)))
  }

  /// Item responses (each `low…high`) that add up exactly to `total`.
  ///
  /// Each item has a propensity `total/k + offsets[j] + noise[j]` on the item scale. The items
  /// start at their propensities rounded and clamped to the range; the remaining difference to
  /// the total is then made up one point at a time, raising the item whose propensity most
  /// exceeds its value (or lowering the one that falls furthest below), ties to the lower
  /// index: largest-remainder rounding under the sum constraint.
  /// - Precondition: `k·low ≤ total ≤ k·high` and the arrays have length k.
  public static func items(total: Int, offsets: [Double], noise: [Double], low: Int, high: Int) -> [Int] {
    let k = offsets.count
    precondition(noise.count == k && k * low <= total && total <= k * high)
    let base = Double(total) / Double(k)
    let p = (0..<k).map { base + offsets[$0] + noise[$0] }
    var x = p.map { Int(clamp($0.rounded(), Double(low), Double(high))) }
    var deficit = total - x.reduce(0, +)
    while deficit > 0 {
      var best = -1
      for j in 0..<k where x[j] < high && (best < 0 || p[j] - Double(x[j]) > p[best] - Double(x[best])) { best = j }
      x[best] += 1
      deficit -= 1
    }
    while deficit < 0 {
      var best = -1
      for j in 0..<k where x[j] > low && (best < 0 || p[j] - Double(x[j]) < p[best] - Double(x[best])) { best = j }
      x[best] -= 1
      deficit += 1
    }
    return x
  }

  /// The lower Cholesky factor of a small positive-definite matrix (row-major, n×n).
  public static func cholesky(_ a: [[Double]]) -> [[Double]] {
    let n = a.count
    var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0...i {
        var s = a[i][j]
        for k in 0..<j { s -= l[i][k] * l[j][k] }
        if i == j {
          precondition(s > 0, "matrix is not positive definite")
          l[i][j] = s.squareRoot()
        } else {
          l[i][j] = s / l[j][j]
        }
      }
    }
    return l
  }

  /// Correlated standard normals: L·z for the Cholesky factor L of a correlation matrix.
  public static func correlatedNormals(_ l: [[Double]], _ rng: inout SplitMix64) -> [Double] {
    let z = (0..<l.count).map { _ in rng.normal() }
    return l.map { row in zip(row, z).reduce(0) { $0 + $1.0 * $1.1 } }
  }

  /// A number for Markdown text: shortest round-trip form, minus as "−" for readability.
  static func text(_ x: Double) -> String {
    let s = formatShortest(x)
    return s.hasPrefix("-") ? "−" + s.dropFirst() : s
  }

  /// The Markdown table of true parameters.
  static func parameterTable(_ parameters: [(name: String, value: Double, description: String)]) -> String {
    var out = "| parameter | true value | meaning |\n|---|---|---|\n"
    for p in parameters {
      out += "| `\(p.name)` | \(text(p.value)) | \(p.description) |\n"
    }
    return out
  }
}
