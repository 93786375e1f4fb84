import Foundation
import XCTest

@testable import BordinReport

/// Files in the repository that must agree with each other.
final class RepositoryTests: XCTestCase {
  func testThemeMatchesTemplates() throws {
    let layout = try String(contentsOf: repositoryRoot.appendingPathComponent("templates/layout.html"), encoding: .utf8)
    let css = try String(contentsOf: repositoryRoot.appendingPathComponent("templates/bordin.css"), encoding: .utf8)
    XCTAssertEqual(Theme.layout + "\n", layout, "run `make theme`")
    XCTAssertEqual(Theme.css + "\n", css, "run `make theme`")
  }

  func testDataReadmeHashesMatchFiles() throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("data/README.md"), encoding: .utf8)
    let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("data").path)
      .filter { $0.hasSuffix(".csv") || $0.hasSuffix(".tsv") }
    XCTAssertFalse(files.isEmpty)
    for f in files {
      let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("data/\(f)"))
      let line = readme.split(separator: "\n").first { $0.contains("`\(f)`") }
      XCTAssertNotNil(line, "\(f) is not described in data/README.md")
      XCTAssertTrue(line?.contains(sha256Hex(data)) ?? false, "SHA-256 of \(f) differs from data/README.md")
    }
  }

  func testDirectiveReferenceCoversEveryOption() {
    let all = DirectiveReference.text()!
    for d in directiveDefinitions {
      XCTAssertTrue(all.contains(d.name))
      let detail = DirectiveReference.text(d.name)!
      for o in d.options { XCTAssertTrue(detail.contains("  \(o.name) "), "\(d.name).\(o.name)") }
    }
    XCTAssertNil(DirectiveReference.text("nope"))
  }
}
