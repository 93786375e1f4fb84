/// A scatter plot with an optional fitted line and confidence band.
///
/// Points are small open circles (more transparent as they get many, so that overplotting
/// shows as density), the band a light grey area behind them, the line dark on top. Both axes
/// are pretty-ticked numeric axes whose domains cover the points, the line and the band.
///
/// ```swift
/// let plot = ScatterPlot(x: alliance, y: outcome, xLabel: "Alliance (WAI)", yLabel: "Outcome",
///                        line: fit, band: ci, idPrefix: "fig-alliance")
/// let svg = plot.svg()   // <svg … role="img" aria-labelledby="fig-alliance-title" aria-describedby="fig-alliance-desc">
/// ```
///
/// Input is taken as it comes, and nothing crashes:
/// - `x` and `y` are paired up to the shorter of the two;
/// - points, line vertices and band rows with a NaN or infinite value are skipped;
/// - the line and band are drawn in order of increasing x;
/// - no drawable data gives empty axes over [0, 1] and the note "No data to plot";
/// - a zero-width range (one point, all x equal) is widened by 40% either side (±1 at zero);
/// - an empty `title` or `description` is replaced by a generated one.
public struct ScatterPlot: Sendable {
  /// Horizontal values.
  public var x: [Double]
  /// Vertical values, paired with `x` by index.
  public var y: [Double]
  /// Title of the x axis.
  public var xLabel: String
  /// Title of the y axis.
  public var yLabel: String
  /// A fitted line, e.g. the regression prediction at a grid of x values.
  public var line: [(x: Double, y: Double)]?
  /// A confidence band around the line, e.g. the 95% CI of the mean prediction.
  public var band: [(x: Double, lower: Double, upper: Double)]?
  /// The accessible name of the figure (`<title>`).
  public var title: String
  /// The alt text of the figure (`<desc>`).
  public var description: String
  /// The prefix of the figure's element ids (e.g. the directive label).
  public var idPrefix: String
  /// Figure width in user units.
  public var width: Double = 480
  /// Figure height in user units.
  public var height: Double = 360
  /// The look of the figure.
  public var theme: PlotTheme = .apa

  /// Creates a scatter plot.
  ///
  /// - Parameters:
  ///   - x: Horizontal values.
  ///   - y: Vertical values.
  ///   - xLabel: Title of the x axis.
  ///   - yLabel: Title of the y axis.
  ///   - line: Optional fitted line.
  ///   - band: Optional confidence band.
  ///   - title: Accessible name; generated from the labels when empty.
  ///   - description: Alt text; generated from the labels and counts when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - width: Figure width.
  ///   - height: Figure height.
  public init(
    x: [Double], y: [Double], xLabel: String = "", yLabel: String = "",
    line: [(x: Double, y: Double)]? = nil, band: [(x: Double, lower: Double, upper: Double)]? = nil,
    title: String = "", description: String = "", idPrefix: String = "scatter",
    width: Double = 480, height: Double = 360
  ) {
    self.x = x
    self.y = y
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.line = line
    self.band = band
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.width = width
    self.height = height
  }

  /// The points that will be drawn: pairs with both coordinates finite.
  public var drawablePoints: [PlotPoint] {
    zip(x, y).map { PlotPoint(x: $0, y: $1) }.filter(\.isFinite)
  }

  /// The figure as SVG text.
  public func svg() -> String {
    document().rendered()
  }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let points = drawablePoints
    let fit = (line ?? []).map { PlotPoint(x: $0.x, y: $0.y) }.filter(\.isFinite).sorted { $0.x < $1.x }
    let ci = (band ?? []).filter { $0.x.isFinite && $0.lower.isFinite && $0.upper.isFinite }
      .sorted { $0.x < $1.x }

    let xs = points.map(\.x) + fit.map(\.x) + ci.map(\.x)
    let ys = points.map(\.y) + fit.map(\.y) + ci.flatMap { [$0.lower, $0.upper] }
    var canvas = PlotCanvas(
      width: width, height: height,
      xAxis: .linear(title: xLabel, covering: xs), yAxis: .linear(title: yLabel, covering: ys), theme: theme)

    if ci.count >= 2 {
      let outline = ci.map { PlotPoint(x: $0.x, y: $0.upper) } + ci.reversed().map { PlotPoint(x: $0.x, y: $0.lower) }
      canvas.addPolygon(outline, style: .area(theme.lightFill), className: "band")
    }
    if !points.isEmpty {
      var style = ShapeStyle.line(theme.ink, width: 0.8)
      let opacity = ScatterPlot.pointOpacity(count: points.count)
      if opacity < 1 { style.strokeOpacity = opacity }
      canvas.addPoints(points, size: points.count > 500 ? 2 : 2.5, style: style, className: "points")
    }
    if fit.count >= 2 {
      canvas.addPolyline(fit, style: .line(theme.ink, width: 1.6), className: "fit-line")
    }
    if points.isEmpty && fit.count < 2 && ci.count < 2 {
      canvas.addNote("No data to plot")
    }
    return canvas.document(
      title: title.isEmpty ? generatedTitle : title,
      description: description.isEmpty ? generatedDescription(pointCount: points.count, hasLine: fit.count >= 2,
                                                              hasBand: ci.count >= 2) : description,
      ids: FigureIDs(prefix: idPrefix))
  }

  /// Opacity of the point outlines: 1 up to 100 points, then falling as 1/√n to a floor of 0.25,
  /// so that dense regions read darker.
  static func pointOpacity(count: Int) -> Double {
    count <= 100 ? 1 : max(0.25, (100 / Double(count)).squareRoot())
  }

  private var xName: String { xLabel.isEmpty ? "x" : xLabel }
  private var yName: String { yLabel.isEmpty ? "y" : yLabel }

  private var generatedTitle: String { "Scatter plot of \(yName) against \(xName)" }

  private func generatedDescription(pointCount: Int, hasLine: Bool, hasBand: Bool) -> String {
    var text = "Scatter plot of \(yName) (vertical axis) against \(xName) (horizontal axis), "
    text += pointCount == 1 ? "1 point" : "\(pointCount) points"
    if hasLine && hasBand {
      text += ", with a fitted line and its confidence band"
    } else if hasLine {
      text += ", with a fitted line"
    } else if hasBand {
      text += ", with a confidence band"
    }
    return text + "."
  }
}
