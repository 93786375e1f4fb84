import BordinData

// Ordinary least squares, as R's `lm` + `summary.lm` + `confint.lm`.
//
// Implementation goals, in priority order: (1) R's numbers to 1e-8 relative or better, by the
// same Householder QR and the same formulas (`summary.lm`'s R² and F, `confint`'s t quantiles);
// (2) no silent trouble: aliased terms, too few rows and a constant response are typed errors;
// (3) the coefficient covariance is kept for linear combinations (RSA) and confidence bands.
//
// Reference: R Core Team, `stats::lm`, `stats::summary.lm`, `stats::confint.lm`; Chambers, J. M.
// (1992), Linear models, ch. 4 of *Statistical Models in S*.

/// One row of a regression coefficient table.
public struct RegressionCoefficient: Sendable, Equatable {
  /// R's coefficient name: `(Intercept)`, `ext_pre`, `formatindividual`, `months:sexgirl`.
  public var term: String
  public var estimate: Double
  /// Standard error, √(σ̂² [(X'X)⁻¹]ⱼⱼ).
  public var se: Double
  /// estimate / se.
  public var t: Double
  /// Two-sided p from t with n − p degrees of freedom.
  public var p: Double
  /// Confidence interval at the fit's `level` (`ci_lb`, `ci_ub`).
  public var ciLower: Double
  public var ciUpper: Double
}

/// A linear combination w'b of coefficients with its t test.
public struct LinearCombination: Sendable, Equatable {
  public var estimate: Double
  /// √(w' V w), V the coefficient covariance.
  public var se: Double
  public var t: Double
  /// Residual degrees of freedom of the model.
  public var df: Double
  /// Two-sided p.
  public var p: Double
}

/// A fitted value at a new point with its standard error and confidence interval (a point of a
/// confidence band, as `predict.lm(..., interval = "confidence")`).
public struct Prediction: Sendable, Equatable {
  public var fit: Double
  public var se: Double
  public var ciLower: Double
  public var ciUpper: Double
}

/// The result of an OLS fit: `summary(lm(...))` and `confint(...)` in one value.
public struct RegressionResult: Sendable, Equatable {
  /// Coefficients in design-matrix column order.
  public var coefficients: [RegressionCoefficient]
  /// R² = MSS / (MSS + RSS); MSS about the mean with an intercept, about 0 without (uncentred).
  public var r2: Double
  /// 1 − (1 − R²)(n − i)/(n − p), i = 1 with an intercept, else 0.
  public var adjR2: Double
  /// F = (MSS / df1) / σ̂²; nil when the model has no predictor besides the intercept.
  public var fStatistic: Double?
  /// p − i (numerator df of F).
  public var df1: Int
  /// n − p (residual df).
  public var df2: Int
  /// Upper-tail p of F; nil when `fStatistic` is nil.
  public var fP: Double?
  /// Residual standard error √(RSS / (n − p)).
  public var sigma: Double
  /// Rows used.
  public var n: Int
  /// Rows dropped by listwise deletion.
  public var rowsDropped: Int
  /// Indices of the table rows used.
  public var rowsUsed: [Int]
  /// Confidence level of the coefficient intervals.
  public var level: Double
  public var hasIntercept: Bool
  /// Residuals and fitted values over the rows used.
  public var residuals: [Double]
  public var fitted: [Double]
  /// Coefficient covariance σ̂²(X'X)⁻¹ (R's `vcov`), in coefficient order.
  public var covariance: Matrix
  /// True for an essentially perfect fit, where t, p and the intervals are unreliable: R's
  /// `summary.lm` rule, σ̂² < (mean(ŷ)² + var(ŷ)) · 1e-30 (it warns "essentially perfect fit:
  /// summary may be unreliable").
  public var perfectFit: Bool = false

  /// The coefficient called `term`, if any.
  public func coefficient(_ term: String) -> RegressionCoefficient? {
    coefficients.first { $0.term == term }
  }

  /// Coefficient names in order.
  public var terms: [String] { coefficients.map(\.term) }

  /// The linear combination w'b, its SE √(w'Vw) and t test on the residual df.
  ///
  /// ```
  /// est = Σ wⱼ bⱼ,   se = √(w' V w),   t = est / se,   p = 2 P(T_{n−p} > |t|)
  /// ```
  /// - Precondition: `weights.count == coefficients.count`.
  public func linearCombination(_ weights: [Double]) -> LinearCombination {
    precondition(weights.count == coefficients.count, "one weight per coefficient")
    let est = zip(weights, coefficients).reduce(0) { $0 + $1.0 * $1.1.estimate }
    let se = covariance.quadraticForm(weights).squareRoot()
    let t = est / se
    return LinearCombination(
      estimate: est, se: se, t: t, df: Double(df2),
      p: 2 * Distributions.tCDF(abs(t), df: Double(df2), lowerTail: false))
  }

  /// The linear combination with weights given by coefficient name (others 0).
  /// - Throws: `StatsError` `unknown-term` for a name that is not a coefficient.
  public func linearCombination(_ weights: [String: Double]) throws -> LinearCombination {
    var w = [Double](repeating: 0, count: coefficients.count)
    for (name, value) in weights {
      guard let j = coefficients.firstIndex(where: { $0.term == name }) else {
        throw StatsError(
          code: "unknown-term", message: "'\(name)' is not a coefficient of the model",
          remedy: "Coefficients: \(terms.joined(separator: ", ")).")
      }
      w[j] += value
    }
    return linearCombination(w)
  }

  /// Fitted value x₀'b at a design row `x0` (one value per coefficient, including the 1 of the
  /// intercept), with se √(x₀'Vx₀) and the t interval at the fit's level.
  /// - Precondition: `x0.count == coefficients.count`.
  public func predict(_ x0: [Double]) -> Prediction {
    let c = linearCombination(x0)
    let a = (1 - level) / 2
    let df = Double(df2)
    return Prediction(
      fit: c.estimate, se: c.se,
      ciLower: c.estimate + c.se * Distributions.tQuantile(a, df: df),
      ciUpper: c.estimate + c.se * Distributions.tQuantile(1 - a, df: df))
  }
}

/// Ordinary least squares (`lm`).
public enum Regression {
  /// Fits `formula` on `data` by OLS with listwise deletion.
  ///
  /// ```
  /// b = (X'X)⁻¹X'y (by QR),  σ̂² = RSS/(n − p),  se = √(σ̂² diag (X'X)⁻¹),
  /// CI = b + se · qt((1 ∓ level)/2, n − p),  R² = MSS/(MSS + RSS),  F = (MSS/(p − i))/σ̂²
  /// ```
  /// - Parameters:
  ///   - formula: an R formula with a response.
  ///   - data: the table.
  ///   - level: confidence level of the coefficient intervals (default 0.95).
  ///   - evaluate: evaluator for `I(...)` and other call terms.
  /// - Throws: ``FormulaError``; `StatsError` from ``ModelMatrix/build(_:data:evaluate:)`` and
  ///   ``fit(_:level:)``.
  public static func fit(
    _ formula: Formula, data: Table, level: Double = 0.95,
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> RegressionResult {
    try fit(try ModelMatrix.build(formula, data: data, evaluate: evaluate, allowOffset: true), level: level)
  }

  /// Parses `formula` (R syntax) and fits it by OLS; see the `Formula` overload.
  public static func fit(
    _ formula: String, data: Table, level: Double = 0.95,
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> RegressionResult {
    try fit(try Formula.parse(formula), data: data, level: level, evaluate: evaluate)
  }

  /// Fits a prepared design matrix by OLS. R's `lm.fit` + `summary.lm` + `confint.lm`.
  /// - Throws: `StatsError` `no-response`, `bad-level`, `too-few-rows` (n ≤ p),
  ///   `zero-variance` (constant response), `aliased-term` (a column is a linear combination of
  ///   earlier ones; R would report `NA` for it).
  public static func fit(_ design: ModelMatrix, level: Double = 0.95) throws -> RegressionResult {
    // An offset (coefficient fixed at 1) is fitted as R's lm.fit does: y − offset on X; the
    // fitted values include it again, and summary.lm's MSS (so R² and F) uses those fitted
    // values, offset included (R's documented behaviour, not the R² of y − offset).
    guard let y = design.response.map({ y in design.offset.map { zip(y, $0).map(-) } ?? y }) else {
      throw StatsError(
        code: "no-response", message: "the formula has no response",
        remedy: "Write it as 'outcome ~ predictors'.")
    }
    guard level > 0, level < 1 else {
      throw StatsError(
        code: "bad-level", message: "'level' must be between 0 and 1; got \(level)")
    }
    let n = design.n
    let p = design.x.cols
    if n <= p {
      throw StatsError.tooFewRows("a regression with \(p) coefficients", have: n, need: p + 1)
    }
    if let first = y.first, y.allSatisfy({ $0 == first }) {
      throw StatsError.zeroVariance(design.formula.response ?? "response")
    }
    // Sums of squares must not overflow (|values| near 1.8e308 would reach LAPACK as ∞/NaN).
    try checkMagnitude(y, name: design.formula.response ?? "response")
    for j in 0..<p { try checkMagnitude(design.x.column(j), name: design.columnNames[j]) }
    let ls = try LinearAlgebra.leastSquares(design.x, y)
    if let a = ls.aliased.first {
      throw try aliasedError(design, column: a, kept: ls.kept)
    }

    let fitted = design.offset.map { zip(ls.fitted, $0).map(+) } ?? ls.fitted
    let rdf = n - p
    let rss = ls.residuals.reduce(0) { $0 + $1 * $1 }
    let resvar = rss / Double(rdf)
    let intercept = design.formula.intercept
    let mss: Double
    if intercept {
      let m = mean(fitted)
      mss = fitted.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    } else {
      mss = fitted.reduce(0) { $0 + $1 * $1 }
    }
    let dfInt = intercept ? 1 : 0
    let df1 = p - dfInt
    var r2 = 0.0
    var adj = 0.0
    var fStat: Double? = nil
    var fP: Double? = nil
    if df1 > 0 {
      r2 = mss / (mss + rss)
      adj = 1 - (1 - r2) * (Double(n - dfInt) / Double(rdf))
      let f = (mss / Double(df1)) / resvar
      fStat = f
      fP = Distributions.fCDF(f, df1: Double(df1), df2: Double(rdf), lowerTail: false)
    }

    var cov = ls.unscaledCovariance
    for k in cov.values.indices { cov.values[k] *= resvar }
    let a = (1 - level) / 2
    let qLow = Distributions.tQuantile(a, df: Double(rdf))
    let qHigh = Distributions.tQuantile(1 - a, df: Double(rdf))
    var coefficients: [RegressionCoefficient] = []
    for j in 0..<p {
      let est = ls.coefficients[j]
      let se = (ls.unscaledCovariance[j, j] * resvar).squareRoot()
      let t = est / se
      coefficients.append(
        RegressionCoefficient(
          term: design.columnNames[j], estimate: est, se: se, t: t,
          p: 2 * Distributions.tCDF(abs(t), df: Double(rdf), lowerTail: false),
          ciLower: est + se * qLow, ciUpper: est + se * qHigh))
    }
    guard rss.isFinite, mss.isFinite, coefficients.allSatisfy({ $0.estimate.isFinite }) else {
      throw StatsError(
        code: "overflow", message: "the fit overflowed (a sum of squares or a coefficient is infinite)",
        remedy: "Rescale the variables (e.g. divide very large values by a power of ten).")
    }
    let fm = mean(fitted)
    let fvar = n > 1 ? fitted.reduce(0) { $0 + ($1 - fm) * ($1 - fm) } / Double(n - 1) : 0
    return RegressionResult(
      coefficients: coefficients, r2: r2, adjR2: adj, fStatistic: fStat, df1: df1, df2: rdf,
      fP: fP, sigma: resvar.squareRoot(), n: n, rowsDropped: design.rowsDropped,
      rowsUsed: design.rowsUsed, level: level, hasIntercept: intercept,
      residuals: ls.residuals, fitted: fitted, covariance: cov,
      perfectFit: resvar.isFinite && resvar < (fm * fm + fvar) * 1e-30)
  }

  /// Throws `overflow` when Σ v² is infinite: the values are too large for least squares.
  static func checkMagnitude(_ v: [Double], name: String) throws {
    var ss = 0.0
    for x in v where x.isFinite { ss += x * x }
    guard ss.isFinite else {
      let big = v.filter(\.isFinite).map(abs).max() ?? 0
      throw StatsError(
        code: "overflow",
        message: "the values of '\(name)' are too large for least squares (up to \(big); their squares overflow a double)",
        remedy: "Rescale '\(name)' (e.g. divide it by a power of ten) or remove the extreme values.")
    }
  }

  /// "term X is aliased (collinear with A, B)": regress the aliased column on the earlier kept
  /// columns and name those with non-negligible weight.
  static func aliasedError(_ design: ModelMatrix, column a: Int, kept: [Int]) throws
    -> StatsError
  {
    let name = design.columnNames[a]
    let earlier = kept.filter { $0 < a }
    var partners: [String] = []
    if !earlier.isEmpty, design.n >= earlier.count {
      let target = design.x.column(a)
      if let fit = try? LinearAlgebra.leastSquares(design.x.selectingColumns(earlier), target) {
        let scale = max(LinearAlgebra.euclideanNorm(target), 1e-300)
        for (k, j) in earlier.enumerated() {
          let w = abs(fit.coefficients[k]) * LinearAlgebra.euclideanNorm(design.x.column(j))
          if w > 1e-6 * scale { partners.append(design.columnNames[j]) }
        }
      }
    }
    let with = partners.isEmpty ? "it is constant or zero in the rows used" : "collinear with \(partners.joined(separator: ", "))"
    return StatsError(
      code: "aliased-term", message: "term '\(name)' is aliased (\(with))",
      remedy: "Remove '\(name)' or one of the variables it duplicates.")
  }

  /// Mean with a second correction pass, as R's `mean`.
  static func mean(_ x: [Double]) -> Double {
    let n = Double(x.count)
    var m = x.reduce(0, +) / n
    if m.isFinite { m += x.reduce(0) { $0 + ($1 - m) } / n }
    return m
  }
}
