/// A forest plot: one row per study (a square sized by weight on its confidence interval),
/// optional subgroup blocks with their own summary diamonds, the pooled diamond with an optional
/// prediction interval, a reference line at the null, and text columns on the right.
///
/// ```
/// Study                                   Estimate [95% CI]   Weight
/// Adams 2019          ──■──                  0.21 [0.05, 0.36]   8.1%
/// Baker 2020       ───■────                   0.10 [−0.12, 0.31]   5.2%
/// …
/// RE model        ├──◆──┤                    0.15 [0.09, 0.21]  100%
///              ─┬────┬────┬────┬─
///             −0.2   0   0.2  0.4
///                 Correlation (r)
/// ```
///
/// BordinPlot knows no statistics: the caller passes estimates and interval bounds on the
/// plotted scale, weights in percent, and the text of the right-hand columns already formatted
/// (so that the report layer decides the number style, e.g. correlations back-transformed from
/// Fisher's z). Tick positions may be given with their own labels (`z` positions labelled as `r`).
///
/// Rows are ``rowHeight`` apart and the figure grows with their number; the width grows when
/// long labels or columns would leave the plotting area narrower than 160 units.
///
/// Input is taken as it comes, and nothing crashes: a study with a non-finite estimate or bound
/// keeps its row and text but draws no square or line; with ``xLimits``, intervals running past
/// the limits end in an arrow; no rows at all give an empty axis and the note "No data to plot".
public struct ForestPlot: Sendable {
  /// One study row.
  public struct Study: Sendable, Equatable {
    /// The row label, e.g. `Adams (2019)`.
    public var label: String
    /// The point estimate on the plotted scale.
    public var estimate: Double
    /// The lower confidence bound on the plotted scale.
    public var lower: Double
    /// The upper confidence bound on the plotted scale.
    public var upper: Double
    /// The weight in percent (the square's area is proportional to it); nil for equal squares.
    public var weight: Double?
    /// The text of the estimate column, e.g. `0.21 [0.05, 0.36]`.
    public var estimateText: String
    /// The text of the weight column, e.g. `8.1%`.
    public var weightText: String

    /// Creates a study row.
    public init(
      label: String, estimate: Double, lower: Double, upper: Double, weight: Double? = nil,
      estimateText: String = "", weightText: String = ""
    ) {
      self.label = label
      self.estimate = estimate
      self.lower = lower
      self.upper = upper
      self.weight = weight
      self.estimateText = estimateText
      self.weightText = weightText
    }
  }

  /// A summary row drawn as a diamond: the pooled estimate or a subgroup's.
  public struct Summary: Sendable, Equatable {
    /// The row label, e.g. `RE model` or `Subtotal`.
    public var label: String
    /// The summary estimate (the diamond's centre).
    public var estimate: Double
    /// The lower confidence bound (the diamond's left tip).
    public var lower: Double
    /// The upper confidence bound (the diamond's right tip).
    public var upper: Double
    /// The text of the estimate column.
    public var estimateText: String
    /// The text of the weight column (often `100%` or a subgroup's share).
    public var weightText: String
    /// The lower bound of the prediction interval, drawn as a whiskered line through the diamond.
    public var predictionLower: Double?
    /// The upper bound of the prediction interval.
    public var predictionUpper: Double?
    /// The label of an extra row under the diamond showing ``predictionText`` (only when that
    /// text is non-empty).
    public var predictionLabel: String
    /// The prediction interval as text for the estimate column, e.g. `[−0.05, 0.35]`.
    public var predictionText: String

    /// Creates a summary row.
    public init(
      label: String, estimate: Double, lower: Double, upper: Double, estimateText: String = "",
      weightText: String = "", predictionLower: Double? = nil, predictionUpper: Double? = nil,
      predictionLabel: String = "Prediction interval", predictionText: String = ""
    ) {
      self.label = label
      self.estimate = estimate
      self.lower = lower
      self.upper = upper
      self.estimateText = estimateText
      self.weightText = weightText
      self.predictionLower = predictionLower
      self.predictionUpper = predictionUpper
      self.predictionLabel = predictionLabel
      self.predictionText = predictionText
    }

    /// Whether a prediction interval with two finite bounds is given.
    public var hasPredictionInterval: Bool {
      guard let low = predictionLower, let high = predictionUpper else { return false }
      return low.isFinite && high.isFinite
    }
  }

  /// A block of studies under a bold header, with an optional summary diamond.
  public struct Subgroup: Sendable, Equatable {
    /// The header, e.g. `Adolescents`.
    public var label: String
    /// The studies of the block.
    public var studies: [Study]
    /// The subgroup's summary, drawn as a grey diamond after its studies.
    public var summary: Summary?

    /// Creates a subgroup block.
    public init(label: String, studies: [Study], summary: Summary? = nil) {
      self.label = label
      self.studies = studies
      self.summary = summary
    }
  }

  /// Studies outside any subgroup, drawn first.
  public var studies: [Study]
  /// Subgroup blocks, drawn after the ungrouped studies.
  public var subgroups: [Subgroup]
  /// The overall summary, drawn last as a black diamond.
  public var pooled: Summary?
  /// Where the vertical reference line is drawn (0 for differences and correlations; 1 for
  /// ratios on the raw scale); nil for none.
  public var nullValue: Double?
  /// Title of the x axis.
  public var xLabel: String
  /// Tick positions (on the plotted scale) with their labels, e.g. z positions labelled with r
  /// values; nil for pretty ticks labelled with their values.
  public var ticks: [Tick]?
  /// The x range to show; intervals beyond it are cut and end in an arrow. Nil to cover all
  /// intervals.
  public var xLimits: Interval?
  /// The text under the axis left of the null line, e.g. `Favours control` (drawn after an arrow
  /// pointing left; empty for none).
  public var favoursLeft: String
  /// The text under the axis right of the null line, e.g. `Favours treatment` (drawn before an
  /// arrow pointing right; empty for none).
  public var favoursRight: String
  /// Heading of the label column (empty for none).
  public var labelHeader: String
  /// Heading of the estimate column (empty for none).
  public var estimateHeader: String
  /// Heading of the weight column (empty for none).
  public var weightHeader: String
  /// The accessible name (`<title>`); generated when empty.
  public var title: String
  /// The alt text (`<desc>`); generated when empty.
  public var description: String
  /// The prefix of the figure's element ids.
  public var idPrefix: String
  /// Figure width in user units (grown when the plotting area would be too narrow).
  public var width: Double
  /// Height of one row in user units.
  public var rowHeight: Double
  /// The look of the figure.
  public var theme: PlotTheme

  /// Creates a forest plot.
  ///
  /// - Parameters:
  ///   - studies: Study rows outside any subgroup.
  ///   - subgroups: Subgroup blocks (header, studies, optional diamond).
  ///   - pooled: The overall summary diamond, with an optional prediction interval.
  ///   - nullValue: Position of the reference line; nil for none.
  ///   - xLabel: Title of the x axis, e.g. `Correlation (r)`.
  ///   - ticks: Tick positions and labels; nil for pretty ticks.
  ///   - xLimits: The x range shown; nil to cover every interval.
  ///   - favoursLeft: Text under the axis left of the null line (empty for none).
  ///   - favoursRight: Text under the axis right of the null line (empty for none).
  ///   - labelHeader: Heading of the label column.
  ///   - estimateHeader: Heading of the estimate column.
  ///   - weightHeader: Heading of the weight column.
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated from the rows and the pooled estimate when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - rowHeight: Height of one row.
  public init(
    studies: [Study] = [], subgroups: [Subgroup] = [], pooled: Summary? = nil, nullValue: Double? = 0,
    xLabel: String = "", ticks: [Tick]? = nil, xLimits: Interval? = nil, favoursLeft: String = "", favoursRight: String = "", labelHeader: String = "Study",
    estimateHeader: String = "Estimate [95% CI]", weightHeader: String = "Weight", title: String = "",
    description: String = "", idPrefix: String = "forest", width: Double = 640, rowHeight: Double = 20,
    theme: PlotTheme = .apa
  ) {
    self.studies = studies
    self.subgroups = subgroups
    self.pooled = pooled
    self.nullValue = nullValue
    self.xLabel = xLabel
    self.ticks = ticks
    self.xLimits = xLimits
    self.favoursLeft = favoursLeft
    self.favoursRight = favoursRight
    self.labelHeader = labelHeader
    self.estimateHeader = estimateHeader
    self.weightHeader = weightHeader
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.rowHeight = rowHeight
    self.theme = theme
  }

  /// The kinds of rows, top to bottom.
  enum Row: Equatable {
    case study(Study)
    case subgroupHeader(String)
    case summary(Summary, pooled: Bool)
    case prediction(label: String, text: String)
    case spacer
  }

  /// The rows in drawing order.
  var rows: [Row] {
    var rows: [Row] = studies.map { .study($0) }
    for group in subgroups {
      if !rows.isEmpty { rows.append(.spacer) }
      rows.append(.subgroupHeader(group.label))
      rows += group.studies.map { .study($0) }
      if let summary = group.summary { rows += summaryRows(summary, pooled: false) }
    }
    if let pooled {
      if !rows.isEmpty { rows.append(.spacer) }
      rows += summaryRows(pooled, pooled: true)
    }
    return rows
  }

  private func summaryRows(_ summary: Summary, pooled: Bool) -> [Row] {
    var rows: [Row] = [.summary(summary, pooled: pooled)]
    if !summary.predictionText.isEmpty {
      rows.append(.prediction(label: summary.predictionLabel, text: summary.predictionText))
    }
    return rows
  }

  /// Every study, ungrouped first, then by subgroup.
  public var allStudies: [Study] { studies + subgroups.flatMap(\.studies) }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let rows = rows
    let rowH = ChartSupport.size(rowHeight, minimum: 8, fallback: 20)
    let font = theme.tickFontSize
    let summaries = rows.compactMap { row -> Summary? in
      if case .summary(let s, _) = row { return s }
      return nil
    }

    // The x axis.
    var values: [Double] = []
    for study in allStudies { values += [study.estimate, study.lower, study.upper] }
    for summary in summaries {
      values += [summary.estimate, summary.lower, summary.upper]
      if summary.hasPredictionInterval { values += [summary.predictionLower ?? 0, summary.predictionUpper ?? 0] }
    }
    if let nullValue, nullValue.isFinite { values.append(nullValue) }
    let axis = xAxis(covering: values)

    // Columns: labels left, estimate and weight text right.
    let labelTexts = rows.map(rowLabel) + (rows.isEmpty ? [] : [labelHeader])
    let labelWidth = labelTexts.map { TextMetrics.estimatedWidth($0, fontSize: font) }.max() ?? 0
    let estimateTexts = rows.map(estimateText)
    let weightTexts = rows.map(weightText)
    let hasEstimateColumn = estimateTexts.contains { !$0.isEmpty }
    let hasWeightColumn = weightTexts.contains { !$0.isEmpty }
    let estimateWidth = hasEstimateColumn
      ? (estimateTexts + [estimateHeader]).map { TextMetrics.estimatedWidth($0, fontSize: font) }.max() ?? 0 : 0
    let weightWidth = hasWeightColumn
      ? (weightTexts + [weightHeader]).map { TextMetrics.estimatedWidth($0, fontSize: font) }.max() ?? 0 : 0
    let columnGap = 16.0
    let hasHeadings = !rows.isEmpty
      && (!labelHeader.isEmpty || (hasEstimateColumn && !estimateHeader.isEmpty)
        || (hasWeightColumn && !weightHeader.isEmpty))

    let hiddenY = Axis(title: "", domain: Interval(0, Double(max(rows.count, 1))), ticks: [])
    let probe = PlotLayout.fitting(width: 640, height: 480, xAxis: axis, yAxis: hiddenY, theme: theme)
    let pad = theme.outerPadding
    let leftNeeded = labelWidth > 0 ? pad + labelWidth + columnGap : pad
    var rightNeeded = pad
    if hasEstimateColumn { rightNeeded += columnGap + estimateWidth }
    if hasWeightColumn { rightNeeded += columnGap + weightWidth }
    let hasFavours = !favoursLeft.isEmpty || !favoursRight.isEmpty
    let favoursSpace = hasFavours ? theme.labelGap + font * 1.3 : 0
    let extra = Margins(
      top: hasHeadings ? rowH * 1.2 : 0, right: max(0, rightNeeded - probe.margins.right), bottom: favoursSpace,
      left: max(0, leftNeeded - probe.margins.left))
    let marginsX = probe.margins.left + probe.margins.right + extra.left + extra.right
    let figureWidth = max(ChartSupport.size(width, minimum: 60, fallback: 640), marginsX + 160)
    let plotHeight = Double(max(rows.count, 1)) * rowH
    let figureHeight = probe.margins.top + probe.margins.bottom + extra.top + extra.bottom + plotHeight

    var canvas = PlotCanvas(
      width: figureWidth, height: figureHeight, xAxis: axis, yAxis: hiddenY, theme: theme, extraMargins: extra,
      visibleAxes: [.bottom])
    let area = canvas.plotArea
    let x = canvas.xScale
    let domain = axis.domain
    let rowsFrame = RowFrame(area: area, rowHeight: rowH, x: x, domain: domain)
    func rowMid(_ index: Int) -> Double { rowsFrame.mid(index) }

    if let nullValue, nullValue.isFinite, domain.contains(nullValue), !rows.isEmpty {
      canvas.addReferenceLine(x: nullValue, style: .line(theme.grey, width: 0.8), className: "reference-line")
    }

    drawStudies(on: &canvas, frame: rowsFrame)
    if hasFavours && !rows.isEmpty { canvas.addLayer(favoursLabels(canvas: canvas, figureWidth: figureWidth)) }
    drawSummaries(on: &canvas, frame: rowsFrame)

    // Text: headings, labels, columns.
    let labelX = pad
    let estimateRight = area.maxX + columnGap + estimateWidth
    let weightRight = (hasEstimateColumn ? estimateRight : area.maxX) + columnGap + weightWidth
    let baseline = font * 0.35
    if hasHeadings {
      var headings = ChartSupport.textGroup(className: "column-headings", fontSize: font, fill: theme.ink)
      headings.set("font-weight", "bold")
      let y = area.minY - rowH * 0.7 + baseline
      if !labelHeader.isEmpty { headings.append(ChartSupport.text(labelHeader, x: labelX, y: y)) }
      if hasEstimateColumn && !estimateHeader.isEmpty {
        headings.append(ChartSupport.text(estimateHeader, x: estimateRight, y: y, anchor: .end))
      }
      if hasWeightColumn && !weightHeader.isEmpty {
        headings.append(ChartSupport.text(weightHeader, x: weightRight, y: y, anchor: .end))
      }
      canvas.addLayer(headings)
    }
    var labels = ChartSupport.textGroup(className: "row-labels", fontSize: font, fill: theme.ink)
    var estimates = ChartSupport.textGroup(className: "estimate-column", fontSize: font, fill: theme.ink, anchor: .end)
    var weightColumn = ChartSupport.textGroup(className: "weight-column", fontSize: font, fill: theme.ink, anchor: .end)
    for (index, row) in rows.enumerated() {
      let y = rowMid(index) + baseline
      let bold: Bool
      let className: String
      switch row {
      case .study: (bold, className) = (false, "study-label")
      case .subgroupHeader: (bold, className) = (true, "subgroup-label")
      case .summary: (bold, className) = (true, "summary-label")
      case .prediction: (bold, className) = (false, "prediction-label")
      case .spacer: continue
      }
      let label = rowLabel(row)
      if !label.isEmpty {
        labels.append(ChartSupport.text(label, x: labelX, y: y, className: className, bold: bold))
      }
      if !estimateTexts[index].isEmpty {
        estimates.append(ChartSupport.text(estimateTexts[index], x: estimateRight, y: y, bold: bold))
      }
      if !weightTexts[index].isEmpty {
        weightColumn.append(ChartSupport.text(weightTexts[index], x: weightRight, y: y, bold: bold))
      }
    }
    for group in [labels, estimates, weightColumn] where !group.children.isEmpty { canvas.addLayer(group) }
    if rows.isEmpty { canvas.addNote("No data to plot") }

    return canvas.document(
      title: title.isEmpty ? generatedTitle : title,
      description: description.isEmpty ? generatedDescription : description, ids: FigureIDs(prefix: idPrefix))
  }

  /// The plot area's rows: row `index` is centred at `mid(index)`; `clamp` keeps a value inside
  /// the x domain (intervals running past it end in an arrow).
  private struct RowFrame {
    let area: Rect
    let rowHeight: Double
    let x: LinearScale
    let domain: Interval
    func mid(_ index: Int) -> Double { area.minY + (Double(index) + 0.5) * rowHeight }
    func clamp(_ v: Double) -> Double { min(max(v, domain.lower), domain.upper) }
  }

  /// Study rows: confidence intervals as one path (arrows where they leave the domain) and
  /// squares whose area is proportional to the weight (the largest ±38% of a row).
  private func drawStudies(on canvas: inout PlotCanvas, frame: RowFrame) {
    let weights = allStudies.compactMap(\.weight).filter { $0.isFinite && $0 > 0 }
    let maxWeight = weights.max() ?? 0
    let maxHalf = frame.rowHeight * 0.38
    var ciPath = ""
    var arrows = ""
    var squares = SVGElement("g", ["class": "study-squares"])
    ShapeStyle(stroke: "none", fill: theme.ink).apply(to: &squares)
    for (index, row) in rows.enumerated() {
      guard case .study(let study) = row else { continue }
      let y = frame.mid(index)
      let low = min(study.lower, study.upper)
      let high = max(study.lower, study.upper)
      if low.isFinite && high.isFinite && high >= frame.domain.lower && low <= frame.domain.upper {
        let from = frame.x(frame.clamp(low))
        let to = frame.x(frame.clamp(high))
        ciPath += "M" + fmt(from) + " " + fmt(y) + "H" + fmt(to)
        if low < frame.domain.lower { arrows += arrowHead(at: from, y: y, pointingLeft: true) }
        if high > frame.domain.upper { arrows += arrowHead(at: to, y: y, pointingLeft: false) }
      }
      guard study.estimate.isFinite, frame.domain.contains(study.estimate) else { continue }
      var half = maxHalf * 0.45
      if let w = study.weight, w.isFinite, w > 0, maxWeight > 0 {
        half = max(1.5, maxHalf * (w / maxWeight).squareRoot())
      }
      squares.append(MarkerShape.square.element(x: frame.x(study.estimate), y: y, size: half))
    }
    if !ciPath.isEmpty {
      var path = SVGElement("path", ["class": "study-ci", "d": ciPath + arrows])
      ShapeStyle.line(theme.ink, width: 1).apply(to: &path)
      canvas.addLayer(path)
    }
    if !squares.children.isEmpty { canvas.addLayer(squares) }
  }

  /// Summary rows: the diamond (pooled black, subgroup grey) spanning the confidence interval and,
  /// when present, the prediction interval as a whiskered line.
  private func drawSummaries(on canvas: inout PlotCanvas, frame: RowFrame) {
    for (index, row) in rows.enumerated() {
      guard case .summary(let summary, let isPooled) = row else { continue }
      let y = frame.mid(index)
      let h = frame.rowHeight * 0.36
      if summary.hasPredictionInterval, let low = summary.predictionLower, let high = summary.predictionUpper,
        low <= high
      {
        let from = frame.x(frame.clamp(low))
        let to = frame.x(frame.clamp(high))
        var d = "M" + fmt(from) + " " + fmt(y) + "H" + fmt(to)
        d += "M" + fmt(from) + " " + fmt(y - h * 0.8) + "v" + fmt(h * 1.6)
        d += "M" + fmt(to) + " " + fmt(y - h * 0.8) + "v" + fmt(h * 1.6)
        var path = SVGElement("path", ["class": "prediction-interval", "d": d])
        ShapeStyle.line(theme.ink, width: 1).apply(to: &path)
        canvas.addLayer(path)
      }
      guard summary.estimate.isFinite, summary.lower.isFinite, summary.upper.isFinite,
        summary.lower <= summary.upper
      else { continue }
      let left = frame.x(frame.clamp(summary.lower))
      let centre = frame.x(frame.clamp(summary.estimate))
      let right = frame.x(frame.clamp(summary.upper))
      let d = ChartSupport.pathData([(left, y), (centre, y - h), (right, y), (centre, y + h)], closed: true)
      var diamond = SVGElement("path", ["class": isPooled ? "pooled-diamond" : "subgroup-diamond", "d": d])
      ShapeStyle(stroke: theme.ink, strokeWidth: 0.8, fill: isPooled ? theme.ink : theme.grey).apply(to: &diamond)
      canvas.addLayer(diamond)
    }
  }

  /// The "favours" texts below the axis (and its title), either side of the null line (of the
  /// middle of the axis without a null line inside it): `← left` ending just left of it,
  /// `right →` starting just right of it, each kept inside the figure.
  private func favoursLabels(canvas: PlotCanvas, figureWidth: Double) -> SVGElement {
    let font = theme.tickFontSize
    let area = canvas.plotArea
    var centre = area.midX
    if let nullValue, nullValue.isFinite, canvas.xAxis.domain.contains(nullValue) { centre = canvas.xScale(nullValue) }
    let y = canvas.belowXAxis + theme.labelGap + font * 0.8
    let gap = 6.0
    let pad = theme.outerPadding
    var group = ChartSupport.textGroup(className: "favours", fontSize: font, fill: theme.ink)
    if !favoursLeft.isEmpty {
      let text = "← " + favoursLeft
      let right = max(centre - gap, pad + TextMetrics.estimatedWidth(text, fontSize: font))
      group.append(ChartSupport.text(text, x: right, y: y, anchor: .end, className: "favours-left"))
    }
    if !favoursRight.isEmpty {
      let text = favoursRight + " →"
      let left = min(centre + gap, figureWidth - pad - TextMetrics.estimatedWidth(text, fontSize: font))
      group.append(ChartSupport.text(text, x: left, y: y, className: "favours-right"))
    }
    return group
  }

  /// The x axis: the caller's ticks or pretty ones, over the limits or the data.
  private func xAxis(covering values: [Double]) -> Axis {
    if let xLimits {
      if let ticks { return Axis(title: xLabel, domain: xLimits.widenedIfEmpty(), ticks: ticks) }
      return Axis.linear(title: xLabel, domain: xLimits, nice: false)
    }
    if let ticks {
      let tickValues = ticks.map(\.value).filter(\.isFinite)
      let domain = (Interval.covering(values + tickValues) ?? Interval(0, 1)).widenedIfEmpty()
      return Axis(title: xLabel, domain: domain, ticks: ticks)
    }
    return Axis.linear(title: xLabel, covering: values)
  }

  private func arrowHead(at x: Double, y: Double, pointingLeft: Bool) -> String {
    let back = pointingLeft ? 5.0 : -5.0
    return "M" + fmt(x + back) + " " + fmt(y - 3.5) + "L" + fmt(x) + " " + fmt(y) + "L" + fmt(x + back) + " "
      + fmt(y + 3.5)
  }

  private func rowLabel(_ row: Row) -> String {
    switch row {
    case .study(let study): return study.label
    case .subgroupHeader(let label): return label
    case .summary(let summary, _): return summary.label
    case .prediction(let label, _): return label
    case .spacer: return ""
    }
  }

  private func estimateText(_ row: Row) -> String {
    switch row {
    case .study(let study): return study.estimateText
    case .summary(let summary, _): return summary.estimateText
    case .prediction(_, let text): return text
    case .subgroupHeader, .spacer: return ""
    }
  }

  private func weightText(_ row: Row) -> String {
    switch row {
    case .study(let study): return study.weightText
    case .summary(let summary, _): return summary.weightText
    case .subgroupHeader, .prediction, .spacer: return ""
    }
  }

  private var generatedTitle: String {
    xLabel.isEmpty ? "Forest plot" : "Forest plot of " + xLabel
  }

  /// E.g. "Forest plot of 12 studies in 2 subgroups; pooled estimate 0.15 [0.09, 0.21];
  /// prediction interval [−0.05, 0.35]."
  var generatedDescription: String {
    var text = "Forest plot of " + ChartSupport.count(allStudies.count, "study", "studies")
    if !subgroups.isEmpty { text += " in " + ChartSupport.count(subgroups.count, "subgroup", "subgroups") }
    if !xLabel.isEmpty { text += " (" + xLabel + ")" }
    if !favoursLeft.isEmpty || !favoursRight.isEmpty {
      let sides = [favoursLeft.isEmpty ? nil : "left: " + favoursLeft, favoursRight.isEmpty ? nil : "right: " + favoursRight]
      text += " (" + sides.compactMap { $0 }.joined(separator: "; ") + ")"
    }
    if let pooled {
      text += "; pooled estimate " + ChartSupport.interval(
        pooled.estimateText, estimate: pooled.estimate, lower: pooled.lower, upper: pooled.upper)
      if !pooled.predictionText.isEmpty {
        text += "; prediction interval " + pooled.predictionText
      } else if pooled.hasPredictionInterval {
        text += "; prediction interval [" + ChartSupport.number(pooled.predictionLower ?? .nan) + ", "
          + ChartSupport.number(pooled.predictionUpper ?? .nan) + "]"
      }
    }
    return text + "."
  }

  private func fmt(_ value: Double) -> String { SVGNumber.format(value) }
}
