import XCTest

@testable import BordinData

final class HelperTests: XCTestCase {
  func testClosestMatch() {
    XCTAssertEqual(closestMatch("aliance", in: ["client", "alliance", "outcome"]), "alliance")
    XCTAssertEqual(closestMatch("Alliance", in: ["alliance"]), "alliance")
    XCTAssertEqual(closestMatch("xyz", in: ["alliance", "outcome"]), nil)
    XCTAssertEqual(closestMatch("alliance", in: ["alliance"]), nil)
    XCTAssertEqual(closestMatch("sesion", in: ["session", "sessions"]), "session")
  }

  func testCompleteAndMissingRows() {
    let t = Table([("x", .numeric([1, .nan, 3, 4])), ("g", .text(["a", "b", nil, "d"]))])
    XCTAssertEqual(Table.completeRows(t, columns: ["x", "g"]), [0, 3])
    XCTAssertEqual(Table.missingRows(t, columns: ["x", "g"]), [1, 2])
    XCTAssertEqual(t.completeRows(["x"]), [0, 2, 3])
  }

  func testFactorLevelsAreSortedLikeRInTheCLocale() {
    XCTAssertEqual(Column.factorLevels(.numeric([10, 2, .nan, 2, -0.0, 0])), ["0", "2", "10"])
    XCTAssertEqual(Column.factorLevels(.text(["boy", "girl", "Boy", nil, "boy", "Éva"])), ["Boy", "boy", "girl", "Éva"])
    XCTAssertEqual(Column.factorLevels(.logical([true, nil, false])), ["FALSE", "TRUE"])
  }
}
