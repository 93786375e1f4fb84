import BordinData
import BordinTestSupport
import XCTest

@testable import BordinSimulation
import BordinStats

/// `bordin simulate prac`: determinism, the PRAC design's counts, and coarse parameter recovery
/// (each estimate within 4 of its own standard errors of the true value, from a model that
/// matches the generating one).
final class PracSimulatorTests: XCTestCase {
  static let study = PracSimulator(seed: 1978).generate()
  var long: Table { Self.study.table("long.csv")! }
  var items: Table { Self.study.table("items.csv")! }
  var wide: Table { Self.study.table("wide.csv")! }

  func testDeterministicForASeed() {
    let again = PracSimulator(seed: 1978).generate()
    XCTAssertEqual(SimulationAssertions.fingerprint(again), SimulationAssertions.fingerprint(Self.study))
    let other = PracSimulator(seed: 1979).generate()
    XCTAssertNotEqual(CSVWriter.write(other.table("long.csv")!), CSVWriter.write(long))
    XCTAssertEqual(Self.study.files.map(\.name), ["long.csv", "items.csv", "wide.csv"])
    XCTAssertEqual(Self.study.seed, 1978)
    XCTAssertEqual(Self.study.design, "prac")
  }

  func testDesignCounts() {
    XCTAssertEqual(long.rowCount, 209 * 4)
    let child = long.texts("child"), therapist = long.texts("therapist"), clinic = long.texts("clinic")
    XCTAssertEqual(Set(child).count, 209)
    XCTAssertEqual(Set(therapist).count, 85)
    XCTAssertEqual(Set(clinic).count, 6)
    // Children are nested in therapists, therapists in clinics.
    var clinicOf: [String: String] = [:], therapistOf: [String: String] = [:]
    for i in 0..<long.rowCount {
      XCTAssertEqual(clinicOf[therapist[i]!, default: clinic[i]!], clinic[i]!)
      XCTAssertEqual(therapistOf[child[i]!, default: therapist[i]!], therapist[i]!)
      clinicOf[therapist[i]!] = clinic[i]!
      therapistOf[child[i]!] = therapist[i]!
    }
    // Exactly 209/141/100/61 active, and dropout is monotone.
    let months = long.numbers("months"), active = long.numbers("active")
    for (m, n) in zip([4.0, 8, 12, 16], [209.0, 141, 100, 61]) {
      XCTAssertEqual(zip(months, active).filter { $0.0 == m }.map(\.1).reduce(0, +), n, "month \(m)")
    }
    for i in stride(from: 0, to: long.rowCount, by: 4) {
      XCTAssertEqual(Array(active[i..<(i + 4)]), Array(active[i..<(i + 4)]).sorted(by: >), "child \(child[i]!)")
    }
    // Ratings only while active; totals 12–48; some missing among the active.
    for inf in PracSimulator.informants {
      let v = long.numbers("tasc_" + inf)
      for i in 0..<long.rowCount {
        if active[i] == 0 { XCTAssertTrue(v[i].isNaN) }
        if !v[i].isNaN { XCTAssertTrue((12...48).contains(v[i]) && v[i] == v[i].rounded(), "\(inf) \(v[i])") }
      }
      let missing = (0..<long.rowCount).filter { active[i: $0] && v[$0].isNaN }.count
      XCTAssertGreaterThan(missing, 0, inf)
    }
    let ages = Set(long.numbers("age"))
    XCTAssertEqual(ages.min(), 4)
    XCTAssertEqual(ages.max(), 13)
  }

  func testItemsAddUpToTotals() throws {
    var total: [String: Double] = [:]
    let child = long.texts("child"), months = long.numbers("months")
    for inf in PracSimulator.informants {
      let v = long.numbers("tasc_" + inf)
      for i in 0..<long.rowCount where !v[i].isNaN { total["\(child[i]!) \(months[i]) \(inf)"] = v[i] }
    }
    XCTAssertEqual(items.rowCount, total.count, "one item row per recorded rating")
    let ic = items.texts("child"), im = items.numbers("months"), inf = items.texts("informant")
    let cols = (1...12).map { items.numbers(String(format: "item%02d", $0)) }
    let sums = items.numbers("total")
    for r in 0..<items.rowCount {
      let values = cols.map { $0[r] }
      XCTAssertTrue(values.allSatisfy { (1...4).contains($0) && $0 == $0.rounded() })
      XCTAssertEqual(values.reduce(0, +), sums[r])
      XCTAssertEqual(total["\(ic[r]!) \(im[r]) \(inf[r]!)"], sums[r])
    }
    // The items measure one thing: coefficient alpha of the child-rated items is high.
    let rows = (0..<items.rowCount).filter { inf[$0] == "child" }
    let alpha = try Reliability.analyze(
      cols.map { c in rows.map { c[$0] } }, names: (1...12).map { String(format: "item%02d", $0) }, omega: false
    ).rawAlpha
    XCTAssertGreaterThan(alpha, 0.7)
  }

  func testWideMatchesLong() {
    XCTAssertEqual(wide.rowCount, 209)
    let lc = long.texts("child"), lm = long.numbers("months")
    let wc = wide.texts("child"), last = wide.numbers("last_month")
    var index: [String: Int] = [:]
    for i in 0..<long.rowCount { index["\(lc[i]!) \(Int(lm[i]))"] = i }
    for name in PracSimulator.informants.map({ "tasc_" + $0 }) + ["symptoms", "parenting", "family_functioning"] {
      let lv = long.numbers(name)
      for m in [4, 8, 12] {
        let wv = wide.numbers("\(name)_\(m)")
        for r in 0..<wide.rowCount {
          let l = lv[index["\(wc[r]!) \(m)"]!]
          XCTAssertTrue(l == wv[r] || (l.isNaN && wv[r].isNaN), "\(name)_\(m) \(wc[r]!)")
          if Double(m) > last[r] { XCTAssertTrue(wv[r].isNaN) }
        }
      }
    }
  }

  /// The growth model of therapist-rated child alliance recovers the generating fixed effects.
  func testGrowthModelRecovery() throws {
    let y = "tasc_therapist_child"
    let r = try MixedModel.fit(
      "\(y) ~ months * (sex + anxiety + ethnicity + experience) + (1 + months | child) + (1 | therapist) + (1 | clinic)",
      data: long)
    XCTAssertEqual(r.fixed.map(\.term), PracSimulator.terms)
    XCTAssertEqual(r.nobs, long.numbers(y).filter { !$0.isNaN }.count)
    for f in r.fixed {
      let truth = try XCTUnwrap(Self.study.parameter("\(y).fixed[\(f.term)]"))
      SimulationAssertions.assertWithin4SE("\(y) \(f.term)", estimate: f.estimate, se: f.se, truth: truth)
    }
  }

  /// Therapists rate lower: the paired difference at 4 months, with children of one therapist
  /// sharing the therapist's rating tendency (an intercept-only mixed model gives its SE).
  func testInformantDifferenceRecovery() throws {
    let w4 = long.rows((0..<long.rowCount).filter { long.numbers("months")[$0] == 4 })
    let a = w4.numbers("tasc_therapist_child"), b = w4.numbers("tasc_child")
    let d = Table([("d", .numeric(zip(a, b).map { $0 - $1 })), ("therapist", w4["therapist"]!)])
    let r = try MixedModel.fit("d ~ 1 + (1 | therapist)", data: d)
    let truth = try XCTUnwrap(Self.study.parameter("diff4[therapist_child - child]"))
    XCTAssertLessThan(truth, -2)
    SimulationAssertions.assertWithin4SE("diff4", estimate: r.fixed[0].estimate, se: r.fixed[0].se, truth: truth)
  }

  /// The outcome equation of the cross-lagged model is a regression on the recorded wave-4
  /// values; dropout depends on wave-4 data only, so complete cases are unbiased.
  func testCrossLaggedOutcomeEquationRecovery() throws {
    let r = try Regression.fit("family_functioning_8 ~ family_functioning_4 + tasc_caregiver_4", data: wide)
    for (term, name) in [("family_functioning_4", "clpm.ar[family_functioning]"), ("tasc_caregiver_4", "clpm.cross[family_functioning ~ tasc_caregiver]")] {
      let c = try XCTUnwrap(r.coefficient(term))
      SimulationAssertions.assertWithin4SE(term, estimate: c.estimate, se: c.se, truth: try XCTUnwrap(Self.study.parameter(name)))
    }
  }

  /// Early alliance and dropout: the 4-month child rating of families still in treatment at 8
  /// months against those who left (Welch SE).
  func testDropoutRecovery() throws {
    let last = wide.numbers("last_month"), x = wide.numbers("tasc_child_4")
    let stay = (0..<wide.rowCount).filter { last[$0] >= 8 }.map { x[$0] }
    let left = (0..<wide.rowCount).filter { last[$0] < 8 }.map { x[$0] }
    let t = try TTest.twoSample(stay, left)
    SimulationAssertions.assertWithin4SE(
      "dropout", estimate: t.meanDiff, se: t.se, truth: try XCTUnwrap(Self.study.parameter("dropout.diff[8]")))
  }

  func testReadmeDocumentsEveryParameter() {
    let readme = Self.study.readme
    XCTAssertTrue(readme.contains("--seed 1978"))
    for p in Self.study.parameters { XCTAssertTrue(readme.contains("| `\(p.name)` |"), p.name) }
    XCTAssertEqual(Set(Self.study.parameters.map(\.name)).count, Self.study.parameters.count, "parameter names are unique")
  }
}

extension Array where Element == Double {
  fileprivate subscript(i i: Int) -> Bool { self[i] == 1 }
}
