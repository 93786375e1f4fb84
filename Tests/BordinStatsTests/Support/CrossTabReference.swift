import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// The cases of Tests/Fixtures/crosstab-references.json (Tests/Fixtures/r/glm-crosstab-change.R):
/// `chisq.test` (correct FALSE and TRUE), unadjusted Cramér's V, `fisher.test`, the sample odds
/// ratio with Woolf's interval.
enum CrossTabReference {
  static func reference(_ id: String) throws -> [String: Any] {
    let root = try Fixtures.reference("crosstab-references")
    guard let c = (root["cases"] as? [[String: Any]])?.first(where: { $0["id"] as? String == id }) else {
      throw CSVError("no crosstab case \(id)")
    }
    return c
  }

  /// The two columns of a case: expanded from its counts, or read from its dataset (with the
  /// outcomes the R script derives).
  static func columns(_ c: [String: Any]) throws -> (Column, Column) {
    if let counts = c["counts"] as? [Int] {
      let xl = c["x_levels"] as! [String], yl = c["y_levels"] as! [String]
      var x: [String?] = [], y: [String?] = []
      for (k, n) in counts.enumerated() {
        x += Array(repeating: xl[k / yl.count], count: n)
        y += Array(repeating: yl[k % yl.count], count: n)
      }
      return (.text(x), .text(y))
    }
    var t = try Fixtures.csv(c["data"] as! String)
    if t.contains("last_month") {
      t["dropout"] = .numeric(t.numbers("last_month").map { $0.isNaN ? .nan : ($0 < 8 ? 1 : 0) })
    }
    if t.contains("ext_post") {
      t["clinical_post"] = .numeric(t.numbers("ext_post").map { $0.isNaN ? .nan : ($0 >= 65 ? 1 : 0) })
    }
    return (t[c["x"] as! String]!, t[c["y"] as! String]!)
  }

  /// Tabulates the case and asserts every field at 1e-10 relative (closed forms), with and
  /// without Yates' correction.
  @discardableResult
  static func check(_ id: String, exact: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> CrossTabResult {
    let c = try reference(id)
    let r = c["results"] as! [String: Any]
    let (x, y) = try columns(c)
    let t = try CrossTabulation.tabulate(x: x, y: y, correct: false, exact: exact)
    XCTAssertEqual(t.xLevels, r["x_levels"] as! [String], "\(id) x levels", file: file, line: line)
    XCTAssertEqual(t.yLevels, r["y_levels"] as! [String], "\(id) y levels", file: file, line: line)
    XCTAssertEqual(t.n, r["n"] as! Int, "\(id) n", file: file, line: line)
    XCTAssertEqual(t.rowsDropped, r["rows_dropped"] as! Int, "\(id) rows dropped", file: file, line: line)
    XCTAssertEqual(t.df, r["df"] as! Int, "\(id) df", file: file, line: line)
    let tol = 1e-10
    assertClose(t.chisq, r["chisq"] as! Double, rel: tol, "\(id) chisq", file: file, line: line)
    assertClose(t.p, r["p"] as! Double, rel: tol, "\(id) p", file: file, line: line)
    assertClose(t.cramersV, r["cramers_v"] as! Double, rel: tol, "\(id) V", file: file, line: line)
    assertClose(t.minExpected, r["min_expected"] as! Double, rel: tol, "\(id) min E", file: file, line: line)
    let cells = r["cells"] as! [[String: Any]]
    XCTAssertEqual(t.cells.count, cells.count, file: file, line: line)
    for (o, e) in zip(t.cells, cells) {
      XCTAssertEqual(o.x, e["x"] as? String, file: file, line: line)
      XCTAssertEqual(o.y, e["y"] as? String, file: file, line: line)
      XCTAssertEqual(o.n, e["n"] as? Int, "\(id) cell n", file: file, line: line)
      assertClose(o.rowPercent, e["row_pct"] as! Double, rel: tol, "\(id) row_pct", file: file, line: line)
      assertClose(o.expected, e["expected"] as! Double, rel: tol, "\(id) expected", file: file, line: line)
    }
    if let f = r["fisher_p"] as? Double {
      assertClose(t.fisherP, f, rel: 1e-9, "\(id) fisher p", file: file, line: line)
    } else {
      XCTAssertNil(t.fisherP, "\(id) no Fisher p", file: file, line: line)
    }
    if let or = r["odds_ratio"] as? Double {
      assertClose(t.oddsRatio, or, rel: tol, "\(id) OR", file: file, line: line)
      assertClose(t.oddsRatioCiLower, r["odds_ratio_ci_lb"] as! Double, rel: tol, "\(id) OR lb", file: file, line: line)
      assertClose(t.oddsRatioCiUpper, r["odds_ratio_ci_ub"] as! Double, rel: tol, "\(id) OR ub", file: file, line: line)
    } else {
      XCTAssertNil(t.oddsRatio, file: file, line: line)
    }
    // Yates (2 × 2 only; identical to Pearson otherwise, as chisq.test).
    let y1 = try CrossTabulation.tabulate(x: x, y: y, correct: true, exact: exact)
    assertClose(y1.chisq, r["chisq_yates"] as! Double, rel: tol, "\(id) Yates chisq", file: file, line: line)
    assertClose(y1.p, r["p_yates"] as! Double, rel: tol, "\(id) Yates p", file: file, line: line)
    assertClose(y1.cramersV, r["cramers_v"] as! Double, rel: tol, "\(id) V is never corrected", file: file, line: line)
    return t
  }
}
