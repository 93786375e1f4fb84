import XCTest

@testable import BordinPlot

/// `pretty()` cases; expected values are R's output (R 4.x, `pretty(c(lower, upper))`,
/// default arguments), checked by hand against R_pretty's steps where noted.
final class PrettyTicksTests: XCTestCase {
  private func assertPretty(
    _ lower: Double, _ upper: Double, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line
  ) {
    let actual = Ticks.pretty(lower: lower, upper: upper).values
    XCTAssertEqual(actual.count, expected.count, "pretty(c(\(lower), \(upper))) = \(actual)", file: file, line: line)
    for (a, e) in zip(actual, expected) {
      XCTAssertEqual(a, e, accuracy: 1e-12 * max(1, abs(e)), "pretty(c(\(lower), \(upper))) = \(actual)", file: file, line: line)
    }
  }

  func testUnitInterval() {
    // cell 0.2, base 0.1 → unit 0.2
    assertPretty(0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1])
  }

  func testRoundsOutToTwenties() {
    // cell 19.14, base 10 → unit 20; ns 0, nu 5
    assertPretty(1.3, 97, [0, 20, 40, 60, 80, 100])
  }

  func testStraddlingZero() {
    // cell 0.236 → unit 0.2; ns floor(−1.85) = −2, nu ceil(4.05) = 5
    assertPretty(-0.37, 0.81, [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1.0])
  }

  func testOneToFifteen() {
    // pretty(1:15): cell 2.8 → unit 2
    assertPretty(1, 15, [0, 2, 4, 6, 8, 10, 12, 14, 16])
  }

  func testZeroToTen() {
    assertPretty(0, 10, [0, 2, 4, 6, 8, 10])
    assertPretty(0, 100, [0, 20, 40, 60, 80, 100])
    assertPretty(0, 5, [0, 1, 2, 3, 4, 5])
  }

  func testFavoursFives() {
    // cell 4: 5 − 4 < 2.75 · (4 − 2) → unit 5
    assertPretty(10, 30, [10, 15, 20, 25, 30])
    // cell 0.4 → unit 0.5
    assertPretty(-1, 1, [-1, -0.5, 0, 0.5, 1])
  }

  func testZeroWidthAtZero() {
    // pretty(0) = -1 0: the small-range branch with min.n = 1
    assertPretty(0, 0, [-1, 0])
  }

  func testOffsetRange() {
    assertPretty(100, 101, [100, 100.2, 100.4, 100.6, 100.8, 101])
  }

  func testLargeAndSmallMagnitudes() {
    assertPretty(0, 1e6, [0, 2e5, 4e5, 6e5, 8e5, 1e6])
    assertPretty(0, 1e-6, [0, 2e-7, 4e-7, 6e-7, 8e-7, 1e-6])
  }

  func testUnitsAreOneTwoOrFiveTimesAPowerOfTen() {
    var state: UInt64 = 42
    for _ in 0..<500 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let a = Double(state >> 11) / Double(1 << 53) * 200 - 100
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let b = a + Double(state >> 11) / Double(1 << 53) * 50
      let pretty = Ticks.pretty(lower: a, upper: b)
      let mantissa = pretty.unit / Ticks.pow10(Ticks.floorLog10(pretty.unit))
      XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "unit \(pretty.unit)")
      XCTAssertLessThanOrEqual(pretty.lower, a + 1e-10 * pretty.unit)
      XCTAssertGreaterThanOrEqual(pretty.upper, b - 1e-10 * pretty.unit)
      XCTAssertGreaterThanOrEqual(pretty.values.count, 2)
    }
  }

  func testExtremeInputsTerminateWithFiniteTicks() {
    for (lo, hi) in [
      (-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude), (1e300, 1e300), (Double.leastNonzeroMagnitude, Double.leastNonzeroMagnitude),
      (1, 1 + 1e-15), (-1e-300, 1e-300),
    ] {
      let values = Ticks.pretty(lower: lo, upper: hi).values
      XCTAssertGreaterThanOrEqual(values.count, 2, "\(lo)…\(hi)")
      XCTAssertTrue(values.allSatisfy(\.isFinite), "\(lo)…\(hi): \(values)")
      XCTAssertEqual(values, values.sorted())
    }
  }

  func testPowersOfTen() {
    XCTAssertEqual(Ticks.pow10(0), 1)
    XCTAssertEqual(Ticks.pow10(5), 100_000)
    XCTAssertEqual(Ticks.pow10(-1), 0.1)
    XCTAssertEqual(Ticks.pow10(-22), 1e-22)
    XCTAssertEqual(Ticks.floorLog10(1), 0)
    XCTAssertEqual(Ticks.floorLog10(0.1), -1)
    XCTAssertEqual(Ticks.floorLog10(999.9), 2)
    XCTAssertEqual(Ticks.floorLog10(1000), 3)
    XCTAssertEqual(Ticks.floorLog10(1e-300), -300)
  }
}

final class TickLabelsTests: XCTestCase {
  func testCommonDecimalsAndTypographicMinus() {
    XCTAssertEqual(
      TickLabels.format(Ticks.pretty(lower: -0.37, upper: 0.81).values),
      ["−0.4", "−0.2", "0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  func testIntegersHaveNoDecimals() {
    XCTAssertEqual(TickLabels.format([0, 20, 40]), ["0", "20", "40"])
    XCTAssertEqual(TickLabels.format([-10, 0, 10]), ["−10", "0", "10"])
  }

  func testTwoDecimalsWhenNeeded() {
    XCTAssertEqual(TickLabels.format([0, 0.05, 0.1, 0.15]), ["0.00", "0.05", "0.10", "0.15"])
  }

  func testFloatingPointNoiseDoesNotAddDecimals() {
    XCTAssertEqual(TickLabels.format([0.30000000000000004, 0.6000000000000001]), ["0.3", "0.6"])
  }

  func testNegativeZeroIsZero() {
    XCTAssertEqual(TickLabels.format([-0.0, 1]), ["0", "1"])
    XCTAssertEqual(TickLabels.fixed(-0.0001, decimals: 1), "0.0")
  }

  func testScientificForHugeAndTinyAxes() {
    XCTAssertEqual(TickLabels.format([0, 1e20, 2e20]), ["0", "1 × 10²⁰", "2 × 10²⁰"])
    XCTAssertEqual(TickLabels.format([0, 2e-7, 4e-7]), ["0", "2 × 10⁻⁷", "4 × 10⁻⁷"])
    XCTAssertEqual(TickLabels.format([-2.5e-5, 0, 2.5e-5]), ["−2.5 × 10⁻⁵", "0", "2.5 × 10⁻⁵"])
  }

  func testThousandsAreGroupedOnAxesFromTenThousand() {
    XCTAssertEqual(TickLabels.format([0, 20_000, 40_000]), ["0", "20,000", "40,000"])
    XCTAssertEqual(TickLabels.format([-2_000_000, 0, 500_000]), ["−2,000,000", "0", "500,000"])
    XCTAssertEqual(TickLabels.format([10_000, 12_500]), ["10,000", "12,500"])
    XCTAssertEqual(TickLabels.format([2000, 2005, 2010]), ["2000", "2005", "2010"])
    XCTAssertEqual(TickLabels.fixed(-1234567.5, decimals: 1, grouped: true), "−1,234,567.5")
    XCTAssertEqual(TickLabels.fixed(123, decimals: 0, grouped: true), "123")
  }

  func testNonFiniteValuesGetEmptyLabels() {
    XCTAssertEqual(TickLabels.format([1, .nan, .infinity]), ["1", "", ""])
  }

  /// A span of ticks too large for an Int (or NaN) is capped before conversion, not a trap.
  func testHugeOrNaNSpanDoesNotTrap() {
    XCTAssertEqual(Ticks.Pretty(unit: 1, first: 0, last: 1e300).values.count, 10_000)
    XCTAssertEqual(Ticks.Pretty(unit: 1, first: 0, last: .nan).values.count, 1)
    XCTAssertEqual(Ticks.Pretty(unit: 1, first: 2, last: 0).values.count, 1)
    XCTAssertEqual(Ticks.Pretty(unit: 0.5, first: -2, last: 2).values, [-1, -0.5, 0, 0.5, 1])
  }
}
