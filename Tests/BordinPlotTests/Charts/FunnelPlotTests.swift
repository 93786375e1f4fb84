import BordinTestSupport
import XCTest

@testable import BordinPlot

final class FunnelPlotTests: XCTestCase {
  /// Sixteen standardised mean differences with small-study asymmetry and four studies
  /// imputed on the left by trim and fill (mirrored about the adjusted estimate 0.30).
  static func example() -> FunnelPlot {
    let se = [0.08, 0.10, 0.11, 0.13, 0.14, 0.16, 0.17, 0.19, 0.21, 0.22, 0.24, 0.26, 0.28, 0.31, 0.34, 0.38]
    let yi = [0.29, 0.36, 0.21, 0.41, 0.30, 0.47, 0.18, 0.52, 0.39, 0.61, 0.27, 0.66, 0.58, 0.79, 0.70, 0.95]
    let filledSE = [0.31, 0.34, 0.38, 0.26]
    let filledYi = [0.30 - (0.79 - 0.30), 0.30 - (0.70 - 0.30), 0.30 - (0.95 - 0.30), 0.30 - (0.66 - 0.30)]
    return FunnelPlot(
      effects: yi, standardErrors: se, filledEffects: filledYi, filledStandardErrors: filledSE, estimate: 0.30,
      xLabel: "Standardised mean difference (g)", title: "Funnel plot with trim and fill",
      idPrefix: "fig-funnel")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "funnel.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    func children(ofClass name: String) -> Int {
      guard let start = parsed.elements.firstIndex(where: { $0.attributes["class"] == name }) else { return -1 }
      return parsed.elements[(start + 1)...].prefix { $0.name == "circle" }.count
    }
    XCTAssertEqual(children(ofClass: "observed-points"), 16)
    XCTAssertEqual(children(ofClass: "filled-points"), 4)
    let paths = parsed.elements(named: "path").compactMap { $0["class"] }
    XCTAssertTrue(paths.contains("funnel-region"))
    XCTAssertTrue(paths.contains("funnel-lines"))
    XCTAssertTrue(paths.contains("estimate-line"))
    XCTAssertEqual(parsed.elements(named: "g").filter { $0["class"] == "legend-entry" }.count, 2)
    XCTAssertTrue(parsed.text.contains("Imputed studies (trim and fill)"))
  }

  func testStandardErrorAxisIsInverted() {
    let plot = FunnelPlot(effects: [0, 0.5], standardErrors: [0.05, 0.4], estimate: 0.2)
    let canvasY: [Double] = parseXML(plot.svg()).elements(named: "circle").compactMap { $0["cy"].flatMap(Double.init) }
    XCTAssertEqual(canvasY.count, 2)
    XCTAssertLessThan(canvasY[0], canvasY[1], "the more precise study is higher up")
    XCTAssertTrue(plot.svg().contains(">0.0</text>"))
  }

  func testNoLegendWithoutImputedStudies() {
    let svg = FunnelPlot(effects: [0.1, 0.2], standardErrors: [0.1, 0.2], estimate: 0.15).svg()
    XCTAssertFalse(svg.contains("legend"), svg)
  }

  func testGeneratedDescription() {
    XCTAssertEqual(
      Self.example().generatedDescription,
      "Funnel plot of 16 studies: Standard error (vertical axis, 0 at the top) against Standardised mean difference (g), with 4 studies imputed by trim and fill; pooled estimate 0.30 at the centre of the pseudo-confidence region.")
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let plot = FunnelPlot(
      effects: [0.1], standardErrors: [0.1], filledEffects: [0.2], filledStandardErrors: [0.1], estimate: 0.1,
      xLabel: attack, yLabel: attack, observedLabel: attack, filledLabel: attack, title: attack,
      description: attack, idPrefix: attack)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let cases: [(String, FunnelPlot)] = [
      ("empty", FunnelPlot(effects: [], standardErrors: [])),
      ("estimate only", FunnelPlot(effects: [], standardErrors: [], estimate: 0.3)),
      ("one study", FunnelPlot(effects: [0.4], standardErrors: [0.1])),
      ("zero SE", FunnelPlot(effects: [0.4, 0.4], standardErrors: [0, 0], estimate: 0.4)),
      ("negative SE", FunnelPlot(effects: [0.4, 0.1], standardErrors: [-0.1, .nan], estimate: .nan)),
      ("infinite", FunnelPlot(effects: [.infinity, 1], standardErrors: [0.1, .infinity], estimate: .infinity,
                               criticalValue: .nan)),
      ("unequal lengths", FunnelPlot(effects: [1, 2, 3], standardErrors: [0.1], filledEffects: [1],
                                     filledStandardErrors: [])),
      ("huge", FunnelPlot(effects: [1e300, -1e300], standardErrors: [1e300, 1], estimate: 0)),
      ("bad size", FunnelPlot(effects: [1], standardErrors: [1], width: -1, height: .infinity)),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
    XCTAssertTrue(FunnelPlot(effects: [], standardErrors: []).svg().contains(">No data to plot</text>"))
  }
}
