import Foundation
import XCTest

@testable import BordinReport

/// `meta` on 2 × 2 tables (measure OR, RR, RD; cells ai, bi, ci, di or ai, n1i, ci, n2i), against
/// Tests/Fixtures/meta-escalc.json (metafor 3.8-1 escalc + rma REML on metadat::dat.bcg), and
/// the located diagnostics of bad counts and option combinations.
final class MetaEscalcDirectiveTests: XCTestCase {
  let header = "---\ndata:\n  b: bcg.csv\n  z: zero.csv\n  bad: bad.csv\n---\n\n"

  func project() throws -> TestProject {
    let p = TestProject(name)
    for (to, from) in [("bcg.csv", "data/meta-bcg-counts.csv"), ("zero.csv", "data/meta-zero-cells.csv")] {
      p.write(to, try String(contentsOf: fixtures.appendingPathComponent(from), encoding: .utf8))
    }
    p.write("bad.csv", "study,a,b,c,d,h,n1\nA,3,17,4,16,-2,20\nB,2,18,5,15,1.5,20\nC,6,14,2,18,3,20\n")
    return p
  }

  func reference(_ name: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("meta-escalc.json"))) as! [String: Any]
    return (d["results"] as! [String: Any])[name] as! [String: Any]
  }

  func entry(_ p: TestProject, _ body: String) throws -> [String: Any] {
    guard case .success(let r) = p.render(header + "```{meta #a}\n" + body + "\n```\n") else {
      XCTFail("\(p.render(header + "```{meta #a}\n" + body + "\n```\n"))")
      return [:]
    }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    return (json["directives"] as! [String: Any])["a"] as! [String: Any]
  }

  func result(_ p: TestProject, _ body: String) throws -> [String: Any] {
    try entry(p, body)["result"] as? [String: Any] ?? [:]
  }

  func number(_ r: [String: Any], _ k: String) -> Double { (r[k] as? NSNumber)?.doubleValue ?? .nan }

  func testRiskRatioBothLayouts() throws {
    let p = try project()
    let ref = try reference("bcg_RR")
    for cells in ["ai: tpos\nbi: tneg\nci: cpos\ndi: cneg", "ai: tpos\nn1i: n1\nci: cpos\nn2i: n2"] {
      let r = try result(p, "data: b\nmeasure: RR\n" + cells)
      XCTAssertEqual(r["measure"] as? String, "RR")
      let se = (ref["se"] as! NSNumber).doubleValue
      for k in ["estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub"] {
        XCTAssertEqual(number(r, k), (ref[k] as! NSNumber).doubleValue, accuracy: 1e-5 * se, "\(cells) \(k)")
      }
      for k in ["tau2", "exp_estimate", "exp_ci_lb", "exp_ci_ub", "exp_pi_lb", "exp_pi_ub"] {
        let want = (ref[k] as! NSNumber).doubleValue
        XCTAssertLessThanOrEqual(abs(number(r, k) - want), 1e-5 * abs(want), "\(cells) \(k): \(number(r, k)) vs \(want)")
      }
      XCTAssertEqual((r["continuity_corrected"] as? NSNumber)?.intValue, 0)
      let studies = try XCTUnwrap(r["studies"] as? [[String: Any]])
      XCTAssertEqual(number(studies[0], "yi"), (ref["yi"] as! [NSNumber])[0].doubleValue, accuracy: 1e-12)
    }
  }

  func testOddsRatioAndRiskDifference() throws {
    let p = try project()
    let or = try result(p, "data: b\nmeasure: OR\nai: tpos\nbi: tneg\nci: cpos\ndi: cneg")
    XCTAssertLessThanOrEqual(abs(number(or, "exp_estimate") - (try reference("bcg_OR")["exp_estimate"] as! NSNumber).doubleValue), 1e-5)
    let rd = try result(p, "data: b\nmeasure: RD\nai: tpos\nbi: tneg\nci: cpos\ndi: cneg")
    XCTAssertNil(rd["exp_estimate"], "no exp for a risk difference")
    let ref = try reference("bcg_RD")
    XCTAssertEqual(number(rd, "estimate"), (ref["estimate"] as! NSNumber).doubleValue, accuracy: 1e-5 * (ref["se"] as! NSNumber).doubleValue)
  }

  /// Zero cells: ½ added to 4 of the 5 tables; drop00 leaves out study C (no events in either group).
  func testZeroCellsAndDrop00() throws {
    let p = try project()
    let r = try result(p, "data: z\nmeasure: OR\nai: ai\nbi: bi\nci: ci\ndi: di")
    XCTAssertEqual((r["continuity_corrected"] as? NSNumber)?.intValue, 4)
    XCTAssertEqual((r["k"] as? NSNumber)?.intValue, 5)
    let dOut = try entry(p, "data: z\nmeasure: OR\nai: ai\nbi: bi\nci: ci\ndi: di\ndrop00: true")
    let d = dOut["result"] as? [String: Any] ?? [:]
    XCTAssertEqual((d["k"] as? NSNumber)?.intValue, 4)
    XCTAssertEqual((d["drop00_dropped"] as? NSNumber)?.intValue, 1)
    XCTAssertTrue((dOut["dropped_reason"] as? String)?.contains("drop00") ?? false, "\(dOut)")
    let yi = try XCTUnwrap((d["studies"] as? [[String: Any]])?.map { number($0, "yi") })
    let want = (try reference("zero_OR_drop00")["yi"] as! [Any]).compactMap { ($0 as? NSNumber)?.doubleValue }
    XCTAssertEqual(yi.count, want.count)
    for (a, b) in zip(yi, want) { XCTAssertEqual(a, b, accuracy: 1e-12) }
  }

  func testDiagnostics() throws {
    let p = try project()
    let cells = "ai: a\nbi: b\nci: c\ndi: d"
    let cases: [(body: String, code: String, option: String)] = [
      ("data: bad\nmeasure: OR\nai: h\nbi: b\nci: c\ndi: d", "negative-count", "ai"),
      ("data: bad\nmeasure: OR\nai: a\nbi: b\nci: c\ndi: h", "negative-count", "di"),
      ("data: bad\nmeasure: RR\nai: a\nbi: b\nci: c\ndi: d\nn1i: n1", "option-conflict", "n1i"),
      ("data: bad\nmeasure: RR\nai: a\nbi: b\nci: c\ndi: dd", "unknown-column", "di"),
      ("data: bad\nmeasure: RR\nai: a\nbi: b\nci: c", "missing-option", "di"),
      ("data: bad\nmeasure: SMD\n" + cells, "option-value", "measure"),
      ("data: bad\n" + cells, "missing-option", "measure"),
      ("data: bad\nmeasure: OR\n" + cells + "\nvi: a", "option-conflict", "vi"),
      ("data: bad\nyi: a\nvi: b\nai: a", "option-conflict", "ai"),
      ("data: bad\nyi: a\nvi: b\ndrop00: true", "option-conflict", "drop00"),
      ("data: bad\nmeasure: RR\nai: c\nn1i: a\nci: c\nn2i: n1", "count-exceeds-size", "n1i"),
    ]
    for c in cases {
      let e = p.errors(header + "```{meta #a}\n" + c.body + "\n```\n")
      XCTAssertEqual(e.first?.code, c.code, "\(c.body): \(e)")
      XCTAssertTrue(e.first?.message.contains(c.option) ?? false, "\(c.body): \(e)")
      if c.code != "missing-option" {
        let lines = c.body.split(separator: "\n")
        let line = lines.firstIndex { $0.hasPrefix(c.option + ":") }.map { 9 + $0 }
        XCTAssertEqual(e.first?.line, line, "\(c.body): \(e)")
      }
    }
    // Non-integer counts: a located error naming the cell.
    let e = p.errors(header + "```{meta #a}\ndata: bad\nmeasure: OR\nai: a\nbi: h\nci: c\ndi: d\n```\n")
    XCTAssertTrue(e.contains { $0.code == "negative-count" || $0.code == "non-integer-count" }, "\(e)")
    p.write("frac.csv", "a,b,c,d\n3,17.5,4,16\n2,18,5,15\n")
    let f = p.errors("---\ndata:\n  f: frac.csv\n---\n\n```{meta #a}\ndata: f\nmeasure: OR\nai: a\nbi: b\nci: c\ndi: d\n```\n")
    XCTAssertEqual(f.first?.code, "non-integer-count", "\(f)")
    XCTAssertEqual(f.first?.line, 10, "\(f)")
    XCTAssertTrue(f.first?.message.contains("'bi' = 17.5") ?? false, "\(f)")
  }
}
