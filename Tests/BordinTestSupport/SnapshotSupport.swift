import Foundation
import XCTest

/// Compares `actual` with the golden file `<directory>/<name>` (by default the plot snapshots,
/// Tests/BordinPlotTests/Snapshots).
///
/// - A missing golden file is written and the test fails ("recorded; re-run").
/// - With `RECORD_SNAPSHOTS=1` the golden file is rewritten and the test passes.
/// - Line endings are normalised to LF on both sides; a mismatch prints a line diff.
/// Folders of golden files.
public enum Snapshots {
  /// Tests/BordinPlotTests/Snapshots (from this file: Tests/BordinTestSupport/).
  public static let plots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("BordinPlotTests/Snapshots")
}

public func assertSnapshot(
  _ actual: String, named name: String, in directory: URL = Snapshots.plots,
  file: StaticString = #filePath, line: UInt = #line
) {
  let url = directory.appendingPathComponent(name)
  let normalized = normalizeLineEndings(actual)
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  let existing = try? String(contentsOf: url, encoding: .utf8)

  if record || existing == nil {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(normalized.utf8).write(to: url)
    } catch {
      XCTFail("could not write snapshot \(url.path): \(error)", file: file, line: line)
      return
    }
    if existing == nil && !record {
      XCTFail("recorded new snapshot \(name); check it and re-run", file: file, line: line)
    }
    return
  }
  let expected = normalizeLineEndings(existing ?? "")
  if expected != normalized {
    XCTFail(
      "snapshot \(name) differs (re-record with RECORD_SNAPSHOTS=1):\n" + lineDiff(expected: expected, actual: normalized),
      file: file, line: line)
  }
}

public func normalizeLineEndings(_ text: String) -> String {
  text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
}

/// A unified-style line diff (`-` expected, `+` actual) from a longest common subsequence,
/// showing changed lines with their line numbers and at most `limit` lines of output.
public func lineDiff(expected: String, actual: String, limit: Int = 80) -> String {
  let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let n = a.count
  let m = b.count
  var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
  for i in stride(from: n - 1, through: 0, by: -1) {
    for j in stride(from: m - 1, through: 0, by: -1) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  var out: [String] = []
  var i = 0
  var j = 0
  while i < n || j < m {
    if i < n && j < m && a[i] == b[j] {
      i += 1
      j += 1
    } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.append("-\(i + 1): \(a[i])")
      i += 1
    } else {
      out.append("+\(j + 1): \(b[j])")
      j += 1
    }
  }
  if out.count > limit { out = Array(out.prefix(limit)) + ["… \(out.count - limit) more lines differ"] }
  return out.joined(separator: "\n")
}
