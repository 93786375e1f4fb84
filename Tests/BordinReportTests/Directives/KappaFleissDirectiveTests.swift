import Foundation
import XCTest

@testable import BordinReport

/// `kappa` with three or more raters reports Fleiss' kappa (fleiss_*) beside the pairwise
/// Cohen kappas, and `method: fleiss` reports it alone; against Tests/Fixtures/fleiss-kappa.json
/// (irr 0.84.1 kappam.fleiss on irr's diagnoses) at 1e-8; and the diagnostics.
final class KappaFleissDirectiveTests: XCTestCase {
  let header = "---\ndata:\n  d: diagnoses.csv\n---\n\n"
  let six = "raters: [rater1, rater2, rater3, rater4, rater5, rater6]"

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("diagnoses.csv", try String(contentsOf: fixtures.appendingPathComponent("data/fleiss-diagnoses.csv"), encoding: .utf8))
    return p
  }

  func reference(_ name: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("fleiss-kappa.json"))) as! [String: Any]
    return (d["results"] as! [String: Any])[name] as! [String: Any]
  }

  func output(_ p: TestProject, _ body: String) throws -> [String: Any] {
    let src = header + "```{kappa #k}\ndata: d\n" + body + "\n```\n"
    guard case .success(let r) = p.render(src) else {
      XCTFail("\(p.render(src))")
      return [:]
    }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    return (json["directives"] as! [String: Any])["k"] as! [String: Any]
  }

  func check(_ r: [String: Any], _ ref: [String: Any], _ what: String) {
    for (mine, theirs) in [("fleiss_kappa", "kappa"), ("fleiss_se", "se"), ("fleiss_z", "z"), ("fleiss_p", "p")] {
      let x = (r[mine] as? NSNumber)?.doubleValue ?? .nan
      let y = (ref[theirs] as! NSNumber).doubleValue
      XCTAssertLessThanOrEqual(abs(x - y), 1e-8 * max(1, abs(y)), "\(what) \(mine): \(x) vs \(y)")
    }
    XCTAssertEqual((r["fleiss_subjects"] as? NSNumber)?.intValue, (ref["subjects"] as! NSNumber).intValue, what)
  }

  /// Six raters: the pairwise Cohen kappas and Fleiss' kappa; rows 31–32 (a missing rating
  /// each) are left out of Fleiss' kappa, with a warning.
  func testAutomaticWithThreeOrMoreRaters() throws {
    let p = try project()
    let o = try output(p, six + "\nweights: none")
    let r = try XCTUnwrap(o["result"] as? [String: Any])
    check(r, try reference("all6_with_missing"), "auto")
    XCTAssertNotNil(r["pairs"])
    XCTAssertEqual((r["fleiss_raters"] as? NSNumber)?.intValue, 6)
    let warnings = (o["warnings"] as? [String]) ?? []
    XCTAssertTrue(warnings.contains { $0.contains("Fleiss' kappa uses the 30 units") }, "\(o)")
  }

  func testMethodFleissAlone() throws {
    let p = try project()
    let o = try output(p, six + "\nmethod: fleiss")
    let r = try XCTUnwrap(o["result"] as? [String: Any])
    check(r, try reference("all6"), "fleiss")
    XCTAssertNil(r["pairs"])
    XCTAssertNil(r["weighted_kappa"])
    XCTAssertEqual((o["rows_used"] as? NSNumber)?.intValue, 30, "\(o.keys.sorted())")
    let three = try XCTUnwrap(try output(p, "raters: [rater1, rater5, rater6]\nmethod: fleiss")["result"] as? [String: Any])
    XCTAssertNotNil(three["fleiss_kappa"])
  }

  /// Two raters: no Fleiss' kappa unless asked for; method: cohen never reports it.
  func testTwoRatersAndMethodCohen() throws {
    let p = try project()
    let two = try XCTUnwrap(try output(p, "raters: [rater1, rater2]")["result"] as? [String: Any])
    XCTAssertNil(two["fleiss_kappa"])
    let cohen = try XCTUnwrap(try output(p, six + "\nmethod: cohen")["result"] as? [String: Any])
    XCTAssertNil(cohen["fleiss_kappa"])
  }

  func testDiagnostics() throws {
    let p = try project()
    p.write("one.csv", "a,b,c\nx,x,x\nx,x,x\n")
    let cases: [(String, String, Int)] = [
      (six + "\nmethod: fleiss\nweights: linear", "option-conflict", 10),
      (six + "\nmethod: fleiss\nvariance: psych", "option-conflict", 10),
      (six + "\nmethod: fleiss\ncategories: [\"1. Depression\"]", "undeclared-category", 10),
      (six + "\nmethod: kripp", "option-value", 9),
      ("raters: [rater1, rater2, nobody]\nmethod: fleiss", "unknown-column", 8),
    ]
    for (body, code, line) in cases {
      let e = p.errors(header + "```{kappa #k}\ndata: d\n" + body + "\n```\n")
      XCTAssertEqual(e.first?.code, code, "\(body): \(e)")
      XCTAssertEqual(e.first?.line, line, "\(body): \(e)")
    }
    let e = p.errors("---\ndata:\n  o: one.csv\n---\n\n```{kappa #k}\ndata: o\nraters: [a, b, c]\nmethod: fleiss\n```\n")
    XCTAssertEqual(e.first?.code, "single-category", "\(e)")
    XCTAssertEqual(e.first?.line, 8, "\(e)")
  }
}
