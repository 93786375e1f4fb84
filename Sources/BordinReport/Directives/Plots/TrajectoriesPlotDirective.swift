import BordinData
import BordinPlot

/// `plot type: trajectories` of a `growth` (or `lmm`) result: each person's observed outcome over
/// time as a faint line, and the model-implied mean trajectory with its 95% band for each level
/// of one predictor (`predictor`, default the first).
enum TrajectoriesPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("trajectories")
    let of = try o.requiredString("of")
    let (kind, v) = try ev.result(of, at: inv.location("of"))
    guard kind == "growth", let m = ev.output(of)?.model as? LMMDirective.Model, let time = m.time, let outcome = m.outcome,
          case .array(let traj)? = v["trajectories"] else {
      ev.sink.error(inv.location("of"), "option-value", "a trajectories plot draws a growth result; '\(of)' is a \(kind)",
                    remedy: "name the label of a growth directive")
      throw DirectiveFailure()
    }
    let predictor = try o.string("predictor") ?? m.predictors.first ?? ""
    guard predictor.isEmpty || m.predictors.contains(predictor) else {
      ev.sink.error(inv.location("predictor"), "option-value", "'\(predictor)' is not a predictor of '\(of)'\(didYouMeanSuffix(predictor, m.predictors))",
                    remedy: "its predictors are: \(m.predictors.joined(separator: ", "))")
      throw DirectiveFailure()
    }
    // Individual lines: the innermost group's observed outcome over time (at most 400 people, evenly chosen).
    var individuals: [TrajectoriesPlot.Individual] = []
    let person = m.groups.first ?? ""
    if let ids = m.data[person], let t = m.data[time]?.doubles, let y = m.data[outcome]?.doubles {
      var byPerson: [String: [(Double, Double)]] = [:]
      var order: [String] = []
      for i in m.fit.rowsUsed {
        guard let id = ids.string(at: i) else { continue }
        if byPerson[id] == nil { order.append(id) }
        byPerson[id, default: []].append((t[i], y[i]))
      }
      let step = max(1, order.count / 400)
      for (k, id) in order.enumerated() where k % step == 0 {
        let pts = byPerson[id]!.sorted { $0.0 < $1.0 }
        individuals.append(.init(x: pts.map(\.0), y: pts.map(\.1)))
      }
    }
    var labels: [String] = []
    var groups: [TrajectoriesPlot.Group] = []
    for t in traj where (t["predictor"]?.string ?? "") == predictor {
      let label = t["level"]?.string ?? ""
      if !labels.contains(label) { labels.append(label) }
    }
    for label in labels {
      let rows = traj.filter { ($0["predictor"]?.string ?? "") == predictor && $0["level"]?.string == label }
      let pts = rows.map { PlotPoint(x: $0["time"]?.double ?? .nan, y: $0["fit"]?.double ?? .nan) }
      let band = rows.map { ErrorBar(at: $0["time"]?.double ?? .nan, lower: $0["ci_lb"]?.double ?? .nan, upper: $0["ci_ub"]?.double ?? .nan) }
      groups.append(.init(label: predictor.isEmpty ? "Model" : ev.labels.levelWithColumn(predictor, label), points: pts, band: band))
    }
    let caption = try o.string("caption")
    let alt = try o.string("alt") ?? "Trajectories of \(ev.labels.column(outcome)) over \(ev.labels.column(time)) for \(individuals.count) individuals, with the model-implied mean" +
      (predictor.isEmpty ? "" : " for each level of \(ev.labels.column(predictor)) (\(labels.map { ev.labels.level(predictor, $0) }.joined(separator: ", ")))") + " and 95% confidence bands."
    let plot = TrajectoriesPlot(individuals: individuals, groups: groups, xLabel: try o.string("xlab") ?? ev.labels.column(time), yLabel: try o.string("ylab") ?? ev.labels.column(outcome),
                                title: "Trajectories", description: alt, idPrefix: inv.label,
                                width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }
}
