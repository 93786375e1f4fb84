import Foundation
import XCTest

/// DESIGN.md §5 across machines: optimisers converge far inside what is printed, so a report's
/// HTML is byte-identical under every OpenBLAS kernel (whose floating-point results differ in the
/// last bits). The example reports with mixed models (Satterthwaite df on flat REML surfaces, the
/// numbers most sensitive to the optimum) are rendered by the `bordin` executable with
/// OPENBLAS_CORETYPE set to Prescott, Haswell and SkylakeX in the child's environment.
///
/// Before the Newton polish of θ and the Satterthwaite step floors, prac-growth printed the df of
/// `anxiety` as 176.28 under one kernel and 176.29 under another.
/// Scripts/kernel-drift.sh does the same for every report and the monthly site.
final class CrossKernelTests: XCTestCase {
  static let kernels = ["Prescott", "Haswell", "SkylakeX"]
  static let reports = ["prac-growth", "sessions-alliance", "accurso-2016-perspectives"]

  /// Renders `reports/NAME.md` with OPENBLAS_CORETYPE=`kernel` into `out`.
  private func render(_ name: String, kernel: String, out: URL) throws -> BordinRun {
    let p = Process()
    p.executableURL = bordinBinary
    p.arguments = ["render", "reports/\(name).md", "--no-cache", "--out", out.path]
    p.currentDirectoryURL = repositoryRoot
    var env = ProcessInfo.processInfo.environment
    env["OPENBLAS_CORETYPE"] = kernel
    p.environment = env
    let o = Pipe(), e = Pipe()
    p.standardOutput = o
    p.standardError = e
    try p.run()
    let od = o.fileHandleForReading.readDataToEndOfFile()
    let ed = e.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return BordinRun(
      status: p.terminationStatus, stdout: String(decoding: od, as: UTF8.self),
      stderr: String(decoding: ed, as: UTF8.self))
  }

  func testMixedModelReportsAreByteIdenticalUnderEveryOpenBLASKernel() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("bordin-cross-kernel-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: root) }
    for name in Self.reports {
      var pages: [String: Data] = [:]
      for kernel in Self.kernels {
        let out = root.appendingPathComponent("\(kernel)-\(name)")
        let r = try render(name, kernel: kernel, out: out)
        XCTAssertEqual(r.status, 0, "\(name) under \(kernel): \(r.stderr)")
        pages[kernel] = try Data(contentsOf: out.appendingPathComponent("\(name).html"))
      }
      let first = pages[Self.kernels[0]]!
      XCTAssertGreaterThan(first.count, 1000, name)
      for kernel in Self.kernels.dropFirst() {
        XCTAssertTrue(
          pages[kernel] == first,
          "\(name).html differs between OPENBLAS_CORETYPE=\(Self.kernels[0]) and \(kernel): \(firstDifference(first, pages[kernel]!))")
      }
    }
  }

  /// The first differing region of two pages, for the failure message.
  private func firstDifference(_ a: Data, _ b: Data) -> String {
    let x = [UInt8](a), y = [UInt8](b)
    let common = min(x.count, y.count)
    guard let i = (0..<common).first(where: { x[$0] != y[$0] }) ?? (x.count == y.count ? nil : common)
    else { return "no difference" }
    func excerpt(_ bytes: [UInt8]) -> String {
      String(decoding: bytes[max(0, i - 60)..<min(bytes.count, i + 60)], as: UTF8.self)
    }
    return "byte \(i): …\(excerpt(x))… vs …\(excerpt(y))…"
  }
}
