// Response surface analysis (RSA) parameters of a second-order polynomial regression.
//
// Implementation goals, in priority order: (1) the a1–a5 of Schönbrodt's RSA package for an OLS
// fit, with standard errors from the OLS coefficient covariance and t tests on the residual df
// (RSA's own default fits by lavaan with MLR; OLS parity is what the references use);
// (2) no hidden term naming: the five polynomial terms are found by their R names.
//
// References: Edwards, J. R. & Parry, M. E. (1993), On the use of polynomial regression
// equations as an alternative to difference scores in organizational research, *Academy of
// Management Journal* 36, 1577–1613; Schönbrodt, F. D. (2016), RSA: An R package for response
// surface analysis (version 0.9.10), `R/RSA.R`; Humberg, S., Nestler, S. & Back, M. D. (2019),
// Response surface analysis in personality and social psychology, *SPPS* 10, 409–419 (a5).

/// The RSA surface parameters, each a linear combination of polynomial coefficients.
public struct ResponseSurfaceResult: Sendable, Equatable {
  /// a1 = b1 + b2: slope along the line of congruence (X = Y).
  public var a1: LinearCombination
  /// a2 = b3 + b4 + b5: curvature along the line of congruence.
  public var a2: LinearCombination
  /// a3 = b1 − b2: slope along the line of incongruence (X = −Y).
  public var a3: LinearCombination
  /// a4 = b3 − b4 + b5: curvature along the line of incongruence.
  public var a4: LinearCombination
  /// a5 = b3 − b5: asymmetry of the ridge (Humberg et al. 2019).
  public var a5: LinearCombination
}

/// Response surface analysis.
public enum ResponseSurface {
  /// R's names of the polynomial terms b1…b5 for predictors `x` and `y`:
  /// `x`, `y`, `I(x^2)`, `I(x * y)`, `I(y^2)`.
  public static func polynomialTerms(x: String, y: String) -> [String] {
    [x, y, "I(\(x)^2)", "I(\(x) * \(y))", "I(\(y)^2)"]
  }

  /// The second-order polynomial formula `z ~ x + y + I(x^2) + I(x * y) + I(y^2) [+ controls]`.
  public static func formula(outcome: String, x: String, y: String, controls: [String] = [])
    -> String
  {
    "\(outcome) ~ " + (polynomialTerms(x: x, y: y) + controls).joined(separator: " + ")
  }

  /// a1…a5 from a fitted polynomial regression
  /// z = b0 + b1·X + b2·Y + b3·X² + b4·XY + b5·Y² (+ controls).
  ///
  /// ```
  /// a1 = b1 + b2     a2 = b3 + b4 + b5     a3 = b1 − b2     a4 = b3 − b4 + b5     a5 = b3 − b5
  /// se(w'b) = √(w' V w),  t = est/se,  p = 2 P(T_{n−p} > |t|)
  /// ```
  /// - Parameters:
  ///   - model: an OLS fit containing the five terms of ``polynomialTerms(x:y:)``.
  ///   - x, y: the two predictor names.
  /// - Throws: `StatsError` `unknown-term` when a polynomial term is missing from the model.
  public static func parameters(_ model: RegressionResult, x: String, y: String) throws
    -> ResponseSurfaceResult
  {
    let t = polynomialTerms(x: x, y: y)
    func combo(_ w: [Double]) throws -> LinearCombination {
      var weights: [String: Double] = [:]
      for (name, value) in zip(t, w) where value != 0 { weights[name] = value }
      return try model.linearCombination(weights)
    }
    return ResponseSurfaceResult(
      a1: try combo([1, 1, 0, 0, 0]),
      a2: try combo([0, 0, 1, 1, 1]),
      a3: try combo([1, -1, 0, 0, 0]),
      a4: try combo([0, 0, 1, -1, 1]),
      a5: try combo([0, 0, 1, 0, -1]))
  }
}
