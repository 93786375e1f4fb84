import XCTest

@testable import BordinData

final class DataPipelineTests: XCTestCase {
  /// Three clients, sessions out of order.
  let sessions = Table([
    ("client", .text(["a", "b", "a", "b", "a", "c"])),
    ("session", .numeric([2, 1, 1, 2, 3, 1])),
    ("alliance", .numeric([4, 6, 2, .nan, 6, 5])),
    ("outcome", .numeric([10, 20, 12, 18, 9, .nan])),
  ])

  func testDeriveInOrderAndFilterDropsNA() throws {
    let p = DataPipeline(
      derive: [("double", "alliance * 2"), ("big", "double > 9")],
      filter: "big")
    let t = try p.apply(to: sessions)
    XCTAssertEqual(t.rowCount, 3)
    XCTAssertEqual(t["client"], .text(["b", "a", "c"]))
    assertNumbers(try XCTUnwrap(t["double"]), [12, 12, 10])
  }

  func testGroupedFilterAndDerive() throws {
    let p = DataPipeline(
      derive: [("first", "row_number() == 1"), ("m", "mean(alliance)")],
      filter: "alliance >= m", by: ["client"], order: ["session"])
    let t = try p.apply(to: sessions)
    // a: mean 4 → sessions with 4 and 6; b: mean 6 → 6 (NA dropped); c: 5.
    XCTAssertEqual(t["client"], .text(["a", "b", "a", "c"]))
    XCTAssertEqual(t["first"], .logical([false, true, false, true]))
  }

  func testCenterSplitsWithinAndBetween() throws {
    let t = try DataPipeline(by: ["client"], center: ["alliance"]).apply(to: sessions)
    assertNumbers(try XCTUnwrap(t["alliance_between"]), [4, 6, 4, 6, 4, 5])
    assertNumbers(try XCTUnwrap(t["alliance_within"]), [0, 0, -2, .nan, 2, 0])
    let e = try XCTUnwrap(assertDataError { try DataPipeline(center: ["alliance"]).apply(to: sessions) })
    XCTAssertEqual(e.code, "data-option")
    XCTAssertEqual(e.option, ["center"])
  }

  func testLagAndLeadWithinClientsInSessionOrder() throws {
    let p = DataPipeline(by: ["client"], order: ["session"], lag: ["alliance"], lead: ["outcome"])
    let t = try p.apply(to: sessions)
    assertNumbers(try XCTUnwrap(t["alliance_lag"]), [2, .nan, .nan, 6, 4, .nan])
    assertNumbers(try XCTUnwrap(t["outcome_lead"]), [9, 18, 10, .nan, .nan, .nan])
    // Rows keep their positions.
    XCTAssertEqual(t["session"], sessions["session"])
  }

  func testFilterRunsBeforeCenterAndLag() throws {
    let p = DataPipeline(
      filter: "session < 3", by: ["client"], order: ["session"], center: ["alliance"],
      lag: ["alliance"])
    let t = try p.apply(to: sessions)
    XCTAssertEqual(t.rowCount, 5)
    assertNumbers(try XCTUnwrap(t["alliance_between"]), [3, 6, 3, 6, 5])
    assertNumbers(try XCTUnwrap(t["alliance_lag"]), [2, .nan, .nan, 6, .nan])
  }

  func testRenameAndSelect() throws {
    let p = DataPipeline(
      derive: [("z", "outcome / 2")], rename: [("alliance", "wai")], select: ["client", "wai", "z"])
    let t = try p.apply(to: sessions)
    XCTAssertEqual(t.names, ["client", "wai", "z"])
    assertNumbers(try XCTUnwrap(t["z"]), [5, 10, 6, 9, 4.5, .nan])
    XCTAssertEqual(
      assertDataError { try DataPipeline(select: ["clinet"]).apply(to: sessions) }?.message,
      "column 'clinet' does not exist; did you mean 'client'?")
    XCTAssertEqual(
      assertDataError { try DataPipeline(rename: [("client", "session")]).apply(to: sessions) }?
        .option, ["rename", "client"])
  }

  func testErrorsCarryOptionAndColumn() throws {
    let derive = try XCTUnwrap(
      assertDataError {
        try DataPipeline(derive: [("ext_change", "outcome - aliance")]).apply(to: sessions)
      })
    XCTAssertEqual(derive.code, "expr-unknown-column")
    XCTAssertEqual(derive.option, ["derive", "ext_change"])
    XCTAssertEqual(derive.column, 11)
    XCTAssertTrue(derive.message.contains("did you mean 'alliance'?"), derive.message)
    let filter = try XCTUnwrap(assertDataError { try DataPipeline(filter: "session +").apply(to: sessions) })
    XCTAssertEqual(filter.code, "expr-syntax")
    XCTAssertEqual(filter.option, ["filter"])
    let notCondition = try XCTUnwrap(
      assertDataError { try DataPipeline(filter: "session + 1").apply(to: sessions) })
    XCTAssertEqual(notCondition.code, "expr-type")
    XCTAssertEqual(notCondition.option, ["filter"])
    let by = try XCTUnwrap(
      assertDataError { try DataPipeline(derive: [("m", "mean(alliance)")], by: ["clients"]).apply(to: sessions) })
    XCTAssertEqual(by.option, ["by"])
    let unusedBy = try XCTUnwrap(
      assertDataError { try DataPipeline(derive: [("m", "alliance")], order: ["sesion"]).apply(to: sessions) })
    XCTAssertEqual(unusedBy.option, ["order"])
    XCTAssertTrue(unusedBy.message.contains("did you mean 'session'?"), unusedBy.message)
  }

  func testLongerThenDeriveOnLongData() throws {
    let wide = Table([("id", .numeric([1, 2])), ("x1", .numeric([1, 3])), ("x2", .numeric([2, 7]))])
    let p = DataPipeline(
      longer: Longer(cols: ["x1", "x2"], namesTo: "wave", valuesTo: "x"),
      derive: [("t", "as_numeric(if_else(wave == 'x1', 0, 1))")], by: ["id"], order: ["t"],
      lag: ["x"])
    let t = try p.apply(to: wide)
    assertNumbers(try XCTUnwrap(t["t"]), [0, 1, 0, 1])
    assertNumbers(try XCTUnwrap(t["x_lag"]), [.nan, 1, .nan, 3])
  }
}
