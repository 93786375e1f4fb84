import Foundation
import XCTest

@testable import BordinReport

/// `meta` with `V` and `random: ~ outcome | trial`: metafor's multivariate `rma.mv` through the
/// report (values against Tests/Fixtures/meta-berkey1998.json, made by
/// Tests/Fixtures/r/meta-multivariate-berkey1998.R), its result fields and table, and its
/// diagnostics: options that do not apply, an unknown struct, V not positive definite, V
/// columns that do not exist, too few V columns.
final class MetaMultivariateDirectiveTests: XCTestCase {
  let header = "---\ndata:\n  b: berkey.csv\n---\n\n"
  let model = "data: b\nyi: yi\nV: {rvars: [v1i, v2i], cluster: trial}\nmods: ~ outcome - 1\nrandom: ~ outcome | trial\n"

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("berkey.csv", try String(contentsOf: fixtures.appendingPathComponent("data/meta-berkey1998.csv"), encoding: .utf8))
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

  func reference(_ key: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("meta-berkey1998.json"))) as! [String: Any]
    return (d["results"] as! [String: Any])[key] as! [String: Any]
  }

  func testUnstructuredThroughTheReport() throws {
    let p = try project()
    let src = header + "```{meta #mv}\n" + model + "struct: UN\n```\n\n```{table #tbl}\nof: mv\n```\n\nAL `{mv.coef[outcomeAL] | apa}`; ρ `{mv.rho[\"AL,PD\"].rho | 2}`; τ² `{mv.tau2[PD].tau2 | 4}`.\n"
    let r = try result(p, src, "mv")
    let ref = try reference("reml")
    XCTAssertEqual(r["struct"] as? String, "UN")
    XCTAssertEqual(r["k"] as? Int, 10)
    XCTAssertEqual(r["groups"] as? Int, 5)
    let coef = try XCTUnwrap(r["coef"] as? [[String: Any]])
    XCTAssertEqual(coef.map { $0["term"] as? String }, ["outcomeAL", "outcomePD"])
    let est = (ref["coef"] as! [NSNumber]).map(\.doubleValue), se = (ref["se"] as! [NSNumber]).map(\.doubleValue)
    for (j, c) in coef.enumerated() {
      XCTAssertEqual(c["estimate"] as? Double ?? .nan, est[j], accuracy: 1e-5 * max(abs(est[j]), se[j]))
      XCTAssertEqual(c["se"] as? Double ?? .nan, se[j], accuracy: 1e-5 * se[j])
    }
    let tau2 = try XCTUnwrap(r["tau2"] as? [[String: Any]])
    XCTAssertEqual(tau2.map { $0["name"] as? String }, ["AL", "PD"])
    for (j, t) in (ref["tau2"] as! [NSNumber]).enumerated() {
      XCTAssertEqual(tau2[j]["tau2"] as? Double ?? .nan, t.doubleValue, accuracy: 1e-4 * t.doubleValue)
    }
    let rho = try XCTUnwrap((r["rho"] as? [[String: Any]])?.first)
    XCTAssertEqual(rho["rho"] as? Double ?? .nan, (ref["rho"] as! NSNumber).doubleValue, accuracy: 1e-4)
    XCTAssertEqual(r["Q"] as? Double ?? .nan, (ref["QE"] as! NSNumber).doubleValue, accuracy: 1e-8 * 128)
    XCTAssertEqual(r["logLik"] as? Double ?? .nan, (ref["logLik"] as! NSNumber).doubleValue, accuracy: 1e-6)
    XCTAssertEqual((r["studies"] as? [Any])?.count, 10)
    guard case .success(let out) = p.render(src) else { return XCTFail() }
    XCTAssertTrue(out.html.contains("τ<sup>2</sup><sub>AL</sub> = 0.0327"), "the table note gives τ² per outcome")
    XCTAssertTrue(out.html.contains("ρ<sub>AL, PD</sub> = .61"))
    XCTAssertEqual(ComputedValues.text(out.html, "mv.rho[\"AL,PD\"].rho"), ".61", "a correlation, APA style")
  }

  /// struct defaults to CS (metafor's default for ~ outcome | trial); the list form of V; test t.
  func testDefaultStructListFormAndT() throws {
    let p = try project()
    let r = try result(p, header + "```{meta #mv}\ndata: b\nyi: yi\nV: [v1i, v2i]\nmods: ~ outcome - 1\nrandom: ~ outcome | trial\ntest: knha\n```\n", "mv")
    XCTAssertEqual(r["struct"] as? String, "CS")
    let ref = try reference("reml_cs")
    XCTAssertEqual(r["logLik"] as? Double ?? .nan, (ref["logLik"] as! NSNumber).doubleValue, accuracy: 1e-6)
    let coef = try XCTUnwrap(r["coef"] as? [[String: Any]])
    XCTAssertEqual(coef.first?["df"] as? Int, 8)
    XCTAssertNil(coef.first?["z"])
  }

  /// A trial with only one outcome: the data filtered to 9 rows.
  func testStudyWithOneOutcome() throws {
    let p = try project()
    let src = header + "```{data #b9}\nfrom: b\nfilter: trial != 5 | outcome != \"AL\"\n```\n\n```{meta #mv}\ndata: b9\nyi: yi\nV: {rvars: [v1i, v2i]}\nmods: ~ outcome - 1\nrandom: ~ outcome | trial\nstruct: UN\n```\n"
    let r = try result(p, src, "mv")
    let ref = try reference("one_outcome")
    XCTAssertEqual(r["k"] as? Int, 9)
    XCTAssertEqual((r["tau2"] as? [[String: Any]])?.map { $0["k"] as? Int }, [4, 5])
    XCTAssertEqual(r["logLik"] as? Double ?? .nan, (ref["logLik"] as! NSNumber).doubleValue, accuracy: 1e-6)
  }

  func testDiagnostics() throws {
    let p = try project()
    // (body, code, option named in the message or located at it, line of the diagnostic)
    let cases: [(String, String, Int)] = [
      (model + "struct: AR", "option-value", 12),
      (model + "vi: vi", "option-conflict", 12),
      (model + "bias: egger", "option-conflict", 12),
      (model + "measure: SMD", "option-conflict", 12),
      ("data: b\nyi: yi\nvi: vi\nstruct: UN", "option-conflict", 10),
      ("data: b\nyi: yi\nV: [v1i, v2i]", "missing-option", 9),
      ("data: b\nyi: yi\nV: [v1i, v2i]\nrandom: ~ 1 | trial", "option-conflict", 10),
      ("data: b\nyi: yi\nV: [v1i]\nrandom: ~ outcome | trial", "bad-covariance", 9),
      ("data: b\nyi: yi\nV: [v1i, v3i]\nrandom: ~ outcome | trial", "unknown-column", 9),
      ("data: b\nyi: yi\nV: {rvars: [v1i, v2i], clusters: trial}\nrandom: ~ outcome | trial", "unknown-option", 9),
      ("data: b\nyi: yi\nV: [v1i, v2i]\nrandom: ~ outcome | trial\nmethod: DL", "option-value", 11),
      ("data: b\nyi: yi\nV: [v1i, yi]\nrandom: ~ outcome | trial", "bad-covariance", 9),
    ]
    for (body, code, line) in cases {
      let e = p.errors(header + "```{meta #a}\n" + body + "\n```\n")
      XCTAssertEqual(e.first?.code, code, "\(body): \(e)")
      XCTAssertEqual(e.first?.line, line, "\(body): \(e)")
    }
    // V not positive definite names the study.
    let e = p.errors(header + "```{meta #a}\ndata: b\nyi: yi\nV: [vi, v1i]\nrandom: ~ outcome | trial\n```\n")
    XCTAssertTrue(e.first?.message.contains("not positive definite") ?? false, "\(e)")
    XCTAssertNotNil(e.first?.remedy)
    // Without V, a multivariate model with independent rows from vi.
    XCTAssertNoThrow(try result(p, header + "```{meta #a}\ndata: b\nyi: yi\nvi: vi\nmods: ~ outcome - 1\nrandom: ~ outcome | trial\nstruct: DIAG\n```\n", "a"))
  }
}
