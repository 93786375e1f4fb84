/// Means by group over ordered categories (e.g. informants over waves): a marker per mean with
/// its confidence interval as an error bar, lines joining a group's means, groups dodged
/// slightly sideways so that their intervals do not hide each other, and a legend.
///
/// ```
///  y │        ●━━━━━━━━●          ● Mother  (solid, filled circle)
///    │   ○- - - - ○- - - -○        ○ Father  (dashed, open square)
///    │  ▲········▲·······▲         ▲ Child   (dotted, filled triangle)
///    └──┬────────┬───────┬──
///       T1       T2      T3
/// ```
///
/// The x axis is categorical: the caller gives the category labels in order, and each group
/// gives one mean (and interval) per category. Groups differ by marker, fill and dash (see
/// ``GroupStyle``), and by colour with ``Palette/okabeIto``. Category labels too wide for their
/// slot are set on two staggered lines.
///
/// The x axis line runs across the whole plotting area, half a category beyond the first and
/// last ticks, so that markers dodged sideways of the first or last category stay above it.
///
/// Input is taken as it comes, and nothing crashes: a non-finite mean draws no marker and breaks
/// the group's line; a non-finite bound draws no error bar; lists shorter or longer than the
/// categories are cut or padded with missing values; no drawable mean gives an empty plot with
/// the note "No data to plot".
public struct MeansPlot: Sendable {
  /// One group's means and interval bounds, one per category.
  public struct Group: Sendable, Equatable {
    /// The legend label, e.g. `Mother`.
    public var label: String
    /// The mean in each category.
    public var means: [Double]
    /// The lower interval bound in each category (empty for no error bars).
    public var lower: [Double]
    /// The upper interval bound in each category.
    public var upper: [Double]

    /// Creates a group.
    public init(label: String, means: [Double], lower: [Double] = [], upper: [Double] = []) {
      self.label = label
      self.means = means
      self.lower = lower
      self.upper = upper
    }
  }

  /// The category labels, in x order (e.g. `T1`, `T2`, `T3`).
  public var categories: [String]
  /// The groups, in legend order.
  public var groups: [Group]
  /// Title of the x axis.
  public var xLabel: String
  /// Title of the y axis.
  public var yLabel: String
  /// Horizontal distance between neighbouring groups' markers, in category widths (capped so
  /// that all groups stay within 60% of a category).
  public var dodge: Double
  /// Join each group's means with a line.
  public var connectsMeans: Bool
  /// The group colours; greyscale by default.
  public var palette: Palette
  /// How the alt text names the error bars, e.g. `95% confidence intervals`.
  public var intervalDescription: String
  /// The accessible name (`<title>`); generated when empty.
  public var title: String
  /// The alt text (`<desc>`); generated when empty.
  public var description: String
  /// The prefix of the figure's element ids.
  public var idPrefix: String
  /// Figure width in user units.
  public var width: Double
  /// Figure height in user units (a legend adds to it).
  public var height: Double
  /// The look of the figure.
  public var theme: PlotTheme

  /// Creates a means plot.
  ///
  /// - Parameters:
  ///   - categories: Category labels in x order.
  ///   - groups: The groups' means and bounds per category.
  ///   - xLabel: Title of the x axis.
  ///   - yLabel: Title of the y axis.
  ///   - dodge: Sideways distance between groups, in category widths.
  ///   - connectsMeans: Join a group's means with a line.
  ///   - palette: Group colours (greyscale by default).
  ///   - intervalDescription: How the alt text names the error bars.
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - height: Figure height.
  public init(
    categories: [String], groups: [Group], xLabel: String = "", yLabel: String = "", dodge: Double = 0.1,
    connectsMeans: Bool = true, palette: Palette = .greyscale,
    intervalDescription: String = "95% confidence intervals", title: String = "", description: String = "",
    idPrefix: String = "means", width: Double = 520, height: Double = 360, theme: PlotTheme = .apa
  ) {
    self.categories = categories
    self.groups = groups
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.dodge = dodge
    self.connectsMeans = connectsMeans
    self.palette = palette
    self.intervalDescription = intervalDescription
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
    self.theme = theme
  }

  /// The sideways offset of group `index` in category widths.
  func offset(ofGroup index: Int) -> Double {
    let count = groups.count
    guard count > 1 else { return 0 }
    let step = min(dodge.isFinite ? max(0, dodge) : 0.1, 0.6 / Double(count - 1))
    return (Double(index) - Double(count - 1) / 2) * step
  }

  /// The value at category `i` of `values`, or NaN when missing.
  private func value(_ values: [Double], _ i: Int) -> Double { i < values.count ? values[i] : .nan }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let n = categories.count
    let ys = groups.flatMap { group in
      (0..<n).flatMap { [value(group.means, $0), value(group.lower, $0), value(group.upper, $0)] }
    }
    let yAxis = Axis.linear(title: yLabel, covering: ys)
    let domain = Interval(-0.5, Double(max(n, 1)) - 0.5)
    let ticks = categories.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }

    var entries: [LegendEntry] = []
    for (index, group) in groups.enumerated() where !group.label.isEmpty {
      let style = GroupStyle.group(index, palette: palette)
      let line = style.line(width: 1.2)
      entries.append(LegendEntry(
        label: group.label,
        swatch: connectsMeans ? .lineAndMarker(line, style.marker, size: 3.5, style.markerStyle())
          : .marker(style.marker, size: 3.5, style.markerStyle())))
    }
    let legend = Legend(entries: entries)
    let w = ChartSupport.size(width, minimum: 60, fallback: 520)
    let h = ChartSupport.size(height, minimum: 60, fallback: 360)
    let legendHeight = legend.height(maxWidth: w - 2 * theme.outerPadding, theme: theme)
    let legendSpace = legendHeight > 0 ? legendHeight + theme.labelGap * 2 : 0

    // Category labels too wide for their slot go on two staggered lines.
    let font = theme.tickFontSize
    let probe = PlotCanvas(width: w, height: h, xAxis: Axis(title: xLabel, domain: domain, ticks: ticks), yAxis: yAxis,
                           theme: theme)
    let slot = n > 0 ? probe.plotArea.width / Double(n) : 0
    let widest = categories.map { TextMetrics.estimatedWidth($0, fontSize: font) }.max() ?? 0
    let stagger = n > 1 && widest > slot - 6
    // Staggered labels are drawn here, and so is the axis title below their second line.
    let titleSpace = xLabel.isEmpty ? 0 : theme.labelGap + theme.fontSize * 1.05
    let staggerSpace = stagger ? font * 1.2 + titleSpace : 0
    let xAxis = Axis(title: stagger ? "" : xLabel, domain: domain,
                     ticks: stagger ? ticks.map { Tick(value: $0.value, label: "") } : ticks)
    var canvas = PlotCanvas(
      width: w, height: h + legendSpace + staggerSpace, xAxis: xAxis, yAxis: yAxis, theme: theme,
      extraMargins: Margins(top: 0, right: 0, bottom: legendSpace + staggerSpace, left: 0))

    if n > 0 { canvas.addLayer(axisLineEnds(canvas: canvas, count: n)) }
    var drawnMeans = 0
    for (index, group) in groups.enumerated() {
      let style = GroupStyle.group(index, palette: palette)
      let shift = offset(ofGroup: index)
      let points = (0..<n).map { PlotPoint(x: Double($0) + shift, y: value(group.means, $0)) }
      let bars = (0..<n).map { ErrorBar(at: Double($0) + shift, lower: value(group.lower, $0), upper: value(group.upper, $0)) }
      var barStyle = ShapeStyle.line(style.colour, width: 1)
      barStyle.fill = nil
      canvas.addErrorBars(bars, orientation: .vertical, capWidth: 6, style: barStyle, className: "error-bars")
      if connectsMeans {
        canvas.addPolyline(points, style: style.line(width: 1.2), className: "group-line")
      }
      canvas.addPoints(points, shape: style.marker, size: 3.5, style: style.markerStyle(), className: "group-means")
      drawnMeans += points.filter(\.isFinite).count
    }
    if stagger {
      var labels = ChartSupport.textGroup(className: "category-labels", fontSize: font, fill: theme.ink, anchor: .middle)
      let baseline = canvas.plotArea.maxY + theme.axisOffset + theme.tickLength + theme.labelGap + font * 0.8
      for (index, label) in categories.enumerated() where !label.isEmpty {
        labels.append(ChartSupport.text(label, x: canvas.xScale(Double(index)),
                                        y: baseline + (index % 2 == 1 ? font * 1.2 : 0)))
      }
      canvas.addLayer(labels)
      if !xLabel.isEmpty {
        let y = baseline + font * 1.2 + font * 0.2 + theme.labelGap + theme.fontSize * 0.8
        canvas.addLayer(ChartSupport.text(xLabel, x: canvas.plotArea.midX, y: y, anchor: .middle,
                                          className: "axis-title", fontSize: theme.fontSize, fill: theme.ink))
      }
    }
    if !legend.entries.isEmpty {
      canvas.addLayer(legend.element(centreX: canvas.plotArea.midX, y: canvas.belowXAxis + staggerSpace + theme.labelGap * 2,
                                     maxWidth: w - 2 * theme.outerPadding, theme: theme))
    }
    if drawnMeans == 0 { canvas.addNote("No data to plot") }
    return canvas.document(
      title: title.isEmpty ? generatedTitle : title,
      description: description.isEmpty ? generatedDescription : description, ids: FigureIDs(prefix: idPrefix))
  }

  /// The x axis line's stretches outside the ticks, from the left edge of the first category's
  /// slot to the first tick and from the last tick to the right edge (the axis itself spans
  /// its ticks only, as R's `axis()` does).
  private func axisLineEnds(canvas: PlotCanvas, count n: Int) -> SVGElement {
    let y = SVGNumber.format(canvas.plotArea.maxY + theme.axisOffset)
    let x = canvas.xScale
    func f(_ v: Double) -> String { SVGNumber.format(x(v)) }
    let d = "M" + f(-0.5) + " " + y + "H" + f(0) + "M" + f(Double(n - 1)) + " " + y + "H" + f(Double(n) - 0.5)
    var path = SVGElement("path", ["class": "axis-line-ends", "d": d])
    ShapeStyle.line(theme.ink, width: theme.axisWidth).apply(to: &path)
    return path
  }

  private var generatedTitle: String {
    yLabel.isEmpty ? "Means by group" : "Means of " + yLabel + " by group"
  }

  /// E.g. "Means of Externalising (vertical axis) with 95% confidence intervals for 3 groups
  /// (Mother, Father, Teacher) at 4 categories of Wave (T1, T2, T3, T4)."
  var generatedDescription: String {
    var text = yLabel.isEmpty ? "Means" : "Means of " + yLabel + " (vertical axis)"
    let hasBars = groups.contains { !$0.lower.isEmpty && !$0.upper.isEmpty }
    if hasBars && !intervalDescription.isEmpty { text += " with " + intervalDescription }
    text += " for " + ChartSupport.count(groups.count, "group", "groups")
    let names = groups.map(\.label).filter { !$0.isEmpty }
    if !names.isEmpty { text += " (" + names.joined(separator: ", ") + ")" }
    text += " at " + ChartSupport.count(categories.count, "category", "categories")
    if !xLabel.isEmpty { text += " of " + xLabel }
    let shown = categories.filter { !$0.isEmpty }
    if !shown.isEmpty && shown.count <= 20 { text += " (" + shown.joined(separator: ", ") + ")" }
    return text + "."
  }
}
