import Foundation
import BordinTestSupport
import XCTest

@testable import BordinPlot

final class ForestPlotTests: XCTestCase {
  /// Twelve correlations in two subgroups, on Fisher's z scale with r-labelled ticks, as
  /// BordinReport would pass a `meta` result with `r` inputs.
  static func example() -> ForestPlot {
    let data: [(String, Double, Int)] = [
      ("Adams et al. (2015)", 0.21, 120), ("Baker & Chen (2016)", 0.05, 64), ("Carvalho (2017)", 0.32, 210),
      ("Dubois et al. (2018)", 0.18, 95), ("Eriksen (2019)", -0.04, 48), ("Fujita & Mori (2020)", 0.27, 150),
      ("Garcia (2016)", 0.12, 300), ("Hansen et al. (2018)", 0.09, 85), ("Ivanova (2019)", 0.22, 130),
      ("Jones (2020)", -0.02, 70), ("Kowalski et al. (2021)", 0.15, 180), ("Larsen (2022)", 0.06, 110),
    ]
    func z(_ r: Double) -> Double { 0.5 * log((1 + r) / (1 - r)) }
    func r(_ z: Double) -> Double { tanh(z) }
    func text(_ value: Double) -> String { TickLabels.fixed(value, decimals: 2) }
    let totalWeight = data.reduce(0.0) { $0 + Double($1.2 - 3) }
    let studies = data.map { label, rValue, n -> ForestPlot.Study in
      let zi = z(rValue)
      let se = 1 / Double(n - 3).squareRoot()
      let weight = 100 * Double(n - 3) / totalWeight
      return ForestPlot.Study(
        label: label, estimate: zi, lower: zi - 1.96 * se, upper: zi + 1.96 * se, weight: weight,
        estimateText: "\(text(rValue)) [\(text(r(zi - 1.96 * se))), \(text(r(zi + 1.96 * se)))]",
        weightText: TickLabels.fixed(weight, decimals: 1) + "%")
    }
    func summary(_ label: String, _ est: Double, _ se: Double, _ weight: String, pi: Double? = nil) -> ForestPlot.Summary {
      var s = ForestPlot.Summary(
        label: label, estimate: est, lower: est - 1.96 * se, upper: est + 1.96 * se,
        estimateText: "\(text(r(est))) [\(text(r(est - 1.96 * se))), \(text(r(est + 1.96 * se)))]",
        weightText: weight)
      if let pi {
        s.predictionLower = est - pi
        s.predictionUpper = est + pi
        s.predictionText = "[\(text(r(est - pi))), \(text(r(est + pi)))]"
      }
      return s
    }
    let rTicks = [-0.4, -0.2, 0, 0.2, 0.4, 0.6]
    let ticks = zip(rTicks, TickLabels.format(rTicks)).map { Tick(value: z($0), label: $1) }
    return ForestPlot(
      subgroups: [
        ForestPlot.Subgroup(label: "Clinical samples", studies: Array(studies[0..<6]),
                            summary: summary("Subtotal", 0.175, 0.04, "50.5%")),
        ForestPlot.Subgroup(label: "Community samples", studies: Array(studies[6...]),
                            summary: summary("Subtotal", 0.112, 0.035, "49.5%")),
      ],
      pooled: summary("Random-effects model", 0.14, 0.028, "100%", pi: 0.14), xLabel: "Correlation (r)",
      ticks: ticks, estimateHeader: "r [95% CI]", title: "Alliance–outcome correlations",
      idPrefix: "fig-forest")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "forest.svg")
  }

  func testSameInputGivesSameBytes() {
    let first = Self.example().svg()
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(first.utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    XCTAssertEqual(parsed.elements(named: "text").filter { $0["class"] == "study-label" }.count, 12)
    let squares = parsed.elements.firstIndex { $0.attributes["class"] == "study-squares" }
    XCTAssertNotNil(squares)
    XCTAssertEqual(parsed.elements(named: "rect").count, 12)
    XCTAssertEqual(parsed.elements(named: "path").filter { $0["class"] == "pooled-diamond" }.count, 1)
    XCTAssertEqual(parsed.elements(named: "path").filter { $0["class"] == "subgroup-diamond" }.count, 2)
    XCTAssertEqual(parsed.elements(named: "path").filter { $0["class"] == "prediction-interval" }.count, 1)
    XCTAssertEqual(parsed.elements(named: "path").filter { $0["class"] == "reference-line" }.count, 1)
    XCTAssertEqual(parsed.elements(named: "text").filter { $0["class"] == "subgroup-label" }.count, 2)
    XCTAssertTrue(parsed.text.contains("0.14 [0.08, 0.19]"), parsed.text)
    XCTAssertTrue(parsed.text.contains("Prediction interval"))
    XCTAssertTrue(svg.contains(">r [95% CI]</text>"))
    XCTAssertTrue(svg.contains(">0.6</text>"), "caller tick labels are used")
  }

  func testGeneratedDescriptionSummarisesTheContent() {
    let plot = Self.example()
    XCTAssertEqual(
      plot.generatedDescription,
      "Forest plot of 12 studies in 2 subgroups (Correlation (r)); pooled estimate 0.14 [0.08, 0.19]; prediction interval [0.00, 0.27].")
    let svg = plot.svg()
    XCTAssertTrue(svg.contains("<desc id=\"fig-forest-desc\">Forest plot of 12 studies in 2 subgroups"), svg)
  }

  func testSquaresAreSizedByWeight() {
    let plot = ForestPlot(studies: [
      ForestPlot.Study(label: "a", estimate: 0.1, lower: 0, upper: 0.2, weight: 25),
      ForestPlot.Study(label: "b", estimate: 0.2, lower: 0.1, upper: 0.3, weight: 100),
    ])
    let rects = parseXML(plot.svg()).elements(named: "rect")
    let widths = rects.compactMap { $0["width"].flatMap(Double.init) }
    XCTAssertEqual(widths.count, 2)
    XCTAssertEqual(widths[1] / widths[0], 2, accuracy: 0.01, "area ∝ weight: side ∝ √weight")
  }

  func testHeightGrowsWithRows() {
    func height(_ n: Int) -> Double {
      let studies = (0..<n).map { ForestPlot.Study(label: "s\($0)", estimate: 0.1, lower: 0, upper: 0.2) }
      let root = parseXML(ForestPlot(studies: studies).svg()).elements.first
      return Double(root?.attributes["height"] ?? "") ?? 0
    }
    XCTAssertEqual(height(20) - height(10), 200, accuracy: 0.01)
  }

  func testLimitsCutIntervalsWithArrows() {
    let plot = ForestPlot(
      studies: [ForestPlot.Study(label: "wide", estimate: 0.5, lower: -3, upper: 4)], xLimits: Interval(-1, 1))
    let parsed = parseXML(plot.svg())
    let ci = parsed.elements(named: "path").first { $0["class"] == "study-ci" }?["d"] ?? ""
    XCTAssertEqual(ci.filter { $0 == "M" }.count, 3, ci)  // the line and two arrowheads
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let plot = ForestPlot(
      studies: [ForestPlot.Study(label: attack, estimate: 0.1, lower: 0, upper: 0.2, weight: 50,
                                 estimateText: attack, weightText: attack)],
      subgroups: [ForestPlot.Subgroup(label: attack, studies: [])],
      pooled: ForestPlot.Summary(label: attack, estimate: 0.1, lower: 0, upper: 0.2, estimateText: attack,
                                 predictionText: attack),
      xLabel: attack, ticks: [Tick(value: 0, label: attack)], labelHeader: attack, estimateHeader: attack,
      weightHeader: attack, title: attack, idPrefix: attack)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    XCTAssertFalse(svg.contains("</svg><"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.isWellFormed)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let nanStudy = ForestPlot.Study(label: "NaN", estimate: .nan, lower: .nan, upper: .infinity, weight: .nan)
    let cases: [(String, ForestPlot)] = [
      ("empty", ForestPlot()),
      ("one study", ForestPlot(studies: [ForestPlot.Study(label: "a", estimate: 0.3, lower: 0.1, upper: 0.5)])),
      ("zero width", ForestPlot(studies: [ForestPlot.Study(label: "a", estimate: 0, lower: 0, upper: 0)], nullValue: 0)),
      ("only NaN", ForestPlot(studies: [nanStudy], pooled: ForestPlot.Summary(label: "p", estimate: .nan, lower: 0, upper: 1))),
      ("reversed bounds", ForestPlot(studies: [ForestPlot.Study(label: "r", estimate: 1, lower: 2, upper: 0)])),
      ("infinite weights", ForestPlot(studies: [ForestPlot.Study(label: "w", estimate: 1, lower: 0, upper: 2, weight: .infinity),
                                                ForestPlot.Study(label: "v", estimate: 1, lower: 0, upper: 2, weight: 0)])),
      ("pooled only", ForestPlot(pooled: ForestPlot.Summary(label: "p", estimate: 0.2, lower: 0.1, upper: 0.3,
                                                            predictionLower: -.infinity, predictionUpper: 1))),
      ("empty subgroups", ForestPlot(subgroups: [ForestPlot.Subgroup(label: "g", studies: [])])),
      ("no headers", ForestPlot(studies: [nanStudy], labelHeader: "", estimateHeader: "", weightHeader: "")),
      ("zero limits", ForestPlot(studies: [ForestPlot.Study(label: "a", estimate: 0.3, lower: 0.1, upper: 0.5)],
                                 xLimits: Interval(1, 1))),
      ("huge", ForestPlot(studies: [ForestPlot.Study(label: "h", estimate: 1e300, lower: -1e308, upper: 1e308)])),
      ("bad sizes", ForestPlot(studies: [nanStudy], width: .nan, rowHeight: -3)),
      ("NaN ticks", ForestPlot(studies: [nanStudy], nullValue: .nan, ticks: [Tick(value: .nan, label: "x")])),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
    XCTAssertTrue(ForestPlot().svg().contains(">No data to plot</text>"))
  }
}
