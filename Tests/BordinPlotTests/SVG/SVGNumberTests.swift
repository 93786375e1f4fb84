import XCTest

@testable import BordinPlot

final class SVGNumberTests: XCTestCase {
  func testIntegersHaveNoDecimals() {
    XCTAssertEqual(SVGNumber.format(0), "0")
    XCTAssertEqual(SVGNumber.format(12), "12")
    XCTAssertEqual(SVGNumber.format(-480), "-480")
  }

  func testAtMostTwoDecimalsWithTrailingZerosTrimmed() {
    XCTAssertEqual(SVGNumber.format(3.14159), "3.14")
    XCTAssertEqual(SVGNumber.format(2.5), "2.5")
    XCTAssertEqual(SVGNumber.format(-2.5), "-2.5")
    XCTAssertEqual(SVGNumber.format(0.1 + 0.2), "0.3")
    XCTAssertEqual(SVGNumber.format(0.05), "0.05")
    XCTAssertEqual(SVGNumber.format(1.999), "2")
    XCTAssertEqual(SVGNumber.format(-0.07), "-0.07")
  }

  func testRoundsHalfAwayFromZero() {
    XCTAssertEqual(SVGNumber.format(0.125), "0.13")  // 0.125 is exact in binary
    XCTAssertEqual(SVGNumber.format(-0.125), "-0.13")
  }

  func testNegativeZeroAndTinyValuesAreZero() {
    XCTAssertEqual(SVGNumber.format(-0.0), "0")
    XCTAssertEqual(SVGNumber.format(-0.004), "0")
    XCTAssertEqual(SVGNumber.format(1e-20), "0")
    XCTAssertEqual(SVGNumber.format(-1e-20), "0")
    XCTAssertEqual(SVGNumber.format(Double.leastNonzeroMagnitude), "0")
  }

  func testLargeNumbers() {
    XCTAssertEqual(SVGNumber.format(123_456_789.126), "123456789.13")
    XCTAssertEqual(SVGNumber.format(1e13), "10000000000000")
    XCTAssertEqual(SVGNumber.format(1e15), "1000000000000000")
    XCTAssertEqual(SVGNumber.format(-1e15), "-1000000000000000")
    XCTAssertEqual(SVGNumber.format(1e20), "1e+20")
    XCTAssertEqual(SVGNumber.format(-1e20), "-1e+20")
    XCTAssertEqual(SVGNumber.format(Double.greatestFiniteMagnitude), "1.7976931348623157e+308")
  }

  func testSameValueSameStringAcrossCalls() {
    let values = (0..<1000).map { Double($0) * 0.731 - 250.1234 }
    XCTAssertEqual(values.map(SVGNumber.format), values.map(SVGNumber.format))
  }
}
