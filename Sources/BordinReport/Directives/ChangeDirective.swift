import BordinData
import BordinStats

/// `change`: reliable and clinically significant change (Jacobson & Truax 1991): the reliable
/// change index of every patient and the cutoff (c from norms, else a), counted as recovered,
/// improved, unchanged or deteriorated, optionally per group.
enum ChangeDirective {
  static let definition = DirectiveDefinition(
    name: "change",
    summary: "reliable and clinically significant change (Jacobson & Truax 1991): recovered, improved, unchanged, deteriorated",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset, one row per patient"),
      OptionSpec(name: "pre", type: .column, required: true, help: "the score before treatment"),
      OptionSpec(name: "post", type: .column, required: true, help: "the score after treatment"),
      OptionSpec(name: "reliability", type: .number, required: true, help: "the measure's test–retest reliability r_xx, between 0 and 1"),
      OptionSpec(name: "sd", type: .number, help: "SD of the dysfunctional population (default: the SD of pre over the rows with both scores)"),
      OptionSpec(name: "norm_mean", type: .number, help: "mean of the functional (normative) population: cutoff c (with norm_sd)"),
      OptionSpec(name: "norm_sd", type: .number, help: "SD of the functional population (with norm_mean)"),
      OptionSpec(name: "lower_is_better", type: .bool, defaultValue: "true", help: "the scale's direction (true for symptom scales)"),
      OptionSpec(name: "by", type: .column, help: "count the categories per group (e.g. arm); the criteria come from all rows"),
    ],
    fields: [
      FieldSpec(name: "sdiff", help: "standard error of the difference √2 · SD · √(1 − reliability), in points"),
      FieldSpec(name: "rci_threshold, min_reliable_change", help: "1.96 (|RCI| above it is reliable) and 1.96 · sdiff in points"),
      FieldSpec(name: "cutoff, cutoff_type", help: "the cutoff and its kind: c (from norm_mean/norm_sd) or a (M ∓ 2 SD)"),
      FieldSpec(name: "categories[]", help: "category (recovered, improved, unchanged, deteriorated), n, pct (0–100); with by also group (key: category, or \"group,category\")"),
      FieldSpec(name: "n, sd, mean_pre, reliability", help: "patients with both scores, the SD and mean of pre used"),
    ],
    run: run,
    traits: [.cacheable],
    apa: { o, root in ChangeDirective.fragment(o, root: root) })

  /// What a `plot type: change` draws.
  struct Model: Sendable {
    var fit: ReliableChangeResult
    var pre: String
    var post: String
  }

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let pre = try o.requiredColumn("pre", in: table, dataName: name)
    let post = try o.requiredColumn("post", in: table, dataName: name)
    let preV = try o.numeric(pre, option: "pre", in: table, dataName: name)
    let postV = try o.numeric(post, option: "post", in: table, dataName: name)
    let reliability = try o.number("reliability", default: .nan)
    let sd: Double? = o.has("sd") ? try o.number("sd", default: .nan) : nil
    let normMean: Double? = o.has("norm_mean") ? try o.number("norm_mean", default: .nan) : nil
    let normSD: Double? = o.has("norm_sd") ? try o.number("norm_sd", default: .nan) : nil
    let lower = try o.bool("lower_is_better")
    let by = try o.column("by", in: table, dataName: name)
    let fit: ReliableChangeResult
    do {
      fit = try ReliableChange.analyse(pre: preV, post: postV, reliability: reliability, sd: sd, normMean: normMean, normSD: normSD,
                                       lowerIsBetter: lower, groups: by.flatMap { table[$0] })
    } catch {
      let code = (error as? StatsError)?.code
      let option = code == "bad-reliability" ? "reliability" : code == "bad-sd" ? "sd" : code == "bad-norms" ? (normMean == nil ? "norm_sd" : "norm_mean") : "pre"
      throw ev.statsFailure(error, inv, option: option)
    }
    var warnings: [StatsWarning] = []
    if fit.cutoffType == "c", let m0 = normMean, (lower ? m0 >= fit.meanPre : m0 <= fit.meanPre) {
      warnings.append("the functional norm mean (\(Format.fixed(m0, 2))) is not on the \(lower ? "lower" : "higher") side of the sample's pre mean (\(Format.fixed(fit.meanPre, 2))); check lower_is_better and the norms")
    }
    var method = "Jacobson & Truax (1991): RCI = (post − pre)/S_diff, S_diff = √2·SD·√(1 − r), |RCI| > 1.96; cutoff \(fit.cutoffType)"
    method += fit.cutoffType == "c" ? " from the norms" : " (2 SD from the sample's pre mean)"
    let used = [pre, post] + (by.map { [$0] } ?? [])
    return DirectiveOutput(
      result: value(fit, pre: pre, post: post, by: by), data: name, rowsUsed: fit.n, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing values in \(used.joined(separator: ", "))" : nil, method: method,
      warnings: warnings, model: Model(fit: fit, pre: pre, post: post))
  }

  static func value(_ f: ReliableChangeResult, pre: String, post: String, by: String?) -> ResultValue {
    var v: [(String, ResultValue)] = [
      ("pre", .string(pre)), ("post", .string(post)), ("n", .int(f.n)), ("sd", .num(f.sd)), ("mean_pre", .num(f.meanPre)),
      ("reliability", .num(f.reliability)), ("sdiff", .num(f.sdiff)), ("rci_threshold", .num(f.rciThreshold)),
      ("min_reliable_change", .num(f.minReliableChange)), ("cutoff", .num(f.cutoff)), ("cutoff_type", .string(f.cutoffType)),
      ("lower_is_better", .bool(f.lowerIsBetter)),
    ]
    if let by { v.append(("by", .string(by))) }
    v.append(("categories", .array(f.categories.map { c in
      var e: [(String, ResultValue)] = []
      if let g = c.group { e.append(("group", .string(g))) }
      e += [("category", .string(c.category.rawValue)), ("n", .int(c.n)), ("pct", .num(c.percent))]
      return .object(e)
    })))
    return .object(v)
  }

  /// APA fragments: a category, "46 (27.1%)"; the criteria, "*S*<sub>diff</sub> = 4.00,
  /// reliable change ≥ 7.85 points, cutoff *c* = 58.33".
  static func fragment(_ o: ResultValue, root: ResultValue) -> String? {
    if o["category"] != nil, let n = o["n"]?.double, let pct = o["pct"]?.double {
      return Format.integer(n) + " (" + Format.fixed(pct, 1) + "%)"
    }
    if let s = o["sdiff"]?.double, let cut = o["cutoff"]?.double {
      var t = APA.i("S") + "<sub>diff</sub> = " + Format.fixed(s, 2)
      if let m = o["min_reliable_change"]?.double { t += ", reliable change &gt; " + Format.fixed(m, 2) + " points" }
      return t + ", cutoff " + APA.i(escapeHTML(o["cutoff_type"]?.string ?? "")) + " = " + Format.fixed(cut, 2)
    }
    return nil
  }

  /// The table of a `change` result: a row per category, n and % (per group with `by`); the
  /// criteria in the note.
  static func table(label: String, value v: ResultValue, digits: Int) -> TableModel {
    guard case .array(let items)? = v["categories"] else { return ResultTables.scalars(v, label: label, digits: digits) }
    var groups: [String?] = []
    for c in items where !groups.contains(c["group"]?.string) { groups.append(c["group"]?.string) }
    var header = ["Category"]
    for g in groups { header += [(g.map { escapeHTML($0) + " " } ?? "") + APA.i("n"), "%"] }
    var rows: [[TableModel.Cell]] = []
    for cat in ChangeCategory.allCases {
      var row = [TableModel.Cell(cat.rawValue.prefix(1).uppercased() + cat.rawValue.dropFirst())]
      for g in groups {
        guard let i = items.firstIndex(where: { $0["category"]?.string == cat.rawValue && $0["group"]?.string == g }) else {
          row += [.init(""), .init("")]
          continue
        }
        let ref = "\(label).categories[\(i)]"
        row.append(.init(Format.integer(items[i]["n"]?.double ?? .nan), ref: ref + ".n"))
        row.append(.init(escapeHTML(Format.fixed(items[i]["pct"]?.double ?? .nan, 1)), ref: ref + ".pct"))
      }
      rows.append(row)
    }
    let g = { (k: String) in v[k]?.double ?? .nan }
    var note = "Jacobson and Truax (1991) criteria: reliable change when |RCI| &gt; 1.96 with " + APA.i("S") + "<sub>diff</sub> = "
    note += Format.fixed(g("sdiff"), 2) + " (reliability " + Format.fixed(g("reliability"), 2, leadingZero: false) + ", " + APA.i("SD") + " = "
    note += Format.fixed(g("sd"), 2) + "); cutoff " + APA.i(escapeHTML(v["cutoff_type"]?.string ?? "")) + " = " + Format.fixed(g("cutoff"), 2)
    note += " (" + (v["lower_is_better"] == .bool(false) ? "higher" : "lower") + " scores are better); " + APA.i("N") + " = " + Format.integer(g("n")) + "."
    return TableModel(header: header, rows: rows, note: note)
  }
}
