import BordinData

/// `recovery`: a parameter-recovery table for simulated data — each true value of the
/// simulator (a `name, value` dataset such as `parameters.csv`) beside the estimate of the
/// analysis (a result path such as `growth.fixed[months]`) and its confidence interval, with
/// whether the interval covers the truth.
enum RecoveryDirective {
  static let definition = DirectiveDefinition(
    name: "recovery",
    summary: "parameter recovery: the simulator's true values beside the estimates and their CIs",
    options: [
      OptionSpec(name: "truth", type: .dataset, required: true, help: "the true parameters: columns name and value"),
      OptionSpec(name: "estimates", type: .mapping, required: true, help: "parameter name: result path of its estimate (an object with estimate, est or mean_diff, and ci_lb, ci_ub)"),
    ],
    fields: [
      FieldSpec(name: "rows[]", help: "name, true, estimate, ci_lb, ci_ub, covered"),
      FieldSpec(name: "covered, n", help: "how many CIs cover the truth, of how many"),
    ],
    run: run,
    references: references)

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, truth) = try ev.dataset(for: inv, option: "truth")
    guard let names = truth["name"], let values = truth["value"]?.doubles else {
      ev.sink.error(inv.location("truth"), "option-value", "'\(name)' needs columns 'name' and 'value' (a simulator's parameters.csv)")
      throw DirectiveFailure()
    }
    var trueValue: [String: Double] = [:]
    for i in 0..<truth.rowCount { if let n = names.string(at: i) { trueValue[n] = values[i] } }
    let resolver = InlineResolver(ev: ev, params: ev.params, datasets: ev.datasets)
    var rows: [ResultValue] = []
    var table: [[TableModel.Cell]] = []
    var covered = 0, withCI = 0
    for e in try o.pairs("estimates") ?? [] {
      guard let t = trueValue[e.key] else {
        ev.sink.error(e.at, "unknown-parameter", "'\(e.key)' is not a parameter in '\(name)'\(didYouMeanSuffix(e.key, Array(trueValue.keys).sorted()))")
        throw DirectiveFailure()
      }
      let path: InlinePath
      do { path = try InlinePath.parse(e.value) } catch {
        ev.sink.error(e.at, "inline-syntax", "estimate path '\(e.value)': \(error.message)")
        throw DirectiveFailure()
      }
      let found: InlineResolver.Found
      do { found = try resolver.lookup(path) } catch {
        ev.sink.error(e.at, "inline-value", "estimate path '\(e.value)': \(error.message)", remedy: error.remedy)
        throw DirectiveFailure()
      }
      var est = Double.nan, lb = Double.nan, ub = Double.nan
      if case .value(let v, _, _, _) = found {
        if let x = v.double { est = x } else {
          est = v["estimate"]?.double ?? v["est"]?.double ?? v["mean_diff"]?.double ?? v["r"]?.double ?? v["ICC"]?.double ?? .nan
          lb = v["ci_lb"]?.double ?? .nan
          ub = v["ci_ub"]?.double ?? .nan
        }
      }
      let hasCI = lb.isFinite && ub.isFinite
      let cov = hasCI && lb <= t && t <= ub
      if hasCI { withCI += 1; if cov { covered += 1 } }
      rows.append(.object([("name", .string(e.key)), ("true", .num(t)), ("estimate", .num(est)), ("ci_lb", .num(lb)), ("ci_ub", .num(ub)),
                           ("covered", hasCI ? .bool(cov) : .null)]))
      let ref = "\(inv.label).rows[\(rows.count - 1)]"
      table.append([
        .init(escapeHTML(ev.labels.parameter(e.key))), .init(escapeHTML(Format.fixed(t, 3)), ref: ref + ".true"), .init(escapeHTML(Format.fixed(est, 3)), ref: ref + ".estimate"),
        .init(hasCI ? escapeHTML("[" + Format.fixed(lb, 3) + ", " + Format.fixed(ub, 3) + "]") : "—", ref: hasCI ? ref + ".ci" : nil),
        .init(hasCI ? (cov ? "yes" : "<strong>no</strong>") : "—", ref: hasCI ? ref + ".covered" : nil),
      ])
    }
    let model = TableModel(header: ["Parameter", "True value", "Estimate", "95% CI", "Covered"], rows: table,
                           note: "\(covered) of \(withCI) confidence intervals cover the simulator's true value; true values from <code>\(escapeHTML(name))</code>.")
    let html = model.html(id: inv.labelled ? inv.label : nil, number: ev.numbers[inv.label], caption: try o.string("caption"))
    return DirectiveOutput(result: .object([("rows", .array(rows)), ("covered", .int(covered)), ("n", .int(withCI))]), html: html, data: name)
  }
}

extension RecoveryDirective {
  /// The results whose values are estimates (`estimates: {name: label.path}`) are read before
  /// this directive runs.
  static func references(_ inv: Invocation) -> [(name: String, at: SourceLocation)] {
    guard case .map(let items, _)? = inv.node("estimates") else { return [] }
    return items.compactMap { it in
      guard let s = it.value.scalarText, let p = try? InlinePath.parse(s) else { return nil }
      return (p.root, it.value.location)
    }
  }
}
