import BordinData
import XCTest

@testable import BordinSimulation
import BordinStats

/// Helpers for the study-design simulator tests.
enum SimulationAssertions {
  /// Every file of a study as CSV text, plus its parameters: equal fingerprints mean equal
  /// bytes on disk (NaN-safe, unlike comparing tables with ==).
  static func fingerprint(_ s: SimulatedStudy) -> String {
    var out = ""
    for f in s.files { out += "## \(f.name)\n" + CSVWriter.write(f.table) }
    for p in s.parameters { out += "\(p.name)=\(p.value.bitPattern)|\(p.description)\n" }
    return out + s.readme
  }

  /// Asserts |estimate − truth| ≤ 4 SE.
  static func assertWithin4SE(
    _ name: String, estimate: Double, se: Double, truth: Double, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertTrue(se.isFinite && se > 0, "\(name): se \(se)", file: file, line: line)
    XCTAssertLessThanOrEqual(
      abs(estimate - truth), 4 * se, "\(name): estimate \(estimate), truth \(truth), se \(se)", file: file, line: line)
  }
}

extension Table {
  /// A text column by name (test helper).
  func texts(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> [String?] {
    guard case .text(let v)? = self[name] else {
      XCTFail("no text column \(name)", file: file, line: line)
      return []
    }
    return v
  }
}
