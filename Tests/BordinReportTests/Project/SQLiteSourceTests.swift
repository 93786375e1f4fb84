import Foundation
import XCTest

@testable import BordinReport

/// `sqlite:` data sources with named query parameters bound from params (DESIGN.md §2).
final class SQLiteSourceTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    let csv = p.write("studies.csv", "study,month,ri,ni\nA,2022-12,0.2,100\nB,2022-12,0.3,50\nC,2023-01,0.1,80\n")
    try DatabaseBuilder.build(database: p.root.appendingPathComponent("prn.sqlite").path, csvFiles: [csv.path])
    return p
  }

  let source = """
  ---
  params:
    month: 2022-12
  data:
    s: { sqlite: prn.sqlite, query: "select study, ri, ni from studies where month = :month order by study" }
  ---

  ```{describe #d}
  data: s
  vars: ri
  ```

  `{data.s.rows}` studies, mean r `{d.vars[ri].mean | 2}`.
  """

  func testQueryParametersAreBoundFromParams() throws {
    let p = try project()
    let h = p.html(source)
    XCTAssertEqual(ComputedValues.text(h, "data.s.rows"), "2")
    XCTAssertEqual(ComputedValues.text(h, "d.vars[ri].mean"), "0.25")
    guard case .success(let r) = p.render(source, options: RenderOptions(params: [("month", "2023-01")])) else { return XCTFail() }
    XCTAssertEqual(ComputedValues.text(r.html, "data.s.rows"), "1")
    XCTAssertTrue(r.resultsJSON.contains("\"query\": \"select study, ri, ni from studies where month = :month order by study\""))
  }

  func testInjectionIsNotPossibleThroughParams() throws {
    let p = try project()
    // Bound as a value, the string matches no month: the source has no rows (not every row).
    guard case .failure(let e) = p.render(source, options: RenderOptions(params: [("month", "x' or '1'='1")])) else { return XCTFail() }
    XCTAssertEqual(e.diagnostics.first?.code, "no-rows")
    XCTAssertTrue(e.diagnostics.first?.message.contains("for month = x' or '1'='1") ?? false, "\(e)")
  }

  func testMissingParameterQueryErrorAndWrites() throws {
    let p = try project()
    var e = p.errors(source.replacingOccurrences(of: ":month", with: ":year"))
    XCTAssertEqual(e.first?.code, "missing-param")
    XCTAssertEqual(e.first?.line, 5)
    XCTAssertNotNil(e.first?.remedy)
    e = p.errors(source.replacingOccurrences(of: "from studies", with: "from studys"))
    XCTAssertEqual(e.first?.code, "sql-error")
    XCTAssertTrue(e.first?.message.contains("no such table: studys") ?? false, e.first?.message ?? "")
    e = p.errors(source.replacingOccurrences(of: "select study, ri, ni from studies where month = :month order by study", with: "delete from studies"))
    XCTAssertEqual(e.first?.code, "sql-error")
    e = p.errors(source.replacingOccurrences(of: "select study, ri, ni from studies where month = :month order by study", with: "attach database 'x.db' as x"))
    XCTAssertEqual(e.first?.code, "sql-error")
  }
}
