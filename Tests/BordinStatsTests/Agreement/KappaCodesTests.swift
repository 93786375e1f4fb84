import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `kappa-codes`: two coders × 120 segments, `psych::cohen.kappa` (quadratic
/// weights, Fleiss–Cohen–Everitt variances as psych computes them), R 4.2.2 / psych 2.2.9.
/// Extra literals: Tests/Fixtures/r/agreement-literals.R, part 3.
final class KappaCodesTests: XCTestCase {
  static let tol = Tolerance.closedForm

  private func coders() throws -> ([Double], [Double]) {
    let data = try Fixtures.csv("data/kappa-codes.csv")
    return (data.numbers("coder_a"), data.numbers("coder_b"))
  }

  /// Every value of the reference file.
  func testReference() throws {
    let reference = try Fixtures.reference("kappa-codes")
    let r = try XCTUnwrap(reference["results"] as? [String: NSNumber])
    func v(_ key: String) throws -> Double { try XCTUnwrap(r[key]).doubleValue }
    let (a, b) = try coders()
    let k = try CohenKappa.compute(a, b, names: ("coder_a", "coder_b"))
    assertClose(k.kappa, try v("kappa"), rel: Self.tol, "kappa")
    assertClose(k.weightedKappa, try v("weighted_kappa"), rel: Self.tol, "weighted_kappa")
    assertClose(k.kappaCILower, try v("kappa_ci_lb"), rel: Self.tol, "kappa_ci_lb")
    assertClose(k.kappaCIUpper, try v("kappa_ci_ub"), rel: Self.tol, "kappa_ci_ub")
    assertClose(k.weightedKappaCILower, try v("weighted_kappa_ci_lb"), rel: Self.tol, "weighted_kappa_ci_lb")
    assertClose(k.weightedKappaCIUpper, try v("weighted_kappa_ci_ub"), rel: Self.tol, "weighted_kappa_ci_ub")
    assertClose(k.varKappa, try v("var_kappa"), rel: Self.tol, "var_kappa")
    assertClose(k.varWeighted, try v("var_weighted"), rel: Self.tol, "var_weighted")
    XCTAssertEqual(k.n, try v("n"))
    XCTAssertEqual(k.categories, ["1", "2", "3", "4"])
    XCTAssertEqual(k.weightScheme, .quadratic)
    XCTAssertEqual(k.rowsDropped, 0)
    XCTAssertEqual(k.warnings, [])
    XCTAssertEqual(k.table.values.reduce(0, +), 120)
  }

  /// Linear weights 1 − |i − j|/3 (`cohen.kappa(x, w = lin)`).
  func testLinearWeights() throws {
    let (a, b) = try coders()
    let k = try CohenKappa.compute(a, b, weights: .linear)
    assertClose(k.weightedKappa, 0.59105584120530907, rel: Self.tol, "linear weighted kappa")
    assertClose(k.varWeighted, 0.0023025544955099621, rel: Self.tol, "linear var")
    assertClose(k.weightedKappaCILower, 0.49700708641873226, rel: Self.tol, "linear lb")
    assertClose(k.weightedKappaCIUpper, 0.68510459599188589, rel: Self.tol, "linear ub")
    assertClose(k.kappa, 0.40765576976809165, rel: Self.tol, "kappa")
  }

  /// No weights: the weighted kappa and its variance are the unweighted ones.
  func testNoWeights() throws {
    let (a, b) = try coders()
    let k = try CohenKappa.compute(a, b, weights: .none)
    assertClose(k.weightedKappa, k.kappa, rel: 1e-13, "weighted = kappa")
    assertClose(k.varWeighted, k.varKappa, rel: 1e-12, "var weighted = var kappa")
  }

  /// The published Fleiss–Cohen–Everitt (1969) weighted variance differs from psych's.
  func testFleissCohenEverittVariance() throws {
    let (a, b) = try coders()
    let q = try CohenKappa.compute(a, b, variance: .fleissCohenEveritt)
    assertClose(q.varWeighted, 0.0014731163411848566, rel: Self.tol, "FCE quadratic")
    assertClose(q.kappa, 0.40765576976809165, rel: Self.tol, "kappa unchanged")
    assertClose(q.varKappa, 0.0037205256269808953, rel: Self.tol, "unweighted variance unchanged")
    let l = try CohenKappa.compute(a, b, weights: .linear, variance: .fleissCohenEveritt)
    assertClose(l.varWeighted, 0.0022485418100032834, rel: Self.tol, "FCE linear")
  }

  /// A declared category nobody used (5): same kappa, weights on 5 categories; psych's
  /// weighted variance then comes out negative and is set to 0 (R: var.weighted 0, bounds equal
  /// to the estimate); the published variance is unaffected.
  func testDeclaredUnusedCategory() throws {
    let (a, b) = try coders()
    let k = try CohenKappa.compute(a, b, categories: [1, 2, 3, 4, 5])
    XCTAssertEqual(k.categories, ["1", "2", "3", "4", "5"])
    assertClose(k.kappa, 0.40765576976809165, rel: Self.tol, "kappa")
    assertClose(k.weightedKappa, 0.74974332648870678, rel: Self.tol, "weighted kappa")
    assertClose(k.varKappa, 0.0037205256269808953, rel: Self.tol, "var kappa")
    XCTAssertEqual(k.varWeighted, 0)
    XCTAssertEqual(k.weightedKappaCILower, k.weightedKappa)
    XCTAssertEqual(k.weightedKappaCIUpper, k.weightedKappa)
    assertClose(k.kappaCILower, 0.28810558788874735, rel: Self.tol, "kappa lb")
    assertClose(k.kappaCIUpper, 0.52720595164743589, rel: Self.tol, "kappa ub")
    XCTAssertEqual(k.warnings.count, 1)
    let fce = try CohenKappa.compute(a, b, categories: [1, 2, 3, 4, 5], variance: .fleissCohenEveritt)
    assertClose(fce.varWeighted, 0.0014731163411848566, rel: 1e-8, "FCE with 5 categories")
  }

  /// Cohen's (1968) example from `?cohen.kappa`: a proportion table with n.obs = 200.
  func testCohen1968ProportionTable() throws {
    let p = Matrix(rows: 3, cols: 3, values: [0.44, 0.05, 0.01, 0.07, 0.20, 0.03, 0.09, 0.05, 0.06])
    let k = try CohenKappa.fromTable(p, n: 200)
    assertClose(k.kappa, 0.49152542372881347, rel: Self.tol, "kappa")
    assertClose(k.weightedKappa, 0.45454545454545431, rel: Self.tol, "weighted kappa")
    assertClose(k.varKappa, 0.0026011851920562587, rel: Self.tol, "var kappa")
    assertClose(k.varWeighted, 0.0041399631172734149, rel: Self.tol, "var weighted")
    XCTAssertEqual(k.n, 200)
    XCTAssertThrowsError(try CohenKappa.fromTable(p)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-table")
    }
  }

  /// Three coders: pairwise kappas and their averages (`cohen.kappa` on three columns).
  func testThreeCodersPairwise() throws {
    let data = try Fixtures.csv("data/kappa-three.csv")
    let names = ["coder_a", "coder_b", "coder_c"]
    let m = try CohenKappa.pairwise(names.map { data.numbers($0) }, raters: names)
    XCTAssertEqual(m.pairs.map { "\($0.x)-\($0.y)" }, ["coder_a-coder_b", "coder_a-coder_c", "coder_b-coder_c"])
    let expected: [(Double, Double)] = [
      (0.407655769768092, 0.749743326488706), (0.644015945119125, 0.623402049982725),
      (0.265578635014837, 0.477091633466135),
    ]
    for (pair, (k, w)) in zip(m.pairs, expected) {
      assertClose(pair.kappa, k, rel: Self.tol, "\(pair.x)-\(pair.y) kappa")
      assertClose(pair.weightedKappa, w, rel: Self.tol, "\(pair.x)-\(pair.y) weighted")
    }
    assertClose(m.averageKappa, 0.43908344996735116, rel: Self.tol, "av.kappa")
    assertClose(m.averageWeightedKappa, 0.61674566997918878, rel: Self.tol, "av.wt")
  }

  /// Text codes give the numbers of the numeric codes; missing ratings drop the unit.
  func testTextCodesAndMissing() throws {
    let (a, b) = try coders()
    let labels = ["1": "anger", "2": "calm", "3": "fear", "4": "joy"]
    let ta = a.map { labels[formatShortest($0)] }
    var tb = b.map { labels[formatShortest($0)] }
    let text = try CohenKappa.codes(ta, tb)
    let numeric = try CohenKappa.compute(a, b)
    assertClose(text.kappa, numeric.kappa, rel: 1e-14, "kappa")
    assertClose(text.varWeighted, numeric.varWeighted, rel: 1e-14, "var weighted")
    XCTAssertEqual(text.categories, ["anger", "calm", "fear", "joy"])
    tb[0] = nil
    tb[5] = nil
    let dropped = try CohenKappa.codes(ta, tb)
    XCTAssertEqual(dropped.n, 118)
    XCTAssertEqual(dropped.rowsDropped, 2)
  }

  func testErrors() throws {
    let (a, b) = try coders()
    XCTAssertThrowsError(
      try CohenKappa.compute(a, b, names: ("coder_a", "coder_b"), categories: [1, 2, 3])
    ) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "undeclared-category")
      XCTAssertTrue(e?.message.contains("'coder_a'") ?? false)
      XCTAssertTrue(e?.message.contains("'4'") ?? false)
    }
    XCTAssertThrowsError(try CohenKappa.pairwise([a], raters: ["coder_a"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-raters")
    }
    XCTAssertThrowsError(try CohenKappa.compute([2, 2, 2], [2, 2, 2], categories: [1, 2, 3])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "one-category")
    }
    XCTAssertThrowsError(try CohenKappa.compute([1, .nan], [1, 2])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(try CohenKappa.codes(["a", "b"], ["a", "a"], categories: ["a", "a", "b"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "duplicate-category")
    }
  }
}
