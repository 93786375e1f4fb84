import Foundation
import XCTest

@testable import BordinReport

/// The pieces of `--to docx,pdf` that need no external program: option parsing, the
/// `format:` front-matter key, the running head, dates, ZIP, the manuscript layout, the
/// record's `render.outputs` and what `bordin verify` says of them.
final class ManuscriptPartsTests: XCTestCase {
  func testToParsesCommaListsAlwaysWithHTMLInFixedOrder() throws {
    XCTAssertEqual(try OutputFormat.parse([]).get(), [.html])
    XCTAssertEqual(try OutputFormat.parse(["pdf,docx"]).get(), [.html, .docx, .pdf])
    XCTAssertEqual(try OutputFormat.parse(["docx", "html", "DOCX"]).get(), [.html, .docx])
    guard case .failure(let e) = OutputFormat.parse(["html,dox"]) else { return XCTFail("'dox' accepted") }
    XCTAssertTrue(e.description.contains("got 'dox'; did you mean 'docx'?"), e.description)
    guard case .failure = OutputFormat.parse(["html,"]) else { return XCTFail("an empty name accepted") }
  }

  func testUnknownFormatInFrontMatterIsALocatedError() {
    let p = TestProject()
    let errors = p.errors("---\ntitle: T\nformat: apa-manuscrpt\n---\n\nText.\n")
    XCTAssertEqual(errors.count, 1)
    XCTAssertEqual(errors.first?.line, 3)
    XCTAssertEqual(errors.first?.code, "front-matter")
    XCTAssertTrue(errors.first?.message.contains("did you mean 'apa-manuscript'?") ?? false, errors.first?.message ?? "")
    XCTAssertEqual(p.errors("---\nformat: [apa-manuscript]\n---\n\nText.\n").first?.code, "front-matter")
  }

  func testManuscriptFrontMatterReachesTheRenderedReport() throws {
    let p = TestProject()
    let r = try p.render("---\ntitle: \"Alliance: a study\"\ndate: 2022-12-01\nformat: apa-manuscript\nabstract: We asked.\n---\n\nText.\n").get()
    XCTAssertEqual(r.manuscript.style, .apaManuscript)
    XCTAssertEqual(r.manuscript.abstract, "We asked.")
    XCTAssertEqual(r.manuscript.runningHead, "ALLIANCE")
    let plain = try p.render("---\ntitle: T\nsummary: In short.\n---\n\nText.\n").get()
    XCTAssertEqual(plain.manuscript.style, .report)
    XCTAssertEqual(plain.manuscript.abstract, "In short.", "the summary stands in for a missing abstract")
  }

  func testRunningHeadIsAtMostFiftyCapitalsCutAtAWord() {
    XCTAssertEqual(ManuscriptInfo.runningHead(given: "Short one", title: "x"), "SHORT ONE")
    let long = "Conscientiousness and medication adherence in a very large sample of adults — a meta-analysis"
    let head = ManuscriptInfo.runningHead(given: nil, title: long)
    XCTAssertEqual(head, "CONSCIENTIOUSNESS AND MEDICATION ADHERENCE IN A")
    XCTAssertLessThanOrEqual(head.count, 50)
    XCTAssertEqual(ManuscriptInfo.runningHead(given: nil, title: String(repeating: "x", count: 60)).count, 50)
  }

  /// 2026-11-20 12:00 UTC is 1795176000 s after 1970 (Python: datetime(2026,11,20,12,tzinfo=utc).timestamp()).
  func testDatesAreTheReportsDateAtNoonUTC() {
    let info = ManuscriptInfo(title: "", author: nil, date: "2026-11-20", abstract: nil, runningHead: "", style: .report, lang: "en")
    XCTAssertEqual(info.epoch, 1_795_176_000)
    XCTAssertEqual(PDFWriter.pdfDate(1_795_176_000), "D:20261120120000+00'00'")
    XCTAssertEqual(PDFWriter.pdfDate(0), "D:19700101000000+00'00'")
    XCTAssertEqual(PDFWriter.pdfDate(951_782_400), "D:20000229000000+00'00'")
    var undated = info
    undated.date = nil
    XCTAssertEqual(undated.epoch, 0)
  }

  func testPDFDatesAreReplacedInPlace() {
    let pdf = Array("%PDF-1.4\n<< /CreationDate (D:20261202161956+00'00')\n/ModDate (D:20261202161956+00'00')>>\n".utf8)
    let out = PDFWriter.stamped(pdf, epoch: 0)
    XCTAssertEqual(out.count, pdf.count)
    XCTAssertEqual(String(decoding: out, as: UTF8.self), "%PDF-1.4\n<< /CreationDate (D:19700101000000+00'00')\n/ModDate (D:19700101000000+00'00')>>\n")
  }

  func testZipWrittenStoredReadsBackAndHasTheStandardCRC() throws {
    XCTAssertEqual(ZipArchive.crc32(Array("123456789".utf8)), 0xCBF4_3926)
    let entries = [ZipArchive.Entry(name: "[Content_Types].xml", bytes: Array("<Types/>".utf8)),
                   ZipArchive.Entry(name: "word/document.xml", bytes: Array("<w:document>ü</w:document>".utf8)),
                   ZipArchive.Entry(name: "empty", bytes: [])]
    let zip = ZipArchive.stored(entries)
    XCTAssertEqual(try ZipArchive.entries(zip), entries)
    XCTAssertEqual(ZipArchive.stored(entries), zip, "deterministic")
    XCTAssertThrowsError(try ZipArchive.entries(Array(zip.prefix(20))))
  }

  func testManuscriptLayoutPutsReferencesThenTablesThenFigures() {
    let page = """
      <html><head></head><body><main>
      <header class="bordin-title">\n<h1>T</h1>\n</header>
      <p>Intro</p>
      <figure class="bordin-figure" id="fig-a"><figcaption><span class="bordin-number">Figure 1</span><span class="bordin-caption">Fig</span></figcaption><svg viewBox="0 0 640 400"></svg></figure>
      <p>Middle</p>
      <table class="apa" id="tbl-a"><caption><span class="bordin-number">Table 1</span><span class="bordin-caption">Cap</span></caption><tbody><tr><td>1</td></tr></tbody></table>
      <section class="bordin-references" id="references">\n<h2>References</h2>\n<p class="bordin-reference" id="ref-a">A. (2000).</p>\n</section>
      <section class="bordin-provenance" id="provenance">\n<h2>Provenance</h2>\n</section>
      </main></body></html>
      """
    let kept = ManuscriptLayout(page: page, moveFloats: false)
    XCTAssertTrue(kept.header.hasPrefix("<header class=\"bordin-title\">"))
    XCTAssertTrue(kept.body.contains("<figure") && kept.body.contains("<table"))
    XCTAssertTrue(kept.floats.isEmpty)
    let moved = ManuscriptLayout(page: page, moveFloats: true)
    XCTAssertFalse(moved.body.contains("<figure") || moved.body.contains("<table"))
    XCTAssertTrue(moved.body.contains("Intro") && moved.body.contains("Middle"))
    XCTAssertEqual(moved.floats.count, 2)
    XCTAssertTrue(moved.floats[0].hasPrefix("<table"), "APA 7 §2.14: tables before figures")
    XCTAssertTrue(moved.references.contains("References"))
    XCTAssertTrue(moved.appendix.contains("Provenance"))

    let word = DocxWriter.pandocHTML(page: page, info: ManuscriptInfo(title: "T", author: nil, date: nil, abstract: "Abs",
                                                                        runningHead: "T", style: .apaManuscript, lang: "en")) { _ in ("figure-1.png", 6.5) }
    let order = ["Abstract Heading", "Manuscript Title", "Intro", "References Heading", "Table Number", "Figure Number", "Provenance"]
    let positions = order.map { word.range(of: $0)?.lowerBound }
    XCTAssertFalse(positions.contains(nil), word)
    XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), word)
    XCTAssertTrue(word.contains("<img src=\"figure-1.png\" alt=\"Figure\" width=\"6.50in\">"), word)
    XCTAssertFalse(word.contains("<caption>"))
  }

  func testInternalLinksBecomeTextExternalOnesStay() {
    let h = "<p><a class=\"bordin-xref\" href=\"#tbl-a\">Table&nbsp;1</a> and <a href=\"https://doi.org/x\">doi</a>.</p>"
    XCTAssertEqual(DocxWriter.plainLinks(h), "<p>Table&nbsp;1 and <a href=\"https://doi.org/x\">doi</a>.</p>")
  }

  func testTableColumnsGetWidthsAndNumbersAlignRight() {
    let t = "<table class=\"apa\">\n<thead>\n<tr><th scope=\"col\">Study</th><th scope=\"col\">r</th></tr>\n</thead>\n<tbody>\n<tr><th scope=\"row\">Axelsson et al. 2009</th><td data-ref=\"x\">.19</td></tr>\n</tbody>\n</table>"
    let out = DocxWriter.columns(t)
    XCTAssertTrue(out.contains("<colgroup><col style=\"width: 83.3%\"><col style=\"width: 16.7%\"></colgroup>"), out)
    XCTAssertTrue(out.contains("<th scope=\"col\">Study</th><th scope=\"col\" align=\"right\">r</th>"), out)
    XCTAssertTrue(out.contains("<td align=\"right\" data-ref=\"x\">.19</td>"), out)
  }

  func testMissingToolNamesTheInstallCommand() {
    XCTAssertNil(ExternalTool.pandoc.locate(environment: ["PATH": "/nonexistent"]))
    XCTAssertThrowsError(try ExternalTool.pandoc.require(environment: ["PATH": "/nonexistent"])) { e in
      let f = e as? ExternalTool.Failure
      XCTAssertEqual(f?.code, "missing-tool")
      XCTAssertEqual(f?.remedy?.contains("apt-get install pandoc librsvg2-bin"), true, f?.remedy ?? "")
    }
    XCTAssertThrowsError(try ExternalTool.chromium.require(environment: ["PATH": ""])) { e in
      XCTAssertEqual((e as? ExternalTool.Failure)?.remedy?.contains("apt-get install chromium"), true)
    }
  }

  /// `render.outputs` is entered in the record's `render` block, which verify does not compare:
  /// the pair verifies, and verify notes each output as written, changed or missing.
  func testRecordedOutputsVerifyAndAreNoted() throws {
    let p = TestProject()
    p.write("data/d.csv", "x\n1\n2\n3\n")
    let r = try p.render("---\ntitle: T\ndata:\n  d: data/d.csv\n---\n\n```{describe #m}\ndata: d\nvars: x\n```\n\nMean `{m.vars[0].mean}`.\n").get()
    XCTAssertEqual(r.recording(outputs: []), r.resultsJSON)
    let docx = ManuscriptOutputs.Output(format: .docx, file: "report.docx", bytes: Array("word".utf8))
    let pdf = ManuscriptOutputs.Output(format: .pdf, file: "report.pdf", bytes: Array("pdf".utf8))
    let record = r.recording(outputs: [docx, pdf])
    XCTAssertTrue(record.contains("\"outputs\""))
    XCTAssertTrue(record.contains(sha256Hex(Data("word".utf8))))
    let out = p.root.appendingPathComponent("_out")
    try Output.writeAtomically(docx.bytes, to: out.appendingPathComponent("report.docx"))
    try Output.writePair(html: r.html, to: out.appendingPathComponent("report.html"), record: record, to: out.appendingPathComponent("report.results.json"))
    let v = Verifier.verify(html: out.appendingPathComponent("report.html"), currentDirectory: p.root)
    XCTAssertEqual(v.verdict, .identical, v.differences.joined(separator: "\n"))
    XCTAssertEqual(v.outputs.count, 2)
    XCTAssertTrue(v.outputs[0].hasPrefix("output report.docx: as written by this render"), v.outputs[0])
    XCTAssertTrue(v.outputs[1].contains("report.pdf") && v.outputs[1].contains("is not beside the page"), v.outputs[1])
    try Output.writeAtomically(Array("edited".utf8), to: out.appendingPathComponent("report.docx"))
    let edited = Verifier.verify(html: out.appendingPathComponent("report.html"), currentDirectory: p.root)
    XCTAssertEqual(edited.verdict, .identical, "the HTML is canonical; a changed docx is a note")
    XCTAssertTrue(edited.outputs[0].contains("changed since this render"), edited.outputs[0])
  }

  func testRecordedOutputNamesOutsideTheFolderAreNotRead() throws {
    let tree = try RecordJSON.parse(Array(#"{"render":{"id":"x","outputs":[{"format":"pdf","file":"../../etc/passwd","sha256":"00"}]}}"#.utf8))
    let notes = ManuscriptOutputs.notes(record: tree, folder: URL(fileURLWithPath: "/tmp"))
    XCTAssertEqual(notes, ["output '../../etc/passwd' is not a plain file name beside the page; not read"])
  }

  func testFigurePNGsSay300dpi() {
    // The smallest PNG: signature, IHDR (1×1, 8-bit grey), IDAT, IEND.
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
                        0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3A, 0x7E, 0x9B, 0x55,
                        0, 0, 0, 10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0x48, 0xAF, 0xA4, 0x71,
                        0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
    let out = DocxWriter.withDensity(png, dpi: 300)
    XCTAssertEqual(out.count, png.count + 21)
    // 300 dpi = 11811 px/m = 0x00002E23; CRC of "pHYs" + data as zlib's crc32 gives it.
    XCTAssertEqual(Array(out[33..<54]), [0, 0, 0, 9, 0x70, 0x48, 0x59, 0x73, 0, 0, 0x2E, 0x23, 0, 0, 0x2E, 0x23, 1] + [0x78, 0xA5, 0x3F, 0x76])
    XCTAssertEqual(DocxWriter.withDensity(out, dpi: 300), out, "a PNG with pHYs is left alone")
    XCTAssertEqual(DocxWriter.withDensity([1, 2, 3], dpi: 300), [1, 2, 3])
  }

  /// Converting reads nothing outside the project and makes no request (DESIGN.md §6):
  /// pandoc gets no image but inline data, Chromium a policy that loads nothing else.
  func testImagesNamingURLsOrFilesAreNotFetched() {
    let h = "<p><img src=\"http://127.0.0.1:9/x.png\" alt=\"logo\"> <IMG SRC='/etc/hostname'> <img src=\"data:image/png;base64,AAAA\" alt=\"d\"></p>"
    XCTAssertEqual(DocxWriter.offline(h), "<p>[logo] [image] <img src=\"data:image/png;base64,AAAA\" alt=\"d\"></p>")
    let page = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n</head>\n<body><main><p><img src=\"http://x/y.png\"></p></main></body></html>"
    let printed = PDFWriter.printHTML(page: page, info: ManuscriptInfo(title: "T", author: nil, date: nil, abstract: nil, runningHead: "T", style: .report, lang: "en"))
    XCTAssertTrue(printed.hasPrefix("<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"), printed)
  }
}
