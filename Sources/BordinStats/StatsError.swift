/// A numerical or input problem that stops an estimator, with a remedy for the report author.
///
/// Estimators throw this instead of crashing or returning NaN results: too few rows, zero
/// variance, a singular design, a factor with one level, LAPACK failures. `code` is a stable,
/// machine-readable identifier (kebab-case); `message` names the variable or term and the
/// observed value; `remedy` says what to change, or is empty when nothing obvious helps.
public struct StatsError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable identifier, e.g. `too-few-rows`, `zero-variance`, `aliased-term`.
  public var code: String
  /// What went wrong, naming the variable, term or option and the observed value.
  public var message: String
  /// What the author can do about it ("" when there is no general remedy).
  public var remedy: String

  public init(code: String, message: String, remedy: String = "") {
    self.code = code
    self.message = message
    self.remedy = remedy
  }

  public var description: String {
    remedy.isEmpty ? "\(code): \(message)" : "\(code): \(message). \(remedy)"
  }

  static func tooFewRows(_ what: String, have: Int, need: Int) -> StatsError {
    StatsError(
      code: "too-few-rows",
      message: "\(what) needs at least \(need) complete rows; got \(have)",
      remedy: "Check the filter and the missing values of the variables used.")
  }

  static func zeroVariance(_ name: String) -> StatsError {
    StatsError(
      code: "zero-variance",
      message: "'\(name)' has zero variance in the rows used",
      remedy: "Remove the constant variable or check the filter.")
  }
}
