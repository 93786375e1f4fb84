import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Tests/Fixtures/fleiss-kappa.json (Tests/Fixtures/r/fleiss-kappa.R): irr::kappam.fleiss
/// (exact = FALSE) on irr's `diagnoses`, 30 patients × 6 psychiatrists (Fleiss 1971); κ, SE, z
/// and p closed form, 1e-8.
final class FleissKappaDiagnosesTests: XCTestCase {
  private var table = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    table = try Fixtures.csv("data/fleiss-diagnoses.csv")
    results = try XCTUnwrap(try Fixtures.reference("fleiss-kappa")["results"] as? [String: Any])
  }

  private func codes(_ raters: [String], rows: Range<Int>) -> [[String?]] {
    raters.map { r in rows.map { table[r]?.string(at: $0) } }
  }

  private func check(_ k: FleissKappaResult, _ name: String) throws {
    let ref = try XCTUnwrap(results[name] as? [String: Any], name)
    XCTAssertEqual(k.subjects, ref["subjects"] as? Int, name)
    XCTAssertEqual(k.raters, ref["raters"] as? Int, name)
    for (key, value) in [("kappa", k.kappa), ("se", k.se), ("z", k.z), ("p", k.p)] {
      let want = try XCTUnwrap(ref[key] as? Double, "\(name) \(key)")
      XCTAssertEqual(value, want, accuracy: 1e-8 * max(1, abs(want)), "\(name) \(key)")
    }
  }

  private let all = (1...6).map { "rater\($0)" }

  func testSixRaters() throws {
    let k = try FleissKappa.compute(codes(all, rows: 0..<30))
    try check(k, "all6")
    XCTAssertEqual(k.categories.count, 5)
    XCTAssertEqual(k.kappa, 0.430244520060141, accuracy: 1e-12)
  }

  /// Rows 31–32 each miss one rating: dropped, as irr's na.omit.
  func testMissingRatingsDropSubjects() throws {
    try check(try FleissKappa.compute(codes(all, rows: 0..<32)), "all6_with_missing")
  }

  func testThreeRaters() throws {
    try check(try FleissKappa.compute(codes(["rater1", "rater2", "rater3"], rows: 0..<30)), "raters123")
  }

  /// Numeric codes (the digit of each diagnosis): the same κ for any category order.
  func testNumericCodes() throws {
    let c = codes(["rater4", "rater5", "rater6"], rows: 0..<30).map { $0.map { $0.map { String($0.prefix(1)) } } }
    try check(try FleissKappa.compute(c), "raters456_numeric")
  }

  /// A small subset where p is not 0.
  func testSmallSubsetPValue() throws {
    try check(try FleissKappa.compute(codes(["rater1", "rater5", "rater6"], rows: 0..<6)), "first6_raters156")
  }

  func testErrors() {
    XCTAssertThrowsError(try FleissKappa.compute([["a", "b"]])) { XCTAssertEqual(($0 as? StatsError)?.code, "too-few-raters") }
    XCTAssertThrowsError(try FleissKappa.compute([["a", "a"], ["a", "a"], ["a", "a"]])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "single-category")
    }
    XCTAssertThrowsError(try FleissKappa.compute([["a", nil], ["b", "a"], ["a", "b"]])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(try FleissKappa.compute([["a", "b"], ["b"], ["a", "b"]])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "length-mismatch")
    }
  }
}
