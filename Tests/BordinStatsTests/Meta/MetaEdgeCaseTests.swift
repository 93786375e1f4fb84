import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Diagnostics and corner cases of the meta-analysis core: typed errors (with metafor-style
/// messages and remedies) for k < 2, non-positive variances, |r| ≥ 1, n ≤ 3, a moderator with one
/// level, non-convergence; dropped rows; single-study subgroups; identical effects; the exact
/// Kendall distribution.
final class MetaEdgeCaseTests: XCTestCase {
  private var molloy = Table()
  private var effects: MetaEffects!

  override func setUpWithError() throws {
    molloy = try Fixtures.csv("data/meta-molloy2014.csv")
    effects = try MetaEffects.correlations(r: molloy.numbers("ri"), n: molloy.numbers("ni"))
  }

  private func assertError(
    _ code: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
  ) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
      guard let e = error as? StatsError else {
        XCTFail("not a StatsError: \(error)", file: file, line: line)
        return
      }
      XCTAssertEqual(e.code, code, "\(e)", file: file, line: line)
      XCTAssertFalse(e.message.isEmpty, file: file, line: line)
      XCTAssertFalse(e.remedy.isEmpty, "no remedy: \(e)", file: file, line: line)
    }
  }

  // MARK: k < 2

  /// k = 1 is an error for every method (metafor fits it as the study's own estimate with τ² = 0
  /// and no heterogeneity; a one-study "meta-analysis" is almost always a filter mistake).
  func testSingleStudy() throws {
    let one = try MetaEffects(yi: [0.3], vi: [0.01])
    for method in MetaMethod.allCases {
      assertError("too-few-studies") { _ = try MetaAnalysis.fit(one, options: MetaOptions(method: method)) }
    }
    let missing = try MetaEffects(yi: [0.3, .nan, 0.2], vi: [0.01, 0.02, .nan])
    assertError("too-few-studies") { _ = try MetaAnalysis.fit(missing) }
    let none = try MetaEffects(yi: [], vi: [])
    assertError("too-few-studies") { _ = try MetaAnalysis.fit(none) }
  }

  /// More coefficients than a random-effects model can estimate (k ≥ p + 1 needed).
  func testTooManyModerators() throws {
    let e = try MetaEffects(yi: [0.1, 0.3, 0.2], vi: [0.01, 0.02, 0.015])
    let x = Matrix(columns: [[1, 1, 1], [1, 2, 3], [0, 1, 5]])
    assertError("too-few-studies") {
      _ = try MetaAnalysis.fit(e, design: x, terms: ["intrcpt", "a", "b"])
    }
    // FE needs only k ≥ p.
    let fe = try MetaAnalysis.fit(e, design: x, terms: ["intrcpt", "a", "b"], options: MetaOptions(method: .FE))
    XCTAssertEqual(fe.QDf, 0)
    XCTAssertEqual(fe.Q, 0)
    XCTAssertEqual(fe.QP, 1)
  }

  // MARK: input checks

  func testNonPositiveVariances() throws {
    assertError("non-positive-variance") { _ = try MetaEffects(yi: [0.1, 0.2], vi: [0.01, 0]) }
    assertError("non-positive-variance") { _ = try MetaEffects(yi: [0.1, 0.2], vi: [-0.01, 0.02]) }
    assertError("non-positive-variance") { _ = try MetaEffects(yi: [0.1, 0.2], sei: [0.1, 0]) }
    assertError("length-mismatch") { _ = try MetaEffects(yi: [0.1, 0.2], vi: [0.01]) }
    assertError("non-finite") { _ = try MetaEffects(yi: [.infinity, 0.2], vi: [0.01, 0.02]) }
    // A missing variance is not an error: the row is dropped.
    let e = try MetaEffects(yi: [0.1, 0.2, 0.3], vi: [0.01, .nan, 0.02])
    XCTAssertEqual(e.completeRows, [0, 2])
  }

  func testCorrelationOutOfRange() throws {
    for r in [1.0, -1.0, 1.2] {
      assertError("correlation-out-of-range") {
        _ = try MetaEffects.correlations(r: [0.2, r], n: [50, 60])
      }
    }
    XCTAssertThrowsError(try MetaEffects.correlations(r: [0.2, 1], n: [50, 60])) { error in
      XCTAssertTrue((error as? StatsError)?.message.contains("row 2") ?? false)
    }
  }

  func testSampleSizeTooSmall() throws {
    assertError("sample-size-too-small") { _ = try MetaEffects.correlations(r: [0.2, 0.3], n: [50, 3]) }
    let ok = try MetaEffects.correlations(r: [0.2, 0.3], n: [50, 4])
    XCTAssertEqual(ok.vi[1], 1)
    // The SMD bias correction needs n₁ + n₂ > 3.
    assertError("sample-size-too-small") {
      _ = try MetaEffects.standardizedMeanDifferences(
        m1: [1], sd1: [1], n1: [2], m2: [0], sd2: [1], n2: [1])
    }
    assertError("negative-sd") {
      _ = try MetaEffects.standardizedMeanDifferences(
        m1: [1], sd1: [-1], n1: [20], m2: [0], sd2: [1], n2: [20])
    }
    assertError("zero-variance") {
      _ = try MetaEffects.standardizedMeanDifferences(
        m1: [1], sd1: [0], n1: [20], m2: [0], sd2: [0], n2: [20])
    }
    XCTAssertTrue(MetaEffects.biasCorrection(1).isNaN)
  }

  func testBadLevel() throws {
    assertError("bad-level") { _ = try MetaAnalysis.fit(self.effects, options: MetaOptions(level: 95)) }
  }

  // MARK: moderators

  /// A factor moderator with one level in the studies used, a constant numeric moderator, and a
  /// subgroup variable with one level are errors with a remedy.
  func testModeratorWithOneLevel() throws {
    let onlyProspective = (0..<molloy.rowCount).filter { molloy["design"]?.string(at: $0) == "prospective" }
    var r = molloy.numbers("ri")
    for i in r.indices where !onlyProspective.contains(i) { r[i] = .nan }
    let subset = try MetaEffects.correlations(r: r, n: molloy.numbers("ni"))
    assertError("one-level-factor") { _ = try MetaAnalysis.fit(subset, mods: "design", data: self.molloy) }
    assertError("one-level-moderator") {
      _ = try MetaSubgroups.analyze(subset, moderator: "design", data: self.molloy)
    }
    var data = molloy
    data["constant"] = .numeric([Double](repeating: 2, count: molloy.rowCount))
    assertError("one-level-moderator") { _ = try MetaAnalysis.fit(self.effects, mods: "constant", data: data) }
  }

  /// A moderator that duplicates another is reported, not silently dropped.
  func testAliasedModerator() throws {
    var data = molloy
    data["age2"] = .numeric(molloy.numbers("meanage").map { 2 * $0 + 1 })
    assertError("aliased-term") { _ = try MetaAnalysis.fit(self.effects, mods: "meanage + age2", data: data) }
    assertError("unknown-column") { _ = try MetaAnalysis.fit(self.effects, mods: "meanag", data: data) }
  }

  // MARK: non-convergence

  /// Fisher scoring stopped before convergence: metafor's error and remedy.
  func testNonConvergence() throws {
    XCTAssertThrowsError(
      try MetaAnalysis.fit(effects, options: MetaOptions(method: .REML, maxIterations: 1))
    ) { error in
      let e = error as? StatsError
      XCTAssertEqual(e?.code, "not-converged")
      XCTAssertTrue(e?.message.contains("Fisher scoring") ?? false)
      XCTAssertTrue(e?.remedy.contains("different method") ?? false)
      XCTAssertTrue(e?.remedy.contains("number of iterations") ?? false)
    }
    for method in [MetaMethod.ML, .EB] {
      assertError("not-converged") {
        _ = try MetaAnalysis.fit(self.effects, options: MetaOptions(method: method, maxIterations: 1))
      }
    }
    let converged = try MetaAnalysis.fit(effects)
    XCTAssertLessThanOrEqual(converged.iterations ?? 0, 100)
    assertError("not-converged") {
      _ = try PublicationBias.trimFill(converged, maxIterations: 1)
    }
  }

  // MARK: missing values

  /// Rows with a missing r, n or moderator are dropped and counted; the fit equals that on the
  /// complete rows.
  func testMissingRowsAreDropped() throws {
    var r = molloy.numbers("ri")
    var age = molloy.numbers("meanage")
    r[1] = .nan
    age[4] = .nan
    var data = molloy
    data["meanage"] = .numeric(age)
    let e = try MetaEffects.correlations(r: r, n: molloy.numbers("ni"))
    let fit = try MetaAnalysis.fit(e)
    XCTAssertEqual(fit.k, 15)
    XCTAssertEqual(fit.rowsDropped, 1)
    XCTAssertFalse(fit.rowsUsed.contains(1))
    XCTAssertTrue(fit.warnings.first?.contains("1 of 16 rows dropped") ?? false)

    let keep = (0..<16).filter { $0 != 1 }
    let sub = molloy.rows(keep)
    let reference = try MetaAnalysis.fit(
      try MetaEffects.correlations(r: sub.numbers("ri"), n: sub.numbers("ni")))
    XCTAssertEqual(fit.estimate, reference.estimate)
    XCTAssertEqual(fit.tau2, reference.tau2)

    let mods = try MetaAnalysis.fit(e, mods: "meanage", data: data)
    XCTAssertEqual(mods.k, 14)
    XCTAssertEqual(mods.rowsDropped, 2)
    XCTAssertEqual(mods.rowsUsed, (0..<16).filter { $0 != 1 && $0 != 4 })
  }

  // MARK: degenerate data

  /// Identical effects: Q = 0, τ² = 0 for every method, I² = 0 (metafor reports NaN for the FE
  /// I² when Q = 0).
  func testIdenticalEffects() throws {
    let e = try MetaEffects(yi: [0.2, 0.2, 0.2, 0.2], vi: [0.01, 0.02, 0.03, 0.04])
    for method in MetaMethod.allCases {
      let r = try MetaAnalysis.fit(e, options: MetaOptions(method: method))
      XCTAssertEqual(r.tau2, 0, "\(method)")
      XCTAssertEqual(r.Q, 0, accuracy: 1e-20, "\(method)")
      XCTAssertEqual(r.I2, 0, "\(method)")
      XCTAssertEqual(r.estimate, 0.2, accuracy: 1e-15, "\(method)")
      XCTAssertNil(r.tau2CiLower, "\(method): the Q-profile CI is empty")
    }
  }

  /// A subgroup with a single study reports that study (metafor's k = 1 fit), with a warning.
  func testSingleStudySubgroup() throws {
    let groups: [String?] = (0..<16).map { $0 == 3 ? "solo" : ($0 % 2 == 0 ? "a" : "b") }
    let s = try MetaSubgroups.analyze(effects, groups: groups, name: "g")
    XCTAssertEqual(s.groups.map(\.level), ["a", "b", "solo"])
    let solo = s.groups[2]
    XCTAssertEqual(solo.k, 1)
    XCTAssertNil(solo.model)
    XCTAssertEqual(solo.estimate, effects.yi[3])
    XCTAssertEqual(solo.se, effects.vi[3].squareRoot())
    XCTAssertEqual(solo.tau2, 0)
    XCTAssertEqual(solo.r, tanh(effects.yi[3]))
    XCTAssertTrue(s.warnings.contains { $0.contains("single study") })
    XCTAssertEqual(s.QMDf, 2)
    XCTAssertEqual(s.model.coefficients.map(\.term), ["intrcpt", "gb", "gsolo"])
  }

  /// A numeric subgroup variable is categorical with numerically sorted levels.
  func testNumericSubgroupLevels() throws {
    var data = molloy
    data["q"] = .numeric(molloy.numbers("quality").map { $0 == 3 ? 10 : $0 })
    let s = try MetaSubgroups.analyze(effects, moderator: "q", data: data)
    XCTAssertEqual(s.groups.map(\.level), ["1", "2", "10"])
  }

  // MARK: publication-bias limits

  func testPublicationBiasLimits() throws {
    let two = try MetaAnalysis.fit(try MetaEffects(yi: [0.1, 0.4], vi: [0.01, 0.02]))
    assertError("too-few-studies") { _ = try PublicationBias.egger(two) }
    assertError("too-few-studies") { _ = try PublicationBias.rankTest(two) }
    let mods = try MetaAnalysis.fit(effects, mods: "meanage", data: molloy)
    assertError("moderators-not-supported") { _ = try PublicationBias.trimFill(mods) }
    let equal = try MetaAnalysis.fit(
      try MetaEffects(yi: [0.1, 0.4, 0.2, 0.3, 0.5], vi: [0.01, 0.01, 0.01, 0.01, 0.01]))
    assertError("trimfill-side") { _ = try PublicationBias.trimFill(equal) }
    assertError("aliased-term") { _ = try PublicationBias.egger(equal) }
    XCTAssertNoThrow(try PublicationBias.trimFill(equal, side: .left))
  }

  // MARK: Kendall's exact distribution

  /// P(T ≤ q) for n = 3 (inversion counts 1, 2, 2, 1) and the symmetry of the distribution for
  /// n = 60, which uses the running-window recursion.
  func testKendallDistribution() throws {
    XCTAssertEqual(Kendall.cdf(0, n: 3), 1.0 / 6, accuracy: 1e-15)
    XCTAssertEqual(Kendall.cdf(1, n: 3), 3.0 / 6, accuracy: 1e-15)
    XCTAssertEqual(Kendall.cdf(3, n: 3), 1)
    XCTAssertEqual(Kendall.cdf(-1, n: 3), 0)
    let u = 60 * 59 / 2
    for q in [100.0, 700, 885] {
      XCTAssertEqual(Kendall.cdf(q, n: 60) + Kendall.cdf(Double(u) - q - 1, n: 60), 1, accuracy: 1e-12)
    }
    // cor.test(1:5, c(2, 1, 4, 3, 5), method = "kendall"): tau 0.6, p 0.2333333 (exact).
    let t = Kendall.test([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    XCTAssertTrue(t.exact)
    XCTAssertEqual(t.tau, 0.6, accuracy: 1e-15)
    XCTAssertEqual(t.p, 0.23333333333333334, accuracy: 1e-15)
  }

  // MARK: multilevel

  func testMultilevelDiagnostics() throws {
    let kon = try Fixtures.csv("data/meta-konstantopoulos2011.csv")
    let e = try MetaEffects(yi: kon.numbers("yi"), vi: kon.numbers("vi"))
    XCTAssertEqual(try MetaMultilevel.parseRandom("~ 1 | district/school"), ["district", "school"])
    XCTAssertEqual(try MetaMultilevel.parseRandom("district / school"), ["district", "school"])
    assertError("bad-random") { _ = try MetaMultilevel.parseRandom("~ year | district") }
    assertError("bad-random") { _ = try MetaMultilevel.parseRandom("~ 1 | district + school") }
    assertError("unknown-column") { _ = try MetaMultilevel.fit(e, random: "~ 1 | distrct/school", data: kon) }
    assertError("bad-method") {
      _ = try MetaMultilevel.fit(e, random: "~ 1 | district/school", data: kon, method: .DL)
    }
    XCTAssertThrowsError(
      try MetaMultilevel.fit(e, random: "~ 1 | district/school", data: kon, maxIterations: 1)
    ) { error in
      XCTAssertEqual((error as? StatsError)?.code, "not-converged")
      XCTAssertTrue((error as? StatsError)?.remedy.contains("number of iterations") ?? false)
    }
    // Nesting is by the combination of the grouping columns: school numbers repeat across
    // districts in some data sets, so "school" alone must not be pooled across districts.
    var renumbered = kon
    let schools = kon.numbers("school")
    let districts = kon.numbers("district")
    var counters: [Double: Double] = [:]
    var local = schools
    for i in schools.indices {
      counters[districts[i], default: 0] += 1
      local[i] = counters[districts[i]]!
    }
    renumbered["school"] = .numeric(local)
    let a = try MetaMultilevel.fit(e, random: "~ 1 | district/school", data: kon)
    let b = try MetaMultilevel.fit(e, random: "~ 1 | district/school", data: renumbered)
    XCTAssertEqual(a.estimate, b.estimate, accuracy: 1e-12)
    XCTAssertEqual(b.sigma2.map(\.levels), [11, 56])
  }

  /// A variance component at the boundary is held at 0 with a warning (metafor reports ~1e-10).
  func testMultilevelBoundary() throws {
    // Outer groups with identical means: no between-group variance beyond sampling error.
    let yi = [0.1, 0.3, 0.2, 0.2, 0.1, 0.3, 0.3, 0.1, 0.2]
    let vi = [Double](repeating: 0.01, count: 9)
    let data = Table([
      ("g", .text(["a", "a", "a", "b", "b", "b", "c", "c", "c"])),
      ("es", .numeric((1...9).map(Double.init))),
    ])
    let r = try MetaMultilevel.fit(try MetaEffects(yi: yi, vi: vi), random: "~ 1 | g/es", data: data)
    XCTAssertEqual(r.sigma2[0].sigma2, 0)
    XCTAssertTrue(r.warnings.contains { $0.contains("boundary") })
    XCTAssertEqual(r.estimate, 0.2, accuracy: 1e-12)
  }
}
