/// The look shared by every Bordin figure: APA-style, black on white, no chart junk.
///
/// APA 7 figures use a sans-serif font, plain axes without a box or gridlines, black or grey
/// ink and no decoration. Fonts and colours are written as SVG *presentation attributes* and
/// every element carries a class name (`bordin-plot`, `axis`, `tick-labels`, `axis-title`,
/// `points`, `fit-line`, `band`, …): a figure looks right on its own, and a page's CSS, which
/// takes precedence over presentation attributes, can restyle it without touching the SVG.
public struct PlotTheme: Sendable, Equatable {
  /// The font stack for all text.
  public var fontFamily = "Helvetica, Arial, sans-serif"
  /// Font size of axis titles and notes, in user units.
  public var fontSize = 12.0
  /// Font size of tick labels, in user units.
  public var tickFontSize = 11.0
  /// The main ink: axes, text, points, lines.
  public var ink = "#000000"
  /// A secondary ink for reference lines and notes.
  public var grey = "#595959"
  /// The fill of confidence bands and other shaded areas.
  public var lightFill = "#d4d4d4"
  /// Stroke width of axis lines and ticks.
  public var axisWidth = 1.0
  /// Length of tick marks, pointing outwards.
  public var tickLength = 5.0
  /// Gap between the plotting area and the axis lines, so that points at the edge of the
  /// data never sit on an axis (the axes are "offset", as in R's `bty = "n"` style).
  public var axisOffset = 6.0
  /// Gap between tick marks and tick labels, and between tick labels and axis titles.
  public var labelGap = 4.0
  /// Blank space around the whole figure.
  public var outerPadding = 6.0

  /// The default APA-style theme.
  public static let apa = PlotTheme()

  /// Creates the default theme; change fields to adjust it.
  public init() {}
}
