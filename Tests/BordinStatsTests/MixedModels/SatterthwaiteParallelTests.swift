import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// The Newton polish and the Satterthwaite derivatives evaluate their θ points on two threads
/// for large models (`SatterthwaiteInputs.parallelRows`), with a second system over the same
/// cross-products: θ, the criterion, every df and p value are bit for bit the serial ones, for a
/// nested growth model and a crossed one.
final class SatterthwaiteParallelTests: XCTestCase {
  private func assertSameBits(_ formula: String, _ fixture: String) throws {
    let data = try Fixtures.csv(fixture)
    var serial = LMMOptions()
    serial.parallelDerivatives = false
    var parallel = LMMOptions()
    parallel.parallelDerivatives = true
    let a = try MixedModel.fit(formula, data: data, options: serial)
    let b = try MixedModel.fit(formula, data: data, options: parallel)
    XCTAssertEqual(a.theta.map(\.bitPattern), b.theta.map(\.bitPattern), fixture)
    XCTAssertEqual(a.deviance.bitPattern, b.deviance.bitPattern, fixture)
    XCTAssertEqual(a.fixed.count, b.fixed.count)
    XCTAssertFalse(a.fixed.isEmpty)
    for (x, y) in zip(a.fixed, b.fixed) {
      XCTAssertEqual(x.df.bitPattern, y.df.bitPattern, "\(fixture) \(x.term): df \(x.df) vs \(y.df)")
      XCTAssertEqual(x.p.bitPattern, y.p.bitPattern, "\(fixture) \(x.term)")
      XCTAssertTrue(x.df.isFinite && x.df > 1)
    }
  }

  func testGrowthModelSameBits() throws {
    try assertSameBits("y ~ wave * x + (1 + wave | patient) + (1 | therapist)", "data/simulated-growth-2000.csv")
  }

  func testCrossedModelSameBits() throws {
    try assertSameBits("diameter ~ 1 + (1 | plate) + (1 | sample)", "data/penicillin.csv")
  }
}
