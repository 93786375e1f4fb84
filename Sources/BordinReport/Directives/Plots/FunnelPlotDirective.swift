import BordinPlot
import Foundation

/// `plot type: funnel` of a `meta` result: effect (analysis scale) against its standard error,
/// the pseudo-confidence region around the pooled estimate and, when the meta-analysis ran
/// `bias: trimfill`, the imputed studies.
enum FunnelPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("funnel")
    let of = try o.requiredString("of")
    let (kind, v) = try ev.result(of, at: inv.location("of"))
    guard kind == "meta", case .array(let studies)? = v["studies"] else {
      ev.sink.error(inv.location("of"), "option-value", "a funnel plot draws a meta result; '\(of)' is a \(kind)",
                    remedy: "name the label of a meta directive")
      throw DirectiveFailure()
    }
    let yi = studies.map { $0["yi"]?.double ?? .nan }
    let se = studies.map { ($0["vi"]?.double ?? .nan).squareRoot() }
    var fy: [Double] = [], fse: [Double] = []
    if case .array(let filled)? = v["trimfill"]?["filled"] {
      fy = filled.map { $0["yi"]?.double ?? .nan }
      fse = filled.map { ($0["vi"]?.double ?? .nan).squareRoot() }
    }
    let measure = v["measure"]?.string
    let xlab = try o.string("xlab") ?? (measure == "ZCOR" ? "Fisher's z" : measure == "SMD" ? "Hedges' g" : "Effect size")
    let caption = try o.string("caption")
    let est = v["estimate"]?.double
    let alt = try o.string("alt") ?? "Funnel plot of \(studies.count) studies: \(xlab) against its standard error, with the pseudo-confidence region around the pooled estimate \(est.map { Format.fixed($0, 2) } ?? "")" +
      (fy.isEmpty ? "." : "; \(fy.count) studies imputed by trim and fill.")
    let plot = FunnelPlot(effects: yi, standardErrors: se, filledEffects: fy, filledStandardErrors: fse, estimate: est,
                          xLabel: xlab, title: "Funnel plot", description: alt, idPrefix: inv.label,
                          width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }
}
