import Foundation
import XCTest

/// What `check` and `verify` print to standard output comes from a stranger's files (a typed
/// result's sentence, a file name, a recorded path): control characters are shown escaped, so
/// the text cannot drive the reader's terminal (issue 15, sibling of the diagnostics fix).
final class CLIOutputEscapingTests: XCTestCase {
  func run(_ args: [String], in dir: URL) throws -> (status: Int32, out: String) {
    let r = try runBordin(args, in: dir)
    return (r.status, r.stdout)
  }

  func testCheckStatisticsEscapesTheFileName() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let p = TestProject()
    let name = "pa\u{1B}]0;pwned\u{07}per.txt"
    p.write(name, "The effect held, t(30) = 2.50, p = .30.\n")
    let r = try run(["check", "--statistics", name], in: p.root)
    XCTAssertFalse(r.out.contains("\u{1B}"), r.out)
    XCTAssertFalse(r.out.contains("\u{07}"), r.out)
    XCTAssertTrue(r.out.contains("\\u{1B}"), r.out)
  }

  func testVerifyEscapesWhatItPrints() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let p = TestProject()
    let name = "a\u{1B}[31mred"
    p.write("reports/\(name).md", "---\ntitle: A\n---\n\nHi\n")
    XCTAssertEqual(try run(["render", "reports/\(name).md", "--out", "out"], in: p.root).status, 0)
    p.write("reports/\(name).md", "---\ntitle: A\n---\n\nHo\u{1B}[2J\n")
    let r = try run(["verify", "out/\(name).html"], in: p.root)
    XCTAssertEqual(r.status, 1)
    XCTAssertFalse(r.out.contains("\u{1B}"), r.out)
    XCTAssertTrue(r.out.contains("\\u{1B}"), r.out)
  }
}
