import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// `factor()`, `ordered()`, `poly()` and `offset()` in formulas (issue 20), against R 4.2.2's lm()
/// (Tests/Fixtures/r/formula-functions.R → formula-functions.json): term names as R's
/// (`factor(dose)2`, `poly(x, 2)1`), coefficients and SEs at 1e-8 (DESIGN §9, closed forms).
/// Row 7 has a missing outcome: R computes poly() on every row and then drops it; so do we.
final class FormulaFunctionsTests: XCTestCase {
  private var data = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/formula-functions.csv")
    results = try XCTUnwrap(Fixtures.reference("formula-functions")["results"] as? [String: Any])
  }

  private func numbers(_ b: [String: Any], _ key: String) throws -> [Double] {
    try XCTUnwrap(b[key] as? [NSNumber], "no \(key)").map(\.doubleValue)
  }

  private func check(_ key: String, _ formula: String) throws {
    let b = try XCTUnwrap(results[key] as? [String: Any])
    let r = try Regression.fit(formula, data: data)
    XCTAssertEqual(r.terms, b["terms"] as? [String], key)
    XCTAssertEqual(r.coefficients.count, try numbers(b, "coef").count, key)
    for (c, (e, se)) in zip(r.coefficients, zip(try numbers(b, "coef"), try numbers(b, "se"))) {
      assertClose(c.estimate, e, rel: Tolerance.closedForm, "\(key) \(c.term)")
      assertClose(c.se, se, rel: Tolerance.closedForm, "\(key) se \(c.term)")
    }
    XCTAssertEqual(r.n, (b["n"] as? NSNumber)?.intValue, "\(key) n")
  }

  func testFactorOfNumericColumnInNumericOrder() throws { try check("factor", "y ~ factor(dose)") }
  func testOrthogonalPolynomial() throws { try check("poly", "y ~ poly(x, 2)") }
  func testPolyAndFactor() throws { try check("poly3_factor", "y ~ poly(x, 3) + factor(dose)") }
  func testFactorInteraction() throws { try check("interaction", "y ~ factor(dose) * g") }
  func testPolyInteractionWithFullIndicators() throws { try check("poly_g", "y ~ poly(x, 2):g") }

  /// ordered(): polynomial contrasts (contr.poly: .L, .Q, .C) on the sorted levels.
  func testOrderedFactorPolynomialContrasts() throws {
    try check("ordered", "y ~ ordered(dose) + x")
    try check("ordered_g", "y ~ ordered(g) * x")
  }

  func testPolyColumnsMatchR() throws {
    let b = try XCTUnwrap(results["poly_columns"] as? [String: Any])
    let cols = try FormulaFunction.orthogonalPolynomials(data.numbers("x"), degree: 3, label: "poly(x, 3)")
    for (j, key) in ["p1", "p2", "p3"].enumerated() {
      for (a, e) in zip(cols[j], try numbers(b, key)) { XCTAssertEqual(a, e, accuracy: 1e-12, "\(key)") }
    }
  }

  /// `log(t)` for the offset tests (BordinStats evaluates no expressions itself).
  private func logT(_ code: String) throws -> [Double] {
    guard code == "log(t)" else { return try ModelMatrix.noExpressions(code) }
    return try data.numbers("t").map { Foundation.log($0) }
  }

  /// offset(log(t)) in lm: y − offset fitted on X; R² and F from the fitted values with the
  /// offset (summary.lm's documented behaviour).
  func testLinearModelOffset() throws {
    let b = try XCTUnwrap(results["lm_offset"] as? [String: Any])
    let r = try Regression.fit("y ~ x + offset(log(t))", data: data, evaluate: logT)
    XCTAssertEqual(r.terms, b["terms"] as? [String])
    for (c, (e, se)) in zip(r.coefficients, zip(try numbers(b, "coef"), try numbers(b, "se"))) {
      assertClose(c.estimate, e, rel: Tolerance.closedForm, "lm offset \(c.term)")
      assertClose(c.se, se, rel: Tolerance.closedForm, "lm offset se \(c.term)")
    }
    assertClose(r.r2, try XCTUnwrap((results["lm_offset_r2"] as? NSNumber)?.doubleValue), rel: Tolerance.closedForm, "R2")
    assertClose(r.fStatistic, try XCTUnwrap((results["lm_offset_F"] as? NSNumber)?.doubleValue), rel: Tolerance.closedForm, "F")
    XCTAssertEqual(r.n, 29)
  }

  /// Poisson glm with offset(log(t)): rates per unit of exposure; null deviance from the
  /// intercept-only fit with the offset (glm()), or from linkinv(offset) without intercept.
  func testPoissonOffset() throws {
    for (key, formula) in [("glm_offset", "count ~ dose + offset(log(t))"), ("glm_offset_factor", "count ~ factor(dose) + offset(log(t))"),
                           ("glm_offset_noint", "count ~ 0 + factor(dose) + offset(log(t))")] {
      let b = try XCTUnwrap(results[key] as? [String: Any])
      let r = try GeneralizedLinearModel.fit(formula, data: data, family: .poisson, evaluate: logT)
      XCTAssertEqual(r.coefficients.map(\.term), b["terms"] as? [String], key)
      for (c, (e, se)) in zip(r.coefficients, zip(try numbers(b, "coef"), try numbers(b, "se"))) {
        assertClose(c.estimate, e, rel: Tolerance.closedForm, "\(key) \(c.term)")
        assertClose(c.se, se, rel: 1e-7, "\(key) se \(c.term)")
      }
      for (name, value) in [("deviance", r.deviance), ("null_deviance", r.nullDeviance), ("aic", r.aic)] {
        assertClose(value, try XCTUnwrap((b[name] as? NSNumber)?.doubleValue), rel: Tolerance.closedForm, "\(key) \(name)")
      }
    }
  }

  func testDiagnostics() throws {
    func code(_ f: String, _ t: Table? = nil) -> String? {
      do { _ = try ModelMatrix.build(f, data: t ?? data); return nil } catch let e as StatsError { return e.code } catch { return "\(error)" }
    }
    XCTAssertEqual(code("y ~ offset(x)"), "unsupported-offset")  // not allowed unless the model fits offsets
    XCTAssertThrowsError(try ModelMatrix.build("y ~ offset(x):g", data: data, allowOffset: true))
    XCTAssertEqual(try ModelMatrix.build("y ~ dose + offset(x)", data: data, allowOffset: true).columnNames, ["(Intercept)", "dose"])
    XCTAssertEqual(code("y ~ poly(x)"), "bad-expression")
    XCTAssertEqual(code("y ~ poly(x, 0)"), "bad-expression")
    XCTAssertEqual(code("y ~ poly(dose, 4)"), "poly-degree")
    XCTAssertEqual(code("x ~ poly(y, 2)"), "missing-in-poly")
    XCTAssertEqual(code("y ~ factor(nope)"), "unknown-column")
    XCTAssertEqual(code("y ~ poly(g, 2)"), "bad-expression")
    XCTAssertEqual(code("y ~ factor(x, y)"), "bad-expression")
  }
}
