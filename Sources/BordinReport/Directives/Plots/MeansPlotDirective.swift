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
    for g in groupLevels {
      var means: [Double] = [], lo: [Double] = [], hi: [Double] = []
      for c in categories {
        let v = (0..<table.rowCount).filter { xc.string(at: $0) == c && (group == nil || table[group!]?.string(at: $0) == g) }
          .map { yv[$0] }.filter { !$0.isNaN }
        let ci = MeanInterval(v, level: 0.95)
        means.append(ci.mean); lo.append(ci.lower); hi.append(ci.upper)
      }
      // A numeric level without a value label ("4") is named with its column ("Last month = 4").
      let numeric = group.flatMap { table[$0]?.isNumeric } ?? false
      // Without groups the one line needs no legend: the y axis names it.
      let gl = g.isEmpty ? "" : numeric && ev.labels.level(group!, g) == g ? ev.labels.levelWithColumn(group!, g) : ev.labels.level(group ?? "", g)
      groups.append(.init(label: gl, means: means, lower: lo, upper: hi))
    }
    let caption = try o.string("caption")
    let description = try o.string("alt") ?? "Mean \(yName) by \(ev.labels.column(x))\(group.map { " and \(ev.labels.column($0))" } ?? ""), with 95% confidence intervals. "
      + describe(groups, categories: labels)
    let plot = MeansPlot(categories: labels, groups: groups, xLabel: try o.string("xlab") ?? ev.labels.column(x), yLabel: try o.string("ylab") ?? yName,
                         title: "Means", description: description, idPrefix: inv.label,
                         width: size.width, height: size.height)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: name)
  }

  /// The key result in words, never a list of every mean: each line from its first to its last
  /// category with its range, the categories without data named ("no data at 12, 16"), and with
  /// several lines the highest and lowest on average.
  static func describe(_ groups: [MeansPlot.Group], categories: [String]) -> String {
    func f(_ v: Double) -> String { Format.fixed(v, 2) }
    var parts: [String] = []
    var averages: [(String, Double)] = []
    for g in groups {
      let present = zip(categories, g.means).filter { $0.1.isFinite }
      let missing = zip(categories, g.means).filter { !$0.1.isFinite }.map(\.0)
      var t = g.label.isEmpty ? "" : g.label + ": "
      if present.isEmpty {
        t += "no data"
      } else if present.count == 1 {
        t += "\(f(present[0].1)) at \(present[0].0) only"
      } else {
        let values = present.map(\.1)
        t += "from \(f(present[0].1)) at \(present[0].0) to \(f(present[present.count - 1].1)) at \(present[present.count - 1].0)"
        if present.count > 2 { t += ", between \(f(values.min()!)) and \(f(values.max()!))" }
        averages.append((g.label, values.reduce(0, +) / Double(values.count)))
      }
      if !missing.isEmpty, !present.isEmpty { t += " (no data at \(missing.joined(separator: ", ")))" }
      parts.append(g.label.isEmpty ? t.prefix(1).uppercased() + t.dropFirst() : t)
    }
    var text = parts.joined(separator: "; ") + "."
    if averages.count > 1, let hi = averages.max(by: { $0.1 < $1.1 }), let lo = averages.min(by: { $0.1 < $1.1 }) {
      text += " Highest on average: \(hi.0) (\(f(hi.1))); lowest: \(lo.0) (\(f(lo.1)))."
    }
    return text
  }
}
