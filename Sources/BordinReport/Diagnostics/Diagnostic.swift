/// A problem found in a report, located at `file:line:column`.
///
/// Diagnostics are collected across the whole report and printed together; any error means
/// nothing is written (exit code 1). Warnings (numerical trouble, dropped rows) are printed to
/// stderr and also shown in the report next to the result.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }

  public var severity: Severity
  public var file: String
  public var line: Int
  public var column: Int
  /// A stable, documented code such as `unknown-column` or `yaml-syntax`.
  public var code: String
  public var message: String
  public var remedy: String?

  public init(_ severity: Severity = .error, file: String, line: Int, column: Int = 1,
              code: String, message: String, remedy: String? = nil) {
    self.severity = severity
    self.file = file
    self.line = line
    self.column = column
    self.code = code
    self.message = message
    self.remedy = remedy
  }

  /// `file:line:column: error[code]: message` and, on the next line, the remedy.
  /// Control characters in the fields (a column name holding an ANSI escape sequence, a line
  /// break that would fake a second diagnostic) are shown escaped: see ``escapeControls(_:keepNewlines:)``.
  public var description: String {
    var s = "\(escapeControls(file)):\(line):\(column): \(severity.rawValue)[\(escapeControls(code))]: \(escapeControls(message))"
    if let remedy { s += "\n  remedy: \(escapeControls(remedy))" }
    return s
  }
}

/// `s` with every control character (C0, DEL, C1: U+0000–U+001F, U+007F–U+009F) written as a
/// visible escape — `\n`, `\r`, `\t`, else `\u{1B}` — so that text from a report or its data
/// cannot move the cursor, recolour or retitle the terminal it is printed to. With
/// `keepNewlines`, line feeds stay (for multi-line messages already escaped field by field).
public func escapeControls(_ s: String, keepNewlines: Bool = false) -> String {
  func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }
  guard s.unicodeScalars.contains(where: { isControl($0) && !(keepNewlines && $0 == "\n") }) else { return s }
  var out = ""
  for u in s.unicodeScalars {
    guard isControl(u), !(keepNewlines && u == "\n") else { out.unicodeScalars.append(u); continue }
    switch u {
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default: out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
    }
  }
  return out
}

/// Thrown when a report has errors; carries every diagnostic found.
public struct ReportErrors: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A position inside the report source, used while building diagnostics.
struct SourceLocation: Sendable, Equatable {
  var line: Int
  var column: Int
}

/// Collects diagnostics for one report file: one object per render, shared by every stage of
/// the renderer and the evaluator (a class, so no stage works on a copy).
final class DiagnosticSink {
  let file: String
  private(set) var items: [Diagnostic] = []

  init(file: String) { self.file = file }

  var hasErrors: Bool { items.contains { $0.severity == .error } }

  func error(_ at: SourceLocation, _ code: String, _ message: String, remedy: String? = nil) {
    items.append(Diagnostic(.error, file: file, line: at.line, column: at.column, code: code,
                            message: message, remedy: remedy))
  }

  func warning(_ at: SourceLocation, _ code: String, _ message: String, remedy: String? = nil) {
    items.append(Diagnostic(.warning, file: file, line: at.line, column: at.column, code: code,
                            message: message, remedy: remedy))
  }

  func append(_ d: Diagnostic) { items.append(d) }
}
