import Foundation
import XCTest

@testable import BordinReport

/// Markdown without directives or raw HTML renders byte-for-byte as the `cmark-gfm` command
/// (`cmark-gfm -e table -e strikethrough -e autolink -e tagfilter -e tasklist`). The expected
/// files under Tests/Fixtures/markdown were produced by that command (cmark-gfm 0.29.0.gfm.6).
final class MarkdownParityTests: XCTestCase {
  func testFixturesMatchCmarkGFM() throws {
    let dir = fixtures.appendingPathComponent("markdown")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") }.sorted()
    XCTAssertGreaterThanOrEqual(names.count, 3)
    for name in names {
      let md = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
      let expected = try String(contentsOf: dir.appendingPathComponent(name.replacingOccurrences(of: ".md", with: ".html")), encoding: .utf8)
      XCTAssertEqual(renderPlainMarkdown(md), expected, name)
    }
  }

  func testReportBodyWithoutDirectivesMatchesPlainRendering() throws {
    let md = try String(contentsOf: fixtures.appendingPathComponent("markdown/gfm.md"), encoding: .utf8)
    let p = TestProject()
    guard case .success(let r) = p.render(md, options: RenderOptions(fragment: true)) else { return XCTFail("render failed") }
    XCTAssertEqual(r.html, renderPlainMarkdown(md))
  }

  func testRawHTMLIsEscapedUnlessAllowed() {
    let p = TestProject()
    let src = "Hello <script>alert(1)</script> there.\n\n<div onclick=\"x()\">block</div>\n"
    let safe = p.html(src)
    XCTAssertFalse(safe.contains("<script>alert"))
    XCTAssertTrue(safe.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    XCTAssertFalse(safe.contains("<div onclick"))
    XCTAssertTrue(safe.contains("&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;"))
    let unsafe = p.html("---\nunsafe_html: true\n---\n" + src)
    XCTAssertTrue(unsafe.contains("<div onclick=\"x()\">block</div>"))
  }

  func testLiteralBraceCodeSpan() {
    let h = TestProject().html("Write `\\{label.field}` for a value.\n")
    XCTAssertTrue(h.contains("<code>{label.field}</code>"), h)
  }
}
