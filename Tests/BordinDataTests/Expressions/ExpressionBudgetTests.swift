import XCTest

@testable import BordinData

/// Issue 15: tiny inputs that ask for huge tables fail fast with `data-too-large`, never abort.
final class ExpressionBudgetTests: XCTestCase {
  func testDoublingPasteStopsAtTheValueLimit() throws {
    let t = Table([("a", .text(["x"]))])
    var derive: [(name: String, expression: String)] = [("s0", "a")]
    for i in 1...26 { derive.append(("s\(i)", "paste0(s\(i - 1), s\(i - 1))")) }
    let start = Date()
    XCTAssertThrowsError(try DataPipeline(derive: derive).apply(to: t)) { e in
      let e = e as! DataError
      XCTAssertEqual(e.code, "data-too-large")
      XCTAssertEqual(e.option, ["derive", "s21"])  // 2^21 bytes > 1 MiB
      XCTAssertEqual(e.column, 1)
      XCTAssertTrue(e.message.contains("2 MiB in row 1"), e.message)
    }
    XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    // Twenty doublings (1 MiB) are still allowed.
    let ok = try DataPipeline(derive: Array(derive.prefix(21))).apply(to: t)
    XCTAssertEqual(ok["s20"].flatMap { if case .text(let v) = $0 { v[0]?.utf8.count } else { nil } }, 1 << 20)
  }

  func testTableTextBudgetAcrossColumnsAndRows() throws {
    // 300 rows of 1 MiB is 300 MiB of text from one paste: refused by the per-result budget.
    let half = String(repeating: "a", count: 1 << 19)
    let t = Table([("a", .text(Array(repeating: half, count: 300)))])
    XCTAssertThrowsError(try DataPipeline(derive: [("b", "paste0(a, a)")]).apply(to: t)) { e in
      XCTAssertEqual((e as! DataError).code, "data-too-large")
      XCTAssertTrue((e as! DataError).message.contains("256 MiB"), "\(e)")
    }
    // Many columns that each fit, but together exceed the table budget.
    let u = Table([("a", .text(Array(repeating: half, count: 100)))])
    let derive = (1...6).map { (name: "c\($0)", expression: "paste0(a, a)") }
    XCTAssertThrowsError(try DataPipeline(derive: derive).apply(to: u)) { e in
      XCTAssertEqual((e as! DataError).code, "data-too-large")
      XCTAssertEqual((e as! DataError).option, ["derive", "c3"])
    }
  }

  func testReshapesThatMultiplyCellsAreRefused() throws {
    let n = 8_000
    let ids = (0..<n).map { "i\($0)" }
    let t = Table([("id", .text(ids)), ("name", .text(ids)), ("v", .numeric((0..<n).map(Double.init)))])
    XCTAssertThrowsError(try t.pivotWider(Wider(namesFrom: "name", valuesFrom: "v"))) { e in
      XCTAssertEqual((e as! DataError).code, "data-too-large")
      XCTAssertEqual((e as! DataError).option, ["wider", "names_from"])
      XCTAssertTrue((e as! DataError).message.contains("8000 rows × 8001 columns"), "\(e)")
    }
    // 5,000 rows, 100 columns stacked and 100 kept: 500,000 rows × 102 columns = 51 million cells.
    let stackedNames = (0..<100).map { "w\($0)" }, keptNames = (0..<100).map { "k\($0)" }
    let ones = Column.numeric([Double](repeating: 1, count: 5_000))
    let wide = Table((keptNames + stackedNames).map { ($0, ones) })
    XCTAssertThrowsError(try wide.pivotLonger(Longer(cols: stackedNames, namesTo: "wave", valuesTo: "y"))) { e in
      XCTAssertEqual((e as! DataError).code, "data-too-large")
      XCTAssertEqual((e as! DataError).option, ["longer", "cols"])
      XCTAssertTrue((e as! DataError).message.contains("51000000 cells"), "\(e)")
    }
    XCTAssertThrowsError(try ExpressionBudget.checkCells(rows: Int.max, columns: 2, what: "x"))
    XCTAssertNoThrow(try ExpressionBudget.checkCells(rows: 1000, columns: 1000, what: "x"))
  }
}
