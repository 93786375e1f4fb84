import BordinStats
import Foundation
import XCTest

/// RootFinding.zeroin against R 4.2.2 `uniroot` (root and iteration count, printed with %.17g):
///   uniroot(function(x) x^3 - 2*x - 5, c(2, 3))                        2.0945412049478809, 5
///   uniroot(function(x) pchisq(5.84634265801958, 4, ncp = x) - 0.05, c(0, 209))
///                                                                        12.545319411202305, 10
///   uniroot(function(x) cos(x) - x, c(0, 1), tol = 1e-12)             0.7390851332151559, 6
/// and with `tol = .Machine$double.xmin` (the bracket at rounding, RootFinder.tightTolerance):
///   uniroot(function(x) x^3 - 2*x - 5, c(2, 3), tol = .Machine$double.xmin)   2.0945514815423265, 8
///   uniroot(function(x) pchisq(5.84634265801958, 4, ncp = x) - 0.05, c(0, 209), tol = ...)
///                                                                        12.545319596465404, 11
final class RootFindingTests: XCTestCase {
  private func run(_ f: (Double) -> Double, _ a: Double, _ b: Double, tol: Double = 0x1p-13)
    -> (root: Double, iterations: Int)?
  {
    RootFinding.zeroin(f, lower: a, upper: b, fLower: f(a), fUpper: f(b), tol: tol)
  }

  func testSameIteratesAsR() throws {
    let a = try XCTUnwrap(run({ $0 * $0 * $0 - 2 * $0 - 5 }, 2, 3))
    XCTAssertEqual(a.root, 2.0945412049478809)
    XCTAssertEqual(a.iterations, 5)
    let b = try XCTUnwrap(run({ Distributions.noncentralChiSquaredCDF(5.84634265801958, df: 4, ncp: $0) - 0.05 }, 0, 209))
    XCTAssertEqual(b.root, 12.545319411202305, accuracy: 1e-13)
    XCTAssertEqual(b.iterations, 10)
    let c = try XCTUnwrap(run({ cos($0) - $0 }, 0, 1, tol: 1e-12))
    XCTAssertEqual(c.root, 0.7390851332151559)
    XCTAssertEqual(c.iterations, 6)
  }

  /// At the tight tolerance the iterates are still R's, and the root is the true one to rounding
  /// (the default tolerance stops the cubic 4.9e-6 relative short).
  func testTightToleranceSameIteratesAsR() throws {
    let tight = Double.leastNormalMagnitude
    let a = try XCTUnwrap(run({ $0 * $0 * $0 - 2 * $0 - 5 }, 2, 3, tol: tight))
    XCTAssertEqual(a.root, 2.0945514815423265)
    XCTAssertEqual(a.iterations, 8)
    let b = try XCTUnwrap(
      run({ Distributions.noncentralChiSquaredCDF(5.84634265801958, df: 4, ncp: $0) - 0.05 }, 0, 209, tol: tight))
    XCTAssertEqual(b.root, 12.545319596465404, accuracy: 1e-13)
    XCTAssertEqual(b.iterations, 11)
  }

  func testRootAtAnEndpoint() throws {
    let r = try XCTUnwrap(run({ $0 - 1 }, 1, 3))
    XCTAssertEqual(r.root, 1)
    XCTAssertEqual(r.iterations, 0)
  }

  func testIterationLimit() {
    XCTAssertNil(RootFinding.zeroin({ $0 * $0 * $0 - 2 * $0 - 5 }, lower: 2, upper: 3, fLower: -1, fUpper: 16, tol: 0, maxiter: 2))
  }
}
