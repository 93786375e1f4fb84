import BordinData
import BordinStats
import BordinTestSupport
import XCTest

/// `se: bootstrap` against lavaan 0.6-14 `sem(..., se = "bootstrap", bootstrap = 2000)`
/// (Tests/Fixtures/r/sem-bootstrap.R). Bordin draws with its own generator, so its bootstrap SEs
/// agree with lavaan's only within Monte Carlo error. The bound tested: an SD estimated from B
/// draws has standard error ≈ SE/√(2(B − 1)) (normal theory), so the difference of two independent
/// estimates (lavaan's B_R = 2000, Bordin's B) has SD ≈ SE·√(1/(2(B_R − 1)) + 1/(2(B − 1))); each
/// parameter must be within 5 of those SDs (for 12 parameters, a false alarm has probability
/// about 1e-5 under normality).
final class SEMBootstrapTests: XCTestCase {
  private func reference(_ name: String) throws -> (model: String, data: Table, rows: [[String: Any]], draws: Int) {
    let json = try Fixtures.reference(name)
    let spec = try XCTUnwrap(json["spec"] as? [String: Any])
    let model = try XCTUnwrap(spec["model"] as? [String]).joined(separator: "\n")
    let data = try Fixtures.csv(try XCTUnwrap(json["data"] as? String))
    let results = try XCTUnwrap(json["results"] as? [String: Any])
    return (model, data, try XCTUnwrap(results["parameters"] as? [[String: Any]]), try XCTUnwrap(results["draws"] as? Int))
  }

  private func checkMonteCarlo(_ name: String, draws: Int, options: SEMOptions) throws -> SEMResult {
    let ref = try reference(name)
    let r = try SEMBootstrap.fit(model: ref.model, data: ref.data, options: options,
                                 bootstrap: SEMBootstrapOptions(draws: draws, seed: 7))
    let b = try XCTUnwrap(r.bootstrap)
    XCTAssertEqual(b.draws, draws)
    XCTAssertLessThan(b.failed, draws / 20, "failed draws")
    var checked = 0
    for row in ref.rows {
      guard let se = (row["se"] as? NSNumber)?.doubleValue, se > 0,
            let lhs = row["lhs"] as? String, let op = row["op"] as? String, let rhs = row["rhs"] as? String
      else { continue }
      let p = try XCTUnwrap(r.parameters.first { $0.lhs == lhs && $0.op == op && $0.rhs == rhs }, "\(lhs) \(op) \(rhs)")
      let sd = se * (1 / (2 * Double(ref.draws - 1)) + 1 / (2 * Double(draws - 1))).squareRoot()
      XCTAssertLessThan(abs(p.se - se), 5 * sd, "\(lhs) \(op) \(rhs): Bordin \(p.se), lavaan \(se)")
      // The percentile interval brackets the estimate and is about ±1.96 SE wide.
      let lo = p.ciLower, hi = p.ciUpper
      XCTAssertLessThan(lo, p.est)
      XCTAssertGreaterThan(hi, p.est)
      XCTAssertEqual((hi - lo) / (2 * 1.959964 * p.se), 1, accuracy: 0.25, "\(lhs) \(op) \(rhs) interval width")
      checked += 1
    }
    XCTAssertGreaterThan(checked, 5)
    return r
  }

  func testHolzingerSwinefordCFAWithinMonteCarloErrorOfLavaan() throws {
    _ = try checkMonteCarlo("sem-hs1939-complete-bootstrap", draws: 200, options: SEMOptions(missing: .listwise))
  }

  func testMediationDefinedEffectsWithinMonteCarloErrorOfLavaan() throws {
    let r = try checkMonteCarlo("sem-mediation-fiml-bootstrap", draws: 200, options: SEMOptions())
    let ab = try XCTUnwrap(r.parameter("ab", ":="))
    XCTAssertGreaterThan(ab.se, 0)
  }

  /// Draw b has its own generator seeded from (seed, b): any number of threads gives the same
  /// bits; another seed gives other draws.
  func testIdenticalForAnyThreadCount() throws {
    let ref = try reference("sem-mediation-fiml-bootstrap")
    func run(_ threads: Int, seed: UInt64 = 11) throws -> SEMResult {
      try SEMBootstrap.fit(model: ref.model, data: ref.data, options: SEMOptions(),
                           bootstrap: SEMBootstrapOptions(draws: 100, seed: seed, threads: threads))
    }
    let one = try run(1), two = try run(2), three = try run(3)
    XCTAssertEqual(one.parameters.map(\.se), two.parameters.map(\.se))
    XCTAssertEqual(one.parameters.map(\.se), three.parameters.map(\.se))
    XCTAssertEqual(one.parameters.map(\.ciLower), three.parameters.map(\.ciLower))
    XCTAssertNotEqual(one.parameters.map(\.se), try run(2, seed: 12).parameters.map(\.se))
  }

  func testTooFewDrawsAndCasesAreRefused() throws {
    let ref = try reference("sem-hs1939-complete-bootstrap")
    XCTAssertThrowsError(try SEMBootstrap.fit(model: ref.model, data: ref.data, options: SEMOptions(missing: .listwise),
                                              bootstrap: SEMBootstrapOptions(draws: 50))) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-option")
    }
    let few = ref.data.rows(Array(0..<5))
    XCTAssertThrowsError(try SEMBootstrap.fit(model: ref.model, data: few, options: SEMOptions(missing: .listwise),
                                              bootstrap: SEMBootstrapOptions(draws: 200))) { e in
      XCTAssertNotNil(e as? StatsError, "\(e)")
    }
  }
}
