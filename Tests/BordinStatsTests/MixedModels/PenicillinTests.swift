import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// lme4's `Penicillin`: `diameter ~ 1 + (1 | plate) + (1 | sample)`, two fully crossed grouping
/// factors (24 plates × 6 samples). The sample block is not nested in plates, so the blocked
/// Cholesky stores it dense. R values: lmm-extra.json `penicillin_reml`
/// (Tests/Fixtures/r/lmm-references.R).
final class PenicillinTests: XCTestCase {
  func testCrossedREML() throws {
    let data = try Fixtures.csv("data/penicillin.csv")
    let r = try MixedModel.fit("diameter ~ 1 + (1 | plate) + (1 | sample)", data: data)
    try LMMReference.assertExtra(r, "penicillin_reml")
    XCTAssertEqual(r.ngroups, [LMMGroupCount(name: "plate", levels: 24), LMMGroupCount(name: "sample", levels: 6)])
  }

  /// Term order does not depend on the formula order: lme4 sorts by decreasing levels.
  func testTermOrderFollowsLevels() throws {
    let data = try Fixtures.csv("data/penicillin.csv")
    let r = try MixedModel.fit("diameter ~ 1 + (1 | sample) + (1 | plate)", data: data)
    XCTAssertEqual(r.random.map(\.grp), ["plate", "sample", "Residual"])
    try LMMReference.assertExtra(r, "penicillin_reml")
  }
}
