import Foundation
import XCTest

@testable import BordinReport

/// `toc: true` (issue 18 item 12): a numbered table of contents and numbered `##`/`###` headings.
final class TocTests: XCTestCase {
  let report = """
    ---
    title: T
    toc: true
    ---

    ## Methods

    Text.

    ### Sample & design

    ### Measures

    ## Results

    ### Methods

    ## Methods

    """

  func testNumberedContentsAndHeadings() throws {
    let p = TestProject(name)
    let html = p.html(report)
    XCTAssertTrue(html.contains("<h2 id=\"sec-methods\"><span class=\"bordin-secnum\">1</span> Methods</h2>"), html)
    XCTAssertTrue(html.contains("<h3 id=\"sec-sample-design\"><span class=\"bordin-secnum\">1.1</span> Sample &amp; design</h3>"), html)
    XCTAssertTrue(html.contains("<h3 id=\"sec-measures\"><span class=\"bordin-secnum\">1.2</span> Measures</h3>"))
    XCTAssertTrue(html.contains("<h2 id=\"sec-results\"><span class=\"bordin-secnum\">2</span> Results</h2>"))
    // Repeated headings get unique ids.
    XCTAssertTrue(html.contains("<h3 id=\"sec-methods-2\"><span class=\"bordin-secnum\">2.1</span> Methods</h3>"))
    XCTAssertTrue(html.contains("<h2 id=\"sec-methods-3\"><span class=\"bordin-secnum\">3</span> Methods</h2>"))
    let nav = """
      <nav class="toc" aria-label="Contents">
      <h2 class="toc-title">Contents</h2>
      <ul>
      <li><a href="#sec-methods"><span class="bordin-secnum">1</span> Methods</a>
      <ul>
      <li><a href="#sec-sample-design"><span class="bordin-secnum">1.1</span> Sample &amp; design</a></li>
      <li><a href="#sec-measures"><span class="bordin-secnum">1.2</span> Measures</a></li>
      </ul>
      </li>
      <li><a href="#sec-results"><span class="bordin-secnum">2</span> Results</a>
      <ul>
      <li><a href="#sec-methods-2"><span class="bordin-secnum">2.1</span> Methods</a></li>
      </ul>
      </li>
      <li><a href="#sec-methods-3"><span class="bordin-secnum">3</span> Methods</a></li>
      </ul>
      </nav>
      """
    XCTAssertTrue(html.contains(nav), html)
    // After the title, before the body.
    let title = try XCTUnwrap(html.range(of: "</header>"))
    let toc = try XCTUnwrap(html.range(of: "<nav class=\"toc\""))
    let first = try XCTUnwrap(html.range(of: "<h2 id=\"sec-methods\">"))
    XCTAssertLessThan(title.lowerBound, toc.lowerBound)
    XCTAssertLessThan(toc.lowerBound, first.lowerBound)
    XCTAssertEqual(html.components(separatedBy: "<h1").count - 1, 1)
    // Deterministic.
    XCTAssertEqual(html, p.html(report))
  }

  func testWithoutTocNothingChanges() {
    let p = TestProject(name)
    let html = p.html(report.replacingOccurrences(of: "toc: true\n", with: ""))
    XCTAssertFalse(html.contains("class=\"toc\""))
    XCTAssertTrue(html.contains("<h2>Methods</h2>"))
    XCTAssertFalse(html.contains("class=\"bordin-secnum\""))
  }

  func testIdsAvoidExistingIds() {
    let t = TableOfContents("<p id=\"sec-a\">x</p>\n<h2>A</h2>\n<h4>deep</h4>\n<h2>!!</h2>\n")
    XCTAssertEqual(t.items.map(\.id), ["sec-a-2", "sec-section"])
    XCTAssertTrue(t.body.contains("<h4>deep</h4>"))
  }

  func testBadTocValueIsDiagnosed() {
    let p = TestProject(name)
    let errors = p.errors("---\ntitle: T\ntoc: yes please\n---\n\n## A\n")
    XCTAssertEqual(errors.first?.code, "front-matter")
    XCTAssertTrue(errors.first?.message.contains("'toc' must be true or false") ?? false, "\(errors)")
    XCTAssertEqual(errors.first?.line, 3)
  }
}
