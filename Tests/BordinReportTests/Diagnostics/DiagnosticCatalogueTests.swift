import Foundation
import XCTest

/// DIAGNOSTICS.md, the catalogue of every diagnostic code, is generated from the code: this test
/// scans Sources/ for the codes diagnostics, StatsErrors, DataErrors and warnings are raised
/// with, and fails when the committed catalogue differs (`RECORD_SNAPSHOTS=1` rewrites it).
final class DiagnosticCatalogueTests: XCTestCase {
  /// Patterns that raise a coded diagnostic; the first capture group is the code.
  static let patterns: [String] = [
    #"code: "([a-z0-9]+(?:-[a-z0-9]+)*)""#,  // StatsError, DataError, Diagnostic, StatsWarning, fail(…, code:)
    #"\b(?:error|warning)\([^"\n]{1,120}?, "([a-z0-9]+(?:-[a-z0-9]+)*)", "#,  // sink.error(at, "code", …)
  ]

  static func catalogue(root: URL) throws -> String {
    var found: [String: Set<String>] = [:]
    let regexes = try patterns.map { try NSRegularExpression(pattern: $0) }
    let sources = root.appendingPathComponent("Sources")
    let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      let ns = text as NSString
      let rel = file.path.replacingOccurrences(of: sources.path + "/", with: "")
      let target = String(rel.split(separator: "/").first ?? "")
      for r in regexes {
        for m in r.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
          found[ns.substring(with: m.range(at: 1)), default: []].insert(target)
        }
      }
    }
    var out = """
      # Diagnostic codes

      Every code a Bordin diagnostic, statistics error or warning carries, and the targets that
      raise it (see ARCHITECTURE.md). Generated from the sources by
      `Tests/BordinReportTests/Diagnostics/DiagnosticCatalogueTests.swift`
      (`RECORD_SNAPSHOTS=1 swift test --filter DiagnosticCatalogueTests` rewrites it); the message
      of each diagnostic names the value and the remedy says what to change.

      | code | raised in |
      |---|---|

      """
    for code in found.keys.sorted() {
      out += "| `\(code)` | \(found[code]!.sorted().joined(separator: ", ")) |\n"
    }
    return out
  }

  func testCatalogueIsUpToDate() throws {
    let generated = try Self.catalogue(root: repositoryRoot)
    let url = repositoryRoot.appendingPathComponent("DIAGNOSTICS.md")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try Data(generated.utf8).write(to: url)
      return
    }
    let committed = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    XCTAssertEqual(committed, generated, "DIAGNOSTICS.md is stale: run RECORD_SNAPSHOTS=1 swift test --filter DiagnosticCatalogueTests")
    XCTAssertGreaterThan(generated.components(separatedBy: "\n| `").count, 100)
    for code in ["unknown-option", "missing-file", "path-outside", "singular-fit", "too-few-rows", "unknown-column"] {
      XCTAssertTrue(generated.contains("| `\(code)` |"), code)
    }
  }
}
