import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `icc-shrout-fleiss`: Shrout & Fleiss (1979) Table 2 (6 targets × 4 judges),
/// `psych::ICC(x, lmer = FALSE)`, R 4.2.2 / psych 2.2.9. Extra literals (mean squares, 90%
/// intervals, the Coping Power informants) come from Tests/Fixtures/r/agreement-literals.R.
final class ShroutFleiss1979Tests: XCTestCase {
  static let tol = Tolerance.closedForm
  static let judges = ["J1", "J2", "J3", "J4"]

  private func ratings() throws -> [[Double]] {
    let data = try Fixtures.csv("data/shrout-fleiss.csv")
    return Self.judges.map { data.numbers($0) }
  }

  /// Every value of the reference file: ICC, F, df1, df2, p, ci_lb, ci_ub of the six forms.
  func testReferenceSixForms() throws {
    let reference = try Fixtures.reference("icc-shrout-fleiss")
    let results = try XCTUnwrap(reference["results"] as? [String: Any])
    let expected = try XCTUnwrap(results["icc"] as? [[String: Any]])
    let icc = try IntraclassCorrelation.compute(try ratings(), raters: Self.judges)
    XCTAssertEqual(icc.icc.map(\.type.rawValue), expected.compactMap { $0["type"] as? String })
    for e in expected {
      let name = try XCTUnwrap(e["type"] as? String)
      let type = try XCTUnwrap(ICCType(rawValue: name))
      let got = try XCTUnwrap(icc.estimate(type))
      func number(_ key: String) throws -> Double { try XCTUnwrap((e[key] as? NSNumber)?.doubleValue) }
      assertClose(got.icc, try number("ICC"), rel: Self.tol, "\(name) ICC")
      assertClose(got.f, try number("F"), rel: Self.tol, "\(name) F")
      XCTAssertEqual(got.df1, try number("df1"), "\(name) df1")
      XCTAssertEqual(got.df2, try number("df2"), "\(name) df2")
      assertClose(got.p, try number("p"), rel: Self.tol, "\(name) p")
      assertClose(got.ciLower, try number("ci_lb"), rel: Self.tol, "\(name) ci_lb")
      assertClose(got.ciUpper, try number("ci_ub"), rel: Self.tol, "\(name) ci_ub")
    }
    XCTAssertEqual(Double(icc.nSubjects), try XCTUnwrap((results["n_subjects"] as? NSNumber)?.doubleValue))
    XCTAssertEqual(icc.nRaters, 4)
    XCTAssertEqual(icc.rowsDropped, 0)
  }

  /// The published two-decimal values (Shrout & Fleiss 1979, Table 4).
  func testPublishedValues() throws {
    let icc = try IntraclassCorrelation.compute(try ratings(), raters: Self.judges)
    let published: [(ICCType, Double)] = [
      (.icc1, 0.17), (.icc2, 0.29), (.icc3, 0.71), (.icc1k, 0.44), (.icc2k, 0.62), (.icc3k, 0.91),
    ]
    for (type, value) in published {
      XCTAssertEqual(try XCTUnwrap(icc.estimate(type)).icc, value, accuracy: 0.005, type.rawValue)
    }
  }

  /// The ANOVA table: BMS 11.2417, JMS 32.4861, EMS 1.0194, WMS 6.2639 (R: summary(aov)).
  func testMeanSquares() throws {
    let ms = try IntraclassCorrelation.compute(try ratings(), raters: Self.judges).meanSquares
    assertClose(ms.msb, 11.241666666666665, rel: Self.tol, "MSB")
    assertClose(ms.msj, 32.486111111111121, rel: Self.tol, "MSJ")
    assertClose(ms.mse, 1.0194444444444455, rel: Self.tol, "MSE")
    assertClose(ms.msw, 6.2638888888888919, rel: Self.tol, "MSW")
    assertClose(ms.fRaters, 32.486111111111121 / 1.0194444444444455, rel: Self.tol, "F judges")
  }

  /// `ICC(x, lmer = FALSE, alpha = .10)`: 90% bounds.
  func testNinetyPercentBounds() throws {
    let icc = try IntraclassCorrelation.compute(try ratings(), raters: Self.judges, level: 0.90)
    let expected: [(ICCType, Double, Double)] = [
      (.icc1, -0.096722203657742381, 0.64339831070442288),
      (.icc2, 0.042901191540539819, 0.69107060661835651),
      (.icc3, 0.41183413091904369, 0.92583280768027942),
      (.icc1k, -0.54504172473686952, 0.87830103540640736),
      (.icc2k, 0.15203705385595784, 0.89947670011362491),
      (.icc3k, 0.73689767857705191, 0.98036605604721416),
    ]
    for (type, lb, ub) in expected {
      let e = try XCTUnwrap(icc.estimate(type))
      assertClose(e.ciLower, lb, rel: Self.tol, "\(type.rawValue) 90% lb")
      assertClose(e.ciUpper, ub, rel: Self.tol, "\(type.rawValue) 90% ub")
    }
  }

  /// Two informants with large n: child and therapist bond ratings of Coping Power (348 complete
  /// rows; 12 dropped for a missing child rating). R: `ICC(cc[, c("bond_child",
  /// "bond_therapist")], lmer = FALSE)` on complete cases.
  func testTwoInformantsCopingPower() throws {
    let data = try Fixtures.csv("data/coping-power-sim.csv")
    let icc = try IntraclassCorrelation.compute(
      [data.numbers("bond_child"), data.numbers("bond_therapist")],
      raters: ["bond_child", "bond_therapist"])
    XCTAssertEqual(icc.nSubjects, 348)
    XCTAssertEqual(icc.rowsDropped, 12)
    let expected: [(ICCType, [Double])] = [
      (.icc1, [0.37785772114491506, 2.2146987401025968, 347, 348, 1.3068698122771189e-13, 0.28420698780254877, 0.46437890234011708]),
      (.icc2, [0.40345697402205227, 2.5691109333392417, 347, 347, 3.1527453635010367e-18, 0.26890700066149181, 0.51530099469380708]),
      (.icc3, [0.43963635836647691, 2.5691109333392417, 347, 347, 3.1527453635010367e-18, 0.35083049868432137, 0.52060504296865973]),
      (.icc1k, [0.54847131942032235, 2.2146987401025968, 347, 348, 1.3068698122771189e-13, 0.44261865961166469, 0.63423325970898248]),
      (.icc2k, [0.57494740699576696, 2.5691109333392417, 347, 347, 3.1527453635010367e-18, 0.42384036106871248, 0.68013021373081406]),
      (.icc3k, [0.61076028791787729, 2.5691109333392417, 347, 347, 3.1527453635010367e-18, 0.51942934220988102, 0.68473407394768127]),
    ]
    for (type, v) in expected {
      let e = try XCTUnwrap(icc.estimate(type))
      let got = [e.icc, e.f, e.df1, e.df2, e.p, e.ciLower, e.ciUpper]
      for (k, name) in ["ICC", "F", "df1", "df2", "p", "ci_lb", "ci_ub"].enumerated() {
        assertClose(got[k], v[k], rel: Self.tol, "\(type.rawValue) \(name)")
      }
    }
  }

  func testSelectedForms() throws {
    let icc = try IntraclassCorrelation.compute(
      try ratings(), raters: Self.judges, types: [.icc3k, .icc2])
    XCTAssertEqual(icc.icc.map(\.type), [.icc2, .icc3k])
    XCTAssertNil(icc.estimate(.icc1))
  }

  /// Long data (target, informant, score) → wide gives the same ICCs; an informant's missing
  /// rating drops that target.
  func testLongToWide() throws {
    let wide = try ratings()
    var target: [String?] = []
    var informant: [String?] = []
    var score: [Double] = []
    for (j, column) in wide.enumerated().reversed() {  // informants out of order
      for (i, v) in column.enumerated() {
        target.append("S\(i + 1)")
        informant.append(Self.judges[j])
        score.append(v)
      }
    }
    let w = try IntraclassCorrelation.wide(target: target, informant: informant, score: score)
    XCTAssertEqual(w.raters, ["J4", "J3", "J2", "J1"])
    XCTAssertEqual(w.targets, (1...6).map { "S\($0)" })
    XCTAssertEqual(w.columns[3], wide[0])
    let icc = try IntraclassCorrelation.compute(w.columns, raters: w.raters)
    let direct = try IntraclassCorrelation.compute(wide, raters: Self.judges)
    for (a, b) in zip(icc.icc, direct.icc) { assertClose(a.icc, b.icc, rel: 1e-12, a.type.rawValue) }

    // Drop one rating: target S2 has no J3 score and is dropped listwise.
    let keep = target.indices.filter { !(target[$0] == "S2" && informant[$0] == "J3") }
    let w2 = try IntraclassCorrelation.wide(
      target: keep.map { target[$0] }, informant: keep.map { informant[$0] },
      score: keep.map { score[$0] })
    XCTAssertTrue(w2.columns[1][1].isNaN)
    let icc2 = try IntraclassCorrelation.compute(w2.columns, raters: w2.raters)
    XCTAssertEqual(icc2.nSubjects, 5)
    XCTAssertEqual(icc2.rowsDropped, 1)
  }

  func testErrors() throws {
    let r = try ratings()
    XCTAssertThrowsError(try IntraclassCorrelation.compute([r[0]], raters: ["J1"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-raters")
      XCTAssertTrue(($0 as? StatsError)?.message.contains("'J1'") ?? false)
    }
    XCTAssertThrowsError(
      try IntraclassCorrelation.compute([[1, .nan, 3], [2, 2, .nan]], raters: ["a", "b"])
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(
      try IntraclassCorrelation.compute([[4, 4, 4], [4, 4, 4]], raters: ["child", "parent"])
    ) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "zero-variance")
      XCTAssertTrue(e?.message.contains("'child'") ?? false)
    }
    XCTAssertThrowsError(
      try IntraclassCorrelation.compute([[1, 2, 3], [2, 3, 4]], raters: ["child", "parent"])
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "no-residual-variance")
    }
    XCTAssertThrowsError(
      try IntraclassCorrelation.wide(
        target: ["a", "a", "b"], informant: ["x", "x", "y"], score: [1, 2, 3])
    ) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "duplicate-rating")
      XCTAssertTrue(e?.message.contains("'a'") ?? false)
    }
    XCTAssertThrowsError(
      try IntraclassCorrelation.wide(target: ["a", "b"], informant: ["x", "x"], score: [1, 2])
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-raters")
    }
    XCTAssertThrowsError(try IntraclassCorrelation.compute(r, raters: Self.judges, level: 1)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-level")
    }
  }
}
