import Foundation
import XCTest

@testable import BordinReport

/// `crosstab` end to end against R 4.2.2 (Tests/Fixtures/crosstab-references.json, made by
/// Tests/Fixtures/r/glm-crosstab-change.R): PRAC sex × dropout with its fragment and frequency
/// table, Yates, an exact r × c test, cell paths, and the diagnostics.
final class CrosstabDirectiveTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("crosstab-references.json"))) as! [String: Any]
    return (d["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!["results"] as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("wide.csv", try String(contentsOf: repositoryRoot.appendingPathComponent("data/prac/wide.csv"), encoding: .utf8))
    // fexact-3x3 of the references, one row per count.
    let counts = [3, 2, 0, 1, 4, 2, 0, 1, 5]
    var rows = "r,c\n"
    for (k, n) in counts.enumerated() { rows += String(repeating: "r\(k / 3 + 1),c\(k % 3 + 1)\n", count: n) }
    p.write("small.csv", rows)
    // Same levels in x and y, asymmetric counts: (a,a) 5, (a,b) 1, (b,a) 3, (b,b) 2.
    p.write("same.csv", "u,v\n" + String(repeating: "a,a\n", count: 5) + "a,b\n" + String(repeating: "b,a\n", count: 3) + "b,b\nb,b\n")
    p.write("one.csv", "u,v\na,x\na,y\na,x\n")
    return p
  }

  let header = """
    ---
    data:
      wide: wide.csv
      small: small.csv
      same: same.csv
      one: one.csv
    ---

    ```{data #wd}
    from: wide
    derive:
      dropout: if_else(last_month < 8, "left", "stayed")
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

  func close(_ a: Any?, _ b: Any?, rel: Double = 1e-10, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  /// Sex × dropout in the PRAC simulation: every field against R (the outcome coded as text
  /// here, "left"/"stayed", sorts like R's 1/0 reversed, so compare by cell).
  func testPracSexByDropoutAgainstR() throws {
    let body = """
      ```{crosstab #sd}
      data: wd
      x: sex
      y: dropout
      ```

      Dropout by sex: `{sd}`; boys who left: `{sd.cells["boy,left"]}`; OR `{sd.odds_ratio}` `{sd.odds_ratio_ci}`.

      ```{table #tbl-sd}
      of: sd
      ```

      """
    let (v, _, _, html) = try result(try project(), body, "sd")
    let want = try reference("prac-sex-dropout")
    for k in ["chisq", "p", "cramers_v", "fisher_p"] { close(v[k], want[k], k) }
    XCTAssertEqual(v["df"] as? Int, 1)
    XCTAssertEqual(v["n"] as? Int, 209)
    XCTAssertEqual(v["x_levels"] as? [String], ["boy", "girl"])
    XCTAssertEqual(v["y_levels"] as? [String], ["left", "stayed"])
    // R's columns are 0 (stayed), 1 (left): our OR is R's inverted.
    close(v["odds_ratio"], 1 / (want["odds_ratio"] as! Double), "OR")
    close(v["odds_ratio_ci_lb"], 1 / (want["odds_ratio_ci_ub"] as! Double), "OR lb")
    let cells = v["cells"] as! [[String: Any]], rc = want["cells"] as! [[String: Any]]
    let boyLeft = cells.first { $0["x"] as? String == "boy" && $0["y"] as? String == "left" }!
    let rBoyLeft = rc.first { $0["x"] as? String == "boy" && $0["y"] as? String == "1" }!
    XCTAssertEqual(boyLeft["n"] as? Int, rBoyLeft["n"] as? Int)
    close(boyLeft["row_pct"], rBoyLeft["row_pct"], "row_pct")
    close(boyLeft["expected"], rBoyLeft["expected"], "expected")

    let chisq = Format.fixed(want["chisq"] as! Double, 2), p = Format.p(want["p"] as! Double)
    let vtext = Format.fixed(want["cramers_v"] as! Double, 2, leadingZero: false)
    XCTAssertEqual(ComputedValues.extract(html).first { $0.ref == "sd" }?.html, "χ<sup>2</sup>(1, <i>N</i> = 209) = \(chisq), <i>p</i> = \(p), <i>V</i> = \(vtext)")
    XCTAssertEqual(ComputedValues.text(html, "sd.cells[\"boy,left\"]"), "\(rBoyLeft["n"]!) (\(Format.fixed(rBoyLeft["row_pct"] as! Double, 1))%)")
    XCTAssertTrue(html.contains("<th scope=\"col\">left <i>n</i></th><th scope=\"col\">%</th>"), "frequency table header")
    XCTAssertTrue(html.contains("Counts with row percentages."), "table note")
    XCTAssertTrue(html.contains("Fisher&#39;s exact <i>p</i>") || html.contains("Fisher's exact <i>p</i>"), "Fisher in the note")
  }

  /// correct: true gives R's Yates statistic; V stays uncorrected.
  func testYates() throws {
    let (v, d, _, _) = try result(try project(), "```{crosstab #y}\ndata: wd\nx: sex\ny: dropout\ncorrect: true\n```\n", "y")
    let want = try reference("prac-sex-dropout")
    close(v["chisq"], want["chisq_yates"], "Yates chisq")
    close(v["p"], want["p_yates"], "Yates p")
    close(v["cramers_v"], want["cramers_v"], "V")
    XCTAssertEqual(v["correct"] as? Bool, true)
    XCTAssertTrue((d["method"] as? String)?.contains("Yates") ?? false, "\(d)")
  }

  /// A 3 × 3 table: no Fisher p unless exact: true, then R's FEXACT p; a small-count warning.
  func testExactRByC() throws {
    let p = try project()
    var (v, _, warnings, _) = try result(p, "```{crosstab #s}\ndata: small\nx: r\ny: c\n```\n", "s")
    XCTAssertNil(v["fisher_p"])
    XCTAssertNil(v["odds_ratio"])
    XCTAssertTrue(warnings.contains { $0.message.contains("expected counts are below 5") && $0.message.contains("exact: true") }, "\(warnings)")
    (v, _, _, _) = try result(p, "```{crosstab #s}\ndata: small\nx: r\ny: c\nexact: true\n```\n", "s")
    close(v["fisher_p"], try reference("fexact-3x3")["fisher_p"], rel: 1e-12, "FEXACT p")
    close(v["chisq"], try reference("fexact-3x3")["chisq"], "chisq")
  }

  /// Regression: with the same levels in x and y, `cells["b,a"]` is the (b, a) cell, not
  /// (a, b) by the symmetric pair rule of `correlate` pairs.
  func testCellKeyIsOrdered() throws {
    let (_, _, _, html) = try result(try project(), "```{crosstab #t}\ndata: same\nx: u\ny: v\n```\n\n`{t.cells[\"b,a\"]}` and `{t.cells[\"a,b\"].n}`\n", "t")
    XCTAssertEqual(ComputedValues.text(html, "t.cells[\"b,a\"]"), "3 (60.0%)")
    XCTAssertEqual(ComputedValues.text(html, "t.cells[\"a,b\"].n"), "1")
  }

  func testDiagnostics() throws {
    let p = try project()
    var e = p.errors(header + "```{crosstab #m}\ndata: one\nx: u\ny: v\n```\n")
    XCTAssertEqual(e.first?.code, "one-level", "\(e)")
    XCTAssertTrue(e.first?.message.contains("'u' has only one level") ?? false, "\(e)")
    e = p.errors(header + "```{crosstab #m}\ndata: wd\nx: sex\ny: sex\n```\n")
    XCTAssertTrue(e.first?.message.contains("x and y are both 'sex'") ?? false, "\(e)")
    e = p.errors(header + "```{crosstab #m}\ndata: wd\nx: sexx\ny: dropout\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'sex'") ?? false, "\(e)")
    e = p.errors(header + "```{crosstab #m}\ndata: wd\nx: sex\n```\n")
    XCTAssertTrue(e.first?.message.contains("'y'") ?? false, "\(e)")
    e = p.errors(header + "```{crosstab #m}\ndata: wd\nx: sex\ny: dropout\nexact: maybe\n```\n")
    XCTAssertTrue(e.first?.message.contains("exact") ?? false, "\(e)")
  }
}
