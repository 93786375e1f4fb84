import Foundation
import XCTest

@testable import BordinReport

/// `meta` options that a combination used to ignore silently (issue 20): `test: knha` with
/// `random` is now metafor's `rma.mv(test = "t")` (values against Tests/Fixtures/meta-multilevel-t.json),
/// `maxiter` reaches the multilevel fit, and every other ignored combination is a located
/// `option-conflict` diagnostic raised before anything is computed.
final class MetaOptionsTests: XCTestCase {
  let header = "---\ndata:\n  k: kon.csv\n  m: molloy.csv\n---\n\n"

  func project() throws -> TestProject {
    let p = TestProject(name)
    for (to, from) in [("kon.csv", "data/meta-konstantopoulos2011.csv"), ("molloy.csv", "data/meta-molloy2014.csv")] {
      p.write(to, try String(contentsOf: fixtures.appendingPathComponent(from), encoding: .utf8))
    }
    return p
  }

  func result(_ p: TestProject, _ src: String, _ label: String) throws -> [String: Any] {
    guard case .success(let r) = p.render(src) else {
      XCTFail("\(p.render(src))")
      return [:]
    }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    return ((json["directives"] as! [String: Any])[label] as! [String: Any])["result"] as! [String: Any]
  }

  func testMultilevelKnappHartungIsT() throws {
    let p = try project()
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("meta-multilevel-t.json"))) as! [String: Any]
    let ref = (d["results"] as! [String: Any])["kon_t"] as! [String: Any]
    let r = try result(p, header + "```{meta #ml}\ndata: k\nyi: yi\nvi: vi\nrandom: ~ 1 | district/school\ntest: knha\n```\n", "ml")
    XCTAssertNil(r["z"])
    XCTAssertEqual((r["df"] as? NSNumber)?.intValue, 55)
    for (mine, theirs) in [("t", "t"), ("p", "p"), ("ci_lb", "ci_lb"), ("ci_ub", "ci_ub"), ("pi_lb", "pi_lb"), ("pi_ub", "pi_ub"), ("estimate", "coef")] {
      let x = (r[mine] as? NSNumber)?.doubleValue ?? .nan
      let y = (ref[theirs] as! NSNumber).doubleValue
      XCTAssertLessThanOrEqual(abs(x - y), 1e-5 * abs(y), "\(mine): \(x) vs \(y)")
    }
  }

  /// bias: egger with random is the multilevel Egger test (rma.mv with the SEs as a moderator).
  func testMultilevelEgger() throws {
    let p = try project()
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("meta-multilevel-t.json"))) as! [String: Any]
    let ref = (d["results"] as! [String: Any])["kon_egger_t"] as! [String: Any]
    let r = try result(p, header + "```{meta #ml}\ndata: k\nyi: yi\nvi: vi\nrandom: ~ 1 | district/school\ntest: knha\nbias: egger\n```\n", "ml")
    let e = try XCTUnwrap(r["egger"] as? [String: Any])
    let t = (ref["t"] as! [NSNumber]).map(\.doubleValue), p2 = (ref["p"] as! [NSNumber]).map(\.doubleValue)
    let coef = (ref["coef"] as! [NSNumber]).map(\.doubleValue), lb = (ref["ci_lb"] as! [NSNumber]).map(\.doubleValue)
    for (key, y) in [("t", t[1]), ("p", p2[1]), ("slope", coef[1]), ("limit_estimate", coef[0]), ("limit_ci_lb", lb[0])] {
      let x = (e[key] as? NSNumber)?.doubleValue ?? .nan
      XCTAssertLessThanOrEqual(abs(x - y), 1e-5 * abs(y), "\(key): \(x) vs \(y)")
    }
    XCTAssertEqual((e["df"] as? NSNumber)?.intValue, 54)
  }

  func testMaxiterReachesMultilevelFit() throws {
    let p = try project()
    let e = p.errors(header + "```{meta #ml}\ndata: k\nyi: yi\nvi: vi\nrandom: ~ 1 | district/school\nmaxiter: 1\n```\n")
    XCTAssertEqual(e.first?.code, "not-converged", "\(e)")
    XCTAssertEqual(e.first?.line, 12, "located at maxiter: \(e)")
  }

  func testMethodErrorLocatedAtMethod() throws {
    let p = try project()
    let e = p.errors(header + "```{meta #ml}\ndata: k\nyi: yi\nvi: vi\nrandom: ~ 1 | district/school\nmethod: DL\n```\n")
    XCTAssertEqual(e.first?.code, "bad-method", "\(e)")
    XCTAssertEqual(e.first?.line, 12, "\(e)")
  }

  /// Each body has the offending option on its last line (line 7 + lines in the body).
  func testIgnoredCombinationsAreConflicts() throws {
    let p = try project()
    let ml = "data: k\nyi: yi\nvi: vi\nrandom: ~ 1 | district/school\n"
    let cases: [(String, String)] = [
      (ml + "bias: [egger, rank]", "bias"),
      (ml + "bias: trimfill", "bias"),
      (ml + "subgroup: district", "subgroup"),
      ("data: m\nr: ri\nn: ni\nmods: ~ meanage\nsubgroup: controls", "subgroup"),
      ("data: m\nr: ri\nn: ni\nmeasure: ZCOR", "measure"),
      ("data: m\nr: ri\nn: ni\nyi: ri", "yi"),
      ("data: k\nyi: yi\nvi: vi\nsei: vi", "sei"),
      ("data: k\nyi: yi\nvi: vi\nn: year", "n"),
      ("data: k\nyi: yi\nvi: vi\nmethod: DL\nmaxiter: 5", "maxiter"),
    ]
    for (body, option) in cases {
      let e = p.errors(header + "```{meta #a}\n" + body + "\n```\n")
      XCTAssertEqual(e.first?.code, "option-conflict", "\(body): \(e)")
      XCTAssertEqual(e.first?.line, 7 + body.split(separator: "\n").count, "\(body): \(e)")
      XCTAssertTrue(e.first?.message.contains("'\(option)'") ?? false, "\(body): \(e)")
      XCTAssertNotNil(e.first?.remedy, "\(body)")
    }
  }
}
