import BordinData
import Foundation
import BordinTestSupport
import XCTest

@testable import BordinStats

/// shared/reference `reliability-bfi-agreeableness`: psych bfi A1–A5, first 600 complete rows,
/// A1 reversed as 7 − A1; `psych::alpha` (closed form, 1e-8) and omega total from a one-factor ML
/// CFA (`lavaan::cfa`, std.lv; optimised, 1e-5). Extra literals: Tests/Fixtures/r/
/// agreement-literals.R, part 5 (psych's printed item tables, the ML optimum found by Newton
/// steps, the `attitude` data).
final class BFIAgreeablenessTests: XCTestCase {
  static let tol = Tolerance.closedForm
  static let items = ["A1", "A2", "A3", "A4", "A5"]

  /// The items as the reference uses them (A1 replaced by 7 − A1), or raw.
  private func items(reversedA1: Bool = true) throws -> [[Double]] {
    let data = try Fixtures.csv("data/bfi-agreeableness.csv")
    var columns = Self.items.map { data.numbers($0) }
    if reversedA1 { columns[0] = columns[0].map { 7 - $0 } }
    return columns
  }

  private func results() throws -> [String: Any] {
    try XCTUnwrap(try Fixtures.reference("reliability-bfi-agreeableness")["results"] as? [String: Any])
  }

  private func number(_ dict: [String: Any], _ key: String) throws -> Double {
    try XCTUnwrap((dict[key] as? NSNumber)?.doubleValue, key)
  }

  /// Every alpha value of the reference file.
  func testReferenceAlpha() throws {
    let r = try results()
    let rel = try Reliability.analyze(try items(), names: Self.items)
    assertClose(rel.rawAlpha, try number(r, "raw_alpha"), rel: Self.tol, "raw_alpha")
    assertClose(rel.stdAlpha, try number(r, "std_alpha"), rel: Self.tol, "std_alpha")
    assertClose(rel.g6, try number(r, "G6"), rel: Self.tol, "G6")
    assertClose(rel.averageR, try number(r, "average_r"), rel: Self.tol, "average_r")
    let ifDeleted = try XCTUnwrap(r["alpha_if_deleted"] as? [String: NSNumber])
    let rDrop = try XCTUnwrap(r["item_total_r_drop"] as? [String: NSNumber])
    XCTAssertEqual(Set(ifDeleted.keys), Set(Self.items))
    XCTAssertEqual(Set(rDrop.keys), Set(Self.items))
    for item in rel.itemStatistics {
      assertClose(item.alphaIfDeleted, try XCTUnwrap(ifDeleted[item.name]).doubleValue, rel: Self.tol, "alpha_if_deleted[\(item.name)]")
      assertClose(item.rDrop, try XCTUnwrap(rDrop[item.name]).doubleValue, rel: Self.tol, "item_total_r_drop[\(item.name)]")
    }
    XCTAssertEqual(rel.alphaIfDeleted, rel.itemStatistics.map(\.alphaIfDeleted))
    XCTAssertEqual(rel.itemTotalRDrop, rel.itemStatistics.map(\.rDrop))
    XCTAssertEqual(Double(rel.n), try number(r, "n"))
  }

  /// omega_total and loadings of the reference file (lavaan's default stopping point) at the
  /// 1e-5 of optimised estimates.
  func testReferenceOmega() throws {
    let r = try results()
    let omega = try XCTUnwrap(try Reliability.analyze(try items(), names: Self.items).omega)
    assertClose(omega.omegaTotal, try number(r, "omega_total"), rel: Tolerance.optimisedEstimate, "omega_total")
    let loadings = try XCTUnwrap(r["loadings"] as? [NSNumber]).map(\.doubleValue)
    XCTAssertEqual(loadings.count, 5)
    for (k, value) in loadings.enumerated() {
      assertClose(omega.loadings[k], value, rel: Tolerance.optimisedEstimate, "loadings[\(k)]")
    }
    XCTAssertEqual(omega.n, 600)
    XCTAssertTrue(omega.converged)
    XCTAssertFalse(omega.heywood)
    // lavaan: chisq 35.305523029106567 on 5 df (the objective is flat at the optimum).
    assertClose(omega.chisq, 35.305523029106567, rel: Tolerance.optimisedEstimate, "chisq")
    XCTAssertEqual(omega.df, 5)
  }

  /// The ML optimum itself (R: factanal with tight settings + Newton on diag(LL' + Ψ − R) = 0),
  /// at DESIGN.md §9's tolerances (estimates 1e-5, uniquenesses as variances 1e-4); λ² + ψ = 1
  /// is an identity of the standardised solution.
  func testOmegaAtMLOptimum() throws {
    let omega = try Omega.total(try items(), names: Self.items)
    assertClose(omega.omegaTotal, 0.70425004122781265, rel: Tolerance.optimisedEstimate, "omega")
    let loadings = [0.48978347664243199, 0.74287243948279569, 0.91258178089858522, 0.68196677689587792, 0.82336741926322232]
    let psi = [0.86852878656981181, 0.56384706592362865, 0.50766156479241842, 0.76884629564401352, 0.56837518913280261]
    for k in 0..<5 {
      assertClose(omega.loadings[k], loadings[k], rel: Tolerance.optimisedEstimate, "loading \(k)")
      assertClose(omega.uniquenesses[k], psi[k], rel: Tolerance.variance, "uniqueness \(k)")
      assertClose(omega.standardizedLoadings[k] * omega.standardizedLoadings[k] + omega.uniquenesses[k], 1, rel: 1e-12, "λ² + ψ")
    }
  }

  /// The rest of psych's output: totals, alpha.drop and item.stats (printed to 15 digits).
  func testPsychItemTables() throws {
    let rel = try Reliability.analyze(try items(), names: Self.items)
    assertClose(rel.signalNoise, 2.37594764442321, rel: Self.tol, "S/N")
    assertClose(rel.ase, 0.019893448871834557, rel: Self.tol, "ase")
    assertClose(rel.totalMean, 4.734, rel: Self.tol, "mean")
    assertClose(rel.totalSD, 0.86838979423099, rel: Self.tol, "sd")
    assertClose(rel.medianR, 0.343776357354336, rel: Self.tol, "median_r")
    // std.alpha, G6(smc), average_r if deleted; raw.r, std.r, r.cor; mean, sd.
    let expected: [[Double]] = [
      [0.718674322827145, 0.663629389254147, 0.389741472124139, 0.561867967967278, 0.556591145776619, 0.367909387815553, 4.70500000000000, 1.35192004683032],
      [0.610165339736057, 0.563414944996805, 0.281246471607467, 0.727422176190644, 0.749034108131656, 0.670661917141500, 4.89333333333333, 1.12578915622005],
      [0.619820678925056, 0.571547629555280, 0.289563039560048, 0.732052038248566, 0.734282599160737, 0.653500807426158, 4.67833333333333, 1.30167372243906],
      [0.685550378585811, 0.642085172929820, 0.352767529906685, 0.642904710312618, 0.622173660513576, 0.461168970387939, 4.79666666666667, 1.41962945936327],
      [0.628559357124969, 0.582730457065477, 0.297286495786245, 0.715811537858028, 0.720583121869519, 0.627520538180058, 4.59666666666667, 1.25430366539790],
    ]
    for (item, e) in zip(rel.itemStatistics, expected) {
      let got = [item.stdAlphaIfDeleted, item.g6IfDeleted, item.averageRIfDeleted, item.rawR, item.stdR, item.rCor, item.mean, item.sd]
      for (k, name) in ["std.alpha", "G6", "average_r", "raw.r", "std.r", "r.cor", "mean", "sd"].enumerated() {
        assertClose(got[k], e[k], rel: 1e-13 + 5e-15 / abs(e[k]) + Self.tol, "\(item.name) \(name)")
      }
      XCTAssertEqual(item.n, 600)
      XCTAssertFalse(item.reversed)
    }
  }

  /// The raw items with A1 reverse-keyed (`alpha(x, keys = "A1")`) give the reference values;
  /// the reversed item's mean is (max + min) − mean = 7 − mean.
  func testReverseKeyed() throws {
    let r = try results()
    let rel = try Reliability.analyze(try items(reversedA1: false), names: Self.items, reverse: ["A1"])
    assertClose(rel.rawAlpha, try number(r, "raw_alpha"), rel: Self.tol, "raw_alpha")
    assertClose(rel.stdAlpha, try number(r, "std_alpha"), rel: Self.tol, "std_alpha")
    assertClose(rel.g6, try number(r, "G6"), rel: Self.tol, "G6")
    assertClose(rel.averageR, try number(r, "average_r"), rel: Self.tol, "average_r")
    XCTAssertEqual(rel.reversed, ["A1"])
    XCTAssertTrue(rel.itemStatistics[0].reversed)
    assertClose(rel.itemStatistics[0].mean, 4.705, rel: Self.tol, "reversed mean")
    assertClose(rel.itemStatistics[0].rDrop, 0.289827936944051, rel: Self.tol, "reversed r.drop")
    let omega = try XCTUnwrap(rel.omega)
    assertClose(omega.omegaTotal, try number(r, "omega_total"), rel: Tolerance.optimisedEstimate, "omega")
    XCTAssertGreaterThan(omega.loadings[0], 0)
  }

  /// Pairwise deletion (psych's `use = "pairwise"`): every 7th A2 and every 11th A4 missing.
  func testPairwiseMissing() throws {
    var columns = try items()
    for i in stride(from: 6, to: 600, by: 7) { columns[1][i] = .nan }
    for i in stride(from: 10, to: 600, by: 11) { columns[3][i] = .nan }
    let rel = try Reliability.analyze(columns, names: Self.items)
    assertClose(rel.rawAlpha, 0.69881710992789903, rel: Self.tol, "raw")
    assertClose(rel.stdAlpha, 0.70717676813452846, rel: Self.tol, "std")
    assertClose(rel.g6, 0.68025552893207408, rel: Self.tol, "G6")
    assertClose(rel.averageR, 0.32569385695976844, rel: Self.tol, "average_r")
    let drop = [0.72210706268931379, 0.60894077884701625, 0.61239504023620273, 0.67853860549774903, 0.61765100756282065]
    let rDrop = [0.28167134185040771, 0.56697914119729587, 0.54041414480777339, 0.39349868516887948, 0.53194796375266318]
    for k in 0..<5 {
      assertClose(rel.itemStatistics[k].alphaIfDeleted, drop[k], rel: Self.tol, "drop \(k)")
      assertClose(rel.itemStatistics[k].rDrop, rDrop[k], rel: Self.tol, "r.drop \(k)")
    }
    XCTAssertEqual(rel.n, 600)
    XCTAssertEqual(rel.itemStatistics[1].n, 600 - 85)
    let omega = try XCTUnwrap(rel.omega)
    XCTAssertEqual(omega.n + omega.rowsDropped, 600)
    XCTAssertEqual(omega.rowsDropped, 85 + 54 - 7)  // rows 77, 154, … miss both

    let complete = try Reliability.analyze(columns, names: Self.items, missing: .complete, omega: false)
    XCTAssertEqual(complete.n, 600 - 132)
    XCTAssertEqual(complete.rowsDropped, 132)
    XCTAssertNil(complete.omega)
  }

  /// R's `attitude[, 1:7]` (30 rows): psych::alpha and the one-factor ML omega.
  func testAttitude() throws {
    let data = try Fixtures.csv("data/attitude.csv")
    let names = ["rating", "complaints", "privileges", "learning", "raises", "critical", "advance"]
    let rel = try Reliability.analyze(names.map { data.numbers($0) }, names: names)
    let total = [rel.rawAlpha, rel.stdAlpha, rel.g6, rel.averageR, rel.signalNoise, rel.ase]
    let expected = [0.84314276956475986, 0.83908380302951058, 0.87521513736034862, 0.42690664264971706, 5.2144148247760942, 0.042435695590574377]
    for k in 0..<6 { assertClose(total[k], expected[k], rel: Self.tol, "attitude total \(k)") }
    let drop: [[Double]] = [
      [0.80976020630892143, 0.8081915178392044, 0.83177007172515705, 0.4125441661610213],
      [0.79691745727413965, 0.79564676062858419, 0.82017485578209948, 0.39354044095971663],
      [0.82784776593865905, 0.82308791522904701, 0.8661985626897698, 0.43675326341909793],
      [0.80303097502257437, 0.7983664739711368, 0.83672615161346597, 0.39755967678542964],
      [0.79538657419820524, 0.7847196000423593, 0.82619839723436794, 0.37792277223890264],
      [0.86387231144643684, 0.86347156446512296, 0.89004808747069952, 0.5131641034094041],
      [0.8404648682654573, 0.83462649325566218, 0.85638761699892807, 0.45686207557444725],
    ]
    let itemR: [[Double]] = [
      [0.77882570186016975, 0.7564339538165441, 0.75131733612629381, 0.6712620572236645],
      [0.83678055056456846, 0.81352502262409532, 0.82036758625946427, 0.74210971022223848],
      [0.69727680337062503, 0.68370488503193205, 0.59875782876845351, 0.56071111148025554],
      [0.80668592255172622, 0.80145041795322791, 0.77521351516164694, 0.7144454981336763],
      [0.85013044385954117, 0.86044368673382043, 0.85060200687535936, 0.78627559383440004],
      [0.42070098853400534, 0.45415112768598453, 0.31164483767564272, 0.26503433919667607],
      [0.59534498570599781, 0.62329390948697128, 0.56319767040135926, 0.46081054946849642],
    ]
    for (k, item) in rel.itemStatistics.enumerated() {
      let d = [item.alphaIfDeleted, item.stdAlphaIfDeleted, item.g6IfDeleted, item.averageRIfDeleted]
      let r = [item.rawR, item.stdR, item.rCor, item.rDrop]
      for m in 0..<4 {
        assertClose(d[m], drop[k][m], rel: Self.tol, "\(item.name) drop \(m)")
        assertClose(r[m], itemR[k][m], rel: Self.tol, "\(item.name) item r \(m)")
      }
    }
    let omega = try XCTUnwrap(rel.omega)
    // lavaan default: 0.85632683677513066; the ML optimum:
    assertClose(omega.omegaTotal, 0.85632683677513066, rel: Tolerance.optimisedEstimate, "omega (lavaan)")
    assertClose(omega.omegaTotal, 0.85632679295387026, rel: Tolerance.optimisedEstimate, "omega (optimum)")
    let loadings = [10.202420506667746, 11.81120533136513, 7.1301162183651998, 8.4320481874677871, 7.8201314426201112, 2.3941368287789042, 3.8221977912432394]
    for k in 0..<7 { assertClose(omega.loadings[k], loadings[k], rel: Tolerance.optimisedEstimate, "attitude loading \(k)") }
    assertClose(omega.chisq, 29.43373108013482, rel: Tolerance.optimisedEstimate, "chisq")
    XCTAssertEqual(omega.df, 14)
  }

  func testErrors() throws {
    let columns = try items()
    XCTAssertThrowsError(try Reliability.analyze([columns[0]], names: ["A1"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-items")
    }
    XCTAssertThrowsError(try Reliability.analyze(columns, names: Self.items, reverse: ["A9"])) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "unknown-item")
      XCTAssertTrue(e?.message.contains("'A9'") ?? false)
    }
    var constant = columns
    constant[2] = [Double](repeating: 4, count: 600)
    XCTAssertThrowsError(try Reliability.analyze(constant, names: Self.items)) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "zero-variance")
      XCTAssertTrue(e?.message.contains("'A3'") ?? false)
    }
    let short = columns.map { Array($0.prefix(1)) + [Double](repeating: .nan, count: 5) }
    XCTAssertThrowsError(try Reliability.analyze(short, names: Self.items)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
    // An item that is the sum of two others: the correlation matrix is singular.
    let x: [Double] = [1, 2, 3, 4, 5, 6]
    let y: [Double] = [2, 1, 4, 3, 6, 5]
    XCTAssertThrowsError(
      try Reliability.analyze([x, y, zip(x, y).map { $0 + $1 }], names: ["a", "b", "c"])
    ) {
      XCTAssertEqual(($0 as? StatsError)?.code, "not-positive-definite")
    }
    XCTAssertThrowsError(try Omega.total(Array(columns.prefix(2)), names: ["A1", "A2"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-items")
    }
    XCTAssertThrowsError(try Omega.total(columns.map { Array($0.prefix(4)) }, names: Self.items)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "too-few-rows")
    }
    // Two items: alpha is still defined (omega is skipped).
    let two = try Reliability.analyze(Array(columns.prefix(2)), names: ["A1", "A2"])
    XCTAssertNil(two.omega)
    XCTAssertEqual(two.itemStatistics.count, 2)
  }
}
