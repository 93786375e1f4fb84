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
      OptionSpec(name: "width", type: .number, help: "width in SVG units, \(formatShortest(plotSizeRange.lowerBound))–\(formatShortest(plotSizeRange.upperBound)) (default by type: \(sizeHelp(\.width)))"),
      OptionSpec(name: "height", type: .number, help: "height in SVG units (default by type: \(sizeHelp(\.height)))"),
      OptionSpec(name: "scale", type: .choice(["r", "z"]), defaultValue: "r", help: "forest: draw correlations as r or as Fisher z"),
      OptionSpec(name: "group", type: .column, help: "means: the grouping column (e.g. informant), one line per group; change: the one group (of by) to draw"),
      OptionSpec(name: "predictor", type: .string, help: "trajectories: the predictor whose levels get mean lines (default: the first)"),
      OptionSpec(name: "favours", type: .strings, help: "forest: two texts, [left, right], written under the axis as \"← Favours left\" and \"Favours right →\""),
      OptionSpec(name: "jitter", type: .bool, defaultValue: "true", help: "scatter: when both variables are whole numbers with tied points, draw each point moved by a seeded jitter of up to ⅕ of a step (the line is fitted to the data as they are); false draws them unmoved"),
      OptionSpec(name: "labels", type: .mapping, help: "labels for this figure only (column, term or column=value: label), over the report's"),
      OptionSpec(name: "scale_with", type: .strings, help: "surface: other discrepancy results whose surfaces share this one's colour scale (name them in each plot)"),
    ],
    fields: [],
    run: run,
    traits: [.presentation, .figure],
    references: references)

  /// The results a plot reads besides `of`: the surfaces named by `scale_with`.
  static func references(_ inv: Invocation) -> [(name: String, at: SourceLocation)] {
    guard let n = inv.node("scale_with") else { return [] }
    switch n {
    case .scalar(let s, _, _): return [(s, n.location)]
    case .list(let items, _): return items.compactMap { it in it.scalarText.map { ($0, it.location) } }
    case .map: return []
    }
  }

  /// Each chart's default size in SVG units: the one table that the charts and
  /// `bordin directives plot` read. A nil side is computed from the content (a forest plot's
  /// height grows with its studies; a path diagram sizes itself to its variables and paths).
  static let defaultSizes: [(type: String, width: Double?, height: Double?)] = [
    ("scatter", 480, 360), ("forest", 640, nil), ("funnel", 480, 380), ("bland-altman", 520, 360),
    ("means", 520, 360), ("surface", 540, 440), ("trajectories", 520, 380), ("path", nil, nil), ("change", 480, 480),
  ]

  private static func sizeHelp(_ side: KeyPath<(type: String, width: Double?, height: Double?), Double?>) -> String {
    defaultSizes.map { s in "\(s.type) " + (s[keyPath: side].map(formatShortest) ?? "from the content") }.joined(separator: ", ")
  }

  /// The options each type reads beyond `type`, `caption`, `alt`, `width` and `height` (a type
  /// that sizes a side to its content refuses that side itself).
  static let typeOptions: [String: Set<String>] = [
    "scatter": ["data", "x", "y", "line", "band", "xlab", "ylab", "jitter"],
    "forest": ["of", "scale", "xlab", "favours"],
    "funnel": ["of", "xlab"],
    "bland-altman": ["data", "x", "y", "xlab", "ylab"],
    "means": ["data", "x", "y", "group", "xlab", "ylab"],
    "surface": ["of", "xlab", "ylab", "scale_with"],
    "trajectories": ["of", "predictor", "xlab", "ylab"],
    "path": ["of"],
    "change": ["of", "group", "xlab", "ylab"],
  ]

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let type = try o.choice("type", types, default: "scatter")
    let read = (typeOptions[type] ?? []).union(["type", "caption", "alt", "width", "height", "labels"])
    for (key, at, _) in inv.options where !read.contains(key) && definition.option(key) != nil {
      let users = types.filter { typeOptions[$0]?.contains(key) == true }
      ev.sink.error(at, "option-value", "option '\(key)' does not apply to a \(type) plot",
                    remedy: "remove '\(key)'" + (users.isEmpty ? "" : " (it applies to: \(users.joined(separator: ", ")))"))
      throw DirectiveFailure()
    }
    return try ev.withDirectiveLabels(inv) { () throws(DirectiveFailure) -> DirectiveOutput in try draw(type, inv, ev) }
  }

  private static func draw(_ type: String, _ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    switch type {
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
    // Byte searches: an SVG has many font sizes, and Foundation's `range(of:)` on a substring
    // bridged the whole SVG to UTF-16 for each (issue 24).
    let quote = UInt8(ascii: "\"")
    guard let open = svg.utf8Range(of: "<svg"), let close = svg.utf8[open.upperBound...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
    let head = svg[open.upperBound..<close]
    guard let w = attribute(head, "width").flatMap(Double.init), w.isFinite, w > 0 else { return nil }
    var smallest = Double.infinity
    var rest = Substring(svg)
    while let r = rest.utf8Range(of: "font-size=\"") {
      let after = rest[r.upperBound...]
      guard let end = after.utf8.firstIndex(of: quote) else { break }
      if let size = Double(after[..<end]), size > 0, size.isFinite { smallest = min(smallest, size) }
      rest = after[end...]
    }
    guard smallest.isFinite else { return nil }
    return Int((w * minimumTextPixels / smallest).rounded(.up))
  }

  /// The value of attribute `name` in a start tag's attribute text.
  private static func attribute(_ tag: Substring, _ name: String) -> String? {
    guard let r = tag.utf8Range(of: " " + name + "=\"") else { return nil }
    let after = tag[r.upperBound...]
    return after.utf8.firstIndex(of: UInt8(ascii: "\"")).map { String(after[..<$0]) }
  }
}

extension OptionReader {
  /// The plot's `width` and `height`: the options when given (inside ``plotSizeRange``), else the
  /// chart's default from ``PlotDirective/defaultSizes``. Giving a side that the chart computes
  /// from its content is an error rather than silently ignored.
  func plotSize(_ type: String) throws(DirectiveFailure) -> (width: Double, height: Double?) {
    let d = PlotDirective.defaultSizes.first { $0.type == type }
    func side(_ name: String, _ value: Double?) throws(DirectiveFailure) -> Double? {
      guard let value else {
        if has(name) {
          ev.sink.error(inv.location(name), "option-value", "a \(type) plot sizes its \(name) to its content; '\(name)' cannot be set",
                        remedy: "remove '\(name)'")
          throw DirectiveFailure()
        }
        return nil
      }
      return try number(name, default: value, range: plotSizeRange)
    }
    let width = try side("width", d?.width)
    let height = try side("height", d?.height)
    return (width ?? 0, height)
  }

  /// ``plotSize(_:)`` for a chart with a fixed default width and height.
  func fixedPlotSize(_ type: String) throws(DirectiveFailure) -> (width: Double, height: Double) {
    let s = try plotSize(type)
    guard let height = s.height else { preconditionFailure("plot type \(type) has no default height") }
    return (s.width, height)
  }
}
