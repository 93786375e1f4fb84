import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `meta-molloy2014-moderators`: REML meta-regressions of the Fisher-z
/// correlations of dat.molloy2014 on `meanage` (continuous) and `design` (a factor; R's term
/// `designprospective`), `rma(yi, vi, mods = ~ …)`, metafor 3.8-1. Every number is an
/// iterative-fit quantity: 1e-5 relative (QE, a closed form, at 1e-8).
final class Molloy2014ModeratorTests: XCTestCase {
  private var data = Table()
  private var effects: MetaEffects!
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/meta-molloy2014.csv")
    effects = try MetaEffects.correlations(r: data.numbers("ri"), n: data.numbers("ni"))
    results = try MetaReference.results("meta-molloy2014-moderators")
  }

  private func check(_ mods: String, block name: String, terms: [String]) throws -> MetaResult {
    let r = try MetaAnalysis.fit(effects, mods: mods, data: data)
    let b = try MetaReference.block(results, name)
    XCTAssertEqual(r.coefficients.map(\.term), terms)
    let coef = try XCTUnwrap(b["coef"] as? [String: Any])
    let se = try XCTUnwrap(b["se"] as? [String: Any])
    let test = "molloy mods \(name)"
    for term in terms {
      let c = try XCTUnwrap(r.coefficient(term))
      let e = try MetaReference.number(coef, term)
      let s = try MetaReference.number(se, term)
      assertClose(c.estimate, e, rel: Tolerance.optimisedEstimate, "\(term) estimate")
      assertClose(c.se, s, rel: Tolerance.optimisedEstimate, "\(term) se")
      MetaReference.note(test, "\(term) estimate", c.estimate, e)
      MetaReference.note(test, "\(term) se", c.se, s)
    }
    XCTAssertEqual(r.QMDf, 1)
    XCTAssertNil(r.QMDf2)
    XCTAssertEqual(r.QDf, 14)
    XCTAssertNil(r.piLower)
    XCTAssertNil(r.r)
    assertMetaBlock(
      r, b, skip: ["coef", "se"], test: test,
      tolerance: { ["QE", "k"].contains($0) ? Tolerance.closedForm : Tolerance.optimisedEstimate })
    MetaReference.report(test)
    return r
  }

  /// `rma(yi, vi, mods = ~ meanage)`: QM(1) = 1.4286, R² = 11.76%.
  func testMeanAge() throws {
    let r = try check("~ meanage", block: "meanage", terms: ["intrcpt", "meanage"])
    XCTAssertNotNil(r.R2)
  }

  /// `rma(yi, vi, mods = ~ design)`: treatment contrast against "cross-sectional". metafor's R²
  /// is not in the reference (it prints 0%: τ² 0.00895 > τ²₀ 0.00811, truncated at 0).
  func testDesign() throws {
    let r = try check("design", block: "design", terms: ["intrcpt", "designprospective"])
    XCTAssertEqual(r.R2, 0)
  }

  /// The subgroup analysis by `design`: its test of subgroup differences is the QM of the
  /// `~ design` model (common τ²).
  func testSubgroupsByDesign() throws {
    let s = try MetaSubgroups.analyze(effects, moderator: "design", data: data)
    let b = try MetaReference.block(results, "design")
    XCTAssertEqual(s.groups.map(\.level), ["cross-sectional", "prospective"])
    XCTAssertEqual(s.groups.map(\.k), [5, 11])
    assertClose(s.QM, try MetaReference.number(b, "QM"), rel: Tolerance.optimisedEstimate, "QM")
    assertClose(s.QMP, try MetaReference.number(b, "QM_p"), rel: Tolerance.optimisedEstimate, "QM_p")
    XCTAssertEqual(s.QMDf, 1)
  }
}
