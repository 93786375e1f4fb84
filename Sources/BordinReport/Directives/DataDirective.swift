import BordinData

/// `data`: derives a dataset from another with the data language (DESIGN.md §3): reshape,
/// derive, filter, person-mean centering, lags and leads, rename, select — applied in that
/// fixed order (`DataPipeline`).
enum DataDirective {
  static let definition = DirectiveDefinition(
    name: "data",
    summary: "derive a dataset: longer/wider, derive, filter, center, lag/lead, rename, select (applied in that order)",
    options: [
      OptionSpec(name: "from", type: .dataset, required: true, help: "the dataset to start from"),
      OptionSpec(name: "longer", type: .mapping, help: "pivot longer: {cols: [..], names_to: name, values_to: name}"),
      OptionSpec(name: "wider", type: .mapping, help: "pivot wider: {names_from: col, values_from: col, id: [..]}"),
      OptionSpec(name: "derive", type: .mapping, help: "new columns, name: expression (evaluated in order, within 'by' groups)"),
      OptionSpec(name: "filter", type: .expression, help: "keep rows where this is TRUE (NA drops the row)"),
      OptionSpec(name: "by", type: .columns, help: "grouping columns for group-wise functions, center, lag and lead"),
      OptionSpec(name: "order", type: .columns, help: "ordering within groups for lag and lead"),
      OptionSpec(name: "center", type: .columns, help: "person-mean centering: adds X_between and X_within by 'by'"),
      OptionSpec(name: "lag", type: .columns, help: "adds X_lag: the previous row's value within 'by', in 'order'"),
      OptionSpec(name: "lead", type: .columns, help: "adds X_lead: the next row's value within 'by', in 'order'"),
      OptionSpec(name: "rename", type: .mapping, help: "old: new column names"),
      OptionSpec(name: "select", type: .columns, help: "keep these columns, in this order"),
    ],
    fields: [
      FieldSpec(name: "rows", help: "number of rows"), FieldSpec(name: "columns", help: "number of columns"),
      FieldSpec(name: "names", help: "column names"),
    ],
    run: run,
    traits: [.dataset])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv, option: "from")
    var p = DataPipeline()
    p.derive = (try o.pairs("derive") ?? []).map { (name: $0.key, expression: $0.value) }
    p.filter = try o.string("filter")
    p.by = try o.strings("by") ?? []
    p.order = try o.strings("order") ?? []
    p.center = try o.strings("center") ?? []
    p.lag = try o.strings("lag") ?? []
    p.lead = try o.strings("lead") ?? []
    p.rename = (try o.pairs("rename") ?? []).map { (from: $0.key, to: $0.value) }
    p.select = try o.strings("select")
    if let m = try scalars(inv, ev, "longer", allowed: ["cols", "names_to", "values_to"]) {
      let cols = try listOption(inv, ev, "longer", "cols")
      p.longer = Longer(cols: cols, namesTo: m["names_to"] ?? "name", valuesTo: m["values_to"] ?? "value")
    }
    if let m = try scalars(inv, ev, "wider", allowed: ["names_from", "values_from", "id"]) {
      guard let nf = m["names_from"], let vf = m["values_from"] else {
        ev.sink.error(inv.location("wider"), "missing-option", "'wider' needs 'names_from' and 'values_from'")
        throw DirectiveFailure()
      }
      // `id` is usually a list, which `scalars` does not return: ask the node itself.
      let id = hasSetting(inv, "wider", "id") ? try listOption(inv, ev, "wider", "id") : nil
      p.wider = Wider(namesFrom: nf, valuesFrom: vf, idCols: id)
    }
    if !p.center.isEmpty, p.by.isEmpty {
      ev.sink.error(inv.location("center"), "missing-option", "'center' needs 'by' (the grouping column, e.g. the person id)",
                    remedy: "add 'by: patient'")
      throw DirectiveFailure()
    }
    do {
      let out = try p.apply(to: table)
      let fields: [(String, ResultValue)] = [
        ("rows", .int(out.rowCount)), ("columns", .int(out.columnCount)), ("names", .array(out.names.map { .string($0) })),
      ]
      return DirectiveOutput(result: .object(fields),
                             dataset: out, data: name, rowsUsed: out.rowCount,
                             rowsDropped: p.filter == nil ? nil : max(0, table.rowCount - out.rowCount),
                             droppedReason: p.filter.map { "filter: \($0)" })
    } catch {
      throw ev.dataFailure(error, inv)
    }
  }

  /// The scalar settings of a `longer`/`wider` mapping (lists are read by ``listOption``);
  /// unknown keys are errors.
  private static func scalars(_ inv: Invocation, _ ev: Evaluation, _ opt: String, allowed: [String]) throws(DirectiveFailure) -> [String: String]? {
    guard let n = inv.node(opt), !n.isNull else { return nil }
    guard case .map(let items, _) = n else {
      ev.sink.error(n.location, "option-value", "option '\(opt)' must be a mapping of \(allowed.joined(separator: ", "))")
      throw DirectiveFailure()
    }
    var out: [String: String] = [:]
    for it in items {
      guard allowed.contains(it.key) else {
        ev.sink.error(it.keyAt, "unknown-option", "'\(opt)' has no setting '\(it.key)'\(didYouMeanSuffix(it.key, allowed))",
                      remedy: "its settings are: \(allowed.joined(separator: ", "))")
        throw DirectiveFailure()
      }
      if let s = it.value.scalarText { out[it.key] = s }
    }
    return out
  }

  /// True when the `opt` mapping has the setting `key` (of any shape).
  private static func hasSetting(_ inv: Invocation, _ opt: String, _ key: String) -> Bool {
    guard case .map(let items, _)? = inv.node(opt) else { return false }
    return items.contains { $0.key == key }
  }

  /// A sub-option of `longer`/`wider` that is a list (or one name).
  private static func listOption(_ inv: Invocation, _ ev: Evaluation, _ opt: String, _ key: String) throws(DirectiveFailure) -> [String] {
    guard case .map(let items, _)? = inv.node(opt), let n = items.first(where: { $0.key == key })?.value else {
      ev.sink.error(inv.location(opt), "missing-option", "'\(opt)' needs '\(key)'")
      throw DirectiveFailure()
    }
    switch n {
    case .scalar(let s, _, _): return [s]
    case .list(let xs, _): return xs.compactMap(\.scalarText)
    case .map: ev.sink.error(n.location, "option-value", "'\(opt).\(key)' must be a list of column names"); throw DirectiveFailure()
    }
  }
}
