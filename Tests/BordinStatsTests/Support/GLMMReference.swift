import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// The cases of Tests/Fixtures/glmm-references.json (made by Tests/Fixtures/r/glmm-references.R):
/// lme4 1.1-31 `glmer` (Laplace) at its default stopping point and at the Laplace optimum
/// (tight inner and outer tolerances, Hessian SEs by numDeriv).
enum GLMMReference {
  static func cases() throws -> [String: [String: Any]] {
    let root = try Fixtures.reference("glmm-references")
    var out: [String: [String: Any]] = [:]
    for c in root["cases"] as? [[String: Any]] ?? [] { out[c["id"] as? String ?? ""] = c }
    return out
  }

  static func reference(_ id: String) throws -> [String: Any] {
    guard let c = try cases()[id] else { throw CSVError("no GLMM case \(id)") }
    return c
  }

  /// The dataset of a case with the columns the R script derives (`cHEIGHT`, `left8`).
  static func data(_ c: [String: Any]) throws -> Table {
    var t = try Fixtures.csv(c["data"] as? String ?? "")
    if t.contains("HEIGHT") { t["cHEIGHT"] = .numeric(t.numbers("HEIGHT").map { $0 - 462 }) }
    if t.contains("last_month") { t["left8"] = .numeric(t.numbers("last_month").map { $0.isNaN ? .nan : ($0 < 8 ? 1 : 0) }) }
    return t
  }

  /// The test evaluator plus the two expressions the reference formulas use beyond it:
  /// `factor(x)` (its column, for missingness) and a difference `a - b`.
  static func evaluator(_ t: Table) -> ModelMatrix.Evaluator {
    let base = testEvaluator(t)
    return { code in
      if code.hasPrefix("factor("), code.hasSuffix(")") { return t.numbers(String(code.dropFirst(7).dropLast())) }
      let parts = code.components(separatedBy: " - ")
      if parts.count == 2 { return zip(try base(parts[0]), try base(parts[1])).map { $0 - $1 } }
      return try base(code)
    }
  }

  static func fit(_ id: String, options: GLMMOptions? = nil) throws -> (GLMMResult, [String: Any]) {
    let c = try reference(id)
    let t = try data(c)
    let family = GLMFamily(rawValue: c["family"] as? String ?? "")!
    let fit = try GeneralizedLinearMixedModel.fit(
      c["formula"] as? String ?? "", data: t, options: options ?? GLMMOptions(family: family), evaluate: evaluator(t))
    return (fit, c)
  }

  /// Fits the case and asserts it against R's Laplace optimum at DESIGN §9's tolerances:
  /// estimates, SEs, z and interval 1e-5 relative to max(|value|, SE); θ and variance
  /// components 1e-4 (absolute near 0); logLik 1e-6 absolute; and logLik never below glmer's
  /// default fit (beyond 1e-6, the default's own inner early stop) nor its default (θ, β)
  /// re-evaluated with a converged inner problem (beyond 1e-9).
  @discardableResult
  static func check(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> GLMMResult {
    let (fit, c) = try fit(id)
    let r = c["results"] as! [String: Any]
    let coef = r["coef"] as! [[String: Any]]
    XCTAssertEqual(fit.terms, coef.map { $0["term"] as! String }, "\(id) terms", file: file, line: line)
    for (k, e) in coef.enumerated() where k < fit.coefficients.count {
      let o = fit.coefficients[k], term = e["term"] as! String
      let se = e["se"] as! Double
      let scale = max(abs(e["estimate"] as! Double), se)
      for (f, v) in [("estimate", o.estimate), ("ci_lb", o.ciLower), ("ci_ub", o.ciUpper)] {
        XCTAssertLessThanOrEqual(abs(v - (e[f] as! Double)) / scale, Tolerance.optimisedEstimate, "\(id) \(term) \(f) \(v)", file: file, line: line)
      }
      assertClose(o.se, se, rel: Tolerance.optimisedEstimate, "\(id) \(term) se", file: file, line: line)
      XCTAssertLessThanOrEqual(abs(o.z - (e["z"] as! Double)), Tolerance.optimisedEstimate * max(1, abs(e["z"] as! Double)), "\(id) \(term) z", file: file, line: line)
      assertClose(o.p, e["p"] as! Double, rel: 1e-4, "\(id) \(term) p", file: file, line: line)
      assertClose(o.expEstimate, e["exp_estimate"] as! Double, rel: Tolerance.optimisedEstimate * max(1, scale / abs(e["estimate"] as! Double)), "\(id) \(term) exp", file: file, line: line)
    }
    // jsonlite writes a single θ as a scalar.
    let theta = r["theta"] as? [Double] ?? [r["theta"] as! Double]
    XCTAssertEqual(fit.theta.count, theta.count, "\(id) theta count", file: file, line: line)
    for (o, e) in zip(fit.theta, theta) {
      XCTAssertLessThanOrEqual(abs(o - e), Tolerance.variance * max(abs(e), 0.01), "\(id) theta \(o) vs \(e)", file: file, line: line)
    }
    let random = r["random"] as! [[String: Any]]
    XCTAssertEqual(fit.random.count, random.count, "\(id) random rows", file: file, line: line)
    for (o, e) in zip(fit.random, random) {
      XCTAssertEqual(o.grp, e["grp"] as? String, file: file, line: line)
      XCTAssertEqual(o.var1, e["var1"] as? String, file: file, line: line)
      XCTAssertEqual(o.var2, e["var2"] as? String, file: file, line: line)
      let v = e["vcov"] as! Double, s = e["sdcor"] as! Double
      XCTAssertLessThanOrEqual(abs(o.vcov - v), Tolerance.variance * max(abs(v), 0.01), "\(id) \(o.grp) vcov", file: file, line: line)
      XCTAssertLessThanOrEqual(abs(o.sdcor - s), Tolerance.variance * max(abs(s), 0.01), "\(id) \(o.grp) sdcor", file: file, line: line)
    }
    let ll = r["logLik"] as! Double
    XCTAssertEqual(fit.logLik, ll, accuracy: Tolerance.objectiveAbsolute, "\(id) logLik", file: file, line: line)
    XCTAssertEqual(fit.deviance, -2 * fit.logLik, file: file, line: line)
    XCTAssertEqual(fit.AIC, r["AIC"] as! Double, accuracy: 2 * Tolerance.objectiveAbsolute, "\(id) AIC", file: file, line: line)
    XCTAssertEqual(fit.BIC, r["BIC"] as! Double, accuracy: 2 * Tolerance.objectiveAbsolute, "\(id) BIC", file: file, line: line)
    XCTAssertEqual(fit.npar, r["npar"] as? Int, file: file, line: line)
    XCTAssertEqual(fit.nobs, r["nobs"] as? Int, file: file, line: line)
    let groups = (r["ngroups"] as! [[String: Any]]).map { LMMGroupCount(name: $0["name"] as! String, levels: $0["levels"] as! Int) }
    XCTAssertEqual(fit.ngroups, groups, file: file, line: line)
    XCTAssertEqual(fit.singular, r["singular"] as? Bool, "\(id) singular", file: file, line: line)
    // Never worse than glmer.
    let d = c["default"] as! [String: Any]
    XCTAssertGreaterThanOrEqual(fit.logLik, (d["logLik"] as! Double) - Tolerance.objectiveAbsolute, "\(id) logLik below glmer's default", file: file, line: line)
    XCTAssertLessThanOrEqual(fit.deviance, (d["deviance_converged"] as! Double) + 1e-9, "\(id) deviance above glmer's default (θ, β)", file: file, line: line)
    return fit
  }
}
