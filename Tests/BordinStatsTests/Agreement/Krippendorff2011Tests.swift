import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `krippendorff-example`: Krippendorff's (2011) example, 4 coders × 12 units
/// with missing ratings; published .743 (nominal), .815 (ordinal), .849 (interval), .797 (ratio),
/// recomputed from the coincidence matrix. Extra literals: Tests/Fixtures/r/agreement-literals.R,
/// part 4 (a from-scratch coincidence-matrix implementation in R).
final class Krippendorff2011Tests: XCTestCase {
  static let tol = Tolerance.closedForm
  static let coders = ["coder_a", "coder_b", "coder_c", "coder_d"]

  private func example() throws -> [[Double]] {
    let data = try Fixtures.csv("data/krippendorff-example.csv")
    return Self.coders.map { data.numbers($0) }
  }

  /// Every value of the reference file: alpha at the four levels and the 40 pairable values.
  func testReference() throws {
    let reference = try Fixtures.reference("krippendorff-example")
    let results = try XCTUnwrap(reference["results"] as? [String: Any])
    let alphas = try XCTUnwrap(results["alpha"] as? [String: NSNumber])
    XCTAssertEqual(Set(alphas.keys), Set(KrippendorffLevel.allCases.map(\.rawValue)))
    let columns = try example()
    for (name, value) in alphas {
      let level = try XCTUnwrap(KrippendorffLevel(rawValue: name))
      let k = try KrippendorffAlpha.compute(columns, raters: Self.coders, level: level)
      assertClose(k.alpha, value.doubleValue, rel: Self.tol, name)
      XCTAssertEqual(k.pairableValues, try XCTUnwrap((results["pairable_values"] as? NSNumber)?.doubleValue))
    }
  }

  /// The published three-decimal values and the coincidences of Krippendorff (2011).
  func testPublishedCoincidences() throws {
    let k = try KrippendorffAlpha.compute(try example(), raters: Self.coders, level: .nominal)
    XCTAssertEqual(k.values, ["1", "2", "3", "4", "5"])
    XCTAssertEqual(k.pairableUnits, 11)
    // Value totals n_c of Krippendorff (2011): 9, 13, 10, 5, 3 (n = 40); cells worked by hand:
    // o₁₁ = 3 (unit 1) + 2 (unit 8) + 2 (unit 11) = 7, o₁₂ = 1 (unit 8) + 1/3 (unit 6),
    // o₄₄ = 12/3 (unit 7), o₅₅ = 6/2 (unit 10), o₃₄ = 1/3 (unit 6).
    let totals = (0..<5).map { c in (0..<5).reduce(0.0) { $0 + k.coincidence[c, $1] } }
    for (got, want) in zip(totals, [9.0, 13, 10, 5, 3]) { XCTAssertEqual(got, want, accuracy: 1e-12) }
    XCTAssertEqual(k.coincidence[0, 0], 7, accuracy: 1e-12)
    XCTAssertEqual(k.coincidence[0, 1], 4.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(k.coincidence[1, 0], 4.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(k.coincidence[3, 3], 4, accuracy: 1e-12)
    XCTAssertEqual(k.coincidence[4, 4], 3, accuracy: 1e-12)
    XCTAssertEqual(k.coincidence[2, 3], 1.0 / 3, accuracy: 1e-12)
    let expected: [(KrippendorffLevel, Double)] = [(.nominal, 0.743), (.ordinal, 0.815), (.interval, 0.849), (.ratio, 0.797)]
    for (level, value) in expected {
      let a = try KrippendorffAlpha.compute(try example(), raters: Self.coders, level: level).alpha
      XCTAssertEqual(a, value, accuracy: 0.0005, level.rawValue)
    }
    assertClose(1 - k.observedDisagreement / k.expectedDisagreement, k.alpha, rel: 1e-12, "Do/De")
  }

  /// Complete data, three coders (kappa-three.csv): each unit has mᵤ − 1 = 2.
  func testThreeCodersComplete() throws {
    let data = try Fixtures.csv("data/kappa-three.csv")
    let names = ["coder_a", "coder_b", "coder_c"]
    let expected: [(KrippendorffLevel, Double)] = [
      (.nominal, 0.43914374987067273), (.ordinal, 0.61629395044516433),
      (.interval, 0.61624146359730647), (.ratio, 0.59587694601892749),
    ]
    for (level, value) in expected {
      let k = try KrippendorffAlpha.compute(names.map { data.numbers($0) }, raters: names, level: level)
      assertClose(k.alpha, value, rel: Self.tol, level.rawValue)
      XCTAssertEqual(k.pairableValues, 360, accuracy: 1e-9)
    }
  }

  /// Text codes (nominal) match the numeric nominal alpha.
  func testTextCodes() throws {
    let columns = try example()
    let words = ["", "one", "two", "three", "four", "five"]
    let codes = columns.map { c in c.map { $0.isNaN ? nil : words[Int($0)] } }
    let text = try KrippendorffAlpha.nominal(codes: codes, raters: Self.coders)
    assertClose(text.alpha, 0.743421052631579, rel: Self.tol, "nominal text")
    XCTAssertEqual(text.values, ["five", "four", "one", "three", "two"])
  }

  func testErrors() throws {
    let columns = try example()
    XCTAssertThrowsError(try KrippendorffAlpha.compute([columns[0]], raters: ["coder_a"], level: .nominal)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-raters")
    }
    XCTAssertThrowsError(
      try KrippendorffAlpha.compute([[1, .nan], [.nan, 2]], raters: ["a", "b"], level: .interval)
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(
      try KrippendorffAlpha.compute([[3, 3], [3, 3]], raters: ["a", "b"], level: .nominal)
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "zero-variance")
    }
    XCTAssertThrowsError(
      try KrippendorffAlpha.compute([[-1, 2], [1, 2]], raters: ["a", "b"], level: .ratio)
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "negative-ratio")
    }
  }
}
