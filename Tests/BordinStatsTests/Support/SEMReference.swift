import BordinData
import BordinStats
import Foundation
import XCTest

/// A lavaan reference case (shared/reference shape): the model lines of `spec.model`, the data
/// file, and `results.parameters` / `results.fit`.
struct SEMReferenceCase {
  let json: [String: Any]
  let model: String
  let data: Table
  let parameters: [[String: Any]]
  let fit: [String: Any]

  init(_ name: String) throws {
    json = try Fixtures.reference(name)
    let spec = json["spec"] as! [String: Any]
    model = (spec["model"] as! [String]).joined(separator: "\n")
    data = try Fixtures.csv(json["data"] as! String)
    let results = json["results"] as! [String: Any]
    parameters = results["parameters"] as! [[String: Any]]
    fit = results["fit"] as! [String: Any]
  }

  /// Largest relative error seen per quantity, for the report in the test log.
  final class Errors: @unchecked Sendable {
    var worst: [String: (Double, String)] = [:]
    var allowances: [String] = []
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

  /// Asserts every parameter and fit index of the case. Tolerances (DESIGN.md §9): estimates,
  /// SEs, z and std.all 1e-5 relative (variances `varianceTolerance`); p-values on the z scale
  /// (a relative error ε in z is ≈ z²ε in p); logLik 1e-6 absolute and not below R's; AIC/BIC
  /// 2e-6 absolute (2·logLik); χ²-based indices 1e-5 relative; counts exact.
  ///
  /// `optimum`: the same case with lavaan's optimum polished by Newton steps (the `-tight`
  /// fixture). When given, each tolerance is widened by exactly the distance between this case's
  /// value and the polished one, i.e. by the convergence error of lavaan's default stopping rule
  /// in this reference; the values that needed it are listed in `Errors.allowances`.
  func assertMatches(
    _ r: SEMResult, varianceTolerance: Double = Tolerance.optimisedEstimate,
    optimum: SEMReferenceCase? = nil, file: StaticString = #filePath, line: UInt = #line
  ) -> Errors {
    let errors = Errors()
    /// Relative tolerance for `value` (this case) whose polished counterpart is `polished`.
    func widen(_ tol: Double, _ value: Double, _ polished: Double?, _ what: String) -> Double {
      guard let polished else { return tol }
      let d = abs(value - polished)
      let extra = value == 0 ? d : d / abs(value)
      if extra > tol { errors.allowances.append("\(what) \(String(format: "%.1e", extra))") }
      return tol + extra
    }
    func polishedValue(_ row: [String: Any]?, _ key: String) -> Double? { (row?[key] as? NSNumber)?.doubleValue }
    XCTAssertTrue(r.converged, "converged", file: file, line: line)
    XCTAssertEqual(r.parameters.count, parameters.count, "number of parameter rows", file: file, line: line)
    for (k, ref) in parameters.enumerated() where k < r.parameters.count {
      let got = r.parameters[k]
      let opt = optimum?.parameters[k]
      let lhs = ref["lhs"] as! String
      let op = ref["op"] as! String
      let rhs = ref["rhs"] as! String
      let what = "\(lhs) \(op) \(rhs)"
      XCTAssertEqual("\(got.lhs) \(got.op) \(got.rhs)", what, "row \(k + 1)", file: file, line: line)
      if let label = ref["label"] as? String { XCTAssertEqual(got.label, label, what, file: file, line: line) }
      let isVariance = op == "~~" && lhs == rhs
      let tol = isVariance ? varianceTolerance : Tolerance.optimisedEstimate
      let est = (ref["est"] as! NSNumber).doubleValue
      assertClose(got.est, est, rel: widen(tol, est, polishedValue(opt, "est"), "\(what) est"), "\(what) est", file: file, line: line)
      errors.note(isVariance ? "est(var)" : "est", got.est, est, what)
      let se = (ref["se"] as? NSNumber)?.doubleValue ?? 0
      assertClose(got.se, se, rel: widen(tol, se, opt == nil ? nil : polishedValue(opt, "se") ?? 0, "\(what) se"), "\(what) se", file: file, line: line)
      errors.note("se", got.se, se, what)
      if let z = (ref["z"] as? NSNumber)?.doubleValue {
        let zTol = widen(tol, z, polishedValue(opt, "z"), "\(what) z")
        assertClose(got.z, z, rel: zTol, "\(what) z", file: file, line: line)
        errors.note("z", got.z ?? .nan, z, what)
        let pRef = (ref["p"] as! NSNumber).doubleValue
        // p is a function of z: a relative error ε in z is ≈ z²ε in p; lavaan's
        // 2 * (1 - pnorm(|z|)) is only defined to a multiple of 2⁻⁵² (0 beyond |z| ≈ 8.3).
        let pTol = max(zTol * max(1, z * z) * pRef, 4 * Double.ulpOfOne)
        XCTAssertLessThanOrEqual(abs((got.p ?? .nan) - pRef), pTol, "\(what) p \(got.p ?? .nan) vs \(pRef)", file: file, line: line)
        if pRef > 1e-12 { errors.note("p", got.p ?? .nan, pRef, what) }
      } else {
        XCTAssertNil(got.z, "\(what) z of a fixed parameter", file: file, line: line)
        XCTAssertNil(got.p, "\(what) p of a fixed parameter", file: file, line: line)
      }
      if let s = (ref["std_all"] as? NSNumber)?.doubleValue {
        assertClose(got.stdAll, s, rel: widen(tol, s, polishedValue(opt, "std_all"), "\(what) std_all"), "\(what) std_all", file: file, line: line)
        errors.note("std_all", got.stdAll, s, what)
      } else {
        XCTAssertTrue(got.stdAll.isNaN, "\(what) std_all: lavaan NA, observed \(got.stdAll)", file: file, line: line)
      }
    }
    /// lavaan NA (JSON "NA" or null) is NaN.
    func num(_ k: String) -> Double { (fit[k] as? NSNumber)?.doubleValue ?? .nan }
    func optNum(_ k: String) -> Double? { (optimum?.fit[k] as? NSNumber)?.doubleValue }
    let f = r.fit
    let logLik = num("logLik")
    XCTAssertLessThanOrEqual(abs(f.logLik - logLik), Tolerance.objectiveAbsolute, "logLik", file: file, line: line)
    XCTAssertGreaterThanOrEqual(f.logLik, logLik - 1e-9, "logLik not below R's", file: file, line: line)
    errors.note("logLik(abs)", f.logLik - logLik + 1, 1, "")
    let h1 = num("logLik_h1")
    XCTAssertLessThanOrEqual(abs(f.logLikH1 - h1), Tolerance.objectiveAbsolute, "logLik_h1", file: file, line: line)
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
      let tol = widen(Tolerance.optimisedEstimate, num(k), optNum(k), "fit \(k)")
      assertClose(v, num(k), rel: tol, "fit \(k)", file: file, line: line)
      errors.note("fit." + k, v, num(k), "")
    }
    XCTAssertEqual(f.df, Int(num("df")), "df", file: file, line: line)
    XCTAssertEqual(f.n, Int(num("n")), "n", file: file, line: line)
    XCTAssertEqual(f.npar, Int(num("npar")), "npar", file: file, line: line)
    XCTAssertEqual(f.baselineDf, Int(num("baseline_df")), "baseline_df", file: file, line: line)
    return errors
  }
}
