import Foundation
import XCTest

@testable import BordinReport

/// `check --statistics` on the documents reviewers receive (PDF, .docx, HTML), the DEFLATE
/// decoder behind .docx, and the CLI's `--format tsv|json`. Fixtures: Tests/Fixtures/statcheck/
/// make-documents.py.
final class StatisticsCheckDocumentTests: XCTestCase {
  let dir = fixtures.appendingPathComponent("statcheck")

  func testInflateDynamicFixedAndStoredBlocks() throws {
    // make-documents.py compressed typed-results.md repeated 8 times.
    let one = [UInt8](try Data(contentsOf: dir.appendingPathComponent("typed-results.md")))
    let want = (0..<8).flatMap { _ in one }
    for kind in ["dynamic", "fixed", "stored"] {
      let raw = [UInt8](try Data(contentsOf: dir.appendingPathComponent("typed-results.md.\(kind).deflate")))
      XCTAssertEqual(try Inflate.decompress(raw), want, kind)
    }
  }

  func testInflateRejectsDamagedInput() throws {
    let raw = [UInt8](try Data(contentsOf: dir.appendingPathComponent("typed-results.md.dynamic.deflate")))
    XCTAssertThrowsError(try Inflate.decompress(Array(raw.prefix(raw.count / 2))))
    XCTAssertThrowsError(try Inflate.decompress([0x07]))  // block type 3
    XCTAssertThrowsError(try Inflate.decompress([0x01, 0x05, 0x00, 0x00, 0x00]))  // stored length check
    // Flipped bytes must throw or decode to something, never crash or hang.
    for k in stride(from: 0, to: raw.count, by: 97) {
      var bad = raw
      bad[k] ^= 0x5A
      _ = try? Inflate.decompress(bad, limit: 1 << 20)
    }
  }

  func testDocxParagraphsAreLines() throws {
    let doc = try DocumentText.read(path: dir.appendingPathComponent("typed-results.docx").path)
    XCTAssertEqual(doc.kind, .plain)
    let f = StatisticsCheck.scan(doc.text, kind: doc.kind)
    XCTAssertEqual(f.map(\.text), ["t(30) = 2.50, p = .018", "F(1, 30) = 9.00, p > .05", "χ2(1, N = 2,500) = 5.00, p = .025",
                                   "𝑟(50) = .20, 𝑝 = .03"])
    XCTAssertEqual(f.map(\.line), [2, 3, 4, 6])
    // pf(9, 1, 30, lower.tail = FALSE) = .0054 reported as p > .05; field codes are not text;
    // the equation's r(50) = .20 gives p = .155 (R: 2*pt(-.2*sqrt(50/(1-.04)), 50)).
    XCTAssertEqual(f.map(\.verdict), [.ok, .decisionError, .ok, .decisionError])
    XCTAssertEqual(f[3].recomputedP, 0.15515112, accuracy: 1e-7)
  }

  func testDocxThatIsNotAZipIsADiagnostic() throws {
    let p = TestProject()
    let url = p.write("bad.docx", "not a zip")
    XCTAssertThrowsError(try DocumentText.read(path: url.path)) { e in
      XCTAssertEqual((e as? DocumentText.Failure)?.code, "bad-docx")
    }
  }

  func testPagesOfPDFText() {
    let f = StatisticsCheck.scan("Page one, t(30) = 2.50, p = .018.\n\u{0C}Page two,\nt(30) = 2.50, p = .30.\n\u{0C}", kind: .plain)
    XCTAssertEqual(f.map(\.page), [1, 2])
    XCTAssertEqual(f.map(\.line), [1, 3])
    XCTAssertTrue(StatisticsCheck.describe(f[1], file: "a.pdf", bordinReport: false).hasSuffix(" [page 2]"))
    XCTAssertNil(StatisticsCheck.scan("t(30) = 2.50, p = .018")[0].page)
  }

  func testPDFNeedsPdftotextAndSaysHowToInstallIt() throws {
    let pdf = dir.appendingPathComponent("typed-results.pdf").path
    XCTAssertThrowsError(try DocumentText.read(path: pdf, environment: ["PATH": "/nonexistent"])) { e in
      let f = e as? DocumentText.Failure
      XCTAssertEqual(f?.code, "missing-tool")
      XCTAssertTrue(f?.message.contains("apt-get install poppler-utils") ?? false)
    }
  }

  func testPDFThroughPdftotext() throws {
    let have = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      .contains { FileManager.default.isExecutableFile(atPath: "\($0)/pdftotext") }
    try XCTSkipUnless(have, "pdftotext (poppler-utils) not installed")
    let doc = try DocumentText.read(path: dir.appendingPathComponent("typed-results.pdf").path)
    let f = StatisticsCheck.scan(doc.text, kind: doc.kind)
    XCTAssertEqual(f.map(\.line), [2, 3, 4])
    XCTAssertEqual(f.map(\.verdict), [.ok, .decisionError, .ok])
  }

  // MARK: - CLI

  func run(_ args: [String], env: [String: String]? = nil) throws -> BordinRun {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let p = Process()
    p.executableURL = bordinBinary
    p.arguments = args
    p.currentDirectoryURL = dir
    if let env { p.environment = env }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return BordinRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
  }

  func testCLITextTSVAndJSON() throws {
    let text = try run(["check", "--statistics", "typed-results.docx"])
    XCTAssertEqual(text.status, 1)
    XCTAssertTrue(text.stdout.contains("typed-results.docx:3:25: error[decision-error]: 'F(1, 30) = 9.00, p > .05'"), text.stdout)
    XCTAssertTrue(text.stdout.hasSuffix("typed-results.docx: 4 typed results, 2 inconsistent, 2 decision errors\n"), text.stdout)
    let tsv = try run(["check", "--statistics", "--format", "tsv", "typed-results.docx"])
    let lines = tsv.stdout.split(separator: "\n")
    XCTAssertEqual(lines.count, 5)
    XCTAssertEqual(String(lines[0]), StatisticsCheck.tsvHeader)
    XCTAssertTrue(lines[2].hasPrefix("typed-results.docx\t3\t25\tF\t1\t30\t9.00\t>0.05\t0.0053899"), String(lines[2]))
    let json = try run(["check", "--statistics", "--format", "json", "typed-results.docx", "typed-results.md"])
    XCTAssertEqual(json.status, 1)
    let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
    XCTAssertEqual(rows.count, 29)
    XCTAssertEqual(rows.filter { $0["verdict"] as? String == "ok-one-tailed" }.count, 1)
    XCTAssertEqual(try run(["check", "--statistics", "--format", "json", "typed-results.docx"]).stdout,
                   try run(["check", "--statistics", "--format", "json", "typed-results.docx"]).stdout)
    let bad = try run(["check", "--statistics", "--format", "xml", "typed-results.md"])
    XCTAssertEqual(bad.status, 2)
    XCTAssertTrue(bad.stderr.contains("--format takes text, tsv or json; got 'xml'"), bad.stderr)
  }

  func testCLIMissingPdftotextIsALocatedDiagnostic() throws {
    let r = try run(["check", "--statistics", "typed-results.pdf", "typed-results.docx"], env: ["PATH": "/nonexistent"])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.stderr.contains("typed-results.pdf: error[missing-tool]: reading a PDF needs pdftotext (poppler); install it: apt-get install poppler-utils"), r.stderr)
    // The other file is still checked.
    XCTAssertTrue(r.stdout.contains("typed-results.docx: 4 typed results"), r.stdout)
  }

  func testCLIFolderAndMissingFile() throws {
    let p = TestProject()
    p.write("docs/a.md", "t(30) = 2.50, p = .018.\n")
    p.write("docs/b.html", "<p>t(30) = 2.50, p = .30</p>\n")
    p.write("docs/notes.csv", "t(30) = 2.50, p = .30\n")
    let r = try runIn(p.root, ["check", "--statistics", "docs", "nope.md"])
    XCTAssertEqual(r.status, 1)
    XCTAssertEqual(r.stdout, """
      docs/a.md:1:1: ok: 't(30) = 2.50, p = .018' (recomputed p .018)
      docs/a.md: 1 typed result, 0 inconsistent, 0 decision errors
      docs/b.html:1:4: error[decision-error]: 't(30) = 2.50, p = .30': p recomputed from the statistic is .018 ([.0179, .0183] over its rounding); the reported p is on the other side of .05
      docs/b.html: 1 typed result, 1 inconsistent, 1 decision error

      """)
    XCTAssertEqual(r.stderr, "nope.md: error[missing-file]: 'nope.md' does not exist\n")
  }

  func runIn(_ dir: URL, _ args: [String]) throws -> BordinRun {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    return try runBordin(args, in: dir)
  }

  func testCLIPDF() throws {
    let have = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      .contains { FileManager.default.isExecutableFile(atPath: "\($0)/pdftotext") }
    try XCTSkipUnless(have, "pdftotext (poppler-utils) not installed")
    let r = try run(["check", "--statistics", "typed-results.pdf"])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.stdout.contains("typed-results.pdf:2:32: ok: 't(30) = 2.50, p = .018'"), r.stdout)
  }
}
