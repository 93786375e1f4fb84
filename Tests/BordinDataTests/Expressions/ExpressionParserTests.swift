import XCTest

@testable import BordinData

final class ExpressionParserTests: XCTestCase {
  func testPrecedenceFollowsR() throws {
    XCTAssertEqual(try ExpressionParser.parse("-2^2").description, "-(2 ^ 2)")
    XCTAssertEqual(try ExpressionParser.parse("2^3^2").description, "2 ^ (3 ^ 2)")
    XCTAssertEqual(try ExpressionParser.parse("1 + 2 * 3").description, "1 + (2 * 3)")
    XCTAssertEqual(try ExpressionParser.parse("a * b %% 3").description, "a * (b %% 3)")
    XCTAssertEqual(try ExpressionParser.parse("!x == 1").description, "!(x == 1)")
    XCTAssertEqual(
      try ExpressionParser.parse("a > 1 & b < 2 | c").description, "((a > 1) & (b < 2)) | c")
    XCTAssertEqual(try ExpressionParser.parse("a - b - c").description, "(a - b) - c")
    XCTAssertEqual(try ExpressionParser.parse("2^-1").description, "2 ^ (-1)")
    XCTAssertEqual(try ExpressionParser.parse("x ** 2").description, "x ^ 2")
  }

  func testLiteralsNamesAndCalls() throws {
    let e = try ExpressionParser.parse("if_else(`odd name` %in% c('a', \"b\"), TRUE, NA)")
    guard case .call("if_else", let args, 0) = e else { return XCTFail("\(e)") }
    XCTAssertEqual(args.count, 3)
    XCTAssertEqual(args[2], .logical(nil, offset: 43))
    XCTAssertEqual(e.referencedColumns, ["odd name"])
    XCTAssertEqual(e.calledFunctions, ["if_else", "c"])
    XCTAssertEqual(try ExpressionParser.parse(".5 + 1e-3"), .binary(.add, .number(0.5, offset: 0), .number(0.001, offset: 5), offset: 3))
    XCTAssertEqual(try ExpressionParser.parse("`TRUE`"), .column("TRUE", offset: 0))
    XCTAssertEqual(try ExpressionParser.parse("ext.change_2").referencedColumns, ["ext.change_2"])
  }

  func testOffsetsPointAtTokens() throws {
    guard case .binary(.multiply, _, let right, let o) = try ExpressionParser.parse("ab * cd") else {
      return XCTFail()
    }
    XCTAssertEqual(o, 3)
    XCTAssertEqual(right.offset, 5)
  }

  func testSyntaxErrorsCarryColumns() throws {
    let eq = try XCTUnwrap(assertDataError { try ExpressionParser.parse("x = 1") })
    XCTAssertEqual(eq.code, "expr-syntax")
    XCTAssertEqual(eq.column, 3)
    XCTAssertEqual(eq.remedy, "compare with '==', not '='")
    let open = try XCTUnwrap(assertDataError { try ExpressionParser.parse("(a + b") })
    XCTAssertEqual(open.column, 7)
    let string = try XCTUnwrap(assertDataError { try ExpressionParser.parse("x == 'abc") })
    XCTAssertEqual(string.column, 6)
    XCTAssertEqual(assertDataError { try ExpressionParser.parse("a < b < c") }?.code, "expr-syntax")
    XCTAssertEqual(assertDataError { try ExpressionParser.parse("lag(x, k = 2)") }?.column, 8)
    XCTAssertEqual(assertDataError { try ExpressionParser.parse("a %o% b") }?.code, "expr-syntax")
    XCTAssertEqual(assertDataError { try ExpressionParser.parse("") }?.code, "expr-syntax")
    XCTAssertEqual(assertDataError { try ExpressionParser.parse("a b") }?.column, 3)
    XCTAssertEqual(assertDataError { try ExpressionParser.parse("2x") }?.column, 2)
  }

  func testDepthLimitIsAnErrorNotACrash() throws {
    let nested = String(repeating: "(", count: 3000) + "1" + String(repeating: ")", count: 3000)
    XCTAssertEqual(assertDataError { try ExpressionParser.parse(nested) }?.code, "expr-too-deep")
    let calls = String(repeating: "abs(", count: 1000) + "1" + String(repeating: ")", count: 1000)
    XCTAssertEqual(assertDataError { try ExpressionParser.parse(calls) }?.code, "expr-too-deep")
    let minus = String(repeating: "-", count: 3000) + "1"
    XCTAssertEqual(assertDataError { try ExpressionParser.parse(minus) }?.code, "expr-too-deep")
    let chain = Array(repeating: "x", count: 1000).joined(separator: "+")
    XCTAssertEqual(assertDataError { try ExpressionParser.parse(chain) }?.code, "expr-too-deep")
    let long = String(repeating: "x+", count: 6000) + "x"
    XCTAssertEqual(assertDataError { try ExpressionParser.parse(long) }?.code, "expr-too-long")
    // Moderate nesting is fine.
    let ok = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
    XCTAssertEqual(try ExpressionParser.parse(ok), .number(1, offset: 50))
  }
}
