import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Dropout before the 8-month interview (`last_month < 8`) ~ early alliance in the simulated PRAC
/// data (data/prac/wide.csv), against R 4.2.2 `glm(..., binomial)`: rows without a 4-month
/// rating are dropped and counted, as `na.omit`.
final class GLMPracDropoutTests: XCTestCase {
  func testDropoutOnChildAlliance() throws {
    let fit = try GLMReference.check("prac-dropout")
    XCTAssertEqual(fit.n, 188)
    XCTAssertEqual(fit.rowsDropped, 21)
  }

  func testDropoutOnBothRatingsSexAnxiety() throws {
    let fit = try GLMReference.check("prac-dropout-full")
    XCTAssertEqual(fit.terms, ["(Intercept)", "tasc_child_4", "tasc_caregiver_4", "sexgirl", "anxiety"])
  }
}

/// A two-level text outcome is coded as R codes a factor response: the first sorted level is 0.
/// "left" < "stayed", so the model is of staying: R's dropout coefficients with the sign
/// flipped, the same SEs, deviance and AIC.
final class GLMTextOutcomeTests: XCTestCase {
  func testTextOutcomeIsRsFactorCoding() throws {
    let c = try GLMReference.reference("prac-dropout")
    var t = try GLMReference.data(c)
    t["status"] = .text(t.numbers("last_month").map { $0.isNaN ? nil : ($0 < 8 ? "left" : "stayed") })
    let fit = try GeneralizedLinearModel.fit("status ~ tasc_child_4", data: t)
    XCTAssertEqual(fit.responseLevels, ["left", "stayed"])
    let r = c["results"] as! [String: Any]
    for (o, e) in zip(fit.coefficients, r["coef"] as! [[String: Any]]) {
      assertClose(-o.estimate, e["estimate"] as! Double, rel: 1e-6, "\(o.term) estimate")
      assertClose(o.se, e["se"] as! Double, rel: 1e-5, "\(o.term) se")
    }
    XCTAssertEqual(fit.deviance, r["deviance"] as! Double, accuracy: 1e-6)
    XCTAssertEqual(fit.aic, r["AIC"] as! Double, accuracy: 1e-6)
  }

  func testThreeLevelTextOutcomeIsAnError() throws {
    let t = Table([("y", .text(["a", "b", "c", "a", "b"])), ("x", .numeric([1, 2, 3, 4, 5]))])
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: t)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "non-binary-outcome")
      XCTAssertTrue((e as? StatsError)?.message.contains("has 3 ('a', 'b', 'c')") ?? false, "\(e)")
    }
  }
}
