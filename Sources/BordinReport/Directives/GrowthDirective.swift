import BordinData
import BordinStats

/// `growth`: trajectory predictors — the growth model `outcome ~ time * (predictors) +
/// (1 + time | innermost) + (1 | next) + …` fitted as `lmm`, plus the model-implied trajectories
/// for each level of each predictor (numeric predictors at their mean ± 1 SD; the others at
/// their reference level or mean), with 95% bands from the fixed-effect covariance.
enum GrowthDirective {
  static let definition = DirectiveDefinition(
    name: "growth",
    summary: "growth model: outcome ~ time × predictors with nested random effects, and model-implied trajectories",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "long data: one row per occasion"),
      OptionSpec(name: "outcome", type: .column, required: true, help: "the repeated measure"),
      OptionSpec(name: "time", type: .column, required: true, help: "time (e.g. months since intake)"),
      OptionSpec(name: "predictors", type: .columns, help: "predictors of level and change (each enters × time)"),
      OptionSpec(name: "groups", type: .columns, required: true, help: "nesting, innermost first: [child, therapist]"),
      OptionSpec(name: "slopes", type: .bool, defaultValue: "true", help: "random time slopes for the innermost group"),
      OptionSpec(name: "reml", type: .bool, defaultValue: "true", help: "REML (true) or ML (false)"),
      OptionSpec(name: "df", type: .choice(["satterthwaite", "none"]), defaultValue: "satterthwaite", help: "degrees of freedom"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
      OptionSpec(name: "blups", type: .bool, defaultValue: "false", help: "include the BLUPs"),
    ],
    fields: LMMDirective.fields + [
      FieldSpec(name: "model", help: "the lme4 formula fitted"),
      FieldSpec(name: "trajectories[]", help: "predictor, level, time, fit, se, ci_lb, ci_ub"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let outcome = try o.requiredColumn("outcome", in: table, dataName: name)
    let time = try o.requiredColumn("time", in: table, dataName: name)
    let predictors = try o.columns("predictors", in: table, dataName: name) ?? []
    let groups = try o.columns("groups", in: table, dataName: name) ?? []
    guard !groups.isEmpty else {
      ev.sink.error(inv.location("groups"), "missing-option", "growth needs 'groups', innermost first, e.g. [child, therapist]")
      throw DirectiveFailure()
    }
    var f = "\(outcome) ~ \(time)" + (predictors.isEmpty ? "" : " * (\(predictors.joined(separator: " + ")))")
    // Nested grouping: the inner groups are identified within the outer ones (lme4's a:b).
    let slope = try o.bool("slopes")
    f += " + (\(slope ? "1 + \(time)" : "1") | \(groups[0]))"
    for g in groups.dropFirst() { f += " + (1 | \(g))" }
    var out = try LMMDirective.fit(inv, ev, o, name: name, table: table, formula: f, option: "groups", time: time, predictors: predictors)
    guard let model = out.model as? LMMDirective.Model, var fields = out.result?.fields else { return out }
    fields.insert(("model", .string(f)), at: 0)
    let points = GrowthTrajectories.points(model.fit, table: table, time: time, predictors: predictors)
    fields.append(("trajectories", .array(points.map { p in
      .object([("predictor", .string(p.predictor)), ("level", .string(p.level)), ("time", .num(p.time)), ("fit", .num(p.fit)),
               ("se", .num(p.se)), ("ci_lb", .num(p.ciLower)), ("ci_ub", .num(p.ciUpper))])
    })))
    out.result = .object(fields.filter { $0.0 != "formula" })
    return out
  }
}
