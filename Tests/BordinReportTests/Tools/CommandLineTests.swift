import Foundation
import XCTest

/// The `bordin` executable: exit codes (DESIGN.md §1) and atomic, all-or-nothing output.
final class CommandLineTests: XCTestCase {
  var binary: URL { bordinBinary }

  func bordin(_ args: [String], in dir: URL) throws -> BordinRun { try runBordin(args, in: dir) }

  func testBadInputsExitOneAndLeavePreviousOutputIntact() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("data.csv", smallCSV)
    let good = "---\ndata:\n  d: data.csv\n---\n\n```{describe #a}\ndata: d\nvars: x\n```\n\nMean `{a.vars[x].mean}`.\n"
    p.write("r.md", good)
    let ok = try bordin(["render", "r.md", "--out", "out"], in: p.root)
    XCTAssertEqual(ok.status, 0, ok.stderr)
    XCTAssertEqual(ok.stdout, "out/r.html\n")
    let html = try Data(contentsOf: p.root.appendingPathComponent("out/r.html"))
    let json = try Data(contentsOf: p.root.appendingPathComponent("out/r.results.json"))
    let bad: [(String, String)] = [
      ("unknown-column", "```{describe #a}\ndata: d\nvars: xx\n```\n"),
      ("yaml-syntax", "```{describe #a}\ndata: [d\n```\n"),
      ("unknown-directive", "```{describ #a}\ndata: d\n```\n"),
      ("unknown-option", "```{describe #a}\ndata: d\nvars: x\nbye: 1\n```\n"),
      ("duplicate-label", "```{describe #a}\ndata: d\nvars: x\n```\n```{describe #a}\ndata: d\nvars: x\n```\n"),
      ("cycle", "```{data #a}\nfrom: b\n```\n```{data #b}\nfrom: a\n```\n"),
      ("non-numeric", "```{describe #a}\ndata: d\nvars: label\n```\n"),
      ("path-outside", ""),
    ]
    for (code, body) in bad {
      let src = code == "path-outside" ? "---\ndata:\n  d: ../../x.csv\n---\n" : "---\ndata:\n  d: data.csv\n---\n\n" + body
      p.write("r.md", src)
      let r = try bordin(["render", "r.md", "--out", "out"], in: p.root)
      XCTAssertEqual(r.status, 1, code)
      XCTAssertTrue(r.stderr.contains("r.md:"), r.stderr)
      XCTAssertTrue(r.stderr.contains("error[\(code)]"), "\(code): \(r.stderr)")
      XCTAssertTrue(r.stderr.contains("remedy:"), "\(code): \(r.stderr)")
      XCTAssertEqual(try Data(contentsOf: p.root.appendingPathComponent("out/r.html")), html, code)
      XCTAssertEqual(try Data(contentsOf: p.root.appendingPathComponent("out/r.results.json")), json, code)
    }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: p.root.appendingPathComponent("out").path)
    XCTAssertEqual(leftovers.sorted(), ["r.html", "r.results.json"])
  }

  func testExitCodes() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    XCTAssertEqual(try bordin(["--version"], in: p.root).status, 0)
    XCTAssertEqual(try bordin(["render"], in: p.root).status, 2)
    XCTAssertEqual(try bordin(["render", "x.md", "--param", "novalue"], in: p.root).status, 2)
    XCTAssertEqual(try bordin(["frobnicate"], in: p.root).status, 2)
    XCTAssertEqual(try bordin(["render", "missing.md"], in: p.root).status, 1)
    let d = try bordin(["directives", "regress"], in: p.root)
    XCTAssertEqual(d.status, 0)
    XCTAssertTrue(d.stdout.contains("formula"))
    XCTAssertEqual(try bordin(["directives", "regres"], in: p.root).status, 2)
  }

  func testCheckWritesNothing() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("data.csv", smallCSV)
    p.write("r.md", "---\ndata:\n  d: data.csv\n---\n\n```{describe #a}\ndata: d\nvars: x\n```\n")
    let r = try bordin(["check", "r.md"], in: p.root)
    XCTAssertEqual(r.status, 0, r.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: p.root.appendingPathComponent("_out").path))
  }
}
