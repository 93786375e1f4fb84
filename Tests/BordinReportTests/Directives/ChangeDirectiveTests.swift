import Foundation
import XCTest

@testable import BordinReport

/// `change` end to end against the Jacobson–Truax formulas in R (Tests/Fixtures/change-references.json):
/// Coping Power externalizing by format (cutoff c), its fragments, keyed paths and table, and the
/// diagnostics located at their options.
final class ChangeDirectiveTests: XCTestCase {
  func reference(_ id: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("change-references.json"))) as! [String: Any]
    return (d["cases"] as! [[String: Any]]).first { $0["id"] as? String == id }!["results"] as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("children.csv", try String(contentsOf: repositoryRoot.appendingPathComponent("data/coping-power/children.csv"), encoding: .utf8))
    return p
  }

  let header = "---\ndata:\n  cp: children.csv\n---\n\n"

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

  func testCopingPowerByFormatAgainstR() throws {
    let body = """
      ```{change #chg}
      data: cp
      pre: ext_pre
      post: ext_post
      reliability: 0.9
      norm_mean: 50
      norm_sd: 10
      by: format
      ```

      Criteria: `{chg}`. Recovered in individual format: `{chg.categories["individual,recovered"]}`.

      ```{table #tbl-chg}
      of: chg
      ```

      """
    let (v, d, _, html) = try result(try project(), body, "chg")
    let want = try reference("coping-ext-c")
    for k in ["sdiff", "cutoff", "sd", "mean_pre"] { close(v[k], want[k], k) }
    XCTAssertEqual(v["cutoff_type"] as? String, "c")
    XCTAssertEqual(v["n"] as? Int, 339)
    XCTAssertEqual(d["rows_dropped"] as? Int, 21)
    let got = v["categories"] as! [[String: Any]], exp = want["categories"] as! [[String: Any]]
    XCTAssertEqual(got.count, 8)
    for (g, w) in zip(got, exp) {
      XCTAssertEqual(g["group"] as? String, w["group"] as? String)
      XCTAssertEqual(g["category"] as? String, w["category"] as? String)
      XCTAssertEqual(g["n"] as? Int, w["n"] as? Int)
      close(g["pct"], w["pct"], "pct")
    }
    let rec = exp.first { $0["group"] as? String == "individual" && $0["category"] as? String == "recovered" }!
    XCTAssertEqual(ComputedValues.text(html, "chg.categories[\"individual,recovered\"]"), "\(rec["n"]!) (\(Format.fixed(rec["pct"] as! Double, 1))%)")
    XCTAssertEqual(ComputedValues.extract(html).first { $0.ref == "chg" }?.html,
                   "<i>S</i><sub>diff</sub> = \(Format.fixed(want["sdiff"] as! Double, 2)), reliable change &gt; \(Format.fixed(1.96 * (want["sdiff"] as! Double), 2)) points, cutoff <i>c</i> = \(Format.fixed(want["cutoff"] as! Double, 2))")
    XCTAssertTrue(html.contains("<th scope=\"col\">group <i>n</i></th><th scope=\"col\">%</th><th scope=\"col\">individual <i>n</i></th>"), "table header")
    XCTAssertTrue(html.contains("<th scope=\"row\">Recovered</th>"))
    XCTAssertTrue(html.contains("Jacobson and Truax (1991) criteria"))
  }

  /// Cutoff a, no groups: `categories[improved]` keyed by category alone.
  func testCutoffA() throws {
    let (v, _, _, html) = try result(try project(), "```{change #a}\ndata: cp\npre: ext_pre\npost: ext_post\nreliability: 0.85\n```\n\n`{a.categories[improved].n}`\n", "a")
    let want = try reference("coping-ext-a")
    close(v["cutoff"], want["cutoff"], "cutoff a")
    XCTAssertEqual(v["cutoff_type"] as? String, "a")
    XCTAssertEqual(ComputedValues.text(html, "a.categories[improved].n"), "100")
  }

  func testDiagnostics() throws {
    let p = try project()
    var e = p.errors(header + "```{change #m}\ndata: cp\npre: ext_pre\npost: ext_post\nreliability: 1.2\n```\n")
    XCTAssertEqual(e.first?.code, "bad-reliability", "\(e)")
    XCTAssertEqual(e.first?.line, 10, "at the reliability option")
    e = p.errors(header + "```{change #m}\ndata: cp\npre: ext_pre\npost: ext_post\n```\n")
    XCTAssertTrue(e.first?.message.contains("reliability") ?? false, "\(e)")
    e = p.errors(header + "```{change #m}\ndata: cp\npre: ext_pre\npost: ext_post\nreliability: 0.9\nnorm_mean: 50\n```\n")
    XCTAssertEqual(e.first?.code, "bad-norms", "\(e)")
    e = p.errors(header + "```{change #m}\ndata: cp\npre: ext_pre\npost: ext_post\nreliability: 0.9\nsd: -3\n```\n")
    XCTAssertEqual(e.first?.code, "bad-sd", "\(e)")
    e = p.errors(header + "```{change #m}\ndata: cp\npre: format\npost: ext_post\nreliability: 0.9\n```\n")
    XCTAssertTrue(e.first?.message.contains("format") ?? false, "a text column: \(e)")
    e = p.errors(header + "```{change #m}\ndata: cp\npre: ext_pre\npost: ext_pst\nreliability: 0.9\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'ext_post'") ?? false, "\(e)")
  }

  /// Norms on the wrong side of the sample (lower is better but the norm mean is above the
  /// patients' mean) are a warning.
  func testNormsOnTheWrongSideWarn() throws {
    let (_, _, warnings, _) = try result(try project(), "```{change #w}\ndata: cp\npre: ext_pre\npost: ext_post\nreliability: 0.9\nnorm_mean: 80\nnorm_sd: 10\n```\n", "w")
    XCTAssertTrue(warnings.contains { $0.message.contains("lower_is_better") }, "\(warnings)")
  }

  /// `plot type: change`: the Jacobson plot of a change result, all patients or one group.
  func testJacobsonPlot() throws {
    let body = """
      ```{change #chg}
      data: cp
      pre: ext_pre
      post: ext_post
      reliability: 0.9
      norm_mean: 50
      norm_sd: 10
      by: format
      ```

      ```{plot #fig-chg}
      type: change
      of: chg
      caption: Externalizing before and after
      ```

      ```{plot #fig-ind}
      type: change
      of: chg
      group: individual
      xlab: Before
      ```

      """
    let (_, _, _, html) = try result(try project(), body, "chg")
    XCTAssertTrue(html.contains("<figure class=\"bordin-figure\" id=\"fig-chg\">"))
    XCTAssertTrue(html.contains("Jacobson plot of 339 patients"), "alt text")
    XCTAssertTrue(html.contains("Recovered (105)"), "legend counts over both groups (46 + 59)")
    XCTAssertTrue(html.contains("Recovered (59)"), "the individual group only")
    XCTAssertTrue(html.contains("class=\"rci-upper\""))
    XCTAssertTrue(html.contains("Cutoff c = 58.33"))
  }

  func testJacobsonPlotDiagnostics() throws {
    let p = try project()
    let change = "```{change #chg}\ndata: cp\npre: ext_pre\npost: ext_post\nreliability: 0.9\nby: format\n```\n\n"
    var e = p.errors(header + change + "```{plot #f}\ntype: change\nof: chg\ngroup: individul\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'individual'") ?? false, "\(e)")
    e = p.errors(header + change + "```{describe #d}\ndata: cp\nvars: ext_pre\n```\n\n```{plot #f}\ntype: change\nof: d\n```\n")
    XCTAssertTrue(e.first?.message.contains("a change plot draws a change result") ?? false, "\(e)")
    e = p.errors(header + change + "```{plot #f}\ntype: change\n```\n")
    XCTAssertTrue(e.first?.message.contains("needs 'of'") ?? false, "\(e)")
  }
}
