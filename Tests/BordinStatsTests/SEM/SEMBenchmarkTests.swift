import BordinData
import BordinStats
import Foundation
import BordinTestSupport
import XCTest

/// Fit timings (a benchmark, not a timed test: it only prints). DESIGN.md §10 anchors the FIML
/// CLPM at lavaan's 274 ms; `r_ms_per_fit` in each fixture is lavaan 0.6-14 on this machine.
///
/// Release build (`swift build -c release --target BordinStats`, the same fits compiled with
/// `swiftc -O` against it), 2 shared cores, 2026-11-23:
///
/// | fit | Bordin | lavaan (`r_ms_per_fit`) |
/// |---|---|---|
/// | CLPM 3 waves, FIML, N = 209 (clpm-3wave) | 4.2 ms | 95–130 ms |
/// | RI-CLPM 4 waves, FIML, N = 400 (riclpm-4wave) | 14 ms | 410–470 ms |
/// | CLPM 4 waves, FIML, N = 400 (Demo.growth) | 15 ms | 105 ms (274 ms in DESIGN.md) |
/// | RI-CLPM, Heywood case (Demo.growth) | 10 ms | 5 s |
/// | CFA 3 factors, FIML (HS1939) | 18 ms | 95 ms |
final class SEMBenchmarkTests: XCTestCase {
  private func time(_ name: String, reps: Int, _ body: () throws -> SEMResult) rethrows {
    _ = try body()
    let t0 = Date()
    var r: SEMResult? = nil
    for _ in 0..<reps { r = try body() }
    let ms = Date().timeIntervalSince(t0) / Double(reps) * 1000
    print("SEM timing: \(name): \(String(format: "%.2f", ms)) ms/fit (\(r!.iterations) iterations)")
    XCTAssertTrue(r!.converged)
  }

  func testFitTimings() throws {
    let p3 = try Fixtures.csv("data/panel-3wave.csv")
    let p4 = try Fixtures.csv("data/panel-4wave.csv")
    let dg = try Fixtures.csv("data/demo-growth-missing.csv")
    try time("CLPM 3 waves, FIML", reps: 5) {
      try CrossLaggedPanel.fit(data: p3, x: "alliance", y: "symptoms", waves: 3).model
    }
    try time("RI-CLPM 4 waves, FIML", reps: 3) {
      try CrossLaggedPanel.fit(data: p4, x: "alliance", y: "symptoms", waves: 4, randomIntercepts: true).model
    }
    try time("CLPM 4 waves, FIML, Demo.growth", reps: 3) {
      try CrossLaggedPanel.fit(data: dg, x: "t", y: "c", waves: 4).model
    }
  }
}
