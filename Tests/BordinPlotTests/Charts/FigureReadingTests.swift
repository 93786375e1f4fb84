import BordinTestSupport
import XCTest

@testable import BordinPlot

/// What a reader compares across and within figures (issue 18, item 9): two surfaces on one
/// colour scale, "favours" labels under a forest plot's axis, jittered ties in scatters of
/// ratings, and dodged means that stay above the x axis.
final class FigureReadingTests: XCTestCase {
  // MARK: Surfaces on one colour scale

  /// z = base + x + y on a 5 × 5 grid over [−1, 1]: values from base − 2 to base + 2.
  func plane(_ base: Double, range: Interval? = nil) -> SurfacePlot {
    let g = [-1.0, -0.5, 0, 0.5, 1]
    return SurfacePlot(x: g, y: g, z: g.map { y in g.map { x in base + x + y } }, zLabel: "Outcome", colourRange: range,
                       idPrefix: "s\(Int(base))")
  }

  /// The colour bar's tick labels, bottom to top.
  func colourBarTicks(_ svg: String) -> [String] {
    guard let start = svg.range(of: "class=\"colour-bar\"") else { return [] }
    let bar = svg[start.upperBound...]
    guard let ticks = bar.range(of: "class=\"tick-labels\""), let end = bar[ticks.upperBound...].range(of: "</g>") else { return [] }
    let group = bar[ticks.upperBound..<end.lowerBound]
    return group.components(separatedBy: "</text>").compactMap { part in part.range(of: ">", options: .backwards).map { String(part[$0.upperBound...]) } }
      .filter { !$0.isEmpty }
  }

  /// The fills of the cells, in drawing order.
  func cellFills(_ svg: String) -> [String] {
    parseXML(svg).elements(named: "rect").compactMap { $0["fill"] }.filter { $0.hasPrefix("#") }
  }

  func testSharedColourRangeGivesOneScale() {
    let low = plane(0), high = plane(3)
    // Alone, each surface spans the whole ramp, so equal colours mean different values.
    XCTAssertEqual(cellFills(low.svg()).first, cellFills(high.svg()).first)
    XCTAssertNotEqual(colourBarTicks(low.svg()), colourBarTicks(high.svg()))
    // On the shared range [−2, 5], the bars are identical and the same colour is the same value.
    let shared = Interval(-2, 5)
    let a = plane(0, range: shared).svg(), b = plane(3, range: shared).svg()
    assertValidSVG(a)
    XCTAssertEqual(colourBarTicks(a), colourBarTicks(b))
    XCTAssertFalse(colourBarTicks(a).isEmpty)
    XCTAssertNotEqual(cellFills(a).first, cellFills(b).first, "the lowest cell of the higher surface is lighter")
    // z = 1 in the first surface (x = 0.5, y = 0.5: column 3, row 3) and in the second
    // (x = −1, y = −1: base 3 − 2) has one colour.
    XCTAssertEqual(cellFills(a)[3 * 5 + 3], cellFills(b)[0])
    // Contours are at the shared scale's levels, so they match where both surfaces reach.
    XCTAssertEqual(plane(0, range: shared).defaultLevels(plane(0).grid.finiteValues), [-1, 0, 1])
    XCTAssertEqual(plane(3, range: shared).defaultLevels(plane(3).grid.finiteValues), [2, 3, 4])
  }

  func testColourRangeNarrowerThanTheDataIsWidened() {
    let svg = plane(0, range: Interval(0, 1)).svg()
    XCTAssertEqual(colourBarTicks(svg), colourBarTicks(plane(0).svg()))
  }

  // MARK: Forest plots: which side favours what

  func forest(left: String, right: String) -> ForestPlot {
    ForestPlot(
      studies: [.init(label: "Study A", estimate: -0.2, lower: -0.5, upper: 0.1), .init(label: "Study B", estimate: 0.3, lower: 0.1, upper: 0.5)],
      pooled: .init(label: "Pooled", estimate: 0.05, lower: -0.2, upper: 0.3), xLabel: "Hedges' g",
      favoursLeft: left, favoursRight: right, idPrefix: "fp")
  }

  func testFavoursLabelsSitUnderTheAxisEitherSideOfTheNull() throws {
    let plain = forest(left: "", right: "")
    let plot = forest(left: "Favours control", right: "Favours CBT")
    let svg = plot.svg()
    assertValidSVG(svg)
    XCTAssertFalse(plain.svg().contains("favours"))
    let texts = parseXML(svg).elements(named: "text")
    let left = try XCTUnwrap(texts.first { $0["class"] == "favours-left" })
    let right = try XCTUnwrap(texts.first { $0["class"] == "favours-right" })
    XCTAssertTrue(svg.contains(">← Favours control</text>"))
    XCTAssertTrue(svg.contains(">Favours CBT →</text>"))
    XCTAssertEqual(left["text-anchor"], "end")
    XCTAssertNil(right["text-anchor"], "starts at its x")
    // Either side of the reference line at 0, below the axis title.
    let line = try XCTUnwrap(parseXML(svg).elements(named: "path").first { $0["class"] == "reference-line" }?["d"])
    let nullX = try XCTUnwrap(Double(line.dropFirst().prefix { $0 != " " }))
    XCTAssertEqual(try XCTUnwrap(Double(left["x"] ?? "")), nullX - 6, accuracy: 0.01)
    XCTAssertEqual(try XCTUnwrap(Double(right["x"] ?? "")), nullX + 6, accuracy: 0.01)
    let title = try XCTUnwrap(texts.first { $0["class"] == "axis-title" })
    XCTAssertGreaterThan(try XCTUnwrap(Double(left["y"] ?? "")), try XCTUnwrap(Double(title["y"] ?? "")))
    // The figure grows to hold them, and the description names the sides.
    XCTAssertGreaterThan(try XCTUnwrap(Double(parseXML(svg).elements(named: "svg").first?["height"] ?? "")),
                         try XCTUnwrap(Double(parseXML(plain.svg()).elements(named: "svg").first?["height"] ?? "")))
    XCTAssertTrue(plot.generatedDescription.contains("(left: Favours control; right: Favours CBT)"), plot.generatedDescription)
    // One side only.
    let one = forest(left: "", right: "Favours CBT").svg()
    XCTAssertFalse(one.contains("favours-left"))
    XCTAssertTrue(one.contains("favours-right"))
  }

  func testLongFavoursLabelsStayInsideTheFigure() throws {
    let long = String(repeating: "very ", count: 30) + "long"
    let svg = forest(left: long, right: long).svg()
    let width = try XCTUnwrap(Double(parseXML(svg).elements(named: "svg").first?["width"] ?? ""))
    let texts = parseXML(svg).elements(named: "text")
    let left = try XCTUnwrap(texts.first { $0["class"] == "favours-left" })
    let right = try XCTUnwrap(texts.first { $0["class"] == "favours-right" })
    let w = TextMetrics.estimatedWidth("← " + long, fontSize: PlotTheme.apa.tickFontSize)
    XCTAssertGreaterThanOrEqual(try XCTUnwrap(Double(left["x"] ?? "")) - w, 0)
    XCTAssertLessThanOrEqual(try XCTUnwrap(Double(right["x"] ?? "")) + w, width + 0.01)
  }

  // MARK: Scatters of ratings

  /// 60 pairs of 1–5 ratings: many ties.
  static let ratings: (x: [Double], y: [Double]) = {
    let x = (0..<60).map { (i: Int) -> Double in Double(1 + (i * 7) % 5) }
    let y = (0..<60).map { (i: Int) -> Double in
      let k: Int = i * 3 + i / 7
      return Double(1 + k % 5)
    }
    return (x, y)
  }()

  func testTieJitterOnlyForIntegerValuedTies() {
    let r = Self.ratings
    XCTAssertEqual(ScatterPlot.tieJitter(x: r.x, y: r.y).x, 0.2, accuracy: 1e-12)
    XCTAssertEqual(ScatterPlot.tieJitter(x: r.x, y: r.y.map { $0 * 2 }).y, 0.4, accuracy: 1e-12, "a fifth of the step")
    XCTAssertEqual(ScatterPlot.tieJitter(x: r.x.map { $0 + 0.5 }, y: r.y).x, 0, "not whole numbers")
    XCTAssertEqual(ScatterPlot.tieJitter(x: [1, 2, 3], y: [1, 1, 2]).x, 0, "no pair repeated")
    XCTAssertEqual(ScatterPlot.tieJitter(x: [1, 1, .nan], y: [2, 2, 3]).y, 0.2, accuracy: 1e-12, "NaN pairs are left out")
    XCTAssertEqual(ScatterPlot.tieJitter(x: [], y: []).x, 0)
  }

  /// The drawn circles' centres.
  func centres(_ svg: String) -> [(Double, Double)] {
    parseXML(svg).elements(named: "circle").compactMap { c in
      guard let x = c["cx"].flatMap(Double.init), let y = c["cy"].flatMap(Double.init) else { return nil }
      return (x, y)
    }
  }

  func testJitteredTiesAreSpreadDeterministicallyAndWithinAFifthOfAStep() {
    let r = Self.ratings
    var plot = ScatterPlot(x: r.x, y: r.y, idPrefix: "sc")
    let unmoved = centres(plot.svg())
    XCTAssertLessThan(Set(unmoved.map { "\($0.0),\($0.1)" }).count, 26, "ties overprint")
    plot.jitter = ScatterPlot.tieJitter(x: r.x, y: r.y)
    let svg = plot.svg()
    assertValidSVG(svg)
    XCTAssertEqual(svg, plot.svg(), "seeded: the same bytes every time")
    let moved = centres(svg)
    XCTAssertEqual(moved.count, 60)
    XCTAssertEqual(Set(moved.map { "\($0.0),\($0.1)" }).count, 60, "every point visible")
    for (p, q) in zip(plot.jitteredPoints, plot.drawablePoints) {
      XCTAssertLessThanOrEqual(abs(p.x - q.x), 0.2)
      XCTAssertLessThanOrEqual(abs(p.y - q.y), 0.2)
    }
    XCTAssertTrue(plot.generatedDescription(pointCount: 60, hasLine: false, hasBand: false).contains("jittered to show ties"))
    var other = plot
    other.jitterSeed = 7
    XCTAssertNotEqual(other.svg(), svg)
  }

  // MARK: Dodged means

  func testDodgedMeansAtTheFirstAndLastCategoryStayAboveTheAxisLine() throws {
    let groups = (0..<4).map { MeansPlot.Group(label: "G\($0)", means: [1, 2, 3], lower: [0.5, 1.5, 2.5], upper: [1.5, 2.5, 3.5]) }
    let svg = MeansPlot(categories: ["0", "4", "8"], groups: groups, dodge: 0.2, idPrefix: "mp").svg()
    assertValidSVG(svg)
    let paths = parseXML(svg).elements(named: "path")
    let axis = try XCTUnwrap(paths.first { $0["class"] == "axis-line" }?["d"])
    let ends = try XCTUnwrap(paths.first { $0["class"] == "axis-line-ends" }?["d"])
    // Horizontal extent of the axis line and its ends together.
    func xs(_ d: String) -> [Double] {
      var out: [Double] = []
      var scanner = Substring(d)
      while let i = scanner.firstIndex(where: { $0 == "M" || $0 == "H" }) {
        let rest = scanner[scanner.index(after: i)...]
        let number = rest.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        if let v = Double(number) { out.append(v) }
        scanner = rest
      }
      return out
    }
    let line = xs(String(axis.prefix { $0 != "v" }).components(separatedBy: "M").prefix(2).joined(separator: "M")) + xs(ends)
    let from = try XCTUnwrap(line.min()), to = try XCTUnwrap(line.max())
    // Marker centres of every group: circles (cx), squares (x + width/2), triangles and
    // diamonds (their path starts at the top vertex, above the centre).
    var markers: [Double] = []
    for part in svg.components(separatedBy: "<g class=\"group-means\"").dropFirst() {
      let group = parseXML("<svg xmlns=\"http://www.w3.org/2000/svg\"><g" + part.components(separatedBy: "</g>")[0] + "</g></svg>")
      for e in group.elements {
        switch e.name {
        case "circle": markers += [e.attributes["cx"].flatMap(Double.init)].compactMap { $0 }
        case "rect":
          if let x = e.attributes["x"].flatMap(Double.init), let w = e.attributes["width"].flatMap(Double.init) { markers.append(x + w / 2) }
        case "path": markers += xs(e.attributes["d"] ?? "").prefix(1)
        default: break
        }
      }
    }
    XCTAssertEqual(markers.count, 12)
    XCTAssertFalse(markers.isEmpty)
    for x in markers { XCTAssertTrue(x >= from && x <= to, "marker at \(x) outside the axis line \(from)–\(to)") }
  }
}
