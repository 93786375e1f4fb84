import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `lmm-sleepstudy-uncorrelated`: `Reaction ~ Days + (1 | Subject) +
/// (0 + Days | Subject)`, REML and ML (lme4 1.1-31, lmerTest 3.1-3). Two terms on one grouping
/// factor: the components are named `Subject` and `Subject.1`, `ngrps` counts Subject once.
final class SleepstudyUncorrelatedTests: XCTestCase {
  static let formula = "Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)"
  private var data = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/sleepstudy.csv")
    results = try XCTUnwrap(try Fixtures.reference("lmm-sleepstudy-uncorrelated")["results"] as? [String: Any])
  }

  func testREML() throws {
    let r = try MixedModel.fit(Self.formula, data: data)
    try LMMReference.assertAll(r, try XCTUnwrap(results["REML"] as? [String: Any]))
    XCTAssertEqual(r.theta.count, 2)
    XCTAssertTrue(r.converged)
    XCTAssertFalse(r.singular)
    XCTAssertEqual(r.ranef.map(\.grp), ["Subject", "Subject.1"])
  }

  func testML() throws {
    let r = try MixedModel.fit(Self.formula, data: data, options: LMMOptions(reml: false))
    try LMMReference.assertAll(r, try XCTUnwrap(results["ML"] as? [String: Any]))
  }

  /// lme4's double-bar shorthand `(Days || Subject)` expands to the same two terms.
  func testDoubleBarShorthand() throws {
    let r = try MixedModel.fit("Reaction ~ Days + (Days || Subject)", data: data)
    try LMMReference.assertAll(r, try XCTUnwrap(results["REML"] as? [String: Any]))
  }
}
