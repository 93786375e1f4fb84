/// The classic Jacobson plot of reliable and clinically significant change: each patient's score
/// after treatment (y) against the score before (x), with the line of no change (y = x), the band
/// of unreliable change (dashed lines y = x ± the smallest reliable change) and the cutoff as a
/// vertical and a horizontal dotted line; a marker per category, keyed in a legend below.
///
/// ```
///  post │ ●  ●     ┊   ╱ ╱ ╱
///       │   ●  ○   ┊  ╱ ╱ ╱        ● recovered  ○ improved
///  c ---│----------┼-╱-╱-╱------   □ unchanged  △ deteriorated
///       │          ┊╱ ╱ ╱
///       └──────────┴──────── pre
/// ```
///
/// The caller classifies the patients and computes the band and cutoff; the plot only draws
/// them. Both axes share one domain (covering every score and the cutoff), so the diagonal is at
/// 45° in a square plotting area. Input is taken as it comes: points with a non-finite score
/// are skipped, a category index outside ``categories`` is drawn with the last style, a
/// non-finite band or cutoff is not drawn, and no drawable data gives the note "No data to plot".
///
/// Reference: Jacobson, N. S., & Truax, P. (1991), *Journal of Consulting and Clinical
/// Psychology, 59*, 12–19, Figure 1.
public struct ChangePlot: Sendable {
  /// Scores before treatment (x).
  public var pre: [Double]
  /// Scores after treatment (y), paired with ``pre`` by index.
  public var post: [Double]
  /// Each patient's category, an index into ``categories``.
  public var category: [Int]
  /// The category names in legend order (e.g. Recovered, Improved, Unchanged, Deteriorated).
  public var categories: [String]
  /// Half-width of the band of unreliable change, in score points (1.96 · S_diff); nil for none.
  public var band: Double?
  /// The cutoff score; nil for none.
  public var cutoff: Double?
  /// The cutoff's label, e.g. `c = 58.33`.
  public var cutoffLabel: String
  /// Axis titles.
  public var xLabel: String
  public var yLabel: String
  /// The accessible name (`<title>`); generated when empty.
  public var title: String
  /// The alt text (`<desc>`); generated when empty.
  public var description: String
  /// The prefix of the figure's element ids.
  public var idPrefix: String
  public var width: Double
  public var height: Double
  public var theme: PlotTheme

  /// Creates a Jacobson plot.
  public init(
    pre: [Double], post: [Double], category: [Int], categories: [String], band: Double? = nil, cutoff: Double? = nil,
    cutoffLabel: String = "", xLabel: String = "Before", yLabel: String = "After", title: String = "",
    description: String = "", idPrefix: String = "change", width: Double = 480, height: Double = 480,
    theme: PlotTheme = .apa
  ) {
    self.pre = pre
    self.post = post
    self.category = category
    self.categories = categories
    self.band = band
    self.cutoff = cutoff
    self.cutoffLabel = cutoffLabel
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
    self.theme = theme
  }

  /// The points that will be drawn with their category index (clamped to the styles).
  var drawable: [(point: PlotPoint, category: Int)] {
    let n = min(pre.count, post.count, category.count)
    let last = max(categories.count - 1, 0)
    return (0..<n).map { (PlotPoint(x: pre[$0], y: post[$0]), min(max(category[$0], 0), last)) }.filter { $0.point.isFinite }
  }

  /// Marker and style of category `k`: filled circle, open circle, open square, open triangle.
  func marker(_ k: Int) -> (MarkerShape, ShapeStyle, Double) {
    switch k % 4 {
    case 0: return (.circle, ShapeStyle(stroke: theme.ink, strokeWidth: 0.8, fill: theme.ink), 2.6)
    case 1: return (.circle, ShapeStyle(stroke: theme.ink, strokeWidth: 0.9, fill: "none"), 2.8)
    case 2: return (.square, ShapeStyle(stroke: theme.grey, strokeWidth: 0.8, fill: "none"), 2.2)
    default: return (.triangle, ShapeStyle(stroke: theme.ink, strokeWidth: 0.9, fill: "none"), 2.8)
    }
  }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let points = drawable
    let band = self.band.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
    let cutoff = self.cutoff.flatMap { $0.isFinite ? $0 : nil }
    let values = points.flatMap { [$0.point.x, $0.point.y] } + (cutoff.map { [$0] } ?? [])
    let xAxis = Axis.linear(title: xLabel, covering: values)
    let yAxis = Axis.linear(title: yLabel, covering: values)

    var entries: [LegendEntry] = []
    for (k, name) in categories.enumerated() {
      let (shape, style, size) = marker(k)
      let count = points.filter { $0.category == k }.count
      entries.append(LegendEntry(label: "\(name) (\(count))", swatch: .marker(shape, size: size, style)))
    }
    if band != nil { entries.append(LegendEntry(label: "Reliable change limits", swatch: .line(.line(theme.grey, width: 1, dash: [5, 3])))) }
    if cutoff != nil { entries.append(LegendEntry(label: cutoffLabel.isEmpty ? "Cutoff" : "Cutoff " + cutoffLabel,
                                                  swatch: .line(.line(theme.ink, width: 1, dash: [1.5, 2.5])))) }
    let legend = Legend(entries: entries)
    let w = ChartSupport.size(width, minimum: 60, fallback: 480)
    let h = ChartSupport.size(height, minimum: 60, fallback: 480)
    let legendHeight = legend.height(maxWidth: w - 2 * theme.outerPadding, theme: theme)
    let legendSpace = legendHeight > 0 ? legendHeight + theme.labelGap * 2 : 0
    var canvas = PlotCanvas(width: w, height: h + legendSpace, xAxis: xAxis, yAxis: yAxis, theme: theme,
                            extraMargins: Margins(top: 0, right: 0, bottom: legendSpace, left: 0))

    // Lines y = x + k, clipped to the shared domain.
    let lo = max(xAxis.domain.lower, yAxis.domain.lower), hi = min(xAxis.domain.upper, yAxis.domain.upper)
    func diagonal(_ k: Double, _ style: ShapeStyle, _ className: String) {
      let a = max(lo, lo - k), b = min(hi, hi - k)
      guard a < b else { return }
      canvas.addPolyline([PlotPoint(x: a, y: a + k), PlotPoint(x: b, y: b + k)], style: style, className: className)
    }
    if let band {
      diagonal(band, .line(theme.grey, width: 1, dash: [5, 3]), "rci-upper")
      diagonal(-band, .line(theme.grey, width: 1, dash: [5, 3]), "rci-lower")
    }
    if !points.isEmpty || cutoff != nil { diagonal(0, .line(theme.grey, width: 1), "no-change") }
    if let cutoff {
      canvas.addReferenceLine(x: cutoff, style: .line(theme.ink, width: 1, dash: [1.5, 2.5]), className: "cutoff-x")
      canvas.addReferenceLine(y: cutoff, style: .line(theme.ink, width: 1, dash: [1.5, 2.5]), className: "cutoff-y")
    }
    for k in categories.indices {
      let group = points.filter { $0.category == k }.map(\.point)
      guard !group.isEmpty else { continue }
      let (shape, style, size) = marker(k)
      var s = style
      let opacity = ScatterPlot.pointOpacity(count: points.count)
      if opacity < 1 { s.strokeOpacity = opacity }
      canvas.addPoints(group, shape: shape, size: size, style: s, className: "points category-\(k)")
    }
    if !legend.entries.isEmpty {
      canvas.addLayer(legend.element(centreX: canvas.plotArea.midX, y: canvas.belowXAxis + theme.labelGap * 2,
                                     maxWidth: w - 2 * theme.outerPadding, theme: theme))
    }
    if points.isEmpty { canvas.addNote("No data to plot") }
    return canvas.document(
      title: title.isEmpty ? "Reliable and clinically significant change" : title,
      description: description.isEmpty ? generatedDescription : description, ids: FigureIDs(prefix: idPrefix))
  }

  /// E.g. "Jacobson plot of 339 patients, After (vertical axis) against Before (horizontal
  /// axis): Recovered 105, Improved 53, Unchanged 162, Deteriorated 19; dashed lines 7.85 points
  /// either side of no change mark reliable change, dotted lines the cutoff c = 58.33."
  var generatedDescription: String {
    let points = drawable
    var text = "Jacobson plot of " + ChartSupport.count(points.count, "patient", "patients") + ", "
    text += (yLabel.isEmpty ? "after" : yLabel) + " (vertical axis) against " + (xLabel.isEmpty ? "before" : xLabel) + " (horizontal axis)"
    if !categories.isEmpty {
      var parts: [String] = []
      for (k, name) in categories.enumerated() { parts.append("\(name) \(points.filter { $0.category == k }.count)") }
      text += ": " + parts.joined(separator: ", ")
    }
    if let band, band.isFinite, band > 0 {
      text += "; dashed lines " + ChartSupport.number(band) + " points either side of no change mark reliable change"
    }
    if let cutoff, cutoff.isFinite {
      text += (band == nil ? "; " : ", ") + "dotted lines the cutoff " + (cutoffLabel.isEmpty ? ChartSupport.number(cutoff) : cutoffLabel)
    }
    return text + "."
  }
}
