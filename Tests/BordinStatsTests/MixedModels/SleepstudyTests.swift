import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `lmm-sleepstudy`: `Reaction ~ Days + (Days | Subject)`, REML and ML, with
/// lmerTest's Satterthwaite df and three subjects' BLUPs (lme4 1.1-31, lmerTest 3.1-3).
final class SleepstudyTests: XCTestCase {
  static let formula = "Reaction ~ Days + (Days | Subject)"
  private var data = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/sleepstudy.csv")
    results = try XCTUnwrap(try Fixtures.reference("lmm-sleepstudy")["results"] as? [String: Any])
  }

  func testREML() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    try LMMReference.assertAll(r, try XCTUnwrap(results["REML"] as? [String: Any]))
    XCTAssertTrue(r.converged)
    XCTAssertFalse(r.singular)
  }

  func testML() throws {
    let r = try MixedModel.fit(Self.formula, data: data, options: LMMOptions(reml: false))
    try LMMReference.assertAll(r, try XCTUnwrap(results["ML"] as? [String: Any]))
  }

  /// `ranef(fit)$Subject` of the REML fit for the subjects in the reference.
  func testBLUPs() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    let blups = try LMMReference.list(results, "blups")
    XCTAssertEqual(r.ranef.count, 1)
    let re = try XCTUnwrap(r.ranef.first)
    XCTAssertEqual(re.grp, "Subject")
    XCTAssertEqual(re.terms, ["(Intercept)", "Days"])
    XCTAssertEqual(re.levels.count, 18)
    for b in blups {
      let g = try XCTUnwrap(b["group"] as? String)
      assertClose(re.value(term: "(Intercept)", level: g), try LMMReference.number(b, "intercept"), rel: Tolerance.optimisedEstimate, "\(g) intercept")
      assertClose(re.value(term: "Days", level: g), try LMMReference.number(b, "slope"), rel: Tolerance.optimisedEstimate, "\(g) slope")
    }
  }

  /// Everything against R's lowest-criterion fits (lmm-extra.json): Satterthwaite CIs, θ, the ML
  /// deviance at the REML fit, all 36 BLUPs.
  func testLowestCriterionREML() throws {
    try LMMReference.assertExtra(try MixedModel.fit(Self.formula, data: data), "sleepstudy_reml")
  }

  func testLowestCriterionML() throws {
    try LMMReference.assertExtra(
      try MixedModel.fit(Self.formula, data: data, options: LMMOptions(reml: false)), "sleepstudy_ml")
  }

  /// `df: none` gives Wald z tests and intervals (lme4's `confint(method = "Wald")`).
  func testWaldWithoutDF() throws {
    let r = try MixedModel.fit(Self.formula, data: data, options: LMMOptions(df: .none))
    let s = try MixedModel.fit(Self.formula, data: data)
    for (a, b) in zip(r.fixed, s.fixed) {
      XCTAssertEqual(a.estimate, b.estimate)
      XCTAssertEqual(a.se, b.se)
      XCTAssertEqual(a.df, .infinity)
      assertClose(a.p, 2 * Distributions.normalCDF(-abs(a.t)), rel: 1e-12, "p")
      assertClose(a.ciUpper, a.estimate + 1.959963984540054 * a.se, rel: 1e-12, "ci")
    }
  }

  /// Fitted values are Xβ̂ + Zb̂ (lme4's `fitted`).
  func testFittedValues() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    let days = data.numbers("Days")
    guard case .text(let subject)? = data["Subject"] else { return XCTFail("Subject") }
    let re = r.ranef[0]
    for i in [0, 57, 179] {
      let s = subject[i]!
      let expected = r.beta[0] + r.beta[1] * days[i] + re.value(term: "(Intercept)", level: s)!
        + re.value(term: "Days", level: s)! * days[i]
      assertClose(r.fitted[i], expected, rel: 1e-12, "fitted \(i)")
    }
  }

  /// Three correlated random effects per subject, `(Days + Days2 | Subject)` with Days2 =
  /// Days²/10 (q = 3, six θ): lmm-extra.json `sleepstudy_q3_reml`.
  func testThreeRandomEffects() throws {
    let days = data.numbers("Days")
    let extended = Table(data.names.map { ($0, data[$0]!) } + [("Days2", .numeric(days.map { $0 * $0 / 10 }))])
    let r = try MixedModel.fit("Reaction ~ Days + (Days + Days2 | Subject)", data: extended)
    XCTAssertEqual(r.theta.count, 6)
    try LMMReference.assertExtra(r, "sleepstudy_q3_reml")
  }
}
