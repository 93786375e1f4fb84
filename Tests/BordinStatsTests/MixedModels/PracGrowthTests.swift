import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `lmm-prac-growth`: three-level growth, `tasc_therapist ~ months * sex +
/// months * anxiety + (1 + months | child) + (1 | therapist)`, REML and ML (lme4 1.1-31,
/// lmerTest 3.1-3). Children are nested in therapists, so the blocked Cholesky keeps the
/// therapist block diagonal.
///
/// The shared reference is the lowest criterion of three tightly converged lme4 optimisers
/// (nloptwrap, Nelder–Mead, bobyqa); every value is asserted against it at DESIGN.md §9's
/// tolerances, and everything (CIs, θ, BLUPs) against R's lowest-criterion fit in lmm-extra.json
/// (`prac_reml`, `prac_ml`, Tests/Fixtures/r/lmm-references.R).
final class PracGrowthTests: XCTestCase {
  static let formula =
    "tasc_therapist ~ months * sex + months * anxiety + (1 + months | child) + (1 | therapist)"
  private var data = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/prac-long.csv")
    results = try XCTUnwrap(try Fixtures.reference("lmm-prac-growth")["results"] as? [String: Any])
  }

  func testREML() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    try LMMReference.assertAll(r, try XCTUnwrap(results["REML"] as? [String: Any]))
    XCTAssertTrue(r.converged)
    XCTAssertFalse(r.singular)
    XCTAssertEqual(r.ngroups, [LMMGroupCount(name: "child", levels: 209), LMMGroupCount(name: "therapist", levels: 78)])
    XCTAssertEqual(r.npar, 11)
    XCTAssertEqual(r.rowsDropped, 0)
  }

  func testML() throws {
    let r = try MixedModel.fit(Self.formula, data: data, options: LMMOptions(reml: false))
    try LMMReference.assertAll(r, try XCTUnwrap(results["ML"] as? [String: Any]))
    XCTAssertTrue(r.converged)
  }

  /// Every value, including CIs, θ, the ML deviance at the REML fit and all 287 BLUPs, against
  /// R's lowest-criterion REML fit.
  func testREMLLowestCriterion() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    try LMMReference.assertExtra(r, "prac_reml")
  }

  func testMLLowestCriterion() throws {
    let r = try MixedModel.fit(Self.formula, data: data, options: LMMOptions(reml: false))
    try LMMReference.assertExtra(r, "prac_ml")
  }

  /// The model-implied trajectory of a boy and a girl without anxiety at 0–16 months equals
  /// x'β̂ with the band √(x'Vx), coded with the fitted factor levels.
  func testTrajectoryPrediction() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    let months: [Double] = [0, 4, 8, 12, 16, 0, 4, 8, 12, 16]
    let sex: [String?] = Array(repeating: "boy", count: 5) + Array(repeating: "girl", count: 5)
    let grid = Table([
      ("months", .numeric(months)), ("sex", .text(sex)),
      ("anxiety", .numeric([Double](repeating: 0, count: 10))),
    ])
    let preds = try r.predict(grid)
    XCTAssertEqual(r.fixedColumns, ["(Intercept)", "months", "sexgirl", "anxiety", "months:sexgirl", "months:anxiety"])
    let b = r.beta
    for (i, pr) in preds.enumerated() {
      let girl = sex[i] == "girl" ? 1.0 : 0.0
      let x = [1, months[i], girl, 0, months[i] * girl, 0]
      let fit = zip(x, b).reduce(0) { $0 + $1.0 * $1.1 }
      assertClose(pr.fit, fit, rel: 1e-12, "fit \(i)")
      assertClose(pr.se, r.vcov.quadraticForm(x).squareRoot(), rel: 1e-12, "se \(i)")
      assertClose(pr.ciUpper - pr.fit, 1.959963984540054 * pr.se, rel: 1e-12, "band \(i)")
    }
    XCTAssertThrowsError(
      try r.predict(Table([("months", .numeric([1])), ("sex", .text(["other"])), ("anxiety", .numeric([0]))])))
  }
}
