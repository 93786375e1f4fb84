import Foundation
import XCTest

@testable import BordinReport

/// `reliability` with missing answers: alpha (pairwise) uses every row with an answer, ω total
/// only the rows complete on every item; the result records ω's rows (`omega_n`) and a warning
/// says how many rows ω used (issue 20: rows_used claimed all rows for ω too).
final class ReliabilityOmegaRowsTests: XCTestCase {
  let csv = """
    a,b,c,d
    1,2,1,2
    2,2,3,2
    3,4,3,3
    4,4,5,4
    5,4,4,5
    2,3,2,1
    3,,3,3
    4,5,,4
    1,1,2,2
    5,5,5,4
    2,1,2,3
    4,3,4,
    """

  func render(_ p: TestProject, _ extra: String) throws -> (result: [String: Any], warnings: [String], rowsUsed: Int?) {
    let src = "---\ndata:\n  s: s.csv\n---\n\n```{reliability #r}\ndata: s\nitems: [a, b, c, d]\n\(extra)```\n"
    guard case .success(let r) = p.render(src) else {
      XCTFail("\(p.render(src))")
      return ([:], [], nil)
    }
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let d = (json["directives"] as! [String: Any])["r"] as! [String: Any]
    let rows = (d["rows_used"] as? NSNumber)?.intValue ?? ((d["data"] as? [String: Any])?["rows_used"] as? NSNumber)?.intValue
    return (d["result"] as! [String: Any], (d["warnings"] as? [String]) ?? [], rows)
  }

  func testOmegaRowsRecordedAndWarned() throws {
    let p = TestProject(name)
    p.write("s.csv", csv)
    let (r, warnings, _) = try render(p, "")
    XCTAssertEqual((r["n"] as? NSNumber)?.intValue, 12)
    XCTAssertEqual((r["omega_n"] as? NSNumber)?.intValue, 9)
    XCTAssertTrue(warnings.contains { $0.contains("omega total uses the 9 rows complete on every item, not the 12 rows") }, "\(warnings)")
  }

  func testCompleteRowsNoWarning() throws {
    let p = TestProject(name)
    p.write("s.csv", csv)
    let (r, warnings, _) = try render(p, "missing: complete\n")
    XCTAssertEqual((r["n"] as? NSNumber)?.intValue, 9)
    XCTAssertEqual((r["omega_n"] as? NSNumber)?.intValue, 9)
    XCTAssertFalse(warnings.contains { $0.contains("omega total uses") }, "\(warnings)")
  }
}
