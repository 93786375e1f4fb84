import XCTest

@testable import BordinPlot

final class IntervalTests: XCTestCase {
  func testCoveringSkipsNonFiniteValues() {
    XCTAssertEqual(Interval.covering([3, .nan, -1, .infinity, 2, -.infinity]), Interval(-1, 3))
    XCTAssertNil(Interval.covering([Double]()))
    XCTAssertNil(Interval.covering([.nan, .infinity]))
  }

  func testBoundsAreOrdered() {
    XCTAssertEqual(Interval(5, 1).lower, 1)
    XCTAssertEqual(Interval(5, 1).upper, 5)
  }

  func testZeroWidthIsWidenedAsRGraphicsDoes() {
    XCTAssertEqual(Interval(0, 0).widenedIfEmpty(), Interval(-1, 1))
    XCTAssertEqual(Interval(5, 5).widenedIfEmpty(), Interval(3, 7))
    XCTAssertEqual(Interval(-10, -10).widenedIfEmpty(), Interval(-14, -6))
    XCTAssertEqual(Interval(1, 2).widenedIfEmpty(), Interval(1, 2))
  }

  func testNicedExtendsToPrettyBounds() {
    XCTAssertEqual(Interval(1.3, 97).niced(), Interval(0, 100))
    XCTAssertEqual(Interval(0, 1).niced(), Interval(0, 1))
    let niced = Interval(-0.37, 0.81).niced()
    XCTAssertEqual(niced.lower, -0.4, accuracy: 1e-12)
    XCTAssertEqual(niced.upper, 1.0, accuracy: 1e-12)
  }
}

final class LinearScaleTests: XCTestCase {
  func testMapsDomainToRange() {
    let scale = LinearScale(domain: Interval(0, 100), start: 50, end: 450)
    XCTAssertEqual(scale(0), 50)
    XCTAssertEqual(scale(100), 450)
    XCTAssertEqual(scale(25), 150)
    XCTAssertEqual(scale.invert(150), 25)
  }

  func testReversedRangeForYAxes() {
    let scale = LinearScale(domain: Interval(-1, 1), start: 300, end: 20)
    XCTAssertEqual(scale(-1), 300)
    XCTAssertEqual(scale(1), 20)
    XCTAssertEqual(scale(0), 160)
  }

  func testZeroWidthDomainMapsToTheMiddle() {
    let scale = LinearScale(domain: Interval(4, 4), start: 0, end: 100)
    XCTAssertEqual(scale(4), 50)
    XCTAssertEqual(scale(1000), 50)
  }

  func testDomainWiderThanADouble() {
    let m = Double.greatestFiniteMagnitude
    let scale = LinearScale(domain: Interval(-m, m), start: 0, end: 100)
    XCTAssertEqual(scale(0), 50)
    XCTAssertEqual(scale(m), 100)
    XCTAssertEqual(scale.invert(50), 0)
  }
}
