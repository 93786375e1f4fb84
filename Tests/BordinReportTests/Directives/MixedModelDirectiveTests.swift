import Foundation
import XCTest

@testable import BordinReport

/// `lmm` and `growth` end to end against lme4 1.1-31 + lmerTest 3.1-3 (Tests/Fixtures:
/// lmm-sleepstudy.json, and lmm-extra.json's tightly converged prac fit), and their diagnostics.
final class MixedModelDirectiveTests: XCTestCase {
  func json(_ file: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(file))) as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    for f in ["sleepstudy", "prac-long", "singular-slope"] {
      p.write("\(f).csv", try String(contentsOf: fixtures.appendingPathComponent("data/\(f).csv"), encoding: .utf8))
    }
    return p
  }

  let header = "---\ndata:\n  ss: sleepstudy.csv\n  prac: prac-long.csv\n  sing: singular-slope.csv\n---\n\n"

  func result(_ p: TestProject, _ body: String, _ label: String) throws -> (value: [String: Any], warnings: [Diagnostic], html: String) {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return ([:], [], "")
    case .success(let r):
      let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      return ((((j["directives"] as! [String: Any])[label] as! [String: Any])["result"] as! [String: Any]), r.warnings, r.html)
    }
  }

  func close(_ a: Any?, _ b: Any?, rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  func testSleepstudyREML() throws {
    let (v, _, html) = try result(try project(), "```{lmm #m}\ndata: ss\nformula: Reaction ~ Days + (Days | Subject)\n```\n\nDays: `{m.fixed[Days] | apa}`\n", "m")
    let ref = (try json("lmm-sleepstudy.json")["results"] as! [String: Any])
    let reml = (ref["REML"] ?? ref["reml"]) as! [String: Any]
    let want = Dictionary(uniqueKeysWithValues: (reml["fixed"] as! [[String: Any]]).map { ($0["term"] as! String, $0) })
    for f in v["fixed"] as! [[String: Any]] {
      let w = want[f["term"] as! String]!
      for k in ["estimate", "se", "t"] { close(f[k], w[k], rel: 1e-5, "\(f["term"]!) \(k)") }
      close(f["df"], w["df"], rel: 1e-3, "\(f["term"]!) df")
    }
    if let crit = reml["REMLcrit"] ?? reml["criterion"] ?? reml["deviance"] {
      XCTAssertLessThanOrEqual((v["REMLcrit"] as! NSNumber).doubleValue, (crit as! NSNumber).doubleValue + 1e-6)
    }
    close(v["sigma"], reml["sigma"], rel: 1e-4, "sigma")
    XCTAssertEqual(v["nobs"] as? Int, 180)
    XCTAssertEqual(ComputedValues.text(html, "m.fixed[Days]")?.hasPrefix("b = 10.47, 95% CI [7.21, 13.73], t(17.00) = 6.77, p < .001"), true,
                   ComputedValues.text(html, "m.fixed[Days]") ?? "")
  }

  func testPracGrowthThroughTheGrowthDirective() throws {
    let (v, _, _) = try result(try project(), "```{growth #g}\ndata: prac\noutcome: tasc_therapist\ntime: months\npredictors: [sex, anxiety]\ngroups: [child, therapist]\n```\n", "g")
    XCTAssertEqual(v["model"] as? String, "tasc_therapist ~ months * (sex + anxiety) + (1 + months | child) + (1 | therapist)")
    let ref = (try json("lmm-extra.json")["cases"] as! [String: Any])["prac_reml"] as! [String: Any]
    let want = Dictionary(uniqueKeysWithValues: (ref["fixed"] as! [[String: Any]]).map { ($0["term"] as! String, $0) })
    let got = v["fixed"] as! [[String: Any]]
    XCTAssertEqual(got.map { $0["term"] as! String }, ["(Intercept)", "months", "sexgirl", "anxiety", "months:sexgirl", "months:anxiety"])
    for f in got {
      let w = want[f["term"] as! String]!
      for k in ["estimate", "se"] { close(f[k], w[k], rel: 1e-5, "\(f["term"]!) \(k)") }
      close(f["df"], w["df"], rel: 1e-3, "\(f["term"]!) df")
    }
    XCTAssertLessThanOrEqual((v["REMLcrit"] as! NSNumber).doubleValue, (ref["criterion"] as! NSNumber).doubleValue + 1e-6)
    let traj = v["trajectories"] as! [[String: Any]]
    XCTAssertEqual(Set(traj.compactMap { $0["level"] as? String }), ["boy", "girl", "M − 1 SD", "M", "M + 1 SD"])
    // The boys' intercept at months = 0 would be the fixed intercept at mean anxiety.
    XCTAssertFalse(traj.isEmpty)
  }

  func testSingularFitIsAWarningNextToTheResult() throws {
    let (v, warnings, html) = try result(try project(), "```{lmm #m}\ndata: sing\nformula: y ~ t + (t | g)\n```\n", "m")
    XCTAssertEqual(v["singular"] as? Bool, true)
    XCTAssertTrue(warnings.contains { $0.message.contains("singular") }, "\(warnings)")
    XCTAssertTrue(html.contains("<aside class=\"bordin-warning\""))
  }

  func testDiagnostics() throws {
    let p = try project()
    p.write("one.csv", "y,t,g\n1,0,a\n2,1,a\n3,2,a\n4,3,a\n")
    p.write("few.csv", "y,t,g\n1,0,a\n2,1,a\n3,0,b\n4,1,b\n")
    p.write("miss.csv", "y,x,g\n1,0.5,a\n2,,a\n3,1.5,b\n4,2,b\n5,2.5,c\n6,,c\n7,1,a\n8,3,b\n9,2,c\n")
    let h = "---\ndata:\n  one: one.csv\n  few: few.csv\n  miss: miss.csv\n---\n\n"
    var e = p.errors(h + "```{lmm #m}\ndata: one\nformula: y ~ t + (1 | g)\n```\n")
    XCTAssertEqual(e.first?.code, "one-level-group", "\(e)")
    e = p.errors(h + "```{lmm #m}\ndata: few\nformula: y ~ t + (t | g)\n```\n")
    XCTAssertTrue(["too-many-random-effects", "too-many-levels"].contains(e.first?.code ?? ""), "\(e)")
    e = p.errors(h + "```{lmm #m}\ndata: one\nformula: y ~ t + (1 | gg)\n```\n")
    XCTAssertEqual(e.first?.code, "unknown-column")
    guard case .success(let r) = p.render(h + "```{lmm #m}\ndata: miss\nformula: y ~ x + (1 | g)\n```\n") else { return XCTFail() }
    let j = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let m = (j["directives"] as! [String: Any])["m"] as! [String: Any]
    XCTAssertEqual(m["rows_used"] as? Int, 7)
    XCTAssertEqual(m["rows_dropped"] as? Int, 2)
    XCTAssertEqual(m["dropped_reason"] as? String, "missing values in y, x, g")
  }
}
