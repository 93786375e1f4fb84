import Foundation
import XCTest

@testable import BordinReport

/// `sem` and `clpm` end to end against lavaan 0.6-14 (Tests/Fixtures/clpm-3wave.json), the path
/// diagram, and the diagnostics.
final class SEMDirectiveTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("panel.csv", try String(contentsOf: fixtures.appendingPathComponent("data/panel-3wave.csv"), encoding: .utf8))
    return p
  }

  let header = "---\ndata:\n  panel: panel.csv\n---\n\n"

  func result(_ p: TestProject, _ body: String, _ label: String) throws -> [String: Any] {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return [:]
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      return ((j["directives"] as! [String: Any])[label] as! [String: Any])["result"] as! [String: Any]
    }
  }

  func close(_ a: Any?, _ b: Any?, rel: Double, abs tol: Double = 0, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(Swift.abs(x - y), max(rel * Swift.abs(y), tol), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  func testCLPMMatchesLavaan() throws {
    let v = try result(try project(), "```{clpm #m}\ndata: panel\nx: alliance\ny: symptoms\nwaves: 3\n```\n", "m")
    let ref = (try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("clpm-3wave.json"))) as! [String: Any])["results"] as! [String: Any]
    let fit = v["fit"] as! [String: Any], want = ref["fit"] as! [String: Any]
    close(fit["logLik"], want["logLik"], rel: 0, abs: 1e-6, "logLik")
    for k in ["chisq", "cfi", "tli", "rmsea", "rmsea_ci_ub", "srmr", "aic", "bic", "baseline_chisq"] { close(fit[k], want[k], rel: 1e-5, k) }
    XCTAssertEqual((fit["n"] as! NSNumber).intValue, 209)
    let got = Dictionary(uniqueKeysWithValues: (v["parameters"] as! [[String: Any]]).map { ("\($0["lhs"]!) \($0["op"]!) \($0["rhs"]!)", $0) })
    for w in ref["parameters"] as! [[String: Any]] {
      let key = "\(w["lhs"]!) \(w["op"]!) \(w["rhs"]!)"
      guard let g = got[key] else { XCTFail("missing \(key)"); continue }
      let variance = (w["op"] as? String) == "~~"
      for k in ["est", "se", "std_all"] { close(g[k], w[k], rel: variance && k == "est" ? 1e-4 : 1e-5, "\(key) \(k)") }
    }
  }

  func testListwiseUsesFewerRowsThanFIML() throws {
    let p = try project()
    let f = try result(p, "```{clpm #m}\ndata: panel\nx: alliance\ny: symptoms\nwaves: 3\n```\n", "m")
    let l = try result(p, "```{clpm #m}\ndata: panel\nx: alliance\ny: symptoms\nwaves: 3\nmissing: listwise\n```\n", "m")
    let nf = ((f["fit"] as! [String: Any])["n"] as! NSNumber).intValue, nl = ((l["fit"] as! [String: Any])["n"] as! NSNumber).intValue
    XCTAssertEqual(nf, 209)
    XCTAssertLessThan(nl, nf)
  }

  func testDefinedIndirectEffectAndPathDiagram() throws {
    let p = try project()
    let model = "model: |\n  alliance2 ~ a*alliance1\n  symptoms3 ~ b*alliance2 + symptoms1\n  ab := a*b\n"
    guard case .success(let r) = p.render(header + "```{sem #m}\ndata: panel\n\(model)```\n\nIndirect `{m.parameters[\"ab := a*b\"].est | 3}`.\n\n```{plot #fig-p}\ntype: path\nof: m\n```\n") else { return XCTFail() }
    let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let ps = (((j["directives"] as! [String: Any])["m"] as! [String: Any])["result"] as! [String: Any])["parameters"] as! [[String: Any]]
    let a = ps.first { $0["label"] as? String == "a" }!, b = ps.first { $0["label"] as? String == "b" }!
    let ab = ps.first { $0["op"] as? String == ":=" }!
    close(ab["est"], (a["est"] as! Double) * (b["est"] as! Double), rel: 1e-12, "ab = a*b")
    XCTAssertGreaterThan(ab["se"] as! Double, 0)
    XCTAssertTrue(r.html.contains("<figure class=\"bordin-figure\" id=\"fig-p\">"))
    XCTAssertTrue(r.html.contains("marker-end"))
  }

  func testDiagnostics() throws {
    let p = try project()
    p.write("empty.csv", "a,b,c\n1,,2\n2,,3\n3,,1\n4,,5\n")
    let h = "---\ndata:\n  panel: panel.csv\n  e: empty.csv\n---\n\n"
    var e = p.errors(h + "```{sem #m}\ndata: panel\nmodel: alliance2 ~ aliance1\n```\n")
    XCTAssertEqual(e.first?.code, "unknown-variable", "\(e)")
    XCTAssertTrue(e.first?.remedy?.contains("Did you mean 'alliance1'?") ?? false, "\(e)")
    e = p.errors(h + "```{sem #m}\ndata: panel\nmodel: \"alliance2 ~ \"\n```\n")
    XCTAssertEqual(e.first?.code, "lavaan-syntax", "\(e)")
    e = p.errors(h + "```{sem #m}\ndata: e\nmodel: c ~ a + b\n```\n")
    XCTAssertEqual(e.first?.code, "all-missing", "\(e)")
    e = p.errors(h + "```{clpm #m}\ndata: panel\nx: alliance\ny: symptom\nwaves: 3\n```\n")
    XCTAssertEqual(e.first?.code, "unknown-column", "\(e)")
    XCTAssertTrue(e.first?.message.contains("did you mean 'symptoms1'?") ?? false, "\(e)")
    e = p.errors(h + "```{sem #m}\ndata: panel\nmodel: |\n  alliance2 ~ alliance1\n  alliance2 ~~ alliance1\n```\n")
    XCTAssertEqual(e.first?.code, "unidentified", "\(e)")
  }

  /// `estimator: MLR` on sem and clpm: the robust block in results.json (equal to the library's,
  /// which HolzingerSwineford1939MLRTests checks against lavaan), SEs differ from ML, and MLR
  /// with listwise deletion is refused before fitting.
  func testMLREstimator() throws {
    let p = try project()
    let mlr = try result(p, "```{clpm #m}\ndata: panel\nx: alliance\ny: symptoms\nwaves: 3\nestimator: MLR\n```\n", "m")
    let ml = try result(p, "```{clpm #m}\ndata: panel\nx: alliance\ny: symptoms\nwaves: 3\n```\n", "m")
    let robust = try XCTUnwrap((mlr["fit"] as? [String: Any])?["robust"] as? [String: Any])
    XCTAssertNotNil(robust["chisq_scaled"] as? NSNumber)
    XCTAssertNil((ml["fit"] as? [String: Any])?["robust"])
    let seR = ((mlr["parameters"] as! [[String: Any]])[0]["se"] as! NSNumber).doubleValue
    let seM = ((ml["parameters"] as! [[String: Any]])[0]["se"] as! NSNumber).doubleValue
    XCTAssertNotEqual(seR, seM)
    close((mlr["fit"] as! [String: Any])["logLik"], (ml["fit"] as! [String: Any])["logLik"], rel: 0, abs: 1e-9, "logLik")
    let e = p.errors(header + "```{sem #m}\ndata: panel\nmodel: alliance2 ~ alliance1\nmissing: listwise\nestimator: MLR\n```\n")
    XCTAssertEqual(e.first?.code, "option-value", "\(e)")
    XCTAssertTrue(e.first?.message.contains("FIML only") ?? false, "\(e)")
  }
}
