import BordinPlot
import BordinStats

/// `plot type: surface` of a `discrepancy` result: the fitted response surface over the observed
/// ranges of the two informants' ratings (controls at their means), with the lines of
/// congruence (x = y) and incongruence (x = −y).
enum SurfacePlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("surface")
    let of = try o.requiredString("of")
    _ = try ev.result(of, at: inv.location("of"))
    guard let m = ev.output(of)?.model as? DiscrepancyDirective.Model else {
      ev.sink.error(inv.location("of"), "option-value", "a surface plot draws a discrepancy result; '\(of)' is a \(ev.kinds[of] ?? "?")",
                    remedy: "name the label of a discrepancy directive")
      throw DirectiveFailure()
    }
    let fit = m.fit
    let lo = min(m.xRange.0, m.yRange.0), hi = max(m.xRange.1, m.yRange.1)
    let grid = fit.grid(x: DiscrepancyModel.evenlySpaced(from: lo, to: hi, count: 41), y: DiscrepancyModel.evenlySpaced(from: lo, to: hi, count: 41))
    let caption = try o.string("caption")
    let alt = try o.string("alt") ?? "Response surface of \(ev.labels.column(fit.outcome)) over \(ev.labels.column(fit.x)) and \(ev.labels.column(fit.y)) from \(Format.fixed(lo, 2)) to \(Format.fixed(hi, 2)), with the lines of congruence and incongruence."
    let plot = SurfacePlot(x: grid.x, y: grid.y, z: grid.z, xLabel: try o.string("xlab") ?? ev.labels.column(fit.x), yLabel: try o.string("ylab") ?? ev.labels.column(fit.y),
                           zLabel: ev.labels.column(fit.outcome), title: "Response surface", description: alt, idPrefix: inv.label,
                           width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }

}
