import BordinTestSupport
import XCTest

@testable import BordinStats

/// Contingency tables from the literature and R's datasets against R 4.2.2 `chisq.test` and
/// `fisher.test` (Tests/Fixtures/crosstab-references.json): the 2 × 2 example of
/// reference-algorithms-2.md, Fisher's tea tasting (Agresti 1990), Snee's (1974) hair and eye
/// colour, the infert case-control study (Trichopoulos et al. 1976), and small r × c tables for
/// the exact test.
final class CrossTabPublishedTablesTests: XCTestCase {
  /// matrix(c(12,5,7,15),2): Pearson 5.76959611595834, Yates 4.32212039121869, Fisher p
  /// 0.0248417203778233, sample OR 5.142857 with Woolf CI [1.29905865103657, 20.3601119708738].
  func testTwoByTwoOfTheNotes() throws {
    let t = try CrossTabReference.check("agresti-2x2")
    assertClose(t.chisq, 5.76959611595834, rel: 1e-13, "published X²")
    assertClose(t.fisherP, 0.0248417203778233, rel: 1e-12, "published Fisher p")
    assertClose(t.oddsRatio, 36.0 / 7, rel: 1e-15, "OR = 12·15/(7·5)")
    assertClose(t.oddsRatioCiLower, 1.29905865103657, rel: 1e-12, "Woolf lb")
    XCTAssertEqual(t.counts, [[12, 7], [5, 15]])
    XCTAssertFalse(t.corrected)
  }

  /// |O − E| < 0.5: Yates' Y = |O − E| and the corrected X² is exactly 0 (R: 0, p = 1).
  func testYatesLargerThanTheDeviation() throws {
    let c = try CrossTabReference.check("yates-zero")
    let (x, y) = try CrossTabReference.columns(try CrossTabReference.reference("yates-zero"))
    let t = try CrossTabulation.tabulate(x: x, y: y, correct: true)
    XCTAssertEqual(t.chisq, 0)
    XCTAssertEqual(t.p, 1)
    XCTAssertTrue(t.corrected)
    XCTAssertGreaterThan(c.chisq, 0)
  }

  /// Tea tasting: 3 of 4 cups right; Fisher p = 0.4857 (= 34/70), every expected count 2.
  func testTeaTasting() throws {
    let t = try CrossTabReference.check("tea-tasting")
    assertClose(t.fisherP, 34.0 / 70, rel: 1e-12, "Fisher p = 34/70")
    XCTAssertEqual(t.smallExpected, 4)
    XCTAssertTrue(t.warnings.first?.contains("expected counts are below 5") ?? false, "\(t.warnings)")
  }

  /// 3 × 3, exact: p 0.035503031826561 (FEXACT; enumeration here).
  func testFisherThreeByThree() throws {
    let t = try CrossTabReference.check("fexact-3x3", exact: true)
    assertClose(t.fisherP, 0.035503031826561, rel: 1e-12, "published r × c Fisher p")
  }

  /// Larger exact tests (R needs workspace = 2e7 for the 3 × 5): 4 × 4 n = 32, p 0.000579;
  /// 3 × 5 n = 75, p 0.000242. The bounds settle them without visiting every table.
  func testFisherFourByFourAndThreeByFive() throws {
    try CrossTabReference.check("fexact-4x4", exact: true)
    try CrossTabReference.check("fexact-3x5", exact: true)
  }

  /// 2 × 4 with small cells, exact.
  func testFisherTwoByFour() throws {
    try CrossTabReference.check("job-satisfaction", exact: true)
  }

  /// 4 × 4, n = 592: χ² 138.29 on 9 df, p 2.3e-25 (no exact test unless asked).
  func testHairEyeColour() throws {
    let t = try CrossTabReference.check("hair-eye")
    XCTAssertEqual(t.df, 9)
    XCTAssertEqual(t.xLevels, ["Black", "Blond", "Brown", "Red"])
    XCTAssertEqual(t.warnings, [])
  }

  /// infert: education (3 levels) × case (numbers 0/1 as levels), exact on a 3 × 2 table of 248.
  func testInfertEducationByCase() throws {
    let t = try CrossTabReference.check("infert-education", exact: true)
    XCTAssertEqual(t.yLevels, ["0", "1"])
  }

  /// The r × c enumeration agrees with the 2 × 2 hypergeometric sum.
  func testEnumerationAgreesWithHypergeometric() throws {
    for table in [[[12, 7], [5, 15]], [[3, 1], [1, 3]], [[0, 5], [6, 2]], [[10, 10], [10, 11]]] {
      assertClose(try FisherExact.rByC(table), FisherExact.twoByTwo(table), rel: 1e-12, "\(table)")
    }
  }
}
