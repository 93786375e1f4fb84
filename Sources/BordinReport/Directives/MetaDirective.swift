import Foundation
import BordinData
import BordinStats

/// `meta`: meta-analysis of correlations (Fisher z), given effect sizes (yi + vi/sei),
/// standardised mean differences (Hedges' g) or 2 × 2 tables (log OR, log RR, RD, as metafor's
/// `escalc`), as metafor's `rma`/`rma.mv`: τ² estimators,
/// Knapp–Hartung, heterogeneity with CIs, prediction interval, moderators, subgroups,
/// publication-bias tests and three-level models.
enum MetaDirective {
  static let methods = MetaMethod.allCases.map(\.rawValue)

  static let definition = DirectiveDefinition(
    name: "meta",
    summary: "meta-analysis (r, yi/vi, SMD or 2 × 2 tables: OR, RR, RD): τ² methods, Knapp–Hartung, moderators, subgroups, bias tests, three-level",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "one row per effect size"),
      OptionSpec(name: "r", type: .column, help: "correlations (with n): analysed as Fisher z, vi = 1/(n − 3)"),
      OptionSpec(name: "n", type: .column, help: "sample sizes of the correlations"),
      OptionSpec(name: "yi", type: .column, help: "effect sizes (with vi or sei)"),
      OptionSpec(name: "vi", type: .column, help: "sampling variances"),
      OptionSpec(name: "sei", type: .column, help: "standard errors"),
      OptionSpec(name: "measure", type: .string, help: "with yi: ZCOR (Fisher z of r: results also as r), SMD, OR, RR, RD or GEN, or a column holding one of them; with 2 × 2 tables: OR, RR or RD"),
      OptionSpec(name: "m1", type: .column, help: "group 1 means (SMD, with sd1, n1, m2, sd2, n2)"),
      OptionSpec(name: "sd1", type: .column, help: "group 1 SDs"),
      OptionSpec(name: "n1", type: .column, help: "group 1 sizes"),
      OptionSpec(name: "m2", type: .column, help: "group 2 means"),
      OptionSpec(name: "sd2", type: .column, help: "group 2 SDs"),
      OptionSpec(name: "n2", type: .column, help: "group 2 sizes"),
      OptionSpec(name: "ai", type: .column, help: "2 × 2 tables: events in group 1 (with bi, ci, di, or with n1i, ci, n2i)"),
      OptionSpec(name: "bi", type: .column, help: "2 × 2 tables: non-events in group 1"),
      OptionSpec(name: "ci", type: .column, help: "2 × 2 tables: events in group 2"),
      OptionSpec(name: "di", type: .column, help: "2 × 2 tables: non-events in group 2"),
      OptionSpec(name: "n1i", type: .column, help: "2 × 2 tables: size of group 1 (instead of bi)"),
      OptionSpec(name: "n2i", type: .column, help: "2 × 2 tables: size of group 2 (instead of di)"),
      OptionSpec(name: "drop00", type: .bool, defaultValue: "false", help: "2 × 2 tables: leave out studies with no events (or only events) in both groups, as metafor's drop00 (otherwise ½ is added to every cell of a table with a zero)"),
      OptionSpec(name: "study", type: .column, help: "study labels (forest plots, the studies list)"),
      OptionSpec(name: "method", type: .choice(methods), defaultValue: "REML", help: "τ² estimator"),
      OptionSpec(name: "test", type: .choice(["z", "knha"]), defaultValue: "z", help: "z or Knapp–Hartung t/F tests (with random: t tests with k − p df, as rma.mv test = \"t\")"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
      OptionSpec(name: "mods", type: .formula, help: "moderators, a formula right-hand side: ~ age + design"),
      OptionSpec(name: "subgroup", type: .column, help: "a categorical column: pooled estimate per subgroup and the Q-between test"),
      OptionSpec(name: "random", type: .string, help: "three-level model: ~ 1 | study/es; multivariate model: ~ outcome | study (REML or ML)"),
      OptionSpec(name: "V", type: .mapping, help: "multivariate: the within-study covariances as metafor's vcalc: {rvars: [v1i, v2i], cluster: study, vi: vi} (in each study row a's b-th column is its covariance with the study's b-th row, or its correlation with vi; cluster defaults to the study of random); [v1i, v2i] is short for {rvars: [v1i, v2i]}"),
      OptionSpec(name: "struct", type: .choice(MetaCovarianceStructure.allCases.map(\.rawValue)), defaultValue: "CS", help: "multivariate: the between-study covariance of the outcomes, as rma.mv struct: UN (a τ² per outcome and a correlation per pair), CS (one τ², one ρ; metafor's default), DIAG (a τ² per outcome), ID (one τ²)"),
      OptionSpec(name: "bias", type: .strings, help: "publication-bias checks: egger, rank, trimfill (with random: egger only, the standard errors as a moderator of the multilevel model)"),
      OptionSpec(name: "maxiter", type: .integer, defaultValue: "100", help: "iterations of the ML/REML/EB Fisher scoring"),
    ],
    fields: [
      FieldSpec(name: "k, estimate, se, z (or t, df), p, ci_lb, ci_ub", help: "the pooled effect (z scale for r)"),
      FieldSpec(name: "r, r_ci_lb, r_ci_ub, r_pi_lb, r_pi_ub", help: "back-transformed to r (correlation inputs)"),
      FieldSpec(name: "exp_estimate, exp_ci_lb, exp_ci_ub, exp_pi_lb, exp_pi_ub", help: "OR and RR: exponentiated (the odds or risk ratio), as metafor's predict(transf = exp)"),
      FieldSpec(name: "continuity_corrected, drop00_dropped", help: "2 × 2 tables: tables with ½ added to each cell; studies left out by drop00"),
      FieldSpec(name: "tau2, se_tau2, tau2_ci_lb, tau2_ci_ub", help: "between-study variance, its SE and Q-profile CI"),
      FieldSpec(name: "I2, I2_ci_lb, I2_ci_ub, H2, H2_ci_lb, H2_ci_ub", help: "heterogeneity (I² in %)"),
      FieldSpec(name: "Q, Q_df, Q_p", help: "the test of heterogeneity"),
      FieldSpec(name: "pi_lb, pi_ub", help: "prediction interval"),
      FieldSpec(name: "coef[], QM, QM_df, QM_p, R2", help: "moderators (term, estimate, se, z/t, p, ci_lb, ci_ub)"),
      FieldSpec(name: "subgroups[], Q_between, Q_between_df, Q_between_p", help: "per-subgroup pooled effects (key: level)"),
      FieldSpec(name: "egger, rank, trimfill", help: "publication-bias checks"),
      FieldSpec(name: "sigma2[], logLik", help: "three-level variance components (name, sigma2, share)"),
      FieldSpec(name: "tau2[], rho[], struct, groups, AIC, BIC", help: "multivariate: τ² per outcome (name, tau2, tau, k studies), ρ per pair of outcomes (x, y, rho), the number of studies; Q is QE with V"),
      FieldSpec(name: "studies[]", help: "per study: name, yi, vi, ci_lb, ci_ub, weight (%)"),
    ],
    run: run,
    traits: [.cacheable],
    apa: { o, root in MetaDirective.fragment(o, root: root) })

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    try checkCombinations(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    if isMultivariate(inv) { return try runMultivariate(inv, ev, table: table, name: name) }
    let (effects, input, countFields) = try effectSizes(o, inv, ev, table: table, name: name)
    let method = MetaMethod(rawValue: try o.choice("method")) ?? .REML
    let test = MetaTest(rawValue: try o.choice("test")) ?? .z
    let maxiter = try o.integer("maxiter", range: 1...100_000)
    let options = MetaOptions(method: method, test: test, level: try o.level(), maxIterations: maxiter)
    let labels: [String]? = try o.column("study", in: table, dataName: name).map { c in
      (0..<table.rowCount).map { table[c]?.string(at: $0) ?? "Study \($0 + 1)" }
    }
    let groupColumn = try o.column("subgroup", in: table, dataName: name)
    let groups: [String?]? = groupColumn.map { c in (0..<table.rowCount).map { table[c]?.string(at: $0) } }
    var warnings: [StatsWarning] = []
    var fields: [(String, ResultValue)] = [("measure", .string(effects.measure.rawValue)), ("method", .string(method.rawValue)),
                                           ("test", .string(test.rawValue)), ("level", .number(options.level))] + countFields
    var used: [Int]
    var dropped: Int
    var methodText = "\(method.rawValue)\(test == .knha ? ", Knapp–Hartung" : "")"

    if let random = try o.string("random") {
      let m = try multilevelFields(
        o, inv, ev, effects: effects, random: random, table: table, method: method, test: test, options: options,
        maxiter: maxiter, labels: labels, groups: groups)
      fields += m.fields; used = m.used; dropped = m.dropped; warnings += m.warnings; methodText = m.methodText
    } else {
      let u = try univariateFields(
        o, inv, ev, effects: effects, table: table, options: options, groupColumn: groupColumn, labels: labels,
        groups: groups)
      fields += u.fields; used = u.used; dropped = u.dropped; warnings += u.warnings
    }
    return DirectiveOutput(result: .object(fields), data: name, rowsUsed: used.count, rowsDropped: dropped,
                           droppedReason: dropped > 0 ? "missing effect sizes or moderators\(countFields.contains { $0.0 == "drop00_dropped" } ? ", or tables without events (or non-events) in both groups (drop00)" : "")" : nil,
                           method: "meta-analysis, \(input == "r" ? "Fisher z of r" : input == "zcor" ? "given Fisher z" : input == "smd" ? "Hedges' g" : input == "smd-given" ? "given SMD" : input == "2x2" ? measureName(effects.measure) : "given yi"); \(methodText)",
                           warnings: warnings)
  }

  /// The effect sizes from whichever input the options give (r + n, yi + vi/sei, 2 × 2 tables,
  /// or group means and SDs), with the input's name and any 2 × 2 count fields.
  static func effectSizes(
    _ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, table: Table, name: String
  ) throws(DirectiveFailure) -> (effects: MetaEffects, input: String, countFields: [(String, ResultValue)]) {
    let col = { (opt: String) throws(DirectiveFailure) -> [Double]? in
      guard let c = try o.column(opt, in: table, dataName: name) else { return nil }
      return try o.numeric(c, option: opt, in: table, dataName: name)
    }
    let effects: MetaEffects
    var input = ""
    var countFields: [(String, ResultValue)] = []
    do {
      if let r = try col("r") {
        guard let n = try col("n") else { throw missing(inv, ev, "n", "correlations need sample sizes: add 'n: COLUMN'") }
        effects = try MetaEffects.correlations(r: r, n: n); input = "r"
      } else if let yi = try col("yi") {
        let measure = try measureOption(o, inv, ev, table: table, dataName: name)
        if let vi = try col("vi") { effects = try MetaEffects(yi: yi, vi: vi, measure: measure) } else if let sei = try col("sei") {
          var e = try MetaEffects(yi: yi, sei: sei)
          e.measure = measure
          effects = e
        } else { throw missing(inv, ev, "vi", "effect sizes need 'vi' (variances) or 'sei' (standard errors)") }
        input = measure == .zcor ? "zcor" : measure == .smd ? "smd-given" : "yi"
      } else if countOptions.contains(where: o.has) {
        let (e, notes) = try twoByTwo(o, inv, ev, col: col)
        effects = e; countFields = notes; input = "2x2"
      } else if o.has("m1") {
        var v: [[Double]] = []
        for k in ["m1", "sd1", "n1", "m2", "sd2", "n2"] {
          guard let c = try col(k) else { throw missing(inv, ev, k, "standardised mean differences need m1, sd1, n1, m2, sd2 and n2") }
          v.append(c)
        }
        effects = try MetaEffects.standardizedMeanDifferences(m1: v[0], sd1: v[1], n1: v[2], m2: v[3], sd2: v[4], n2: v[5]); input = "smd"
      } else {
        ev.sink.error(inv.at, "missing-option", "meta '\(inv.label)' needs effect sizes: 'r' + 'n', 'yi' + 'vi' (or 'sei'), m1, sd1, n1, m2, sd2, n2, or 2 × 2 tables (ai, bi, ci, di)",
                      remedy: "for correlations add 'r: COLUMN' and 'n: COLUMN'")
        throw DirectiveFailure()
      }
    } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: inputOption(inv)) }
    return (effects, input, countFields)
  }

  /// The three-level model (`random`): its fields, with the Egger test on the multilevel model,
  /// the rows used and dropped, the warnings and the method text.
  static func multilevelFields(
    _ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, effects: MetaEffects, random: String, table: Table,
    method: MetaMethod, test: MetaTest, options: MetaOptions, maxiter: Int, labels: [String]?, groups: [String?]?
  ) throws(DirectiveFailure) -> (fields: [(String, ResultValue)], used: [Int], dropped: Int, warnings: [StatsWarning], methodText: String) {
    var fields: [(String, ResultValue)] = []
    var warnings: [StatsWarning] = []
    let used: [Int]
    let dropped: Int
    let fit: MultilevelMetaResult
    do {
      fit = try MetaMultilevel.fit(effects, random: random, data: table, mods: try o.string("mods"), method: method, test: test,
                                   level: options.level, maxIterations: o.has("maxiter") ? maxiter : 1000,
                                   evaluate: formulaEvaluator(table))
    } catch let f as DirectiveFailure { throw f } catch {
      throw ev.statsFailure(error, inv, option: multilevelOption(error, hasMods: o.has("mods"), hasMaxiter: o.has("maxiter")))
    }
    fields += multilevel(fit)
    if effects.measure.isLogRatio, !o.has("mods") { fields += exponentiated([fit.estimate, fit.ciLower, fit.ciUpper, fit.piLower, fit.piUpper]) }
    used = fit.rowsUsed; dropped = fit.rowsDropped; warnings += fit.warnings
    for b in try o.strings("bias") ?? [] {
      guard b.lowercased() == "egger" else {
        ev.sink.error(inv.location("bias"), "option-value", "option 'bias' takes egger with 'random'; got '\(b)'\(didYouMeanSuffix(b, ["egger"]))")
        throw DirectiveFailure()
      }
      do {
        fields.append(("egger", egger(try MetaMultilevel.egger(effects, random: random, data: table, mods: try o.string("mods"), method: method,
                                                               test: test, level: options.level, maxIterations: o.has("maxiter") ? maxiter : 1000,
                                                               evaluate: formulaEvaluator(table)))))
      } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: "bias") }
    }
    let methodText = "three-level \(method.rawValue), random \(random)\(test == .knha ? ", t tests (k − p df)" : "")"
    fields.append(("studies", studies(yi: fit.yi, vi: fit.vi, weights: nil, rows: used, labels: labels, groups: groups, level: options.level)))
    return (fields, used, dropped, warnings, methodText)
  }

  /// The random-effects (or fixed-effect) model, with moderators, subgroups and the
  /// publication-bias checks: its fields, the rows used and dropped and the warnings.
  static func univariateFields(
    _ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, effects: MetaEffects, table: Table,
    options: MetaOptions, groupColumn: String?, labels: [String]?, groups: [String?]?
  ) throws(DirectiveFailure) -> (fields: [(String, ResultValue)], used: [Int], dropped: Int, warnings: [StatsWarning]) {
    var fields: [(String, ResultValue)] = []
    var warnings: [StatsWarning] = []
    let used: [Int]
    let dropped: Int
    let fit: MetaResult
    do {
      if let mods = try o.string("mods") {
        fit = try MetaAnalysis.fit(effects, mods: mods, data: table, options: options, evaluate: formulaEvaluator(table))
      } else {
        fit = try MetaAnalysis.fit(effects, options: options)
      }
    } catch { throw ev.statsFailure(error, inv, option: o.has("mods") ? "mods" : inputOption(inv)) }
    fields += value(fit)
    if effects.measure.isLogRatio, !o.has("mods") { fields += exponentiated([fit.estimate, fit.ciLower, fit.ciUpper, fit.piLower, fit.piUpper]) }
    used = fit.rowsUsed; dropped = fit.rowsDropped; warnings += fit.warnings
    // A subgroup column with a single level in the rows used means there are no subgroups
    // (a template can then serve meta-analyses with and without them); it is recorded, not an error.
    if let sg = groupColumn, let gc = table[sg], Set(used.compactMap { gc.string(at: $0) }).count < 2 {
      fields.append(("subgroup", .string(sg)))
      fields.append(("subgroup_note", .string("one level in the studies used: no subgroup analysis")))
    } else if let sg = groupColumn {
      do {
        let s = try MetaSubgroups.analyze(effects, moderator: sg, data: table, options: options)
        fields += subgroups(s)
        warnings += s.warnings
      } catch { throw ev.statsFailure(error, inv, option: "subgroup") }
    }
    for b in try o.strings("bias") ?? [] {
      do {
        switch b.lowercased() {
        case "egger": fields.append(("egger", egger(try PublicationBias.egger(fit))))
        case "rank":
          fields.append(("rank", rank(try PublicationBias.rankTest(fit))))
          if fit.hasModerators { warnings.append("the rank correlation test ignores the moderators (as metafor's ranktest): it tests the effect sizes themselves") }
        case "trimfill": fields.append(("trimfill", trimfill(try PublicationBias.trimFill(fit))))
        default:
          ev.sink.error(inv.location("bias"), "option-value", "option 'bias' takes egger, rank, trimfill; got '\(b)'\(didYouMeanSuffix(b, ["egger", "rank", "trimfill"]))")
          throw DirectiveFailure()
        }
      } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: "bias") }
    }
    fields.append(("studies", studies(yi: fit.yi, vi: fit.vi, weights: fit.weights, rows: used, labels: labels, groups: groups, level: options.level)))
    return (fields, used, dropped, warnings)
  }

  /// Options that some combination would silently ignore are refused before anything is computed
  /// (DESIGN §6): each with its location, the options involved and a remedy.
  static func checkCombinations(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) {
    let given = { (k: String) -> Bool in inv.node(k).map { !$0.isNull } ?? false }
    let smd = ["m1", "sd1", "n1", "m2", "sd2", "n2"]
    let counts = countOptions
    var conflicts: [(option: String, message: String, remedy: String)] = []
    if given("r") {
      for k in ["yi", "vi", "sei", "measure"] + smd + counts where given(k) {
        conflicts.append((k, "'\(k)' does not apply with 'r' (correlations are analysed as Fisher z with vi = 1/(n − 3))",
                          "remove '\(k)', or give the effect sizes as 'yi' + 'vi' instead of 'r' + 'n'"))
      }
    } else if given("yi") {
      for k in ["n"] + smd + counts where given(k) {
        conflicts.append((k, "'\(k)' does not apply with 'yi' (the sampling variances come from 'vi' or 'sei')", "remove '\(k)'"))
      }
      if given("vi") && given("sei") {
        conflicts.append(("sei", "'vi' and 'sei' both give the sampling variances; only one can be used", "remove 'sei' or 'vi'"))
      }
    } else if smd.contains(where: given) {
      for k in ["n", "vi", "sei", "measure"] + counts where given(k) {
        conflicts.append((k, "'\(k)' does not apply with m1, sd1, n1, m2, sd2, n2 (analysed as Hedges' g)", "remove '\(k)'"))
      }
    } else if counts.contains(where: given) {
      for k in ["n", "vi", "sei"] where given(k) {
        conflicts.append((k, "'\(k)' does not apply with 2 × 2 tables (the sampling variances come from the counts)", "remove '\(k)'"))
      }
      for k in ["n1i", "n2i"] where given(k) && (given("bi") || given("di")) {
        conflicts.append((k, "'\(k)' and 'bi'/'di' both give the 2 × 2 tables (group sizes or non-event counts); only one layout can be used",
                          "give either ai, bi, ci, di (the four cells) or ai, n1i, ci, n2i (events and group sizes)"))
      }
    } else if given("n") {
      conflicts.append(("n", "'n' applies to correlations ('r'), which are not given", "add 'r: COLUMN' or remove 'n'"))
    }
    if isMultivariate(inv) {
      conflicts += multivariateConflicts(inv)
    } else if given("struct") {
      conflicts.append(("struct", "'struct' applies to a multivariate model ('random: ~ outcome | study'), which is not given",
                        "remove 'struct', or write 'random: ~ outcome | study'"))
    }
    if given("random") {
      if given("subgroup") {
        conflicts.append(("subgroup", "'subgroup' is not available with 'random' (three-level models): it would be computed on a two-level model",
                          "remove 'subgroup', or compare subgroups as a moderator ('mods: ~ \(inv.node("subgroup")?.scalarText ?? "group")')"))
      }
      let bias: [String]
      switch inv.node("bias") {
      case .list(let items, _)?: bias = items.compactMap(\.scalarText)
      case let n?: bias = n.scalarText.map { [$0] } ?? []
      case nil: bias = []
      }
      for b in bias where ["rank", "trimfill"].contains(b.lowercased()) && !isMultivariate(inv) {
        conflicts.append(("bias", "'bias' check '\(b)' is not available with 'random' (three-level models): it assumes independent effect sizes",
                          "keep 'egger' (the multilevel Egger test: the standard errors as a moderator), or remove '\(b)'"))
      }
    }
    if given("drop00") && !counts.contains(where: given) {
      conflicts.append(("drop00", "'drop00' applies to 2 × 2 tables (ai, bi, ci, di), which are not given", "remove 'drop00'"))
    }
    let method = inv.node("method")?.scalarText ?? "REML"
    if given("maxiter"), !given("random"), !given("V"), ["FE", "DL", "HE", "HS", "SJ"].contains(method) {
      conflicts.append(("maxiter", "'maxiter' applies to the iterative τ² estimators (ML, REML, EB, PM); \(method) is computed in closed form",
                        "remove 'maxiter', or choose an iterative method"))
    }
    if given("mods") && given("subgroup") {
      conflicts.append(("subgroup", "'subgroup' with 'mods': the subgroups would be pooled without the moderators",
                        "remove one: a subgroup comparison adjusted for moderators is the meta-regression 'mods: ~ group + …'"))
    }
    guard !conflicts.isEmpty else { return }
    for c in conflicts {
      ev.sink.error(inv.location(c.option), "option-conflict", "meta '\(inv.label)': \(c.message)", remedy: c.remedy)
    }
    throw DirectiveFailure()
  }

  /// The option a multilevel fit's error points at: method (not REML/ML), maxiter (no
  /// convergence within it), random (its shape or columns), otherwise mods when given.
  static func multilevelOption(_ error: Error, hasMods: Bool, hasMaxiter: Bool) -> String {
    guard let s = error as? StatsError else { return hasMods ? "mods" : "random" }
    switch s.code {
    case "bad-method": return "method"
    case "not-converged": return hasMaxiter ? "maxiter" : "random"
    case "bad-random": return "random"
    case "unknown-column" where s.message.contains("(in random)"): return "random"
    default: return hasMods ? "mods" : "random"
    }
  }

  /// The `measure` option: a literal (ZCOR, SMD, GEN) or a column whose rows all hold one.
  static func measureOption(_ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, table: Table, dataName: String) throws(DirectiveFailure) -> MetaEffects.Measure {
    guard let m = try o.string("measure") else { return .generic }
    let known: [String: MetaEffects.Measure] = ["ZCOR": .zcor, "SMD": .smd, "OR": .logOddsRatio, "RR": .logRiskRatio, "RD": .riskDifference, "GEN": .generic]
    if let k = known[m.uppercased()] { return k }
    guard let c = table[m] else {
      ev.sink.error(inv.location("measure"), "option-value", "option 'measure' must be ZCOR, SMD, OR, RR, RD, GEN or a column holding them; got '\(m)'\(didYouMeanSuffix(m, ["ZCOR", "SMD", "OR", "RR", "RD", "GEN"] + table.names))")
      throw DirectiveFailure()
    }
    let values = Set((0..<table.rowCount).compactMap { c.string(at: $0)?.uppercased() })
    guard values.count == 1, let v = values.first, let k = known[v] else {
      ev.sink.error(inv.location("measure"), "option-value", "column '\(m)' must hold one measure (ZCOR, SMD, OR, RR, RD or GEN) in every row; it holds \(values.sorted().joined(separator: ", "))")
      throw DirectiveFailure()
    }
    return k
  }

  private static func inputOption(_ inv: Invocation) -> String {
    (["r", "yi", "m1"] + countOptions).first { inv.has($0) } ?? "data"
  }

  /// The options of 2 × 2 tables (metafor's escalc argument names).
  static let countOptions = ["ai", "bi", "ci", "di", "n1i", "n2i"]

  static func measureName(_ m: MetaEffects.Measure) -> String {
    switch m {
    case .logOddsRatio: return "log odds ratio"
    case .logRiskRatio: return "log risk ratio"
    case .riskDifference: return "risk difference"
    default: return m.rawValue
    }
  }

  /// Effect sizes from 2 × 2 tables: `measure` (OR, RR, RD) is required; the cells are ai, bi,
  /// ci, di or ai, n1i, ci, n2i (bi = n1i − ai). Also returns the fields counting the tables
  /// with ½ added to each cell and the studies left out by drop00.
  static func twoByTwo(_ o: OptionReader, _ inv: Invocation, _ ev: Evaluation,
                       col: (String) throws(DirectiveFailure) -> [Double]?) throws(DirectiveFailure) -> (MetaEffects, [(String, ResultValue)]) {
    let measures: [String: MetaEffects.Measure] = ["OR": .logOddsRatio, "RR": .logRiskRatio, "RD": .riskDifference]
    guard let m = try o.string("measure") else {
      ev.sink.error(inv.at, "missing-option", "meta '\(inv.label)': 2 × 2 tables need 'measure': OR (log odds ratio), RR (log risk ratio) or RD (risk difference)",
                    remedy: "add 'measure: OR'")
      throw DirectiveFailure()
    }
    guard let measure = measures[m.uppercased()] else {
      ev.sink.error(inv.location("measure"), "option-value", "meta '\(inv.label)': with 2 × 2 tables option 'measure' must be OR, RR or RD; got '\(m)'\(didYouMeanSuffix(m, ["OR", "RR", "RD"]))",
                    remedy: "use OR, RR or RD")
      throw DirectiveFailure()
    }
    let sizes = o.has("n1i") || o.has("n2i")
    var cells: [String: [Double]] = [:]
    for k in sizes ? ["ai", "n1i", "ci", "n2i"] : ["ai", "bi", "ci", "di"] {
      guard let c = try col(k) else {
        throw missing(inv, ev, k, "2 × 2 tables need \(sizes ? "ai, n1i, ci and n2i (events and group sizes)" : "ai, bi, ci and di (the four cell counts)")")
      }
      cells[k] = c
    }
    let drop00 = try o.bool("drop00")
    do {
      let ai = cells["ai"]!, ci = cells["ci"]!
      let bi = sizes ? try MetaEffects.nonEvents(events: ai, sizes: cells["n1i"]!, names: ("ai", "n1i")) : cells["bi"]!
      let di = sizes ? try MetaEffects.nonEvents(events: ci, sizes: cells["n2i"]!, names: ("ci", "n2i")) : cells["di"]!
      let e = try MetaEffects.twoByTwo(measure, ai: ai, bi: bi, ci: ci, di: di, drop00: drop00)
      let complete = ai.indices.filter { ![ai[$0], bi[$0], ci[$0], di[$0]].contains(where: \.isNaN) }
      let dropped = complete.filter { e.yi[$0].isNaN }.count
      let corrected = complete.filter { !e.yi[$0].isNaN && [ai[$0], bi[$0], ci[$0], di[$0]].contains(0) }.count
      var notes: [(String, ResultValue)] = [("continuity_corrected", .int(corrected))]
      if drop00 { notes.append(("drop00_dropped", .int(dropped))) }
      return (e, notes)
    } catch {
      // The option the error names (e.g. "'bi' = -1"); with group sizes, bi/di are derived from n1i/n2i.
      let text = (error as? StatsError)?.message ?? ""
      let order = (error as? StatsError)?.code == "count-exceeds-size" ? ["n1i", "n2i"] + countOptions : countOptions
      var option = order.first { text.contains("'\($0)'") } ?? "ai"
      if sizes, option == "bi" { option = "n1i" } else if sizes, option == "di" { option = "n2i" }
      throw ev.statsFailure(error, inv, option: option)
    }
  }

  /// exp of the estimate, CI and PI bounds (metafor's predict(transf = exp)) for OR and RR.
  static func exponentiated(_ v: [Double?]) -> [(String, ResultValue)] {
    zip(["exp_estimate", "exp_ci_lb", "exp_ci_ub", "exp_pi_lb", "exp_pi_ub"], v).compactMap { k, x in x.map { (k, .num(exp($0))) } }
  }

  private static func missing(_ inv: Invocation, _ ev: Evaluation, _ opt: String, _ msg: String) -> DirectiveFailure {
    ev.sink.error(inv.at, "missing-option", "meta '\(inv.label)': \(msg)", remedy: "add '\(opt): COLUMN'")
    return DirectiveFailure()
  }

  static func value(_ f: MetaResult) -> [(String, ResultValue)] {
    var v: [(String, ResultValue)] = [("k", .int(f.k)), ("estimate", .num(f.estimate)), ("se", .num(f.se))]
    if let z = f.z { v.append(("z", .num(z))) }
    if let t = f.t { v.append(("t", .num(t))) }
    if let df = f.df { v.append(("df", .int(df))) }
    v += [("p", .num(f.p)), ("ci_lb", .num(f.ciLower)), ("ci_ub", .num(f.ciUpper)),
          ("tau2", .num(f.tau2)), ("tau", .num(f.tau2.squareRoot())), ("se_tau2", .num(f.seTau2)),
          ("tau2_ci_lb", .num(f.tau2CiLower)), ("tau2_ci_ub", .num(f.tau2CiUpper)),
          ("I2", .num(f.I2)), ("I2_ci_lb", .num(f.I2CiLower)), ("I2_ci_ub", .num(f.I2CiUpper)),
          ("H2", .num(f.H2)), ("H2_ci_lb", .num(f.H2CiLower)), ("H2_ci_ub", .num(f.H2CiUpper)),
          ("Q", .num(f.Q)), ("Q_df", .int(f.QDf)), ("Q_p", .num(f.QP))]
    if f.piLower != nil { v += [("pi_lb", .num(f.piLower)), ("pi_ub", .num(f.piUpper))] }
    if f.r != nil {
      v += [("r", .num(f.r)), ("r_ci_lb", .num(f.rCiLower)), ("r_ci_ub", .num(f.rCiUpper)),
            ("r_pi_lb", .num(f.rPiLower)), ("r_pi_ub", .num(f.rPiUpper))]
    }
    if f.hasModerators {
      v.append(("coef", .array(f.coefficients.map(coefficient))))
      v += [("QM", .num(f.QM)), ("QM_df", .int(f.QMDf))]
      if let d2 = f.QMDf2 { v.append(("QM_df2", .int(d2))) }
      v += [("QM_p", .num(f.QMP)), ("R2", .num(f.R2))]
    }
    v.append(("logLik", .num(f.logLik)))
    return v
  }

  static func coefficient(_ c: MetaCoefficient) -> ResultValue {
    var v: [(String, ResultValue)] = [("term", .string(c.term)), ("estimate", .num(c.estimate)), ("se", .num(c.se))]
    if let z = c.z { v.append(("z", .num(z))) }
    if let t = c.t { v.append(("t", .num(t))) }
    if let df = c.df { v.append(("df", .int(df))) }
    v += [("p", .num(c.p)), ("ci_lb", .num(c.ciLower)), ("ci_ub", .num(c.ciUpper))]
    return .object(v)
  }

  static func subgroups(_ s: SubgroupAnalysis) -> [(String, ResultValue)] {
    let groups: [ResultValue] = s.groups.map { g in
      var v: [(String, ResultValue)] = [("name", .string(g.level)), ("k", .int(g.k)), ("estimate", .num(g.estimate)), ("se", .num(g.se))]
      if let z = g.z { v.append(("z", .num(z))) }
      if let t = g.t { v.append(("t", .num(t))) }
      if let df = g.df { v.append(("df", .int(df))) }
      v += [("p", .num(g.p)), ("ci_lb", .num(g.ciLower)), ("ci_ub", .num(g.ciUpper)), ("tau2", .num(g.tau2)), ("I2", .num(g.I2)),
            ("Q", .num(g.Q)), ("Q_df", .int(g.QDf)), ("Q_p", .num(g.QP))]
      if g.r != nil { v += [("r", .num(g.r)), ("r_ci_lb", .num(g.rCiLower)), ("r_ci_ub", .num(g.rCiUpper))] }
      return .object(v)
    }
    var out: [(String, ResultValue)] = [("subgroup", .string(s.moderator)), ("subgroups", .array(groups)),
                                        ("Q_between", .num(s.QM)), ("Q_between_df", .int(s.QMDf))]
    if let d2 = s.QMDf2 { out.append(("Q_between_df2", .int(d2))) }
    out += [("Q_between_p", .num(s.QMP)), ("Q_between_separate", .num(s.QBetweenSeparate)),
            ("Q_between_separate_df", .int(s.QBetweenSeparateDf)), ("Q_between_separate_p", .num(s.QBetweenSeparateP))]
    return out
  }

  static func egger(_ e: EggerTest) -> ResultValue {
    var v: [(String, ResultValue)] = []
    if let z = e.z { v.append(("z", .num(z))) }
    if let t = e.t { v.append(("t", .num(t))) }
    if let df = e.df { v.append(("df", .int(df))) }
    v += [("p", .num(e.p)), ("slope", .num(e.slope.estimate)), ("slope_se", .num(e.slope.se)),
          ("limit_estimate", .num(e.limitEstimate)), ("limit_ci_lb", .num(e.limitCiLower)), ("limit_ci_ub", .num(e.limitCiUpper))]
    return .object(v)
  }

  static func rank(_ r: RankTest) -> ResultValue {
    var v: [(String, ResultValue)] = [("tau", .num(r.tau)), ("p", .num(r.p)), ("exact", .bool(r.exact))]
    if let z = r.z { v.append(("z", .num(z))) }
    return .object(v)
  }

  static func trimfill(_ t: TrimFillResult) -> ResultValue {
    var v: [(String, ResultValue)] = [("k0", .int(t.k0)), ("se_k0", .num(t.seK0)), ("side", .string(t.side.rawValue))]
    v += value(t.model).filter { ["k", "estimate", "se", "z", "p", "ci_lb", "ci_ub", "tau2", "I2", "r", "r_ci_lb", "r_ci_ub"].contains($0.0) }
    v.append(("filled", .array(t.filled.map { .object([("yi", .num($0.yi)), ("vi", .num($0.vi))]) })))
    return .object(v)
  }

  static func multilevel(_ f: MultilevelMetaResult) -> [(String, ResultValue)] {
    var v: [(String, ResultValue)] = [("k", .int(f.k)), ("estimate", .num(f.estimate)), ("se", .num(f.se))]
    if let z = f.z { v.append(("z", .num(z))) }
    if let t = f.t { v.append(("t", .num(t))) }
    if let df = f.df { v.append(("df", .int(df))) }
    v += [("p", .num(f.p)), ("ci_lb", .num(f.ciLower)), ("ci_ub", .num(f.ciUpper))]
    v.append(("sigma2", .array(f.sigma2.map {
      .object([("name", .string($0.name)), ("sigma2", .num($0.sigma2)), ("levels", .int($0.levels)), ("share", .num($0.share))])
    })))
    v += [("sampling_share", .num(f.samplingShare)), ("I2", .num(f.I2)), ("Q", .num(f.Q)), ("Q_df", .int(f.QDf)), ("Q_p", .num(f.QP))]
    if f.piLower != nil { v += [("pi_lb", .num(f.piLower)), ("pi_ub", .num(f.piUpper))] }
    if f.r != nil {
      v += [("r", .num(f.r)), ("r_ci_lb", .num(f.rCiLower)), ("r_ci_ub", .num(f.rCiUpper)), ("r_pi_lb", .num(f.rPiLower)), ("r_pi_ub", .num(f.rPiUpper))]
    }
    if f.coefficients.count > 1 || f.coefficients.first?.term != "intrcpt" {
      v.append(("coef", .array(f.coefficients.map(coefficient))))
      v += [("QM", .num(f.QM)), ("QM_df", .int(f.QMDf))]
      if let d2 = f.QMDf2 { v.append(("QM_df2", .int(d2))) }
      v.append(("QM_p", .num(f.QMP)))
    }
    v.append(("logLik", .num(f.logLik)))
    return v
  }

  /// Per-study values for tables and forest plots: CI = yi ± z·√vi, weight in %.
  static func studies(yi: [Double], vi: [Double], weights: [Double]?, rows: [Int], labels: [String]?, groups: [String?]?,
                      level: Double) -> ResultValue {
    let ci = StudyIntervals.wald(yi: yi, vi: vi, level: level)
    return .array(yi.indices.map { i in
      var v: [(String, ResultValue)] = [("name", .string(labels?[rows[i]] ?? "Study \(rows[i] + 1)")), ("yi", .num(yi[i])), ("vi", .num(vi[i])),
                                        ("ci_lb", .num(ci[i].lower)), ("ci_ub", .num(ci[i].upper))]
      if let w = weights { v.append(("weight", .num(w[i]))) }
      if let g = groups?[rows[i]] { v.append(("group", .string(g))) }
      return .object(v)
    })
  }
}

extension MetaDirective {
  /// The APA fragment of a pooled effect: "*r* = .26, 95% CI [.21, .31], *p* < .001" (or the
  /// estimate, or *g* for SMDs); nil for other objects of a meta result.
  static func fragment(_ o: ResultValue, root: ResultValue) -> String? {
    guard o["estimate"] != nil, o["Q"] != nil else { return nil }
    var parts: [String] = []
    let ci = { (lb: String, ub: String, k: Format.Kind) -> String? in
      guard let a = o[lb]?.double, let b = o[ub]?.double else { return nil }
      return APA.ciLabel(o, root) + " " + Format.interval(a, b, kind: k)
    }
    if let r = o["r"]?.double {
      parts.append(APA.i("r") + " = " + Format.fixed(r, 2, leadingZero: false))
      if let c = ci("r_ci_lb", "r_ci_ub", .bounded) { parts.append(c) }
    } else {
      let sym = o["measure"]?.string == "SMD" ? APA.i("g") : "estimate"
      parts.append(sym + " = " + Format.fixed(o["estimate"]!.double ?? .nan, 2))
      if let c = ci("ci_lb", "ci_ub", .general) { parts.append(c) }
    }
    if let pv = o["p"]?.double { parts.append(APA.p(pv)) }
    return parts.joined(separator: ", ")
  }
}
