import BordinData
import BordinStats

/// `correlate`: Pearson (Fisher-z CI) or Spearman correlations of every pair of `vars`, or
/// partial correlations given `partial` (psych::partial.r), with t, df and two-sided p.
enum CorrelateDirective {
  static let definition = DirectiveDefinition(
    name: "correlate",
    summary: "Pearson or Spearman correlations (with Fisher-z CIs), partial correlations",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "vars", type: .columns, required: true, help: "two or more numeric columns"),
      OptionSpec(name: "method", type: .choice(["pearson", "spearman"]), defaultValue: "pearson", help: "correlation coefficient"),
      OptionSpec(name: "partial", type: .columns, help: "columns to partial out"),
      OptionSpec(name: "use", type: .choice(["complete", "pairwise"]), defaultValue: "complete", help: "missing values: listwise or per pair"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
    ],
    fields: [
      FieldSpec(name: "pairs[]", help: "x, y, r, ci_lb, ci_ub, t, df, p, n (key \"x,y\")"),
      FieldSpec(name: "r, ci_lb, ci_ub, t, df, p, n", help: "the pair's values when vars has two columns"),
      FieldSpec(name: "method, use, level", help: "settings in effect"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let vars = try o.columns("vars", in: table, dataName: name) ?? []
    guard vars.count >= 2 else {
      ev.sink.error(inv.location("vars"), "option-value", "correlate needs at least two columns in 'vars'; got \(vars.count)")
      throw DirectiveFailure()
    }
    let method = CorrelationMethod(rawValue: try o.choice("method")) ?? .pearson
    let use = MissingValues(rawValue: try o.choice("use")) ?? .complete
    let partial = try o.columns("partial", in: table, dataName: name) ?? []
    let level = try o.level()
    var values: [(name: String, values: [Double])] = []
    for v in vars { values.append((v, try o.numeric(v, option: "vars", in: table, dataName: name))) }
    var given: [(name: String, values: [Double])] = []
    for v in partial { given.append((v, try o.numeric(v, option: "partial", in: table, dataName: name))) }
    let m: CorrelationMatrixResult
    do {
      m = try Correlation.matrix(values, method: method, use: use, partial: given, level: level)
    } catch {
      throw ev.statsFailure(error, inv, option: "vars")
    }
    let pairs: [ResultValue] = m.pairs.map(pairValue)
    var fields: [(String, ResultValue)] = [("method", .string(method.rawValue)), ("use", .string(use.rawValue)), ("level", .number(level))]
    if !partial.isEmpty { fields.append(("partial", .array(partial.map { .string($0) }))) }
    if m.pairs.count == 1, let single = pairs.first?.fields {
      fields += single.filter { $0.0 != "x" && $0.0 != "y" }
    }
    fields.append(("pairs", .array(pairs)))
    let dropped = table.rowCount - m.completeRows
    return DirectiveOutput(
      result: .object(fields), data: name, rowsUsed: use == .complete ? m.completeRows : nil,
      rowsDropped: use == .complete ? dropped : nil,
      droppedReason: use == .complete && dropped > 0 ? "missing values in \((vars + partial).joined(separator: ", "))" : nil,
      method: "\(method.rawValue)\(partial.isEmpty ? "" : " partial"), \(use.rawValue) cases")
  }

  static func pairValue(_ c: CorrelationResult) -> ResultValue {
    var f: [(String, ResultValue)] = [("x", .string(c.x)), ("y", .string(c.y)), ("r", .num(c.r))]
    if c.ciLower != nil { f += [("ci_lb", .num(c.ciLower)), ("ci_ub", .num(c.ciUpper))] }
    if let t = c.t { f.append(("t", .num(t))) }
    if let df = c.df { f.append(("df", .int(df))) }
    f += [("p", .num(c.p)), ("n", .int(c.n))]
    if let s = c.spearmanS { f.append(("S", .num(s))) }
    return .object(f)
  }
}
