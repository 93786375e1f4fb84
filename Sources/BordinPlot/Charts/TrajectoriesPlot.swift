/// Individual trajectories ("spaghetti") under model-implied mean lines by group, each with
/// its confidence band, a legend and axis titles.
///
/// ```
///  y │  ╱╲ ╱  faint, thin individual lines
///    │ ━━━━━━━━━━━  group 1 mean (solid), light band
///    │ ─ ─ ─ ─ ─ ─  group 2 mean (dashed), light band
///    └────────────── x
///      ━━ Control   ─ ─ Treatment   ── Individuals
/// ```
///
/// Groups are told apart without colour: by dash pattern (solid, dashed, dotted, …; see
/// ``GroupStyle``) and, with ``Palette/okabeIto``, also by colourblind-safe colour. Individual
/// lines are thin and grey (or in their group's colour, lightly), and fade as they get many, so
/// that density shows and the means stay readable on top.
///
/// Input is taken as it comes, and nothing crashes: lines are drawn in order of x and broken at
/// non-finite points; band rows with a non-finite value are skipped; no drawable data gives
/// empty axes and the note "No data to plot".
public struct TrajectoriesPlot: Sendable {
  /// One individual's observed (or fitted) trajectory.
  public struct Individual: Sendable, Equatable {
    /// The points, in any order (drawn by increasing x).
    public var points: [PlotPoint]
    /// The index of the individual's group in ``TrajectoriesPlot/groups``, used for its colour
    /// when ``TrajectoriesPlot/colourIndividualsByGroup`` is set.
    public var group: Int?

    /// Creates an individual trajectory.
    public init(points: [PlotPoint], group: Int? = nil) {
      self.points = points
      self.group = group
    }

    /// Creates an individual trajectory from paired x and y values (paired to the shorter).
    public init(x: [Double], y: [Double], group: Int? = nil) {
      self.init(points: zip(x, y).map { PlotPoint(x: $0, y: $1) }, group: group)
    }
  }

  /// A group's model-implied mean trajectory with an optional confidence band.
  public struct Group: Sendable, Equatable {
    /// The legend label, e.g. `Treatment`.
    public var label: String
    /// The mean line's vertices.
    public var points: [PlotPoint]
    /// The band: at each x (`at`), the lower and upper bound.
    public var band: [ErrorBar]

    /// Creates a group's mean line.
    public init(label: String, points: [PlotPoint], band: [ErrorBar] = []) {
      self.label = label
      self.points = points
      self.band = band
    }
  }

  /// The individual lines.
  public var individuals: [Individual]
  /// The groups' mean lines, in legend order.
  public var groups: [Group]
  /// Title of the x axis.
  public var xLabel: String
  /// Title of the y axis.
  public var yLabel: String
  /// Tick positions with labels for the x axis (e.g. waves named `Baseline`, `3 months`); nil
  /// for pretty numeric ticks.
  public var xTicks: [Tick]?
  /// The group colours; greyscale by default (groups differ by dash pattern).
  public var palette: Palette
  /// Draw each individual in its group's colour instead of grey.
  public var colourIndividualsByGroup: Bool
  /// Legend label of the individual lines (empty for no legend entry).
  public var individualsLabel: String
  /// Description of the bands for the alt text, e.g. `95% confidence bands`.
  public var bandDescription: String
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

  /// Creates a trajectories plot.
  ///
  /// - Parameters:
  ///   - individuals: Individual lines (spaghetti).
  ///   - groups: Mean lines with bands, one per group.
  ///   - xLabel: Title of the x axis.
  ///   - yLabel: Title of the y axis.
  ///   - xTicks: Optional x tick positions and labels.
  ///   - palette: Group colours (greyscale by default).
  ///   - colourIndividualsByGroup: Colour individual lines by their group.
  ///   - individualsLabel: Legend label of the individual lines.
  ///   - bandDescription: How the alt text names the bands.
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - height: Figure height.
  public init(
    individuals: [Individual] = [], groups: [Group] = [], xLabel: String = "", yLabel: String = "",
    xTicks: [Tick]? = nil, palette: Palette = .greyscale, colourIndividualsByGroup: Bool = false,
    individualsLabel: String = "Individuals", bandDescription: String = "95% confidence bands",
    title: String = "", description: String = "", idPrefix: String = "trajectories", width: Double = 520,
    height: Double = 380, theme: PlotTheme = .apa
  ) {
    self.individuals = individuals
    self.groups = groups
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xTicks = xTicks
    self.palette = palette
    self.colourIndividualsByGroup = colourIndividualsByGroup
    self.individualsLabel = individualsLabel
    self.bandDescription = bandDescription
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
    self.theme = theme
  }

  /// The style of group `index`.
  public func style(ofGroup index: Int) -> GroupStyle { GroupStyle.group(index, palette: palette) }

  /// Opacity of individual lines: 0.6 up to 20 lines, then falling as √(20/n) · 0.6 to 0.12.
  static func individualOpacity(count: Int) -> Double {
    count <= 20 ? 0.6 : max(0.12, 0.6 * (20 / Double(count)).squareRoot())
  }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let lines = individuals.map { ($0.group, $0.points.sortedByX()) }.filter { $0.1.contains(where: \.isFinite) }
    let means = groups.map { $0.points.sortedByX() }
    let bands = groups.map { group in
      group.band.filter { $0.at.isFinite && $0.lower.isFinite && $0.upper.isFinite }.sorted { $0.at < $1.at }
    }

    let drawn: [PlotPoint] = lines.flatMap { $0.1.filter(\.isFinite) } + means.flatMap { $0.filter(\.isFinite) }
    let bandRows: [ErrorBar] = bands.flatMap { $0 }
    let xs: [Double] = drawn.map(\.x) + bandRows.map(\.at)
    let ys: [Double] = drawn.map(\.y) + bandRows.map(\.lower) + bandRows.map(\.upper)
    let xAxis: Axis
    if let xTicks {
      let domain = (Interval.covering(xs + xTicks.map(\.value)) ?? Interval(0, 1)).widenedIfEmpty()
      xAxis = Axis(title: xLabel, domain: domain, ticks: xTicks)
    } else {
      xAxis = .linear(title: xLabel, covering: xs)
    }
    let yAxis = Axis.linear(title: yLabel, covering: ys)

    let opacity = TrajectoriesPlot.individualOpacity(count: lines.count)
    var entries: [LegendEntry] = []
    for (index, group) in groups.enumerated() where !group.label.isEmpty {
      let style = style(ofGroup: index)
      let line = style.line(width: 2)
      entries.append(LegendEntry(
        label: group.label,
        swatch: bands[index].count >= 2 ? .lineOverArea(line, bandStyle(style)) : .line(line)))
    }
    if !lines.isEmpty && !individualsLabel.isEmpty && !entries.isEmpty {
      entries.append(LegendEntry(label: individualsLabel, swatch: .line(.line(theme.grey, width: 0.8))))
    }
    let legend = Legend(entries: entries)
    let w = ChartSupport.size(width, minimum: 60, fallback: 520)
    let legendHeight = legend.height(maxWidth: w - 2 * theme.outerPadding, theme: theme)
    let extra = Margins(top: 0, right: 0, bottom: legendHeight > 0 ? legendHeight + theme.labelGap * 2 : 0, left: 0)
    let h = ChartSupport.size(height, minimum: 60, fallback: 380) + extra.bottom
    var canvas = PlotCanvas(width: w, height: h, xAxis: xAxis, yAxis: yAxis, theme: theme, extraMargins: extra)

    if !lines.isEmpty {
      var group = SVGElement("g", ["class": "individual-lines"])
      var groupStyle = ShapeStyle.line(theme.grey, width: 0.7)
      groupStyle.strokeOpacity = opacity
      if colourIndividualsByGroup { groupStyle.stroke = nil }
      groupStyle.apply(to: &group)
      group.set("stroke-linejoin", "round")
      for (groupIndex, points) in lines {
        let d = canvas.polylineData(points)
        guard !d.isEmpty else { continue }
        var path = SVGElement("path", ["d": d])
        if colourIndividualsByGroup {
          path.set("stroke", groupIndex.map { self.style(ofGroup: $0).colour } ?? theme.grey)
        }
        group.append(path)
      }
      canvas.addLayer(group)
    }
    for (index, band) in bands.enumerated() where band.count >= 2 {
      let outline = band.map { PlotPoint(x: $0.at, y: $0.upper) } + band.reversed().map { PlotPoint(x: $0.at, y: $0.lower) }
      canvas.addPolygon(outline, style: bandStyle(style(ofGroup: index)), className: "band")
    }
    // White halos under the mean lines (all of them first, so that no halo cuts another
    // group's line) keep the means readable over the individual lines.
    var halo = ShapeStyle.line("#ffffff", width: 4.5)
    halo.strokeOpacity = 0.85
    for points in means { canvas.addPolyline(points, style: halo, className: "mean-halo") }
    for (index, points) in means.enumerated() {
      canvas.addPolyline(points, style: style(ofGroup: index).line(width: 2), className: "mean-line")
    }
    if !legend.entries.isEmpty {
      canvas.addLayer(legend.element(centreX: canvas.plotArea.midX, y: canvas.belowXAxis + theme.labelGap * 2,
                                     maxWidth: w - 2 * theme.outerPadding, theme: theme))
    }
    if xs.isEmpty { canvas.addNote("No data to plot") }
    return canvas.document(
      title: title.isEmpty ? generatedTitle : title,
      description: description.isEmpty ? generatedDescription : description, ids: FigureIDs(prefix: idPrefix))
  }

  private func bandStyle(_ style: GroupStyle) -> ShapeStyle {
    .area(palette == .greyscale ? theme.ink : style.colour, opacity: palette == .greyscale ? 0.14 : 0.2)
  }

  private var generatedTitle: String {
    let y = yLabel.isEmpty ? "Trajectories" : "Trajectories of " + yLabel
    return xLabel.isEmpty ? y : y + " over " + xLabel
  }

  /// E.g. "Trajectories of Symptoms (vertical axis) over Week (horizontal axis): 60 individual
  /// lines and mean lines for 2 groups (Control, Treatment) with 95% confidence bands."
  var generatedDescription: String {
    var text = yLabel.isEmpty ? "Trajectories" : "Trajectories of " + yLabel + " (vertical axis)"
    if !xLabel.isEmpty { text += " over " + xLabel + " (horizontal axis)" }
    text += ": " + ChartSupport.count(individuals.count, "individual line", "individual lines")
    if !groups.isEmpty {
      text += " and mean lines for " + ChartSupport.count(groups.count, "group", "groups")
      let names = groups.map(\.label).filter { !$0.isEmpty }
      if !names.isEmpty { text += " (" + names.joined(separator: ", ") + ")" }
      if groups.contains(where: { $0.band.count >= 2 }) && !bandDescription.isEmpty { text += " with " + bandDescription }
    }
    return text + "."
  }
}

extension Array where Element == PlotPoint {
  /// The points stably sorted by x, non-finite x last (they break the line where they stand).
  func sortedByX() -> [PlotPoint] {
    enumerated().sorted { a, b in
      let ax = a.element.x.isFinite ? a.element.x : .infinity
      let bx = b.element.x.isFinite ? b.element.x : .infinity
      return ax == bx ? a.offset < b.offset : ax < bx
    }.map(\.element)
  }
}
