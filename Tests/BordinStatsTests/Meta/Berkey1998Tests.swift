import BordinData
import BordinTestSupport
import Foundation
import XCTest

@testable import BordinStats

/// Multivariate meta-analysis on metadat's dat.berkey1998 (Berkey et al. 1998: periodontal
/// surgery vs non-surgical treatment, probing depth PD and attachment level AL in 5 trials),
/// `rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN")` with V from
/// `vcalc(vi = 1, cluster = trial, rvars = c(v1i, v2i))` (metafor 3.8-1, bobyqa rhoend 1e-12;
/// Tests/Fixtures/r/meta-multivariate-berkey1998.R → meta-berkey1998.json). DESIGN §9: estimates,
/// SEs, z/t, CIs at 1e-5; τ² and ρ (variance parameters) at 1e-4; logLik at 1e-6 absolute and
/// never below metafor's; QE (closed form in V) at 1e-8.
final class Berkey1998Tests: XCTestCase {
  private var data = Table()
  private var results: [String: Any] = [:]

  override func setUpWithError() throws {
    data = try Fixtures.csv("data/meta-berkey1998.csv")
    results = try XCTUnwrap(Fixtures.reference("meta-berkey1998")["results"] as? [String: Any])
  }

  private func covariance(_ table: Table) throws -> WithinStudyCovariance {
    try WithinStudyCovariance.build(
      rvars: [("v1i", table.numbers("v1i")), ("v2i", table.numbers("v2i"))],
      cluster: (0..<table.rowCount).map { table["trial"]?.string(at: $0) })
  }

  private func fit(
    _ table: Table? = nil, mods: String? = "~ outcome - 1", structure: MetaCovarianceStructure = .UN,
    method: MetaMethod = .REML, test: MetaTest = .z
  ) throws -> MultivariateMetaResult {
    let t = table ?? data
    return try MetaMultivariate.fit(
      yi: t.numbers("yi"), covariance: try covariance(t), rvars: ["v1i", "v2i"], random: "~ outcome | trial",
      structure: structure, data: t, mods: mods, method: method, test: test,
      evaluate: formulaEvaluator)
  }

  private func formulaEvaluator(_ t: Table) -> ModelMatrix.Evaluator {
    { code in
      // I(year - 1983): the only expression these models use.
      guard code.replacingOccurrences(of: " ", with: "") == "year-1983" else {
        throw StatsError(code: "unknown", message: code)
      }
      return t.numbers("year").map { $0 - 1983 }
    }
  }

  private func numbers(_ b: [String: Any], _ key: String) throws -> [Double] {
    if let a = b[key] as? [NSNumber] { return a.map(\.doubleValue) }
    return [try MetaReference.number(b, key)]
  }

  private func check(_ r: MultivariateMetaResult, _ key: String) throws {
    let b = try MetaReference.block(results, key)
    let tol = Tolerance.optimisedEstimate
    XCTAssertEqual(r.k, Int(try MetaReference.number(b, "k")), key)
    let terms = (b["terms"] as? [String]) ?? [(b["terms"] as? String) ?? ""]
    XCTAssertEqual(r.coefficients.map(\.term), terms, key)
    for (j, c) in r.coefficients.enumerated() {
      let ref = { (name: String) throws -> Double in try self.numbers(b, name)[j] }
      // Each value at 1e-5 relative to max(|value|, its SE) (DESIGN §9).
      let scale = max(abs(try ref("coef")), try ref("se"))
      XCTAssertEqual(c.estimate, try ref("coef"), accuracy: tol * scale, "\(key) coef \(c.term)")
      assertClose(c.se, try ref("se"), rel: tol, "\(key) se \(c.term)")
      assertClose(c.z ?? c.t, try ref("stat"), rel: tol, "\(key) stat \(c.term)")
      try assertP(c.p, own: tTest(c.z ?? c.t!, c.df), reference: { self.tTest($0, c.df) }, at: try ref("stat"), expected: try ref("p"), "\(key) p \(c.term)")
      XCTAssertEqual(c.ciLower, try ref("ci_lb"), accuracy: tol * scale, "\(key) ci_lb \(c.term)")
      XCTAssertEqual(c.ciUpper, try ref("ci_ub"), accuracy: tol * scale, "\(key) ci_ub \(c.term)")
    }
    let tau2 = try numbers(b, "tau2")
    for (j, t) in r.tau2.enumerated() {
      assertClose(t.tau2, tau2[tau2.count == 1 ? 0 : j], rel: Tolerance.variance, "\(key) tau2 \(t.level)")
    }
    XCTAssertEqual(r.tau2.map(\.level), b["levels"] as? [String], key)
    XCTAssertEqual(r.tau2.map(\.groups), try numbers(b, "k_lvl").map { Int($0) }, key)
    if r.structure == .UN || r.structure == .CS {
      XCTAssertEqual(r.rho.count, 1)
      XCTAssertEqual(r.rho.first?.rho ?? .nan, try MetaReference.number(b, "rho"), accuracy: Tolerance.variance, "\(key) rho")
    } else {
      XCTAssertTrue(r.rho.isEmpty)
    }
    XCTAssertEqual(r.outerGroups, Int(try MetaReference.number(b, "groups")))
    assertClose(r.QE, try MetaReference.number(b, "QE"), rel: Tolerance.closedForm, "\(key) QE")
    assertClose(r.QEP, try MetaReference.number(b, "QE_p"), rel: Tolerance.closedForm, "\(key) QE_p")
    XCTAssertEqual(r.QEDf, Int(try MetaReference.number(b, "QE_df")))
    assertClose(r.QM, try MetaReference.number(b, "QM"), rel: tol, "\(key) QM")
    let qmp = { (q: Double) -> Double in
      r.QMDf2.map { Distributions.fCDF(q, df1: Double(r.QMDf), df2: Double($0), lowerTail: false) }
        ?? Distributions.chiSquaredCDF(q, df: Double(r.QMDf), lowerTail: false)
    }
    try assertP(try XCTUnwrap(r.QMP), own: qmp(try XCTUnwrap(r.QM)), reference: qmp, at: try MetaReference.number(b, "QM"),
                expected: try MetaReference.number(b, "QM_p"), "\(key) QM_p")
    XCTAssertEqual(r.QMDf, Int(try MetaReference.number(b, "QM_df")))
    let ll = try MetaReference.number(b, "logLik")
    XCTAssertEqual(r.logLik, ll, accuracy: Tolerance.objectiveAbsolute, "\(key) logLik")
    XCTAssertGreaterThanOrEqual(r.logLik, ll - 1e-10, "\(key) logLik never worse than metafor's")
    XCTAssertEqual(r.AIC, try MetaReference.number(b, "AIC"), accuracy: Tolerance.objectiveAbsolute, "\(key) AIC")
    XCTAssertEqual(r.BIC, try MetaReference.number(b, "BIC"), accuracy: Tolerance.objectiveAbsolute, "\(key) BIC")
  }

  /// Two-sided p of a z (df nil) or t statistic.
  private func tTest(_ stat: Double, _ df: Int?) -> Double {
    df.map { 2 * Distributions.tCDF(-abs(stat), df: Double($0)) } ?? 2 * Distributions.normalCDF(abs(stat), lowerTail: false)
  }

  /// A p-value, as LMMReference.assertP: consistent with the fit's own statistic (1e-12) and inside
  /// the range the reference statistic spans at its tolerance (1e-5). On this flat likelihood a
  /// change of 1e-12 in logLik moves p by 3e-5 relative: the reference optimiser's stopping point
  /// decides p's last digits (Bordin's logLik is the higher), not the model.
  private func assertP(
    _ p: Double, own: Double, reference: (Double) -> Double, at stat: Double, expected: Double, _ what: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    assertClose(p, own, rel: 1e-12, "\(what) from its own statistic", file: file, line: line)
    let ps = [1 - Tolerance.optimisedEstimate, 1 + Tolerance.optimisedEstimate].map { reference(stat * $0) }
    let lo = ps.min()! * (1 - 1e-12), hi = min(1, ps.max()! * (1 + 1e-12))
    XCTAssertTrue(p >= lo && p <= hi, "\(what): observed \(p), expected \(expected) (range [\(lo), \(hi)])", file: file, line: line)
  }

  func testUnstructuredREML() throws {
    let r = try fit()
    try check(r, "reml")
    XCTAssertEqual(r.parameters, 3)
    XCTAssertEqual(r.structure, .UN)
    XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
  }

  func testUnstructuredMLWithYear() throws {
    try check(try fit(mods: "~ outcome + outcome:I(year - 1983) - 1", method: .ML), "ml_year")
  }

  func testTTests() throws {
    let r = try fit(test: .knha)
    try check(r, "reml_t")
    XCTAssertEqual(r.coefficients.first?.df, 8)
    XCTAssertEqual(r.QMDf2, 8)
  }

  func testInterceptOnly() throws {
    let ri = try fit(mods: nil); print(String(format: "OURS %.15g %.15g %.15g %.15g %.15g", ri.logLik, ri.tau2[0].tau2, ri.tau2[1].tau2, ri.rho[0].rho, ri.coefficients[0].p))
    try check(ri, "reml_intercept")
  }

  func testCompoundSymmetryAndDiagonal() throws {
    try check(try fit(structure: .CS), "reml_cs")
    try check(try fit(structure: .DIAG), "reml_diag")
  }

  /// A trial with one outcome only (Becker et al. without its AL row) is fine.
  func testStudyWithOneOutcome() throws {
    let nine = data.rows(Array(0..<9))
    let r = try fit(nine)
    try check(r, "one_outcome")
    XCTAssertEqual(r.tau2.map(\.groups), [4, 5])
  }

  /// On the boundary (ML with year, nine rows): the between-trial correlation goes to 1, where
  /// Fisher scoring stalls; the Cholesky polish reaches metafor's optimum (logLik at 1e-6 and
  /// not below), with the boundary reported.
  func testBoundaryCorrelationOne() throws {
    let r = try fit(data.rows(Array(0..<9)), mods: "~ outcome + outcome:I(year - 1983) - 1", method: .ML)
    let b = try MetaReference.block(results, "boundary_ml_year")
    let ll = try MetaReference.number(b, "logLik")
    XCTAssertEqual(r.logLik, ll, accuracy: Tolerance.objectiveAbsolute)
    XCTAssertGreaterThanOrEqual(r.logLik, ll - 1e-9, "logLik never worse than metafor's")
    XCTAssertEqual(r.rho.first?.rho ?? .nan, 1, accuracy: Tolerance.variance)
    XCTAssertTrue(r.warnings.contains { $0.contains("boundary") }, "\(r.warnings)")
    let tau2 = try numbers(b, "tau2")
    for (j, t) in r.tau2.enumerated() { assertClose(t.tau2, tau2[j], rel: Tolerance.variance, "tau2 \(t.level)") }
    let coef = try numbers(b, "coef"), se = try numbers(b, "se")
    for (j, c) in r.coefficients.enumerated() {
      XCTAssertEqual(c.estimate, coef[j], accuracy: Tolerance.optimisedEstimate * max(abs(coef[j]), se[j]), c.term)
      assertClose(c.se, se[j], rel: Tolerance.optimisedEstimate, "se \(c.term)")
    }
  }

  /// vcalc's correlation form, V = diag(√vᵢ) R diag(√vᵢ), gives the same V as the covariances.
  func testCorrelationFormMatchesCovariances() throws {
    let vi = data.numbers("vi")
    let v1 = data.numbers("v1i"), v2 = data.numbers("v2i")
    // Row pairs (2t, 2t + 1): r = cov/√(v₁v₂) below the diagonal, 1 on it.
    var r1 = [Double](repeating: 1, count: 10), r2 = [Double](repeating: 1, count: 10)
    for t in 0..<5 {
      r1[2 * t + 1] = v1[2 * t + 1] / (vi[2 * t] * vi[2 * t + 1]).squareRoot()
      r2[2 * t] = .nan
    }
    _ = v2
    let cluster = (0..<10).map { data["trial"]?.string(at: $0) }
    let fromR = try WithinStudyCovariance.build(rvars: [("r1", r1), ("r2", r2)], cluster: cluster, vi: vi)
    let fromV = try covariance(data)
    let a = try fromR.matrix(rows: Array(0..<10), rvars: ["r1", "r2"])
    let b = try fromV.matrix(rows: Array(0..<10), rvars: ["v1i", "v2i"])
    for (x, y) in zip(a.values, b.values) { XCTAssertEqual(x, y, accuracy: 1e-15) }
  }

  func testDiagnostics() throws {
    let cluster = (0..<10).map { data["trial"]?.string(at: $0) }
    // A covariance larger than √(v₁v₂): not positive definite, naming the study.
    var bad = data.numbers("v1i")
    bad[1] = 0.02
    let v = try WithinStudyCovariance.build(rvars: [("v1i", bad), ("v2i", data.numbers("v2i"))], cluster: cluster)
    XCTAssertThrowsError(try v.matrix(rows: Array(0..<10), rvars: ["v1i", "v2i"])) { e in
      let s = e as? StatsError
      XCTAssertEqual(s?.code, "bad-covariance")
      XCTAssertTrue(s?.message.contains("study '1'") ?? false, s?.message ?? "")
      XCTAssertTrue(s?.message.contains("not positive definite") ?? false)
    }
    // Fewer covariance columns than rows in a study.
    XCTAssertThrowsError(try WithinStudyCovariance.build(rvars: [("v1i", data.numbers("v1i"))], cluster: cluster)) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-covariance")
    }
    // A missing covariance that the model needs.
    var gap = data.numbers("v1i")
    gap[3] = .nan
    let g = try WithinStudyCovariance.build(rvars: [("v1i", gap), ("v2i", data.numbers("v2i"))], cluster: cluster)
    XCTAssertThrowsError(try g.matrix(rows: Array(0..<10), rvars: ["v1i", "v2i"])) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-covariance")
      XCTAssertTrue((e as? StatsError)?.message.contains("row 4") ?? false, (e as? StatsError)?.message ?? "")
    }
    // Correlations out of range with vi.
    XCTAssertThrowsError(
      try WithinStudyCovariance.build(rvars: [("r1", [Double](repeating: 1.5, count: 10)), ("r2", [Double](repeating: 1, count: 10))],
                                      cluster: cluster, vi: data.numbers("vi"))) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bad-covariance")
    }
    // Methods other than REML/ML; a random term without an inner factor; UN with one level.
    XCTAssertThrowsError(try fit(method: .DL)) { XCTAssertEqual(($0 as? StatsError)?.code, "bad-method") }
    XCTAssertNil(try MetaMultivariate.parseRandom("~ 1 | trial"))
    XCTAssertThrowsError(try MetaMultivariate.parseRandom("~ outcome + x | trial")) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-random")
    }
    let pd = data.rows([0, 2, 4, 6, 8])
    XCTAssertThrowsError(try fit(pd, mods: nil)) { XCTAssertEqual(($0 as? StatsError)?.code, "bad-struct") }
    // ID with one level is a random-intercept model and fits.
    XCTAssertNoThrow(try fit(pd, mods: nil, structure: .ID))
  }
}
