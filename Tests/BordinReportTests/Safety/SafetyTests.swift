import Foundation
import XCTest

@testable import BordinReport

/// Hostile strings in every place a report can carry text are inert in the output: no script
/// elements, no event-handler attributes, no `javascript:` URLs, no escape from `<svg>`.
final class SafetyTests: XCTestCase {
  let hostile = #"<script>alert(1)</script></svg><img src=x onerror=alert(2)>" onmouseover="alert(3)"#

  /// Every tag's name and attributes, from raw HTML.
  func tags(_ html: String) -> [(name: String, attributes: String)] {
    var out: [(String, String)] = []
    var rest = Substring(html)
    while let lt = rest.firstIndex(of: "<") {
      let after = rest[rest.index(after: lt)...]
      guard let first = after.first, first.isLetter, let gt = after.firstIndex(of: ">") else { rest = after; continue }
      let tag = after[..<gt]
      let name = tag.prefix { $0.isLetter || $0.isNumber }
      out.append((String(name).lowercased(), String(tag.dropFirst(name.count))))
      rest = after[gt...]
    }
    return out
  }

  /// Attribute names and values of a tag's attribute text, respecting quotes.
  func attributes(_ text: String) -> [(name: String, value: String)] {
    var out: [(String, String)] = []
    let c = Array(text)
    var i = 0
    while i < c.count {
      while i < c.count, c[i].isWhitespace || c[i] == "/" { i += 1 }
      var name = ""
      while i < c.count, !c[i].isWhitespace, c[i] != "=", c[i] != "/" { name.append(c[i]); i += 1 }
      var value = ""
      if i < c.count, c[i] == "=" {
        i += 1
        if i < c.count, c[i] == "\"" || c[i] == "'" {
          let q = c[i]
          i += 1
          while i < c.count, c[i] != q { value.append(c[i]); i += 1 }
          i += 1
        } else {
          while i < c.count, !c[i].isWhitespace { value.append(c[i]); i += 1 }
        }
      }
      if !name.isEmpty { out.append((name.lowercased(), value)) }
    }
    return out
  }

  func assertInert(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
    for (name, attrs) in tags(html) {
      XCTAssertNotEqual(name, "script", file: file, line: line)
      for a in attributes(attrs) {
        XCTAssertFalse(a.name.hasPrefix("on"), "<\(name) \(a.name)=…>", file: file, line: line)
        if a.name == "href" || a.name == "src" {
          XCTAssertFalse(a.value.lowercased().hasPrefix("javascript:"), "<\(name) \(a.name)=\(a.value)>", file: file, line: line)
        }
      }
    }
    XCTAssertEqual(html.components(separatedBy: "<svg").count, html.components(separatedBy: "</svg>").count, file: file, line: line)
  }

  func testHostileTextEverywhereIsInert() throws {
    let p = TestProject()
    let h = hostile.replacingOccurrences(of: "\"", with: "'")
    p.write("d.csv", "name,x,y,\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\"\n\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\",1,2,3\nb,2,3,4\nc,3,5,5\nd,4,4,6\n")
    let src = """
    ---
    title: "\(h)"
    author: "\(h)"
    date: 2022-12-01  # a hostile date is rejected: HardeningContentTests
    topics: ["\(h)"]
    params:
      p: "\(h)"
    data:
      d: d.csv
    ---

    Param `{params.p}`. [link](javascript:alert(4)) and <javascript:alert(5)> and ![i](javascript:alert(6)).

    <svg onload="alert(7)"><script>alert(8)</script></svg>

    ```{table #tbl-a}
    data: d
    caption: "\(h)"
    note: "\(h)"
    ```

    ```{plot #fig-a}
    type: scatter
    data: d
    x: x
    y: y
    caption: "\(h)"
    alt: "\(h)"
    xlab: "\(h)"
    ylab: "\(h)"
    ```

    ```{describe #s}
    data: d
    vars: [x]
    by: name
    ```

    ```{table}
    of: s
    ```
    """
    guard case .success(let r) = p.render(src) else { return XCTFail("\(p.render(src))") }
    assertInert(r.html)
    XCTAssertTrue(r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    // results.json is JSON, with < escaped so it is safe to embed too.
    XCTAssertFalse(r.resultsJSON.contains("<script"))
  }

  func testNetworkAndOutsidePathsAreRefused() {
    let p = TestProject()
    for path in ["http://example.org/d.csv", "https://example.org/d.csv", "file:///etc/passwd", "~/d.csv", "..\\..\\d.csv"] {
      let e = p.errors("---\ndata:\n  d: '\(path)'\n---\n")
      XCTAssertEqual(e.first?.code, "path-outside", path)
    }
    let e = p.errors("---\nbibliography: /etc/passwd\n---\n")
    XCTAssertEqual(e.first?.code, "path-outside")
  }

  func testUnsafeHTMLOptInKeepsRawHTMLButNotScriptElements() {
    let h = TestProject().html("---\nunsafe_html: true\n---\n\n<div class=\"x\">ok</div>\n\n<script>alert(1)</script>\n")
    XCTAssertTrue(h.contains("<div class=\"x\">ok</div>"))
    XCTAssertFalse(h.contains("<script>alert(1)"))
  }

  /// cmark's `_scan_dangerous_url`, done on the C string: scheme case and embedded whitespace
  /// or control characters do not hide a dangerous URL; safe image data URLs stay.
  func testDangerousURLScan() {
    func dangerous(_ u: String?, image: Bool = false) -> Bool {
      guard let u else { return MarkdownDocument.isDangerousURL(nil, image: image) }
      return u.withCString { MarkdownDocument.isDangerousURL($0, image: image) }
    }
    for u in ["javascript:alert(1)", "JavaScript:alert(1)", " java\tscript:x", "java\u{01}script:x", "VBSCRIPT:x", "file:///etc/passwd", "data:text/html,x"] {
      XCTAssertTrue(dangerous(u), u)
    }
    for u in ["https://example.org", "mailto:a@b.org", "#fig-a", "img.png", "javascrip", ""] { XCTAssertFalse(dangerous(u), u) }
    XCTAssertFalse(dangerous("data:image/png;base64,AAAA", image: true))
    XCTAssertFalse(dangerous("DATA:image/webp;base64,AAAA", image: true))
    XCTAssertTrue(dangerous("data:image/png;base64,AAAA", image: false))
    XCTAssertTrue(dangerous("data:image/svg+xml,<svg>", image: true))
    XCTAssertFalse(dangerous(nil as String?))
  }
}
