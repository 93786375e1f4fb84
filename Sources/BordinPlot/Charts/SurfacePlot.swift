/// A response surface as a heat map with contour lines: z over a grid of x and y, as in
/// polynomial regression with response surface analysis of informant discrepancies.
///
/// Each grid point is the centre of a cell coloured on a sequential colourblind-safe ramp
/// (``ColorRamp/viridis``: dark purple low, yellow high); contour lines run at pretty levels
/// (R's `pretty()` over the z range, found by marching squares); the line of congruence
/// (x = y) and the line of incongruence (x = −y, through the centre of the x and y ranges) are
/// overlaid and labelled; a colour bar on the right gives the scale, with ticks at the contour
/// levels.
///
/// ```
///  y │▓▓▓▒▒░░  ╱     ┃█┃ 5
///    │▓▓▒▒░░ ╱  ╲    ┃▓┃ 4
///    │▓▒▒░░╱ ╲   ╲   ┃▒┃ 3
///    └────────────   ┃░┃ 2
///          x           z
/// ```
///
/// The grid is given row by row: `z[j][i]` is the value at (`x[i]`, `y[j]`). The caller passes
/// the predicted values; BordinPlot does not fit anything.
///
/// Input is taken as it comes, and nothing crashes: grid values are sorted by x and y (with
/// their columns and rows), non-finite coordinates drop their column or row, short rows are
/// padded with missing values, non-finite z values leave their cell blank and their squares
/// without contours, and no finite z gives empty axes and the note "No data to plot".
public struct SurfacePlot: Sendable {
  /// Grid x values (columns of ``z``).
  public var x: [Double]
  /// Grid y values (rows of ``z``).
  public var y: [Double]
  /// The surface: `z[j][i]` at (`x[i]`, `y[j]`).
  public var z: [[Double]]
  /// Title of the x axis.
  public var xLabel: String
  /// Title of the y axis.
  public var yLabel: String
  /// Title of the colour bar (the outcome).
  public var zLabel: String
  /// Contour levels; nil for pretty levels inside the z range, empty for no contours.
  public var contourLevels: [Double]?
  /// Overlay the lines of congruence and incongruence.
  public var showsCongruenceLines: Bool
  /// Label of the line of congruence (empty for none).
  public var congruenceLabel: String
  /// Label of the line of incongruence (empty for none; nil: ``incongruenceLabel(centre:)`` of
  /// the line drawn).
  public var incongruenceLabel: String?
  /// The colour ramp.
  public var ramp: ColorRamp
  /// The range the colour scale covers at least (nil: this grid's z range). Give two surfaces
  /// the union of their ranges and the same colour means the same value in both; the scale is
  /// widened to this grid's values if they reach beyond it.
  public var colourRange: Interval?
  /// The accessible name (`<title>`); generated when empty.
  public var title: String
  /// The alt text (`<desc>`); generated when empty.
  public var description: String
  /// The prefix of the figure's element ids (the colour bar's gradient uses it).
  public var idPrefix: String
  /// Figure width in user units.
  public var width: Double
  /// Figure height in user units.
  public var height: Double
  /// The look of the figure.
  public var theme: PlotTheme

  /// Creates a surface plot.
  ///
  /// - Parameters:
  ///   - x: Grid x values.
  ///   - y: Grid y values.
  ///   - z: Values by row (y) then column (x).
  ///   - xLabel: Title of the x axis.
  ///   - yLabel: Title of the y axis.
  ///   - zLabel: Title of the colour bar.
  ///   - contourLevels: Contour levels; nil for pretty levels, empty for none.
  ///   - showsCongruenceLines: Overlay the lines of congruence and incongruence.
  ///   - congruenceLabel: Label of the line x = y.
  ///   - incongruenceLabel: Label of the line x = −y.
  ///   - ramp: The colour ramp (viridis by default).
  ///   - colourRange: The range the colour scale covers at least (to share it between plots).
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - height: Figure height.
  public init(
    x: [Double], y: [Double], z: [[Double]], xLabel: String = "", yLabel: String = "", zLabel: String = "",
    contourLevels: [Double]? = nil, showsCongruenceLines: Bool = true, congruenceLabel: String = "Congruence (X = Y)",
    incongruenceLabel: String? = nil, ramp: ColorRamp = .viridis, colourRange: Interval? = nil, title: String = "",
    description: String = "", idPrefix: String = "surface", width: Double = 540, height: Double = 440,
    theme: PlotTheme = .apa
  ) {
    self.x = x
    self.y = y
    self.z = z
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.zLabel = zLabel
    self.contourLevels = contourLevels
    self.showsCongruenceLines = showsCongruenceLines
    self.congruenceLabel = congruenceLabel
    self.incongruenceLabel = incongruenceLabel
    self.ramp = ramp
    self.colourRange = colourRange
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
    self.theme = theme
  }

  /// The cleaned grid: finite, increasing x and y, with z rearranged to match (NaN for missing).
  struct Grid {
    var x: [Double]
    var y: [Double]
    var z: [[Double]]

    func value(_ i: Int, _ j: Int) -> Double { z[j][i] }

    /// All finite z values.
    var finiteValues: [Double] { z.flatMap { $0.filter(\.isFinite) } }

    /// The cell edges along one axis: midpoints between neighbours, half a step beyond the ends.
    static func edges(_ values: [Double]) -> [Double] {
      guard let first = values.first, let last = values.last else { return [] }
      if values.count == 1 {
        let half = max(abs(first) * 0.1, 0.5)
        return [first - half, first + half]
      }
      var edges = [first - (values[1] - first) / 2]
      for k in 0..<(values.count - 1) { edges.append((values[k] + values[k + 1]) / 2) }
      edges.append(last + (last - values[values.count - 2]) / 2)
      return edges
    }
  }

  var grid: Grid {
    let xs = x.enumerated().filter { $0.element.isFinite }.sorted {
      $0.element == $1.element ? $0.offset < $1.offset : $0.element < $1.element
    }
    let ys = y.enumerated().filter { $0.element.isFinite }.sorted {
      $0.element == $1.element ? $0.offset < $1.offset : $0.element < $1.element
    }
    let values = ys.map { row -> [Double] in
      let source = row.offset < z.count ? z[row.offset] : []
      return xs.map { column in column.offset < source.count ? source[column.offset] : .nan }
    }
    return Grid(x: xs.map(\.element), y: ys.map(\.element), z: values)
  }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let ids = FigureIDs(prefix: idPrefix)
    let grid = grid
    let xEdges = Grid.edges(grid.x)
    let yEdges = Grid.edges(grid.y)
    let finite = grid.finiteValues
    let xExtent = Interval.covering(xEdges) ?? Interval(0, 1)
    let yExtent = Interval.covering(yEdges) ?? Interval(0, 1)
    let xAxis = Axis.linear(title: xLabel, domain: xExtent, nice: false)
    let yAxis = Axis.linear(title: yLabel, domain: yExtent, nice: false)

    // The colour scale and its bar.
    let zRange = scaleRange(finite)
    let zAxis = Axis.linear(title: zLabel, domain: zRange, nice: true)
    let zDomain = zAxis.domain
    let font = theme.tickFontSize
    let barGap = 18.0
    let barWidth = 14.0
    let zTickWidth = zAxis.ticks.map { TextMetrics.estimatedWidth($0.label, fontSize: font) }.max() ?? 0
    let zTitleSpace = zLabel.isEmpty ? 0 : theme.labelGap + theme.fontSize
    let legendWidth = barGap + barWidth + theme.tickLength + theme.labelGap + zTickWidth + zTitleSpace
      + theme.outerPadding
    var canvas = PlotCanvas(
      width: ChartSupport.size(width, minimum: 60, fallback: 540),
      height: ChartSupport.size(height, minimum: 60, fallback: 440), xAxis: xAxis, yAxis: yAxis, theme: theme,
      extraMargins: Margins(top: 0, right: legendWidth, bottom: 0, left: 0))
    func t(_ value: Double) -> Double { zDomain.width > 0 ? (value - zDomain.lower) / zDomain.width : 0.5 }

    // Cells.
    var cells = SVGElement("g", ["class": "cells"])
    cells.set("shape-rendering", "crispEdges")
    for (j, row) in grid.z.enumerated() {
      let y0 = canvas.yScale(yEdges[j + 1])
      let y1 = canvas.yScale(yEdges[j])
      for (i, value) in row.enumerated() where value.isFinite {
        let x0 = canvas.xScale(xEdges[i])
        let x1 = canvas.xScale(xEdges[i + 1])
        guard x0.isFinite, x1.isFinite, y0.isFinite, y1.isFinite else { continue }
        // A quarter unit of overlap hides hairline seams between neighbouring cells.
        var cell = SVGElement("rect").with("x", min(x0, x1)).with("y", min(y0, y1))
          .with("width", abs(x1 - x0) + 0.25).with("height", abs(y1 - y0) + 0.25)
        cell.set("fill", ramp.colour(at: t(value)))
        cells.append(cell)
      }
    }
    if !cells.children.isEmpty { canvas.addLayer(cells) }

    // Contours.
    let levels = (contourLevels ?? defaultLevels(finite)).filter(\.isFinite)
    if !finite.isEmpty {
      for level in levels {
        let d = contourPath(grid, level: level, canvas: canvas)
        guard !d.isEmpty else { continue }
        var path = SVGElement("path", ["class": "contour", "d": d])
        let ink = ramp.brightness(at: t(level)) < 0.45 ? "#ffffff" : "#000000"
        ShapeStyle(stroke: ink, strokeWidth: 0.9, strokeOpacity: 0.85, fill: "none").apply(to: &path)
        canvas.addLayer(path)
      }
    }

    // Lines of congruence (y = x) and incongruence (y = cy + cx − x).
    if showsCongruenceLines && !finite.isEmpty {
      let centreX = (xExtent.lower + xExtent.upper) / 2
      let centreY = (yExtent.lower + yExtent.upper) / 2
      let lines: [(slope: Double, intercept: Double, label: String, dashed: Bool, className: String)] = [
        (1, 0, congruenceLabel, false, "congruence-line"),
        (-1, centreX + centreY, incongruenceLabel ?? Self.incongruenceLabel(centreX: centreX, centreY: centreY), true,
         "incongruence-line"),
      ]
      for line in lines {
        guard let (a, b) = clip(slope: line.slope, intercept: line.intercept, x: xExtent, y: yExtent) else { continue }
        let p = canvas.position(a)
        let q = canvas.position(b)
        let d = "M" + fmt(p.x) + " " + fmt(p.y) + "L" + fmt(q.x) + " " + fmt(q.y)
        var halo = SVGElement("path", ["class": line.className + "-halo", "d": d])
        ShapeStyle(stroke: "#ffffff", strokeWidth: 3.2, strokeOpacity: 0.9, fill: "none").apply(to: &halo)
        var path = SVGElement("path", ["class": line.className, "d": d])
        ShapeStyle.line(theme.ink, width: 1.4, dash: line.dashed ? [6, 4] : nil).apply(to: &path)
        canvas.addLayer(halo)
        canvas.addLayer(path)
        guard !line.label.isEmpty else { continue }
        addLineLabel(line.label, className: line.className, from: p, to: q, on: &canvas)
      }
    }

    // The colour bar.
    if !finite.isEmpty {
      canvas.addLayer(colourBar(zAxis: zAxis, canvas: canvas, ids: ids, barGap: barGap, barWidth: barWidth,
                                tickWidth: zTickWidth))
    } else {
      canvas.addNote("No data to plot")
    }
    return canvas.document(
      title: title.isEmpty ? generatedTitle : title,
      description: description.isEmpty ? generatedDescription : description, ids: ids)
  }

  /// The label of a congruence line: along the line near its upper end (`p`–`q` in canvas
  /// units), inside the plot, upright, lifted off the line and haloed in white; none when the
  /// drawn line is 40 units or shorter.
  private func addLineLabel(_ label: String, className: String, from p: (x: Double, y: Double),
                            to q: (x: Double, y: Double), on canvas: inout PlotCanvas) {
    let font = theme.tickFontSize
    let (top, bottom) = p.y <= q.y ? (p, q) : (q, p)
    let length = ((top.x - bottom.x) * (top.x - bottom.x) + (top.y - bottom.y) * (top.y - bottom.y)).squareRoot()
    guard length > 40 else { return }
    let ux = (top.x - bottom.x) / length
    let uy = (top.y - bottom.y) / length
    let inset = 16.0
    var anchorX = top.x - ux * inset
    var anchorY = top.y - uy * inset
    var angle = atan2Degrees(uy, ux)
    var textAnchor = "end"
    var reading = (x: ux, y: uy)
    if angle < -90 || angle > 90 {  // keep text upright: read left to right
      angle += angle < 0 ? 180 : -180
      textAnchor = "start"
      reading = (-ux, -uy)
    }
    // Lift the baseline off the line on the side the glyphs rise to.
    let up = (x: reading.y, y: -reading.x)
    anchorX += up.x * 5
    anchorY += up.y * 5
    // The label over a white halo: a stroked copy of the text drawn first, hidden from
    // screen readers (SVG 1.1 has no `paint-order`, which the W3C validator rejects).
    let transform = "translate(" + fmt(anchorX) + " " + fmt(anchorY) + ") rotate(" + fmt(angle) + ")"
    var labelHalo = SVGElement("text", ["class": className + "-label-halo"])
    labelHalo.set("transform", transform)
    labelHalo.set("text-anchor", textAnchor)
    labelHalo.set("font-size", font)
    labelHalo.set("fill", "#ffffff")
    labelHalo.set("stroke", "#ffffff")
    labelHalo.set("stroke-width", 3)
    labelHalo.set("stroke-opacity", 0.85)
    labelHalo.set("aria-hidden", "true")
    labelHalo.appendText(label)
    canvas.addLayer(labelHalo)
    var text = SVGElement("text", ["class": className + "-label"])
    text.set("transform", transform)
    text.set("text-anchor", textAnchor)
    text.set("font-size", font)
    text.set("fill", theme.ink)
    text.appendText(label)
    canvas.addLayer(text)
  }

  /// The label of the line drawn, x − cx = −(y − cy) through the centre (cx, cy) of the ranges:
  /// "Incongruence (X = −Y)" when the centre is the origin (centred predictors), else with the
  /// centres written out, "Incongruence (X − 30 = −(Y − 30))".
  public static func incongruenceLabel(centreX: Double, centreY: Double) -> String {
    func shifted(_ name: String, _ c: Double) -> String {
      let text = SVGNumber.format((abs(c) * 100).rounded() / 100)
      if abs(c) < 0.005 { return name }
      return c > 0 ? "\(name) − \(text)" : "\(name) + \(text)"
    }
    if abs(centreX) < 0.005 && abs(centreY) < 0.005 { return "Incongruence (X = −Y)" }
    return "Incongruence (\(shifted("X", centreX)) = −(\(shifted("Y", centreY))))"
  }

  /// The range of the colour scale: the finite values' range joined with ``colourRange`` (when
  /// that is finite), widened if empty.
  func scaleRange(_ values: [Double]) -> Interval {
    var range = Interval.covering(values)
    if let shared = colourRange, shared.lower.isFinite, shared.upper.isFinite {
      range = shared.union(range)
    }
    return (range ?? Interval(0, 1)).widenedIfEmpty()
  }

  /// Pretty levels strictly inside the range of the finite values; with a shared
  /// ``colourRange``, the pretty levels of the shared scale that fall inside this grid's values
  /// (so that two surfaces on one scale have contours at the same values).
  func defaultLevels(_ values: [Double]) -> [Double] {
    guard let range = Interval.covering(values), range.width > 0 else { return [] }
    let scale = colourRange == nil ? range : scaleRange(values)
    return scale.pretty(count: 6).values.filter { $0 > range.lower && $0 < range.upper }
  }

  /// The colour bar: a gradient rectangle right of the plot, ticks and labels, the z title.
  private func colourBar(zAxis: Axis, canvas: PlotCanvas, ids: FigureIDs, barGap: Double, barWidth: Double,
                         tickWidth: Double) -> SVGElement {
    let area = canvas.plotArea
    let zDomain = zAxis.domain
    var group = SVGElement("g", ["class": "colour-bar"])
    var defs = SVGElement("defs")
    var gradient = SVGElement("linearGradient", ["id": ids.id("ramp"), "x1": "0", "y1": "1", "x2": "0", "y2": "0"])
    for (index, stop) in ramp.stops.enumerated() {
      var element = SVGElement("stop")
      element.set("offset", Double(index) / Double(ramp.stops.count - 1))
      element.set("stop-color", stop)
      gradient.append(element)
    }
    defs.append(gradient)
    group.append(defs)
    let x0 = canvas.rightOfPlot + barGap
    var bar = SVGElement("rect").with("x", x0).with("y", area.minY).with("width", barWidth).with("height", area.height)
    bar.set("fill", "url(#" + ids.id("ramp") + ")")
    bar.set("stroke", theme.grey)
    bar.set("stroke-width", 0.5)
    group.append(bar)
    let scale = LinearScale(domain: zDomain, start: area.maxY, end: area.minY)
    var d = ""
    var labels = ChartSupport.textGroup(className: "tick-labels", fontSize: theme.tickFontSize, fill: theme.ink)
    for tick in zAxis.visibleTicks {
      let y = scale(tick.value)
      d += "M" + fmt(x0 + barWidth) + " " + fmt(y) + "h" + fmt(theme.tickLength)
      labels.append(ChartSupport.text(tick.label, x: x0 + barWidth + theme.tickLength + theme.labelGap,
                                      y: y + theme.tickFontSize * 0.35))
    }
    if !d.isEmpty {
      var ticks = SVGElement("path", ["d": d])
      ShapeStyle.line(theme.ink, width: theme.axisWidth).apply(to: &ticks)
      group.append(ticks)
      group.append(labels)
    }
    if !zLabel.isEmpty {
      // Read bottom to top, like the y axis title; the glyphs rise to the left of `x`.
      let x = x0 + barWidth + theme.tickLength + theme.labelGap + tickWidth + theme.labelGap + theme.fontSize * 0.75
      var title = ChartSupport.text(zLabel, x: 0, y: 0, anchor: .middle, className: "axis-title",
                                    fontSize: theme.fontSize, fill: theme.ink)
      title.set("transform", "translate(" + fmt(x) + " " + fmt(area.midY) + ") rotate(-90)")
      group.append(title)
    }
    return group
  }

  /// The segment of the line y = slope · x + intercept inside the rectangle, or nil.
  func clip(slope: Double, intercept: Double, x: Interval, y: Interval) -> (PlotPoint, PlotPoint)? {
    var points: [PlotPoint] = []
    func add(_ p: PlotPoint) {
      let slackX = 1e-9 * max(1, x.width)
      let slackY = 1e-9 * max(1, y.width)
      guard p.isFinite, p.x >= x.lower - slackX, p.x <= x.upper + slackX, p.y >= y.lower - slackY,
        p.y <= y.upper + slackY
      else { return }
      points.append(p)
    }
    add(PlotPoint(x: x.lower, y: slope * x.lower + intercept))
    add(PlotPoint(x: x.upper, y: slope * x.upper + intercept))
    add(PlotPoint(x: (y.lower - intercept) / slope, y: y.lower))
    add(PlotPoint(x: (y.upper - intercept) / slope, y: y.upper))
    guard let first = points.min(by: { $0.x < $1.x }), let last = points.max(by: { $0.x < $1.x }),
      last.x - first.x > 1e-9 * max(1, x.width)
    else { return nil }
    return (first, last)
  }

  /// The contour at `level` as path data: one `M…L…` segment per crossing square (marching
  /// squares; saddles resolved by the mean of the four corners).
  func contourPath(_ grid: Grid, level: Double, canvas: PlotCanvas) -> String {
    guard grid.x.count >= 2, grid.y.count >= 2 else { return "" }
    var d = ""
    for j in 0..<(grid.y.count - 1) {
      for i in 0..<(grid.x.count - 1) {
        // Corners counter-clockwise from bottom left: c0 (i, j), c1 (i+1, j), c2 (i+1, j+1), c3 (i, j+1).
        let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
        let v = corners.map { grid.value($0.0, $0.1) }
        guard v.allSatisfy(\.isFinite) else { continue }
        var index = 0
        for k in 0..<4 where v[k] > level { index |= 1 << k }
        if index == 0 || index == 15 { continue }
        func point(_ edge: Int) -> PlotPoint {
          let a = edge
          let b = (edge + 1) % 4
          let f = v[b] == v[a] ? 0.5 : min(1, max(0, (level - v[a]) / (v[b] - v[a])))
          let pa = PlotPoint(x: grid.x[corners[a].0], y: grid.y[corners[a].1])
          let pb = PlotPoint(x: grid.x[corners[b].0], y: grid.y[corners[b].1])
          return PlotPoint(x: pa.x + (pb.x - pa.x) * f, y: pa.y + (pb.y - pa.y) * f)
        }
        let centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 > level
        let pairs: [(Int, Int)]
        switch index {
        case 1, 14: pairs = [(3, 0)]
        case 2, 13: pairs = [(0, 1)]
        case 3, 12: pairs = [(3, 1)]
        case 4, 11: pairs = [(1, 2)]
        case 6, 9: pairs = [(0, 2)]
        case 7, 8: pairs = [(3, 2)]
        case 5: pairs = centreAbove ? [(0, 1), (2, 3)] : [(3, 0), (1, 2)]
        case 10: pairs = centreAbove ? [(3, 0), (1, 2)] : [(0, 1), (2, 3)]
        default: pairs = []
        }
        for (e0, e1) in pairs {
          let p = canvas.position(point(e0))
          let q = canvas.position(point(e1))
          guard p.x.isFinite, p.y.isFinite, q.x.isFinite, q.y.isFinite else { continue }
          d += "M" + fmt(p.x) + " " + fmt(p.y) + "L" + fmt(q.x) + " " + fmt(q.y)
        }
      }
    }
    return d
  }

  /// atan2 in degrees without Foundation: the angle of (x, y) from the positive x axis.
  private func atan2Degrees(_ y: Double, _ x: Double) -> Double {
    // Only unit directions reach here; use a series-free approach through the half-angle
    // identity and a short atan evaluation on [−1, 1].
    func atan(_ t: Double) -> Double {
      // atan(t) = 2·atan(t / (1 + √(1 + t²))) brings |t| ≤ 0.42; then an odd series.
      let u = t / (1 + (1 + t * t).squareRoot())
      let v = u / (1 + (1 + u * u).squareRoot())
      let v2 = v * v
      var sum = 0.0
      var term = v
      for k in 0..<12 {
        sum += term / Double(2 * k + 1) * (k % 2 == 0 ? 1 : -1)
        term *= v2
      }
      return 4 * sum
    }
    let pi = 3.141_592_653_589_793
    var radians: Double
    if x > 0 {
      radians = atan(y / x)
    } else if x < 0 {
      radians = atan(y / x) + (y >= 0 ? pi : -pi)
    } else {
      radians = y > 0 ? pi / 2 : (y < 0 ? -pi / 2 : 0)
    }
    if !radians.isFinite { radians = 0 }
    return radians * 180 / pi
  }

  private var generatedTitle: String {
    zLabel.isEmpty ? "Response surface" : "Response surface of " + zLabel
  }

  /// E.g. "Response surface of Satisfaction (colour) over Self-report (horizontal axis) and
  /// Partner report (vertical axis), a 21 × 21 grid with values from 1.20 to 4.80: highest
  /// (4.80) at Self-report 2.00, Partner report 2.00; lowest (1.20) at …; 5 contour lines;
  /// with the lines of congruence and incongruence."
  var generatedDescription: String {
    let grid = grid
    let xName = xLabel.isEmpty ? "x" : xLabel
    let yName = yLabel.isEmpty ? "y" : yLabel
    var text = "Response surface" + (zLabel.isEmpty ? "" : " of " + zLabel) + " (colour) over " + xName
      + " (horizontal axis) and " + yName + " (vertical axis), a \(grid.x.count) × \(grid.y.count) grid"
    var best: (value: Double, i: Int, j: Int)?
    var worst: (value: Double, i: Int, j: Int)?
    for (j, row) in grid.z.enumerated() {
      for (i, value) in row.enumerated() where value.isFinite {
        if best == nil || value > (best?.value ?? 0) { best = (value, i, j) }
        if worst == nil || value < (worst?.value ?? 0) { worst = (value, i, j) }
      }
    }
    guard let best, let worst else { return text + " without finite values." }
    text += " with values from " + ChartSupport.number(worst.value) + " to " + ChartSupport.number(best.value)
    text += ": highest at " + xName + " " + ChartSupport.number(grid.x[best.i]) + ", " + yName + " "
      + ChartSupport.number(grid.y[best.j])
    text += "; lowest at " + xName + " " + ChartSupport.number(grid.x[worst.i]) + ", " + yName + " "
      + ChartSupport.number(grid.y[worst.j])
    let levels = (contourLevels ?? defaultLevels(grid.finiteValues)).filter(\.isFinite)
    if !levels.isEmpty {
      text += "; contour lines at " + TickLabels.format(levels).joined(separator: ", ")
    }
    if showsCongruenceLines { text += "; with the lines of congruence and incongruence" }
    return text + "."
  }

  private func fmt(_ value: Double) -> String { SVGNumber.format(value.isFinite ? value : 0) }
}
