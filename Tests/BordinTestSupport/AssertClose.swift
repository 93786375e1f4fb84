import XCTest

/// Tolerances by quantity kind (DESIGN.md §9). One table for every parity test.
public enum Tolerance {
  /// Closed-form quantities: OLS, correlations, t, ICC, kappa, alpha, FE/DL/HE/SJ/HS τ², Q, I².
  public static let closedForm = 1e-8
  /// Estimates and SEs of optimised models (REML/ML meta, LMM fixed effects, SEM).
  public static let optimisedEstimate = 1e-5
  /// Variance parameters on flat likelihoods.
  public static let variance = 1e-4
  /// Satterthwaite df (and, against references at R's default uniroot tolerance, PM τ² and
  /// Q-profile τ² CIs).
  public static let satterthwaite = 1e-3
  /// Roots converged to rounding on both sides (PM τ², Q-profile bounds, RMSEA limits against
  /// Tests/Fixtures/roots-tight.json): what is left is the rounding of f, magnified by the
  /// conditioning of the root, far below this.
  public static let tightRoot = 1e-6
  /// Optimised objectives (deviance, logLik): absolute.
  public static let objectiveAbsolute = 1e-6
  /// Rmath wrappers against R's printed values (17 significant digits).
  public static let distribution = 1e-14
}

/// Asserts |observed − expected| ≤ rel·|expected| (absolute `rel` when expected is 0).
/// Infinities must match exactly (same sign); NaN never passes. On failure the message shows
/// both values and the relative error.
public func assertClose(
  _ observed: Double?, _ expected: Double, rel: Double, _ what: @autoclosure () -> String = "",
  file: StaticString = #filePath, line: UInt = #line
) {
  guard let observed else {
    XCTFail("\(what()): observed nil, expected \(expected)", file: file, line: line)
    return
  }
  if expected.isInfinite || observed.isInfinite {
    XCTAssertEqual(observed, expected, "\(what()): infinities differ", file: file, line: line)
    return
  }
  guard !observed.isNaN, !expected.isNaN else {
    XCTFail("\(what()): observed \(observed), expected \(expected) (NaN)", file: file, line: line)
    return
  }
  let diff = abs(observed - expected)
  let err = expected == 0 ? diff : diff / abs(expected)
  if err > rel {
    XCTFail(
      "\(what()): observed \(observed), expected \(expected), relative error \(err) > \(rel)",
      file: file, line: line)
  }
}
