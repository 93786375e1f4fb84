import Foundation
import XCTest

@testable import BordinReport

/// `compare` of two nested `sem` or `clpm` fits end to end against lavaan 0.6-14's
/// `lavTestLRT(free, equal)` (ML) and `lavTestLRT(free, equal, method = "satorra.bentler.2001")`
/// (MLR) (Tests/Fixtures/sem-compare.json, made by Tests/Fixtures/r/sem-compare.R): the
/// measurement invariance of the Holzinger–Swineford CFA by school (configural vs equal loadings)
/// and the multigroup CLPM of the bond ratings by format (regressions free vs equal), with the
/// table, the APA fragment and every refusal located at `models`.
final class SEMCompareDirectiveTests: XCTestCase {
  func reference(_ key: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("sem-compare.json"))) as! [String: Any]
    return try XCTUnwrap((d["results"] as? [String: Any])?[key] as? [String: Any])
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("hs.csv", try String(contentsOf: fixtures.appendingPathComponent("data/hs1939-school-missing.csv"), encoding: .utf8))
    p.write("cp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/coping-power-alliance.csv"), encoding: .utf8))
    return p
  }

  let header = "---\ndata:\n  hs: hs.csv\n  cp: cp.csv\n---\n\n"

  static func cfa(_ label: String, _ extra: String) -> String {
    "```{sem #\(label)}\ndata: hs\nmodel: |\n  visual =~ x1 + x2 + x3\n  textual =~ x4 + x5 + x6\n  speed =~ x7 + x8 + x9\ngroup: school\n\(extra)```\n\n"
  }

  static func clpm(_ label: String, _ extra: String) -> String {
    "```{clpm #\(label)}\ndata: cp\nx: bond_child_\ny: bond_therapist_\nwaves: [mid, end]\ngroup: format\n\(extra)```\n\n"
  }

  func rendered(_ p: TestProject, _ body: String, _ label: String) throws -> (value: [String: Any], html: String) {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return ([:], "")
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      let d = (j["directives"] as! [String: Any])[label] as! [String: Any]
      return (d["result"] as! [String: Any], r.html)
    }
  }

  func close(_ a: Any?, _ b: Any?, rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  /// The result against the fixture: the test (unscaled; scaled under MLR), the models
  /// restricted first with lavaan's fit of each, at DESIGN §9 (1e-5 relative).
  func check(_ v: [String: Any], _ ref: [String: Any], mlr: Bool, restricted: String, free: String,
             file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(v["kind"] as? String, v["kind"] as? String == "clpm" ? "clpm" : "sem", file: file, line: line)
    XCTAssertEqual(v["estimator"] as? String, mlr ? "MLR" : "ML", file: file, line: line)
    close(v["chisq"], ref["unscaled_diff"], rel: 1e-5, "chisq", file: file, line: line)
    close(v["p"], ref["unscaled_p"], rel: 1e-5, "p", file: file, line: line)
    XCTAssertEqual((v["df"] as? NSNumber)?.intValue, (ref["df_diff"] as? NSNumber)?.intValue, file: file, line: line)
    if mlr {
      close(v["scaled"], ref["chisq_diff"], rel: 1e-5, "scaled", file: file, line: line)
      close(v["scaling"], ref["scaling"], rel: 1e-5, "scaling", file: file, line: line)
      close(v["p_scaled"], ref["p"], rel: 1e-5, "p_scaled", file: file, line: line)
    } else {
      close(v["chisq"], ref["chisq_diff"], rel: 1e-5, "chisq = lavTestLRT's", file: file, line: line)
      XCTAssertNil(v["scaled"], file: file, line: line)
    }
    let models = v["models"] as! [[String: Any]]
    XCTAssertEqual(models.map { $0["name"] as? String }, [restricted, free], "restricted model first", file: file, line: line)
    for (m, key) in zip(models, ["equal", "free"]) {
      let want = ref[key] as! [String: Any]
      for k in ["npar", "df"] { XCTAssertEqual((m[k] as? NSNumber)?.intValue, (want[k] as? NSNumber)?.intValue, "\(key) \(k)", file: file, line: line) }
      XCTAssertEqual((m["nobs"] as? NSNumber)?.intValue, (want["ntotal"] as? NSNumber)?.intValue, "\(key) nobs", file: file, line: line)
      for (k, r) in [("AIC", "aic"), ("BIC", "bic"), ("logLik", "logl")] { close(m[k], want[r], rel: 1e-7, "\(key) \(k)", file: file, line: line) }
      if (want["chisq"] as? NSNumber)?.doubleValue ?? 0 > 0 { close(m["chisq"], want["chisq"], rel: 1e-5, "\(key) chisq", file: file, line: line) }
      if mlr, let c = want["scaling_factor"] { close(m["scaling_factor"], c, rel: 1e-5, "\(key) scaling factor", file: file, line: line) }
    }
  }

  func testLoadingsInvarianceML() throws {
    let body = Self.cfa("configural", "") + Self.cfa("metric", "group_equal: [loadings]\n") +
      "```{compare #inv}\nmodels: [configural, metric]\n```\n\nInvariance: `{inv | apa}`.\n\n```{table #tbl-inv}\nof: inv\n```\n"
    let (v, html) = try rendered(try project(), body, "inv")
    check(v, try reference("hs_loadings_ml"), mlr: false, restricted: "metric", free: "configural")
    XCTAssertTrue(html.contains("Δχ<sup>2</sup>(6) = 7.75, <i>p</i> = .257"), html)
    XCTAssertTrue(html.contains("<th scope=\"row\">Equal across groups: loadings</th>"), html)
    XCTAssertTrue(html.contains("lavTestLRT"), html)
  }

  func testLoadingsInvarianceMLR() throws {
    let body = Self.cfa("configural", "estimator: MLR\n") + Self.cfa("metric", "group_equal: [loadings]\nestimator: MLR\n") +
      "```{compare #inv}\nmodels: [metric, configural]\n```\n\nInvariance: `{inv | apa}`.\n\n```{table #tbl-inv}\nof: inv\n```\n"
    let (v, html) = try rendered(try project(), body, "inv")
    check(v, try reference("hs_loadings_mlr"), mlr: true, restricted: "metric", free: "configural")
    XCTAssertTrue(html.contains("Δχ<sup>2</sup><sub>SB</sub>(6) = 5.96, <i>p</i> = .428"), html)
    XCTAssertTrue(html.contains("Satorra–Bentler (2001) scaled difference"), html)
    XCTAssertTrue(html.contains("Scaling factor"), html)
  }

  /// A saturated free model (two waves, df = 0): lavaan's c_f = 1, so c_d is the restricted
  /// model's scaling factor.
  func testMultigroupCLPMRegressionsEqualMLR() throws {
    let body = Self.clpm("free", "estimator: MLR\n") + Self.clpm("equal", "group_equal: [regressions]\nestimator: MLR\n") +
      "```{compare #lags}\nmodels: [free, equal]\n```\n\n`{lags | apa}`\n"
    let (v, html) = try rendered(try project(), body, "lags")
    check(v, try reference("clpm_format_mlr"), mlr: true, restricted: "equal", free: "free")
    XCTAssertEqual(v["kind"] as? String, "clpm")
    XCTAssertTrue(html.contains("Δχ<sup>2</sup><sub>SB</sub>(4) = 4.22"), html)
  }

  func testMultigroupCLPMRegressionsEqualML() throws {
    let body = Self.clpm("free", "") + Self.clpm("equal", "group_equal: [regressions]\n") + "```{compare #lags}\nmodels: [free, equal]\n```\n"
    let (v, _) = try rendered(try project(), body, "lags")
    check(v, try reference("clpm_format_ml"), mlr: false, restricted: "equal", free: "free")
  }

  func testDiagnostics() throws {
    let p = try project()
    func first(_ body: String) -> Diagnostic? { p.errors(header + body).first }
    let compare = "```{compare #c}\nmodels: [a, b]\n```\n"
    // Different estimators.
    var e = first(Self.clpm("a", "") + Self.clpm("b", "group_equal: [regressions]\nestimator: MLR\n") + compare)
    XCTAssertEqual(e?.code, "compare-estimator", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'a' is fitted with estimator ML but 'b' with MLR") ?? false, "\(String(describing: e))")
    XCTAssertTrue(e?.remedy?.contains("same 'estimator'") ?? false, "\(String(describing: e))")
    let lines = (header + Self.clpm("a", "") + Self.clpm("b", "group_equal: [regressions]\nestimator: MLR\n")).split(separator: "\n", omittingEmptySubsequences: false).count
    XCTAssertEqual(e?.line, lines + 1, "located at models")
    // Different rows: listwise deletion drops the cases with a missing rating.
    e = first(Self.clpm("a", "") + Self.clpm("b", "group_equal: [regressions]\nmissing: listwise\n") + compare)
    XCTAssertEqual(e?.code, "compare-rows", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'a' is fitted to 360 rows but 'b' to") ?? false, "\(String(describing: e))")
    // One multigroup model and one single-group model.
    e = first(Self.cfa("a", "") + "```{sem #b}\ndata: hs\nmodel: |\n  visual =~ x1 + x2 + x3\n  textual =~ x4 + x5 + x6\n  speed =~ x7 + x8 + x9\n```\n\n" + compare)
    XCTAssertEqual(e?.code, "not-nested", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'a' is fitted in the groups of 'school' but 'b' is a single-group model") ?? false, "\(String(describing: e))")
    // Different observed variables.
    e = first("```{sem #a}\ndata: hs\nmodel: x3 ~ x1 + x2\n```\n\n```{sem #b}\ndata: hs\nmodel: x3 ~ x1 + x4\n```\n\n" + compare)
    XCTAssertEqual(e?.code, "not-nested", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("x2 only in 'a'; x4 only in 'b'") ?? false, "\(String(describing: e))")
    // The same model twice under two labels, and two different models with equal df.
    e = first(Self.cfa("a", "") + Self.cfa("b", "") + compare)
    XCTAssertEqual(e?.code, "same-model", "\(String(describing: e))")
    e = first("```{sem #a}\ndata: hs\nmodel: x3 ~ x1 + x2\n```\n\n```{sem #b}\ndata: hs\nmodel: x2 ~ x1 + x3\n```\n\n" + compare)
    XCTAssertEqual(e?.code, "not-nested", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("the same degrees of freedom (0); neither is a restriction") ?? false, "\(String(describing: e))")
    // More df yet a better fit: a cross-loading traded for two fixed covariances is no restriction.
    e = first("```{sem #a}\ndata: hs\nmodel: |\n  visual =~ x1 + x2 + x3\n  textual =~ x4 + x5 + x6\n  speed =~ x7 + x8 + x9\n```\n\n" +
              "```{sem #b}\ndata: hs\nmodel: |\n  visual =~ x1 + x2 + x3 + x9\n  textual =~ x4 + x5 + x6\n  speed =~ x7 + x8 + x9\n  textual ~~ 0*speed\n  visual ~~ 0*speed\n```\n\n" + compare)
    XCTAssertEqual(e?.code, "not-nested", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'b' has more degrees of freedom (25 vs 24) yet fits better") ?? false, "\(String(describing: e))")
    // A sem and an lmm.
    e = first("```{lmm #a}\ndata: hs\nformula: x1 ~ x2 + (1 | school)\n```\n\n" + Self.cfa("b", "") + compare)
    XCTAssertEqual(e?.code, "compare-kind", "\(String(describing: e))")
  }
}
