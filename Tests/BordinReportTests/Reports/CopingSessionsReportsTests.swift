import Foundation
import XCTest

@testable import BordinReport

/// The two example reports on the simulated study designs — Coping Power format and agreement
/// (reports/coping-power-format.md, data/coping-power) and session-by-session alliance
/// (reports/sessions-alliance.md, data/sessions) — render without diagnostics, hold every named
/// analysis in results.json, show their figures and tables, and report parameter recovery.
final class CopingSessionsReportsTests: XCTestCase {
  func render(_ name: String) throws -> RenderedReport {
    try Renderer.render(file: repositoryRoot.appendingPathComponent("reports/\(name).md"), displayPath: "reports/\(name).md")
  }

  /// `directives` → label → (`kind`, `result`) of a rendered report's results.json.
  func directives(_ r: RenderedReport) throws -> [String: [String: Any]] {
    let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as? [String: Any])
    return try XCTUnwrap(obj["directives"] as? [String: [String: Any]])
  }

  func assertAnalyses(_ d: [String: [String: Any]], _ expected: [String: String], file: StaticString = #filePath, line: UInt = #line) {
    for (label, kind) in expected {
      guard let entry = d[label] else { XCTFail("results.json has no '\(label)'", file: file, line: line); continue }
      XCTAssertEqual(entry["kind"] as? String, kind, "kind of \(label)", file: file, line: line)
      XCTAssertNotNil(entry["result"] as? [String: Any], "result of \(label)", file: file, line: line)
    }
  }

  func fixed(_ d: [String: [String: Any]], _ label: String, _ term: String, field: String = "fixed") -> [String: Any]? {
    let rows = (d[label]?["result"] as? [String: Any])?[field] as? [[String: Any]]
    return rows?.first { $0["term"] as? String == term }
  }

  /// Figures and tables by id, numbered in order, and the cross-references resolve.
  func assertFiguresAndTables(_ html: String, figures: [String], tables: [String], file: StaticString = #filePath, line: UInt = #line) {
    for f in figures {
      XCTAssertTrue(html.contains("<figure class=\"bordin-figure\" id=\"\(f)\">"), "figure \(f)", file: file, line: line)
      XCTAssertTrue(html.contains("href=\"#\(f)\""), "a cross-reference to \(f)", file: file, line: line)
    }
    for t in tables {
      XCTAssertTrue(html.contains("id=\"\(t)\""), "table \(t)", file: file, line: line)
      XCTAssertTrue(html.contains("href=\"#\(t)\""), "a cross-reference to \(t)", file: file, line: line)
    }
    XCTAssertEqual(html.components(separatedBy: "<figure class=\"bordin-figure\"").count - 1, figures.count, file: file, line: line)
    XCTAssertEqual(html.components(separatedBy: "<table class=\"apa\"").count - 1, tables.count, file: file, line: line)
    XCTAssertTrue(html.contains("<figcaption><span class=\"bordin-number\">Figure \(figures.count)</span>"), file: file, line: line)
    XCTAssertTrue(html.contains("<caption><span class=\"bordin-number\">Table \(tables.count)</span>"), file: file, line: line)
    XCTAssertFalse(html.contains("??"), "an unresolved cross-reference", file: file, line: line)
  }

  /// The recovery result (covered of n) and the sentence in the text that reports it.
  func assertRecovery(_ r: RenderedReport, _ d: [String: [String: Any]], covered: Int, of n: Int, file: StaticString = #filePath, line: UInt = #line) {
    let rec = d["tbl-recovery"]?["result"] as? [String: Any]
    XCTAssertEqual(d["tbl-recovery"]?["kind"] as? String, "recovery", file: file, line: line)
    XCTAssertEqual(rec?["covered"] as? Int, covered, file: file, line: line)
    XCTAssertEqual(rec?["n"] as? Int, n, file: file, line: line)
    XCTAssertEqual(ComputedValues.text(r.html, "tbl-recovery.covered"), "\(covered)", file: file, line: line)
    XCTAssertEqual(ComputedValues.text(r.html, "tbl-recovery.n"), "\(n)", file: file, line: line)
    XCTAssertTrue(r.html.contains("\(covered) of \(n) confidence intervals cover the simulator's true value"), file: file, line: line)
  }

  func testCopingPowerFormatReport() throws {
    let r = try render("coping-power-format")
    XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
    let d = try directives(r)
    assertAnalyses(d, [
      "kids": "data", "desc": "describe", "ratings-long": "data",
      "fmt-bond-child": "lmm", "fmt-task-child": "lmm", "fmt-bond-therapist": "lmm", "fmt-task-therapist": "lmm",
      "ext": "lmm", "int": "lmm", "gap": "lmm", "groups": "data", "individual": "data",
      "rsa-group": "discrepancy", "rsa-individual": "discrepancy", "rot-group": "regress", "rot-individual": "regress",
      "tbl-recovery": "recovery", "chg": "change", "ancova": "anova", "tbl-baseline": "table",
    ])
    // The ANCOVA of the follow-up on format adjusted for baseline (type 3: intercept, format, ext_pre).
    let ancova = try XCTUnwrap(d["ancova"]?["result"] as? [String: Any])
    XCTAssertEqual((ancova["terms"] as? [[String: Any]])?.map { $0["term"] as? String }, ["(Intercept)", "format", "ext_pre"])
    XCTAssertEqual(ancova["residual_df"] as? Int, 336)
    // Table 1: the arms are balanced at baseline (randomised by school); Welch t for age, χ² for sex.
    let baseline = try XCTUnwrap((d["tbl-baseline"]?["result"] as? [String: Any])?["vars"] as? [[String: Any]])
    XCTAssertEqual(baseline.map { $0["test"] as? String }, ["welch", "chisq", "welch", "welch", "welch"])
    XCTAssertTrue(baseline.allSatisfy { ($0["p"] as? Double ?? 0) > 0.05 }, "\(baseline)")
    // Reliable change in externalizing problems, per format (Jacobson & Truax): eight counts.
    let chg = try XCTUnwrap(d["chg"]?["result"] as? [String: Any])
    XCTAssertEqual((chg["categories"] as? [Any])?.count, 8)
    XCTAssertEqual(chg["cutoff_type"] as? String, "c")
    // The format effect on child-rated task collaboration (true 0.2), tested against 20 schools.
    let task = try XCTUnwrap(fixed(d, "fmt-task-child", "formatindividual"))
    XCTAssertEqual(try XCTUnwrap(task["estimate"] as? Double), 0.2, accuracy: 0.12)
    XCTAssertLessThan(try XCTUnwrap(task["df"] as? Double), 25)
    // Therapist-rated task collaboration predicts externalizing problems (true −2.5).
    let ext = try XCTUnwrap(fixed(d, "ext", "task_therapist_pm"))
    XCTAssertLessThan(try XCTUnwrap(ext["ci_ub"] as? Double), 0)
    // Disagreement matters in groups only: a4 (true 16 in groups, 0 individually).
    let a4g = try XCTUnwrap((d["rsa-group"]?["result"] as? [String: Any])?["a4"] as? [String: Any])
    let a4i = try XCTUnwrap((d["rsa-individual"]?["result"] as? [String: Any])?["a4"] as? [String: Any])
    XCTAssertLessThan(try XCTUnwrap(a4g["p"] as? Double), 0.05)
    XCTAssertGreaterThan(try XCTUnwrap(a4i["p"] as? Double), 0.05)
    // The rotated refit reproduces the directive's a4 exactly.
    let rot = try XCTUnwrap(fixed(d, "rot-group", "disagree2", field: "coef"))
    XCTAssertEqual(try XCTUnwrap(rot["estimate"] as? Double), try XCTUnwrap(a4g["estimate"] as? Double), accuracy: 1e-8)
    // The multigroup CLPM of the two informants' bond: equal paths across formats are not rejected
    // (the simulator has one process in both formats), Satorra–Bentler scaled difference under MLR.
    let lags = try XCTUnwrap(d["tbl-bond-lags"]?["result"] as? [String: Any])
    XCTAssertEqual(d["bond-free"]?["kind"] as? String, "clpm")
    XCTAssertEqual(lags["df"] as? Int, 4)
    XCTAssertGreaterThan(try XCTUnwrap(lags["p_scaled"] as? Double), 0.05)
    assertFiguresAndTables(r.html, figures: ["fig-format", "fig-bond-lags", "fig-ext", "fig-change", "fig-surface-group", "fig-surface-individual"],
                           tables: ["tbl-desc", "tbl-baseline", "tbl-fmt-task-child", "tbl-fmt-bond-child", "tbl-fmt-bond-therapist", "tbl-fmt-task-therapist",
                                    "tbl-bond-lags", "tbl-ext", "tbl-int", "tbl-ancova", "tbl-change", "tbl-rsa-group", "tbl-rsa-individual", "tbl-recovery"])
    XCTAssertTrue(r.html.contains("<strong>simulated</strong>"))
    XCTAssertTrue(r.html.contains("bordin simulate coping-power --seed 1978"))
    assertRecovery(r, d, covered: 35, of: 35)
  }

  func testSessionsAllianceReport() throws {
    let r = try render("sessions-alliance")
    XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
    let d = try directives(r)
    assertAnalyses(d, [
      "s": "data", "s2": "data", "pts": "data", "pts-nickell": "data", "pt-desc": "describe", "pt-desc2": "describe", "sess-desc": "describe",
      "traj-core": "growth", "traj-wai": "growth", "alliance-core": "lmm", "core-alliance": "lmm",
      "moderation": "lmm", "moderation-pp": "lmm", "controlled": "lmm", "tbl-recovery": "recovery",
      "ends": "data", "pp-change": "data", "chg": "change",
    ])
    try assertReliableChange(r, d)
    // Within-patient alliance → next-session symptoms (true −0.1 without personality problems).
    let within = try XCTUnwrap(fixed(d, "moderation", "wai_w"))
    XCTAssertLessThan(try XCTUnwrap(within["ci_lb"] as? Double), -0.1)
    XCTAssertGreaterThan(try XCTUnwrap(within["ci_ub"] as? Double), -0.1)
    XCTAssertNotNil(fixed(d, "moderation", "wai_w:personality"))
    // The reciprocal path (true −0.15) and the random alliance slope.
    let recip = try XCTUnwrap(fixed(d, "core-alliance", "core_w"))
    XCTAssertLessThan(try XCTUnwrap(recip["ci_ub"] as? Double), 0)
    let random = try XCTUnwrap((d["moderation"]?["result"] as? [String: Any])?["random"] as? [[String: Any]])
    XCTAssertEqual(random[1]["var1"] as? String, "wai_w")
    assertFiguresAndTables(r.html, figures: ["fig-traj-core", "fig-traj-wai", "fig-change", "fig-within", "fig-between", "fig-moderation"],
                           tables: ["tbl-desc", "tbl-traj", "tbl-traj-wai", "tbl-change", "tbl-alliance-core", "tbl-core-alliance", "tbl-moderation",
                                    "tbl-moderation-random", "tbl-controlled", "tbl-recovery"])
    XCTAssertTrue(r.html.contains("<strong>simulated</strong>"))
    XCTAssertTrue(r.html.contains("bordin simulate sessions --seed 1978"))
    // The one miss is the symptom autoregression under person-mean centring (Nickell bias), explained in the text.
    assertRecovery(r, d, covered: 11, of: 12)
    let rows = try XCTUnwrap((d["tbl-recovery"]?["result"] as? [String: Any])?["rows"] as? [[String: Any]])
    XCTAssertEqual(rows.filter { $0["covered"] as? Bool == false }.compactMap { $0["name"] as? String }, ["within.core_ar"])
  }

  /// The reliable change of the sessions report (first vs last CORE-OM of the patients with at
  /// least two sessions, reliability .90, Evans et al. 2002 norms, by personality problems)
  /// against the same Jacobson–Truax numbers computed in R (Tests/Fixtures/r/sessions-reliable-change.R
  /// → sessions-reliable-change.json): closed forms at 1e-8, counts exactly.
  func assertReliableChange(_ r: RenderedReport, _ d: [String: [String: Any]], file: StaticString = #filePath, line: UInt = #line) throws {
    let url = repositoryRoot.appendingPathComponent("Tests/Fixtures/sessions-reliable-change.json")
    let ref = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let expected = try XCTUnwrap(ref["results"] as? [String: Any])
    let chg = try XCTUnwrap(d["chg"]?["result"] as? [String: Any])
    XCTAssertEqual(ref["patients"] as? Int, 646, file: file, line: line)
    XCTAssertEqual(chg["n"] as? Int, expected["n"] as? Int, file: file, line: line)
    XCTAssertEqual(chg["cutoff_type"] as? String, "c", file: file, line: line)
    for key in ["sd", "mean_pre", "sdiff", "min_reliable_change", "cutoff"] {
      let a = try XCTUnwrap(chg[key] as? Double, key), b = try XCTUnwrap(expected[key] as? Double, key)
      XCTAssertEqual(a, b, accuracy: 1e-8 * abs(b), key, file: file, line: line)
    }
    let got = try XCTUnwrap(chg["categories"] as? [[String: Any]])
    let want = try XCTUnwrap(expected["categories"] as? [[String: Any]])
    XCTAssertEqual(got.count, 8, file: file, line: line)
    for w in want {
      let g = got.first { $0["group"] as? String == w["group"] as? String && $0["category"] as? String == w["category"] as? String }
      let what = "\(w["group"] ?? "")/\(w["category"] ?? "")"
      XCTAssertEqual(g?["n"] as? Int, w["n"] as? Int, what, file: file, line: line)
      XCTAssertEqual(try XCTUnwrap(g?["pct"] as? Double, what), try XCTUnwrap(w["pct"] as? Double), accuracy: 1e-8, what, file: file, line: line)
    }
    // The prose reports the criteria and the counts from the result.
    XCTAssertEqual(ComputedValues.text(r.html, "chg.n"), "\(expected["n"] as? Int ?? -1)", file: file, line: line)
    XCTAssertEqual(ComputedValues.text(r.html, "chg.cutoff"), String(format: "%.1f", expected["cutoff"] as? Double ?? .nan), file: file, line: line)
  }
}
