import BordinData
import BordinTestSupport
import XCTest

@testable import BordinSimulation
import BordinStats

/// `bordin simulate sessions`: determinism, the design's counts, and coarse recovery of the
/// within-patient alliance effect (within 4 of its standard errors; the estimator's documented
/// small-T bias is well under one standard error at this size).
final class SessionsSimulatorTests: XCTestCase {
  static let study = SessionsSimulator(seed: 1978).generate()
  var sessions: Table { Self.study.table("sessions.csv")! }
  var items: Table { Self.study.table("wai_items.csv")! }

  func testDeterministicForASeed() {
    let again = SessionsSimulator(seed: 1978).generate()
    XCTAssertEqual(SimulationAssertions.fingerprint(again), SimulationAssertions.fingerprint(Self.study))
    let other = SessionsSimulator(seed: 1979).generate()
    XCTAssertNotEqual(CSVWriter.write(other.table("sessions.csv")!), CSVWriter.write(sessions))
    XCTAssertEqual(Self.study.files.map(\.name), ["sessions.csv", "wai_items.csv"])
  }

  func testDesignCounts() {
    let patient = sessions.texts("patient"), session = sessions.numbers("session"), count = sessions.numbers("sessions")
    XCTAssertEqual(Set(patient).count, 646)
    // Sessions run 1 … n for every patient, n in 3–20, and the rows add up.
    var n: [String: Double] = [:]
    for i in 0..<sessions.rowCount {
      XCTAssertEqual(session[i], (n[patient[i]!] ?? 0) + 1, "sessions are consecutive")
      n[patient[i]!] = session[i]
      XCTAssertTrue((3...20).contains(count[i]))
    }
    for i in 0..<sessions.rowCount where i + 1 == sessions.rowCount || patient[i + 1] != patient[i] {
      XCTAssertEqual(session[i], count[i])
    }
    XCTAssertEqual(sessions.rowCount, Int(n.values.reduce(0, +)))
    let counts = Array(n.values)
    XCTAssertEqual(counts.min(), 3)
    XCTAssertGreaterThanOrEqual(counts.max() ?? 0, 15, "a tail of longer therapies")
    let mean = counts.reduce(0, +) / Double(counts.count)
    XCTAssertEqual(mean, try XCTUnwrap(Self.study.parameter("design.mean_sessions")), accuracy: 0.5)
    // Scales and missingness.
    let wai = sessions.numbers("wai"), core = sessions.numbers("core")
    XCTAssertTrue(wai.filter { !$0.isNaN }.allSatisfy { (12...60).contains($0) && $0 == $0.rounded() })
    XCTAssertTrue(core.filter { !$0.isNaN }.allSatisfy { (0...40).contains($0) && Simulation.round($0, 1) == $0 })
    XCTAssertGreaterThan(wai.filter(\.isNaN).count, 0)
    XCTAssertGreaterThan(core.filter(\.isNaN).count, 0)
    let pp = sessions.numbers("personality")
    XCTAssertTrue(pp.allSatisfy { $0 == 0 || $0 == 1 } && pp.contains(1))
    // WAI-SR items (1–5) add up to the total.
    XCTAssertEqual(items.rowCount, wai.filter { !$0.isNaN }.count)
    var total: [String: Double] = [:]
    for i in 0..<sessions.rowCount where !wai[i].isNaN { total["\(patient[i]!) \(session[i])"] = wai[i] }
    let ip = items.texts("patient"), isn = items.numbers("session")
    let cols = (1...12).map { items.numbers(String(format: "wai%02d", $0)) }
    for r in 0..<items.rowCount {
      let v = cols.map { $0[r] }
      XCTAssertTrue(v.allSatisfy { (1...5).contains($0) })
      XCTAssertEqual(total["\(ip[r]!) \(isn[r])"], v.reduce(0, +))
    }
  }

  /// The within/between lagged model: `core_next ~ session + wai_w + wai_b + personality +
  /// wai_w:personality + (1 + wai_w | patient)`.
  func testWithinPatientEffectRecovery() throws {
    let t = laggedTable()
    let r = try MixedModel.fit(
      "core_next ~ session + wai_w + wai_b + personality + wai_w:personality + (1 + wai_w | patient)", data: t)
    for (term, name) in [
      ("wai_w", "within.wai_to_core"), ("wai_w:personality", "within.wai_to_core:personality"),
      ("wai_b", "between.wai_to_core"),
    ] {
      let f = try XCTUnwrap(r.fixed.first { $0.term == term })
      SimulationAssertions.assertWithin4SE(term, estimate: f.estimate, se: f.se, truth: try XCTUnwrap(Self.study.parameter(name)))
    }
  }

  /// The reciprocal effect: `wai_next ~ session + core_w + core_b + personality + (1 | patient)`.
  func testReciprocalEffectRecovery() throws {
    let t = laggedTable()
    let r = try MixedModel.fit("wai_next ~ session + core_w + core_b + personality + (1 | patient)", data: t)
    let f = try XCTUnwrap(r.fixed.first { $0.term == "core_w" })
    SimulationAssertions.assertWithin4SE(
      "core_w", estimate: f.estimate, se: f.se, truth: try XCTUnwrap(Self.study.parameter("within.core_to_wai")))
  }

  func testReadmeDocumentsEveryParameter() {
    XCTAssertTrue(Self.study.readme.contains("--seed 1978"))
    for p in Self.study.parameters { XCTAssertTrue(Self.study.readme.contains("| `\(p.name)` |"), p.name) }
  }

  /// sessions.csv with, for x in wai and core, `x_next` (the patient's next session), `x_b`
  /// (the patient's mean of the recorded values) and `x_w` = x − x_b.
  func laggedTable() -> Table {
    var t = sessions
    let patient = t.texts("patient")
    for x in ["wai", "core"] {
      let v = t.numbers(x)
      var next = [Double](repeating: .nan, count: t.rowCount)
      var sum: [String: (total: Double, n: Double)] = [:]
      for i in 0..<t.rowCount {
        if i + 1 < t.rowCount, patient[i + 1] == patient[i] { next[i] = v[i + 1] }
        if !v[i].isNaN {
          let s = sum[patient[i]!, default: (0, 0)]
          sum[patient[i]!] = (s.total + v[i], s.n + 1)
        }
      }
      let between = patient.map { p in sum[p!].map { $0.total / $0.n } ?? .nan }
      t["\(x)_next"] = .numeric(next)
      t["\(x)_b"] = .numeric(between)
      t["\(x)_w"] = .numeric(zip(v, between).map { $0 - $1 })
    }
    return t
  }
}
