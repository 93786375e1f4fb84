import XCTest

@testable import BordinStats

final class OptimizeTests: XCTestCase {
  func testQuadraticMinimum() throws {
    let f: ([Double]) -> Double = { x in
      (x[0] - 1) * (x[0] - 1) + 10 * (x[1] + 2) * (x[1] + 2) + 3
    }
    let r = try Optimize.minimize(
      f, x0: [0, 0], lower: [-10, -10], upper: [10, 10], ftolRel: 1e-8, maxeval: 2000)
    // BOBYQA's quadratic model is exact here, so NLopt may stop on round-off at the optimum.
    XCTAssertTrue(r.status.converged || r.status == .roundoffLimited, "\(r.status)")
    XCTAssertEqual(r.x[0], 1, accuracy: 1e-5)
    XCTAssertEqual(r.x[1], -2, accuracy: 1e-5)
    XCTAssertEqual(r.f, 3, accuracy: 1e-9)
    XCTAssertGreaterThan(r.evaluations, 0)
  }

  func testNonQuadraticConverges() throws {
    // A quartic valley: min at (1, −2), f = 1.
    let r = try Optimize.minimize(
      { x in
        let a = x[0] - 1
        let b = x[1] + 2
        return 1 + a * a * a * a + a * a + 2 * (b - a) * (b - a)
      }, x0: [3, 1], lower: [-5, -5], upper: [5, 5], ftolRel: 1e-10)
    XCTAssertTrue(r.status.converged, "\(r.status) \(r.x) \(r.f) \(r.evaluations)")
    XCTAssertEqual(r.x[0], 1, accuracy: 1e-3)
    XCTAssertEqual(r.x[1], -2, accuracy: 1e-3)
  }

  func testActiveBound() throws {
    let r = try Optimize.minimize(
      { x in (x[0] - 1) * (x[0] - 1) + (x[1] + 2) * (x[1] + 2) },
      x0: [0.5, 0.5], lower: [-.infinity, -1], upper: [.infinity, .infinity], ftolAbs: 1e-12,
      xtolAbs: 1e-10)
    XCTAssertNotEqual(r.status, .maxEvalReached)
    XCTAssertEqual(r.x[0], 1, accuracy: 1e-5)
    XCTAssertEqual(r.x[1], -1, accuracy: 1e-9)
    XCTAssertEqual(r.f, 1, accuracy: 1e-9)
  }
}
