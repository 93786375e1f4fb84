import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Inputs found by the libFuzzer targets (Fuzz/), kept as regression tests.
final class FuzzRegressionTests: XCTestCase {
  /// fuzz-formula found `y ~ x*a*b*…` with ~40 factors: 2^40 terms. It must fail fast.
  func testLongProductFormulaIsRefusedNotExpanded() throws {
    let text = try String(contentsOf: Fixtures.url("fuzz/formula-slow-unit.txt"), encoding: .utf8)
    let start = Date()
    XCTAssertThrowsError(try Formula.parse(text)) { e in
      XCTAssertTrue((e as? FormulaError)?.message.contains("more than 1024 terms") ?? false, "\(e)")
    }
    XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    // Ten factors (1,023 terms) are still allowed.
    XCTAssertEqual(try Formula.parse("y ~ a*b*c*d*e*f*g*h*i*j").terms.count, 1023)
  }
}
