import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// The benchmark design of DESIGN.md §10 at 2,000 rows (Tests/Fixtures/data/simulated-growth-2000.csv,
/// which BordinSimulation's SimulatedGrowthDesign reproduces value for value): the fit of
/// `y ~ wave * x + (1 + wave | patient) + (1 | therapist)` against lme4/lmerTest
/// (lmm-extra.json `growth_reml`).
final class SimulatedGrowth2000Tests: XCTestCase {
  func testFitMatchesLme4() throws {
    let data = try Fixtures.csv("data/simulated-growth-2000.csv")
    let r = try MixedModel.fit("y ~ wave * x + (1 + wave | patient) + (1 | therapist)", data: data)
    try LMMReference.assertExtra(r, "growth_reml")
  }
}
