import Foundation
import XCTest

@testable import BordinReport

/// Output is written atomically, never through a planted name, and as consistent pairs.
final class OutputTests: XCTestCase {
  /// Issue 15: the temporary name `.NAME.tmp-PID` was predictable, so a symlink planted under it
  /// made a render overwrite a file outside --out.
  func testPlantedSymlinkAtTheOldTemporaryNameIsNotFollowed() throws {
    let p = TestProject(name)
    let victim = p.write("victim.txt", "precious\n")
    let out = p.root.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent(".r.html.tmp-\(ProcessInfo.processInfo.processIdentifier)").path,
                                               withDestinationPath: victim.path)
    try Output.writeAtomically("<p>new</p>\n", to: out.appendingPathComponent("r.html"))
    XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "precious\n")
    XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("r.html"), encoding: .utf8), "<p>new</p>\n")
  }

  /// A symlink standing at the output name itself is replaced, its target untouched.
  func testSymlinkAtTheOutputNameIsReplacedNotFollowed() throws {
    let p = TestProject(name)
    let victim = p.write("victim.txt", "precious\n")
    let out = p.root.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("r.html").path, withDestinationPath: victim.path)
    try Output.writePair(html: "h\n", to: out.appendingPathComponent("r.html"), record: "{}\n", to: out.appendingPathComponent("r.results.json"))
    XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "precious\n")
    XCTAssertEqual(try FileManager.default.destinationOfSymbolicLinkOrNil(out.appendingPathComponent("r.html")), nil)
    XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("r.html"), encoding: .utf8), "h\n")
  }

  func testPairLeavesNoTemporariesAndIsReadable() throws {
    let p = TestProject(name)
    let out = p.root.appendingPathComponent("out")
    try Output.writePair(html: "h\n", to: out.appendingPathComponent("r.html"), record: "{}\n", to: out.appendingPathComponent("r.results.json"))
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["r.html", "r.results.json"])
    let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("r.html").path)[.posixPermissions] as? Int
    XCTAssertEqual(mode, 0o644)
  }

  /// Two writers into one folder: every pair on disk is one writer's pair.
  func testConcurrentPairsStayConsistent() throws {
    let p = TestProject(name)
    let out = p.root.appendingPathComponent("out")
    let html = out.appendingPathComponent("r.html"), json = out.appendingPathComponent("r.results.json")
    final class Errors: @unchecked Sendable { let lock = NSLock(); var list: [String] = [] }
    let errors = Errors()
    for round in 0..<150 {
      DispatchQueue.concurrentPerform(iterations: 2) { w in
        do {
          try Output.writePair(html: "writer \(w) round \(round)\n", to: html, record: "writer \(w) round \(round)\n", to: json)
        } catch {
          errors.lock.lock(); errors.list.append("\(error)"); errors.lock.unlock()
        }
      }
      XCTAssertEqual(try String(contentsOf: html, encoding: .utf8), try String(contentsOf: json, encoding: .utf8), "round \(round)")
    }
    XCTAssertEqual(errors.list, [])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["r.html", "r.results.json"])
  }
}

extension FileManager {
  func destinationOfSymbolicLinkOrNil(_ url: URL) throws -> String? {
    try? destinationOfSymbolicLink(atPath: url.path)
  }
}
