/// A funnel plot: each study's effect (x) against its standard error (y, inverted so that the
/// most precise studies are at the top), inside the pseudo-confidence region
/// `estimate ± z · SE` drawn as a triangle from SE = 0 down to the largest SE on the axis.
///
/// ```
///   0.00 ┤        /|\          ○ observed study
///        │     ○ / | \ ○       ● study imputed by trim and fill
///   0.10 ┤     ●/ ○|  \○
///        │     /   |○  \
///   0.20 ┤    /●   |  ○ \
///        └──────────────────
///              effect size
/// ```
///
/// Observed studies are open circles; studies imputed by trim and fill (when given) are filled
/// circles, and a legend below the axis tells them apart. The vertical line is drawn at
/// ``estimate``; the caller decides whether that is the original or the adjusted estimate.
///
/// Input is taken as it comes, and nothing crashes: effects and standard errors are paired up to
/// the shorter list; pairs with a non-finite value or a negative standard error are skipped;
/// no drawable study and no estimate give empty axes and the note "No data to plot".
public struct FunnelPlot: Sendable {
  /// The observed effects (x).
  public var effects: [Double]
  /// Their standard errors (y), paired by index.
  public var standardErrors: [Double]
  /// Effects of imputed studies (trim and fill), drawn filled.
  public var filledEffects: [Double]
  /// Standard errors of the imputed studies.
  public var filledStandardErrors: [Double]
  /// The pooled estimate: the funnel's centre and the vertical line; nil for neither.
  public var estimate: Double?
  /// The multiplier of the region's half-width, `estimate ± criticalValue · SE` (1.96 for 95%).
  public var criticalValue: Double
  /// Title of the x axis.
  public var xLabel: String
  /// Title of the y axis.
  public var yLabel: String
  /// Legend label of the observed studies.
  public var observedLabel: String
  /// Legend label of the imputed studies.
  public var filledLabel: String
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

  /// Creates a funnel plot.
  ///
  /// - Parameters:
  ///   - effects: Observed effects.
  ///   - standardErrors: Their standard errors.
  ///   - filledEffects: Effects of studies imputed by trim and fill.
  ///   - filledStandardErrors: Their standard errors.
  ///   - estimate: The pooled estimate (centre of the region); nil for no region or line.
  ///   - criticalValue: Half-width of the region in standard errors (default 1.96).
  ///   - xLabel: Title of the x axis.
  ///   - yLabel: Title of the y axis.
  ///   - observedLabel: Legend label of observed studies.
  ///   - filledLabel: Legend label of imputed studies.
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - height: Figure height.
  public init(
    effects: [Double], standardErrors: [Double], filledEffects: [Double] = [], filledStandardErrors: [Double] = [],
    estimate: Double? = nil, criticalValue: Double = 1.96, xLabel: String = "Effect size",
    yLabel: String = "Standard error", observedLabel: String = "Observed studies",
    filledLabel: String = "Imputed studies (trim and fill)", title: String = "", description: String = "",
    idPrefix: String = "funnel", width: Double = 480, height: Double = 380, theme: PlotTheme = .apa
  ) {
    self.effects = effects
    self.standardErrors = standardErrors
    self.filledEffects = filledEffects
    self.filledStandardErrors = filledStandardErrors
    self.estimate = estimate
    self.criticalValue = criticalValue
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.observedLabel = observedLabel
    self.filledLabel = filledLabel
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
    self.theme = theme
  }

  /// The observed studies that will be drawn, as (effect, SE).
  public var observedPoints: [PlotPoint] { FunnelPlot.pairs(effects, standardErrors) }

  /// The imputed studies that will be drawn, as (effect, SE).
  public var filledPoints: [PlotPoint] { FunnelPlot.pairs(filledEffects, filledStandardErrors) }

  static func pairs(_ x: [Double], _ se: [Double]) -> [PlotPoint] {
    zip(x, se).map { PlotPoint(x: $0, y: $1) }.filter { $0.isFinite && $0.y >= 0 }
  }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let observed = observedPoints
    let filled = filledPoints
    let centre = estimate.flatMap { $0.isFinite ? $0 : nil }
    let z = criticalValue.isFinite ? abs(criticalValue) : 1.96

    // y: standard errors from 0 (top) to a pretty maximum, plotted as −SE.
    let maxSE = (observed + filled).map(\.y).max() ?? 0
    let seAxis = Axis.linear(title: yLabel, covering: [0, maxSE > 0 ? maxSE : 1])
    let seMax = seAxis.domain.upper
    let yAxis = Axis(
      title: yLabel, domain: Interval(-seAxis.domain.upper, -seAxis.domain.lower),
      ticks: seAxis.ticks.map { Tick(value: -$0.value, label: $0.label) })

    var xs = (observed + filled).map(\.x)
    if let centre { xs += [centre, centre - z * seMax, centre + z * seMax] }
    let xAxis = Axis.linear(title: xLabel, covering: xs)

    let legend = Legend(entries: filled.isEmpty ? [] : [
      LegendEntry(label: observedLabel, swatch: .marker(.circle, size: 3, observedStyle)),
      LegendEntry(label: filledLabel, swatch: .marker(.circle, size: 3, filledStyle)),
    ])
    let w = ChartSupport.size(width, minimum: 60, fallback: 480)
    let legendHeight = legend.height(maxWidth: w - 2 * theme.outerPadding, theme: theme)
    let extra = Margins(top: 0, right: 0, bottom: legendHeight > 0 ? legendHeight + theme.labelGap * 2 : 0, left: 0)
    let h = ChartSupport.size(height, minimum: 60, fallback: 380) + extra.bottom
    var canvas = PlotCanvas(width: w, height: h, xAxis: xAxis, yAxis: yAxis, theme: theme, extraMargins: extra)

    if let centre {
      let apex = PlotPoint(x: centre, y: 0)
      let left = PlotPoint(x: centre - z * seMax, y: -seMax)
      let right = PlotPoint(x: centre + z * seMax, y: -seMax)
      canvas.addPolygon([apex, right, left], style: .area(theme.lightFill, opacity: 0.45), className: "funnel-region")
      canvas.addSegments([(apex, left), (apex, right)], style: .line(theme.grey, width: 0.8, dash: [4, 3]),
                         className: "funnel-lines")
      canvas.addSegments([(apex, PlotPoint(x: centre, y: -seMax))], style: .line(theme.ink, width: 1),
                         className: "estimate-line")
    }
    let flip = { (p: PlotPoint) in PlotPoint(x: p.x, y: -p.y) }
    if !observed.isEmpty {
      canvas.addPoints(observed.map(flip), size: 3, style: observedStyle, className: "observed-points")
    }
    if !filled.isEmpty {
      canvas.addPoints(filled.map(flip), size: 3, style: filledStyle, className: "filled-points")
    }
    if !legend.entries.isEmpty {
      canvas.addLayer(legend.element(centreX: canvas.plotArea.midX, y: canvas.belowXAxis + theme.labelGap * 2,
                                     maxWidth: w - 2 * theme.outerPadding, theme: theme))
    }
    if observed.isEmpty && filled.isEmpty && centre == nil { canvas.addNote("No data to plot") }
    return canvas.document(
      title: title.isEmpty ? "Funnel plot" : title,
      description: description.isEmpty ? generatedDescription : description, ids: FigureIDs(prefix: idPrefix))
  }

  private var observedStyle: ShapeStyle { ShapeStyle(stroke: theme.ink, strokeWidth: 1, fill: "#ffffff") }
  private var filledStyle: ShapeStyle { ShapeStyle(stroke: theme.ink, strokeWidth: 1, fill: theme.ink) }

  /// E.g. "Funnel plot of 20 studies: standard error (vertical axis, 0 at the top) against
  /// effect size, with 4 studies imputed by trim and fill; pooled estimate 0.15 with a 95%
  /// pseudo-confidence region."
  var generatedDescription: String {
    var text = "Funnel plot of " + ChartSupport.count(observedPoints.count, "study", "studies") + ": "
    text += (yLabel.isEmpty ? "standard error" : yLabel) + " (vertical axis, 0 at the top) against "
    text += xLabel.isEmpty ? "effect size" : xLabel
    let filled = filledPoints.count
    if filled > 0 { text += ", with " + ChartSupport.count(filled, "study", "studies") + " imputed by trim and fill" }
    if let estimate, estimate.isFinite {
      text += "; pooled estimate " + ChartSupport.number(estimate) + " at the centre of the pseudo-confidence region"
    }
    return text + "."
  }
}
