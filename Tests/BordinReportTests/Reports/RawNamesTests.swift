import Foundation
import XCTest

@testable import BordinData
@testable import BordinReport

/// No raw column or term name reaches a reader of an example report (issue 18, item 2): the
/// text readers see in paragraphs, tables, figures (SVG text, title, description), captions, alt text and
/// ARIA labels holds no snake_case name, no R term syntax (`a:b`, `(Intercept)`, lavaan's `~`)
/// and no column header that is a data column's name. Raw names stay in results.json and in
/// prose set as code (`<code>`), and the provenance appendix names the inputs as they are.
final class RawNamesTests: XCTestCase {
  /// The reader-facing texts of a page, before the provenance appendix, without `<code>`.
  static func readerTexts(_ html: String) -> [(kind: String, text: String)] {
    var body = html
    if let r = body.range(of: "id=\"provenance\"") { body = String(body[..<r.lowerBound]) }
    body = replacing(body, #"<code[^>]*>.*?</code>"#, with: "")
    body = replacing(body, #"<(script|style)[^>]*>.*?</\1>"#, with: "")
    var out: [(String, String)] = []
    for attr in ["alt", "aria-label"] {
      for m in matches(body, attr + #"="([^"]*)""#) { out.append((attr, m)) }
    }
    for tag in ["p", "th", "td", "text", "title", "desc", "figcaption", "caption", "li"] {
      for m in matches(body, "<\(tag)(?: [^>]*)?>(.*?)</\(tag)>") {
        out.append((tag, unescape(replacing(m, "<[^>]+>", with: ""))))
      }
    }
    for m in matches(body, #"<th scope="col"[^>]*>(.*?)</th>"#) { out.append(("column header", unescape(replacing(m, "<[^>]+>", with: "")))) }
    return out
  }

  /// What in `text` looks like a raw name, or nil.
  static func rawName(_ text: String, kind: String, columns: Set<String>) -> String? {
    let patterns = [
      #"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b"#,  // snake_case column names
      #"\(Intercept\)|\bintrcpt\b"#,  // R's and metafor's intercept
      #"\b[a-z][a-z0-9.]*:[a-z][a-z0-9.]*\b"#,  // R interaction terms, months:sexgirl
      #" ~~? | =~ "#,  // lavaan operators
    ]
    for p in patterns { if let m = matches(text, "(" + p + ")").first { return m } }
    if kind == "column header", columns.contains(text), text.count > 1 { return text }
    return nil
  }

  /// The column names of the CSV files under data/ (the example reports' sources).
  static func dataColumns() throws -> Set<String> {
    var names = Set<String>()
    let data = repositoryRoot.appendingPathComponent("data")
    let files = FileManager.default.enumerator(at: data, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
    for url in files where url.pathExtension == "csv" {
      let text = try String(contentsOf: url, encoding: .utf8)
      let header = text.prefix { $0 != "\n" && $0 != "\r" }
      names.formUnion(header.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) })
    }
    return names
  }

  func testNoRawNameReachesAReaderOfTheExampleReports() throws {
    let columns = try Self.dataColumns()
    let folder = repositoryRoot.appendingPathComponent("reports")
    let reports = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
    XCTAssertGreaterThanOrEqual(reports.count, 10)
    for name in reports {
      let r = try Renderer.render(file: folder.appendingPathComponent(name), displayPath: "reports/\(name)")
      var found: [String] = []
      for (kind, text) in Self.readerTexts(r.html) {
        if let raw = Self.rawName(text, kind: kind, columns: columns) { found.append("\(kind) \"\(text.prefix(100))\": \(raw)") }
      }
      XCTAssertTrue(found.isEmpty, "\(name): raw names readers see:\n" + Array(Set(found)).sorted().joined(separator: "\n"))
    }
  }

  /// The network's twelve monthly pages (templates/prn-monthly.md over its database).
  func testNoRawNameReachesAReaderOfTheNetworksMonthlyPages() throws {
    let p = TestProject(name)
    let folder = repositoryRoot.appendingPathComponent("templates")
    for f in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where f.hasPrefix("prn-") {
      p.write("templates/\(f)", try String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8))
    }
    var csvs: [String] = []
    for f in ["summaries.csv", "months.csv", "simulated/effects_simulated.csv", "effects_real.csv", "refs.bib"] {
      let url = p.write("data/prn/\(f)", try String(contentsOf: repositoryRoot.appendingPathComponent("data/prn/\(f)"), encoding: .utf8))
      if f.hasSuffix(".csv") { csvs.append(url.path) }
    }
    try DatabaseBuilder.build(database: p.root.appendingPathComponent("data/prn/prn.sqlite").path, csvFiles: csvs)
    let requests = try Batch.requests(files: [p.root.appendingPathComponent("templates/prn-monthly.md")], display: { $0.lastPathComponent },
                                      params: [], paramsFrom: p.root.appendingPathComponent("data/prn/months.csv").path)
    XCTAssertEqual(requests.count, 12)
    let columns = try Self.dataColumns()
    for (req, r) in zip(requests, Batch.render(requests, fragment: false, jobs: 2)) {
      let found = Self.readerTexts(try r.get().html).compactMap { kind, text in
        Self.rawName(text, kind: kind, columns: columns).map { "\(kind) \"\(text.prefix(100))\": \($0)" }
      }
      XCTAssertTrue(found.isEmpty, "\(req.outputName): raw names readers see:\n" + Array(Set(found)).sorted().joined(separator: "\n"))
    }
  }

  func testTheCheckFindsRawNames() {
    let html = """
      <table><thead><tr><th scope="col">design</th></tr></thead><tbody><tr><th scope="row">months:sexgirl</th><td>1</td></tr>
      <tr><th scope="row">(Intercept)</th></tr><tr><th scope="row">Alliance ~ Symptoms</th></tr></tbody></table>
      <svg><text>int_post</text></svg><img alt="bond_child by format"><p>The <code>wai_w</code> column.</p>
      <section id="provenance"><table><tr><th scope="row">raw_name</th></tr></table></section>
      """
    let found = Self.readerTexts(html).compactMap { Self.rawName($0.text, kind: $0.kind, columns: ["design"]) }
    XCTAssertEqual(Set(found), ["design", "months:sexgirl", "(Intercept)", " ~ ", "int_post", "bond_child"])
    XCTAssertNil(Self.rawName("Therapist-rated bond: 10.2 (SD 3.1), p = .032", kind: "td", columns: []))
    XCTAssertNil(Self.rawName("12:30", kind: "td", columns: []))
  }

  // MARK: Regular expressions

  static func matches(_ text: String, _ pattern: String) -> [String] {
    guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
    let ns = text as NSString
    return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
  }

  static func replacing(_ text: String, _ pattern: String, with: String) -> String {
    guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return text }
    return re.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length), withTemplate: with)
  }

  static func unescape(_ s: String) -> String {
    s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
  }
}
