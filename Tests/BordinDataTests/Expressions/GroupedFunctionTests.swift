import XCTest

@testable import BordinData

final class GroupedFunctionTests: XCTestCase {
  let table = Table([
    ("client", .text(["a", "b", "a", "c", "b", "a", "c"])),
    ("session", .numeric([3, 2, 1, 1, 1, 2, 2])),
    ("x", .numeric([2, 9, 4, 5, 1, .nan, 8])),
  ])

  func testGroupMeanAndSdIgnoreMissing() throws {
    // R: tapply(x, g, sd, na.rm = TRUE) with a = {2, 4, NA}, b = {9, 1}, c = {5, 8}.
    assertNumbers(try eval("mean(x)", table, by: ["client"]), [3, 5, 3, 6.5, 5, 3, 6.5])
    let sdA = 1.4142135623730951
    let sdB = 5.6568542494923806
    let sdC = 2.1213203435596424
    assertNumbers(
      try eval("sd(x)", table, by: ["client"]), [sdA, sdB, sdA, sdC, sdB, sdA, sdC],
      accuracy: 1e-15)
    assertNumbers(try eval("n()", table, by: ["client"]), [3, 2, 3, 2, 2, 3, 2])
    assertNumbers(try eval("n(x)", table, by: ["client"]), [2, 2, 2, 2, 2, 2, 2])
    assertNumbers(try eval("sum(x)", table), [29, 29, 29, 29, 29, 29, 29])
    assertNumbers(try eval("median(x)", table), [4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5])
    assertNumbers(try eval("max(x) - min(x)", table, by: ["client"]), [2, 8, 2, 3, 8, 2, 3])
    assertNumbers(try eval("x - mean(x)", table, by: ["client"]), [-1, 4, 1, -1.5, -4, .nan, 1.5])
    assertNumbers(try eval("sum(1)", table), [1, 1, 1, 1, 1, 1, 1])
  }

  func testSummariesOfEmptyGroups() throws {
    let t = Table([("g", .text(["a", "b"])), ("x", .numeric([.nan, 1]))])
    assertNumbers(try eval("mean(x)", t, by: ["g"]), [.nan, 1])
    assertNumbers(try eval("sum(x)", t, by: ["g"]), [0, 1])
    assertNumbers(try eval("sd(x)", t, by: ["g"]), [.nan, .nan])
    assertNumbers(try eval("min(x)", t, by: ["g"]), [.nan, 1])
  }

  func testScaleWithinGroups() throws {
    // R: scale(c(1, 2, 4)).
    let t = Table([("g", .text(["a", "a", "a", "b"])), ("x", .numeric([1, 2, 4, 7]))])
    assertNumbers(
      try eval("scale(x)", t, by: ["g"]),
      [-0.87287156094396956, -0.21821789023599247, 1.09108945117996181, .nan], accuracy: 1e-15)
  }

  func testLagAndLeadFollowOrderWithinGroupsAndKeepRowPositions() throws {
    let by = ["client"]
    let order = ["session"]
    // a: sessions 1 (row 2), 2 (row 5), 3 (row 0); b: 1 (row 4), 2 (row 1); c: 1 (row 3), 2 (row 6)
    assertNumbers(try eval("lag(x)", table, by: by, order: order), [.nan, 1, .nan, .nan, .nan, 4, 5])
    assertNumbers(try eval("lead(x)", table, by: by, order: order), [.nan, .nan, .nan, 8, 9, 2, .nan])
    assertNumbers(try eval("lag(x, 2)", table, by: by, order: order), [4, .nan, .nan, .nan, .nan, .nan, .nan])
    assertNumbers(try eval("lag(x, 0)", table, by: by, order: order), [2, 9, 4, 5, 1, .nan, 8])
    assertNumbers(try eval("row_number()", table, by: by, order: order), [3, 2, 1, 1, 1, 2, 2])
    assertNumbers(try eval("cumsum(session)", table, by: by, order: order), [6, 3, 1, 1, 1, 3, 3])
    assertNumbers(try eval("cumsum(x)", table, by: by, order: order), [.nan, 10, 4, 5, 1, .nan, 13])
    // Without groups, the order is rows 2, 3, 4 (session 1), 1, 5, 6 (session 2), 0.
    XCTAssertEqual(
      try eval("lag(client)", table, order: order),
      .text(["c", "b", nil, "a", "c", "b", "a"]))
  }

  func testOrderingIsStableAndPutsMissingLast() throws {
    let t = Table([("t", .numeric([2, .nan, 1, 2])), ("id", .numeric([10, 11, 12, 13]))])
    assertNumbers(try eval("lag(id)", t, order: ["t"]), [12, 13, .nan, 10])
  }

  func testUnknownGroupingColumnIsReported() throws {
    let e = try XCTUnwrap(assertDataError { try eval("mean(x)", table, by: ["clinet"]) })
    XCTAssertEqual(e.code, "data-unknown-column")
    XCTAssertEqual(e.option, ["by"])
    XCTAssertTrue(e.message.contains("did you mean 'client'?"), e.message)
  }
}
