import BordinStats
import XCTest

/// SEMParameterTable.build against lavaan's `lavaanify` for `sem(fixed.x = FALSE)` with a mean
/// structure (literals from Tests/Fixtures/r/sem-literals.R, "Parameter tables").
final class SEMModelTests: XCTestCase {
  private func rows(_ model: String) throws -> [String] {
    let t = try SEMParameterTable.build(try LavaanModel.parse(model))
    return t.rows.filter { $0.op != .defined }.map { r in
      let what = r.free != nil ? "free" : "fixed \(formatValue(r.value ?? .nan))"
      return "\(r.lhs) \(r.op.rawValue) \(r.rhs) \(what)" + (r.label.isEmpty ? "" : " \(r.label)")
    }
  }

  private func formatValue(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : "\(v)" }

  func testExogenousCovariatesAreModelled() throws {
    XCTAssertEqual(try rows("y ~ x1 + x2 + x3"), [
      "y ~ x1 free", "y ~ x2 free", "y ~ x3 free", "y ~~ y free", "x1 ~~ x1 free",
      "x1 ~~ x2 free", "x1 ~~ x3 free", "x2 ~~ x2 free", "x2 ~~ x3 free", "x3 ~~ x3 free",
      "y ~1  free", "x1 ~1  free", "x2 ~1  free", "x3 ~1  free",
    ])
  }

  func testLatentVariableDefaults() throws {
    XCTAssertEqual(try rows("f =~ x1 + x2 + x3\ng =~ x4 + x5\ny ~ f + g\nz ~ y"), [
      "f =~ x1 fixed 1", "f =~ x2 free", "f =~ x3 free", "g =~ x4 fixed 1", "g =~ x5 free",
      "y ~ f free", "y ~ g free", "z ~ y free", "x1 ~~ x1 free", "x2 ~~ x2 free", "x3 ~~ x3 free",
      "x4 ~~ x4 free", "x5 ~~ x5 free", "y ~~ y free", "z ~~ z free", "f ~~ f free",
      "g ~~ g free", "f ~~ g free", "x1 ~1  free", "x2 ~1  free", "x3 ~1  free", "x4 ~1  free",
      "x5 ~1  free", "y ~1  free", "z ~1  free", "f ~1  fixed 0", "g ~1  fixed 0",
    ])
  }

  func testModifiersLabelsAndDependentCovariances() throws {
    XCTAssertEqual(try rows("f =~ NA*x1 + a*x2 + a*x3\nf ~~ 1*f\ny1 + y2 ~ f\nx1 ~~ 0*x1"), [
      "f =~ x1 free", "f =~ x2 free a", "f =~ x3 free a", "f ~~ f fixed 1", "y1 ~ f free",
      "y2 ~ f free", "x1 ~~ x1 fixed 0", "x2 ~~ x2 free", "x3 ~~ x3 free", "y1 ~~ y1 free",
      "y2 ~~ y2 free", "y1 ~~ y2 free", "x1 ~1  free", "x2 ~1  free", "x3 ~1  free",
      "y1 ~1  free", "y2 ~1  free", "f ~1  fixed 0",
    ])
    // Equal labels are one free parameter.
    let t = try SEMParameterTable.build(try LavaanModel.parse("f =~ NA*x1 + a*x2 + a*x3\nf ~~ 1*f"))
    XCTAssertEqual(t.rows[1].free, t.rows[2].free)
    XCTAssertEqual(t.freeCount, 2 + 3 + 3)
  }

  func testUserInterceptAndCovarianceKeepTheirPlace() throws {
    XCTAssertEqual(try rows("y ~ b*x + b*z\nx ~~ z\ny ~ 0*1"), [
      "y ~ x free b", "y ~ z free b", "x ~~ z free", "y ~1  fixed 0", "y ~~ y free",
      "x ~~ x free", "z ~~ z free", "x ~1  free", "z ~1  free",
    ])
  }

  func testSingleIndicatorResidualFixedAtZero() throws {
    XCTAssertEqual(try rows("f =~ x1\nf ~~ f"), [
      "f =~ x1 fixed 1", "f ~~ f free", "x1 ~~ x1 fixed 0", "x1 ~1  free", "f ~1  fixed 0",
    ])
  }

  func testLabelSharedWithAFixedParameterFixesAll() throws {
    let t = try SEMParameterTable.build(try LavaanModel.parse("y ~ b*x1 + b*x2\ny ~ b*x3 + 0.5*x4"))
    XCTAssertNotNil(t.rows[0].free)
    // '0.5*x2 + b*x2' merges into one fixed, labelled element (lavaan: first of each kind).
    let u = try SEMParameterTable.build(try LavaanModel.parse("y ~ b*x1 + 0.5*x2 + b*x2"))
    XCTAssertNil(u.rows[0].free)
    XCTAssertEqual(u.rows[0].value, 0.5)
    XCTAssertEqual(u.rows.filter { $0.op == .regression }.count, 2)
  }

  /// lavaan 0.6-14: a start value on a fixed element is its fixed value ('start(2)*x1' on a
  /// marker fixes it at 2); 'NA*l1*x1' keeps the marker fixed at 1 with label l1.
  func testStartOnFixedAndChainedLabelAsLavaan() throws {
    let t = try SEMParameterTable.build(try LavaanModel.parse("v =~ start(2)*x1 + x2 + x3\nw =~ NA*l4*x4 + x5 + x6"))
    XCTAssertNil(t.rows[0].free)
    XCTAssertEqual(t.rows[0].value, 2)
    XCTAssertNil(t.rows[3].free)
    XCTAssertEqual(t.rows[3].value, 1)
    XCTAssertEqual(t.rows[3].label, "l4")
  }

  func testVariableOrderAndLatentList() throws {
    let t = try SEMParameterTable.build(try LavaanModel.parse("f =~ x1 + x2 + x3\ny ~ f + w\nx1 ~~ v"))
    XCTAssertEqual(t.observed, ["x1", "x2", "x3", "y", "w", "v"])
    XCTAssertEqual(t.latent, ["f"])
  }

  func testDefinedParameterRowsAtTheEnd() throws {
    let t = try SEMParameterTable.build(try LavaanModel.parse("ab := a * b\ny ~ a*m\nm ~ b*x"))
    let last = try XCTUnwrap(t.rows.last)
    XCTAssertEqual(last.op, .defined)
    XCTAssertEqual(last.lhs, "ab")
    XCTAssertEqual(last.rhs, "a*b")
    XCTAssertEqual(last.label, "ab")
  }

  func testTableErrors() {
    func position(_ model: String) -> (Int, Int, String)? {
      do {
        _ = try SEMParameterTable.build(try LavaanModel.parse(model))
        return nil
      } catch let e as LavaanSyntaxError {
        return (e.line, e.column, e.message)
      } catch { return nil }
    }
    XCTAssertEqual(position("y ~ y")?.0, 1)
    XCTAssertEqual(position("y ~ x\ny ~ x")?.0, 2)
    XCTAssertTrue(position("y ~ x\ny ~ x")?.2.contains("already") == true)
    XCTAssertTrue(position("a ~~ b\nb ~~ a")?.2.contains("already") == true)
    XCTAssertEqual(position("y ~ a*x\nab := a*bb").map { [$0.0, $0.1] }, [2, 9])
    XCTAssertTrue(position("y ~ a*x\nab := a*bb")?.2.contains("unknown parameter label 'bb'") == true)
    XCTAssertTrue(position("y ~ a*x\nab := a*x")?.2.contains("'x' is a variable") == true)
    XCTAssertTrue(position("y ~ a*x\na := 2*a")?.2.contains("already the name") == true)
    XCTAssertTrue(position("y ~ a*x\ny := 2*a")?.2.contains("is a variable") == true)
  }
}
