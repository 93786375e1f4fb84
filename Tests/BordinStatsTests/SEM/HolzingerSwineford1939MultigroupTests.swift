import BordinData
import BordinStats
import BordinTestSupport
import XCTest

/// Multigroup CFA of Holzinger & Swineford (1939) by school (Pasteur 156, Grant-White 145; MAR
/// missingness in x1, x5, x9), configural, equal loadings and equal loadings + intercepts, ML and
/// MLR, FIML, against lavaan 0.6-14 `sem(..., group = "school", group.equal = ...)`
/// (Tests/Fixtures/r/sem-robust.R, lavaan's optimum polished): estimates, SEs and std.all at
/// DESIGN §9 (1e-5), fit measures at 1e-5 relative, χ² per group, and lavTestLRT's difference
/// tests (Satorra–Bentler 2001 under MLR).
final class HolzingerSwineford1939MultigroupTests: XCTestCase {
  private static let model = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"

  private func fit(_ equal: [SEMGroupEqual], _ estimator: SEMEstimator) throws -> SEMResult {
    var options = SEMOptions()
    options.estimator = estimator
    return try SEM.fit(
      model: Self.model, data: try Fixtures.csv("data/hs1939-school-missing.csv"), group: "school",
      equal: equal, options: options)
  }

  @discardableResult
  private func check(_ name: String, _ equal: [SEMGroupEqual], _ estimator: SEMEstimator,
                     file: StaticString = #filePath, line: UInt = #line) throws -> SEMResult {
    let ref = try SEMReferenceCase(name)
    let r = try fit(equal, estimator)
    let errors = ref.assertMatches(r, file: file, line: line)
    let results = try XCTUnwrap(ref.json["results"] as? [String: Any])
    let labels = try XCTUnwrap(results["group_labels"] as? [String])
    XCTAssertEqual(r.groups.map(\.label), labels, file: file, line: line)
    for (k, p) in ref.parameters.enumerated() where k < r.parameters.count {
      let g = (p["group"] as! NSNumber).intValue
      XCTAssertEqual(r.parameters[k].group, labels[g - 1], "row \(k + 1) group", file: file, line: line)
    }
    let chisqGroup = try XCTUnwrap(results["chisq_group"] as? [NSNumber])
    for (g, c) in chisqGroup.enumerated() {
      assertClose(r.groups[g].chisq, c.doubleValue, rel: Tolerance.optimisedEstimate, "chisq group \(g + 1)", file: file, line: line)
    }
    if estimator == .mlr {
      let robust = try XCTUnwrap(results["robust"] as? [String: Any])
      let f = try XCTUnwrap(r.fit.robust, file: file, line: line)
      for (key, v) in [
        ("chisq_scaled", f.chisqScaled), ("chisq_scaling_factor", f.scalingFactor), ("pvalue_scaled", f.pScaled),
        ("baseline_chisq_scaled", f.baselineChisqScaled), ("baseline_chisq_scaling_factor", f.baselineScalingFactor),
        ("cfi_scaled", f.cfiScaled), ("tli_scaled", f.tliScaled), ("rmsea_scaled", f.rmseaScaled),
      ] {
        let e = try XCTUnwrap((robust[key] as? NSNumber)?.doubleValue, key, file: file, line: line)
        assertClose(v, e, rel: Tolerance.optimisedEstimate, key, file: file, line: line)
      }
    }
    print("\(name) observed errors: \(errors.summary)")
    return r
  }

  func testConfiguralML() throws { try check("sem-hs1939-school-configural-ml", [], .ml) }
  func testEqualLoadingsML() throws { try check("sem-hs1939-school-loadings-ml", [.loadings], .ml) }
  func testEqualInterceptsML() throws {
    let r = try check("sem-hs1939-school-intercepts-ml", [.loadings, .intercepts], .ml)
    // The latent means are free in group 2 only.
    let means = r.parameters.filter { $0.op == "~1" && $0.lhs == "visual" }
    XCTAssertEqual(means.map(\.free), [false, true])
  }
  func testConfiguralMLR() throws { try check("sem-hs1939-school-configural-mlr", [], .mlr) }
  func testEqualLoadingsMLR() throws { try check("sem-hs1939-school-loadings-mlr", [.loadings], .mlr) }
  func testEqualInterceptsMLR() throws { try check("sem-hs1939-school-intercepts-mlr", [.loadings, .intercepts], .mlr) }

  /// lavTestLRT(configural, loadings) and (loadings, intercepts).
  private func checkLRT(_ estimator: SEMEstimator) throws {
    let ref = try Fixtures.reference("sem-hs1939-school-lrt-\(estimator.rawValue.lowercased())")
    let results = try XCTUnwrap(ref["results"] as? [String: Any])
    let fits = try [[], [SEMGroupEqual.loadings], [.loadings, .intercepts]].map { try fit($0, estimator) }
    for (key, a, b) in [("configural_loadings", 0, 1), ("loadings_intercepts", 1, 2)] {
      let e = try XCTUnwrap(results[key] as? [String: Any])
      let t = try SEMDifferenceTest.compare(fits[a], fits[b])
      XCTAssertEqual(t, try SEMDifferenceTest.compare(fits[b], fits[a]), "order does not matter")
      assertClose(t.chisqDiff, (e["chisq_diff"] as! NSNumber).doubleValue, rel: Tolerance.optimisedEstimate, key)
      XCTAssertEqual(t.dfDiff, (e["df_diff"] as! NSNumber).intValue, key)
      assertClose(t.p, (e["p"] as! NSNumber).doubleValue, rel: Tolerance.optimisedEstimate, "\(key) p")
      XCTAssertEqual(t.scalingFactor == nil, estimator == .ml)
    }
  }

  func testDifferenceTestML() throws { try checkLRT(.ml) }
  func testDifferenceTestMLR() throws { try checkLRT(.mlr) }

  // MARK: diagnostics

  private func table(_ groups: [String?]) throws -> Table {
    let hs = try Fixtures.csv("data/hs1939-school-missing.csv")
    let n = min(groups.count, hs.rowCount)
    var t = hs.rows(Array(0..<n))
    t = Table(t.names.filter { $0 != "school" }.map { ($0, t[$0]!) } + [("school", .text(Array(groups.prefix(n))))])
    return t
  }

  func testGroupWithTooFewCasesIsRefused() throws {
    let groups: [String?] = (0..<120).map { $0 < 5 ? "small" : "large" }
    XCTAssertThrowsError(try SEM.fit(model: Self.model, data: try table(groups), group: "school", equal: [])) { e in
      XCTAssertEqual((e as? StatsError)?.code, "too-few-rows")
      XCTAssertTrue((e as? StatsError)?.message.contains("'small'") ?? false, "\(e)")
    }
    let one: [String?] = (0..<120).map { $0 == 0 ? "alone" : "rest" }
    XCTAssertThrowsError(try SEM.fit(model: Self.model, data: try table(one), group: "school", equal: [])) { e in
      XCTAssertEqual((e as? StatsError)?.code, "too-few-rows")
      XCTAssertTrue((e as? StatsError)?.message.contains("1 case,") ?? false, "\(e)")
    }
  }

  func testGroupColumnWithOneLevelOrMissingIsRefused() throws {
    let same: [String?] = (0..<120).map { _ in "only" }
    XCTAssertThrowsError(try SEM.fit(model: Self.model, data: try table(same), group: "school", equal: [])) { e in
      XCTAssertEqual((e as? StatsError)?.code, "one-group")
    }
    XCTAssertThrowsError(try SEM.fit(model: Self.model, data: try table(same), group: "schol", equal: [])) { e in
      XCTAssertEqual((e as? StatsError)?.code, "unknown-variable")
    }
    // Rows with a missing group are left out with a warning.
    var mixed: [String?] = (0..<301).map { $0 < 150 ? "a" : "b" }
    mixed[3] = nil
    let r = try SEM.fit(model: Self.model, data: try table(mixed), group: "school", equal: [.loadings])
    XCTAssertEqual(r.fit.n, 300)
    XCTAssertTrue(r.warnings.contains { $0.code == "group-missing" })
  }

  func testConstraintThatUnidentifiesIsDetected() throws {
    // Freeing the markers with equal loadings frees the scale in no group: the factor variances
    // are not identified.
    let model = "visual =~ NA*x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
    XCTAssertThrowsError(
      try SEM.fit(model: model, data: try Fixtures.csv("data/hs1939-school-missing.csv"), group: "school", equal: [.loadings])
    ) { e in
      XCTAssertEqual((e as? StatsError)?.code, "unidentified", "\(e)")
      XCTAssertTrue((e as? StatsError)?.message.contains("group 'Pasteur'") ?? false, "\(e)")
    }
  }

  func testMLRWithListwiseDeletionIsRefused() throws {
    var options = SEMOptions(missing: .listwise)
    options.estimator = .mlr
    XCTAssertThrowsError(
      try SEM.fit(model: Self.model, data: try Fixtures.csv("data/hs1939-school-missing.csv"), group: "school", equal: [], options: options)
    ) { e in XCTAssertEqual((e as? StatsError)?.code, "bad-option") }
  }
}
