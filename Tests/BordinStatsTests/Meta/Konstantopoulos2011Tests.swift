import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `meta3-konstantopoulos2011`: metadat::dat.konstantopoulos2011, 56 studies of
/// modified school calendars in 11 districts, `rma.mv(yi, vi, random = ~ 1 | district/school)`
/// with REML (metafor 3.8-1, nlminb). Estimates and SEs at 1e-5, σ² (variance parameters) at
/// 1e-4, logLik at 1e-6 absolute, Q (closed form) at 1e-8.
final class Konstantopoulos2011Tests: XCTestCase {
  private var data = Table()
  private var effects: MetaEffects!
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/meta-konstantopoulos2011.csv")
    effects = try MetaEffects(yi: data.numbers("yi"), vi: data.numbers("vi"))
    results = try MetaReference.results("meta3-konstantopoulos2011")
  }

  func testThreeLevelREML() throws {
    let r = try MetaMultilevel.fit(effects, random: "~ 1 | district/school", data: data)
    let b = results
    let test = "konstantopoulos REML"
    XCTAssertEqual(r.k, try MetaReference.number(b, "k").rounded().asInt)
    XCTAssertEqual(r.sigma2.map(\.name), b["sigma2_names"] as? [String])
    XCTAssertEqual(r.sigma2.map(\.levels), [11, 56])
    let sigma2 = try XCTUnwrap(b["sigma2"] as? [NSNumber]).map(\.doubleValue)
    for (c, e) in zip(r.sigma2, sigma2) {
      assertClose(c.sigma2, e, rel: Tolerance.variance, "sigma2 \(c.name)")
      MetaReference.note(test, "sigma2 \(c.name)", c.sigma2, e)
    }
    let checks: [(String, Double, Double)] = [
      ("estimate", r.estimate, Tolerance.optimisedEstimate),
      ("se", r.se, Tolerance.optimisedEstimate),
      ("z", try XCTUnwrap(r.z), Tolerance.optimisedEstimate),
      ("p", r.p, Tolerance.optimisedEstimate),
      ("ci_lb", r.ciLower, Tolerance.optimisedEstimate),
      ("ci_ub", r.ciUpper, Tolerance.optimisedEstimate),
      ("Q", r.Q, Tolerance.closedForm),
      ("Q_p", r.QP, Tolerance.closedForm),
    ]
    for (key, value, tol) in checks {
      let e = try MetaReference.number(b, key)
      assertClose(value, e, rel: tol, key)
      MetaReference.note(test, key, value, e)
    }
    let ll = try MetaReference.number(b, "logLik")
    XCTAssertEqual(r.logLik, ll, accuracy: Tolerance.objectiveAbsolute, "logLik")
    XCTAssertGreaterThanOrEqual(r.logLik, ll - 1e-12, "logLik never worse than metafor's")
    MetaReference.note(test, "logLik (absolute)", abs(r.logLik - ll), 0)
    XCTAssertEqual(r.QDf, 55)
    MetaReference.report(test)
  }
}

extension Double {
  fileprivate var asInt: Int { Int(self) }
}
