import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// The cases of Tests/Fixtures/anova-references.json (made by Tests/Fixtures/r/anova-references.R):
/// `car::Anova(lm(...), type = 2 | 3)` (type 3 under `contr.sum`) and
/// `effectsize::eta_squared(partial = TRUE)`.
enum AnovaReference {
  static func reference(_ id: String) throws -> [String: Any] {
    let root = try Fixtures.reference("anova-references")
    guard let c = (root["cases"] as? [[String: Any]] ?? []).first(where: { $0["id"] as? String == id }) else {
      throw CSVError("no ANOVA case \(id)")
    }
    return c
  }

  /// Fits the case and asserts every row (term names and order, SS, df, F, p, partial η²), the
  /// residual SS and df and n against R at 1e-8 relative (closed forms, DESIGN §9).
  @discardableResult
  static func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> AnovaResult {
    let c = try reference(id)
    let data = try Fixtures.csv(c["data"] as! String)
    let fit = try AnalysisOfVariance.fit(c["formula"] as! String, data: data, type: c["type"] as! Int)
    let r = c["results"] as! [String: Any]
    let terms = r["terms"] as! [[String: Any]]
    XCTAssertEqual(fit.terms.map(\.term), terms.map { $0["term"] as! String }, "\(id): terms", file: file, line: line)
    for (t, e) in zip(fit.terms, terms) {
      let what = "\(id) \(t.term)"
      assertClose(t.ss, e["ss"] as! Double, rel: 1e-8, "\(what) SS", file: file, line: line)
      XCTAssertEqual(t.df, e["df"] as? Int, "\(what) df", file: file, line: line)
      assertClose(t.f, e["F"] as! Double, rel: 1e-8, "\(what) F", file: file, line: line)
      assertClose(t.p, e["p"] as! Double, rel: 1e-8, "\(what) p", file: file, line: line)
      if let eta = e["eta2_partial"] as? Double {
        assertClose(t.eta2Partial, eta, rel: 1e-8, "\(what) partial eta2", file: file, line: line)
      } else {
        XCTAssertNil(t.eta2Partial, "\(what): effectsize gives no partial eta2", file: file, line: line)
      }
    }
    assertClose(fit.residualSS, r["residual_ss"] as! Double, rel: 1e-8, "\(id) residual SS", file: file, line: line)
    XCTAssertEqual(fit.residualDF, r["residual_df"] as? Int, "\(id) residual df", file: file, line: line)
    XCTAssertEqual(fit.n, r["n"] as? Int, "\(id) n", file: file, line: line)
    XCTAssertEqual(fit.rowsDropped, r["rows_dropped"] as? Int, "\(id) rows dropped", file: file, line: line)
    return fit
  }
}
