import Foundation
import XCTest

@testable import BordinReport

/// `agree`, `kappa`, `reliability` and `discrepancy` end to end against R (psych 2.2.9) in
/// Tests/Fixtures, and their diagnostics.
final class AgreementDirectiveTests: XCTestCase {
  func results(_ file: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(file))) as! [String: Any]
    return d["results"] as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    for f in ["shrout-fleiss", "kappa-codes", "bfi-agreeableness", "krippendorff-example", "coping-power-sim"] {
      p.write("\(f).csv", try String(contentsOf: fixtures.appendingPathComponent("data/\(f).csv"), encoding: .utf8))
    }
    return p
  }

  let header = "---\ndata:\n  sf: shrout-fleiss.csv\n  kc: kappa-codes.csv\n  bfi: bfi-agreeableness.csv\n  ke: krippendorff-example.csv\n  cp: coping-power-sim.csv\n---\n\n"

  func value(_ p: TestProject, _ body: String, _ label: String) throws -> [String: Any] {
    switch p.render(header + body) {
    case .failure(let e): XCTFail("\(e)"); return [:]
    case .success(let r):
      let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
      return ((json["directives"] as! [String: Any])[label] as! [String: Any])["result"] as! [String: Any]
    }
  }

  func close(_ a: Any?, _ b: Any?, rel: Double = 1e-8, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  func testShroutFleissICCs() throws {
    let v = try value(try project(), "```{agree #a}\ndata: sf\nraters: [J1, J2, J3, J4]\n```\n", "a")
    let want = try results("icc-shrout-fleiss.json")["icc"] as! [[String: Any]]
    let got = v["icc"] as! [[String: Any]]
    XCTAssertEqual(got.count, 6)
    for (g, w) in zip(got, want) {
      XCTAssertEqual(g["type"] as? String, w["type"] as? String)
      for k in ["ICC", "F", "df1", "df2", "p", "ci_lb", "ci_ub"] { close(g[k], w[k], "\(w["type"]!) \(k)") }
    }
    XCTAssertEqual((v["pairs"] as! [[String: Any]]).count, 6)
  }

  func testLongDataGivesTheSameICCs() throws {
    let p = try project()
    p.write("long.csv", "subject,judge,score\n" + (try String(contentsOf: fixtures.appendingPathComponent("data/shrout-fleiss.csv"), encoding: .utf8))
      .split(separator: "\n").dropFirst().flatMap { line -> [String] in
        let f = line.split(separator: ",")
        return (1...4).map { "\(f[0]),J\($0),\(f[$0])" }
      }.joined(separator: "\n") + "\n")
    let body = "---\ndata:\n  l: long.csv\n---\n\n```{agree #a}\ndata: l\ntarget: subject\ninformant: judge\nscore: score\n```\n"
    guard case .success(let r) = p.render(body) else { return XCTFail() }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let got = (((json["directives"] as! [String: Any])["a"] as! [String: Any])["result"] as! [String: Any])["icc"] as! [[String: Any]]
    close(got[2]["ICC"], 0.714840714840715, "ICC3 from long data")
  }

  func testKappaAndKrippendorff() throws {
    let p = try project()
    let v = try value(p, "```{kappa #k}\ndata: kc\nraters: [coder_a, coder_b]\n```\n", "k")
    let want = try results("kappa-codes.json")
    for k in ["kappa", "weighted_kappa", "kappa_ci_lb", "kappa_ci_ub", "weighted_kappa_ci_lb", "weighted_kappa_ci_ub", "var_kappa", "var_weighted", "n"] {
      close(v[k], want[k], k)
    }
    let alphas = try results("krippendorff-example.json")["alpha"] as! [String: Any]
    for level in ["nominal", "ordinal", "interval", "ratio"] {
      let a = try value(p, "```{kappa #k}\ndata: ke\nraters: [coder_a, coder_b, coder_c, coder_d]\nkrippendorff: \(level)\n```\n", "k")
      close(a["alpha"], alphas[level], "alpha \(level)")
    }
  }

  func testReliabilityWithReversedItem() throws {
    let p = try project()
    let v = try value(p, "```{reliability #r}\ndata: bfi\nitems: [A1, A2, A3, A4, A5]\nreverse:\n  A1: 7 - A1\n```\n", "r")
    let want = try results("reliability-bfi-agreeableness.json")
    for k in ["raw_alpha", "std_alpha", "G6", "average_r"] { close(v[k], want[k], k) }
    close(v["omega_total"], want["omega_total"], rel: 1e-5, "omega_total")
    let aid = Dictionary(uniqueKeysWithValues: (v["alpha_if_deleted"] as! [[String: Any]]).map { ($0["name"] as! String, $0["value"]!) })
    for (k, w) in want["alpha_if_deleted"] as! [String: Any] { close(aid[k], w, "alpha if \(k) deleted") }
    let rd = Dictionary(uniqueKeysWithValues: (v["item_total_r_drop"] as! [[String: Any]]).map { ($0["name"] as! String, $0["value"]!) })
    for (k, w) in want["item_total_r_drop"] as! [String: Any] { close(rd[k], w, "r.drop \(k)") }
    for (g, w) in zip(v["loadings"] as! [[String: Any]], want["loadings"] as! [Any]) { close(g["loading"], w, rel: 1e-5, "loading") }
    // The same by listing the item with the response range.
    let l = try value(p, "```{reliability #r}\ndata: bfi\nitems: [A1, A2, A3, A4, A5]\nreverse: [A1]\nrange: [1, 6]\n```\n", "r")
    close(l["raw_alpha"], want["raw_alpha"], "raw_alpha with reverse list")
  }

  func testDiscrepancyResponseSurface() throws {
    let v = try value(try project(), "```{discrepancy #d}\ndata: cp\noutcome: ext_post\nx: bond_child\ny: bond_therapist\ncontrols: [ext_pre]\n```\n", "d")
    let want = try results("basic-coping-power.json")["rsa"] as! [String: Any]
    for a in ["a1", "a2", "a3", "a4", "a5"] {
      let g = v[a] as! [String: Any], w = want[a] as! [String: Any]
      for k in ["estimate", "se", "p"] { close(g[k], w[k], "\(a).\(k)") }
    }
    close(v["r2"], want["r2"], "r2")
    XCTAssertEqual(v["n"] as? Int, want["n"] as? Int)
  }

  func testDiagnostics() throws {
    let p = try project()
    p.write("const.csv", "id,a,b,c\n1,3,2,1\n2,3,4,2\n3,3,5,3\n4,3,1,2\n")
    let h = "---\ndata:\n  kc: kappa-codes.csv\n  sf: shrout-fleiss.csv\n  c: const.csv\n---\n\n"
    let cases: [(String, String)] = [
      ("```{agree #a}\ndata: sf\nraters: [J1]\n```\n", "too-few-raters"),
      ("```{kappa #a}\ndata: kc\nraters: coder_a\n```\n", "too-few-raters"),
      ("```{kappa #a}\ndata: kc\nraters: [coder_a, coder_b]\ncategories: [1, 2]\n```\n", "undeclared-category"),
      ("```{reliability #a}\ndata: c\nitems: [a, b, c]\n```\n", "zero-variance"),
      ("```{agree #a}\ndata: c\nraters: [a, a]\n```\n", "zero-variance"),
    ]
    for (body, code) in cases {
      let e = p.errors(h + body)
      XCTAssertEqual(e.first?.code, code, "\(body): \(e)")
      XCTAssertGreaterThan(e.first?.line ?? 0, 7)
    }
  }
}
