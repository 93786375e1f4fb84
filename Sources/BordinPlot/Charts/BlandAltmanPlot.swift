/// A Bland–Altman plot: for each pair of ratings, their difference (y) against their mean (x),
/// with a solid line at the mean difference (bias) and dashed lines at the limits of agreement,
/// each labelled at the right (`Bias 0.22`, `+1.96 SD 1.21`, `−1.96 SD −0.77`).
///
/// ```
///   1.5 ┤ ○    ○          - - - - - - - - +1.96 SD 1.21
///       │   ○ ○  ○ ○ ○    ─────────────── Bias 0.22
///  −0.5 ┤  ○  ○     ○     - - - - - - - - −1.96 SD −0.77
///       └──────────────
///         Mean of the two ratings
/// ```
///
/// The caller computes the bias and limits and formats the labels. Labels that would overlap
/// (close limits) are pushed apart vertically; the right margin widens to fit them.
///
/// Input is taken as it comes, and nothing crashes: means and differences are paired up to
/// the shorter list; pairs with a non-finite value are skipped, as are non-finite lines; no
/// drawable data gives empty axes and the note "No data to plot".
public struct BlandAltmanPlot: Sendable {
  /// The mean of each pair of ratings (x).
  public var means: [Double]
  /// The difference within each pair (y), paired with ``means`` by index.
  public var differences: [Double]
  /// The mean difference; nil for no line.
  public var bias: Double?
  /// The lower limit of agreement; nil for no line.
  public var lowerLimit: Double?
  /// The upper limit of agreement; nil for no line.
  public var upperLimit: Double?
  /// The label of the bias line, e.g. `Bias 0.22`.
  public var biasLabel: String
  /// The label of the lower limit, e.g. `−1.96 SD −0.77`.
  public var lowerLabel: String
  /// The label of the upper limit, e.g. `+1.96 SD 1.21`.
  public var upperLabel: String
  /// Title of the x axis.
  public var xLabel: String
  /// Title of the y axis.
  public var yLabel: String
  /// The accessible name (`<title>`); generated when empty.
  public var title: String
  /// The alt text (`<desc>`); generated when empty.
  public var description: String
  /// The prefix of the figure's element ids.
  public var idPrefix: String
  /// Figure width in user units.
  public var width: Double
  /// Figure height in user units.
  public var height: Double
  /// The look of the figure.
  public var theme: PlotTheme

  /// Creates a Bland–Altman plot.
  ///
  /// - Parameters:
  ///   - means: The mean of each pair.
  ///   - differences: The difference of each pair.
  ///   - bias: The mean difference.
  ///   - lowerLimit: The lower limit of agreement.
  ///   - upperLimit: The upper limit of agreement.
  ///   - biasLabel: Label of the bias line.
  ///   - lowerLabel: Label of the lower limit.
  ///   - upperLabel: Label of the upper limit.
  ///   - xLabel: Title of the x axis.
  ///   - yLabel: Title of the y axis.
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - height: Figure height.
  public init(
    means: [Double], differences: [Double], bias: Double? = nil, lowerLimit: Double? = nil,
    upperLimit: Double? = nil, biasLabel: String = "", lowerLabel: String = "", upperLabel: String = "",
    xLabel: String = "Mean of the two ratings", yLabel: String = "Difference between ratings", title: String = "",
    description: String = "", idPrefix: String = "bland-altman", width: Double = 520, height: Double = 360,
    theme: PlotTheme = .apa
  ) {
    self.means = means
    self.differences = differences
    self.bias = bias
    self.lowerLimit = lowerLimit
    self.upperLimit = upperLimit
    self.biasLabel = biasLabel
    self.lowerLabel = lowerLabel
    self.upperLabel = upperLabel
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
    self.theme = theme
  }

  /// The pairs that will be drawn, as (mean, difference).
  public var drawablePoints: [PlotPoint] {
    zip(means, differences).map { PlotPoint(x: $0, y: $1) }.filter(\.isFinite)
  }

  /// The horizontal lines that will be drawn: value, label, dashed, class; top to bottom.
  var lines: [(value: Double, label: String, dashed: Bool, className: String)] {
    var lines: [(value: Double, label: String, dashed: Bool, className: String)] = []
    if let upperLimit, upperLimit.isFinite { lines.append((upperLimit, upperLabel, true, "upper-limit")) }
    if let bias, bias.isFinite { lines.append((bias, biasLabel, false, "bias")) }
    if let lowerLimit, lowerLimit.isFinite { lines.append((lowerLimit, lowerLabel, true, "lower-limit")) }
    return lines
  }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let points = drawablePoints
    let lines = lines
    let font = theme.tickFontSize
    let xAxis = Axis.linear(title: xLabel, covering: points.map(\.x))
    let yAxis = Axis.linear(title: yLabel, covering: points.map(\.y) + lines.map(\.value))
    let labelWidth = lines.map { TextMetrics.estimatedWidth($0.label, fontSize: font) }.max() ?? 0
    let extra = Margins(top: 0, right: labelWidth > 0 ? labelWidth + 8 : 0, bottom: 0, left: 0)
    var canvas = PlotCanvas(
      width: ChartSupport.size(width, minimum: 60, fallback: 520),
      height: ChartSupport.size(height, minimum: 60, fallback: 360), xAxis: xAxis, yAxis: yAxis, theme: theme,
      extraMargins: extra)

    for line in lines {
      canvas.addReferenceLine(
        y: line.value, style: .line(line.dashed ? theme.grey : theme.ink, width: 1, dash: line.dashed ? [5, 3] : nil),
        className: line.className)
    }
    if !points.isEmpty {
      var style = ShapeStyle(stroke: theme.ink, strokeWidth: 0.8, fill: "none")
      let opacity = ScatterPlot.pointOpacity(count: points.count)
      if opacity < 1 { style.strokeOpacity = opacity }
      canvas.addPoints(points, size: points.count > 500 ? 2 : 2.5, style: style, className: "points")
    }

    // Labels right of the plotting area, pushed apart where lines are close.
    let labelled = lines.filter { !$0.label.isEmpty }
    if !labelled.isEmpty {
      let gap = font * 1.15
      var ys = labelled.map { canvas.yScale($0.value) }
      for i in ys.indices.dropFirst() where ys[i] < ys[i - 1] + gap { ys[i] = ys[i - 1] + gap }
      let overflow = (ys.last ?? 0) - (canvas.plotArea.maxY + theme.axisOffset)
      if overflow > 0 { ys = ys.map { $0 - overflow } }
      var group = ChartSupport.textGroup(className: "line-labels", fontSize: font, fill: theme.ink)
      for (line, y) in zip(labelled, ys) {
        group.append(ChartSupport.text(line.label, x: canvas.plotArea.maxX + 6, y: y + font * 0.35,
                                       className: line.className))
      }
      canvas.addLayer(group)
    }
    if points.isEmpty && lines.isEmpty { canvas.addNote("No data to plot") }
    return canvas.document(
      title: title.isEmpty ? "Bland–Altman plot" : title,
      description: description.isEmpty ? generatedDescription : description, ids: FigureIDs(prefix: idPrefix))
  }

  /// E.g. "Bland–Altman plot of 40 pairs of ratings: Difference between ratings (vertical axis)
  /// against Mean of the two ratings (horizontal axis), with lines at +1.96 SD 1.21, Bias 0.22
  /// and −1.96 SD −0.77."
  var generatedDescription: String {
    var text = "Bland–Altman plot of " + ChartSupport.count(drawablePoints.count, "pair", "pairs") + " of ratings: "
    text += (yLabel.isEmpty ? "difference" : yLabel) + " (vertical axis) against "
    text += (xLabel.isEmpty ? "mean" : xLabel) + " (horizontal axis)"
    let names = lines.map { line -> String in
      if !line.label.isEmpty { return line.label }
      let kind = line.className == "bias" ? "bias" : line.className == "upper-limit" ? "upper limit" : "lower limit"
      return kind + " " + ChartSupport.number(line.value)
    }
    switch names.count {
    case 0: break
    case 1: text += ", with a line at " + names[0]
    default: text += ", with lines at " + names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }
    return text + "."
  }
}
