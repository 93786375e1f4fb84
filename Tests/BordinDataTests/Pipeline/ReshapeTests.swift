import XCTest

@testable import BordinData

final class ReshapeTests: XCTestCase {
  let wide = Table([
    ("client", .text(["a", "b"])),
    ("sex", .text(["girl", "boy"])),
    ("w1", .numeric([1, 4])),
    ("w2", .numeric([2, .nan])),
    ("w3", .numeric([3, 6])),
  ])

  func testLongerStacksRowByRow() throws {
    let long = try wide.pivotLonger(Longer(cols: ["w1", "w2", "w3"], namesTo: "wave", valuesTo: "y"))
    XCTAssertEqual(long.names, ["client", "sex", "wave", "y"])
    XCTAssertEqual(long["client"], .text(["a", "a", "a", "b", "b", "b"]))
    XCTAssertEqual(long["wave"], .text(["w1", "w2", "w3", "w1", "w2", "w3"]))
    assertNumbers(try XCTUnwrap(long["y"]), [1, 2, 3, 4, .nan, 6])
  }

  func testLongerThenWiderRoundTrips() throws {
    let long = try wide.pivotLonger(Longer(cols: ["w1", "w2", "w3"], namesTo: "wave", valuesTo: "y"))
    let back = try long.pivotWider(Wider(namesFrom: "wave", valuesFrom: "y"))
    XCTAssertEqual(back.names, wide.names)
    XCTAssertEqual(back["client"], wide["client"])
    XCTAssertEqual(back["sex"], wide["sex"])
    for w in ["w1", "w2", "w3"] {
      assertNumbers(try XCTUnwrap(back[w]), try XCTUnwrap(numbers(try XCTUnwrap(wide[w]))))
    }
  }

  func testWiderOrdersByFirstAppearanceAndFillsMissing() throws {
    let long = Table([
      ("id", .numeric([2, 1, 2, 1])),
      ("time", .numeric([10, 10, 20, 30])),
      ("y", .text(["p", "q", "r", "s"])),
    ])
    let w = try long.pivotWider(Wider(namesFrom: "time", valuesFrom: "y", namesPrefix: "t"))
    XCTAssertEqual(w.names, ["id", "t10", "t20", "t30"])
    XCTAssertEqual(w["id"], .numeric([2, 1]))
    XCTAssertEqual(w["t10"], .text(["p", "q"]))
    XCTAssertEqual(w["t20"], .text(["r", nil]))
    XCTAssertEqual(w["t30"], .text([nil, "s"]))
  }

  func testWiderDuplicateNamesTheIdValues() throws {
    let long = Table([
      ("id", .text(["a", "a", "b"])), ("time", .numeric([1, 1, 1])), ("y", .numeric([1, 2, 3])),
    ])
    let e = try XCTUnwrap(assertDataError { try long.pivotWider(Wider(namesFrom: "time", valuesFrom: "y")) })
    XCTAssertEqual(e.code, "data-wider-duplicate")
    XCTAssertEqual(e.message, "rows 1 and 2 both have id = a and time = 1")
    XCTAssertEqual(e.option, ["wider"])
  }

  func testLongerRejectsMixedTypesButAcceptsAllMissingColumns() throws {
    let t = Table([
      ("a", .numeric([1, 2])), ("b", .text(["x", "y"])), ("c", .logical([nil, nil])),
    ])
    let e = try XCTUnwrap(assertDataError { try t.pivotLonger(Longer(cols: ["a", "b"])) })
    XCTAssertEqual(e.code, "data-option")
    XCTAssertEqual(e.option, ["longer", "cols"])
    let ok = try t.pivotLonger(Longer(cols: ["a", "c"]))
    assertNumbers(try XCTUnwrap(ok["value"]), [1, .nan, 2, .nan])
    XCTAssertEqual(
      assertDataError { try t.pivotLonger(Longer(cols: ["a", "bb"])) }?.option, ["longer", "cols"])
    XCTAssertEqual(
      assertDataError { try t.pivotLonger(Longer(cols: ["a"], namesTo: "b")) }?.option,
      ["longer", "names_to"])
  }
}
