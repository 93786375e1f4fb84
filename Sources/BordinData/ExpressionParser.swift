/// Parses the R-like expression language of `derive` and `filter`.
///
/// Grammar, loosest binding first (as in R):
///
/// ```
/// expr        := and ( ("|" | "||") and )*
/// and         := not ( ("&" | "&&") not )*
/// not         := "!" not | comparison
/// comparison  := additive ( ("==" | "!=" | "<" | "<=" | ">" | ">=") additive )?
/// additive    := multiplicative ( ("+" | "-") multiplicative )*
/// multiplicative := special ( ("*" | "/") special )*
/// special     := unary ( ("%%" | "%/%" | "%in%") unary )*
/// unary       := ("-" | "+") unary | power
/// power       := primary ( "^" unary )?            right-associative: 2^3^2 = 2^9
/// primary     := number | string | TRUE | FALSE | NA | Inf | NaN | name | `any name`
///              | name "(" [ expr ("," expr)* ] ")" | "(" expr ")" | "!" not
/// ```
///
/// So `-2^2` is `-(2^2)` = -4, `!x == 1` is `!(x == 1)`, and `2^-1` is 0.5. Comparisons do not
/// chain (`a < b < c` is an error). Arguments are positional; `name = value` is an error.
///
/// Limits keep evaluation bounded: at most ``maximumLength`` characters and a nesting depth
/// (of the syntax tree and of brackets) of at most ``maximumDepth``.
public enum ExpressionParser {
  /// The longest expression accepted, in characters.
  public static let maximumLength = 10_000
  /// The deepest nesting accepted, counting operators, calls and brackets.
  public static let maximumDepth = 200

  /// Parses `text` into an ``Expression``.
  ///
  /// - Throws: ``DataError`` with code `expr-syntax`, `expr-too-long` or `expr-too-deep`;
  ///   ``DataError/column`` is the 1-based character offset of the problem.
  public static func parse(_ text: String) throws(DataError) -> Expression {
    let length = text.unicodeScalars.count
    if length > maximumLength {
      throw DataError(
        code: "expr-too-long",
        message: "the expression has \(length) characters; at most \(maximumLength) are allowed",
        remedy: "split it into several derived columns")
    }
    var parser = Parser(tokens: try ExpressionLexer.tokens(text))
    let node = try parser.expression()
    if case .end = parser.current.kind {
      return node.expr
    }
    throw parser.unexpected(expecting: "an operator or the end of the expression")
  }
}

/// A parsed subtree and its depth.
private struct Node {
  var expr: Expression
  var depth: Int
}

private struct Parser {
  var tokens: [ExpressionToken]
  var position = 0
  /// Current bracket/prefix nesting.
  var nesting = 0

  init(tokens: [ExpressionToken]) { self.tokens = tokens }

  var current: ExpressionToken { tokens[min(position, tokens.count - 1)] }

  func isSymbol(_ s: String) -> Bool {
    if case .symbol(let t) = current.kind { return t == s }
    return false
  }

  mutating func advance() { position += 1 }

  func unexpected(expecting: String) -> DataError {
    let t = current
    let what: String
    switch t.kind {
    case .end: what = "the expression ends"
    case .number(let x): what = "unexpected number \(formatShortest(x))"
    case .text(let s): what = "unexpected string \"\(s)\""
    case .identifier(let n, _): what = "unexpected name '\(n)'"
    case .symbol(let s): what = "unexpected '\(s)'"
    }
    var remedy: String? = nil
    if case .symbol("=") = t.kind {
      remedy = "compare with '==', not '='"
    } else if case .identifier = t.kind {
      remedy = "join terms with an operator such as +, *, & or |"
    } else if case .symbol(")") = t.kind {
      remedy = "check that the brackets match"
    } else if case .end = t.kind {
      remedy = "the expression is incomplete"
    }
    return DataError(
      code: "expr-syntax", message: "\(what) where \(expecting) was expected", remedy: remedy,
      column: t.offset + 1)
  }

  func make(_ e: Expression, _ children: Node...) throws(DataError) -> Node {
    let depth = 1 + (children.map(\.depth).max() ?? 0)
    if depth > ExpressionParser.maximumDepth { throw tooDeep(at: e.offset) }
    return Node(expr: e, depth: depth)
  }

  func tooDeep(at offset: Int) -> DataError {
    DataError(
      code: "expr-too-deep",
      message: "the expression nests more than \(ExpressionParser.maximumDepth) levels deep",
      remedy: "split it into several derived columns", column: offset + 1)
  }

  mutating func enter() throws(DataError) {
    nesting += 1
    if nesting > ExpressionParser.maximumDepth { throw tooDeep(at: current.offset) }
  }

  mutating func expression() throws(DataError) -> Node {
    var left = try and()
    while isSymbol("|") || isSymbol("||") {
      let offset = current.offset
      advance()
      let right = try and()
      left = try make(.binary(.or, left.expr, right.expr, offset: offset), left, right)
    }
    return left
  }

  mutating func and() throws(DataError) -> Node {
    var left = try not()
    while isSymbol("&") || isSymbol("&&") {
      let offset = current.offset
      advance()
      let right = try not()
      left = try make(.binary(.and, left.expr, right.expr, offset: offset), left, right)
    }
    return left
  }

  mutating func not() throws(DataError) -> Node {
    if isSymbol("!") {
      let offset = current.offset
      advance()
      try enter()
      let operand = try not()
      nesting -= 1
      return try make(.unary(.not, operand.expr, offset: offset), operand)
    }
    return try comparison()
  }

  mutating func comparison() throws(DataError) -> Node {
    let left = try additive()
    guard let op = comparisonOperator() else { return left }
    let offset = current.offset
    advance()
    let right = try additive()
    if comparisonOperator() != nil {
      throw DataError(
        code: "expr-syntax", message: "comparisons cannot be chained",
        remedy: "write a < b & b < c instead of a < b < c", column: current.offset + 1)
    }
    return try make(.binary(op, left.expr, right.expr, offset: offset), left, right)
  }

  func comparisonOperator() -> BinaryOperator? {
    guard case .symbol(let s) = current.kind else { return nil }
    switch s {
    case "==": return .equal
    case "!=": return .notEqual
    case "<": return .less
    case "<=": return .lessOrEqual
    case ">": return .greater
    case ">=": return .greaterOrEqual
    default: return nil
    }
  }

  mutating func additive() throws(DataError) -> Node {
    var left = try multiplicative()
    while isSymbol("+") || isSymbol("-") {
      let op: BinaryOperator = isSymbol("+") ? .add : .subtract
      let offset = current.offset
      advance()
      let right = try multiplicative()
      left = try make(.binary(op, left.expr, right.expr, offset: offset), left, right)
    }
    return left
  }

  mutating func multiplicative() throws(DataError) -> Node {
    var left = try special()
    while isSymbol("*") || isSymbol("/") {
      let op: BinaryOperator = isSymbol("*") ? .multiply : .divide
      let offset = current.offset
      advance()
      let right = try special()
      left = try make(.binary(op, left.expr, right.expr, offset: offset), left, right)
    }
    return left
  }

  mutating func special() throws(DataError) -> Node {
    var left = try unary()
    while true {
      let op: BinaryOperator
      if isSymbol("%%") {
        op = .modulo
      } else if isSymbol("%/%") {
        op = .integerDivide
      } else if isSymbol("%in%") {
        op = .isIn
      } else {
        return left
      }
      let offset = current.offset
      advance()
      let right = try unary()
      left = try make(.binary(op, left.expr, right.expr, offset: offset), left, right)
    }
  }

  mutating func unary() throws(DataError) -> Node {
    if isSymbol("-") || isSymbol("+") {
      let op: UnaryOperator = isSymbol("-") ? .negate : .plus
      let offset = current.offset
      advance()
      try enter()
      let operand = try unary()
      nesting -= 1
      return try make(.unary(op, operand.expr, offset: offset), operand)
    }
    return try power()
  }

  mutating func power() throws(DataError) -> Node {
    let base = try primary()
    guard isSymbol("^") else { return base }
    let offset = current.offset
    advance()
    try enter()
    let exponent = try unary()
    nesting -= 1
    return try make(.binary(.power, base.expr, exponent.expr, offset: offset), base, exponent)
  }

  mutating func primary() throws(DataError) -> Node {
    let t = current
    switch t.kind {
    case .number(let x):
      advance()
      return Node(expr: .number(x, offset: t.offset), depth: 1)
    case .text(let s):
      advance()
      return Node(expr: .text(s, offset: t.offset), depth: 1)
    case .identifier(let name, let quoted):
      advance()
      if !quoted {
        switch name {
        case "TRUE": return Node(expr: .logical(true, offset: t.offset), depth: 1)
        case "FALSE": return Node(expr: .logical(false, offset: t.offset), depth: 1)
        case "NA": return Node(expr: .logical(nil, offset: t.offset), depth: 1)
        case "Inf": return Node(expr: .number(.infinity, offset: t.offset), depth: 1)
        case "NaN": return Node(expr: .number(.nan, offset: t.offset), depth: 1)
        default: break
        }
        if isSymbol("(") { return try call(name, offset: t.offset) }
      }
      return Node(expr: .column(name, offset: t.offset), depth: 1)
    case .symbol("("):
      advance()
      try enter()
      let inner = try expression()
      nesting -= 1
      guard isSymbol(")") else {
        throw unexpected(expecting: "')' to close the '(' at column \(t.offset + 1)")
      }
      advance()
      return inner
    case .symbol("!"):
      return try not()
    default:
      throw unexpected(expecting: "a value, a name or '('")
    }
  }

  mutating func call(_ name: String, offset: Int) throws(DataError) -> Node {
    advance()  // "("
    try enter()
    var args: [Node] = []
    if !isSymbol(")") {
      while true {
        if case .identifier(let argName, false) = current.kind,
          position + 1 < tokens.count, tokens[position + 1].kind == .symbol("=")
        {
          throw DataError(
            code: "expr-syntax",
            message: "named argument '\(argName) = …' in \(name)(); arguments are positional",
            remedy: "pass '\(argName)' by position, e.g. lag(x, 2) or round(x, 1)",
            column: current.offset + 1)
        }
        args.append(try expression())
        if isSymbol(",") {
          advance()
          continue
        }
        break
      }
    }
    guard isSymbol(")") else {
      throw unexpected(expecting: "',' or ')' to close \(name)(")
    }
    advance()
    nesting -= 1
    let depth = 1 + (args.map(\.depth).max() ?? 0)
    if depth > ExpressionParser.maximumDepth { throw tooDeep(at: offset) }
    return Node(expr: .call(name, args.map(\.expr), offset: offset), depth: depth)
  }
}
