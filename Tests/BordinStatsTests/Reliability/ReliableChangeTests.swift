import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Jacobson & Truax (1991) reliable change against the formulas written out in R
/// (Tests/Fixtures/change-references.json, Tests/Fixtures/r/glm-crosstab-change.R) on the
/// simulated Coping Power (externalizing T before/after, by format) and PRAC designs, the worked
/// numbers of reference-algorithms-2.md §5, and the diagnostics.
final class ReliableChangeTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let root = try Fixtures.reference("change-references")
    return (root["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!
  }

  @discardableResult
  func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> ReliableChangeResult {
    let c = try reference(id)
    let t = try Fixtures.csv(c["data"] as! String)
    let r = c["results"] as! [String: Any]
    let fit = try ReliableChange.analyse(
      pre: t.numbers(c["pre"] as! String), post: t.numbers(c["post"] as! String), reliability: c["reliability"] as! Double,
      sd: c["sd"] as? Double, normMean: c["norm_mean"] as? Double, normSD: c["norm_sd"] as? Double,
      lowerIsBetter: c["lower_is_better"] as? Bool ?? true, groups: (c["by"] as? String).flatMap { t[$0] })
    let tol = Tolerance.closedForm
    XCTAssertEqual(fit.n, r["n"] as! Int, "\(id) n", file: file, line: line)
    XCTAssertEqual(fit.rowsDropped, r["rows_dropped"] as! Int, "\(id) dropped", file: file, line: line)
    assertClose(fit.sd, r["sd"] as! Double, rel: tol, "\(id) sd", file: file, line: line)
    assertClose(fit.meanPre, r["mean_pre"] as! Double, rel: tol, "\(id) mean", file: file, line: line)
    assertClose(fit.sdiff, r["sdiff"] as! Double, rel: tol, "\(id) sdiff", file: file, line: line)
    assertClose(fit.cutoff, r["cutoff"] as! Double, rel: tol, "\(id) cutoff", file: file, line: line)
    XCTAssertEqual(fit.cutoffType, r["cutoff_type"] as! String, file: file, line: line)
    XCTAssertEqual(fit.rciThreshold, 1.96)
    let cats = r["categories"] as! [[String: Any]]
    XCTAssertEqual(fit.categories.count, cats.count, "\(id) categories", file: file, line: line)
    for (o, e) in zip(fit.categories, cats) {
      XCTAssertEqual(o.category.rawValue, e["category"] as? String, file: file, line: line)
      XCTAssertEqual(o.group, e["group"] as? String, file: file, line: line)
      XCTAssertEqual(o.n, e["n"] as? Int, "\(id) \(o.group ?? "") \(o.category) n", file: file, line: line)
      assertClose(o.percent, e["pct"] as! Double, rel: tol, "\(id) pct", file: file, line: line)
    }
    let rci = r["rci"] as! [Double]
    XCTAssertEqual(fit.patients.count, rci.count, file: file, line: line)
    for (o, e) in zip(fit.patients, rci) { assertClose(o.rci, e, rel: tol, "\(id) rci row \(o.row)", file: file, line: line) }
    return fit
  }

  func testCopingPowerCutoffCByFormat() throws {
    let fit = try check("coping-ext-c")
    XCTAssertEqual(fit.groups, ["group", "individual"])
    XCTAssertEqual(fit.count(.recovered, group: "individual")?.n, 59)
  }

  func testCopingPowerCutoffA() throws {
    let fit = try check("coping-ext-a")
    assertClose(fit.cutoff, fit.meanPre - 2 * fit.sd, rel: 1e-15, "cutoff a = M − 2 SD")
  }

  func testPracParentingHigherIsBetterGivenSD() throws {
    let fit = try check("prac-parenting-higher")
    XCTAssertEqual(fit.sd, 4)
    XCTAssertFalse(fit.lowerIsBetter)
  }

  func testPracSymptomsCutoffC() throws {
    try check("prac-symptoms-c")
  }

  /// reference-algorithms-2.md §5: pre 30, post 18, s₁ 7.5, r .88 → S_diff 3.67423461417,
  /// RC −3.26598632371; norms M_dys 28, SD 7.5, M_func 12, SD 6 → c = 19.1111111111.
  func testWorkedNumbers() throws {
    // Two patients whose pre mean is 28 (M₁ from the data), SD given as 7.5.
    let fit = try ReliableChange.analyse(pre: [30, 26], post: [18, 25], reliability: 0.88, sd: 7.5, normMean: 12, normSD: 6)
    assertClose(fit.sdiff, 3.67423461417, rel: 1e-11, "S_diff")
    assertClose(fit.patients[0].rci, -3.26598632371, rel: 1e-11, "RC")
    assertClose(fit.cutoff, 19.1111111111, rel: 1e-11, "cutoff c")
    XCTAssertEqual(fit.patients[0].category, .recovered)
    XCTAssertEqual(fit.patients[1].category, .unchanged)
    let a = try ReliableChange.analyse(pre: [30, 26], post: [18, 25], reliability: 0.88, sd: 7.5)
    assertClose(a.cutoff, 13, rel: 1e-14, "cutoff a = 28 − 2 · 7.5")
    XCTAssertEqual(a.patients[0].category, .improved, "18 is not below cutoff a = 13")
  }

  /// |RCI| exactly 1.96 is not reliable (strict inequality), on both sides.
  func testBoundaryIsNotReliable() throws {
    // An SD and a change whose RCI is exactly 1.96 in floating point.
    var found: (sd: Double, up: Double)? = nil
    search: for sd in stride(from: 1.0, through: 40, by: 0.5) {
      let sdiff = try ReliableChange.analyse(pre: [0, 1], post: [0, 1], reliability: 0.5, sd: sd).sdiff
      var up = (1.96 * sdiff).nextDown.nextDown
      for _ in 0..<5 {
        if up / sdiff == 1.96 { found = (sd, up); break search }
        up = up.nextUp
      }
    }
    let (sd, up) = try XCTUnwrap(found)
    let fit = try ReliableChange.analyse(pre: [0, 0, 0, 0], post: [-up, up, -up - 0.01, up + 0.01], reliability: 0.5, sd: sd)
    XCTAssertEqual(fit.patients[0].rci, -1.96)
    XCTAssertEqual(fit.patients[1].rci, 1.96)
    XCTAssertEqual(fit.patients.map(\.category), [.unchanged, .unchanged, .improved, .deteriorated])
  }

  func testDiagnostics() {
    for r in [0.0, 1.0, -0.2, .nan] {
      XCTAssertThrowsError(try ReliableChange.analyse(pre: [1, 2, 3], post: [1, 2, 3], reliability: r)) { e in
        XCTAssertEqual((e as? StatsError)?.code, "bad-reliability", "\(r)")
      }
    }
    XCTAssertThrowsError(try ReliableChange.analyse(pre: [1, 2, 3], post: [1, 2, 3], reliability: 0.8, sd: 0)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-sd")
    }
    XCTAssertThrowsError(try ReliableChange.analyse(pre: [1, 2, 3], post: [1, 2, 3], reliability: 0.8, normMean: 10)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-norms")
    }
    XCTAssertThrowsError(try ReliableChange.analyse(pre: [4, 4, 4], post: [1, 2, 3], reliability: 0.8)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "zero-variance")
    }
    XCTAssertThrowsError(try ReliableChange.analyse(pre: [4, .nan], post: [1, 2], reliability: 0.8)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "too-few-rows")
    }
  }

  /// A row with a missing group is dropped and counted; numeric groups sort numerically.
  func testGroupsMissingAndNumeric() throws {
    let fit = try ReliableChange.analyse(pre: [50, 52, 48, 51, 49], post: [30, 50, 49, 70, 49], reliability: 0.8,
                                         groups: .numeric([10, 9, .nan, 10, 9]))
    XCTAssertEqual(fit.n, 4)
    XCTAssertEqual(fit.rowsDropped, 1)
    XCTAssertEqual(fit.groups, ["9", "10"])
    XCTAssertEqual(fit.categories.count, 8)
    XCTAssertEqual(fit.categories.first?.group, "9")
  }
}
