import BordinData
import BordinStats

/// `reliability`: internal consistency of a scale as psych::alpha — Cronbach's (1951) alpha raw
/// and standardised, Guttman's (1945) λ6, mean inter-item r, alpha if an item is deleted,
/// corrected item–total r — and McDonald's (1999) ω total from a one-factor ML model.
/// Reverse-keyed items: `reverse: {A1: 7 - A1}` (expressions) or `reverse: [A1]` with `range`.
enum ReliabilityDirective {
  static let definition = DirectiveDefinition(
    name: "reliability",
    summary: "Cronbach's alpha, Guttman's λ6, item statistics and McDonald's omega",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "items", type: .columns, required: true, help: "the scale's item columns"),
      OptionSpec(name: "reverse", type: .mapping, help: "reverse-keyed items: a list (reversed within 'range') or item: expression"),
      OptionSpec(name: "range", type: .strings, help: "the response scale [min, max] for reversing listed items"),
      OptionSpec(name: "missing", type: .choice(["pairwise", "complete"]), defaultValue: "pairwise", help: "covariances from pairwise (psych) or complete rows"),
      OptionSpec(name: "omega", type: .bool, defaultValue: "true", help: "also fit the one-factor model for omega total"),
    ],
    fields: [
      FieldSpec(name: "raw_alpha, std_alpha, G6, average_r, median_r, n", help: "scale statistics"),
      FieldSpec(name: "items[]", help: "per item: name, alpha_if_deleted, std_alpha_if_deleted, r_drop, r_cor, mean, sd"),
      FieldSpec(name: "alpha_if_deleted[], item_total_r_drop[]", help: "name, value per item"),
      FieldSpec(name: "omega_total, omega_n, loadings[]", help: "one-factor ML omega (on omega_n complete rows) and the loadings (name, loading, std_loading)"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let items = try o.columns("items", in: table, dataName: name) ?? []
    var columns: [[Double]] = []
    for it in items { columns.append(try o.numeric(it, option: "items", in: table, dataName: name)) }
    var reversedNames: [String] = []
    // Reverse-keying: expressions are applied here; listed items are reversed within 'range'.
    switch inv.node("reverse") {
    case .map(let pairs, _)?:
      for p in pairs {
        guard let idx = items.firstIndex(of: p.key), let text = p.value.scalarText else {
          ev.sink.error(p.keyAt, "unknown-item", "reverse names '\(p.key)', which is not one of the items\(didYouMeanSuffix(p.key, items))")
          throw DirectiveFailure()
        }
        let c = try ev.expression(text, option: "reverse", inv: inv, table: table)
        guard let d = c.doubles else {
          ev.sink.error(p.value.location, "non-numeric", "reverse expression for '\(p.key)' is not numeric")
          throw DirectiveFailure()
        }
        columns[idx] = d
        reversedNames.append(p.key)
      }
    case .some:
      let list = try o.strings("reverse") ?? []
      var lo: Double, hi: Double
      if let r = try o.strings("range") {
        guard r.count == 2, let a = Double(r[0]), let b = Double(r[1]), a < b else {
          ev.sink.error(inv.location("range"), "option-value", "option 'range' must be [min, max] of the response scale, e.g. [1, 6]")
          throw DirectiveFailure()
        }
        (lo, hi) = (a, b)
      } else {
        let all = columns.flatMap { $0 }.filter { !$0.isNaN }
        (lo, hi) = (all.min() ?? 0, all.max() ?? 0)
      }
      for it in list {
        guard let idx = items.firstIndex(of: it) else {
          ev.sink.error(inv.location("reverse"), "unknown-item", "reverse names '\(it)', which is not one of the items\(didYouMeanSuffix(it, items))")
          throw DirectiveFailure()
        }
        columns[idx] = columns[idx].map { $0.isNaN ? $0 : lo + hi - $0 }
        reversedNames.append(it)
      }
    case nil: break
    }
    let missing = MissingValues(rawValue: try o.choice("missing")) ?? .pairwise
    let r: ReliabilityResult
    do {
      r = try Reliability.analyze(columns, names: items, missing: missing, omega: try o.bool("omega"))
    } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: "items") }
    var fields: [(String, ResultValue)] = [
      ("raw_alpha", .num(r.rawAlpha)), ("std_alpha", .num(r.stdAlpha)), ("G6", .num(r.g6)), ("average_r", .num(r.averageR)),
      ("median_r", .num(r.medianR)), ("n", .int(r.n)), ("k", .int(items.count)), ("reversed", .array(reversedNames.map { .string($0) })),
      ("items", .array(r.itemStatistics.map { s in
        .object([("name", .string(s.name)), ("alpha_if_deleted", .num(s.alphaIfDeleted)), ("std_alpha_if_deleted", .num(s.stdAlphaIfDeleted)),
                 ("r_drop", .num(s.rDrop)), ("r_cor", .num(s.rCor)), ("mean", .num(s.mean)), ("sd", .num(s.sd))])
      })),
      ("alpha_if_deleted", .array(r.itemStatistics.map { .object([("name", .string($0.name)), ("value", .num($0.alphaIfDeleted))]) })),
      ("item_total_r_drop", .array(r.itemStatistics.map { .object([("name", .string($0.name)), ("value", .num($0.rDrop))]) })),
    ]
    var warnings: [StatsWarning] = []
    if let om = r.omega {
      fields.append(("omega_total", .num(om.omegaTotal)))
      // ω is fitted on the rows complete on every item; alpha (pairwise) may use more rows.
      fields.append(("omega_n", .int(om.n)))
      if om.n != r.n {
        warnings.append("omega total uses the \(om.n) rows complete on every item, not the \(r.n) rows of alpha (\(r.n - om.n) with some item missing); use 'missing: complete' for both on the same rows")
      }
      fields.append(("loadings", .array(om.items.indices.map { i in
        .object([("name", .string(om.items[i])), ("loading", .num(om.loadings[i])), ("std_loading", .num(om.standardizedLoadings[i]))])
      })))
      if om.heywood { warnings.append("the one-factor model has a Heywood case (a uniqueness at zero); omega may be unreliable") }
      if !om.converged { warnings.append("the one-factor model for omega did not converge") }
    }
    return DirectiveOutput(result: .object(fields), data: name, rowsUsed: r.n, rowsDropped: r.rowsDropped,
                           droppedReason: r.rowsDropped > 0 ? "rows with no item answered" : nil,
                           method: "psych alpha (\(missing.rawValue) covariances); omega from a one-factor ML model", warnings: warnings)
  }
}
