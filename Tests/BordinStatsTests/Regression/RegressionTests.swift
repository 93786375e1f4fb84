import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// `lm` on a small data set against R 4.2.2:
/// `set.seed(1); d <- data.frame(y = round(rnorm(12), 3), a = round(rnorm(12), 3),
/// f = rep(c("u", "v", "w"), 4))`.
final class RegressionTests: XCTestCase {
  let tol = Tolerance.closedForm
  let data = Table([
    ("y", .numeric([-0.626, 0.184, -0.836, 1.595, 0.33, -0.82, 0.487, 0.738, 0.576, -0.305, 1.512, 0.39])),
    ("a", .numeric([-0.621, -2.215, 1.125, -0.045, -0.016, 0.944, 0.821, 0.594, 0.919, 0.782, 0.075, -1.989])),
    ("f", .text((0..<12).map { ["u", "v", "w"][$0 % 3] })),
  ])

  /// `summary(lm(y ~ a * f, d))`.
  func testFactorInteraction() throws {
    let fit = try Regression.fit("y ~ a * f", data: data)
    XCTAssertEqual(fit.terms, ["(Intercept)", "a", "fv", "fw", "a:fv", "a:fw"])
    let coef = [0.2541263045027865, 0.14353765420368675, 0.53907303787906213, -0.36003249369916862,
                0.11817641079464511, -0.41017953930325773]
    let se = [0.4852029822650466, 0.75019731619066754, 0.68320068639823806, 0.66900622277649846,
              0.85939268063857344, 0.82750505208837566]
    for j in 0..<6 {
      assertClose(fit.coefficients[j].estimate, coef[j], rel: tol, "coef \(j)")
      assertClose(fit.coefficients[j].se, se[j], rel: tol, "se \(j)")
    }
    assertClose(fit.r2, 0.32085119187877342, rel: tol, "r2")
    assertClose(fit.adjR2, -0.24510614822224874, rel: tol, "adj_r2")
    assertClose(fit.fStatistic, 0.56691762637357479, rel: tol, "F")
    XCTAssertEqual(fit.df1, 5)
    XCTAssertEqual(fit.df2, 6)
    assertClose(fit.sigma, 0.90452107369754653, rel: tol, "sigma")
    XCTAssertEqual(fit.residuals.count, 12)
    for i in 0..<12 { assertClose(fit.fitted[i] + fit.residuals[i], data.numbers("y")[i], rel: 1e-12) }
  }

  /// `summary(lm(y ~ a - 1, d))`: uncentred R²; `confint`; `predict(..., interval =
  /// "confidence", level = 0.9)` at a = 0.7.
  func testNoInterceptAndPrediction() throws {
    let fit = try Regression.fit("y ~ a - 1", data: data)
    XCTAssertFalse(fit.hasIntercept)
    assertClose(fit.coefficients[0].estimate, -0.09670143446681316, rel: tol, "coef")
    assertClose(fit.coefficients[0].se, 0.22827277703868618, rel: tol, "se")
    assertClose(fit.r2, 0.016052287290012457, rel: tol, "r2")
    assertClose(fit.adjR2, -0.073397504774531885, rel: tol, "adj_r2")
    assertClose(fit.fStatistic, 0.17945583683894539, rel: tol, "F")
    XCTAssertEqual(fit.df1, 1)
    XCTAssertEqual(fit.df2, 11)
    assertClose(fit.coefficients[0].ciLower, -0.59912642918186876, rel: tol, "ci_lb")
    assertClose(fit.coefficients[0].ciUpper, 0.40572356024824247, rel: tol, "ci_ub")

    let fit90 = try Regression.fit("y ~ a - 1", data: data, level: 0.9)
    let p = fit90.predict([0.7])
    assertClose(p.fit, -0.067691004126769205, rel: tol, "fit")
    assertClose(p.se, 0.15979094392708032, rel: tol, "se.fit")
    assertClose(p.ciLower, -0.35465713449180192, rel: tol, "lwr")
    assertClose(p.ciUpper, 0.21927512623826351, rel: tol, "upr")
  }

  func testInterceptOnlyModel() throws {
    let fit = try Regression.fit("y ~ 1", data: data)
    XCTAssertNil(fit.fStatistic)
    XCTAssertEqual(fit.df1, 0)
    XCTAssertEqual(fit.r2, 0)
    assertClose(fit.coefficients[0].estimate, Describe.numeric(data.numbers("y")).mean ?? .nan, rel: 1e-14)
  }

  func testLinearCombinationErrors() throws {
    let fit = try Regression.fit("y ~ a * f", data: data)
    XCTAssertThrowsError(try fit.linearCombination(["nope": 1])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "unknown-term")
    }
    let c = try fit.linearCombination(["fv": 1, "fw": -1])
    assertClose(c.estimate, 0.53907303787906213 + 0.36003249369916862, rel: tol)
  }

  func testSingularDesignNamesTheAliasedTerm() {
    var t = data
    t["a2"] = .numeric(data.numbers("a"))
    XCTAssertThrowsError(try Regression.fit("y ~ a + a2", data: t)) { error in
      let e = error as? StatsError
      XCTAssertEqual(e?.code, "aliased-term")
      XCTAssertEqual(e?.message, "term 'a2' is aliased (collinear with a)")
    }
    t["k"] = .numeric([Double](repeating: 3, count: 12))
    XCTAssertThrowsError(try Regression.fit("y ~ a + k", data: t)) { error in
      XCTAssertEqual((error as? StatsError)?.message, "term 'k' is aliased (collinear with (Intercept))")
    }
  }

  func testTooFewRowsAndConstantResponse() {
    let small = data.rows([0, 1, 2])
    XCTAssertThrowsError(try Regression.fit("y ~ a * f", data: small)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-rows")
    }
    var t = data
    t["y"] = .numeric([Double](repeating: 2, count: 12))
    XCTAssertThrowsError(try Regression.fit("y ~ a", data: t)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "zero-variance")
    }
    var missing = data
    missing["a"] = .numeric([Double](repeating: .nan, count: 12))
    XCTAssertThrowsError(try Regression.fit("y ~ a", data: missing)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "all-missing")
    }
    XCTAssertThrowsError(try Regression.fit("~ a", data: data)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "no-response")
    }
  }
}
