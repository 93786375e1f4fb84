import Foundation
import XCTest

@testable import BordinReport

/// Each bad input gives a located diagnostic with a remedy (DESIGN.md §6). The CLI-level
/// behaviour (exit code 1, previous output intact) is in `CommandLineTests`.
final class BadInputTests: XCTestCase {
  func report(_ body: String) -> String {
    "---\ntitle: T\ndata:\n  d: data.csv\n---\n\n" + body
  }

  func project() -> TestProject {
    let p = TestProject(name)
    p.write("data.csv", smallCSV)
    return p
  }

  func testMisspeltColumnSuggestsTheRightOne() {
    let e = project().errors(report("```{correlate #c}\ndata: d\nvars: [x, yy]\n```\n"))
    XCTAssertEqual(e.count, 1)
    XCTAssertEqual(e[0].code, "unknown-column")
    XCTAssertEqual(e[0].line, 9)
    XCTAssertTrue(e[0].message.contains("column 'yy'"), e[0].message)
    XCTAssertTrue(e[0].message.contains("did you mean 'y'?"), e[0].message)
    XCTAssertNotNil(e[0].remedy)
  }

  func testMalformedYAMLBody() {
    let e = project().errors(report("Text.\n\n```{regress #m}\ndata: d\nformula: [y ~ x\n```\n"))
    XCTAssertEqual(e.first?.code, "yaml-syntax")
    XCTAssertEqual(e.first?.line, 11)
    XCTAssertNotNil(e.first?.remedy)
  }

  func testUnknownDirectiveKind() {
    let e = project().errors(report("```{regres #m}\ndata: d\n```\n"))
    XCTAssertEqual(e.first?.code, "unknown-directive")
    XCTAssertEqual(e.first?.line, 7)
    XCTAssertTrue(e.first?.message.contains("did you mean 'regress'?") ?? false)
    XCTAssertNotNil(e.first?.remedy)
  }

  func testUnknownOption() {
    let e = project().errors(report("```{regress #m}\ndata: d\nformula: y ~ x\nmethd: ols\n```\n"))
    XCTAssertEqual(e.first?.code, "unknown-option")
    XCTAssertEqual(e.first?.line, 10)
    XCTAssertEqual(e.first?.column, 1)
    XCTAssertNotNil(e.first?.remedy)
  }

  func testDuplicateLabel() {
    let e = project().errors(report("```{describe #a}\ndata: d\nvars: x\n```\n\n```{describe #a}\ndata: d\nvars: y\n```\n"))
    XCTAssertEqual(e.first?.code, "duplicate-label")
    XCTAssertEqual(e.first?.line, 12)
    XCTAssertNotNil(e.first?.remedy)
  }

  func testDependencyCycle() {
    let e = project().errors(report("```{data #a}\nfrom: b\n```\n\n```{data #b}\nfrom: a\n```\n"))
    XCTAssertEqual(e.first?.code, "cycle")
    XCTAssertTrue(e.first?.message.contains("a → b → a") ?? false, e.first?.message ?? "")
    XCTAssertNotNil(e.first?.remedy)
  }

  func testSelfReferenceIsACycle() {
    let e = project().errors(report("```{data #a}\nfrom: a\n```\n"))
    XCTAssertEqual(e.first?.code, "cycle")
  }

  func testTextInNumericColumnUsedNumerically() {
    let e = project().errors(report("```{describe #a}\ndata: d\nvars: [x, label]\n```\n"))
    XCTAssertEqual(e.first?.code, "non-numeric")
    XCTAssertTrue(e.first?.message.contains("'label'") ?? false)
    XCTAssertTrue(e.first?.message.contains("row 1 holds 'one'") ?? false, e.first?.message ?? "")
    XCTAssertNotNil(e.first?.remedy)
  }

  func testTextInExpressionArithmetic() {
    let e = project().errors(report("```{data #a}\nfrom: d\nderive:\n  z: x + label\n```\n"))
    XCTAssertEqual(e.first?.line, 10)
    XCTAssertTrue(e.first?.message.contains("label") ?? false, e.first?.message ?? "")
  }

  func testDataPathOutsideProject() {
    let p = project()
    for path in ["../../etc/passwd", "/etc/passwd"] {
      let e = p.errors("---\ndata:\n  d: \(path)\n---\n\nText.\n")
      XCTAssertEqual(e.first?.code, "path-outside", path)
      XCTAssertEqual(e.first?.line, 3)
      XCTAssertNotNil(e.first?.remedy)
    }
  }

  func testSymlinkLeavingTheProjectIsRefused() throws {
    let p = project()
    try FileManager.default.createSymbolicLink(atPath: p.root.appendingPathComponent("link.csv").path, withDestinationPath: "/etc/hostname")
    let e = p.errors("---\ndata:\n  d: link.csv\n---\n")
    XCTAssertEqual(e.first?.code, "path-outside")
  }

  func testScriptInMarkdownAndDataIsEscaped() {
    let p = TestProject()
    p.write("data.csv", "name,x\n\"<script>alert(1)</script>\",1\n\"</svg><b onmouseover=x>\",2\n")
    let h = p.html("---\ndata:\n  d: data.csv\n---\n\n<script>alert('md')</script>\n\n```{table}\ndata: d\n```\n")
    XCTAssertFalse(h.contains("<script>alert"), h)
    XCTAssertTrue(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    XCTAssertTrue(h.contains("&lt;script&gt;alert(&#39;md&#39;)&lt;/script&gt;") || h.contains("&lt;script&gt;alert('md')&lt;/script&gt;"), h)
    XCTAssertFalse(h.contains("<b onmouseover"))
  }

  func testAllErrorsAreCollected() {
    let e = project().errors(report("```{regres #m}\n```\n\n```{describe #a}\ndata: nope\nvars: x\n```\n\nValue `{zz.r}`.\n"))
    XCTAssertEqual(Set(e.map(\.code)), ["unknown-directive", "unknown-data", "inline-value"])
  }

  func testUnknownInlineLabelAndField() {
    let p = project()
    var e = p.errors(report("```{describe #a}\ndata: d\nvars: x\n```\n\nMean `{a.vars[x].mena}` and `{b.r}`.\n"))
    XCTAssertEqual(e.count, 2)
    XCTAssertTrue(e[0].message.contains("did you mean 'mean'?"), e[0].message)
    XCTAssertEqual(e[0].line, 12)
    e = p.errors(report("See @fig-nope.\n"))
    XCTAssertEqual(e.first?.code, "unknown-reference")
  }

  func testUnknownParamOverride() {
    let p = project()
    guard case .failure(let e) = p.render(report("x\n"), options: RenderOptions(params: [("month", "1")])) else { return XCTFail() }
    XCTAssertEqual(e.diagnostics.first?.code, "unknown-param")
  }

  func testNonUTF8Report() throws {
    let p = project()
    let url = p.root.appendingPathComponent("bad.md")
    try Data([0x23, 0x20, 0xff, 0xfe, 0x0a]).write(to: url)
    XCTAssertThrowsError(try Renderer.render(file: url, displayPath: "bad.md")) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.first?.code, "not-utf8")
    }
  }
}
