import BordinData
import BordinTestSupport
import Foundation
import XCTest

@testable import BordinReport
@testable import BordinStats

/// Multigroup `sem` and `clpm` in a report: the path diagram's panel per group with the
/// codebook's labels, the SEM table's group headings and robust-fit note, and the diagnostics
/// of DESIGN §6 located at the option to change (a group with too few cases, a constraint that
/// unidentifies the model, MLR with listwise deletion, too few bootstrap draws), the bootstrap of
/// a multigroup model, and bootstrap
/// draws that fail being counted and reported.
final class SEMMultigroupDirectiveTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("hs.csv", try String(contentsOf: fixtures.appendingPathComponent("data/hs1939-school-missing.csv"), encoding: .utf8))
    p.write("cp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/coping-power-alliance.csv"), encoding: .utf8))
    p.write("codebook.csv", "name,label\nformat,Treatment format\nformat=individual,Individual\nformat=group,Group\nbond_child,Child-rated bond\nbond_therapist,Therapist-rated bond\nbond_child_mid,\"Child-rated bond, mid\"\nbond_child_end,\"Child-rated bond, end\"\nbond_therapist_mid,\"Therapist-rated bond, mid\"\nbond_therapist_end,\"Therapist-rated bond, end\"\n")
    return p
  }

  let header = "---\ndata:\n  hs: hs.csv\n  cp: cp.csv\nlabels: codebook.csv\n---\n\n"
  let clpm = "```{clpm #m}\ndata: cp\nx: bond_child_\ny: bond_therapist_\nwaves: [mid, end]\ngroup: format\nestimator: MLR\n```\n\n"

  func testPathDiagramHasOnePanelPerGroup() throws {
    let html = try project().html(header + clpm + "```{plot #fig-m}\ntype: path\nof: m\n```\n")
    XCTAssertTrue(html.contains("Treatment format: Individual"), html)
    XCTAssertTrue(html.contains("Treatment format: Group"), html)
    XCTAssertEqual(html.components(separatedBy: "class=\"panel\"").count - 1, 2)
    // Each panel has its own arrowhead markers (ids unique on the page) and the stem's label.
    XCTAssertTrue(html.contains("id=\"fig-m-g1-"), html)
    XCTAssertTrue(html.contains("id=\"fig-m-g2-"), html)
    XCTAssertTrue(html.contains(">Child-rated bond<"), html)
    XCTAssertFalse(html.contains(">bond_child_<"), html)
    XCTAssertTrue(html.contains(">Mid<") && html.contains(">End<"), "named waves are headed by their name")
  }

  func testTableHeadsEachGroupAndNotesTheRobustFit() throws {
    let equal = clpm.replacingOccurrences(of: "estimator: MLR", with: "estimator: MLR\ngroup_equal: [regressions]")
    let html = try project().html(header + equal + "```{table #tbl-m}\nof: m\n```\n")
    XCTAssertTrue(html.contains("<th scope=\"row\"><i>Treatment format: Individual</i></th>"), html)
    XCTAssertTrue(html.contains("<th scope=\"row\"><i>Treatment format: Group</i></th>"), html)
    XCTAssertTrue(html.contains("Robust (MLR): scaled χ<sup>2</sup>"), html)
    XCTAssertTrue(html.contains("SEs are Huber–White"), html)
    XCTAssertFalse(html.contains("NA"), "robust indices not computed for several groups are left out")
    // A saturated model (the paths free: df = 0) has no scaled test.
    let saturated = try project().html(header + clpm + "```{table #tbl-m}\nof: m\n```\n")
    XCTAssertTrue(saturated.contains("Robust (MLR): SEs are Huber–White; the model is saturated (no scaled test)."), saturated)
    XCTAssertFalse(saturated.contains("NA"), saturated.components(separatedBy: "NA").dropFirst().map { String($0.prefix(60)) }.joined(separator: " / "))
  }

  func testDiagnostics() throws {
    let p = try project()
    func first(_ body: String) -> Diagnostic? { p.errors(header + body).first }
    func line(of text: String, in body: String) -> Int {
      let lines = (header + body).split(separator: "\n", omittingEmptySubsequences: false)
      return (lines.firstIndex { $0.hasPrefix(text) } ?? -1) + 1
    }
    let cfa = "model: |\n  visual =~ x1 + x2 + x3\n  textual =~ x4 + x5 + x6\n  speed =~ x7 + x8 + x9\n"
    // A group with fewer cases than observed variables, located at `group`.
    var body = "```{data #hs2}\nfrom: hs\nderive:\n  site: ifelse(id < 8, \"small\", \"large\")\n```\n\n```{sem #m}\ndata: hs2\n\(cfa)group: site\n```\n"
    var e = first(body)
    XCTAssertEqual(e?.code, "too-few-rows", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("group 'small' of 'site' has") ?? false, "\(String(describing: e))")
    XCTAssertEqual(e?.line, line(of: "group: site", in: body))
    // Equal loadings with the markers freed: the factor variances are not identified; located at group_equal.
    body = "```{sem #m}\ndata: hs\nmodel: |\n  visual =~ NA*x1 + x2 + x3\n  textual =~ x4 + x5 + x6\n  speed =~ x7 + x8 + x9\ngroup: school\ngroup_equal: [loadings]\n```\n"
    e = first(body)
    XCTAssertEqual(e?.code, "unidentified", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("group 'Pasteur'") ?? false, "\(String(describing: e))")
    XCTAssertEqual(e?.line, line(of: "group_equal:", in: body))
    // MLR with listwise deletion, on a multigroup CLPM: refused before fitting, at `estimator`.
    body = "```{clpm #m}\ndata: cp\nx: bond_child_\ny: bond_therapist_\nwaves: [mid, end]\ngroup: format\nmissing: listwise\nestimator: MLR\n```\n"
    e = first(body)
    XCTAssertEqual(e?.code, "option-value", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("FIML only") ?? false, "\(String(describing: e))")
    XCTAssertEqual(e?.line, line(of: "estimator:", in: body))
    // Too few bootstrap draws with groups, group_equal without group, an unknown class.
    body = "```{clpm #m}\ndata: cp\nx: bond_child_\ny: bond_therapist_\nwaves: [mid, end]\ngroup: format\nse: bootstrap\nbootstrap: 50\n```\n"
    e = first(body)
    XCTAssertEqual(e?.code, "option-value", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("too few") ?? false, "\(String(describing: e))")
    XCTAssertEqual(e?.line, line(of: "bootstrap: 50", in: body))
    e = first("```{sem #m}\ndata: hs\n\(cfa)group_equal: [loadings]\n```\n")
    XCTAssertEqual(e?.code, "option-value", "\(String(describing: e))")
    XCTAssertTrue(e?.message.contains("'group_equal' needs 'group'") ?? false, "\(String(describing: e))")
    e = first("```{clpm #m}\ndata: cp\nx: bond_child_\ny: bond_therapist_\nwaves: [mid, end]\ngroup: format\ngroup_equal: [regression]\n```\n")
    XCTAssertEqual(e?.code, "option-value", "\(String(describing: e))")
    XCTAssertTrue(e?.remedy?.contains("regressions") ?? false, "\(String(describing: e))")
    // A group column that is not in the data.
    e = first("```{sem #m}\ndata: hs\n\(cfa)group: shcool\n```\n")
    XCTAssertEqual(e?.code, "unknown-column", "\(String(describing: e))")
  }

  /// `se: bootstrap` on a multigroup CLPM: cases resampled within groups (the library's
  /// CopingPowerAllianceMultigroupCLPMTests checks the SEs against lavaan's), the table shows
  /// each group's percentile intervals under its heading and the draws in its note.
  func testMultigroupBootstrap() throws {
    let body = clpm.replacingOccurrences(of: "estimator: MLR", with: "group_equal: [regressions]\nse: bootstrap\nbootstrap: 200\nseed: 3") + "```{table #tbl-m}\nof: m\n```\n"
    guard case .success(let r) = try project().render(header + body) else { return XCTFail("render failed") }
    let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let v = ((j["directives"] as! [String: Any])["m"] as! [String: Any])["result"] as! [String: Any]
    let boot = try XCTUnwrap(v["bootstrap"] as? [String: Any])
    XCTAssertEqual(boot["draws"] as? Int, 200)
    XCTAssertEqual(boot["seed"] as? Int, 3)
    let ps = try XCTUnwrap(v["parameters"] as? [[String: Any]])
    let path = try XCTUnwrap(ps.first { $0["group"] as? String == "group" && $0["lhs"] as? String == "bond_therapist_end" && $0["rhs"] as? String == "bond_child_mid" })
    XCTAssertLessThan(try XCTUnwrap(path["ci_lb"] as? Double), try XCTUnwrap(path["est"] as? Double))
    XCTAssertTrue(r.html.contains("<th scope=\"row\"><i>Treatment format: Group</i></th><td></td><td></td><td></td><td></td><td></td><td></td>"), r.html)
    XCTAssertTrue(r.html.contains("Bootstrap SEs and percentile CIs from 200 draws"), r.html)
  }

  /// Draws that fail (SEMBootstrap's test hook makes every 10th fail) are left out, counted in
  /// the result, warned about with the count, and shown in the table's note; when fewer than
  /// two draws converge there are no SEs and the fit fails with `bootstrap-failed`.
  func testFailedBootstrapDrawsAreCountedAndReported() throws {
    let data = try Fixtures.csv("data/panel-3wave.csv")
    let text = "symptoms2 ~ a*alliance1\nalliance3 ~ b*symptoms2 + alliance1\nab := a*b"
    let model = try LavaanModel.parse(text)
    var fit = try SEM.fit(model: text, data: data)
    let options = SEMBootstrapOptions(draws: 200, seed: 5, threads: 2)
    let b = try SEMBootstrap.run(model: model, data: data, options: SEMOptions(), full: fit, bootstrap: options, failing: { $0 % 10 == 0 })
    XCTAssertEqual(b.failed, 20)
    XCTAssertEqual(b.kept, 180)
    SEMBootstrap.apply(b, to: &fit)
    let w = try XCTUnwrap(fit.warnings.first { $0.code == "bootstrap-failed" })
    XCTAssertTrue(w.message.contains("20 of 200 bootstrap draws failed"), w.message)
    // The directive's result and table.
    let inv = Invocation(kind: "sem", label: "m", labelled: true, at: SourceLocation(line: 1, column: 1), options: [], blockIndex: 0)
    let out = SEMDirective.output(fit, inv: inv, name: "panel", syntax: text,
                                  model: SEMDirective.Model(fit: fit, x: nil, y: nil, waves: [], randomIntercepts: false))
    XCTAssertTrue(out.warnings.contains { $0.code == "bootstrap-failed" })
    let boot = try XCTUnwrap(out.result?["bootstrap"])
    XCTAssertEqual(boot["failed"]?.double, 20)
    XCTAssertEqual(boot["draws"]?.double, 200)
    let table = ResultTables.semTable(value: out.result!, label: "m", digits: 2, labels: Labels())
    XCTAssertTrue(table.note?.contains("from 200 draws (20 failed)") ?? false, "\(String(describing: table.note))")
    // All but one draw failing: no SEs.
    XCTAssertThrowsError(try SEMBootstrap.run(model: model, data: data, options: SEMOptions(), full: fit, bootstrap: options, failing: { $0 > 0 })) { e in
      XCTAssertEqual((e as? StatsError)?.code, "bootstrap-failed", "\(e)")
    }
  }
}
