import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `meta-molloy2014`: metadat::dat.molloy2014 (16 correlations between
/// conscientiousness and medication adherence), `escalc("ZCOR")`, `rma()` with all nine τ²
/// estimators, Knapp–Hartung, `regtest`, `trimfill`, `ranktest` (metafor 3.8-1, R 4.2.2).
///
/// Tolerances by quantity kind (DESIGN.md §9): closed-form estimators (FE, DL, HE, SJ, HS) and Q
/// at 1e-8; the iterative ML/REML/EB fits at 1e-5; PM τ² (and every value that follows from it)
/// and every Q-profile bound at 1e-6 against Tests/Fixtures/roots-tight.json (roots at rounding on
/// both sides; the shared file's are at uniroot's default tolerance, up to 3.4e-3 off). Q and its
/// p-value are closed form in every model.
final class Molloy2014Tests: XCTestCase {
  private var effects: MetaEffects!
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    let data = try Fixtures.csv("data/meta-molloy2014.csv")
    effects = try MetaEffects.correlations(r: data.numbers("ri"), n: data.numbers("ni"))
    results = try MetaReference.results("meta-molloy2014")
  }

  private func check(_ method: MetaMethod) throws {
    let r = try MetaAnalysis.fit(effects, options: MetaOptions(method: method))
    XCTAssertEqual(r.k, 16)
    XCTAssertEqual(r.rowsDropped, 0)
    XCTAssertEqual(r.QDf, 15)
    let name = "molloy \(method.rawValue)"
    assertMetaBlock(
      r, try MetaReference.block(results, method.rawValue), test: name,
      tolerance: MetaReference.tolerance(method: method))
    MetaReference.report(name)
  }

  func testFE() throws { try check(.FE) }
  func testDL() throws { try check(.DL) }
  func testREML() throws { try check(.REML) }
  func testML() throws { try check(.ML) }
  func testPM() throws { try check(.PM) }
  func testHE() throws { try check(.HE) }
  func testSJ() throws { try check(.SJ) }
  func testEB() throws { try check(.EB) }
  func testHS() throws { try check(.HS) }

  /// `rma(yi, vi, test = "knha")`: t(15) test and CI with the Knapp–Hartung SE.
  func testREMLKnappHartung() throws {
    let r = try MetaAnalysis.fit(effects, options: MetaOptions(method: .REML, test: .knha))
    XCTAssertNil(r.z)
    XCTAssertEqual(r.df, 15)
    let name = "molloy REML knha"
    assertMetaBlock(
      r, try MetaReference.block(results, "REML_knha"), test: name,
      tolerance: { _ in Tolerance.optimisedEstimate })
    MetaReference.report(name)
  }

  /// `regtest(rma(yi, vi))`: model "rma" (REML), predictor "sei", z test; the limit estimate is
  /// the intercept. REML-fitted: 1e-5.
  func testEgger() throws {
    let model = try MetaAnalysis.fit(effects)
    let e = try PublicationBias.egger(model)
    let b = try MetaReference.block(results, "egger")
    let tol = Tolerance.optimisedEstimate
    assertClose(e.z, try MetaReference.number(b, "z"), rel: tol, "z")
    XCTAssertNil(e.t)
    assertClose(e.p, try MetaReference.number(b, "p"), rel: tol, "p")
    assertClose(e.limitEstimate, try MetaReference.number(b, "limit_estimate"), rel: tol, "limit")
    assertClose(e.limitCiLower, try MetaReference.number(b, "limit_ci_lb"), rel: tol, "limit_ci_lb")
    assertClose(e.limitCiUpper, try MetaReference.number(b, "limit_ci_ub"), rel: tol, "limit_ci_ub")
    for (key, v) in [("z", e.z!), ("p", e.p), ("limit_estimate", e.limitEstimate!),
                     ("limit_ci_lb", e.limitCiLower!), ("limit_ci_ub", e.limitCiUpper!)] {
      MetaReference.note("molloy egger", key, v, try MetaReference.number(b, key))
    }
    MetaReference.report("molloy egger")
  }

  /// `trimfill(rma(yi, vi))`: L0, side chosen from the √vi slope (left), k0 = 2, REML refit.
  ///
  /// metafor's trimfill refits the filled data with its default control (threshold 1e-5, not
  /// the fit's), so the shared reference's refit is 2.6e-4 (τ²) off the optimum; the refit is
  /// asserted against the same refit at the optimum (meta-extra.json `molloy_trimfill_optimum`:
  /// R's filled values, which are themselves ~1e-6 off, hence τ² at the variance tolerance and
  /// no logLik: the data are not exactly the same).
  func testTrimFill() throws {
    let model = try MetaAnalysis.fit(effects)
    let tf = try PublicationBias.trimFill(model)
    let b = try MetaReference.block(results, "trimfill")
    XCTAssertEqual(Double(tf.k0), try MetaReference.number(b, "k0"))
    XCTAssertEqual(tf.side.rawValue, b["side"] as? String)
    XCTAssertEqual(tf.filled.count, 2)
    XCTAssertEqual(tf.model.k, 18)
    let name = "molloy trimfill"
    let optimum = try MetaReference.block(try MetaReference.results("meta-extra"), "molloy_trimfill_optimum")
    assertMetaBlock(
      tf.model, optimum, skip: ["method", "k", "logLik"], test: name,
      tolerance: { key in
        // p is a function of z: a relative error ε in z is ≈ z²ε in p.
        if key == "p" { return Tolerance.optimisedEstimate * max(1, tf.model.z.map { $0 * $0 } ?? 1) }
        return ["tau2", "se_tau2", "I2", "H2"].contains(key) ? Tolerance.variance : Tolerance.optimisedEstimate
      })
    MetaReference.report(name)
  }

  /// `ranktest(rma(yi, vi))`: the variances have ties (equal n), so R uses the normal
  /// approximation with tie correction (and warns that the exact p cannot be computed).
  func testRankTest() throws {
    let model = try MetaAnalysis.fit(effects)
    let rt = try PublicationBias.rankTest(model)
    let b = try MetaReference.block(results, "ranktest")
    XCTAssertFalse(rt.exact)
    assertClose(rt.tau, try MetaReference.number(b, "tau"), rel: Tolerance.closedForm, "tau")
    assertClose(rt.p, try MetaReference.number(b, "p"), rel: Tolerance.closedForm, "p")
    MetaReference.note("molloy ranktest", "tau", rt.tau, try MetaReference.number(b, "tau"))
    MetaReference.note("molloy ranktest", "p", rt.p, try MetaReference.number(b, "p"))
    MetaReference.report("molloy ranktest")
  }
}
