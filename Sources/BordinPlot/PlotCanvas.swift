/// A point in data units.
public struct PlotPoint: Sendable, Equatable {
  /// Horizontal data value.
  public var x: Double
  /// Vertical data value.
  public var y: Double

  /// Creates a point.
  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }

  /// Whether both coordinates are finite (only such points are drawn).
  public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// An interval estimate to draw as an error bar: a centre position and a lower–upper span.
public struct ErrorBar: Sendable, Equatable {
  /// Position across the bar: the x value of a vertical bar, the y value of a horizontal one.
  public var at: Double
  /// Lower end along the bar.
  public var lower: Double
  /// Upper end along the bar.
  public var upper: Double

  /// Creates an error bar.
  public init(at: Double, lower: Double, upper: Double) {
    self.at = at
    self.lower = lower
    self.upper = upper
  }
}

/// The direction of error bars.
public enum Orientation: Sendable, Equatable {
  /// Bars run along y (means plots, Bland–Altman).
  case vertical
  /// Bars run along x (forest plots).
  case horizontal
}

/// Marker shapes for points.
public enum MarkerShape: Sendable, Hashable {
  /// A circle of the given radius.
  case circle
  /// A square whose half-side is the given size (forest-plot weights).
  case square
  /// An upward triangle inscribed in the circle of the given radius (slightly enlarged so that
  /// it looks as big as a circle of that size).
  case triangle
  /// A square standing on a corner, inscribed in the circle of 1.25 × the given size.
  case diamond

  /// The marker centred at (`x`, `y`) in user units, `size` as in ``PlotCanvas/addPoints(_:shape:size:sizes:style:className:)``.
  ///
  /// - Returns: A `circle`, `rect` or `path` element without style attributes.
  public func element(x: Double, y: Double, size s: Double) -> SVGElement {
    switch self {
    case .circle:
      return SVGElement("circle").with("cx", x).with("cy", y).with("r", s)
    case .square:
      return SVGElement("rect").with("x", x - s).with("y", y - s).with("width", 2 * s).with("height", 2 * s)
    case .triangle:
      let r = s * 1.3
      let half = r * 0.866_025_403_784_438_6
      let d = "M" + SVGNumber.format(x) + " " + SVGNumber.format(y - r) + "L" + SVGNumber.format(x + half) + " "
        + SVGNumber.format(y + r / 2) + "H" + SVGNumber.format(x - half) + "Z"
      return SVGElement("path", ["d": d])
    case .diamond:
      let r = s * 1.25
      let d = "M" + SVGNumber.format(x) + " " + SVGNumber.format(y - r) + "L" + SVGNumber.format(x + r) + " "
        + SVGNumber.format(y) + "L" + SVGNumber.format(x) + " " + SVGNumber.format(y + r) + "L"
        + SVGNumber.format(x - r) + " " + SVGNumber.format(y) + "Z"
      return SVGElement("path", ["d": d])
    }
  }
}

/// Horizontal alignment of text relative to its anchor point.
public enum TextAnchor: String, Sendable, Equatable {
  /// Text starts at the point.
  case start
  /// Text is centred on the point.
  case middle
  /// Text ends at the point.
  case end
}

/// A figure under construction: layout, x and y axes and scales, and data layers drawn in data
/// units. Every chart in BordinPlot is built on one.
///
/// ```swift
/// var canvas = PlotCanvas(width: 480, height: 360,
///                         xAxis: .linear(title: "Session", covering: xs),
///                         yAxis: .linear(title: "Alliance", covering: ys))
/// canvas.addPolygon(band, style: .area(canvas.theme.lightFill), className: "band")
/// canvas.addPoints(points, style: .line(canvas.theme.ink))
/// canvas.addPolyline(fit, style: .line(canvas.theme.ink, width: 1.5), className: "fit-line")
/// let svg = canvas.svg(title: "…", description: "…", ids: FigureIDs(prefix: "fig-1"))
/// ```
///
/// All `add…` methods take data units, map them through ``xScale`` and ``yScale``, and skip
/// what cannot be drawn (non-finite coordinates) instead of failing: a line is broken at a
/// non-finite point, as R's `lines()` breaks at `NA`. Layers are drawn in the order added.
public struct PlotCanvas: Sendable {
  /// The figure's look.
  public let theme: PlotTheme
  /// Size, margins and plotting area.
  public let layout: PlotLayout
  /// The bottom axis.
  public let xAxis: Axis
  /// The left axis.
  public let yAxis: Axis
  /// The axes that are drawn (a forest plot hides its y axis; rows are labelled instead).
  public let visibleAxes: Set<AxisPosition>
  /// Space reserved beyond the axes' own margins (legend, text columns), as given at creation.
  public let extraMargins: Margins
  /// Maps x data values to horizontal positions in the plotting area.
  public let xScale: LinearScale
  /// Maps y data values to vertical positions (upwards) in the plotting area.
  public let yScale: LinearScale
  /// The data layers added so far, in drawing order.
  public private(set) var layers: [SVGElement] = []

  /// Creates an empty canvas whose margins fit the axes.
  ///
  /// - Parameters:
  ///   - width: Figure width in user units (non-finite or below 60 is raised to 60).
  ///   - height: Figure height in user units (likewise).
  ///   - xAxis: The bottom axis; its domain is the x scale's domain.
  ///   - yAxis: The left axis; its domain is the y scale's domain.
  ///   - theme: Fonts, ink and spacing.
  ///   - extraMargins: Space reserved beyond the fitted margins, e.g. for a legend below the x
  ///     axis (see ``belowXAxis``) or text columns beside the plotting area.
  ///   - visibleAxes: The axes to draw; a hidden axis still sets its scale. A hidden axis
  ///     with no ticks and no title takes almost no margin.
  public init(
    width: Double, height: Double, xAxis: Axis, yAxis: Axis, theme: PlotTheme = .apa,
    extraMargins: Margins = .zero, visibleAxes: Set<AxisPosition> = [.bottom, .left]
  ) {
    let w = width.isFinite ? max(width, 60) : 60
    let h = height.isFinite ? max(height, 60) : 60
    self.theme = theme
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.visibleAxes = visibleAxes
    self.extraMargins = extraMargins
    layout = PlotLayout.fitting(width: w, height: h, xAxis: xAxis, yAxis: yAxis, theme: theme, extra: extraMargins)
    let area = layout.plotArea
    xScale = LinearScale(domain: xAxis.domain, start: area.minX, end: area.maxX)
    yScale = LinearScale(domain: yAxis.domain, start: area.maxY, end: area.minY)
  }

  /// The plotting area in user units.
  public var plotArea: Rect { layout.plotArea }

  /// The y coordinate just below the x axis and its title: where space reserved with
  /// `extraMargins.bottom` starts (e.g. for a ``Legend``).
  public var belowXAxis: Double {
    let extra = extraMargins.bottom.isFinite ? max(0, extraMargins.bottom) : 0
    return plotArea.maxY + layout.margins.bottom - extra - theme.outerPadding
  }

  /// The x coordinate just right of the plotting area's fitted right margin: where space
  /// reserved with `extraMargins.right` starts.
  public var rightOfPlot: Double {
    let extra = extraMargins.right.isFinite ? max(0, extraMargins.right) : 0
    return plotArea.maxX + layout.margins.right - extra
  }

  /// The pixel position of a data point.
  public func position(_ point: PlotPoint) -> (x: Double, y: Double) {
    (xScale(point.x), yScale(point.y))
  }

  /// Adds an already-built element as a layer (for shapes the canvas has no method for).
  public mutating func addLayer(_ element: SVGElement) {
    layers.append(element)
  }

  /// Adds markers at `points`; points with a non-finite coordinate are skipped.
  ///
  /// - Parameters:
  ///   - points: Positions in data units.
  ///   - shape: Circle (radius `size`), square (half-side `size`), triangle or diamond.
  ///   - size: Marker size in user units, used when `sizes` is nil.
  ///   - sizes: Per-point sizes in user units (e.g. forest-plot weights); must match `points`.
  ///   - style: Stroke and fill, set once on the group.
  ///   - className: The group's class.
  public mutating func addPoints(
    _ points: [PlotPoint], shape: MarkerShape = .circle, size: Double = 2.5, sizes: [Double]? = nil,
    style: ShapeStyle, className: String = "points"
  ) {
    precondition(sizes == nil || sizes?.count == points.count, "addPoints: sizes must match points")
    var group = SVGElement("g", ["class": className])
    style.apply(to: &group)
    for (index, point) in points.enumerated() where point.isFinite {
      let s = sizes?[index] ?? size
      guard s.isFinite, s > 0 else { continue }
      let (x, y) = position(point)
      guard x.isFinite, y.isFinite else { continue }
      group.append(shape.element(x: x, y: y, size: s))
    }
    layers.append(group)
  }

  /// Adds a line through `points` in the given order, broken where a point is non-finite.
  ///
  /// - Parameters:
  ///   - points: Vertices in data units.
  ///   - style: Stroke (fill is set to none when the style leaves it unset).
  ///   - className: The path's class.
  public mutating func addPolyline(_ points: [PlotPoint], style: ShapeStyle, className: String = "line") {
    let d = polylineData(points)
    guard !d.isEmpty else { return }
    appendPath(d, style, className)
  }

  /// The path data of a line through `points` (data units), broken at non-finite points.
  func polylineData(_ points: [PlotPoint]) -> String {
    var d = ""
    var penDown = false
    for point in points {
      let (x, y) = position(point)
      guard point.isFinite, x.isFinite, y.isFinite else {
        penDown = false
        continue
      }
      d += (penDown ? "L" : "M") + SVGNumber.format(x) + " " + SVGNumber.format(y)
      penDown = true
    }
    return d
  }

  /// Adds a closed polygon through the finite `points` (non-finite vertices are dropped).
  ///
  /// - Parameters:
  ///   - points: Vertices in data units, in drawing order.
  ///   - style: Fill and stroke.
  ///   - className: The path's class.
  public mutating func addPolygon(_ points: [PlotPoint], style: ShapeStyle, className: String = "area") {
    let vertices = points.filter(\.isFinite).map(position).filter { $0.x.isFinite && $0.y.isFinite }
    guard vertices.count >= 3 else { return }
    var d = ""
    for (index, vertex) in vertices.enumerated() {
      d += (index == 0 ? "M" : "L") + SVGNumber.format(vertex.x) + " " + SVGNumber.format(vertex.y)
    }
    d += "Z"
    var path = SVGElement("path", ["class": className, "d": d])
    style.apply(to: &path)
    layers.append(path)
  }

  /// Adds the rectangle spanning two corners in data units (e.g. a bar, a shaded region).
  ///
  /// - Parameters:
  ///   - corner: One corner.
  ///   - opposite: The opposite corner.
  ///   - style: Fill and stroke.
  ///   - className: The rect's class.
  public mutating func addRect(
    from corner: PlotPoint, to opposite: PlotPoint, style: ShapeStyle, className: String = "rect"
  ) {
    guard corner.isFinite, opposite.isFinite else { return }
    let a = position(corner)
    let b = position(opposite)
    var rect = SVGElement("rect", ["class": className])
    rect.set("x", min(a.x, b.x))
    rect.set("y", min(a.y, b.y))
    rect.set("width", abs(a.x - b.x))
    rect.set("height", abs(a.y - b.y))
    style.apply(to: &rect)
    layers.append(rect)
  }

  /// Adds straight segments, all in one path (e.g. spokes, connectors).
  ///
  /// - Parameters:
  ///   - segments: Pairs of end points in data units; a pair with a non-finite end is skipped.
  ///   - style: Stroke.
  ///   - className: The path's class.
  public mutating func addSegments(
    _ segments: [(PlotPoint, PlotPoint)], style: ShapeStyle, className: String = "segments"
  ) {
    var d = ""
    for (a, b) in segments where a.isFinite && b.isFinite {
      let p = position(a)
      let q = position(b)
      d += "M" + SVGNumber.format(p.x) + " " + SVGNumber.format(p.y)
      d += "L" + SVGNumber.format(q.x) + " " + SVGNumber.format(q.y)
    }
    guard !d.isEmpty else { return }
    appendPath(d, style, className)
  }

  /// Adds error bars with end caps, all in one path.
  ///
  /// - Parameters:
  ///   - bars: The intervals, in data units; bars with a non-finite value are skipped.
  ///   - orientation: Vertical bars run along y at x = `at`; horizontal along x at y = `at`.
  ///   - capWidth: Total cap length in user units (0 for no caps).
  ///   - style: Stroke.
  ///   - className: The path's class.
  public mutating func addErrorBars(
    _ bars: [ErrorBar], orientation: Orientation, capWidth: Double = 6, style: ShapeStyle,
    className: String = "error-bars"
  ) {
    let half = capWidth.isFinite ? max(0, capWidth) / 2 : 0
    var d = ""
    for bar in bars where bar.at.isFinite && bar.lower.isFinite && bar.upper.isFinite {
      switch orientation {
      case .vertical:
        let x = SVGNumber.format(xScale(bar.at))
        let y0 = yScale(bar.lower)
        let y1 = yScale(bar.upper)
        d += "M\(x) \(SVGNumber.format(y0))V\(SVGNumber.format(y1))"
        if half > 0 {
          for y in [y0, y1] {
            d += "M\(SVGNumber.format(xScale(bar.at) - half)) \(SVGNumber.format(y))h\(SVGNumber.format(2 * half))"
          }
        }
      case .horizontal:
        let y = SVGNumber.format(yScale(bar.at))
        let x0 = xScale(bar.lower)
        let x1 = xScale(bar.upper)
        d += "M\(SVGNumber.format(x0)) \(y)H\(SVGNumber.format(x1))"
        if half > 0 {
          for x in [x0, x1] {
            d += "M\(SVGNumber.format(x)) \(SVGNumber.format(yScale(bar.at) - half))v\(SVGNumber.format(2 * half))"
          }
        }
      }
    }
    guard !d.isEmpty else { return }
    appendPath(d, style, className)
  }

  /// Adds a vertical line across the plotting area at `x` (e.g. the null effect in a forest plot).
  public mutating func addReferenceLine(x: Double, style: ShapeStyle, className: String = "reference-line") {
    guard x.isFinite else { return }
    let px = SVGNumber.format(xScale(x))
    appendPath("M\(px) \(SVGNumber.format(plotArea.maxY))V\(SVGNumber.format(plotArea.minY))", style, className)
  }

  /// Adds a horizontal line across the plotting area at `y` (e.g. limits of agreement).
  public mutating func addReferenceLine(y: Double, style: ShapeStyle, className: String = "reference-line") {
    guard y.isFinite else { return }
    let py = SVGNumber.format(yScale(y))
    appendPath("M\(SVGNumber.format(plotArea.minX)) \(py)H\(SVGNumber.format(plotArea.maxX))", style, className)
  }

  /// Adds a text label anchored at a data point (skipped when the point is non-finite).
  ///
  /// - Parameters:
  ///   - text: The text (escaped when rendered).
  ///   - point: The anchor in data units.
  ///   - anchor: Horizontal alignment.
  ///   - dx: Horizontal offset in user units.
  ///   - dy: Vertical offset of the baseline in user units (positive is down).
  ///   - fontSize: Font size; the theme's ``PlotTheme/tickFontSize`` when nil.
  ///   - className: The text's class.
  public mutating func addText(
    _ text: String, at point: PlotPoint, anchor: TextAnchor = .start, dx: Double = 0, dy: Double = 0,
    fontSize: Double? = nil, className: String = "label"
  ) {
    guard point.isFinite, dx.isFinite, dy.isFinite else { return }
    let (x, y) = position(point)
    appendText(text, x: x + dx, y: y + dy, anchor: anchor, fontSize: fontSize ?? theme.tickFontSize, fill: theme.ink,
               className: className)
  }

  /// Adds a centred note in the plotting area, e.g. "No data to plot".
  public mutating func addNote(_ text: String, className: String = "note") {
    appendText(text, x: plotArea.midX, y: plotArea.midY + theme.fontSize * 0.35, anchor: .middle,
               fontSize: theme.fontSize, fill: theme.grey, className: className)
  }

  /// The whole figure as an element tree: `<svg>` with `<title>` and `<desc>` first, then the
  /// axes and the data layers.
  ///
  /// - Parameters:
  ///   - title: The short accessible name (`<title>`).
  ///   - description: The alt text (`<desc>`).
  ///   - ids: The ids to use: `aria-labelledby` names the title, `aria-describedby` the desc.
  public func document(title: String, description: String, ids: FigureIDs) -> SVGElement {
    var root = PlotCanvas.root(
      width: layout.width, height: layout.height, title: title, description: description, ids: ids, theme: theme)
    var axes = SVGElement("g", ["class": "axes"])
    if visibleAxes.contains(.bottom) {
      axes.append(xAxis.element(position: .bottom, scale: xScale, plotArea: plotArea, theme: theme))
    }
    if visibleAxes.contains(.left) {
      axes.append(yAxis.element(position: .left, scale: yScale, plotArea: plotArea, theme: theme))
    }
    if !axes.children.isEmpty { root.append(axes) }
    var data = SVGElement("g", ["class": "data"])
    for layer in layers { data.append(layer) }
    if !layers.isEmpty { root.append(data) }
    return root
  }

  /// An empty figure: the accessible `<svg>` root with its `<title>` and `<desc>`, for charts
  /// without axes (a path diagram) and for ``document(title:description:ids:)``.
  ///
  /// - Parameters:
  ///   - width: Figure width in user units (finite, positive).
  ///   - height: Figure height in user units (finite, positive).
  ///   - title: The short accessible name (`<title>`).
  ///   - description: The alt text (`<desc>`).
  ///   - ids: The ids to use: `aria-labelledby` names the title, `aria-describedby` the desc
  ///     (each read once: the short name, then the description).
  ///   - theme: Supplies the font family.
  public static func root(
    width: Double, height: Double, title: String, description: String, ids: FigureIDs, theme: PlotTheme
  ) -> SVGElement {
    var root = SVGElement("svg", [
      "xmlns": "http://www.w3.org/2000/svg",
      "viewBox": "0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))",
      "role": "img",
      "aria-labelledby": ids.title,
      "aria-describedby": ids.description,
    ])
    root.set("class", "bordin-plot")
    root.set("width", width)
    root.set("height", height)
    root.set("font-family", theme.fontFamily)
    var titleElement = SVGElement("title", ["id": ids.title])
    titleElement.appendText(title)
    var descElement = SVGElement("desc", ["id": ids.description])
    descElement.appendText(description)
    root.append(titleElement)
    root.append(descElement)
    return root
  }

  /// The whole figure as SVG text (see ``document(title:description:ids:)``).
  public func svg(title: String, description: String, ids: FigureIDs) -> String {
    document(title: title, description: description, ids: ids).rendered()
  }

  /// Appends an open path; an unset fill becomes `none` so that lines are never filled.
  private mutating func appendPath(_ d: String, _ style: ShapeStyle, _ className: String) {
    var path = SVGElement("path", ["class": className, "d": d])
    var lineStyle = style
    if lineStyle.fill == nil { lineStyle.fill = "none" }
    lineStyle.apply(to: &path)
    layers.append(path)
  }

  private mutating func appendText(
    _ text: String, x: Double, y: Double, anchor: TextAnchor, fontSize: Double, fill: String, className: String
  ) {
    guard x.isFinite, y.isFinite else { return }
    var element = SVGElement("text", ["class": className])
    element.set("x", x)
    element.set("y", y)
    if anchor != .start { element.set("text-anchor", anchor.rawValue) }
    element.set("font-size", fontSize)
    element.set("fill", fill)
    element.appendText(text)
    layers.append(element)
  }
}
