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
