import BordinData

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
    ],
    fields: [],
    run: run)

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let digits = Int(try o.number("digits", default: 2))
    guard (0...10).contains(digits) else {
      ev.sink.error(inv.location("digits"), "option-value", "option 'digits' must be between 0 and 10; got \(digits)")
      throw DirectiveFailure()
    }
    var model: TableModel
    var data: String?
    if let of = try o.string("of") {
      let (kind, value) = try ev.result(of, at: inv.location("of"))
      model = ResultTables.table(kind: kind, label: of, value: value, digits: digits)
    } else if o.has("data") {
      let (name, table) = try ev.dataset(for: inv)
      data = name
      let cols = try o.columns("columns", in: table, dataName: name) ?? table.names
      let maxRows = Int(try o.number("rows", default: 50))
      model = dataTable(table, cols, maxRows: max(0, maxRows), digits: digits)
    } else {
      ev.sink.error(inv.at, "missing-option", "table '\(inv.label)' needs 'of' (a result label) or 'data'",
                    remedy: "add 'of: LABEL' naming the directive whose result to show")
      throw DirectiveFailure()
    }
    if let note = try o.string("note") { model.note = (model.note.map { $0 + " " } ?? "") + escapeHTML(note) }
    let html = model.html(id: inv.labelled ? inv.label : nil, number: ev.numbers[inv.label], caption: try o.string("caption"))
    return DirectiveOutput(result: nil, html: html, data: data)
  }

  static func dataTable(_ t: Table, _ cols: [String], maxRows: Int, digits: Int) -> TableModel {
    var rows: [[TableModel.Cell]] = []
    for i in 0..<min(t.rowCount, maxRows) {
      rows.append(cols.map { c in
        guard let col = t[c] else { return .init("") }
        if case .numeric(let v) = col { return .init(v[i].isNaN ? "NA" : Format.fixed(v[i], v[i] == v[i].rounded() ? 0 : digits)) }
        return .init(escapeHTML(col.string(at: i) ?? "NA"))
      })
    }
    let note = t.rowCount > maxRows ? "The first \(maxRows) of \(t.rowCount) rows." : nil
    return TableModel(header: cols.map(escapeHTML), rows: rows, note: note)
  }
}

/// APA tables for each kind of result.
enum ResultTables {
  struct Column {
    var field: String
    var header: String
    var kind: Format.Kind?
  }

  static func table(kind: String, label: String, value: ResultValue, digits: Int) -> TableModel {
    switch kind {
    case "regress":
      var m = list(value, "coef", label: label, key: "term", first: "Term", digits: digits, [
        Column(field: "estimate", header: APA.i("b"), kind: .general), Column(field: "se", header: APA.i("SE"), kind: .general),
        Column(field: "ci", header: ciHeader(value), kind: .general), Column(field: "t", header: APA.i("t"), kind: .general),
        Column(field: "p", header: APA.i("p"), kind: .pValue),
      ])
      m.note = APA.fragment(value, root: value, kind: kind) + (value["n"]?.double.map { "; " + APA.i("N") + " = " + Format.integer($0) } ?? "") + "."
      return m
    case "correlate":
      return list(value, "pairs", label: label, key: "pair", first: "Variables", digits: digits, [
        Column(field: "r", header: APA.i(value["method"]?.string == "spearman" ? "ρ" : "r"), kind: .bounded),
        Column(field: "ci", header: ciHeader(value), kind: .bounded), Column(field: "t", header: APA.i("t"), kind: .general),
        Column(field: "df", header: APA.i("df"), kind: .count), Column(field: "p", header: APA.i("p"), kind: .pValue),
        Column(field: "n", header: APA.i("n"), kind: .count),
      ])
    case "describe":
      return list(value, "vars", label: label, key: "name", first: "Variable", digits: digits, [
        Column(field: "n", header: APA.i("n"), kind: .count), Column(field: "missing", header: "Missing", kind: .count),
        Column(field: "mean", header: APA.i("M"), kind: .general), Column(field: "sd", header: APA.i("SD"), kind: .general),
        Column(field: "min", header: "Min", kind: .general), Column(field: "max", header: "Max", kind: .general),
      ])
    default:
      return scalars(value, label: label, digits: digits)
    }
  }

  static func ciHeader(_ v: ResultValue) -> String {
    APA.ciLabel(v, v)
  }

  /// One row per element of the list field `listField`.
  static func list(_ v: ResultValue, _ listField: String, label: String, key: String, first: String, digits: Int,
                   _ cols: [Column]) -> TableModel {
    guard case .array(let items)? = v[listField] else { return scalars(v, label: label, digits: digits) }
    var rows: [[TableModel.Cell]] = []
    for (i, item) in items.enumerated() {
      let name: String
      if key == "pair", let x = item["x"]?.string, let y = item["y"]?.string { name = "\(x) – \(y)" } else {
        name = InlineResolver.key(item) ?? String(i + 1)
      }
      let k = InlineResolver.key(item).map { "[\"\($0)\"]" } ?? "[\(i)]"
      var row = [TableModel.Cell(escapeHTML(name))]
      for c in cols {
        let ref = "\(label).\(listField)\(k).\(c.field)"
        if c.field == "ci", let lb = item["ci_lb"]?.double, let ub = item["ci_ub"]?.double {
          let kind = c.kind ?? .general
          let s = kind == .general ? "[" + Format.fixed(lb, digits) + ", " + Format.fixed(ub, digits) + "]" : Format.interval(lb, ub, kind: kind)
          row.append(.init(escapeHTML(s), ref: ref))
        } else if let x = item[c.field]?.double {
          row.append(.init(escapeHTML(cell(x, c.kind ?? Format.kind(of: c.field, in: item), digits)), ref: ref))
        } else {
          row.append(.init(""))
        }
      }
      rows.append(row)
    }
    return TableModel(header: [first] + cols.map(\.header), rows: rows, note: nil)
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
