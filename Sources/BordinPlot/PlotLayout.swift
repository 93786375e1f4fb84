/// A rectangle in SVG user units (y grows downwards).
public struct Rect: Sendable, Equatable {
  /// Left edge.
  public var x: Double
  /// Top edge.
  public var y: Double
  /// Width, ≥ 0.
  public var width: Double
  /// Height, ≥ 0.
  public var height: Double

  /// Creates a rectangle from its top-left corner and size.
  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// Left edge.
  public var minX: Double { x }
  /// Right edge.
  public var maxX: Double { x + width }
  /// Top edge.
  public var minY: Double { y }
  /// Bottom edge.
  public var maxY: Double { y + height }
  /// Horizontal centre.
  public var midX: Double { x + width / 2 }
  /// Vertical centre.
  public var midY: Double { y + height / 2 }
}

/// Space reserved around the plotting area for axes, labels and titles.
public struct Margins: Sendable, Equatable {
  /// Above the plotting area.
  public var top: Double
  /// Right of the plotting area.
  public var right: Double
  /// Below the plotting area.
  public var bottom: Double
  /// Left of the plotting area.
  public var left: Double

  /// Creates margins.
  public init(top: Double, right: Double, bottom: Double, left: Double) {
    self.top = top
    self.right = right
    self.bottom = bottom
    self.left = left
  }

  /// No margins: the default of the `extra` margins a chart reserves for legends and columns.
  public static let zero = Margins(top: 0, right: 0, bottom: 0, left: 0)
}

/// The geometry of a figure: its size, its margins and the plotting area they leave.
///
/// ``fitting(width:height:xAxis:yAxis:theme:)`` sizes the margins from the axes' contents
/// (estimated tick-label widths, whether there are titles) so that a long y tick label such as
/// `−1,000,000` pushes the plot right instead of running off the figure:
///
/// ```
/// left   = outer + title + gap + widest y label + gap + tick + offset
/// bottom = offset + tick + gap + x label height + gap + title + outer
/// ```
public struct PlotLayout: Sendable, Equatable {
  /// Figure width in user units.
  public let width: Double
  /// Figure height in user units.
  public let height: Double
  /// The margins around the plotting area.
  public let margins: Margins
  /// The area into which data are mapped.
  public let plotArea: Rect

  /// The smallest plotting area a layout leaves, however small the figure.
  public static let minimumPlotSize = 20.0

  /// Creates a layout with explicit margins.
  ///
  /// - Parameters:
  ///   - width: Figure width (positive).
  ///   - height: Figure height (positive).
  ///   - margins: Space around the plotting area; a plotting area smaller than
  ///     ``minimumPlotSize`` is enlarged (the figure then overflows rather than inverts).
  public init(width: Double, height: Double, margins: Margins) {
    self.width = width
    self.height = height
    self.margins = margins
    plotArea = Rect(
      x: margins.left, y: margins.top,
      width: max(PlotLayout.minimumPlotSize, width - margins.left - margins.right),
      height: max(PlotLayout.minimumPlotSize, height - margins.top - margins.bottom))
  }

  /// A layout whose margins fit the given axes.
  ///
  /// - Parameters:
  ///   - width: Figure width.
  ///   - height: Figure height.
  ///   - xAxis: The bottom axis (its tick labels and title decide the bottom margin).
  ///   - yAxis: The left axis (its widest tick label and title decide the left margin).
  ///   - theme: Font sizes and gaps.
  ///   - extra: Space added to each fitted margin, e.g. for a legend below the x axis or text
  ///     columns beside the plot (non-finite or negative values count as zero).
  public static func fitting(
    width: Double, height: Double, xAxis: Axis, yAxis: Axis, theme: PlotTheme, extra: Margins = .zero
  ) -> PlotLayout {
    let reach = theme.axisOffset + theme.tickLength + theme.labelGap
    let widestY = yAxis.ticks.map { TextMetrics.estimatedWidth($0.label, fontSize: theme.tickFontSize) }.max() ?? 0
    let yTitle = yAxis.title.isEmpty ? 0 : theme.labelGap + theme.fontSize
    let xTitle = xAxis.title.isEmpty ? 0 : theme.labelGap + theme.fontSize * 1.05
    let lastX = xAxis.ticks.last.map { TextMetrics.estimatedWidth($0.label, fontSize: theme.tickFontSize) } ?? 0
    let firstX = xAxis.ticks.first.map { TextMetrics.estimatedWidth($0.label, fontSize: theme.tickFontSize) } ?? 0

    var left = reach + widestY + yTitle + theme.outerPadding
    // The first x label is centred on the left edge of the plotting area: keep it inside.
    left = max(left, firstX / 2 + theme.outerPadding)
    let bottom = reach + theme.tickFontSize + xTitle + theme.outerPadding
    let top = theme.outerPadding + theme.tickFontSize * 0.5
    let right = max(theme.outerPadding + lastX / 2, theme.outerPadding * 2)
    func grown(_ value: Double) -> Double { value.isFinite ? max(0, value) : 0 }
    let margins = Margins(
      top: top + grown(extra.top), right: right + grown(extra.right), bottom: bottom + grown(extra.bottom),
      left: left + grown(extra.left))
    return PlotLayout(width: width, height: height, margins: margins)
  }
}
