import BordinData
import BordinStats

/// `crosstab`: a two-way frequency table of two categorical variables with Pearson's χ² test,
/// Cramér's V, Fisher's exact test and (2 × 2) the sample odds ratio, as R's `table`,
/// `chisq.test`, `fisher.test`. x levels are rows, y levels columns, both sorted.
enum CrosstabDirective {
  static let definition = DirectiveDefinition(
    name: "crosstab",
    summary: "two categorical variables: counts, row %, χ² (Yates optional), Cramér's V, Fisher's exact test, odds ratio",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "x", type: .column, required: true, help: "the row variable (its levels are the table's rows)"),
      OptionSpec(name: "y", type: .column, required: true, help: "the column variable (e.g. the outcome)"),
      OptionSpec(name: "correct", type: .bool, defaultValue: "false", help: "Yates' continuity correction of χ² for a 2 × 2 table"),
      OptionSpec(name: "exact", type: .bool, defaultValue: "false", help: "also Fisher's exact test for tables larger than 2 × 2 (always given for 2 × 2)"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level of the odds ratio's interval"),
    ],
    fields: [
      FieldSpec(name: "chisq, df, p", help: "Pearson's χ² test (Yates-corrected with correct: true)"),
      FieldSpec(name: "cramers_v", help: "Cramér's V from the uncorrected χ² (no bias correction)"),
      FieldSpec(name: "fisher_p", help: "Fisher's exact two-sided p (2 × 2 tables, and larger ones with exact: true)"),
      FieldSpec(name: "odds_ratio, odds_ratio_ci_lb, odds_ratio_ci_ub", help: "2 × 2: sample odds ratio n11·n22/(n12·n21), Woolf interval"),
      FieldSpec(name: "cells[]", help: "x, y, n, row_pct (0–100), expected (key: \"x,y\")"),
      FieldSpec(name: "n, x_levels, y_levels, min_expected", help: "total count, the levels in table order, the smallest expected count"),
    ],
    run: run,
    traits: [.cacheable],
    apa: { o, root in CrosstabDirective.fragment(o, root: root) })

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let x = try o.requiredColumn("x", in: table, dataName: name)
    let y = try o.requiredColumn("y", in: table, dataName: name)
    if x == y {
      ev.sink.error(inv.location("y"), "option-value", "crosstab '\(inv.label)': x and y are both '\(x)'",
                    remedy: "cross-tabulate two different columns")
      throw DirectiveFailure()
    }
    let correct = try o.bool("correct")
    let exact = try o.bool("exact")
    let level = try o.level()
    let t: CrossTabResult
    do {
      t = try CrossTabulation.tabulate(x: table[x]!, y: table[y]!, xName: x, yName: y, correct: correct, exact: exact, level: level)
    } catch {
      throw ev.statsFailure(error, inv, option: (error as? StatsError)?.code == "exact-too-large" ? "exact" : "x")
    }
    var method = "Pearson's χ²" + (t.corrected ? " with Yates' continuity correction" : "")
    if t.fisherP != nil { method += "; Fisher's exact test" }
    if t.oddsRatio != nil { method += "; sample odds ratio with Woolf's interval" }
    return DirectiveOutput(
      result: value(t, x: x, y: y), data: name, rowsUsed: t.rowsUsed, rowsDropped: t.rowsDropped,
      droppedReason: t.rowsDropped > 0 ? "missing values in \(x), \(y)" : nil, method: method, warnings: t.warnings)
  }

  static func value(_ t: CrossTabResult, x: String, y: String) -> ResultValue {
    var f: [(String, ResultValue)] = [
      ("x", .string(x)), ("y", .string(y)), ("n", .int(t.n)),
      ("chisq", .num(t.chisq)), ("df", .int(t.df)), ("p", .num(t.p)), ("correct", .bool(t.corrected)),
      ("cramers_v", .num(t.cramersV)),
    ]
    if let fp = t.fisherP { f.append(("fisher_p", .num(fp))) }
    if let or = t.oddsRatio {
      f.append(("odds_ratio", .num(or)))
      f.append(("odds_ratio_ci_lb", .num(t.oddsRatioCiLower)))
      f.append(("odds_ratio_ci_ub", .num(t.oddsRatioCiUpper)))
    }
    f.append(("cells", .array(t.cells.map { c in
      .object([("x", .string(c.x)), ("y", .string(c.y)), ("n", .int(c.n)), ("row_pct", .num(c.rowPercent)), ("expected", .num(c.expected))])
    })))
    f += [("x_levels", .array(t.xLevels.map { .string($0) })), ("y_levels", .array(t.yLevels.map { .string($0) })),
          ("min_expected", .num(t.minExpected)), ("level", .number(t.level))]
    return .object(f)
  }

  /// APA fragments: the test, "χ²(1, *N* = 209) = 0.02, *p* = .880, *V* = .01"; a cell, "49 (32.2%)".
  static func fragment(_ o: ResultValue, root: ResultValue) -> String? {
    if let chisq = o["chisq"]?.double, let df = o["df"]?.double {
      var s = "χ<sup>2</sup>(" + APA.df(df) + ", " + APA.i("N") + " = " + Format.integer(o["n"]?.double ?? .nan) + ") = " + Format.fixed(chisq, 2)
      if let p = o["p"]?.double { s += ", " + APA.p(p) }
      if let v = o["cramers_v"]?.double { s += ", " + APA.i("V") + " = " + Format.fixed(v, 2, leadingZero: false) }
      return s
    }
    if let n = o["n"]?.double, let pct = o["row_pct"]?.double {
      return Format.integer(n) + " (" + Format.fixed(pct, 1) + "%)"
    }
    return nil
  }

  /// APA's frequency table: one row per x level, n and row % per y level, the row total; the
  /// tests in the note.
  static func table(label: String, value v: ResultValue, digits: Int) -> TableModel {
    func strings(_ f: String) -> [String] {
      guard case .array(let a)? = v[f] else { return [] }
      return a.compactMap(\.string)
    }
    let xl = strings("x_levels"), yl = strings("y_levels")
    var cells: [String: ResultValue] = [:]
    var index: [String: Int] = [:]
    if case .array(let items)? = v["cells"] {
      for (i, c) in items.enumerated() {
        let k = (c["x"]?.string ?? "") + "\u{1}" + (c["y"]?.string ?? "")
        cells[k] = c
        index[k] = i
      }
    }
    var header = [escapeHTML(v["x"]?.string ?? "x")]
    for l in yl { header += [escapeHTML(l) + " " + APA.i("n"), "%"] }
    header.append("Total")
    var rows: [[TableModel.Cell]] = []
    var colTotals = [Int](repeating: 0, count: yl.count)
    for xv in xl {
      var row = [TableModel.Cell(escapeHTML(xv))]
      var total = 0
      for (j, yv) in yl.enumerated() {
        let k = xv + "\u{1}" + yv
        guard let c = cells[k], let i = index[k] else { row += [.init(""), .init("")]; continue }
        let ref = "\(label).cells[\(i)]"
        let n = Int(c["n"]?.double ?? 0)
        total += n
        colTotals[j] += n
        row.append(.init(Format.integer(Double(n)), ref: ref + ".n"))
        row.append(.init(escapeHTML(Format.fixed(c["row_pct"]?.double ?? .nan, 1)), ref: ref + ".row_pct"))
      }
      row.append(.init(Format.integer(Double(total))))
      rows.append(row)
    }
    var totalRow = [TableModel.Cell("Total")]
    for t in colTotals { totalRow += [.init(Format.integer(Double(t))), .init("")] }
    totalRow.append(.init(Format.integer(v["n"]?.double ?? .nan), ref: "\(label).n"))
    rows.append(totalRow)

    var note = "Counts with row percentages. " + (fragment(v, root: v) ?? "")
    if v["correct"] == .bool(true) { note += " (Yates' continuity correction)" }
    if let fp = v["fisher_p"]?.double { note += "; Fisher's exact " + APA.p(fp) }
    if let or = v["odds_ratio"]?.double {
      note += "; " + APA.i("OR") + " = " + Format.fixed(or, digits)
      if let lb = v["odds_ratio_ci_lb"]?.double, let ub = v["odds_ratio_ci_ub"]?.double {
        note += ", " + APA.ciLabel(v, v) + " [" + Format.fixed(lb, digits) + ", " + Format.fixed(ub, digits) + "]"
      }
    }
    return TableModel(header: header, rows: rows, note: note + ".")
  }
}
