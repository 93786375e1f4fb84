import BordinData
import Foundation

// Linear mixed models, as lme4's `lmer` with lmerTest's Satterthwaite tests.
//
// Implementation goals, in priority order: (1) lme4's model and estimates: the profiled REML/ML
// criterion over θ, minimised by BOBYQA (lme4's default optimiser) from lme4's start, with the
// bounds 0 on the diagonal of each relative covariance factor; (2) a criterion never worse than
// lme4's: the optimiser stops by lme4's rules (nloptwrap's xtol_abs and ftol_abs 1e-8, nloptr's
// xtol_rel 1e-4), then θ is polished by Newton steps (NewtonPolish.swift), so that θ is fixed to
// about 1e-10 rather than 1e-5 and the printed numbers are the same under every BLAS kernel;
// where θ is at a bound or no Newton step can be taken, BOBYQA goes on to a radius of 1e-12;
// (3) speed through structure (the blocked Cholesky of BlockedCholesky.swift, derivative points
// on two threads for large models), so that a million rows fit in seconds; (4) lme4's input
// checks and messages as typed errors, and lme4/lmerTest's warnings as warnings.
//
// Reference: Bates, Mächler, Bolker & Walker (2015), Fitting linear mixed-effects models using
// lme4, J. Stat. Softw. 67(1); Kuznetsova, Brockhoff & Christensen (2017), lmerTest, J. Stat.
// Softw. 82(13); Powell (2009), BOBYQA, DAMTP 2009/NA06.

/// Linear mixed-model fitting.
public enum MixedModel {
  /// Fits a linear mixed model given in lme4 syntax.
  ///
  /// Rows with a missing value in any model variable (response, fixed effects, random-effect
  /// columns, grouping factors) are dropped and counted, as lme4's `na.omit`. Aliased
  /// fixed-effect columns are dropped with a warning, as lme4 does.
  /// - Parameters:
  ///   - formula: e.g. `y ~ wave * x + (1 + wave | patient) + (1 | therapist)`.
  ///   - data: the table.
  ///   - options: REML/ML, df method, confidence level, optimiser tolerances.
  ///   - evaluate: evaluator for expression atoms such as `I(x^2)` over the table's rows.
  /// - Throws: ``FormulaError`` for syntax errors; `StatsError` for data problems (`unknown-column`,
  ///   `one-level-group`, `too-many-levels`, `too-many-random-effects`, `too-few-rows`, …).
  public static func fit(
    _ formula: String, data: Table, options: LMMOptions = LMMOptions(),
    evaluate: @escaping ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> LMMResult {
    try fit(try MixedFormula.parse(formula), data: data, options: options, evaluate: evaluate)
  }

  /// Fits a parsed lme4 formula. See ``fit(_:data:options:evaluate:)-(String,_,_,_)``.
  public static func fit(
    _ formula: MixedFormula, data: Table, options: LMMOptions = LMMOptions(),
    evaluate: @escaping ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> LMMResult {
    var warnings: [StatsWarning] = []

    // 1. Complete rows over every model variable (lme4's model frame with na.omit).
    let (complete, subsetEvaluate) = try completeRows(formula, data: data, evaluate: evaluate)
    let rowsDropped = data.rowCount - complete.count
    let frame = complete.count == data.rowCount ? data : data.rows(complete)

    // 2. Fixed effects, with aliased columns dropped as lme4 does.
    let mm = try ModelMatrix.build(formula.fixed, data: frame, evaluate: subsetEvaluate)
    guard let y = mm.response else {
      throw StatsError(code: "no-response", message: "the formula has no response", remedy: "Write 'outcome ~ …'.")
    }
    let (x, columns, ols) = try fullRankFixedEffects(mm, y: y, warnings: &warnings)
    let n = y.count
    let p = x.cols
    if n <= p {
      throw StatsError.tooFewRows("the mixed model", have: n, need: p + 1)
    }

    // 3. Random effects and the blocked system.
    let structure = try RandomEffectsStructure.make(formula, data: frame, evaluate: subsetEvaluate)
    let system = try MixedModelSystem(structure: structure, x: x, y: y, ols: ols)

    // 4. Minimise the profiled criterion over θ.
    let reml = options.reml
    let lower = structure.thetaLower
    let upper = [Double](repeating: .infinity, count: lower.count)
    let objective: ([Double]) -> Double = { system.criterion($0, reml: reml) }
    var opt = try Optimize.minimize(
      objective, x0: structure.thetaStart, lower: lower, upper: upper, ftolRel: options.ftolRel,
      maxeval: options.maxEvaluations, ftolAbs: options.ftolAbs, xtolAbs: options.xtolAbs,
      xtolRel: options.xtolRel)
    // BOBYQA fixes θ only to ~1e-7 on a flat criterion; Newton steps take it to the optimum
    // (~1e-10), so that the Satterthwaite df and every printed number are machine-independent.
    // For large models the polish's Hessian and gradient points, and the Satterthwaite
    // derivatives' θ points, are evaluated on two threads, the second with a system over the same
    // cross-products (the same values as one thread).
    let second = (options.parallelDerivatives ?? (n >= SatterthwaiteInputs.parallelRows))
      ? MixedModelSystem(sharingCrossProductsOf: system) : nil
    let batch = second.map { second in
      { (points: [[Double]]) in system.map(points, with: second) { $0.criterion($1, reml: reml) } }
    }
    var polished = NewtonPolish.polish(objective, x: opt.x, fx: opt.f, lower: lower, upper: upper, batch: batch)
    let loose = options.xtolAbs > LMMOptions.fallbackXtolAbs || options.xtolRel != nil || options.ftolAbs != nil
    if (polished.steps == 0 || polished.held > 0) && loose {
      // No Newton step (a Hessian that is not positive definite), or θ at a bound, which only
      // BOBYQA moves: it goes on from its stopping point to the tight radius, then the polish
      // runs again.
      var again = try Optimize.minimize(
        objective, x0: opt.x, lower: lower, upper: upper, ftolRel: options.ftolRel,
        maxeval: max(options.maxEvaluations - opt.evaluations, 1), ftolAbs: nil,
        xtolAbs: LMMOptions.fallbackXtolAbs, initialStep: opt.x.map { 1e-5 * max(abs($0), 0.1) })
      if again.f <= opt.f {
        again.evaluations += opt.evaluations
        opt = again
        polished = NewtonPolish.polish(objective, x: opt.x, fx: opt.f, lower: lower, upper: upper, batch: batch)
      }
    }
    let theta = polished.x
    let converged = opt.status.converged || opt.status == .roundoffLimited
    if !converged {
      warnings.append(StatsWarning(
        code: "not-converged", message: "the optimizer (BOBYQA) stopped without converging: \(opt.status) after \(opt.evaluations) evaluations",
        remedy: "rescale predictors, simplify the random effects, or check the data"))
    }

    // 5. Estimates at θ̂.
    guard let comp = system.components(theta, storeAll: true) else {
      throw StatsError(
        code: "fit-failed", message: "the mixed-model system is not positive definite at the optimum",
        remedy: "Check the fixed effects for collinearity and the response for constant values.")
    }
    let criterion = comp.criterion(reml: reml)
    let sigma = comp.sigma(reml: reml)
    let beta = system.fixedEffects()
    let unscaled = try LinearAlgebra.inverseFromCholeskyFactor(system.cholesky.rx())
    let vcov = Matrix(rows: p, cols: p, values: unscaled.values.map { sigma * sigma * $0 })
    let u = system.conditionalModes()

    let diagonal = structure.thetaIsDiagonal
    let singular = zip(theta, zip(lower, diagonal)).contains { th, ld in ld.1 && th - ld.0 < 1e-4 }
    if singular {
      warnings.append(StatsWarning(
        code: "singular-fit", message: "boundary (singular) fit: a variance is estimated as 0 or a correlation as ±1 (lme4: see help('isSingular'))",
        remedy: "simplify the random effects (e.g. drop a random slope or use || for uncorrelated terms)"))
    }

    // 6. Fixed-effect tests.
    let (fixed, dfWarnings) = try fixedEffectTests(
      system: system, second: second, theta: theta, sigma: sigma, beta: beta, vcov: vcov, columns: columns,
      options: options)
    warnings += dfWarnings

    // 7. Variance components, BLUPs, fitted values.
    let names = structure.componentNames
    let lambdas = structure.lambdas(theta)
    var random: [LMMVarianceComponent] = []
    var ranef: [LMMRandomEffects] = []
    var fittedValues = x.multiplied(by: beta)
    for (t, term) in structure.terms.enumerated() {
      let q = term.q
      let lam = lambdas[t]
      random += varianceComponents(term, group: names[t], lambda: lam, sigma: sigma)
      let values = conditionalEffects(term, lambda: lam, u: u[t])
      ranef.append(
        LMMRandomEffects(
          grp: names[t], factor: term.factor.name, levels: term.factor.levels, terms: term.columnNames,
          values: values))
      let codes = term.factor.codes
      for r in 0..<n {
        let l = Int(codes[r])
        for i in 0..<q { fittedValues[r] += term.z[r * q + i] * values[i][l] }
      }
    }
    random.append(LMMVarianceComponent(grp: "Residual", var1: nil, var2: nil, vcov: sigma * sigma, sdcor: sigma))

    let ngroups = groupCounts(structure)

    let npar = p + theta.count + 1
    let logLik = -criterion / 2
    return LMMResult(
      fixed: fixed, random: random, sigma: sigma, logLik: logLik, deviance: criterion,
      remlCriterion: reml ? criterion : nil, mlDeviance: comp.ml,
      AIC: -2 * logLik + 2 * Double(npar), BIC: -2 * logLik + Foundation.log(Double(n)) * Double(npar),
      npar: npar, nobs: n, ngroups: ngroups, converged: converged, singular: singular, reml: reml,
      dfMethod: options.df, level: options.level, theta: theta, thetaLower: lower, vcov: vcov,
      ranef: ranef, fitted: fittedValues, rowsUsed: complete, rowsDropped: rowsDropped,
      evaluations: opt.evaluations, warnings: warnings, fixedFormula: formula.fixed,
      factorLevels: mm.levels, fixedColumns: columns)
  }

  /// Step 2 of `fit`: the fixed-effects columns with aliased ones dropped (with lme4's warning),
  /// and their OLS fit when none was dropped (the start of the blocked system).
  private static func fullRankFixedEffects(_ mm: ModelMatrix, y: [Double], warnings: inout [StatsWarning]) throws
    -> (x: Matrix, columns: [String], ols: LeastSquaresFit?)
  {
    var x = mm.x
    var columns = mm.columnNames
    var ols: LeastSquaresFit? = nil
    if x.cols > 0 {
      let ls = try LinearAlgebra.leastSquares(x, y)
      ols = ls
      if !ls.aliased.isEmpty {
        ols = nil
        let k = ls.aliased.count
        warnings.append(
          "fixed-effect model matrix is rank deficient so dropping \(k) column\(k > 1 ? "s" : "") / coefficient\(k > 1 ? "s" : ""): \(ls.aliased.map { columns[$0] }.joined(separator: ", "))")
        x = x.selectingColumns(ls.kept)
        columns = ls.kept.map { columns[$0] }
      }
    }
    return (x, columns, ols)
  }

  /// Step 6 of `fit`: Wald t tests and intervals of the fixed effects, with Satterthwaite df
  /// (lmerTest) or, for `df: .asymptotic`, normal ones; the Satterthwaite computation's warnings.
  private static func fixedEffectTests(
    system: MixedModelSystem, second: MixedModelSystem?, theta: [Double], sigma: Double, beta: [Double],
    vcov: Matrix, columns: [String], options: LMMOptions
  ) throws -> (fixed: [LMMFixedEffect], warnings: [StatsWarning]) {
    let p = beta.count
    let reml = options.reml
    var warnings: [StatsWarning] = []
    var dfs = [Double](repeating: .infinity, count: p)
    if options.df == .satterthwaite && p > 0 {
      let inputs = try SatterthwaiteInputs.compute(
        system: system, theta: theta, sigma: sigma, reml: reml, second: second)
      warnings = inputs.warnings
      for j in 0..<p {
        var l = [Double](repeating: 0, count: p)
        l[j] = 1
        dfs[j] = inputs.df(contrast: l, vcov: vcov)
      }
    }
    var fixed: [LMMFixedEffect] = []
    for j in 0..<p {
      let se = vcov[j, j].squareRoot()
      let t = beta[j] / se
      let df = dfs[j]
      let pValue: Double
      let crit: Double
      let alpha = (1 - options.level) / 2
      if options.df == .satterthwaite {
        pValue = 2 * Distributions.tCDF(abs(t), df: df, lowerTail: false)
        crit = Distributions.tQuantile(alpha, df: df, lowerTail: false)
      } else {
        pValue = 2 * Distributions.normalCDF(abs(t), lowerTail: false)
        crit = Distributions.normalQuantile(alpha, lowerTail: false)
      }
      fixed.append(
        LMMFixedEffect(
          term: columns[j], estimate: beta[j], se: se, df: df, t: t, p: pValue,
          ciLower: beta[j] - se * crit, ciUpper: beta[j] + se * crit))
    }
    return (fixed, warnings)
  }

  /// One random-effects term's variance components, Σ = σ² λλᵀ: a variance and SD per column,
  /// then a covariance and correlation per pair (lme4's VarCorr order).
  private static func varianceComponents(
    _ term: RandomEffectsTerm, group: String, lambda lam: [Double], sigma: Double
  ) -> [LMMVarianceComponent] {
    let q = term.q
    var random: [LMMVarianceComponent] = []
    var cov = [Double](repeating: 0, count: q * q)
    for j in 0..<q {
      for i in 0..<q {
        var s = 0.0
        for k in 0..<q { s += lam[i + k * q] * lam[j + k * q] }
        cov[i + j * q] = sigma * sigma * s
      }
    }
    let sd = (0..<q).map { cov[$0 + $0 * q].squareRoot() }
    for i in 0..<q {
      random.append(
        LMMVarianceComponent(grp: group, var1: term.columnNames[i], var2: nil, vcov: cov[i + i * q], sdcor: sd[i]))
    }
    for j in 0..<q {
      for i in (j + 1)..<max(q, j + 1) {
        let c = cov[i + j * q]
        random.append(
          LMMVarianceComponent(
            grp: group, var1: term.columnNames[j], var2: term.columnNames[i], vcov: c,
            sdcor: c / (sd[i] * sd[j])))
      }
    }
    return random
  }

  /// One term's conditional modes (BLUPs) b = (I ⊗ λ) u, as [column][level].
  private static func conditionalEffects(_ term: RandomEffectsTerm, lambda lam: [Double], u: [Double]) -> [[Double]] {
    let q = term.q
    let levels = term.levelCount
    var values = [[Double]](repeating: [Double](repeating: 0, count: levels), count: q)
    for l in 0..<levels {
      for i in 0..<q {
        var s = 0.0
        for k in 0...i { s += lam[i + k * q] * u[l * q + k] }
        values[i][l] = s
      }
    }
    return values
  }

  /// The number of levels of each grouping factor, once per factor in term order.
  private static func groupCounts(_ structure: RandomEffectsStructure) -> [LMMGroupCount] {
    var ngroups: [LMMGroupCount] = []
    for term in structure.terms where !ngroups.contains(where: { $0.name == term.factor.name }) {
      ngroups.append(LMMGroupCount(name: term.factor.name, levels: term.levelCount))
    }
    return ngroups
  }

  /// The rows complete on every variable of the formula, and an evaluator over those rows.
  private static func completeRows(
    _ formula: MixedFormula, data: Table, evaluate: @escaping ModelMatrix.Evaluator
  ) throws -> ([Int], ModelMatrix.Evaluator) {
    let n = data.rowCount
    var missing = [Bool](repeating: false, count: n)
    var atoms = formula.fixed.atoms
    for t in formula.random {
      for a in t.effects.atoms where !atoms.contains(a) { atoms.append(a) }
      for g in t.groupVariables where !atoms.contains(.variable(g)) { atoms.append(.variable(g)) }
    }
    var cache: [String: [Double]] = [:]
    for atom in atoms {
      switch atom {
      case .variable(let name):
        guard let column = data[name] else {
          throw StatsError(
            code: "unknown-column", message: "column '\(name)' is not in the data",
            remedy: "Available columns: \(data.names.joined(separator: ", ")).")
        }
        switch column {
        case .numeric(let v): for i in 0..<n where v[i].isNaN { missing[i] = true }
        case .text(let v): for i in 0..<n where v[i] == nil { missing[i] = true }
        case .logical(let v): for i in 0..<n where v[i] == nil { missing[i] = true }
        }
      case .expression(_, let code):
        let v = try evaluate(code)
        cache[code] = v
        for i in 0..<min(n, v.count) where v[i].isNaN { missing[i] = true }
      }
    }
    let complete = (0..<n).filter { !missing[$0] }
    if complete.isEmpty {
      throw StatsError(
        code: "too-few-rows",
        message: "no row is complete on \(atoms.map { "'\($0.label)'" }.joined(separator: ", "))",
        remedy: "Check the missing values of these variables.")
    }
    if complete.count == n { return (complete, evaluate) }
    let sub: ModelMatrix.Evaluator = { code in
      let v = try cache[code] ?? evaluate(code)
      return complete.map { v[$0] }
    }
    return (complete, sub)
  }
}
