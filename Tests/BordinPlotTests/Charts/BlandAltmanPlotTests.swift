import BordinTestSupport
import XCTest

@testable import BordinPlot

final class BlandAltmanPlotTests: XCTestCase {
  /// Forty pairs of parent and teacher ratings, with bias and 95% limits of agreement as an
  /// `agree` result would give them (`ba_bias`, `ba_loa_lb`, `ba_loa_ub`).
  static func example() -> BlandAltmanPlot {
    var state: UInt64 = 77
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    var means: [Double] = []
    var differences: [Double] = []
    for _ in 0..<40 {
      let parent = 1 + 3 * uniform()
      let teacher = parent - 0.22 + 1.0 * (uniform() + uniform() + uniform() - 1.5)
      means.append((parent + teacher) / 2)
      differences.append(parent - teacher)
    }
    let n = Double(differences.count)
    let bias = differences.reduce(0, +) / n
    let sd = (differences.reduce(0) { $0 + ($1 - bias) * ($1 - bias) } / (n - 1)).squareRoot()
    func text(_ v: Double) -> String { TickLabels.fixed(v, decimals: 2) }
    return BlandAltmanPlot(
      means: means, differences: differences, bias: bias, lowerLimit: bias - 1.96 * sd, upperLimit: bias + 1.96 * sd,
      biasLabel: "Bias " + text(bias), lowerLabel: TickLabels.minus + "1.96 SD " + text(bias - 1.96 * sd),
      upperLabel: "+1.96 SD " + text(bias + 1.96 * sd), xLabel: "Mean of parent and teacher ratings",
      yLabel: "Parent − teacher", title: "Agreement of parent and teacher ratings", idPrefix: "fig-ba")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "bland-altman.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    XCTAssertEqual(parsed.elements(named: "circle").count, 40)
    let paths = parsed.elements(named: "path")
    XCTAssertEqual(paths.filter { $0["class"] == "bias" }.count, 1)
    XCTAssertNil(paths.first { $0["class"] == "bias" }?["stroke-dasharray"], "bias is solid")
    XCTAssertNotNil(paths.first { $0["class"] == "upper-limit" }?["stroke-dasharray"], "limits are dashed")
    XCTAssertNotNil(paths.first { $0["class"] == "lower-limit" }?["stroke-dasharray"])
    let labels = parsed.elements(named: "text").compactMap { $0["class"] }
    XCTAssertEqual(labels.filter { ["bias", "upper-limit", "lower-limit"].contains($0) }.count, 3)
    XCTAssertTrue(parsed.text.contains("+1.96 SD "))
  }

  func testLabelsFitInTheFigure() {
    let svg = Self.example().svg()
    let parsed = parseXML(svg)
    let width = Double(parsed.elements.first?.attributes["width"] ?? "") ?? 0
    for label in parsed.elements(named: "text") where ["bias", "upper-limit", "lower-limit"].contains(label["class"] ?? "") {
      let x = Double(label["x"] ?? "") ?? .infinity
      XCTAssertLessThan(x + TextMetrics.estimatedWidth("+1.96 SD 1.21", fontSize: 11), width + 0.01)
    }
  }

  func testCloseLinesHaveSeparatedLabels() {
    let plot = BlandAltmanPlot(
      means: [1, 2, 3], differences: [-10, 0, 10], bias: 0, lowerLimit: -0.01, upperLimit: 0.01,
      biasLabel: "Bias 0.00", lowerLabel: "−1.96 SD −0.01", upperLabel: "+1.96 SD 0.01")
    let ys = parseXML(plot.svg()).elements(named: "text")
      .filter { ["bias", "upper-limit", "lower-limit"].contains($0["class"] ?? "") }
      .compactMap { Double($0["y"] ?? "") }
    XCTAssertEqual(ys.count, 3)
    XCTAssertGreaterThanOrEqual(ys[1] - ys[0], 11 * 1.15 - 0.01)
    XCTAssertGreaterThanOrEqual(ys[2] - ys[1], 11 * 1.15 - 0.01)
  }

  func testGeneratedDescription() {
    let plot = BlandAltmanPlot(
      means: [1, 2], differences: [0.1, 0.3], bias: 0.2, lowerLimit: -0.1, upperLimit: 0.5, biasLabel: "Bias 0.20")
    XCTAssertEqual(
      plot.generatedDescription,
      "Bland–Altman plot of 2 pairs of ratings: Difference between ratings (vertical axis) against Mean of the two ratings (horizontal axis), with lines at upper limit 0.50, Bias 0.20 and lower limit −0.10.")
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let plot = BlandAltmanPlot(
      means: [1], differences: [1], bias: 1, lowerLimit: 0, upperLimit: 2, biasLabel: attack, lowerLabel: attack,
      upperLabel: attack, xLabel: attack, yLabel: attack, title: attack, idPrefix: attack)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let cases: [(String, BlandAltmanPlot)] = [
      ("empty", BlandAltmanPlot(means: [], differences: [])),
      ("lines only", BlandAltmanPlot(means: [], differences: [], bias: 0, lowerLimit: -1, upperLimit: 1)),
      ("one pair", BlandAltmanPlot(means: [2], differences: [0.5])),
      ("all equal", BlandAltmanPlot(means: [2, 2], differences: [0, 0], bias: 0, lowerLimit: 0, upperLimit: 0,
                                    biasLabel: "b", lowerLabel: "l", upperLabel: "u")),
      ("NaN", BlandAltmanPlot(means: [.nan, 1], differences: [1, .infinity], bias: .nan, lowerLimit: -.infinity)),
      ("unequal", BlandAltmanPlot(means: [1, 2, 3], differences: [1])),
      ("huge", BlandAltmanPlot(means: [1e300, -1e300], differences: [1e308, -1e308], bias: 1e308)),
      ("bad size", BlandAltmanPlot(means: [1], differences: [1], width: .nan, height: -1)),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
    XCTAssertTrue(BlandAltmanPlot(means: [], differences: []).svg().contains(">No data to plot</text>"))
  }
}
