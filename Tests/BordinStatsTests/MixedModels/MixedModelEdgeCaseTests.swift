import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// lme4's input checks as typed errors, listwise deletion, and aliased fixed effects.
final class MixedModelEdgeCaseTests: XCTestCase {
  /// 10 groups × 2 rows: y, t, g (and a constant group c).
  private func small() -> Table {
    let g = (0..<20).map { "G\($0 / 2)" }
    let t = (0..<20).map { Double($0 % 2) }
    let y: [Double] = (0..<20).map { (i: Int) -> Double in
      let a = Double((i * 37) % 11)
      return a + 0.5 * Double(i % 2)
    }
    return Table([
      ("y", .numeric(y)), ("t", .numeric(t)), ("g", .text(g)),
      ("c", .text([String?](repeating: "only", count: 20))), ("id", .numeric((0..<20).map(Double.init))),
    ])
  }

  /// lme4: "grouping factors must have > 1 sampled level".
  func testOneLevelGroupingFactor() {
    XCTAssertThrowsError(try MixedModel.fit("y ~ t + (1 | c)", data: small())) { e in
      let s = e as? StatsError
      XCTAssertEqual(s?.code, "one-level-group")
      XCTAssertTrue(s?.message.contains("grouping factors must have > 1 sampled level") == true, "\(e)")
      XCTAssertFalse(s?.remedy.isEmpty ?? true)
    }
  }

  /// lme4: "number of observations (=20) <= number of random effects (=20) for term (1 + t | g)".
  func testMoreRandomEffectsThanObservations() {
    XCTAssertThrowsError(try MixedModel.fit("y ~ t + (1 + t | g)", data: small())) { e in
      let s = e as? StatsError
      XCTAssertEqual(s?.code, "too-many-random-effects")
      XCTAssertTrue(
        s?.message.hasPrefix("number of observations (=20) <= number of random effects (=20) for term (1 + t | g)") == true,
        "\(e)")
    }
  }

  /// lme4: "number of levels of each grouping factor must be < number of observations".
  func testOneRowPerLevel() {
    XCTAssertThrowsError(try MixedModel.fit("y ~ t + (1 | id)", data: small())) { e in
      let s = e as? StatsError
      XCTAssertEqual(s?.code, "too-many-levels")
      XCTAssertTrue(s?.message.contains("(problems: id)") == true, "\(e)")
    }
  }

  func testUnknownColumn() {
    XCTAssertThrowsError(try MixedModel.fit("y ~ t + (1 | school)", data: small())) { e in
      XCTAssertEqual((e as? StatsError)?.code, "unknown-column")
    }
  }

  /// Missing values in a predictor, the response or the grouping factor drop those rows (lme4's
  /// na.omit), are counted, and give the fit of the complete rows.
  func testMissingValuesAreDroppedAndCounted() throws {
    let data = try Fixtures.csv("data/sleepstudy.csv")
    var days = data.numbers("Days")
    var reaction = data.numbers("Reaction")
    guard case .text(var subject)? = data["Subject"] else { return XCTFail("Subject") }
    days[3] = .nan
    days[100] = .nan
    reaction[50] = .nan
    subject[170] = nil
    let holes = Table([("Reaction", .numeric(reaction)), ("Days", .numeric(days)), ("Subject", .text(subject))])
    let r = try MixedModel.fit(SleepstudyTests.formula, data: holes)
    XCTAssertEqual(r.rowsDropped, 4)
    XCTAssertEqual(r.nobs, 176)
    XCTAssertEqual(r.rowsUsed.count, 176)
    XCTAssertFalse(r.rowsUsed.contains(3) || r.rowsUsed.contains(50) || r.rowsUsed.contains(100) || r.rowsUsed.contains(170))
    let complete = try MixedModel.fit(SleepstudyTests.formula, data: holes.rows(r.rowsUsed))
    XCTAssertEqual(complete.rowsDropped, 0)
    XCTAssertEqual(r.deviance, complete.deviance, accuracy: 1e-9)
    for (a, b) in zip(r.fixed, complete.fixed) {
      assertClose(a.estimate, b.estimate, rel: 1e-9, a.term)
      assertClose(a.df, b.df, rel: 1e-6, a.term)
    }
  }

  /// An aliased fixed-effect column is dropped with lme4's message, not an error.
  func testRankDeficientFixedEffects() throws {
    let data = try Fixtures.csv("data/sleepstudy.csv")
    let days = data.numbers("Days")
    let twice = Table(data.names.map { ($0, data[$0]!) } + [("Days2", .numeric(days.map { 2 * $0 }))])
    let r = try MixedModel.fit("Reaction ~ Days + Days2 + (Days | Subject)", data: twice)
    XCTAssertEqual(r.fixed.map(\.term), ["(Intercept)", "Days"])
    XCTAssertTrue(r.warnings.contains { $0.message.hasPrefix("fixed-effect model matrix is rank deficient so dropping 1 column / coefficient") }, "\(r.warnings)")
    try LMMReference.assertExtra(r, "sleepstudy_reml")
  }

  /// A numeric grouping column is a factor with numerically sorted levels.
  func testNumericGroupingColumn() throws {
    let data = try Fixtures.csv("data/sleepstudy.csv")
    guard case .text(let subject)? = data["Subject"] else { return XCTFail("Subject") }
    let numeric = Table([
      ("Reaction", data["Reaction"]!), ("Days", data["Days"]!),
      ("Subject", .numeric(subject.map { Double($0!)! })),
    ])
    let r = try MixedModel.fit(SleepstudyTests.formula, data: numeric)
    XCTAssertEqual(r.ranef[0].levels.prefix(3), ["308", "309", "310"])
    try LMMReference.assertExtra(r, "sleepstudy_reml")
  }

  /// No fixed effects at all (`y ~ 0 + (1 | g)`): R_X is empty and the REML criterion equals
  /// the ML deviance. R: `lmer(strength ~ 0 + (1 | batch), Pastes)` tightly converged
  /// (Tests/Fixtures/r/lmm-references.R, last lines): criterion 370.34849206180581,
  /// θ 22.047763706865492, σ 2.7248730730279931.
  func testNoFixedEffects() throws {
    let data = try Fixtures.csv("data/pastes.csv")
    let r = try MixedModel.fit("strength ~ 0 + (1 | batch)", data: data)
    XCTAssertTrue(r.fixed.isEmpty)
    XCTAssertEqual(r.deviance, 370.34849206180581, accuracy: Tolerance.objectiveAbsolute)
    XCTAssertLessThanOrEqual(r.deviance, 370.34849206180581 + LMMReference.criterionRounding)
    assertClose(r.theta[0], 22.047763706865492, rel: Tolerance.variance, "theta")
    assertClose(r.sigma, 2.7248730730279931, rel: Tolerance.variance, "sigma")
    XCTAssertEqual(r.npar, 2)
  }
}
