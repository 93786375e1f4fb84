import Foundation
import XCTest

@testable import BordinReport

/// `bordin verify` passes on untouched output and names each kind of tampering.
final class VerifyTests: XCTestCase {
  let source = """
  ---
  title: V
  params:
    site: north
  data:
    d: d.csv
  ---

  ```{correlate #c}
  data: d
  vars: [x, y]
  ```

  The correlation was `{c.r}` at site `{params.site}`.
  """

  /// Renders into out/ and returns the HTML URL.
  func renderProject() throws -> (TestProject, URL) {
    let p = TestProject(name)
    p.write("d.csv", smallCSV)
    let file = p.write("r.md", source)
    let r = try Renderer.render(file: file, displayPath: "r.md")
    let html = p.root.appendingPathComponent("out/r.html")
    try Output.writeAtomically(r.html, to: html)
    try Output.writeAtomically(r.resultsJSON, to: p.root.appendingPathComponent("out/r.results.json"))
    return (p, html)
  }

  func edit(_ url: URL, _ from: String, _ to: String) throws {
    let s = try String(contentsOf: url, encoding: .utf8)
    XCTAssertTrue(s.contains(from), "\(from) not in \(url.lastPathComponent)")
    try Data(s.replacingOccurrences(of: from, with: to).utf8).write(to: url)
  }

  func testUntouchedOutputVerifies() throws {
    let (_, html) = try renderProject()
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.agrees, "\(o.differences)")
  }

  func testChangedDataFile() throws {
    let (p, html) = try renderProject()
    try edit(p.root.appendingPathComponent("d.csv"), "6,b,6,12.3,six", "6,b,6,2.3,six")
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("data 'd' (d.csv) changed: SHA-256 was") }, "\(o.differences)")
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("value c.r (HTML line") && $0.contains("the HTML shows '1.00'") }, "\(o.differences)")
  }

  func testEditedNumberInHTML() throws {
    let (_, html) = try renderProject()
    try edit(html, "data-ref=\"c.r\">1.00</a>", "data-ref=\"c.r\">.42</a>")
    let o = Verifier.verify(html: html)
    XCTAssertEqual(o.differences.count, 1, "\(o.differences)")
    XCTAssertTrue(o.differences[0].hasPrefix("value c.r (HTML line"), o.differences[0])
    XCTAssertTrue(o.differences[0].hasSuffix("the HTML shows '.42', the data give '1.00'"), o.differences[0])
  }

  func testEditedTemplate() throws {
    let (p, html) = try renderProject()
    try edit(p.root.appendingPathComponent("r.md"), "vars: [x, y]", "vars: [x, id]")
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("template r.md changed") }, "\(o.differences)")
    XCTAssertTrue(o.differences.contains("r.md:11: line changed: 'vars: [x, y]' → 'vars: [x, id]'"), "\(o.differences)")
  }

  func testChangedParam() throws {
    let (_, html) = try renderProject()
    try edit(html, "<meta name=\"bordin-param\" content=\"site=north\">", "<meta name=\"bordin-param\" content=\"site=south\">")
    try edit(html, "data-ref=\"params.site\">north</a>", "data-ref=\"params.site\">south</a>")
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains("param 'site': the HTML records 'south', the provenance record 'north'"), "\(o.differences)")
    XCTAssertTrue(o.differences.contains { $0.contains("value params.site") && $0.contains("the HTML shows 'south', the data give 'north'") }, "\(o.differences)")
  }

  func testMissingRecord() throws {
    let (p, html) = try renderProject()
    try FileManager.default.removeItem(at: p.root.appendingPathComponent("out/r.results.json"))
    XCTAssertFalse(Verifier.verify(html: html).agrees)
  }
}
