import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Tests/Fixtures/meta-escalc.json (Tests/Fixtures/r/meta-escalc.R, metafor 3.8-1): effect sizes
/// from the 2 × 2 tables of metadat::dat.bcg (BCG vaccine trials: tpos, tneg, cpos, cneg) as
/// `escalc("OR" | "RR" | "RD")`, pooled by REML; and a made-up set with zero cells for the
/// continuity correction (add = 1/2, to = "only0") and drop00. DESIGN §9: yᵢ, vᵢ closed form
/// (1e-10); REML estimates 1e-5 (the estimate and CI bounds within 1e-5 standard errors).
final class BCGEscalcTests: XCTestCase {
  private var bcg = Table()
  private var zero = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    bcg = try Fixtures.csv("data/meta-bcg-counts.csv")
    zero = try Fixtures.csv("data/meta-zero-cells.csv")
    results = try XCTUnwrap(try Fixtures.reference("meta-escalc")["results"] as? [String: Any])
  }

  private func ref(_ name: String) throws -> [String: Any] { try XCTUnwrap(results[name] as? [String: Any], name) }

  private func assertEffects(_ e: MetaEffects, _ name: String) throws {
    let r = try ref(name)
    let yi = try XCTUnwrap(r["yi"] as? [Any]), vi = try XCTUnwrap(r["vi"] as? [Any])
    XCTAssertEqual(e.rowCount, yi.count, name)
    for i in yi.indices {
      if let y = yi[i] as? Double, let v = vi[i] as? Double {
        assertClose(e.yi[i], y, rel: 1e-10, "\(name) yi[\(i)]")
        assertClose(e.vi[i], v, rel: 1e-10, "\(name) vi[\(i)]")
      } else {
        XCTAssertTrue(e.yi[i].isNaN && e.vi[i].isNaN, "\(name) row \(i + 1) should be missing (drop00)")
      }
    }
  }

  private func bcgEffects(_ m: MetaEffects.Measure) throws -> MetaEffects {
    try MetaEffects.twoByTwo(m, ai: bcg.numbers("tpos"), bi: bcg.numbers("tneg"), ci: bcg.numbers("cpos"), di: bcg.numbers("cneg"))
  }

  private func assertFit(_ m: MetaEffects.Measure, _ name: String) throws {
    let e = try bcgEffects(m)
    try assertEffects(e, name)
    let r = try ref(name)
    let f = try MetaAnalysis.fit(e)
    let num = { (k: String) throws -> Double in try XCTUnwrap(r[k] as? Double, "\(name) \(k)") }
    XCTAssertEqual(f.k, r["k"] as? Int)
    XCTAssertEqual(f.measure, m)
    let se = try num("se")
    for (k, v) in [("estimate", f.estimate), ("ci_lb", f.ciLower), ("ci_ub", f.ciUpper), ("pi_lb", f.piLower ?? .nan), ("pi_ub", f.piUpper ?? .nan)] {
      XCTAssertEqual(v, try num(k), accuracy: 1e-5 * se, "\(name) \(k)")
    }
    for (k, v) in [("se", f.se), ("z", f.z ?? .nan), ("p", f.p), ("tau2", f.tau2), ("I2", f.I2), ("H2", f.H2)] {
      assertClose(v, try num(k), rel: Tolerance.optimisedEstimate, "\(name) \(k)")
    }
    assertClose(f.Q, try num("Q"), rel: Tolerance.closedForm, "\(name) Q")
    assertClose(f.QP, try num("Q_p"), rel: Tolerance.closedForm, "\(name) Q_p")
    if m.isLogRatio {
      // predict(res, transf = exp): exp of the estimate and of the bounds.
      for (k, v) in [("exp_estimate", f.estimate), ("exp_ci_lb", f.ciLower), ("exp_ci_ub", f.ciUpper)] {
        assertClose(exp(v), try num(k), rel: Tolerance.optimisedEstimate, "\(name) \(k)")
      }
    }
  }

  /// Log risk ratios: the yi/vi of shared/reference meta-bcg, now from the counts; REML
  /// estimate −0.7145 (RR 0.489), τ² 0.3132.
  func testRiskRatio() throws {
    try assertFit(.logRiskRatio, "bcg_RR")
    let given = try Fixtures.csv("data/meta-bcg.csv")
    let e = try bcgEffects(.logRiskRatio)
    for i in 0..<13 { assertClose(e.yi[i], try given.numbers("yi")[i], rel: 1e-12, "yi[\(i)] against meta-bcg.csv") }
    XCTAssertEqual(e.ni?[0], 4 + 119 + 11 + 128)
  }

  func testOddsRatio() throws { try assertFit(.logOddsRatio, "bcg_OR") }
  func testRiskDifference() throws { try assertFit(.riskDifference, "bcg_RD") }

  /// Zero cells: ½ added to the four cells of a table with a zero (rows A, B, C, E), not to D.
  func testZeroCellsContinuityCorrection() throws {
    for (m, name) in [(MetaEffects.Measure.logRiskRatio, "zero_RR"), (.logOddsRatio, "zero_OR"), (.riskDifference, "zero_RD")] {
      try assertEffects(try MetaEffects.twoByTwo(m, ai: zero.numbers("ai"), bi: zero.numbers("bi"), ci: zero.numbers("ci"), di: zero.numbers("di")), name)
    }
  }

  /// drop00: row C (no events in either group) is left missing.
  func testDrop00() throws {
    for (m, name) in [(MetaEffects.Measure.logRiskRatio, "zero_RR_drop00"), (.logOddsRatio, "zero_OR_drop00")] {
      let e = try MetaEffects.twoByTwo(m, ai: zero.numbers("ai"), bi: zero.numbers("bi"), ci: zero.numbers("ci"), di: zero.numbers("di"), drop00: true)
      try assertEffects(e, name)
      XCTAssertEqual(e.completeRows, [0, 1, 3, 4])
    }
  }

  /// ai + n1i, ci + n2i: bi = n1i − ai gives the same tables.
  func testGroupSizeLayout() throws {
    let b = try MetaEffects.nonEvents(events: bcg.numbers("tpos"), sizes: bcg.numbers("n1"), names: ("ai", "n1i"))
    XCTAssertEqual(b, try bcg.numbers("tneg"))
    XCTAssertThrowsError(try MetaEffects.nonEvents(events: [5], sizes: [4], names: ("ai", "n1i"))) {
      XCTAssertEqual(($0 as? StatsError)?.code, "count-exceeds-size")
    }
  }

  func testBadCounts() {
    XCTAssertThrowsError(try MetaEffects.twoByTwo(.logOddsRatio, ai: [1, -1], bi: [2, 2], ci: [3, 3], di: [4, 4])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "negative-count")
      XCTAssertTrue(($0 as? StatsError)?.message.contains("row 2") ?? false)
    }
    XCTAssertThrowsError(try MetaEffects.twoByTwo(.logRiskRatio, ai: [1.5], bi: [2], ci: [3], di: [4])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "non-integer-count")
    }
    XCTAssertThrowsError(try MetaEffects.twoByTwo(.riskDifference, ai: [1], bi: [2, 3], ci: [3], di: [4])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "length-mismatch")
    }
    // A missing count leaves the row missing, not an error.
    let e = try? MetaEffects.twoByTwo(.logOddsRatio, ai: [1, .nan], bi: [2, 2], ci: [3, 3], di: [4, 4])
    XCTAssertEqual(e?.completeRows, [0])
  }
}
