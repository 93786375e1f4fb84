import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// lme4's `Pastes`: `strength ~ 1 + (1 | batch/cask)`, casks nested in batches, written with
/// lme4's slash. It expands to `(1 | cask:batch) + (1 | batch)`: the interaction factor has the
/// levels `a:A`, `a:B`, … (cask slowest) and is nested in batch, so both blocks stay block
/// diagonal. R values: lmm-extra.json `pastes_reml` (Tests/Fixtures/r/lmm-references.R).
final class PastesTests: XCTestCase {
  func testNestedSlashREML() throws {
    let data = try Fixtures.csv("data/pastes.csv")
    let r = try MixedModel.fit("strength ~ 1 + (1 | batch/cask)", data: data)
    try LMMReference.assertExtra(r, "pastes_reml")
    XCTAssertEqual(r.ngroups.map(\.name), ["cask:batch", "batch"])
  }

  /// The explicit interaction gives the same fit.
  func testExplicitInteraction() throws {
    let data = try Fixtures.csv("data/pastes.csv")
    let r = try MixedModel.fit("strength ~ 1 + (1 | cask:batch) + (1 | batch)", data: data)
    try LMMReference.assertExtra(r, "pastes_reml")
  }
}
