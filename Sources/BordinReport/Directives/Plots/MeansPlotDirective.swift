import BordinData
import BordinPlot
import BordinStats

/// `plot type: means`: the mean of `y` at each value of `x` (e.g. wave), one line per `group`
/// (e.g. informant), with t-based 95% confidence intervals — how "therapists rate lower" looks.
enum MeansPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let size = try o.fixedPlotSize("means")
    let (name, table) = try ev.dataset(for: inv)
    let x = try o.requiredColumn("x", in: table, dataName: name)
    let y = try o.requiredColumn("y", in: table, dataName: name)
    let yv = try o.numeric(y, option: "y", in: table, dataName: name)
    let group = try o.column("group", in: table, dataName: name)
    guard let xc = table[x] else { throw DirectiveFailure() }
    let categories = table.factorLevels(x)
    // Numeric categories are labelled with a true minus sign, as every number Bordin prints.
    // Value labels (codes kept as numbers) name the categories and groups (DESIGN.md §4).
    let labels = categories.map { c in
      let l = ev.labels.level(x, c)
      return xc.isNumeric && l == c && c.hasPrefix("-") ? Format.minus + c.dropFirst() : l
    }
    let yName = ev.labels.column(y)
    let groupLevels = group.map { table.factorLevels($0) } ?? [""]
    var groups: [MeansPlot.Group] = []
    var alt: [String] = []
    for g in groupLevels {
      var means: [Double] = [], lo: [Double] = [], hi: [Double] = []
      for c in categories {
        let v = (0..<table.rowCount).filter { xc.string(at: $0) == c && (group == nil || table[group!]?.string(at: $0) == g) }
          .map { yv[$0] }.filter { !$0.isNaN }
        let ci = MeanInterval(v, level: 0.95)
        means.append(ci.mean); lo.append(ci.lower); hi.append(ci.upper)
      }
      let gl = g.isEmpty ? yName : ev.labels.level(group ?? "", g)
      groups.append(.init(label: gl, means: means, lower: lo, upper: hi))
      alt.append(gl + ": " + means.map { Format.fixed($0, 2) }.joined(separator: ", "))
    }
    let caption = try o.string("caption")
    let description = try o.string("alt") ?? "Mean \(yName) by \(ev.labels.column(x))\(group.map { " and \(ev.labels.column($0))" } ?? "") with 95% confidence intervals. " + alt.joined(separator: "; ") + "."
    let plot = MeansPlot(categories: labels, groups: groups, xLabel: try o.string("xlab") ?? ev.labels.column(x), yLabel: try o.string("ylab") ?? yName,
                         title: caption ?? "Means", description: description, idPrefix: inv.label,
                         width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: name)
  }
}
