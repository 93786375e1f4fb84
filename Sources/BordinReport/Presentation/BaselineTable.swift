import BordinData
import BordinStats

/// Table 1 of a trial report: `table` with `data`, `by` (the arm) and `vars` gives, per group,
/// M (SD) of each numeric variable and n (%) of each level of each categorical one, with the test
/// that fits each variable, as papers print it:
///
/// - numeric, two groups: Welch's t test (`t.test`); more groups: the one-way ANOVA F
///   (`summary(aov(x ~ group))`, equal variances);
/// - categorical: Pearson's χ² without continuity correction (`chisq.test(correct = FALSE)`), or
///   Fisher's exact test (`fisher.test`) for a 2 × 2 table with an expected count below 5.
///
/// Groups are the levels of `by` in sorted order (code order for a value-labelled column); rows
/// with `by` missing are left out, and each variable uses the rows where it is present.
/// Percentages are of the group's non-missing values of the variable.
enum BaselineTable {
  /// More groups than this is not a baseline comparison of arms.
  static let maxGroups = 20

  struct Built {
    var model: TableModel
    var result: ResultValue
    var data: String
    var warnings: [StatsWarning]
    var rowsUsed: Int
    var rowsDropped: Int
  }

  static func build(_ inv: Invocation, _ ev: Evaluation, digits: Int) throws(DirectiveFailure) -> Built {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    guard o.has("by") else {
      ev.sink.error(inv.location("vars"), "missing-option", "table '\(inv.label)': 'vars' makes a baseline table, which needs 'by' (the column of the groups)",
                    remedy: "add 'by: arm' naming the column of the groups, or use 'columns' to list data")
      throw DirectiveFailure()
    }
    for other in ["columns", "rows"] where o.has(other) {
      ev.sink.error(inv.location(other), "option-value", "table '\(inv.label)': '\(other)' lists data rows; a baseline table by groups takes 'vars' instead",
                    remedy: other == "columns" ? "write the variables to compare as 'vars: [...]'" : "remove 'rows'")
      throw DirectiveFailure()
    }
    let by = try o.requiredColumn("by", in: table, dataName: name)
    guard let vars = try o.columns("vars", in: table, dataName: name), !vars.isEmpty else {
      ev.sink.error(inv.location("by"), "missing-option", "table '\(inv.label)': a baseline table by '\(by)' needs 'vars' (the variables to compare)",
                    remedy: "add 'vars: [age, sex, ext_pre]'")
      throw DirectiveFailure()
    }
    if let v = vars.first(where: { $0 == by }) {
      ev.sink.error(inv.location("vars"), "option-value", "table '\(inv.label)': '\(v)' is the grouping column 'by'; it cannot be compared across its own groups",
                    remedy: "remove '\(v)' from 'vars'")
      throw DirectiveFailure()
    }
    let byColumn = table[by]!
    let rows = (0..<table.rowCount).filter { !byColumn.isMissing($0) }
    let groups = levels(byColumn, rows, declared: table.info[by]?.levels)
    guard groups.count >= 2, groups.count <= maxGroups else {
      ev.sink.error(inv.location("by"), "option-value",
                    "table '\(inv.label)': 'by: \(by)' has \(groups.count) group\(groups.count == 1 ? "" : "s") in '\(name)'; a baseline table compares 2 to \(maxGroups)",
                    remedy: groups.count < 2 ? "check the filter of the data: every row is in one group" : "name the column of the arms (a few levels), not an identifier or a score")
      throw DirectiveFailure()
    }
    let groupOf = rows.map { byColumn.string(at: $0) ?? "" }
    let groupN = groups.map { g in groupOf.filter { $0 == g }.count }

    var warnings: [StatsWarning] = []
    var items: [ResultValue] = []
    for v in vars {
      let col = table[v]!
      let present = rows.indices.filter { !col.isMissing(rows[$0]) }
      let missing = rows.count - present.count
      do {
        if case .numeric(let x) = col {
          items.append(try numeric(v, groups: groups, values: present.map { x[rows[$0]] }, group: present.map { groupOf[$0] }, missing: missing))
        } else {
          let sub = present.map { rows[$0] }
          let (item, w) = try categorical(v, col, rows: sub, groups: groups, group: present.map { groupOf[$0] }, by: by, missing: missing)
          items.append(item)
          warnings += w
        }
      } catch {
        let s = error as? StatsError
        ev.sink.error(inv.location("vars"), s?.code ?? "stats", "table '\(inv.label)': variable '\(v)': \(s?.message ?? "\(error)")", remedy: s?.remedy)
        throw DirectiveFailure()
      }
    }
    var value = ResultValue.object([
      ("by", .string(by)),
      ("groups", .array(zip(groups, groupN).map { .object([("name", .string($0)), ("n", .int($1))]) })),
      ("vars", .array(items)),
      ("n", .int(rows.count)),
    ])
    // `bordin verify` replays the recorded numbers: the table shows those.
    let shown = ev.replay?[inv.label].map { value.withNumbers(of: $0) } ?? value
    let model = tableModel(label: inv.label, value: shown, digits: digits, labels: ev.labels)
    value = shown
    return Built(model: model, result: value, data: name, warnings: warnings, rowsUsed: rows.count, rowsDropped: table.rowCount - rows.count)
  }

  /// The groups: sorted values (numbers by value, text by Unicode scalars, FALSE before TRUE),
  /// declared value labels first in code order.
  static func levels(_ c: Column, _ rows: [Int], declared: [String]?) -> [String] {
    switch c {
    case .numeric(let v): return Array(Set(rows.map { v[$0] })).sorted().map(formatShortest)
    case .logical(let v): return Set(rows.compactMap { v[$0] }).sorted { !$0 && $1 }.map { $0 ? "TRUE" : "FALSE" }
    case .text(let v):
      let present = Set(rows.compactMap { v[$0] })
      let sorted = present.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
      guard let declared else { return sorted }
      let d = declared.filter { present.contains($0) }
      return d + sorted.filter { !d.contains($0) }
    }
  }

  /// M (SD) per group; Welch's t for two groups, the one-way ANOVA F for more.
  static func numeric(_ v: String, groups: [String], values x: [Double], group: [String], missing: Int) throws -> ResultValue {
    var per: [ResultValue] = []
    var samples: [[Double]] = []
    for g in groups {
      let s = zip(x, group).filter { $0.1 == g }.map(\.0)
      samples.append(s)
      let d = Describe.numeric(s)
      per.append(.object([("name", .string(g)), ("n", .int(s.count)), ("mean", .num(d.mean)), ("sd", .num(d.sd))]))
    }
    var f: [(String, ResultValue)] = [("var", .string(v)), ("scale", .string("numeric")), ("missing", .int(missing)), ("groups", .array(per))]
    if groups.count == 2 {
      let t = try TTest.twoSample(samples[0], samples[1], names: (groups[0], groups[1]))
      f += [("test", .string("welch")), ("statistic", .num(t.t)), ("df", .num(t.df)), ("p", .num(t.p))]
    } else {
      let a = try AnalysisOfVariance.oneWay(samples, name: v)
      f += [("test", .string("anova")), ("statistic", .num(a.f)), ("df1", .int(a.df1)), ("df2", .int(a.df2)), ("p", .num(a.p))]
    }
    return .object(f)
  }

  /// n (%) per level and group; Pearson's χ², or Fisher's exact p for a 2 × 2 table with an
  /// expected count below 5.
  static func categorical(_ v: String, _ col: Column, rows: [Int], groups: [String], group: [String], by: String, missing: Int) throws
    -> (ResultValue, [StatsWarning])
  {
    let t = try CrossTabulation.tabulate(x: col.select(rows), y: .text(group), xName: v, yName: by)
    let totals = groups.map { g in group.filter { $0 == g }.count }
    let levels: [ResultValue] = t.xLevels.map { l in
      .object([("name", .string(l)), ("groups", .array(groups.enumerated().map { j, g in
        let n = t.cell(l, g)?.n ?? 0
        return .object([("name", .string(g)), ("n", .int(n)), ("pct", .num(totals[j] > 0 ? 100 * Double(n) / Double(totals[j]) : .nan))])
      }))])
    }
    var f: [(String, ResultValue)] = [("var", .string(v)), ("scale", .string("categorical")), ("missing", .int(missing)), ("levels", .array(levels)),
                                      ("min_expected", .num(t.minExpected))]
    var warnings: [StatsWarning] = []
    if t.xLevels.count == 2, t.yLevels.count == 2, t.minExpected < 5, let fp = t.fisherP {
      f += [("test", .string("fisher")), ("p", .num(fp))]
    } else {
      f += [("test", .string("chisq")), ("statistic", .num(t.chisq)), ("df", .int(t.df)), ("p", .num(t.p))]
      if t.minExpected < 5 {
        warnings.append("'\(v)': \(t.smallExpected) expected count\(t.smallExpected == 1 ? " is" : "s are") below 5 (smallest \(formatShortest((t.minExpected * 100).rounded() / 100))), so the χ² approximation may be poor; merge levels in a data step, or compare with a crosstab (exact: true)")
      }
    }
    return (.object(f), warnings)
  }

  static func tableModel(label: String, value v: ResultValue, digits: Int, labels: Labels) -> TableModel {
    var header = ["Variable"]
    if case .array(let gs)? = v["groups"] {
      for g in gs { header.append(escapeHTML(g["name"]?.string ?? "") + " (" + APA.i("n") + " = " + Format.integer(g["n"]?.double ?? .nan) + ")") }
    }
    header += ["Test", APA.i("p")]
    var rows: [[TableModel.Cell]] = []
    var used = Set<String>()
    var missing: [String] = []
    guard case .array(let items)? = v["vars"] else { return TableModel(header: header, rows: [], note: nil) }
    for item in items {
      let name = item["var"]?.string ?? ""
      let ref = "\(label).vars[\"\(name)\"]"
      let test = item["test"]?.string ?? ""
      used.insert(test)
      if let m = item["missing"]?.double, m > 0 { missing.append(escapeHTML(labels.column(name)) + " " + Format.integer(m)) }
      let testCell = TableModel.Cell(testHTML(item), ref: item["statistic"] == nil ? nil : ref + ".statistic")
      let pCell = TableModel.Cell(escapeHTML(Format.p(item["p"]?.double ?? .nan)), ref: ref + ".p")
      if item["scale"]?.string == "numeric" {
        var row = [TableModel.Cell(escapeHTML(labels.column(name)) + ", " + APA.i("M") + " (" + APA.i("SD") + ")")]
        if case .array(let gs)? = item["groups"] {
          for g in gs {
            let cell = Format.fixed(g["mean"]?.double ?? .nan, digits) + " (" + Format.fixed(g["sd"]?.double ?? .nan, digits) + ")"
            row.append(.init(escapeHTML(cell), ref: ref + ".groups[\"\(g["name"]?.string ?? "")\"]"))
          }
        }
        rows.append(row + [testCell, pCell])
      } else {
        let groupCount = header.count - 3
        rows.append([.init(escapeHTML(labels.column(name)) + ", " + APA.i("n") + " (%)")] + Array(repeating: .init(""), count: groupCount) + [testCell, pCell])
        if case .array(let ls)? = item["levels"] {
          for l in ls {
            let level = l["name"]?.string ?? ""
            var row = [TableModel.Cell("&emsp;" + escapeHTML(level))]
            if case .array(let gs)? = l["groups"] {
              for g in gs {
                let cell = Format.integer(g["n"]?.double ?? .nan) + " (" + Format.fixed(g["pct"]?.double ?? .nan, 1) + "%)"
                row.append(.init(escapeHTML(cell), ref: ref + ".levels[\"\(level)\"].groups[\"\(g["name"]?.string ?? "")\"]"))
              }
            }
            rows.append(row + [.init(""), .init("")])
          }
        }
      }
    }
    var tests: [String] = []
    if used.contains("welch") { tests.append("Welch's " + APA.i("t") + " test") }
    if used.contains("anova") { tests.append("one-way ANOVA " + APA.i("F") + " (equal variances)") }
    if used.contains("chisq") { tests.append("Pearson's χ<sup>2</sup> test without continuity correction") }
    if used.contains("fisher") { tests.append("Fisher's exact test (2 × 2 tables with an expected count below 5)") }
    var note = "Values are " + APA.i("M") + " (" + APA.i("SD") + ") or " + APA.i("n") + " (%) of the non-missing values in each group. Tests: " + tests.joined(separator: "; ") + "."
    if !missing.isEmpty { note += " Missing values: " + missing.joined(separator: ", ") + "." }
    return TableModel(header: header, rows: rows, note: note)
  }

  /// APA fragments of a baseline table's result: a variable as its test, "*t*(358.00) = −0.01,
  /// *p* = .989"; a group's numbers as "*M* = 10.52, *SD* = 0.77" or "108 (60.0%)".
  static func fragment(_ o: ResultValue) -> String? {
    if o["test"] != nil, let p = o["p"]?.double { return testHTML(o) + ", " + APA.p(p) }
    if let m = o["mean"]?.double, let sd = o["sd"]?.double {
      return APA.i("M") + " = " + escapeHTML(Format.fixed(m, 2)) + ", " + APA.i("SD") + " = " + escapeHTML(Format.fixed(sd, 2))
    }
    if let n = o["n"]?.double, let pct = o["pct"]?.double { return Format.integer(n) + " (" + Format.fixed(pct, 1) + "%)" }
    return nil
  }

  /// "*t*(170.33) = 0.62", "*F*(2, 51) = 7.21", "χ²(2) = 21.79", "Fisher's exact" (HTML).
  static func testHTML(_ item: ResultValue) -> String {
    let s = escapeHTML(Format.fixed(item["statistic"]?.double ?? .nan, 2))
    let df = { (k: String) in APA.df(item[k]?.double ?? .nan) }
    switch item["test"]?.string {
    case "welch": return APA.i("t") + "(" + df("df") + ") = " + s
    case "anova": return APA.i("F") + "(" + df("df1") + ", " + df("df2") + ") = " + s
    case "chisq": return "χ<sup>2</sup>(" + df("df") + ") = " + s
    case "fisher": return "Fisher&#39;s exact"
    default: return ""
    }
  }
}
