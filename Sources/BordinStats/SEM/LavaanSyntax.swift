// The lavaan model syntax (Rosseel 2012), parsed into formula elements.
//
// Implementation goals, in priority order: (1) accept what lavaan's `lavParseModelString`
// accepts for single-group models and produce the same elements in the same order, because the
// order decides lavaan's parameter table; (2) every error names a line and column of the model
// text and says what to write instead; (3) no regular expressions: a small hand-written lexer.
//
// Reference: Rosseel, Y. (2012). lavaan: An R package for structural equation modeling.
// *Journal of Statistical Software*, 48(2), 1–36. The syntax rules follow `?model.syntax`.

/// A problem in lavaan model syntax, at a 1-based line and column of the model text.
public struct LavaanSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String
  public var remedy: String

  public init(line: Int, column: Int, message: String, remedy: String = "") {
    self.line = line
    self.column = column
    self.message = message
    self.remedy = remedy
  }

  public var description: String {
    "line \(line), column \(column): \(message)" + (remedy.isEmpty ? "" : ". \(remedy)")
  }

  /// The same problem as a ``StatsError`` (code `sem-syntax`), position in the message.
  public var statsError: StatsError {
    StatsError(code: "sem-syntax", message: "line \(line), column \(column): \(message)", remedy: remedy)
  }
}

/// A 1-based position in the model text.
public struct LavaanLocation: Sendable, Equatable {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}

/// The lavaan operators Bordin supports.
public enum LavaanOperator: String, Sendable, Equatable {
  /// `f =~ x`: x is an indicator of the latent variable f (loading).
  case measuredBy = "=~"
  /// `y ~ x`: regression of y on x.
  case regression = "~"
  /// `a ~~ b`: (residual) variance or covariance.
  case covariance = "~~"
  /// `y ~ 1`: intercept (mean) of y.
  case intercept = "~1"
  /// `ab := a*b`: a defined parameter, a function of labelled parameters.
  case defined = ":="
}

/// What `modifier*` says about one element: a fixed value, `NA` (free), a label, a start value.
public struct LavaanModifier: Sendable, Equatable {
  /// `0.5*x`: the parameter is fixed at this value.
  public var fixed: Double?
  /// `NA*x`: the parameter is free (overrides automatic fixing, e.g. of the first loading).
  public var free: Bool
  /// `a*x`, `label("a")*x`, `equal("a")*x`: the label; equal labels mean equal parameters.
  public var label: String?
  /// `start(0.5)*x` or `0.5?x`: a starting value.
  public var start: Double?

  public init(fixed: Double? = nil, free: Bool = false, label: String? = nil, start: Double? = nil) {
    self.fixed = fixed
    self.free = free
    self.label = label
    self.start = start
  }

  public var isEmpty: Bool { fixed == nil && !free && label == nil && start == nil }
}

/// One model element, as a row of lavaan's flattened model (`lhs op rhs` with its modifier).
public struct LavaanFormula: Sendable, Equatable {
  public var lhs: String
  public var op: LavaanOperator
  /// The right-hand variable; "" for intercepts.
  public var rhs: String
  public var modifier: LavaanModifier
  public var lhsLocation: LavaanLocation
  /// Where the right-hand term starts (the `1` of an intercept).
  public var rhsLocation: LavaanLocation
}

/// An arithmetic expression of a defined parameter (`:=`).
public indirect enum LavaanExpression: Sendable, Equatable {
  case number(Double)
  /// A parameter label or an earlier defined parameter.
  case name(String, LavaanLocation)
  case negate(LavaanExpression)
  /// `+ - * / ^`
  case binary(Character, LavaanExpression, LavaanExpression)
  /// `sqrt`, `exp`, `log`, `abs`, `sin`, `cos`, `tan`, `atan`, `tanh`, `pnorm`…: see
  /// ``LavaanExpression/functions``.
  case call(String, [LavaanExpression], LavaanLocation)

  /// Functions allowed in `:=` expressions, with their number of arguments.
  public static let functions: [String: Int] = [
    "sqrt": 1, "exp": 1, "log": 1, "abs": 1, "sin": 1, "cos": 1, "tan": 1, "atan": 1,
    "tanh": 1, "asin": 1, "acos": 1,
  ]

  /// Names used, in order of appearance (with repeats).
  public var names: [(String, LavaanLocation)] {
    switch self {
    case .number: return []
    case .name(let n, let loc): return [(n, loc)]
    case .negate(let e): return e.names
    case .binary(_, let a, let b): return a.names + b.names
    case .call(_, let args, _): return args.flatMap(\.names)
    }
  }
}

/// A defined parameter `name := expression`.
public struct LavaanDefinition: Sendable, Equatable {
  public var name: String
  public var expression: LavaanExpression
  /// The expression as written, whitespace removed (lavaan's `rhs` of the `:=` row).
  public var text: String
  public var location: LavaanLocation
}

/// An explicit constraint `lhs == rhs`, `lhs < rhs` or `lhs > rhs` between expressions of
/// parameter labels (and defined parameters) and numbers.
public struct LavaanConstraint: Sendable, Equatable {
  public enum Relation: String, Sendable, Equatable {
    case equal = "=="
    case less = "<"
    case greater = ">"
  }
  public var lhs: LavaanExpression
  public var relation: Relation
  public var rhs: LavaanExpression
  /// lhs and rhs as written, whitespace removed (lavaan's `lhs` and `rhs` of the row).
  public var lhsText: String
  public var rhsText: String
  public var location: LavaanLocation
}

/// A parsed lavaan model: formula elements in lavaan's order, then defined parameters.
public struct LavaanModel: Sendable, Equatable {
  public var formulas: [LavaanFormula]
  public var definitions: [LavaanDefinition]
  /// Explicit constraints, in the order written.
  public var constraints: [LavaanConstraint] = []

  /// Parses lavaan model syntax.
  ///
  /// Supported: `=~`, `~`, `~~`, `~ 1` (intercepts), `:=`; several variables on either side
  /// joined by `+` (`y1 + y2 ~ x1 + x2` gives y1~x1, y1~x2, y2~x1, y2~x2); modifiers
  /// `1*x`/`0*x` (fixed), `NA*x` (free), `a*x` (label; shared labels make parameters equal),
  /// `start(0.5)*x`, `0.5?x`, `label("a")*x`, `equal("a")*x`; constraints `a == b`,
  /// `a == 2*b - 1`, `a > 0.5`, `t6 < t5`. Modifiers follow lavaan 0.6 exactly: in a chain
  /// (`NA*l1*x`) a name makes the whole chain a label and the rest is ignored (so `NA*l1*x1`
  /// keeps a marker fixed at 1), a chain of numbers is their product (`NA` in it: free); an
  /// element repeated within one formula merges its modifiers, the first of each kind winning
  /// (`NA*x1 + l1*x1`: free and labelled l1); a start value on a fixed element becomes its fixed
  /// value (lavaan's `ustart`). Comments from
  /// `#` or `!` to the end of the line; statements separated by new lines or `;`. As in lavaan,
  /// a line without an operator continues the previous statement, so a long formula can be split
  /// after or before a `+`.
  ///
  /// Not supported (an error with a remedy): multiple groups (`c(...)` modifiers), `<~`, `|`,
  /// `~*~`.
  /// - Throws: ``LavaanSyntaxError`` with the line and column of the problem.
  public static func parse(_ text: String) throws -> LavaanModel {
    var lexer = LavaanLexer(text)
    let tokens = try lexer.tokens()
    // Split into logical lines at new lines and semicolons.
    var lines: [[LavaanToken]] = [[]]
    for t in tokens {
      if t.kind == .separator {
        if !lines[lines.count - 1].isEmpty { lines.append([]) }
      } else {
        lines[lines.count - 1].append(t)
      }
    }
    if lines.last?.isEmpty == true { lines.removeLast() }
    // Join lines without an operator to the previous statement (lavaan's multi-line rule).
    var statements: [[LavaanToken]] = []
    for line in lines {
      if line.contains(where: { $0.kind == .op }) || statements.isEmpty {
        statements.append(line)
      } else {
        statements[statements.count - 1] += line
      }
    }
    var formulas: [LavaanFormula] = []
    var definitions: [LavaanDefinition] = []
    var constraints: [LavaanConstraint] = []
    for s in statements {
      var p = StatementParser(tokens: s)
      try p.parse(into: &formulas, definitions: &definitions, constraints: &constraints)
    }
    return LavaanModel(formulas: formulas, definitions: definitions, constraints: constraints)
  }
}

// MARK: - Lexer

struct LavaanToken: Equatable {
  enum Kind: Equatable {
    case identifier, number, string, op, plus, minus, star, slash, caret, question, lparen,
      rparen, comma, separator
  }
  var kind: Kind
  var text: String
  var number: Double = 0
  var location: LavaanLocation
}

struct LavaanLexer {
  private let scalars: [Unicode.Scalar]
  private var i = 0
  private var line = 1
  private var column = 1

  init(_ text: String) { scalars = Array(text.unicodeScalars) }

  private func peek(_ k: Int = 0) -> Unicode.Scalar? {
    i + k < scalars.count ? scalars[i + k] : nil
  }

  private mutating func advance() {
    if scalars[i] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    i += 1
  }

  private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
    c.properties.isAlphabetic || c == "_" || c == "."
  }

  private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
    isNameStart(c) || ("0"..."9").contains(c)
  }

  mutating func tokens() throws -> [LavaanToken] {
    var out: [LavaanToken] = []
    while let c = peek() {
      let loc = LavaanLocation(line: line, column: column)
      func emit(_ kind: LavaanToken.Kind, _ text: String, length: Int) {
        for _ in 0..<length { advance() }
        out.append(LavaanToken(kind: kind, text: text, location: loc))
      }
      switch c {
      case " ", "\t", "\r":
        advance()
      case "\n", ";":
        emit(.separator, String(c), length: 1)
      case "#", "!":
        while let d = peek(), d != "\n" { advance() }
      case "=":
        if peek(1) == "~" {
          emit(.op, "=~", length: 2)
        } else if peek(1) == "=" {
          emit(.op, "==", length: 2)
        } else {
          throw LavaanSyntaxError(
            line: loc.line, column: loc.column, message: "'=' is not a lavaan operator",
            remedy: "Use '=~' (measured by), '~' (regression), '~~' (covariance) or ':=' (defined)")
        }
      case "~":
        if peek(1) == "~" {
          emit(.op, "~~", length: 2)
        } else if peek(1) == "*", peek(2) == "~" {
          emit(.op, "~*~", length: 3)
        } else {
          emit(.op, "~", length: 1)
        }
      case ":":
        if peek(1) == "=" {
          emit(.op, ":=", length: 2)
        } else {
          throw LavaanSyntaxError(
            line: loc.line, column: loc.column,
            message: "':' (interaction terms or blocks) is not supported",
            remedy: "Compute the product in a 'data' directive and use it as a variable")
        }
      case "<":
        if peek(1) == "~" { emit(.op, "<~", length: 2) } else { emit(.op, "<", length: 1) }
      case ">": emit(.op, ">", length: 1)
      case "|": emit(.op, "|", length: 1)
      case "%": emit(.op, "%", length: 1)
      case "+": emit(.plus, "+", length: 1)
      case "-": emit(.minus, "-", length: 1)
      case "*": emit(.star, "*", length: 1)
      case "/": emit(.slash, "/", length: 1)
      case "^": emit(.caret, "^", length: 1)
      case "?": emit(.question, "?", length: 1)
      case "(": emit(.lparen, "(", length: 1)
      case ")": emit(.rparen, ")", length: 1)
      case ",": emit(.comma, ",", length: 1)
      case "\"", "'":
        let quote = c
        advance()
        var s = ""
        while true {
          guard let d = peek(), d != "\n" else {
            throw LavaanSyntaxError(
              line: loc.line, column: loc.column, message: "unterminated string",
              remedy: "Close the string with \(quote)")
          }
          advance()
          if d == quote { break }
          s.unicodeScalars.append(d)
        }
        out.append(LavaanToken(kind: .string, text: s, location: loc))
      default:
        if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
          var s = ""
          while let d = peek(), ("0"..."9").contains(d) || d == "." {
            s.unicodeScalars.append(d)
            advance()
          }
          if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let digitAt = (sign == "+" || sign == "-") ? 2 : 1
            if let d = peek(digitAt), ("0"..."9").contains(d) {
              for _ in 0..<digitAt {
                s.unicodeScalars.append(peek()!)
                advance()
              }
              while let d = peek(), ("0"..."9").contains(d) {
                s.unicodeScalars.append(d)
                advance()
              }
            }
          }
          guard let v = Double(s) else {
            throw LavaanSyntaxError(
              line: loc.line, column: loc.column, message: "'\(s)' is not a number")
          }
          if let d = peek(), Self.isNameStart(d) {
            throw LavaanSyntaxError(
              line: line, column: column,
              message: "a name cannot start with a digit ('\(s)\(Character(d))…')",
              remedy: "Rename the variable so that it starts with a letter")
          }
          out.append(LavaanToken(kind: .number, text: s, number: v, location: loc))
        } else if Self.isNameStart(c) {
          var s = ""
          while let d = peek(), Self.isNameChar(d) {
            s.unicodeScalars.append(d)
            advance()
          }
          out.append(LavaanToken(kind: .identifier, text: s, location: loc))
        } else {
          throw LavaanSyntaxError(
            line: loc.line, column: loc.column, message: "unexpected character '\(Character(c))'")
        }
      }
    }
    return out
  }
}

// MARK: - Statement parser

private struct StatementParser {
  let tokens: [LavaanToken]
  var pos = 0

  init(tokens: [LavaanToken]) { self.tokens = tokens }

  var current: LavaanToken? { pos < tokens.count ? tokens[pos] : nil }
  var endLocation: LavaanLocation {
    guard let last = tokens.last else { return LavaanLocation(line: 1, column: 1) }
    return LavaanLocation(line: last.location.line, column: last.location.column + last.text.count)
  }

  func error(_ message: String, at t: LavaanToken?, remedy: String = "") -> LavaanSyntaxError {
    let loc = t?.location ?? endLocation
    return LavaanSyntaxError(line: loc.line, column: loc.column, message: message, remedy: remedy)
  }

  func describe(_ t: LavaanToken?) -> String {
    guard let t else { return "the end of the statement" }
    switch t.kind {
    case .string: return "\"\(t.text)\""
    default: return "'\(t.text)'"
    }
  }

  mutating func parse(
    into formulas: inout [LavaanFormula], definitions: inout [LavaanDefinition],
    constraints: inout [LavaanConstraint]
  ) throws {
    guard let opIndex = tokens.firstIndex(where: { $0.kind == .op }) else {
      throw error(
        "no operator in this statement", at: tokens.first,
        remedy: "Write 'f =~ x1 + x2', 'y ~ x', 'a ~~ b', 'y ~ 1' or 'ab := a*b'")
    }
    let opToken = tokens[opIndex]
    switch opToken.text {
    case "=~", "~", "~~", ":=": break
    case "==", "<", ">":
      constraints.append(try parseConstraint(opIndex: opIndex, opToken: opToken))
      return
    case "<~":
      throw error(
        "formative indicators ('<~') are not supported", at: opToken,
        remedy: "Use reflective indicators ('=~') or a composite score")
    case "|":
      throw error(
        "thresholds ('|') are not supported: Bordin fits continuous variables only", at: opToken)
    default:
      throw error("'\(opToken.text)' is not supported", at: opToken)
    }
    if opIndex == 0 {
      throw error("'\(opToken.text)' has nothing on its left-hand side", at: opToken)
    }
    if let second = tokens[(opIndex + 1)...].first(where: { $0.kind == .op }) {
      throw error(
        "a second operator \(describe(second)) in one statement", at: second,
        remedy: "Put each formula on its own line or separate formulas with ';'")
    }

    if opToken.text == ":=" {
      definitions.append(try parseDefinition(opIndex: opIndex))
      return
    }

    // Left-hand side: names joined by '+', no modifiers.
    let lhs = try parseLeftNames(opIndex: opIndex, opToken: opToken)

    pos = opIndex + 1
    if current == nil {
      throw error(
        "'\(opToken.text)' has nothing on its right-hand side", at: nil,
        remedy: opToken.text == "~" ? "Write 'y ~ x' or 'y ~ 1' for an intercept" : "")
    }
    var terms: [(name: String, intercept: Bool, modifier: LavaanModifier, location: LavaanLocation)] = []
    while true {
      let term = try parseTerm(op: opToken.text)
      terms.append(term)
      guard let t = current else { break }
      guard t.kind == .plus else {
        throw error(
          "expected '+' between terms, found \(describe(t))", at: t,
          remedy: "Variable names cannot contain spaces; join terms with '+'")
      }
      pos += 1
      if current == nil { throw error("'+' at the end of the statement has nothing after it", at: nil) }
    }

    // An element repeated within the formula merges its modifiers (lavaan lav_syntax_parse_rhs:
    // the first of each kind wins).
    let merged = Self.mergedTerms(terms)
    for l in lhs {
      for term in merged {
        let op: LavaanOperator
        switch opToken.text {
        case "=~": op = .measuredBy
        case "~~": op = .covariance
        default: op = term.intercept ? .intercept : .regression
        }
        formulas.append(
          LavaanFormula(
            lhs: l.text, op: op, rhs: term.intercept ? "" : term.name, modifier: term.modifier,
            lhsLocation: l.location, rhsLocation: term.location))
      }
    }
  }

  /// A constraint `lhs == rhs`, `lhs < rhs` or `lhs > rhs` between expressions of labels.
  mutating func parseConstraint(opIndex: Int, opToken: LavaanToken) throws -> LavaanConstraint {
    if opIndex == 0 { throw error("'\(opToken.text)' has nothing on its left-hand side", at: opToken) }
    if let second = tokens[(opIndex + 1)...].first(where: { $0.kind == .op }) {
      throw error("a second operator \(describe(second)) in one constraint", at: second)
    }
    var left = StatementParser(tokens: Array(tokens[..<opIndex]))
    let lhs = try left.parseExpression()
    if let t = left.current { throw error("unexpected \(describe(t)) in the constraint", at: t) }
    pos = opIndex + 1
    if current == nil { throw error("'\(opToken.text)' has nothing on its right-hand side", at: nil) }
    let rhs = try parseExpression()
    if let t = current { throw error("unexpected \(describe(t)) in the constraint", at: t) }
    func text(_ ts: ArraySlice<LavaanToken>) -> String { ts.map(\.text).joined() }
    return LavaanConstraint(
      lhs: lhs, relation: LavaanConstraint.Relation(rawValue: opToken.text)!, rhs: rhs,
      lhsText: text(tokens[..<opIndex]), rhsText: text(tokens[(opIndex + 1)...]),
      location: tokens[0].location)
  }

  /// A defined parameter `name := expression`.
  mutating func parseDefinition(opIndex: Int) throws -> LavaanDefinition {
    guard opIndex == 1, tokens[0].kind == .identifier else {
      throw error(
        "the left-hand side of ':=' must be one new name", at: tokens[0],
        remedy: "Write e.g. 'ab := a*b'")
    }
    pos = opIndex + 1
    if current == nil { throw error("':=' needs an expression on its right-hand side", at: nil) }
    let expr = try parseExpression()
    if let t = current { throw error("unexpected \(describe(t)) in the expression", at: t) }
    let text = tokens[(opIndex + 1)...].map { t -> String in
      t.kind == .string ? "\"\(t.text)\"" : t.text
    }.joined()
    return LavaanDefinition(name: tokens[0].text, expression: expr, text: text, location: tokens[0].location)
  }

  /// The left-hand side of a formula: names joined by '+', no modifiers.
  mutating func parseLeftNames(opIndex: Int, opToken: LavaanToken) throws -> [LavaanToken] {
    var lhs: [LavaanToken] = []
    pos = 0
    while pos < opIndex {
      guard let t = current, t.kind == .identifier else {
        if current?.kind == .star || current?.kind == .number {
          throw error(
            "modifiers belong on the right-hand side", at: current,
            remedy: "Write 'f =~ 1*x1', not '1*f =~ x1'")
        }
        throw error("expected a variable name, found \(describe(current))", at: current)
      }
      lhs.append(t)
      pos += 1
      if pos < opIndex {
        guard current?.kind == .plus else {
          throw error(
            "expected '+' or an operator after '\(t.text)', found \(describe(current))", at: current,
            remedy: "Variable names cannot contain spaces")
        }
        pos += 1
        if pos == opIndex { throw error("'+' before the operator has nothing after it", at: opToken) }
      }
    }
    return lhs
  }

  /// An element repeated within the formula merges its modifiers (lavaan lav_syntax_parse_rhs:
  /// the first of each kind wins).
  static func mergedTerms(
    _ terms: [(name: String, intercept: Bool, modifier: LavaanModifier, location: LavaanLocation)]
  ) -> [(name: String, intercept: Bool, modifier: LavaanModifier, location: LavaanLocation)] {
    var merged: [(name: String, intercept: Bool, modifier: LavaanModifier, location: LavaanLocation)] = []
    for term in terms {
      if let k = merged.firstIndex(where: { $0.name == term.name && $0.intercept == term.intercept }) {
        var m = merged[k].modifier
        if m.fixed == nil && !m.free {
          m.fixed = term.modifier.fixed
          m.free = term.modifier.free
        }
        m.label = m.label ?? term.modifier.label
        m.start = m.start ?? term.modifier.start
        merged[k].modifier = m
      } else {
        merged.append(term)
      }
    }
    return merged
  }

  /// `[modifier (* | ?)]* name`, or `[modifier *]* 1` for an intercept after `~`.
  mutating func parseTerm(op: String) throws -> (
    name: String, intercept: Bool, modifier: LavaanModifier, location: LavaanLocation
  ) {
    var chain: [(value: ElementValue, token: LavaanToken)] = []
    while true {
      guard let t = current else { throw error("expected a variable name", at: nil) }
      // Is this element followed by '*' or '?' (a modifier) or is it the term itself?
      let element = try parseModifierElement()
      if let sep = current, sep.kind == .star || sep.kind == .question {
        pos += 1
        if sep.kind == .question {
          guard case .number(let v) = element.value else {
            throw error("'?' must follow a start value, e.g. '0.5?x'", at: sep)
          }
          chain.append((.start(v), t))
        } else {
          chain.append(element)
        }
        continue
      }
      // The term itself.
      switch element.value {
      case .name(let n):
        if n == "NA" { throw error("'NA' needs a variable after it: 'NA*x'", at: t) }
        return (n, false, try chainModifier(chain), t.location)
      case .number(let v):
        if op == "~" && v == 1 && t.text == "1" { return ("1", true, try chainModifier(chain), t.location) }
        if op == "~" {
          throw error(
            "a number (\(t.text)) where a variable is expected", at: t,
            remedy: "Write 'y ~ 1' for an intercept or '\(t.text)*x' to fix a coefficient")
        }
        throw error(
          "a number (\(t.text)) where a variable is expected", at: t,
          remedy: "Write '\(t.text)*x' to fix the parameter")
      default:
        throw error("expected a variable name, found \(describe(t))", at: t)
      }
    }
  }

  enum ElementValue {
    case name(String)
    case number(Double)
    case start(Double)
    case label(String)
  }

  mutating func parseModifierElement() throws -> (value: ElementValue, token: LavaanToken) {
    guard let t = current else { throw error("expected a variable name", at: nil) }
    switch t.kind {
    case .minus:
      pos += 1
      guard let n = current, n.kind == .number else {
        throw error("'-' must be followed by a number here", at: current)
      }
      pos += 1
      return (.number(-n.number), t)
    case .number:
      pos += 1
      return (.number(t.number), t)
    case .identifier:
      pos += 1
      if current?.kind == .lparen {
        let fn = t.text
        pos += 1
        guard let arg = current else { throw error("unclosed '('", at: t) }
        let value: ElementValue
        switch fn {
        case "start":
          var sign = 1.0
          if arg.kind == .minus {
            sign = -1
            pos += 1
          }
          guard let a = current, a.kind == .number else {
            throw error("start() needs a number", at: current)
          }
          value = .start(sign * a.number)
          pos += 1
        case "label", "equal":
          guard arg.kind == .string || arg.kind == .identifier else {
            throw error("\(fn)() needs a name in quotes, e.g. \(fn)(\"a\")", at: arg)
          }
          value = .label(arg.text)
          pos += 1
        case "c":
          throw error(
            "vectors of modifiers (c(...)) are for multiple groups, which are not supported", at: t,
            remedy: "Give one modifier per parameter")
        default:
          throw error(
            "'\(fn)(…)' is not a supported modifier", at: t,
            remedy: "Use a number, NA, a label, start(…), label(\"…\") or equal(\"…\")")
        }
        guard current?.kind == .rparen else {
          throw error("expected ')' after the argument of \(fn)()", at: current)
        }
        pos += 1
        return (value, t)
      }
      return (.name(t.text), t)
    case .string:
      pos += 1
      return (.label(t.text), t)
    default:
      throw error("expected a variable name, found \(describe(t))", at: t)
    }
  }

  /// The modifier of a chain `m₁*m₂*…*x` as lavaan 0.6 reads it (lav_syntax_parse_rhs,
  /// lav_syntax_get_modifier): any name in the chain makes it a label (two names: an error) and
  /// the other elements are ignored; otherwise one element is itself (number: fixed, NA: free,
  /// string/label()/equal(): label, start(): start value), and several are evaluated as a
  /// product of numbers (NA in it: free), anything else in a product being an error.
  func chainModifier(_ chain: [(value: ElementValue, token: LavaanToken)]) throws -> LavaanModifier {
    var m = LavaanModifier()
    guard let first = chain.first else { return m }
    let names = chain.compactMap { e -> (String, LavaanToken)? in
      if case .name(let n) = e.value, n != "NA" { return (n, e.token) }
      return nil
    }
    if let (n, _) = names.first {
      if names.count > 1 {
        throw error(
          "two labels ('\(n)' and '\(names[1].0)') for one parameter", at: names[1].1,
          remedy: "Give one label; a chain with a name is a label only (lavaan ignores the rest)")
      }
      m.label = n
      return m
    }
    if chain.count == 1 {
      switch first.value {
      case .number(let v): m.fixed = v
      case .name: m.free = true
      case .label(let l): m.label = l
      case .start(let v): m.start = v
      }
      return m
    }
    var product = 1.0
    var isNA = false
    for e in chain {
      switch e.value {
      case .number(let v): product *= v
      case .name: isNA = true
      case .label, .start:
        throw error(
          "start(), label() and quoted labels cannot be chained with other modifiers", at: e.token,
          remedy: "Repeat the element with one modifier each, e.g. 'NA*x1 + start(0.5)*x1'")
      }
    }
    if isNA { m.free = true } else { m.fixed = product }
    return m
  }

  // Expressions of ':=' (precedence: + - < * / < unary - < ^, right-associative).
  mutating func parseExpression() throws -> LavaanExpression {
    var left = try parseProduct()
    while let t = current, t.kind == .plus || t.kind == .minus {
      pos += 1
      let right = try parseProduct()
      left = .binary(t.kind == .plus ? "+" : "-", left, right)
    }
    return left
  }

  mutating func parseProduct() throws -> LavaanExpression {
    var left = try parseUnary()
    while let t = current, t.kind == .star || t.kind == .slash {
      pos += 1
      let right = try parseUnary()
      left = .binary(t.kind == .star ? "*" : "/", left, right)
    }
    return left
  }

  mutating func parseUnary() throws -> LavaanExpression {
    if let t = current, t.kind == .minus {
      pos += 1
      return .negate(try parseUnary())
    }
    if let t = current, t.kind == .plus {
      pos += 1
      return try parseUnary()
    }
    return try parsePower()
  }

  mutating func parsePower() throws -> LavaanExpression {
    let base = try parseAtom()
    if let t = current, t.kind == .caret {
      pos += 1
      return .binary("^", base, try parseUnary())
    }
    return base
  }

  mutating func parseAtom() throws -> LavaanExpression {
    guard let t = current else { throw error("the expression ends too early", at: nil) }
    switch t.kind {
    case .number:
      pos += 1
      return .number(t.number)
    case .identifier:
      pos += 1
      if current?.kind == .lparen {
        guard let arity = LavaanExpression.functions[t.text] else {
          throw error(
            "unknown function '\(t.text)'", at: t,
            remedy: "Available: " + LavaanExpression.functions.keys.sorted().joined(separator: ", "))
        }
        pos += 1
        var args: [LavaanExpression] = []
        if current?.kind != .rparen {
          while true {
            args.append(try parseExpression())
            if current?.kind == .comma {
              pos += 1
              continue
            }
            break
          }
        }
        guard current?.kind == .rparen else { throw error("expected ')'", at: current) }
        pos += 1
        if args.count != arity {
          throw error("\(t.text)() takes \(arity) argument\(arity == 1 ? "" : "s")", at: t)
        }
        return .call(t.text, args, t.location)
      }
      return .name(t.text, t.location)
    case .lparen:
      pos += 1
      let e = try parseExpression()
      guard current?.kind == .rparen else { throw error("expected ')'", at: current) }
      pos += 1
      return e
    default:
      throw error("unexpected \(describe(t)) in the expression", at: t)
    }
  }
}
