import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `meta-bcg`: metadat::dat.bcg log risk ratios given as yi/vi; REML
/// random-effects model and the meta-regression on absolute latitude (metafor 3.8-1).
final class BCGTests: XCTestCase {
  private var data = Table()
  private var effects: MetaEffects!
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/meta-bcg.csv")
    effects = try MetaEffects(yi: data.numbers("yi"), vi: data.numbers("vi"))
    results = try MetaReference.results("meta-bcg")
  }

  /// `rma(yi, vi)`: REML; Q, Q_p and k closed form (1e-8), the rest 1e-5, Q-profile 1e-3.
  func testREML() throws {
    let r = try MetaAnalysis.fit(effects)
    XCTAssertEqual(r.measure, .generic)
    XCTAssertNil(r.r)
    let test = "bcg REML"
    assertMetaBlock(
      r, try MetaReference.block(results, "REML"), test: test,
      tolerance: { key in
        if ["Q", "Q_df", "Q_p", "k"].contains(key) { return Tolerance.closedForm }
        if key.hasPrefix("tau2_ci") || key.hasPrefix("I2_ci") { return Tolerance.satterthwaite }
        return Tolerance.optimisedEstimate
      })
    MetaReference.report(test)
  }

  /// `rma(yi, vi, mods = ~ ablat)`: coefficients, SEs, QM, τ², R² = 75.62%.
  func testAbsoluteLatitude() throws {
    let r = try MetaAnalysis.fit(effects, mods: "~ ablat", data: data)
    let b = try MetaReference.block(results, "ablat")
    let coef = try XCTUnwrap(b["coef"] as? [String: Any])
    let se = try XCTUnwrap(b["se"] as? [String: Any])
    let test = "bcg ablat"
    XCTAssertEqual(r.coefficients.map(\.term), ["intrcpt", "ablat"])
    for term in ["intrcpt", "ablat"] {
      let c = try XCTUnwrap(r.coefficient(term))
      assertClose(c.estimate, try MetaReference.number(coef, term), rel: Tolerance.optimisedEstimate, "\(term)")
      assertClose(c.se, try MetaReference.number(se, term), rel: Tolerance.optimisedEstimate, "\(term) se")
      MetaReference.note(test, "\(term) estimate", c.estimate, try MetaReference.number(coef, term))
      MetaReference.note(test, "\(term) se", c.se, try MetaReference.number(se, term))
    }
    assertMetaBlock(
      r, b, skip: ["coef", "se"], test: test, tolerance: { _ in Tolerance.optimisedEstimate })
    MetaReference.report(test)
  }
}
