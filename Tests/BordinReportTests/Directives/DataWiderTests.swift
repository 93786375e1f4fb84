import Foundation
import XCTest

@testable import BordinReport

/// `data` with `wider: {…, id: [a, b]}`: the list of id columns was read as a scalar setting,
/// found missing and silently ignored, so every other column stayed an id and nothing was
/// widened (one row per session instead of one per patient).
final class DataWiderTests: XCTestCase {
  func testIdListIsHonoured() throws {
    let p = TestProject()
    p.write("long.csv", "patient,arm,when,score,note\nP1,a,pre,10,x\nP1,a,post,7,y\nP2,b,pre,12,z\nP2,b,post,12,w\n")
    let html = p.html("""
      ---
      data:
        long: long.csv
      ---

      ```{data #wide}
      from: long
      wider: {names_from: when, values_from: score, id: [patient, arm]}
      ```

      Rows `{wide.rows}`, columns `{wide.columns}`.
      """)
    XCTAssertTrue(html.contains("data-ref=\"wide.rows\">2</span>"), html)
    XCTAssertTrue(html.contains("data-ref=\"wide.columns\">4</span>"), html)
  }

  func testASingleIdNameIsHonoured() throws {
    let p = TestProject()
    p.write("long.csv", "patient,when,score,note\nP1,pre,10,x\nP1,post,7,y\n")
    let html = p.html("""
      ---
      data:
        long: long.csv
      ---

      ```{data #wide}
      from: long
      wider: {names_from: when, values_from: score, id: patient}
      ```

      Rows `{wide.rows}`, columns `{wide.columns}`.
      """)
    XCTAssertTrue(html.contains("data-ref=\"wide.rows\">1</span>"), html)
    XCTAssertTrue(html.contains("data-ref=\"wide.columns\">3</span>"), html)
  }
}
