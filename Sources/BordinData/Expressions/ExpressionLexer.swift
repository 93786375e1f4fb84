/// One token of the expression language.
struct ExpressionToken: Equatable {
  enum Kind: Equatable {
    case number(Double)
    case text(String)
    /// A name; `quoted` when written in backquotes (then never a keyword).
    case identifier(String, quoted: Bool)
    /// An operator or punctuation: `+ - * / ^ %% %/% %in% == != < <= > >= ! & && | || ( ) , =`.
    case symbol(String)
    case end
  }
  var kind: Kind
  /// 0-based character offset in the source text.
  var offset: Int
}

/// Splits expression text into tokens.
///
/// Numbers are decimal (`1`, `2.5`, `.5`, `1e-3`); strings use `"` or `'` with the escapes
/// `\\ \" \' \n \t \r`; names start with a letter, `.` or `_` and continue with letters, digits,
/// `.` and `_`, or are written in backquotes. Offsets count Unicode scalars.
enum ExpressionLexer {
  static let keywords: Set<String> = ["TRUE", "FALSE", "NA", "Inf", "NaN"]

  /// The tokens of `text`, ending with an `.end` token.
  static func tokens(_ text: String) throws(DataError) -> [ExpressionToken] {
    let s = Array(text.unicodeScalars)
    var out: [ExpressionToken] = []
    var i = 0
    func syntax(_ message: String, at offset: Int, remedy: String? = nil) -> DataError {
      DataError(code: "expr-syntax", message: message, remedy: remedy, column: offset + 1)
    }
    while i < s.count {
      let c = s[i]
      let start = i
      if c == " " || c == "\t" || c == "\n" || c == "\r" {
        i += 1
        continue
      }
      if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
        while i < s.count, isDigit(s[i]) { i += 1 }
        if i < s.count, s[i] == "." {
          i += 1
          while i < s.count, isDigit(s[i]) { i += 1 }
        }
        if i < s.count, s[i] == "e" || s[i] == "E" {
          var j = i + 1
          if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
          if j < s.count, isDigit(s[j]) {
            i = j
            while i < s.count, isDigit(s[i]) { i += 1 }
          }
        }
        var literal = String.UnicodeScalarView()
        literal.append(contentsOf: s[start..<i])
        guard let value = Double(String(literal)) else {
          throw syntax("'\(String(literal))' is not a number", at: start)
        }
        if i < s.count, isIdentifierContinue(s[i]) {
          throw syntax(
            "unexpected '\(s[i])' after the number \(String(literal))", at: i,
            remedy: "names cannot start with a digit; write such a column name in backquotes")
        }
        out.append(.init(kind: .number(value), offset: start))
        continue
      }
      if c == "\"" || c == "'" {
        i += 1
        var value = String.UnicodeScalarView()
        var closed = false
        while i < s.count {
          let d = s[i]
          if d == c {
            closed = true
            i += 1
            break
          }
          if d == "\\" {
            guard i + 1 < s.count else { break }
            let e = s[i + 1]
            switch e {
            case "\\", "\"", "'": value.append(e)
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            default:
              throw syntax(
                "unknown escape '\\\(e)' in a string", at: i,
                remedy: "write a backslash as \\\\")
            }
            i += 2
            continue
          }
          value.append(d)
          i += 1
        }
        if !closed {
          throw syntax(
            "the string that starts here is never closed", at: start,
            remedy: "end it with \(c)")
        }
        out.append(.init(kind: .text(String(value)), offset: start))
        continue
      }
      if c == "`" {
        i += 1
        var value = String.UnicodeScalarView()
        while i < s.count, s[i] != "`" {
          value.append(s[i])
          i += 1
        }
        if i >= s.count {
          throw syntax(
            "the backquoted name that starts here is never closed", at: start,
            remedy: "end it with `")
        }
        i += 1
        if value.isEmpty { throw syntax("empty backquoted name", at: start) }
        out.append(.init(kind: .identifier(String(value), quoted: true), offset: start))
        continue
      }
      if isIdentifierStart(c) {
        while i < s.count, isIdentifierContinue(s[i]) { i += 1 }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: s[start..<i])
        out.append(.init(kind: .identifier(String(name), quoted: false), offset: start))
        continue
      }
      if c == "%" {
        var j = i + 1
        while j < s.count, s[j] != "%", s[j] != " " { j += 1 }
        guard j < s.count, s[j] == "%" else {
          throw syntax(
            "'%' starts an operator that is never closed", at: start,
            remedy: "the %-operators are %%, %/% and %in%")
        }
        var op = String.UnicodeScalarView()
        op.append(contentsOf: s[start...j])
        let opText = String(op)
        guard ["%%", "%/%", "%in%"].contains(opText) else {
          throw syntax(
            "unknown operator '\(opText)'", at: start,
            remedy: "the %-operators are %%, %/% and %in%")
        }
        i = j + 1
        out.append(.init(kind: .symbol(opText), offset: start))
        continue
      }
      let two: String? =
        i + 1 < s.count ? String(Character(c)) + String(Character(s[i + 1])) : nil
      if let two, ["==", "!=", "<=", ">=", "&&", "||", "**"].contains(two) {
        i += 2
        out.append(.init(kind: .symbol(two == "**" ? "^" : two), offset: start))
        continue
      }
      if "+-*/^<>!&|(),=".unicodeScalars.contains(c) {
        i += 1
        out.append(.init(kind: .symbol(String(Character(c))), offset: start))
        continue
      }
      throw syntax(
        "unexpected character '\(c.escaped(asASCII: false))'", at: start,
        remedy: "write column names with spaces or symbols in backquotes, e.g. `my column`")
    }
    out.append(.init(kind: .end, offset: s.count))
    return out
  }

  private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
}
