import Foundation
import BordinTestSupport
import XCTest

@testable import BordinReport

/// `glmm` end to end against lme4 1.1-31's Laplace optimum (Tests/Fixtures/glmm-references.json,
/// made by Tests/Fixtures/r/glmm-references.R): lme4's cbpp with a `cbind` response through the
/// data language, its table, APA fragment and variance components; `compare` of nested glmm
/// fits; and the diagnostics located in the source.
final class GLMMDirectiveTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("glmm-references.json"))) as! [String: Any]
    return try XCTUnwrap((d["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }?["results"] as? [String: Any], "no case \(id)")
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("cbpp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/cbpp.csv"), encoding: .utf8))
    p.write("wide.csv", try String(contentsOf: repositoryRoot.appendingPathComponent("data/prac/wide.csv"), encoding: .utf8))
    return p
  }

  let header = """
    ---
    data:
      cbpp: cbpp.csv
      wide: wide.csv
    ---

    ```{glmm #m1}
    data: cbpp
    formula: cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)
    ```


    """

  func result(_ p: TestProject, _ body: String, _ label: String) throws -> (value: [String: Any], warnings: [Diagnostic], html: String) {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return ([:], [], "")
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      let d = (j["directives"] as! [String: Any])[label] as! [String: Any]
      return (d["result"] as! [String: Any], r.warnings, r.html)
    }
  }

  func close(_ a: Any?, _ b: Any?, tol: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), tol, "\(what): \(x) vs \(y)", file: file, line: line)
  }

  func testCbppAgainstLme4() throws {
    let body = """
      Period 2: `{m1.coef["factor(period)2"] | apa}`; model `{m1}`.

      ```{table #tbl-m1}
      of: m1
      ```

      ```{table #tbl-re}
      of: m1
      show: random
      ```

      """
    let (v, warnings, html) = try result(try project(), body, "m1")
    let want = try reference("cbpp")
    let got = v["coef"] as! [[String: Any]], exp = want["coef"] as! [[String: Any]]
    XCTAssertEqual(got.map { $0["term"] as? String }, exp.map { $0["term"] as? String })
    for (g, w) in zip(got, exp) {
      let scale = max(abs(w["estimate"] as! Double), w["se"] as! Double)
      for k in ["estimate", "ci_lb", "ci_ub"] { close(g[k], w[k], tol: 1e-5 * scale, "\(w["term"]!) \(k)") }
      close(g["se"], w["se"], tol: 1e-5 * (w["se"] as! Double), "\(w["term"]!) se")
    }
    for k in ["logLik", "deviance", "AIC", "BIC"] { close(v[k], want[k], tol: 2e-6, k) }
    XCTAssertEqual(v["nobs"] as? Int, 56)
    XCTAssertEqual(v["npar"] as? Int, 5)
    XCTAssertEqual(((v["random"] as! [[String: Any]]).first)?["grp"] as? String, "herd")
    close(((v["random"] as! [[String: Any]]).first)?["sdcor"], (want["random"] as! [[String: Any]]).first?["sdcor"], tol: 1e-4, "herd SD")
    XCTAssertEqual(v["converged"] as? Bool, true)
    XCTAssertTrue(warnings.isEmpty, "\(warnings)")
    let c = exp[1]
    let fmt = { (x: Double) in Format.fixed(x, 2) }
    let expected = "<i>OR</i> = \(fmt(c["exp_estimate"] as! Double)), 95% CI [\(fmt(c["exp_ci_lb"] as! Double)), \(fmt(c["exp_ci_ub"] as! Double))], <i>p</i> = \(Format.p(c["p"] as! Double))"
    XCTAssertEqual(ComputedValues.extract(html).first { $0.ref == "m1.coef[\"factor(period)2\"]" }?.html, expected)
    XCTAssertTrue(html.contains("log-likelihood = \(fmt(want["logLik"] as! Double)), AIC = \(fmt(want["AIC"] as! Double))"), "model fragment")
    XCTAssertTrue(html.contains("Mixed-effects logistic regression; <i>OR</i> = odds ratio"), "table note")
    XCTAssertTrue(html.contains("herd <i>SD</i> = \(fmt((want["random"] as! [[String: Any]])[0]["sdcor"] as! Double))"), "random SD in the note")
    XCTAssertTrue(html.contains("data-ref=\"m1.random[0].vcov\""), "random-effects table")
  }

  /// `compare` of the cbpp model with and without period: χ² = 2 (ℓ₁ − ℓ₀) of lme4's Laplace
  /// optima on 3 df.
  func testCompareNestedGLMMs() throws {
    let body = """
      ```{glmm #m0}
      data: cbpp
      formula: cbind(incidence, size - incidence) ~ 1 + (1 | herd)
      ```

      ```{compare #lrt}
      models: [m1, m0]
      ```

      Period mattered: `{lrt}`.
      """
    let (v, _, html) = try result(try project(), body, "lrt")
    let l1 = try reference("cbpp")["logLik"] as! Double, l0 = try reference("cbpp-null")["logLik"] as! Double
    XCTAssertEqual(v["kind"] as? String, "glmm")
    XCTAssertEqual((v["models"] as! [[String: Any]]).map { $0["name"] as? String }, ["m0", "m1"])
    XCTAssertEqual(v["df"] as? Int, 3)
    close(v["chisq"], 2 * (l1 - l0), tol: 4e-6, "chisq")
    XCTAssertTrue(html.contains("Likelihood-ratio test of nested generalized linear mixed models"), "table note")
    XCTAssertTrue(html.contains("χ<sup>2</sup>(3) = \(Format.fixed(2 * (l1 - l0), 2))"), "fragment")
  }

  func testDiagnostics() throws {
    let p = try project()
    // Unknown family: the option is checked before anything is fitted.
    var e = p.errors(header.replacingOccurrences(of: "(1 | herd)\n```", with: "(1 | herd)\nfamily: gaussian\n```"))
    XCTAssertEqual(e.first?.code, "option-value", "\(e)")
    XCTAssertTrue(e.first?.message.contains("gaussian") ?? false, "\(e)")
    // A non-0/1 outcome, located at the formula.
    e = p.errors(header + "```{glmm #b}\ndata: wide\nformula: last_month ~ tasc_child_4 + (1 | therapist)\n```\n")
    XCTAssertEqual(e.first?.code, "non-binary-outcome", "\(e)")
    // Non-integer counts under poisson.
    e = p.errors(header + "```{glmm #b}\ndata: wide\nformula: experience ~ sex + (1 | clinic)\nfamily: poisson\n```\n")
    XCTAssertEqual(e.first?.code, "non-integer-count", "\(e)")
    // A misspelt grouping column.
    e = p.errors(header + "```{glmm #b}\ndata: wide\nformula: sex ~ tasc_child_4 + (1 | therapst)\n```\n")
    XCTAssertEqual(e.first?.code, "unknown-column", "\(e)")
    XCTAssertTrue(e.first?.message.contains("therapst") ?? false, "\(e)")
    // compare across kinds.
    e = p.errors(header + "```{glm #g}\ndata: wide\nformula: sex ~ tasc_child_4\n```\n\n```{compare #c}\nmodels: [g, m1]\n```\n")
    XCTAssertEqual(e.first?.code, "compare-kind", "\(e)")
  }

  /// Non-convergence is a warning shown beside the result, not an error.
  func testNonConvergenceWarning() throws {
    let body = "```{glmm #few}\ndata: cbpp\nformula: cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)\nmax_evaluations: 5\n```\n"
    let (v, warnings, html) = try result(try project(), body, "few")
    XCTAssertEqual(v["converged"] as? Bool, false)
    XCTAssertTrue(warnings.contains { $0.message.contains("stopped without converging") }, "\(warnings)")
    XCTAssertTrue(html.contains("<aside class=\"bordin-warning\""))
  }
}
