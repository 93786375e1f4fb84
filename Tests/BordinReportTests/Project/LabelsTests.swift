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
    XCTAssertEqual(l.term("(Intercept)"), "Intercept")
    XCTAssertEqual(l.term("intrcpt"), "Intercept")  // metafor's name
    XCTAssertEqual(l.term("age2"), "age2")  // a numeric column is no factor: not "Age: 2"
    XCTAssertEqual(l.term("siteb"), "siteb")  // an unlabelled factor keeps R's name
    XCTAssertEqual(l.term("age:siteb"), "Age × siteb")
    XCTAssertEqual(l.term("I(age^2)"), "Age²")  // a power of a labelled column
    XCTAssertEqual(l.term("I(age^12)"), "Age¹²")
    XCTAssertEqual(l.term("I(age * bond_t)"), "Age × Therapist-rated bond")
    XCTAssertEqual(l.term("age:I(age^2)"), "Age × Age²")
    XCTAssertEqual(l.term("I(site^2)"), "I(site^2)")  // an unlabelled column keeps R's name
    XCTAssertEqual(l.term("I(age^0.5)"), "I(age^0.5)")  // not a whole-number power
    XCTAssertEqual(l.term("I(log(age))"), "I(log(age))")
    XCTAssertEqual(l.level("format", "2"), "group")
    XCTAssertEqual(l.level("format", "3"), "3")
    XCTAssertEqual(l.pair("bond_t", "age"), "Therapist-rated bond – Age")
    XCTAssertEqual(Labels().term("formatgroup"), "formatgroup")
  }

  /// Simulator parameter names (`recovery` tables): outcome, then the term or path.
  func testParameters() {
    let l = Labels(tables: [], entries: [("age", "Age"), ("bond_t", "Bond"), ("ext", "Externalising"), ("ext.sigma", "Residual SD")])
    XCTAssertEqual(l.parameter("ext.fixed[age]"), "Externalising: Age")
    XCTAssertEqual(l.parameter("ext.fixed[age:bond_t]"), "Externalising: Age × Bond")
    XCTAssertEqual(l.parameter("ext.age"), "Externalising: Age")
    XCTAssertEqual(l.parameter("ext.sigma"), "Residual SD")  // an entry wins
    XCTAssertEqual(l.parameter("clpm.cross[ext ~ bond_t]"), "clpm: Bond → Externalising")
    XCTAssertEqual(l.parameter("clpm.rescov[ext ~~ bond_t]"), "clpm: residual covariance (Externalising ↔ Bond)")
    XCTAssertEqual(l.parameter("clpm.ar[ext]"), "clpm: stability (Externalising)")
    XCTAssertEqual(l.parameter("diff[bond_t - age]"), "diff (Bond − Age)")  // an unknown kind keeps its name
    XCTAssertEqual(l.parameter("bond_t.mean[group, end]"), "Bond: mean (group, end)")
    XCTAssertEqual(l.parameter("children"), "children")
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

/// Labels generated for the parts of models that readers saw raw (issue 18, item 2).
final class GeneratedLabelsTests: XCTestCase {
  func testDummiesOfDerivedColumnsAndRepeatedLevelLabels() {
    // `pp` is derived in the report: its levels are known only from its level labels.
    let l = Labels(tables: [], entries: [("pp", "Personality problems"), ("pp=yes", "Personality problems"), ("sex", "Child sex"), ("sex=girl", "Girl"),
                                         ("session1", "Session")])
    XCTAssertEqual(l.term("ppyes"), "Personality problems", "the level's label alone when it repeats the column's")
    XCTAssertEqual(l.term("sexgirl"), "Child sex: Girl")
    XCTAssertEqual(l.term("session1:ppyes"), "Session × Personality problems")
    XCTAssertEqual(l.term("ppno"), "ppno", "a level nothing labels keeps R's name")
  }

  func testSEMPaths() {
    let l = Labels(tables: [], entries: [("a8", "Alliance (8 months)"), ("s12", "Symptoms (12 months)"), ("f", "Alliance factor")])
    XCTAssertEqual(l.path(lhs: "s12", op: "~", rhs: "a8"), "Alliance (8 months) → Symptoms (12 months)")
    XCTAssertEqual(l.path(lhs: "a8", op: "~~", rhs: "s12"), "Alliance (8 months) ↔ Symptoms (12 months)")
    XCTAssertEqual(l.path(lhs: "a8", op: "~~", rhs: "a8"), "Alliance (8 months) (variance)")
    XCTAssertEqual(l.path(lhs: "f", op: "=~", rhs: "a8"), "Alliance factor → Alliance (8 months)")
    XCTAssertEqual(l.path(lhs: "ind", op: ":=", rhs: "a*b"), "ind")
  }

  func testVarianceComponents() {
    let l = Labels(tables: [], entries: [("patient", "Patient"), ("wai_w", "Alliance, within patient")])
    XCTAssertEqual(l.component(group: "Patient", "(Intercept)", nil), "Patient: Intercept")
    XCTAssertEqual(l.component(group: "Patient", "wai_w", nil), "Patient: Alliance, within patient")
    XCTAssertEqual(l.component(group: "Patient", "(Intercept)", "wai_w"), "Patient: correlation of Intercept and Alliance, within patient")
    XCTAssertEqual(l.component(group: "Residual", nil, nil), "Residual")
    XCTAssertEqual(l.parameter("symptoms.sd[child (Intercept)]"), "symptoms: SD (child: Intercept)")
  }
}
