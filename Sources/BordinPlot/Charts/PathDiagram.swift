/// A path diagram, laid out on a grid, for cross-lagged panel and other path models.
///
/// Variables are boxes (observed) or ellipses (latent) placed by column (waves, left to right)
/// and row (constructs, top to bottom). Directed paths are straight arrows; covariances are
/// double-headed curved arrows bowing outwards. Emphasised paths (e.g. significant ones) are
/// thick and solid, the others thin and dashed. Coefficient labels sit on a white background
/// near the arrow's midpoint, moved along the arrow when they would collide (crossing
/// cross-lagged paths are labelled near their sources).
///
/// ```
///   Wave 1            Wave 2
///  ┌──────┐  .45   ┌──────┐
///  │ Anx1 │───────▶│ Anx2 │
///  └──────┘ ╲.12 ╱ └──────┘
/// (  .30     ╳       .08  )
///  ┌──────┐ ╱.05 ╲ ┌──────┐
///  │ Dep1 │───────▶│ Dep2 │
///  └──────┘  .51   └──────┘
/// ```
///
/// Arrowheads are `<marker>`s defined once per figure, with ids from ``idPrefix``. The figure
/// is as large as its content: its size follows from the grid, the labels and the curves.
///
/// Input is taken as it comes, and nothing crashes: a node whose id repeats an earlier one is
/// ignored, edges naming an unknown node or joining a node to itself are not drawn, and no
/// nodes give a small figure with the note "No variables to draw".
public struct PathDiagram: Sendable {
  /// How a variable is drawn.
  public enum NodeShape: Sendable, Hashable {
    /// A rectangle: an observed variable.
    case box
    /// An ellipse: a latent variable.
    case ellipse
  }

  /// A variable.
  public struct Node: Sendable, Equatable {
    /// The id edges refer to (not shown, not used as an element id).
    public var id: String
    /// The text in the shape.
    public var label: String
    /// Grid column (e.g. the wave, from 0).
    public var column: Int
    /// Grid row (e.g. the construct, from 0).
    public var row: Int
    /// Box or ellipse.
    public var shape: NodeShape

    /// Creates a variable.
    public init(id: String, label: String, column: Int, row: Int, shape: NodeShape = .box) {
      self.id = id
      self.label = label
      self.column = column
      self.row = row
      self.shape = shape
    }
  }

  /// The kind of an edge.
  public enum EdgeKind: Sendable, Hashable {
    /// A regression path: a single-headed straight arrow from `from` to `to`.
    case directed
    /// A covariance or correlation: a double-headed curved arrow.
    case covariance
  }

  /// A path or covariance between two variables.
  public struct Edge: Sendable, Equatable {
    /// The id of the source variable.
    public var from: String
    /// The id of the target variable.
    public var to: String
    /// Directed or covariance.
    public var kind: EdgeKind
    /// The coefficient text, e.g. `.45***` (empty for none).
    public var label: String
    /// Draw thick and solid (e.g. significant); otherwise thin and dashed.
    public var emphasised: Bool

    /// Creates an edge.
    public init(from: String, to: String, kind: EdgeKind = .directed, label: String = "", emphasised: Bool = true) {
      self.from = from
      self.to = to
      self.kind = kind
      self.label = label
      self.emphasised = emphasised
    }
  }

  /// The variables.
  public var nodes: [Node]
  /// The paths and covariances.
  public var edges: [Edge]
  /// Headings above the columns, by column number (e.g. `Wave 1`, `Wave 2`); empty for none.
  public var columnLabels: [String]
  /// The accessible name (`<title>`); generated when empty.
  public var title: String
  /// The alt text (`<desc>`); generated when empty, listing every drawn edge.
  public var description: String
  /// The prefix of the figure's element ids (markers, title, desc).
  public var idPrefix: String
  /// Horizontal gap between neighbouring columns' shapes, at least.
  public var columnGap: Double
  /// Vertical gap between neighbouring rows' shapes, at least.
  public var rowGap: Double
  /// The look of the figure.
  public var theme: PlotTheme

  /// Creates a path diagram.
  ///
  /// - Parameters:
  ///   - nodes: The variables with their grid positions.
  ///   - edges: Directed paths and covariances.
  ///   - columnLabels: Headings above the columns, by column number.
  ///   - title: Accessible name; generated when empty.
  ///   - description: Alt text; generated when empty.
  ///   - idPrefix: Prefix of element ids, unique on the page.
  ///   - columnGap: Minimum gap between columns (widened to fit coefficient labels).
  ///   - rowGap: Minimum gap between rows.
  public init(
    nodes: [Node], edges: [Edge], columnLabels: [String] = [], title: String = "", description: String = "",
    idPrefix: String = "path", columnGap: Double = 110, rowGap: Double = 80, theme: PlotTheme = .apa
  ) {
    self.nodes = nodes
    self.edges = edges
    self.columnLabels = columnLabels
    self.title = title
    self.description = description
    self.idPrefix = idPrefix
    self.columnGap = columnGap
    self.rowGap = rowGap
    self.theme = theme
  }

  // MARK: Geometry

  struct Point: Equatable {
    var x: Double
    var y: Double
    static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    static func * (a: Point, k: Double) -> Point { Point(x: a.x * k, y: a.y * k) }
    var length: Double { (x * x + y * y).squareRoot() }
  }

  struct Box {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double
    func intersects(_ other: Box) -> Bool {
      minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
    func inflated(_ d: Double) -> Box { Box(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d) }
  }

  struct PlacedNode {
    var node: Node
    var centre: Point
    var halfWidth: Double
    var halfHeight: Double
    var box: Box { Box(minX: centre.x - halfWidth, minY: centre.y - halfHeight, maxX: centre.x + halfWidth,
                       maxY: centre.y + halfHeight) }

    /// Where the ray from the centre in direction `d` leaves the shape.
    func boundary(towards d: Point) -> Point {
      let len = d.length
      guard len > 0, len.isFinite else { return centre }
      switch node.shape {
      case .box:
        let tx = d.x == 0 ? Double.infinity : halfWidth / abs(d.x)
        let ty = d.y == 0 ? Double.infinity : halfHeight / abs(d.y)
        return centre + d * min(tx, ty)
      case .ellipse:
        let k = ((d.x / halfWidth) * (d.x / halfWidth) + (d.y / halfHeight) * (d.y / halfHeight)).squareRoot()
        return centre + d * (1 / k)
      }
    }
  }

  /// An edge ready to draw: its path data, where its label goes, and what it covers.
  struct RoutedEdge {
    var edge: Edge
    var d: String
    var samples: [Point]
    var labelCandidates: [Point]
  }

  /// The drawable nodes: first of each id.
  var uniqueNodes: [Node] {
    var seen = Set<String>()
    return nodes.filter { seen.insert($0.id).inserted }
  }

  /// The drawable edges: both ends known and distinct.
  var drawableEdges: [Edge] {
    let ids = Set(uniqueNodes.map(\.id))
    return edges.filter { ids.contains($0.from) && ids.contains($0.to) && $0.from != $0.to }
  }

  // MARK: Rendering

  /// The figure as SVG text.
  public func svg() -> String { document().rendered() }

  /// The figure as an element tree.
  public func document() -> SVGElement {
    let ids = FigureIDs(prefix: idPrefix)
    let nodeList = uniqueNodes
    let figureTitle = title.isEmpty ? "Path diagram" : title
    let figureDescription = description.isEmpty ? generatedDescription : description
    guard !nodeList.isEmpty else {
      return note("No variables to draw", title: figureTitle, description: figureDescription, ids: ids)
    }

    let font = theme.fontSize
    let labelFont = theme.tickFontSize
    // Names wrap into lines of at most `nodeTextWidth`, so a long name makes a taller box, not
    // a wider figure (which the page would scale down, text and all).
    let lines = Dictionary(nodeList.map { ($0.id, Self.wrap($0.label, width: nodeTextWidth, fontSize: font)) },
                           uniquingKeysWith: { first, _ in first })
    let widest = lines.values.flatMap { $0 }.map { TextMetrics.estimatedWidth($0, fontSize: font) }.max() ?? 0
    let lineCount = Double(lines.values.map(\.count).max() ?? 1)
    let lineHeight = font * 1.2
    let boxHalfWidth = max(32, widest / 2 + 8)
    let boxHalfHeight = max(15, lineCount * lineHeight / 2 + 5)
    let ellipseHalfWidth = boxHalfWidth * 1.2 + 4
    let ellipseHalfHeight = boxHalfHeight + 5
    let coefficientWidth = edges.map { TextMetrics.estimatedWidth($0.label, fontSize: labelFont) }.max() ?? 0
    let hasEllipse = nodeList.contains { $0.shape == .ellipse }
    let cellHalfWidth = hasEllipse ? ellipseHalfWidth : boxHalfWidth
    let cellHalfHeight = hasEllipse ? ellipseHalfHeight : boxHalfHeight
    let gapX = max(ChartSupport.size(columnGap, minimum: 40, fallback: 110), coefficientWidth * 2 + 30)
    let gapY = ChartSupport.size(rowGap, minimum: 30, fallback: 80)
    let stepX = 2 * cellHalfWidth + gapX
    let stepY = 2 * cellHalfHeight + gapY

    var placed: [String: PlacedNode] = [:]
    for node in nodeList {
      let ellipse = node.shape == .ellipse
      placed[node.id] = PlacedNode(
        node: node, centre: Point(x: Double(node.column) * stepX, y: Double(node.row) * stepY),
        halfWidth: ellipse ? ellipseHalfWidth : boxHalfWidth, halfHeight: ellipse ? ellipseHalfHeight : boxHalfHeight)
    }
    let columns = nodeList.map(\.column)
    let rows = nodeList.map(\.row)
    let minColumn = columns.min() ?? 0
    let maxColumn = columns.max() ?? 0
    let minRow = rows.min() ?? 0
    // Arrays in node order (never dictionary order, which changes from run to run).
    let placedList = nodeList.compactMap { placed[$0.id] }
    let centres = placedList.map(\.centre)
    let gridCentre = centres.reduce(Point(x: 0, y: 0), +) * (1 / Double(max(centres.count, 1)))

    let routed = routeEdges(placed: placed, placedList: placedList, gridCentre: gridCentre,
                            minColumn: minColumn, maxColumn: maxColumn, minRow: minRow)

    // Place labels: crossing directed edges near their sources, others near the middle.
    let nodeBoxes = placedList.map { $0.box.inflated(1) }
    let (labelPositions, labelBoxes) = placeLabels(routed, nodeBoxes: nodeBoxes, labelFont: labelFont)

    // Headings above the columns.
    var headings: [(String, Point)] = []
    let topOfNodes = placedList.map(\.box.minY).min() ?? 0
    for column in Set(columns).sorted() where column >= 0 && column < columnLabels.count {
      let text = columnLabels[column]
      guard !text.isEmpty else { continue }
      headings.append((text, Point(x: Double(column) * stepX, y: topOfNodes - 14)))
    }

    // Bounds of everything, then the figure size.
    var bounds = nodeBoxes.reduce(Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)) {
      Box(minX: min($0.minX, $1.minX), minY: min($0.minY, $1.minY), maxX: max($0.maxX, $1.maxX),
          maxY: max($0.maxY, $1.maxY))
    }
    func include(_ b: Box) {
      bounds = Box(minX: min(bounds.minX, b.minX), minY: min(bounds.minY, b.minY), maxX: max(bounds.maxX, b.maxX),
                   maxY: max(bounds.maxY, b.maxY))
    }
    for route in routed { for p in route.samples { include(Box(minX: p.x - 6, minY: p.y - 6, maxX: p.x + 6, maxY: p.y + 6)) } }
    labelBoxes.forEach(include)
    for (text, p) in headings {
      let w = TextMetrics.estimatedWidth(text, fontSize: font)
      include(Box(minX: p.x - w / 2, minY: p.y - font, maxX: p.x + w / 2, maxY: p.y + 3))
    }
    let pad = theme.outerPadding + 2
    let shift = Point(x: pad - bounds.minX, y: pad - bounds.minY)
    let width = bounds.maxX - bounds.minX + 2 * pad
    let height = bounds.maxY - bounds.minY + 2 * pad
    guard width.isFinite, height.isFinite, width < 1e7, height < 1e7 else {
      return note("Diagram too large to draw", title: figureTitle, description: figureDescription, ids: ids)
    }

    var root = PlotCanvas.root(width: width, height: height, title: figureTitle, description: figureDescription,
                               ids: ids, theme: theme)
    root.append(markers(ids))
    var content = SVGElement("g", ["class": "diagram"])
    content.set("transform", "translate(" + fmt(shift.x) + " " + fmt(shift.y) + ")")

    drawEdges(routed, ids: ids, into: &content)

    content.append(drawNodes(nodeList, placed: placed, lines: lines, lineHeight: lineHeight))

    let labels = drawEdgeLabels(routed, at: labelPositions, labelFont: labelFont)
    if !labels.children.isEmpty { content.append(labels) }

    if !headings.isEmpty {
      var group = ChartSupport.textGroup(className: "column-labels", fontSize: font, fill: theme.ink, anchor: .middle)
      group.set("font-weight", "bold")
      for (text, p) in headings { group.append(ChartSupport.text(text, x: p.x, y: p.y)) }
      content.append(group)
    }
    root.append(content)
    return root
  }

  /// Every drawable edge routed: directed paths (bowed apart when reciprocal) and covariance
  /// arcs, each the candidate route that crosses the fewest nodes.
  private func routeEdges(
    placed: [String: PlacedNode], placedList: [PlacedNode], gridCentre: Point, minColumn: Int, maxColumn: Int, minRow: Int
  ) -> [RoutedEdge] {
    let drawn = drawableEdges
    var routed: [RoutedEdge] = []
    for edge in drawn {
      guard let a = placed[edge.from], let b = placed[edge.to] else { continue }
      let candidates: [RoutedEdge]
      switch edge.kind {
      case .directed:
        let reciprocal = drawn.contains { $0.kind == .directed && $0.from == edge.to && $0.to == edge.from }
        candidates = directedRoutes(edge, a, b, reciprocal: reciprocal, gridCentre: gridCentre)
      case .covariance:
        candidates = covarianceRoutes(edge, a, b, minColumn: minColumn, maxColumn: maxColumn, minRow: minRow)
      }
      routed.append(choose(candidates, avoiding: placedList, except: [edge.from, edge.to]))
    }
    return routed
  }

  /// The 240×80 placeholder figure that says why nothing is drawn.
  private func note(_ text: String, title figureTitle: String, description figureDescription: String,
                    ids: FigureIDs) -> SVGElement {
    var root = PlotCanvas.root(width: 240, height: 80, title: figureTitle, description: figureDescription, ids: ids,
                               theme: theme)
    root.append(ChartSupport.text(text, x: 120, y: 44, anchor: .middle, className: "note",
                                  fontSize: theme.fontSize, fill: theme.grey))
    return root
  }

  /// Label positions, one per routed edge (nil when the edge has no label), and the boxes they
  /// occupy: crossing directed edges near their sources, others near the middle; each label takes
  /// the first candidate of lowest cost (overlapping a label or a shape is worst, then each other
  /// edge it would cover).
  private func placeLabels(_ routed: [RoutedEdge], nodeBoxes: [Box], labelFont: Double)
    -> (positions: [Point?], boxes: [Box])
  {
    var labelBoxes: [Box] = []
    var labelPositions: [Point?] = []
    for (index, route) in routed.enumerated() {
      guard !route.edge.label.isEmpty else {
        labelPositions.append(nil)
        continue
      }
      let width = TextMetrics.estimatedWidth(route.edge.label, fontSize: labelFont) + 4
      let height = labelFont + 3
      var candidates = route.labelCandidates
      if route.edge.kind == .directed && crossesAnother(index, routed) && candidates.count > 8 {
        // Crossing paths (cross-lagged): labelled near their sources, well away from the
        // crossing, so each label sits on its own path (t = 0.25, 0.2, 0.3 first).
        candidates = [candidates[5], candidates[7], candidates[3]] + candidates
      }
      func box(at p: Point) -> Box {
        Box(minX: p.x - width / 2, minY: p.y - height / 2, maxX: p.x + width / 2, maxY: p.y + height / 2)
      }
      // The first candidate with the lowest cost: overlapping a label or a shape is worst,
      // then each other edge the label would cover.
      var choice = candidates.first ?? Point(x: 0, y: 0)
      var best = Double.infinity
      for p in candidates {
        let b = box(at: p)
        var cost = 0.0
        if labelBoxes.contains(where: { $0.intersects(b) }) { cost += 1000 }
        if nodeBoxes.contains(where: { $0.intersects(b) }) { cost += 1000 }
        for (other, route) in routed.enumerated() where other != index {
          let hit = zip(route.samples, route.samples.dropFirst()).contains { segmentHits($0, $1, b) }
          if hit { cost += 10 }
        }
        if cost < best {
          best = cost
          choice = p
        }
      }
      labelBoxes.append(box(at: choice))
      labelPositions.append(choice)
    }
    return (labelPositions, labelBoxes)
  }

  /// The edges as `path` elements: covariances (two-headed) in one group, directed paths in
  /// another, each group added to `content` when it has members.
  private func drawEdges(_ routed: [RoutedEdge], ids: FigureIDs, into content: inout SVGElement) {
    var covariances = SVGElement("g", ["class": "covariances"])
    var paths = SVGElement("g", ["class": "paths"])
    for route in routed {
      let isCovariance = route.edge.kind == .covariance
      var path = SVGElement("path", [
        "class": (isCovariance ? "covariance" : "path") + (route.edge.emphasised ? " emphasised" : ""),
        "d": route.d,
      ])
      let width = route.edge.emphasised ? 1.8 : 0.9
      ShapeStyle.line(route.edge.emphasised ? theme.ink : theme.grey, width: width,
                      dash: route.edge.emphasised ? nil : [5, 3]).apply(to: &path)
      if isCovariance { path.set("marker-start", "url(#" + ids.id("arrow-start") + ")") }
      path.set("marker-end", "url(#" + ids.id("arrow") + ")")
      if isCovariance { covariances.append(path) } else { paths.append(path) }
    }
    if !covariances.children.isEmpty { content.append(covariances) }
    if !paths.children.isEmpty { content.append(paths) }
  }

  /// The nodes: a rectangle (observed) or ellipse (latent) with its label, wrapped onto `lines`, at its centre.
  private func drawNodes(_ nodeList: [Node], placed: [String: PlacedNode], lines: [String: [String]], lineHeight: Double) -> SVGElement {
    let font = theme.fontSize
    var nodesGroup = SVGElement("g", ["class": "nodes"])
    nodesGroup.set("font-size", font)
    nodesGroup.set("text-anchor", "middle")
    for node in nodeList {
      guard let p = placed[node.id] else { continue }
      var group = SVGElement("g", ["class": node.shape == .box ? "node observed" : "node latent"])
      var shape: SVGElement
      switch node.shape {
      case .box:
        shape = SVGElement("rect").with("x", p.centre.x - p.halfWidth).with("y", p.centre.y - p.halfHeight)
          .with("width", 2 * p.halfWidth).with("height", 2 * p.halfHeight)
      case .ellipse:
        shape = SVGElement("ellipse").with("cx", p.centre.x).with("cy", p.centre.y).with("rx", p.halfWidth)
          .with("ry", p.halfHeight)
      }
      ShapeStyle(stroke: theme.ink, strokeWidth: 1.2, fill: "#ffffff").apply(to: &shape)
      group.append(shape)
      let nodeLines = lines[node.id] ?? [node.label]
      let top = p.centre.y - Double(nodeLines.count - 1) * lineHeight / 2 + font * 0.35
      for (k, line) in nodeLines.enumerated() {
        group.append(ChartSupport.text(line, x: p.centre.x, y: top + Double(k) * lineHeight, fill: theme.ink))
      }
      nodesGroup.append(group)
    }
    return nodesGroup
  }

  /// The edge labels at their placed positions, each on a white background.
  private func drawEdgeLabels(_ routed: [RoutedEdge], at labelPositions: [Point?], labelFont: Double) -> SVGElement {
    var labels = SVGElement("g", ["class": "edge-labels"])
    labels.set("font-size", labelFont)
    labels.set("text-anchor", "middle")
    for (route, position) in zip(routed, labelPositions) {
      guard let position else { continue }
      let w = TextMetrics.estimatedWidth(route.edge.label, fontSize: labelFont) + 4
      var group = SVGElement("g", ["class": "edge-label"])
      var background = SVGElement("rect").with("x", position.x - w / 2).with("y", position.y - (labelFont + 3) / 2)
        .with("width", w).with("height", labelFont + 3)
      ShapeStyle.area("#ffffff").apply(to: &background)
      group.append(background)
      group.append(ChartSupport.text(route.edge.label, x: position.x, y: position.y + labelFont * 0.35,
                                     fill: route.edge.emphasised ? theme.ink : theme.grey))
      labels.append(group)
    }
    return labels
  }

  /// The widest a line of a variable's name may be, in user units (10 em).
  var nodeTextWidth: Double { theme.fontSize * 10 }

  /// `text` broken into lines no wider than `width` at `fontSize`: greedily at spaces, and
  /// after `_` in a long raw name; a word wider than `width` stays whole on its own line.
  static func wrap(_ text: String, width: Double, fontSize: Double) -> [String] {
    var words: [String] = []
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if TextMetrics.estimatedWidth(String(word), fontSize: fontSize) <= width || !word.contains("_") {
        words.append(String(word))
        continue
      }
      var piece = ""
      for ch in word {
        piece.append(ch)
        if ch == "_" { words.append(piece); piece = "" }
      }
      if !piece.isEmpty { words.append(piece) }
    }
    var lines: [String] = []
    var current = ""
    for word in words {
      let joiner = current.isEmpty || current.hasSuffix("_") ? "" : " "
      let candidate = current + joiner + word
      if current.isEmpty || TextMetrics.estimatedWidth(candidate, fontSize: fontSize) <= width {
        current = candidate
      } else {
        lines.append(current)
        current = word
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.isEmpty ? [text] : lines
  }

  /// The two arrowhead markers: `PREFIX-arrow` (at path ends) and `PREFIX-arrow-start`.
  private func markers(_ ids: FigureIDs) -> SVGElement {
    var defs = SVGElement("defs")
    for (suffix, d, refX) in [("arrow", "M0 0L10 5L0 10Z", 10.0), ("arrow-start", "M10 0L0 5L10 10Z", 0.0)] {
      var marker = SVGElement("marker", ["id": ids.id(suffix), "viewBox": "0 0 10 10"])
      marker.set("refX", refX)
      marker.set("refY", 5)
      marker.set("markerWidth", 9)
      marker.set("markerHeight", 7)
      marker.set("markerUnits", "userSpaceOnUse")
      marker.set("orient", "auto")
      var head = SVGElement("path", ["d": d])
      head.set("fill", theme.ink)
      marker.append(head)
      defs.append(marker)
    }
    return defs
  }

  /// The first route in `candidates` that passes through no other shape (inflated a little);
  /// when every route does, the one that crosses the fewest.
  private func choose(_ candidates: [RoutedEdge], avoiding obstacles: [PlacedNode], except ends: Set<String>)
    -> RoutedEdge
  {
    let boxes = obstacles.filter { !ends.contains($0.node.id) }.map { $0.box.inflated(3) }
    var best = candidates[0]
    var fewest = Int.max
    for route in candidates {
      let hits = boxes.filter { box in
        zip(route.samples, route.samples.dropFirst()).contains { segmentHits($0, $1, box) }
      }.count
      if hits == 0 { return route }
      if hits < fewest {
        fewest = hits
        best = route
      }
    }
    return best
  }

  /// Routes for a directed edge, best first: a straight arrow between the shapes (through their
  /// sides when mostly horizontal, offset sideways when the reverse path also exists), then
  /// curves bowing away from the middle of the diagram, then towards it.
  private func directedRoutes(_ edge: Edge, _ a: PlacedNode, _ b: PlacedNode, reciprocal: Bool, gridCentre: Point)
    -> [RoutedEdge]
  {
    let direction = b.centre - a.centre
    let length = direction.length
    let normal = length > 0 ? Point(x: -direction.y / length, y: direction.x / length) : Point(x: 0, y: 1)
    let offset = reciprocal ? normal * 5 : Point(x: 0, y: 0)
    var start = a.boundary(towards: direction) + offset
    var end = b.boundary(towards: a.centre - b.centre) + offset
    if a.node.column != b.node.column && abs(direction.y) <= abs(direction.x) {
      // Mostly horizontal (autoregressive, cross-lagged): leave and enter through the sides,
      // a little towards the other row, so that the space above and below the shapes stays
      // free for within-wave covariances.
      let side = direction.x > 0 ? 1.0 : -1.0
      let tilt = direction.y == 0 ? 0 : (direction.y > 0 ? 1.0 : -1.0)
      start = a.boundary(towards: Point(x: side * a.halfWidth, y: tilt * 0.45 * a.halfHeight)) + offset
      end = b.boundary(towards: Point(x: -side * b.halfWidth, y: -tilt * 0.45 * b.halfHeight)) + offset
    }
    let ts = [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8]
    let straight = RoutedEdge(
      edge: edge, d: "M" + fmt(start.x) + " " + fmt(start.y) + "L" + fmt(end.x) + " " + fmt(end.y),
      samples: (0...8).map { start + (end - start) * (Double($0) / 8) },
      labelCandidates: ts.map { start + (end - start) * $0 })

    let away = (a.centre + b.centre) * 0.5 - gridCentre
    let dot = away.x * normal.x + away.y * normal.y
    var side = normal
    if dot < 0 || (dot == 0 && (normal.y > 0 || (normal.y == 0 && normal.x > 0))) { side = normal * -1 }
    let bow = max(40, length * 0.22)
    var routes = [straight]
    for (direction, factor) in [(side, 1.0), (side, 2.0), (side * -1, 1.0), (side * -1, 2.0)] {
      let control = (a.centre + b.centre) * 0.5 + direction * (bow * 2 * factor)
      routes.append(curve(edge, a.boundary(towards: control - a.centre), control, b.boundary(towards: control - b.centre)))
    }
    return routes
  }

  /// A quadratic curve from `s` through `control` to `e`, with label candidates along it.
  private func curve(_ edge: Edge, _ s: Point, _ control: Point, _ e: Point) -> RoutedEdge {
    func at(_ t: Double) -> Point {
      s * ((1 - t) * (1 - t)) + control * (2 * (1 - t) * t) + e * (t * t)
    }
    let d = "M" + fmt(s.x) + " " + fmt(s.y) + "Q" + fmt(control.x) + " " + fmt(control.y) + " " + fmt(e.x) + " "
      + fmt(e.y)
    let ts = [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75]
    return RoutedEdge(edge: edge, d: d, samples: (0...16).map { at(Double($0) / 16) }, labelCandidates: ts.map(at))
  }

  /// A "C"-shaped cubic curve leaving both shapes on the `outward` side and bowing by `bow`.
  private func bracket(_ edge: Edge, _ a: PlacedNode, _ b: PlacedNode, outward: Point, bow: Double) -> RoutedEdge {
    let vertical = outward.x != 0
    // Leave each shape on its outward side, a little towards the other shape.
    func attach(_ node: PlacedNode, towards other: PlacedNode) -> Point {
      let delta = other.centre - node.centre
      if vertical {
        let tilt = delta.y == 0 ? 0 : (delta.y > 0 ? 0.5 : -0.5)
        return node.boundary(towards: Point(x: outward.x * node.halfWidth, y: tilt * node.halfHeight))
      }
      let tilt = delta.x == 0 ? 0 : (delta.x > 0 ? 0.3 : -0.3)
      return node.boundary(towards: Point(x: tilt * node.halfWidth, y: outward.y * node.halfHeight))
    }
    let s = attach(a, towards: b)
    let e = attach(b, towards: a)
    let c1 = s + outward * bow
    let c2 = e + outward * bow
    func at(_ t: Double) -> Point {
      let u = 1 - t
      return s * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + e * (t * t * t)
    }
    let d = "M" + fmt(s.x) + " " + fmt(s.y) + "C" + fmt(c1.x) + " " + fmt(c1.y) + " " + fmt(c2.x) + " " + fmt(c2.y)
      + " " + fmt(e.x) + " " + fmt(e.y)
    let labelFont = theme.tickFontSize
    let w = TextMetrics.estimatedWidth(edge.label, fontSize: labelFont) + 4
    // The label sits on the curve's turn, interrupting its own arc (so that stacked arcs'
    // labels are each tied to one arc); just outside it only when that place is taken.
    let nudge = vertical ? Point(x: outward.x * (w / 2 + 3), y: 0) : Point(x: 0, y: outward.y * (labelFont / 2 + 4))
    let candidates = [at(0.5), at(0.4), at(0.6), at(0.5) + nudge, at(0.4) + nudge, at(0.6) + nudge]
    return RoutedEdge(edge: edge, d: d, samples: (0...16).map { at(Double($0) / 16) }, labelCandidates: candidates)
  }

  /// Routes for a double-headed covariance, best first. Within a column: outside the first or
  /// last column, or a shallow arc in the gap between neighbouring shapes of a middle column;
  /// within a row: above the top row, below the others; otherwise a bowed curve. Wider bows
  /// and the other side follow, for when a route would cross a shape.
  private func covarianceRoutes(
    _ edge: Edge, _ a: PlacedNode, _ b: PlacedNode, minColumn: Int, maxColumn: Int, minRow: Int
  ) -> [RoutedEdge] {
    let sameColumn = a.node.column == b.node.column
    let sameRow = a.node.row == b.node.row
    let distance = (b.centre - a.centre).length
    var routes: [RoutedEdge] = []
    if sameColumn && a.node.column != minColumn && a.node.column != maxColumn && a.centre.y != b.centre.y {
      let down = b.centre.y > a.centre.y ? 1.0 : -1.0
      let s = a.boundary(towards: Point(x: 0, y: down))
      let e = b.boundary(towards: Point(x: 0, y: -down))
      let bow = 10 + 0.06 * abs(e.y - s.y)
      let control = (s + e) * 0.5 + Point(x: 2 * bow, y: 0)
      let w = TextMetrics.estimatedWidth(edge.label, fontSize: theme.tickFontSize) + 4
      var arc = curve(edge, s, control, e)
      let apex = (s + e) * 0.5 + Point(x: bow, y: 0)
      arc.labelCandidates = [apex + Point(x: w / 2 + 3, y: 0), apex - Point(x: w / 2 + 3 + bow, y: 0)]
        + arc.labelCandidates
      routes.append(arc)
    }
    if sameColumn || sameRow {
      let outward: Point
      if sameColumn {
        outward = Point(x: a.node.column == minColumn ? -1 : 1, y: 0)
      } else {
        outward = Point(x: 0, y: a.node.row == minRow ? -1 : 1)
      }
      let bow = 26 + 0.12 * distance
      for factor in [1.0, 2.0, 3.0] { routes.append(bracket(edge, a, b, outward: outward, bow: bow * factor)) }
      for factor in [1.0, 2.0] { routes.append(bracket(edge, a, b, outward: outward * -1, bow: bow * factor)) }
      return routes
    }
    let direction = b.centre - a.centre
    let normal = Point(x: -direction.y / distance, y: direction.x / distance)
    for (side, factor) in [(1.0, 0.25), (-1.0, 0.25), (1.0, 0.5), (-1.0, 0.5)] {
      let control = (a.centre + b.centre) * 0.5 + normal * (side * distance * factor)
      routes.append(curve(edge, a.boundary(towards: control - a.centre), control, b.boundary(towards: control - b.centre)))
    }
    return routes
  }

  /// Whether the straight part of directed edge `index` crosses another directed edge.
  private func crossesAnother(_ index: Int, _ routed: [RoutedEdge]) -> Bool {
    let mine = routed[index]
    guard let p1 = mine.samples.first, let p2 = mine.samples.last else { return false }
    for (other, route) in routed.enumerated() where other != index && route.edge.kind == .directed {
      guard let q1 = route.samples.first, let q2 = route.samples.last else { continue }
      if segmentsCross(p1, p2, q1, q2) { return true }
    }
    return false
  }

  private func segmentsCross(_ p1: Point, _ p2: Point, _ q1: Point, _ q2: Point) -> Bool {
    func cross(_ o: Point, _ a: Point, _ b: Point) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
    let d1 = cross(q1, q2, p1)
    let d2 = cross(q1, q2, p2)
    let d3 = cross(p1, p2, q1)
    let d4 = cross(p1, p2, q2)
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
  }

  /// Whether segment `p`–`q` passes through `box` (Liang–Barsky clipping).
  private func segmentHits(_ p: Point, _ q: Point, _ box: Box) -> Bool {
    var t0 = 0.0
    var t1 = 1.0
    let dx = q.x - p.x
    let dy = q.y - p.y
    for (edgeP, edgeQ) in [(-dx, p.x - box.minX), (dx, box.maxX - p.x), (-dy, p.y - box.minY), (dy, box.maxY - p.y)] {
      if edgeP == 0 {
        if edgeQ < 0 { return false }
        continue
      }
      let r = edgeQ / edgeP
      if edgeP < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
      if t0 > t1 { return false }
    }
    return true
  }

  // MARK: Text

  /// E.g. "Path diagram of 4 variables in 2 columns and 2 rows, with 4 directed paths
  /// (3 emphasised) and 2 covariances. Paths: Anx1 → Anx2 .45; …. Covariances: Anx1 ↔ Dep1 .30."
  var generatedDescription: String {
    let nodeList = uniqueNodes
    // A name several boxes share (a construct in each wave) gets its column's heading
    // ("Alliance (Wave 2)"), so that the variables stay distinct in words.
    let shared = Dictionary(grouping: nodeList, by: \.label).filter { $0.value.count > 1 }
    let label = Dictionary(nodeList.map { node -> (String, String) in
      let heading = node.column >= 0 && node.column < columnLabels.count ? columnLabels[node.column] : ""
      return (node.id, heading.isEmpty || shared[node.label] == nil ? node.label : node.label + " (" + heading + ")")
    }, uniquingKeysWith: { first, _ in first })
    let drawn = drawableEdges
    let directed = drawn.filter { $0.kind == .directed }
    let covariances = drawn.filter { $0.kind == .covariance }
    var text = "Path diagram of " + ChartSupport.count(nodeList.count, "variable", "variables")
    if !nodeList.isEmpty {
      let columns = Set(nodeList.map(\.column)).count
      let rows = Set(nodeList.map(\.row)).count
      text += " in " + ChartSupport.count(columns, "column", "columns") + " and " + ChartSupport.count(rows, "row", "rows")
    }
    text += ", with " + ChartSupport.count(directed.count, "directed path", "directed paths")
    let emphasised = directed.filter(\.emphasised).count
    if emphasised > 0 && emphasised < directed.count { text += " (\(emphasised) emphasised)" }
    text += " and " + ChartSupport.count(covariances.count, "covariance", "covariances") + "."
    func describe(_ edge: Edge, _ arrow: String) -> String {
      let name = (label[edge.from] ?? edge.from) + " " + arrow + " " + (label[edge.to] ?? edge.to)
      return edge.label.isEmpty ? name : name + " " + edge.label
    }
    if !directed.isEmpty && drawn.count <= 40 {
      text += " Paths: " + directed.map { describe($0, "→") }.joined(separator: "; ") + "."
    }
    if !covariances.isEmpty && drawn.count <= 40 {
      text += " Covariances: " + covariances.map { describe($0, "↔") }.joined(separator: "; ") + "."
    }
    return text
  }

  private func fmt(_ value: Double) -> String { SVGNumber.format(value.isFinite ? value : 0) }
}
