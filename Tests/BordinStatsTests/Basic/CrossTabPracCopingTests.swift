import XCTest

@testable import BordinStats

/// Cross-tabulations of the simulated alliance designs against R 4.2.2: PRAC dropout before 8
/// months by child sex and by caregiver ethnicity (data/prac/wide.csv), Coping Power clinical
/// externalizing after treatment by delivery format (data/coping-power, missing outcomes dropped).
final class CrossTabPracCopingTests: XCTestCase {
  func testPracSexByDropout() throws {
    let t = try CrossTabReference.check("prac-sex-dropout")
    XCTAssertEqual(t.n, 209)
  }

  func testPracEthnicityByDropout() throws {
    try CrossTabReference.check("prac-ethnicity-dropout")
  }

  func testCopingPowerFormatByClinicalStatus() throws {
    let t = try CrossTabReference.check("coping-format-clinical")
    XCTAssertEqual(t.rowsDropped, 21)
    XCTAssertEqual(t.xLevels, ["group", "individual"])
  }
}
