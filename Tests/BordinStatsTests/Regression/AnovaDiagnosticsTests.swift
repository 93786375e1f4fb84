import BordinData
import XCTest

@testable import BordinStats

/// The typed errors of `AnalysisOfVariance.fit`: a bad type, an empty cell of a type 3
/// interaction, too few rows, a text outcome, a column that is not in the data.
final class AnovaDiagnosticsTests: XCTestCase {
  func code(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch let e as StatsError { return e.code } catch { return "\(error)" }
  }

  let cells = Table([
    ("y", .numeric([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])),
    ("a", .text(["p", "p", "p", "q", "q", "q", "p", "q", "p", "q"])),
    ("b", .text(["u", "v", "u", "u", "v", "u", "v", "u", "u", "u"])),
  ])

  func testBadType() {
    XCTAssertEqual(code { _ = try AnalysisOfVariance.fit("y ~ a", data: cells, type: 1) }, "bad-type")
  }

  /// q × v has rows, every cell is filled; drop them and type 3 must refuse the interaction,
  /// naming the empty cell, while type 2 of the main effects alone still works.
  func testEmptyCellTypeThree() throws {
    let rows = (0..<cells.rowCount).filter { !(cells["a"]!.string(at: $0) == "q" && cells["b"]!.string(at: $0) == "v") }
    let t = cells.rows(rows)
    XCTAssertNil(code { _ = try AnalysisOfVariance.fit("y ~ a * b", data: cells, type: 3) })
    do {
      _ = try AnalysisOfVariance.fit("y ~ a * b", data: t, type: 3)
      XCTFail("an empty cell must be refused")
    } catch let e as StatsError {
      XCTAssertEqual(e.code, "empty-cell")
      XCTAssertTrue(e.message.contains("a = q, b = v"), e.message)
      XCTAssertTrue(e.remedy.contains("type: 2"), e.remedy)
    }
    XCTAssertNil(code { _ = try AnalysisOfVariance.fit("y ~ a + b", data: t, type: 3) })
  }

  func testTooFewRows() {
    let t = Table([("y", .numeric([1, 2, 3])), ("a", .text(["p", "q", "r"]))])
    XCTAssertEqual(code { _ = try AnalysisOfVariance.fit("y ~ a", data: t, type: 2) }, "too-few-rows")
  }

  func testTextOutcome() {
    XCTAssertEqual(code { _ = try AnalysisOfVariance.fit("a ~ b", data: cells, type: 3) }, "non-numeric-response")
  }

  func testUnknownColumn() {
    XCTAssertEqual(code { _ = try AnalysisOfVariance.fit("y ~ site", data: cells, type: 3) }, "unknown-column")
  }
}
