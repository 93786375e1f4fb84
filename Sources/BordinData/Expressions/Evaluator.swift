/// Evaluates ``Expression``s over the rows of a table, optionally within groups and in an order.
///
/// Evaluation is vectorised: a column reference is the whole column, literals are scalars that
/// broadcast to every row. Missing values follow R: they propagate through arithmetic,
/// comparisons and functions, while `&` and `|` use three-valued logic (`NA & FALSE` is
/// `FALSE`, `NA | TRUE` is `TRUE`). `NaN` counts as missing. Division by zero gives `Inf` or
/// `NaN` as in R. Logical values are coerced to 1/0 in arithmetic, and numbers to logical
/// (non-zero is `TRUE`) in `&`, `|`, `!`; text is never coerced implicitly.
///
/// Grouped functions (`mean`, `sd`, `n`, `scale`, `lag`, `row_number`, `cumsum`, …, see
/// ``ExpressionFunctions``) work within the groups made by `groupBy`, visiting each group's rows
/// in `orderBy` order (see ``RowGrouping``); results stay in the table's row order.
///
/// Evaluation always terminates: the language has no loops, no user functions and no I/O, and
/// its recursion is bounded by the parser's depth limit.
public struct EvaluationContext: Sendable {
  /// The rows being evaluated.
  public let table: Table
  /// Columns whose values define the groups.
  public let groupBy: [String]
  /// Columns that order the rows within each group.
  public let orderBy: [String]
  /// The name of the dataset, used in messages ("column 'x' is not in 'prac'").
  public var dataName: String?

  /// Creates a context. Groups are formed when an expression calls a grouped function; a
  /// grouping or ordering column that does not exist is reported then, by ``evaluate(_:)``.
  public init(table: Table, groupBy: [String] = [], orderBy: [String] = []) {
    self.table = table
    self.groupBy = groupBy
    self.orderBy = orderBy
  }

  /// Evaluates `e` to a column with one value per row of ``table``: `.logical` for conditions,
  /// `.numeric` for numbers and `.text` for strings.
  ///
  /// - Throws: ``DataError`` with code `expr-unknown-column`, `expr-unknown-function`,
  ///   `expr-arguments` or `expr-type`; ``DataError/column`` is the 1-based character offset of
  ///   the offending part of the expression. `data-unknown-column` (with `option` `["by"]` or
  ///   `["order"]`) when a grouped function needs a grouping column that does not exist.
  public func evaluate(_ e: Expression) throws(DataError) -> Column {
    let grouped = Set(ExpressionFunctions.all.filter(\.grouped).map(\.name))
    var groups: [[Int]] = []
    if !e.calledFunctions.isDisjoint(with: grouped) {
      groups = try RowGrouping(table: table, by: groupBy, orderBy: orderBy).groups
    }
    let evaluator = Evaluator(context: self, groups: groups)
    let v = try evaluator.value(e)
    return try evaluator.rows(v, in: "the expression").data
  }

  /// Parses and evaluates `text`.
  public func evaluate(_ text: String) throws(DataError) -> Column {
    try evaluate(try ExpressionParser.parse(text))
  }
}

/// An intermediate result.
struct Value {
  enum Shape {
    /// One value per row.
    case rows
    /// One value for all rows.
    case scalar
    /// Any number of values, from `c(…)`: only meaningful after `%in%`.
    case set
  }
  var data: Column
  var shape: Shape
  /// The column this value is, when it is a bare column reference (for messages).
  var source: String? = nil
  /// Where the value's expression starts in the text.
  var offset: Int
  /// The literal `NA`, which fits any type.
  var isNALiteral = false

  var isText: Bool { if case .text = data { return true } else { return false } }
  var isLogical: Bool { if case .logical = data { return true } else { return false } }
}

/// The working state of one evaluation.
struct Evaluator {
  let context: EvaluationContext
  let groups: [[Int]]
  var n: Int { context.table.rowCount }

  /// Evaluates a node. Each case calls out to a separate function so that this frame, which
  /// recurses once per level of the syntax tree, stays small.
  func value(_ e: Expression) throws(DataError) -> Value {
    switch e {
    case .number, .text, .logical:
      return literal(e)
    case .column(let name, let o):
      return try column(name, offset: o)
    case .unary(let op, let a, let o):
      return try evaluateUnary(op, a, offset: o)
    case .binary(let op, let a, let b, let o):
      return try evaluateBinary(op, a, b, offset: o)
    case .call(let name, let args, let o):
      return try call(name, args, offset: o)
    }
  }

  @inline(never)
  func literal(_ e: Expression) -> Value {
    switch e {
    case .number(let x, let o):
      return Value(data: .numeric([x]), shape: .scalar, offset: o)
    case .text(let s, let o):
      return Value(data: .text([s]), shape: .scalar, offset: o)
    case .logical(let b, let o):
      return Value(data: .logical([b]), shape: .scalar, offset: o, isNALiteral: b == nil)
    default:
      return Value(data: .logical([nil]), shape: .scalar, offset: e.offset, isNALiteral: true)
    }
  }

  @inline(never)
  func column(_ name: String, offset: Int) throws(DataError) -> Value {
    guard let c = context.table[name] else {
      throw DataError.unknownColumn(
        name, available: context.table.names, dataName: context.dataName,
        code: "expr-unknown-column", column: offset + 1)
    }
    return Value(data: c, shape: .rows, source: name, offset: offset)
  }

  @inline(never)
  func evaluateUnary(_ op: UnaryOperator, _ a: Expression, offset: Int) throws(DataError)
    -> Value
  {
    let operand = try value(a)
    return try unary(op, operand, offset: offset)
  }

  @inline(never)
  func evaluateBinary(_ op: BinaryOperator, _ a: Expression, _ b: Expression, offset: Int)
    throws(DataError) -> Value
  {
    let left = try value(a)
    let right = try value(b)
    return try operate(op, left, right, offset: offset)
  }

  /// Applies an infix operator to evaluated operands (`%in%` accepts a set on the right).
  @inline(never)
  func operate(_ op: BinaryOperator, _ a: Value, _ b: Value, offset: Int) throws(DataError)
    -> Value
  {
    let left = try single(a)
    if op == .isIn { return try isIn(left, b, offset: offset) }
    return try binary(op, left, try single(b), offset: offset)
  }

  // MARK: shapes

  /// Rejects sets of more than one value outside `%in%`; a one-value set is a scalar.
  func single(_ v: Value) throws(DataError) -> Value {
    guard v.shape == .set else { return v }
    if v.data.count == 1 {
      var s = v
      s.shape = .scalar
      return s
    }
    throw DataError(
      code: "expr-type",
      message: "c(…) makes a set of \(v.data.count) values, which can only be used after %in%",
      remedy: "write x %in% c(…) to test membership", column: v.offset + 1)
  }

  /// `v` with one value per row.
  func rows(_ v: Value, in what: String) throws(DataError) -> Value {
    let s = try single(v)
    guard s.shape == .scalar else { return s }
    var out = s
    out.shape = .rows
    switch s.data {
    case .numeric(let x): out.data = .numeric([Double](repeating: x.first ?? .nan, count: n))
    case .text(let x): out.data = .text([String?](repeating: x.first ?? nil, count: n))
    case .logical(let x): out.data = .logical([Bool?](repeating: x.first ?? nil, count: n))
    }
    return out
  }

  static func shape(_ values: [Value]) -> Value.Shape {
    values.contains { $0.shape == .rows } ? .rows : .scalar
  }

  // MARK: coercions

  /// Numbers from numeric or logical values (TRUE = 1); text is a type error naming `what`.
  func numbers(_ v: Value, for what: String) throws(DataError) -> [Double] {
    switch v.data {
    case .numeric(let x): return x
    case .logical(let x): return x.map { $0.map { $0 ? 1 : 0 } ?? .nan }
    case .text(let x):
      throw textUsedAsNumber(v, x, for: what)
    }
  }

  /// Truth values from logical or numeric values (non-zero = TRUE); text is a type error.
  func bools(_ v: Value, for what: String) throws(DataError) -> [Bool?] {
    switch v.data {
    case .logical(let x): return x
    case .numeric(let x): return x.map { $0.isNaN ? nil : $0 != 0 }
    case .text(let x):
      let example = x.enumerated().first { $0.element != nil }
      var message = "\(what) needs TRUE/FALSE values, but "
      if let source = v.source {
        message += "column '\(source)' is text"
        if let (row, value) = example { message += " (row \(row + 1): \"\(value ?? "")\")" }
      } else {
        message += "got text" + (example.map { " (\"\($0.element ?? "")\")" } ?? "")
      }
      return try failType(message, remedy: "compare the text with a value, e.g. x == \"yes\"", v)
    }
  }

  /// Display strings: numbers in shortest round-trip form, logicals as TRUE/FALSE.
  func strings(_ v: Value) -> [String?] {
    switch v.data {
    case .text(let x): return x
    case .numeric(let x): return x.map { $0.isNaN ? nil : formatShortest($0) }
    case .logical(let x): return x.map { $0.map { $0 ? "TRUE" : "FALSE" } }
    }
  }

  func failType<T>(_ message: String, remedy: String?, _ v: Value) throws(DataError) -> T {
    throw DataError(code: "expr-type", message: message, remedy: remedy, column: v.offset + 1)
  }

  /// The "text used as a number" error: names the column, an offending value and its row.
  func textUsedAsNumber(_ v: Value, _ x: [String?], for what: String) -> DataError {
    let bad = x.enumerated().first { item in
      guard let s = item.element else { return false }
      return Array(s.utf8).withUnsafeBufferPointer { parseCSVNumber($0) } == nil
    }
    if let source = v.source {
      var message = "\(what) needs numbers, but column '\(source)' is text"
      var remedy: String
      if let (row, value) = bad, let value {
        message += " (row \(row + 1) is \"\(value)\")"
        let decimalPoint = value.contains(",") ? value.replacingAll(",", with: ".") : ""
        if Array(decimalPoint.utf8).withUnsafeBufferPointer({ parseCSVNumber($0) }) != nil {
          remedy =
            "\"\(value)\" has a decimal comma; save the data with decimal points "
            + "(e.g. 2.5, not 2,5)"
        } else {
          remedy =
            "if \"\(value)\" marks a missing value, add it to the data's na strings "
            + "(e.g. na: [\"\", \"NA\", \"\(value)\"]); otherwise check column '\(source)'"
        }
      } else {
        remedy = "convert it with as_numeric(\(source))"
      }
      return DataError(code: "expr-type", message: message, remedy: remedy, column: v.offset + 1)
    }
    let shown = (bad?.element ?? x.first ?? nil).map { " (\"\($0)\")" } ?? ""
    return DataError(
      code: "expr-type", message: "\(what) needs numbers, but got text\(shown)",
      remedy: "remove the quotes to write a number, or convert with as_numeric()",
      column: v.offset + 1)
  }

  /// How `v` is described in messages: "column 'x' (text)" or "text".
  func describe(_ v: Value) -> String {
    if let s = v.source { return "column '\(s)' (\(v.data.typeName))" }
    return v.data.typeName
  }

  // MARK: operators

  @inline(never)
  func unary(_ op: UnaryOperator, _ operand: Value, offset: Int) throws(DataError) -> Value {
    let a = try single(operand)
    switch op {
    case .negate:
      let x = try numbers(a, for: "'-'")
      return Value(data: .numeric(x.map { -$0 }), shape: a.shape, offset: offset)
    case .plus:
      return Value(data: .numeric(try numbers(a, for: "'+'")), shape: a.shape, offset: offset)
    case .not:
      let x = try bools(a, for: "'!'")
      return Value(data: .logical(x.map { $0.map { !$0 } }), shape: a.shape, offset: offset)
    }
  }

  @inline(never)
  func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, offset: Int) throws(DataError)
    -> Value
  {
    let shape = Self.shape([a, b])
    let what = "'\(op.rawValue)'"
    if op.isArithmetic {
      let x = try numbers(a, for: what)
      let y = try numbers(b, for: what)
      let f: (Double, Double) -> Double
      switch op {
      case .add: f = { $0 + $1 }
      case .subtract: f = { $0 - $1 }
      case .multiply: f = { $0 * $1 }
      case .divide: f = { $0 / $1 }
      case .power: f = rPower
      case .modulo: f = rModulo
      default: f = rIntegerDivide
      }
      return Value(data: .numeric(broadcast(x, y, f)), shape: shape, offset: offset)
    }
    if op == .and || op == .or {
      let x = try bools(a, for: what)
      let y = try bools(b, for: what)
      let r: [Bool?] =
        op == .and
        ? broadcast(x, y) { p, q in
          if p == false || q == false { return false }
          if p == nil || q == nil { return nil }
          return true
        }
        : broadcast(x, y) { p, q in
          if p == true || q == true { return true }
          if p == nil || q == nil { return nil }
          return false
        }
      return Value(data: .logical(r), shape: shape, offset: offset)
    }
    return try compare(op, a, b, shape: shape, offset: offset)
  }

  func compare(_ op: BinaryOperator, _ a: Value, _ b: Value, shape: Value.Shape, offset: Int)
    throws(DataError) -> Value
  {
    if a.isNALiteral || b.isNALiteral {
      let count = max(a.data.count, b.data.count)
      let len = shape == .rows ? n : min(count, 1)
      return Value(
        data: .logical([Bool?](repeating: nil, count: len)), shape: shape, offset: offset)
    }
    let result: [Bool?]
    if a.isText || b.isText {
      guard a.isText && b.isText else {
        let (text, other) = a.isText ? (a, b) : (b, a)
        return try failType(
          "'\(op.rawValue)' compares text with a \(other.data.typeName) value: "
            + "\(describe(text)) and \(describe(other))",
          remedy: "quote the value to compare as text, e.g. x == \"1\", or convert with "
            + "as_numeric()", a.isText ? b : a)
      }
      let x = strings(a)
      let y = strings(b)
      let test: (String, String) -> Bool
      switch op {
      case .equal: test = { $0 == $1 }
      case .notEqual: test = { $0 != $1 }
      case .less: test = { unicodeScalarLess($0, $1) }
      case .lessOrEqual: test = { $0 == $1 || unicodeScalarLess($0, $1) }
      case .greater: test = { unicodeScalarLess($1, $0) }
      default: test = { $0 == $1 || unicodeScalarLess($1, $0) }
      }
      result = broadcast(x, y) { p, q in
        guard let p, let q else { return nil }
        return test(p, q)
      }
    } else {
      let what = "'\(op.rawValue)'"
      let x = try numbers(a, for: what)
      let y = try numbers(b, for: what)
      let test: (Double, Double) -> Bool
      switch op {
      case .equal: test = { $0 == $1 }
      case .notEqual: test = { $0 != $1 }
      case .less: test = { $0 < $1 }
      case .lessOrEqual: test = { $0 <= $1 }
      case .greater: test = { $0 > $1 }
      default: test = { $0 >= $1 }
      }
      result = broadcast(x, y) { p, q in
        if p.isNaN || q.isNaN { return nil }
        return test(p, q)
      }
    }
    return Value(data: .logical(result), shape: shape, offset: offset)
  }

  /// `a %in% b`: whether each value of `a` is among the values of `b`; never missing (a
  /// missing value is in `b` when `b` has a missing value).
  func isIn(_ a: Value, _ b: Value, offset: Int) throws(DataError) -> Value {
    let result: [Bool?]
    if b.isNALiteral && b.data.count == 1 {
      result = (0..<a.data.count).map { a.data.isMissing($0) }
    } else if a.isText || b.isText {
      guard a.isText && b.isText else {
        return try failType(
          "'%in%' compares \(describe(a)) with a set of \(b.data.typeName) values",
          remedy: "use values of the same type on both sides, e.g. x %in% c(\"a\", \"b\")",
          a.isText ? b : a)
      }
      let set = Set(strings(b))
      result = strings(a).map { set.contains($0) }
    } else {
      let y = try numbers(b, for: "'%in%'")
      let set = Set(y.map { $0.isNaN ? Double.nan.bitPattern : ($0 == 0 ? 0 : $0.bitPattern) })
      result = try numbers(a, for: "'%in%'").map { x in
        set.contains(x.isNaN ? Double.nan.bitPattern : (x == 0 ? 0 : x.bitPattern))
      }
    }
    return Value(data: .logical(result), shape: a.shape, offset: offset)
  }
}

/// Applies `f` elementwise; a one-element side broadcasts against the other.
func broadcast<A, B, R>(_ a: [A], _ b: [B], _ f: (A, B) -> R) -> [R] {
  if a.count == b.count {
    var out = [R]()
    out.reserveCapacity(a.count)
    for i in 0..<a.count { out.append(f(a[i], b[i])) }
    return out
  }
  if a.count == 1 {
    let x = a[0]
    return b.map { f(x, $0) }
  }
  if b.count == 1 {
    let y = b[0]
    return a.map { f($0, y) }
  }
  // Unequal lengths cannot arise: values are per-row or scalar.
  return []
}
