import BordinPlot
import BordinStats

/// `plot type: bland-altman` of two columns (`data`, `x`, `y`): mean of the two ratings against
/// their difference (x − y), with the bias and the 95% limits of agreement (Bland & Altman 1986).
enum BlandAltmanPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("bland-altman")
    let (name, table) = try ev.dataset(for: inv)
    let x = try o.requiredColumn("x", in: table, dataName: name)
    let y = try o.requiredColumn("y", in: table, dataName: name)
    let xv = try o.numeric(x, option: "x", in: table, dataName: name)
    let yv = try o.numeric(y, option: "y", in: table, dataName: name)
    let pair: InformantPair
    do { pair = try InformantPairs.pair(xv, yv, names: (x, y)) } catch { throw ev.statsFailure(error, inv, option: "x") }
    let rows = xv.indices.filter { !xv[$0].isNaN && !yv[$0].isNaN }
    let means = rows.map { (xv[$0] + yv[$0]) / 2 }, diffs = rows.map { xv[$0] - yv[$0] }
    let f = { (v: Double) in Format.fixed(v, 2) }
    let caption = try o.string("caption")
    let alt = try o.string("alt") ?? "Bland–Altman plot of \(ev.labels.column(x)) and \(ev.labels.column(y)) for \(rows.count) targets: bias \(f(pair.baBias)), 95% limits of agreement \(f(pair.baLoaLower)) to \(f(pair.baLoaUpper))."
    let plot = BlandAltmanPlot(means: means, differences: diffs, bias: pair.baBias, lowerLimit: pair.baLoaLower, upperLimit: pair.baLoaUpper,
                               biasLabel: "Bias \(f(pair.baBias))", lowerLabel: "−1.96 SD \(f(pair.baLoaLower))", upperLabel: "+1.96 SD \(f(pair.baLoaUpper))",
                               xLabel: try o.string("xlab") ?? "Mean of \(ev.labels.column(x)) and \(ev.labels.column(y))", yLabel: try o.string("ylab") ?? "\(ev.labels.column(x)) − \(ev.labels.column(y))",
                               title: "Bland–Altman plot", description: alt, idPrefix: inv.label,
                               width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: name, rowsUsed: rows.count, rowsDropped: table.rowCount - rows.count,
                           droppedReason: table.rowCount > rows.count ? "missing values in \(x), \(y)" : nil)
  }
}
