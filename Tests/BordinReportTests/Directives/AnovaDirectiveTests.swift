import Foundation
import XCTest

@testable import BordinReport

/// `anova` end to end against R 4.2.2 + car + effectsize (Tests/Fixtures/anova-references.json,
/// made by Tests/Fixtures/r/anova-references.R): the Coping Power ANCOVA (type 3 and 2), its
/// fragment and APA table, Moore's unbalanced two-way design, and the diagnostics.
final class AnovaDirectiveTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("anova-references.json"))) as! [String: Any]
    return (d["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!["results"] as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("children.csv", try String(contentsOf: repositoryRoot.appendingPathComponent("data/coping-power/children.csv"), encoding: .utf8))
    p.write("moore.csv", try String(contentsOf: fixtures.appendingPathComponent("data/moore.csv"), encoding: .utf8))
    // The cell (b, v) is empty; three rows in all for tiny.
    p.write("gap.csv", "y,a,b\n1,a,u\n2,a,v\n3,b,u\n4,a,u\n5,b,u\n6,a,v\n")
    // 2 × 3 with the cell (b, w) empty: one of the two interaction columns is aliased.
    p.write("gap3.csv", "y,a,b\n1,a,u\n2,a,u\n4,a,v\n3,a,v\n6,a,w\n8,a,w\n2,b,u\n5,b,u\n7,b,v\n9,b,v\n")
    p.write("tiny.csv", "y,a\n1,p\n2,q\n3,r\n")
    return p
  }

  let header = """
    ---
    data:
      kids: children.csv
      moore: moore.csv
      gap: gap.csv
      gap3: gap3.csv
      tiny: tiny.csv
    ---


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

  func assertMatches(_ v: [String: Any], _ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let want = try reference(id)
    let got = v["terms"] as! [[String: Any]], exp = want["terms"] as! [[String: Any]]
    XCTAssertEqual(got.map { $0["term"] as! String }, exp.map { $0["term"] as! String }, file: file, line: line)
    for (g, e) in zip(got, exp) {
      for k in ["ss", "F", "p", "eta2_partial"] {
        guard let y = e[k] as? Double else { XCTAssertNil(g[k], "\(id) \(g["term"]!) \(k)", file: file, line: line); continue }
        let x = (g[k] as? NSNumber)?.doubleValue ?? .nan
        XCTAssertLessThanOrEqual(abs(x - y), 1e-8 * abs(y), "\(id) \(g["term"]!) \(k): \(x) vs \(y)", file: file, line: line)
      }
      XCTAssertEqual(g["df"] as? Int, e["df"] as? Int, file: file, line: line)
    }
    let rss = (v["residual_ss"] as! NSNumber).doubleValue, wrss = want["residual_ss"] as! Double
    XCTAssertLessThanOrEqual(abs(rss - wrss), 1e-8 * wrss, "residual SS", file: file, line: line)
    XCTAssertEqual(v["residual_df"] as? Int, want["residual_df"] as? Int, file: file, line: line)
    XCTAssertEqual(v["n"] as? Int, want["n"] as? Int, file: file, line: line)
  }

  /// The ANCOVA of the alliance write-up: ext_post ~ format + ext_pre, type 3 by default, with
  /// the fragment, the APA table and the rows dropped for a missing post score.
  func testCopingPowerAncovaTypeThree() throws {
    let body = """
      ```{anova #an}
      data: kids
      formula: ext_post ~ format + ext_pre
      ```

      Format, adjusted for baseline: `{an.terms["format"]}`.

      ```{table #tbl-an}
      of: an
      ```

      """
    let (v, d, html) = try result(try project(), body, "an")
    try assertMatches(v, "coping-ancova-3")
    XCTAssertEqual(v["type"] as? Int, 3)
    XCTAssertEqual(d["rows_dropped"] as? Int, 21)
    XCTAssertTrue((d["method"] as? String)?.contains("type 3") ?? false, "\(d)")
    let t = (try reference("coping-ancova-3")["terms"] as! [[String: Any]]).first { $0["term"] as? String == "format" }!
    let frag = "<i>F</i>(1, 336) = " + Format.fixed(t["F"] as! Double, 2) + ", " + APA.p(t["p"] as! Double) + ", " +
      AnovaDirective.etaSymbol + " = " + Format.fixed(t["eta2_partial"] as! Double, 2, leadingZero: false)
    XCTAssertEqual(ComputedValues.extract(html).first { $0.ref == "an.terms[\"format\"]" }?.html, frag)
    XCTAssertTrue(html.contains(">Intercept<"), "type 3 lists the intercept")
    XCTAssertTrue(html.contains(">Residuals<"), "the residual row")
    XCTAssertTrue(html.contains("Type III sums of squares"), "the table note")
    XCTAssertEqual(ComputedValues.text(html, "an.residual_df"), "336")
    let (_, _, whole) = try result(try project(), body + "\nError term: `{an}`.\n", "an")
    let want = try reference("coping-ancova-3")
    XCTAssertEqual(ComputedValues.extract(whole).first { $0.ref == "an" }?.html,
                   "<i>MS</i><sub>error</sub> = " + Format.fixed((want["residual_ss"] as! Double) / 336, 2) + ", <i>df</i> = 336, <i>N</i> = 339")
  }

  func testCopingPowerAncovaTypeTwo() throws {
    let (v, d, html) = try result(try project(), "```{anova #an}\ndata: kids\nformula: ext_post ~ format * sex + ext_pre\ntype: 2\n```\n\n```{table}\nof: an\n```\n", "an")
    try assertMatches(v, "coping-twoway-2")
    XCTAssertFalse(html.contains(">Intercept<"), "type 2 has no intercept row")
    XCTAssertTrue((d["method"] as? String)?.contains("type 2") ?? false)
  }

  func testMooreUnbalanced() throws {
    let (v, _, _) = try result(try project(), "```{anova #m}\ndata: moore\nformula: conformity ~ fcategory * partner\n```\n", "m")
    try assertMatches(v, "moore-3")
  }

  /// Type 2 of a design with an empty cell drops the aliased column with a warning in the report.
  func testEmptyCellTypeTwoWarns() throws {
    switch try project().render(header + "```{anova #a}\ndata: gap3\nformula: y ~ a * b\ntype: 2\n```\n") {
    case .failure(let e): XCTFail("\(e)")
    case .success(let r):
      XCTAssertTrue(r.warnings.contains { $0.message.contains("'ab:bw'") && $0.message.contains("dropped") }, "\(r.warnings)")
      XCTAssertTrue(r.html.contains("dropped"), "the warning is shown next to the result")
    }
    // A term with no estimable column (2 × 2 with an empty cell) is an error, not a 0-df row.
    let e = try project().errors(header + "```{anova #a}\ndata: gap\nformula: y ~ a * b\ntype: 2\n```\n")
    XCTAssertEqual(e.first?.code, "aliased-term", "\(e)")
  }

  func testDiagnostics() throws {
    let p = try project()
    var e = p.errors(header + "```{anova #a}\ndata: kids\nformula: ext_post ~ formatt + ext_pre\n```\n")
    XCTAssertEqual(e.first?.code, "unknown-column", "\(e)")
    XCTAssertTrue(e.first?.message.contains("did you mean 'format'") ?? false, "\(e)")
    XCTAssertEqual(e.first?.line, 12, "located at the formula: \(e)")
    e = p.errors(header + "```{anova #a}\ndata: kids\nformula: sex ~ format\n```\n")
    XCTAssertEqual(e.first?.code, "non-numeric-response", "\(e)")
    XCTAssertTrue(e.first?.message.contains("'sex' is not numeric") ?? false, "\(e)")
    e = p.errors(header + "```{anova #a}\ndata: gap\nformula: y ~ a * b\n```\n")
    XCTAssertEqual(e.first?.code, "empty-cell", "\(e)")
    XCTAssertTrue(e.first?.message.contains("a = b, b = v") ?? false, "\(e)")
    XCTAssertTrue(e.first?.remedy?.contains("type: 2") ?? false, "\(e)")
    e = p.errors(header + "```{anova #a}\ndata: tiny\nformula: y ~ a\n```\n")
    XCTAssertEqual(e.first?.code, "too-few-rows", "\(e)")
    e = p.errors(header + "```{anova #a}\ndata: kids\nformula: ext_post ~ format\ntype: 1\n```\n")
    XCTAssertEqual(e.first?.code, "option-value", "\(e)")
    XCTAssertTrue(e.first?.message.contains("'type' must be one of 2, 3; got '1'") ?? false, "\(e)")
    XCTAssertEqual(e.first?.line, 13, "located at type: \(e)")
  }
}
