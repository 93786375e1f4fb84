import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Column names against R 4.2.2 `colnames(model.matrix(f, d))` for
/// `d <- data.frame(y, a, b, c, f = rep(c("u","v","w"), 4), g = rep(c("p","q"), each = 6),
/// L = rep(c(TRUE, FALSE), 6))`.
final class ModelMatrixTests: XCTestCase {
  let data: Table = {
    let n = 12
    let f = (0..<n).map { ["u", "v", "w"][$0 % 3] }
    let g = (0..<n).map { $0 < 6 ? "p" : "q" }
    let l = (0..<n).map { $0 % 2 == 0 }
    return Table([
      ("y", .numeric((0..<n).map { Double($0 * $0 % 7) })),
      ("a", .numeric((0..<n).map { Double($0) * 0.5 - 1 })),
      ("b", .numeric((0..<n).map { Double(($0 * 5) % 11) })),
      ("c", .numeric((0..<n).map { Double(($0 * 3) % 5) })),
      ("f", .text(f)), ("g", .text(g)), ("L", .logical(l)),
    ])
  }()

  private func names(_ f: String) throws -> [String] {
    try ModelMatrix.build(f, data: data).columnNames
  }

  private func check(_ f: String, _ expected: [String], line: UInt = #line) throws {
    XCTAssertEqual(try names(f), expected, f, line: line)
  }

  func testColumnNamesMatchR() throws {
    try check("y ~ (a+b)*(c+f)", ["(Intercept)", "a", "b", "c", "fv", "fw", "a:c", "a:fv", "a:fw", "b:c", "b:fv", "b:fw"])
    try check("y ~ b:a + a", ["(Intercept)", "a", "b:a"])
    try check("y ~ f*g", ["(Intercept)", "fv", "fw", "gq", "fv:gq", "fw:gq"])
    try check("y ~ f:g", ["(Intercept)", "fu:gp", "fv:gp", "fw:gp", "fu:gq", "fv:gq", "fw:gq"])
    try check("y ~ a:f", ["(Intercept)", "a:fu", "a:fv", "a:fw"])
    try check("y ~ f + g - 1", ["fu", "fv", "fw", "gq"])
    try check("y ~ 0 + a:f + g", ["gp", "gq", "a:fu", "a:fv", "a:fw"])
    try check("y ~ f/a", ["(Intercept)", "fv", "fw", "fu:a", "fv:a", "fw:a"])
    try check("y ~ L + a", ["(Intercept)", "LTRUE", "a"])
    try check("y ~ a + f:g", ["(Intercept)", "a", "fu:gp", "fv:gp", "fw:gp", "fu:gq", "fv:gq", "fw:gq"])
    try check("y ~ g + f:g", ["(Intercept)", "gq", "gp:fv", "gq:fv", "gp:fw", "gq:fw"])
    try check("y ~ a - 1 + f", ["a", "fu", "fv", "fw"])
    try check("y ~ a*f - a", ["(Intercept)", "fv", "fw", "a:fu", "a:fv", "a:fw"])
  }

  func testValuesAndAssign() throws {
    let m = try ModelMatrix.build("y ~ a * f", data: data)
    XCTAssertEqual(m.columnNames, ["(Intercept)", "a", "fv", "fw", "a:fv", "a:fw"])
    XCTAssertEqual(m.assign, [0, 1, 2, 2, 3, 3])
    XCTAssertEqual(m.levels["f"], ["u", "v", "w"])
    XCTAssertEqual(m.x.column(2), (0..<12).map { (i: Int) -> Double in i % 3 == 1 ? 1 : 0 })
    let expected: [Double] = (0..<12).map { (i: Int) -> Double in
      i % 3 == 1 ? Double(i) * 0.5 - 1 : 0
    }
    XCTAssertEqual(m.x.column(4), expected)
    XCTAssertEqual(m.response, data.numbers("y"))
  }

  func testExpressionAtomsUseTheEvaluator() throws {
    let m = try ModelMatrix.build("y ~ I(a^2) + I(a * b)", data: data, evaluate: testEvaluator(data))
    XCTAssertEqual(m.columnNames, ["(Intercept)", "I(a^2)", "I(a * b)"])
    let a = data.numbers("a")
    let b = data.numbers("b")
    XCTAssertEqual(m.x.column(1), a.map { $0 * $0 })
    XCTAssertEqual(m.x.column(2), zip(a, b).map { $0 * $1 })
    XCTAssertThrowsError(try ModelMatrix.build("y ~ I(a^2)", data: data)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "no-evaluator")
    }
  }

  func testListwiseDeletion() throws {
    var t = data
    var a = t.numbers("a")
    a[3] = .nan
    t["a"] = .numeric(a)
    var f: [String?] = (0..<12).map { ["u", "v", "w"][$0 % 3] }
    f[7] = nil
    t["f"] = .text(f)
    let m = try ModelMatrix.build("y ~ a + f", data: t)
    XCTAssertEqual(m.rowsDropped, 2)
    XCTAssertEqual(m.rowsUsed, [0, 1, 2, 4, 5, 6, 8, 9, 10, 11])
    XCTAssertEqual(m.x.rows, 10)
    // b is not in the model: its values do not matter.
    XCTAssertEqual(try ModelMatrix.build("y ~ b", data: t).rowsDropped, 0)
  }

  func testDataErrors() {
    func code(_ f: String, _ t: Table) -> String? {
      do {
        _ = try ModelMatrix.build(f, data: t)
        return nil
      } catch let e as StatsError {
        return e.code
      } catch {
        return "\(error)"
      }
    }
    XCTAssertEqual(code("y ~ nope", data), "unknown-column")
    XCTAssertEqual(code("f ~ a", data), "non-numeric-response")
    var oneLevel = data
    oneLevel["g"] = .text([String?](repeating: "p", count: 12))
    XCTAssertEqual(code("y ~ g", oneLevel), "one-level-factor")
    var missing = data
    missing["a"] = .numeric([Double](repeating: .nan, count: 12))
    XCTAssertEqual(code("y ~ a", missing), "all-missing")
  }
}
