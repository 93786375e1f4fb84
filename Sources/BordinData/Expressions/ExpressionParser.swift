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
/// The implementation is precedence climbing over these levels. Limits keep parsing and
/// evaluation bounded: at most ``maximumLength`` characters and a nesting depth (of the syntax
/// tree and of brackets) of at most ``maximumDepth``; at that depth a release build needs
/// under 256 KiB of stack to parse and evaluate.
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

  @inline(never)
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

  @inline(never)
  func make(_ e: Expression, _ a: Node, _ b: Node? = nil) throws(DataError) -> Node {
    let depth = 1 + max(a.depth, b?.depth ?? 0)
    if depth > ExpressionParser.maximumDepth { throw tooDeep(at: e.offset) }
    return Node(expr: e, depth: depth)
  }

  @inline(never)
  func tooDeep(at offset: Int) -> DataError {
    DataError(
      code: "expr-too-deep",
      message: "the expression nests more than \(ExpressionParser.maximumDepth) levels deep",
      remedy: "split it into several derived columns", column: offset + 1)
  }

  @inline(never)
  mutating func enter() throws(DataError) {
    nesting += 1
    if nesting > ExpressionParser.maximumDepth { throw tooDeep(at: current.offset) }
  }

  /// Binding power of the infix operator at the current token, loosest first (as in R), and
  /// whether it associates to the right.
  @inline(never)
  func infix() -> (op: BinaryOperator, precedence: Int, rightAssociative: Bool)? {
    guard case .symbol(let s) = current.kind else { return nil }
    switch s {
    case "|", "||": return (.or, 1, false)
    case "&", "&&": return (.and, 2, false)
    // 3: prefix "!"
    case "==": return (.equal, 4, false)
    case "!=": return (.notEqual, 4, false)
    case "<": return (.less, 4, false)
    case "<=": return (.lessOrEqual, 4, false)
    case ">": return (.greater, 4, false)
    case ">=": return (.greaterOrEqual, 4, false)
    case "+": return (.add, 5, false)
    case "-": return (.subtract, 5, false)
    case "*": return (.multiply, 6, false)
    case "/": return (.divide, 6, false)
    case "%%": return (.modulo, 7, false)
    case "%/%": return (.integerDivide, 7, false)
    case "%in%": return (.isIn, 7, false)
    // 8: prefix "-" and "+"
    case "^": return (.power, 9, true)
    default: return nil
    }
  }

  static let notPrecedence = 3
  static let signPrecedence = 8

  /// Precedence climbing: parses operators binding at least as tightly as `minimum`. Each
  /// bracket or prefix level costs two stack frames (this and ``prefix()``).
  mutating func expression(_ minimum: Int = 0) throws(DataError) -> Node {
    try enter()
    var left = try prefix()
    var previousWasComparison = false
    while let (op, precedence, rightAssociative) = infix(), precedence >= minimum {
      if op.isComparison && previousWasComparison { throw chainedComparison() }
      previousWasComparison = op.isComparison
      let offset = current.offset
      advance()
      let right = try expression(rightAssociative ? precedence : precedence + 1)
      left = try make(.binary(op, left.expr, right.expr, offset: offset), left, right)
    }
    nesting -= 1
    return left
  }

  /// A prefix operator and its operand, or a primary.
  mutating func prefix() throws(DataError) -> Node {
    guard let op = prefixOperator() else { return try primary() }
    let offset = current.offset
    advance()
    let operand = try expression(op == .not ? Self.notPrecedence : Self.signPrecedence)
    return try make(.unary(op, operand.expr, offset: offset), operand)
  }

  @inline(never)
  func prefixOperator() -> UnaryOperator? {
    guard case .symbol(let s) = current.kind else { return nil }
    switch s {
    case "!": return .not
    case "-": return .negate
    case "+": return .plus
    default: return nil
    }
  }

  /// A literal, a name, a call or a bracketed expression. Leaves and error messages are built
  /// in separate functions to keep this recursive frame small.
  mutating func primary() throws(DataError) -> Node {
    let t = current
    if let node = leaf(t) {
      advance()
      return node
    }
    if case .identifier(let name, false) = t.kind {
      advance()
      if isSymbol("(") { return try call(name, offset: t.offset) }
      return Node(expr: .column(name, offset: t.offset), depth: 1)
    }
    guard isSymbol("(") else { throw unexpected(expecting: "a value, a name or '('") }
    advance()
    let inner = try expression()
    guard isSymbol(")") else { throw unclosed(at: t.offset, name: nil) }
    advance()
    return inner
  }

  /// The node for a literal token or a backquoted name; nil for anything else.
  @inline(never)
  func leaf(_ t: ExpressionToken) -> Node? {
    let e: Expression
    switch t.kind {
    case .number(let x): e = .number(x, offset: t.offset)
    case .text(let s): e = .text(s, offset: t.offset)
    case .identifier(let name, true): e = .column(name, offset: t.offset)
    case .identifier("TRUE", false): e = .logical(true, offset: t.offset)
    case .identifier("FALSE", false): e = .logical(false, offset: t.offset)
    case .identifier("NA", false): e = .logical(nil, offset: t.offset)
    case .identifier("Inf", false): e = .number(.infinity, offset: t.offset)
    case .identifier("NaN", false): e = .number(.nan, offset: t.offset)
    default: return nil
    }
    return Node(expr: e, depth: 1)
  }

  mutating func call(_ name: String, offset: Int) throws(DataError) -> Node {
    advance()  // "("
    var args: [Node] = []
    if !isSymbol(")") {
      while true {
        if let e = namedArgument(in: name) { throw e }
        args.append(try expression())
        if isSymbol(",") {
          advance()
          continue
        }
        break
      }
    }
    guard isSymbol(")") else { throw unclosed(at: offset, name: name) }
    advance()
    return try makeCall(name, args, offset: offset)
  }

  @inline(never)
  func makeCall(_ name: String, _ args: [Node], offset: Int) throws(DataError) -> Node {
    let depth = 1 + (args.map(\.depth).max() ?? 0)
    if depth > ExpressionParser.maximumDepth { throw tooDeep(at: offset) }
    return Node(expr: .call(name, args.map(\.expr), offset: offset), depth: depth)
  }

  /// The error for `name = value` at the current token, if that is what it is.
  @inline(never)
  func namedArgument(in function: String) -> DataError? {
    guard case .identifier(let argName, false) = current.kind, position + 1 < tokens.count,
      tokens[position + 1].kind == .symbol("=")
    else { return nil }
    return DataError(
      code: "expr-syntax",
      message: "named argument '\(argName) = …' in \(function)(); arguments are positional",
      remedy: "pass '\(argName)' by position, e.g. lag(x, 2) or round(x, 1)",
      column: current.offset + 1)
  }

  @inline(never)
  func unclosed(at offset: Int, name: String?) -> DataError {
    if let name { return unexpected(expecting: "',' or ')' to close \(name)(") }
    return unexpected(expecting: "')' to close the '(' at column \(offset + 1)")
  }

  @inline(never)
  func chainedComparison() -> DataError {
    DataError(
      code: "expr-syntax", message: "comparisons cannot be chained",
      remedy: "write a < b & b < c instead of a < b < c", column: current.offset + 1)
  }
}
