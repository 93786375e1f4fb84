import XCTest

@testable import BordinData

final class PipelineCheckTests: XCTestCase {
  let columns = ["client", "session", "alliance", "outcome"]

  func testCollectsEveryProblemWithItsOption() {
    let p = DataPipeline(
      derive: [("change", "outcome - lag(outcom)"), ("z", "scale(alliance"), ("m", "mena(alliance)")],
      filter: "change > 0 & sesion > 1", by: ["client"], center: ["aliance"],
      rename: [("change", "delta")], select: ["client", "delta", "change"])
    let errors = p.check(columns: columns, dataName: "prac")
    XCTAssertEqual(
      errors.map(\.option),
      [["derive", "change"], ["derive", "z"], ["derive", "m"], ["filter"], ["center"], ["select"]])
    XCTAssertEqual(errors[0].message, "column 'outcom' is not in 'prac'; did you mean 'outcome'?")
    XCTAssertEqual(errors[0].column, 15)
    XCTAssertEqual(errors[1].code, "expr-syntax")
    XCTAssertEqual(errors[2].code, "expr-unknown-function")
    XCTAssertTrue(errors[3].message.contains("did you mean 'session'?"), errors[3].message)
    XCTAssertEqual(errors[4].message, "column 'aliance' is not in 'prac'; did you mean 'alliance'?")
    XCTAssertEqual(errors[5].message, "column 'change' is not in 'prac'")  // renamed to delta
  }

  func testFollowsNamesThroughSteps() {
    let p = DataPipeline(
      longer: Longer(cols: ["alliance", "outcome"], namesTo: "measure", valuesTo: "score"),
      derive: [("t", "session - 1")], filter: "measure == 'alliance'", by: ["client"],
      order: ["t"], center: ["score"], lag: ["score_within"], select: ["client", "t", "score_within_lag"])
    XCTAssertEqual(p.check(columns: columns), [])
    XCTAssertEqual(
      DataPipeline(center: ["alliance"]).check(columns: columns).map(\.code), ["data-option"])
    XCTAssertEqual(
      DataPipeline(derive: [("x", "if_else(alliance > 1, 2)")]).check(columns: columns).map(\.code),
      ["expr-arguments"])
  }

  func testColumnLookupSuggestsAName() {
    let t = Table([("alliance", .numeric([1]))])
    let e = assertDataError { try t.column(named: "aliance", in: "prac", option: ["vars"]) }
    XCTAssertEqual(e?.message, "column 'aliance' is not in 'prac'; did you mean 'alliance'?")
    XCTAssertEqual(e?.option, ["vars"])
    XCTAssertEqual(try t.column(named: "alliance"), .numeric([1]))
  }
}
