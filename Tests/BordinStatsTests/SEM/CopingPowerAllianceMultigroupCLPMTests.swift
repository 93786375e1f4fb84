import BordinData
@testable import BordinStats
import BordinTestSupport
import XCTest

/// The multigroup cross-lagged panel model (`CrossLaggedPanel.fit(..., group:, equal:)`) of child-
/// and therapist-rated bond at mid and end of treatment by delivery format (simulated Coping
/// Power data, Tests/Fixtures/data/coping-power-alliance.csv; some ratings missing, FIML), with the
/// regressions free and equal across formats, ML and MLR, against lavaan 0.6-14
/// `sem(clpm, group = "format", group.equal = ..., missing = "ml", fixed.x = FALSE)`
/// (Tests/Fixtures/r/sem-compare.R, lavaan's optimum polished): estimates, SEs, z, p and std.all
/// at DESIGN §9 (1e-5), fit at 1e-5 relative, χ² per group, the MLR scaled test and the
/// FIML-corrected robust CFI, TLI and RMSEA (SEMMultigroupRobust.swift), and
/// lavTestLRT(free, equal) (Satorra–Bentler 2001 under MLR).
final class CopingPowerAllianceMultigroupCLPMTests: XCTestCase {
  private func fit(_ equal: [SEMGroupEqual], _ estimator: SEMEstimator) throws -> CrossLaggedPanelResult {
    var options = SEMOptions()
    options.estimator = estimator
    return try CrossLaggedPanel.fit(
      data: try Fixtures.csv("data/coping-power-alliance.csv"), x: "bond_child_", y: "bond_therapist_",
      waves: ["mid", "end"], group: "format", equal: equal, options: options)
  }

  @discardableResult
  private func check(_ name: String, _ equal: [SEMGroupEqual], _ estimator: SEMEstimator,
                     file: StaticString = #filePath, line: UInt = #line) throws -> SEMResult {
    let ref = try SEMReferenceCase(name)
    let c = try fit(equal, estimator)
    XCTAssertEqual(c.syntax, ref.model, "the generated syntax is the fixture's", file: file, line: line)
    let r = c.model
    let errors = ref.assertMatches(r, file: file, line: line)
    let results = try XCTUnwrap(ref.json["results"] as? [String: Any])
    let labels = try XCTUnwrap(results["group_labels"] as? [String])
    XCTAssertEqual(r.groups.map(\.label), labels, file: file, line: line)
    for (k, p) in ref.parameters.enumerated() where k < r.parameters.count {
      XCTAssertEqual(r.parameters[k].group, labels[(p["group"] as! NSNumber).intValue - 1], "row \(k + 1) group", file: file, line: line)
    }
    let chisqGroup = try XCTUnwrap(results["chisq_group"] as? [NSNumber])
    for (g, x) in chisqGroup.enumerated() where x.doubleValue > 1e-8 {
      assertClose(r.groups[g].chisq, x.doubleValue, rel: Tolerance.optimisedEstimate, "chisq group \(g + 1)", file: file, line: line)
    }
    if estimator == .mlr, r.fit.df > 0 {
      let robust = try XCTUnwrap(results["robust"] as? [String: Any])
      let f = try XCTUnwrap(r.fit.robust, file: file, line: line)
      for (key, v) in [("chisq_scaled", f.chisqScaled), ("chisq_scaling_factor", f.scalingFactor), ("pvalue_scaled", f.pScaled),
                       ("cfi_robust", f.cfiRobust), ("tli_robust", f.tliRobust), ("rmsea_robust", f.rmseaRobust),
                       ("rmsea_ci_upper_robust", f.rmseaRobustCIUpper)] {
        let e = try XCTUnwrap((robust[key] as? NSNumber)?.doubleValue, key, file: file, line: line)
        assertClose(v, e, rel: Tolerance.optimisedEstimate, key, file: file, line: line)
      }
    }
    print("\(name) observed errors: \(errors.summary)")
    return r
  }

  func testFreeML() throws {
    let r = try check("sem-clpm-format-free-ml", [], .ml)
    XCTAssertEqual(r.fit.df, 0, "a two-wave CLPM is saturated in each group")
  }
  func testEqualRegressionsML() throws {
    let r = try check("sem-clpm-format-regressions-ml", [.regressions], .ml)
    XCTAssertEqual(r.fit.df, 4)
    // The four paths carry lavaan's shared labels and are equal in both groups.
    let paths = r.parameters.filter { $0.op == "~" }
    XCTAssertEqual(paths.count, 8)
    for (a, b) in zip(paths.prefix(4), paths.suffix(4)) {
      XCTAssertEqual(a.est, b.est)
      XCTAssertEqual(a.label, b.label)
      XCTAssertFalse(a.label.isEmpty)
    }
  }
  func testFreeMLR() throws { try check("sem-clpm-format-free-mlr", [], .mlr) }

  /// The robust indices of the multigroup Holzinger–Swineford CFA by school (configural, equal
  /// loadings, equal loadings and intercepts), against sem-robust.R's lavaan fixtures.
  func testRobustIndicesOfMultigroupCFA() throws {
    let model = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
    var worst = 0.0
    for (name, equal) in [("configural", [SEMGroupEqual]()), ("loadings", [.loadings]), ("intercepts", [.loadings, .intercepts])] {
      var options = SEMOptions()
      options.estimator = .mlr
      let r = try SEM.fit(model: model, data: try Fixtures.csv("data/hs1939-school-missing.csv"), group: "school", equal: equal, options: options)
      let ref = try XCTUnwrap((Fixtures.reference("sem-hs1939-school-\(name)-mlr")["results"] as? [String: Any])?["robust"] as? [String: Any])
      let f = try XCTUnwrap(r.fit.robust)
      for (key, v) in [("cfi_robust", f.cfiRobust), ("tli_robust", f.tliRobust), ("rmsea_robust", f.rmseaRobust),
                       ("rmsea_ci_lower_robust", f.rmseaRobustCILower), ("rmsea_ci_upper_robust", f.rmseaRobustCIUpper)] {
        let e = try XCTUnwrap((ref[key] as? NSNumber)?.doubleValue)
        assertClose(v, e, rel: Tolerance.optimisedEstimate, "\(name) \(key)")
        worst = max(worst, abs(v - e) / abs(e))
      }
    }
    print("multigroup robust indices: largest relative error against lavaan \(worst)")
  }
  func testEqualRegressionsMLR() throws { try check("sem-clpm-format-regressions-mlr", [.regressions], .mlr) }

  /// The case bootstrap within groups (SEMBootstrap.run(model:data:group:...)) against lavaan's
  /// `se = "bootstrap"` with 2000 draws (Tests/Fixtures/r/sem-bootstrap-multigroup.R): each SE
  /// within 5 SDs of the difference of two bootstrap SD estimates, SE·√(1/(2(B_R − 1)) +
  /// 1/(2(B − 1))) (the bound of SEMBootstrapTests); the percentile interval brackets the estimate;
  /// the same bits for 1 and 3 threads.
  func testBootstrapWithinMonteCarloErrorOfLavaan() throws {
    let json = try Fixtures.reference("sem-clpm-format-regressions-bootstrap")
    let results = try XCTUnwrap(json["results"] as? [String: Any])
    let lavaanDraws = try XCTUnwrap(results["draws"] as? Int)
    let full = try fit([.regressions], .ml)
    let model = try LavaanModel.parse(full.syntax)
    let data = try Fixtures.csv("data/coping-power-alliance.csv")
    func run(_ draws: Int, threads: Int) throws -> SEMBootstrapResult {
      try SEMBootstrap.run(model: model, data: data, group: "format", equal: [.regressions], options: SEMOptions(), full: full.model,
                           bootstrap: SEMBootstrapOptions(draws: draws, seed: 17, threads: threads))
    }
    let draws = 500
    let b = try run(draws, threads: 2)
    XCTAssertLessThan(b.failed, draws / 20)
    var r = full.model
    SEMBootstrap.apply(b, to: &r)
    var checked = 0, worst = 0.0
    for row in try XCTUnwrap(results["parameters"] as? [[String: Any]]) {
      guard let se = (row["se"] as? NSNumber)?.doubleValue, se > 0, let g = row["group"] as? String else { continue }
      let p = try XCTUnwrap(r.parameters.first {
        $0.group == g && $0.lhs == row["lhs"] as? String && $0.op == row["op"] as? String && $0.rhs == row["rhs"] as? String
      })
      let sd = se * (1 / (2 * Double(lavaanDraws - 1)) + 1 / (2 * Double(draws - 1))).squareRoot()
      XCTAssertLessThan(abs(p.se - se), 5 * sd, "\(g) \(p.lhs) \(p.op) \(p.rhs): Bordin \(p.se), lavaan \(se)")
      worst = max(worst, abs(p.se - se) / sd)
      XCTAssertLessThan(p.ciLower, p.est)
      XCTAssertGreaterThan(p.ciUpper, p.est)
      checked += 1
    }
    XCTAssertGreaterThan(checked, 20)
    print("multigroup bootstrap: largest |SE difference| / SD of the difference = \(worst) over \(checked) parameters")
    XCTAssertEqual(try run(100, threads: 1).se, try run(100, threads: 3).se)
  }

  /// lavTestLRT(free, equal): ML, and the Satorra–Bentler (2001) scaled difference under MLR with
  /// a saturated free model (lavaan's c_f = 1: the difference scaling factor is the restricted
  /// model's own).
  func testDifferenceTest() throws {
    let ref = try XCTUnwrap(Fixtures.reference("sem-compare")["results"] as? [String: Any])
    for estimator in [SEMEstimator.ml, .mlr] {
      let e = try XCTUnwrap(ref["clpm_format_\(estimator.rawValue.lowercased())"] as? [String: Any])
      let t = try SEMDifferenceTest.compare(try fit([], estimator).model, try fit([.regressions], estimator).model)
      assertClose(t.chisqDiff, (e["chisq_diff"] as! NSNumber).doubleValue, rel: Tolerance.optimisedEstimate, "\(estimator) Δχ²")
      XCTAssertEqual(t.dfDiff, (e["df_diff"] as! NSNumber).intValue)
      assertClose(t.p, (e["p"] as! NSNumber).doubleValue, rel: Tolerance.optimisedEstimate, "\(estimator) p")
      assertClose(t.unscaledChisqDiff, (e["unscaled_diff"] as! NSNumber).doubleValue, rel: Tolerance.optimisedEstimate, "\(estimator) unscaled")
      if estimator == .mlr {
        assertClose(t.scalingFactor, (e["scaling"] as! NSNumber).doubleValue, rel: Tolerance.optimisedEstimate, "c_d")
      } else {
        XCTAssertNil(t.scalingFactor)
      }
    }
  }
}
