import BordinData
import Foundation

// Generalized linear mixed models, binomial-logit and Poisson-log, by the Laplace
// approximation: lme4's `glmer(..., nAGQ = 1)` at its optimum rather than at its stopping point.
//
// Implementation goals, in priority order: (1) the Laplace optimum over (θ, β) that glmer's
// second stage seeks: stage 1 minimises the Laplace deviance over θ with β from the joint PIRLS
// (lme4's nAGQ = 0 start), stage 2 minimises it over (θ, β) jointly by BOBYQA (steps scaled by
// the approximate standard errors) to a radius of 1e-10, every evaluation with its inner PIRLS converged (GLMMLaplace.swift) —
// so the deviance is never worse than glmer's and the printed numbers do not depend on the BLAS
// kernel; (2) lme4's standard errors, accurately: Var(β̂) = 2·[H⁻¹]ββ with H the Hessian of the
// Laplace deviance over (θ, β) (lme4's `vcov.merMod`, `use.hessian = TRUE`), here by numDeriv's
// Richardson extrapolation on converged inner problems instead of lme4's `deriv12` on its
// default PIRLS tolerance (≈1% off on small data); a θ at its bound is held fixed; (3) lme4's
// structure and checks (RandomEffects.swift: term order, names, one-level factors) and its
// warnings (singular fit, non-convergence, rank-deficient X) with the remedy.
//
// Reference: Bates, D., Mächler, M., Bolker, B. & Walker, S. (2015), Fitting linear
// mixed-effects models using lme4, J. Stat. Softw. 67(1); lme4 1.1-31 `glmer`,
// `optimizeGlmer`, `vcov.merMod`; Breslow, N. E. & Clayton, D. G. (1993), Approximate inference
// in generalized linear mixed models, JASA 88, 9–25; Powell (2009), BOBYQA, DAMTP 2009/NA06.

/// Generalized linear mixed models (`glmer`, Laplace).
public enum GeneralizedLinearMixedModel {
  /// Parses an lme4 formula and fits it; see ``fit(_:data:options:evaluate:)-(MixedFormula,_,_,_)``.
  public static func fit(
    _ formula: String, data: Table, options: GLMMOptions = GLMMOptions(),
    evaluate: @escaping ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> GLMMResult {
    try fit(try MixedFormula.parse(formula), data: data, options: options, evaluate: evaluate)
  }

  /// Fits a GLMM given in lme4 syntax: `use ~ age + urban + (1 + urban | district)`,
  /// `cbind(incidence, size - incidence) ~ period + (1 | herd)`.
  ///
  /// Rows missing any model variable are dropped and counted (`na.omit`); aliased fixed-effect
  /// columns are dropped with a warning, as lme4 does.
  /// - Throws: ``FormulaError``; `StatsError` `bad-level`, `no-random-effects`,
  ///   `non-binary-outcome`, `negative-count`, `non-integer-count`, `zero-variance`,
  ///   `one-level-group`, `too-many-levels`, `too-few-rows`, `glmm-failed`, and those of
  ///   ``ModelMatrix/build(_:data:evaluate:contrasts:allowOffset:)``.
  public static func fit(
    _ formula: MixedFormula, data: Table, options: GLMMOptions = GLMMOptions(),
    evaluate: @escaping ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> GLMMResult {
    guard options.level > 0, options.level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(options.level)")
    }
    guard !formula.random.isEmpty else {
      throw StatsError(
        code: "no-random-effects", message: "the formula has no random-effects term '(… | group)'",
        remedy: "Add a term such as (1 | therapist), or fit the model with glm.")
    }
    let model = try prepare(formula, data: data, family: options.family, evaluate: evaluate)
    var warnings = model.warnings
    let laplace = GLMMLaplace(
      family: options.family, structure: model.structure, x: model.x, y: model.y, weights: model.weights,
      offset: model.offset)
    let opt = try optimise(laplace, options: options)
    warnings += opt.warnings
    let se = standardErrors(laplace, theta: opt.theta, beta: opt.beta, uHat: opt.at.u, lower: model.structure.thetaLower)
    warnings += se.warnings
    return assemble(model, laplace, opt, se, options: options, warnings: warnings)
  }

  // MARK: data

  /// The model's data on its complete rows.
  struct Prepared {
    var structure: RandomEffectsStructure
    var x: Matrix
    var columns: [String]
    var y: [Double]
    var weights: [Double]
    var offset: [Double]
    var rowsUsed: [Int]
    var rowsDropped: Int
    var response: GLMMResponse
    var warnings: [StatsWarning]
  }

  /// Response, complete rows, fixed-effects matrix (aliased columns dropped) and the
  /// random-effects structure.
  static func prepare(
    _ formula: MixedFormula, data: Table, family: GLMFamily, evaluate: @escaping ModelMatrix.Evaluator
  ) throws -> Prepared {
    let response = try GLMMResponse.prepare(formula, data: data, family: family, evaluate: evaluate)
    let f = response.formula
    let table = response.table
    let (complete, sub) = try completeRows(f, data: table, evaluate: evaluate)
    let frame = complete.count == table.rowCount ? table : table.rows(complete)
    let mm = try ModelMatrix.build(f.fixed, data: frame, evaluate: sub, allowOffset: true)
    guard let y = mm.response else {
      throw StatsError(code: "no-response", message: "the formula has no response", remedy: "Write 'outcome ~ …'.")
    }
    var warnings: [StatsWarning] = []
    var x = mm.x
    var columns = mm.columnNames
    if x.cols > 0 {
      let ls = try LinearAlgebra.leastSquares(x, y)
      if !ls.aliased.isEmpty {
        let k = ls.aliased.count
        warnings.append(
          "fixed-effect model matrix is rank deficient so dropping \(k) column\(k > 1 ? "s" : "") / coefficient\(k > 1 ? "s" : ""): \(ls.aliased.map { columns[$0] }.joined(separator: ", "))")
        x = x.selectingColumns(ls.kept)
        columns = ls.kept.map { columns[$0] }
      }
    }
    let n = y.count
    if n <= x.cols {
      throw StatsError.tooFewRows("a GLMM with \(x.cols) fixed effects", have: n, need: x.cols + 1)
    }
    let weights: [Double]
    if response.counts, case .numeric(let w)? = frame[GLMMResponse.weightColumn] {
      weights = w
    } else {
      weights = [Double](repeating: 1, count: n)
      try GeneralizedLinearModel.checkResponse(y, family: family, name: response.name, rows: complete)
    }
    if response.counts, y.allSatisfy({ $0 == y[0] }), y[0] == 0 || y[0] == 1 {
      throw StatsError(
        code: "zero-variance", message: "'\(response.name)' has only \(y[0] == 0 ? "failures" : "successes") in the rows used, so the log odds are infinite",
        remedy: "A logistic model needs both outcomes; check the filter and the counts.")
    }
    for j in 0..<x.cols { try Regression.checkMagnitude(x.column(j), name: columns[j]) }
    let structure = try RandomEffectsStructure.make(f, data: frame, evaluate: sub)
    return Prepared(
      structure: structure, x: x, columns: columns, y: y, weights: weights,
      offset: mm.offset ?? [Double](repeating: 0, count: n), rowsUsed: complete,
      rowsDropped: table.rowCount - complete.count, response: response, warnings: warnings)
  }

  /// The rows complete on the fixed part (as ModelMatrix reads it, `factor()` and `I()`
  /// included), the random-effect columns and the grouping factors; and an evaluator over them.
  static func completeRows(
    _ formula: MixedFormula, data: Table, evaluate: @escaping ModelMatrix.Evaluator
  ) throws -> ([Int], ModelMatrix.Evaluator) {
    let n = data.rowCount
    var keep = [Bool](repeating: false, count: n)
    for r in try ModelMatrix.build(formula.fixed, data: data, evaluate: evaluate, allowOffset: true).rowsUsed { keep[r] = true }
    func drop(_ name: String) throws {
      guard let column = data[name] else {
        throw StatsError(code: "unknown-column", message: "column '\(name)' is not in the data",
                         remedy: "Available columns: \(data.names.filter { !$0.hasPrefix(".glmm_") }.joined(separator: ", ")).")
      }
      for i in 0..<n where column.isMissing(i) { keep[i] = false }
    }
    for t in formula.random {
      for g in t.groupVariables { try drop(g) }
      if !t.effects.terms.isEmpty {
        let used = Set(try ModelMatrix.build(t.effects, data: data, evaluate: evaluate).rowsUsed)
        for i in 0..<n where !used.contains(i) { keep[i] = false }
      }
    }
    let complete = (0..<n).filter { keep[$0] }
    if complete.isEmpty {
      throw StatsError(code: "too-few-rows", message: "no row is complete on the variables of the model",
                       remedy: "Check the missing values of the outcome, the predictors and the grouping columns.")
    }
    if complete.count == n { return (complete, evaluate) }
    var cache: [String: [Double]] = [:]
    let sub: ModelMatrix.Evaluator = { code in
      if let v = cache[code] { return complete.map { v[$0] } }
      let v = try evaluate(code)
      cache[code] = v
      return complete.map { v[$0] }
    }
    return (complete, sub)
  }
}

extension GeneralizedLinearMixedModel {
  /// The result at the optimum: Wald tests, variance components (σ = 1: Σ = ΛΛᵀ), conditional
  /// modes b = Λû, fit statistics and lme4's singular-fit rule.
  static func assemble(
    _ model: Prepared, _ laplace: GLMMLaplace, _ opt: Optimum, _ se: StandardErrors,
    options: GLMMOptions, warnings: [StatsWarning]
  ) -> GLMMResult {
    let structure = model.structure
    var warnings = warnings
    let a = (1 - options.level) / 2
    let crit = Distributions.normalQuantile(a, lowerTail: false)
    let coefficients = opt.beta.indices.map { j -> GLMCoefficient in
      let est = opt.beta[j]
      let s = se.vcov[j, j].squareRoot()
      let z = est / s
      return GLMCoefficient(
        term: model.columns[j], estimate: est, se: s, z: z, p: 2 * Distributions.normalCDF(-abs(z)),
        ciLower: est - crit * s, ciUpper: est + crit * s)
    }
    let names = structure.componentNames
    let lambdas = structure.lambdas(opt.theta)
    var random: [LMMVarianceComponent] = []
    var ranef: [LMMRandomEffects] = []
    for (t, term) in structure.terms.enumerated() {
      let q = term.q
      let lam = lambdas[t]
      var cov = [Double](repeating: 0, count: q * q)
      for j in 0..<q {
        for i in 0..<q {
          var s = 0.0
          for k in 0..<q { s += lam[i + k * q] * lam[j + k * q] }
          cov[i + j * q] = s
        }
      }
      let sd = (0..<q).map { cov[$0 + $0 * q].squareRoot() }
      for i in 0..<q {
        random.append(LMMVarianceComponent(grp: names[t], var1: term.columnNames[i], var2: nil, vcov: cov[i + i * q], sdcor: sd[i]))
      }
      for j in 0..<q {
        for i in (j + 1)..<max(q, j + 1) {
          let c = cov[i + j * q]
          random.append(LMMVarianceComponent(
            grp: names[t], var1: term.columnNames[j], var2: term.columnNames[i], vcov: c, sdcor: c / (sd[i] * sd[j])))
        }
      }
      let u = opt.at.u[t]
      var values = [[Double]](repeating: [Double](repeating: 0, count: term.levelCount), count: q)
      for l in 0..<term.levelCount {
        for i in 0..<q {
          var s = 0.0
          for k in 0...i { s += lam[i + k * q] * u[l * q + k] }
          values[i][l] = s
        }
      }
      ranef.append(LMMRandomEffects(
        grp: names[t], factor: term.factor.name, levels: term.factor.levels, terms: term.columnNames, values: values))
    }
    var ngroups: [LMMGroupCount] = []
    for term in structure.terms where !ngroups.contains(where: { $0.name == term.factor.name }) {
      ngroups.append(LMMGroupCount(name: term.factor.name, levels: term.levelCount))
    }
    let lower = structure.thetaLower
    let singular = zip(opt.theta, zip(lower, structure.thetaIsDiagonal)).contains { th, ld in ld.1 && th - ld.0 < 1e-4 }
    if singular {
      warnings.append(StatsWarning(
        code: "singular-fit",
        message: "boundary (singular) fit: see help('isSingular'); a variance is estimated as 0 or a correlation as ±1",
        remedy: "simplify the random effects (drop a random slope, use || for uncorrelated terms, or drop the grouping factor)"))
    }
    let n = laplace.n
    let npar = opt.theta.count + opt.beta.count
    let dev = opt.at.deviance
    return GLMMResult(
      family: laplace.family, responseLevels: model.response.levels, binomialCounts: model.response.counts,
      coefficients: coefficients, random: random, ranef: ranef, logLik: -dev / 2, deviance: dev,
      AIC: dev + 2 * Double(npar), BIC: dev + Foundation.log(Double(n)) * Double(npar), npar: npar, nobs: n,
      ngroups: ngroups, converged: opt.converged, singular: singular, level: options.level, theta: opt.theta,
      thetaLower: lower, vcov: se.vcov, fitted: opt.at.mu, rowsUsed: model.rowsUsed, rowsDropped: model.rowsDropped,
      evaluations: opt.evaluations + se.evaluations, warnings: warnings)
  }
}
