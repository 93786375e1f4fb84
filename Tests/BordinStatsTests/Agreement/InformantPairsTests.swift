import BordinData
import BordinTestSupport
import XCTest

@testable import BordinStats

/// Informant pairs: `cor.test`, `t.test(paired = TRUE)` and Bland–Altman statistics (bias ±
/// 1.96·sd, SE √(3s²/n), t intervals of the limits) on the Shrout & Fleiss judges and the Coping
/// Power informants. Literals from Tests/Fixtures/r/agreement-literals.R (R 4.2.2), part 2.
final class InformantPairsTests: XCTestCase {
  static let tol = Tolerance.closedForm

  /// [r, t, df, p, mean_diff, bias, loa_lb, loa_ub, sd, n, se, lb_ci_lb, lb_ci_ub, ub_ci_lb, ub_ci_ub]
  static let shroutFleiss: [String: [Double]] = [
    "J1-J2": [0.7453559924999299, 10.825669584428462, 5, 0.00011671413474317249, 5.166666666666667, 5.166666666666667, 2.8753380855446431, 7.4579952477886913, 1.1690451944500122, 6, 0.82663978450914966, 0.75039287087110651, 5.0002833002181797, 5.3330500331151551, 9.5829404624622274],
    "J1-J3": [0.72500000000000009, 6.7419986246324211, 5, 0.0010891255514830754, 3.3333333333333335, 3.3333333333333335, 0.95965545572090027, 5.7070112109457671, 1.2110601416389966, 6, 0.85634883857767508, -1.2416593136951248, 3.1609702251369254, 3.505696441529742, 7.9083259803617922],
    "J1-J4": [0.75017728401145856, 1.4638501094227998, 5, 0.20311066372005465, 1, 1, -2.2797073040135762, 4.2797073040135762, 1.6733200530681511, 6, 1.1832159566199232, -5.3212607497357958, 0.76184614170864284, 1.2381538582913572, 7.3212607497357958],
    "J2-J3": [0.89442719099991586, -5.965587590013044, 5, 0.0018942471146003929, -1.8333333333333333, -1.8333333333333333, -3.308767732643132, -0.35789893402353457, 0.752772652709081, 6, 0.53229064742237708, -4.677064402186188, -1.9404710631000761, -1.7261956035665904, 1.0103977355195213],
    "J2-J4": [0.72932495748947268, -5.9255682892497159, 5, 0.0019520623054628235, -4.166666666666667, -4.166666666666667, -7.5425734584289437, -0.7907598749043907, 1.7224014243685084, 6, 1.2179217270963407, -10.673340927329605, -4.4118059895282826, -3.9215273438050517, 2.3400075939962703],
    "J3-J4": [0.7175608803587864, -3.2637668288410979, 5, 0.022352224087994688, -2.3333333333333335, -2.3333333333333335, -5.7656658735553128, 1.0989992068886458, 1.7511900715418263, 6, 1.2382783747337807, -8.9487617711072254, -2.5825699760033998, -2.0840966906632672, 4.2820951044405593],
  ]

  private func check(_ p: InformantPair, _ v: [Double], _ label: String) {
    let got: [Double] = [
      p.r, p.t, p.df, p.p, p.meanDiff, p.baBias, p.baLoaLower, p.baLoaUpper, p.baSD, Double(p.n),
      p.baLoaSE, p.baLoaLowerCILower, p.baLoaLowerCIUpper, p.baLoaUpperCILower, p.baLoaUpperCIUpper,
    ]
    let names = ["r", "t", "df", "p", "mean_diff", "ba_bias", "ba_loa_lb", "ba_loa_ub", "sd", "n",
                 "loa se", "lb ci lb", "lb ci ub", "ub ci lb", "ub ci ub"]
    for k in got.indices { assertClose(got[k], v[k], rel: Self.tol, "\(label) \(names[k])") }
  }

  func testShroutFleissJudgePairs() throws {
    let data = try Fixtures.csv("data/shrout-fleiss.csv")
    let judges = ["J1", "J2", "J3", "J4"]
    let pairs = try InformantPairs.compute(judges.map { data.numbers($0) }, names: judges)
    XCTAssertEqual(pairs.map { "\($0.x)-\($0.y)" }, ["J1-J2", "J1-J3", "J1-J4", "J2-J3", "J2-J4", "J3-J4"])
    for p in pairs {
      let key = "\(p.x)-\(p.y)"
      check(p, try XCTUnwrap(Self.shroutFleiss[key]), key)
    }
  }

  /// Child vs therapist bond: each pair on its own complete rows (348 of 360).
  func testCopingPowerInformants() throws {
    let data = try Fixtures.csv("data/coping-power-sim.csv")
    let p = try InformantPairs.pair(
      data.numbers("bond_child"), data.numbers("bond_therapist"),
      names: ("bond_child", "bond_therapist"))
    check(p, [0.43965115459382798, 7.5292423229522374, 347, 4.4499670812304749e-13, 0.21725862068965518,
              0.21725862068965518, -0.83778747950837817, 1.2723047208876885, 0.53828882663164968, 348,
              0.049978862849146315, -0.93608710661582617, -0.73948785240093018, 1.1740050937802406, 1.3706043479951364],
          "coping")
    // The paired t agrees with basic-coping-power.json's paired_t block.
    let reference = try Fixtures.reference("basic-coping-power")
    let block = try XCTUnwrap((reference["results"] as? [String: Any])?["paired_t"] as? [String: NSNumber])
    assertClose(p.t, try XCTUnwrap(block["t"]).doubleValue, rel: Self.tol, "paired t")
    assertClose(p.meanDiff, try XCTUnwrap(block["mean_diff"]).doubleValue, rel: Self.tol, "mean_diff")
  }

  /// The multiplier is 1.96 (Bland & Altman 1986), not qnorm(.975).
  func testMultiplier() throws {
    XCTAssertEqual(InformantPairs.blandAltmanMultiplier, 1.96)
    let p = try InformantPairs.pair([1, 2, 3, 4, 6], [1, 3, 2, 5, 4])
    XCTAssertEqual((p.baLoaUpper - p.baBias) / p.baSD, 1.96, accuracy: 1e-14)
    XCTAssertEqual(p.baLoaUpper - p.baBias, p.baBias - p.baLoaLower, accuracy: 1e-14)
  }

  func testErrors() throws {
    XCTAssertThrowsError(try InformantPairs.compute([[1, 2, 3]], names: ["child"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-raters")
    }
    XCTAssertThrowsError(
      try InformantPairs.pair([3, 3, 3, 3], [1, 2, 3, 5], names: ("teacher", "parent"))
    ) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "zero-variance")
      XCTAssertTrue(e?.message.contains("teacher") ?? false)
    }
    XCTAssertThrowsError(try InformantPairs.pair([1, 2, .nan, 4], [1, .nan, 2, 5])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
  }
}
