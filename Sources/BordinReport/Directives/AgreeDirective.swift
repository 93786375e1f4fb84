import BordinData
import BordinStats

/// `agree`: informant agreement on a continuous rating — the six Shrout & Fleiss (1979) ICCs from
/// the two-way ANOVA mean squares (psych::ICC), and for each pair of informants Pearson r, the
/// mean difference with a paired t-test and Bland–Altman (1986) bias and 95% limits of agreement.
/// Wide data (`raters`: one column per informant) or long data (`target`, `informant`, `score`).
enum AgreeDirective {
  static let definition = DirectiveDefinition(
    name: "agree",
    summary: "informant agreement: six ICC forms, pairwise r, mean differences, Bland–Altman limits",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "raters", type: .columns, help: "wide data: one column per informant"),
      OptionSpec(name: "target", type: .column, help: "long data: the rated unit (child, session)"),
      OptionSpec(name: "informant", type: .column, help: "long data: who rated"),
      OptionSpec(name: "score", type: .column, help: "long data: the rating"),
      OptionSpec(name: "icc", type: .strings, help: "ICC forms to report (default all: ICC1 ICC2 ICC3 ICC1k ICC2k ICC3k)"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
    ],
    fields: [
      FieldSpec(name: "icc[]", help: "type, ICC, F, df1, df2, p, ci_lb, ci_ub (key: type)"),
      FieldSpec(name: "pairs[]", help: "x, y, n, r, mean_diff, t, df, p, ba_bias, ba_sd, ba_loa_lb, ba_loa_ub (key: \"x,y\")"),
      FieldSpec(name: "n, raters", help: "targets rated by every informant; the informants"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let level = try o.level()
    var columns: [[Double]] = []
    var raters: [String] = []
    if let rs = try o.columns("raters", in: table, dataName: name) {
      raters = rs
      for r in rs { columns.append(try o.numeric(r, option: "raters", in: table, dataName: name)) }
    } else if o.has("target") {
      let t = try o.requiredColumn("target", in: table, dataName: name)
      let i = try o.requiredColumn("informant", in: table, dataName: name)
      let s = try o.requiredColumn("score", in: table, dataName: name)
      let score = try o.numeric(s, option: "score", in: table, dataName: name)
      let col = { (c: String) in (0..<table.rowCount).map { table[c]?.string(at: $0) } }
      do {
        let w = try IntraclassCorrelation.wide(target: col(t), informant: col(i), score: score)
        raters = w.raters
        columns = w.columns
      } catch { throw ev.statsFailure(error, inv, option: "target") }
    } else {
      ev.sink.error(inv.at, "missing-option", "agree '\(inv.label)' needs 'raters' (wide data) or 'target', 'informant' and 'score' (long data)",
                    remedy: "add 'raters: [child, caregiver, therapist]'")
      throw DirectiveFailure()
    }
    guard raters.count >= 2 else {
      ev.sink.error(inv.location("raters"), "too-few-raters", "agreement needs at least two raters; got \(raters.count)",
                    remedy: "list two or more informant columns")
      throw DirectiveFailure()
    }
    var types = ICCType.allCases
    if let wanted = try o.strings("icc") {
      types = []
      for w in wanted {
        guard let t = ICCType.allCases.first(where: { $0.rawValue.lowercased() == w.lowercased() }) else {
          ev.sink.error(inv.location("icc"), "option-value", "unknown ICC form '\(w)'\(didYouMeanSuffix(w, ICCType.allCases.map(\.rawValue)))",
                        remedy: "forms: ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k")
          throw DirectiveFailure()
        }
        types.append(t)
      }
    }
    let icc: ICCResult
    let pairs: [InformantPair]
    do {
      icc = try IntraclassCorrelation.compute(columns, raters: raters, level: level, types: types)
      pairs = try InformantPairs.compute(columns, names: raters, level: level)
    } catch { throw ev.statsFailure(error, inv, option: o.has("raters") ? "raters" : "score") }
    let iccs: [ResultValue] = icc.icc.map { e in
      .object([("type", .string(e.type.rawValue)), ("ICC", .num(e.icc)), ("F", .num(e.f)), ("df1", .num(e.df1)), ("df2", .num(e.df2)),
               ("p", .num(e.p)), ("ci_lb", .num(e.ciLower)), ("ci_ub", .num(e.ciUpper))])
    }
    let prs: [ResultValue] = pairs.map { p in
      .object([("x", .string(p.x)), ("y", .string(p.y)), ("n", .int(p.n)), ("r", .num(p.r)), ("mean_diff", .num(p.meanDiff)),
               ("t", .num(p.t)), ("df", .num(p.df)), ("p", .num(p.p)), ("ba_bias", .num(p.baBias)), ("ba_sd", .num(p.baSD)),
               ("ba_loa_lb", .num(p.baLoaLower)), ("ba_loa_ub", .num(p.baLoaUpper))])
    }
    let result = ResultValue.object([("n", .int(icc.nSubjects)), ("raters", .array(raters.map { .string($0) })), ("level", .number(level)),
                                     ("icc", .array(iccs)), ("pairs", .array(prs))])
    return DirectiveOutput(result: result, data: name, rowsUsed: icc.nSubjects, rowsDropped: icc.rowsDropped,
                           droppedReason: icc.rowsDropped > 0 ? "targets without a rating from every informant" : nil,
                           method: "Shrout & Fleiss ICCs from ANOVA mean squares; Bland–Altman limits bias ± 1.96 SD")
  }

  /// The Shrout and Fleiss (1979) name of an ICC form, as prose writes it: ICC1 → "ICC(1,1)",
  /// ICC3 → "ICC(3,1)", ICC2k → "ICC(2,k)" with k the number of informants when known ("ICC(2,3)").
  /// The result keeps psych's names (ICC1 … ICC3k) as the keys of `icc[]`.
  static func shroutFleissName(_ type: String, raters: Int?) -> String {
    guard type.hasPrefix("ICC"), let model = type.dropFirst(3).first, "123".contains(model) else { return type }
    let rest = type.dropFirst(4)
    guard rest.isEmpty || rest == "k" else { return type }
    let k = rest.isEmpty ? "1" : raters.map(String.init) ?? "k"
    return "ICC(\(model),\(k))"
  }
}
