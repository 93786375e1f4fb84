import BordinTestSupport
import XCTest

@testable import BordinStats

/// lavaan's RMSEA interval (`lav_fit_rmsea_ci`) with both noncentrality roots at rounding, from
/// each SEM reference's own χ², df and N, against R's `uniroot(tol = .Machine$double.xmin)` on the
/// same equations (Tests/Fixtures/roots-tight.json, Tests/Fixtures/r/meta-roots-tight.R). Given χ²
/// the interval is a pure root: both sides at rounding agree far inside 1e-9 (lavaan's default
/// tolerance leaves them up to 3.5e-7 apart, riclpm-4wave's upper limit).
final class RMSEAIntervalTests: XCTestCase {
  func testEveryReferenceCaseAtTheRoot() throws {
    let sem = try XCTUnwrap(try MetaReference.rootsTight()["sem"] as? [String: Any])
    XCTAssertGreaterThanOrEqual(sem.count, 13)
    var worst = 0.0
    for (name, value) in sem.sorted(by: { $0.key < $1.key }) {
      let fit = try XCTUnwrap((value as? [String: Any])?["fit"] as? [String: Any], name)
      func num(_ k: String) throws -> Double { try XCTUnwrap((fit[k] as? NSNumber)?.doubleValue, "\(name) \(k)") }
      let (lo, up) = SEMFit.rmseaInterval(chisq: try num("chisq"), df: Int(try num("df")), n: Int(try num("n")))
      for (got, key) in [(lo, "rmsea_ci_lb"), (up, "rmsea_ci_ub")] {
        let want = try num(key)
        assertClose(got, want, rel: 1e-9, "\(name) \(key)")
        if want != 0 { worst = max(worst, abs(got - want) / want) }
      }
    }
    print("[rmsea ci] largest relative error against R at the root: \(worst)")
  }
}
