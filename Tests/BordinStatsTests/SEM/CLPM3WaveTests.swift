import BordinData
import BordinStats
import XCTest

/// shared/reference/clpm-3wave.json: a 3-wave cross-lagged panel model under FIML (lavaan
/// 0.6-14, `sem(missing = "ml", fixed.x = FALSE)`), and the same case with lavaan's optimum
/// polished by Newton steps (clpm-3wave-tight.json, Tests/Fixtures/r/sem-literals.R).
final class CLPM3WaveTests: XCTestCase {
  /// Every parameter (est, se, z, p, std_all) and fit index of the shared reference at the
  /// DESIGN.md §9 tolerances, without any allowance.
  func testEveryParameterAndFitIndex() throws {
    let ref = try SEMReferenceCase("clpm-3wave")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r)
    print("CLPM3WaveTests (shared reference) observed errors: \(errors.summary)")
  }

  /// The same against lavaan's polished optimum.
  func testPolishedOptimum() throws {
    let ref = try SEMReferenceCase("clpm-3wave-tight")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r)
    print("CLPM3WaveTests (polished optimum) observed errors: \(errors.summary)")
  }

  /// Missing-data patterns and coverage (lavInspect(fit, "patterns"), "coverage").
  func testPatternsAndCoverage() throws {
    let ref = try SEMReferenceCase("clpm-3wave")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    XCTAssertEqual(r.patterns.map(\.count), [114, 61, 34])
    XCTAssertEqual(r.patterns[0].observed.count, 6)
    XCTAssertEqual(r.patterns[1].observed, ["alliance1", "symptoms1"])
    XCTAssertEqual(r.patterns[2].observed, ["alliance2", "symptoms2", "alliance1", "symptoms1"])
    let coverage = Dictionary(uniqueKeysWithValues: r.coverage.map { ($0.variable, $0.proportion) })
    XCTAssertEqual(coverage["alliance1"], 1)
    XCTAssertEqual(coverage["alliance2"]!, 148.0 / 209, accuracy: 1e-15)
    XCTAssertEqual(coverage["symptoms3"]!, 114.0 / 209, accuracy: 1e-15)
    XCTAssertEqual(r.rowsUsed.count, 209)
    XCTAssertEqual(r.rowsDropped, 0)
    XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
  }
}
