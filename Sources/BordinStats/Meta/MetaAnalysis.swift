import Foundation
import BordinData

// Fixed- and random-effects meta-analysis and meta-regression, as metafor's `rma.uni`.
//
// Implementation goals, in priority order: (1) metafor 3.8-1's numbers: the same estimators
// (MetaTau2.swift), the same weighted least squares, tests, Q/I²/H² definitions, Knapp–Hartung
// adjustment, Q-profile CI and prediction interval, to ~1e-12 on the reference cases; (2) one call
// returns everything a report needs (pooled estimate, heterogeneity with CIs, moderators, the
// per-study data for forest and funnel plots), as a plain value; (3) input problems are typed
// errors naming the study, numerical trouble is a warning kept in the result.
//
// Decisions where Bordin departs from metafor (each is a case metafor handles with a warning or
// a NaN; the numbers of every other case are metafor's):
// - k < 2 is an error (`too-few-studies`). metafor fits k = 1 as the study's own estimate with
//   τ² = 0 and no heterogeneity; in a report that is almost always a filter mistake. Subgroup
//   analyses do report single-study subgroups that way (MetaSubgroups.swift).
// - A moderator that is constant or a linear combination of others is an error
//   (`one-level-moderator`, `aliased-term`); metafor drops it with a warning.
// - Factor levels are taken over the studies used (metafor: over the whole data frame, which can
//   leave an all-zero column that it then drops).
// - For an FE model with Q = 0, I² is 0 (metafor: NaN).
// - The intercept is called `intrcpt`, as in metafor (not R's `(Intercept)`).
//
// References: Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
// Journal of Statistical Software, 36(3), 1–48; Viechtbauer, W. (2005), JEBS 30, 261–293;
// DerSimonian & Laird (1986); Knapp, G. & Hartung, J. (2003). Improved tests for a random effects
// meta-regression with a single covariate. Statistics in Medicine, 22, 2693–2710; Higgins, J. P. T.
// & Thompson, S. G. (2002). Quantifying heterogeneity in a meta-analysis. Statistics in Medicine,
// 21, 1539–1558; Raudenbush, S. W. (2009), Analyzing effect sizes: random-effects models, in
// Cooper, Hedges & Valentine (eds.), The Handbook of Research Synthesis (pseudo-R²).

/// How τ² is estimated (metafor's `method`).
public enum MetaMethod: String, Sendable, CaseIterable, Equatable {
  /// Fixed (equal) effects: τ² = 0.
  case FE
  /// DerSimonian–Laird.
  case DL
  /// Hedges (OLS-residual moment estimator).
  case HE
  /// Hunter–Schmidt.
  case HS
  /// Sidik–Jonkman.
  case SJ
  /// Paule–Mandel.
  case PM
  /// Empirical Bayes (Morris).
  case EB
  /// Maximum likelihood.
  case ML
  /// Restricted maximum likelihood (the default).
  case REML

  /// Whether the model has a random-effects component.
  public var isRandomEffects: Bool { self != .FE }
}

/// The test of the fixed effects (metafor's `test`).
public enum MetaTest: String, Sendable, CaseIterable, Equatable {
  /// Wald z tests and normal CIs.
  case z
  /// Knapp–Hartung: SEs scaled by s² = Σwᵢeᵢ²/(k − p), t(k − p) tests and CIs, F test of QM.
  case knha
}

/// Options of a meta-analysis (metafor's `rma` arguments and `control`).
public struct MetaOptions: Sendable, Equatable {
  public var method: MetaMethod
  public var test: MetaTest
  /// Confidence level in (0, 1), e.g. 0.95.
  public var level: Double
  /// Fisher-scoring convergence threshold on |Δτ²| (metafor `control$threshold`, whose default
  /// 1e-5 leaves p-values and R² up to 1e-3 relative off the optimum; here 1e-12, with the
  /// iteration also stopping once Δτ² is within rounding of τ²).
  public var threshold: Double
  /// Fisher-scoring and Paule–Mandel iteration limit (metafor `control$maxiter`).
  public var maxIterations: Int

  public init(
    method: MetaMethod = .REML, test: MetaTest = .z, level: Double = 0.95,
    threshold: Double = 1e-12, maxIterations: Int = 100
  ) {
    self.method = method
    self.test = test
    self.level = level
    self.threshold = threshold
    self.maxIterations = maxIterations
  }
}

/// One coefficient of a meta-analytic model (metafor's `coef(summary(res))` row).
public struct MetaCoefficient: Sendable, Equatable {
  /// metafor's name: `intrcpt` for the intercept, otherwise R's column name (`meanage`,
  /// `designprospective`).
  public var term: String
  public var estimate: Double
  public var se: Double
  /// Wald z (test z); nil under Knapp–Hartung.
  public var z: Double?
  /// t with `df` degrees of freedom (test knha); nil under test z.
  public var t: Double?
  public var df: Int?
  public var p: Double
  public var ciLower: Double
  public var ciUpper: Double
}

/// A fitted fixed- or random-effects model: `rma()` + `confint()` + `predict()` in one value.
///
/// Without moderators, `estimate`…`ciUpper` are the pooled effect; with moderators they repeat
/// the first coefficient (usually `intrcpt`) and `coefficients` lists all of them. `Q`, `QDf`,
/// `QP` are metafor's QE test (residual heterogeneity when there are moderators).
public struct MetaResult: Sendable, Equatable {
  // Data.
  public var measure: MetaEffects.Measure
  /// Number of studies used.
  public var k: Int
  /// Input rows used (0-based), in input order; `yi`, `vi` and `weights` follow this order.
  public var rowsUsed: [Int]
  /// Input rows dropped for missing values.
  public var rowsDropped: Int
  public var yi: [Double]
  public var vi: [Double]
  /// Model weights in percent, 100·wᵢ/Σw with wᵢ = 1/(vᵢ + τ²) (metafor `weights()`).
  public var weights: [Double]
  /// The model matrix (k × p), columns named by `coefficients[].term`.
  public var design: Matrix

  // Options in effect.
  public var options: MetaOptions
  public var method: MetaMethod { options.method }
  public var test: MetaTest { options.test }
  public var level: Double { options.level }

  // The pooled effect (or the first coefficient).
  public var estimate: Double
  public var se: Double
  public var z: Double?
  public var t: Double?
  /// Degrees of freedom of t (k − p) under Knapp–Hartung.
  public var df: Int?
  public var p: Double
  public var ciLower: Double
  public var ciUpper: Double

  // Heterogeneity.
  public var tau2: Double
  /// SE of τ² by the estimator's formula; nil for FE.
  public var seTau2: Double?
  /// Q-profile CI of τ²; nil for FE, and when the CI is the empty set (see `warnings`).
  public var tau2CiLower: Double?
  public var tau2CiUpper: Double?
  /// I² in percent: 100τ²/(vt + τ²) for random-effects models, 100(Q − df)/Q (≥ 0) for FE.
  public var I2: Double
  public var I2CiLower: Double?
  public var I2CiUpper: Double?
  /// H²: τ²/vt + 1 (random effects) or Q/df (FE).
  public var H2: Double
  public var H2CiLower: Double?
  public var H2CiUpper: Double?
  /// The "typical" within-study variance vt = (k − p)/tr(P) with FE weights; for an intercept
  /// model (k − 1)Σw/((Σw)² − Σw²) (Higgins & Thompson 2002).
  public var typicalVariance: Double
  /// Cochran's Q (QE): Σ wᵢ(yᵢ − ŷᵢ)² with FE weights wᵢ = 1/vᵢ.
  public var Q: Double
  public var QDf: Int
  public var QP: Double

  // Prediction interval (models without moderators): estimate ± crit·√(se² + τ²).
  public var piLower: Double?
  public var piUpper: Double?

  // Correlation scale (measure ZCOR, no moderators): tanh of the z-scale values.
  public var r: Double?
  public var rCiLower: Double?
  public var rCiUpper: Double?
  public var rPiLower: Double?
  public var rPiUpper: Double?

  // Moderators.
  public var coefficients: [MetaCoefficient]
  /// Omnibus test of the moderators (all coefficients but the intercept): Wald χ²(m) under
  /// test z, F(m, k − p) under Knapp–Hartung. For an intercept-only model it tests the intercept.
  public var QM: Double?
  public var QMDf: Int
  /// Denominator df of the F test (Knapp–Hartung only).
  public var QMDf2: Int?
  public var QMP: Double?
  /// Pseudo-R² in percent, max(0, 100(τ²₀ − τ²)/τ²₀) against the model without moderators
  /// (0 when τ²₀ = 0); for FE models 100·adjusted R² of the weighted least-squares fit. Nil
  /// without moderators or without an intercept.
  public var R2: Double?
  /// Coefficient covariance (metafor `vcov`).
  public var covariance: Matrix

  /// ML log-likelihood, or the REML one (with metafor's ½log|X'X| term) for method REML.
  public var logLik: Double
  /// Fisher-scoring iterations (ML, REML, EB).
  public var iterations: Int?
  /// Numerical trouble and notes, in plain words.
  public var warnings: [StatsWarning]

  /// Whether the model has moderators besides an intercept.
  public var hasModerators: Bool { !(design.cols == 1 && coefficients.first?.term == "intrcpt") }

  /// The coefficient called `term`.
  public func coefficient(_ term: String) -> MetaCoefficient? {
    coefficients.first { $0.term == term }
  }
}

/// Entry points: `rma(yi, vi, method, test, level, mods)`.
public enum MetaAnalysis {
  /// Pools effect sizes without moderators (metafor `rma(yi, vi, method = …)`).
  ///
  /// ```
  /// wᵢ = 1/(vᵢ + τ̂²),   μ̂ = Σwᵢyᵢ/Σwᵢ,   se = √(1/Σwᵢ)   (× s under Knapp–Hartung)
  /// CI = μ̂ ± crit·se,   PI = μ̂ ± crit·√(se² + τ̂²),   crit = z_{1−α/2} or t_{k−1, 1−α/2}
  /// ```
  /// Rows with a missing yᵢ or vᵢ are dropped and counted.
  /// - Throws: `StatsError` `too-few-studies` (k < 2), `bad-level`, `not-converged`,
  ///   `tau2-max-too-low`.
  public static func fit(_ effects: MetaEffects, options: MetaOptions = MetaOptions()) throws
    -> MetaResult
  {
    let rows = effects.completeRows
    let x = Matrix(rows: rows.count, cols: 1, repeating: 1)
    return try fit(effects, rows: rows, design: x, terms: ["intrcpt"], options: options)
  }

  /// Meta-regression with moderators given as a formula right-hand side on `data`, which has
  /// one row per effect-size row (metafor `rma(yi, vi, mods = ~ meanage, data = d)`).
  ///
  /// The formula is an R formula with or without the `~` (`~ meanage`, `meanage + design`,
  /// `~ design - 1`); factors use treatment contrasts with the first sorted level as reference,
  /// and coefficients are named as R names model-matrix columns (`designprospective`); the
  /// intercept is named `intrcpt` as in metafor. Factor levels are taken over the rows used.
  /// - Throws: ``FormulaError``; `StatsError` from ``ModelMatrix/build(_:data:evaluate:)``
  ///   (`unknown-column`, `one-level-factor`, …), `one-level-moderator` for a constant numeric
  ///   moderator, `aliased-term`, `too-few-studies` (k ≤ p for a random-effects model), and those
  ///   of ``fit(_:options:)``.
  public static func fit(
    _ effects: MetaEffects, mods: String, data: Table, options: MetaOptions = MetaOptions(),
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> MetaResult {
    guard data.rowCount == effects.rowCount else {
      throw StatsError(
        code: "length-mismatch",
        message: "the moderator data have \(data.rowCount) rows but there are \(effects.rowCount) effect sizes",
        remedy: "Use the data set the effect sizes come from.")
    }
    let text = mods.contains("~") ? mods : "~ " + mods
    let formula = try Formula.parse(text)
    let complete = effects.completeRows
    let design = try ModelMatrix.build(formula, data: data.rows(complete), evaluate: evaluate)
    let rows = design.rowsUsed.map { complete[$0] }
    let terms = design.columnNames.map { $0 == "(Intercept)" ? "intrcpt" : $0 }
    return try fit(effects, rows: rows, design: design.x, terms: terms, options: options)
  }

  /// Meta-regression on an explicit model matrix (one row per effect-size row; include a column
  /// of ones named `intrcpt` for an intercept). Rows with a missing yᵢ, vᵢ or moderator are
  /// dropped.
  /// - Throws: `StatsError` `length-mismatch`, and those of the formula overload.
  public static func fit(
    _ effects: MetaEffects, design: Matrix, terms: [String], options: MetaOptions = MetaOptions()
  ) throws -> MetaResult {
    guard design.rows == effects.rowCount, terms.count == design.cols else {
      throw StatsError(
        code: "length-mismatch",
        message: "the model matrix is \(design.rows) × \(design.cols) with \(terms.count) names for \(effects.rowCount) effect sizes",
        remedy: "Give one row per effect size and one name per column.")
    }
    let rows = effects.completeRows.filter { i in (0..<design.cols).allSatisfy { !design[i, $0].isNaN } }
    let x = Matrix(
      rows: rows.count, cols: design.cols,
      values: (0..<design.cols).flatMap { j in rows.map { design[$0, j] } })
    return try fit(effects, rows: rows, design: x, terms: terms, options: options)
  }

  /// The common path: `design` has one row per element of `rows`.
  static func fit(
    _ effects: MetaEffects, rows: [Int], design x: Matrix, terms: [String], options: MetaOptions,
    reportDropped: Bool = true
  ) throws -> MetaResult {
    guard options.level > 0, options.level < 1 else {
      throw StatsError(
        code: "bad-level", message: "'level' must be between 0 and 1; got \(formatShortest(options.level))",
        remedy: "Use e.g. 0.95 for 95% intervals.")
    }
    let k = rows.count
    if k < 2 {
      throw StatsError(
        code: "too-few-studies",
        message: "a meta-analysis needs at least 2 studies with an effect size and a variance; got \(k)",
        remedy: "Check the filter and the missing values; with a single study, report its own estimate.")
    }
    let yi = rows.map { effects.yi[$0] }
    let vi = rows.map { effects.vi[$0] }
    try checkDesign(x, terms: terms, yi: yi, method: options.method)
    var result = try Engine.fit(
      yi: yi, vi: vi, x: x, terms: terms, options: options, measure: effects.measure,
      inference: true)
    result.rowsUsed = rows
    result.rowsDropped = reportDropped ? effects.rowCount - k : 0
    if result.rowsDropped > 0 {
      result.warnings.insert(
        "\(result.rowsDropped) of \(effects.rowCount) rows dropped for missing values", at: 0)
    }
    return result
  }

  /// Rank and size checks of the model matrix, with metafor's rules: random-effects models need
  /// k ≥ p + 1, FE models k ≥ p; aliased columns are errors (metafor drops them with a warning).
  static func checkDesign(_ x: Matrix, terms: [String], yi: [Double], method: MetaMethod) throws {
    let k = x.rows
    let p = x.cols
    let need = method.isRandomEffects ? p + 1 : p
    if k < need {
      throw StatsError(
        code: "too-few-studies",
        message: "a \(method.rawValue) model with \(p) coefficient\(p == 1 ? "" : "s") needs at least \(need) studies; got \(k)",
        remedy: "Use fewer moderators or more studies.")
    }
    for j in 0..<p where terms[j] != "intrcpt" {
      let col = x.column(j)
      if let f = col.first, col.allSatisfy({ $0 == f }) {
        throw StatsError(
          code: "one-level-moderator",
          message: "moderator '\(terms[j])' has a single value (\(formatShortest(f))) in the \(k) studies used",
          remedy: "A moderator needs at least two different values; remove it or check the filter.")
      }
    }
    let ls = try LinearAlgebra.leastSquares(x, yi)
    if let a = ls.aliased.first {
      throw StatsError(
        code: "aliased-term",
        message: "moderator '\(terms[a])' is a linear combination of the other moderators in the studies used",
        remedy: "Remove '\(terms[a])' or one of the moderators it duplicates.")
    }
  }
}

/// The `rma.uni` computations after τ² (shared by the public entry points, subgroups, Egger's
/// test and trim-and-fill).
enum Engine {
  static func fit(
    yi: [Double], vi: [Double], x: Matrix, terms: [String], options: MetaOptions,
    measure: MetaEffects.Measure, inference: Bool
  ) throws -> MetaResult {
    let k = yi.count
    let p = x.cols
    var warnings: [StatsWarning] = []
    let control = MetaTau2.Control(
      threshold: options.threshold, maxIterations: options.maxIterations,
      tau2Max: max(100, 10 * pow(MetaLinear.mad(yi), 2)))
    let est = try MetaTau2.estimate(
      method: options.method, yi: yi, vi: vi, x: x, control: control, warnings: &warnings)
    let tau2 = est.tau2

    // Weighted least squares at τ̂².
    let w = vi.map { 1 / ($0 + tau2) }
    let s = try MetaLinear.weightedInverse(x, w)
    let beta = MetaLinear.weightedCoefficients(x, w, s, yi)
    let fitted = x.multiplied(by: beta)
    var rss = 0.0
    for i in 0..<k { rss += w[i] * (yi[i] - fitted[i]) * (yi[i] - fitted[i]) }
    var vb = s
    var df: Int? = nil
    if options.test == .knha {
      let s2w = rss <= Double.ulpOfOne ? 0 : rss / Double(k - p)
      for i in vb.values.indices { vb.values[i] *= s2w }
      df = k - p
      if !options.method.isRandomEffects {
        warnings.append("the Knapp–Hartung method is not meant for FE models")
      }
    }
    let alpha = 1 - options.level
    let crit: Double
    if let df {
      crit = Distributions.tQuantile(alpha / 2, df: Double(df), lowerTail: false)
    } else {
      crit = Distributions.normalQuantile(alpha / 2, lowerTail: false)
    }
    var coefficients: [MetaCoefficient] = []
    for j in 0..<p {
      let se = vb[j, j].squareRoot()
      let stat = beta[j] / se
      let pv: Double
      if let df {
        pv = 2 * Distributions.tCDF(abs(stat), df: Double(df), lowerTail: false)
      } else {
        pv = 2 * Distributions.normalCDF(abs(stat), lowerTail: false)
      }
      coefficients.append(
        MetaCoefficient(
          term: terms[j], estimate: beta[j], se: se, z: df == nil ? stat : nil,
          t: df == nil ? nil : stat, df: df, p: pv, ciLower: beta[j] - crit * se,
          ciUpper: beta[j] + crit * se))
    }

    // Omnibus test of the moderators (metafor's btt: all but the intercept, when there is one).
    let interceptIndex = terms.firstIndex(of: "intrcpt")
    let btt = (interceptIndex != nil && p > 1) ? (0..<p).filter { $0 != interceptIndex } : Array(0..<p)
    var qm: Double? = nil
    var qmp: Double? = nil
    if let inv = try? LinearAlgebra.inverseSPD(vb.submatrix(btt)) {
      let b = btt.map { beta[$0] }
      var value = inv.quadraticForm(b)
      if let df {
        value /= Double(btt.count)
        qmp = Distributions.fCDF(value, df1: Double(btt.count), df2: Double(df), lowerTail: false)
      } else {
        qmp = Distributions.chiSquaredCDF(value, df: Double(btt.count), lowerTail: false)
      }
      qm = value
    }

    // Heterogeneity (always with FE weights).
    let het = try MetaHeterogeneity.statistics(yi: yi, vi: vi, x: x, tau2: tau2, method: options.method)

    // Log-likelihood.
    let logV = vi.reduce(0) { $0 + log($1 + tau2) }
    let llML = -0.5 * Double(k) * log(2 * Double.pi) - 0.5 * logV - 0.5 * rss
    let logLik: Double
    if options.method == .REML {
      let ones = [Double](repeating: 1, count: k)
      logLik = -0.5 * Double(k - p) * log(2 * Double.pi)
        + 0.5 * (try MetaLinear.logDeterminant(MetaLinear.crossProduct(x, ones))) - 0.5 * logV
        - 0.5 * (try MetaLinear.logDeterminant(MetaLinear.crossProduct(x, w))) - 0.5 * rss
    } else {
      logLik = llML
    }

    let sw = MetaLinear.sum(w)
    let first = coefficients[0]
    var result = MetaResult(
      measure: measure, k: k, rowsUsed: Array(0..<k), rowsDropped: 0, yi: yi, vi: vi,
      weights: w.map { 100 * $0 / sw }, design: x, options: options,
      estimate: first.estimate, se: first.se, z: first.z, t: first.t, df: first.df, p: first.p,
      ciLower: first.ciLower, ciUpper: first.ciUpper,
      tau2: tau2, seTau2: est.se, tau2CiLower: nil, tau2CiUpper: nil,
      I2: het.I2, I2CiLower: nil, I2CiUpper: nil, H2: het.H2, H2CiLower: nil, H2CiUpper: nil,
      typicalVariance: het.vt, Q: het.Q, QDf: k - p, QP: het.QP,
      piLower: nil, piUpper: nil, r: nil, rCiLower: nil, rCiUpper: nil, rPiLower: nil,
      rPiUpper: nil, coefficients: coefficients, QM: qm, QMDf: btt.count, QMDf2: df, QMP: qmp,
      R2: nil, covariance: vb, logLik: logLik, iterations: est.iterations, warnings: warnings)

    let interceptOnly = p == 1 && terms[0] == "intrcpt"
    if interceptOnly {
      let spread = crit * (vb[0, 0] + tau2).squareRoot()
      result.piLower = first.estimate - spread
      result.piUpper = first.estimate + spread
      if measure == .zcor {
        result.r = tanh(first.estimate)
        result.rCiLower = tanh(first.ciLower)
        result.rCiUpper = tanh(first.ciUpper)
        result.rPiLower = tanh(first.estimate - spread)
        result.rPiUpper = tanh(first.estimate + spread)
      }
    }
    guard inference else { return result }

    if options.method.isRandomEffects && k > p {
      let ci = try MetaHeterogeneity.qProfile(
        yi: yi, vi: vi, x: x, tau2: tau2, level: options.level, warnings: &result.warnings)
      if let lb = ci.lower, let ub = ci.upper {
        result.tau2CiLower = lb
        result.tau2CiUpper = ub
        result.I2CiLower = 100 * lb / (het.vt + lb)
        result.I2CiUpper = 100 * ub / (het.vt + ub)
        result.H2CiLower = lb / het.vt + 1
        result.H2CiUpper = ub / het.vt + 1
      }
    }
    if !interceptOnly, interceptIndex != nil {
      result.R2 = try MetaRegression.pseudoR2(
        yi: yi, vi: vi, x: x, tau2: tau2, beta: beta, options: options, measure: measure)
    }
    return result
  }
}
