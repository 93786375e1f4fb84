/// Path diagrams side by side in one figure: one panel per group of a multigroup model, each with
/// its heading (e.g. "Group: Individual"), stacked top to bottom so that a wide panel model keeps
/// its width.
///
/// ```
///  Group: Individual
///  ┌──────┐  .45   ┌──────┐
///  │ Anx1 │───────▶│ Anx2 │  …
///  Group: Group
///  ┌──────┐  .38   ┌──────┐
///  │ Anx1 │───────▶│ Anx2 │  …
/// ```
///
/// Each panel is a ``PathDiagram`` drawn as it would be alone (its own layout and arrowhead
/// markers, with ids `PREFIX-g1-…`, `PREFIX-g2-…`), moved into place; the figure is as wide as
/// the widest panel. The accessible description lists every panel's paths.
public struct PathDiagramPanels: Sendable {
  /// A panel: its heading and its diagram.
  public struct Panel: Sendable {
    public var heading: String
    public var diagram: PathDiagram
    public init(heading: String, diagram: PathDiagram) {
      self.heading = heading
      self.diagram = diagram
    }
  }

  public var panels: [Panel]
  /// The accessible name (`<title>`).
  public var title: String
  /// The alt text (`<desc>`); generated from the panels when empty.
  public var description: String
  /// The prefix of the figure's element ids.
  public var idPrefix: String
  public var theme: PlotTheme

  public init(panels: [Panel], title: String = "Path diagrams", description: String = "", idPrefix: String = "path", theme: PlotTheme = .apa) {
    self.panels = panels
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.theme = theme
  }

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree: each panel's drawing (its root's children but title and
  /// description) in a translated group under its heading.
  public func document() -> SVGElement {
    let ids = FigureIDs(prefix: idPrefix)
    let headingSize = theme.fontSize
    let gap = 12.0
    var y = 0.0
    var width = 0.0
    var groups: [SVGElement] = []
    var descriptions: [String] = []
    for (k, panel) in panels.enumerated() {
      var d = panel.diagram
      d.idPrefix = ids.id("g\(k + 1)")
      d.theme = theme
      let doc = d.document()
      let w = Self.number(doc, "width"), h = Self.number(doc, "height")
      y += headingSize * 1.4
      let heading = ChartSupport.text(panel.heading, x: theme.outerPadding + 2, y: y, className: "panel-heading", fontSize: headingSize, fill: theme.ink, bold: true)
      groups.append(heading)
      var g = SVGElement("g", ["class": "panel"])
      g.set("transform", "translate(0 " + SVGNumber.format(y + 2) + ")")
      for case .element(let child) in doc.children where child.name != "title" && child.name != "desc" { g.append(child) }
      groups.append(g)
      y += 2 + h + gap
      width = max(width, w, TextMetrics.estimatedWidth(panel.heading, fontSize: headingSize) + 2 * (theme.outerPadding + 2))
      descriptions.append(panel.heading + ": " + (d.description.isEmpty ? d.generatedDescription : d.description))
    }
    let height = max(y - gap, 40)
    let text = description.isEmpty ? descriptions.joined(separator: " ") : description
    var root = PlotCanvas.root(width: max(width, 80), height: height, title: title, description: text, ids: ids, theme: theme)
    for g in groups { root.append(g) }
    return root
  }

  private static func number(_ e: SVGElement, _ name: String) -> Double {
    Double(e.attributes.first { $0.name == name }?.value ?? "") ?? 0
  }
}
