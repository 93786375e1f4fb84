import Foundation
import XCTest

@testable import BordinData

/// Bad input must give errors, never crashes: random bytes, random expressions, deep nesting.
final class RobustnessTests: XCTestCase {
  /// A small deterministic generator (SplitMix64), so failures reproduce.
  struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  func testRandomBytesNeverCrashTheCSVReader() {
    var rng = SplitMix(state: 1979)
    let alphabet = Array("a1,\"\n\r\t .-eNA".utf8) + [0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF]
    var outcomes: [String: Int] = [:]
    for _ in 0..<3000 {
      let length = rng.below(40)
      let bytes = (0..<length).map { _ in alphabet[rng.below(alphabet.count)] }
      do throws(DataError) {
        let t = try CSVReader.read(bytes)
        for c in t.columns { XCTAssertEqual(c.count, t.rowCount) }
        outcomes["ok", default: 0] += 1
      } catch {
        outcomes[error.code, default: 0] += 1
        XCTAssertNotNil(error.line ?? (error.code == "csv-empty" ? 0 : nil), "\(error)")
      }
    }
    XCTAssertGreaterThan(outcomes["ok", default: 0], 50, "\(outcomes)")
    XCTAssertGreaterThan(outcomes["csv-ragged", default: 0], 50, "\(outcomes)")
  }

  func testRandomExpressionsNeverCrashTheEvaluator() {
    var rng = SplitMix(state: 2011)
    let pieces = [
      "x", "g", "t", "1", "0", "-", "+", "*", "/", "^", "%%", "%/%", "%in%", "(", ")", ",", "!",
      "==", "<", "&", "|", "NA", "TRUE", "'a'", "c(", "mean(", "lag(", "if_else(", "round(",
      "paste(", "n(", "sd(", "coalesce(", "is_na(", "pmin(", "cumsum(", "log(", "Inf", "2.5",
    ]
    let table = Table([
      ("x", .numeric([1, .nan, 3, -2])), ("g", .text(["a", "b", nil, "a"])),
      ("t", .logical([true, false, nil, true])),
    ])
    let context = EvaluationContext(table: table, groupBy: ["g"], orderBy: ["x"])
    var evaluated = 0
    for _ in 0..<5000 {
      let text = (0..<(1 + rng.below(12))).map { _ in pieces[rng.below(pieces.count)] }
        .joined(separator: " ")
      do throws(DataError) {
        let c = try context.evaluate(text)
        XCTAssertEqual(c.count, table.rowCount, text)
        evaluated += 1
      } catch {
        XCTAssertFalse(error.code.isEmpty)
      }
    }
    XCTAssertGreaterThan(evaluated, 50)
  }

  func testMaximumNestingRunsOnASmallStack() {
    let depth = ExpressionParser.maximumDepth - 1
    let texts = [
      String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth),
      String(repeating: "abs(", count: depth - 1) + "x" + String(repeating: ")", count: depth - 1),
      Array(repeating: "x", count: depth).joined(separator: " + "),
      String(repeating: "-", count: depth - 1) + "x",
    ]
    let table = Table([("x", .numeric([1, 2]))])
    let done = expectation(description: "evaluated")
    let results = Results()
    let thread = Thread {
      for text in texts {
        do throws(DataError) {
          results.append(try EvaluationContext(table: table).evaluate(text))
        } catch {
          results.append(.text([error.description]))
        }
      }
      done.fulfill()
    }
    // Release builds need under 256 KiB at the maximum depth; debug frames are about 8× larger.
    thread.stackSize = 4 << 20
    thread.start()
    wait(for: [done], timeout: 60)
    XCTAssertEqual(
      results.values,
      [.numeric([1, 2]), .numeric([1, 2]), .numeric([199, 398]), .numeric([1, 2])])  // 198 minus signs
  }

  final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Column] = []
    func append(_ c: Column) { lock.withLock { stored.append(c) } }
    var values: [Column] { lock.withLock { stored } }
  }
}
