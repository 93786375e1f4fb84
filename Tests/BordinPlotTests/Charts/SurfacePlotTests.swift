import BordinTestSupport
import XCTest

@testable import BordinPlot

final class SurfacePlotTests: XCTestCase {
  /// A polynomial response surface of relationship quality on centred parent (X) and
  /// adolescent (Y) reports, z = 3 + 0.1X + 0.05Y − 0.15X² + 0.3XY − 0.15Y², on a 41 × 41 grid:
  /// flat along congruence, falling off along incongruence.
  static func example() -> SurfacePlot {
    let grid = (0...40).map { -2 + Double($0) / 10 }
    let z = grid.map { y in grid.map { x in 3 + 0.1 * x + 0.05 * y - 0.15 * x * x + 0.3 * x * y - 0.15 * y * y } }
    return SurfacePlot(
      x: grid, y: grid, z: z, xLabel: "Parent report (centred)", yLabel: "Adolescent report (centred)",
      zLabel: "Relationship quality", title: "Response surface of relationship quality", idPrefix: "fig-rsa")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "surface.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    guard let start = parsed.elements.firstIndex(where: { $0.attributes["class"] == "cells" }) else {
      return XCTFail("no cells")
    }
    XCTAssertEqual(parsed.elements[(start + 1)...].prefix { $0.name == "rect" }.count, 41 * 41)
    let paths = parsed.elements(named: "path")
    XCTAssertEqual(paths.filter { $0["class"] == "congruence-line" }.count, 1)
    XCTAssertEqual(paths.filter { $0["class"] == "incongruence-line" }.count, 1)
    XCTAssertNotNil(paths.first { $0["class"] == "incongruence-line" }?["stroke-dasharray"])
    XCTAssertEqual(paths.filter { $0["class"] == "contour" }.count, Self.example().defaultLevels(
      Self.example().grid.finiteValues).count)
    XCTAssertGreaterThan(paths.filter { $0["class"] == "contour" }.count, 2)
    XCTAssertEqual(parsed.elements(named: "linearGradient").first?["id"], "fig-rsa-ramp")
    XCTAssertEqual(parsed.elements(named: "stop").count, 10)
    XCTAssertTrue(svg.contains(#"fill="url(#fig-rsa-ramp)""#))
    XCTAssertTrue(parsed.text.contains("Congruence (X = Y)"))
    XCTAssertTrue(parsed.text.contains("Relationship quality"))
  }

  func testRampEnds() {
    XCTAssertEqual(ColorRamp.viridis.colour(at: 0), "#440154")
    XCTAssertEqual(ColorRamp.viridis.colour(at: 1), "#fde725")
    XCTAssertEqual(ColorRamp.viridis.colour(at: -3), "#440154")
    XCTAssertEqual(ColorRamp.viridis.colour(at: .nan), ColorRamp.viridis.colour(at: 0.5))
    XCTAssertLessThan(ColorRamp.viridis.brightness(at: 0), ColorRamp.viridis.brightness(at: 1))
    XCTAssertEqual(ColorRamp(stops: []), .viridis)
    XCTAssertEqual(ColorRamp(stops: ["#808080"]).colour(at: 0.3), "#808080")
    XCTAssertEqual(ColorRamp(stops: ["oops", "#FFFFFF"]).colour(at: 0.5), "#808080")
  }

  func testContoursOfAPlaneAreStraight() {
    // z = x on a 3 × 3 grid: the contour at 0.5 is the vertical line x = 0.5.
    let plot = SurfacePlot(x: [0, 1, 2], y: [0, 1, 2], z: [[0, 1, 2], [0, 1, 2], [0, 1, 2]], contourLevels: [0.5],
                           showsCongruenceLines: false)
    let grid = plot.grid
    let canvas = PlotCanvas(width: 200, height: 200, xAxis: Axis.linear(title: "", domain: Interval(0, 2), nice: false),
                            yAxis: Axis.linear(title: "", domain: Interval(0, 2), nice: false))
    let d = plot.contourPath(grid, level: 0.5, canvas: canvas)
    let x = SVGNumber.format(canvas.xScale(0.5))
    XCTAssertEqual(d.filter { $0 == "M" }.count, 2, d)
    XCTAssertTrue(d.hasPrefix("M" + x + " "), d)
  }

  func testCongruenceLinesAreClippedToTheGrid() {
    let plot = Self.example()
    guard let (a, b) = plot.clip(slope: 1, intercept: 0, x: Interval(-2, 2), y: Interval(-1, 1)) else {
      return XCTFail("no segment")
    }
    XCTAssertEqual(a, PlotPoint(x: -1, y: -1))
    XCTAssertEqual(b, PlotPoint(x: 1, y: 1))
    XCTAssertNil(plot.clip(slope: 1, intercept: 10, x: Interval(0, 1), y: Interval(0, 1)))
  }

  /// The incongruence label names the line drawn, through the centre of the ranges.
  func testIncongruenceLabelOfUncentredPredictors() {
    XCTAssertEqual(SurfacePlot.incongruenceLabel(centreX: 0, centreY: 0), "Incongruence (X = −Y)")
    XCTAssertEqual(SurfacePlot.incongruenceLabel(centreX: 30, centreY: 30), "Incongruence (X − 30 = −(Y − 30))")
    XCTAssertEqual(SurfacePlot.incongruenceLabel(centreX: -1.5, centreY: 2.25), "Incongruence (X + 1.5 = −(Y − 2.25))")
    XCTAssertTrue(Self.example().svg().contains("Incongruence (X = −Y)"))
  }

  func testGeneratedDescription() {
    let text = Self.example().generatedDescription
    XCTAssertTrue(text.hasPrefix(
      "Response surface of Relationship quality (colour) over Parent report (centred) (horizontal axis) and Adolescent report (centred) (vertical axis), a 41 × 41 grid with values from "), text)
    XCTAssertTrue(text.contains("; contour lines at "), text)
    XCTAssertTrue(text.hasSuffix("; with the lines of congruence and incongruence."), text)
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let plot = SurfacePlot(
      x: [0, 1], y: [0, 1], z: [[0, 1], [1, 2]], xLabel: attack, yLabel: attack, zLabel: attack,
      congruenceLabel: attack, incongruenceLabel: attack, title: attack, idPrefix: attack)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let cases: [(String, SurfacePlot)] = [
      ("empty", SurfacePlot(x: [], y: [], z: [])),
      ("one cell", SurfacePlot(x: [1], y: [2], z: [[3]])),
      ("flat", SurfacePlot(x: [0, 1, 2], y: [0, 1], z: [[5, 5, 5], [5, 5, 5]])),
      ("NaN grid", SurfacePlot(x: [0, .nan, 2], y: [.infinity, 1], z: [[.nan, 1, 2], [3, .nan, 4]])),
      ("ragged", SurfacePlot(x: [0, 1, 2], y: [0, 1, 2], z: [[1], [1, 2, 3, 4], []])),
      ("unsorted", SurfacePlot(x: [2, 0, 1], y: [1, 0], z: [[1, 2, 3], [4, 5, 6]])),
      ("duplicate x", SurfacePlot(x: [1, 1], y: [0, 1], z: [[1, 2], [3, 4]])),
      ("no overlap with congruence", SurfacePlot(x: [10, 11], y: [-5, -4], z: [[1, 2], [3, 4]])),
      ("huge", SurfacePlot(x: [-1e300, 1e300], y: [0, 1], z: [[1e308, -1e308], [0, 1]])),
      ("extreme", SurfacePlot(x: [-1.7e308, 1.7e308], y: [-1.7e308, 0, 1.7e308], z: [[1, 2], [3, 4], [5, 6]],
                              ramp: ColorRamp(stops: ["#000000"]))),
      ("bad levels", SurfacePlot(x: [0, 1], y: [0, 1], z: [[0, 1], [1, 2]], contourLevels: [.nan, .infinity, 1])),
      ("bad size", SurfacePlot(x: [0, 1], y: [0, 1], z: [[0, 1], [1, 2]], width: .nan, height: 1)),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
    XCTAssertTrue(SurfacePlot(x: [], y: [], z: []).svg().contains(">No data to plot</text>"))
  }
}
