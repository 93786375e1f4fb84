import BordinData

// The result of a linear mixed-model fit: `summary(lmerTest::lmer(...))`, `VarCorr`, `ranef`,
// `logLik`/`AIC`/`BIC`, `ngrps` and `isSingular` in one value, plus fixed-effects predictions
// for model-implied trajectories.
//
// Implementation goals, in priority order: (1) field names and meanings of DESIGN.md §3 (`lmm`
// row), which follow lme4/lmerTest; (2) everything a report needs without refitting: the
// coefficient covariance for confidence bands, the fixed-effects coding for new covariate rows.
//
// Reference: lme4 1.1-31 (`VarCorr`, `as.data.frame.VarCorr.merMod`, `ranef`, `logLik.merMod`,
// `isSingular`); lmerTest 3.1-3 (`summary`, `contest1D`, `waldCI`).

/// How fixed-effect tests get their degrees of freedom.
public enum LMMDegreesOfFreedom: String, Sendable, Equatable {
  /// lmerTest's Satterthwaite approximation (t tests with fractional df).
  case satterthwaite
  /// No df: Wald z tests (lme4's `confint(method = "Wald")`).
  case none
}

/// Options of a linear mixed-model fit.
public struct LMMOptions: Sendable, Equatable {
  /// REML (lme4's default) or ML.
  public var reml: Bool
  /// Degrees of freedom of the fixed-effect tests.
  public var df: LMMDegreesOfFreedom
  /// Confidence level of the fixed-effect intervals.
  public var level: Double
  /// Optimiser limits: BOBYQA stops by lme4's rules — its trust-region radius below `xtolAbs`
  /// absolute or `xtolRel` relative, or an iteration that lowers the criterion by less than
  /// `ftolAbs` (nloptwrap's 1e-8 and 1e-8, nloptr's 1e-4; nil = never), or by less than `ftolRel`
  /// relative (0 = never) — which fixes θ to about 1e-5. Newton steps (NewtonPolish.swift) then
  /// fix θ to about 1e-10, the same under every BLAS kernel, so the criterion is never worse than
  /// lme4's. Where θ has a coordinate at a bound or no Newton step can be taken, BOBYQA goes on
  /// to `fallbackXtolAbs`. (A radius of 1e-12 before the polish cost 36 more evaluations on the
  /// 80,000-row growth model for the same θ to 1e-10; lme4's xtol_rel takes InstEval from 134 to
  /// 103 BOBYQA evaluations.)
  public var xtolAbs: Double
  /// The radius BOBYQA goes on to when the Newton polish cannot finish the job.
  public static let fallbackXtolAbs = 1e-12
  public var ftolAbs: Double?
  public var xtolRel: Double?
  /// Whether the Newton polish and the Satterthwaite derivatives evaluate their θ points on two
  /// threads; nil: when the model has at least `SatterthwaiteInputs.parallelRows` rows. (Tests
  /// compare the two.)
  var parallelDerivatives: Bool? = nil
  public var ftolRel: Double
  public var maxEvaluations: Int

  public init(
    reml: Bool = true, df: LMMDegreesOfFreedom = .satterthwaite, level: Double = 0.95,
    xtolAbs: Double = 1e-8, ftolRel: Double = 0, ftolAbs: Double? = 1e-8, xtolRel: Double? = 1e-4,
    maxEvaluations: Int = 100_000
  ) {
    self.ftolAbs = ftolAbs
    self.xtolRel = xtolRel
    self.reml = reml
    self.df = df
    self.level = level
    self.xtolAbs = xtolAbs
    self.ftolRel = ftolRel
    self.maxEvaluations = maxEvaluations
  }
}

/// One fixed effect (a row of lmerTest's coefficient table plus its confidence interval).
public struct LMMFixedEffect: Sendable, Equatable {
  /// R's coefficient name: `(Intercept)`, `months`, `months:sexgirl`.
  public var term: String
  public var estimate: Double
  /// √ of the diagonal of σ̂² R_X⁻¹R_X⁻ᵀ (lme4's `vcov`).
  public var se: Double
  /// Satterthwaite df (lmerTest); +∞ with `df: none`.
  public var df: Double
  /// estimate / se.
  public var t: Double
  /// Two-sided p: 2·pt(−|t|, df) (normal with `df: none`).
  public var p: Double
  /// estimate ∓ qt(1 − (1 − level)/2, df)·se (lmerTest's `waldCI`; qnorm with `df: none`).
  public var ciLower: Double
  public var ciUpper: Double
}

/// One row of `as.data.frame(VarCorr(fit))`: a variance (var2 nil), a covariance (both set), or
/// the residual (grp `Residual`, both nil).
public struct LMMVarianceComponent: Sendable, Equatable {
  /// The component name: the grouping factor, made unique as lme4 does (`Subject.1`), or
  /// `Residual`.
  public var grp: String
  public var var1: String?
  public var var2: String?
  /// Variance or covariance.
  public var vcov: Double
  /// Standard deviation, or correlation for a covariance row.
  public var sdcor: Double
}

/// The number of levels of one grouping factor (lme4's `ngrps`).
public struct LMMGroupCount: Sendable, Equatable {
  public var name: String
  public var levels: Int
}

/// The conditional modes (BLUPs) of one random-effects term, as `ranef(fit)[[grp]]`.
public struct LMMRandomEffects: Sendable, Equatable {
  /// The component name (as in ``LMMVarianceComponent/grp``).
  public var grp: String
  /// The grouping factor's name and levels (in lme4's order).
  public var factor: String
  public var levels: [String]
  /// The random-effect columns: `(Intercept)`, `Days`.
  public var terms: [String]
  /// `values[k][l]`: effect of column `terms[k]` for level `levels[l]`.
  public var values: [[Double]]

  /// The value of `term` for `level`, nil when either is unknown.
  public func value(term: String, level: String) -> Double? {
    guard let k = terms.firstIndex(of: term), let l = levels.firstIndex(of: level) else { return nil }
    return values[k][l]
  }
}

/// A linear mixed-model fit (lme4 + lmerTest).
public struct LMMResult: Sendable, Equatable {
  /// Fixed effects in model-matrix column order.
  public var fixed: [LMMFixedEffect]
  /// Variance components in lme4's order: per term its variances then its covariances, then
  /// the residual.
  public var random: [LMMVarianceComponent]
  /// Residual standard deviation σ̂ (REML or ML as fitted).
  public var sigma: Double
  /// −criterion/2: the REML log-likelihood for a REML fit (as lme4's `logLik`), else the ML one.
  public var logLik: Double
  /// The criterion that was minimised: the REML criterion for a REML fit (lme4's `REMLcrit`,
  /// what `deviance()` returns for REML fits in lme4 1.1), the ML deviance otherwise.
  public var deviance: Double
  /// lme4's REML criterion (nil for ML fits).
  public var remlCriterion: Double?
  /// The ML deviance at the fitted parameters (lme4's `deviance(fit, REML = FALSE)`).
  public var mlDeviance: Double
  /// −2 logLik + 2·npar and −2 logLik + log(n)·npar, npar = p + length(θ) + 1 (lme4's, also
  /// for REML fits).
  public var AIC: Double
  public var BIC: Double
  /// Number of estimated parameters (p + length(θ) + 1).
  public var npar: Int
  public var nobs: Int
  /// Levels per grouping factor, in lme4's order.
  public var ngroups: [LMMGroupCount]
  /// The optimiser stopped by its convergence criterion (not by the evaluation limit).
  public var converged: Bool
  /// lme4's `isSingular`: some diagonal θ is below 1e-4 (a variance at or near zero, or a
  /// perfect correlation).
  public var singular: Bool
  public var reml: Bool
  public var dfMethod: LMMDegreesOfFreedom
  public var level: Double
  /// Relative covariance parameters θ (lme4's `getME(fit, "theta")`) and their lower bounds.
  public var theta: [Double]
  public var thetaLower: [Double]
  /// Var(β̂) = σ̂² R_X⁻¹R_X⁻ᵀ in fixed-effect order (lme4's `vcov`).
  public var vcov: Matrix
  /// Conditional modes of the random effects, one entry per term in lme4's order.
  public var ranef: [LMMRandomEffects]
  /// Fitted values Xβ̂ + Zb̂ over the rows used.
  public var fitted: [Double]
  /// Indices (0-based) of the table rows used, and how many rows were dropped for missing
  /// values in any model variable.
  public var rowsUsed: [Int]
  public var rowsDropped: Int
  /// Deviance evaluations by the optimiser.
  public var evaluations: Int
  /// Warnings (singular fit, dropped columns, non-convergence, Hessian trouble), lme4/lmerTest
  /// wording.
  public var warnings: [StatsWarning]
  /// The fixed-effects formula, the factor levels it was coded with, and the model-matrix
  /// columns kept (for ``predict(_:level:evaluate:)``).
  public var fixedFormula: Formula
  public var factorLevels: [String: [String]]
  public var fixedColumns: [String]

  /// The fixed-effect estimates β̂.
  public var beta: [Double] { fixed.map(\.estimate) }

  /// Fixed-effects predictions x'β̂ for the rows of a design matrix whose columns are
  /// ``fixedColumns``, with √(x'Vx) and a normal-theory (Wald) interval at `level`: the
  /// model-implied trajectory and its confidence band.
  public func predict(design: Matrix, level: Double = 0.95) -> [Prediction] {
    precondition(design.cols == fixed.count, "the design needs \(fixed.count) columns")
    let z = Distributions.normalQuantile(1 - (1 - level) / 2)
    let b = beta
    return (0..<design.rows).map { i in
      let x = design.row(i)
      let fit = zip(x, b).reduce(0) { $0 + $1.0 * $1.1 }
      let se = vcov.quadraticForm(x).squareRoot()
      return Prediction(fit: fit, se: se, ciLower: fit - z * se, ciUpper: fit + z * se)
    }
  }

  /// Fixed-effects predictions for new covariate rows (a trajectory grid), coded exactly as the
  /// fitted data (same factor levels and reference levels). Rows with a missing covariate get
  /// NaN predictions.
  /// - Throws: `StatsError` `unknown-column` when a covariate is absent, `unknown-level` when a
  ///   factor value did not occur in the fitted data.
  public func predict(
    _ newData: Table, level: Double = 0.95, evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> [Prediction] {
    let rhs = Formula(
      responseAtom: nil, terms: fixedFormula.terms, intercept: fixedFormula.intercept,
      variables: fixedFormula.variables.filter { v in fixedFormula.responseAtom != .variable(v) })
    let m = newData.rowCount
    if m == 0 { return [] }
    // Pad with one row per level of every factor so that the coding matches the fit.
    var pairs: [(String, Column)] = []
    var padding: [[String: String]] = []
    for (label, lv) in factorLevels.sorted(by: { $0.key < $1.key }) {
      guard let atom = rhs.atoms.first(where: { $0.label == label }), case .variable(let name) = atom
      else { continue }
      guard let column = newData[name] else {
        throw StatsError(
          code: "unknown-column", message: "column '\(name)' is not in the prediction data",
          remedy: "Give every predictor of the model a value.")
      }
      for i in 0..<m {
        if let v = column.string(at: i), !lv.contains(v) {
          throw StatsError(
            code: "unknown-level", message: "level '\(v)' of '\(name)' did not occur in the fitted data",
            remedy: "Use one of: \(lv.joined(separator: ", ")).")
        }
      }
      for l in lv { padding.append([name: l]) }
    }
    for name in newData.names {
      guard let column = newData[name] else { continue }
      var extended = column
      switch column {
      case .numeric(let v):
        extended = .numeric(v + padding.map { _ in v[0].isNaN ? 0 : v[0] })
      case .text(let v):
        extended = .text(v + padding.map { $0[name] ?? v[0] ?? "" })
      case .logical(let v):
        extended = .logical(v + padding.map { p in p[name].map { $0 == "TRUE" } ?? v[0] ?? false })
      }
      pairs.append((name, extended))
    }
    let table = Table(pairs)
    let padded = m + padding.count
    let mm = try ModelMatrix.build(rhs, data: table, evaluate: { code in
      let v = try evaluate(code)
      return v + [Double](repeating: v.first ?? 0, count: padded - v.count)
    })
    let columns = fixedColumns.map { mm.columnNames.firstIndex(of: $0) }
    guard columns.allSatisfy({ $0 != nil }) else {
      throw StatsError(
        code: "prediction-coding", message: "the prediction data do not give the fitted model's columns",
        remedy: "Give every factor of the model its fitted levels.")
    }
    let usedRows = mm.rowsUsed.enumerated().filter { $0.element < m }
    var design = Matrix(rows: usedRows.count, cols: fixedColumns.count)
    for (k, (pos, _)) in usedRows.enumerated() {
      for (j, c) in columns.enumerated() { design[k, j] = mm.x[pos, c!] }
    }
    let preds = predict(design: design, level: level)
    var out = [Prediction](repeating: Prediction(fit: .nan, se: .nan, ciLower: .nan, ciUpper: .nan), count: m)
    for (k, (_, row)) in usedRows.enumerated() { out[row] = preds[k] }
    return out
  }
}
