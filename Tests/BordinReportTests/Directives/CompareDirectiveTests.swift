import Foundation
import XCTest

@testable import BordinReport

/// `compare` end to end against R 4.2.2 + lme4 1.1-31 (Tests/Fixtures/compare-models.json, made by
/// Tests/Fixtures/r/compare-models.R): `anova(m0, m1)` for lmm (REML fits refitted with ML),
/// glm (analysis of deviance) and regress (F test), and every diagnostic located at `models`.
final class CompareDirectiveTests: XCTestCase {
  func reference(_ key: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("compare-models.json"))) as! [String: Any]
    return try XCTUnwrap(d[key] as? [String: Any])
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("sleepstudy.csv", try String(contentsOf: fixtures.appendingPathComponent("data/sleepstudy.csv"), encoding: .utf8))
    p.write("mtcars.csv", try String(contentsOf: fixtures.appendingPathComponent("data/mtcars.csv"), encoding: .utf8))
    return p
  }

  let header = """
    ---
    data:
      ss: sleepstudy.csv
      mt: mtcars.csv
    ---

    ```{data #mt2}
    from: mt
    derive:
      hp2: ifelse(cyl == 8, NA, hp)
    ```

    ```{regress #l0}
    data: mt
    formula: mpg ~ wt
    ```

    ```{regress #l1}
    data: mt
    formula: mpg ~ wt + hp
    ```

    ```{glm #g0}
    data: mt
    formula: am ~ wt
    ```

    ```{glm #g1}
    data: mt
    formula: am ~ wt + hp
    ```


    """

  func result(_ p: TestProject, _ body: String, _ label: String) throws -> (value: [String: Any], directive: [String: Any], html: String) {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return ([:], [:], "")
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      let d = (j["directives"] as! [String: Any])[label] as! [String: Any]
      return (d["result"] as! [String: Any], d, r.html)
    }
  }

  func close(_ a: Any?, _ b: Any?, rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  func column(_ models: [[String: Any]], _ k: String) -> [Double] { models.map { ($0[k] as? NSNumber)?.doubleValue ?? .nan } }

  /// Both sleepstudy comparisons of the fixture: REML fits (the default) refitted with ML and
  /// said so; the larger model written first is still shown second, as anova.merMod orders.
  func testMixedModelsAgainstLme4() throws {
    for (key, f0, f1) in [("lmm_intercept_vs_slope", "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days | Subject)"),
                          ("lmm_fixed", "Reaction ~ 1 + (Days | Subject)", "Reaction ~ Days + (Days | Subject)")] {
      let body = """
        ```{lmm #m1}
        data: ss
        formula: \(f1)
        ```

        ```{lmm #m0}
        data: ss
        formula: \(f0)
        ```

        ```{compare #lr}
        models: [m1, m0]
        ```

        Test: `{lr | apa}`.

        ```{table #tbl-lr}
        of: lr
        ```

        """
      let (v, d, html) = try result(try project(), body, "lr")
      let want = try reference(key)
      let models = try XCTUnwrap(v["models"] as? [[String: Any]])
      XCTAssertEqual(models.map { $0["name"] as? String }, ["m0", "m1"], key)
      XCTAssertEqual(column(models, "npar"), want["npar"] as? [Double], key)
      let ll = column(models, "logLik"), wll = want["logLik"] as! [Double]
      for i in 0..<2 {
        XCTAssertEqual(ll[i], wll[i], accuracy: 1e-6, "\(key) logLik[\(i)]")
        XCTAssertGreaterThanOrEqual(ll[i], wll[i] - 1e-9, "\(key) logLik[\(i)] worse than R's")
        for k in ["AIC", "BIC", "deviance"] { XCTAssertEqual(column(models, k)[i], (want[k] as! [Double])[i], accuracy: 2e-6, "\(key) \(k)[\(i)]") }
      }
      close(v["chisq"], want["chisq"], rel: 1e-5, "\(key) chisq")
      close(v["p"], want["p"], rel: 1e-5, "\(key) p")
      XCTAssertEqual(v["df"] as? Int, (want["df"] as? NSNumber)?.intValue)
      XCTAssertEqual(v["refit"] as? Bool, true)
      XCTAssertTrue((d["method"] as? String ?? "").contains("refitted with ML, as lme4's anova"), "\(d)")
      XCTAssertTrue(html.contains("models refitted with ML, as lme4&#39;s anova") || html.contains("models refitted with ML, as lme4's anova"), key)
      XCTAssertTrue(html.contains("χ<sup>2</sup>(\(want["df"]!)) = "), key)
      XCTAssertTrue(html.contains("data-ref=\"lr.chisq\""), key)
    }
  }

  /// ML fits are compared as they are (no refit, no note); uncorrelated random terms
  /// (1 | g) + (0 + x | g) are nested in the correlated (x | g), as lme4 compares them.
  func testMLFitsAndUncorrelatedTermsNested() throws {
    let body = """
      ```{lmm #u}
      data: ss
      formula: Reaction ~ Days + (Days || Subject)
      reml: false
      ```

      ```{lmm #c}
      data: ss
      formula: Reaction ~ Days + (Days | Subject)
      reml: false
      ```

      ```{compare #lr}
      models: [u, c]
      ```

      """
    let (v, d, html) = try result(try project(), body, "lr")
    XCTAssertEqual(v["refit"] as? Bool, false)
    XCTAssertFalse((d["method"] as? String ?? "").contains("refitted"))
    XCTAssertTrue(html.contains("(ML fits)"))
    let models = try XCTUnwrap(v["models"] as? [[String: Any]])
    XCTAssertEqual(column(models, "npar"), [5, 6])
    // The correlated model's logLik is the fixture's (same ML fit as in anova.merMod).
    XCTAssertEqual(column(models, "logLik")[1], (try reference("lmm_intercept_vs_slope")["logLik"] as! [Double])[1], accuracy: 1e-6)
    XCTAssertEqual(v["df"] as? Int, 1)
  }

  func testGLMAnalysisOfDeviance() throws {
    let (v, _, html) = try result(try project(), "```{compare #dev}\nmodels: [g0, g1]\n```\n", "dev")
    let want = try reference("glm")
    let models = try XCTUnwrap(v["models"] as? [[String: Any]])
    XCTAssertEqual(column(models, "df_residual"), want["df_residual"] as? [Double])
    for i in 0..<2 {
      for (k, r) in [("deviance", "deviance"), ("logLik", "logLik"), ("AIC", "AIC"), ("BIC", "BIC")] {
        close(models[i][k], (want[r] as! [Double])[i], rel: 1e-8, "\(k)[\(i)]")
      }
    }
    close(v["chisq"], want["chisq"], rel: 1e-5, "chisq")
    close(v["p"], want["p"], rel: 1e-5, "p")
    XCTAssertEqual(v["test"] as? String, "Chisq")
    XCTAssertNil(v["refit"])
    XCTAssertTrue(html.contains("Analysis of deviance"))
  }

  func testLinearFTest() throws {
    let (v, _, html) = try result(try project(), "```{compare #ft}\nmodels: [l0, l1]\n```\n\n`{ft | apa}`\n", "ft")
    let want = try reference("lm")
    let models = try XCTUnwrap(v["models"] as? [[String: Any]])
    XCTAssertEqual(column(models, "df_residual"), want["df_residual"] as? [Double])
    for i in 0..<2 { close(models[i]["rss"], (want["rss"] as! [Double])[i], rel: 1e-8, "RSS[\(i)]") }
    for k in ["F", "p", "ss"] { close(v[k], want[k], rel: 1e-8, k) }
    XCTAssertEqual(v["df"] as? Int, 1)
    XCTAssertEqual(v["df2"] as? Int, 29)
    XCTAssertTrue(html.contains("<i>F</i>(1, 29) = 12.38, <i>p</i> = .001"), html)
  }

  func testDiagnostics() throws {
    let p = try project()
    func first(_ body: String) -> Diagnostic? { p.errors(header + body).first }
    let line = header.split(separator: "\n", omittingEmptySubsequences: false).count + 1  // the `models:` line
    // Different kinds.
    var e = first("```{compare #c}\nmodels: [l0, g1]\n```\n")
    XCTAssertEqual(e?.code, "compare-kind", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'l0' is a regress model but 'g1' is a glm model") ?? false, "\(String(describing: e))")
    XCTAssertEqual(e?.line, line)
    // Not a model at all.
    e = first("```{compare #c}\nmodels: [mt2, l1]\n```\n")
    XCTAssertEqual(e?.code, "compare-kind", "\(String(describing: e))")
    // Different rows: hp2 is missing for the 14 eight-cylinder cars.
    e = first("```{regress #r0}\ndata: mt2\nformula: mpg ~ wt\n```\n\n```{regress #r1}\ndata: mt2\nformula: mpg ~ wt + hp2\n```\n\n```{compare #c}\nmodels: [r0, r1]\n```\n")
    XCTAssertEqual(e?.code, "compare-rows", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'r0' is fitted to 32 rows but 'r1' to 18") ?? false, "\(String(describing: e))")
    // Different datasets.
    e = first("```{regress #r0}\ndata: mt2\nformula: mpg ~ wt\n```\n\n```{compare #c}\nmodels: [r0, l1]\n```\n")
    XCTAssertEqual(e?.code, "compare-rows", "\(String(describing: e))")
    // Not nested: fixed terms.
    e = first("```{regress #r1}\ndata: mt\nformula: mpg ~ hp + cyl\n```\n\n```{compare #c}\nmodels: [l0, r1]\n```\n")
    XCTAssertEqual(e?.code, "not-nested", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'l0' has fixed term wt that 'r1' lacks") ?? false, "\(String(describing: e))")
    // Not nested: random terms (same fixed terms, same npar).
    e = first("```{lmm #a}\ndata: ss\nformula: Reaction ~ Days + (1 | Subject)\n```\n\n```{lmm #b}\ndata: ss\nformula: Reaction ~ Days + (0 + Days | Subject)\n```\n\n```{compare #c}\nmodels: [a, b]\n```\n")
    XCTAssertEqual(e?.code, "not-nested", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("random term Subject: (Intercept)") ?? false, "\(String(describing: e))")
    // The same model twice: one label, or two labels with the same terms.
    e = first("```{compare #c}\nmodels: [l0, l0]\n```\n")
    XCTAssertEqual(e?.code, "same-model", "\(String(describing: e))")
    e = first("```{regress #r0}\ndata: mt\nformula: mpg ~ wt\n```\n\n```{compare #c}\nmodels: [l0, r0]\n```\n")
    XCTAssertEqual(e?.code, "same-model", "\(String(describing: e))")
    // Fewer than two models.
    e = first("```{compare #c}\nmodels: [l0]\n```\n")
    XCTAssertEqual(e?.code, "compare-models", "\(String(describing: e))")
    e = first("```{compare #c}\nmodels: l0\n```\n")
    XCTAssertEqual(e?.code, "compare-models", "\(String(describing: e))")
    // An unknown label, with a suggestion.
    e = first("```{compare #c}\nmodels: [l0, l9]\n```\n")
    XCTAssertEqual(e?.code, "unknown-label", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'l9'") ?? false, "\(String(describing: e))")
    XCTAssertEqual(e?.line, line)
    // The option is required.
    e = first("```{compare #c}\ncaption: x\n```\n")
    XCTAssertEqual(e?.code, "missing-option", "\(String(describing: e))")
  }
}
