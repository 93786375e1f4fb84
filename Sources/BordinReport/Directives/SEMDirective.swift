import BordinData
import BordinStats

/// `sem`: a path or structural equation model in lavaan syntax, fitted by normal-theory ML on
/// the observed data by missing-data pattern (FIML; Arbuckle 1996) with lavaan's `sem()`
/// defaults, SEs from the observed information, and lavaan's fit measures.
enum SEMDirective {
  static let definition = DirectiveDefinition(
    name: "sem",
    summary: "path/SEM model in lavaan syntax with FIML (or listwise), lavaan's fit measures and std.all",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset (one row per case)"),
      OptionSpec(name: "model", type: .string, required: true, help: "lavaan syntax: =~, ~, ~~, ~ 1, 1*x, labels, :="),
      OptionSpec(name: "missing", type: .choice(["fiml", "listwise"]), defaultValue: "fiml", help: "full-information ML or complete cases"),
      OptionSpec(name: "estimator", type: .choice(["ML", "MLR"]), defaultValue: "ML", help: "ML, or MLR: robust (Huber-White) SEs and the Yuan-Bentler scaled test (FIML only)"),
      OptionSpec(name: "group", type: .column, help: "multigroup model: one model per level of this column (lavaan group =)"),
      OptionSpec(name: "group_equal", type: .strings, help: "with group: parameters equal across groups (lavaan group.equal): " + SEMGroupEqual.allCases.map(\.rawValue).joined(separator: ", ")),
      OptionSpec(name: "se", type: .choice(["standard", "robust", "bootstrap"]), defaultValue: "standard", help: "standard errors from the information matrix; robust: Huber-White (sandwich) SEs with the ML test, as lavaan se = \"robust\" (FIML only; estimator MLR adds the scaled test); or the case bootstrap (SEs and percentile 95% CIs; with group, cases resampled within groups)"),
      OptionSpec(name: "bootstrap", type: .integer, defaultValue: "1000", help: "se: bootstrap: number of resamples (at least 100)"),
      OptionSpec(name: "seed", type: .integer, defaultValue: "20260101", help: "se: bootstrap: seed of the resampling (recorded in the result)"),
    ],
    fields: fields,
    run: run,
    traits: [.cacheable])

  static let fields: [FieldSpec] = [
    FieldSpec(name: "parameters[]", help: "lhs, op, rhs, label, est, se, z, p, ci_lb, ci_ub, std_all (key: \"lhs op rhs\")"),
    FieldSpec(name: "fit", help: "chisq, df, p, cfi, tli, rmsea, rmsea_ci_lb, rmsea_ci_ub, srmr, logLik, logLik_h1, aic, bic, n, npar, baseline_chisq, baseline_df; under MLR also chisq_scaled, df_scaled, p_scaled, scaling_factor, cfi_robust, tli_robust, rmsea_robust"),
    FieldSpec(name: "se", help: "standard, robust (Huber-White: se: robust or estimator: MLR) or bootstrap"),
    FieldSpec(name: "fit.robust", help: "MLR only: chisq_scaled, scaling_factor, p_scaled, baseline_chisq_scaled, baseline_scaling_factor, cfi_scaled, tli_scaled, rmsea_scaled, cfi_robust, tli_robust, rmsea_robust, rmsea_robust_ci_lb, rmsea_robust_ci_ub"),
    FieldSpec(name: "converged, patterns, coverage[]", help: "status, missing-data patterns, coverage per variable"),
    FieldSpec(name: "group, groups[]", help: "with group: the group column; per group its level (group), n, chisq (its share of χ²); parameters then carry group (key: \"lhs op rhs\" and group)"),
    FieldSpec(name: "bootstrap", help: "se: bootstrap only: draws, failed, seed (parameters' se, z, p, ci_lb, ci_ub are the bootstrap's)"),
  ]

  /// What the directive keeps for plots.
  struct Model: Sendable {
    var fit: SEMResult
    var x: String?
    var y: String?
    var waves: [String]
    var randomIntercepts: Bool
    /// The group column of a multigroup model (the path diagram's panel headings).
    var group: String? = nil
  }

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let f = try fitted(inv, ev)
    return output(f.fit, inv: inv, name: f.data, syntax: f.syntax, model: f.model)
  }

  /// A fitted `sem` or `clpm` directive: what `compare` refits and `run` reports.
  struct Fitted {
    var data: String
    var fit: SEMResult
    var syntax: String
    var model: Model
    var group: String?
    var equal: [SEMGroupEqual]
  }

  /// Reads the options of the `sem` directive `inv` and fits it; `bootstrap: false` skips
  /// `se: bootstrap` (compare needs the point estimates and test statistics only).
  static func fitted(_ inv: Invocation, _ ev: Evaluation, bootstrap: Bool = true) throws(DirectiveFailure) -> Fitted {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let text = try o.requiredString("model")
    var options = SEMOptions(missing: try o.choice("missing") == "listwise" ? .listwise : .fiml)
    options.estimator = try estimator(o, inv, ev, options.missing)
    // The model's observed variables: every word of the syntax that is a column (infinite values refused).
    var word = ""
    for ch in text + " " {
      if ch.isLetter || ch.isNumber || ch == "_" || ch == "." { word.append(ch); continue }
      if table.contains(word) { try o.checkColumn(word, option: "model", in: table, dataName: name) }
      word = ""
    }
    let (group, equal) = try groupOptions(o, inv, ev, table: table, dataName: name)
    let boot = try bootstrapOptions(o, inv, ev)
    var fit: SEMResult
    do {
      fit = try group.map { try SEM.fit(model: text, data: table, group: $0, equal: equal, options: options) } ?? SEM.fit(model: text, data: table, options: options)
      if let boot, bootstrap { try applyBootstrap(boot, to: &fit, syntax: text, data: table, group: group, equal: equal, options: options) }
      if robustSEOnly(inv) { fit.fit.robust = nil }
    } catch { throw failure(error, inv, ev, option: option(for: error, inv, group: group, bootstrap: boot != nil, fallback: "model")) }
    return Fitted(data: name, fit: fit, syntax: text, model: Model(fit: fit, x: nil, y: nil, waves: [], randomIntercepts: false, group: group),
                  group: group, equal: equal)
  }

  /// The `estimator` option; MLR with `missing: listwise` is refused before fitting. `se:
  /// robust` fits as MLR (lavaan's `se = "robust"` gives MLR's Huber–White SEs exactly, and the
  /// same estimates); ``robustSEOnly(_:)`` then keeps the ML test (no scaled χ²).
  static func estimator(_ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, _ missing: SEMMissing) throws(DirectiveFailure) -> SEMEstimator {
    let e = try o.choice("estimator") == "MLR" ? SEMEstimator.mlr : .ml
    if e == .mlr && missing == .listwise {
      ev.sink.error(inv.location("estimator"), "option-value", "\(inv.kind) '\(inv.label)': estimator MLR is available with FIML only, not with 'missing: listwise'",
                    remedy: "remove 'missing: listwise' (FIML uses every row), or use 'estimator: ML'")
      throw DirectiveFailure()
    }
    if try o.choice("se") == "robust" {
      if missing == .listwise {
        ev.sink.error(inv.location("se"), "option-value", "\(inv.kind) '\(inv.label)': 'se: robust' is available with FIML only, not with 'missing: listwise'",
                      remedy: "remove 'missing: listwise' (FIML uses every row), or use 'se: standard'")
        throw DirectiveFailure()
      }
      return .mlr
    }
    return e
  }

  /// `se: robust` with `estimator: ML`: Huber–White SEs, the unscaled ML test (the options'
  /// values are checked by ``estimator(_:_:_:_:)`` before the fit).
  static func robustSEOnly(_ inv: Invocation) -> Bool {
    inv.node("se")?.scalarText == "robust" && inv.node("estimator")?.scalarText != "MLR"
  }

  /// The `group` column and the `group_equal` classes (checked before fitting: `group_equal`
  /// needs `group`, and its words are lavaan's group.equal classes).
  static func groupOptions(_ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, table: Table, dataName: String)
    throws(DirectiveFailure) -> (String?, [SEMGroupEqual])
  {
    let group = try o.column("group", in: table, dataName: dataName)
    let words = try o.strings("group_equal") ?? []
    if group == nil && !words.isEmpty {
      ev.sink.error(inv.location("group_equal"), "option-value", "\(inv.kind) '\(inv.label)': 'group_equal' needs 'group'",
                    remedy: "add 'group: COLUMN' or remove 'group_equal'")
      throw DirectiveFailure()
    }
    var equal: [SEMGroupEqual] = []
    for w in words {
      guard let e = SEMGroupEqual(rawValue: w) else {
        ev.sink.error(inv.location("group_equal"), "option-value", "\(inv.kind) '\(inv.label)': unknown 'group_equal' class '\(w)'",
                      remedy: "use " + SEMGroupEqual.allCases.map(\.rawValue).joined(separator: ", "))
        throw DirectiveFailure()
      }
      if !equal.contains(e) { equal.append(e) }
    }
    return (group, equal)
  }

  /// `se: bootstrap` with its `bootstrap` (draws) and `seed`, or nil for `se: standard`; the
  /// draws and seed are refused without `se: bootstrap`, and fewer than 100 draws always.
  static func bootstrapOptions(_ o: OptionReader, _ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> SEMBootstrapOptions? {
    guard try o.choice("se") == "bootstrap" else {
      for name in ["bootstrap", "seed"] where o.has(name) {
        ev.sink.error(inv.location(name), "option-value", "\(inv.kind) '\(inv.label)': option '\(name)' is used only with 'se: bootstrap'",
                      remedy: "add 'se: bootstrap', or remove '\(name)'")
        throw DirectiveFailure()
      }
      return nil
    }
    let draws = try o.integer("bootstrap", range: 1...1_000_000)
    if draws < SEMBootstrapOptions.minimumDraws {
      ev.sink.error(inv.location("bootstrap"), "option-value",
                    "\(inv.kind) '\(inv.label)': \(draws) bootstrap draws are too few for percentile intervals (at least \(SEMBootstrapOptions.minimumDraws))",
                    remedy: "write 'bootstrap: 1000' (lavaan's default) or more; 2000 or more gives stable 95% limits")
      throw DirectiveFailure()
    }
    let seed = try o.integer("seed", range: 0...9_007_199_254_740_991)
    return SEMBootstrapOptions(draws: draws, seed: UInt64(seed))
  }

  /// Replaces the SEs and intervals of `fit` by the case bootstrap's (within groups for a
  /// multigroup model, as lavaan).
  static func applyBootstrap(_ boot: SEMBootstrapOptions, to fit: inout SEMResult, syntax: String, data: Table, group: String?,
                             equal: [SEMGroupEqual], options: SEMOptions) throws {
    let model = try LavaanModel.parse(syntax)
    let b = try group.map { try SEMBootstrap.run(model: model, data: data, group: $0, equal: equal, options: options, full: fit, bootstrap: boot) }
      ?? SEMBootstrap.run(model: model, data: data, options: options, full: fit, bootstrap: boot)
    SEMBootstrap.apply(b, to: &fit)
  }

  /// The option an estimation error is located at: a multigroup model's group errors (a single
  /// level, a group with too few cases) at `group`, its identification failures at `group_equal`
  /// when given (the constraints are the likely cause), bootstrap failures at `se`, else `fallback`.
  static func option(for error: Error, _ inv: Invocation, group: String?, bootstrap: Bool, fallback: String) -> String {
    let code = (error as? StatsError)?.code
    if group != nil, code == "one-group" || code == "too-few-rows" || code == "group-missing" { return "group" }
    if group != nil, code == "unidentified", inv.has("group_equal") { return "group_equal" }
    if bootstrap, code == "bootstrap-failed" || code == "bad-option" || code == "too-few-rows" { return "se" }
    return fallback
  }

  /// Records a lavaan syntax error at its line and column inside the `model` block.
  static func failure(_ e: Error, _ inv: Invocation, _ ev: Evaluation, option: String) -> DirectiveFailure {
    if let s = e as? LavaanSyntaxError {
      var at = inv.location(option)
      if case .scalar(_, let plain, _)? = inv.node(option) {
        if plain, s.line == 1 { at.column += s.column - 1 } else { at.line += s.line - (plain ? 1 : 0); at.column = s.column }
      }
      ev.sink.error(at, "lavaan-syntax", "\(inv.kind) '\(inv.label)': \(s.message)", remedy: s.remedy.isEmpty ? nil : s.remedy)
      return DirectiveFailure()
    }
    return ev.statsFailure(e, inv, option: option)
  }

  static func output(_ fit: SEMResult, inv: Invocation, name: String, syntax: String, model: Model) -> DirectiveOutput {
    let f = fit.fit
    var fields: [(String, ResultValue)] = [("model", .string(syntax)), ("missing", .string(fit.missing.rawValue))]
    fields.append(("parameters", .array(fit.parameters.map { p in
      var v: [(String, ResultValue)] = [("lhs", .string(p.lhs)), ("op", .string(p.op)), ("rhs", .string(p.rhs))]
      if !p.group.isEmpty { v.append(("group", .string(p.group))) }
      if !p.label.isEmpty { v.append(("label", .string(p.label))) }
      v += [("est", .num(p.est)), ("se", .num(p.se)), ("z", .num(p.z)), ("p", .num(p.p)), ("ci_lb", .num(p.ciLower)),
            ("ci_ub", .num(p.ciUpper)), ("std_all", .num(p.stdAll)), ("free", .bool(p.free))]
      return .object(v)
    })))
    fields.append(("fit", .object([
      ("chisq", .num(f.chisq)), ("df", .num(Double(f.df))), ("p", .num(f.p)), ("cfi", .num(f.cfi)), ("tli", .num(f.tli)),
      ("rmsea", .num(f.rmsea)), ("rmsea_ci_lb", .num(f.rmseaCILower)), ("rmsea_ci_ub", .num(f.rmseaCIUpper)), ("srmr", .num(f.srmr)),
      ("logLik", .num(f.logLik)), ("logLik_h1", .num(f.logLikH1)), ("aic", .num(f.aic)), ("bic", .num(f.bic)), ("n", .num(Double(f.n))),
      ("npar", .num(Double(f.npar))), ("baseline_chisq", .num(f.baselineChisq)), ("baseline_df", .num(Double(f.baselineDf))),
    ] + (f.robust.map { r in [
      // DESIGN §3's names, in `fit` itself; the rest of lavaan's robust measures in `fit.robust`.
      ("chisq_scaled", .num(r.chisqScaled)), ("df_scaled", .num(Double(f.df))), ("p_scaled", .num(r.pScaled)),
      ("scaling_factor", .num(r.scalingFactor)), ("cfi_robust", .num(r.cfiRobust)), ("tli_robust", .num(r.tliRobust)),
      ("rmsea_robust", .num(r.rmseaRobust)),
      ("robust", ResultValue.object([
      ("chisq_scaled", .num(r.chisqScaled)), ("scaling_factor", .num(r.scalingFactor)), ("p_scaled", .num(r.pScaled)),
      ("baseline_chisq_scaled", .num(r.baselineChisqScaled)), ("baseline_scaling_factor", .num(r.baselineScalingFactor)),
      ("cfi_scaled", .num(r.cfiScaled)), ("tli_scaled", .num(r.tliScaled)), ("rmsea_scaled", .num(r.rmseaScaled)),
      ("cfi_robust", .num(r.cfiRobust)), ("tli_robust", .num(r.tliRobust)), ("rmsea_robust", .num(r.rmseaRobust)),
      ("rmsea_robust_ci_lb", .num(r.rmseaRobustCILower)), ("rmsea_robust_ci_ub", .num(r.rmseaRobustCIUpper)),
    ]))] } ?? []))))
    if !fit.groups.isEmpty {
      if let column = model.group { fields.append(("group", .string(column))) }
      fields.append(("groups", .array(fit.groups.map { g in
        .object([("group", .string(g.label)), ("n", .int(g.n)), ("chisq", .num(g.chisq))])
      })))
    }
    fields += [("converged", .bool(fit.converged)), ("patterns", .int(fit.patterns.count)),
               ("coverage", .array(fit.coverage.map { .object([("name", .string($0.variable)), ("proportion", .num($0.proportion))]) }))]
    if let b = fit.bootstrap {
      fields.append(("bootstrap", .object([("draws", .int(b.draws)), ("failed", .int(b.failed)), ("seed", .int(Int(b.seed)))])))
    }
    // How the SEs were computed: `se: robust` fits as MLR without its scaled test.
    let robustOnly = robustSEOnly(inv)
    fields.append(("se", .string(fit.bootstrap != nil ? "bootstrap" : (fit.estimator == .mlr ? "robust" : "standard"))))
    let estimatorText = robustOnly ? "ML with robust (Huber-White) SEs" : (fit.estimator == .mlr ? "MLR (robust Huber-White SEs, Yuan-Bentler scaled test)" : "ML")
    let warnings = fit.warnings
    return DirectiveOutput(
      result: .object(fields), data: name, rowsUsed: fit.rowsUsed.count, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? (fit.missing == .listwise ? "incomplete rows (listwise deletion)" : "rows with no model variable observed") : nil,
      method: "\(estimatorText), \(fit.missing == .fiml ? (fit.groups.isEmpty ? "FIML over \(fit.patterns.count) missing-data patterns" : "FIML") : "listwise")\(fit.groups.isEmpty ? "" : ", \(fit.groups.count) groups (\(model.group ?? "group"): \(fit.groups.map(\.label).joined(separator: ", ")))"), \(fit.bootstrap.map { "bootstrap SEs and percentile CIs from \($0.draws) case resamples (\($0.failed) failed, seed \($0.seed))" } ?? "\(fit.information.rawValue) information")",
      warnings: warnings, model: model)
  }
}

/// `clpm`: a cross-lagged panel model from column stems and waves (CLPM, or the random-intercept
/// CLPM of Hamaker, Kuiper & Grasman 2015), with the generated lavaan syntax, fitted as `sem`.
enum CLPMDirective {
  static let definition = DirectiveDefinition(
    name: "clpm",
    summary: "cross-lagged panel model (CLPM or RI-CLPM) from column stems and waves, FIML",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "wide data: one row per case, columns STEM + wave"),
      OptionSpec(name: "x", type: .string, required: true, help: "first process's column stem (alliance → alliance1, alliance2, …)"),
      OptionSpec(name: "y", type: .string, required: true, help: "second process's column stem"),
      OptionSpec(name: "waves", type: .strings, required: true, help: "number of waves, or the wave suffixes in order"),
      OptionSpec(name: "random_intercepts", type: .bool, defaultValue: "false", help: "the RI-CLPM (Hamaker et al. 2015)"),
      OptionSpec(name: "equal_lags", type: .bool, defaultValue: "false", help: "equal autoregressive and cross-lagged paths across waves"),
      OptionSpec(name: "missing", type: .choice(["fiml", "listwise"]), defaultValue: "fiml", help: "full-information ML or complete cases"),
      OptionSpec(name: "estimator", type: .choice(["ML", "MLR"]), defaultValue: "ML", help: "ML, or MLR: robust (Huber-White) SEs and the Yuan-Bentler scaled test (FIML only)"),
      OptionSpec(name: "group", type: .column, help: "multigroup CLPM: one model per level of this column (lavaan group =); the path diagram draws one panel per group"),
      OptionSpec(name: "group_equal", type: .strings, help: "with group: parameters equal across groups (lavaan group.equal), e.g. [regressions] for the autoregressive and cross-lagged paths: " + SEMGroupEqual.allCases.map(\.rawValue).joined(separator: ", ")),
      OptionSpec(name: "se", type: .choice(["standard", "robust", "bootstrap"]), defaultValue: "standard", help: "standard errors from the information matrix; robust: Huber-White (sandwich) SEs with the ML test, as lavaan se = \"robust\" (FIML only; estimator MLR adds the scaled test); or the case bootstrap (SEs and percentile 95% CIs; with group, cases resampled within groups)"),
      OptionSpec(name: "bootstrap", type: .integer, defaultValue: "1000", help: "se: bootstrap: number of resamples (at least 100)"),
      OptionSpec(name: "seed", type: .integer, defaultValue: "20260101", help: "se: bootstrap: seed of the resampling (recorded in the result)"),
    ],
    fields: SEMDirective.fields + [FieldSpec(name: "model", help: "the generated lavaan syntax")],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let f = try fitted(inv, ev)
    return SEMDirective.output(f.fit, inv: inv, name: f.data, syntax: f.syntax, model: f.model)
  }

  /// Reads the options of the `clpm` directive `inv`, generates its syntax and fits it (see
  /// ``SEMDirective/fitted(_:_:bootstrap:)``).
  static func fitted(_ inv: Invocation, _ ev: Evaluation, bootstrap: Bool = true) throws(DirectiveFailure) -> SEMDirective.Fitted {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let x = try o.requiredString("x"), y = try o.requiredString("y")
    var waves = try o.strings("waves") ?? []
    if waves.count == 1, let x = Double(waves[0]) {
      // `waves: 3` means waves 1, 2, 3.
      guard let n = checkedInteger(x, in: 1...1000) else {
        ev.sink.error(inv.location("waves"), "option-value", "option 'waves' must be a whole number from 1 to 1000 or a list of wave suffixes; got '\(waves[0])'",
                      remedy: "write 'waves: 3' or 'waves: [1, 2, 3]'")
        throw DirectiveFailure()
      }
      waves = (1...n).map(String.init)
    }
    for stem in [x, y] {
      for w in waves { try o.checkColumn(stem + w, option: stem == x ? "x" : "y", in: table, dataName: name) }
    }
    let ri = try o.bool("random_intercepts")
    var options = SEMOptions(missing: try o.choice("missing") == "listwise" ? .listwise : .fiml)
    options.estimator = try SEMDirective.estimator(o, inv, ev, options.missing)
    let (group, equal) = try SEMDirective.groupOptions(o, inv, ev, table: table, dataName: name)
    let boot = try SEMDirective.bootstrapOptions(o, inv, ev)
    var r: CrossLaggedPanelResult
    do {
      r = try CrossLaggedPanel.fit(data: table, x: x, y: y, waves: waves, randomIntercepts: ri,
                                   equalLags: try o.bool("equal_lags"), group: group, equal: equal, options: options)
      if let boot, bootstrap {
        try SEMDirective.applyBootstrap(boot, to: &r.model, syntax: r.syntax, data: table, group: group, equal: equal, options: options)
      }
      if SEMDirective.robustSEOnly(inv) { r.model.fit.robust = nil }
    } catch let f as DirectiveFailure { throw f } catch {
      throw SEMDirective.failure(error, inv, ev, option: SEMDirective.option(for: error, inv, group: group, bootstrap: boot != nil, fallback: "waves"))
    }
    return SEMDirective.Fitted(data: name, fit: r.model, syntax: r.syntax,
                               model: SEMDirective.Model(fit: r.model, x: x, y: y, waves: waves, randomIntercepts: ri, group: group),
                               group: group, equal: equal)
  }
}
