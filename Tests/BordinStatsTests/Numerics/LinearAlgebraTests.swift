import BordinTestSupport
import XCTest

@testable import BordinStats

final class LinearAlgebraTests: XCTestCase {
  func testCholeskyAndInverse() throws {
    let a = Matrix(rows: 2, cols: 2, values: [4, 2, 2, 3])
    let u = try LinearAlgebra.cholesky(a)
    assertClose(u[0, 0], 2, rel: 1e-15)
    assertClose(u[0, 1], 1, rel: 1e-15)
    XCTAssertEqual(u[1, 0], 0)
    assertClose(u[1, 1], 2.0.squareRoot(), rel: 1e-15)
    let inv = try LinearAlgebra.inverseSPD(a)
    // [[4, 2], [2, 3]]⁻¹ = [[3/8, −1/4], [−1/4, 1/2]]
    assertClose(inv[0, 0], 0.375, rel: 1e-15)
    assertClose(inv[0, 1], -0.25, rel: 1e-15)
    assertClose(inv[1, 0], -0.25, rel: 1e-15)
    assertClose(inv[1, 1], 0.5, rel: 1e-15)
  }

  func testNotPositiveDefiniteThrows() {
    let a = Matrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
    XCTAssertThrowsError(try LinearAlgebra.inverseSPD(a)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "not-positive-definite")
    }
  }

  func testLeastSquaresExactFit() throws {
    // y = 1 + 2x exactly.
    let x = Matrix(columns: [[1, 1, 1, 1], [0, 1, 2, 3]])
    let fit = try LinearAlgebra.leastSquares(x, [1, 3, 5, 7])
    assertClose(fit.coefficients[0], 1, rel: 1e-14)
    assertClose(fit.coefficients[1], 2, rel: 1e-14)
    XCTAssertEqual(fit.rank, 2)
    XCTAssertTrue(fit.residuals.allSatisfy { abs($0) < 1e-14 })
    // (X'X)⁻¹ for X'X = [[4, 6], [6, 14]] is [[0.7, −0.3], [−0.3, 0.2]].
    assertClose(fit.unscaledCovariance[0, 0], 0.7, rel: 1e-14)
    assertClose(fit.unscaledCovariance[0, 1], -0.3, rel: 1e-14)
    assertClose(fit.unscaledCovariance[1, 1], 0.2, rel: 1e-14)
  }

  func testAliasedColumnIsDroppedLikeR() throws {
    let x = Matrix(columns: [[1, 1, 1, 1, 1], [1, 2, 3, 4, 6], [2, 4, 6, 8, 12], [0, 1, 0, 1, 0]])
    let fit = try LinearAlgebra.leastSquares(x, [1, 2, 2, 4, 5])
    XCTAssertEqual(fit.aliased, [2])
    XCTAssertEqual(fit.kept, [0, 1, 3])
    XCTAssertEqual(fit.rank, 3)
    XCTAssertTrue(fit.coefficients[2].isNaN)
  }

  func testBadInputThrows() {
    let x = Matrix(columns: [[1, 1], [1, 2], [3, 4]])
    XCTAssertThrowsError(try LinearAlgebra.leastSquares(x, [1, 2])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-rows")
    }
    let y = Matrix(columns: [[1, 1, 1], [1, .nan, 3]])
    XCTAssertThrowsError(try LinearAlgebra.leastSquares(y, [1, 2, 3])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "non-finite")
    }
  }

  func testMatrixHelpers() {
    let m = Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(m[1, 2], 6)
    XCTAssertEqual(m.transposed[2, 1], 6)
    XCTAssertEqual(m.multiplied(by: [1, 1, 1]), [9, 12])
    XCTAssertEqual(m.multiplied(by: m.transposed), Matrix(rows: 2, cols: 2, values: [35, 44, 44, 56]))
    XCTAssertEqual(Matrix.identity(2).quadraticForm([3, 4]), 25)
  }
}
