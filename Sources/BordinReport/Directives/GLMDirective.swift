import BordinData
import BordinStats

/// `glm`: a generalized linear model (binomial-logit or Poisson-log) by IRLS with R's formula
/// syntax, as `glm` + `summary.glm` + `confint.default`, with odds or rate ratios.
enum GLMDirective {
  static let families = GLMFamily.allCases.map(\.rawValue)

  static let definition = DirectiveDefinition(
    name: "glm",
    summary: "generalized linear model: logistic (binomial) or Poisson regression with an R formula",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "formula", type: .formula, required: true, help: "R formula, e.g. dropout ~ alliance + sex (outcome 0/1, two text levels, or a count)"),
      OptionSpec(name: "family", type: .choice(families), defaultValue: "binomial", help: "binomial (logit link, 0/1 outcome) or poisson (log link, counts)"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level of the Wald intervals"),
    ],
    fields: [
      FieldSpec(name: "coef[]", help: "term, estimate, se, z, p, ci_lb, ci_ub (Wald, confint.default), exp_estimate, exp_ci_lb, exp_ci_ub (odds or rate ratios); key: R's term name"),
      FieldSpec(name: "deviance, null_deviance", help: "residual and null deviance"),
      FieldSpec(name: "df_residual, df_null", help: "their degrees of freedom"),
      FieldSpec(name: "AIC, logLik", help: "as AIC(m) and logLik(m)"),
      FieldSpec(name: "n, converged, iterations", help: "rows used; R's convergence rule met; IRLS iterations"),
      FieldSpec(name: "family, link", help: "binomial/logit or poisson/log"),
      FieldSpec(name: "outcome_levels", help: "a two-level text outcome's levels, sorted: the first is 0, the odds of the second are modelled (as R's factor response)"),
    ],
    run: run,
    traits: [.cacheable],
    apa: { o, root in GLMDirective.fragment(o, root: root) })

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let text = try o.requiredString("formula")
    let formula = try ev.checkFormula(text, inv, option: "formula", table: table, dataName: name)
    let family = GLMFamily(rawValue: try o.choice("family")) ?? .binomial
    let level = try o.level()
    let fit: GLMResult
    do {
      fit = try GeneralizedLinearModel.fit(formula, data: table, family: family, level: level, evaluate: formulaEvaluator(table))
    } catch {
      throw ev.statsFailure(error, inv, option: "formula")
    }
    return DirectiveOutput(
      result: value(fit, formula: text), data: name, rowsUsed: fit.n, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing values in \(formula.variables.joined(separator: ", "))" : nil,
      method: "maximum likelihood by IRLS (\(family.rawValue), \(family.link) link); Wald z tests and intervals",
      warnings: fit.warnings)
  }

  static func value(_ fit: GLMResult, formula: String) -> ResultValue {
    var head: [(String, ResultValue)] = [("formula", .string(formula)), ("family", .string(fit.family.rawValue)), ("link", .string(fit.family.link))]
    if let lv = fit.responseLevels { head.append(("outcome_levels", .array(lv.map { .string($0) }))) }
    return .object(head + [
      ("coef", .array(fit.coefficients.map { c in
        .object([("term", .string(c.term)), ("estimate", .num(c.estimate)), ("se", .num(c.se)), ("z", .num(c.z)),
                 ("p", .num(c.p)), ("ci_lb", .num(c.ciLower)), ("ci_ub", .num(c.ciUpper)),
                 ("exp_estimate", .num(c.expEstimate)), ("exp_ci_lb", .num(c.expCiLower)), ("exp_ci_ub", .num(c.expCiUpper))])
      })),
      ("deviance", .num(fit.deviance)), ("null_deviance", .num(fit.nullDeviance)),
      ("df_residual", .int(fit.dfResidual)), ("df_null", .int(fit.dfNull)),
      ("AIC", .num(fit.aic)), ("logLik", .num(fit.logLik)), ("n", .int(fit.n)),
      ("converged", .bool(fit.converged)), ("iterations", .int(fit.iterations)), ("level", .number(fit.level)),
    ])
  }

  /// The APA table of a `glm` result: b, SE, OR (or IRR) with its CI, z, p; the fit in the note.
  static func table(label: String, value v: ResultValue, digits: Int) -> TableModel {
    let ratio = v["family"]?.string == "poisson" ? "IRR" : "OR"
    var m = ResultTables.list(v, "coef", label: label, key: "term", first: "Term", digits: digits, [
      ResultTables.Column(field: "estimate", header: APA.i("b"), kind: .general),
      ResultTables.Column(field: "se", header: APA.i("SE"), kind: .general),
      ResultTables.Column(field: "exp_estimate", header: APA.i(ratio), kind: .general),
      ResultTables.Column(field: "exp_ci", header: ResultTables.ciHeader(v) + " for " + APA.i(ratio), kind: .general),
      ResultTables.Column(field: "z", header: APA.i("z"), kind: .general),
      ResultTables.Column(field: "p", header: APA.i("p"), kind: .pValue),
    ])
    // The ratio's interval: `list` renders `ci` only, so fill the `exp_ci` column here.
    if case .array(let items)? = v["coef"] {
      for (i, item) in items.enumerated() where i < m.rows.count {
        guard let lb = item["exp_ci_lb"]?.double, let ub = item["exp_ci_ub"]?.double else { continue }
        let key = InlineResolver.key(item).map { "[\"\($0)\"]" } ?? "[\(i)]"
        m.rows[i][4] = .init(escapeHTML("[" + Format.fixed(lb, digits) + ", " + Format.fixed(ub, digits) + "]"), ref: "\(label).coef\(key).exp_ci")
      }
    }
    let g = { (k: String) in v[k]?.double ?? .nan }
    var note = (ratio == "OR" ? "Logistic regression; " + APA.i("OR") + " = odds ratio" : "Poisson regression; " + APA.i("IRR") + " = incidence rate ratio")
    note += ", Wald intervals. Deviance = " + Format.fixed(g("deviance"), 2) + " on " + Format.integer(g("df_residual")) + " " + APA.i("df")
    note += " (null " + Format.fixed(g("null_deviance"), 2) + " on " + Format.integer(g("df_null")) + "); AIC = " + Format.fixed(g("AIC"), 2)
    note += "; " + APA.i("N") + " = " + Format.integer(g("n")) + "."
    m.note = note
    return m
  }
}

extension GLMDirective {
  /// APA fragments: a coefficient as its odds (rate) ratio, "*OR* = 0.82, 95% CI [0.71, 0.95],
  /// *p* = .008"; the model as its deviance and AIC. Nil for other objects of a glm result.
  static func fragment(_ o: ResultValue, root: ResultValue) -> String? {
    let ratio = root["family"]?.string == "poisson" ? "IRR" : "OR"
    if let ex = o["exp_estimate"]?.double {
      var parts = [APA.i(ratio) + " = " + Format.fixed(ex, 2)]
      if let lb = o["exp_ci_lb"]?.double, let ub = o["exp_ci_ub"]?.double {
        parts.append(APA.ciLabel(o, root) + " " + Format.interval(lb, ub, kind: .general))
      }
      if let p = o["p"]?.double { parts.append(APA.p(p)) }
      return parts.joined(separator: ", ")
    }
    if let dev = o["deviance"]?.double, let df = o["df_residual"]?.double, let aic = o["AIC"]?.double {
      var s = "deviance = " + Format.fixed(dev, 2) + " on " + APA.df(df) + " " + APA.i("df") + ", AIC = " + Format.fixed(aic, 2)
      if let n = o["n"]?.double { s += ", " + APA.i("N") + " = " + Format.integer(n) }
      return s
    }
    return nil
  }
}
