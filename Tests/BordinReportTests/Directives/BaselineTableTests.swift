import Foundation
import XCTest

@testable import BordinReport

/// Table 1 (`table` with `data`, `by`, `vars`) against R 4.2.2 (Tests/Fixtures/baseline-references.json,
/// made by Tests/Fixtures/r/anova-references.R): M (SD) with Welch's t (`t.test`) or the one-way
/// ANOVA F (`aov`), n (%) with Pearson's χ² (`chisq.test(correct = FALSE)`) or Fisher's exact
/// test (`fisher.test`, 2 × 2 with an expected count < 5), on birthwt by smoking, warpbreaks by
/// tension and the Coping Power children by delivery format; and the diagnostics.
final class BaselineTableTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("baseline-references.json"))) as! [String: Any]
    return (d["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("bw.csv", try String(contentsOf: fixtures.appendingPathComponent("data/birthwt-baseline.csv"), encoding: .utf8))
    p.write("wb.csv", try String(contentsOf: fixtures.appendingPathComponent("data/warpbreaks.csv"), encoding: .utf8))
    p.write("kids.csv", try String(contentsOf: repositoryRoot.appendingPathComponent("data/coping-power/children.csv"), encoding: .utf8))
    return p
  }

  let header = """
    ---
    data:
      bw: bw.csv
      wb: wb.csv
      kids: kids.csv
    ---


    """

  func render(_ p: TestProject, _ body: String, _ label: String) throws -> (value: [String: Any], html: String, warnings: [Diagnostic]) {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return ([:], "", [])
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      let d = (j["directives"] as! [String: Any])[label] as! [String: Any]
      return (d["result"] as! [String: Any], r.html, r.warnings)
    }
  }

  func close(_ a: Any?, _ b: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), 1e-8 * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  /// Every number of the rendered result against R's, variable by variable.
  func assertMatches(_ v: [String: Any], _ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let want = try reference(id)
    let groups = want["groups"] as! [String]
    XCTAssertEqual((v["groups"] as! [[String: Any]]).map { $0["name"] as! String }, groups, file: file, line: line)
    XCTAssertEqual((v["groups"] as! [[String: Any]]).map { $0["n"] as! Int }, (want["n"] as! [NSNumber]).map(\.intValue), file: file, line: line)
    let got = v["vars"] as! [[String: Any]]
    for (g, e) in zip(got, want["vars"] as! [[String: Any]]) {
      let name = e["var"] as! String
      XCTAssertEqual(g["var"] as? String, name, file: file, line: line)
      XCTAssertEqual(g["test"] as? String, e["test"] as? String, "\(id) \(name): the test", file: file, line: line)
      close(g["p"], e["p"], "\(id) \(name) p", file: file, line: line)
      if let s = e["statistic"] { close(g["statistic"], s, "\(id) \(name) statistic", file: file, line: line) }
      for k in ["df", "df1", "df2"] where e[k] != nil { close(g[k], e[k], "\(id) \(name) \(k)", file: file, line: line) }
      if e["type"] as? String == "numeric" {
        for (gg, eg) in zip(g["groups"] as! [[String: Any]], e["groups"] as! [[String: Any]]) {
          XCTAssertEqual(gg["name"] as? String, eg["group"] as? String, file: file, line: line)
          XCTAssertEqual(gg["n"] as? Int, eg["n"] as? Int, "\(id) \(name) n", file: file, line: line)
          close(gg["mean"], eg["mean"], "\(id) \(name) mean", file: file, line: line)
          close(gg["sd"], eg["sd"], "\(id) \(name) sd", file: file, line: line)
        }
      } else {
        close(g["min_expected"], e["min_expected"], "\(id) \(name) min expected", file: file, line: line)
        let levels = g["levels"] as! [[String: Any]], wl = e["levels"] as! [[String: Any]]
        XCTAssertEqual(levels.map { $0["name"] as! String }, wl.map { $0["level"] as! String }, file: file, line: line)
        for (l, w) in zip(levels, wl) {
          let cells = l["groups"] as! [[String: Any]]
          XCTAssertEqual(cells.map { $0["n"] as! Int }, (w["counts"] as! [NSNumber]).map(\.intValue), "\(id) \(name) counts", file: file, line: line)
          for (c, pct) in zip(cells, w["pct"] as! [NSNumber]) { close(c["pct"], pct, "\(id) \(name) %", file: file, line: line) }
        }
      }
    }
    XCTAssertEqual(got.count, (want["vars"] as! [Any]).count, file: file, line: line)
  }

  /// Two groups: Welch t for age and weight, χ² for race (3 × 2), Fisher for hypertension
  /// (2 × 2, smallest expected count 4.70).
  func testBirthweightBySmoking() throws {
    let body = "```{table #t1}\ndata: bw\nby: smoke\nvars: [age, lwt, race, ht]\n```\n"
    let (v, html, _) = try render(try project(), body, "t1")
    try assertMatches(v, "birthwt-smoke")
    XCTAssertTrue(html.contains("<th scope=\"col\">non-smoker (<i>n</i> = 115)</th>"), "group header with its n")
    XCTAssertTrue(html.contains("Fisher&#39;s exact"), "the 2 × 2 with a small expected count uses Fisher")
    XCTAssertTrue(html.contains("Welch&#39;s <i>t</i> test") || html.contains("Welch's <i>t</i> test"), "the note names the tests")
    let want = try reference("birthwt-smoke")["vars"] as! [[String: Any]]
    let age = (want[0]["groups"] as! [[String: Any]])[0]
    let cell = Format.fixed(age["mean"] as! Double, 2) + " (" + Format.fixed(age["sd"] as! Double, 2) + ")"
    XCTAssertEqual(ComputedValues.text(html, "t1.vars[\"age\"].groups[\"non-smoker\"]"), cell)
    XCTAssertEqual(ComputedValues.text(html, "t1.vars[\"age\"].p"), Format.p(want[0]["p"] as! Double))
    // Inline: a variable is its test, a level's group cell its n (%).
    let (_, inline, _) = try render(try project(), body + "\nAge: `{t1.vars[age]}`; hypertension among smokers: `{t1.vars[ht].levels[yes].groups[smoker]}`.\n", "t1")
    let t = Format.fixed(want[0]["statistic"] as! Double, 2), df = Format.fixed(want[0]["df"] as! Double, 2)
    XCTAssertEqual(ComputedValues.extract(inline).first { $0.ref == "t1.vars[age]" }?.html, "<i>t</i>(\(df)) = \(t), " + APA.p(want[0]["p"] as! Double))
    let ht = (want[3]["levels"] as! [[String: Any]])[1]
    let smokers = ((ht["counts"] as! [NSNumber])[1].intValue, (ht["pct"] as! [NSNumber])[1].doubleValue)
    XCTAssertEqual(ComputedValues.text(inline, "t1.vars[ht].levels[yes].groups[smoker]"), "\(smokers.0) (\(Format.fixed(smokers.1, 1))%)")
  }

  /// Fisher's exact p below 1: hypertension by low birthweight (smallest expected count 3.75,
  /// p = .052); smoking by low birthweight is a 2 × 2 with large counts, so χ².
  func testBirthweightByLowWeight() throws {
    let (v, _, _) = try render(try project(), "```{table #t1}\ndata: bw\nby: low\nvars: [lwt, ht, smoke]\n```\n", "t1")
    try assertMatches(v, "birthwt-low")
    XCTAssertEqual((v["vars"] as! [[String: Any]]).map { $0["test"] as! String }, ["welch", "fisher", "chisq"])
  }

  /// Three groups: the one-way ANOVA F for breaks (as car::Anova's one-way row) and χ² for wool.
  func testWarpbreaksByTension() throws {
    let (v, html, _) = try render(try project(), "```{table #t1}\ndata: wb\nby: tension\nvars: [breaks, wool]\n```\n", "t1")
    try assertMatches(v, "warpbreaks-tension")
    XCTAssertTrue(html.contains("one-way ANOVA <i>F</i>"), "the note says ANOVA F, not t")
    XCTAssertTrue(html.contains("<i>F</i>(2, 51) = 7.21"), "F with its df")
  }

  /// The alliance data by delivery format, with missing values counted in the note.
  func testCopingPowerByFormat() throws {
    let (v, html, _) = try render(try project(), "```{table #t1}\ndata: kids\nby: format\nvars: [age, sex, black, ext_pre, int_pre]\ncaption: Baseline characteristics\n```\n", "t1")
    try assertMatches(v, "coping-format")
    XCTAssertTrue(html.contains("Baseline characteristics"), "caption")
    XCTAssertTrue(html.contains("χ<sup>2</sup>(1) = "), "sex: χ² on 1 df")
  }

  func testDiagnostics() throws {
    let p = try project()
    var e = p.errors(header + "```{table #t1}\ndata: bw\nvars: [age]\n```\n")
    XCTAssertEqual(e.first?.code, "missing-option", "\(e)")
    XCTAssertTrue(e.first?.message.contains("needs 'by'") ?? false, "\(e)")
    e = p.errors(header + "```{table #t1}\ndata: bw\nby: smoke\n```\n")
    XCTAssertTrue(e.first?.message.contains("needs 'vars'") ?? false, "\(e)")
    e = p.errors(header + "```{table #t1}\ndata: bw\nby: smoke\nvars: [age, smoke]\n```\n")
    XCTAssertTrue(e.first?.message.contains("'smoke' is the grouping column") ?? false, "\(e)")
    e = p.errors(header + "```{table #t1}\ndata: bw\nby: smok\nvars: [age]\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'smoke'") ?? false, "\(e)")
    e = p.errors(header + "```{table #t1}\ndata: bw\nby: smoke\nvars: [agee]\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'age'") ?? false, "\(e)")
    e = p.errors(header + "```{table #t1}\ndata: bw\nby: age\nvars: [lwt]\n```\n")
    XCTAssertTrue(e.first?.message.contains("has 24 groups") ?? false, "\(e)")
    XCTAssertEqual(e.first?.line, 10, "located at by: \(e)")
    e = p.errors(header + "```{table #t1}\ndata: bw\nby: smoke\ncolumns: [age]\nvars: [lwt]\n```\n")
    XCTAssertTrue(e.first?.message.contains("'columns' lists data rows") ?? false, "\(e)")
  }
}
