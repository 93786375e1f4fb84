import XCTest

@testable import BordinStats

/// The Newton polish after BOBYQA (NewtonPolish.swift): it reaches the optimum, stops once a
/// step is below 1e-6 relative instead of walking in the noise, and holds coordinates at a bound.
final class NewtonPolishTests: XCTestCase {
  /// A smooth, non-quadratic criterion of the size of a deviance (f ≈ 4.9e5, as the 80,000-row
  /// growth model), with its minimum at (1.25, −0.08, 0.24).
  private func criterion(_ x: [Double]) -> Double {
    let d = [x[0] - 1.25, x[1] + 0.08, x[2] - 0.24]
    return 490_694 + 4e3 * d[0] * d[0] + 9e3 * d[1] * d[1] + 2e3 * d[2] * d[2] + 1e3 * d[0] * d[1]
      + 5e2 * d[0] * d[0] * d[0] + 3e2 * d[2] * d[2] * d[2] * d[2]
  }

  func testReachesTheOptimumAndStopsOnceSettled() {
    let start = [1.25 + 2e-5, -0.08 - 1e-5, 0.24 + 3e-5]
    let r = NewtonPolish.polish(
      criterion, x: start, fx: criterion(start), lower: [0, -.infinity, 0], upper: [.infinity, .infinity, .infinity])
    XCTAssertEqual(r.x[0], 1.25, accuracy: 1e-9)
    XCTAssertEqual(r.x[1], -0.08, accuracy: 1e-9)
    XCTAssertEqual(r.x[2], 0.24, accuracy: 1e-9)
    XCTAssertEqual(r.held, 0)
    // One step from 3e-5 to the noise floor, then the second step (below 1e-6) ends it: the
    // Hessian (2·3 + 4·3 = 18 evaluations), two Richardson gradients (12 each) and two trial points
    // (before, 8 steps: 18 + 8·13 = 122).
    XCTAssertLessThanOrEqual(r.steps, 2)
    XCTAssertGreaterThanOrEqual(r.steps, 1)
    XCTAssertLessThanOrEqual(r.evaluations, 18 + 2 * 12 + 2)
  }

  func testCoordinateAtABoundIsHeld() {
    let start = [1.25 + 2e-5, -0.08, 1e-7]
    let r = NewtonPolish.polish(
      criterion, x: start, fx: criterion(start), lower: [0, -.infinity, 0], upper: [.infinity, .infinity, .infinity])
    XCTAssertEqual(r.held, 1)
    XCTAssertEqual(r.x[2], 1e-7, "a coordinate within two steps of its bound is left to the optimiser")
  }
}
