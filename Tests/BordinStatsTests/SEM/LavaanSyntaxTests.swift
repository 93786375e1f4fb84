import BordinStats
import XCTest

/// LavaanModel.parse: every construct, and the line and column of every error.
final class LavaanSyntaxTests: XCTestCase {
  private func elements(_ text: String) throws -> [String] {
    try LavaanModel.parse(text).formulas.map { f in
      var m: [String] = []
      if let v = f.modifier.fixed { m.append("fixed \(v)") }
      if f.modifier.free { m.append("NA") }
      if let l = f.modifier.label { m.append("label \(l)") }
      if let s = f.modifier.start { m.append("start \(s)") }
      return "\(f.lhs) \(f.op.rawValue) \(f.rhs)" + (m.isEmpty ? "" : " [\(m.joined(separator: ", "))]")
    }
  }

  private func failure(_ text: String) -> LavaanSyntaxError? {
    do {
      _ = try LavaanModel.parse(text)
      return nil
    } catch { return error as? LavaanSyntaxError }
  }

  func testOperators() throws {
    XCTAssertEqual(try elements("f =~ x1 + x2\ny ~ f\ny ~~ x1\ny ~ 1"), [
      "f =~ x1", "f =~ x2", "y ~ f", "y ~~ x1", "y ~1 ",
    ])
  }

  func testSeveralVariablesOnBothSides() throws {
    XCTAssertEqual(try elements("y1 + y2 ~ x1 + x2"), ["y1 ~ x1", "y1 ~ x2", "y2 ~ x1", "y2 ~ x2"])
    XCTAssertEqual(try elements("y ~ 1 + x"), ["y ~1 ", "y ~ x"])
  }

  func testModifiers() throws {
    XCTAssertEqual(
      try elements("f =~ NA*x1 + 1*x2 + a*x3 + 0.5*x4 + -1*x5 + 1e-1*x6 + .5*x7"), [
        "f =~ x1 [NA]", "f =~ x2 [fixed 1.0]", "f =~ x3 [label a]", "f =~ x4 [fixed 0.5]",
        "f =~ x5 [fixed -1.0]", "f =~ x6 [fixed 0.1]", "f =~ x7 [fixed 0.5]",
      ])
    XCTAssertEqual(
      try elements("y ~ start(0.3)*x1 + label(\"b\")*x2 + equal('c')*x3 + 0.2?x4 + a*NA*x5 + start(-1)*b2*x6"), [
        "y ~ x1 [start 0.3]", "y ~ x2 [label b]", "y ~ x3 [label c]", "y ~ x4 [start 0.2]",
        "y ~ x5 [label a]", "y ~ x6 [label b2]",
      ])
    XCTAssertEqual(try elements("y ~ 0*1\nx ~ m*1"), ["y ~1  [fixed 0.0]", "x ~1  [label m]"])
  }

  /// lavaan 0.6-14 (lavaanify, Tests/Fixtures/r/sem-robust.R): a name in a chain makes the chain
  /// a label and nothing else ('NA*l1*x1' stays fixed); numbers multiply ('2*3*x' fixed at 6,
  /// '0.3*NA*x' free); a repeated element merges its modifiers, the first of each kind winning.
  func testModifierChainsAndRepeatedElementsAsLavaan() throws {
    XCTAssertEqual(
      try elements("v =~ NA*l1*x1 + l2*NA*x2 + 0.5*l3*x3 + 2*3*x4 + 0.3*NA*x5 + -0.5*x6 + \"q\"*x7"), [
        "v =~ x1 [label l1]", "v =~ x2 [label l2]", "v =~ x3 [label l3]", "v =~ x4 [fixed 6.0]",
        "v =~ x5 [NA]", "v =~ x6 [fixed -0.5]", "v =~ x7 [label q]",
      ])
    XCTAssertEqual(
      try elements("v =~ NA*x1 + l1*x1 + x2 + 0.5*x3 + NA*x3 + a*x4 + b*x4 + NA*x5 + start(2)*x5"), [
        "v =~ x1 [NA, label l1]", "v =~ x2", "v =~ x3 [fixed 0.5]", "v =~ x4 [label a]",
        "v =~ x5 [NA, start 2.0]",
      ])
  }

  func testConstraints() throws {
    let m = try LavaanModel.parse("y ~ a*x1 + b*x2 + c*x3\na == b\nc > 0.5\nb < 2*a - 1")
    XCTAssertEqual(m.constraints.map { "\($0.lhsText) \($0.relation.rawValue) \($0.rhsText)" }, [
      "a == b", "c > 0.5", "b < 2*a-1",
    ])
    XCTAssertEqual(m.constraints[2].location, LavaanLocation(line: 4, column: 1))
    XCTAssertEqual(m.formulas.count, 3)
  }

  func testCommentsSemicolonsAndContinuationLines() throws {
    let text = """
      # a comment line
      f =~ x1 + x2 +   # trailing comment
           x3
      g =~ x4
         + x5 ! lavaan's other comment character
      y ~ f; z ~ g

      """
    XCTAssertEqual(try elements(text), [
      "f =~ x1", "f =~ x2", "f =~ x3", "g =~ x4", "g =~ x5", "y ~ f", "z ~ g",
    ])
  }

  func testNamesWithDotsAndUnderscores() throws {
    XCTAssertEqual(try elements("alliance.t1 ~ a_1*wx_2.b"), ["alliance.t1 ~ wx_2.b [label a_1]"])
  }

  func testDefinedParameters() throws {
    let m = try LavaanModel.parse("y ~ a*m\nm ~ b*x\nab := a * b\nr := sqrt(a^2) / (1 - -b) + exp(log(a))")
    XCTAssertEqual(m.definitions.map(\.name), ["ab", "r"])
    XCTAssertEqual(m.definitions[0].text, "a*b")
    XCTAssertEqual(m.definitions[1].text, "sqrt(a^2)/(1--b)+exp(log(a))")
    XCTAssertEqual(m.definitions[0].location, LavaanLocation(line: 3, column: 1))
    XCTAssertEqual(m.definitions[0].expression.names.map(\.0), ["a", "b"])
    XCTAssertEqual(m.definitions[0].expression.names.map(\.1), [
      LavaanLocation(line: 3, column: 7), LavaanLocation(line: 3, column: 11),
    ])
  }

  func testElementLocations() throws {
    let f = try LavaanModel.parse("f =~ x1 +\n  x2").formulas
    XCTAssertEqual(f[1].lhsLocation, LavaanLocation(line: 1, column: 1))
    XCTAssertEqual(f[1].rhsLocation, LavaanLocation(line: 2, column: 3))
  }

  func testErrorPositions() {
    let cases: [(String, Int, Int, String)] = [
      ("f = x1", 1, 3, "'=' is not a lavaan operator"),
      ("x1 x2\ny ~ x", 1, 1, "no operator"),
      // A line without an operator continues the previous statement (lavaan's rule).
      ("y ~ x\nx1 x2", 2, 1, "expected '+' between terms"),
      ("y ~", 1, 4, "nothing on its right-hand side"),
      ("~ x", 1, 1, "nothing on its left-hand side"),
      ("y ~ x +", 1, 8, "'+' at the end"),
      ("y ~ x z", 1, 7, "expected '+' between terms"),
      ("y ~ x ~~ z", 1, 7, "a second operator"),
      ("y ~ 2", 1, 5, "a number (2) where a variable is expected"),
      ("f =~ 1", 1, 6, "a number (1) where a variable is expected"),
      ("y x ~ z", 1, 3, "expected '+' or an operator"),
      ("1*y ~ z", 1, 1, "modifiers belong on the right-hand side"),
      ("y ~ a*b*x", 1, 7, "two labels"),
      ("y ~ start(1)*NA*x", 1, 5, "cannot be chained"),
      ("y ~ c(1, 2)*x", 1, 5, "multiple groups"),
      ("y ~ foo(1)*x", 1, 5, "not a supported modifier"),
      ("y ~ NA", 1, 5, "'NA' needs a variable"),
      ("y ~ label(\"a)*x", 1, 11, "unterminated string"),
      ("f <~ x1 + x2", 1, 3, "formative"),
      ("== b", 1, 1, "nothing on its left-hand side"),
      ("a < ", 1, 4, "nothing on its right-hand side"),
      ("a == b c", 1, 8, "unexpected 'c' in the constraint"),
      ("u | t1", 1, 3, "thresholds"),
      ("y ~ x:z", 1, 6, "interaction"),
      ("y ~ x\n  z ~ 2x", 2, 8, "cannot start with a digit"),
      ("y ~ x@1", 1, 6, "unexpected character '@'"),
      ("ab := a *", 1, 10, "ends too early"),
      ("ab := a b", 1, 9, "unexpected 'b'"),
      ("ab := foo(a)", 1, 7, "unknown function 'foo'"),
      ("ab := sqrt(a, b)", 1, 7, "takes 1 argument"),
      ("a b := c", 1, 1, "one new name"),
      ("ab :=", 1, 6, "needs an expression"),
      ("y ~ x\nf ~*~ x", 2, 3, "not supported"),
    ]
    for (text, line, column, message) in cases {
      guard let e = failure(text) else {
        XCTFail("no error for: \(text)")
        continue
      }
      XCTAssertEqual([e.line, e.column], [line, column], "\(text): \(e)")
      XCTAssertTrue(e.message.contains(message), "\(text): \(e.message)")
    }
  }

  func testErrorsCarryRemediesAndConvertToStatsError() throws {
    let e = try XCTUnwrap(failure("f <~ x1 + x2"))
    XCTAssertTrue(e.remedy.contains("reflective"))
    XCTAssertEqual(e.statsError.code, "sem-syntax")
    XCTAssertTrue(e.statsError.message.hasPrefix("line 1, column 3:"))
    XCTAssertEqual(e.description, "line 1, column 3: " + e.message + ". " + e.remedy)
  }
}
