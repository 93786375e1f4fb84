import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `basic-coping-power`, block `rsa`: the polynomial regression of ext_post on
/// child and therapist bond (control ext_pre, 348 complete rows) and a1–a5, through
/// ``DiscrepancyModel``; plus the difference-score model, Edwards' constraint test and the fitted
/// surface, from Tests/Fixtures/r/agreement-literals.R, part 6 (R 4.2.2 `lm`, `anova`, `predict`).
final class CopingPowerRSATests: XCTestCase {
  static let tol = Tolerance.closedForm

  private var data = Table()
  private var rsa: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/coping-power-sim.csv")
    let results = try XCTUnwrap(try Fixtures.reference("basic-coping-power")["results"] as? [String: Any])
    rsa = try XCTUnwrap(results["rsa"] as? [String: Any])
  }

  private func fit() throws -> DiscrepancyResult {
    // Listwise over every column, as the reference ("listwise complete cases for … RSA").
    try DiscrepancyModel.fit(
      data.completeCases, outcome: "ext_post", x: "bond_child", y: "bond_therapist",
      controls: ["ext_pre"])
  }

  /// Every value of the rsa block: coefficients, a1–a5 (estimate, se, p), r2, n.
  func testReferenceBlock() throws {
    let d = try fit()
    let coef = try XCTUnwrap(rsa["coef"] as? [String: NSNumber])
    XCTAssertEqual(Set(coef.keys), Set(d.polynomial.terms))
    for (term, value) in coef {
      assertClose(d.polynomial.coefficient(term)?.estimate, value.doubleValue, rel: Self.tol, "coef[\(term)]")
    }
    let surface = [("a1", d.surface.a1), ("a2", d.surface.a2), ("a3", d.surface.a3), ("a4", d.surface.a4), ("a5", d.surface.a5)]
    for (name, value) in surface {
      let ref = try XCTUnwrap(rsa[name] as? [String: NSNumber], name)
      assertClose(value.estimate, try XCTUnwrap(ref["estimate"]).doubleValue, rel: Self.tol, "\(name).estimate")
      assertClose(value.se, try XCTUnwrap(ref["se"]).doubleValue, rel: Self.tol, "\(name).se")
      assertClose(value.p, try XCTUnwrap(ref["p"]).doubleValue, rel: Self.tol, "\(name).p")
    }
    assertClose(d.r2, try XCTUnwrap((rsa["r2"] as? NSNumber)?.doubleValue), rel: Self.tol, "r2")
    XCTAssertEqual(Double(d.n), try XCTUnwrap((rsa["n"] as? NSNumber)?.doubleValue))
  }

  /// Without prior listwise deletion the models drop the 12 rows missing bond_child themselves.
  func testOwnListwiseDeletion() throws {
    let d = try DiscrepancyModel.fit(
      data, outcome: "ext_post", x: "bond_child", y: "bond_therapist", controls: ["ext_pre"])
    XCTAssertEqual(d.n, 348)
    XCTAssertEqual(d.polynomial.rowsDropped, 12)
    XCTAssertEqual(d.difference.n, 348)
    assertClose(d.r2, 0.395347547106949, rel: Self.tol, "r2")
  }

  /// `lm(ext_post ~ I(bond_child - bond_therapist) + ext_pre)` and `anova(difference, polynomial)`.
  func testDifferenceScoreModel() throws {
    let d = try fit()
    XCTAssertEqual(d.differenceTerm, "I(bond_child - bond_therapist)")
    XCTAssertEqual(d.difference.terms, ["(Intercept)", "I(bond_child - bond_therapist)", "ext_pre"])
    let coef = [17.158392751589204, 0.90722762234028154, 0.63292182330035873]
    let se = [2.9794332648168345, 0.70808409195975675, 0.045244504606414965]
    let p = [1.8737898872567013e-08, 0.20096892146966189, 1.5539695077322785e-35]
    for (k, c) in d.difference.coefficients.enumerated() {
      assertClose(c.estimate, coef[k], rel: Self.tol, "\(c.term) estimate")
      assertClose(c.se, se[k], rel: Self.tol, "\(c.term) se")
      assertClose(c.p, p[k], rel: Self.tol, "\(c.term) p")
    }
    assertClose(d.difference.r2, 0.36296509157589135, rel: Self.tol, "difference r2")
    assertClose(d.constraintTest.f, 4.5656051187986577, rel: Self.tol, "F")
    XCTAssertEqual(d.constraintTest.df1, 4)
    XCTAssertEqual(d.constraintTest.df2, 341)
    assertClose(d.constraintTest.p, 0.0013249661649215331, rel: Self.tol, "p")
  }

  /// The surface on a 3 × 2 grid: controls at their mean (`predict`) and at 0.
  func testSurfaceGrid() throws {
    let d = try fit()
    let xs = [2.0, 3, 4]
    let ys = [2.5, 3.5]
    let atMean = d.grid(x: xs, y: ys)
    let expectedMean = [64.388391051241598, 60.887940548939646, 57.767587680355504, 59.213551233413824, 58.471177087801316, 58.108900575906624]
    let atZero = d.grid(x: xs, y: ys, controls: .zero)
    let expectedZero = [22.798841833525699, 19.298391331223741, 16.178038462639613, 17.624002015697926, 16.881627870085417, 16.519351358190725]
    XCTAssertEqual(atMean.x, xs)
    XCTAssertEqual(atMean.y, ys)
    for j in 0..<2 {
      for i in 0..<3 {
        assertClose(atMean.z[j][i], expectedMean[i + 3 * j], rel: Self.tol, "mean grid (\(xs[i]), \(ys[j]))")
        assertClose(atZero.z[j][i], expectedZero[i + 3 * j], rel: Self.tol, "zero grid (\(xs[i]), \(ys[j]))")
      }
    }
    XCTAssertEqual(d.controlMeans.keys.sorted(), ["ext_pre"])
  }

  /// Lines of congruence and incongruence: b0 + a1 t + a2 t² and b0 + a3 t + a4 t².
  func testLines() throws {
    let d = try fit()
    let t = DiscrepancyModel.evenlySpaced(from: -1, to: 2, count: 7)
    XCTAssertEqual(t, [-1, -0.5, 0, 0.5, 1, 1.5, 2])
    let b0 = d.intercept()
    for (k, v) in d.congruenceLine(t).enumerated() {
      let e = b0 + d.surface.a1.estimate * t[k] + d.surface.a2.estimate * t[k] * t[k]
      assertClose(v, e, rel: 1e-12, "congruence \(t[k])")
    }
    for (k, v) in d.incongruenceLine(t, controls: .zero).enumerated() {
      let e = d.intercept(controls: .zero) + d.surface.a3.estimate * t[k] + d.surface.a4.estimate * t[k] * t[k]
      assertClose(v, e, rel: 1e-12, "incongruence \(t[k])")
    }
  }

  /// Non-syntactic column names are backquoted as R does.
  func testNonSyntacticNames() throws {
    var table = data.completeCases
    table.rename("bond_child", to: "bond child")
    let d = try DiscrepancyModel.fit(
      table, outcome: "ext_post", x: "bond child", y: "bond_therapist", controls: ["ext_pre"])
    XCTAssertTrue(d.polynomial.terms.contains("I(`bond child`^2)"))
    XCTAssertEqual(d.differenceTerm, "I(`bond child` - bond_therapist)")
    assertClose(d.surface.a1.estimate, try XCTUnwrap((rsa["a1"] as? [String: NSNumber])?["estimate"]).doubleValue, rel: Self.tol, "a1")
  }

  func testErrors() throws {
    XCTAssertThrowsError(
      try DiscrepancyModel.fit(data, outcome: "ext_post", x: "bond_child", y: "bond_child")
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "same-informant")
    }
    XCTAssertThrowsError(
      try DiscrepancyModel.fit(data, outcome: "ext_post", x: "bond_kid", y: "bond_therapist")
    ) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "unknown-column")
      XCTAssertTrue(e?.message.contains("'bond_kid'") ?? false)
    }
    XCTAssertThrowsError(
      try DiscrepancyModel.fit(data, outcome: "ext_post", x: "school", y: "bond_therapist")
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "non-numeric")
    }
    XCTAssertThrowsError(
      try DiscrepancyModel.fit(
        data.rows(Array(0..<6)), outcome: "ext_post", x: "bond_child", y: "bond_therapist",
        controls: ["ext_pre"])
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
  }
}
