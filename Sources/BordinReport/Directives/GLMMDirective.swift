import BordinData
import BordinStats

/// `glmm`: a generalized linear mixed model (binomial-logit or Poisson-log) with lme4's formula
/// syntax, by the Laplace approximation as `lme4::glmer` (nAGQ = 1) at its optimum, with Wald z
/// tests, odds or rate ratios, and lme4's variance components.
enum GLMMDirective {
  static let definition = DirectiveDefinition(
    name: "glmm",
    summary: "generalized linear mixed model (lme4 syntax): logistic or Poisson with random effects, Laplace (glmer)",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset (one row per observation)"),
      OptionSpec(name: "formula", type: .formula, required: true, help: "lme4 formula, e.g. dropout ~ alliance + (1 | therapist); (x | g), (x || g), (1 | a/b); cbind(successes, failures) for binomial counts"),
      OptionSpec(name: "family", type: .choice(GLMDirective.families), defaultValue: "binomial", help: "binomial (logit link: 0/1, two text levels or cbind counts) or poisson (log link, counts)"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level of the Wald intervals"),
      OptionSpec(name: "max_evaluations", type: .integer, defaultValue: "100000", help: "limit on evaluations of the Laplace deviance by the optimiser (a fit that reaches it is reported as not converged)"),
    ],
    fields: [
      FieldSpec(name: "coef[]", help: "term, estimate, se, z, p, ci_lb, ci_ub (Wald), exp_estimate, exp_ci_lb, exp_ci_ub (odds or rate ratios); key: R's term name"),
      FieldSpec(name: "random[]", help: "grp, var1, var2, vcov, sdcor (as.data.frame(VarCorr(fit)); no residual row)"),
      FieldSpec(name: "logLik, deviance, AIC, BIC, npar, nobs", help: "Laplace log-likelihood; deviance = −2 logLik; npar = length(θ) + p"),
      FieldSpec(name: "ngroups[]", help: "name, levels per grouping factor"),
      FieldSpec(name: "converged, singular", help: "optimiser status and boundary (singular) fit"),
      FieldSpec(name: "family, link, theta", help: "binomial/logit or poisson/log; lme4's θ"),
      FieldSpec(name: "outcome_levels", help: "a two-level text outcome's levels, sorted: the first is 0"),
    ],
    run: run,
    traits: [.cacheable],
    apa: { o, root in GLMMDirective.fragment(o, root: root) })

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let text = try o.requiredString("formula")
    let family = GLMFamily(rawValue: try o.choice("family")) ?? .binomial
    let level = try o.level()
    let maxEvaluations = try o.integer("max_evaluations", range: 1...10_000_000)
    let formula: MixedFormula
    do { formula = try MixedFormula.parse(text) } catch { throw ev.statsFailure(error, inv, option: "formula") }
    for v in formula.fixed.variables + formula.random.flatMap(\.groupVariables) {
      try o.checkColumn(v, option: "formula", in: table, dataName: name)
    }
    let fit: GLMMResult
    do {
      fit = try GeneralizedLinearMixedModel.fit(
        formula, data: table, options: GLMMOptions(family: family, level: level, maxEvaluations: maxEvaluations),
        evaluate: formulaEvaluator(table))
    } catch {
      throw ev.statsFailure(error, inv, option: "formula")
    }
    let groups = formula.random.flatMap(\.groupVariables)
    return DirectiveOutput(
      result: value(fit, formula: text), data: name, rowsUsed: fit.nobs, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing values in \((formula.fixed.variables + groups).joined(separator: ", "))" : nil,
      method: "Laplace approximation (lme4's glmer, nAGQ = 1; \(family.rawValue), \(family.link) link), optimised over (θ, β) with converged inner PIRLS; Wald z tests and intervals from the Hessian",
      warnings: fit.warnings)
  }

  static func value(_ fit: GLMMResult, formula: String) -> ResultValue {
    var head: [(String, ResultValue)] = [("formula", .string(formula)), ("family", .string(fit.family.rawValue)), ("link", .string(fit.family.link))]
    if let lv = fit.responseLevels { head.append(("outcome_levels", .array(lv.map { .string($0) }))) }
    return .object(head + [
      ("coef", .array(fit.coefficients.map { c in
        .object([("term", .string(c.term)), ("estimate", .num(c.estimate)), ("se", .num(c.se)), ("z", .num(c.z)),
                 ("p", .num(c.p)), ("ci_lb", .num(c.ciLower)), ("ci_ub", .num(c.ciUpper)),
                 ("exp_estimate", .num(c.expEstimate)), ("exp_ci_lb", .num(c.expCiLower)), ("exp_ci_ub", .num(c.expCiUpper))])
      })),
      ("random", .array(fit.random.map { c in
        .object([("grp", .string(c.grp)), ("var1", c.var1.map { .string($0) } ?? .null), ("var2", c.var2.map { .string($0) } ?? .null),
                 ("vcov", .num(c.vcov)), ("sdcor", .num(c.sdcor))])
      })),
      ("logLik", .num(fit.logLik)), ("deviance", .num(fit.deviance)), ("AIC", .num(fit.AIC)), ("BIC", .num(fit.BIC)),
      ("npar", .int(fit.npar)), ("nobs", .int(fit.nobs)),
      ("ngroups", .array(fit.ngroups.map { .object([("name", .string($0.name)), ("levels", .int($0.levels))]) })),
      ("theta", .array(fit.theta.map { .num($0) })),
      ("converged", .bool(fit.converged)), ("singular", .bool(fit.singular)), ("level", .number(fit.level)),
    ])
  }

  /// The APA table of a `glmm` result: the glm columns (b, SE, OR or IRR with its CI, z, p), the
  /// random effects and the fit in the note.
  static func table(label: String, value v: ResultValue, digits: Int) -> TableModel {
    var m = GLMDirective.table(label: label, value: v, digits: digits)
    let ratio = v["family"]?.string == "poisson" ? "IRR" : "OR"
    var parts: [String] = []
    if case .array(let items)? = v["random"] {
      for c in items where c["var2"] == nil || c["var2"] == .null {
        let grp = c["grp"]?.string ?? "", v1 = c["var1"]?.string
        parts.append(escapeHTML(v1 == nil || v1 == "(Intercept)" ? grp : "\(grp) \(v1!)") + " " + APA.i("SD") + " = " + Format.fixed(c["sdcor"]?.double ?? .nan, 2))
      }
    }
    if case .array(let g)? = v["ngroups"] {
      parts.append(g.map { escapeHTML($0["name"]?.string ?? "") + ": " + Format.integer($0["levels"]?.double ?? .nan) }.joined(separator: ", ") + " groups")
    }
    parts.append(APA.i("N") + " = " + Format.integer(v["nobs"]?.double ?? .nan) + " observations")
    parts.append("log-likelihood = " + Format.fixed(v["logLik"]?.double ?? .nan, 2) + ", AIC = " + Format.fixed(v["AIC"]?.double ?? .nan, 2))
    let model = ratio == "OR" ? "Mixed-effects logistic regression; " + APA.i("OR") + " = odds ratio" : "Mixed-effects Poisson regression; " + APA.i("IRR") + " = incidence rate ratio"
    m.note = model + ", Wald intervals (Laplace approximation). Random effects: " + parts.joined(separator: "; ") + "."
    return m
  }

  /// APA fragments: a coefficient as its odds (rate) ratio, as glm's; the model as its
  /// log-likelihood and AIC.
  static func fragment(_ o: ResultValue, root: ResultValue) -> String? {
    if o["exp_estimate"] != nil { return GLMDirective.fragment(o, root: root) }
    if let ll = o["logLik"]?.double, let aic = o["AIC"]?.double {
      var s = "log-likelihood = " + Format.fixed(ll, 2) + ", AIC = " + Format.fixed(aic, 2)
      if let n = o["nobs"]?.double { s += ", " + APA.i("N") + " = " + Format.integer(n) }
      return s
    }
    return nil
  }
}
