import XCTest

@testable import BordinStats

/// lme4's `findbars`/`nobars`/`expandDoubleVerts`/`expandSlash` (lme4 1.1-31): term labels as
/// `names(getME(fit, "cnms"))` and `VarCorr` show them.
final class MixedFormulaTests: XCTestCase {
  func testCorrelatedTerm() throws {
    let f = try MixedFormula.parse("Reaction ~ Days + (Days | Subject)")
    XCTAssertEqual(f.fixed.description, "Reaction ~ Days")
    XCTAssertEqual(f.random.map(\.label), ["Days | Subject"])
    XCTAssertEqual(f.random[0].effects.intercept, true)
    XCTAssertEqual(f.random[0].effects.terms.map(\.label), ["Days"])
    XCTAssertEqual(f.random[0].group, "Subject")
  }

  func testGrowthModel() throws {
    let f = try MixedFormula.parse("y ~ wave * x + (1 + wave | patient) + (1 | therapist)")
    XCTAssertEqual(f.fixed.terms.map(\.label), ["wave", "x", "wave:x"])
    XCTAssertEqual(f.random.map(\.label), ["1 + wave | patient", "1 | therapist"])
    XCTAssertEqual(f.variables, ["y", "wave", "x", "patient", "therapist"])
  }

  /// `(Days || Subject)` = `(1 | Subject) + (0 + Days | Subject)`.
  func testDoubleBar() throws {
    let f = try MixedFormula.parse("Reaction ~ Days + (Days || Subject)")
    XCTAssertEqual(f.random.map(\.label), ["1 | Subject", "0 + Days | Subject"])
    XCTAssertEqual(f.random.map(\.effects.intercept), [true, false])
    let g = try MixedFormula.parse("y ~ 1 + (0 + a + b || g)")
    XCTAssertEqual(g.random.map(\.label), ["0 + a | g", "0 + b | g"])
  }

  /// `(1 | a/b)` = `(1 | b:a) + (1 | a)`; `a/b/c` gives `c:b:a`, `b:a`, `a`.
  func testSlash() throws {
    let f = try MixedFormula.parse("strength ~ 1 + (1 | batch/cask)")
    XCTAssertEqual(f.random.map(\.label), ["1 | cask:batch", "1 | batch"])
    XCTAssertEqual(f.random.map(\.groupVariables), [["cask", "batch"], ["batch"]])
    let g = try MixedFormula.parse("y ~ x + (1 | a/b/c)")
    XCTAssertEqual(g.random.map(\.group), ["c:b:a", "b:a", "a"])
    let h = try MixedFormula.parse("y ~ x + (t || a/b)")
    XCTAssertEqual(h.random.map(\.label), ["1 | b:a", "1 | a", "0 + t | b:a", "0 + t | a"])
  }

  func testCrossedAndInteractionGroups() throws {
    let f = try MixedFormula.parse("y ~ (1 | plate) + (1 | sample) + (1 | a:b)")
    XCTAssertEqual(f.fixed.description, "y ~ 1")
    XCTAssertEqual(f.random.map(\.group), ["plate", "sample", "a:b"])
  }

  func testFixedPartKeepsRFormulaRules() throws {
    let f = try MixedFormula.parse("y ~ (1 | g) + x - 1")
    XCTAssertFalse(f.fixed.intercept)
    XCTAssertEqual(f.fixed.terms.map(\.label), ["x"])
    let g = try MixedFormula.parse("y ~ 0 + (1 | g)")
    XCTAssertFalse(g.fixed.intercept)
  }

  func testErrors() {
    XCTAssertThrowsError(try MixedFormula.parse("y ~ x")) { e in
      XCTAssertTrue("\(e)".contains("no random effects terms"), "\(e)")
    }
    XCTAssertThrowsError(try MixedFormula.parse("y ~ x + (1 | log(g))")) { e in
      XCTAssertTrue("\(e)".contains("grouping factor"), "\(e)")
    }
    XCTAssertThrowsError(try MixedFormula.parse("y ~ x - (1 | g)"))
    XCTAssertThrowsError(try MixedFormula.parse("y ~ x:(1 | g)"))
    XCTAssertThrowsError(try MixedFormula.parse("~ x + (1 | g)"))
  }
}
