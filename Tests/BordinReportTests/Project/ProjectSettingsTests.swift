import Foundation
import XCTest

@testable import BordinReport

/// `bordin.yml`: nothing in it is silently ignored (issue 15's sibling of "an unknown front-matter
/// key is a diagnostic"): a typo, a wrong shape or bad YAML stops a site build before anything is
/// written, with the line of the problem.
final class ProjectSettingsTests: XCTestCase {
  func parse(_ text: String) -> ProjectSettings { ProjectSettings.parse(Data(text.utf8), file: "bordin.yml") }

  func testKnownKeysAreRead() {
    let s = parse("# comment\nsite:\n  title: Network summaries\n  url: https://example.org/prn/\n")
    XCTAssertEqual(s.diagnostics, [])
    XCTAssertEqual(s.siteTitle, "Network summaries")
    XCTAssertEqual(s.siteURL, "https://example.org/prn/")
  }

  func testEmptyOrCommentOnlyFileIsFine() {
    XCTAssertEqual(parse("").diagnostics, [])
    XCTAssertEqual(parse("# Bordin project root.\n").diagnostics, [])
    XCTAssertEqual(parse("# root\r\n").diagnostics, [])
  }

  func testUnknownKeysAreLocatedDiagnostics() {
    let s = parse("site:\n  titel: Typo\nsitee: x\n")
    XCTAssertEqual(s.diagnostics.map(\.code), ["unknown-setting", "unknown-setting"])
    XCTAssertEqual(s.diagnostics.map(\.line), [2, 3])
    XCTAssertTrue(s.diagnostics[0].message.contains("site.titel"))
    XCTAssertEqual(s.siteTitle, "Reports")
  }

  func testWrongShapesAndBadYAML() {
    XCTAssertEqual(parse("- a\n- b\n").diagnostics.map(\.code), ["settings"])
    XCTAssertEqual(parse("site: [a, b]\n").diagnostics.map(\.code), ["settings"])
    XCTAssertEqual(parse("site:\n  title: [a]\n").diagnostics.map(\.code), ["settings"])
    let bad = parse("site:\n  title: \"unclosed\n")
    XCTAssertEqual(bad.diagnostics.map(\.code), ["yaml-syntax"])
    XCTAssertEqual(ProjectSettings.parse(Data([0x73, 0xFF]), file: "bordin.yml").diagnostics.map(\.code), ["settings"])
  }

  /// Before: a mistyped key was ignored and the site was written with the default title.
  func testSiteBuildStopsOnABadSettingsFileAndWritesNothing() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("bordin.yml", "site:\n  titel: Our network\n")
    p.write("reports/a.md", "---\ntitle: A\n---\n\nHi\n")
    let r = try runBordin(["render", "reports", "--out", "out"], in: p.root)
    XCTAssertEqual(r.status, 1, r.stderr)
    XCTAssertTrue(r.stderr.contains("bordin.yml:2:3: error[unknown-setting]"), r.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("out/a.html").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("out/index.html").path))
  }
}
