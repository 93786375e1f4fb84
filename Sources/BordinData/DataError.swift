/// A problem with data or with a data expression, reported to the user as a diagnostic.
///
/// Messages follow metafor's house style: they name the thing and the offending value, and
/// ``remedy`` says what to do about it. Positions are 1-based; ``line`` refers to a line of the
/// CSV file, ``column`` to a character offset in the CSV line or in the expression text, and
/// ``option`` to the place in a data directive where the problem arose (for example
/// `["derive", "ext_change"]` or `["filter"]`).
///
/// Codes in use:
/// `csv-empty`, `csv-header`, `csv-ragged`, `csv-quote`, `csv-utf8`, `csv-too-large`,
/// `expr-syntax`, `expr-too-long`, `expr-too-deep`, `expr-unknown-column`, `expr-unknown-function`,
/// `expr-arguments`, `expr-type`, `data-option`, `data-unknown-column`, `data-wider-duplicate`.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A stable, machine-readable code such as `csv-ragged` or `expr-type`.
  public var code: String
  /// What went wrong, naming the thing and the value.
  public var message: String
  /// What the user can do about it, when there is something to suggest.
  public var remedy: String?
  /// The 1-based line in the CSV file.
  public var line: Int?
  /// The 1-based character column in the CSV line or in the expression text.
  public var column: Int?
  /// Where in the data pipeline specification the problem arose, e.g. `["derive", "ext_change"]`.
  public var option: [String]

  /// Creates an error; only `code` and `message` are required.
  public init(
    code: String, message: String, remedy: String? = nil, line: Int? = nil, column: Int? = nil,
    option: [String] = []
  ) {
    self.code = code
    self.message = message
    self.remedy = remedy
    self.line = line
    self.column = column
    self.option = option
  }

  /// The message followed by the remedy, e.g. for printing after a `file:line:column:` prefix.
  public var description: String {
    var s = "\(code): \(message)"
    if let remedy { s += "; \(remedy)" }
    return s
  }

  /// This error with ``option`` set to `path` when it has none yet.
  public func at(option path: [String]) -> DataError {
    var e = self
    if e.option.isEmpty { e.option = path }
    return e
  }

  /// An unknown-column error with a "did you mean" suggestion drawn from `available`.
  ///
  /// - Parameters:
  ///   - name: the column name that was asked for.
  ///   - available: the columns that exist.
  ///   - dataName: the name of the dataset, used in the message when given.
  ///   - code: the error code (`expr-unknown-column` inside expressions, `data-unknown-column`
  ///     in pipeline options).
  public static func unknownColumn(
    _ name: String, available: [String], dataName: String? = nil,
    code: String = "data-unknown-column", column: Int? = nil, option: [String] = []
  ) -> DataError {
    let place = dataName.map { " is not in '\($0)'" } ?? " does not exist"
    var message = "column '\(name)'\(place)"
    var remedy: String
    if let m = closestMatch(name, in: available) {
      message += "; did you mean '\(m)'?"
      remedy = "use '\(m)', or check the spelling against the data's header"
    } else {
      remedy = "the columns are " + listForMessage(available)
    }
    if name.contains(" ") || name.contains("-") {
      remedy += "; in expressions, write names with spaces or symbols in backquotes, e.g. `\(name)`"
    }
    return DataError(
      code: code, message: message, remedy: remedy, column: column, option: option)
  }
}

/// Quotes up to `limit` names for a message: `'a', 'b', 'c' and 4 more`.
func listForMessage(_ names: [String], limit: Int = 12) -> String {
  if names.isEmpty { return "(none)" }
  let shown = names.prefix(limit).map { "'\($0)'" }.joined(separator: ", ")
  return names.count > limit ? shown + " and \(names.count - limit) more" : shown
}
