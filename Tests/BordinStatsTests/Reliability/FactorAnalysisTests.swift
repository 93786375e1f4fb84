import BordinTestSupport
import XCTest

@testable import BordinStats

/// The symmetric eigensolver added to LinearAlgebra and the one-factor ML factor analysis
/// behind omega. Eigen literals: Tests/Fixtures/r/agreement-literals.R, part 7 (R `eigen`).
final class FactorAnalysisTests: XCTestCase {
  func testSymmetricEigenMatchesR() throws {
    let a = Matrix(rows: 3, cols: 3, values: [4, 1, 2, 1, 3, 0, 2, 0, 5])
    let e = try LinearAlgebra.symmetricEigen(a)
    let values = [6.6690790882822881, 3.4760236029181351, 1.854897308799577]
    let vectors = [-0.63117896877648327, -0.17202653679290814, -0.75632002486599104, 0.37436195478307038, 0.78643569875137942, -0.4912962635115678, 0.67931306198633745, -0.59323331191738327, -0.43198148275855403]
    for k in 0..<3 {
      assertClose(e.values[k], values[k], rel: 1e-13, "value \(k)")
      // Signs are arbitrary: compare up to the sign of each column.
      let sign = (e.vectors[0, k] * vectors[3 * k] < 0) ? -1.0 : 1.0
      for i in 0..<3 { assertClose(sign * e.vectors[i, k], vectors[i + 3 * k], rel: 1e-12, "vector \(i),\(k)") }
    }
    XCTAssertEqual(try LinearAlgebra.symmetricEigen(Matrix(rows: 0, cols: 0)).values, [])
    XCTAssertThrowsError(try LinearAlgebra.symmetricEigen(Matrix(rows: 1, cols: 1, values: [.nan]))) {
      XCTAssertEqual(($0 as? StatsError)?.code, "non-finite")
    }
  }

  /// An exactly one-factor correlation matrix is recovered: R = λλ' + diag(1 − λ²).
  func testRecoversExactOneFactorStructure() throws {
    let lambda = [0.8, 0.7, 0.6, 0.5]
    var r = Matrix.identity(4)
    for i in 0..<4 { for j in 0..<4 where i != j { r[i, j] = lambda[i] * lambda[j] } }
    let s = try FactorAnalysis.oneFactorML(correlation: r)
    for k in 0..<4 { assertClose(s.loadings[k], lambda[k], rel: 1e-10, "loading \(k)") }
    XCTAssertEqual(s.objective, 0, accuracy: 1e-12)
    XCTAssertTrue(s.converged)
    XCTAssertFalse(s.heywood)
  }

  /// λ₁² = r₁₂r₁₃/r₂₃ = 1.28 > 1: a Heywood case, flagged, with ψ₁ on its bound 0.005.
  func testHeywoodCase() throws {
    let r = Matrix(rows: 3, cols: 3, values: [1, 0.8, 0.8, 0.8, 1, 0.5, 0.8, 0.5, 1])
    let s = try FactorAnalysis.oneFactorML(correlation: r)
    XCTAssertTrue(s.heywood)
    XCTAssertEqual(s.uniquenesses[0], FactorAnalysis.lowerUniqueness, accuracy: 1e-9)
    XCTAssertTrue(s.converged)
    let omega = try Omega.total(covariance: r, n: 100, items: ["a", "b", "c"])
    XCTAssertTrue(omega.heywood)
    XCTAssertEqual(omega.df, 0)
  }
}
