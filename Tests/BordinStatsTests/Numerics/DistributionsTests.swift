import BordinTestSupport
import XCTest

@testable import BordinStats

/// Rmath wrappers against R 4.2.2 (`sprintf("%.17g", ...)`). Rmath is R's own nmath, so the
/// agreement is to the last bit; the tolerance only absorbs the 17-digit decimal round trip.
final class DistributionsTests: XCTestCase {
  let tol = Tolerance.distribution

  func testTDistribution() {
    assertClose(Distributions.tCDF(-3.974, df: 12), 0.00092306901833617079, rel: tol, "pt")
    assertClose(Distributions.tCDF(2.5, df: 7, lowerTail: false), 0.020496109292876437, rel: tol, "pt upper")
    assertClose(Distributions.tQuantile(0.975, df: 12), 2.1788128296672284, rel: tol, "qt")
    assertClose(Distributions.tTwoSidedP(2.5, df: 7), 2 * 0.020496109292876437, rel: tol, "2-sided")
  }

  func testNormal() {
    assertClose(Distributions.normalQuantile(0.975), 1.9599639845400536, rel: tol, "qnorm")
    assertClose(Distributions.normalCDF(-1.5), 0.066807201268858071, rel: tol, "pnorm")
    assertClose(Distributions.normalCDF(1, mean: 2, sd: 3), 0.36944134018176367, rel: tol, "pnorm(1,2,3)")
    assertClose(Distributions.normalQuantile(0.1, mean: 5, sd: 2), 2.4368968689107984, rel: tol, "qnorm(.1,5,2)")
    assertClose(Distributions.normalCDF(1.5, lowerTail: false), 0.066807201268858071, rel: tol, "upper")
  }

  func testFAndChiSquare() {
    assertClose(Distributions.fCDF(11.027, df1: 5, df2: 15, lowerTail: false), 0.00013458352967583547, rel: tol, "pf")
    assertClose(Distributions.fQuantile(0.95, df1: 3, df2: 20), 3.0983912121407795, rel: tol, "qf")
    assertClose(Distributions.chiSquaredCDF(152.233, df: 12, lowerTail: false), 1.9967721373353058e-26, rel: tol, "pchisq")
    assertClose(Distributions.chiSquaredQuantile(0.95, df: 4), 9.487729036781154, rel: tol, "qchisq")
  }

  func testOutOfDomainIsNaN() {
    XCTAssertTrue(Distributions.tQuantile(1.5, df: 3).isNaN)
    XCTAssertTrue(Distributions.tCDF(1, df: -1).isNaN)
  }
}
