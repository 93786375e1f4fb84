import BordinData
import BordinPlot
import BordinStats

/// `plot`: an accessible SVG figure (`<figure>`, `<figcaption>`, `role="img"`, `<title>`/`<desc>`).
/// Types: `scatter` (points, OLS line, 95% confidence band), `forest` and `funnel` (of a `meta`
/// result). One file per chart under Plots/.
enum PlotDirective {
  static let types = ["scatter", "forest", "funnel", "bland-altman", "means", "surface", "trajectories", "path", "change"]

  static let definition = DirectiveDefinition(
    name: "plot",
    summary: "an SVG figure: scatter, forest, funnel, bland-altman, means, surface, trajectories, path, change",
    options: [
      OptionSpec(name: "type", type: .choice(types), required: true, help: "the chart"),
      OptionSpec(name: "data", type: .dataset, help: "the dataset"),
      OptionSpec(name: "of", type: .result, help: "a result to draw"),
      OptionSpec(name: "x", type: .column, help: "x column"),
      OptionSpec(name: "y", type: .column, help: "y column"),
      OptionSpec(name: "line", type: .bool, defaultValue: "true", help: "draw the least-squares line"),
      OptionSpec(name: "band", type: .bool, defaultValue: "true", help: "draw the 95% confidence band of the line"),
      OptionSpec(name: "xlab", type: .string, help: "x-axis title (default: the column name)"),
      OptionSpec(name: "ylab", type: .string, help: "y-axis title (default: the column name)"),
      OptionSpec(name: "alt", type: .string, help: "alternative text (generated when absent)"),
      OptionSpec(name: "width", type: .number, defaultValue: "480", help: "width in SVG units"),
      OptionSpec(name: "height", type: .number, defaultValue: "360", help: "height in SVG units"),
      OptionSpec(name: "scale", type: .choice(["r", "z"]), help: "forest: draw correlations as r (default) or Fisher z"),
      OptionSpec(name: "group", type: .column, help: "means: the grouping column (e.g. informant), one line per group; change: the one group (of by) to draw"),
      OptionSpec(name: "predictor", type: .string, help: "trajectories: the predictor whose levels get mean lines (default: the first)"),
    ],
    fields: [],
    run: run)

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    switch try o.choice("type", types, default: "scatter") {
    case "forest": return try ForestPlotDirective.run(inv, ev)
    case "funnel": return try FunnelPlotDirective.run(inv, ev)
    case "bland-altman": return try BlandAltmanPlotDirective.run(inv, ev)
    case "means": return try MeansPlotDirective.run(inv, ev)
    case "surface": return try SurfacePlotDirective.run(inv, ev)
    case "trajectories": return try TrajectoriesPlotDirective.run(inv, ev)
    case "path": return try PathPlotDirective.run(inv, ev)
    case "change": return try ChangePlotDirective.run(inv, ev)
    default: return try ScatterPlotDirective.run(inv, ev)
    }
  }

  /// `<figure>` with an APA caption above the SVG (APA 7 §7.4: the figure number in bold, then
  /// the title in italics, both above the image).
  ///
  /// The SVG scales with the column but never so far that its smallest text falls below
  /// ``minimumTextPixels`` on screen: its box has a minimum width (``minimumWidth(svg:)``) and
  /// scrolls sideways inside the page when the screen is narrower (a keyboard-focusable region
  /// when that can happen on a phone).
  static func figure(inv: Invocation, number: Int?, caption: String?, svg: String) -> String {
    var h = "<figure class=\"bordin-figure\"" + (inv.labelled ? " id=\"\(escapeHTML(inv.label))\"" : "") + ">\n"
    if number != nil || caption != nil {
      h += "<figcaption>"
      if let number { h += "<span class=\"bordin-number\">Figure \(number)</span>" }
      if let caption { h += "<span class=\"bordin-caption\">\(escapeHTML(caption))</span>" }
      h += "</figcaption>\n"
    }
    let minWidth = minimumWidth(svg: svg)
    h += "<div class=\"bordin-scroll\""
    if let minWidth, minWidth > phoneColumnPixels {
      h += " tabindex=\"0\" role=\"region\" aria-label=\"" + (number.map { "Figure \($0)" } ?? "Figure") + " (scrolls sideways)\""
    }
    h += ">\n<div class=\"bordin-plot-box\"" + (minWidth.map { " style=\"min-width: \($0)px\"" } ?? "") + ">\n" + svg
    if !svg.hasSuffix("\n") { h += "\n" }
    return h + "</div>\n</div>\n</figure>\n"
  }

  /// The smallest size, in CSS pixels, the text of a figure may take on screen.
  static let minimumTextPixels = 10.0
  /// The width of the text column on a 390 px phone (the page's side padding taken off).
  static let phoneColumnPixels = 350

  /// The narrowest width, in whole CSS pixels, at which the SVG's smallest `font-size` still
  /// renders at ``minimumTextPixels``: width × 10 / smallest font size (nil without a width or text).
  static func minimumWidth(svg: String) -> Int? {
    guard let open = svg.range(of: "<svg"), let close = svg[open.upperBound...].firstIndex(of: ">") else { return nil }
    let head = svg[open.upperBound..<close]
    guard let w = attribute(head, "width").flatMap(Double.init), w.isFinite, w > 0 else { return nil }
    var smallest = Double.infinity
    var rest = Substring(svg)
    while let r = rest.range(of: "font-size=\"") {
      let after = rest[r.upperBound...]
      guard let end = after.firstIndex(of: "\"") else { break }
      if let size = Double(after[..<end]), size > 0, size.isFinite { smallest = min(smallest, size) }
      rest = after[end...]
    }
    guard smallest.isFinite else { return nil }
    return Int((w * minimumTextPixels / smallest).rounded(.up))
  }

  /// The value of attribute `name` in a start tag's attribute text.
  private static func attribute(_ tag: Substring, _ name: String) -> String? {
    guard let r = tag.range(of: " " + name + "=\"") else { return nil }
    let after = tag[r.upperBound...]
    return after.firstIndex(of: "\"").map { String(after[..<$0]) }
  }
}
