import BordinTestSupport
import XCTest

final class SnapshotSupportTests: XCTestCase {
  func testLineDiffShowsRemovedThenAddedLinesWithNumbers() {
    XCTAssertEqual(lineDiff(expected: "a\nb\nc", actual: "a\nB\nc"), "-2: b\n+2: B")
    XCTAssertEqual(lineDiff(expected: "a\nb", actual: "a\nb\nc"), "+3: c")
    XCTAssertEqual(lineDiff(expected: "same", actual: "same"), "")
  }

  func testLineEndingsAreNormalised() {
    XCTAssertEqual(normalizeLineEndings("a\r\nb\rc\n"), "a\nb\nc\n")
  }
}
