import Foundation
import XCTest

@testable import BordinReport

/// The bad-input corpus (Tests/Fixtures/bad-inputs/CASE/{report.md, data…, expect}): each case
/// renders in a fresh project with the expected diagnostic code (or `ok`), through the library
/// and through the CLI, which must exit 1 without writing anything, within a time limit. Two
/// cases are made at test time: a symlink that leaves the project and a 50 MB CSV.
final class BadInputCorpusTests: XCTestCase {
  let corpus = fixtures.appendingPathComponent("bad-inputs")

  var cases: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
  }

  /// Copies a case into a fresh project folder.
  func stage(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-bad-\(ProcessInfo.processInfo.processIdentifier)/\(name)")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: corpus.appendingPathComponent(name), to: dir)
    try Data().write(to: dir.appendingPathComponent("bordin.yml"))
    return dir
  }

  func expected(_ name: String) throws -> String {
    try String(contentsOf: corpus.appendingPathComponent("\(name)/expect"), encoding: .utf8).trimmingWhitespace()
  }

  func testCorpusHasAtLeastFortyCases() {
    XCTAssertGreaterThanOrEqual(cases.count, 40)
  }

  func testEveryCaseGivesItsDiagnostic() throws {
    for name in cases {
      let dir = try stage(name)
      let want = try expected(name)
      do {
        let r = try Renderer.render(file: dir.appendingPathComponent("report.md"), displayPath: "report.md")
        XCTAssertEqual(want, "ok", "\(name): rendered, expected \(want)")
        XCTAssertFalse(r.html.contains("<script>alert"), name)
        XCTAssertFalse(r.html.contains("<b onmouseover"), name)
        XCTAssertFalse(r.html.contains("<img src=x onerror"), name)
      } catch {
        let codes = error.diagnostics.filter { $0.severity == .error }.map(\.code)
        XCTAssertTrue(codes.contains(want), "\(name): expected \(want), got \(error)")
        for d in error.diagnostics { XCTAssertGreaterThan(d.line, 0, "\(name): \(d)") }
      }
    }
  }

  func testSymlinkLeavingTheProject() throws {
    let dir = try stage("missing-file")
    try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("nope.csv").path, withDestinationPath: "/etc/passwd")
    XCTAssertThrowsError(try Renderer.render(file: dir.appendingPathComponent("report.md"), displayPath: "report.md")) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.first?.code, "path-outside")
    }
  }

  func testFiftyMegabyteCSV() throws {
    let dir = try stage("header-only-csv")
    var s = "id,x,y\n"
    s.reserveCapacity(52_000_000)
    var i = 0
    while s.utf8.count < 50_000_000 {
      s += "\(i),\(Double(i % 997) / 7),\(Double(i % 991) / 3)\n"
      i += 1
    }
    try Data(s.utf8).write(to: dir.appendingPathComponent("d.csv"))
    let r = try Renderer.render(file: dir.appendingPathComponent("report.md"), displayPath: "report.md")
    XCTAssertTrue(r.resultsJSON.contains("\"rows\": \(i)"))
  }

  /// Every case through `render` and `check`: the expected exit code (never a trap, 132/134),
  /// nothing written on error, and within 10 s each (issue 15's bound, debug build included).
  func testCLIWritesNothingAndNeverHangs() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    for name in cases {
      let dir = try stage(name)
      let want = try expected(name)
      for command in [["render", "report.md", "--out", "out"], ["check", "report.md"]] {
        let p = Process()
        p.executableURL = binary
        p.arguments = command
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let start = Date()
        try p.run()
        let deadline = start.addingTimeInterval(10)
        while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if p.isRunning { p.terminate(); XCTFail("\(name): \(command[0]) ran past 10 s"); continue }
        XCTAssertEqual(p.terminationStatus, want == "ok" ? 0 : 1, "\(name): \(command[0])")
        XCTAssertEqual(p.terminationReason, .exit, "\(name): \(command[0]) was killed by a signal")
      }
      if want != "ok" {
        let out = dir.appendingPathComponent("out")
        let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        XCTAssertEqual(written, [], "\(name) wrote \(written)")
      }
    }
  }
}
