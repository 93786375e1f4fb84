import BordinTestSupport
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

  /// R's `contr.sum`: level j of k has 1 in column j, the last level −1 in every column; the
  /// interaction columns are products; treatment coding is untouched by the option.
  func testSumToZeroColumns() throws {
    let data = try Fixtures.csv("data/toothgrowth.csv")
    let m = try ModelMatrix.build(try Formula.parse("len ~ supp * dose"), data: data, contrasts: .sum)
    let supp = data["supp"]!, dose = data["dose"]!
    for i in [0, 10, 20, 30, 40, 50] {
      let s = supp.string(at: i) == "OJ" ? 1.0 : -1.0
      let d: (Double, Double) = dose.string(at: i) == "0.5" ? (1, 0) : dose.string(at: i) == "1" ? (0, 1) : (-1, -1)
      XCTAssertEqual(m.x.row(i), [1, s, d.0, d.1, s * d.0, s * d.1], "row \(i): \(supp.string(at: i)!), dose \(dose.string(at: i)!)")
    }
    let treatment = try ModelMatrix.build(try Formula.parse("len ~ supp * dose"), data: data)
    XCTAssertEqual(treatment.columnNames, ["(Intercept)", "suppVC", "dose1", "dose2", "suppVC:dose1", "suppVC:dose2"])
  }
}
