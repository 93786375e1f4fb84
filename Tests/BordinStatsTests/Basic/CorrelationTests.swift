import BordinTestSupport
import XCTest

@testable import BordinStats

/// `cor.test` against R 4.2.2 on small samples (values in the comments' R calls).
final class CorrelationTests: XCTestCase {
  let tol = Tolerance.closedForm
  let x = [5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.4]
  let y = [4.1, 5.0, 5.2, 6.3, 4.7, 5.9, 4.4, 5.6]

  /// `cor.test(x, y)`.
  func testPearson() throws {
    let r = try Correlation.test(x, y)
    assertClose(r.r, 0.43027152907874122, rel: tol, "r")
    assertClose(r.t, 1.1675487596841849, rel: tol, "t")
    XCTAssertEqual(r.df, 6)
    assertClose(r.p, 0.28728277905746807, rel: tol, "p")
    assertClose(r.ciLower, -0.39380263260080617, rel: tol, "ci_lb")
    assertClose(r.ciUpper, 0.87089000097372937, rel: tol, "ci_ub")
  }

  /// `cor.test(x, y, method = "spearman")` for n = 8 without ties: exact enumeration (AS 89,
  /// n ≤ 9), p = 0.02177579365079365 for ρ and −ρ.
  func testSpearmanExactEnumeration() throws {
    let xs = [1.2, 3.4, 2.2, 5.1, 4.4, 0.3, 7.7, 6.1]
    let ys = [2.0, 1.0, 3.5, 4.0, 6.5, 0.5, 5.5, 8.0]
    let r = try Correlation.test(xs, ys, method: .spearman)
    XCTAssertTrue(r.exact)
    XCTAssertNil(r.t)
    assertClose(r.p, 0.02177579365079365, rel: tol, "p")
    let n = try Correlation.test(xs, ys.map { -$0 }, method: .spearman)
    assertClose(n.p, 0.02177579365079365, rel: tol, "p (negative)")
  }

  /// `set.seed(3); a <- rnorm(20); b <- a + rnorm(20); cor.test(a, b, method = "spearman")`:
  /// n = 20, AS 89 Edgeworth series.
  func testSpearmanEdgeworth() throws {
    let a = [-0.96193341591988268, -0.29252572287846657, 0.25878821624125148, -1.1521318859151326,
             0.19578282628637539, 0.030123944601631529, 0.085417731612271716, 1.1166102127152657,
             -1.2188574155779879, 1.2673687220898877, -0.74478159613514083, -1.1312185708357361,
             -0.71635849003297691, 0.25265236964621485, 0.15204570665559564, -0.30765642967841988,
             -0.95301733090812224, -0.64824281144847029, 1.2243136242805852, 0.1998116079829696]
    let b = [-1.5404171377798543, -1.2348264563560056, 0.055060036579256816, -2.8186067259452914,
             -0.28867228286461549, -0.7109487161199638, 1.2460335108536071, 2.1286773376494992,
             -1.2909358896645475, 0.13058642399056564, 0.15584313284752938, -0.2794481237435148,
             0.011356684121502925, 0.98915451533482468, -0.20008391029009615, 0.39785908380709356,
             0.34734065782395596, -0.60999079730419925, 0.24502985428430679, 0.99357283885550329]
    let r = try Correlation.test(a, b, method: .spearman)
    assertClose(r.r, 0.5714285714285714, rel: tol, "rho")
    assertClose(r.spearmanS, 570.00000000000011, rel: tol, "S")
    assertClose(r.p, 0.0096326001300190544, rel: tol, "p")
    let n = try Correlation.test(a, b.map { -$0 }, method: .spearman)
    assertClose(n.p, 0.0096326001300190544, rel: tol, "p (negative)")
  }

  func testRanksAverageTies() {
    XCTAssertEqual(Correlation.ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
    XCTAssertEqual(Correlation.ranks([2, 2, 2]), [2, 2, 2])
  }

  func testMissingPairsAreDropped() throws {
    var xm = x
    xm[2] = .nan
    let r = try Correlation.test(xm, y)
    XCTAssertEqual(r.n, 7)
    var xs = x
    xs.remove(at: 2)
    var ys = y
    ys.remove(at: 2)
    XCTAssertEqual(r, try Correlation.test(xs, ys))
  }

  func testMatrixCompleteVersusPairwise() throws {
    var z = [1.0, 3, 2, 5, 4, 7, 6, 8]
    z[0] = .nan
    let vars = [("x", x), ("y", y), ("z", z)]
    let complete = try Correlation.matrix(vars, use: .complete)
    XCTAssertEqual(complete.pairs.map { "\($0.x)-\($0.y)" }, ["x-y", "x-z", "y-z"])
    XCTAssertEqual(complete.pairs.map(\.n), [7, 7, 7])
    XCTAssertEqual(complete.completeRows, 7)
    let pairwise = try Correlation.matrix(vars, use: .pairwise)
    XCTAssertEqual(pairwise.pairs.map(\.n), [8, 7, 7])
    assertClose(pairwise.r[0, 1], 0.43027152907874122, rel: tol, "r[x,y]")
    XCTAssertEqual(pairwise.r[1, 0], pairwise.r[0, 1])
    XCTAssertEqual(pairwise.r[2, 2], 1)
  }

  func testZeroVarianceIsAnError() {
    let c = [Double](repeating: 2, count: 8)
    XCTAssertThrowsError(try Correlation.test(x, c, names: ("x", "const"))) { error in
      let e = error as? StatsError
      XCTAssertEqual(e?.code, "zero-variance")
      XCTAssertEqual(e?.message, "'const' has zero variance in the rows used")
    }
    XCTAssertThrowsError(try Correlation.matrix([("x", x), ("c", c)], method: .spearman)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "zero-variance")
    }
  }

  func testTooFewRowsAndAllMissing() {
    XCTAssertThrowsError(try Correlation.test([1, 2, .nan], [1, 3, 2])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-rows")
    }
    let none = [Double](repeating: .nan, count: 8)
    XCTAssertThrowsError(try Correlation.matrix([("x", x), ("none", none)])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "all-missing")
    }
    XCTAssertThrowsError(try Correlation.matrix([("x", x)])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-variables")
    }
  }

  func testPartialWithCollinearControlIsAnError() {
    let z1 = [1.0, 2, 3, 4, 5, 6, 7, 8]
    let z2 = z1.map { 2 * $0 + 1 }
    XCTAssertThrowsError(try Correlation.partial(x, y, given: [z1, z2])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "not-positive-definite")
    }
  }

  /// A partial correlation given one variable equals the correlation of the residuals of x and
  /// y on z (and the t test uses n − 3 df).
  func testPartialEqualsResidualCorrelation() throws {
    let z = [1.0, 3, 2, 5, 4, 7, 6, 8]
    let p = try Correlation.partial(x, y, given: [z])
    func residuals(_ v: [Double]) throws -> [Double] {
      try LinearAlgebra.leastSquares(Matrix(columns: [[Double](repeating: 1, count: 8), z]), v).residuals
    }
    let expected = Correlation.pearson(try residuals(x), try residuals(y))
    assertClose(p.r, expected, rel: 1e-12, "partial r")
    XCTAssertEqual(p.df, 5)
    let t = expected * (5 / (1 - expected * expected)).squareRoot()
    assertClose(p.t, t, rel: 1e-12, "t")
    assertClose(p.p, 2 * Distributions.tCDF(-abs(t), df: 5), rel: 1e-12, "p")
  }
}
