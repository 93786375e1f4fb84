import BordinPlot
import BordinStats

/// `plot type: path` of a `clpm` or `sem` result: a path diagram with waves left to right,
/// autoregressive and cross-lagged arrows labelled with standardised coefficients (std.all),
/// covariances as curved double-headed arrows, and paths with p < .05 emphasised. A multigroup
/// model gets one panel per group (``PathDiagramPanels``), headed by the group's label.
enum PathPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    _ = try o.plotSize("path")  // a path diagram sizes itself: width and height are refused
    let of = try o.requiredString("of")
    let (kind, _) = try ev.result(of, at: inv.location("of"))
    guard let m = ev.output(of)?.model as? SEMDirective.Model else {
      ev.sink.error(inv.location("of"), "option-value", "a path diagram draws a sem or clpm result; '\(of)' is a \(kind)",
                    remedy: "name the label of a clpm or sem directive")
      throw DirectiveFailure()
    }
    let caption = try o.string("caption")
    let alt = try o.string("alt") ?? ""
    let svg: String
    if m.fit.groups.isEmpty {
      svg = diagram(m, parameters: m.fit.parameters, ev: ev, alt: alt, idPrefix: inv.label).svg()
    } else {
      // One panel per group, headed by the group column's value label.
      let column = m.group ?? ""
      let panels = m.fit.groups.map { g in
        PathDiagramPanels.Panel(heading: "\(column.isEmpty ? "Group" : ev.labels.column(column)): \(ev.labels.level(column, g.label))",
                                diagram: diagram(m, parameters: m.fit.parameters.filter { $0.group == g.label }, ev: ev, alt: "", idPrefix: inv.label))
      }
      svg = PathDiagramPanels(panels: panels, title: "Path diagrams by group", description: alt, idPrefix: inv.label).svg()
    }
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: svg),
                           data: of)
  }

  /// The diagram of one group's parameters (all of them for a single-group model).
  static func diagram(_ m: SEMDirective.Model, parameters: [SEMParameter], ev: Evaluation, alt: String, idPrefix: String) -> PathDiagram {
    let fit = m.fit
    var nodes: [PathDiagram.Node] = []
    var position: [String: (Int, Int)] = [:]
    var waveHeadings: [String] = []
    if let x = m.x, let y = m.y, !m.waves.isEmpty {
      for (c, w) in m.waves.enumerated() {
        let px = m.randomIntercepts ? "wx\(w)" : x + w, py = m.randomIntercepts ? "wy\(w)" : y + w
        position[px] = (c, 0); position[py] = (c, 1)
        // The wave is the column's heading; the box names the construct (its label).
        nodes.append(.init(id: px, label: stemLabel(x, ev.labels), column: c, row: 0, shape: m.randomIntercepts ? .ellipse : .box))
        nodes.append(.init(id: py, label: stemLabel(y, ev.labels), column: c, row: 1, shape: m.randomIntercepts ? .ellipse : .box))
      }
    } else if let panel = panelLayout(parameters, latent: fit.latent) {
      // A panel model written as a general model (`y8 ~ y4 + x4`): waves in columns, variables in rows.
      for v in panel.variables {
        position[v.name] = (v.column, v.row)
        let label = ev.labels.hasLabel(v.stem) ? ev.labels.column(v.stem) : ev.labels.column(v.name)
        nodes.append(.init(id: v.name, label: label, column: v.column, row: v.row))
      }
      waveHeadings = panel.waves.map { "Wave \($0)" }
    } else {
      // A general model: endogenous variables to the right of their predictors, in order of appearance.
      var depth: [String: Int] = [:]
      let regressions = parameters.filter { $0.op == "~" }
      let names = fit.latent + fit.observed
      for _ in 0..<names.count {
        for r in regressions { depth[r.lhs] = max(depth[r.lhs] ?? 0, (depth[r.rhs] ?? 0) + 1) }
      }
      var rows: [Int: Int] = [:]
      for n in names where regressions.contains(where: { $0.lhs == n || $0.rhs == n }) || fit.latent.contains(n) {
        let c = depth[n] ?? 0
        let r = rows[c, default: 0]
        rows[c] = r + 1
        position[n] = (c, r)
        nodes.append(.init(id: n, label: ev.labels.column(n), column: c, row: r, shape: fit.latent.contains(n) ? .ellipse : .box))
      }
    }
    var edges: [PathDiagram.Edge] = []
    for p in parameters where position[p.lhs] != nil && position[p.rhs] != nil {
      let sig = (p.p ?? 1) < 0.05
      let label = Format.fixed(p.stdAll, 2, leadingZero: false)
      if p.op == "~" {
        edges.append(.init(from: p.rhs, to: p.lhs, kind: .directed, label: label, emphasised: sig))
      } else if p.op == "~~", p.lhs != p.rhs {
        edges.append(.init(from: p.lhs, to: p.rhs, kind: .covariance, label: label, emphasised: sig))
      }
    }
    let columns = m.waves.isEmpty ? waveHeadings : m.waves.map { waveHeading($0, ev.labels) }
    return PathDiagram(nodes: nodes, edges: edges, columnLabels: columns, title: "Path diagram", description: alt, idPrefix: idPrefix)
  }

  /// The label of a column stem: its own, or that of the stem without a trailing separator
  /// (`bond_child_` of `bond_child_mid` → the label of `bond_child`).
  static func stemLabel(_ stem: String, _ labels: Labels) -> String {
    if labels.hasLabel(stem) { return labels.column(stem) }
    let trimmed = String(stem.reversed().drop { "_.-".contains($0) }.reversed())
    return !trimmed.isEmpty && labels.hasLabel(trimmed) ? labels.column(trimmed) : labels.column(stem)
  }

  /// "Wave 2" for a numbered wave; a named wave (`mid`) by its label, else capitalised ("Mid").
  static func waveHeading(_ wave: String, _ labels: Labels) -> String {
    if wave.allSatisfy(\.isNumber) { return "Wave \(wave)" }
    if labels.hasLabel(wave) { return labels.column(wave) }
    return wave.prefix(1).uppercased() + wave.dropFirst().map { "_.-".contains($0) ? " " : String($0) }.joined()
  }

  /// A variable of a panel model: `stem` measured at wave `wave` (`tasc_caregiver8`: stem
  /// `tasc_caregiver`, wave 8), drawn in the wave's column and the stem's row.
  struct PanelVariable { var name: String; var stem: String; var column: Int; var row: Int }

  /// The panel layout of a model whose variables in regressions are all observed and all end
  /// in a wave number, with at least two waves: columns by wave (ascending), rows by stem in
  /// order of appearance. Nil for any other model.
  static func panelLayout(_ parameters: [SEMParameter], latent: [String]) -> (variables: [PanelVariable], waves: [String])? {
    let regressions = parameters.filter { $0.op == "~" }
    var names: [String] = []
    for r in regressions { for n in [r.rhs, r.lhs] where !names.contains(n) { names.append(n) } }
    guard !names.isEmpty, !names.contains(where: latent.contains) else { return nil }
    var split: [(name: String, stem: String, wave: Int)] = []
    for n in names {
      let digits = n.reversed().prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty, digits.count < n.count, digits.count <= 6, let wave = Int(String(digits.reversed())) else { return nil }
      split.append((n, String(n.dropLast(digits.count)), wave))
    }
    let waves = Array(Set(split.map(\.wave))).sorted()
    guard waves.count >= 2 else { return nil }
    var stems: [String] = []
    for v in split where !stems.contains(v.stem) { stems.append(v.stem) }
    let variables = split.map { PanelVariable(name: $0.name, stem: $0.stem, column: waves.firstIndex(of: $0.wave)!, row: stems.firstIndex(of: $0.stem)!) }
    return (variables, waves.map(String.init))
  }
}
