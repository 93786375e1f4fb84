import BordinPlot
import BordinStats

/// `plot type: surface` of a `discrepancy` result: the fitted response surface over the observed
/// ranges of the two informants' ratings (controls at their means), with the lines of
/// congruence (x = y) and incongruence (x = −y).
///
/// `scale_with: [other]` names other discrepancy results drawn beside this one (e.g. the same
/// comparison in another group): the colour scale then covers the fitted values of every
/// surface named, so one colour is one value in all of them. Each of the plots names the others.
enum SurfacePlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("surface")
    let of = try o.requiredString("of")
    let m = try model(of, option: "of", inv, ev)
    let fit = m.fit
    let grid = surface(m)
    var shared: Interval?
    for other in try o.strings("scale_with") ?? [] where other != of {
      let z = surface(try model(other, option: "scale_with", inv, ev)).z.flatMap { $0 }
      shared = Interval.covering(z.filter(\.isFinite)).map { $0.union(shared) } ?? shared
    }
    let caption = try o.string("caption")
    let alt = try o.string("alt") ?? "Response surface of \(ev.labels.column(fit.outcome)) over \(ev.labels.column(fit.x)) and \(ev.labels.column(fit.y)) from \(Format.fixed(grid.lo, 2)) to \(Format.fixed(grid.hi, 2)), with the lines of congruence and incongruence."
    let plot = SurfacePlot(x: grid.x, y: grid.y, z: grid.z, xLabel: try o.string("xlab") ?? ev.labels.column(fit.x), yLabel: try o.string("ylab") ?? ev.labels.column(fit.y),
                           zLabel: ev.labels.column(fit.outcome), colourRange: shared,
                           title: "Response surface", description: alt, idPrefix: inv.label,
                           width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }

  /// The fitted model of the discrepancy directive `label` (named by `option`), or a diagnostic.
  static func model(_ label: String, option: String, _ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DiscrepancyDirective.Model {
    _ = try ev.result(label, at: inv.location(option))
    guard let m = ev.output(label)?.model as? DiscrepancyDirective.Model else {
      ev.sink.error(inv.location(option), "option-value", "a surface plot draws a discrepancy result; '\(label)' is a \(ev.kinds[label] ?? "?")",
                    remedy: "name the label of a discrepancy directive")
      throw DirectiveFailure()
    }
    return m
  }

  /// The fitted surface on a 41 × 41 grid over the joint observed range of both ratings.
  static func surface(_ m: DiscrepancyDirective.Model) -> (x: [Double], y: [Double], z: [[Double]], lo: Double, hi: Double) {
    let lo = min(m.xRange.0, m.yRange.0), hi = max(m.xRange.1, m.yRange.1)
    let axis = DiscrepancyModel.evenlySpaced(from: lo, to: hi, count: 41)
    let g = m.fit.grid(x: axis, y: axis)
    return (g.x, g.y, g.z, lo, hi)
  }
}
