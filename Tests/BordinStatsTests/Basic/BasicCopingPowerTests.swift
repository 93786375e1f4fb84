import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `basic-coping-power`: simulated Coping Power design (360 children, 20
/// schools), R 4.2.2 `cor.test`, `psych::partial.r`, `lm`, `t.test`, RSA a1–a5 as OLS linear
/// combinations. The reference file names the estimators but not the variables; they were
/// identified by recomputing the candidates in R (comments below). "Listwise complete cases for
/// correlations, t-tests and RSA" means the 348 rows complete on every column (`bond_child` has
/// 12 missing values); OLS uses the rows complete on its own variables (all 360).
final class BasicCopingPowerTests: XCTestCase {
  static let tol = Tolerance.closedForm

  private var data = Table()
  private var complete = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/coping-power-sim.csv")
    complete = data.completeCases
    let reference = try Fixtures.reference("basic-coping-power")
    results = try XCTUnwrap(reference["results"] as? [String: Any])
    XCTAssertEqual(data.rowCount, 360)
    XCTAssertEqual(complete.rowCount, 348)
  }

  private func block(_ name: String) throws -> [String: Any] {
    try XCTUnwrap(results[name] as? [String: Any], "no block \(name)")
  }

  private func number(_ b: [String: Any], _ key: String) throws -> Double {
    try XCTUnwrap((b[key] as? NSNumber)?.doubleValue, "no number \(key)")
  }

  /// `cor.test(bond_child, bond_therapist)` on complete cases (r = .4397).
  func testPearson() throws {
    let b = try block("pearson")
    let r = try Correlation.test(
      complete.numbers("bond_child"), complete.numbers("bond_therapist"),
      names: ("bond_child", "bond_therapist"))
    assertClose(r.r, try number(b, "r"), rel: Self.tol, "r")
    assertClose(r.t, try number(b, "t"), rel: Self.tol, "t")
    XCTAssertEqual(r.df.map(Double.init), try number(b, "df"))
    assertClose(r.p, try number(b, "p"), rel: Self.tol, "p")
    assertClose(r.ciLower, try number(b, "ci_lb"), rel: Self.tol, "ci_lb")
    assertClose(r.ciUpper, try number(b, "ci_ub"), rel: Self.tol, "ci_ub")
    XCTAssertEqual(Double(r.n), try number(b, "n"))
  }

  /// `cor.test(bond_child, bond_therapist, method = "spearman")`: the data have ties (38
  /// repeated `bond_child` values), so R uses the t approximation, not AS 89.
  func testSpearman() throws {
    let b = try block("spearman")
    let r = try Correlation.test(
      complete.numbers("bond_child"), complete.numbers("bond_therapist"), method: .spearman)
    assertClose(r.r, try number(b, "rho"), rel: Self.tol, "rho")
    assertClose(r.p, try number(b, "p"), rel: Self.tol, "p")
    XCTAssertFalse(r.exact)
    // R: S = 4149743.222678
    assertClose(r.spearmanS, 4149743.222678, rel: 1e-12, "S")
  }

  /// `psych::partial.r` of bond_therapist and ext_post given ext_pre, complete cases.
  func testPartial() throws {
    let b = try block("partial")
    let x = try XCTUnwrap(b["x"] as? String)
    let y = try XCTUnwrap(b["y"] as? String)
    let z = try XCTUnwrap(b["given"] as? String)
    let r = try Correlation.partial(
      complete.numbers(x), complete.numbers(y), given: [complete.numbers(z)], names: (x, y),
      givenNames: [z])
    assertClose(r.r, try number(b, "r"), rel: Self.tol, "partial r")
    XCTAssertEqual(r.df, 348 - 2 - 1)
    XCTAssertEqual(r.given, ["ext_pre"])
    // The same through the matrix function with `partial`.
    let m = try Correlation.matrix(
      [(x, complete.numbers(x)), (y, complete.numbers(y))], partial: [(z, complete.numbers(z))])
    assertClose(m.pairs[0].r, try number(b, "r"), rel: Self.tol, "matrix partial r")
  }

  /// `lm(ext_post ~ ext_pre + bond_therapist + format)` on all 360 rows; reference level
  /// `group`, so the dummy is `formatindividual`.
  func testOLS() throws {
    let b = try block("ols")
    let fit = try Regression.fit("ext_post ~ ext_pre + bond_therapist + format", data: data)
    XCTAssertEqual(fit.terms, ["(Intercept)", "ext_pre", "bond_therapist", "formatindividual"])
    for (key, kp) in [("coef", \RegressionCoefficient.estimate), ("se", \.se), ("t", \.t), ("p", \.p)] {
      let expected = try XCTUnwrap(b[key] as? [String: NSNumber])
      XCTAssertEqual(Set(expected.keys), Set(fit.terms))
      for (term, value) in expected {
        assertClose(fit.coefficient(term)?[keyPath: kp], value.doubleValue, rel: Self.tol, "\(key)[\(term)]")
      }
    }
    assertClose(fit.r2, try number(b, "r2"), rel: Self.tol, "r2")
    assertClose(fit.adjR2, try number(b, "adj_r2"), rel: Self.tol, "adj_r2")
    assertClose(fit.fStatistic, try number(b, "F"), rel: Self.tol, "F")
    XCTAssertEqual(Double(fit.df1), try number(b, "df1"))
    XCTAssertEqual(Double(fit.df2), try number(b, "df2"))
    assertClose(fit.sigma, try number(b, "sigma"), rel: Self.tol, "sigma")
    XCTAssertEqual(Double(fit.n), try number(b, "n"))
    XCTAssertEqual(fit.rowsDropped, 0)
    // confint(): estimate ± qt(.975, 356) se, checked against R 4.2.2 for bond_therapist.
    let bt = try XCTUnwrap(fit.coefficient("bond_therapist"))
    assertClose(bt.ciLower, -4.3399875596087263, rel: Self.tol, "ci_lb")
    assertClose(bt.ciUpper, -1.4873281980582862, rel: Self.tol, "ci_ub")
  }

  /// `t.test(bond_child, bond_therapist, paired = TRUE)` on complete cases.
  func testPairedT() throws {
    let b = try block("paired_t")
    let r = try TTest.paired(complete.numbers("bond_child"), complete.numbers("bond_therapist"))
    assertClose(r.t, try number(b, "t"), rel: Self.tol, "t")
    assertClose(r.df, try number(b, "df"), rel: Self.tol, "df")
    assertClose(r.p, try number(b, "p"), rel: Self.tol, "p")
    assertClose(r.meanDiff, try number(b, "mean_diff"), rel: Self.tol, "mean_diff")
    assertClose(r.ciLower, try number(b, "ci_lb"), rel: Self.tol, "ci_lb")
    assertClose(r.ciUpper, try number(b, "ci_ub"), rel: Self.tol, "ci_ub")
    XCTAssertEqual(r.kind, .paired)
  }

  /// `t.test(bond_child ~ format)` (Welch) on complete cases: group − individual.
  func testWelchT() throws {
    let b = try block("welch_t")
    let r = try TTest.twoSample("bond_child ~ format", data: complete)
    XCTAssertEqual(r.groups, ["group", "individual"])
    assertClose(r.t, try number(b, "t"), rel: Self.tol, "t")
    assertClose(r.df, try number(b, "df"), rel: Self.tol, "df")
    assertClose(r.p, try number(b, "p"), rel: Self.tol, "p")
    assertClose(r.ciLower, try number(b, "ci_lb"), rel: Self.tol, "ci_lb")
    assertClose(r.ciUpper, try number(b, "ci_ub"), rel: Self.tol, "ci_ub")
    XCTAssertEqual(r.kind, .welch)
  }

  /// Polynomial regression `ext_post ~ bond_child + bond_therapist + I(bond_child^2) +
  /// I(bond_child * bond_therapist) + I(bond_therapist^2) + ext_pre` on complete cases, and
  /// RSA a1–a5 as linear combinations with OLS SEs and t(n − p) p-values.
  func testResponseSurface() throws {
    let b = try block("rsa")
    let formula = ResponseSurface.formula(
      outcome: "ext_post", x: "bond_child", y: "bond_therapist", controls: ["ext_pre"])
    let evaluator = testEvaluator(complete)
    let fit = try Regression.fit(formula, data: complete, evaluate: evaluator)
    let expected = try XCTUnwrap(b["coef"] as? [String: NSNumber])
    XCTAssertEqual(Set(expected.keys), Set(fit.terms))
    for (term, value) in expected {
      assertClose(fit.coefficient(term)?.estimate, value.doubleValue, rel: Self.tol, "coef[\(term)]")
    }
    assertClose(fit.r2, try number(b, "r2"), rel: Self.tol, "r2")
    XCTAssertEqual(Double(fit.n), try number(b, "n"))

    let rsa = try ResponseSurface.parameters(fit, x: "bond_child", y: "bond_therapist")
    for (name, value) in [("a1", rsa.a1), ("a2", rsa.a2), ("a3", rsa.a3), ("a4", rsa.a4), ("a5", rsa.a5)] {
      let e = try block("rsa")[name] as? [String: NSNumber]
      let ref = try XCTUnwrap(e, name)
      assertClose(value.estimate, try XCTUnwrap(ref["estimate"]).doubleValue, rel: Self.tol, "\(name).estimate")
      assertClose(value.se, try XCTUnwrap(ref["se"]).doubleValue, rel: Self.tol, "\(name).se")
      assertClose(value.p, try XCTUnwrap(ref["p"]).doubleValue, rel: Self.tol, "\(name).p")
    }
  }
}
