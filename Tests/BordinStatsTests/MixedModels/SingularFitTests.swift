import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// A random slope without between-group variation (simulated, seed 4 in
/// Tests/Fixtures/r/lmm-references.R): lme4 puts the slope's θ on its bound 0 and reports a
/// singular fit. The fit still returns every value; R values: lmm-extra.json `singular_reml`.
final class SingularFitTests: XCTestCase {
  func testZeroSlopeVarianceIsSingular() throws {
    let data = try Fixtures.csv("data/singular-slope.csv")
    let r = try MixedModel.fit("y ~ t + (1 + t | g)", data: data)
    XCTAssertTrue(r.singular)
    XCTAssertTrue(r.converged)
    XCTAssertTrue(r.warnings.contains { $0.contains("singular") }, "\(r.warnings)")
    try LMMReference.assertExtra(r, "singular_reml")
  }
}
