import Foundation
import XCTest

/// The built `bordin` executable (next to the test bundle, or in .build/debug).
var bordinBinary: URL {
  var dir = Bundle.main.bundleURL
  for _ in 0..<3 {
    let candidate = dir.appendingPathComponent("bordin")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    dir = dir.deletingLastPathComponent()
  }
  return repositoryRoot.appendingPathComponent(".build/debug/bordin")
}

/// What a run of the `bordin` executable printed and returned.
struct BordinRun { var status: Int32; var stdout: String; var stderr: String }

/// Runs the built `bordin` with `args` in `dir`.
func runBordin(_ args: [String], in dir: URL) throws -> BordinRun {
  let p = Process()
  p.executableURL = bordinBinary
  p.arguments = args
  p.currentDirectoryURL = dir
  let out = Pipe(), err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  // Read stderr on another thread: reading one pipe to its end while the child fills the other
  // (more than a pipe buffer, 64 KiB) would deadlock both.
  nonisolated(unsafe) var e = Data()
  let stderrDone = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    e = err.fileHandleForReading.readDataToEndOfFile()
    stderrDone.signal()
  }
  let o = out.fileHandleForReading.readDataToEndOfFile()
  stderrDone.wait()
  p.waitUntilExit()
  return BordinRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

