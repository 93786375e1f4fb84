import BordinTestSupport
import XCTest

@testable import BordinStats

/// `car::Anova` on R's warpbreaks (Tippett 1950; breaks ~ wool * tension, 9 looms per cell) and on
/// an unbalanced subset of it (10 rows removed: 6 to 9 per cell), type 2 and type 3, against
/// R 4.2.2 + car 3.1.1 + effectsize 0.8.3 (Tests/Fixtures/r/anova-references.R).
final class WarpbreaksAnovaTests: XCTestCase {
  /// One-way: type 2 has the tension row only; type 3 adds `(Intercept)` (no partial η²).
  func testOneWay() throws {
    let t2 = try AnovaReference.check("warpbreaks-oneway-2")
    XCTAssertEqual(t2.terms.map(\.term), ["tension"])
    let t3 = try AnovaReference.check("warpbreaks-oneway-3")
    XCTAssertEqual(t3.terms.map(\.term), ["(Intercept)", "tension"])
    XCTAssertNil(t3.terms[0].eta2Partial)
    // One factor: type 2 and type 3 agree on the term (it is adjusted for nothing else).
    assertClose(t3.term("tension")?.ss, t2.terms[0].ss, rel: 1e-12, "tension SS, type 2 = type 3")
  }

  /// Balanced two-way: type 2 and type 3 give the same SS for every term (orthogonal design).
  func testBalancedTwoWay() throws {
    let t2 = try AnovaReference.check("warpbreaks-2")
    let t3 = try AnovaReference.check("warpbreaks-3")
    for t in t2.terms { assertClose(t3.term(t.term)?.ss, t.ss, rel: 1e-10, "\(t.term): balanced ⇒ type 2 = type 3") }
    XCTAssertEqual(t2.residualDF, 48)
  }

  /// Unbalanced two-way: the main effects' SS differ between type 2 and type 3.
  func testUnbalancedTwoWay() throws {
    let t2 = try AnovaReference.check("warpbreaks-unbalanced-2")
    let t3 = try AnovaReference.check("warpbreaks-unbalanced-3")
    XCTAssertGreaterThan(abs(t2.term("wool")!.ss - t3.term("wool")!.ss), 1, "unbalanced: type 2 ≠ type 3 for wool")
    assertClose(t3.term("wool:tension")?.ss, t2.term("wool:tension")!.ss, rel: 1e-10, "the highest-order term is the same in both")
  }

  /// An empty cell (no wool B at tension H): type 2 drops the aliased interaction column, as car
  /// does, so the interaction has 1 df instead of 2, and says so; type 3 refuses the design.
  func testEmptyCellTypeTwo() throws {
    let fit = try AnovaReference.check("warpbreaks-empty-cell-2")
    XCTAssertEqual(fit.term("wool:tension")?.df, 1)
    XCTAssertEqual(fit.warnings.count, 1)
    XCTAssertTrue(fit.warnings.first?.contains("'woolB:tensionM'") ?? false, "\(fit.warnings)")
    let data = try Fixtures.csv("data/warpbreaks-empty-cell.csv")
    XCTAssertThrowsError(try AnalysisOfVariance.fit("breaks ~ wool * tension", data: data, type: 3)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "empty-cell")
      XCTAssertTrue((e as? StatsError)?.message.contains("wool = B, tension = H") ?? false, "\(e)")
    }
  }
}
