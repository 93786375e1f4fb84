import BordinTestSupport
import XCTest

@testable import BordinStats

/// `glm` on R's real datasets against R 4.2.2 (Tests/Fixtures/r/glm-crosstab-change.R):
/// mtcars (Henderson & Velleman 1981), Dobson (1990, p. 93), Hosmer & Lemeshow's birthwt (MASS),
/// warpbreaks (Tippett 1950).
final class GLMRDatasetsTests: XCTestCase {
  /// `glm(am ~ wt + hp, binomial, mtcars)`; the published values of reference-algorithms-2.md
  /// (deviance 10.059110472267, null 43.2297332768578, AIC 16.059110472267).
  func testMtcarsLogistic() throws {
    let fit = try GLMReference.check("mtcars-am")
    assertClose(fit.deviance, 10.059110472267, rel: 1e-11, "deviance")
    assertClose(fit.nullDeviance, 43.2297332768578, rel: 1e-12, "null deviance")
    assertClose(fit.coefficients[1].estimate, -8.08347518244463, rel: 1e-8, "wt")
    XCTAssertEqual(fit.family, .binomial)
  }

  /// `glm(counts ~ outcome + treatment, poisson)`: the treatment SE is exactly √(1/50 + 1/50) = 0.2
  /// at the MLE (R's lagged weights give 0.199999997948).
  func testDobsonPoisson() throws {
    let fit = try GLMReference.check("dobson")
    assertClose(fit.coefficient("treatment2")?.se, 0.2, rel: 1e-10, "treatment2 se at the MLE")
    assertClose(fit.aic, 56.7613184019577, rel: 1e-12, "AIC")
    XCTAssertEqual(fit.coefficient("treatment2")!.estimate, 0, accuracy: 1e-12)
  }

  /// A factor with three levels (race: black, other, white sorted; reference black).
  func testBirthweightFactor() throws {
    let fit = try GLMReference.check("birthwt")
    XCTAssertEqual(fit.terms, ["(Intercept)", "age", "lwt", "raceother", "racewhite", "smoke", "ptl", "ht", "ui"])
  }

  /// Poisson with an interaction of two factors.
  func testWarpbreaksInteraction() throws {
    try GLMReference.check("warpbreaks")
  }

  /// No intercept: the null deviance is about μ₀ = 1/2 and df_null = n.
  func testNoIntercept() throws {
    let fit = try GLMReference.check("mtcars-noint")
    XCTAssertFalse(fit.hasIntercept)
    XCTAssertEqual(fit.dfNull, 32)
  }
}
