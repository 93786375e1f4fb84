import BordinData
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
    print("REML", r.deviance, r.theta, r.evaluations, r.fixed, r.warnings)
    try LMMReference.assertAll(r, try XCTUnwrap(results["REML"] as? [String: Any]))
    XCTAssertTrue(r.converged)
    XCTAssertFalse(r.singular)
  }

  func testML() throws {
    let r = try MixedModel.fit(Self.formula, data: data, options: LMMOptions(reml: false))
    print("ML", r.deviance, r.theta, r.evaluations)
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
}
