import XCTest

@testable import BordinData

final class ExpressionEvaluatorTests: XCTestCase {
  let table = Table([
    ("alliance", .numeric([4.5, 3, .nan, 5])),
    ("group", .text(["a", "b", nil, "a"])),
    ("flag", .logical([true, nil, false, true])),
  ])

  func testArithmeticFollowsR() throws {
    assertNumbers(try eval("-2^2"), [-4])
    assertNumbers(try eval("2^3^2"), [512])
    assertNumbers(try eval("5 %% -3"), [-1])
    assertNumbers(try eval("-5 %% 3"), [1])
    assertNumbers(try eval("5.5 %% 2"), [1.5])
    assertNumbers(try eval("-5 %/% 3"), [-2])
    assertNumbers(try eval("5 %% 0"), [.nan])
    assertNumbers(try eval("1 / 0"), [.infinity])
    assertNumbers(try eval("-1 / 0"), [-.infinity])
    assertNumbers(try eval("0 / 0"), [.nan])
    assertNumbers(try eval("NA ^ 0"), [1])
    assertNumbers(try eval("0 ^ -1"), [.infinity])
    assertNumbers(try eval("-5 %% Inf"), [.infinity])
    assertNumbers(try eval("TRUE + TRUE"), [2])
    assertNumbers(try eval("1e20 %% 3"), [1])
  }

  func testVectorisedWithBroadcastAndMissing() throws {
    assertNumbers(try eval("alliance * 2 + 1", table), [10, 7, .nan, 11])
    XCTAssertEqual(try eval("alliance > 3.5", table), .logical([true, false, nil, true]))
    XCTAssertEqual(try eval("group == 'a'", table), .logical([true, false, nil, true]))
    XCTAssertEqual(try eval("group < 'b'", table), .logical([true, false, nil, true]))
    XCTAssertEqual(try eval("alliance == NA", table), .logical([nil, nil, nil, nil]))
  }

  func testThreeValuedLogic() throws {
    XCTAssertEqual(try eval("NA && FALSE"), .logical([false]))
    XCTAssertEqual(try eval("NA & TRUE"), .logical([nil]))
    XCTAssertEqual(try eval("NA || TRUE"), .logical([true]))
    XCTAssertEqual(try eval("NA | FALSE"), .logical([nil]))
    XCTAssertEqual(try eval("!NA"), .logical([nil]))
    XCTAssertEqual(try eval("flag & alliance > 4", table), .logical([true, false, false, true]))
    XCTAssertEqual(try eval("flag | alliance > 4", table), .logical([true, nil, nil, true]))
  }

  func testInSet() throws {
    XCTAssertEqual(try eval("group %in% c('a', 'c')", table), .logical([true, false, false, true]))
    XCTAssertEqual(try eval("group %in% c('b', NA)", table), .logical([false, true, true, false]))
    XCTAssertEqual(try eval("alliance %in% c(3, 5)", table), .logical([false, true, false, true]))
    XCTAssertEqual(try eval("!(alliance %in% 3)", table), .logical([true, false, true, true]))
    XCTAssertEqual(assertDataError { try eval("c(1, 2) + 1") }?.code, "expr-type")
  }

  func testElementwiseFunctions() throws {
    XCTAssertEqual(try eval("is_na(alliance)", table), .logical([false, false, true, false]))
    XCTAssertEqual(try eval("is.na(group)", table), .logical([false, false, true, false]))
    assertNumbers(try eval("if_else(alliance > 4, 1, 0)", table), [1, 0, .nan, 1])
    XCTAssertEqual(try eval("if_else(flag, group, 'none')", table), .text(["a", nil, "none", "a"]))
    assertNumbers(try eval("coalesce(alliance, 0)", table), [4.5, 3, 0, 5])
    XCTAssertEqual(try eval("coalesce(group, 'missing')", table), .text(["a", "b", "missing", "a"]))
    assertNumbers(try eval("abs(-3) + sqrt(16) + floor(2.7) + ceiling(2.1)"), [3 + 4 + 2 + 3])
    assertNumbers(try eval("log(8, 2)"), [3])
    assertNumbers(try eval("log(exp(2))"), [2])
    assertNumbers(try eval("log10(1000) + log2(8)"), [6])
    assertNumbers(try eval("sqrt(-1)"), [.nan])
    assertNumbers(try eval("pmax(alliance, 4)", table), [4.5, 4, .nan, 5])
    assertNumbers(try eval("pmin(alliance, 4, 3.5)", table), [3.5, 3, .nan, 3.5])
    assertNumbers(try eval("as_numeric(' 2.5')"), [2.5])
    assertNumbers(try eval("as_numeric('x')"), [.nan])
    XCTAssertEqual(try eval("as_character(alliance)", table), .text(["4.5", "3", nil, "5"]))
    assertNumbers(try eval("nchar('Jörg')"), [4])
    XCTAssertEqual(try eval("paste(group, alliance)", table), .text(["a 4.5", "b 3", "NA NA", "a 5"]))
    XCTAssertEqual(try eval("paste0('g', 1)"), .text(["g1"]))
  }

  func testRoundMatchesR4() throws {
    // Values from R 4.x: round(c(2.675, 0.125, 1.005, 0.285, -1.5, 0.5, 123.456, -0.15, 5.5,
    // 6.5, 2.345), c(2, 2, 2, 2, 0, 0, -1, 1, 0, 0, 2)).
    let cases: [(String, Double)] = [
      ("round(2.675, 2)", 2.67), ("round(0.125, 2)", 0.12), ("round(1.005, 2)", 1),
      ("round(0.285, 2)", 0.28), ("round(-1.5)", -2), ("round(0.5)", 0),
      ("round(123.456, -1)", 120), ("round(-0.15, 1)", -0.1), ("round(5.5)", 6),
      ("round(6.5)", 6), ("round(2.345, 2)", 2.35), ("round(1e-20, 25)", 1e-20),
    ]
    for (text, expected) in cases { assertNumbers(try eval(text), [expected]) }
  }

  func testResultIsBroadcastToRows() throws {
    assertNumbers(try eval("1 + 1", table), [2, 2, 2, 2])
    XCTAssertEqual(try eval("'x'", table), .text(["x", "x", "x", "x"]))
  }

  func testTextUsedAsNumberNamesColumnValueAndRow() throws {
    let t = Table([("score", .text(["3", "4", "n/a", "5"]))])
    let e = try XCTUnwrap(assertDataError { try eval("score * 2", t) })
    XCTAssertEqual(e.code, "expr-type")
    XCTAssertEqual(e.column, 1)
    XCTAssertTrue(e.message.contains("column 'score'"), e.message)
    XCTAssertTrue(e.message.contains("row 3"), e.message)
    XCTAssertTrue(e.message.contains("\"n/a\""), e.message)
    XCTAssertTrue(e.remedy?.contains("na strings") == true, e.remedy ?? "")
    let comma = Table([("score", .text(["3", "2,5"]))])
    let commaError = try XCTUnwrap(assertDataError { try eval("score + 1", comma) })
    XCTAssertTrue(commaError.remedy?.contains("decimal comma") == true, commaError.remedy ?? "")
    let literal = try XCTUnwrap(assertDataError { try eval("x + \"a\"") })
    XCTAssertEqual(literal.code, "expr-type")
    XCTAssertEqual(literal.column, 5)
    XCTAssertEqual(assertDataError { try eval("group == 1", table) }?.code, "expr-type")
    XCTAssertEqual(assertDataError { try eval("if_else(flag, 1, 'a')", table) }?.code, "expr-type")
    XCTAssertEqual(assertDataError { try eval("!group", table) }?.code, "expr-type")
  }

  func testUnknownColumnSuggestsClosestName() throws {
    let e = try XCTUnwrap(assertDataError { try eval("aliance * 2", table) })
    XCTAssertEqual(e.code, "expr-unknown-column")
    XCTAssertEqual(e.column, 1)
    XCTAssertEqual(e.message, "column 'aliance' does not exist; did you mean 'alliance'?")
    var context = EvaluationContext(table: table)
    context.dataName = "prac"
    let named = try XCTUnwrap(assertDataError { try context.evaluate("2 * aliance") })
    XCTAssertEqual(named.message, "column 'aliance' is not in 'prac'; did you mean 'alliance'?")
    XCTAssertEqual(named.column, 5)
  }

  func testUnknownFunctionAndArity() throws {
    let e = try XCTUnwrap(assertDataError { try eval("mena(x)") })
    XCTAssertEqual(e.code, "expr-unknown-function")
    XCTAssertTrue(e.message.contains("did you mean 'mean'?"), e.message)
    let arity = try XCTUnwrap(assertDataError { try eval("if_else(x > 1, 2)") })
    XCTAssertEqual(arity.code, "expr-arguments")
    XCTAssertEqual(arity.remedy, "write if_else(condition, true, false)")
    XCTAssertEqual(assertDataError { try eval("lag(x, -1)") }?.code, "expr-arguments")
  }

  func testEmptyTable() throws {
    let empty = Table([("x", .numeric([]))])
    assertNumbers(try eval("x + 1", empty), [])
    assertNumbers(try eval("mean(x)", empty), [])
    assertNumbers(try eval("2", empty), [])
  }
}
