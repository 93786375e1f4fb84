import BordinData
import XCTest

@testable import BordinStats

/// GLM diagnostics: separation (R's "fitted probabilities numerically 0 or 1", naming the
/// diverging coefficient), outcomes a family cannot model, aliased terms, non-convergence.
/// R values from Tests/Fixtures/r/glm-crosstab-change.R (`separation`).
final class GLMDiagnosticsTests: XCTestCase {
  func table(_ x: [Double], _ y: [Double], extra: [(String, Column)] = []) -> Table {
    Table([("x", .numeric(x)), ("y", .numeric(y))] + extra)
  }

  /// x = 1…8, y = 0 0 0 0 1 1 1 1: R "converges" (deviance 4.5e-10) with a warning; Bordin warns
  /// and names `x` as diverging.
  func testCompleteSeparationWarnsAndNamesTheTerm() throws {
    let fit = try GeneralizedLinearModel.fit("y ~ x", data: table((1...8).map(Double.init), [0, 0, 0, 0, 1, 1, 1, 1]))
    XCTAssertEqual(fit.diverging, ["(Intercept)", "x"])
    XCTAssertEqual(fit.warnings.count, 1)
    let w = fit.warnings[0].description
    XCTAssertTrue(w.contains("separation"), w)
    XCTAssertTrue(w.contains("numerically 0 or 1"), w)
    XCTAssertTrue(w.contains("'x' diverges"), w)
    XCTAssertFalse(w.contains("'(Intercept)'"), w)
    XCTAssertLessThan(fit.deviance, 4.52533122060554e-10, "no worse than R's deviance at separation")
    XCTAssertGreaterThan(fit.coefficient("x")!.se, 1e4)
  }

  /// A tie at the boundary (x = 4 in both outcomes): quasi-complete separation; the deviance
  /// tends to log 16 = 2.7725887 (R: 2.77258872854329 after 21 iterations).
  func testQuasiSeparation() throws {
    let fit = try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4, 4, 5, 6, 7], [0, 0, 0, 0, 1, 1, 1, 1]))
    XCTAssertTrue(fit.warnings.first?.contains("'x' diverges") ?? false, "\(fit.warnings)")
    XCTAssertLessThanOrEqual(fit.deviance, 2.77258872854329 + 1e-9)
    XCTAssertEqual(fit.deviance, 4 * log(2.0), accuracy: 1e-6)
  }

  /// A predictor that does not separate gives no warning even with a second one that does not
  /// either (control for the separation rule).
  func testNoSeparationNoWarning() throws {
    let fit = try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 0, 0, 1, 0, 1, 1]))
    XCTAssertEqual(fit.warnings, [])
    XCTAssertEqual(fit.diverging, [])
    XCTAssertTrue(fit.converged)
  }

  /// Poisson with a group whose counts are all 0: the group's log rate diverges to −∞.
  func testPoissonZeroGroupWarns() throws {
    let t = Table([("y", .numeric([0, 0, 0, 3, 5, 2])), ("g", .text(["a", "a", "a", "b", "b", "b"]))])
    let fit = try GeneralizedLinearModel.fit("y ~ g", data: t, family: .poisson)
    XCTAssertTrue(fit.warnings.first?.contains("only zero counts") ?? false, "\(fit.warnings)")
    XCTAssertTrue(fit.warnings.first?.contains("'gb'") ?? false, "\(fit.warnings)")
  }

  func testNonBinaryOutcomeIsAnError() {
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4], [0, 1, 2, 1]))) { e in
      let s = e as? StatsError
      XCTAssertEqual(s?.code, "non-binary-outcome")
      XCTAssertTrue(s?.message.contains("is 2 in row 3") ?? false, s?.message ?? "")
    }
  }

  func testConstantBinaryOutcomeIsAnError() {
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4], [1, 1, 1, 1]))) { e in
      XCTAssertEqual((e as? StatsError)?.code, "zero-variance")
    }
  }

  func testNegativeAndFractionalCountsAreErrors() {
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4], [0, 3, -1, 2]), family: .poisson)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "negative-count")
      XCTAssertTrue((e as? StatsError)?.message.contains("-1 in row 3") ?? false)
    }
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4], [0, 3, 1.5, 2]), family: .poisson)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "non-integer-count")
    }
  }

  /// A missing outcome row is dropped and counted, and the row numbers of errors are the table's.
  func testMissingRowsDroppedAndRowNumbersAreTheTables() throws {
    let fit = try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, .nan, 4, 5, 6], [0, 1, 1, 0, 1, .nan]))
    XCTAssertEqual(fit.n, 4)
    XCTAssertEqual(fit.rowsDropped, 2)
    XCTAssertEqual(fit.rowsUsed, [0, 1, 3, 4])
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, .nan, 3, 4, 5], [0, 1, 1, 7, 0]))) { e in
      XCTAssertTrue((e as? StatsError)?.message.contains("is 7 in row 4") ?? false, "\(e)")
    }
  }

  func testAliasedTermIsAnError() {
    let t = table([1, 2, 3, 4, 5, 6], [0, 1, 0, 1, 1, 0], extra: [("x2", .numeric([2, 4, 6, 8, 10, 12]))])
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x + x2", data: t)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "aliased-term")
      XCTAssertTrue((e as? StatsError)?.message.contains("'x2'") ?? false)
    }
  }

  func testTooFewRows() {
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2], [0, 1]))) { e in
      XCTAssertEqual((e as? StatsError)?.code, "too-few-rows")
    }
  }

  /// With maxit 2 the mtcars fit (8 iterations in R) does not converge: flagged and warned.
  func testNonConvergenceIsWarned() throws {
    let c = try GLMReference.reference("mtcars-am")
    let fit = try GeneralizedLinearModel.fit("am ~ wt + hp", data: try GLMReference.data(c), maxIterations: 2)
    XCTAssertFalse(fit.converged)
    XCTAssertEqual(fit.iterations, 2)
    XCTAssertTrue(fit.warnings.first?.contains("did not converge in 2 iterations") ?? false, "\(fit.warnings)")
  }

  func testBadLevel() {
    XCTAssertThrowsError(try GeneralizedLinearModel.fit("y ~ x", data: table([1, 2, 3, 4], [0, 1, 0, 1]), level: 1.5)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-level")
    }
  }
}
