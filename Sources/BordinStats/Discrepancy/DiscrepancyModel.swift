import BordinData

// Informant discrepancy → outcome: polynomial regression with response surface parameters,
// the difference-score model it generalises, and the fitted surface for plotting.
//
// Implementation goals, in priority order: (1) R's numbers: the polynomial model is
// `lm(z ~ x + y + I(x^2) + I(x * y) + I(y^2) + controls)` and a1–a5 its linear combinations
// (``ResponseSurface``), the difference-score model `lm(z ~ I(x - y) + controls)`, and Edwards'
// (1994) test of the difference score's constraints is `anova(difference, polynomial)`;
// (2) both models on the same rows (listwise over outcome, x, y and controls), so they are
// nested and comparable; (3) the fitted surface and its lines of congruence (x = y) and
// incongruence (x = −y) as plain numbers, for BordinPlot to draw.
//
// References: Edwards, J. R. (1994), The study of congruence in organizational behavior
// research: Critique and a proposed alternative, *Organizational Behavior and Human Decision
// Processes* 58, 51–100; Edwards, J. R. & Parry, M. E. (1993), *Academy of Management Journal*
// 36, 1577–1613; Shanock, L. R., Baran, B. E., Gentry, W. A., Pattison, S. C. & Heggestad, E. D.
// (2010), Polynomial regression with response surface analysis: A powerful approach for
// examining moderation and overcoming limitations of difference scores, *Journal of Business and
// Psychology* 25, 543–554.

/// How control variables are held when the surface is evaluated.
public enum SurfaceControls: String, Sendable, CaseIterable, Equatable {
  /// At their means over the rows used (for a factor, its dummy columns at their means): the
  /// surface is on the outcome's scale for an average case.
  case mean
  /// At 0 (RSA's `plotRSA` convention: b0 + surface terms only).
  case zero
}

/// A nested-model F test (R's `anova(restricted, full)`).
public struct NestedModelTest: Sendable, Equatable {
  /// F = ((RSS_r − RSS_f)/(df_r − df_f)) / (RSS_f/df_f).
  public var f: Double
  public var df1: Int
  public var df2: Int
  public var p: Double
}

/// The fitted surface on a grid: `z[j][i]` is the surface at (`x[i]`, `y[j]`).
public struct SurfaceGrid: Sendable, Equatable {
  public var x: [Double]
  public var y: [Double]
  public var z: [[Double]]
}

/// The result of ``DiscrepancyModel/fit(_:outcome:x:y:controls:level:)`` (the `discrepancy`
/// directive's fields).
public struct DiscrepancyResult: Sendable, Equatable {
  public var outcome: String
  public var x: String
  public var y: String
  public var controls: [String]
  /// The polynomial regression (`coef[]`).
  public var polynomial: RegressionResult
  /// a1–a5 with SEs and t tests (`a1` … `a5`).
  public var surface: ResponseSurfaceResult
  /// The difference-score model z ~ I(x − y) + controls.
  public var difference: RegressionResult
  /// R's name of the difference term, `I(x - y)`.
  public var differenceTerm: String
  /// Edwards' (1994) test of the difference score's constraints (b1 = −b2, b3 = b4 = b5 = 0):
  /// the polynomial against the difference-score model.
  public var constraintTest: NestedModelTest
  /// Means over the rows used of the controls' design columns, by column name.
  public var controlMeans: [String: Double]

  /// R² of the polynomial model (`r2`).
  public var r2: Double { polynomial.r2 }
  /// Rows used by both models (`n`).
  public var n: Int { polynomial.n }

  private var b: [Double] {
    let terms = ResponseSurface.polynomialTerms(x: DiscrepancyModel.label(x), y: DiscrepancyModel.label(y))
    return (["(Intercept)"] + terms).map { polynomial.coefficient($0)?.estimate ?? 0 }
  }

  /// The intercept with controls held as requested: b0 + Σ b_c·c̄ (or b0).
  public func intercept(controls: SurfaceControls = .mean) -> Double {
    var b0 = b[0]
    if controls == .mean {
      for (name, m) in controlMeans { b0 += (polynomial.coefficient(name)?.estimate ?? 0) * m }
    }
    return b0
  }

  /// The fitted surface z = b0 + b1x + b2y + b3x² + b4xy + b5y² (+ controls).
  public func value(x: Double, y: Double, controls: SurfaceControls = .mean) -> Double {
    let b = self.b
    return intercept(controls: controls) + b[1] * x + b[2] * y + b[3] * x * x + b[4] * x * y
      + b[5] * y * y
  }

  /// The surface on the grid `x` × `y`.
  public func grid(x: [Double], y: [Double], controls: SurfaceControls = .mean) -> SurfaceGrid {
    SurfaceGrid(
      x: x, y: y, z: y.map { yv in x.map { value(x: $0, y: yv, controls: controls) } })
  }

  /// The surface along the line of congruence x = y = t: b0 + a1·t + a2·t².
  public func congruenceLine(_ t: [Double], controls: SurfaceControls = .mean) -> [Double] {
    t.map { value(x: $0, y: $0, controls: controls) }
  }

  /// The surface along the line of incongruence x = t, y = −t: b0 + a3·t + a4·t².
  public func incongruenceLine(_ t: [Double], controls: SurfaceControls = .mean) -> [Double] {
    t.map { value(x: $0, y: -$0, controls: controls) }
  }
}

/// Polynomial regression and response surface analysis of two informants' ratings.
public enum DiscrepancyModel {
  /// Fits the polynomial and difference-score models on the rows complete on every variable.
  ///
  /// ```
  /// polynomial:  z = b0 + b1x + b2y + b3x² + b4xy + b5y² + Σ c·control
  /// a1 = b1 + b2, a2 = b3 + b4 + b5, a3 = b1 − b2, a4 = b3 − b4 + b5, a5 = b3 − b5
  /// difference:  z = d0 + d1(x − y) + Σ c·control
  /// constraints: F = ((RSS_d − RSS_p)/4) / (RSS_p/(n − p)),  p = the polynomial's coefficients
  /// ```
  /// - Parameters:
  ///   - data: the table.
  ///   - outcome: the outcome column z.
  ///   - x, y: the two informants' numeric columns.
  ///   - controls: control columns (numeric, or text as factors with treatment contrasts).
  ///   - level: confidence level of the coefficient intervals.
  /// - Throws: `StatsError` `same-informant` (x = y), `unknown-column`, `non-numeric`
  ///   (x or y is not numeric), and what ``Regression/fit(_:level:)`` throws (`too-few-rows`,
  ///   `zero-variance`, `aliased-term`).
  public static func fit(
    _ data: Table, outcome: String, x: String, y: String, controls: [String] = [],
    level: Double = 0.95
  ) throws -> DiscrepancyResult {
    if x == y {
      throw StatsError(
        code: "same-informant", message: "'x' and 'y' are both '\(x)'",
        remedy: "Give two different informants' columns.")
    }
    var columns: [String: [Double]] = [:]
    for name in [x, y] {
      guard let column = data[name] else {
        throw StatsError(
          code: "unknown-column", message: "column '\(name)' is not in the data",
          remedy: "Columns: \(data.names.joined(separator: ", ")).")
      }
      guard let values = column.doubles, column.isNumeric else {
        throw StatsError(
          code: "non-numeric", message: "'\(name)' is not numeric",
          remedy: "Response surface analysis needs numeric ratings.")
      }
      columns[name] = values
    }
    let qx = label(x)
    let qy = label(y)
    let vx = columns[x]!
    let vy = columns[y]!
    let derived: [String: [Double]] = [
      "\(qx)^2": vx.map { $0 * $0 },
      "\(qx) * \(qy)": zip(vx, vy).map { $0 * $1 },
      "\(qy)^2": vy.map { $0 * $0 },
      "\(qx) - \(qy)": zip(vx, vy).map { $0 - $1 },
    ]
    let evaluate: ModelMatrix.Evaluator = { code in
      guard let v = derived[code] else {
        throw StatsError(code: "bad-expression", message: "cannot evaluate '\(code)' here")
      }
      return v
    }
    let quotedControls = controls.map(label)
    let polyFormula = try Formula.parse(
      ResponseSurface.formula(outcome: label(outcome), x: qx, y: qy, controls: quotedControls))
    let diffTerm = "I(\(qx) - \(qy))"
    let diffFormula = try Formula.parse(
      "\(label(outcome)) ~ " + ([diffTerm] + quotedControls).joined(separator: " + "))
    let design = try ModelMatrix.build(polyFormula, data: data, evaluate: evaluate)
    let polynomial = try Regression.fit(design, level: level)
    let difference = try Regression.fit(
      try ModelMatrix.build(diffFormula, data: data, evaluate: evaluate), level: level)
    let surface = try ResponseSurface.parameters(polynomial, x: qx, y: qy)

    let surfaceNames = Set(["(Intercept)"] + ResponseSurface.polynomialTerms(x: qx, y: qy))
    var controlMeans: [String: Double] = [:]
    for (j, name) in design.columnNames.enumerated() where !surfaceNames.contains(name) {
      controlMeans[name] = Regression.mean(design.x.column(j))
    }

    let rssP = polynomial.sigma * polynomial.sigma * Double(polynomial.df2)
    let rssD = difference.sigma * difference.sigma * Double(difference.df2)
    let df1 = difference.df2 - polynomial.df2
    let f = ((rssD - rssP) / Double(df1)) / (rssP / Double(polynomial.df2))
    let test = NestedModelTest(
      f: f, df1: df1, df2: polynomial.df2,
      p: Distributions.fCDF(f, df1: Double(df1), df2: Double(polynomial.df2), lowerTail: false))
    return DiscrepancyResult(
      outcome: outcome, x: x, y: y, controls: controls, polynomial: polynomial, surface: surface,
      difference: difference, differenceTerm: diffTerm, constraintTest: test,
      controlMeans: controlMeans)
  }

  /// `count` evenly spaced values from `from` to `to` inclusive (the last is exactly `to`), for
  /// surface grids and lines.
  public static func evenlySpaced(from: Double, to: Double, count: Int) -> [Double] {
    precondition(count >= 1)
    if count == 1 { return [from] }
    let step = (to - from) / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? to : from + Double($0) * step }
  }

  /// R's label of a variable in a formula (backquoted when not syntactic).
  static func label(_ name: String) -> String { Atom.variable(name).label }
}
