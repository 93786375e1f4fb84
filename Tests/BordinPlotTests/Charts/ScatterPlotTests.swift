import BordinTestSupport
import XCTest

@testable import BordinPlot

final class ScatterPlotTests: XCTestCase {
  /// A fixed, platform-independent sample: alliance (x) and outcome (y) for 40 clients, with a
  /// least-squares line and a 95% band, as BordinReport would pass them in.
  static func example() -> ScatterPlot {
    var state: UInt64 = 1979
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    var x: [Double] = []
    var y: [Double] = []
    for _ in 0..<40 {
      let alliance = 3 + 3.6 * uniform()
      x.append(alliance)
      y.append(4 + 2.2 * alliance + 6 * (uniform() + uniform() + uniform() - 1.5))
    }
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let b = sxy / sxx
    let a = my - b * mx
    let sse = zip(x, y).reduce(0) { $0 + ($1.1 - a - b * $1.0) * ($1.1 - a - b * $1.0) }
    let s = (sse / (n - 2)).squareRoot()
    let grid = (0...20).map { 3 + 3.6 * Double($0) / 20 }
    let line = grid.map { (x: $0, y: a + b * $0) }
    let band = grid.map { gx -> (x: Double, lower: Double, upper: Double) in
      let half = 2.024 * s * (1 / n + (gx - mx) * (gx - mx) / sxx).squareRoot()
      return (gx, a + b * gx - half, a + b * gx + half)
    }
    return ScatterPlot(
      x: x, y: y, xLabel: "Working alliance (WAI-SR)", yLabel: "Symptom change", line: line, band: band,
      title: "Alliance and symptom change",
      description: "Scatter plot of symptom change against working alliance for 40 clients, with the least-squares line and its 95% confidence band; change rises with alliance.",
      idPrefix: "fig-alliance")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "scatter.svg")
  }

  func testSameInputGivesSameBytes() {
    let first = Self.example().svg()
    for _ in 0..<3 {
      XCTAssertEqual(Array(Self.example().svg().utf8), Array(first.utf8))
    }
  }

  func testRootElementIsAccessible() {
    let svg = Self.example().svg()
    XCTAssertTrue(
      svg.hasPrefix(
        #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 360" role="img" aria-labelledby="fig-alliance-title" aria-describedby="fig-alliance-desc""#
      ), svg)
    let parsed = parseXML(svg)
    XCTAssertEqual(parsed.elements(named: "title").first?["id"], "fig-alliance-title")
    XCTAssertEqual(parsed.elements(named: "desc").first?["id"], "fig-alliance-desc")
    assertValidSVG(svg)
  }

  func testDrawsPointsBandAndLine() {
    let parsed = parseXML(Self.example().svg())
    XCTAssertEqual(parsed.elements(named: "circle").count, 40)
    let classes = parsed.elements(named: "path").compactMap { $0["class"] }
    XCTAssertTrue(classes.contains("band"))
    XCTAssertTrue(classes.contains("fit-line"))
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let quote = #"" onload="x"#
    let plot = ScatterPlot(
      x: [1, 2, 3], y: [1, 3, 2], xLabel: attack, yLabel: quote, title: attack + quote,
      description: quote + attack, idPrefix: #"fig" onload="x"#)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    XCTAssertFalse(svg.contains("</svg><"), svg)
    XCTAssertFalse(svg.contains(#"" onload=""#), svg)
    XCTAssertTrue(svg.contains("&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), svg)
    XCTAssertTrue(svg.contains("&quot; onload=&quot;x"), svg)

    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.isWellFormed, parsed.error ?? "")
    XCTAssertEqual(parsed.elements(named: "svg").count, 1)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.elements.allSatisfy { $0.attributes["onload"] == nil })
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testUnicodeLabelsPassThrough() {
    let svg = ScatterPlot(x: [1, 2], y: [2, 1], xLabel: "Allianz (Kind)", yLabel: "Δ Symptome − Baseline").svg()
    XCTAssertTrue(svg.contains(">Δ Symptome − Baseline</text>"), svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let cases: [(String, ScatterPlot)] = [
      ("empty", ScatterPlot(x: [], y: [])),
      ("one point", ScatterPlot(x: [3], y: [4])),
      ("one point at zero", ScatterPlot(x: [0], y: [0])),
      ("all x equal", ScatterPlot(x: [2, 2, 2], y: [1, 5, 3])),
      ("all y equal", ScatterPlot(x: [1, 2, 3], y: [-7, -7, -7])),
      ("only NaN", ScatterPlot(x: [.nan, .nan], y: [1, .nan])),
      ("infinities", ScatterPlot(x: [1, .infinity, 3, -.infinity], y: [1, 2, .infinity, 4])),
      ("unequal lengths", ScatterPlot(x: [1, 2, 3, 4], y: [1, 2])),
      ("huge", ScatterPlot(x: [-1e308, 1e308], y: [1e300, -1e300])),
      ("tiny", ScatterPlot(x: [1e-300, 2e-300], y: [Double.leastNonzeroMagnitude, 2 * Double.leastNonzeroMagnitude])),
      ("nearly equal", ScatterPlot(x: [1, 1 + 1e-15], y: [1, 1])),
      ("line only", ScatterPlot(x: [], y: [], line: [(0, 0), (1, .nan), (2, 2)])),
      ("band with NaN", ScatterPlot(x: [1, 2], y: [1, 2], band: [(1, 0, .nan), (2, 1, 3), (3, 2, 4), (.infinity, 0, 1)])),
      ("unsorted line", ScatterPlot(x: [1, 2], y: [1, 2], line: [(2, 2), (0, 0), (1, 1)])),
      ("zero size", ScatterPlot(x: [1, 2], y: [1, 2], width: 0, height: .nan)),
      ("many points", ScatterPlot(x: (0..<2000).map { Double($0 % 97) }, y: (0..<2000).map { Double($0 % 89) })),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      let parsed = parseXML(svg)
      XCTAssertTrue(parsed.isWellFormed, "\(name): \(parsed.error ?? "")")
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
  }

  func testEmptyDataShowsANoteAndAGeneratedDescription() {
    let svg = ScatterPlot(x: [], y: [], xLabel: "Alliance", yLabel: "Outcome").svg()
    XCTAssertTrue(svg.contains(">No data to plot</text>"), svg)
    XCTAssertTrue(svg.contains("Scatter plot of Outcome (vertical axis) against Alliance (horizontal axis), 0 points."), svg)
    XCTAssertTrue(svg.contains("<title id=\"scatter-title\">Scatter plot of Outcome against Alliance</title>"), svg)
  }

  func testSkipsNonFinitePointsOnly() {
    let plot = ScatterPlot(x: [1, .nan, 3, .infinity], y: [1, 2, 3, 4])
    XCTAssertEqual(plot.drawablePoints, [PlotPoint(x: 1, y: 1), PlotPoint(x: 3, y: 3)])
    XCTAssertEqual(parseXML(plot.svg()).elements(named: "circle").count, 2)
  }

  func testAllXEqualExpandsTheDomain() {
    let parsed = parseXML(ScatterPlot(x: [5, 5, 5], y: [1, 2, 3]).svg())
    let labels = parsed.elements.count
    XCTAssertGreaterThan(labels, 0)
    let xs = Set(parsed.elements(named: "circle").compactMap { $0["cx"] })
    XCTAssertEqual(xs.count, 1)
    // 5 ± 40% = [3, 7], pretty-ticked
    let axis = Axis.linear(title: "", covering: [5, 5, 5])
    XCTAssertEqual(axis.domain, Interval(3, 7))
  }

  func testManyPointsAreSemiTransparent() {
    XCTAssertEqual(ScatterPlot.pointOpacity(count: 40), 1)
    XCTAssertEqual(ScatterPlot.pointOpacity(count: 400), 0.5)
    XCTAssertEqual(ScatterPlot.pointOpacity(count: 100_000), 0.25)
    let svg = ScatterPlot(x: (0..<400).map(Double.init), y: (0..<400).map(Double.init)).svg()
    XCTAssertTrue(svg.contains(#"stroke-opacity="0.5""#))
  }

  func testSeveralPlotsOnOnePageHaveDistinctIDs() {
    let a = parseXML(ScatterPlot(x: [1], y: [1], idPrefix: "fig-a").svg())
    let b = parseXML(ScatterPlot(x: [1], y: [1], idPrefix: "fig-b").svg())
    let ids = (a.elements + b.elements).compactMap { $0.attributes["id"] }
    XCTAssertEqual(ids.count, Set(ids).count)
    XCTAssertEqual(ids.count, 4)
  }
}
