import BordinData
import BordinStats

/// `ttest`: paired (`x` + `y`), two-sample by `formula: outcome ~ group` (Welch unless
/// `var_equal: true`), or one-sample (`x` + `mu`), as R's `t.test`, with Cohen's d.
enum TTestDirective {
  static let definition = DirectiveDefinition(
    name: "ttest",
    summary: "paired, Welch, Student or one-sample t-test with Cohen's d",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "x", type: .column, help: "first column (paired with y, or alone for one-sample)"),
      OptionSpec(name: "y", type: .column, help: "second column of a paired test"),
      OptionSpec(name: "paired", type: .bool, defaultValue: "true", help: "x and y are paired (false: two independent samples)"),
      OptionSpec(name: "formula", type: .formula, help: "outcome ~ group, two groups"),
      OptionSpec(name: "var_equal", type: .bool, defaultValue: "false", help: "pooled-variance (Student) test instead of Welch"),
      OptionSpec(name: "mu", type: .number, defaultValue: "0", help: "hypothesised mean of a one-sample test"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
    ],
    fields: [
      FieldSpec(name: "t, df, p", help: "the test (two-sided p)"),
      FieldSpec(name: "mean_diff, se, ci_lb, ci_ub", help: "mean difference, its SE and CI"),
      FieldSpec(name: "d", help: "Cohen's d (paired: d_z)"),
      FieldSpec(name: "type, mean_x, mean_y, n_x, n_y, groups", help: "test type, means, sizes, group labels"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let level = try o.level()
    let varEqual = try o.bool("var_equal")
    let r: TTestResult
    var used: [String] = []
    if let ftext = try o.string("formula") {
      let f = try ev.checkFormula(ftext, inv, option: "formula", table: table, dataName: name)
      used = f.variables
      do { r = try TTest.twoSample(ftext, data: table, varEqual: varEqual, level: level) } catch {
        throw ev.statsFailure(error, inv, option: "formula")
      }
    } else if let x = try o.column("x", in: table, dataName: name) {
      let xv = try o.numeric(x, option: "x", in: table, dataName: name)
      if let y = try o.column("y", in: table, dataName: name) {
        let yv = try o.numeric(y, option: "y", in: table, dataName: name)
        used = [x, y]
        do {
          r = try o.bool("paired")
            ? try TTest.paired(xv, yv, level: level, names: (x, y))
            : try TTest.twoSample(xv, yv, varEqual: varEqual, level: level, names: (x, y))
        } catch let e as DirectiveFailure { throw e } catch { throw ev.statsFailure(error, inv, option: "x") }
      } else {
        used = [x]
        do { r = try TTest.oneSample(xv, mu: try o.number("mu"), level: level) } catch let e as DirectiveFailure { throw e } catch {
          throw ev.statsFailure(error, inv, option: "x")
        }
      }
    } else {
      ev.sink.error(inv.at, "missing-option", "ttest '\(inv.label)' needs 'x' and 'y' (paired), 'formula' (two groups) or 'x' (one sample)",
                    remedy: "add 'formula: outcome ~ group' or 'x: …' and 'y: …'")
      throw DirectiveFailure()
    }
    let n = r.nX + (r.kind == .paired ? 0 : (r.nY ?? 0))
    var f: [(String, ResultValue)] = [
      ("type", .string(r.kind.rawValue)), ("t", .num(r.t)), ("df", .num(r.df)), ("p", .num(r.p)),
      ("mean_diff", .num(r.meanDiff)), ("se", .num(r.se)), ("ci_lb", .num(r.ciLower)), ("ci_ub", .num(r.ciUpper)),
      ("d", .num(r.d)), ("level", .number(r.level)), ("mean_x", .num(r.meanX)),
    ]
    if let my = r.meanY { f.append(("mean_y", .num(my))) }
    f.append(("n_x", .int(r.nX)))
    if let ny = r.nY { f.append(("n_y", .int(ny))) }
    if let g = r.groups { f.append(("groups", .array(g.map { .string($0) }))) }
    return DirectiveOutput(result: .object(f), data: name, rowsUsed: n, rowsDropped: max(0, table.rowCount - n),
                           droppedReason: table.rowCount > n ? "missing values in \(used.joined(separator: ", "))" : nil,
                           method: r.kind.rawValue + " t-test")
  }
}
