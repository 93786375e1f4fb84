import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Tests/Fixtures/meta-extra.json, written by Tests/Fixtures/r/meta-extra.R (R 4.2.2, metafor
/// 3.8-1): escalc ZCOR and SMD, other levels and tests, meta-regression with every τ² method,
/// Knapp–Hartung F tests, publication bias on a second data set (exact Kendall p, trim-and-fill on
/// the right), subgroups, homogeneous data, k = 2, and more three-level fits. Tolerances by
/// quantity kind as in ``MetaReference/tolerance(method:)``.
final class MetaExtraTests: XCTestCase {
  private var results: [String: Any] = [:]
  private var molloy = Table()
  private var bcg = Table()
  private var kon = Table()
  private var molloyEffects: MetaEffects!
  private var bcgEffects: MetaEffects!
  private var konEffects: MetaEffects!

  override func setUpWithError() throws {
    results = try MetaReference.results("meta-extra")
    molloy = try Fixtures.csv("data/meta-molloy2014.csv")
    bcg = try Fixtures.csv("data/meta-bcg.csv")
    kon = try Fixtures.csv("data/meta-konstantopoulos2011.csv")
    molloyEffects = try MetaEffects.correlations(r: molloy.numbers("ri"), n: molloy.numbers("ni"))
    bcgEffects = try MetaEffects(yi: bcg.numbers("yi"), vi: bcg.numbers("vi"))
    konEffects = try MetaEffects(yi: kon.numbers("yi"), vi: kon.numbers("vi"))
  }

  private func block(_ path: String...) throws -> [String: Any] {
    var b = results
    for key in path { b = try MetaReference.block(b, key) }
    return b
  }

  private func numbers(_ b: [String: Any], _ key: String) throws -> [Double] {
    try XCTUnwrap(b[key] as? [NSNumber], "no array \(key)").map(\.doubleValue)
  }

  private func check(_ r: MetaResult, _ b: [String: Any], _ test: String) {
    assertMetaBlock(r, b, test: test, tolerance: MetaReference.tolerance(method: r.method))
    MetaReference.report(test)
  }

  /// escalc("ZCOR"): ½log((1 + r)/(1 − r)) and 1/(n − 3).
  func testZCOREffectSizes() throws {
    let b = try block("zcor")
    for (o, e) in zip(molloyEffects.yi, try numbers(b, "yi")) { assertClose(o, e, rel: 1e-14, "yi") }
    for (o, e) in zip(molloyEffects.vi, try numbers(b, "vi")) { assertClose(o, e, rel: 1e-14, "vi") }
  }

  /// escalc("SMD") on dat.normand1999 (Hedges' g with the exact gamma-function correction, vtype
  /// "LS") and its REML pooling.
  func testSMD() throws {
    let d = try Fixtures.csv("data/meta-normand1999.csv")
    let e = try MetaEffects.standardizedMeanDifferences(
      m1: d.numbers("m1i"), sd1: d.numbers("sd1i"), n1: d.numbers("n1i"), m2: d.numbers("m2i"),
      sd2: d.numbers("sd2i"), n2: d.numbers("n2i"))
    let b = try block("smd")
    XCTAssertEqual(e.measure, .smd)
    for (o, x) in zip(e.yi, try numbers(b, "yi")) { assertClose(o, x, rel: Tolerance.closedForm, "yi") }
    for (o, x) in zip(e.vi, try numbers(b, "vi")) { assertClose(o, x, rel: Tolerance.closedForm, "vi") }
    check(try MetaAnalysis.fit(e), try block("smd", "REML"), "normand SMD REML")
  }

  /// level = 90: CI, PI and Q-profile bounds at the 90% level.
  func testLevel90() throws {
    let r = try MetaAnalysis.fit(molloyEffects, options: MetaOptions(level: 0.90))
    check(r, try block("molloy_level90"), "molloy REML level 90")
  }

  /// DL with Knapp–Hartung.
  func testDLKnappHartung() throws {
    let r = try MetaAnalysis.fit(molloyEffects, options: MetaOptions(method: .DL, test: .knha))
    check(r, try block("molloy_DL_knha"), "molloy DL knha")
  }

  /// `rma(yi, vi, mods = ~ ablat, method = m)` for all nine methods: each estimator's
  /// meta-regression path (HE's OLS residuals, SJ's weighted start, the FE adjusted R²).
  func testBCGAbsoluteLatitudeEveryMethod() throws {
    for method in MetaMethod.allCases {
      let r = try MetaAnalysis.fit(bcgEffects, mods: "ablat", data: bcg, options: MetaOptions(method: method))
      check(r, try block("bcg_ablat", method.rawValue), "bcg ablat \(method.rawValue)")
    }
  }

  /// Knapp–Hartung meta-regression: t(11) coefficients and QM as F(1, 11).
  func testBCGAbsoluteLatitudeKnappHartung() throws {
    let r = try MetaAnalysis.fit(bcgEffects, mods: "ablat", data: bcg, options: MetaOptions(test: .knha))
    XCTAssertEqual(r.QMDf2, 11)
    XCTAssertEqual(r.coefficients.map(\.df), [11, 11])
    check(r, try block("bcg_ablat_knha"), "bcg ablat knha")
  }

  /// Two moderators: QM on 2 df.
  func testBCGTwoModerators() throws {
    let r = try MetaAnalysis.fit(bcgEffects, mods: "~ ablat + year", data: bcg)
    XCTAssertEqual(r.QMDf, 2)
    check(r, try block("bcg_ablat_year"), "bcg ablat + year")
  }

  /// ranktest on BCG: no tied variances, so the exact Kendall distribution (R's ckendall).
  func testBCGRankTestExact() throws {
    let rt = try PublicationBias.rankTest(try MetaAnalysis.fit(bcgEffects))
    let b = try block("bcg_ranktest")
    XCTAssertTrue(rt.exact)
    assertClose(rt.tau, try MetaReference.number(b, "tau"), rel: Tolerance.closedForm, "tau")
    assertClose(rt.p, try MetaReference.number(b, "p"), rel: Tolerance.closedForm, "p")
  }

  /// trimfill on BCG (REML): the √vi slope is negative, so one study is filled on the right.
  func testBCGTrimFillRight() throws {
    let tf = try PublicationBias.trimFill(try MetaAnalysis.fit(bcgEffects))
    let b = try block("bcg_trimfill")
    XCTAssertEqual(tf.side, .right)
    XCTAssertEqual(Double(tf.k0), try MetaReference.number(b, "k0"))
    assertClose(tf.seK0, try MetaReference.number(b, "se_k0"), rel: Tolerance.optimisedEstimate, "se_k0")
    for (o, e) in zip(tf.filled.map(\.yi), try numbers(b, "filled_yi")) {
      assertClose(o, e, rel: Tolerance.optimisedEstimate, "filled yi")
    }
    for (o, e) in zip(tf.filled.map(\.vi), try numbers(b, "filled_vi")) {
      assertClose(o, e, rel: Tolerance.closedForm, "filled vi")
    }
    check(tf.model, b.filter { !["k0", "se_k0", "side", "filled_yi", "filled_vi"].contains($0.key) }, "bcg trimfill")
  }

  /// regtest on BCG (REML).
  func testBCGEgger() throws {
    let e = try PublicationBias.egger(try MetaAnalysis.fit(bcgEffects))
    let b = try block("bcg_egger")
    let tol = Tolerance.optimisedEstimate
    assertClose(e.z, try MetaReference.number(b, "z"), rel: tol, "z")
    assertClose(e.p, try MetaReference.number(b, "p"), rel: tol, "p")
    assertClose(e.limitEstimate, try MetaReference.number(b, "limit_estimate"), rel: tol, "limit")
    assertClose(e.limitCiLower, try MetaReference.number(b, "limit_ci_lb"), rel: tol, "limit lb")
    assertClose(e.limitCiUpper, try MetaReference.number(b, "limit_ci_ub"), rel: tol, "limit ub")
  }

  /// The two studies filled into dat.molloy2014 (left), and trim-and-fill of the FE model.
  func testMolloyTrimFill() throws {
    let tf = try PublicationBias.trimFill(try MetaAnalysis.fit(molloyEffects))
    let b = try block("molloy_trimfill")
    assertClose(tf.seK0, try MetaReference.number(b, "se_k0"), rel: Tolerance.optimisedEstimate, "se_k0")
    for (o, e) in zip(tf.filled.map(\.yi), try numbers(b, "filled_yi")) {
      assertClose(o, e, rel: Tolerance.optimisedEstimate, "filled yi")
    }
    for (o, e) in zip(tf.filled.map(\.vi), try numbers(b, "filled_vi")) {
      assertClose(o, e, rel: Tolerance.closedForm, "filled vi")
    }
    XCTAssertEqual(tf.model.yi.count, 18)
    XCTAssertNotNil(tf.model.r, "a ZCOR model keeps its correlation scale after filling")

    let fe = try PublicationBias.trimFill(try MetaAnalysis.fit(molloyEffects, options: MetaOptions(method: .FE)))
    let bf = try block("molloy_trimfill_FE")
    XCTAssertEqual(Double(fe.k0), try MetaReference.number(bf, "k0"))
    XCTAssertEqual(fe.side.rawValue, bf["side"] as? String)
    check(fe.model, bf.filter { !["k0", "side"].contains($0.key) }, "molloy trimfill FE")
  }

  /// regtest of a Knapp–Hartung model (t test on k − 2 df), of an FE model, and of a model
  /// with a moderator (sei added to it; no limit estimate).
  func testMolloyEggerVariants() throws {
    let kh = try PublicationBias.egger(
      try MetaAnalysis.fit(molloyEffects, options: MetaOptions(test: .knha)))
    let b = try block("molloy_egger_knha")
    let tol = Tolerance.optimisedEstimate
    XCTAssertNil(kh.z)
    XCTAssertEqual(kh.df, 14)
    assertClose(kh.t, try MetaReference.number(b, "t"), rel: tol, "t")
    assertClose(kh.p, try MetaReference.number(b, "p"), rel: tol, "p")
    assertClose(kh.limitEstimate, try MetaReference.number(b, "limit_estimate"), rel: tol, "limit")
    assertClose(kh.limitCiLower, try MetaReference.number(b, "limit_ci_lb"), rel: tol, "limit lb")
    assertClose(kh.limitCiUpper, try MetaReference.number(b, "limit_ci_ub"), rel: tol, "limit ub")

    let fe = try PublicationBias.egger(
      try MetaAnalysis.fit(molloyEffects, options: MetaOptions(method: .FE)))
    let bf = try block("molloy_egger_FE")
    assertClose(fe.z, try MetaReference.number(bf, "z"), rel: Tolerance.closedForm, "FE z")
    assertClose(fe.p, try MetaReference.number(bf, "p"), rel: Tolerance.closedForm, "FE p")
    assertClose(fe.limitEstimate, try MetaReference.number(bf, "limit_estimate"), rel: Tolerance.closedForm, "FE limit")

    let mods = try PublicationBias.egger(try MetaAnalysis.fit(molloyEffects, mods: "meanage", data: molloy))
    let bm = try block("molloy_egger_meanage")
    assertClose(mods.z, try MetaReference.number(bm, "z"), rel: tol, "mods z")
    assertClose(mods.p, try MetaReference.number(bm, "p"), rel: tol, "mods p")
    XCTAssertNil(mods.limitEstimate)
  }

  /// Subgroups by design: each subgroup's REML fit, the Q-between of the separate estimates, and
  /// the common-τ² QM.
  func testMolloySubgroups() throws {
    let s = try MetaSubgroups.analyze(molloyEffects, moderator: "design", data: molloy)
    let b = try block("molloy_subgroups")
    let groups = try MetaReference.block(b, "groups")
    for g in s.groups {
      let m = try XCTUnwrap(g.model)
      check(m, try MetaReference.block(groups, g.level), "molloy subgroup \(g.level)")
      XCTAssertEqual(g.estimate, m.estimate)
      XCTAssertEqual(g.r, m.r)
    }
    let tol = Tolerance.optimisedEstimate
    assertClose(s.QBetweenSeparate, try MetaReference.number(b, "Qb_separate"), rel: tol, "Qb")
    assertClose(s.QBetweenSeparateP, try MetaReference.number(b, "Qb_separate_p"), rel: tol, "Qb p")
    XCTAssertEqual(s.QBetweenSeparateDf, 1)
    assertClose(s.QM, try MetaReference.number(b, "QM"), rel: tol, "QM")
    XCTAssertEqual(s.rowsDropped, 0)
  }

  private func checkAllMethods(_ name: String) throws {
    let b = try block(name)
    let e = try MetaEffects(yi: try numbers(b, "yi"), vi: try numbers(b, "vi"))
    let fits = try MetaReference.block(b, "fits")
    for method in MetaMethod.allCases {
      let r = try MetaAnalysis.fit(e, options: MetaOptions(method: method))
      check(r, try MetaReference.block(fits, method.rawValue), "\(name) \(method.rawValue)")
    }
  }

  /// Homogeneous data (Q = 2.66 < df = 5): every estimator truncates τ² at 0; the Q-profile CI is
  /// [0, 0.0359].
  func testHomogeneous() throws { try checkAllMethods("homogeneous") }

  /// Q = 0.036 is below the lower χ²(4) quantile: the Q-profile CI is the empty set.
  func testHomogeneousEmptyCI() throws { try checkAllMethods("homogeneous_empty_ci") }

  /// k = 2 with every estimator (Q on 1 df).
  func testTwoStudies() throws { try checkAllMethods("k2") }

  /// The three-level model's prediction interval and variance shares (Cheung 2014: 100σ²ⱼ/(Σσ² +
  /// vt), vt = (k − p)/tr(P)).
  func testThreeLevelPredictionIntervalAndShares() throws {
    let r = try MetaMultilevel.fit(konEffects, random: "~ 1 | district/school", data: kon)
    let b = try block("kon_reml")
    let tol = Tolerance.optimisedEstimate
    assertClose(r.piLower, try MetaReference.number(b, "pi_lb"), rel: tol, "pi_lb")
    assertClose(r.piUpper, try MetaReference.number(b, "pi_ub"), rel: tol, "pi_ub")
    assertClose(r.typicalVariance, try MetaReference.number(b, "vt"), rel: Tolerance.closedForm, "vt")
    for (c, e) in zip(r.sigma2, try numbers(b, "shares")) {
      assertClose(c.share, e, rel: Tolerance.variance, "share \(c.name)")
    }
    assertClose(r.samplingShare, try MetaReference.number(b, "sampling"), rel: Tolerance.variance, "sampling share")
    XCTAssertEqual(r.sigma2.map(\.share).reduce(0, +) + r.samplingShare, 100, accuracy: 1e-10)
  }

  /// method = "ML".
  func testThreeLevelML() throws {
    let r = try MetaMultilevel.fit(konEffects, random: "~ 1 | district/school", data: kon, method: .ML)
    let b = try block("kon_ml")
    assertClose(r.estimate, try MetaReference.number(b, "estimate"), rel: Tolerance.optimisedEstimate, "estimate")
    assertClose(r.se, try MetaReference.number(b, "se"), rel: Tolerance.optimisedEstimate, "se")
    for (c, e) in zip(r.sigma2, try numbers(b, "sigma2")) {
      assertClose(c.sigma2, e, rel: Tolerance.variance, "sigma2 \(c.name)")
    }
    let ll = try MetaReference.number(b, "logLik")
    XCTAssertEqual(r.logLik, ll, accuracy: Tolerance.objectiveAbsolute)
    XCTAssertGreaterThanOrEqual(r.logLik, ll - 1e-12)
  }

  /// A moderator in the three-level model (`mods = ~ year`).
  func testThreeLevelModerator() throws {
    let r = try MetaMultilevel.fit(konEffects, random: "~ 1 | district/school", data: kon, mods: "year")
    let b = try block("kon_year")
    XCTAssertEqual(r.coefficients.map(\.term), ["intrcpt", "year"])
    for (c, e) in zip(r.coefficients.map(\.estimate), try numbers(b, "coef")) {
      assertClose(c, e, rel: Tolerance.optimisedEstimate, "coef")
    }
    for (c, e) in zip(r.coefficients.map(\.se), try numbers(b, "se")) {
      assertClose(c, e, rel: Tolerance.optimisedEstimate, "se")
    }
    for (c, e) in zip(r.sigma2, try numbers(b, "sigma2")) {
      assertClose(c.sigma2, e, rel: Tolerance.variance, "sigma2 \(c.name)")
    }
    assertClose(r.QM, try MetaReference.number(b, "QM"), rel: Tolerance.optimisedEstimate, "QM")
    assertClose(r.QMP, try MetaReference.number(b, "QM_p"), rel: Tolerance.optimisedEstimate, "QM_p")
    assertClose(r.Q, try MetaReference.number(b, "Q"), rel: Tolerance.closedForm, "Q")
    XCTAssertEqual(r.logLik, try MetaReference.number(b, "logLik"), accuracy: Tolerance.objectiveAbsolute)
    XCTAssertNil(r.piLower)
  }

  /// One grouping level (`~ 1 | district`).
  func testTwoLevel() throws {
    let r = try MetaMultilevel.fit(konEffects, random: "~ 1 | district", data: kon)
    let b = try block("kon_district")
    XCTAssertEqual(r.sigma2.map(\.name), ["district"])
    assertClose(r.estimate, try MetaReference.number(b, "estimate"), rel: Tolerance.optimisedEstimate, "estimate")
    assertClose(r.se, try MetaReference.number(b, "se"), rel: Tolerance.optimisedEstimate, "se")
    assertClose(r.sigma2[0].sigma2, try numbers(b, "sigma2")[0], rel: Tolerance.variance, "sigma2")
    XCTAssertEqual(r.logLik, try MetaReference.number(b, "logLik"), accuracy: Tolerance.objectiveAbsolute)
  }
}
