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
  static func figure(inv: Invocation, number: Int?, caption: String?, svg: String) -> String {
    var h = "<figure class=\"bordin-figure\"" + (inv.labelled ? " id=\"\(escapeHTML(inv.label))\"" : "") + ">\n"
    if number != nil || caption != nil {
      h += "<figcaption>"
      if let number { h += "<span class=\"bordin-number\">Figure \(number)</span>" }
      if let caption { h += "<span class=\"bordin-caption\">\(escapeHTML(caption))</span>" }
      h += "</figcaption>\n"
    }
    h += svg
    if !svg.hasSuffix("\n") { h += "\n" }
    return h + "</figure>\n"
  }
}
