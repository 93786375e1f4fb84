import XCTest

@testable import BordinSimulation
import BordinStats

/// The simulators' building blocks (SimulationSupport.swift).
final class SimulatorSupportTests: XCTestCase {
  func testNamedStreamsAreIndependentAndReproducible() {
    var a = SplitMix64(seed: 1978, stream: "prac/children")
    var b = SplitMix64(seed: 1978, stream: "prac/children")
    var c = SplitMix64(seed: 1978, stream: "prac/therapists")
    let x = (0..<4).map { _ in a.next() }
    XCTAssertEqual(x, (0..<4).map { _ in b.next() })
    XCTAssertNotEqual(x, (0..<4).map { _ in c.next() })
  }

  func testIntegersAndShuffle() {
    var rng = SplitMix64(seed: 5)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<7000 { counts[rng.integer(below: 7)] += 1 }
    // Each count is Binomial(7000, 1/7): mean 1000, SD 29; 5 SD either side.
    XCTAssertTrue(counts.allSatisfy { abs($0 - 1000) < 150 }, "\(counts)")
    var a = Array(0..<50)
    rng.shuffle(&a)
    XCTAssertEqual(a.sorted(), Array(0..<50))
    XCTAssertNotEqual(a, Array(0..<50))
  }

  func testLikertItemsAddUpWithinTheRange() {
    var rng = SplitMix64(seed: 9)
    let offsets = [0.5, -0.5, 0.25, -0.25, 0, 0]
    for total in 6...24 {
      for _ in 0..<20 {
        let noise = (0..<6).map { _ in 0.8 * rng.normal() }
        let items = Simulation.items(total: total, offsets: offsets, noise: noise, low: 1, high: 4)
        XCTAssertEqual(items.reduce(0, +), total)
        XCTAssertTrue(items.allSatisfy { (1...4).contains($0) })
      }
    }
    XCTAssertEqual(Simulation.items(total: 6, offsets: offsets, noise: [3, 3, 3, 3, 3, 3], low: 1, high: 4), [1, 1, 1, 1, 1, 1])
    XCTAssertEqual(Simulation.items(total: 24, offsets: offsets, noise: [-3, -3, -3, -3, -3, -3], low: 1, high: 4), [4, 4, 4, 4, 4, 4])
    // Without noise, items follow their offsets; of two equal remainders the lower index gives way.
    XCTAssertEqual(Simulation.items(total: 15, offsets: offsets, noise: [0, 0, 0, 0, 0, 0], low: 1, high: 4), [3, 2, 3, 2, 2, 3])
  }

  func testTotalsAndRounding() {
    XCTAssertEqual(Simulation.total(49.7, items: 12, low: 1, high: 4), 48)
    XCTAssertEqual(Simulation.total(3, items: 12, low: 1, high: 4), 12)
    XCTAssertEqual(Simulation.total(30.5, items: 12, low: 1, high: 4), 31)
    XCTAssertEqual(Simulation.round(3.14159, 2), 3.14)
    XCTAssertEqual(Simulation.round(-2.5), -3)
    let l = Simulation.cholesky([[1, 0.5], [0.5, 1]])
    XCTAssertEqual(l[1][0], 0.5)
    XCTAssertEqual(l[1][1], 0.75.squareRoot(), accuracy: 1e-15)
  }
}
