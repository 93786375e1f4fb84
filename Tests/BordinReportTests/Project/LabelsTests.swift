import XCTest

@testable import BordinData
@testable import BordinReport

/// The labels API the tables and plots call (DESIGN.md §4).
final class LabelsTests: XCTestCase {
  func labels() -> Labels {
    var t = Table([("format", .text(["individual", "group"])), ("bond_t", .numeric([1, 2])), ("age", .numeric([9, 10])),
                   ("age2", .numeric([81, 100])), ("site", .text(["a", "b"]))])
    t.info["format"] = ColumnInfo(label: "Treatment format", valueLabels: [.init(code: "1", label: "individual"), .init(code: "2", label: "group")],
                                  levels: ["individual", "group"])
    t.info["bond_t"] = ColumnInfo(label: "Therapist-rated bond")
    return Labels(tables: [t], entries: [("age", "Age"), ("bond_t:formatgroup", "Bond in groups")])
  }

  func testTerms() {
    let l = labels()
    XCTAssertEqual(l.term("bond_t"), "Therapist-rated bond")
    XCTAssertEqual(l.term("formatgroup"), "Treatment format: group")
    XCTAssertEqual(l.term("age:formatgroup"), "Age × Treatment format: group")
    XCTAssertEqual(l.term("bond_t:formatgroup"), "Bond in groups")  // an entry wins
    XCTAssertEqual(l.term("(Intercept)"), "(Intercept)")
    XCTAssertEqual(l.term("age2"), "age2")  // a numeric column is no factor: not "Age: 2"
    XCTAssertEqual(l.term("siteb"), "siteb")  // an unlabelled factor keeps R's name
    XCTAssertEqual(l.term("age:siteb"), "Age × siteb")
    XCTAssertEqual(l.term("I(age^2)"), "I(age^2)")
    XCTAssertEqual(l.level("format", "2"), "group")
    XCTAssertEqual(l.level("format", "3"), "3")
    XCTAssertEqual(l.pair("bond_t", "age"), "Therapist-rated bond – Age")
    XCTAssertEqual(Labels().term("formatgroup"), "formatgroup")
  }

  /// `column=value` entries label levels: a legend's `1`, a text factor's dummy term.
  func testLevelEntries() {
    let t = Table([("anxiety", .numeric([0, 1])), ("sex", .text(["boy", "girl"]))])
    let l = Labels(tables: [t], entries: [("anxiety", "Anxiety disorder"), ("anxiety=1", "anxiety disorder"), ("anxiety=0", "no anxiety disorder"),
                                          ("sex", "Child sex"), ("sex=girl", "Girl")])
    XCTAssertEqual(l.level("anxiety", "1"), "anxiety disorder")
    XCTAssertEqual(l.level("anxiety", "0"), "no anxiety disorder")
    XCTAssertEqual(l.level("anxiety", "2"), "2")
    XCTAssertEqual(l.term("sexgirl"), "Child sex: Girl")
    XCTAssertEqual(l.column("anxiety=1"), "anxiety=1", "a level entry names no column")
    XCTAssertTrue(l.wasShown("anxiety=1"))
    XCTAssertFalse(l.wasShown("anxiety=2"))
  }
}
