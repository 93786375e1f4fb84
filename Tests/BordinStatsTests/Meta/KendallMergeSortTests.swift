import BordinTestSupport
import Foundation
import XCTest

@testable import BordinStats

/// Kendall's τ_b by merge sort (Knight 1966), the O(n log n) count behind the rank correlation
/// test: equal to the O(n²) pairwise sum exactly (every count is an integer), and to R's
/// `cor.test(x, y, method = "kendall")` with many ties (Tests/Fixtures/r/bordinstats-literals.R).
final class KendallMergeSortTests: XCTestCase {
  /// The definition: Σ sign(Δx)sign(Δy) / √(Σ sign(Δx)² Σ sign(Δy)²) over all pairs.
  private func pairwise(_ x: [Double], _ y: [Double]) -> Double {
    var s = 0.0, sx = 0.0, sy = 0.0
    for i in 0..<x.count {
      for j in 0..<i {
        let a = Kendall.sign(x[i] - x[j]), b = Kendall.sign(y[i] - y[j])
        s += a * b; sx += a * a; sy += b * b
      }
    }
    return s / (sx.squareRoot() * sy.squareRoot())
  }

  private var tied: ([Double], [Double]) {
    let i = (1...200).map(Double.init)
    return (i.map { (sin($0) * 5).rounded(.toNearestOrEven) }, i.map { (cos($0 * 1.7) * 4).rounded(.toNearestOrEven) })
  }

  func testEqualsPairwiseSum() {
    let (x, y) = tied
    XCTAssertEqual(Kendall.tau(x, y), pairwise(x, y))
    let u = (0..<500).map { sin(Double($0) * 12.9898) * 43758.5453 }
    let v = (0..<500).map { cos(Double($0) * 78.233) + Double($0 % 7) }
    XCTAssertEqual(Kendall.tau(u, v), pairwise(u, v))
    XCTAssertEqual(Kendall.tau(u, u), 1, accuracy: 1e-15)
    XCTAssertEqual(Kendall.tau(u, u.map { -$0 }), -1, accuracy: 1e-15)
    XCTAssertEqual(Kendall.tau([1, 2, 3], [3, 1, 2]), pairwise([1, 2, 3], [3, 1, 2]))
  }

  func testTiesAgainstR() {
    let (x, y) = tied
    let t = Kendall.test(x, y)
    XCTAssertFalse(t.exact)
    assertClose(t.tau, -0.011634438017276144, rel: Tolerance.closedForm, "tau")
    assertClose(t.z, -0.22182519647841847, rel: Tolerance.closedForm, "z")
    assertClose(t.p, 0.82444996410793947, rel: Tolerance.closedForm, "p")
  }

  func testMergeSortCountsInversions() {
    var a: [Double] = [3, 1, 2, 5, 4, 4, 0]
    // Pairs i < j with a[i] > a[j]: (3,1) (3,2) (3,0) (1,0) (2,0) (5,4) (5,4) (5,0) (4,0) (4,0).
    XCTAssertEqual(Kendall.mergeSortInversions(&a), 10)
    XCTAssertEqual(a, [0, 1, 2, 3, 4, 4, 5])
  }
}
