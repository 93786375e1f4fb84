import BordinData
import BordinStats
import BordinTestSupport
import XCTest

/// lavaan's modifier semantics and explicit constraints on the Holzinger & Swineford (1939) CFA
/// with MAR missingness (FIML), against lavaan 0.6-14 (Tests/Fixtures/r/sem-robust.R).
final class HolzingerSwineford1939ConstraintTests: XCTestCase {
  private func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> SEMResult {
    let ref = try SEMReferenceCase(name)
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r, file: file, line: line)
    print("\(name) observed errors: \(errors.summary)")
    return r
  }

  /// `visual =~ NA*x1 + l1*x1` frees and labels the marker (the factor variance fixed at 1);
  /// `textual =~ NA*l4*x4` keeps it fixed at 1 with label l4.
  func testMergedAndChainedModifiers() throws {
    let r = try check("sem-hs1939-modifiers-fiml")
    let x1 = try XCTUnwrap(r.parameter("visual", "=~", "x1"))
    XCTAssertTrue(x1.free)
    XCTAssertEqual(x1.label, "l1")
    let x4 = try XCTUnwrap(r.parameter("textual", "=~", "x4"))
    XCTAssertFalse(x4.free)
    XCTAssertEqual(x4.est, 1)
    XCTAssertEqual(x4.label, "l4")
  }

  /// `a == b` and `c == 2*d - 1`: npar 28, df 26, and the constraints hold exactly.
  func testLinearEqualityConstraints() throws {
    let r = try check("sem-hs1939-equality-fiml")
    let (a, b) = (r.parameter("visual", "=~", "x2")!, r.parameter("visual", "=~", "x3")!)
    let (c, d) = (r.parameter("textual", "=~", "x5")!, r.parameter("textual", "=~", "x6")!)
    XCTAssertEqual(a.est, b.est, accuracy: 1e-12)
    XCTAssertEqual(c.est, 2 * d.est - 1, accuracy: 1e-12)
    XCTAssertEqual(c.se, 2 * d.se, accuracy: 1e-9 * c.se)
  }

  /// `a > 0.7` is active at the optimum (a = 0.7, se 0, no z as lavaan), `t6 < t5` is not;
  /// inequalities do not change npar (30) or df (24).
  func testActiveAndInactiveInequalities() throws {
    let r = try check("sem-hs1939-inequality-fiml")
    let a = try XCTUnwrap(r.parameter("visual", "=~", "x2"))
    XCTAssertEqual(a.est, 0.7, accuracy: 1e-12)
    XCTAssertEqual(a.se, 0)
    XCTAssertNil(a.z)
  }

  private func hs() throws -> Table { try Fixtures.csv("data/hs1939-missing.csv") }

  private func code(_ model: String) throws -> StatsError {
    do {
      _ = try SEM.fit(model: model, data: try hs())
    } catch let e as StatsError {
      return e
    } catch let e as LavaanSyntaxError {
      return e.statsError
    }
    XCTFail("no error for \(model)")
    return StatsError(code: "", message: "")
  }

  /// Freeing a marker without fixing the factor variance leaves the scale unidentified: the
  /// parameters involved are named.
  func testFreedMarkerWithoutScaleIsUnidentified() throws {
    let e = try code("visual =~ NA*x1 + l1*x1 + x2 + x3\ntextual =~ x4 + x5 + x6")
    XCTAssertEqual(e.code, "unidentified")
    XCTAssertTrue(e.message.contains("visual =~ x1 (l1)"), e.message)
    XCTAssertTrue(e.message.contains("visual ~~ visual"), e.message)
  }

  func testBadConstraints() throws {
    let base = "visual =~ x1 + a*x2 + b*x3\ntextual =~ x4 + x5 + x6\n"
    XCTAssertEqual(try code(base + "a == b\na == 2*b\na == 1 + b").code, "inconsistent-constraints")
    XCTAssertEqual(try code(base + "a == b^2").code, "nonlinear-constraint")
    XCTAssertEqual(try code(base + "a == zz").code, "sem-syntax")
    XCTAssertEqual(try code("visual =~ x1 + a*x2 + 0.5*x3 + b*x3\ntextual =~ x4 + x5 + x6\nb == 0.5").code, "bad-constraint")
    // A repeated constraint is redundant, not an error: one fewer parameter, not two.
    let r = try SEM.fit(model: base + "a == b\nb == a", data: try hs())
    let s = try SEM.fit(model: base + "a == b", data: try hs())
    XCTAssertEqual(r.fit.npar, s.fit.npar)
    XCTAssertEqual(r.fit.logLik, s.fit.logLik, accuracy: 1e-8)
  }
}
