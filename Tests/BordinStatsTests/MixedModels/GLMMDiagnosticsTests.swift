import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Bad input to `glmm` is a typed error naming the row and the remedy; numerical trouble is a
/// warning (DESIGN §6).
final class GLMMDiagnosticsTests: XCTestCase {
  /// 40 rows in 8 groups, a 0/1 outcome and a count.
  private func table(y: [Double]? = nil, counts: [Double]? = nil, groups: [String]? = nil) -> Table {
    let n = 40
    let x = (0..<n).map { Double($0 % 7) - 3 }
    let g = groups ?? (0..<n).map { "g\($0 % 8)" }
    let yy = y ?? (0..<n).map { Double(($0 * 7 + $0 / 8) % 3 == 0 ? 1 : 0) }
    let cc = counts ?? (0..<n).map { Double(($0 * 5) % 4) }
    return Table([("y", .numeric(yy)), ("count", .numeric(cc)), ("x", .numeric(x)), ("g", .text(g))])
  }

  private func code(_ formula: String, _ t: Table, family: GLMFamily = .binomial) -> String? {
    do {
      _ = try GeneralizedLinearMixedModel.fit(formula, data: t, options: GLMMOptions(family: family))
      return nil
    } catch let e as StatsError {
      return e.code
    } catch {
      return "\(error)"
    }
  }

  func testNonBinaryOutcome() {
    var y = table()["y"]!.doubles!
    y[5] = 2
    XCTAssertEqual(code("y ~ x + (1 | g)", table(y: y)), "non-binary-outcome")
  }

  func testNegativeAndFractionalCounts() {
    var c = table()["count"]!.doubles!
    c[3] = -1
    XCTAssertEqual(code("count ~ x + (1 | g)", table(counts: c), family: .poisson), "negative-count")
    c[3] = 1.5
    XCTAssertEqual(code("count ~ x + (1 | g)", table(counts: c), family: .poisson), "non-integer-count")
  }

  func testCbindNeedsBinomialAndCounts() {
    XCTAssertEqual(code("cbind(count, y) ~ x + (1 | g)", table(), family: .poisson), "cbind-family")
    var c = table()["count"]!.doubles!
    c[0] = -2
    XCTAssertEqual(code("cbind(count, y) ~ x + (1 | g)", table(counts: c)), "negative-count")
    c[0] = 0.5
    XCTAssertEqual(code("cbind(count, y) ~ x + (1 | g)", table(counts: c)), "non-integer-count")
  }

  func testOneLevelGroupingFactor() {
    XCTAssertEqual(code("y ~ x + (1 | g)", table(groups: [String](repeating: "only", count: 40))), "one-level-group")
  }

  func testNoRandomEffectsAndConstantOutcome() {
    // lme4's parser refuses a formula without bars; a built MixedFormula without terms too.
    XCTAssertTrue(code("y ~ x", table())?.contains("no random effects terms") ?? false)
    XCTAssertThrowsError(try GeneralizedLinearMixedModel.fit(MixedFormula(fixed: try Formula.parse("y ~ x"), random: []), data: table())) { e in
      XCTAssertEqual((e as? StatsError)?.code, "no-random-effects")
    }
    XCTAssertEqual(code("y ~ x + (1 | g)", table(y: [Double](repeating: 1, count: 40))), "zero-variance")
  }

  func testNonConvergenceIsAWarning() throws {
    let fit = try GeneralizedLinearMixedModel.fit(
      "count ~ x + (1 | g)", data: table(), options: GLMMOptions(family: .poisson, maxEvaluations: 3))
    XCTAssertFalse(fit.converged)
    XCTAssertTrue(fit.warnings.contains { $0.contains("stopped without converging") }, "\(fit.warnings)")
  }

  func testCbindArguments() {
    XCTAssertEqual(GLMMResponse.cbindArguments("cbind(incidence, size - incidence)")?.1, "size - incidence")
    XCTAssertEqual(GLMMResponse.cbindArguments("cbind(a, pmax(b, c))")?.1, "pmax(b, c)")
    XCTAssertNil(GLMMResponse.cbindArguments("cbind(a)"))
    XCTAssertNil(GLMMResponse.cbindArguments("cbind(a, b, c)"))
    XCTAssertNil(GLMMResponse.cbindArguments("log(a)"))
  }
}
