import BordinData
import BordinTestSupport
import XCTest

@testable import BordinSimulation
import BordinStats

/// `bordin simulate coping-power`: determinism, the trial's counts, and coarse parameter
/// recovery (each estimate within 4 of its own standard errors of the true value, from a model
/// that matches the generating one).
final class CopingPowerSimulatorTests: XCTestCase {
  static let study = CopingPowerSimulator(seed: 1978).generate()
  var children: Table { Self.study.table("children.csv")! }
  var ratings: Table { Self.study.table("ratings.csv")! }

  func testDeterministicForASeed() {
    let again = CopingPowerSimulator(seed: 1978).generate()
    XCTAssertEqual(SimulationAssertions.fingerprint(again), SimulationAssertions.fingerprint(Self.study))
    let other = CopingPowerSimulator(seed: 1979).generate()
    XCTAssertNotEqual(CSVWriter.write(other.table("children.csv")!), CSVWriter.write(children))
    XCTAssertEqual(Self.study.files.map(\.name), ["children.csv", "ratings.csv"])
  }

  func testDesignCounts() {
    XCTAssertEqual(children.rowCount, 360)
    XCTAssertEqual(Set(children.texts("child")).count, 360)
    let school = children.texts("school"), format = children.texts("format")
    XCTAssertEqual(Set(school).count, 20)
    var formatOf: [String: String] = [:], size: [String: Int] = [:]
    for i in 0..<360 {
      XCTAssertEqual(formatOf[school[i]!, default: format[i]!], format[i]!, "format is constant within a school")
      formatOf[school[i]!] = format[i]!
      size[school[i]!, default: 0] += 1
    }
    XCTAssertEqual(Set(size.values), [18])
    XCTAssertEqual(formatOf.values.filter { $0 == "group" }.count, 10)
    XCTAssertEqual(formatOf.values.filter { $0 == "individual" }.count, 10)
    // Ratings are item means of 6 items scored 1–4, two decimals; some child ratings missing.
    for r in CopingPowerSimulator.ratings {
      for o in ["mid", "end"] {
        let v = children.numbers("\(r)_\(o)")
        for x in v where !x.isNaN {
          XCTAssertTrue((1...4).contains(x), "\(r)_\(o) \(x)")
          XCTAssertEqual(Simulation.round((x * 6).rounded() / 6, 2), x)
        }
      }
    }
    XCTAssertGreaterThan(children.numbers("bond_child_end").filter(\.isNaN).count, 18)
    XCTAssertEqual(children.numbers("ext_pre").filter(\.isNaN).count, 0)
    XCTAssertGreaterThan(children.numbers("ext_post").filter(\.isNaN).count, 0)
    // The long file holds the same ratings.
    XCTAssertEqual(ratings.rowCount, 720)
    for r in CopingPowerSimulator.ratings {
      let long = ratings.numbers(r)
      let mid = children.numbers("\(r)_mid"), end = children.numbers("\(r)_end")
      for i in 0..<360 {
        XCTAssertTrue(long[2 * i] == mid[i] || (long[2 * i].isNaN && mid[i].isNaN))
        XCTAssertTrue(long[2 * i + 1] == end[i] || (long[2 * i + 1].isNaN && end[i].isNaN))
      }
    }
  }

  /// Individually seen children report more task collaboration: `task_child ~ format + time +
  /// (1 | child) + (1 | school)`.
  func testFormatEffectRecovery() throws {
    let r = try MixedModel.fit("task_child ~ format + time + (1 | child) + (1 | school)", data: ratings)
    let f = try XCTUnwrap(r.fixed.first { $0.term == "formatindividual" })
    SimulationAssertions.assertWithin4SE(
      "format", estimate: f.estimate, se: f.se, truth: try XCTUnwrap(Self.study.parameter("task_child.format")))
  }

  /// Person means of the recorded ratings generate the outcomes: a mixed model with a school
  /// intercept on complete cases recovers the trait-like alliance effects.
  func testPersonMeanEffectsRecovery() throws {
    let t = withPersonMeans()
    let r = try MixedModel.fit(
      "ext_post ~ ext_pre + format + bond_child_m + task_child_m + bond_therapist_m + task_therapist_m + (1 | school)",
      data: t)
    for f in r.fixed where f.term != "(Intercept)" {
      let name = f.term.hasSuffix("_m") ? "ext_post.\(f.term.dropLast(2))" : "ext_post.\(f.term)"
      SimulationAssertions.assertWithin4SE(f.term, estimate: f.estimate, se: f.se, truth: try XCTUnwrap(Self.study.parameter(name), name))
    }
  }

  /// The response surface of internalizing problems on therapist- and child-rated bond in the
  /// group format: a4 (curvature along the line of incongruence) and b3–b5.
  func testResponseSurfaceRecovery() throws {
    var t = withPersonMeans()
    t = t.rows((0..<t.rowCount).filter { t.texts("format")[$0] == "group" })
    t["X"] = t["bond_therapist_m"]
    t["Y"] = t["bond_child_m"]
    let model = try Regression.fit(
      ResponseSurface.formula(outcome: "int_post", x: "X", y: "Y", controls: ["int_pre", "task_child_m", "task_therapist_m"]),
      data: t, evaluate: testEvaluator(t))
    let rsa = try ResponseSurface.parameters(model, x: "X", y: "Y")
    SimulationAssertions.assertWithin4SE(
      "a4", estimate: rsa.a4.estimate, se: rsa.a4.se, truth: try XCTUnwrap(Self.study.parameter("rsa[group].a4")))
    XCTAssertEqual(Self.study.parameter("rsa[individual].a4"), 0)
    for (k, term) in ResponseSurface.polynomialTerms(x: "X", y: "Y").enumerated() {
      let c = try XCTUnwrap(model.coefficient(term))
      SimulationAssertions.assertWithin4SE(
        term, estimate: c.estimate, se: c.se, truth: try XCTUnwrap(Self.study.parameter("rsa[group].b\(k + 1)")))
    }
  }

  func testReadmeDocumentsEveryParameter() {
    XCTAssertTrue(Self.study.readme.contains("--seed 1978"))
    for p in Self.study.parameters { XCTAssertTrue(Self.study.readme.contains("| `\(p.name)` |"), p.name) }
    XCTAssertEqual(Set(Self.study.parameters.map(\.name)).count, Self.study.parameters.count)
  }

  /// children.csv with `<rating>_m` = (mid + end)/2 (missing when either is), complete cases.
  func withPersonMeans() -> Table {
    var t = children
    for r in CopingPowerSimulator.ratings {
      t["\(r)_m"] = .numeric(zip(t.numbers("\(r)_mid"), t.numbers("\(r)_end")).map { ($0 + $1) / 2 })
    }
    return t
  }
}
