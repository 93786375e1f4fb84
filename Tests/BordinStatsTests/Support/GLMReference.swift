import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// The cases of Tests/Fixtures/glm-references.json (made by Tests/Fixtures/r/glm-crosstab-change.R):
/// R's `glm` at the optimum (epsilon 1e-15) and at its default stopping rule.
enum GLMReference {
  static func cases() throws -> [String: [String: Any]] {
    let root = try Fixtures.reference("glm-references")
    var out: [String: [String: Any]] = [:]
    for c in root["cases"] as? [[String: Any]] ?? [] { out[c["id"] as? String ?? ""] = c }
    return out
  }

  static func reference(_ id: String) throws -> [String: Any] {
    guard let c = try cases()[id] else { throw CSVError("no GLM case \(id)") }
    return c
  }

  /// The dataset of a case, with the derived outcomes the R script adds (`dropout`,
  /// `clinical_post`, one row per patient for the sessions data).
  static func data(_ c: [String: Any]) throws -> Table {
    var t = try Fixtures.csv(c["data"] as? String ?? "")
    if t.contains("last_month") {
      t["dropout"] = .numeric(t.numbers("last_month").map { $0.isNaN ? .nan : ($0 < 8 ? 1 : 0) })
    }
    if t.contains("ext_post") {
      t["clinical_post"] = .numeric(t.numbers("ext_post").map { $0.isNaN ? .nan : ($0 >= 65 ? 1 : 0) })
    }
    if t.contains("session"), case .text(let p)? = t["patient"] {
      var seen = Set<String?>()
      t = t.rows(p.indices.filter { seen.insert(p[$0]).inserted })
    }
    return t
  }

  /// Fits the case and asserts every field against R at DESIGN §9's tolerances: estimates
  /// 1e-6 relative, SEs 1e-5, deviance and logLik 1e-6 absolute and the deviance never worse
  /// than R's default fit (beyond 1e-9); closed forms of the fit (df, n) exactly.
  @discardableResult
  static func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> GLMResult {
    let c = try reference(id)
    let family = GLMFamily(rawValue: c["family"] as? String ?? "")!
    let fit = try GeneralizedLinearModel.fit(c["formula"] as? String ?? "", data: try data(c), family: family)
    let r = c["results"] as! [String: Any]
    let coef = r["coef"] as! [[String: Any]]
    XCTAssertEqual(fit.terms, coef.map { $0["term"] as! String }, "\(id) terms", file: file, line: line)
    for (k, e) in coef.enumerated() where k < fit.coefficients.count {
      let o = fit.coefficients[k], term = e["term"] as! String
      let scale = max(abs(e["estimate"] as! Double), e["se"] as! Double)
      XCTAssertLessThanOrEqual(abs(o.estimate - (e["estimate"] as! Double)) / scale, 1e-6, "\(id) \(term) estimate \(o.estimate)", file: file, line: line)
      assertClose(o.se, e["se"] as! Double, rel: 1e-5, "\(id) \(term) se", file: file, line: line)
      XCTAssertLessThanOrEqual(abs(o.z - (e["z"] as! Double)), 1e-5 * max(1, abs(e["z"] as! Double)), "\(id) \(term) z", file: file, line: line)
      assertClose(o.p, e["p"] as! Double, rel: 1e-4, "\(id) \(term) p", file: file, line: line)
      for (f, v) in [("ci_lb", o.ciLower), ("ci_ub", o.ciUpper)] {
        XCTAssertLessThanOrEqual(abs(v - (e[f] as! Double)) / scale, 1e-5, "\(id) \(term) \(f)", file: file, line: line)
      }
      for (f, v) in [("exp_estimate", o.expEstimate), ("exp_ci_lb", o.expCiLower), ("exp_ci_ub", o.expCiUpper)] {
        assertClose(v, e[f] as! Double, rel: 1e-5, "\(id) \(term) \(f)", file: file, line: line)
      }
    }
    XCTAssertEqual(fit.deviance, r["deviance"] as! Double, accuracy: 1e-6, "\(id) deviance", file: file, line: line)
    let rDefault = (c["default"] as! [String: Any])["deviance"] as! Double
    XCTAssertLessThanOrEqual(fit.deviance, rDefault + 1e-9 * max(1, rDefault), "\(id): deviance worse than R's", file: file, line: line)
    assertClose(fit.nullDeviance, r["null_deviance"] as! Double, rel: 1e-10, "\(id) null deviance", file: file, line: line)
    XCTAssertEqual(fit.aic, r["AIC"] as! Double, accuracy: 1e-6, "\(id) AIC", file: file, line: line)
    XCTAssertEqual(fit.logLik, r["logLik"] as! Double, accuracy: 1e-6, "\(id) logLik", file: file, line: line)
    XCTAssertEqual(fit.dfResidual, r["df_residual"] as! Int, "\(id) df_residual", file: file, line: line)
    XCTAssertEqual(fit.dfNull, r["df_null"] as! Int, "\(id) df_null", file: file, line: line)
    XCTAssertEqual(fit.n, r["n"] as! Int, "\(id) n", file: file, line: line)
    XCTAssertEqual(fit.rowsDropped, r["rows_dropped"] as! Int, "\(id) rows dropped", file: file, line: line)
    XCTAssertTrue(fit.converged, "\(id) converged", file: file, line: line)
    XCTAssertEqual(fit.warnings, [], "\(id) warnings", file: file, line: line)
    return fit
  }
}
