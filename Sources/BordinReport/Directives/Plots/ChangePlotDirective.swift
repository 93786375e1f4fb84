import BordinPlot
import BordinStats

/// `plot type: change` of a `change` result: the Jacobson plot (post against pre, the line of
/// no change, the reliable-change limits and the cutoff lines, a marker per category). With
/// `group`, only that group's patients are drawn (the criteria stay those of all rows).
enum ChangePlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("change")
    guard let of = try o.string("of") else {
      ev.sink.error(inv.at, "missing-option", "plot '\(inv.label)' of type change needs 'of' (the label of a change directive)",
                    remedy: "add 'of: LABEL' naming a change directive")
      throw DirectiveFailure()
    }
    _ = try ev.result(of, at: inv.location("of"))
    guard let m = ev.output(of)?.model as? ChangeDirective.Model else {
      ev.sink.error(inv.location("of"), "option-value", "a change plot draws a change result; '\(of)' is a \(ev.kinds[of] ?? "?")",
                    remedy: "name the label of a change directive")
      throw DirectiveFailure()
    }
    let fit = m.fit
    var patients = fit.patients
    var which = ""
    if let g = try o.string("group") {
      guard fit.groups.contains(g) else {
        let levels = fit.groups
        ev.sink.error(inv.location("group"), "option-value",
                      levels.isEmpty ? "'\(of)' has no groups (no 'by'), so 'group: \(g)' selects nothing"
                        : "'\(g)' is not a group of '\(of)'\(didYouMeanSuffix(g, levels))",
                      remedy: levels.isEmpty ? "remove 'group'" : "its groups are: \(levels.joined(separator: ", "))")
        throw DirectiveFailure()
      }
      patients = patients.filter { $0.group == g }
      which = " (\(g))"
    }
    let names = ChangeCategory.allCases.map { $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst() }
    let index = Dictionary(uniqueKeysWithValues: ChangeCategory.allCases.enumerated().map { ($1, $0) })
    let caption = try o.string("caption")
    let cutLabel = "\(fit.cutoffType) = \(Format.fixed(fit.cutoff, 2))"
    let plot = ChangePlot(
      pre: patients.map(\.pre), post: patients.map(\.post), category: patients.map { index[$0.category] ?? 2 },
      categories: names, band: fit.minReliableChange, cutoff: fit.cutoff, cutoffLabel: cutLabel,
      xLabel: try o.string("xlab") ?? ev.labels.column(m.pre), yLabel: try o.string("ylab") ?? ev.labels.column(m.post),
      title: "Reliable and clinically significant change\(which)", description: try o.string("alt") ?? "",
      idPrefix: inv.label, width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }
}
