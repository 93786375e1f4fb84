import BordinTestSupport
import XCTest

@testable import BordinStats

final class DescribeTests: XCTestCase {
  /// `mean`, `sd`, `median` of x in R 4.2.2: 5.65, 0.53718844791323339, 5.65.
  func testNumeric() {
    let d = Describe.numeric([5.1, 4.9, .nan, 6.2, 5.8, 6.0, 5.5, 5.3, 6.4])
    XCTAssertEqual(d.n, 8)
    XCTAssertEqual(d.missing, 1)
    assertClose(d.mean, 5.65, rel: Tolerance.closedForm, "mean")
    assertClose(d.sd, 0.53718844791323339, rel: Tolerance.closedForm, "sd")
    assertClose(d.median, 5.65, rel: Tolerance.closedForm, "median")
    XCTAssertEqual(d.min, 4.9)
    XCTAssertEqual(d.max, 6.4)
    XCTAssertEqual(Describe.numeric([3, 1, 2]).median, 2)
  }

  func testAllMissingAndSingleValue() {
    let none = Describe.numeric([.nan, .nan])
    XCTAssertEqual(none, DescriptiveResult(n: 0, missing: 2, mean: nil, sd: nil, min: nil, max: nil, median: nil))
    let one = Describe.numeric([4])
    XCTAssertEqual(one.mean, 4)
    XCTAssertNil(one.sd)
  }
}
