import Foundation
import XCTest

@testable import BordinReport

/// `glm` end to end against R 4.2.2 (Tests/Fixtures/glm-references.json, made by
/// Tests/Fixtures/r/glm-crosstab-change.R): the PRAC dropout model with a data step, its APA
/// fragment and table, Poisson rate ratios, and the diagnostics located in the source.
final class GLMDirectiveTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("glm-references.json"))) as! [String: Any]
    return (d["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!["results"] as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("wide.csv", try String(contentsOf: repositoryRoot.appendingPathComponent("data/prac/wide.csv"), encoding: .utf8))
    p.write("warpbreaks.csv", try String(contentsOf: fixtures.appendingPathComponent("data/warpbreaks.csv"), encoding: .utf8))
    p.write("sep.csv", "x,y\n1,0\n2,0\n3,0\n4,0\n5,1\n6,1\n7,1\n8,1\n")
    return p
  }

  let header = """
    ---
    data:
      wide: wide.csv
      wb: warpbreaks.csv
      sep: sep.csv
    ---

    ```{data #wd}
    from: wide
    derive:
      dropout: as_numeric(last_month < 8)
    ```


    """

  func result(_ p: TestProject, _ body: String, _ label: String) throws -> (value: [String: Any], directive: [String: Any], warnings: [Diagnostic], html: String) {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return ([:], [:], [], "")
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      let d = (j["directives"] as! [String: Any])[label] as! [String: Any]
      return (d["result"] as! [String: Any], d, r.warnings, r.html)
    }
  }

  func close(_ a: Any?, _ b: Any?, rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  /// Dropout before 8 months ~ 4-month child alliance: every field against R, 21 rows dropped
  /// and counted in the provenance, the APA fragment and the table.
  func testPracDropoutAgainstR() throws {
    let body = """
      ```{glm #drop}
      data: wd
      formula: dropout ~ tasc_child_4
      ```

      Alliance and dropout: `{drop.coef[tasc_child_4] | apa}`; model `{drop}`.

      ```{table #tbl-drop}
      of: drop
      ```

      """
    let (v, d, warnings, html) = try result(try project(), body, "drop")
    let want = try reference("prac-dropout")
    let got = v["coef"] as! [[String: Any]], exp = want["coef"] as! [[String: Any]]
    XCTAssertEqual(got.map { $0["term"] as? String }, exp.map { $0["term"] as? String })
    for (g, w) in zip(got, exp) {
      for k in ["estimate", "exp_estimate", "ci_lb", "ci_ub", "exp_ci_lb", "exp_ci_ub"] { close(g[k], w[k], rel: 1e-6, "\(w["term"]!) \(k)") }
      for k in ["se", "z", "p"] { close(g[k], w[k], rel: 1e-5, "\(w["term"]!) \(k)") }
    }
    for k in ["deviance", "null_deviance", "AIC", "logLik"] { close(v[k], want[k], rel: 1e-9, k) }
    XCTAssertEqual(v["df_residual"] as? Int, want["df_residual"] as? Int)
    XCTAssertEqual(v["df_null"] as? Int, want["df_null"] as? Int)
    XCTAssertEqual(v["n"] as? Int, 188)
    XCTAssertEqual(v["family"] as? String, "binomial")
    XCTAssertEqual(v["converged"] as? Bool, true)
    XCTAssertEqual(d["rows_dropped"] as? Int, 21)
    XCTAssertEqual(warnings.filter { $0.message.contains("drop") && $0.code != "rows-dropped" }.count, 0, "\(warnings)")

    // APA fragment from R's values.
    let c = exp[1]
    let fmt = { (x: Double) in Format.fixed(x, 2) }
    let expected = "<i>OR</i> = \(fmt(c["exp_estimate"] as! Double)), 95% CI [\(fmt(c["exp_ci_lb"] as! Double)), \(fmt(c["exp_ci_ub"] as! Double))], <i>p</i> = \(Format.p(c["p"] as! Double))"
    XCTAssertEqual(ComputedValues.extract(html).first { $0.ref == "drop.coef[tasc_child_4]" }?.html, expected)
    XCTAssertTrue(html.contains("deviance = \(Format.fixed(want["deviance"] as! Double, 2)) on 186 <i>df</i>"), "model fragment")
    // The table: OR column and its interval, with data-ref.
    XCTAssertTrue(html.contains("data-ref=\"drop.coef[&quot;tasc_child_4&quot;].exp_ci\">[\(fmt(c["exp_ci_lb"] as! Double)), \(fmt(c["exp_ci_ub"] as! Double))]</td>"), "table: the OR interval cell")
    XCTAssertTrue(html.contains("Logistic regression; <i>OR</i> = odds ratio"), "table note")
    XCTAssertTrue(html.contains("95% CI for <i>OR</i>"))
  }

  /// Poisson (warpbreaks, wool × tension): rate ratios at level 0.9 and the IRR fragment.
  func testDobsonPoissonRateRatios() throws {
    let body = "```{glm #pois}\ndata: wb\nformula: breaks ~ wool * tension\nfamily: poisson\nlevel: 0.9\n```\n\n`{pois.coef[tensionL]}`\n"
    let (v, _, _, html) = try result(try project(), body, "pois")
    let want = try reference("warpbreaks")
    close(v["deviance"], want["deviance"], rel: 1e-9, "deviance")
    close(v["AIC"], want["AIC"], rel: 1e-9, "AIC")
    let o2 = (v["coef"] as! [[String: Any]])[2]
    let w2 = (want["coef"] as! [[String: Any]])[2]
    XCTAssertEqual(o2["term"] as? String, "tensionL")
    close(o2["exp_estimate"], w2["exp_estimate"], rel: 1e-6, "IRR")
    // level 0.9: exp(b ± 1.6449 se)
    let b = w2["estimate"] as! Double, se = w2["se"] as! Double
    close(o2["exp_ci_lb"], exp(b - 1.6448536269514722 * se), rel: 1e-6, "90% lb")
    XCTAssertEqual(v["link"] as? String, "log")
    XCTAssertTrue(html.contains("<i>IRR</i> = \(Format.fixed(w2["exp_estimate"] as! Double, 2)), 90% CI"), "IRR fragment")
  }

  /// Complete separation: the report renders, with a warning naming the diverging term, next
  /// to the result and on stderr's list.
  func testSeparationIsAWarningInTheReport() throws {
    let (_, d, warnings, html) = try result(try project(), "```{glm #s}\ndata: sep\nformula: y ~ x\n```\n", "s")
    XCTAssertTrue(warnings.contains { $0.message.contains("separation") && $0.message.contains("'x'") }, "\(warnings)")
    XCTAssertTrue(html.contains("<aside class=\"bordin-warning\""))
    XCTAssertTrue((d["warnings"] as? [String])?.first?.contains("separation") ?? false, "\(d)")
  }

  func testDiagnostics() throws {
    let p = try project()
    // A non-0/1 outcome, located at the formula.
    var e = p.errors(header + "```{glm #m}\ndata: wd\nformula: last_month ~ tasc_child_4\n```\n")
    XCTAssertEqual(e.first?.code, "non-binary-outcome", "\(e)")
    XCTAssertTrue(e.first?.message.contains("'last_month' is 4 in row 1") ?? false, "\(e)")
    XCTAssertEqual(e.first?.line, 16, "located at the formula line")
    // Negative counts under poisson.
    e = p.errors(header + "```{glm #m}\ndata: wd\nformula: I(tasc_child_4 - 40) ~ sex\nfamily: poisson\n```\n")
    XCTAssertEqual(e.first?.code, "negative-count", "\(e)")
    // Fractional counts.
    e = p.errors(header + "```{glm #m}\ndata: wd\nformula: experience ~ sex\nfamily: poisson\n```\n")
    XCTAssertEqual(e.first?.code, "non-integer-count", "\(e)")
    // An unknown family.
    e = p.errors(header + "```{glm #m}\ndata: wd\nformula: dropout ~ sex\nfamily: gaussian\n```\n")
    XCTAssertTrue(e.first?.message.contains("family") ?? false, "\(e)")
    // A misspelt column.
    e = p.errors(header + "```{glm #m}\ndata: wd\nformula: dropout ~ tasc_chld_4\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'tasc_child_4'") ?? false, "\(e)")
  }

  /// A text outcome with two levels: R's factor coding, the levels recorded in the result.
  func testTextOutcome() throws {
    let body = "```{data #ws}\nfrom: wide\nderive:\n  status: if_else(last_month < 8, \"left\", \"stayed\")\n```\n\n```{glm #st}\ndata: ws\nformula: status ~ tasc_child_4\n```\n"
    let (v, _, _, _) = try result(try project(), body, "st")
    XCTAssertEqual(v["outcome_levels"] as? [String], ["left", "stayed"])
    let want = try reference("prac-dropout")
    let b = ((v["coef"] as! [[String: Any]])[1]["estimate"] as! Double)
    close(-b, (want["coef"] as! [[String: Any]])[1]["estimate"], rel: 1e-6, "the odds of staying: R's dropout slope negated")
  }

  func testDirectiveReference() {
    let text = DirectiveReference.text("glm") ?? ""
    XCTAssertTrue(text.contains("family"), text)
    XCTAssertTrue(text.contains("exp_estimate"), text)
    XCTAssertTrue(DirectiveReference.names.contains("glm"))
  }
}
