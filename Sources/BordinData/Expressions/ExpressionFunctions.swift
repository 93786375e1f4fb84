import Foundation

/// The functions of the expression language.
///
/// Elementwise functions work row by row and broadcast scalars. Grouped functions (marked
/// ``Signature/grouped``) work within the evaluation's groups: the summaries `min`, `max`,
/// `sum`, `mean`, `sd`, `median` and `n` give one value per group, repeated on each of its rows;
/// they **ignore missing values** (like `na.rm = TRUE`), and give `NA` when a group has no
/// values (`sum` gives 0; `sd` needs two values). `scale`, `lag`, `lead`, `row_number` and
/// `cumsum` follow the group's row order (`order`). Applied to a single literal, a summary sees
/// that one value, as in R (`sum(1)` is 1).
///
/// `paste` and `paste0` write missing values as `NA`, as R does. `as_numeric` gives `NA` for text
/// that is not a number. `round` follows R ≥ 4.0. R's dotted spellings `is.na`, `as.numeric`,
/// `as.character` and `ifelse` are accepted as aliases.
public enum ExpressionFunctions {
  /// One function's name, arity and documentation.
  public struct Signature: Sendable, Equatable {
    /// The name used in expressions.
    public let name: String
    /// The fewest arguments accepted.
    public let minimumArguments: Int
    /// The most arguments accepted; nil when any number is.
    public let maximumArguments: Int?
    /// How a call is written, e.g. `lag(x, k = 1)`.
    public let usage: String
    /// One sentence on what it computes.
    public let summary: String
    /// Whether the function works within groups (and row order) rather than row by row.
    public let grouped: Bool
  }

  /// Every function, in documentation order.
  public static let all: [Signature] = [
    .init("if_else", 3, 3, "if_else(condition, true, false)", "value by condition; NA condition gives NA"),
    .init("is_na", 1, 1, "is_na(x)", "whether each value is missing (never NA)"),
    .init("coalesce", 1, nil, "coalesce(x, y, ...)", "the first non-missing value"),
    .init("abs", 1, 1, "abs(x)", "absolute value"),
    .init("sqrt", 1, 1, "sqrt(x)", "square root (negative values give NaN, i.e. NA)"),
    .init("exp", 1, 1, "exp(x)", "exponential"),
    .init("log", 1, 2, "log(x, base = e)", "logarithm, natural unless a base is given"),
    .init("log10", 1, 1, "log10(x)", "base-10 logarithm"),
    .init("log2", 1, 1, "log2(x)", "base-2 logarithm"),
    .init("round", 1, 2, "round(x, digits = 0)", "rounding as R 4 (halves to even)"),
    .init("floor", 1, 1, "floor(x)", "largest integer not above x"),
    .init("ceiling", 1, 1, "ceiling(x)", "smallest integer not below x"),
    .init("pmin", 1, nil, "pmin(x, y, ...)", "row-wise minimum (NA if any is NA)"),
    .init("pmax", 1, nil, "pmax(x, y, ...)", "row-wise maximum (NA if any is NA)"),
    .init("as_numeric", 1, 1, "as_numeric(x)", "numbers from text (non-numbers give NA)"),
    .init("as_character", 1, 1, "as_character(x)", "text from values"),
    .init("nchar", 1, 1, "nchar(x)", "number of characters (Unicode code points)"),
    .init("paste", 1, nil, "paste(x, y, ...)", "join values with a space"),
    .init("paste0", 1, nil, "paste0(x, y, ...)", "join values with nothing between"),
    .init("c", 1, nil, "c(a, b, ...)", "a set of values, for x %in% c(...)"),
    .init("n", 0, 1, "n() or n(x)", "rows in the group, or non-missing values of x", grouped: true),
    .init("sum", 1, 1, "sum(x)", "group sum of non-missing values", grouped: true),
    .init("mean", 1, 1, "mean(x)", "group mean of non-missing values", grouped: true),
    .init("sd", 1, 1, "sd(x)", "group standard deviation (n - 1) of non-missing values", grouped: true),
    .init("median", 1, 1, "median(x)", "group median of non-missing values", grouped: true),
    .init("min", 1, 1, "min(x)", "group minimum of non-missing values", grouped: true),
    .init("max", 1, 1, "max(x)", "group maximum of non-missing values", grouped: true),
    .init("scale", 1, 1, "scale(x)", "z-score within the group", grouped: true),
    .init("lag", 1, 2, "lag(x, k = 1)", "value k rows earlier in the group's order", grouped: true),
    .init("lead", 1, 2, "lead(x, k = 1)", "value k rows later in the group's order", grouped: true),
    .init("row_number", 0, 0, "row_number()", "1, 2, ... within the group's order", grouped: true),
    .init("cumsum", 1, 1, "cumsum(x)", "running sum in the group's order (NA onwards after an NA)", grouped: true),
  ]

  /// R spellings accepted for Bordin's names.
  public static let aliases: [String: String] = [
    "is.na": "is_na", "ifelse": "if_else", "as.numeric": "as_numeric",
    "as.character": "as_character",
  ]

  /// The signature of `name` (or of the function it is an alias of).
  public static func signature(_ name: String) -> Signature? {
    let canonical = aliases[name] ?? name
    return all.first { $0.name == canonical }
  }

  /// The signature of the function called `name`, checked against the argument count.
  ///
  /// - Parameters:
  ///   - offset: the 0-based offset of the call in the expression text, for the error column.
  ///   - columns: column names, to point out a column written like a call.
  /// - Throws: ``DataError`` `expr-unknown-function` (with a "did you mean" suggestion) or
  ///   `expr-arguments`.
  public static func resolve(
    _ rawName: String, arguments count: Int, offset: Int, columns: [String] = []
  ) throws(DataError) -> Signature {
    guard let sig = signature(rawName) else {
      let names = all.map(\.name)
      let suggestion = closestMatch(rawName, in: names + Array(aliases.keys))
      var message = "unknown function '\(rawName)'"
      if let s = suggestion { message += "; did you mean '\(s)'?" }
      if columns.contains(rawName) {
        message += " ('\(rawName)' is a column; a column is not called with brackets)"
      }
      throw DataError(
        code: "expr-unknown-function", message: message,
        remedy: "the functions are " + names.joined(separator: ", "), column: offset + 1)
    }
    if count < sig.minimumArguments || count > (sig.maximumArguments ?? Int.max) {
      let expected: String
      if let maximum = sig.maximumArguments {
        expected =
          maximum == sig.minimumArguments
          ? "\(maximum)" : "\(sig.minimumArguments) to \(maximum)"
      } else {
        expected = "at least \(sig.minimumArguments)"
      }
      throw DataError(
        code: "expr-arguments",
        message: "\(sig.name)() takes \(expected) argument\(expected == "1" ? "" : "s"), "
          + "but was given \(count)",
        remedy: "write \(sig.usage)", column: offset + 1)
    }
    return sig
  }
}

extension ExpressionFunctions.Signature {
  init(
    _ name: String, _ minimum: Int, _ maximum: Int?, _ usage: String, _ summary: String,
    grouped: Bool = false
  ) {
    self.name = name
    minimumArguments = minimum
    maximumArguments = maximum
    self.usage = usage
    self.summary = summary
    self.grouped = grouped
  }
}

extension Evaluator {
  @inline(never)
  func call(_ rawName: String, _ argExpressions: [Expression], offset: Int) throws(DataError)
    -> Value
  {
    let sig = try signature(rawName, arguments: argExpressions.count, offset: offset)
    var args: [Value] = []
    for a in argExpressions {
      let v = try value(a)
      args.append(sig.name == "c" ? v : try single(v))
    }
    return try apply(sig, args, offset: offset)
  }

  /// The signature of the function called `rawName`, checked against the argument count.
  @inline(never)
  func signature(_ rawName: String, arguments count: Int, offset: Int) throws(DataError)
    -> ExpressionFunctions.Signature
  {
    try ExpressionFunctions.resolve(
      rawName, arguments: count, offset: offset, columns: context.table.names)
  }

  /// Computes `sig`'s function on evaluated arguments (kept apart from ``call(_:_:offset:)``,
  /// which recurses, so that the recursive frame stays small).
  @inline(never)
  func apply(_ sig: ExpressionFunctions.Signature, _ args: [Value], offset: Int)
    throws(DataError) -> Value
  {
    let what = "\(sig.name)()"
    switch sig.name {
    case "if_else": return try ifElse(args, offset: offset)
    case "is_na":
      let x = args[0]
      let flags = (0..<x.data.count).map { Optional(x.data.isMissing($0)) }
      return Value(data: .logical(flags), shape: x.shape, offset: offset)
    case "coalesce": return try coalesce(args, offset: offset)
    case "abs": return try map(args[0], what, offset) { abs($0) }
    case "sqrt": return try map(args[0], what, offset) { $0.squareRoot() }
    case "exp": return try map(args[0], what, offset) { Foundation.exp($0) }
    case "log":
      if args.count == 2 {
        return try elementwise(args, what, offset) { v in Foundation.log(v[0]) / Foundation.log(v[1]) }
      }
      return try map(args[0], what, offset) { Foundation.log($0) }
    case "log10": return try map(args[0], what, offset) { Foundation.log10($0) }
    case "log2": return try map(args[0], what, offset) { Foundation.log2($0) }
    case "round":
      if args.count == 2 { return try elementwise(args, what, offset) { rRound($0[0], $0[1]) } }
      return try map(args[0], what, offset) { rRound($0, 0) }
    case "floor": return try map(args[0], what, offset) { $0.rounded(.down) }
    case "ceiling": return try map(args[0], what, offset) { $0.rounded(.up) }
    case "pmin", "pmax":
      let isMin = sig.name == "pmin"
      return try elementwise(args, what, offset) { v in
        var r = v[0]
        for x in v {
          if x.isNaN { return .nan }
          r = isMin ? Swift.min(r, x) : Swift.max(r, x)
        }
        return r
      }
    case "as_numeric":
      let x = args[0]
      let numbers: [Double]
      if case .text(let s) = x.data {
        numbers = s.map { t in
          guard let t else { return .nan }
          return Array(t.utf8).withUnsafeBufferPointer { parseCSVNumber($0) } ?? .nan
        }
      } else {
        numbers = try self.numbers(x, for: what)
      }
      return Value(data: .numeric(numbers), shape: x.shape, offset: offset)
    case "as_character":
      return Value(data: .text(strings(args[0])), shape: args[0].shape, offset: offset)
    case "nchar":
      let counts = strings(args[0]).map { $0.map { Double($0.unicodeScalars.count) } ?? .nan }
      return Value(data: .numeric(counts), shape: args[0].shape, offset: offset)
    case "paste", "paste0":
      let separator = sig.name == "paste" ? " " : ""
      try checkPasteBudget(args, separator: separator, name: sig.name, offset: offset)
      var joined = strings(args[0]).map { $0 ?? "NA" }
      for a in args.dropFirst() {
        joined = broadcast(joined, strings(a)) { $0 + separator + ($1 ?? "NA") }
      }
      return Value(data: .text(joined), shape: Self.shape(args), offset: offset)
    case "c":
      var combined = try unify(args, for: what)
      var set = combined.removeFirst()
      for c in combined { set = set.appending(c) }
      return Value(data: set, shape: .set, offset: offset, isNALiteral: args.allSatisfy(\.isNALiteral))
    default:
      return try groupedCall(sig.name, args, offset: offset)
    }
  }

  /// Fails with `data-too-large` before `paste` builds a value over
  /// ``ExpressionBudget/maxValueBytes`` or a result over ``ExpressionBudget/maxTableBytes``.
  func checkPasteBudget(_ args: [Value], separator: String, name: String, offset: Int) throws(DataError) {
    let parts = args.map(strings)
    let rows = parts.map(\.count).max() ?? 0
    var total = 0
    for i in 0..<rows {
      var n = separator.utf8.count * (parts.count - 1)
      for p in parts where !p.isEmpty { n += p[p.count == 1 ? 0 : min(i, p.count - 1)]?.utf8.count ?? 2 }
      if n > ExpressionBudget.maxValueBytes {
        throw DataError(
          code: "data-too-large",
          message: "\(name)(…) would make a text value of \(ExpressionBudget.describe(n)) in row \(i + 1), more than the limit of \(ExpressionBudget.describe(ExpressionBudget.maxValueBytes))",
          remedy: "text values are limited to keep a report from exhausting memory; check for a value pasted onto itself repeatedly",
          column: offset + 1)
      }
      total += n
      if total > ExpressionBudget.maxTableBytes {
        throw DataError(
          code: "data-too-large",
          message: "\(name)(…) would make more than \(ExpressionBudget.describe(ExpressionBudget.maxTableBytes)) of text",
          remedy: "text in one table is limited to keep a report from exhausting memory", column: offset + 1)
      }
    }
  }

  // MARK: elementwise helpers

  func map(_ x: Value, _ what: String, _ offset: Int, _ f: (Double) -> Double) throws(DataError)
    -> Value
  {
    Value(data: .numeric(try numbers(x, for: what).map(f)), shape: x.shape, offset: offset)
  }

  /// Applies `f` row by row to the numeric values of all `args`, broadcasting scalars.
  func elementwise(_ args: [Value], _ what: String, _ offset: Int, _ f: ([Double]) -> Double)
    throws(DataError) -> Value
  {
    var columns: [[Double]] = []
    for a in args { columns.append(try numbers(a, for: what)) }
    let shape = Self.shape(args)
    let length = shape == .rows ? n : 1
    var out = [Double](repeating: .nan, count: length)
    var row = [Double](repeating: .nan, count: columns.count)
    for r in 0..<length {
      for k in 0..<columns.count { row[k] = columns[k].count == 1 ? columns[k][0] : columns[k][r] }
      out[r] = f(row)
    }
    return Value(data: .numeric(out), shape: shape, offset: offset)
  }

  /// Converts `args` to one common type: text if any is text (then all must be), logical if
  /// all are logical, else numeric. The literal `NA` fits any type.
  func unify(_ args: [Value], for what: String) throws(DataError) -> [Column] {
    let typed = args.filter { !$0.isNALiteral }
    let anyText = typed.contains(where: \.isText)
    if anyText, let other = typed.first(where: { !$0.isText }),
      let text = typed.first(where: \.isText)
    {
      return try failType(
        "\(what) mixes \(describe(text)) with \(describe(other))",
        remedy: "convert with as_character() or as_numeric() so the values have one type", other)
    }
    var out: [Column] = []
    for a in args {
      if anyText {
        out.append(.text(strings(a)))
      } else if typed.allSatisfy(\.isLogical) {
        out.append(.logical(try bools(a, for: what)))
      } else {
        out.append(.numeric(try numbers(a, for: what)))
      }
    }
    return out
  }

  func ifElse(_ args: [Value], offset: Int) throws(DataError) -> Value {
    let condition = try bools(args[0], for: "if_else() condition")
    let branches = try unify([args[1], args[2]], for: "if_else()")
    let shape = Self.shape(args)
    let length = shape == .rows ? n : 1
    let picks: [Int?] = (0..<length).map { r in
      guard let c = condition.count == 1 ? condition[0] : condition[r] else { return nil }
      return c ? 0 : 1
    }
    return Value(data: choose(branches, picks), shape: shape, offset: offset)
  }

  func coalesce(_ args: [Value], offset: Int) throws(DataError) -> Value {
    let columns = try unify(args, for: "coalesce()")
    let shape = Self.shape(args)
    let length = shape == .rows ? n : 1
    let picks: [Int?] = (0..<length).map { r in
      columns.firstIndex { c in !c.isMissing(c.count == 1 ? 0 : r) }
    }
    return Value(data: choose(columns, picks), shape: shape, offset: offset)
  }

  /// Row `r` takes its value from `columns[picks[r]]` (broadcasting one-value columns), or is
  /// missing when `picks[r]` is nil.
  func choose(_ columns: [Column], _ picks: [Int?]) -> Column {
    func at(_ c: Column, _ r: Int) -> Int { c.count == 1 ? 0 : r }
    switch columns[0] {
    case .numeric:
      let v = columns.map { c -> [Double] in if case .numeric(let x) = c { return x } else { return [] } }
      return .numeric(picks.enumerated().map { r, k in k.map { v[$0][at(columns[$0], r)] } ?? .nan })
    case .text:
      let v = columns.map { c -> [String?] in if case .text(let x) = c { return x } else { return [] } }
      return .text(picks.enumerated().map { r, k in k.flatMap { v[$0][at(columns[$0], r)] } })
    case .logical:
      let v = columns.map { c -> [Bool?] in if case .logical(let x) = c { return x } else { return [] } }
      return .logical(picks.enumerated().map { r, k in k.flatMap { v[$0][at(columns[$0], r)] } })
    }
  }
}

extension Column {
  /// This column followed by `other`, which must have the same type.
  func appending(_ other: Column) -> Column {
    switch (self, other) {
    case (.numeric(let a), .numeric(let b)): return .numeric(a + b)
    case (.text(let a), .text(let b)): return .text(a + b)
    case (.logical(let a), .logical(let b)): return .logical(a + b)
    default: return self
    }
  }
}
