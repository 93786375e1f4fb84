import XCTest

@testable import BordinStats

/// GLMs on the other simulated designs, against R 4.2.2: a logistic model of clinical
/// externalizing after Coping Power (T ≥ 65) on the delivery format (data/coping-power), and a
/// Poisson model of the number of sessions attended (data/sessions, one row per patient).
final class GLMCopingSessionsTests: XCTestCase {
  func testCopingPowerClinicalByFormat() throws {
    let fit = try GLMReference.check("coping-clinical")
    XCTAssertEqual(fit.terms, ["(Intercept)", "formatindividual", "ext_pre", "bond_child_mid"])
  }

  func testSessionsAttendedPoisson() throws {
    let fit = try GLMReference.check("sessions-count")
    XCTAssertEqual(fit.family, .poisson)
    XCTAssertEqual(fit.n, 646)
  }
}
