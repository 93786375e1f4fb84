import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// `rma.mv(yi, vi, random = ~ 1 | district/school, test = "t")` on metadat's
/// dat.konstantopoulos2011 (metafor 3.8-1, bobyqa rhoend 1e-12; Tests/Fixtures/r/meta-multilevel-t.R
/// → meta-multilevel-t.json): t statistics with k − p df, t CIs, F(m, k − p) for QM, and the
/// prediction interval with the t(k − p) quantile. Optimised quantities at 1e-5 (DESIGN §9).
final class MetaMultilevelTTests: XCTestCase {
  private var data = Table()
  private var effects: MetaEffects!
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/meta-konstantopoulos2011.csv")
    effects = try MetaEffects(yi: data.numbers("yi"), vi: data.numbers("vi"))
    results = try MetaReference.results("meta-multilevel-t")
  }

  private func values(_ b: [String: Any], _ key: String) throws -> [Double] {
    if let a = b[key] as? [NSNumber] { return a.map(\.doubleValue) }
    return [try MetaReference.number(b, key)]
  }

  private func check(_ r: MultilevelMetaResult, _ key: String, pi: Bool) throws {
    let b = try MetaReference.block(results, key)
    let tol = Tolerance.optimisedEstimate
    XCTAssertEqual(r.test, .knha)
    XCTAssertEqual(r.k, 56)
    let df = Int(try MetaReference.number(b, "df"))
    for (j, c) in r.coefficients.enumerated() {
      XCTAssertNil(c.z, "\(key) z")
      XCTAssertEqual(c.df, df, "\(key) df")
      assertClose(c.estimate, try values(b, "coef")[j], rel: tol, "\(key) coef \(j)")
      assertClose(c.se, try values(b, "se")[j], rel: tol, "\(key) se \(j)")
      assertClose(c.t, try values(b, "t")[j], rel: tol, "\(key) t \(j)")
      assertClose(c.p, try values(b, "p")[j], rel: tol, "\(key) p \(j)")
      assertClose(c.ciLower, try values(b, "ci_lb")[j], rel: tol, "\(key) ci_lb \(j)")
      assertClose(c.ciUpper, try values(b, "ci_ub")[j], rel: tol, "\(key) ci_ub \(j)")
    }
    XCTAssertNil(r.z)
    XCTAssertEqual(r.df, df)
    assertClose(r.t, try values(b, "t")[0], rel: tol, "\(key) t")
    assertClose(r.QM, try MetaReference.number(b, "QM"), rel: tol, "\(key) QM")
    assertClose(r.QMP, try MetaReference.number(b, "QM_p"), rel: tol, "\(key) QM_p")
    XCTAssertEqual(r.QMDf, Int(try MetaReference.number(b, "QM_df1")))
    XCTAssertEqual(r.QMDf2, Int(try MetaReference.number(b, "QM_df2")))
    for (c, e) in zip(r.sigma2, try values(b, "sigma2")) {
      assertClose(c.sigma2, e, rel: Tolerance.variance, "\(key) sigma2 \(c.name)")
    }
    XCTAssertEqual(r.logLik, try MetaReference.number(b, "logLik"), accuracy: Tolerance.objectiveAbsolute)
    if pi {
      assertClose(r.piLower, try MetaReference.number(b, "pi_lb"), rel: tol, "\(key) pi_lb")
      assertClose(r.piUpper, try MetaReference.number(b, "pi_ub"), rel: tol, "\(key) pi_ub")
    } else {
      XCTAssertNil(r.piLower)
    }
  }

  func testInterceptOnlyT() throws {
    let r = try MetaMultilevel.fit(effects, random: "~ 1 | district/school", data: data, test: .knha)
    try check(r, "kon_t", pi: true)
    // The z fit is the same model: same estimate and SE, normal CI narrower than the t CI.
    let z = try MetaMultilevel.fit(effects, random: "~ 1 | district/school", data: data)
    XCTAssertEqual(z.se, r.se, accuracy: 1e-12)
    XCTAssertNil(z.t)
    XCTAssertGreaterThan(z.ciLower, r.ciLower)
  }

  func testLevel90T() throws {
    let r = try MetaMultilevel.fit(effects, random: "~ 1 | district/school", data: data, test: .knha, level: 0.9)
    try check(r, "kon_t_90", pi: true)
  }

  /// The multilevel Egger test: sei as a moderator, z and t.
  func testMultilevelEgger() throws {
    for (test, key) in [(MetaTest.z, "kon_egger_z"), (.knha, "kon_egger_t")] {
      let b = try MetaReference.block(results, key)
      let e = try MetaMultilevel.egger(effects, random: "~ 1 | district/school", data: data, test: test)
      let tol = Tolerance.optimisedEstimate
      assertClose(e.slope.estimate, try values(b, "coef")[1], rel: tol, "\(key) slope")
      assertClose(e.slope.se, try values(b, "se")[1], rel: tol, "\(key) slope se")
      assertClose(test == .z ? e.z : e.t, try values(b, "t")[1], rel: tol, "\(key) statistic")
      assertClose(e.p, try values(b, "p")[1], rel: tol, "\(key) p")
      assertClose(e.limitEstimate, try values(b, "coef")[0], rel: tol, "\(key) limit")
      assertClose(e.limitCiLower, try values(b, "ci_lb")[0], rel: tol, "\(key) limit ci_lb")
      assertClose(e.limitCiUpper, try values(b, "ci_ub")[0], rel: tol, "\(key) limit ci_ub")
      XCTAssertEqual(e.df, test == .z ? nil : 54)
    }
  }

  func testModeratorT() throws {
    let r = try MetaMultilevel.fit(effects, random: "~ 1 | district/school", data: data, mods: "year", test: .knha)
    try check(r, "kon_year_t", pi: false)
  }
}
