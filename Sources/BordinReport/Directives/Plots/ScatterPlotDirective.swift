import BordinData
import BordinPlot
import BordinStats

/// `plot type: scatter`: points, the least-squares line and its 95% confidence band. Tied
/// points of two integer-valued variables (ratings) are spread by a small seeded jitter
/// (``ScatterPlot/tieJitter(x:y:)``) unless `jitter: false`.
enum ScatterPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("scatter")
    let (name, table) = try ev.dataset(for: inv)
    let x = try o.requiredColumn("x", in: table, dataName: name)
    let y = try o.requiredColumn("y", in: table, dataName: name)
    let xv = try o.numeric(x, option: "x", in: table, dataName: name)
    let yv = try o.numeric(y, option: "y", in: table, dataName: name)
    let rows = xv.indices.filter { xv[$0].isFinite && yv[$0].isFinite }
    let px = rows.map { xv[$0] }, py = rows.map { yv[$0] }
    var warnings: [StatsWarning] = []
    var line: [(x: Double, y: Double)]?
    var band: [(x: Double, lower: Double, upper: Double)]?
    var slopeText = ""
    if try o.bool("line"), rows.count >= 3, let lo = px.min(), let hi = px.max(), hi > lo {
      let t = Table([("x", .numeric(px)), ("y", .numeric(py))])
      do {
        let fit = try Regression.fit("y ~ x", data: t)
        let grid = (0...60).map { lo + (hi - lo) * Double($0) / 60 }
        let preds = grid.map { fit.predict([1, $0]) }
        line = zip(grid, preds).map { ($0, $1.fit) }
        if try o.bool("band") { band = zip(grid, preds).map { ($0, $1.ciLower, $1.ciUpper) } }
        if let b = fit.coefficient("x") { slopeText = " The least-squares line has slope \(Format.fixed(b.estimate, 2))." }
        if fit.perfectFit { warnings.append("the least-squares line is an essentially perfect fit: its confidence band is unreliable") }
      } catch {
        warnings.append("no least-squares line: \(error)")
      }
    }
    let caption = try o.string("caption")
    let xlab = try o.string("xlab") ?? ev.labels.column(x)
    let ylab = try o.string("ylab") ?? ev.labels.column(y)
    let jitter = try o.bool("jitter") ? ScatterPlot.tieJitter(x: px, y: py) : (x: 0, y: 0)
    let jitterText = jitter.x > 0 || jitter.y > 0
      ? " Tied whole-number values are spread by a small random jitter (up to ±\(Format.fixed(jitter.x, 2)) horizontally and ±\(Format.fixed(jitter.y, 2)) vertically)." : ""
    let alt = try o.string("alt") ?? "Scatter plot of \(ylab) against \(xlab) for \(rows.count) observations.\(slopeText)\(jitterText)"
    var plot = ScatterPlot(x: px, y: py, xLabel: xlab, yLabel: ylab, line: line, band: band,
                           title: "Scatter plot", description: alt, idPrefix: inv.label,
                           width: size.width, height: size.height)
    plot.jitter = jitter
    let html = PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg())
    return DirectiveOutput(result: nil, html: html, data: name, rowsUsed: rows.count, rowsDropped: table.rowCount - rows.count,
                           droppedReason: table.rowCount > rows.count ? "missing values in \(x), \(y)" : nil, warnings: warnings)
  }

}
