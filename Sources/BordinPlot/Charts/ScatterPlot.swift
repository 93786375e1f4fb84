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
///
/// Tied points (integer ratings) can be spread by ``jitter``: each point is drawn moved by a
/// uniform amount in ±`jitter.x`, ±`jitter.y`, drawn from a seeded generator (SplitMix64,
/// Steele, Lea & Flood 2014), so the same input always gives the same figure; the line and
/// band are not moved. ``tieJitter(x:y:)`` chooses the amounts.
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
  /// Half-widths of the uniform jitter added to each drawn point, in data units ((0, 0): none).
  public var jitter: (x: Double, y: Double) = (0, 0)
  /// The seed of the jitter's generator.
  public var jitterSeed: UInt64 = 20_140_601
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

  /// ``drawablePoints`` moved by the seeded ``jitter`` (unchanged without jitter).
  public var jitteredPoints: [PlotPoint] {
    let points = drawablePoints
    let jx = jitter.x.isFinite ? max(0, jitter.x) : 0
    let jy = jitter.y.isFinite ? max(0, jitter.y) : 0
    guard jx > 0 || jy > 0 else { return points }
    var state = jitterSeed
    func uniform() -> Double {  // SplitMix64, then the top 53 bits as a double in [−1, 1).
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      z ^= z >> 31
      return Double(z >> 11) / Double(1 << 52) - 1
    }
    return points.map { p in
      let dx = uniform() * jx
      let dy = uniform() * jy
      return PlotPoint(x: p.x + dx, y: p.y + dy)
    }
  }

  /// The jitter that separates tied points of two integer-valued variables: a fifth of each
  /// variable's smallest gap between distinct values (±0.2 for ratings on a 1-point scale, so
  /// neighbouring values never overlap), when every finite value of both is a whole number and
  /// some (x, y) pair occurs more than once; (0, 0) otherwise.
  public static func tieJitter(x: [Double], y: [Double]) -> (x: Double, y: Double) {
    let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    guard pairs.count > 1, pairs.allSatisfy({ $0.0.rounded() == $0.0 && $0.1.rounded() == $0.1 }) else { return (0, 0) }
    struct Pair: Hashable { let x: Double, y: Double }
    guard Set(pairs.map { Pair(x: $0.0, y: $0.1) }).count < pairs.count else { return (0, 0) }
    func step(_ values: [Double]) -> Double {
      let distinct = Array(Set(values)).sorted()
      let gaps = zip(distinct.dropFirst(), distinct).map { $0 - $1 }
      return 0.2 * (gaps.min() ?? 1)
    }
    return (step(pairs.map(\.0)), step(pairs.map(\.1)))
  }

  /// The figure as SVG text.
  public func svg() -> String {
    document().rendered()
  }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let points = jitteredPoints
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

  func generatedDescription(pointCount: Int, hasLine: Bool, hasBand: Bool) -> String {
    var text = "Scatter plot of \(yName) (vertical axis) against \(xName) (horizontal axis), "
    text += pointCount == 1 ? "1 point" : "\(pointCount) points"
    if jitter.x > 0 || jitter.y > 0 { text += " (jittered to show ties)" }
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
