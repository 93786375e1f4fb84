import BordinData
import BordinTestSupport
import XCTest

@testable import BordinSimulation
import BordinStats

/// The benchmark design of DESIGN.md §10 at 2,000 rows: deterministic data (identical to the
/// CSV R fitted, Tests/Fixtures/data/simulated-growth-2000.csv; the fit of that CSV against
/// lme4/lmerTest is BordinStatsTests' SimulatedGrowth2000Tests).
final class SimulatedGrowthDesignTests: XCTestCase {
  func testShapeAndDeterminism() throws {
    let d = SimulatedGrowthDesign(rows: 2000)
    XCTAssertEqual(d.patients, 400)
    XCTAssertEqual(d.therapists, 16)
    let t = d.table()
    XCTAssertEqual(t.rowCount, 2000)
    XCTAssertEqual(t, d.table())
    XCTAssertEqual(t.numbers("wave").prefix(6), [0, 1, 2, 3, 4, 0])
    XCTAssertEqual(t.numbers("patient").prefix(6), [1, 1, 1, 1, 1, 2])
    XCTAssertEqual(Set(t.numbers("therapist")).count, 16)
    XCTAssertNotEqual(SimulatedGrowthDesign(rows: 2000, seed: 7).table(), t)
    // SplitMix64 reference outputs for seed 0 (Steele, Lea & Flood 2014; Vigna's splitmix64.c).
    var rng = SplitMix64(seed: 0)
    XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
    XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
  }

  /// The generated table is the fixture R fitted, value for value.
  func testMatchesTheCSVThatRFitted() throws {
    let csv = try Fixtures.csv("data/simulated-growth-2000.csv")
    let t = SimulatedGrowthDesign(rows: 2000).table()
    for name in ["y", "wave", "x", "patient", "therapist"] {
      XCTAssertEqual(t.numbers(name), csv.numbers(name), name)
    }
    XCTAssertEqual(SimulatedGrowthDesign(rows: 2000).csv().split(separator: "\n").count, 2001)
  }
}
