import XCTest

@testable import BordinPlot

final class AxisTests: XCTestCase {
  func testLinearAxisHasPrettyTicksAndANicedDomain() {
    let axis = Axis.linear(title: "Outcome", covering: [1.3, 50, 97])
    XCTAssertEqual(axis.domain, Interval(0, 100))
    XCTAssertEqual(axis.ticks.map(\.label), ["0", "20", "40", "60", "80", "100"])
  }

  func testAxisWithoutDataCoversTheUnitInterval() {
    let axis = Axis.linear(title: "", covering: [.nan])
    XCTAssertEqual(axis.domain, Interval(0, 1))
    XCTAssertEqual(axis.ticks.first?.label, "0.0")
  }

  func testNonNicedAxisDropsTicksOutsideTheDomain() {
    let axis = Axis.linear(title: "", domain: Interval(0.05, 0.95), tickCount: 5, nice: false)
    XCTAssertEqual(axis.domain, Interval(0.05, 0.95))
    XCTAssertEqual(axis.ticks.map(\.value).first ?? 0, 0.2, accuracy: 1e-12)
    XCTAssertEqual(axis.ticks.map(\.value).last ?? 0, 0.8, accuracy: 1e-12)
  }

  func testBottomAxisElement() {
    let axis = Axis(title: "Weeks", domain: Interval(0, 10),
                    ticks: [Tick(value: 0, label: "0"), Tick(value: 10, label: "10"), Tick(value: 20, label: "20")])
    let scale = LinearScale(domain: axis.domain, start: 50, end: 150)
    let element = axis.element(position: .bottom, scale: scale, plotArea: Rect(x: 50, y: 10, width: 100, height: 100),
                               theme: .apa)
    let svg = element.rendered()
    // The tick at 20 lies outside the domain and is not drawn.
    XCTAssertTrue(svg.contains(#"d="M50 116H150M50 116v5M150 116v5""#), svg)
    XCTAssertFalse(svg.contains(">20<"), svg)
    XCTAssertTrue(svg.contains(">Weeks</text>"), svg)
  }
}

final class PlotCanvasTests: XCTestCase {
  private func canvas() -> PlotCanvas {
    PlotCanvas(width: 400, height: 300, xAxis: .linear(title: "x", covering: [0, 10]),
               yAxis: .linear(title: "y", covering: [0, 1]))
  }

  func testScalesSpanThePlotArea() {
    let c = canvas()
    XCTAssertEqual(c.xScale(0), c.plotArea.minX)
    XCTAssertEqual(c.xScale(10), c.plotArea.maxX)
    XCTAssertEqual(c.yScale(0), c.plotArea.maxY)
    XCTAssertEqual(c.yScale(1), c.plotArea.minY)
    XCTAssertGreaterThan(c.plotArea.minX, 0)
    XCTAssertLessThan(c.plotArea.maxX, 400)
  }

  func testLeftMarginGrowsWithTheYTickLabels() {
    let narrow = canvas()
    let wide = PlotCanvas(width: 400, height: 300, xAxis: .linear(title: "x", covering: [0, 10]),
                          yAxis: .linear(title: "y", covering: [-2_000_000, 0]))
    XCTAssertGreaterThan(wide.plotArea.minX, narrow.plotArea.minX + 30)
    XCTAssertGreaterThan(
      TextMetrics.estimatedWidth("−2,000,000", fontSize: 11), TextMetrics.estimatedWidth("0.0", fontSize: 11) * 3)
  }

  func testPolylineBreaksAtNonFinitePoints() {
    var c = canvas()
    c.addPolyline([PlotPoint(x: 0, y: 0), PlotPoint(x: 5, y: .nan), PlotPoint(x: 6, y: 0.5), PlotPoint(x: 10, y: 1)],
                  style: .line("#000"))
    let d = c.layers.first?[attribute: "d"] ?? ""
    XCTAssertEqual(d.filter { $0 == "M" }.count, 2, d)
    XCTAssertEqual(d.filter { $0 == "L" }.count, 1, d)
    XCTAssertEqual(c.layers.first?[attribute: "fill"], "none")
  }

  func testPointsSkipNonFiniteValues() {
    var c = canvas()
    c.addPoints([PlotPoint(x: 1, y: 0.5), PlotPoint(x: .infinity, y: 0), PlotPoint(x: 2, y: .nan)], style: .line("#000"))
    XCTAssertEqual(c.layers.first?.children.count, 1)
  }

  func testSquaresTakePerPointSizes() {
    var c = canvas()
    c.addPoints([PlotPoint(x: 1, y: 0.5), PlotPoint(x: 2, y: 0.5)], shape: .square, sizes: [2, 4], style: .area("#000"))
    guard case .element(let second) = c.layers.first?.children.last else { return XCTFail("no square") }
    XCTAssertEqual(second.name, "rect")
    XCTAssertEqual(second[attribute: "width"], "8")
  }

  func testPolygonNeedsThreeFiniteVertices() {
    var c = canvas()
    c.addPolygon([PlotPoint(x: 0, y: 0), PlotPoint(x: 1, y: 1), PlotPoint(x: .nan, y: 0)], style: .area("#ccc"))
    XCTAssertTrue(c.layers.isEmpty)
    c.addPolygon([PlotPoint(x: 0, y: 0), PlotPoint(x: 1, y: 1), PlotPoint(x: 2, y: 0)], style: .area("#ccc"))
    XCTAssertEqual(c.layers.first?[attribute: "d"]?.hasSuffix("Z"), true)
  }

  func testErrorBarsHaveCaps() {
    var c = canvas()
    c.addErrorBars([ErrorBar(at: 5, lower: 0.2, upper: 0.8), ErrorBar(at: 6, lower: .nan, upper: 1)],
                   orientation: .vertical, capWidth: 6, style: .line("#000"))
    let d = c.layers.first?[attribute: "d"] ?? ""
    XCTAssertEqual(d.filter { $0 == "M" }.count, 3, d)  // one bar, two caps; the NaN bar is skipped
    c.addErrorBars([ErrorBar(at: 0.5, lower: 2, upper: 8)], orientation: .horizontal, capWidth: 0, style: .line("#000"))
    XCTAssertEqual(c.layers.last?[attribute: "d"]?.filter { $0 == "M" }.count, 1)
  }

  func testReferenceLinesSpanThePlotArea() {
    var c = canvas()
    c.addReferenceLine(x: 5, style: .line("#595959", dash: [4, 3]))
    c.addReferenceLine(y: .nan, style: .line("#000"))
    XCTAssertEqual(c.layers.count, 1)
    XCTAssertEqual(c.layers[0][attribute: "stroke-dasharray"], "4 3")
  }

  func testRectAndTextAndSegments() {
    var c = canvas()
    c.addRect(from: PlotPoint(x: 2, y: 0), to: PlotPoint(x: 4, y: 0.5), style: .area("#ccc"))
    c.addText(#"<b>&"#, at: PlotPoint(x: 1, y: 1), anchor: .end, dx: -2)
    c.addSegments([(PlotPoint(x: 0, y: 0), PlotPoint(x: 1, y: 1))], style: .line("#000"))
    let svg = c.svg(title: "t", description: "d", ids: FigureIDs(prefix: "c"))
    XCTAssertTrue(svg.contains("&lt;b&gt;&amp;</text>"), svg)
    assertValidSVG(svg)
  }

  func testTinyAndNonFiniteFigureSizesStillGiveAPlotArea() {
    for size in [0.0, -5, .nan, .infinity] {
      let c = PlotCanvas(width: size, height: size, xAxis: .linear(title: "a long x title", covering: [0, 1]),
                         yAxis: .linear(title: "y", covering: [0, 1e6]))
      XCTAssertGreaterThanOrEqual(c.plotArea.width, PlotLayout.minimumPlotSize)
      assertValidSVG(c.svg(title: "t", description: "d", ids: FigureIDs(prefix: "c")))
    }
  }
}
