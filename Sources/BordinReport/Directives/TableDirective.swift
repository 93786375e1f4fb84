import BordinData
import Foundation

/// `table`: an APA 7 table of a result (`of: label`) or of a dataset (`data` + `columns`).
enum TableDirective {
  static let definition = DirectiveDefinition(
    name: "table",
    summary: "an APA table of a result (of) or of dataset columns (data + columns)",
    options: [
      OptionSpec(name: "of", type: .result, help: "label of the result to tabulate"),
      OptionSpec(name: "data", type: .dataset, help: "a dataset to list"),
      OptionSpec(name: "columns", type: .columns, help: "columns of 'data' to show (default: all)"),
      OptionSpec(name: "rows", type: .integer, defaultValue: "50", help: "at most this many data rows"),
      OptionSpec(name: "digits", type: .integer, defaultValue: "2", help: "decimals for estimates"),
      OptionSpec(name: "note", type: .string, help: "a general note below the table"),
      OptionSpec(name: "labels", type: .mapping, help: "labels for this table only (column, term or column=value: label), over the report's"),
      OptionSpec(name: "show", type: .string, help: "which part of a result: e.g. pairs (agree), icc, items, studies"),
      OptionSpec(name: "by", type: .column, help: "Table 1: the column of the groups (arms); with vars, M (SD) or n (%) per group and a test per variable"),
      OptionSpec(name: "vars", type: .columns, help: "Table 1: the variables to compare across the groups of 'by' (Welch t or ANOVA F; χ² or Fisher)"),
    ],
    fields: [],
    run: run,
    traits: [.presentation],
    apa: { o, _ in BaselineTable.fragment(o) })

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    try ev.withDirectiveLabels(inv) { () throws(DirectiveFailure) -> DirectiveOutput in try tabulate(inv, ev) }
  }

  private static func tabulate(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let digits = try o.integer("digits", range: 0...10)
    var model: TableModel
    var data: String?
    var baseline: BaselineTable.Built?
    if let of = try o.string("of") {
      let (kind, value) = try ev.result(of, at: inv.location("of"))
      model = ResultTables.table(kind: kind, label: of, value: value, digits: digits, show: try o.string("show"), labels: ev.labels)
    } else if o.has("data"), o.has("by") || o.has("vars") {
      let b = try BaselineTable.build(inv, ev, digits: digits)
      (model, data, baseline) = (b.model, b.data, b)
    } else if o.has("data") {
      let (name, table) = try ev.dataset(for: inv)
      data = name
      let cols = try o.columns("columns", in: table, dataName: name) ?? table.names
      let maxRows = try o.integer("rows", range: 0...1_000_000)
      model = dataTable(table, cols, maxRows: maxRows, digits: digits, labels: ev.labels)
    } else {
      ev.sink.error(inv.at, "missing-option", "table '\(inv.label)' needs 'of' (a result label) or 'data'",
                    remedy: "add 'of: LABEL' naming the directive whose result to show")
      throw DirectiveFailure()
    }
    if let note = try o.string("note") { model.note = (model.note.map { $0 + " " } ?? "") + escapeHTML(note) }
    let html = model.html(id: inv.labelled ? inv.label : nil, number: ev.numbers[inv.label], caption: try o.string("caption"))
    return DirectiveOutput(result: baseline?.result, html: html, data: data, rowsUsed: baseline?.rowsUsed, rowsDropped: baseline?.rowsDropped,
                           droppedReason: (baseline?.rowsDropped ?? 0) > 0 ? "missing values in \(inv.node("by")?.scalarText ?? "by")" : nil,
                           method: baseline == nil ? nil : "Table 1: Welch's t or one-way ANOVA F; Pearson's χ² or Fisher's exact test",
                           warnings: baseline?.warnings ?? [])
  }

  static func dataTable(_ t: Table, _ cols: [String], maxRows: Int, digits: Int, labels: Labels = Labels()) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    for i in 0..<min(t.rowCount, maxRows) {
      rows.append(cols.map { c in
        guard let col = t[c] else { return .init("") }
        if case .numeric(let v) = col { return .init(v[i].isNaN ? "NA" : Format.fixed(v[i], v[i] == v[i].rounded() ? 0 : digits)) }
        return .init(escapeHTML(col.string(at: i) ?? "NA"))
      })
    }
    let note = t.rowCount > maxRows ? "The first \(maxRows) of \(t.rowCount) rows." : nil
    return TableModel(header: cols.map { escapeHTML(labels.column($0)) }, rows: rows, note: note)
  }
}

/// APA tables for each kind of result.
enum ResultTables {
  struct Column {
    var field: String
    var header: String
    var kind: Format.Kind?
    /// Whole numbers without decimals in a row whose values of every such column are whole (a
    /// minimum of 1 and maximum of 27 are "1" and "27", not "1.00" and "27.00").
    var integersWhenWhole = false
  }

  static func table(kind: String, label: String, value: ResultValue, digits: Int, show: String? = nil, labels: Labels = Labels()) -> TableModel {
    switch (kind, show) {
    case ("agree", "pairs"?):
      return list(value, labels: labels, "pairs", label: label, key: "pair", first: "Informants", digits: digits, [
        Column(field: "n", header: APA.i("n"), kind: .count), Column(field: "r", header: APA.i("r"), kind: .bounded),
        Column(field: "mean_diff", header: APA.i("M") + "<sub>diff</sub>", kind: .general), Column(field: "t", header: APA.i("t"), kind: .general),
        Column(field: "p", header: APA.i("p"), kind: .pValue), Column(field: "ba_bias", header: "Bias", kind: .general),
        Column(field: "ba_loa_lb", header: "LoA lower", kind: .general), Column(field: "ba_loa_ub", header: "LoA upper", kind: .general),
      ])
    case ("agree", _):
      return iccTable(value: value, label: label, digits: digits, labels: labels)
    case ("kappa", _) where value["pairs"] != nil:
      return list(value, labels: labels, "pairs", label: label, key: "pair", first: "Raters", digits: digits, [
        Column(field: "kappa", header: "κ", kind: .bounded), Column(field: "weighted_kappa", header: "Weighted κ", kind: .bounded),
        Column(field: "n", header: APA.i("n"), kind: .count),
      ])
    case ("reliability", _):
      return reliabilityTable(value: value, label: label, digits: digits, labels: labels)
    case ("discrepancy", "coef"?), ("discrepancy", "model"?):
      return list(value, labels: labels, "coef", label: label, key: "term", first: "Term", digits: digits, decimalsFromSE: true, [
        Column(field: "estimate", header: APA.i("b"), kind: .general), Column(field: "se", header: APA.i("SE"), kind: .general),
        Column(field: "t", header: APA.i("t"), kind: .general), Column(field: "p", header: APA.i("p"), kind: .pValue),
      ])
    case ("discrepancy", _):
      return surfaceTable(value: value, label: label, digits: digits, labels: labels)
    case ("regress", _):
      var m = list(value, labels: labels, "coef", label: label, key: "term", first: "Term", digits: digits, decimalsFromSE: true, [
        Column(field: "estimate", header: APA.i("b"), kind: .general), Column(field: "se", header: APA.i("SE"), kind: .general),
        Column(field: "ci", header: ciHeader(value), kind: .general), Column(field: "t", header: APA.i("t"), kind: .general),
        Column(field: "p", header: APA.i("p"), kind: .pValue),
      ])
      m.note = APA.fragment(value, root: value, kind: kind) + (value["n"]?.double.map { "; " + APA.i("N") + " = " + Format.integer($0) } ?? "") + "."
      return m
    case ("compare", _):
      return CompareDirective.table(label: label, value: value, digits: digits)
    case ("glm", _):
      return GLMDirective.table(label: label, value: value, digits: digits)
    case ("glmm", let show) where show != "random":
      return GLMMDirective.table(label: label, value: value, digits: digits)
    case ("crosstab", _):
      return CrosstabDirective.table(label: label, value: value, digits: digits)
    case ("anova", _):
      return AnovaDirective.table(label: label, value: value, digits: digits, labels: labels)
    case ("change", _):
      return ChangeDirective.table(label: label, value: value, digits: digits)
    case ("correlate", _):
      return list(value, labels: labels, "pairs", label: label, key: "pair", first: "Variables", digits: digits, [
        Column(field: "r", header: APA.i(value["method"]?.string == "spearman" ? "ρ" : "r"), kind: .bounded),
        Column(field: "ci", header: ciHeader(value), kind: .bounded), Column(field: "t", header: APA.i("t"), kind: .general),
        Column(field: "df", header: APA.i("df"), kind: .count), Column(field: "p", header: APA.i("p"), kind: .pValue),
        Column(field: "n", header: APA.i("n"), kind: .count),
      ])
    case ("describe", _):
      return list(value, labels: labels, "vars", label: label, key: "name", first: "Variable", digits: digits, [
        Column(field: "n", header: APA.i("n"), kind: .count), Column(field: "missing", header: "Missing", kind: .count),
        Column(field: "mean", header: APA.i("M"), kind: .general), Column(field: "sd", header: APA.i("SD"), kind: .general),
        Column(field: "min", header: "Min", kind: .general, integersWhenWhole: true),
        Column(field: "max", header: "Max", kind: .general, integersWhenWhole: true),
      ])
    case ("lmm", "random"?), ("growth", "random"?), ("glmm", "random"?):
      return randomEffectsTable(value: value, label: label, digits: digits, labels: labels)
    case ("lmm", _), ("growth", _):
      return fixedEffectsTable(value: value, label: label, digits: digits, labels: labels)
    case ("sem", _), ("clpm", _):
      return semTable(value: value, label: label, digits: digits, labels: labels)
    case ("meta", _):
      return meta(label: label, value: value, digits: digits, show: show, labels: labels)
    default:
      return scalars(value, label: label, digits: digits)
    }
  }

  /// The ICC table of `agree`: one row per Shrout–Fleiss form (named as the prose writes them,
  /// ICC(3,1)) with its interval and F test.
  static func iccTable(value: ResultValue, label: String, digits: Int, labels: Labels) -> TableModel {
    var m = list(value, labels: labels, "icc", label: label, key: "type", first: "Form", digits: digits, [
      Column(field: "ICC", header: "ICC", kind: .bounded), Column(field: "ci", header: ciHeader(value), kind: .bounded),
      Column(field: "F", header: APA.i("F"), kind: .general), Column(field: "df1", header: APA.i("df") + "<sub>1</sub>", kind: .count),
      Column(field: "df2", header: APA.i("df") + "<sub>2</sub>", kind: .count), Column(field: "p", header: APA.i("p"), kind: .pValue),
    ])
    // Shrout–Fleiss names, as the prose writes them: ICC(3,1), not psych's ICC3.
    let raters: Int? = { if case .array(let r)? = value["raters"] { return r.count }; return nil }()
    if case .array(let items)? = value["icc"] {
      for (i, item) in items.enumerated() where i < m.rows.count {
        if let t = item["type"]?.string { m.rows[i][0] = .init(escapeHTML(AgreeDirective.shroutFleissName(t, raters: raters))) }
      }
    }
    m.note = "Shrout and Fleiss (1979) forms from the two-way ANOVA; " + APA.i("n") + " = " + Format.integer(value["n"]?.double ?? .nan) + " targets."
    return m
  }

  /// The item table of `reliability`; α, standardised α, λ₆ and ω in the note.
  static func reliabilityTable(value: ResultValue, label: String, digits: Int, labels: Labels) -> TableModel {
    var m = list(value, labels: labels, "items", label: label, key: "name", first: "Item", digits: digits, [
      Column(field: "mean", header: APA.i("M"), kind: .general), Column(field: "sd", header: APA.i("SD"), kind: .general),
      Column(field: "r_drop", header: "Corrected item–total " + APA.i("r"), kind: .bounded),
      Column(field: "alpha_if_deleted", header: "α if deleted", kind: .bounded),
    ])
    var note = "Cronbach's α = " + Format.fixed(value["raw_alpha"]?.double ?? .nan, 2, leadingZero: false) + " (standardised " +
      Format.fixed(value["std_alpha"]?.double ?? .nan, 2, leadingZero: false) + "), Guttman's λ<sub>6</sub> = " + Format.fixed(value["G6"]?.double ?? .nan, 2, leadingZero: false)
    if let om = value["omega_total"]?.double { note += ", McDonald's ω = " + Format.fixed(om, 2, leadingZero: false) }
    m.note = note + "; " + APA.i("N") + " = " + Format.integer(value["n"]?.double ?? .nan) + "."
    return m
  }

  /// The response-surface parameters a₁–a₅ of `discrepancy`; R² and N in the note.
  static func surfaceTable(value: ResultValue, label: String, digits: Int, labels: Labels) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    let names = ["a1": "a<sub>1</sub> (slope along x = y)", "a2": "a<sub>2</sub> (curvature along x = y)",
                 "a3": "a<sub>3</sub> (slope along x = −y)", "a4": "a<sub>4</sub> (curvature along x = −y)", "a5": "a<sub>5</sub> (ridge rotation)"]
    for a in ["a1", "a2", "a3", "a4", "a5"] {
      guard let o = value[a] else { continue }
      rows.append([.init(names[a]!)] + ["estimate", "se", "t", "p"].map { f in
        let x = o[f]?.double ?? .nan
        return .init(escapeHTML(f == "p" ? Format.p(x) : Format.fixed(x, digits)), ref: "\(label).\(a).\(f)")
      })
    }
    let note = "Response surface of " + escapeHTML(value["outcome"]?.string.map(labels.column) ?? "the outcome") + "; " + APA.i("R") + "<sup>2</sup> = " +
      Format.fixed(value["r2"]?.double ?? .nan, 2, leadingZero: false) + ", " + APA.i("N") + " = " + Format.integer(value["n"]?.double ?? .nan) + "."
    return TableModel(header: ["Parameter", "Estimate", APA.i("SE"), APA.i("t"), APA.i("p")], rows: rows, note: note)
  }

  /// The variance components of a mixed model: variance and SD per component, correlations.
  static func randomEffectsTable(value: ResultValue, label: String, digits: Int, labels: Labels = Labels()) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    if case .array(let items)? = value["random"] {
      for (i, c) in items.enumerated() {
        let grp = groupName(c["grp"]?.string ?? "", in: value), v1 = c["var1"]?.string, v2 = c["var2"]?.string
        let name = labels.component(group: labels.column(grp), v1, v2)
        let ref = "\(label).random[\(i)]"
        rows.append([.init(escapeHTML(name)),
                     .init(v2 == nil ? escapeHTML(Format.fixed(c["vcov"]?.double ?? .nan, digits + 1)) : "", ref: v2 == nil ? ref + ".vcov" : nil),
                     .init(escapeHTML(v2 == nil ? Format.fixed(c["sdcor"]?.double ?? .nan, digits + 1) : Format.fixed(c["sdcor"]?.double ?? .nan, 2, leadingZero: false)),
                           ref: ref + ".sdcor")])
      }
    }
    return TableModel(header: ["Component", "Variance", APA.i("SD") + " / " + APA.i("r")], rows: rows, note: nil)
  }

  /// The fixed effects of a mixed model; random-effect SDs, group counts, N and the criterion
  /// in the note.
  static func fixedEffectsTable(value: ResultValue, label: String, digits: Int, labels: Labels) -> TableModel {
    var m = list(value, labels: labels, "fixed", label: label, key: "term", first: "Term", digits: digits, decimalsFromSE: true, [
      Column(field: "estimate", header: APA.i("b"), kind: .general), Column(field: "se", header: APA.i("SE"), kind: .general),
      Column(field: "df", header: APA.i("df"), kind: .general), Column(field: "t", header: APA.i("t"), kind: .general),
      Column(field: "p", header: APA.i("p"), kind: .pValue), Column(field: "ci", header: ciHeader(value), kind: .general),
    ])
    var parts: [String] = []
    if case .array(let items)? = value["random"] {
      for c in items where c["var2"] == nil || c["var2"] == .null {
        let grp = groupName(c["grp"]?.string ?? "", in: value), v1 = c["var1"]?.string
        let term = v1.map { $0 == "(Intercept)" ? "intercept" : labels.term($0) }
        parts.append(escapeHTML(labels.column(grp) + (term.map { " " + $0 } ?? "")) + " " + APA.i("SD") + " = " + Format.fixed(c["sdcor"]?.double ?? .nan, 2))
      }
    }
    if case .array(let g)? = value["ngroups"] {
      parts.append(g.map { escapeHTML(labels.column($0["name"]?.string ?? "")) + ": " + Format.integer($0["levels"]?.double ?? .nan) }.joined(separator: ", ") + " groups")
    }
    parts.append(APA.i("N") + " = " + Format.integer(value["nobs"]?.double ?? .nan) + " observations")
    if let crit = value["REMLcrit"]?.double { parts.append("REML criterion = " + Format.fixed(crit, 2)) } else if let ll = value["logLik"]?.double {
      parts.append("log-likelihood = " + Format.fixed(ll, 2))
    }
    m.note = "Random effects: " + parts.joined(separator: "; ") + "."
    return m
  }

  /// The free parameters of `sem`/`clpm` (regressions, covariances, loadings, definitions) with
  /// the standardised solution; χ², CFI, RMSEA, SRMR and N in the note.
  static func semTable(value: ResultValue, label: String, digits: Int, labels: Labels) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    var group: String? = nil
    if case .array(let ps)? = value["parameters"] {
      for (i, p) in ps.enumerated() where p["free"] != .bool(false) {
        let op = p["op"]?.string ?? ""
        guard op == "~" || op == "~~" || op == "=~" || op == ":=" else { continue }
        if let g = p["group"]?.string, g != group, let column = value["group"]?.string {
          // A multigroup model: each group's parameters under a heading row.
          group = g
          rows.append([.init("<i>" + escapeHTML(labels.column(column) + ": " + labels.level(column, g)) + "</i>")] + Array(repeating: TableModel.Cell(""), count: value["bootstrap"] == nil ? 5 : 6))
        }
        let name = labels.path(lhs: p["lhs"]?.string ?? "", op: op, rhs: p["rhs"]?.string ?? "")
        let ref = "\(label).parameters[\(i)]"
        let d = decimals(se: p["se"]?.double, estimate: p["est"]?.double, digits: digits)
        rows.append([.init(escapeHTML(name))] + [("est", Format.Kind.general), ("se", .general), ("z", .general), ("p", .pValue), ("std_all", .bounded)].map { f, k in
          guard let x = p[f]?.double else { return TableModel.Cell("") }
          return .init(escapeHTML(cell(x, k, f == "est" || f == "se" ? d : digits)), ref: ref + "." + f)
        })
        if value["bootstrap"] != nil, let lo = p["ci_lb"]?.double, let hi = p["ci_ub"]?.double {
          // The bootstrap's percentile interval beside its SE.
          rows[rows.count - 1].insert(.init("[" + escapeHTML(cell(lo, .general, d)) + ", " + escapeHTML(cell(hi, .general, d)) + "]", ref: ref + ".ci_lb"), at: 3)
        }
      }
    }
    var note: String?
    if let f = value["fit"] {
      let g = { (k: String) in f[k]?.double ?? .nan }
      note = "χ<sup>2</sup>(" + APA.df(g("df")) + ") = " + Format.fixed(g("chisq"), 2) + (g("p").isFinite ? ", " + APA.p(g("p")) : "") + "; CFI = " + Format.fixed(g("cfi"), 3, leadingZero: false) +
        "; RMSEA = " + Format.fixed(g("rmsea"), 3, leadingZero: false) + "; SRMR = " + Format.fixed(g("srmr"), 3, leadingZero: false) + "; " + APA.i("N") + " = " + Format.integer(g("n")) + "."
      if let r = f["robust"] {
        // MLR: the Yuan–Bentler scaled test and lavaan's robust indices.
        let h = { (k: String) in r[k]?.double ?? .nan }
        if g("df") == 0 || !h("scaling_factor").isFinite {
          note! += " Robust (MLR): SEs are Huber–White" + (g("df") == 0 ? "; the model is saturated (no scaled test)." : ".")
        } else {
          note! += " Robust (MLR): scaled χ<sup>2</sup>(" + APA.df(g("df")) + ") = " + Format.fixed(h("chisq_scaled"), 2) + ", " + APA.p(h("p_scaled")) +
            ", scaling factor " + Format.fixed(h("scaling_factor"), 3) +
            (h("cfi_robust").isFinite ? "; robust CFI = " + Format.fixed(h("cfi_robust"), 3, leadingZero: false) : "") +
            (h("rmsea_robust").isFinite ? "; robust RMSEA = " + Format.fixed(h("rmsea_robust"), 3, leadingZero: false) : "") + "; SEs are Huber–White."
        }
      } else if value["se"]?.string == "robust" {
        note! += " SEs are Huber–White (robust); the test is the ML χ<sup>2</sup>."
      }
    }
    if let b = value["bootstrap"] {
      let draws = b["draws"]?.double ?? .nan, failed = b["failed"]?.double ?? .nan
      note = (note.map { $0 + " " } ?? "") + "Bootstrap SEs and percentile CIs from " + Format.integer(draws) + " draws (" + Format.integer(failed) + " failed)."
      return TableModel(header: ["Parameter", "Estimate", APA.i("SE"), "95% CI", APA.i("z"), APA.i("p"), "β"], rows: rows, note: note)
    }
    return TableModel(header: ["Parameter", "Estimate", APA.i("SE"), APA.i("z"), APA.i("p"), "β"], rows: rows, note: note)
  }

  /// A meta-analysis: moderator coefficients, subgroup estimates, or the studies with the pooled
  /// row; heterogeneity in the note. Correlations are shown back-transformed to r.
  static func meta(label: String, value v: ResultValue, digits: Int, show: String? = nil, labels: Labels = Labels()) -> TableModel {
    let isR = v["measure"]?.string == "ZCOR"
    let stat = v["t"] != nil ? "t" : "z"
    var note = heterogeneityNote(v)
    if v["coef"] != nil {
      var m = list(v, labels: labels, "coef", label: label, key: "term", first: "Moderator", digits: digits, decimalsFromSE: true, [
        Column(field: "estimate", header: APA.i("b"), kind: .general), Column(field: "se", header: APA.i("SE"), kind: .general),
        Column(field: "ci", header: ciHeader(v), kind: .general), Column(field: stat, header: APA.i(stat), kind: .general),
        Column(field: "p", header: APA.i("p"), kind: .pValue),
      ])
      if let qm = v["QM"]?.double, let df = v["QM_df"]?.double, let pv = v["QM_p"]?.double {
        let head = v["QM_df2"]?.double.map { APA.i("F") + "(" + APA.df(df) + ", " + APA.df($0) + ")" } ?? APA.i("Q") + "<sub>M</sub>(" + APA.df(df) + ")"
        note = "Test of moderators: \(head) = \(Format.fixed(qm, 2)), \(APA.p(pv))" + (v["R2"]?.double.map { "; " + APA.i("R") + "<sup>2</sup> = " + Format.fixed($0, 1) + "%" } ?? "") + ". " + note
      }
      m.note = note
      return m
    }
    let effect = isR ? "r" : "estimate"
    let header = isR ? APA.i("r") : v["measure"]?.string == "SMD" ? APA.i("g") : "Estimate"
    var rows: [[TableModel.Cell]] = []
    let fmt = { (x: Double) -> String in escapeHTML(isR ? Format.fixed(x, digits, leadingZero: false) : Format.fixed(x, digits)) }
    let tx = { (x: Double) -> Double in isR ? tanh(x) : x }
    if case .array(let groups)? = v["subgroups"] {
      for (i, g) in groups.enumerated() {
        let ref = "\(label).subgroups[\"\(g["name"]?.string ?? String(i))\"]"
        let lb = isR ? g["r_ci_lb"]?.double : g["ci_lb"]?.double, ub = isR ? g["r_ci_ub"]?.double : g["ci_ub"]?.double
        rows.append([
          .init(escapeHTML(labels.level(v["subgroup"]?.string ?? "", g["name"]?.string ?? ""))), .init(escapeHTML(Format.integer(g["k"]?.double ?? .nan)), ref: ref + ".k"),
          .init(fmt(g[effect]?.double ?? .nan), ref: ref + "." + effect),
          .init("[" + fmt(lb ?? .nan) + ", " + fmt(ub ?? .nan) + "]", ref: ref + (isR ? ".r_ci" : ".ci")),
          .init(escapeHTML(Format.fixed(g["I2"]?.double ?? .nan, 1)), ref: ref + ".I2"),
          .init(escapeHTML(Format.p(g["p"]?.double ?? .nan)), ref: ref + ".p"),
        ])
      }
      if let q = v["Q_between"]?.double, let df = v["Q_between_df"]?.double, let pv = v["Q_between_p"]?.double {
        note = "Subgroup difference: " + APA.i("Q") + "<sub>between</sub>(" + APA.df(df) + ") = " + Format.fixed(q, 2) + ", " + APA.p(pv) + ". " + note
      }
      return TableModel(header: [escapeHTML(v["subgroup"].flatMap(\.string).map(labels.column) ?? "Subgroup"), APA.i("k"), header, ciHeader(v),
                                 APA.i("I") + "<sup>2</sup> (%)", APA.i("p")], rows: rows, note: note)
    }
    if case .array(let studies)? = v["studies"], show != "subgroups" {
      for (i, s) in studies.enumerated() {
        let ref = "\(label).studies[\(i)]"
        rows.append([
          .init(escapeHTML(s["name"]?.string ?? "")), .init(fmt(tx(s["yi"]?.double ?? .nan)), ref: ref + ".yi"),
          .init("[" + fmt(tx(s["ci_lb"]?.double ?? .nan)) + ", " + fmt(tx(s["ci_ub"]?.double ?? .nan)) + "]", ref: ref + ".ci"),
          .init(s["weight"]?.double.map { escapeHTML(Format.fixed($0, 1)) } ?? "", ref: s["weight"] == nil ? nil : ref + ".weight"),
        ])
      }
    }
    let lb = isR ? v["r_ci_lb"]?.double : v["ci_lb"]?.double, ub = isR ? v["r_ci_ub"]?.double : v["ci_ub"]?.double
    rows.append([
      .init("<strong>Pooled (\(escapeHTML(v["method"]?.string ?? "")))</strong>"), .init(fmt(v[effect]?.double ?? .nan), ref: "\(label).\(effect)"),
      .init("[" + fmt(lb ?? .nan) + ", " + fmt(ub ?? .nan) + "]", ref: "\(label).\(isR ? "r_ci" : "ci")"), .init(v["studies"] == nil ? "" : "100.0"),
    ])
    if show == "subgroups" {
      // No subgroups: one row, the pooled estimate over every study.
      rows[rows.count - 1][3] = .init(escapeHTML(Format.integer(v["k"]?.double ?? .nan)), ref: "\(label).k")
      rows[rows.count - 1][0] = .init("All studies")
      return TableModel(header: ["Studies", header, ciHeader(v), APA.i("k")], rows: rows, note: note)
    }
    return TableModel(header: ["Study", header, ciHeader(v), "Weight (%)"], rows: rows, note: note)
  }

  /// "Q(11) = 15.32, p = .168; I² = 28.1%; τ² = 0.003."
  static func heterogeneityNote(_ v: ResultValue) -> String {
    var parts: [String] = []
    if let q = v["Q"]?.double, let df = v["Q_df"]?.double, let pv = v["Q_p"]?.double {
      parts.append(APA.i("Q") + "(" + APA.df(df) + ") = " + Format.fixed(q, 2) + ", " + APA.p(pv))
    }
    if let i2 = v["I2"]?.double { parts.append(APA.i("I") + "<sup>2</sup> = " + Format.fixed(i2, 1) + "%") }
    if let t2 = v["tau2"]?.double { parts.append("τ<sup>2</sup> = " + escapeHTML(Format.fixed(t2, 4))) }
    if case .array(let s)? = v["sigma2"] {
      for c in s { parts.append("σ<sup>2</sup><sub>" + escapeHTML(c["name"]?.string ?? "") + "</sub> = " + escapeHTML(Format.fixed(c["sigma2"]?.double ?? .nan, 4))) }
    }
    if case .array(let t)? = v["tau2"] {
      for c in t { parts.append("τ<sup>2</sup><sub>" + escapeHTML(c["name"]?.string ?? "") + "</sub> = " + escapeHTML(Format.fixed(c["tau2"]?.double ?? .nan, 4))) }
    }
    if case .array(let r)? = v["rho"] {
      for c in r {
        parts.append("ρ<sub>" + escapeHTML((c["x"]?.string ?? "") + ", " + (c["y"]?.string ?? "")) + "</sub> = " + escapeHTML(Format.fixed(c["rho"]?.double ?? .nan, 2, leadingZero: false)))
      }
    }
    if let k = v["k"]?.double { parts.append(APA.i("k") + " = " + Format.integer(k)) }
    return parts.isEmpty ? "" : parts.joined(separator: "; ") + "."
  }

  static func ciHeader(_ v: ResultValue) -> String {
    APA.ciLabel(v, v)
  }

  /// One row per element of the list field `listField`.
  ///
  /// With `decimalsFromSE`, a row's estimate, SE and interval take the decimals that give its SE
  /// two significant digits when `digits` would round the SE to zero (a slope of −0.0024 with SE
  /// 0.0011 is "−0.0024 (0.0011)", not "0.00 (0.00)"); see ``decimals(se:estimate:digits:)``.
  static func list(_ v: ResultValue, labels: Labels = Labels(), _ listField: String, label: String, key: String, first: String, digits: Int,
                   decimalsFromSE: Bool = false, _ cols: [Column]) -> TableModel {
    guard case .array(let items)? = v[listField] else { return scalars(v, label: label, digits: digits) }
    var rows: [[TableModel.Cell]] = []
    let wholeColumns = cols.filter(\.integersWhenWhole).map(\.field)
    for (i, item) in items.enumerated() {
      // A row's minimum and maximum as integers when both are whole (a 1–27 scale: "1", "27").
      let whole = wholeColumns.allSatisfy { item[$0]?.double.map { !$0.isFinite || $0 == $0.rounded() } ?? true } ? Set(wholeColumns) : []
      let rowDigits = decimalsFromSE ? decimals(se: item["se"]?.double, estimate: item["estimate"]?.double, digits: digits) : digits
      let name: String
      if key == "pair", let x = item["x"]?.string, let y = item["y"]?.string { name = labels.pair(x, y) } else if key == "term", let t = item["term"]?.string {
        name = labels.term(t)
      } else if key == "name", let variable = item["var"]?.string ?? item["name"]?.string, labels.column(variable) != variable {
        name = labels.column(variable) + (item["group"]?.string.map { ": \($0)" } ?? "")
      } else {
        name = InlineResolver.key(item) ?? String(i + 1)
      }
      let k = InlineResolver.key(item).map { "[\"\($0)\"]" } ?? "[\(i)]"
      var row = [TableModel.Cell(escapeHTML(name))]
      for c in cols {
        let ref = "\(label).\(listField)\(k).\(c.field)"
        let d = ["estimate", "se", "ci"].contains(c.field) ? rowDigits : digits
        if c.field == "ci", let lb = item["ci_lb"]?.double, let ub = item["ci_ub"]?.double {
          let kind = c.kind ?? .general
          let s = kind == .general ? "[" + Format.fixed(lb, d) + ", " + Format.fixed(ub, d) + "]" : Format.interval(lb, ub, kind: kind)
          row.append(.init(escapeHTML(s), ref: ref))
        } else if let x = item[c.field]?.double, whole.contains(c.field) {
          row.append(.init(escapeHTML(Format.integer(x)), ref: ref))
        } else if let x = item[c.field]?.double {
          row.append(.init(escapeHTML(cell(x, c.kind ?? Format.kind(of: c.field, in: item), d)), ref: ref))
        } else {
          row.append(.init(""))
        }
      }
      rows.append(row)
    }
    return TableModel(header: [first] + cols.map(\.header), rows: rows, note: nil)
  }

  /// A random-effect group as the reader knows it: lme4 names the second and later terms of a
  /// split `(1 + t || child)` "child.1", "child.2"; they are the grouping factor "child".
  static func groupName(_ grp: String, in value: ResultValue) -> String {
    guard let dot = grp.lastIndex(of: "."), grp.index(after: dot) < grp.endIndex,
          grp[grp.index(after: dot)...].allSatisfy(\.isASCII), Int(grp[grp.index(after: dot)...]) != nil else { return grp }
    let base = String(grp[..<dot])
    // The grouping factors: `ngroups` names them once ("child", not "child.1").
    var factors: Set<String> = []
    if case .array(let g)? = value["ngroups"] { for x in g { if let n = x["name"]?.string { factors.insert(n) } } }
    if factors.isEmpty, case .array(let r)? = value["random"] { for x in r { if let n = x["grp"]?.string, n != grp { factors.insert(n) } } }
    return factors.contains(base) && !factors.contains(grp) ? base : grp
  }

  /// Decimals for an estimate and its SE: `digits`, or, when `digits` would show the SE or a
  /// non-zero estimate as zero ("0.00"), as many as give the SE two significant digits (APA 7
  /// §6.36, "enough digits"; Cumming 2012), at most 5.
  static func decimals(se: Double?, estimate: Double? = nil, digits: Int) -> Int {
    guard let se, se.isFinite, se > 0 else { return digits }
    let half = 0.5 * pow(10, -Double(digits))
    let estimateVanishes = estimate.map { $0.isFinite && $0 != 0 && abs($0) < half } ?? false
    guard se < half || estimateVanishes else { return digits }
    return min(5, max(digits, 1 - Int(floor(log10(se)))))
  }

  static func cell(_ x: Double, _ kind: Format.Kind, _ digits: Int) -> String {
    switch kind {
    case .general: return Format.fixed(x, digits)
    case .bounded: return Format.fixed(x, digits, leadingZero: false)
    default: return Format.auto(x, kind: kind)
    }
  }

  /// A two-column table of a result's scalar fields.
  static func scalars(_ v: ResultValue, label: String, digits: Int) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    for (k, x) in v.fields ?? [] {
      if let d = x.double {
        rows.append([.init(escapeHTML(k)), .init(escapeHTML(cell(d, Format.kind(of: k, in: v), digits)), ref: "\(label).\(k)")])
      } else if let s = x.string {
        rows.append([.init(escapeHTML(k)), .init(escapeHTML(s), ref: "\(label).\(k)")])
      }
    }
    return TableModel(header: ["Statistic", "Value"], rows: rows, note: nil)
  }
}
