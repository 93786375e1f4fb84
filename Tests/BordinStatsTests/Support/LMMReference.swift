import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Assertions of an ``LMMResult`` against a shared/reference mixed-model block (`results.REML`,
/// `results.ML`, or a case of lmm-extra.json), by quantity kind (DESIGN.md §9):
///
/// - criterion, logLik, AIC, BIC: 1e-6 absolute, and the criterion never worse than R's (beyond
///   `criterionRounding`, the rounding error of evaluating it);
/// - fixed-effect estimates, SEs, t and interval bounds: 1e-5 relative;
/// - variance components and σ: 1e-4 relative;
/// - Satterthwaite df: 1e-3 relative;
/// - p-values: within the range that t (1e-5) and df (1e-3) at their tolerances give, and equal
///   to 2·pt(−|t|, df) of the fit's own t and df (1e-12). A p of 1e-125 moves by 1% when df
///   moves by 1e-4, so a fixed relative tolerance on p would test df at 1e-6.
///
/// `skip` names values not asserted against this block ("sexgirl.estimate",
/// "child (Intercept) months.vcov"); a test that skips a value must assert it elsewhere.
enum LMMReference {
  /// Rounding error of one criterion evaluation (≈ 1e-13 relative of ~2000).
  static let criterionRounding = 1e-9

  static func number(_ b: [String: Any], _ key: String) throws -> Double {
    try XCTUnwrap((b[key] as? NSNumber)?.doubleValue, "no number \(key)")
  }

  static func list(_ b: [String: Any], _ key: String) throws -> [[String: Any]] {
    try XCTUnwrap(b[key] as? [[String: Any]], "no list \(key)")
  }

  /// Fits-level numbers: nobs, ngroups, criterion, logLik, AIC, BIC, sigma.
  static func assertSummary(
    _ r: LMMResult, _ b: [String: Any], criterionKey: String = "deviance", file: StaticString = #filePath,
    line: UInt = #line
  ) throws {
    XCTAssertEqual(Double(r.nobs), try number(b, "nobs"), "nobs", file: file, line: line)
    if let groups = b["ngroups"] as? [String: Any] {
      XCTAssertEqual(r.ngroups.count, groups.count, "ngroups", file: file, line: line)
      for g in r.ngroups {
        XCTAssertEqual(Double(g.levels), (groups[g.name] as? NSNumber)?.doubleValue, "ngroups \(g.name)", file: file, line: line)
      }
    }
    let crit = try number(b, criterionKey)
    XCTAssertEqual(r.deviance, crit, accuracy: Tolerance.objectiveAbsolute, "criterion", file: file, line: line)
    XCTAssertLessThanOrEqual(r.deviance, crit + criterionRounding, "criterion worse than R's", file: file, line: line)
    XCTAssertEqual(r.logLik, try number(b, "logLik"), accuracy: Tolerance.objectiveAbsolute, "logLik", file: file, line: line)
    XCTAssertEqual(r.AIC, try number(b, "AIC"), accuracy: Tolerance.objectiveAbsolute, "AIC", file: file, line: line)
    XCTAssertEqual(r.BIC, try number(b, "BIC"), accuracy: Tolerance.objectiveAbsolute, "BIC", file: file, line: line)
    assertClose(r.sigma, try number(b, "sigma"), rel: Tolerance.variance, "sigma", file: file, line: line)
  }

  /// Every fixed-effect row: estimate, se, t (1e-5), df, p (1e-3), ci bounds when present (1e-5).
  static func assertFixed(_ r: LMMResult, _ b: [String: Any], skip: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) throws {
    let rows = try list(b, "fixed")
    XCTAssertEqual(r.fixed.map(\.term), rows.compactMap { $0["term"] as? String }, "terms", file: file, line: line)
    for row in rows {
      let term = row["term"] as? String ?? "?"
      guard let f = r.fixed.first(where: { $0.term == term }) else {
        XCTFail("no fixed effect \(term)", file: file, line: line)
        continue
      }
      let check = { (field: String) in !skip.contains("\(term).\(field)") }
      // DESIGN.md §9: estimates relative to max(|value|, SE), t (= estimate/SE) to max(|t|, 1).
      let se = try number(row, "se")
      if check("estimate") {
        let e = try number(row, "estimate")
        XCTAssertEqual(
          f.estimate, e, accuracy: Tolerance.optimisedEstimate * max(abs(e), se), "\(term) estimate", file: file, line: line)
      }
      assertClose(f.se, se, rel: Tolerance.optimisedEstimate, "\(term) se", file: file, line: line)
      if check("t") {
        let t = try number(row, "t")
        XCTAssertEqual(f.t, t, accuracy: Tolerance.optimisedEstimate * max(abs(t), 1), "\(term) t", file: file, line: line)
      }
      assertClose(f.df, try number(row, "df"), rel: Tolerance.satterthwaite, "\(term) df", file: file, line: line)
      if check("p") { try assertP(f, row, "\(term) p", file: file, line: line) }
      if row["ci_lb"] != nil {
        assertClose(f.ciLower, try number(row, "ci_lb"), rel: Tolerance.optimisedEstimate, "\(term) ci_lb", file: file, line: line)
        assertClose(f.ciUpper, try number(row, "ci_ub"), rel: Tolerance.optimisedEstimate, "\(term) ci_ub", file: file, line: line)
      }
    }
  }

  /// The p-value: self-consistent with the fit's t and df, and inside the range that the
  /// reference t and df span at their tolerances.
  static func assertP(_ f: LMMFixedEffect, _ row: [String: Any], _ what: String, file: StaticString, line: UInt) throws {
    let own = Distributions.tTwoSidedP(f.t, df: f.df)
    assertClose(f.p, own, rel: 1e-12, "\(what) = 2 pt(-|t|, df)", file: file, line: line)
    let t = abs(try number(row, "t"))
    let df = try number(row, "df")
    var ps: [Double] = []
    for a in [1 - Tolerance.optimisedEstimate, 1 + Tolerance.optimisedEstimate] {
      for b in [1 - Tolerance.satterthwaite, 1 + Tolerance.satterthwaite] {
        ps.append(Distributions.tTwoSidedP(t * a, df: df * b))
      }
    }
    let lo = ps.min()! * (1 - 1e-12)
    let hi = min(1, ps.max()! * (1 + 1e-12))
    let expected = try number(row, "p")
    XCTAssertTrue(
      f.p >= lo && f.p <= hi,
      "\(what): observed \(f.p), expected \(expected) (range [\(lo), \(hi)] from t and df at tolerance)",
      file: file, line: line)
  }

  /// Every `as.data.frame(VarCorr(fit))` row, in order: names exactly, vcov and sdcor at 1e-4
  /// (relative to max(|value|, sd₁·sd₂) for a covariance and to max(|value|, 1) for a correlation).
  static func assertRandom(_ r: LMMResult, _ b: [String: Any], skip: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) throws {
    let rows = try list(b, "random")
    XCTAssertEqual(r.random.count, rows.count, "variance components", file: file, line: line)
    for (k, row) in rows.enumerated() where k < r.random.count {
      let c = r.random[k]
      XCTAssertEqual(c.grp, row["grp"] as? String, "grp \(k)", file: file, line: line)
      XCTAssertEqual(c.var1, row["var1"] as? String, "var1 \(k)", file: file, line: line)
      XCTAssertEqual(c.var2, row["var2"] as? String, "var2 \(k)", file: file, line: line)
      let what = "\(c.grp) \(c.var1 ?? "-") \(c.var2 ?? "-")"
      // A covariance is compared on the scale of sd₁·sd₂ and a correlation on the scale of 1
      // (a near-zero correlation sits on the flattest direction of the criterion).
      var vcovScale = 0.0, sdcorScale = 0.0
      if let v1 = row["var1"] as? String, let v2 = row["var2"] as? String {
        let sd = { (v: String) in
          rows.first { $0["grp"] as? String == c.grp && $0["var1"] as? String == v && $0["var2"] is NSNull }
            .flatMap { ($0["sdcor"] as? NSNumber)?.doubleValue } ?? 0
        }
        vcovScale = sd(v1) * sd(v2)
        sdcorScale = 1
      }
      func close(_ observed: Double, _ expected: Double, scale: Double, _ name: String) {
        if scale > abs(expected) {
          XCTAssertEqual(observed, expected, accuracy: Tolerance.variance * scale, "\(name) (on the scale \(scale))", file: file, line: line)
        } else {
          assertClose(observed, expected, rel: Tolerance.variance, name, file: file, line: line)
        }
      }
      if !skip.contains("\(what).vcov") {
        close(c.vcov, try number(row, "vcov"), scale: vcovScale, "\(what) vcov")
      }
      if !skip.contains("\(what).sdcor") {
        close(c.sdcor, try number(row, "sdcor"), scale: sdcorScale, "\(what) sdcor")
      }
    }
  }

  static func assertAll(
    _ r: LMMResult, _ b: [String: Any], criterionKey: String = "deviance", skip: Set<String> = [],
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    XCTAssertEqual(r.reml, b["reml"] as? Bool, "reml", file: file, line: line)
    try assertSummary(r, b, criterionKey: criterionKey, file: file, line: line)
    try assertFixed(r, b, skip: skip, file: file, line: line)
    try assertRandom(r, b, skip: skip, file: file, line: line)
  }

  /// A case of Tests/Fixtures/lmm-extra.json (Tests/Fixtures/r/lmm-references.R).
  static func extra(_ name: String) throws -> [String: Any] {
    let cases = try XCTUnwrap(try Fixtures.reference("lmm-extra")["cases"] as? [String: Any])
    return try XCTUnwrap(cases[name] as? [String: Any], "no case \(name)")
  }

  /// Every BLUP of an lmm-extra case (`ranef`) at the estimate tolerance, measured as a vector
  /// estimate: |b − b_R| ≤ 1e-5 · max|b_R| over the levels of the term (the ∞-norm relative
  /// error). Elementwise relative error is meaningless for BLUPs shrunk to near zero (a child
  /// slope of 2e-5 next to slopes of 1e-2).
  static func assertRanef(_ r: LMMResult, _ b: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
    let groups = try list(b, "ranef")
    XCTAssertEqual(r.ranef.count, groups.count, "ranef terms", file: file, line: line)
    for (k, g) in groups.enumerated() where k < r.ranef.count {
      let re = r.ranef[k]
      XCTAssertEqual(re.grp, g["grp"] as? String, "ranef grp", file: file, line: line)
      let levels = try XCTUnwrap(g["levels"] as? [String])
      XCTAssertEqual(re.levels, levels, "ranef levels", file: file, line: line)
      for t in try list(g, "terms") {
        let name = try XCTUnwrap(t["name"] as? String)
        let values = try XCTUnwrap(t["values"] as? [NSNumber]).map(\.doubleValue)
        let scale = values.map(abs).max() ?? 0
        for (l, v) in zip(levels, values) {
          let o = try XCTUnwrap(re.value(term: name, level: l), "ranef \(re.grp) \(name) \(l)", file: file, line: line)
          XCTAssertLessThanOrEqual(
            abs(o - v), Tolerance.optimisedEstimate * scale,
            "ranef \(re.grp) \(name) \(l): observed \(o), expected \(v) (scale \(scale))", file: file, line: line)
        }
      }
    }
  }

  /// Everything an lmm-extra case holds: summary, fixed (with CIs), random, θ, singularity, the
  /// ML deviance at the fit, and every BLUP.
  static func assertExtra(_ r: LMMResult, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    try assertCase(r, try extra(name), file: file, line: line)
  }

  /// Everything a case in lmm-extra.json's format holds (see ``assertExtra(_:_:file:line:)``).
  static func assertCase(_ r: LMMResult, _ b: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
    try assertAll(r, b, criterionKey: "criterion", file: file, line: line)
    XCTAssertEqual(r.singular, b["singular"] as? Bool, "singular", file: file, line: line)
    let theta = try XCTUnwrap(b["theta"] as? [NSNumber]).map(\.doubleValue)
    XCTAssertEqual(r.theta.count, theta.count, "theta", file: file, line: line)
    for (k, (o, e)) in zip(r.theta, theta).enumerated() {
      if e == 0 {
        XCTAssertEqual(o, 0, accuracy: 1e-6, "theta[\(k)] on the boundary", file: file, line: line)
      } else {
        assertClose(o, e, rel: Tolerance.variance, "theta[\(k)]", file: file, line: line)
      }
    }
    XCTAssertEqual(r.mlDeviance, try number(b, "ml_deviance"), accuracy: Tolerance.objectiveAbsolute, "ML deviance at the fit", file: file, line: line)
    try assertRanef(r, b, file: file, line: line)
  }
}
