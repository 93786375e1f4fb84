import BordinPlot
import Foundation

/// `plot type: forest` of a `meta` result: one row per study (square sized by weight, CI), the
/// pooled diamond and the prediction interval; subgroup blocks when the meta-analysis had a
/// `subgroup`. Correlations are drawn as r (tanh of the z-scale values) unless `scale: z`.
/// `favours: [control, CBT]` writes "← Favours control" and "Favours CBT →" under the axis,
/// either side of the null line (an empty text leaves its side blank).
enum ForestPlotDirective {
  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let of = try o.requiredString("of")
    let (kind, v) = try ev.result(of, at: inv.location("of"))
    guard kind == "meta", case .array(let studies)? = v["studies"] else {
      ev.sink.error(inv.location("of"), "option-value", "a forest plot draws a meta result; '\(of)' is a \(kind)",
                    remedy: "name the label of a meta directive")
      throw DirectiveFailure()
    }
    let scale = try o.choice("scale")
    let isR = v["measure"]?.string == "ZCOR" && scale == "r"
    let tx = { (x: Double) in isR ? tanh(x) : x }
    let num = { (x: Double) in isR ? Format.fixed(x, 2, leadingZero: false) : Format.fixed(x, 2) }
    let level = v["level"]?.double ?? 0.95
    func study(_ s: ResultValue) -> ForestPlot.Study {
      let e = tx(s["yi"]?.double ?? .nan), lb = tx(s["ci_lb"]?.double ?? .nan), ub = tx(s["ci_ub"]?.double ?? .nan)
      let w = s["weight"]?.double
      return .init(label: s["name"]?.string ?? "", estimate: e, lower: lb, upper: ub, weight: w,
                   estimateText: num(e) + " [" + num(lb) + ", " + num(ub) + "]", weightText: w.map { Format.fixed($0, 1) + "%" } ?? "")
    }
    func summary(_ g: ResultValue, label: String, pi: Bool) -> ForestPlot.Summary {
      let e = isR ? g["r"]?.double ?? tx(g["estimate"]?.double ?? .nan) : g["estimate"]?.double ?? .nan
      let lb = isR ? g["r_ci_lb"]?.double ?? .nan : g["ci_lb"]?.double ?? .nan
      let ub = isR ? g["r_ci_ub"]?.double ?? .nan : g["ci_ub"]?.double ?? .nan
      let plb = pi ? (isR ? g["r_pi_lb"]?.double : g["pi_lb"]?.double) : nil
      let pub = pi ? (isR ? g["r_pi_ub"]?.double : g["pi_ub"]?.double) : nil
      return .init(label: label, estimate: e, lower: lb, upper: ub, estimateText: num(e) + " [" + num(lb) + ", " + num(ub) + "]",
                   weightText: "", predictionLower: plb, predictionUpper: pub,
                   predictionText: plb.map { "[" + num($0) + ", " + num(pub ?? .nan) + "]" } ?? "")
    }
    var ungrouped = studies.map(study)
    var blocks: [ForestPlot.Subgroup] = []
    if case .array(let groups)? = v["subgroups"] {
      ungrouped = []
      for g in groups {
        let name = g["name"]?.string ?? ""
        let members = studies.filter { $0["group"]?.string == name }.map(study)
        blocks.append(.init(label: ev.labels.level(v["subgroup"]?.string ?? "", name), studies: members, summary: summary(g, label: "Subtotal", pi: false)))
      }
    }
    let method = v["method"]?.string ?? ""
    let pooled = summary(v, label: method == "FE" ? "Fixed effect" : "Random effects (\(method))", pi: true)
    let caption = try o.string("caption")
    let ciText = Format.fixed(level * 100, 0) + "% CI"
    let xlab = try o.string("xlab") ?? (isR ? "Correlation (r)" : v["measure"]?.string == "ZCOR" ? "Fisher's z" : v["measure"]?.string == "SMD" ? "Hedges' g" : "Effect size")
    let favours = try favoursTexts(o)
    let alt = try o.string("alt") ?? "Forest plot of \(studies.count) studies; pooled estimate \(pooled.estimateText)" +
      (pooled.predictionLower != nil ? ", prediction interval \(pooled.predictionText)" : "") + "." + favoursSentence(favours)
    let plot = ForestPlot(studies: ungrouped, subgroups: blocks, pooled: pooled, nullValue: 0, xLabel: xlab,
                          favoursLeft: favours.left.isEmpty ? "" : "Favours " + favours.left,
                          favoursRight: favours.right.isEmpty ? "" : "Favours " + favours.right,
                          estimateHeader: (isR ? "r" : "Estimate") + " [\(ciText)]", weightHeader: "Weight",
                          title: "Forest plot", description: alt, idPrefix: inv.label,
                          width: try o.plotSize("forest").width)
    return DirectiveOutput(result: nil, html: PlotDirective.figure(inv: inv, number: ev.numbers[inv.label], caption: caption, svg: plot.svg()),
                           data: of)
  }

  /// `favours: [left, right]`: the two sides' texts (an empty side stays blank), or a
  /// diagnostic unless exactly two texts are given, not both empty.
  static func favoursTexts(_ o: OptionReader) throws(DirectiveFailure) -> (left: String, right: String) {
    guard let given = try o.strings("favours") else { return ("", "") }
    guard given.count == 2, given.contains(where: { !$0.isEmpty }) else {
      o.ev.sink.error(o.inv.location("favours"), "option-value",
                      "'favours' takes two texts, for left and right of the null line; got \(given.count == 2 ? "two empty ones" : "\(given.count)")",
                      remedy: "write e.g. 'favours: [control, treatment]' (\"\" for a side without text)")
      throw DirectiveFailure()
    }
    return (given[0], given[1])
  }

  /// The sides in words for the alt text, e.g. " Estimates left of 0 favour control; right of 0, CBT."
  static func favoursSentence(_ f: (left: String, right: String)) -> String {
    switch (f.left.isEmpty, f.right.isEmpty) {
    case (false, false): return " Estimates left of 0 favour \(f.left); right of 0, \(f.right)."
    case (false, true): return " Estimates left of 0 favour \(f.left)."
    case (true, false): return " Estimates right of 0 favour \(f.right)."
    case (true, true): return ""
    }
  }
}
