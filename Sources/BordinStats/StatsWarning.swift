/// A numerical caveat of a result that did not stop the estimator: a boundary (singular) fit, an
/// optimiser that did not converge, complete separation, a non-positive-definite sample
/// covariance, small expected counts. Every result type carries `warnings: [StatsWarning]`.
///
/// `code` is a stable kebab-case identifier (`"warning"` when the estimator gives none),
/// `message` says what happened and to which term, `remedy` what the author can do ("" when
/// nothing general helps). A string literal is a warning with the generic code, so estimators
/// write `warnings.append("the optimiser did not converge …")`.
public struct StatsWarning: Sendable, Equatable, Codable, CustomStringConvertible, ExpressibleByStringInterpolation {
  public var code: String
  public var message: String
  public var remedy: String

  public init(code: String = "warning", message: String, remedy: String = "") {
    self.code = code
    self.message = message
    self.remedy = remedy
  }

  public init(stringLiteral value: String) { self.init(message: value) }
  public init(stringInterpolation: DefaultStringInterpolation) { self.init(message: String(stringInterpolation: stringInterpolation)) }

  /// A caveat given as a ``StatsError`` (same code, message and remedy).
  public init(_ error: StatsError) { self.init(code: error.code, message: error.message, remedy: error.remedy) }

  /// What a reader sees: the message, then " — " and the remedy when there is one.
  public var description: String { remedy.isEmpty ? message : message + " — " + remedy }

  /// Whether the message mentions `text` (for tests and de-duplication).
  public func contains(_ text: String) -> Bool { message.contains(text) }
}

extension Array where Element == StatsWarning {
  /// Appends a warning with the generic code.
  public mutating func append(_ message: String) { append(StatsWarning(message: message)) }
  /// Appends a caveat given as a ``StatsError``.
  public mutating func append(_ error: StatsError) { append(StatsWarning(error)) }
}
