import BordinData
import BordinStats
import Foundation
import BordinTestSupport
import XCTest

/// A lavaan reference case (shared/reference shape): the model lines of `spec.model`, the data
/// file, and `results.parameters` / `results.fit`.
struct SEMReferenceCase {
  let json: [String: Any]
  let model: String
  let data: Table
  let parameters: [[String: Any]]
  let fit: [String: Any]
  /// The saturated-model values are the maximum's (sem-h1-tight.json), not lavaan's EM stop.
  let h1Tight: Bool

  init(_ name: String) throws {
    json = try Fixtures.reference(name)
    let spec = json["spec"] as! [String: Any]
    model = (spec["model"] as! [String]).joined(separator: "\n")
    data = try Fixtures.csv(json["data"] as! String)
    let results = json["results"] as! [String: Any]
    parameters = results["parameters"] as! [[String: Any]]
    // The RMSEA limits at the root (Tests/Fixtures/roots-tight.json, from this file's own chisq),
    // not at lavaan's default uniroot tolerance: they differ by up to 3.5e-7 relative
    // (riclpm-4wave), inside §9's 1e-5, but the tight values are what Bordin computes.
    var fit = results["fit"] as! [String: Any]
    let tight = try MetaReference.rootsTight()["sem"] as? [String: Any]
    if let t = (tight?[name] as? [String: Any])?["fit"] as? [String: Any] {
      for key in ["rmsea_ci_lb", "rmsea_ci_ub"] { fit[key] = t[key] }
    }
    // Under FIML, every value that depends on the saturated model at its maximum
    // (Tests/Fixtures/sem-h1-tight.json), not at lavaan's EM stopping point (1e-5 on the moments):
    // they differ by up to 4.4e-6 relative (SRMR of sem-hs1939-fiml), and by 1.0 for the SRMR of a
    // saturated model (1.4e-8 at lavaan's stopping point, 7e-15 at the maximum).
    let h1 = (try? Fixtures.reference("sem-h1-tight"))?["results"] as? [String: Any]
    let t = (h1?[name] as? [String: Any])?["fit"] as? [String: Any]
    h1Tight = t != nil
    if let t {
      for key in ["logLik_h1", "chisq", "p", "cfi", "tli", "rmsea", "rmsea_ci_lb", "rmsea_ci_ub", "srmr", "baseline_chisq"] {
        if let v = t[key] as? NSNumber { fit[key] = v }  // (null: not defined at df = 0; lavaan's value stays)
      }
    }
    self.fit = fit
  }

  /// Largest relative error seen per quantity, for the report in the test log.
  final class Errors: @unchecked Sendable {
    var worst: [String: (Double, String)] = [:]
    func note(_ kind: String, _ observed: Double, _ expected: Double, _ what: String) {
      let diff = abs(observed - expected)
      let e = expected == 0 ? diff : diff / abs(expected)
      if e > (worst[kind]?.0 ?? -1) { worst[kind] = (e, what) }
    }
    var summary: String {
      worst.keys.sorted().map { "\($0) \(String(format: "%.2e", worst[$0]!.0)) (\(worst[$0]!.1))" }
        .joined(separator: "; ")
    }
  }

  /// Asserts every parameter and fit index of the case. Tolerances (DESIGN.md §9): estimates and
  /// std.all 1e-5 relative to max(|value|, its SE) (variances `varianceTolerance`), SEs 1e-5
  /// relative, z 1e-5 relative to max(|z|, 1) (z = est/SE); p-values on the z scale (an error ε
  /// in z is ≈ |z|·φ(z)/… ≈ z²ε relative in p); logLik 1e-6 absolute and not below R's; AIC/BIC
  /// 2e-6 absolute (2·logLik); χ²-based indices 1e-5 relative; counts exact.
  func assertMatches(
    _ r: SEMResult, varianceTolerance: Double = Tolerance.optimisedEstimate,
    file: StaticString = #filePath, line: UInt = #line
  ) -> Errors {
    let errors = Errors()
    /// |observed − expected| ≤ tol·max(|expected|, scale).
    func close(_ observed: Double?, _ expected: Double, _ tol: Double, scale: Double, _ what: String) {
      if abs(expected) >= scale {
        assertClose(observed, expected, rel: tol, what, file: file, line: line)
      } else {
        XCTAssertEqual(
          observed ?? .nan, expected, accuracy: tol * scale, "\(what) (on the scale \(scale))",
          file: file, line: line)
      }
    }
    XCTAssertTrue(r.converged, "converged", file: file, line: line)
    XCTAssertEqual(r.parameters.count, parameters.count, "number of parameter rows", file: file, line: line)
    for (k, ref) in parameters.enumerated() where k < r.parameters.count {
      let got = r.parameters[k]
      let lhs = ref["lhs"] as! String
      let op = ref["op"] as! String
      let rhs = ref["rhs"] as! String
      let what = "\(lhs) \(op) \(rhs)"
      XCTAssertEqual("\(got.lhs) \(got.op) \(got.rhs)", what, "row \(k + 1)", file: file, line: line)
      if let label = ref["label"] as? String { XCTAssertEqual(got.label, label, what, file: file, line: line) }
      let isVariance = op == "~~" && lhs == rhs
      let tol = isVariance ? varianceTolerance : Tolerance.optimisedEstimate
      let est = (ref["est"] as! NSNumber).doubleValue
      let se = (ref["se"] as? NSNumber)?.doubleValue ?? 0
      close(got.est, est, tol, scale: se, "\(what) est")
      errors.note(isVariance ? "est(var)" : "est", got.est, est, what)
      assertClose(got.se, se, rel: tol, "\(what) se", file: file, line: line)
      errors.note("se", got.se, se, what)
      if let z = (ref["z"] as? NSNumber)?.doubleValue {
        close(got.z, z, tol, scale: 1, "\(what) z")
        errors.note("z", got.z ?? .nan, z, what)
        let pRef = (ref["p"] as! NSNumber).doubleValue
        // p is a function of z: a relative error ε in z is ≈ z²ε in p; lavaan's
        // 2 * (1 - pnorm(|z|)) is only defined to a multiple of 2⁻⁵² (0 beyond |z| ≈ 8.3).
        let pTol = max(tol * max(1, z * z) * pRef, 4 * Double.ulpOfOne)
        XCTAssertLessThanOrEqual(abs((got.p ?? .nan) - pRef), pTol, "\(what) p \(got.p ?? .nan) vs \(pRef)", file: file, line: line)
        if pRef > 1e-12 { errors.note("p", got.p ?? .nan, pRef, what) }
      } else {
        XCTAssertNil(got.z, "\(what) z of a fixed parameter", file: file, line: line)
        XCTAssertNil(got.p, "\(what) p of a fixed parameter", file: file, line: line)
      }
      if let s = (ref["std_all"] as? NSNumber)?.doubleValue {
        // The SE of std.all, as est's: se·|std.all / est|.
        close(got.stdAll, s, tol, scale: est == 0 ? 0 : se * abs(s / est), "\(what) std_all")
        errors.note("std_all", got.stdAll, s, what)
      } else {
        XCTAssertTrue(got.stdAll.isNaN, "\(what) std_all: lavaan NA, observed \(got.stdAll)", file: file, line: line)
      }
    }
    /// lavaan NA (JSON "NA" or null) is NaN.
    func num(_ k: String) -> Double { (fit[k] as? NSNumber)?.doubleValue ?? .nan }
    let f = r.fit
    let logLik = num("logLik")
    XCTAssertLessThanOrEqual(abs(f.logLik - logLik), Tolerance.objectiveAbsolute, "logLik", file: file, line: line)
    XCTAssertGreaterThanOrEqual(f.logLik, logLik - 1e-9, "logLik not below R's", file: file, line: line)
    errors.note("logLik(abs)", f.logLik - logLik + 1, 1, "")
    let h1 = num("logLik_h1")
    XCTAssertLessThanOrEqual(abs(f.logLikH1 - h1), Tolerance.objectiveAbsolute, "logLik_h1", file: file, line: line)
    if h1Tight {
      // Both sides at the maximum of the saturated likelihood: never below R's, and equal to 1e-9.
      XCTAssertGreaterThanOrEqual(f.logLikH1, h1 - 1e-9, "logLik_h1 below R's maximum", file: file, line: line)
      XCTAssertLessThanOrEqual(abs(f.logLikH1 - h1), 1e-9, "logLik_h1 (maximum)", file: file, line: line)
    }
    errors.note("logLik_h1(abs)", f.logLikH1 - h1 + 1, 1, "")
    for (k, v) in [("aic", f.aic), ("bic", f.bic)] {
      XCTAssertLessThanOrEqual(abs(v - num(k)), 2 * Tolerance.objectiveAbsolute, k, file: file, line: line)
    }
    for (k, v) in [
      ("chisq", f.chisq), ("cfi", f.cfi), ("tli", f.tli), ("rmsea", f.rmsea),
      ("rmsea_ci_lb", f.rmseaCILower), ("rmsea_ci_ub", f.rmseaCIUpper), ("srmr", f.srmr),
      ("baseline_chisq", f.baselineChisq), ("p", f.p),
    ] {
      if num(k).isNaN {
        XCTAssertTrue(v.isNaN, "fit \(k): lavaan NA, observed \(v)", file: file, line: line)
        continue
      }
      if k == "srmr" {
        // A root mean square of residual correlations: relative, and absolute on the scale of a
        // correlation for a (nearly) saturated model.
        // With h1 at its maximum on both sides, 1e-8 (observed ≤ 1.4e-10; lavaan's EM stopping
        // point is up to 4.4e-6 off).
        let rel = h1Tight ? 1e-8 : Tolerance.optimisedEstimate
        XCTAssertLessThanOrEqual(
          abs(v - num(k)), max(rel * abs(num(k)), 1e-10), "fit srmr", file: file, line: line)
      } else {
        assertClose(v, num(k), rel: Tolerance.optimisedEstimate, "fit \(k)", file: file, line: line)
      }
      errors.note("fit." + k, v, num(k), "")
    }
    XCTAssertEqual(f.df, Int(num("df")), "df", file: file, line: line)
    XCTAssertEqual(f.n, Int(num("n")), "n", file: file, line: line)
    XCTAssertEqual(f.npar, Int(num("npar")), "npar", file: file, line: line)
    XCTAssertEqual(f.baselineDf, Int(num("baseline_df")), "baseline_df", file: file, line: line)
    return errors
  }
}
