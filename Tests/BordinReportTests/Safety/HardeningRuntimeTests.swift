import Foundation
import XCTest

import BordinData
@testable import BordinReport

/// Issue 15 (hardening, runtime part): limits checked before work, non-finite numbers and
/// perfect fits reported, did-you-mean confined to the project, output paths checked, control
/// characters escaped. Every test here failed before its fix.
final class HardeningRuntimeTests: XCTestCase {
  // MARK: - Non-finite numbers and perfect fits

  func testInfInDescribeAndCorrelateIsALocatedError() {
    let p = TestProject()
    p.write("d.csv", "x,y\n1,2\nInf,3\n3,-Inf\n4,5\n")
    for body in ["```{describe #s}\ndata: d\nvars: [x, y]\n```\n", "```{correlate #c}\ndata: d\nvars: [x, y]\n```\n"] {
      let e = p.errors("---\ndata:\n  d: d.csv\n---\n\n" + body)
      let d = e.first { $0.code == "non-finite" }
      XCTAssertNotNil(d, "\(e)")
      XCTAssertEqual(d?.line, 8, "located at the 'vars' option")
      XCTAssertTrue(d?.message.contains("column 'x'") ?? false, d?.message ?? "")
      XCTAssertTrue(d?.message.contains("row 2") ?? false, d?.message ?? "")
    }
  }

  func testInfFromADeriveExpressionIsALocatedError() {
    let p = TestProject()
    p.write("d.csv", "x,y\n0,2\n1,3\n2,5\n4,4\n")
    for body in ["```{describe #m}\ndata: q\nvars: r\n```\n", "```{regress #m}\ndata: q\nformula: r ~ y\n```\n"] {
      let e = p.errors("---\ndata:\n  d: d.csv\n---\n\n```{data #q}\nfrom: d\nderive:\n  r: y / x\n```\n\n" + body)
      XCTAssertEqual(e.map(\.code), ["non-finite"], "\(e)")
      XCTAssertEqual(e.first?.line, 14)
      XCTAssertTrue(e.first?.message.contains("column 'r' of 'q' holds an infinite value (Inf) in row 1") ?? false, "\(e)")
    }
    // An I() term that divides by zero, too.
    let e2 = p.errors("---\ndata:\n  d: d.csv\n---\n\n```{regress #m}\ndata: d\nformula: y ~ I(1 / x)\n```\n")
    XCTAssertEqual(e2.map(\.code), ["non-finite"], "\(e2)")
  }

  func testInfSiblingsEveryEstimatorRefusesIt() {
    let p = TestProject()
    p.write("d.csv", "id,g,a,b,c\n1,x,1,2,3\n2,x,2,Inf,4\n3,y,3,4,2\n4,y,4,3,5\n5,x,5,6,4\n6,y,6,5,6\n")
    let bodies = [
      "```{ttest #t}\ndata: d\nformula: b ~ g\n```\n",
      "```{reliability #r}\ndata: d\nitems: [a, b, c]\n```\n",
      "```{sem #s}\ndata: d\nmodel: |\n  b ~ a\n```\n",
      "```{lmm #l}\ndata: d\nformula: b ~ a + (1 | g)\n```\n",
      "```{plot #p}\ntype: scatter\ndata: d\nx: a\ny: b\n```\n",
    ]
    for body in bodies {
      let e = p.errors("---\ndata:\n  d: d.csv\n---\n\n" + body)
      XCTAssertTrue(e.contains { $0.code == "non-finite" }, "\(body): \(e)")
    }
  }

  func testHugeValuesInAScatterPlotGiveAPlainWarningNotALapackError() throws {
    let p = TestProject()
    p.write("d.csv", "x,y\n1,2\n2,1.7e308\n3,-1.7e308\n4,8\n5,10\n")
    for (x, y) in [("x", "y"), ("y", "x")] {
      let r = try p.render("---\ndata:\n  d: d.csv\n---\n\n```{plot #p}\ntype: scatter\ndata: d\nx: \(x)\ny: \(y)\n```\n").get()
      let text = r.warnings.map(\.description).joined(separator: "\n")
      XCTAssertFalse(text.contains("dormqr") || text.contains("report this as a bug") || text.contains("internal error"), text)
      XCTAssertTrue(text.contains("too large for least squares"), text)
      XCTAssertTrue(r.html.contains("<svg"))
    }
    // regress on the same data: a located error, not LAPACK's.
    let e = p.errors("---\ndata:\n  d: d.csv\n---\n\n```{regress #m}\ndata: d\nformula: x ~ y\n```\n")
    XCTAssertEqual(e.map(\.code), ["overflow"], "\(e)")
    XCTAssertFalse(e.description.contains("bug"))
  }

  func testHugeFiniteValuesAreALocatedErrorForEstimatorsNotASilentNA() {
    // Before: describe gave sd = null, correlate r = null, ttest t = 0 — all without a word.
    let p = TestProject()
    p.write("d.csv", "g,x,y\na,1,2\na,1.79e308,-1.79e308\nb,-1.79e308,1.79e308\nb,4,8\nb,5,10\n")
    for body in ["```{describe #s}\ndata: d\nvars: [x, y]\n```\n", "```{correlate #c}\ndata: d\nvars: [x, y]\n```\n",
                 "```{ttest #t}\ndata: d\nformula: x ~ g\n```\n"] {
      let e = p.errors("---\ndata:\n  d: d.csv\n---\n\n" + body)
      XCTAssertEqual(e.map(\.code), ["overflow"], "\(body): \(e)")
      XCTAssertTrue(e.first?.message.contains("row 2") ?? false, "\(e)")
      XCTAssertEqual(e.first?.line, 8)
    }
  }

  func testAPerfectFitIsAWarningNextToTheResultAndOnStderr() throws {
    let p = TestProject()
    // R: summary(lm(y ~ x)) warns "essentially perfect fit: summary may be unreliable".
    p.write("d.csv", "x,y\n1,3\n2,5\n3,7\n4,9\n5,11\n6,13.000000000000002\n")
    let r = try p.render("---\ndata:\n  d: d.csv\n---\n\n```{regress #m}\ndata: d\nformula: y ~ x\n```\n").get()
    XCTAssertEqual(r.warnings.count, 1, "\(r.warnings)")
    XCTAssertTrue(r.warnings.first?.message.contains("essentially perfect fit") ?? false)
    XCTAssertEqual(r.warnings.first?.line, 6)
    XCTAssertTrue(r.html.contains("essentially perfect fit"))
    // An ordinary fit has no such warning (R neither).
    p.write("d.csv", "x,y\n1,3\n2,5.5\n3,6.8\n4,9.4\n5,10.7\n6,13.2\n")
    let ok = try p.render("---\ndata:\n  d: d.csv\n---\n\n```{regress #m}\ndata: d\nformula: y ~ x\n```\n").get()
    XCTAssertEqual(ok.warnings, [])
  }

  // MARK: - Did you mean, only from inside the project

  func testMissingFileUnderASymlinkedFolderSuggestsNothingOutside() throws {
    let p = TestProject()
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-outside-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: outside)
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    try Data("secret".utf8).write(to: outside.appendingPathComponent("secrets.csv"))
    try FileManager.default.createSymbolicLink(atPath: p.root.appendingPathComponent("linked").path, withDestinationPath: outside.path)
    let e = p.errors("---\ndata:\n  d: linked/secret.csv\n---\n\nText.\n")
    XCTAssertFalse(e.description.contains("secrets.csv"), e.description)
    XCTAssertEqual(e.map(\.code), ["path-outside"], e.description)
    // Inside the project the suggestion stays.
    p.write("sub/results.csv", "x\n1\n")
    let e2 = p.errors("---\ndata:\n  d: sub/result.csv\n---\n\nText.\n")
    XCTAssertTrue(e2.description.contains("did you mean 'results.csv'"), e2.description)
  }

  // MARK: - Limits checked before the work

  func sparse(_ url: URL, _ size: Int64) throws {
    FileManager.default.createFile(atPath: url.path, contents: Data("id,x\n1,2\n".utf8))
    let h = try FileHandle(forWritingTo: url)
    try h.truncate(atOffset: UInt64(size))
    try h.close()
  }

  func testA3GiBDataFileIsRefusedWithoutReadingIt() throws {
    let p = TestProject()
    try sparse(p.root.appendingPathComponent("big.csv"), 3 << 30)
    defer { try? FileManager.default.removeItem(at: p.root.appendingPathComponent("big.csv")) }
    let t0 = Date()
    let e = p.errors("---\ndata:\n  d: big.csv\n---\n\nText.\n")
    XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
    XCTAssertEqual(e.map(\.code), ["data-too-large"], e.description)
    XCTAssertTrue(e.first?.message.contains("3072 MiB") ?? false, e.description)
  }

  func testEveryFileBordinReadsHasALimitCheckedFirst() throws {
    let p = TestProject()
    // The report itself.
    let report = p.root.appendingPathComponent("huge.md")
    try sparse(report, 600 << 20)
    var t0 = Date()
    XCTAssertThrowsError(try Renderer.render(file: report, displayPath: "huge.md")) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.map(\.code), ["file-too-large"])
    }
    XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
    try FileManager.default.removeItem(at: report)
    // A bibliography.
    try sparse(p.root.appendingPathComponent("refs.bib"), 600 << 20)
    t0 = Date()
    let e = p.errors("---\nbibliography: refs.bib\n---\n\nText.\n")
    XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
    XCTAssertEqual(e.map(\.code), ["bibliography"])
    XCTAssertTrue(e.first?.message.contains("the limit is") ?? false, e.description)
    try FileManager.default.removeItem(at: p.root.appendingPathComponent("refs.bib"))
    // A --params-from CSV.
    let params = p.root.appendingPathComponent("params.csv")
    try sparse(params, 600 << 20)
    t0 = Date()
    XCTAssertThrowsError(try Batch.requests(files: [p.write("r.md", "Text.\n")], display: { $0.lastPathComponent }, params: [], paramsFrom: params.path)) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.map(\.code), ["file-too-large"])
    }
    XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
    try FileManager.default.removeItem(at: params)
    // A CSV given to `bordin sqlite`.
    let csv = p.root.appendingPathComponent("t.csv")
    try sparse(csv, 600 << 20)
    XCTAssertThrowsError(try DatabaseBuilder.build(database: p.root.appendingPathComponent("t.sqlite").path, csvFiles: [csv.path])) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.map(\.code), ["data-too-large"])
    }
    try FileManager.default.removeItem(at: csv)
  }

  func testAFIFOAsDataIsRefusedNotWaitedOn() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    XCTAssertEqual(mkfifo(p.root.appendingPathComponent("pipe.csv").path, 0o600), 0)
    p.write("report.md", "---\ndata:\n  d: pipe.csv\n---\n\nText.\n")
    let proc = Process()
    proc.executableURL = binary
    proc.arguments = ["render", "report.md", "--out", "out"]
    proc.currentDirectoryURL = p.root
    let err = Pipe()
    proc.standardOutput = FileHandle.nullDevice
    proc.standardError = err
    try proc.run()
    let deadline = Date().addingTimeInterval(10)
    while proc.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if proc.isRunning { proc.terminate(); proc.waitUntilExit(); return XCTFail("bordin waited on a FIFO") }
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    XCTAssertEqual(proc.terminationStatus, 1)
    XCTAssertTrue(text.contains("not-a-file"), text)
  }

  func testAnSQLiteResultIsCappedWhileStepping() throws {
    let p = TestProject()
    try DatabaseBuilder.build(database: p.root.appendingPathComponent("db.sqlite").path, csvFiles: [p.write("t.csv", "x\n1\n").path])
    // 40 rows of 100 MB strings (4 GB in all): refused at the first cell, at once.
    let query = "with recursive c(i) as (select 1 union all select i + 1 from c where i < 40) select i, hex(zeroblob(50000000)) as s from c"
    let t0 = Date()
    let e = p.errors("---\ndata:\n  d: { sqlite: db.sqlite, query: \"\(query)\" }\n---\n\nText.\n")
    XCTAssertLessThan(Date().timeIntervalSince(t0), 2.0)
    XCTAssertEqual(e.map(\.code), ["sql-too-large"], e.description)
    // The total is capped too (a lowered limit: 40 rows of 1 MB strings against 8 MiB).
    let many = "with recursive c(i) as (select 1 union all select i + 1 from c where i < 40) select i, hex(zeroblob(500000)) as s from c"
    XCTAssertThrowsError(try SQLiteReader.read(path: p.root.appendingPathComponent("db.sqlite").path, query: many, parameters: [:], maxBytes: 8 << 20)) { e in
      XCTAssertEqual((e as? DataError)?.code, "sql-too-large")
      XCTAssertTrue((e as? DataError)?.message.contains("larger than 8 MiB") ?? false)
    }
    // Below the caps the same query reads.
    let t = try SQLiteReader.read(path: p.root.appendingPathComponent("db.sqlite").path, query: many, parameters: [:])
    XCTAssertEqual(t.rowCount, 40)
  }

  // MARK: - Control characters never reach the terminal

  func testControlCharactersInDiagnosticsAreEscaped() throws {
    let d = Diagnostic(file: "r.md", line: 3, code: "unknown-column", message: "column 'a\u{1B}]0;pwned\u{07}\u{1B}[31mred' is not in 'd'\nr.md:1:1: error[fake]: forged",
                       remedy: "write '\u{9B}2J'")
    XCTAssertFalse(d.description.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) }, d.description)
    XCTAssertEqual(d.description.split(separator: "\n").count, 2, "a line break in a message cannot forge a diagnostic line")
    XCTAssertTrue(d.description.contains("a\\u{1B}]0;pwned\\u{7}\\u{1B}[31mred"), d.description)
    XCTAssertEqual(escapeControls("plain — ünïcode"), "plain — ünïcode")

    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("d.csv", "id,\u{1B}[2Jscore\n1,2\n2,3\n")
    p.write("report.md", "---\ndata:\n  d: d.csv\n---\n\n```{describe #s}\ndata: d\nvars: [scores]\n```\n")
    let r = try runBordin(["render", "report.md", "--out", "out"], in: p.root)
    XCTAssertEqual(r.status, 1)
    XCTAssertFalse(r.stderr.contains("\u{1B}"), r.stderr)
    XCTAssertTrue(r.stderr.contains("\\u{1B}[2Jscore"), r.stderr)
    // A usage error echoing user input.
    let u = try runBordin(["render", "report.md", "--param", "x\u{1B}[31m"], in: p.root)
    XCTAssertEqual(u.status, 2)
    XCTAssertFalse(u.stderr.contains("\u{1B}"), u.stderr)
  }

  // MARK: - Output paths

  func testABadOutIsAUsageErrorNotAnInternalError() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("report.md", "# Hello\n")
    p.write("afile", "x")
    for out in ["afile", "afile/sub"] {
      let r = try runBordin(["render", "report.md", "--out", out], in: p.root)
      XCTAssertEqual(r.status, 2, "render --out \(out): \(r.stderr)")
      XCTAssertTrue(r.stderr.contains("--out") && r.stderr.contains(out), r.stderr)
      XCTAssertFalse(r.stderr.contains("internal error"), r.stderr)
      let s = try runBordin(["simulate", "prac", "--seed", "1", "--out", out], in: p.root)
      XCTAssertEqual(s.status, 2, "simulate --out \(out): \(s.stderr)")
      XCTAssertFalse(s.stderr.contains("internal error"), s.stderr)
    }
    p.write("t.csv", "x\n1\n")
    try FileManager.default.createDirectory(at: p.root.appendingPathComponent("adir"), withIntermediateDirectories: true)
    for db in ["adir", "afile/db.sqlite", "nofolder/db.sqlite"] {
      let r = try runBordin(["sqlite", db, "t.csv"], in: p.root)
      XCTAssertEqual(r.status, 2, "sqlite \(db): \(r.stderr)")
      XCTAssertFalse(r.stderr.contains("internal error"), r.stderr)
    }
    XCTAssertEqual(try String(contentsOf: p.root.appendingPathComponent("afile"), encoding: .utf8), "x")
  }

  func testSqliteRefusesToOverwriteItsOwnInput() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    let csv = "x,y\n1,2\n3,4\n"
    p.write("y.csv", csv)
    try FileManager.default.createSymbolicLink(atPath: p.root.appendingPathComponent("link.csv").path, withDestinationPath: "y.csv")
    try FileManager.default.linkItem(atPath: p.root.appendingPathComponent("y.csv").path, toPath: p.root.appendingPathComponent("hard.csv").path)
    try FileManager.default.createDirectory(at: p.root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    for (db, input) in [("y.csv", "y.csv"), ("./y.csv", "y.csv"), ("sub/../y.csv", "y.csv"), ("link.csv", "y.csv"), ("hard.csv", "y.csv"),
                        ("y.csv", "link.csv"), (p.root.appendingPathComponent("y.csv").path, "y.csv")] {
      let r = try runBordin(["sqlite", db, input], in: p.root)
      XCTAssertEqual(r.status, 2, "sqlite \(db) \(input): \(r.stderr)")
      XCTAssertTrue(r.stderr.contains("is the input"), r.stderr)
      XCTAssertEqual(try String(contentsOf: p.root.appendingPathComponent("y.csv"), encoding: .utf8), csv, "sqlite \(db) \(input) destroyed its input")
    }
    let ok = try runBordin(["sqlite", "y.sqlite", "y.csv"], in: p.root)
    XCTAssertEqual(ok.status, 0, ok.stderr)
  }
}
