import BordinPlot
import BordinStats

/// `plot type: path` of a `clpm` or `sem` result: a path diagram with waves left to right,
/// autoregressive and cross-lagged arrows labelled with standardised coefficients (std.all),
/// covariances as curved double-headed arrows, and paths with p < .05 emphasised.
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
    let fit = m.fit
    var nodes: [PathDiagram.Node] = []
    var position: [String: (Int, Int)] = [:]
    if let x = m.x, let y = m.y, !m.waves.isEmpty {
      for (c, w) in m.waves.enumerated() {
        let px = m.randomIntercepts ? "wx\(w)" : x + w, py = m.randomIntercepts ? "wy\(w)" : y + w
        position[px] = (c, 0); position[py] = (c, 1)
        nodes.append(.init(id: px, label: x + " " + w, column: c, row: 0, shape: m.randomIntercepts ? .ellipse : .box))
        nodes.append(.init(id: py, label: y + " " + w, column: c, row: 1, shape: m.randomIntercepts ? .ellipse : .box))
      }
    } else {
      // A general model: endogenous variables to the right of their predictors, in order of appearance.
      var depth: [String: Int] = [:]
      let regressions = fit.parameters.filter { $0.op == "~" }
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
    for p in fit.parameters where position[p.lhs] != nil && position[p.rhs] != nil {
      let sig = (p.p ?? 1) < 0.05
      let label = Format.fixed(p.stdAll, 2, leadingZero: false)
      if p.op == "~" {
        edges.append(.init(from: p.rhs, to: p.lhs, kind: .directed, label: label, emphasised: sig))
      } else if p.op == "~~", p.lhs != p.rhs {
        edges.append(.init(from: p.lhs, to: p.rhs, kind: .covariance, label: label, emphasised: sig))
      }
    }
    let caption = try o.string("caption")
    let alt = try o.string("alt") ?? ""
    let columns = m.waves.isEmpty ? [] : m.waves.map { "Wave \($0)" }
    let plot = PathDiagram(nodes: nodes, edges: edges, columnLabels: columns, title: caption ?? "Path diagram", description: alt,
                           idPrefix: inv.label)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }
}
