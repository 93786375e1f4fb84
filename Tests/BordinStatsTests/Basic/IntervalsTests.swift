import BordinTestSupport
import XCTest

@testable import BordinStats

/// The small interval helpers the plots and `meta` report: a mean's t interval against R's
/// `t.test(x)$conf.int`, a study's Wald interval against metafor's `summary(escalc(...))`
/// (values printed with 17 digits by R 4.2, metafor 3.8-1).
final class IntervalsTests: XCTestCase {
  func testMeanIntervalMatchesRTTest() {
    let x = [2.1, 3.4, 1.9, 5.6, 4.4, 3.3, .nan]
    let ci = MeanInterval(x)
    XCTAssertEqual(ci.n, 6)
    assertClose(ci.lower, 1.9826652930346766, rel: Tolerance.closedForm, "lower")
    assertClose(ci.upper, 4.9173347069653230, rel: Tolerance.closedForm, "upper")
    let ninety = MeanInterval(x, level: 0.90)
    assertClose(ninety.lower, 2.2997738630936615, rel: Tolerance.closedForm, "90% lower")
    assertClose(ninety.upper, 4.6002261369063389, rel: Tolerance.closedForm, "90% upper")
  }

  func testMeanIntervalOfOneValueHasNoWidth() {
    let ci = MeanInterval([3])
    XCTAssertEqual(ci.mean, 3)
    XCTAssertTrue(ci.lower.isNaN && ci.upper.isNaN)
    XCTAssertTrue(MeanInterval([]).mean.isNaN)
  }

  func testStudyIntervalsMatchMetafor() {
    let ci = StudyIntervals.wald(yi: [0.2, -0.1, 0.45], vi: [0.01, 0.04, 0.0225])
    let lb = [0.0040036015459946062, -0.4919927969080107877, 0.1560054023189919592]
    let ub = [0.39599639845400542, 0.29199279690801083, 0.74399459768100806]
    for i in 0..<3 {
      assertClose(ci[i].lower, lb[i], rel: Tolerance.closedForm, "ci.lb[\(i)]")
      assertClose(ci[i].upper, ub[i], rel: Tolerance.closedForm, "ci.ub[\(i)]")
    }
  }
}
