import Foundation
import XCTest

@testable import BordinReport

/// The example report in reports/ renders, deterministically, with the values R gives
/// (the R values are those of Tests/Fixtures/basic-coping-power.json).
final class ExampleReportTests: XCTestCase {
  let report = repositoryRoot.appendingPathComponent("reports/coping-power.md")

  func render() throws -> RenderedReport {
    try Renderer.render(file: report, displayPath: "reports/coping-power.md")
  }

  func testRendersTwiceToIdenticalBytes() throws {
    let a = try render(), b = try render()
    XCTAssertEqual(a.html, b.html)
    XCTAssertEqual(a.resultsJSON, b.resultsJSON)
    XCTAssertTrue(a.warnings.isEmpty, "\(a.warnings)")
  }

  func testHTMLIsSelfContainedAndAccessible() throws {
    let h = try render().html
    XCTAssertTrue(h.hasPrefix("<!DOCTYPE html>"))
    XCTAssertFalse(h.contains("<script"))
    XCTAssertFalse(h.contains("src=\"http"))
    XCTAssertFalse(h.contains("href=\"http"))
    XCTAssertTrue(h.contains("<caption><span class=\"bordin-number\">Table 1</span>"))
    XCTAssertTrue(h.contains("<th scope=\"col\">"))
    XCTAssertTrue(h.contains("<figure class=\"bordin-figure\" id=\"fig-bond\">"))
    XCTAssertTrue(h.contains("role=\"img\""))
    XCTAssertTrue(h.contains("<title id="))
    XCTAssertTrue(h.contains("<desc id="))
    XCTAssertTrue(h.contains("<figcaption><span class=\"bordin-number\">Figure 1</span>"))
    XCTAssertTrue(h.contains("<a class=\"bordin-xref\" href=\"#fig-bond\">Figure&nbsp;1</a> shows"))
    XCTAssertTrue(h.contains("<a class=\"bordin-xref\" href=\"#tbl-model\">Table&nbsp;2</a>"))
    XCTAssertTrue(h.contains("id=\"provenance\""))
  }

  func testInlineValuesCarryDataRefsAndAPAFormat() throws {
    let h = try render().html
    let v = { (ref: String) in ComputedValues.text(h, ref) }
    // R: lm(ext_post ~ ext_pre + bond_therapist + format): b = -2.91365787883351, t = -4.0174058849724, df 356
    XCTAssertEqual(v("model.coef[bond_therapist]"), "b = \u{2212}2.91, 95% CI [\u{2212}4.34, \u{2212}1.49], t(356) = \u{2212}4.02, p < .001")
    XCTAssertTrue(h.contains("<span class=\"bordin-value\" id=\"use-model\" data-ref=\"model.coef[bond_therapist]\"><i>b</i> = \u{2212}2.91"))
    // Values are not links: one provenance link ends their paragraph.
    XCTAssertFalse(h.contains("<a class=\"bordin-value\""))
    XCTAssertTrue(h.contains("<a class=\"bordin-src\" href=\"#prov-model\""))
    XCTAssertTrue(h.contains("<li id=\"prov-model\">"))
    XCTAssertTrue(h.contains("href=\"#use-model\" aria-label=\"back to model in the text\">↩</a>"))
    // R: partial r = -0.205174086099895
    XCTAssertEqual(v("partial.r"), "\u{2212}.21")
    XCTAssertEqual(v("model.r2"), "40.3%")
    XCTAssertEqual(v("params.site"), "all schools")
    // R: cor.test(bond_child, bond_therapist): r = .4397, df 346, CI [.3507, .5207]
    XCTAssertEqual(v("bond-r.pairs[0]"), "r(346) = .44, 95% CI [.35, .52], p < .001")
    // R: paired t = 7.529, df 347, mean diff 0.2173 [0.1605, 0.2740]
    XCTAssertEqual(v("bond-t"), "Mdiff = 0.22, 95% CI [0.16, 0.27], t(347) = 7.53, p < .001, d = 0.40")
  }

  func testResultsJSONHoldsFullPrecisionAndProvenance() throws {
    let json = try render().resultsJSON
    let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    XCTAssertEqual((obj["bordin"] as? [String: Any])?["version"] as? String, bordinVersion)
    let inputs = obj["inputs"] as! [[String: Any]]
    XCTAssertEqual(inputs.first?["sha256"] as? String, "380e2a92d8594201fd8431ca49384130f34ffbd19ca4d9865d448a56354e4897")
    XCTAssertEqual(inputs.first?["rows"] as? Int, 360)
    let directives = obj["directives"] as! [String: Any]
    let model = directives["model"] as! [String: Any]
    XCTAssertEqual(model["kind"] as? String, "regress")
    XCTAssertEqual(model["rows_used"] as? Int, 360)
    XCTAssertNotNil(model["source_line"] as? Int)
    let coef = (model["result"] as! [String: Any])["coef"] as! [[String: Any]]
    let bond = coef.first { $0["term"] as? String == "bond_therapist" }!
    XCTAssertEqual(bond["estimate"] as! Double, -2.91365787883351, accuracy: 2.91365787883351 * 1e-8)
    // rows dropped with the reason: the Pearson correlation uses complete cases (R: n = 348)
    let r = directives["bond-r"] as! [String: Any]
    XCTAssertEqual(r["rows_used"] as? Int, 348)
    XCTAssertGreaterThan(r["rows_dropped"] as? Int ?? 0, 0)
    XCTAssertNotNil(r["dropped_reason"] as? String)
  }
}

/// The meta-analysis example report (issue: meta-analysis) renders without diagnostics and
/// shows forest and funnel plots, a moderator analysis and bias tests.
final class MolloyReportTests: XCTestCase {
  func testRendersWithFiguresTablesAndNoDiagnostics() throws {
    let r = try Renderer.render(file: repositoryRoot.appendingPathComponent("reports/molloy-2014.md"), displayPath: "reports/molloy-2014.md")
    XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
    XCTAssertTrue(r.html.contains("<figure class=\"bordin-figure\" id=\"fig-forest\">"))
    XCTAssertTrue(r.html.contains("<figure class=\"bordin-figure\" id=\"fig-funnel\">"))
    XCTAssertEqual(ComputedValues.text(r.html, "pooled"), "r = .15, 95% CI [.09, .21], p < .001")
    XCTAssertEqual(ComputedValues.text(r.html, "pooled.k"), "16")
    XCTAssertNotNil(ComputedValues.text(r.html, "age.coef[meanage].estimate"))
    XCTAssertNotNil(ComputedValues.text(r.html, "pooled.trimfill.k0"))
    XCTAssertEqual(r.html.components(separatedBy: "<table class=\"apa\"").count - 1, 3)
    let again = try Renderer.render(file: repositoryRoot.appendingPathComponent("reports/molloy-2014.md"), displayPath: "reports/molloy-2014.md")
    XCTAssertEqual(r.html, again.html)
  }
}
