import Foundation
import XCTest

@testable import BordinReport

/// A report with data, a param and a computed value.
let verifySource = """
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

/// Replaces `from` (which must occur) by `to` in the file at `url`.
func editFile(_ url: URL, _ from: String, _ to: String) throws {
  let s = try String(contentsOf: url, encoding: .utf8)
  XCTAssertTrue(s.contains(from), "\(from) not in \(url.lastPathComponent)")
  try Data(s.replacingOccurrences(of: from, with: to).utf8).write(to: url)
}

/// `bordin verify` passes on untouched output and names each kind of tampering.
final class VerifyTests: XCTestCase {
  let source = verifySource

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
    try edit(html, "data-ref=\"c.r\">1.00</span>", "data-ref=\"c.r\">.42</span>")
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
    try edit(html, "data-ref=\"params.site\">north</span>", "data-ref=\"params.site\">south</span>")
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

/// `bordin verify` reads only what rendering may read, and bad or hostile records never crash it.
final class VerifyHardeningTests: XCTestCase {
  let source = verifySource

  func renderProject(_ text: String? = nil, cache: Bool = false) throws -> (TestProject, URL) {
    let p = TestProject(name)
    p.write("d.csv", smallCSV)
    let file = p.write("r.md", text ?? source)
    let r = try Renderer.render(file: file, displayPath: "r.md", options: RenderOptions(cache: cache))
    let html = p.root.appendingPathComponent("out/r.html")
    try Output.writePair(html: r.html, to: html, record: r.resultsJSON, to: p.root.appendingPathComponent("out/r.results.json"))
    return (p, html)
  }

  /// Rewrites the record beside `html` with `change` applied to its tree.
  func editRecord(_ html: URL, _ change: (inout [(String, ResultValue)]) -> Void) throws {
    let url = html.deletingPathExtension().appendingPathExtension("results.json")
    guard case .object(var f) = try RecordJSON.parse(Array(try Data(contentsOf: url))) else { return XCTFail("not an object") }
    change(&f)
    try Data(JSONWriter.string(.object(f)).utf8).write(to: url)
  }

  func set(_ fields: inout [(String, ResultValue)], _ key: String, _ sub: String, _ value: ResultValue) {
    guard let i = fields.firstIndex(where: { $0.0 == key }), case .object(var inner) = fields[i].1,
          let j = inner.firstIndex(where: { $0.0 == sub }) else { return XCTFail("no \(key).\(sub)") }
    inner[j].1 = value
    fields[i].1 = .object(inner)
  }

  /// Issue 15.3: `Intro. A B C` edited to `Intro. X` crashed with "Range requires lowerBound <= upperBound".
  func testShortenedTemplateDoesNotCrash() throws {
    let (p, html) = try renderProject("---\ntitle: T\n---\n\nIntro.\n\nA\n\nB\n\nC\n")
    p.write("r.md", "---\ntitle: T\n---\n\nIntro.\n\nX\n")
    let o = Verifier.verify(html: html)
    XCTAssertFalse(o.agrees)
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("template r.md changed") }, "\(o.differences)")
    XCTAssertTrue(o.differences.contains("r.md:7: line changed: 'A' → 'X'"), "\(o.differences)")
    XCTAssertTrue(o.differences.contains("r.md:8: line removed: B"), "\(o.differences)")
  }

  /// Every shape of edit, both ways, against a brute-force check that the diff is well formed.
  func testLineDiffOnManyEdits() {
    let texts = ["", "a", "a\nb", "a\nb\nc\nd", "x", "a\nx", "b\nc", "d\nc\nb\na", "a\n\nb\n", "\n\n\n"]
    for old in texts {
      for new in texts {
        let d = LineDiff.changes(old: old, new: new, file: "f")
        XCTAssertEqual(d.isEmpty, old == new, "\(old.debugDescription) → \(new.debugDescription): \(d)")
      }
    }
    let many = (0..<100).map { "l\($0)" }
    let d = LineDiff.changes(old: many.joined(separator: "\n"), new: "", file: "f")
    XCTAssertEqual(d.count, 21)
    XCTAssertEqual(d.last, "…")
  }

  /// Issue 15.2: `source.path: /etc/passwd` made verify print the file.
  func testRecordedTemplateOutsideTheProjectIsNotRead() throws {
    for path in ["/etc/passwd", "../../../../../../etc/passwd", "~/x.md", "out/../../x.md"] {
      let (_, html) = try renderProject()
      try editRecord(html) { f in
        set(&f, "source", "path", .string(path))
        set(&f, "source", "text", .string(String(repeating: "-\n", count: 40)))
      }
      let o = Verifier.verify(html: html)
      XCTAssertFalse(o.agrees, path)
      let all = o.differences.joined(separator: "\n")
      XCTAssertFalse(all.contains("root:"), all)
      XCTAssertFalse(all.contains("line "), all)
      XCTAssertTrue(all.contains("the template '\(path)'") && all.contains("nothing was re-rendered"), all)
    }
  }

  /// Recorded inputs are read under the same rule: never outside the root.
  func testRecordedInputOutsideTheProjectIsNotRead() throws {
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-outside-\(ProcessInfo.processInfo.processIdentifier).csv")
    try Data("secret\n".utf8).write(to: outside)
    defer { try? FileManager.default.removeItem(at: outside) }
    for path in [outside.path, "../" + outside.lastPathComponent, "../../../../../../../" + outside.path] {
      let (_, html) = try renderProject()
      try editRecord(html) { f in
        guard let i = f.firstIndex(where: { $0.0 == "inputs" }), case .array(var items) = f[i].1, case .object(var d) = items[0] else { return XCTFail() }
        d[d.firstIndex { $0.0 == "path" }!].1 = .string(path)
        items[0] = .object(d)
        f[i].1 = .array(items)
      }
      let o = Verifier.verify(html: html)
      XCTAssertTrue(o.differences.contains("data 'd' (\(path)) is outside the project root; not read"), "\(o.differences)")
    }
  }

  /// A symlink inside the project that leads out of it is refused too.
  func testSymlinkedTemplateLeavingTheRootIsRefused() throws {
    let (p, html) = try renderProject()
    try FileManager.default.removeItem(at: p.root.appendingPathComponent("r.md"))
    try FileManager.default.createSymbolicLink(atPath: p.root.appendingPathComponent("r.md").path, withDestinationPath: "/etc/passwd")
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains { $0.contains("leaves the project root") }, "\(o.differences)")
  }

  func testRecordedTemplateTextOverTheLimitIsRefused() throws {
    let (_, html) = try renderProject()
    try editRecord(html) { f in set(&f, "source", "text", .string(String(repeating: "x", count: VerifyReader.maxTemplateBytes + 1))) }
    let o = Verifier.verify(html: html)
    XCTAssertEqual(o.differences.count, 1, "\(o.differences.map { $0.prefix(200) })")
    XCTAssertTrue(o.differences[0].contains("the recorded template is 64 MiB; the limit is 64 MiB"), o.differences[0])
  }

  /// Hostile records: wrong types, deep nesting, bad UTF-8, duplicate keys, a FIFO. Each is one
  /// located difference, never a crash or a hang.
  func testMalformedRecordsAreDifferencesNotCrashes() throws {
    let (_, html) = try renderProject()
    let url = html.deletingPathExtension().appendingPathExtension("results.json")
    let good = try Data(contentsOf: url)
    let text = String(decoding: good, as: UTF8.self)
    let cases: [(String, [UInt8])] = [
      ("is not valid JSON", Array("{\"a\": ".utf8)),
      ("nested deeper than 64 levels", Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)),
      ("not valid UTF-8", Array("{\"a\": \"".utf8) + [0xFF, 0xFE] + Array("\"}".utf8)),
      ("duplicate key 'bordin'", Array(("{\"bordin\": 1," + text.dropFirst()).utf8)),
      ("'inputs' is not a list", Array(text.replacingOccurrences(of: "\"inputs\": [", with: "\"inputs\": 5, \"x\": [").utf8)),
      ("'source.path' is missing or not a string", Array(text.replacingOccurrences(of: "\"path\": \"r.md\"", with: "\"path\": 7").utf8)),
      ("param 'site' is not a string", Array(text.replacingOccurrences(of: "\"site\": \"north\"", with: "\"site\": {\"a\": 1}").utf8)),
      ("is not a JSON object", Array("[1, 2]".utf8)),
      ("number '1e999' is out of range", Array("{\"a\": 1e999}".utf8)),
    ]
    for (message, bytes) in cases {
      try Data(bytes).write(to: url)
      let o = Verifier.verify(html: html)
      XCTAssertEqual(o.differences.count, 1, message)
      XCTAssertTrue(o.differences.first?.contains(message) == true, "\(message): \(o.differences)")
    }
    // A FIFO where the record should be: refused without opening it for a blocking read.
    try FileManager.default.removeItem(at: url)
    XCTAssertEqual(mkfifo(url.path, 0o600), 0)
    XCTAssertTrue(Verifier.verify(html: html).differences.first?.contains("is not a regular file") == true)
    // A page that is not UTF-8.
    try FileManager.default.removeItem(at: url)
    try good.write(to: url)
    try Data([0x3C, 0xFF, 0xFE]).write(to: html)
    XCTAssertEqual(Verifier.verify(html: html).differences, ["cannot read the page: the page is not valid UTF-8"])
  }

  /// Issue 15: a page and a record from different renders (a kill between the two renames, or
  /// two renders into one folder) are a difference, named as such.
  func testPageAndRecordFromDifferentRendersAreDifferent() throws {
    let (p, html) = try renderProject()
    let other = try Renderer.render(file: p.root.appendingPathComponent("r.md"), displayPath: "r.md", options: RenderOptions(params: [("site", "south")]))
    try Data(other.resultsJSON.utf8).write(to: html.deletingPathExtension().appendingPathExtension("results.json"))
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("the page and r.results.json come from different renders (render id ") }, "\(o.differences)")
    XCTAssertEqual(o.verdict, .different)
  }

  /// The render id is content: two renders give the same bytes, and it changes with the page.
  func testRenderIDIsDeterministicAndInBothFiles() throws {
    let p = TestProject(name)
    p.write("d.csv", smallCSV)
    let file = p.write("r.md", source)
    let a = try Renderer.render(file: file, displayPath: "r.md"), b = try Renderer.render(file: file, displayPath: "r.md")
    XCTAssertEqual(a.html, b.html)
    XCTAssertEqual(a.resultsJSON, b.resultsJSON)
    let ids = Provenance.renderIDs(of: a.html)
    XCTAssertEqual(ids.claimed, ids.actual)
    XCTAssertTrue(a.resultsJSON.contains("\"id\": \"\(ids.actual)\""))
    let c = try Renderer.render(file: file, displayPath: "r.md", options: RenderOptions(params: [("site", "south")]))
    XCTAssertNotEqual(Provenance.renderIDs(of: c.html).actual, ids.actual)
    let f = try Renderer.render(file: file, displayPath: "r.md", options: RenderOptions(fragment: true))
    XCTAssertTrue(f.resultsJSON.contains("\"id\": \"\(sha256Hex(Data(f.html.utf8)))\""))
  }

  /// An edit anywhere in the page, even outside computed values, is caught by content.
  func testEditOutsideComputedValuesIsCaught() throws {
    let (_, html) = try renderProject()
    try editFile(html, "The correlation was", "The correlation wasn't")
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("the HTML differs from a fresh render outside the computed values") }, "\(o.differences)")
  }

  /// Verify renders with the cache off: a poisoned cache entry cannot make a page verify.
  func testVerifyNeverReadsTheCache() throws {
    let (p, html) = try renderProject(cache: true)
    let cache = p.root.appendingPathComponent(".bordin-cache")
    let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
    XCTAssertFalse(entries.isEmpty)
    // Poison, signed with this user's key (the worst case: an entry the cache accepts): the
    // cache now says r = 0.5 and the page prints .50.
    let sink = DiagnosticSink(file: "r.md")
    let signer = try XCTUnwrap(ResultCache.make(folder: cache, sink: sink))
    for e in entries where e.hasSuffix(".json") {
      let u = cache.appendingPathComponent(e)
      let s = try String(contentsOf: u, encoding: .utf8)
      let body = String(s[s.index(after: try XCTUnwrap(s.firstIndex(of: "\n")))...])
      let poisoned = body.replacingOccurrences(of: "0.9979562876415531", with: "0.5")
      try Data(signer.signed(String(e.dropLast(5)), Data(poisoned.utf8)).utf8).write(to: u)
    }
    let poisoned = try Renderer.render(file: p.root.appendingPathComponent("r.md"), displayPath: "r.md", options: RenderOptions(cache: true))
    XCTAssertEqual(poisoned.cacheHits, 1)
    XCTAssertEqual(ComputedValues.text(poisoned.html, "c.r"), ".50")
    // The page and record the poisoned cache gives: verify recomputes, so they do not verify.
    try Output.writePair(html: poisoned.html, to: html, record: poisoned.resultsJSON, to: html.deletingPathExtension().appendingPathExtension("results.json"))
    let o = Verifier.verify(html: html)
    XCTAssertTrue(o.differences.contains { $0.contains("directives.c.result.r: recorded 0.5, a fresh render gives 0.9979562876415531") }, "\(o.differences)")
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("value c.r (HTML line") && $0.hasSuffix("the HTML shows '.50', the data give '1.00'") }, "\(o.differences)")
  }
}

/// Hostile pages end quickly: extraction of computed values is bounded.
final class VerifyPageBoundsTests: XCTestCase {
  func testUnclosedValuesDoNotHang() {
    for prefix in ["<!DOCTYPE html>", "<!DOCTYPE html><a"] {
      let html = prefix + String(repeating: " data-ref=\"x\">", count: 150_000)
      let start = Date()
      _ = ComputedValues.extract(html)
      XCTAssertLessThan(Date().timeIntervalSince(start), 20, prefix)
    }
  }
}
