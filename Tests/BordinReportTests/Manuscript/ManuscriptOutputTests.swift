import Foundation
import XCTest

@testable import BordinReport

/// `--to docx,pdf` on `reports/molloy-2014.md` (issue 23): the Word file has a Word table for
/// every table of the page, an embedded picture for every figure and every computed number
/// of the page in its text; the PDF holds the title and every table caption; the page written
/// beside them is the page an HTML-only render writes. Skipped, with a message, where pandoc,
/// rsvg-convert, Chromium or pdftotext are not installed (`.ci/run` installs them).
final class ManuscriptOutputTests: XCTestCase {
  static let report = repositoryRoot.appendingPathComponent("reports/molloy-2014.md")

  func render(_ source: String? = nil) throws -> RenderedReport {
    if let source {
      return try Renderer.render(source: Data(source.utf8), file: Self.report, displayPath: "reports/molloy-2014.md")
    }
    return try Renderer.render(file: Self.report, displayPath: "reports/molloy-2014.md")
  }

  func require(_ tools: ExternalTool...) throws {
    for t in tools where t.locate() == nil {
      throw XCTSkip("\(t.names[0]) is not installed (\(t.install)); the \(t.purpose) test is skipped")
    }
  }

  /// Occurrences of `needle` in `text`.
  func count(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
  }

  /// `s` with every run of white space one space (a PDF's text wraps at line ends).
  func squeezed(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  func testWordHasEveryTableFigureAndNumberOfThePage() throws {
    try require(.pandoc, .rsvgConvert)
    for style in ManuscriptStyle.allCases {
      let source = try String(contentsOf: Self.report, encoding: .utf8)
        .replacingOccurrences(of: "date: 2026-11-20\n", with: "date: 2026-11-20\nformat: \(style.rawValue)\n")
      let r = try render(source)
      XCTAssertEqual(r.manuscript.style, style)
      let docx = try DocxWriter.write(page: r.html, info: r.manuscript)
      let xml = String(decoding: try DocumentText.zipEntry(docx, name: "word/document.xml"), as: UTF8.self)
      XCTAssertEqual(count("<w:tbl>", in: xml), count("<table", in: r.html), "\(style): one Word table per HTML table")
      XCTAssertGreaterThanOrEqual(count("<table class=\"apa\"", in: r.html), 3)
      let figures = count("<figure", in: r.html)
      XCTAssertEqual(figures, 2)
      XCTAssertEqual(count("<w:drawing>", in: xml), figures, "\(style): one picture per figure")
      let media = try ZipArchive.entries(docx).filter { $0.name.hasPrefix("word/media/") }
      XCTAssertEqual(media.count, figures)
      for m in media { XCTAssertEqual(Array(m.bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "\(m.name) is a PNG") }
      let text = DocumentText.wordText(Array(xml.utf8))
      let values = ComputedValues.extract(r.html)
      XCTAssertGreaterThan(values.count, 90)
      for v in values where !v.text.isEmpty {
        XCTAssertTrue(text.contains(v.text), "\(style): value \(v.ref) '\(v.text)' is not in the Word text")
      }
      for n in 1...3 { XCTAssertTrue(text.contains("Table \(n)\n"), "\(style): Table \(n) has its own number paragraph") }
      XCTAssertTrue(text.contains("Note. "), "\(style): table notes")
      XCTAssertTrue(xml.contains("<w:pStyle w:val=\"TableNumber\" />") && xml.contains("<w:pStyle w:val=\"FigureTitle\" />"))
      XCTAssertTrue(xml.contains("<w:pStyle w:val=\"Heading1\" />"), "the page's ## headings are APA level 1")
      XCTAssertTrue(xml.contains("w:headerReference"), "running head and page number")
      let cells = count("<w:tc>", in: xml)
      XCTAssertEqual(count("<w:pStyle w:val=\"Compact\" /><w:keepNext />", in: xml), cells, "\(style): every cell keeps with the next, so a table that fits is not split")
      // Manuscript: the tables and figures follow the text.
      let lastText = text.range(of: "Trim-and-fill")!.lowerBound, table1 = text.range(of: "Table 1\n")!.lowerBound
      XCTAssertEqual(table1 > lastText, style == .apaManuscript, "\(style): where Table 1 stands")
      if style == .apaManuscript {
        XCTAssertTrue(text.contains("Abstract\n"))
        XCTAssertTrue(String(decoding: try DocumentText.zipEntry(docx, name: "word/header1.xml"), as: UTF8.self).contains("CONSCIENTIOUSNESS AND MEDICATION ADHERENCE"))
        let styles = String(decoding: try DocumentText.zipEntry(docx, name: "word/styles.xml"), as: UTF8.self)
        XCTAssertTrue(styles.contains("w:line=\"480\""), "double spacing")
      }
      XCTAssertEqual(try DocxWriter.write(page: r.html, info: r.manuscript), docx, "\(style): same page, same bytes")
      let core = String(decoding: try DocumentText.zipEntry(docx, name: "docProps/core.xml"), as: UTF8.self)
      XCTAssertTrue(core.contains("2026-11-20T12:00:00Z"), "dated by the report, not the clock: \(core)")
    }
  }

  func testPDFHoldsTheTitleAndEveryTableCaption() throws {
    try require(.chromium)
    guard ExternalTool(names: ["pdftotext"], purpose: "PDF text", install: "apt-get install poppler-utils").locate() != nil else {
      throw XCTSkip("pdftotext is not installed (apt-get install poppler-utils); the PDF test is skipped")
    }
    let r = try render()
    let pdf = try PDFWriter.write(page: r.html, info: r.manuscript)
    XCTAssertEqual(Array(pdf.prefix(5)), Array("%PDF-".utf8))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-manuscript-\(ProcessInfo.processInfo.processIdentifier).pdf")
    try Data(pdf).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let text = squeezed(try DocumentText.read(path: url.path).text)
    XCTAssertTrue(text.contains(squeezed(r.title)), "title")
    var captions = 0
    var rest = Substring(r.html)
    while let c = ManuscriptLayout.element(in: rest, open: "<caption>", close: "</caption>") {
      let plain = squeezed(ComputedValues.unescape(ComputedValues.stripTags(ManuscriptLayout.span("bordin-caption", in: rest[c]) ?? "")))
      let number = ManuscriptLayout.span("bordin-number", in: rest[c])
      if let number {
        XCTAssertTrue(text.contains(number), "\(number) is in the PDF")
        XCTAssertTrue(text.contains(plain), "caption '\(plain)' is in the PDF")
        captions += 1
      }
      rest = rest[c.upperBound...]
    }
    XCTAssertEqual(captions, 3)
    XCTAssertTrue(text.contains("CONSCIENTIOUSNESS AND MEDICATION ADHERENCE"), "running head")
    XCTAssertTrue(String(decoding: pdf, as: UTF8.self).contains("/CreationDate (D:20261120120000+00'00')"), "dated by the report")
  }

  /// The page and record written beside a Word and a PDF file: the page an HTML-only render
  /// writes, byte for byte (so it is as valid as ever), and it verifies.
  func testThePageStaysCanonicalAndVerifies() throws {
    try require(.pandoc, .rsvgConvert)
    let r = try render()
    let outputs = try ManuscriptOutputs.make([.html, .docx], report: r, baseName: "molloy-2014", file: "reports/molloy-2014.md")
    XCTAssertEqual(outputs.map(\.file), ["molloy-2014.docx"])
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-canonical-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try Output.writeAtomically(outputs[0].bytes, to: folder.appendingPathComponent("molloy-2014.docx"))
    try Output.writePair(html: r.html, to: folder.appendingPathComponent("molloy-2014.html"),
                         record: r.recording(outputs: outputs), to: folder.appendingPathComponent("molloy-2014.results.json"))
    XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("molloy-2014.html"), encoding: .utf8), try render().html)
    let v = Verifier.verify(html: folder.appendingPathComponent("molloy-2014.html"), currentDirectory: repositoryRoot)
    XCTAssertEqual(v.verdict, .identical, v.differences.joined(separator: "\n"))
    XCTAssertEqual(v.outputs, ["output molloy-2014.docx: as written by this render (SHA-256 \(outputs[0].sha256.prefix(12))…)"])
  }

  /// Runs the built `bordin` in `dir` with `PATH` set to `path`.
  func bordin(_ args: [String], in dir: URL, path: String) throws -> BordinRun {
    let p = Process()
    p.executableURL = bordinBinary
    p.arguments = args
    p.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["PATH"] = path
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return BordinRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
  }

  static let small = "---\ntitle: Small\ndate: 2022-12-01\ndata:\n  d: data/d.csv\n---\n\n```{describe #m}\ndata: d\nvars: x\n```\n\nMean `{m.vars[0].mean}`.\n"

  func testMissingToolsExitOneBeforeAnythingIsWritten() throws {
    let p = TestProject()
    p.write("data/d.csv", "x\n1\n2\n")
    p.write("report.md", Self.small)
    let run = try bordin(["render", "report.md", "--to", "docx,pdf"], in: p.root, path: "/nonexistent")
    XCTAssertEqual(run.status, 1, run.stderr)
    XCTAssertTrue(run.stderr.contains("report.md:1:1: error[missing-tool]: Word output (--to docx) needs pandoc"), run.stderr)
    XCTAssertTrue(run.stderr.contains("remedy: install it: apt-get install pandoc librsvg2-bin"), run.stderr)
    XCTAssertTrue(run.stderr.contains("PDF output (--to pdf) needs chromium"), run.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("_out").path), "nothing written")
    let typo = try bordin(["render", "report.md", "--to", "html,dox"], in: p.root, path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
    XCTAssertEqual(typo.status, 2, "an unknown --to format is a usage error")
    XCTAssertTrue(typo.stderr.contains("did you mean 'docx'?"), typo.stderr)
    let fragment = try bordin(["render", "report.md", "--fragment", "--to", "pdf"], in: p.root, path: "/usr/bin:/bin")
    XCTAssertEqual(fragment.status, 2)
  }

  func testCommandLineWritesEachFormatAndRecordsItsHash() throws {
    try require(.pandoc, .rsvgConvert, .chromium)
    let p = TestProject()
    p.write("data/d.csv", "x\n1\n2\n")
    p.write("report.md", Self.small)
    let run = try bordin(["render", "report.md", "--to", "html,docx,pdf"], in: p.root, path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    XCTAssertEqual(run.status, 0, run.stderr)
    let out = p.root.appendingPathComponent("_out")
    let record = try RecordJSON.parse([UInt8](try Data(contentsOf: out.appendingPathComponent("report.results.json"))))
    guard case .array(let items)? = record["render"]?["outputs"] else { return XCTFail("no render.outputs") }
    XCTAssertEqual(items.compactMap { $0["format"]?.string }, ["docx", "pdf"])
    for item in items {
      let file = try XCTUnwrap(item["file"]?.string)
      let bytes = try Data(contentsOf: out.appendingPathComponent(file))
      XCTAssertEqual(item["sha256"]?.string, sha256Hex(bytes), file)
    }
    let verify = try bordin(["verify", "_out/report.html"], in: p.root, path: "/usr/bin:/bin")
    XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    XCTAssertTrue(verify.stdout.contains("verified: identical"), verify.stdout)
    XCTAssertTrue(verify.stdout.contains("note: output report.pdf: as written by this render"), verify.stdout)
  }

  /// Citations and the reference list reach Word as the page prints them: the in-text
  /// citations in the paragraph, each reference an entry in the hanging-indent style.
  func testWordHasTheCitationsAndReferenceList() throws {
    try require(.pandoc, .rsvgConvert)
    let p = TestProject()
    p.write("refs.bib", """
      @article{flueckiger2018, author = {Fl{\\"u}ckiger, Christoph and Del Re, A. C. and Wampold, Bruce E. and Horvath, Adam O.},
        title = {The alliance in adult psychotherapy: A meta-analytic synthesis}, journal = {Psychotherapy}, volume = 55, number = {4},
        pages = {316--340}, year = 2018, doi = {10.1037/pst0000172}}
      @phdthesis{shirk1990, author = {Stephen Shirk and Anna Saiz}, title = {Alliance in child therapy}, school = {University of Denver}, year = 1990}
      """)
    for style in ManuscriptStyle.allCases {
      let r = try p.render("---\ntitle: Cited\nformat: \(style.rawValue)\nbibliography: refs.bib\n---\n\n## Method\n\nAlliance predicts outcome [@flueckiger2018]. As @shirk1990 noted.\n").get()
      let docx = try DocxWriter.write(page: r.html, info: r.manuscript)
      let xml = String(decoding: try DocumentText.zipEntry(docx, name: "word/document.xml"), as: UTF8.self)
      let text = DocumentText.wordText(Array(xml.utf8))
      let body = ComputedValues.unescape(ComputedValues.stripTags(String(r.html[r.html.range(of: "Alliance predicts")!.lowerBound...].prefix { $0 != "\n" })))
      XCTAssertTrue(text.contains(body.replacingOccurrences(of: "</p>", with: "")), "\(style): '\(body)' in\n\(text)")
      XCTAssertTrue(text.contains("References\n"), text)
      XCTAssertEqual(count("<w:pStyle w:val=\"Bibliography\" />", in: xml), 2)
      var rest = Substring(r.html)
      var entries = 0
      while let a = rest.range(of: "<p class=\"bordin-reference\""), let gt = rest[a.upperBound...].firstIndex(of: ">"), let b = rest[gt...].range(of: "</p>") {
        let entry = ComputedValues.unescape(ComputedValues.stripTags(String(rest[rest.index(after: gt)..<b.lowerBound])))
        XCTAssertTrue(text.contains(entry), "\(style): reference '\(entry)' in\n\(text)")
        entries += 1
        rest = rest[b.upperBound...]
      }
      XCTAssertEqual(entries, 2)
    }
  }

  func testImagesOutsideThePageAreNeitherFetchedNorEmbedded() throws {
    try require(.pandoc, .rsvgConvert)
    let p = TestProject()
    let r = try p.render("---\ntitle: Images\n---\n\n![A logo](http://127.0.0.1:9/logo.png) and ![a file](/etc/hostname).\n").get()
    let docx = try DocxWriter.write(page: r.html, info: r.manuscript)
    XCTAssertEqual(try ZipArchive.entries(docx).filter { $0.name.hasPrefix("word/media/") }.count, 0)
    let text = DocumentText.wordText(try DocumentText.zipEntry(docx, name: "word/document.xml"))
    XCTAssertTrue(text.contains("[A logo] and [a file]."), text)
  }
}
