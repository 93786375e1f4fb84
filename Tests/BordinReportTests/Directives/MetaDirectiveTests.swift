import Foundation
import XCTest

@testable import BordinReport

/// The `meta` directive end to end on Molloy et al. (2014) (metadat `dat.molloy2014`), against
/// metafor 3.8-1's values in Tests/Fixtures/meta-molloy2014*.json, and its diagnostics.
final class MetaDirectiveTests: XCTestCase {
  func reference(_ file: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(file))) as! [String: Any]
    return d["results"] as! [String: Any]
  }

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("molloy.csv", try String(contentsOf: fixtures.appendingPathComponent("data/meta-molloy2014.csv"), encoding: .utf8))
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

  func close(_ a: Any?, _ b: Any?, rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  let header = "---\ndata:\n  m: molloy.csv\n---\n\n"

  func testPooledCorrelationMatchesMetafor() throws {
    let p = try project()
    let src = header + "```{data #mm}\nfrom: m\nderive:\n  study: paste(authors, year)\n```\n\n```{meta #pooled}\ndata: mm\nr: ri\nn: ni\nstudy: study\nbias: [egger, rank, trimfill]\n```\n\nPooled `{pooled | apa}`, I² = `{pooled.I2 | 1}`%, `{pooled.r_ci}`.\n"
    let v = try result(p, src, "pooled")
    let ref = try reference("meta-molloy2014.json")
    let reml = ref["REML"] as! [String: Any]
    // REML estimates and SEs: 1e-5; tau2 (flat likelihood): 1e-4; Q, I2 (closed form given tau2): 1e-5 here since tau2 is optimised.
    for k in ["estimate", "se", "z", "ci_lb", "ci_ub", "r", "r_ci_lb", "r_ci_ub", "pi_lb", "pi_ub", "r_pi_lb", "r_pi_ub"] { close(v[k], reml[k], rel: 1e-5, k) }
    for k in ["tau2", "se_tau2", "I2", "H2"] { close(v[k], reml[k], rel: 1e-4, k) }
    // Q-profile bounds at the root (roots-tight.json; the shared reference is at uniroot's default
    // tolerance, 3.4e-3 relative off for tau2_ci_lb).
    let tight = ((try reference("roots-tight.json"))["meta-molloy2014"] as! [String: Any])["REML"] as! [String: Any]
    for k in ["tau2_ci_lb", "tau2_ci_ub", "I2_ci_lb", "I2_ci_ub"] { close(v[k], tight[k], rel: 1e-6, k) }
    close(v["Q"], reml["Q"], rel: 1e-8, "Q")
    XCTAssertEqual(v["k"] as? Int, 16)
    let egger = ref["egger"] as! [String: Any], tf = ref["trimfill"] as! [String: Any], rank = ref["ranktest"] as! [String: Any]
    close((v["egger"] as! [String: Any])["p"], egger["p"], rel: 1e-5, "egger p")
    close((v["rank"] as! [String: Any])["tau"], rank["tau"], rel: 1e-8, "rank tau")
    XCTAssertEqual((v["trimfill"] as! [String: Any])["k0"] as? Int, tf["k0"] as? Int)
    close((v["trimfill"] as! [String: Any])["estimate"], tf["estimate"], rel: 1e-5, "trimfill estimate")
    let studies = v["studies"] as! [[String: Any]]
    XCTAssertEqual(studies.count, 16)
    XCTAssertEqual(studies[0]["name"] as? String, "Axelsson et al. 2009")
    guard case .success(let r) = p.render(src) else { return XCTFail() }
    XCTAssertEqual(ComputedValues.text(r.html, "pooled"), "r = .15, 95% CI [.09, .21], p < .001")
    XCTAssertEqual(ComputedValues.text(r.html, "pooled.I2"), "61.7")
    XCTAssertEqual(ComputedValues.text(r.html, "pooled.r_ci"), "[.09, .21]")
  }

  func testEveryMethodAndKnappHartung() throws {
    let p = try project()
    let ref = try reference("meta-molloy2014.json")
    for m in ["FE", "DL", "ML", "PM", "HE", "SJ", "EB", "HS"] {
      let v = try result(p, header + "```{meta #x}\ndata: m\nr: ri\nn: ni\nmethod: \(m)\n```\n", "x")
      let want = ref[m] as! [String: Any]
      close(v["estimate"], want["estimate"], rel: 1e-5, "\(m) estimate")
      close(v["tau2"], want["tau2"], rel: m == "PM" ? 1e-3 : 1e-4, "\(m) tau2")
    }
    let v = try result(p, header + "```{meta #x}\ndata: m\nr: ri\nn: ni\ntest: knha\n```\n", "x")
    let kn = ref["REML_knha"] as! [String: Any]
    close(v["t"], kn["t"] ?? kn["z"], rel: 1e-5, "knha t")
    close(v["ci_lb"], kn["ci_lb"], rel: 1e-5, "knha ci_lb")
  }

  func testModeratorsAndSubgroups() throws {
    let p = try project()
    let ref = try reference("meta-molloy2014-moderators.json")
    let v = try result(p, header + "```{meta #reg}\ndata: m\nr: ri\nn: ni\nmods: ~ meanage\n```\n\n```{meta #sub}\ndata: m\nr: ri\nn: ni\nsubgroup: design\n```\n\n```{table #tbl-sub}\nof: sub\n```\n", "reg")
    let coef = v["coef"] as! [[String: Any]]
    XCTAssertEqual(coef.map { $0["term"] as? String }, ["intrcpt", "meanage"])
    let want = ref[ref.keys.first { $0.lowercased().contains("meanage") }!] as! [String: Any]
    close(v["QM"], want["QM"], rel: 1e-5, "QM")
    close(v["tau2"], want["tau2"], rel: 1e-4, "tau2")
    close(v["R2"], want["R2"], rel: 1e-4, "R2")
    let wc = want["coef"] as! [String: Any], ws = want["se"] as! [String: Any]
    for c in coef {
      let t = c["term"] as! String
      close(c["estimate"], wc[t], rel: 1e-5, "coef \(t)")
      close(c["se"], ws[t], rel: 1e-5, "se \(t)")
    }
    let s = try result(p, header + "```{meta #sub}\ndata: m\nr: ri\nn: ni\nsubgroup: design\n```\n", "sub")
    XCTAssertEqual((s["subgroups"] as! [[String: Any]]).map { $0["name"] as? String }, ["cross-sectional", "prospective"])
    let wd = ref["design"] as! [String: Any]
    close(s["Q_between"], wd["QM"], rel: 1e-5, "Q_between")
    close(s["Q_between_p"], wd["QM_p"], rel: 1e-5, "Q_between_p")
  }

  func testDiagnostics() throws {
    let p = try project()
    p.write("bad.csv", "study,ri,ni,g\nA,0.2,50,x\nB,1.2,40,x\nC,0.1,3,x\n")
    p.write("one.csv", "study,ri,ni\nA,0.2,50\n")
    p.write("n3.csv", "study,ri,ni\nA,0.2,50\nB,0.1,3\n")
    p.write("var.csv", "study,yi,vi\nA,0.2,0.01\nB,0.3,-0.02\nC,0.1,0.03\n")
    let h = "---\ndata:\n  b: bad.csv\n  o: one.csv\n  v: var.csv\n  m: molloy.csv\n  n3: n3.csv\n---\n\n"
    let cases: [(String, String)] = [
      ("```{meta #a}\ndata: b\nr: ri\nn: ni\n```\n", "correlation-out-of-range"),
      ("```{meta #a}\ndata: o\nr: ri\nn: ni\n```\n", "too-few-studies"),
      ("```{meta #a}\ndata: v\nyi: yi\nvi: vi\n```\n", "non-positive-variance"),
      ("```{meta #a}\ndata: m\nr: ri\nn: ni\nsubgroup: controls\nmethod: REM\n```\n", "option-value"),
      ("```{meta #a}\ndata: b\nyi: ri\nvi: ni\nmods: ~ g\n```\n", "one-level-factor"),
      ("```{meta #a}\ndata: n3\nr: ri\nn: ni\n```\n", "sample-size-too-small"),
      ("```{meta #a}\ndata: m\nr: ri\n```\n", "missing-option"),
      ("```{meta #a}\ndata: m\nr: ri\nn: ni\nmaxiter: 1\n```\n", "not-converged"),
    ]
    for (body, code) in cases {
      let e = p.errors(h + body)
      XCTAssertEqual(e.first?.code, code, "\(body): \(e)")
      XCTAssertGreaterThan(e.first?.line ?? 0, 8)
    }
    let small = p.errors(h + "```{meta #a}\ndata: b\nr: ri\nn: ni\n```\n")
    XCTAssertTrue(small.first?.message.contains("1.2") ?? false, "\(small)")
  }
}
