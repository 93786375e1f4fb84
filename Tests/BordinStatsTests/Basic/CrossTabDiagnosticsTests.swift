import BordinData
import XCTest

@testable import BordinStats

/// Crosstab diagnostics: a one-level variable, no complete rows, a zero cell under the odds
/// ratio, a too-large exact test, level sorting of numbers and logicals.
final class CrossTabDiagnosticsTests: XCTestCase {
  func testOneLevelIsAnError() {
    XCTAssertThrowsError(try CrossTabulation.tabulate(x: .text(["a", "a", "a"]), y: .text(["u", "v", "u"]), xName: "arm")) { e in
      XCTAssertEqual((e as? StatsError)?.code, "one-level")
      XCTAssertTrue((e as? StatsError)?.message.contains("'arm' has only one level ('a')") ?? false)
    }
  }

  func testNoCompleteRow() {
    XCTAssertThrowsError(try CrossTabulation.tabulate(x: .text(["a", nil]), y: .text([nil, "u"]))) { e in
      XCTAssertEqual((e as? StatsError)?.code, "too-few-rows")
    }
  }

  /// A zero cell: OR 0, no Woolf interval, a warning; Fisher's p still there.
  func testZeroCellOddsRatio() throws {
    let x: [String?] = ["a", "a", "a", "b", "b", "b", "b"], y: [String?] = ["u", "u", "u", "u", "v", "v", "v"]
    let t = try CrossTabulation.tabulate(x: .text(x), y: .text(y))
    XCTAssertEqual(t.oddsRatio, .infinity)
    XCTAssertNil(t.oddsRatioCiLower)
    XCTAssertTrue(t.warnings.contains { $0.contains("cell of the 2 × 2 table is 0") }, "\(t.warnings)")
    XCTAssertNotNil(t.fisherP)
  }

  func testExactTooLargeIsAnError() {
    // 5 × 5 with n = 100 and structure (neither side settled at the root): more than 10 steps.
    let t = [[9, 3, 2, 4, 2], [2, 8, 4, 3, 3], [3, 2, 7, 5, 3], [4, 3, 2, 6, 5], [1, 4, 5, 2, 8]]
    XCTAssertThrowsError(try FisherExact.rByC(t, maxTables: 10)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "exact-too-large")
    }
  }

  /// Numbers sort numerically (9 before 10), logicals FALSE before TRUE.
  func testLevelOrder() throws {
    let t = try CrossTabulation.tabulate(x: .numeric([10, 9, 10, 9, .nan]), y: .logical([true, false, false, true, true]))
    XCTAssertEqual(t.xLevels, ["9", "10"])
    XCTAssertEqual(t.yLevels, ["FALSE", "TRUE"])
    XCTAssertEqual(t.rowsDropped, 1)
    XCTAssertEqual(t.counts, [[1, 1], [1, 1]])
  }

  /// Two identifier-like columns would make a 200 × 200 table: refused before allocating it.
  func testTooManyLevels() {
    let ids = (0..<200).map { Double($0) }
    XCTAssertThrowsError(try CrossTabulation.tabulate(x: .numeric(ids), y: .numeric(ids.reversed()), xName: "id", yName: "score")) { e in
      XCTAssertEqual((e as? StatsError)?.code, "too-many-levels")
      XCTAssertTrue((e as? StatsError)?.message.contains("40000 cells") ?? false, "\(e)")
    }
  }
}
