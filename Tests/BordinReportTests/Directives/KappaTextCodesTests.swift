import Foundation
import XCTest

@testable import BordinReport

/// `kappa` with text codes (two and three raters) and with numeric codes above 9, against
/// psych 2.2.9's cohen.kappa (Tests/Fixtures/r/kappa-text-codes.R → kappa-text-codes.json) at 1e-8
/// (closed forms, DESIGN §9). Text codes are categories in sorted order, as psych's levels.
final class KappaTextCodesTests: XCTestCase {
  let header = "---\ndata:\n  d: codes.csv\n---\n\n"

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("codes.csv", try String(contentsOf: fixtures.appendingPathComponent("data/kappa-text-codes.csv"), encoding: .utf8))
    return p
  }

  func reference(_ key: String) throws -> [String: Any] {
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("kappa-text-codes.json"))) as! [String: Any]
    return (d["results"] as! [String: Any])[key] as! [String: Any]
  }

  func run(_ p: TestProject, _ body: String) throws -> (result: [String: Any], warnings: [String]) {
    let (r, w, _) = try runWithRows(p, body)
    return (r, w)
  }

  func runWithRows(_ p: TestProject, _ body: String) throws -> (result: [String: Any], warnings: [String], rows: (Int?, Int?)) {
    guard case .success(let r) = p.render(header + "```{kappa #k}\ndata: d\n" + body + "\n```\n") else {
      XCTFail("\(p.render(header + body))")
      return ([:], [], (nil, nil))
    }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let d = (json["directives"] as! [String: Any])["k"] as! [String: Any]
    return (d["result"] as! [String: Any], (d["warnings"] as? [String]) ?? [],
            ((d["rows_used"] as? NSNumber)?.intValue, (d["rows_dropped"] as? NSNumber)?.intValue))
  }

  func close(_ a: Any?, _ b: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let x = (a as? NSNumber)?.doubleValue, let y = (b as? NSNumber)?.doubleValue else {
      return XCTFail("\(what): \(String(describing: a)) vs \(String(describing: b))", file: file, line: line)
    }
    XCTAssertLessThanOrEqual(abs(x - y), 1e-8 * max(abs(y), 1e-300), "\(what): \(x) vs \(y)", file: file, line: line)
  }

  let keys = ["kappa", "weighted_kappa", "var_kappa", "var_weighted", "kappa_ci_lb", "kappa_ci_ub",
              "weighted_kappa_ci_lb", "weighted_kappa_ci_ub", "n"]

  func testTwoRatersTextCodes() throws {
    let (r, warnings) = try run(try project(), "raters: [a, b]")
    let ref = try reference("text_ab")
    for k in keys { close(r[k], ref[k], k) }
    XCTAssertEqual(r["categories"] as? [String], ["mild", "moderate", "none", "severe"])
    XCTAssertTrue(warnings.contains { $0.contains("sorted order (mild, moderate, none, severe)") }, "\(warnings)")
  }

  func testUnweightedTextCodesHasNoOrderNote() throws {
    let (r, warnings) = try run(try project(), "raters: [a, b]\nweights: none")
    close(r["kappa"], try reference("text_ab")["kappa"], "kappa")
    XCTAssertFalse(warnings.contains { $0.contains("sorted order") }, "\(warnings)")
  }

  func testThreeRatersTextCodes() throws {
    let (r, warnings, rows) = try runWithRows(try project(), "raters: [a, b, c]")
    let ref = try reference("text_abc")
    // Row 5 lacks b: pairs with b use 39 units, a–c 40; every row has two ratings.
    XCTAssertEqual(rows.0, 40)
    XCTAssertEqual(rows.1, 0)
    XCTAssertTrue(warnings.contains { $0.contains("n from 39 to 40") }, "\(warnings)")
    close(r["kappa"], ref["av_kappa"], "average kappa")
    close(r["weighted_kappa"], ref["av_weighted"], "average weighted kappa")
    XCTAssertEqual((r["pairs"] as? [Any])?.count, 3)
  }

  /// Numeric codes 3, 6, 9, 12 are weighted in numeric order (the codes used to be sorted as
  /// text, "12" before "3", which changed the weighted kappa).
  func testNumericCodesInNumericOrder() throws {
    let (r, _) = try run(try project(), "raters: [na, nb]")
    let ref = try reference("numeric_12")
    for k in keys { close(r[k], ref[k], k) }
    XCTAssertEqual(r["categories"] as? [String], ["3", "6", "9", "12"])
  }

  func testNonNumericDeclaredCategoryWithNumericCodes() throws {
    let e = try project().errors(header + "```{kappa #k}\ndata: d\nraters: [na, nb]\ncategories: [3, 6, nine, 12]\n```\n")
    XCTAssertEqual(e.first?.code, "option-value", "\(e)")
    XCTAssertEqual(e.first?.line, 9, "\(e)")
  }
}
