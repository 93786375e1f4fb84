import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// lme4's `cbpp` (contagious bovine pleuropneumonia; Lesnoff et al. 2004): binomial counts
/// `cbind(incidence, size - incidence) ~ period + (1 | herd)`, against the Laplace optimum of
/// lme4 1.1-31 (Tests/Fixtures/r/glmm-references.R). glmer's default stops with a deviance
/// 5.7e-4 above it and SEs 0.5–1.3% off.
final class CbppGLMMTests: XCTestCase {
  func testBinomialCountsRandomIntercept() throws {
    let fit = try GLMMReference.check("cbpp")
    XCTAssertTrue(fit.binomialCounts)
    XCTAssertEqual(fit.random.map(\.grp), ["herd"])
    XCTAssertTrue(fit.converged)
    XCTAssertTrue(fit.warnings.isEmpty, "\(fit.warnings)")
  }
}

/// mlmRev's `Contraception` (Bangladesh Fertility Survey 1989; 1,934 women in 60 districts):
/// `use ~ age + I(age^2) + urban + livch + (1 + urban | district)` (correlated random intercept
/// and slope; `use` is a Y/N text outcome, modelled as R codes the factor) and
/// `use ~ age + urban + (1 + age || district)` (uncorrelated), against lme4's Laplace optimum.
final class ContraceptionGLMMTests: XCTestCase {
  func testCorrelatedRandomSlope() throws {
    let fit = try GLMMReference.check("contraception")
    XCTAssertEqual(fit.responseLevels, ["N", "Y"])
    XCTAssertEqual(fit.random.map { $0.var2 ?? "" }, ["", "", "urbanY"])
    XCTAssertEqual(fit.theta.count, 3)
  }

  func testUncorrelatedRandomSlope() throws {
    let fit = try GLMMReference.check("contraception-uncorrelated")
    XCTAssertEqual(fit.random.map(\.grp), ["district", "district.1"])
    XCTAssertEqual(fit.random.map { $0.var1 ?? "" }, ["(Intercept)", "age"])
  }
}

/// lme4's `grouseticks` (Elston et al. 2001): Poisson counts of ticks on red grouse chicks,
/// `TICKS ~ YEAR + HEIGHT + (1 | BROOD)` and with `(1 | LOCATION)` as well (two grouping
/// factors, partly crossed), against lme4's Laplace optimum.
final class GrouseticksGLMMTests: XCTestCase {
  func testPoissonRandomIntercept() throws {
    let fit = try GLMMReference.check("grouseticks")
    XCTAssertEqual(fit.family, .poisson)
    XCTAssertEqual(fit.terms, ["(Intercept)", "factor(YEAR)96", "factor(YEAR)97", "cHEIGHT"])
  }

  func testPoissonTwoGroupingFactors() throws {
    let fit = try GLMMReference.check("grouseticks-location")
    XCTAssertEqual(fit.ngroups.map(\.name), ["BROOD", "LOCATION"])
  }
}

/// Dropout before the 8-month interview ~ 4-month alliance with a therapist random intercept in
/// the simulated PRAC data (seed 1978): the therapist variance is estimated at its bound 0 (a
/// singular fit, as lme4 finds), so the fit equals the glm's.
final class GLMMPracDropoutTests: XCTestCase {
  func testDropoutOnChildAlliance() throws {
    let fit = try GLMMReference.check("prac-dropout")
    XCTAssertTrue(fit.singular)
    XCTAssertTrue(fit.warnings.contains { $0.message.hasPrefix("boundary (singular) fit") })
    XCTAssertEqual(fit.nobs, 188)
    XCTAssertEqual(fit.rowsDropped, 21)
    // At θ = 0 the Laplace likelihood is the GLM's.
    let c = try GLMMReference.reference("prac-dropout")
    let glm = try GeneralizedLinearModel.fit("left8 ~ tasc_child_4", data: try GLMMReference.data(c))
    XCTAssertEqual(fit.logLik, glm.logLik, accuracy: 1e-6)
    for (a, b) in zip(fit.coefficients, glm.coefficients) {
      XCTAssertEqual(a.estimate, b.estimate, accuracy: 1e-5 * b.se)
      assertClose(a.se, b.se, rel: 1e-5, "\(a.term) se")
    }
  }

  func testDropoutOnBothRatings() throws {
    let fit = try GLMMReference.check("prac-dropout-both")
    XCTAssertEqual(fit.theta, [0])
  }
}
