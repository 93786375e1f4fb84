import Crypto
import Foundation
import XCTest

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import BordinReport

/// Issue 15, content defects: a report, bibliography, cache or file name from a stranger can
/// neither inject markup, serve stale or forged numbers, exhaust memory, trap on a large
/// option, lose text at a NUL or CR, nor produce an invalid feed or clashing site pages.
final class HardeningContentTests: XCTestCase {
  // MARK: 1. BibTeX fields reach HTML escaped; only http(s) and DOI links

  let hostileBib = """
  @misc{k, author={Smith, A.}, title={T}, year={<img src=x onerror=alert(1)>}, url={javascript:alert(2)}}
  @misc{d, author={Data, D.}, title={U}, year={2020}, url = {data:text/html,<script>alert(3)</script>}}
  @article{good, author={Good, G.}, title={V}, journal={J}, year={2021}, doi={10.1000/x"onmouseover=alert(4)}}
  @misc{w, author={Web, W.}, title={W}, year={2019}, url={HTTPS://example.org/a?b=1&c=2}}
  """

  func testBibTeXFieldsAndLinksAreInertEverywhere() throws {
    let p = TestProject()
    p.write("refs.bib", hostileBib)
    p.write("keys.csv", "key\nk\n")
    let html = p.html("""
    ---
    title: t
    bibliography: refs.bib
    data:
      keys: keys.csv
    ---

    See [@k; @d], @good and [@w]. Inline `{data.keys.key | cite}`, `{data.keys.key | citep}`, `{data.keys.key | reference}`.
    """)
    XCTAssertFalse(html.contains("<img src=x"), html)
    XCTAssertTrue(html.contains("(&lt;img src=x onerror=alert(1)&gt;)"))
    XCTAssertFalse(html.contains("<script>alert(3)"))
    XCTAssertFalse(html.lowercased().contains("href=\"javascript:"))
    XCTAssertFalse(html.lowercased().contains("href=\"data:"))
    XCTAssertFalse(html.contains("\"onmouseover"))
    // The unsafe URLs are shown as text, not dropped.
    XCTAssertTrue(html.contains(" javascript:alert(2)</p>"))
    XCTAssertTrue(html.contains("<a href=\"https://doi.org/10.1000/x%22onmouseover%3Dalert(4)\">"), html)
    XCTAssertTrue(html.contains("<a href=\"HTTPS://example.org/a?b=1&amp;c=2\">"))
  }

  func testSafeURLAcceptsOnlyHTTP() {
    XCTAssertEqual(Bibliography.safeURL(" https://x.org/a "), "https://x.org/a")
    XCTAssertEqual(Bibliography.safeURL("http://x.org"), "http://x.org")
    for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "//evil.org", "x.html", "https://a b", "https://a\u{0}b"] {
      XCTAssertNil(Bibliography.safeURL(bad), bad)
    }
  }

  // MARK: 4. The cache: keyed on resolved data, signed, never HTML

  let cacheCSV = "x\n1\n2\n-99\n3\n"

  func cacheReport(na: Bool) -> String {
    """
    ---
    data:
      d: \(na ? "{ path: d.csv, na: [\"-99\"] }" : "d.csv")
    ---

    ```{describe #s}
    data: d
    vars: [x]
    ```

    Mean `{s.vars[x].mean | 2}`.
    """
  }

  func render(_ p: TestProject, _ src: String) throws -> RenderedReport {
    let url = p.write("r.md", src)
    return try Renderer.render(file: url, displayPath: "r.md", options: RenderOptions(cache: true))
  }

  func cacheEntries(_ p: TestProject) throws -> [URL] {
    let dir = p.root.appendingPathComponent(".bordin-cache")
    return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
  }

  func testNAOptionChangeGivesTheNewValue() throws {
    let p = TestProject()
    p.write("d.csv", cacheCSV)
    let a = try render(p, cacheReport(na: false))
    XCTAssertTrue(a.html.contains(">\u{2212}23.25<"), a.html)  // (1 + 2 − 99 + 3) / 4
    let b = try render(p, cacheReport(na: true))
    XCTAssertEqual(b.cacheHits, 0)
    XCTAssertTrue(b.html.contains(">2.00<"), b.html)  // −99 is missing: (1 + 2 + 3) / 3
    let c = try render(p, cacheReport(na: true))
    XCTAssertEqual(c.cacheHits, 1)
    XCTAssertEqual(c.html, b.html)
  }

  func testEditedEntryIsRecomputedAndTheTrueValueShown() throws {
    let p = TestProject()
    p.write("d.csv", cacheCSV)
    let first = try render(p, cacheReport(na: false))
    let entries = try cacheEntries(p)
    XCTAssertEqual(entries.count, 1)
    // A stranger's edit: a fake mean, and script where HTML used to be cached.
    var text = try String(contentsOf: entries[0], encoding: .utf8)
    XCTAssertFalse(text.contains("\"html\""), "the cache stores results, not HTML")
    text = text.replacingOccurrences(of: "-23.25", with: "42.5")
    text = text.replacingOccurrences(of: "\"warnings\":[]", with: "\"warnings\":[],\"html\":\"<script>alert(1)</script>\"")
    try Data(text.utf8).write(to: entries[0])
    let r = try render(p, cacheReport(na: false))
    XCTAssertEqual(r.cacheHits, 0)
    XCTAssertEqual(r.html, first.html)
    XCTAssertTrue(r.html.contains(">\u{2212}23.25<"))
    XCTAssertFalse(r.html.contains("42.5"))
    XCTAssertFalse(r.html.contains("<script>alert(1)"))
    // The forged entry was replaced by a good one.
    XCTAssertEqual(try render(p, cacheReport(na: false)).cacheHits, 1)
  }

  func testEntryFromAnotherKeyOrUnsignedIsRecomputed() throws {
    let p = TestProject()
    p.write("d.csv", cacheCSV)
    let first = try render(p, cacheReport(na: false))
    let entry = try cacheEntries(p)[0]
    let stored = try Data(contentsOf: entry)
    let body = stored[(stored.firstIndex(of: 10)! + 1)...]
    let name = entry.deletingPathExtension().lastPathComponent
    let forged = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "-23.25", with: "7")
    // Signed correctly, but with another user's key.
    let other = ResultCache(folder: entry.deletingLastPathComponent(), key: SymmetricKey(size: .bits256))
    var m = HMAC<SHA256>(key: other.key)
    m.update(data: Data("bordin-cache-v1\u{0}\(name)\u{0}".utf8) + Data(forged.utf8))
    let tag = m.finalize().map { String(format: "%02x", $0) }.joined()
    try Data((tag + "\n" + forged).utf8).write(to: entry)
    var r = try render(p, cacheReport(na: false))
    XCTAssertEqual(r.cacheHits, 0)
    XCTAssertEqual(r.html, first.html)
    // An unsigned entry in the old format (JSON only).
    try Data(forged.utf8).write(to: entry)
    r = try render(p, cacheReport(na: false))
    XCTAssertEqual(r.cacheHits, 0)
    XCTAssertEqual(r.html, first.html)
    // A valid entry copied under another directive's key name is refused too.
    let cache = ResultCache(folder: entry.deletingLastPathComponent(), key: other.key)
    cache.store("a", DirectiveOutput(result: .number(1)))
    try FileManager.default.copyItem(at: entry.deletingLastPathComponent().appendingPathComponent("a.json"),
                                     to: entry.deletingLastPathComponent().appendingPathComponent("b.json"))
    XCTAssertNotNil(cache.load("a"))
    XCTAssertNil(cache.load("b"))
  }

  func testKeyFileIsPrivateAndStable() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-key-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: dir)
    let k1 = try ResultCache.userKey(in: dir)
    let k2 = try ResultCache.userKey(in: dir)
    XCTAssertEqual(k1.withUnsafeBytes { Array($0) }, k2.withUnsafeBytes { Array($0) })
    let attrs = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("cache-key").path)
    XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    // A key file that is not 32 bytes is an error, not replaced.
    try Data("short".utf8).write(to: dir.appendingPathComponent("cache-key"))
    XCTAssertThrowsError(try ResultCache.userKey(in: dir))
    let sink = DiagnosticSink(file: "r.md")
    XCTAssertNil(ResultCache.make(folder: dir, keyDirectory: dir, sink: sink))
    XCTAssertNil(ResultCache.make(folder: dir, keyDirectory: nil, sink: sink))
    XCTAssertLessThanOrEqual(sink.items.filter { $0.code == "cache-disabled" }.count, 1, "said once")
  }

  func testKeyDirectoryFollowsXDG() {
    XCTAssertEqual(ResultCache.keyDirectory(environment: ["XDG_CACHE_HOME": "/x/c", "HOME": "/h"])?.path, "/x/c/bordin")
    XCTAssertEqual(ResultCache.keyDirectory(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"])?.path, "/h/.cache/bordin")
    XCTAssertNil(ResultCache.keyDirectory(environment: [:]))
  }

  // MARK: 5. Memory bombs

  func testDoublingBibStringsAreCapped() throws {
    var bib = "@string{s0 = \"ab\"}\n"
    for i in 1...40 { bib += "@string{s\(i) = s\(i - 1) # s\(i - 1)}\n" }
    bib += "@misc{k, author={A, B}, title=s40, year={2020}}\n"
    XCTAssertLessThan(bib.utf8.count, 1400)
    XCTAssertThrowsError(try BibTeX.parse(bib)) { e in
      XCTAssertTrue((e as! BibTeX.ParseError).message.contains("@string"), "\(e)")
    }
    // Short macros still expand.
    let ok = try BibTeX.parse("@string{j = \"Journal\"}\n@article{k, journal = j # \" of X\", title={T}}")
    XCTAssertEqual(ok[0]["journal"], "Journal of X")
  }

  func testPasteDoublingInDeriveIsADiagnostic() throws {
    let p = TestProject()
    p.write("d.csv", "a\n1\n")
    var derive = "  s0: as_character(a)\n"
    for i in 1...26 { derive += "  s\(i): paste0(s\(i - 1), s\(i - 1))\n" }
    let start = Date()
    let errs = p.errors("""
    ---
    data:
      d: d.csv
    ---

    ```{data #x}
    from: d
    derive:
    \(derive)```
    """)
    XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    XCTAssertEqual(errs.map(\.code), ["data-too-large"])
    XCTAssertTrue(errs[0].message.contains("limit of 1 MiB"), errs[0].message)
    XCTAssertGreaterThan(errs[0].line, 8)
  }

  // MARK: 6. Numeric options are range-checked before conversion

  func testHugeNumericOptionsAreLocatedDiagnostics() throws {
    let p = TestProject()
    p.write("d.csv", "id,x,y,yi,vi\n1,1,2,0.1,0.01\n2,2,3,0.2,0.02\n3,3,5,0.3,0.03\n4,4,4,0.25,0.01\n")
    let cases: [(String, String, String)] = [
      ("table", "data: d\nrows: 1e30", "rows"),
      ("table", "data: d\ndigits: 9223372036854775807", "digits"),
      ("table", "data: d\nrows: 2.5", "rows"),
      ("meta", "data: d\nyi: yi\nvi: vi\nmaxiter: 1e19", "maxiter"),
      ("plot", "type: scatter\ndata: d\nx: x\ny: y\nwidth: 1e30", "width"),
      ("plot", "type: scatter\ndata: d\nx: x\ny: y\nheight: -3", "height"),
    ]
    for (kind, body, option) in cases {
      let errs = p.errors("---\ndata:\n  d: d.csv\n---\n\n```{\(kind)}\n\(body)\n```\n")
      XCTAssertEqual(errs.map(\.code), ["option-value"], body)
      XCTAssertTrue(errs.first?.message.contains("'\(option)'") ?? false, "\(errs)")
      XCTAssertEqual(errs.first?.line, 6 + body.split(separator: "\n").count, body)
    }
  }

  func testCheckedInteger() {
    XCTAssertEqual(checkedInteger(3, in: 0...10), 3)
    XCTAssertNil(checkedInteger(1e30, in: 0...Int.max))
    XCTAssertNil(checkedInteger(9223372036854775807, in: 0...Int.max))
    XCTAssertNil(checkedInteger(.nan, in: 0...10))
    XCTAssertNil(checkedInteger(.infinity, in: 0...10))
    XCTAssertNil(checkedInteger(2.5, in: 0...10))
    XCTAssertNil(checkedInteger(11, in: 0...10))
  }

  func testHugeInlineDigitsAndWaves() throws {
    let p = TestProject()
    p.write("d.csv", "x1,x2,y1,y2\n1,2,3,4\n2,3,4,6\n3,5,5,5\n4,4,7,8\n5,6,6,9\n")
    var errs = p.errors("""
    ---
    data:
      d: d.csv
    ---

    ```{describe #s}
    data: d
    vars: [x1]
    ```

    Mean `{s.vars[x1].mean | 99999999999}` and `{s.vars[x1].mean | 1e30}`.
    """)
    XCTAssertEqual(errs.map(\.code), ["inline-value", "inline-value"])
    XCTAssertTrue(errs[0].message.contains("0 to 15"), errs[0].message)
    errs = p.errors("---\ndata:\n  d: d.csv\n---\n\n```{clpm #c}\ndata: d\nx: x\ny: y\nwaves: 9223372036854775807\n```\n")
    XCTAssertEqual(errs.map(\.code), ["option-value"])
    XCTAssertEqual(errs.first?.line, 10)
  }

  // MARK: NUL and other C0 controls

  func testNULInCSVCellAndParamKeepsTheTable() throws {
    let p = TestProject()
    p.write("d.csv", "a,b\nx\u{0}y,1\nz,2\n")
    let r = try XCTUnwrap(try? p.render("""
    ---
    params:
      p: "a\\0b\\u0007c"
    data:
      d: d.csv
    ---

    ```{table}
    data: d
    ```

    Param `{params.p}` end.
    """).get())
    XCTAssertTrue(r.html.contains("<tr><th scope=\"row\">x\u{FFFD}y</th><td>1</td></tr>\n<tr><th scope=\"row\">z</th><td>2</td></tr>"), r.html)
    XCTAssertTrue(r.html.contains(">a\u{FFFD}b\u{FFFD}c</span> end."))
    XCTAssertFalse(r.html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
    XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)))
  }

  func testNULInDirectiveHTMLDoesNotTruncateTheRenderedDocument() {
    let doc = MarkdownDocument("```{table}\nx\n```\n\nafter `{a.b}`\n")
    let h = doc.render(blocks: [0: "<table><tr><td>a\u{0}b</td></tr></table>"], spans: [0: "<b>c\u{0}d</b>"],
                       reference: { _ in nil }, unsafeHTML: false)
    XCTAssertTrue(h.contains("<td>a\u{FFFD}b</td></tr></table>"), h)
    XCTAssertTrue(h.contains("after <b>c\u{FFFD}d</b>"), h)
  }

  func testEscapeHTMLReplacesControlCharacters() {
    XCTAssertEqual(escapeHTML("a\u{0}b\u{1B}c\u{FFFE}\td\ne"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}\td\ne")
  }

  // MARK: Atom feed

  func testFeedDateIsValidatedAndFieldsAreValidXML() throws {
    let p = TestProject()
    var errs = p.errors("---\ntitle: t\ndate: \"2022-12-01</updated><x>\"\n---\n\nHi\n")
    XCTAssertEqual(errs.map(\.code), ["front-matter-date"])
    XCTAssertEqual(errs.first?.line, 3)
    errs = p.errors("---\ntitle: t\ndate: \"{params.m}-01\"\nparams:\n  m: \"2022-13\"\n---\n\nHi\n")
    XCTAssertEqual(errs.map(\.code), ["front-matter-date"])
    XCTAssertTrue(try p.render("---\ntitle: t\ndate: \"{params.m}-01\"\nparams:\n  m: \"2022-12\"\n---\n\nHi\n").get().date == "2022-12-01")
    for good in ["2022-12-01", "2022-12-01T10:00:00Z", "2022-12-01T10:00:00.5+02:00"] { XCTAssertTrue(FrontMatter.isISODate(good), good) }
    for bad in ["2022-12", "12/01/2022", "2022-12-01T10:00", "2022-12-01 10:00:00Z", "2022-02-30x", "<x>"] { XCTAssertFalse(FrontMatter.isISODate(bad), bad) }

    let r = RenderedReport(html: "", resultsJSON: "", warnings: [], title: "T\u{0}i\u{1F}tle <b>", date: "2022-12-01",
                           topics: ["a\u{7}b"], summary: "S\u{1}um", author: "A\u{0}")
    let feed = Site(title: "Blog\u{8}", url: nil, entries: [.init(file: "r.html", report: r)]).feed()
    let parser = XMLParser(data: Data(feed.utf8))
    XCTAssertTrue(parser.parse(), "\(String(describing: parser.parserError))\n\(feed)")
    XCTAssertTrue(feed.contains("<updated>2022-12-01T00:00:00Z</updated>"))
  }

  // MARK: CRLF and lone CR

  func testCRLFAndCRReportsKeepFrontMatterAndLines() throws {
    let p = TestProject()
    for eol in ["\r\n", "\r"] {
      let html = p.html(["---", "title: x", "---", "Hi"].joined(separator: eol) + eol)
      XCTAssertTrue(html.contains("<h1>x</h1>"), eol.debugDescription)
      XCTAssertFalse(html.contains("<hr />"))
      XCTAssertFalse(html.contains("title: x"))
    }
    p.write("d.csv", "x,y\r\n1,2\r\n2,3\r\n3,5\r\n")
    let src = ["---", "data:", "  d: d.csv", "---", "", "```{describe #s}", "data: d", "vars: [x]", "```", "",
               "Mean `{s.vars[x].mean | 1}`, @k.", "", "```{table}", "data: d", "rows: -1", "```", ""]
    let r = p.render(src.joined(separator: "\r\n"))
    guard case .failure(let e) = r else { return XCTFail("rows: -1 must fail") }
    XCTAssertEqual(e.diagnostics.map(\.line), [15])
    XCTAssertEqual(e.diagnostics.map(\.column), [7])
    let ok = p.html(src.dropLast(3).joined(separator: "\r\n") + "\r\n```\r\n")
    XCTAssertTrue(ok.contains(">2.0</span>"), ok)
    XCTAssertEqual(FrontMatter.normalizingLineEndings("a\r\nb\rc\n\r\n"), "a\nb\nc\n\n")
  }

  func testCRLFBibTeXReportsTheRightLine() {
    for eol in ["\r\n", "\r", "\n"] {
      let bib = ["@misc{a, title={A}}", "", "@misc{b, title={B}", ""].joined(separator: eol)
      XCTAssertThrowsError(try BibTeX.parse(bib)) { e in
        XCTAssertEqual((e as! BibTeX.ParseError).line, 3, eol.debugDescription)
      }
      XCTAssertEqual(try BibTeX.parse(["@misc{a,", "  title={A", "B}}"].joined(separator: eol)).first?["title"], "A B")
    }
  }

  /// The fuzz hooks' invariants hold on their seed corpora (so CI runs them without libFuzzer).
  func testFuzzHooksOnTheirSeeds() throws {
    let corpus = repositoryRoot.appendingPathComponent("Fuzz/corpus")
    let fm = FileManager.default
    let bibs = try fm.contentsOfDirectory(atPath: corpus.appendingPathComponent("bibtex").path).sorted()
    XCTAssertGreaterThanOrEqual(bibs.count, 3)
    var entries = 0
    for f in bibs { entries += BibTeXFuzz.check(try String(contentsOf: corpus.appendingPathComponent("bibtex/\(f)"), encoding: .utf8)) }
    XCTAssertEqual(entries, 1 + 4 + 0)  // the doubling seed is refused
    let fms = try fm.contentsOfDirectory(atPath: corpus.appendingPathComponent("frontmatter").path).sorted()
    XCTAssertGreaterThanOrEqual(fms.count, 4)
    for f in fms { FrontMatterFuzz.check(try String(contentsOf: corpus.appendingPathComponent("frontmatter/\(f)"), encoding: .utf8)) }
  }

  // MARK: Site

  func testSiteLinksAreRelativePathsAndSlugsUnique() throws {
    let mk = { (t: String, topics: [String]) in
      RenderedReport(html: "", resultsJSON: "", warnings: [], title: t, date: "2022-12-01", topics: topics, summary: nil, author: nil)
    }
    let site = Site(title: "S", url: nil, entries: [
      .init(file: "javascript:alert(document.domain);x.html", report: mk("J", ["A B"])),
      .init(file: "b c.html", report: mk("K", ["a-b", "a/b"])),
    ])
    let files = site.files()
    let paths = files.map(\.path)
    XCTAssertEqual(Set(paths).count, paths.count)
    XCTAssertEqual(Set(paths.filter { $0.hasPrefix("topics/") }), ["topics/a-b.html", "topics/a-b-2.html", "topics/a-b-3.html"])
    let index = files.first { $0.path == "index.html" }!.text
    XCTAssertFalse(index.contains("href=\"javascript:"))
    XCTAssertTrue(index.contains("href=\"./javascript%3Aalert%28document.domain%29%3Bx.html\""), index)
    XCTAssertTrue(index.contains("href=\"./b%20c.html\""))
    let topic = files.first { $0.path == "topics/a-b.html" }!.text
    XCTAssertTrue(topic.contains("href=\"../javascript%3Aalert%28document.domain%29%3Bx.html\""))
    let feed = files.first { $0.path == "feed.xml" }!.text
    XCTAssertFalse(feed.contains("href=\"javascript:"))
    XCTAssertTrue(feed.contains("href=\"./javascript%3Aalert"))
    let evil = Site(title: "S", url: "javascript:alert(1)//", entries: site.entries).feed()
    XCTAssertFalse(evil.contains("javascript:"), evil)
    XCTAssertEqual(Site.feedBase("https://x.org/blog"), "https://x.org/blog/")
    XCTAssertEqual(Site.collisions(outputNames: [("index", "index.md"), ("Index", "Index.md"), ("a", "a.md")]).map(\.code),
                   ["site-name-collision", "site-name-collision"])
  }

  func testCLIRefusesAReportNamedIndexInASite() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("reports/index.md", "---\ntitle: mine\n---\n\nHi\n")
    p.write("reports/other.md", "---\ntitle: other\n---\n\nHo\n")
    let proc = Process()
    proc.executableURL = binary
    proc.arguments = ["render", "reports", "--out", "out"]
    proc.currentDirectoryURL = p.root
    let err = Pipe()
    proc.standardError = err
    proc.standardOutput = FileHandle.nullDevice
    try proc.run()
    proc.waitUntilExit()
    XCTAssertEqual(proc.terminationStatus, 1)
    XCTAssertTrue(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("site-name-collision"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("out/index.html").path))
  }
}
