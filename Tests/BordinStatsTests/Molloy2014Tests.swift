import BordinData
import XCTest

@testable import BordinStats

/// shared/reference `meta-molloy2014`: metadat::dat.molloy2014 (16 correlations between
/// conscientiousness and medication adherence), `escalc("ZCOR")`, `rma()` with all nine τ²
/// estimators, Knapp–Hartung, `regtest`, `trimfill`, `ranktest` (metafor 3.8-1, R 4.2.2).
///
/// Tolerances by quantity kind (DESIGN.md §9): closed-form estimators (FE, DL, HE, SJ, HS) and Q
/// at 1e-8; the iterative ML/REML/EB fits at 1e-5; PM τ² (and what follows from it: SE of τ², I²,
/// H²) and every Q-profile bound at 1e-3. Q and its p-value are closed form in every model.
final class Molloy2014Tests: XCTestCase {
  private var effects: MetaEffects!
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    let data = try Fixtures.csv("data/meta-molloy2014.csv")
    effects = try MetaEffects.correlations(r: data.numbers("ri"), n: data.numbers("ni"))
    results = try MetaReference.results("meta-molloy2014")
  }

  static func tolerance(method: MetaMethod) -> (String) -> Double {
    { key in
      if ["Q", "Q_df", "Q_p", "k"].contains(key) { return Tolerance.closedForm }
      if key.hasPrefix("tau2_ci") || key.hasPrefix("I2_ci") { return Tolerance.satterthwaite }
      switch method {
      case .FE, .DL, .HE, .SJ, .HS: return Tolerance.closedForm
      case .PM:
        return ["tau2", "se_tau2", "I2", "H2"].contains(key)
          ? Tolerance.satterthwaite : Tolerance.optimisedEstimate
      case .ML, .REML, .EB: return Tolerance.optimisedEstimate
      }
    }
  }

  private func check(_ method: MetaMethod) throws {
    let r = try MetaAnalysis.fit(effects, options: MetaOptions(method: method))
    XCTAssertEqual(r.k, 16)
    XCTAssertEqual(r.rowsDropped, 0)
    XCTAssertEqual(r.QDf, 15)
    let name = "molloy \(method.rawValue)"
    assertMetaBlock(
      r, try MetaReference.block(results, method.rawValue), test: name,
      tolerance: Self.tolerance(method: method))
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
}
