import XCTest

@testable import BordinStats

/// ANCOVA on the simulated Coping Power alliance data (data/coping-power, 360 children, 21 with
/// a missing post score): post-treatment externalizing on delivery format adjusted for the
/// baseline score, and with a format × sex interaction, type 2 and 3, against R
/// (Tests/Fixtures/r/anova-references.R).
final class CopingPowerAncovaTests: XCTestCase {
  func testFormatAdjustedForBaseline() throws {
    let t2 = try AnovaReference.check("coping-ancova-2")
    try AnovaReference.check("coping-ancova-3")
    XCTAssertEqual(t2.n, 339)
    XCTAssertEqual(t2.rowsDropped, 21)
  }

  func testFormatBySexAdjustedForBaseline() throws {
    let t2 = try AnovaReference.check("coping-twoway-2")
    XCTAssertEqual(t2.terms.map(\.term), ["format", "sex", "ext_pre", "format:sex"])
    try AnovaReference.check("coping-twoway-3")
  }
}
