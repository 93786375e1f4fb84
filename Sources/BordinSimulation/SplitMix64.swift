import Foundation

// Reference: Steele, G. L., Lea, D. & Flood, C. H. (2014), Fast splittable pseudorandom number
// generators, OOPSLA '14; Vigna's splitmix64.c.

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit generator with a 64-bit state.
public struct SplitMix64: Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform on (0, 1]: the top 53 bits, plus one ulp so that 0 never occurs.
  public mutating func uniform() -> Double {
    (Double(next() >> 11) + 1) * 0x1.0p-53
  }

  /// A standard normal deviate by the Box–Muller transform (cosine branch only, so that every
  /// deviate costs exactly two uniforms).
  public mutating func normal() -> Double {
    let u1 = uniform()
    let u2 = uniform()
    return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
  }
}
