import Foundation
import XCTest

@testable import BordinReport

/// factor(), poly() and offset() through the directives (regress, glm, meta mods, lmm), against
/// R 4.2.2 (Tests/Fixtures/r/formula-functions.R → formula-functions.json): the report layer's
/// expression language is not asked to evaluate them (it used to answer "unknown function").
final class FormulaFunctionsDirectiveTests: XCTestCase {
  let header = "---\ndata:\n  d: ff.csv\n---\n\n"

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("ff.csv", try String(contentsOf: fixtures.appendingPathComponent("data/formula-functions.csv"), encoding: .utf8))
    return p
  }

  func reference(_ key: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("formula-functions.json"))) as! [String: Any]
    return (d["results"] as! [String: Any])[key] as! [String: Any]
  }

  func coefficients(_ p: TestProject, _ body: String) throws -> [[String: Any]] {
    let src = header + "```{" + body + "\n```\n"
    guard case .success(let r) = p.render(src) else {
      XCTFail("\(p.render(src))")
      return []
    }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let d = (json["directives"] as! [String: Any])["m"] as! [String: Any]
    return (d["result"] as! [String: Any])["coef"] as! [[String: Any]]
  }

  func check(_ coef: [[String: Any]], _ ref: [String: Any], _ what: String) {
    XCTAssertEqual(coef.map { $0["term"] as? String ?? "" }, ref["terms"] as? [String], what)
    for (c, e) in zip(coef, ref["coef"] as! [NSNumber]) {
      let x = (c["estimate"] as? NSNumber)?.doubleValue ?? .nan
      XCTAssertLessThanOrEqual(abs(x - e.doubleValue), 1e-8 * abs(e.doubleValue), "\(what) \(c["term"] ?? "")")
    }
  }

  func testRegressWithPolyAndFactor() throws {
    let coef = try coefficients(try project(), "regress #m}\ndata: d\nformula: y ~ poly(x, 3) + factor(dose)")
    check(coef, try reference("poly3_factor"), "regress")
  }

  func testGLMPoissonWithOffset() throws {
    let coef = try coefficients(try project(), "glm #m}\ndata: d\nfamily: poisson\nformula: count ~ factor(dose) + offset(log(t))")
    check(coef, try reference("glm_offset_factor"), "glm")
  }

  func testOffsetRefusedInMetaMods() throws {
    let p = try project()
    let e = p.errors(header + "```{meta #m}\ndata: d\nyi: y\nvi: t\nmods: ~ offset(x)\n```\n")
    XCTAssertEqual(e.first?.code, "unsupported-offset", "\(e)")
    XCTAssertEqual(e.first?.line, 10, "\(e)")
  }
}
