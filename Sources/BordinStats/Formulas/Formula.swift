// R model formulas: `y ~ a + b`, `y ~ a * b`, `a:b`, `(a + b)^2`, `a/b`, `- 1`, `+ 0`, `I(expr)`.
//
// Implementation goals, in priority order: (1) the terms, term order and term labels of R's
// `terms.formula` (so that coefficient names match R's); (2) parse errors that point at the
// character where the problem is; (3) no evaluation here: `I(...)` and other calls are kept as
// expression atoms whose canonical (R-deparsed) text is handed to an evaluator by the
// model-matrix builder.
//
// Reference: Chambers, J. M. & Hastie, T. J. (1992), *Statistical Models in S*, ch. 2
// (Wilkinson–Rogers notation); R's `terms.formula` (src/library/stats/src/model.c).

/// One factor of a term: a data column, or a call such as `I(x^2)` or `log(x)` evaluated
/// through an expression hook.
public enum Atom: Sendable, Hashable {
  /// A column of the data, by name.
  case variable(String)
  /// A call. `label` is R's deparsed text (`I(x * y)`), used in term and coefficient names;
  /// `code` is what the evaluator receives: the argument of `I(...)` (`x * y`), or the whole
  /// call for other functions (`log(x + 1)`).
  case expression(label: String, code: String)

  /// The name R gives this variable in the model frame (non-syntactic names in backquotes,
  /// as R's term labels: `` `my var` ``).
  public var label: String {
    switch self {
    case .variable(let name): return Node.isSyntactic(name) ? name : "`\(name)`"
    case .expression(let label, _): return label
    }
  }
}

/// A model term: an interaction of one or more atoms (a main effect has one).
public struct Term: Sendable, Hashable, CustomStringConvertible {
  /// The atoms, in the order of their first appearance in the formula (R's variable order).
  public var atoms: [Atom]

  public init(atoms: [Atom]) { self.atoms = atoms }

  /// R's term label: atom labels joined by `:` (`months:sex`).
  public var label: String { atoms.map(\.label).joined(separator: ":") }

  /// The interaction order (1 for main effects).
  public var order: Int { atoms.count }

  public var description: String { label }
}

/// A parse or interpretation error in a formula, with the character offset (0-based, in
/// Swift `Character`s) where the problem starts.
public struct FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
  public var offset: Int
  public var message: String
  public var remedy: String

  public init(offset: Int, message: String, remedy: String = "") {
    self.offset = offset
    self.message = message
    self.remedy = remedy
  }

  public var description: String {
    "at offset \(offset): \(message)" + (remedy.isEmpty ? "" : ". \(remedy)")
  }
}

/// A parsed R model formula.
///
/// Terms are expanded and ordered as R's `terms.formula` does: `a * b` is `a + b + a:b`,
/// `(a + b)^2` is `a + b + a:b`, `a / b` is `a + a:b`, `a %in% b` is `a:b`; duplicates are
/// removed (`a:b` = `b:a`); `- 1`, `+ 0` and `0 +` remove the intercept, `+ 1` restores it;
/// `- term` removes a term. Terms are then sorted by interaction order (main effects first),
/// keeping formula order within an order. Within a term, atoms follow their first appearance in
/// the formula, so `y ~ b:a + a` has the terms `a` and `b:a`, as in R.
///
/// `factor()`, `poly()` (and `offset()`, refused) are handled by the model-matrix builder (see
/// `FormulaFunction`). Not supported: `.`, `Error()`, `||`/`|` random-effect bars (see the mixed-model
/// parser), and `-` applied to interactions that were never added.
public struct Formula: Sendable, Equatable, CustomStringConvertible {
  /// The left-hand side, or nil for a one-sided formula `~ x`.
  public var responseAtom: Atom?
  /// Right-hand-side terms in R's order.
  public var terms: [Term]
  /// Whether the model has an intercept (`(Intercept)`).
  public var intercept: Bool
  /// Data column names referenced anywhere (R's `all.vars`), response first, in order of
  /// appearance; names inside calls are included, function names are not.
  public var variables: [String]

  public init(responseAtom: Atom?, terms: [Term], intercept: Bool, variables: [String]) {
    self.responseAtom = responseAtom
    self.terms = terms
    self.intercept = intercept
    self.variables = variables
  }

  /// The response label (`ext_post`, or `log(y)`), nil for a one-sided formula.
  public var response: String? { responseAtom?.label }

  /// All atoms (response first, then those of the terms) without duplicates, in order.
  public var atoms: [Atom] {
    var out: [Atom] = []
    if let r = responseAtom { out.append(r) }
    for t in terms { for a in t.atoms where !out.contains(a) { out.append(a) } }
    return out
  }

  /// The canonical text, e.g. `y ~ a + b + a:b`, `y ~ x - 1`.
  public var description: String {
    var rhs = terms.map(\.label)
    if rhs.isEmpty { rhs = [intercept ? "1" : "0"] } else if !intercept { rhs.append("- 1") }
    let r = rhs.enumerated().map { $0.offset == 0 || $0.element.hasPrefix("- ") ? $0.element : "+ " + $0.element }
    return (response.map { "\($0) " } ?? "") + "~ " + r.joined(separator: " ")
  }

  /// Parses an R formula.
  /// - Throws: ``FormulaError`` with the offset of the offending character.
  public static func parse(_ text: String) throws -> Formula {
    var parser = ExpressionParser(text)
    let node = try parser.parseAll()
    guard case .binary("~", let lhs, let rhs) = node.kind else {
      if case .unary("~", let rhs) = node.kind { return try interpret(lhs: nil, rhs: rhs) }
      throw FormulaError(
        offset: node.offset, message: "a formula needs '~'",
        remedy: "Write it as 'outcome ~ predictor1 + predictor2'.")
    }
    return try interpret(lhs: lhs, rhs: rhs)
  }

  // MARK: interpretation (terms.formula)

  private struct TermSet {
    var terms: [[Int]] = []
    var intercept: Bool? = nil

    mutating func add(_ t: [Int]) { if !terms.contains(t) { terms.append(t) } }
  }

  private final class Registry {
    var atoms: [Atom] = []
    func index(_ a: Atom) -> Int {
      if let i = atoms.firstIndex(of: a) { return i }
      atoms.append(a)
      return atoms.count - 1
    }
  }

  private static func interpret(lhs: Node?, rhs: Node) throws -> Formula {
    let registry = Registry()
    var variables: [String] = []
    if let lhs { register(lhs, registry, &variables) }
    register(rhs, registry, &variables)

    var response: Atom? = nil
    if let lhs {
      guard let a = atom(lhs) else {
        throw FormulaError(
          offset: lhs.offset, message: "the response must be a variable or a call",
          remedy: "Compute a combined outcome in a data step, or use I(...).")
      }
      response = a
    }
    let set = try terms(rhs, registry)
    var sorted = set.terms.map { $0.sorted() }
    sorted = sorted.enumerated().sorted {
      ($0.element.count, $0.offset) < ($1.element.count, $1.offset)
    }.map(\.element)
    let terms = sorted.map { Term(atoms: $0.map { registry.atoms[$0] }) }
    if let response, terms.contains(where: { $0.atoms.contains(response) }) {
      throw FormulaError(
        offset: rhs.offset,
        message: "the response '\(response.label)' also appears on the right-hand side",
        remedy: "Remove it from the predictors.")
    }
    return Formula(
      responseAtom: response, terms: terms, intercept: set.intercept ?? true, variables: variables)
  }

  /// Records atoms and variable names in order of appearance (R's variable order).
  private static func register(_ node: Node, _ registry: Registry, _ variables: inout [String]) {
    switch node.kind {
    case .name(let n):
      _ = registry.index(.variable(n))
      if !variables.contains(n) { variables.append(n) }
    case .call:
      if let a = atom(node) { _ = registry.index(a) }
      collectNames(node, &variables)
    case .number, .string: break
    case .paren(let e), .unary(_, let e): register(e, registry, &variables)
    case .binary(_, let l, let r):
      register(l, registry, &variables)
      register(r, registry, &variables)
    }
  }

  private static func collectNames(_ node: Node, _ variables: inout [String]) {
    switch node.kind {
    case .name(let n): if !variables.contains(n) { variables.append(n) }
    case .call(_, let args): for a in args { collectNames(a, &variables) }
    case .number, .string: break
    case .paren(let e), .unary(_, let e): collectNames(e, &variables)
    case .binary(_, let l, let r):
      collectNames(l, &variables)
      collectNames(r, &variables)
    }
  }

  private static func atom(_ node: Node) -> Atom? {
    switch node.kind {
    case .name(let n): return .variable(n)
    case .call(let f, let args):
      let label = node.deparsed
      if f == "I", args.count == 1 { return .expression(label: label, code: args[0].deparsed) }
      return .expression(label: label, code: label)
    default: return nil
    }
  }

  private static func terms(_ node: Node, _ reg: Registry) throws -> TermSet {
    switch node.kind {
    case .name(let n):
      if n == "." {
        throw FormulaError(
          offset: node.offset, message: "'.' (all other columns) is not supported",
          remedy: "List the predictors explicitly.")
      }
      return TermSet(terms: [[reg.index(.variable(n))]])
    case .call:
      guard let a = atom(node) else { fatalError("unreachable: calls are atoms") }
      return TermSet(terms: [[reg.index(a)]])
    case .paren(let e):
      return try terms(e, reg)
    case .number(let v, _):
      if v == 0 { return TermSet(terms: [], intercept: false) }
      if v == 1 { return TermSet(terms: [], intercept: true) }
      throw FormulaError(
        offset: node.offset, message: "the number \(node.deparsed) is not a term",
        remedy: "Only 1 (intercept) and 0 (no intercept) may appear as terms; use I(...) for arithmetic.")
    case .string:
      throw FormulaError(offset: node.offset, message: "a string is not a term")
    case .unary("+", let e):
      return try terms(e, reg)
    case .unary("-", let e):
      let inner = try terms(e, reg)
      var out = TermSet()
      if let i = inner.intercept { out.intercept = !i }
      return out
    case .unary(let op, _):
      throw operatorError(op, node.offset)
    case .binary(let op, let l, let r):
      switch op {
      case "+":
        var a = try terms(l, reg)
        let b = try terms(r, reg)
        for t in b.terms { a.add(t) }
        if let i = b.intercept { a.intercept = i }
        return a
      case "-":
        var a = try terms(l, reg)
        let b = try terms(r, reg)
        a.terms.removeAll { b.terms.contains($0) }
        if let i = b.intercept { a.intercept = !i }
        return a
      case "*":
        let a = try termsOnly(l, reg, op)
        let b = try termsOnly(r, reg, op)
        var out = TermSet()
        for t in a.terms { out.add(t) }
        for t in b.terms { out.add(t) }
        for t in try cross(a.terms, b.terms) { out.add(t) }
        return out
      case ":", "%in%":
        let a = try termsOnly(l, reg, op)
        let b = try termsOnly(r, reg, op)
        var out = TermSet()
        for t in try cross(a.terms, b.terms) { out.add(t) }
        return out
      case "/":
        let a = try termsOnly(l, reg, op)
        let b = try termsOnly(r, reg, op)
        var out = TermSet()
        for t in a.terms { out.add(t) }
        let all = Array(Set(a.terms.flatMap { $0 })).sorted()
        for t in try cross([all], b.terms) { out.add(t) }
        return out
      case "^":
        let a = try termsOnly(l, reg, op)
        guard case .number(let k, _) = r.kind, k >= 1, k == k.rounded(), k <= 16 else {
          throw FormulaError(
            offset: r.offset, message: "the power of a term list must be a positive integer",
            remedy: "Write (a + b)^2 for all main effects and two-way interactions; use I(x^2) for a squared predictor.")
        }
        var out = TermSet()
        for t in a.terms { out.add(t) }
        if k >= 2 {
          for _ in 2...Int(k) {
            let prev = out.terms
            for t in try cross(prev, a.terms) { out.add(t) }
          }
        }
        return out
      case "~":
        throw FormulaError(offset: node.offset, message: "a formula can have only one '~'")
      default:
        throw operatorError(op, node.offset)
      }
    }
  }

  private static func termsOnly(_ node: Node, _ reg: Registry, _ op: String) throws -> TermSet {
    let s = try terms(node, reg)
    if s.intercept != nil {
      throw FormulaError(
        offset: node.offset, message: "the intercept (0 or 1) cannot be used with '\(op)'")
    }
    return s
  }

  /// Most terms a formula may expand to: `a*b*c*…` doubles the terms with every factor, so an
  /// unbounded expansion could exhaust memory (found by fuzzing); R formulas stay far below.
  static let maxTerms = 1024

  private static func cross(_ a: [[Int]], _ b: [[Int]]) throws -> [[Int]] {
    guard a.count * b.count <= maxTerms * 8 else { throw tooManyTerms() }
    var out: [[Int]] = []
    for x in a {
      for y in b {
        let t = Array(Set(x + y)).sorted()
        if !out.contains(t) { out.append(t) }
      }
    }
    guard out.count <= maxTerms else { throw tooManyTerms() }
    return out
  }

  private static func tooManyTerms() -> FormulaError {
    FormulaError(offset: 0, message: "the formula expands to more than \(maxTerms) terms",
                 remedy: "Write the interactions you need explicitly (a:b) instead of long products (a*b*c*…).")
  }

  private static func operatorError(_ op: String, _ offset: Int) -> FormulaError {
    FormulaError(
      offset: offset, message: "the operator '\(op)' has no meaning between formula terms",
      remedy: "Wrap arithmetic in I(...), e.g. I(x \(op) y).")
  }
}

// MARK: - R expression syntax (parse + deparse)

/// A node of an R expression, with the character offset where it starts.
struct Node: Sendable, Equatable {
  indirect enum Kind: Sendable, Equatable {
    case name(String)
    case number(Double, String)
    case string(String)
    case call(String, [Node])
    case paren(Node)
    case unary(String, Node)
    case binary(String, Node, Node)
  }

  var kind: Kind
  var offset: Int

  /// The text R's `deparse` produces: spaces around binary operators except `^` and `:`,
  /// `f(a, b)` for calls, numbers in shortest form (`2.0` → `2`).
  var deparsed: String {
    switch kind {
    case .name(let n): return Node.isSyntactic(n) ? n : "`\(n)`"
    case .number(let v, let text):
      if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
      return v.isFinite ? "\(v)" : text
    case .string(let s):
      return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"") + "\""
    case .call(let f, let args):
      return (Node.isSyntactic(f) ? f : "`\(f)`") + "(" + args.map(\.deparsed).joined(separator: ", ") + ")"
    case .paren(let e): return "(" + e.deparsed + ")"
    case .unary(let op, let e): return op + e.deparsed
    case .binary(let op, let l, let r):
      if op == "^" || op == ":" { return l.deparsed + op + r.deparsed }
      return l.deparsed + " " + op + " " + r.deparsed
    }
  }

  static func isSyntactic(_ n: String) -> Bool {
    guard let first = n.first, first.isLetter || first == "." else { return false }
    if first == ".", n.count > 1, n.dropFirst().first?.isNumber == true { return false }
    return n.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }
  }
}

/// A Pratt parser for the subset of R's expression grammar that formulas use, with R's
/// operator precedence (`?Syntax`): `^` > unary `-`/`+` > `:` > `%any%` > `*` `/` > `+` `-` >
/// comparisons > `!` > `&` `&&` > `|` `||` > `~`.
struct ExpressionParser {
  private enum Token: Equatable {
    case name(String)
    case number(Double, String)
    case string(String)
    case op(String)
    case lparen, rparen, comma, end
  }

  private let chars: [Character]
  private var tokens: [(Token, Int)] = []
  private var pos = 0
  private var lexError: FormulaError?

  init(_ text: String) {
    chars = Array(text)
    do { tokens = try lex() } catch let e as FormulaError { lexError = e } catch {}
  }

  mutating func parseAll() throws -> Node {
    if let lexError { throw lexError }
    if case .end = peek.0 {
      throw FormulaError(offset: 0, message: "the formula is empty")
    }
    let n = try parse(0)
    if peek.0 != .end {
      throw FormulaError(offset: peek.1, message: "unexpected \(describe(peek.0))")
    }
    return n
  }

  private var peek: (Token, Int) { tokens[pos] }

  private mutating func advance() -> (Token, Int) {
    let t = tokens[pos]
    if pos < tokens.count - 1 { pos += 1 }
    return t
  }

  private func describe(_ t: Token) -> String {
    switch t {
    case .name(let n): return "name '\(n)'"
    case .number(_, let s): return "number \(s)"
    case .string(let s): return "string \"\(s)\""
    case .op(let o): return "'\(o)'"
    case .lparen: return "'('"
    case .rparen: return "')'"
    case .comma: return "','"
    case .end: return "end of formula"
    }
  }

  /// Left binding power and right-associativity of a binary operator.
  private func binary(_ op: String) -> (Int, Bool)? {
    switch op {
    case "~": return (10, false)
    case "|", "||": return (20, false)
    case "&", "&&": return (30, false)
    case "<", ">", "<=", ">=", "==", "!=": return (50, false)
    case "+", "-": return (60, false)
    case "*", "/": return (70, false)
    case ":": return (90, false)
    case "^": return (110, true)
    default: return op.hasPrefix("%") ? (80, false) : nil
    }
  }

  private mutating func parse(_ minBP: Int) throws -> Node {
    var lhs = try prefix()
    while case .op(let op) = peek.0, let (bp, right) = binary(op), bp >= minBP {
      _ = advance()
      let rhs = try parse(right ? bp : bp + 1)
      lhs = Node(kind: .binary(op, lhs, rhs), offset: lhs.offset)
    }
    return lhs
  }

  private mutating func prefix() throws -> Node {
    let (tok, offset) = advance()
    switch tok {
    case .name(let n):
      if peek.0 == .lparen {
        _ = advance()
        var args: [Node] = []
        if peek.0 != .rparen {
          while true {
            args.append(try parse(0))
            if peek.0 == .comma { _ = advance(); continue }
            break
          }
        }
        guard peek.0 == .rparen else {
          throw FormulaError(
            offset: peek.1, message: "expected ')' to close '\(n)(' but found \(describe(peek.0))")
        }
        _ = advance()
        return Node(kind: .call(n, args), offset: offset)
      }
      return Node(kind: .name(n), offset: offset)
    case .number(let v, let s): return Node(kind: .number(v, s), offset: offset)
    case .string(let s): return Node(kind: .string(s), offset: offset)
    case .lparen:
      let inner = try parse(0)
      guard peek.0 == .rparen else {
        throw FormulaError(offset: peek.1, message: "expected ')' but found \(describe(peek.0))")
      }
      _ = advance()
      return Node(kind: .paren(inner), offset: offset)
    case .op("-"), .op("+"):
      guard case .op(let op) = tok else { fatalError("unreachable") }
      return Node(kind: .unary(op, try parse(100)), offset: offset)
    case .op("!"):
      return Node(kind: .unary("!", try parse(40)), offset: offset)
    case .op("~"):
      return Node(kind: .unary("~", try parse(11)), offset: offset)
    default:
      throw FormulaError(offset: offset, message: "unexpected \(describe(tok))")
    }
  }

  private func lex() throws -> [(Token, Int)] {
    var out: [(Token, Int)] = []
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c.isWhitespace { i += 1; continue }
      let start = i
      if c.isLetter || c == "." || c == "_" {
        if c == ".", i + 1 < chars.count, chars[i + 1].isNumber {
          // a number such as .5
        } else {
          while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "." || chars[i] == "_" {
            i += 1
          }
          out.append((.name(String(chars[start..<i])), start))
          continue
        }
      }
      if c.isNumber || c == "." {
        while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
          var j = i + 1
          if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
          if j < chars.count, chars[j].isNumber {
            i = j
            while i < chars.count, chars[i].isNumber { i += 1 }
          }
        }
        var text = String(chars[start..<i])
        if i < chars.count, chars[i] == "L" { i += 1 }  // R integer suffix
        guard let v = Double(text) else {
          throw FormulaError(offset: start, message: "malformed number '\(text)'")
        }
        if text.hasPrefix(".") { text = "0" + text }
        out.append((.number(v, text), start))
        continue
      }
      switch c {
      case "`":
        guard let close = chars[(i + 1)...].firstIndex(of: "`") else {
          throw FormulaError(offset: i, message: "unterminated backquoted name")
        }
        out.append((.name(String(chars[(i + 1)..<close])), start))
        i = close + 1
      case "\"", "'":
        var j = i + 1
        var s = ""
        while j < chars.count, chars[j] != c {
          if chars[j] == "\\", j + 1 < chars.count { j += 1 }
          s.append(chars[j])
          j += 1
        }
        guard j < chars.count else { throw FormulaError(offset: i, message: "unterminated string") }
        out.append((.string(s), start))
        i = j + 1
      case "(": out.append((.lparen, start)); i += 1
      case ")": out.append((.rparen, start)); i += 1
      case ",": out.append((.comma, start)); i += 1
      case "%":
        guard let close = chars[(i + 1)...].firstIndex(of: "%") else {
          throw FormulaError(offset: i, message: "unterminated %operator%")
        }
        out.append((.op(String(chars[i...close])), start))
        i = close + 1
      case "*":
        if i + 1 < chars.count, chars[i + 1] == "*" { out.append((.op("^"), start)); i += 2 }
        else { out.append((.op("*"), start)); i += 1 }
      case "<", ">", "=", "!":
        if i + 1 < chars.count, chars[i + 1] == "=" {
          out.append((.op(String(c) + "="), start))
          i += 2
        } else if c == "=" {
          throw FormulaError(offset: i, message: "'=' is not allowed in a formula", remedy: "Use '==' to compare.")
        } else {
          out.append((.op(String(c)), start))
          i += 1
        }
      case "&", "|":
        if i + 1 < chars.count, chars[i + 1] == c {
          out.append((.op(String(c) + String(c)), start))
          i += 2
        } else {
          out.append((.op(String(c)), start))
          i += 1
        }
      case "~", "+", "-", "/", ":", "^":
        out.append((.op(String(c)), start))
        i += 1
      default:
        throw FormulaError(offset: i, message: "unexpected character '\(c)'")
      }
    }
    out.append((.end, chars.count))
    return out
  }
}
