import BordinData
import BordinStats
import Foundation
import XCTest

@testable import BordinReport

/// `bordin simulate`: byte-identical files for a seed, the README and parameters.csv, CSV
/// round trips, the CLI's usage errors, and the repository's simulated datasets (data/prac,
/// data/coping-power, data/sessions), which must be exactly what seed 1978 writes.
final class SimulateTests: XCTestCase {
  func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("bordin-simulate-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: url)
    return url
  }

  func testSameSeedSameBytes() throws {
    for design in Simulate.designs {
      let a = temporaryFolder("\(design)-a"), b = temporaryFolder("\(design)-b")
      defer {
        try? FileManager.default.removeItem(at: a)
        try? FileManager.default.removeItem(at: b)
      }
      let first = try Simulate.run(design: design, seed: 42, out: a)
      let second = try Simulate.run(design: design, seed: 42, out: b)
      XCTAssertEqual(first.map(\.lastPathComponent), second.map(\.lastPathComponent))
      XCTAssertEqual(first.last?.lastPathComponent, "README.md")
      XCTAssertTrue(first.map(\.lastPathComponent).contains("parameters.csv"))
      for (x, y) in zip(first, second) {
        XCTAssertEqual(try Data(contentsOf: x), try Data(contentsOf: y), "\(design)/\(x.lastPathComponent)")
      }
      // Nothing else (no temporary files) is left in the folder.
      XCTAssertEqual(
        try FileManager.default.contentsOfDirectory(atPath: a.path).sorted(), first.map(\.lastPathComponent).sorted())
    }
  }

  func testReadmeHasSeedParametersAndChecksums() throws {
    let dir = temporaryFolder("readme")
    defer { try? FileManager.default.removeItem(at: dir) }
    let written = try Simulate.run(design: "coping-power", seed: 7, out: dir)
    let readme = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
    XCTAssertTrue(readme.contains("--seed 7"))
    XCTAssertTrue(readme.contains("Generated with seed 7."))
    let study = try Simulate.study(design: "coping-power", seed: 7)
    for p in study.parameters { XCTAssertTrue(readme.contains("| `\(p.name)` |"), p.name) }
    for url in written where url.lastPathComponent != "README.md" {
      XCTAssertTrue(readme.contains("`\(sha256Hex(try Data(contentsOf: url)))`"), url.lastPathComponent)
    }
    // parameters.csv reads back to the same doubles.
    let t = try CSVReader.read(Array(try Data(contentsOf: dir.appendingPathComponent("parameters.csv"))))
    guard case .text(let names)? = t["name"], case .numeric(let values)? = t["value"] else {
      return XCTFail("parameters.csv has no name/value columns")
    }
    XCTAssertEqual(names, study.parameters.map(\.name))
    XCTAssertEqual(values.map(\.bitPattern), study.parameters.map(\.value.bitPattern))
  }

  /// CSVReader reads the written files back to the same tables (NA as empty cells).
  func testCSVRoundTrip() throws {
    let study = try Simulate.study(design: "prac", seed: 3)
    for f in study.files {
      let text = CSVWriter.write(f.table)
      let back = try CSVReader.read(Array(text.utf8))
      XCTAssertEqual(back.names, f.table.names)
      XCTAssertEqual(CSVWriter.write(back), text, f.name)
    }
    let t = Table([
      ("s", .text(["a,b", "say \"hi\"", " x", "", nil, "plain"])), ("x", .numeric([1, 0.1, -2.5, .nan, 1e-20, 3])),
      ("b", .logical([true, false, nil, true, true, false])),
    ])
    XCTAssertEqual(
      CSVWriter.write(t), "s,x,b\n\"a,b\",1,TRUE\n\"say \"\"hi\"\"\",0.1,FALSE\n\" x\",-2.5,\n\"\",,TRUE\n,1e-20,TRUE\nplain,3,FALSE\n")
  }

  func testUnknownDesign() {
    XCTAssertThrowsError(try Simulate.study(design: "prak", seed: 1)) { error in
      XCTAssertEqual((error as? Simulate.UnknownDesign)?.suggestion, "prac")
      XCTAssertTrue("\(error)".contains("did you mean 'prac'?"))
    }
    XCTAssertNil(Simulate.unknownDesign("zzzzzzzz").suggestion)
  }

  func testCommandLine() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let dir = temporaryFolder("cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let ok = try run(["simulate", "sessions", "--seed", "5", "--out", "out"], in: dir)
    XCTAssertEqual(ok.status, 0, ok.stderr)
    XCTAssertEqual(ok.stdout, ["sessions.csv", "wai_items.csv", "parameters.csv", "README.md"].map { "out/\($0)\n" }.joined())
    let expected = Simulate.files(try Simulate.study(design: "sessions", seed: 5))
    for f in expected {
      XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("out/\(f.name)"), encoding: .utf8), f.text, f.name)
    }
    let bad = try run(["simulate", "sesions", "--seed", "5", "--out", "out"], in: dir)
    XCTAssertEqual(bad.status, 2)
    XCTAssertTrue(bad.stderr.contains("did you mean 'sessions'?"), bad.stderr)
    let noSeed = try run(["simulate", "prac", "--out", "out"], in: dir)
    XCTAssertEqual(noSeed.status, 2)
  }

  /// data/<design>/ is `bordin simulate <design> --seed 1978`, byte for byte, and data/README.md
  /// lists every CSV there with its SHA-256.
  func testRepositoryDatasetsAreSeed1978() throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("data/README.md"), encoding: .utf8)
    for design in Simulate.designs {
      let dir = design == "prn" ? "prn/simulated" : design
      let folder = repositoryRoot.appendingPathComponent("data/\(dir)")
      for f in Simulate.files(try Simulate.study(design: design, seed: 1978)) {
        let data = try Data(contentsOf: folder.appendingPathComponent(f.name))
        XCTAssertEqual(data, Data(f.text.utf8), "data/\(dir)/\(f.name) differs from seed 1978's; run `bordin simulate \(design) --seed 1978 --out data/\(dir)`")
        if f.name.hasSuffix(".csv") {
          let line = readme.split(separator: "\n").first { $0.contains("`\(dir)/\(f.name)`") }
          XCTAssertNotNil(line, "data/README.md does not list \(dir)/\(f.name)")
          XCTAssertTrue(line?.contains(sha256Hex(data)) ?? false, "SHA-256 of \(dir)/\(f.name) differs from data/README.md")
        }
      }
    }
  }

  func run(_ args: [String], in dir: URL) throws -> BordinRun { try runBordin(args, in: dir) }
}
