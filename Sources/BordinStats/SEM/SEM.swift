// Structural equation models by maximum likelihood, with FIML for missing data: the `sem`
// directive's engine, matching lavaan's `sem(model, data, missing = "ml", fixed.x = FALSE)`.
//
// Implementation goals, in priority order: (1) lavaan 0.6's estimates, standard errors,
// standardized estimates and fit measures to the last digits their convergence allows
// (DESIGN.md §9); (2) every problem a typed error or a warning with a remedy: syntax errors with
// line and column, unknown variables, unidentified models naming the parameters, Heywood cases
// and non-positive-definite matrices as warnings; (3) fast enough to fit a CLPM in a report many
// times over (the whole fit is analytic except the final observed information).
//
// Pipeline: LavaanSyntax (parse) → SEMModel (parameter table) → MissingPatterns (rows, patterns)
// → SaturatedModel (EM h1, baseline) → SEMOptimizer (Fisher scoring + Newton on the FIML
// likelihood of FIML.swift with the moments of RAMMatrices.swift) → SEMStandardErrors →
// Standardized → SEMFit.
//
// References: Rosseel, Y. (2012). lavaan: An R package for structural equation modeling.
// *Journal of Statistical Software*, 48(2), 1–36. Arbuckle, J. L. (1996). Full information
// estimation in the presence of incomplete data. Jöreskog, K. G. (1969). *Psychometrika*, 34,
// 183–202. Savalei, V. (2010). *Psychological Methods*, 15, 352–367.

import BordinData
import Foundation

/// The estimator: normal-theory ML, or ML with robust (Huber–White) standard errors and the
/// Yuan–Bentler scaled test (lavaan `estimator = "MLR"`; SEMRobust.swift).
public enum SEMEstimator: String, Sendable, Equatable {
  case ml = "ML"
  case mlr = "MLR"
}

/// Options of ``SEM/fit(model:data:options:)``.
public struct SEMOptions: Sendable, Equatable {
  /// ML (default) or MLR (FIML only).
  public var estimator: SEMEstimator = .ml
  /// Missing-data handling (default FIML).
  public var missing: SEMMissing
  /// Report intercepts (a mean structure). Default: yes under FIML (lavaan forces it), no with
  /// listwise deletion (lavaan's `sem()` default), yes whenever the model has `~ 1` terms.
  public var meanstructure: Bool?
  /// Information matrix for standard errors. Default: observed under FIML, expected with
  /// listwise deletion (lavaan's defaults).
  public var information: SEMInformation?
  /// Iteration limit of the optimiser (a fit that reaches it is reported as not converged).
  public var maxIterations: Int

  public init(
    missing: SEMMissing = .fiml, meanstructure: Bool? = nil, information: SEMInformation? = nil,
    maxIterations: Int = 1000
  ) {
    self.missing = missing
    self.meanstructure = meanstructure
    self.information = information
    self.maxIterations = maxIterations
  }
}

/// One row of the parameter table with its estimate (lavaan `parameterEstimates`).
public struct SEMParameter: Sendable, Equatable {
  public var lhs: String
  /// `=~`, `~`, `~~`, `~1` or `:=`.
  public var op: String
  /// Right-hand variable; "" for intercepts; the expression (no spaces) for `:=`.
  public var rhs: String
  /// The user's label ("" when none; the name for `:=` rows).
  public var label: String
  public var est: Double
  /// Standard error; 0 for fixed parameters (as lavaan).
  public var se: Double
  /// est/se; nil for fixed parameters.
  public var z: Double?
  /// Two-sided normal p-value, computed as lavaan does (`2 * (1 - pnorm(abs(z)))`); nil for
  /// fixed parameters.
  public var p: Double?
  /// Wald 95% interval est ± 1.96·se (lavaan `ci.lower`, `ci.upper`).
  public var ciLower: Double
  public var ciUpper: Double
  /// Completely standardized estimate (lavaan `std.all`).
  public var stdAll: Double
  /// Estimated (true) or fixed (false); `:=` rows are not free.
  public var free: Bool
  /// Written in the model (true) or added by default (false).
  public var user: Bool
  /// The group's level in a multigroup fit ("" for one group and for `:=` rows).
  public var group: String = ""
}

/// A fitted structural equation model.
public struct SEMResult: Sendable, Equatable {
  /// Parameters in lavaan's order: the model's rows, the default rows, then `:=` rows.
  public var parameters: [SEMParameter]
  public var fit: SEMFitMeasures
  public var converged: Bool
  /// Optimiser iterations (Fisher scoring and Newton steps).
  public var iterations: Int
  /// Numerical trouble worth showing next to the result: `negative-variance` (Heywood case),
  /// `latent-covariance-not-pd`, `residual-covariance-not-pd`, `sample-covariance-not-pd`,
  /// `not-converged`, `se-failed`, `empty-rows`.
  public var warnings: [StatsWarning]
  /// Observed variables in the model's order.
  public var observed: [String]
  public var latent: [String]
  public var missing: SEMMissing
  public var information: SEMInformation
  public var estimator: SEMEstimator = .ml
  /// The case bootstrap (`se: bootstrap`; SEMBootstrap.swift): when set, `se`, `z`, `p` and the
  /// intervals of ``parameters`` are its SEs and percentile intervals.
  public var bootstrap: SEMBootstrapResult? = nil
  public var meanstructure: Bool
  /// Missing-data patterns of the rows used (most frequent first).
  public var patterns: [SEMMissingPattern]
  /// Share of the used rows in which each observed variable is present.
  public var coverage: [SEMCoverage]
  /// Indices (into the data) of the rows used.
  public var rowsUsed: [Int]
  /// Rows not used (listwise: incomplete; FIML: every model variable missing).
  public var rowsDropped: Int
  /// Model-implied covariance matrix of the observed variables.
  public var impliedCovariance: Matrix
  /// Model-implied means of the observed variables (a multigroup fit: of group 1).
  public var impliedMeans: [Double]
  /// The groups of a multigroup fit (SEMMultigroup.swift); empty for one group.
  public var groups: [SEMGroupInfo] = []

  /// The parameter `lhs op rhs` (for intercepts rhs ""; for `:=` rows the name as lhs and rhs
  /// ignored). For `~~`, either order of lhs and rhs.
  public func parameter(_ lhs: String, _ op: String, _ rhs: String = "") -> SEMParameter? {
    parameters.first {
      $0.op == op
        && (op == ":=" ? $0.lhs == lhs
          : ($0.lhs == lhs && $0.rhs == rhs) || (op == "~~" && $0.lhs == rhs && $0.rhs == lhs))
    }
  }
}

/// Structural equation models (lavaan `sem()`).
public enum SEM {
  /// Fits a model written in lavaan syntax by maximum likelihood.
  ///
  /// Defaults are lavaan's `sem(model, data, missing = "ml", fixed.x = FALSE)`: observed
  /// intercepts free, exogenous observed variables modelled, residual variances added, first
  /// loadings fixed at 1, standard errors from the observed information. With
  /// `missing: .listwise`, lavaan's `sem(..., missing = "listwise", fixed.x = FALSE)`.
  /// - Throws: ``LavaanSyntaxError`` for model syntax errors (line and column); `StatsError`
  ///   `unknown-variable`, `not-numeric`, `all-missing`, `too-few-rows`, `unidentified`
  ///   (negative df or a rank-deficient moment Jacobian, naming the parameters),
  ///   `zero-variance`, `sample-covariance-not-pd` (linearly dependent variables), `bad-start`,
  ///   `bad-option`.
  public static func fit(model: String, data: Table, options: SEMOptions = SEMOptions()) throws
    -> SEMResult
  {
    try fit(model: try LavaanModel.parse(model), data: data, options: options)
  }

  /// Fits a parsed model; see ``fit(model:data:options:)``.
  public static func fit(model: LavaanModel, data: Table, options: SEMOptions = SEMOptions()) throws
    -> SEMResult
  {
    let table = try SEMParameterTable.build(model)
    let p = table.observed.count
    let moments = p * (p + 1) / 2 + p
    if table.freeCount > moments {
      throw StatsError(
        code: "unidentified",
        message: "the model is not identified: it has \(table.freeCount) free parameters but the "
          + "\(p) observed variables give only \(moments) means, variances and covariances "
          + "(df = \(moments - table.freeCount))",
        remedy: "Fix or equate parameters, or remove paths.")
    }
    if p == 0 {
      throw StatsError(code: "no-variables", message: "the model has no observed variables")
    }
    let meanstructure = try checkedMeanstructure(model: model, options: options)
    let information = options.information ?? (options.missing == .fiml ? .observed : .expected)

    let sample = try SEMSample.make(table: data, variables: table.observed, missing: options.missing)
    var warnings: [StatsWarning] = []
    if options.missing == .fiml && sample.rowsDropped > 0 {
      warnings.append(
        StatsError(
          code: "empty-rows",
          message: "\(sample.rowsDropped) row\(sample.rowsDropped == 1 ? " has" : "s have") every model variable missing and "
            + (sample.rowsDropped == 1 ? "was" : "were") + " left out",
          remedy: ""))
    }
    let h1 = try SaturatedModel.estimate(
      sample, exogenous: table.exogenous.map { table.observed.firstIndex(of: $0)! })
    if let w = try collinearityWarning(h1: h1, table: table, options: options) { warnings.append(w) }

    let ram = RAMModel(table: table)
    let (opt, likelihood, equalityRank) = try estimate(
      ram: ram, sample: sample, table: table, h1: h1, fiml: options.missing == .fiml,
      maxIterations: options.maxIterations)
    let point = opt.point
    let theta = point.theta
    let expected = likelihood.expectedInformation(point) ?? opt.expectedInformation
    let (dSigma, dMu) = likelihood.jacobian(point.implied)
    do {
      try SEMStandardErrors.checkIdentification(
        dSigma: dSigma, dMu: dMu, p: p, table: table, constraints: likelihood.constraints)
    } catch var e as StatsError {
      // Nearly collinear variables make paths empirically unidentified: say so.
      if let w = warnings.first(where: { $0.code == "sample-covariance-not-pd" }) {
        e.code = "sample-covariance-not-pd"
        e.message = w.message + "; " + e.message
        e.remedy = "Remove one of the nearly collinear variables or combine them."
      }
      throw e
    }
    if !opt.converged {
      warnings.append(
        StatsError(
          code: "not-converged",
          message: "the optimiser did not converge in \(opt.iterations) iterations",
          remedy: "Check the model for identification problems, give start values, or simplify the model."))
    }
    let (vcov, robustPart, seWarning) = parameterCovariance(
      likelihood: likelihood, point: point, expected: expected, information: information, options: options)
    if let seWarning { warnings.append(seWarning) }

    // Parameters.
    let rowValues = ram.rowValues(theta, rowCount: table.rows.count)
    let parameters = parameterRows(
      table: table, ram: ram, point: point, rowValues: rowValues, vcov: vcov, meanstructure: meanstructure)

    // Warnings on the solution (lavaan lav_object_post_check).
    warnings += solutionWarnings(table: table, ram: ram, point: point, rowValues: rowValues)

    // Fit.
    let hiddenIntercepts =
      meanstructure ? 0 : Set(table.rows.filter { $0.op == .intercept }.compactMap(\.free)).count
    let npar = table.freeCount - equalityRank - hiddenIntercepts
    let df = moments - table.freeCount + equalityRank
    var fit = SEMFit.measures(
      logLik: point.logLik, h1: h1, n: sample.n, npar: npar, df: df,
      baselineDf: p * (p - 1) / 2 - (table.exogenous.count > 1 ? table.exogenous.count * (table.exogenous.count - 1) / 2 : 0),
      sigma: point.implied.sigma, mu: point.implied.mu, meanstructure: meanstructure)

    if let robustPart {
      fit.robust = try robustMeasures(
        robustPart, table: table, sample: sample, h1: h1, fit: fit, maxIterations: options.maxIterations)
      if fit.robust == nil {
        warnings.append(
          StatsError(
            code: "se-failed", message: "the robust (MLR) test statistics could not be computed",
            remedy: "The information matrix of the saturated or baseline model is singular."))
      }
    }

    return SEMResult(
      parameters: parameters, fit: fit, converged: opt.converged, iterations: opt.iterations,
      warnings: warnings, observed: table.observed, latent: table.latent, missing: options.missing,
      information: information, estimator: options.estimator, meanstructure: meanstructure,
      patterns: sample.publicPatterns,
      coverage: sample.coverage, rowsUsed: sample.rowsUsed, rowsDropped: sample.rowsDropped,
      impliedCovariance: point.implied.sigma, impliedMeans: point.implied.mu)
  }

  /// The covariance matrix of the free parameters: the inverse information (expected or
  /// observed), or for MLR the sandwich A⁻¹BA⁻¹ (SEMRobust), expanded through any linear
  /// constraints; with the MLR parts, and an `se-failed` warning when it is not available.
  static func parameterCovariance(
    likelihood: SEMLikelihood, point: SEMLikelihood.Point, expected: Matrix?,
    information: SEMInformation, options: SEMOptions
  ) -> (vcov: Matrix?, robustPart: SEMRobustModelPart?, warning: StatsError?) {
    var warning: StatsError? = nil
    let infoMatrix: Matrix?
    switch information {
    case .expected: infoMatrix = expected
    case .observed:
      infoMatrix = likelihood.observedInformation(point.phi, steps: likelihood.newtonSteps(point, info: expected))
    }
    let robustPart = options.estimator == .mlr
      ? infoMatrix.flatMap { SEMRobust.part(likelihood, point, information: $0) } : nil
    let workingVcov = options.estimator == .mlr
      ? robustPart.flatMap { SEMRobust.sandwich(information: $0.information, meat: $0.meat) }
      : infoMatrix.flatMap(SEMStandardErrors.covariance)
    let vcov = workingVcov.map { v in likelihood.constraints.map { $0.expand(covariance: v) } ?? v }
    if vcov == nil {
      warning = StatsError(
        code: "se-failed",
        message: "the \(information.rawValue) information matrix is not positive definite; "
          + "standard errors are not available",
        remedy: "The solution may not be a maximum: check for negative variances or simplify the model.")
    }
    return (vcov, robustPart, warning)
  }

  /// Whether the model has a mean structure (lavaan's default: with FIML or '~ 1' terms), after
  /// rejecting option combinations lavaan does not allow (DESIGN §6: checked before computing).
  static func checkedMeanstructure(model: LavaanModel, options: SEMOptions) throws -> Bool {
    let hasIntercepts = model.formulas.contains { $0.op == .intercept }
    let meanstructure = options.meanstructure ?? (options.missing == .fiml || hasIntercepts)
    if !meanstructure && hasIntercepts {
      throw StatsError(
        code: "bad-option", message: "the model has intercepts ('~ 1') but meanstructure is off",
        remedy: "Remove 'meanstructure: false' or the '~ 1' terms.")
    }
    if options.estimator == .mlr && options.missing == .listwise {
      throw StatsError(
        code: "bad-option",
        message: "estimator MLR is available with FIML only, not with listwise deletion",
        remedy: "Remove 'missing: listwise' (FIML uses every row), or use estimator ML.")
    }
    if options.estimator == .mlr && options.information == .expected {
      throw StatsError(
        code: "bad-option", message: "estimator MLR uses the observed information (as lavaan), not the expected",
        remedy: "Remove 'information: expected'.")
    }
    return meanstructure
  }

  /// Collinearity, judged on the correlation matrix (scale-free): throws
  /// `sample-covariance-not-pd` when the (EM-estimated) sample covariance is singular, naming the
  /// linearly dependent variables; returns a warning when it is nearly singular (smallest
  /// eigenvalue below 1e-5) or the saturated model needed a ridge.
  static func collinearityWarning(h1: SaturatedModel, table: SEMParameterTable, options: SEMOptions)
    throws -> StatsError?
  {
    let p = table.observed.count
    var corr = h1.unridgedSigma
    let sds = corr.diagonal.map { $0.squareRoot() }
    for j in 0..<p { for i in 0..<p { corr[i, j] /= sds[i] * sds[j] } }
    if let ev = try? LinearAlgebra.symmetricEigen(corr), let lo = ev.values.last {
      if lo <= 1e-12 {
        // Linearly dependent variables: no normal model has a finite maximum.
        let v = (0..<p).map { abs(ev.vectors[$0, 0]) }
        let top = v.max() ?? 0
        let names = (0..<p).filter { v[$0] > 0.1 * top }.map { table.observed[$0] }
        throw StatsError(
          code: "sample-covariance-not-pd",
          message: "the \(options.missing == .fiml ? "(EM-estimated) " : "")sample covariance matrix is "
            + "singular: \(names.joined(separator: ", ")) are linearly dependent",
          remedy: "Remove a variable that is a sum or copy of others, or a constant variable.")
      } else if h1.ridged || lo < 1e-5 {
        return StatsError(
          code: "sample-covariance-not-pd",
          message: "the \(options.missing == .fiml ? "EM-estimated " : "")sample correlation matrix "
            + "is nearly singular (smallest eigenvalue \(lo))",
          remedy: "Check for nearly collinear variables; estimates may be unstable.")
      }
    }
    return nil
  }

  /// The parameter rows reported (lavaan's parTable order): estimates, standard errors (delta
  /// method for ':=' rows), Wald z, two-sided normal p, 95% Wald intervals and std.all.
  static func parameterRows(
    table: SEMParameterTable, ram: RAMModel, point: SEMLikelihood.Point, rowValues: [Double],
    vcov: Matrix?, meanstructure: Bool
  ) -> [SEMParameter] {
    let std = Standardized.all(table: table, ram: ram, implied: point.implied, rowValues: rowValues)
    let defs = DefinedParameters.evaluate(table: table, rowValues: rowValues, withGradient: true)
    let zcrit = Distributions.normalQuantile(0.975)
    var parameters: [SEMParameter] = []
    var d = 0
    for (i, r) in table.rows.enumerated() {
      if !meanstructure && r.op == .intercept { continue }
      var est = rowValues[i]
      var se = 0.0
      var free = r.free != nil
      if r.op == .defined {
        est = defs[d].value
        se = vcov.map { SEMStandardErrors.deltaSE(defs[d].gradient, $0) } ?? .nan
        d += 1
        free = false
      } else if let k = r.free {
        se = vcov.map { $0[k, k].squareRoot() } ?? .nan
      }
      // A parameter pinned by an active inequality has se 0: no z or p (lavaan NA).
      let estimated = (r.free != nil || r.op == .defined) && se != 0
      let z: Double? = estimated ? est / se : nil
      // lavaan: 2 * (1 - pnorm(abs(z))), so p is 0 beyond |z| ≈ 8.3 and a multiple of 2⁻⁵² below.
      let pv: Double? = z.map { 2 * (1 - Distributions.normalCDF(abs($0))) }
      parameters.append(
        SEMParameter(
          lhs: r.lhs, op: r.op.rawValue, rhs: r.rhs, label: r.label, est: est, se: se, z: z, p: pv,
          ciLower: estimated ? est - zcrit * se : est, ciUpper: estimated ? est + zcrit * se : est,
          stdAll: std[i], free: free, user: r.user))
    }
    return parameters
  }

  /// Warnings on the solution (lavaan lav_object_post_check): negative variances (Heywood
  /// cases) and non-positive-definite latent or residual covariance matrices.
  static func solutionWarnings(
    table: SEMParameterTable, ram: RAMModel, point: SEMLikelihood.Point, rowValues: [Double]
  ) -> [StatsWarning] {
    var warnings: [StatsWarning] = []
    let observedSet = Set(table.observed)
    for (i, r) in table.rows.enumerated()
    where r.op == .covariance && r.lhs == r.rhs && r.free != nil && rowValues[i] < 0 {
      let kind = observedSet.contains(r.lhs) ? "observed" : "latent"
      warnings.append(
        StatsError(
          code: "negative-variance",
          message: "the estimated \(kind == "observed" ? "residual " : "")variance of \(kind) variable "
            + "'\(r.lhs)' is negative (\(rowValues[i])): a Heywood case",
          remedy: "The model may be misspecified or overfitted for these data; consider fixing the "
            + "variance at 0 or simplifying the model."))
    }
    for (block, code, what) in [
      (table.latent, "latent-covariance-not-pd", "(residual) covariance matrix of the latent variables"),
      (table.observed, "residual-covariance-not-pd", "residual covariance matrix of the observed variables"),
    ] {
      let idx = block.compactMap { v -> Int? in
        let k = ram.variables.firstIndex(of: v)!
        return point.implied.s[k + k * ram.m] != 0 ? k : nil
      }
      guard idx.count > 1 else { continue }
      var sub = Matrix(rows: idx.count, cols: idx.count)
      for (b, kb) in idx.enumerated() { for (a, ka) in idx.enumerated() { sub[a, b] = point.implied.s[ka + kb * ram.m] } }
      if let ev = try? LinearAlgebra.symmetricEigen(sub), let lo = ev.values.last, lo < 0 {
        warnings.append(
          StatsError(
            code: code, message: "the \(what) is not positive definite (smallest eigenvalue \(lo))",
            remedy: "Look for correlations beyond ±1 or negative variances among the estimates."))
      }
    }
    return warnings
  }

  /// The MLR measures: fits the baseline model, takes the h1 information, and combines them
  /// (SEMRobust.measures).
  static func robustMeasures(
    _ model: SEMRobustModelPart, table: SEMParameterTable, sample: SEMSample, h1: SaturatedModel,
    fit: SEMFitMeasures, maxIterations: Int
  ) throws -> SEMRobustFitMeasures? {
    let bt = SEMRobust.baselineTable(table)
    let (ob, lb, _) = try estimate(
      ram: RAMModel(table: bt), sample: sample, table: bt, h1: h1, fiml: true, maxIterations: maxIterations)
    let steps = lb.newtonSteps(ob.point, info: ob.expectedInformation)
    guard let ib = lb.observedInformation(ob.point.phi, steps: steps),
      let baseline = SEMRobust.part(lb, ob.point, information: ib),
      let h1Info = SEMRobust.h1Information(sample: sample, h1: h1)
    else { return nil }
    return SEMRobust.measures(
      model: model, baseline: baseline, h1: h1Info, em: h1, chisq: fit.chisq, df: fit.df,
      baselineChisq: fit.baselineChisq, baselineDf: fit.baselineDf, n: sample.n,
      exogenous: table.exogenous.compactMap { sample.variables.firstIndex(of: $0) })
  }

  /// lavaan's default start values (SEMStartValues) of every `=~` row, in table order, fixed
  /// rows included (what lavaan's `parTable(fit)$start` shows).
  public static func startLoadings(model: String, data: Table, missing: SEMMissing = .fiml) throws -> [Double] {
    let table = try SEMParameterTable.build(try LavaanModel.parse(model))
    let sample = try SEMSample.make(table: data, variables: table.observed, missing: missing)
    let h1 = try SaturatedModel.estimate(
      sample, exogenous: table.exogenous.map { table.observed.firstIndex(of: $0)! })
    let rows = SEMStartValues.rowValues(table: table, h1: h1, n: sample.n, fiml: missing == .fiml)
    return table.rows.indices.filter { table.rows[$0].op == .measuredBy }.map { rows[$0] }
  }

  /// Maximises the likelihood under the model's equality constraints and, by an active set, its
  /// inequality constraints (SEMConstraints.swift). Returns the optimum, the likelihood with the
  /// constraints finally imposed, and the rank of the equality constraints (which reduces npar).
  static func estimate(
    ram: RAMModel, sample: SEMSample, table: SEMParameterTable, h1: SaturatedModel, fiml: Bool,
    maxIterations: Int
  ) throws -> (SEMOptimum, SEMLikelihood, Int) {
    let objective = FIMLObjective(sample: sample)
    let rows = try table.constraints.map { try SEMConstraints.linear($0, table: table) }
    let equalities = table.constraints.indices.filter { table.constraints[$0].relation == .equal }
    let equalityRank = try SEMLinearConstraints.make(equalities.map { rows[$0] }, q: table.freeCount)?.rank ?? 0
    var active = equalities
    while true {
      var likelihood = SEMLikelihood(ram: ram, objective: objective)
      likelihood.constraints = try SEMLinearConstraints.make(active.map { rows[$0] }, q: table.freeCount)
      let opt = try maximizeWithRestart(
        likelihood, table: table, h1: h1, n: sample.n, fiml: fiml, maxIterations: maxIterations)
      let violated = table.constraints.indices.filter { !active.contains($0) }.map { i in
        (i, SEMConstraints.slack(rows[i], table.constraints[i].relation, theta: opt.point.theta))
      }.filter { $0.1 < -1e-8 * max(1, rows[$0.0].a.map(abs).max() ?? 1) }
      guard let worst = violated.min(by: { $0.1 < $1.1 }) else { return (opt, likelihood, equalityRank) }
      active.append(worst.0)
    }
  }

  /// Maximises from lavaan's default start (SEMStartValues); when that fit does not converge or
  /// ends with a collapsed latent variance (below 1e-6 of its marker's variance: the factor has
  /// lost its indicators, e.g. after starting reverse-keyed loadings at +1), restarts from the
  /// data-based one-factor solutions and keeps the higher log-likelihood.
  static func maximizeWithRestart(
    _ likelihood: SEMLikelihood, table: SEMParameterTable, h1: SaturatedModel, n: Int, fiml: Bool,
    maxIterations: Int
  ) throws -> SEMOptimum {
    func working(_ theta: [Double]) -> [Double] { likelihood.constraints?.phi(theta) ?? theta }
    let start = working(SEMStartValues.values(table: table, h1: h1, n: n, fiml: fiml))
    let first = try? likelihood.maximize(start: start, maxIterations: maxIterations)
    if let first, first.converged, !collapsed(first.point.theta, table: table, h1: h1) { return first }
    let restart = working(SEMStartValues.values(table: table, h1: h1, n: n, fiml: fiml, dataBased: true))
    guard let second = try? likelihood.maximize(start: restart, maxIterations: maxIterations) else {
      if let first { return first }
      return try likelihood.maximize(start: start, maxIterations: maxIterations)
    }
    guard let first else { return second }
    if second.converged && !first.converged { return second }
    return second.point.logLik > first.point.logLik ? second : first
  }

  /// A free latent variance below 1e-6 of the variance of its first indicator.
  static func collapsed(_ theta: [Double], table: SEMParameterTable, h1: SaturatedModel) -> Bool {
    let latent = Set(table.latent)
    for r in table.rows where r.op == .covariance && r.lhs == r.rhs && latent.contains(r.lhs) {
      guard let k = r.free,
        let marker = table.rows.first(where: { $0.op == .measuredBy && $0.lhs == r.lhs }),
        let j = table.observed.firstIndex(of: marker.rhs)
      else { continue }
      if abs(theta[k]) < 1e-6 * h1.sigma[j, j] { return true }
    }
    return false
  }
}
