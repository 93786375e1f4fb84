import XCTest

@testable import BordinStats

/// `car::Anova` on R's ToothGrowth (Crampton 1947; len ~ supp * dose with dose a three-level
/// factor, 10 guinea pigs per cell), type 2 and 3, against R (Tests/Fixtures/r/anova-references.R).
final class ToothGrowthAnovaTests: XCTestCase {
  func testTypeTwo() throws {
    let fit = try AnovaReference.check("toothgrowth-2")
    XCTAssertEqual(fit.terms.map(\.df), [1, 2, 2])
  }

  func testTypeThree() throws {
    let fit = try AnovaReference.check("toothgrowth-3")
    XCTAssertEqual(fit.terms.first?.term, "(Intercept)")
    // Type 3's model is coded with sum-to-zero contrasts, named as R names them.
    XCTAssertEqual(fit.model.terms, ["(Intercept)", "supp1", "dose1", "dose2", "supp1:dose1", "supp1:dose2"])
  }
}
