import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Tests/Fixtures/compare-models.json (Tests/Fixtures/r/compare-models.R, R 4.2.2, lme4 1.1-31):
/// `anova(m0, m1)` for nested mixed models (refitted with ML, as lme4), GLMs (`test = "Chisq"`)
/// and linear models (F). Tolerances of DESIGN §9: logLik 1e-6 absolute and never worse than
/// R's for the optimised fits, χ² and p 1e-5 relative; closed forms (lm) 1e-8 relative.
final class SleepstudyCompareTests: XCTestCase {
  private var reference: [String: Any] = [:]

  override func setUpWithError() throws {
    reference = try Fixtures.reference("compare-models")
  }

  private func ref(_ key: String) throws -> [String: Any] { try XCTUnwrap(reference[key] as? [String: Any]) }
  private func nums(_ r: [String: Any], _ k: String) throws -> [Double] { try XCTUnwrap(r[k] as? [Double]) }
  private func num(_ r: [String: Any], _ k: String) throws -> Double { try XCTUnwrap((r[k] as? NSNumber)?.doubleValue) }

  private func assertRelative(_ x: Double, _ y: Double, _ tol: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertLessThanOrEqual(abs(x - y), tol * max(abs(y), 1e-300), "\(what): \(x) vs R \(y)", file: file, line: line)
  }

  private func checkMixed(_ key: String) throws {
    let r = try ref(key)
    let formulas = try XCTUnwrap(r["formulas"] as? [String])
    let data = try Fixtures.csv("data/sleepstudy.csv")
    let fits = try formulas.map { try MixedModel.fit($0, data: data, options: LMMOptions(reml: false, df: .none)) }
    let c = ModelComparison.mixed(fits[0], fits[1])
    XCTAssertEqual(c.models.map(\.npar), try nums(r, "npar").map { Int($0) })
    for (i, m) in c.models.enumerated() {
      let ll = try nums(r, "logLik")[i]
      XCTAssertEqual(m.logLik, ll, accuracy: 1e-6, "\(key) logLik[\(i)]")
      XCTAssertGreaterThanOrEqual(m.logLik, ll - 1e-9, "\(key) logLik[\(i)] worse than R's")
      XCTAssertEqual(m.AIC, try nums(r, "AIC")[i], accuracy: 2e-6)
      XCTAssertEqual(m.BIC, try nums(r, "BIC")[i], accuracy: 2e-6)
      XCTAssertEqual(m.deviance, try nums(r, "deviance")[i], accuracy: 2e-6)
    }
    XCTAssertEqual(c.test, .likelihoodRatio)
    XCTAssertEqual(c.df, Int(try num(r, "df")))
    assertRelative(c.statistic, try num(r, "chisq"), 1e-5, "\(key) chisq")
    assertRelative(c.p, try num(r, "p"), 1e-5, "\(key) p")
  }

  func testRandomSlopeAgainstRandomIntercept() throws { try checkMixed("lmm_intercept_vs_slope") }

  func testFixedEffectWithSameRandomEffects() throws { try checkMixed("lmm_fixed") }

  func testGLMAnalysisOfDeviance() throws {
    let r = try ref("glm")
    let data = try Fixtures.csv("data/mtcars.csv")
    let formulas = try XCTUnwrap(r["formulas"] as? [String])
    let fits = try formulas.map { try GeneralizedLinearModel.fit($0, data: data, family: .binomial) }
    let c = ModelComparison.glm(fits[0], fits[1])
    XCTAssertEqual(c.models.compactMap(\.dfResidual), try nums(r, "df_residual").map { Int($0) })
    for (i, m) in c.models.enumerated() {
      assertRelative(m.deviance, try nums(r, "deviance")[i], 1e-8, "deviance[\(i)]")
      assertRelative(m.logLik, try nums(r, "logLik")[i], 1e-8, "logLik[\(i)]")
      assertRelative(m.AIC, try nums(r, "AIC")[i], 1e-8, "AIC[\(i)]")
      assertRelative(m.BIC, try nums(r, "BIC")[i], 1e-8, "BIC[\(i)]")
    }
    XCTAssertEqual(c.df, 1)
    assertRelative(c.statistic, try num(r, "chisq"), 1e-5, "chisq")
    assertRelative(c.p, try num(r, "p"), 1e-5, "p")
  }

  func testLinearFTest() throws {
    let r = try ref("lm")
    let data = try Fixtures.csv("data/mtcars.csv")
    let formulas = try XCTUnwrap(r["formulas"] as? [String])
    let fits = try formulas.map { try Regression.fit($0, data: data) }
    let c = ModelComparison.linear(fits[0], fits[1])
    XCTAssertEqual(c.test, .f)
    XCTAssertEqual(c.models.compactMap(\.dfResidual), try nums(r, "df_residual").map { Int($0) })
    for (i, m) in c.models.enumerated() {
      assertRelative(try XCTUnwrap(m.rss), try nums(r, "rss")[i], 1e-8, "RSS[\(i)]")
      assertRelative(m.logLik, try nums(r, "logLik")[i], 1e-8, "logLik[\(i)]")
      assertRelative(m.AIC, try nums(r, "AIC")[i], 1e-8, "AIC[\(i)]")
      assertRelative(m.BIC, try nums(r, "BIC")[i], 1e-8, "BIC[\(i)]")
    }
    XCTAssertEqual(c.df, 1)
    XCTAssertEqual(c.dfDenominator, 29)
    assertRelative(try XCTUnwrap(c.sumOfSquares), try num(r, "ss"), 1e-8, "Sum of Sq")
    assertRelative(c.statistic, try num(r, "F"), 1e-8, "F")
    assertRelative(c.p, try num(r, "p"), 1e-8, "p")
  }
}
