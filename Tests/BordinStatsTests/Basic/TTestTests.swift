import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// `t.test` against R 4.2.2 with
/// `x <- c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.4); y <- c(4.1, 5.0, 5.2, 6.3, 4.7, 5.9, 4.4, 5.6)`.
final class TTestTests: XCTestCase {
  let tol = Tolerance.closedForm
  let x = [5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.4]
  let y = [4.1, 5.0, 5.2, 6.3, 4.7, 5.9, 4.4, 5.6]

  /// `t.test(x, mu = 5)`.
  func testOneSample() throws {
    let r = try TTest.oneSample(x, mu: 5)
    assertClose(r.t, 3.4224072357229378, rel: tol, "t")
    XCTAssertEqual(r.df, 7)
    assertClose(r.p, 0.011099053034481476, rel: tol, "p")
    assertClose(r.ciLower, 5.2008992186867449, rel: tol, "ci_lb")
    assertClose(r.ciUpper, 6.0991007813132558, rel: tol, "ci_ub")
    assertClose(r.d, 0.65 / 0.53718844791323339, rel: 1e-12, "d")
  }

  /// `t.test(x, y, var.equal = TRUE, conf.level = 0.9)`.
  func testStudent() throws {
    let r = try TTest.twoSample(x, y, varEqual: true, level: 0.9)
    XCTAssertEqual(r.kind, .student)
    assertClose(r.t, 1.5275252316519468, rel: tol, "t")
    XCTAssertEqual(r.df, 14)
    assertClose(r.p, 0.14890387474453945, rel: tol, "p")
    assertClose(r.ciLower, -0.076524072820099195, rel: tol, "ci_lb")
    assertClose(r.ciUpper, 1.0765240728200991, rel: tol, "ci_ub")
  }

  /// `t.test(x, y)` (Welch) and Cohen's d with the pooled SD.
  func testWelchAndCohensD() throws {
    let r = try TTest.twoSample(x, y)
    XCTAssertEqual(r.kind, .welch)
    assertClose(r.t, 1.5275252316519465, rel: tol, "t")
    assertClose(r.df, 12.650094373719933, rel: tol, "df")
    assertClose(r.p, 0.15124059684890165, rel: tol, "p")
    assertClose(r.ciLower, -0.20914011414280029, rel: tol, "ci_lb")
    assertClose(r.ciUpper, 1.2091401141428002, rel: tol, "ci_ub")
    // d = (mean x − mean y) / sqrt(((n1−1)s1² + (n2−1)s2²)/(n1+n2−2)); equal n: t·√(2/n) (Student t).
    assertClose(r.d, 1.5275252316519468 * (2.0 / 8).squareRoot(), rel: 1e-12, "d")
    assertClose(r.meanDiff, 5.65 - 5.15, rel: 1e-12, "mean_diff")
  }

  func testPairedIsOneSampleOfDifferences() throws {
    let p = try TTest.paired(x, y)
    let o = try TTest.oneSample(zip(x, y).map { $0 - $1 })
    XCTAssertEqual(p.t, o.t)
    XCTAssertEqual(p.ciLower, o.ciLower)
    XCTAssertEqual(p.d, o.d)
    XCTAssertEqual(p.kind, .paired)
    XCTAssertEqual(p.meanX, Regression.mean(x))
  }

  func testFormulaGroupsAndErrors() throws {
    let t = Table([
      ("score", .numeric(x + y)),
      ("arm", .text([String?](repeating: "b", count: 8) + [String?](repeating: "a", count: 8))),
      ("site", .text((0..<16).map { ["p", "q", "r"][$0 % 3] })),
    ])
    let r = try TTest.twoSample("score ~ arm", data: t)
    XCTAssertEqual(r.groups, ["a", "b"])
    assertClose(r.t, -1.5275252316519465, rel: tol, "t (a − b)")
    XCTAssertThrowsError(try TTest.twoSample("score ~ site", data: t)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "not-two-groups")
    }
    XCTAssertThrowsError(try TTest.twoSample("score ~ arm + site", data: t)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "bad-formula")
    }
    XCTAssertThrowsError(try TTest.twoSample("arm ~ site", data: t)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "non-numeric-response")
    }
  }

  func testDegenerateInput() {
    XCTAssertThrowsError(try TTest.oneSample([1])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(try TTest.oneSample([.nan, .nan, .nan])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(try TTest.paired([1, 2, 3], [0, 1, 2])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "zero-variance")
    }
    XCTAssertThrowsError(try TTest.twoSample([3, 3, 3], [3, 3])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "zero-variance")
    }
    XCTAssertThrowsError(try TTest.twoSample([1, 2], [3])) { error in
      XCTAssertEqual((error as? StatsError)?.code, "too-few-rows")
    }
    XCTAssertThrowsError(try TTest.oneSample(x, level: 1.5)) { error in
      XCTAssertEqual((error as? StatsError)?.code, "bad-level")
    }
  }
}
