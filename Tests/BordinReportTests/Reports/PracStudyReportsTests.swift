import Foundation
import XCTest

@testable import BordinReport

/// The three example reports on the simulated PRAC data (`bordin simulate prac --seed 1978`):
/// each renders without warnings, holds its named analyses in results.json, shows its figures
/// and tables, and reports its parameter-recovery coverage in the prose.
final class PracStudyReportsTests: XCTestCase {
  struct Rendered {
    var html: String
    var directives: [String: Any]
  }

  func render(_ name: String) throws -> Rendered {
    let r = try Renderer.render(file: repositoryRoot.appendingPathComponent("reports/\(name).md"), displayPath: "reports/\(name).md")
    XCTAssertTrue(r.warnings.isEmpty, "\(name): \(r.warnings)")
    let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as? [String: Any])
    let directives = try XCTUnwrap(obj["directives"] as? [String: Any])
    return Rendered(html: r.html, directives: directives)
  }

  /// The result object of `label`, after checking that the directive is of `kind`.
  @discardableResult
  func result(_ r: Rendered, _ label: String, kind: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
    guard let d = r.directives[label] as? [String: Any] else {
      XCTFail("no directive '\(label)' in results.json", file: file, line: line)
      return [:]
    }
    XCTAssertEqual(d["kind"] as? String, kind, "kind of '\(label)'", file: file, line: line)
    let res = d["result"] as? [String: Any]
    XCTAssertNotNil(res, "'\(label)' has no result", file: file, line: line)
    return res ?? [:]
  }

  func assertFigures(_ r: Rendered, _ ids: [String], file: StaticString = #filePath, line: UInt = #line) {
    for id in ids {
      XCTAssertTrue(r.html.contains("<figure class=\"bordin-figure\" id=\"\(id)\">"), "figure \(id)", file: file, line: line)
    }
  }

  func assertTables(_ r: Rendered, _ ids: [String], file: StaticString = #filePath, line: UInt = #line) {
    for id in ids {
      XCTAssertTrue(r.html.contains("<table class=\"apa\" id=\"\(id)\">"), "table \(id)", file: file, line: line)
    }
  }

  /// The recovery table exists, every CI-bearing row is counted, and the prose reports the count.
  func assertRecovery(_ r: Rendered, rows: Int, withCI: Int, file: StaticString = #filePath, line: UInt = #line) {
    let rec = result(r, "tbl-recovery", kind: "recovery", file: file, line: line)
    let list = rec["rows"] as? [[String: Any]] ?? []
    XCTAssertEqual(list.count, rows, "recovery rows", file: file, line: line)
    let n = rec["n"] as? Int ?? -1, covered = rec["covered"] as? Int ?? -1
    XCTAssertEqual(n, withCI, "recovery rows with a CI", file: file, line: line)
    XCTAssertEqual(covered, list.filter { $0["covered"] as? Bool == true }.count, file: file, line: line)
    XCTAssertGreaterThanOrEqual(covered, n * 8 / 10, "coverage far below 95%", file: file, line: line)
    XCTAssertEqual(ComputedValues.text(r.html, "tbl-recovery.covered"), String(covered), file: file, line: line)
    XCTAssertEqual(ComputedValues.text(r.html, "tbl-recovery.n"), String(n), file: file, line: line)
    assertTables(r, ["tbl-recovery"], file: file, line: line)
  }

  func testAccurso2016Perspectives() throws {
    let r = try render("accurso-2016-perspectives")
    for label in ["s-child", "s-caregiver", "s-thchild", "s-thcaregiver", "child", "caregiver", "thcaregiver"] {
      let g = result(r, label, kind: "growth")
      XCTAssertEqual(g["converged"] as? Bool, true, label)
      XCTAssertEqual(g["singular"] as? Bool, false, label)
    }
    let th = result(r, "thchild", kind: "lmm")
    XCTAssertEqual(th["singular"] as? Bool, false)
    let terms = (th["fixed"] as? [[String: Any]] ?? []).compactMap { $0["term"] as? String }
    XCTAssertTrue(terms.contains("months:anxiety") && terms.contains("months:sexgirl"), "\(terms)")
    for label in ["agree-child", "agree-caregiver", "agree-all"] { result(r, label, kind: "agree") }
    XCTAssertEqual((result(r, "cor4", kind: "correlate")["pairs"] as? [Any])?.count, 6)
    for label in ["tt-child", "tt-caregiver", "tt-clients"] { XCTAssertEqual(result(r, label, kind: "ttest")["type"] as? String, "paired") }
    XCTAssertEqual(result(r, "drop", kind: "ttest")["type"] as? String, "welch")
    result(r, "drop-reg", kind: "regress")
    // Early alliance does not predict leaving (simulated dropout propensity 0.1 SD per SD).
    let glm = result(r, "drop-glm", kind: "glm")
    XCTAssertEqual(glm["converged"] as? Bool, true)
    let child = (glm["coef"] as? [[String: Any]] ?? []).first { $0["term"] as? String == "tasc_child_4" }
    XCTAssertGreaterThan(child?["p"] as? Double ?? 0, 0.05)
    XCTAssertEqual(result(r, "drop-sex", kind: "crosstab")["n"] as? Int, 209)
    let alpha = result(r, "alpha", kind: "reliability")
    XCTAssertEqual(alpha["k"] as? Int, 12)
    XCTAssertGreaterThan(alpha["raw_alpha"] as? Double ?? 0, 0.6)
    // Therapists rate the child alliance lower than children do (simulated truth −3.64 points).
    XCTAssertLessThan(result(r, "tt-child", kind: "ttest")["mean_diff"] as? Double ?? 0, 0)
    assertFigures(r, ["fig-stab-child", "fig-stab-therapist", "fig-agree", "fig-means", "fig-sex", "fig-anxiety",
                      "fig-ethnicity", "fig-experience", "fig-retention", "fig-items"])
    assertTables(r, ["tbl-desc", "tbl-stab", "tbl-icc", "tbl-cor", "tbl-pairs", "tbl-pred-child", "tbl-pred-thchild",
                     "tbl-pred-caregiver", "tbl-pred-thcaregiver", "tbl-drop", "tbl-alpha"])
    assertRecovery(r, rows: 52, withCI: 44)
  }

  func testAllianceOutcomeCLPMs() throws {
    let r = try render("accurso-alliance-outcome")
    for label in ["sym-child", "sym-thchild", "sym-caregiver", "par-caregiver", "par-obschild", "ff-caregiver", "ff-obschild"] {
      let m = result(r, label, kind: "clpm")
      XCTAssertEqual(m["converged"] as? Bool, true, label)
      XCTAssertEqual((m["fit"] as? [String: Any])?["df"] as? Int, 4, label)
      XCTAssertEqual(m["missing"] as? String, "fiml", label)
      assertFigures(r, ["fig-" + label])
      assertTables(r, ["tbl-" + label])
    }
    let both = result(r, "ff-both", kind: "sem")
    XCTAssertEqual(both["converged"] as? Bool, true)
    let keys = (both["parameters"] as? [[String: Any]] ?? []).map { "\($0["lhs"] ?? "") \($0["op"] ?? "") \($0["rhs"] ?? "")" }
    XCTAssertTrue(keys.contains("family_functioning8 ~ tasc_observer_child4"), "\(keys)")
    assertFigures(r, ["fig-ff-both"])
    assertTables(r, ["tbl-desc", "tbl-ff-both"])
    // Caregiver alliance predicts family functioning 4 months later (true path 0.35).
    let ff = (result(r, "ff-caregiver", kind: "clpm")["parameters"] as? [[String: Any]] ?? [])
      .first { $0["lhs"] as? String == "family_functioning8" && $0["op"] as? String == "~" && $0["rhs"] as? String == "tasc_caregiver4" }
    XCTAssertGreaterThan(ff?["est"] as? Double ?? 0, 0)
    assertRecovery(r, rows: 19, withCI: 19)
  }

  func testInformantAgreement() throws {
    let r = try render("informant-agreement")
    for label in ["icc-child", "icc-caregiver"] {
      let a = result(r, label, kind: "agree")
      XCTAssertEqual((a["icc"] as? [Any])?.count, 6, label)
      XCTAssertEqual((a["pairs"] as? [Any])?.count, 3, label)
    }
    for label in ["disc", "disc-ff"] {
      let d = result(r, label, kind: "discrepancy")
      for a in ["a1", "a2", "a3", "a4", "a5"] { XCTAssertNotNil(d[a] as? [String: Any], "\(label).\(a)") }
      XCTAssertNotNil(d["difference"] as? [String: Any])
    }
    for label in ["tt-thchild", "tt-thcaregiver", "tt-obschild", "tt-obscaregiver", "tt-clients"] { result(r, label, kind: "ttest") }
    for label in ["cov-symptoms", "cov-parenting", "cov-family"] { result(r, label, kind: "sem") }
    assertFigures(r, ["fig-means", "fig-ba-child", "fig-ba-caregiver", "fig-surface", "fig-surface-ff"])
    assertTables(r, ["tbl-desc", "tbl-icc-child", "tbl-icc-caregiver", "tbl-pairs", "tbl-surface", "tbl-poly", "tbl-surface-ff"])
    assertRecovery(r, rows: 14, withCI: 14)
  }
}
