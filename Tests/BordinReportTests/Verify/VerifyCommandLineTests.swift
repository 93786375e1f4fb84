import Foundation
import XCTest

@testable import BordinReport

/// Runs the built `bordin` with `args` in `dir`, with `env` added to the environment.
func runBordin(_ args: [String], in dir: URL, env: [String: String]) throws -> BordinRun {
  let p = Process()
  p.executableURL = bordinBinary
  p.arguments = args
  p.currentDirectoryURL = dir
  p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
  let out = Pipe(), err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return BordinRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// Issue 14: a page rendered under one OpenBLAS kernel verifies under each other kernel, and
/// tampering is still caught there.
final class VerifyCommandLineTests: XCTestCase {
  let kernels = ["Prescott", "SkylakeX"]

  func renderUnderHaswell() throws -> TestProject {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let p = try kernelProject(name)
    let r = try runBordin(["render", "r.md", "--out", "out", "--no-cache"], in: p.root, env: ["OPENBLAS_CORETYPE": "Haswell"])
    XCTAssertEqual(r.status, 0, r.stderr)
    return p
  }

  func verify(_ p: TestProject, _ kernel: String) throws -> BordinRun {
    try runBordin(["verify", "out/r.html"], in: p.root, env: ["OPENBLAS_CORETYPE": kernel])
  }

  func testVerifiesUnderEveryOtherKernel() throws {
    let p = try renderUnderHaswell()
    for k in kernels {
      let r = try verify(p, k)
      XCTAssertEqual(r.status, 0, "\(k): \(r.stdout)\(r.stderr)")
      XCTAssertTrue(r.stdout.hasPrefix("out/r.html: verified: "), r.stdout)
      // The platform is printed when it differs (only when OpenBLAS honours the kernel choice).
      if Platform.current.blasKernel != "" { XCTAssertTrue(r.stdout.contains("Haswell"), r.stdout) }
    }
    // The same page under each kernel: printed numbers do not depend on it.
    let page = try Data(contentsOf: p.root.appendingPathComponent("out/r.html"))
    for k in kernels {
      XCTAssertEqual(try runBordin(["render", "r.md", "--out", "out-\(k)", "--no-cache"], in: p.root, env: ["OPENBLAS_CORETYPE": k]).status, 0)
      XCTAssertEqual(try Data(contentsOf: p.root.appendingPathComponent("out-\(k)/r.html")), page, k)
    }
  }

  /// BLAS is opened on the first matrix routine; a report that never multiplies a matrix still
  /// records the BLAS and kernel (not "unknown BLAS"), so a record never depends on whether the
  /// process had happened to load it before.
  func testARecordWithoutMatrixWorkNamesTheBLAS() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let p = TestProject(name)
    p.write("r.md", "---\ntitle: No matrices\n---\n\nText only.\n")
    let r = try runBordin(["render", "r.md", "--out", "out"], in: p.root, env: ["OPENBLAS_CORETYPE": "Haswell"])
    XCTAssertEqual(r.status, 0, r.stderr)
    let json = try String(contentsOf: p.root.appendingPathComponent("out/r.results.json"), encoding: .utf8)
    XCTAssertTrue(json.contains("\"blas\": \"\(Platform.current.blas)\""), json)
    XCTAssertFalse(json.contains("unknown BLAS"), json)
    if Platform.current.blasKernel != "" { XCTAssertTrue(json.contains("\"blas_kernel\": \"Haswell\""), json) }
  }

  func testTamperingIsCaughtUnderOtherKernels() throws {
    let edits: [(String, (TestProject) throws -> Void, String)] = [
      ("printed number", { p in
        let html = p.root.appendingPathComponent("out/r.html")
        let shown = ComputedValues.text(try String(contentsOf: html, encoding: .utf8), "fixed.estimate")!
        try editFile(html, "data-ref=\"fixed.estimate\">\(shown)<", "data-ref=\"fixed.estimate\">0.999<")
      }, "difference: value fixed.estimate"),
      ("data file", { p in try editFile(p.root.appendingPathComponent("studies.csv"), "H,0.52,0.026", "H,0.62,0.026") },
       "difference: data 'studies' (studies.csv) changed"),
      ("template", { p in try editFile(p.root.appendingPathComponent("r.md"), "method: FE", "method: DL") },
       "difference: template r.md changed"),
      ("param", { p in
        let html = p.root.appendingPathComponent("out/r.html")
        try editFile(html, "content=\"site=north\"", "content=\"site=south\"")
      }, "difference: param 'site': the HTML records 'south', the provenance record 'north'"),
    ]
    for (what, edit, message) in edits {
      let p = try renderUnderHaswell()
      try edit(p)
      for k in kernels {
        let r = try verify(p, k)
        XCTAssertEqual(r.status, 1, "\(what) under \(k): \(r.stdout)")
        XCTAssertTrue(r.stdout.hasPrefix("out/r.html: NOT verified: "), r.stdout)
        XCTAssertTrue(r.stdout.contains(message), "\(what) under \(k): \(r.stdout)")
      }
    }
  }

  /// Issue 15.2 through the CLI: a record naming /etc/passwd prints none of it.
  func testRecordNamingASystemFilePrintsNothingOfIt() throws {
    let p = try renderUnderHaswell()
    let url = p.root.appendingPathComponent("out/r.results.json")
    try editFile(url, "\"path\": \"r.md\"", "\"path\": \"/etc/passwd\"")
    let r = try verify(p, "Haswell")
    XCTAssertEqual(r.status, 1)
    XCTAssertFalse(r.stdout.contains("root:"), r.stdout)
    XCTAssertTrue(r.stdout.contains("difference: the template '/etc/passwd' is absolute"), r.stdout)
  }
}
