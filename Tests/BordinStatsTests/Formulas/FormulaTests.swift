import XCTest

@testable import BordinStats

/// Term labels and order against R 4.2.2 `attr(terms(f), "term.labels")`.
final class FormulaTests: XCTestCase {
  private func labels(_ f: String) throws -> [String] { try Formula.parse(f).terms.map(\.label) }

  func testTermExpansionMatchesR() throws {
    XCTAssertEqual(try labels("y ~ a + b"), ["a", "b"])
    XCTAssertEqual(try labels("y ~ (a+b)*(c+f)"), ["a", "b", "c", "f", "a:c", "a:f", "b:c", "b:f"])
    XCTAssertEqual(try labels("y ~ b:a + a"), ["a", "b:a"])
    XCTAssertEqual(try labels("y ~ a*b*c"), ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"])
    XCTAssertEqual(try labels("y ~ f*g"), ["f", "g", "f:g"])
    XCTAssertEqual(try labels("y ~ (a+b+c)^2"), ["a", "b", "c", "a:b", "a:c", "b:c"])
    XCTAssertEqual(try labels("y ~ a/b"), ["a", "a:b"])
    XCTAssertEqual(try labels("y ~ f/a"), ["f", "f:a"])
    XCTAssertEqual(try labels("y ~ g + f:g"), ["g", "g:f"])
    XCTAssertEqual(try labels("y~a*f - a"), ["f", "a:f"])
    XCTAssertEqual(try labels("y ~ a + a + b:a + a:b"), ["a", "a:b"])
    XCTAssertEqual(try labels("y ~ a %in% b"), ["a:b"])
    XCTAssertEqual(try labels("y ~ months * sex + months * anxiety"), ["months", "sex", "anxiety", "months:sex", "months:anxiety"])
  }

  func testIntercept() throws {
    XCTAssertTrue(try Formula.parse("y ~ a").intercept)
    XCTAssertFalse(try Formula.parse("y ~ a - 1").intercept)
    XCTAssertFalse(try Formula.parse("y ~ 0 + a").intercept)
    XCTAssertFalse(try Formula.parse("y ~ a + 0").intercept)
    XCTAssertFalse(try Formula.parse("y ~ -1 + a").intercept)
    XCTAssertTrue(try Formula.parse("y ~ a - 1 + 1").intercept)
    let f = try Formula.parse("y ~ 0 + a:f + g")
    XCTAssertEqual(f.terms.map(\.label), ["g", "a:f"])
    XCTAssertFalse(f.intercept)
    let empty = try Formula.parse("y ~ 1")
    XCTAssertEqual(empty.terms, [])
    XCTAssertTrue(empty.intercept)
  }

  func testExpressionAtomsAreDeparsedLikeR() throws {
    let f = try Formula.parse("y ~ I(a*b) + I(a^2) + log(b+3) + I(-a) + I(a^2.0)")
    // R: I(a * b) | I(a^2) | log(b + 3) | I(-a)  (I(a^2.0) deparses to I(a^2), a duplicate)
    XCTAssertEqual(f.terms.map(\.label), ["I(a * b)", "I(a^2)", "log(b + 3)", "I(-a)"])
    XCTAssertEqual(f.terms[0].atoms, [.expression(label: "I(a * b)", code: "a * b")])
    XCTAssertEqual(f.terms[2].atoms, [.expression(label: "log(b + 3)", code: "log(b + 3)")])
    XCTAssertEqual(f.variables, ["y", "a", "b"])
  }

  func testResponseAndVariables() throws {
    let f = try Formula.parse("ext_post ~ ext_pre + bond_therapist + format")
    XCTAssertEqual(f.response, "ext_post")
    XCTAssertEqual(f.variables, ["ext_post", "ext_pre", "bond_therapist", "format"])
    XCTAssertEqual(f.description, "ext_post ~ ext_pre + bond_therapist + format")
    let one = try Formula.parse("~ a + b")
    XCTAssertNil(one.response)
    XCTAssertEqual(one.terms.map(\.label), ["a", "b"])
    let log = try Formula.parse("log(y) ~ x")
    XCTAssertEqual(log.response, "log(y)")
    XCTAssertEqual(try Formula.parse("y ~ `my var` + b").terms.map(\.label), ["`my var`", "b"])
  }

  func testErrorsCarryOffsets() {
    func offset(_ f: String) -> Int? {
      do {
        _ = try Formula.parse(f)
        return nil
      } catch let e as FormulaError {
        return e.offset
      } catch {
        return nil
      }
    }
    XCTAssertEqual(offset("y ~ a +"), 7)  // end of input
    XCTAssertEqual(offset("y ~ a + 2"), 8)  // a number that is not 0/1
    XCTAssertEqual(offset("y ~ a $ b"), 6)  // unexpected character
    XCTAssertEqual(offset("y ~ (a + b"), 10)  // missing ')'
    XCTAssertEqual(offset("a + b"), 0)  // no '~'
    XCTAssertEqual(offset("y ~ ."), 4)
    XCTAssertEqual(offset("y ~ a + b ~ c"), 0)
    XCTAssertEqual(offset("y ~ a^b"), 6)  // power of a term list must be an integer
    XCTAssertEqual(offset("y ~ a < b"), 4)  // comparison between terms
    XCTAssertEqual(offset(""), 0)
    XCTAssertNotNil(offset("y ~ y + x"))  // response on the right-hand side
  }
}
