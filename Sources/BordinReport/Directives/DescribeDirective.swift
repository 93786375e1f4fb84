import BordinData
import BordinStats

/// `describe`: n, missing, mean, SD (n − 1), min, max, median per variable and group.
enum DescribeDirective {
  static let definition = DirectiveDefinition(
    name: "describe",
    summary: "descriptive statistics per variable (and group)",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "vars", type: .columns, required: true, help: "numeric columns to describe"),
      OptionSpec(name: "by", type: .column, help: "a grouping column: one row per variable and group"),
    ],
    fields: [
      FieldSpec(name: "vars[]", help: "per variable (and group): name, var, group, n, missing, mean, sd, min, max, median"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let vars = try o.columns("vars", in: table, dataName: name) ?? []
    let by = try o.column("by", in: table, dataName: name)
    var groups: [(label: String?, rows: [Int])] = [(nil, Array(0..<table.rowCount))]
    if let by, let col = table[by] {
      let levels = table.factorLevels(by)
      groups = levels.map { lv in (lv, (0..<table.rowCount).filter { col.string(at: $0) == lv }) }
    }
    var items: [ResultValue] = []
    for v in vars {
      let values = try o.numeric(v, option: "vars", in: table, dataName: name)
      for g in groups {
        let d = Describe.numeric(g.rows.map { values[$0] })
        var f: [(String, ResultValue)] = [("name", .string(g.label.map { "\(v):\($0)" } ?? v)), ("var", .string(v))]
        if let l = g.label { f.append(("group", .string(l))) }
        f += [("n", .int(d.n)), ("missing", .int(d.missing)), ("mean", .num(d.mean)), ("sd", .num(d.sd)),
              ("min", .num(d.min)), ("max", .num(d.max)), ("median", .num(d.median))]
        items.append(.object(f))
      }
    }
    return DirectiveOutput(result: .object([("vars", .array(items))]), data: name, rowsUsed: table.rowCount)
  }
}
