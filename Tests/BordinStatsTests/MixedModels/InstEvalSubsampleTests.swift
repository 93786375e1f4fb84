import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// lme4's `InstEval` restricted to its first 300 students (8,135 rows; 300 students × 999
/// lecturers × 14 departments): `y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)`, three crossed
/// grouping factors with the lecturer block stored dense and scalar (q = 1) levels in every term,
/// the path of the crossed-effects fast update in BlockedCholesky. The full data set is the
/// benchmark of Benchmarks/bench.sh (too slow for the debug-build tests). R values:
/// lmm-insteval.json `insteval_sub_reml` (Tests/Fixtures/r/lmm-insteval.R).
final class InstEvalSubsampleTests: XCTestCase {
  func testCrossedREML() throws {
    let data = try Fixtures.csv("data/insteval-sub.csv")
    let r = try MixedModel.fit("y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)", data: data)
    let cases = try XCTUnwrap(try Fixtures.reference("lmm-insteval")["cases"] as? [String: Any])
    let b = try XCTUnwrap(cases["insteval_sub_reml"] as? [String: Any])
    try LMMReference.assertCase(r, b)
    // Never worse than lme4's (tightly converged) criterion beyond rounding.
    XCTAssertLessThanOrEqual(r.deviance, try LMMReference.number(b, "criterion") + 1e-8)
    XCTAssertEqual(
      r.ngroups,
      [LMMGroupCount(name: "d", levels: 999), LMMGroupCount(name: "s", levels: 300), LMMGroupCount(name: "dept", levels: 14)])
  }
}
