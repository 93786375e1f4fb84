import XCTest

@testable import BordinReport

/// `utf8Range(of:)`: the byte search that replaced Foundation's `range(of:)` on whole pages.
final class StringByteSearchTests: XCTestCase {
  func testFindsTheFirstOccurrenceAfterMultibyteText() {
    let s = "Größe → ηδ <meta a><meta b>"
    let r = s.utf8Range(of: "<meta")
    XCTAssertEqual(r.map { String(s[$0.lowerBound...]) }, "<meta a><meta b>")
    XCTAssertEqual(r.map { String(s[$0]) }, "<meta")
  }

  func testEdgesAndAbsence() {
    XCTAssertNil("abc".utf8Range(of: "abcd"))
    XCTAssertNil("abc".utf8Range(of: ""))
    XCTAssertNil("".utf8Range(of: "a"))
    XCTAssertNil("aab".utf8Range(of: "abb"))
    let s = "xxab"
    XCTAssertEqual(s.utf8Range(of: "ab").map { s.distance(from: s.startIndex, to: $0.lowerBound) }, 2)
    XCTAssertEqual(s.utf8Range(of: "xxab"), s.startIndex..<s.endIndex)
  }

  func testSubstringIndicesAreTheBaseStrings() {
    let s = "é}}first}} second}}"
    let sub = s[s.index(after: s.firstIndex(of: "t")!)...]
    let r = sub.utf8Range(of: "}}")
    XCTAssertEqual(r.map { String(s[$0.upperBound...]) }, " second}}")
  }

  /// Agrees with Foundation's search on every cut of a mixed string.
  func testAgreesWithFoundationOnEveryNeedle() {
    let s = "α<b>ß</b> {{x}} {row.a} \u{1F600}<meta name=\"q\">"
    let chars = Array(s)
    for i in 0..<chars.count {
      for j in (i + 1)...min(chars.count, i + 6) {
        let needle = String(chars[i..<j])
        guard needle.unicodeScalars.first!.isASCII else { continue }
        XCTAssertEqual(s.utf8Range(of: needle), s.range(of: needle), needle)
      }
    }
  }

  /// The backward search agrees with Foundation's `.backwards` search on every cut, and finds
  /// nothing in a substring that ends before the only occurrence.
  func testLastRangeAgreesWithFoundationBackwards() {
    let s = "α<b>ß</b> {{x}} <b>{row.a}</b> \u{1F600}<b>"
    let chars = Array(s)
    for i in 0..<chars.count {
      for j in (i + 1)...min(chars.count, i + 6) {
        let needle = String(chars[i..<j])
        guard needle.unicodeScalars.first!.isASCII else { continue }
        XCTAssertEqual(s.utf8LastRange(of: needle), s.range(of: needle, options: .backwards), needle)
      }
    }
    let t = "ab{{cd"
    XCTAssertNil(t[..<t.index(t.startIndex, offsetBy: 3)].utf8LastRange(of: "{{"))
    XCTAssertNil("".utf8LastRange(of: "x"))
  }
}
