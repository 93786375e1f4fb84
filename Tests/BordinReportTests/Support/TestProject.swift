import Foundation
import XCTest

@testable import BordinReport

/// A throw-away project folder (with bordin.yml) for rendering test reports.
struct TestProject {
  let root: URL

  init(_ name: String = #function) {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    root = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-tests-\(safe)-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: root)
    try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    write("bordin.yml", "")
  }

  @discardableResult
  func write(_ path: String, _ text: String) -> URL {
    let url = root.appendingPathComponent(path)
    try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try! Data(text.utf8).write(to: url)
    return url
  }

  /// Renders `report` (written as report.md) and returns the result or the diagnostics.
  func render(_ report: String, name: String = "report.md", options: RenderOptions = .init()) -> Result<RenderedReport, ReportErrors> {
    let url = write(name, report)
    do {
      return .success(try Renderer.render(file: url, displayPath: name, options: options))
    } catch {
      return .failure(error)
    }
  }

  /// The diagnostics of a report that must fail.
  func errors(_ report: String, file: StaticString = #filePath, line: UInt = #line) -> [Diagnostic] {
    switch render(report) {
    case .success: XCTFail("expected the report to fail", file: file, line: line); return []
    case .failure(let e): return e.diagnostics.filter { $0.severity == .error }
    }
  }

  func html(_ report: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    switch render(report) {
    case .success(let r): return r.html
    case .failure(let e): XCTFail("render failed:\n\(e)", file: file, line: line); return ""
    }
  }
}

/// The repository root (for fixtures, reports and data).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")

let smallCSV = """
id,group,x,y,label
1,a,1.5,2,one
2,a,2.5,4.1,two
3,b,3,5.9,three
4,b,4.25,8.2,four
5,a,5,9.8,five
6,b,6,12.3,six

"""
