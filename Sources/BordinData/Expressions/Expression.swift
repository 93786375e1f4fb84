/// Another name for ``Expression``: Foundation also declares a type called `Expression`, so a
/// file that imports both Foundation and BordinData must write `BordinData.Expression` or this.
public typealias DataExpression = Expression

/// A parsed data expression: the abstract syntax tree of the R-like expression language used by
/// `derive` and `filter` (see ``ExpressionParser`` for the grammar).
///
/// Every node stores `offset`, the 0-based character (Unicode scalar) offset in the source text
/// of the token that produced it: the literal, the column name, the operator or the function
/// name. Errors report it 1-based as ``DataError/column``.
public indirect enum Expression: Sendable, Equatable {
  /// A number literal, including `Inf` and `NaN`.
  case number(Double, offset: Int)
  /// A string literal, `"…"` or `'…'`.
  case text(String, offset: Int)
  /// `TRUE`, `FALSE`, or `NA` (nil), R's logical constants.
  case logical(Bool?, offset: Int)
  /// A column reference: a bare name or a `` `backquoted name` ``.
  case column(String, offset: Int)
  /// A prefix operator applied to an operand.
  case unary(UnaryOperator, Expression, offset: Int)
  /// An infix operator applied to two operands.
  case binary(BinaryOperator, Expression, Expression, offset: Int)
  /// A function call with positional arguments.
  case call(String, [Expression], offset: Int)

  /// The 0-based character offset of this node's token in the source text.
  public var offset: Int {
    switch self {
    case .number(_, let o), .text(_, let o), .logical(_, let o), .column(_, let o),
      .unary(_, _, let o), .binary(_, _, _, let o), .call(_, _, let o):
      return o
    }
  }

  /// The names of all columns the expression reads.
  public var referencedColumns: Set<String> {
    var names = Set<String>()
    collect { if case .column(let n, _) = $0 { names.insert(n) } }
    return names
  }

  /// The names of all functions the expression calls.
  public var calledFunctions: Set<String> {
    var names = Set<String>()
    collect { if case .call(let n, _, _) = $0 { names.insert(n) } }
    return names
  }

  /// Visits this node and all its descendants, parents first.
  func collect(_ visit: (Expression) -> Void) {
    visit(self)
    switch self {
    case .number, .text, .logical, .column: break
    case .unary(_, let a, _): a.collect(visit)
    case .binary(_, let a, let b, _):
      a.collect(visit)
      b.collect(visit)
    case .call(_, let args, _): for a in args { a.collect(visit) }
    }
  }
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable, Equatable {
  /// Arithmetic negation, `-x`.
  case negate = "-"
  /// Arithmetic identity, `+x`.
  case plus = "+"
  /// Logical negation, `!x`.
  case not = "!"
}

/// Infix operators. `&&` and `&` are both ``and``; `||` and `|` are both ``or``.
public enum BinaryOperator: String, Sendable, Equatable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  /// `^` (also written `**`), right-associative.
  case power = "^"
  /// R's `%%`: the result has the sign of the divisor.
  case modulo = "%%"
  /// R's `%/%`: floor division.
  case integerDivide = "%/%"
  /// Set membership, `x %in% c("a", "b")`; never missing.
  case isIn = "%in%"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="
  /// Elementwise three-valued AND (`&`, `&&`).
  case and = "&"
  /// Elementwise three-valued OR (`|`, `||`).
  case or = "|"

  var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
    default: return false
    }
  }

  var isArithmetic: Bool {
    switch self {
    case .add, .subtract, .multiply, .divide, .power, .modulo, .integerDivide: return true
    default: return false
    }
  }
}

extension Expression: CustomStringConvertible {
  /// The expression written back in R syntax, fully parenthesised where operators nest.
  public var description: String {
    switch self {
    case .number(let x, _): return formatShortest(x)
    case .text(let s, _):
      return "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    case .logical(let b, _): return b.map { $0 ? "TRUE" : "FALSE" } ?? "NA"
    case .column(let n, _): return isPlainIdentifier(n) ? n : "`\(n)`"
    case .unary(let op, let a, _): return op.rawValue + a.parenthesisedDescription
    case .binary(let op, let a, let b, _):
      return "\(a.parenthesisedDescription) \(op.rawValue) \(b.parenthesisedDescription)"
    case .call(let f, let args, _):
      return f + "(" + args.map(\.description).joined(separator: ", ") + ")"
    }
  }

  private var parenthesisedDescription: String {
    switch self {
    case .unary, .binary: return "(\(description))"
    default: return description
    }
  }
}

extension String {
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self {
      if c == target { out += replacement } else { out.append(c) }
    }
    return out
  }
}

/// Whether `name` can be written without backquotes in an expression: it starts with a letter,
/// `.` (not followed by a digit) or `_`, continues with letters, digits, `.` and `_`, and is
/// not a keyword.
func isPlainIdentifier(_ name: String) -> Bool {
  guard let first = name.unicodeScalars.first, isIdentifierStart(first) else { return false }
  if ExpressionLexer.keywords.contains(name) { return false }
  if first == ".", let second = name.unicodeScalars.dropFirst().first,
    second.properties.numericType != nil
  {
    return false
  }
  return name.unicodeScalars.allSatisfy(isIdentifierContinue)
}

func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
  c == "." || c == "_" || c.properties.isAlphabetic
}

func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
  c == "." || c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c)
}
