import BordinData
import BordinStats
import BordinTestSupport
import XCTest

/// The Big Five CFA on psych::bfi (2800 cases, 25 items, 87 missing-data patterns, FIML) against
/// lavaan 0.6-14 (Tests/Fixtures/r/sem-robust.R). The markers A1 and E1 are reverse-keyed, so
/// lavaan's `start = "simple"` (every loading 1) drives the factor variances to 0; lavaan's
/// default FABIN 3 start, which Bordin now uses, converges.
final class BFIFiveFactorTests: XCTestCase {
  func testConvergesToLavaansOptimum() throws {
    let ref = try SEMReferenceCase("sem-bfi-five-factor-fiml")
    let t0 = Date()
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let seconds = Date().timeIntervalSince(t0)
    let errors = ref.assertMatches(r)
    print("sem-bfi-five-factor-fiml observed errors: \(errors.summary); \(r.iterations) iterations, \(String(format: "%.1f", seconds)) s")
    XCTAssertFalse(r.warnings.contains { $0.code == "not-converged" || $0.code == "negative-variance" })
  }

  /// The FABIN 3 start loadings are lavaan's (`parTable(fit)$start`), the reverse-keyed items
  /// starting negative.
  func testFABIN3StartLoadingsAreLavaans() throws {
    let ref = try SEMReferenceCase("sem-bfi-five-factor-fiml")
    let expected = try XCTUnwrap((ref.json["results"] as? [String: Any])?["start_loadings"] as? [Double])
    let starts = try SEM.startLoadings(model: ref.model, data: ref.data)
    XCTAssertEqual(starts.count, expected.count)
    // lavaan starts from its EM moments (stopped at 1e-5), Bordin from the EM maximum.
    for (a, b) in zip(starts, expected) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
    XCTAssertLessThan(starts[1], 0)  // A2 on the reverse-keyed marker A1
  }
}
