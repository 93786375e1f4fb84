// lme4 model formulas: the fixed part plus random-effects terms `(lhs | group)`.
//
// Implementation goals, in priority order: (1) the random terms, their order and their names as
// lme4's `findbars` + `expandDoubleVerts` + `expandSlash` produce them, so that variance
// components and grouping factors are named as in `VarCorr`/`ngrps`; (2) the fixed part handed
// unchanged to ``Formula`` (R's `nobars`), so that fixed-effect names match R's; (3) parse errors
// that point at the offending character.
//
// Reference: Bates, Mächler, Bolker & Walker (2015), Fitting linear mixed-effects models using
// lme4, J. Stat. Softw. 67(1), §2.1 (Table 2: `(1 | g)`, `(x | g)`, `(x || g)`, `(1 | a/b)`);
// lme4's `findbars`, `nobars`, `expandDoubleVerts`, `expandSlash` (R/utilities.R).

/// One random-effects term `(effects | group)` after lme4's expansion of `||` and `/`.
public struct RandomTerm: Sendable, Equatable, CustomStringConvertible {
  /// The one-sided formula of the random-effect columns: `~ 1 + months`, `~ 0 + Days`.
  public var effects: Formula
  /// The variables whose interaction is the grouping factor, in the order of lme4's label
  /// (`["cask", "batch"]` for `cask:batch`; the first varies slowest in the level order).
  public var groupVariables: [String]
  /// lme4's term name, the deparsed bar: `1 + months | child`, `0 + Days | Subject`.
  public var label: String

  public init(effects: Formula, groupVariables: [String], label: String) {
    self.effects = effects
    self.groupVariables = groupVariables
    self.label = label
  }

  /// lme4's grouping-factor name: `child`, `cask:batch`.
  public var group: String {
    groupVariables.map { Node.isSyntactic($0) ? $0 : "`\($0)`" }.joined(separator: ":")
  }

  public var description: String { "(\(label))" }
}

/// A parsed lme4 formula: the fixed-effects ``Formula`` and the random-effects terms.
///
/// `(a + b | g)` is a correlated term; `(a + b || g)` is split as lme4's `expandDoubleVerts`
/// into `(1 | g) + (0 + a | g) + (0 + b | g)`; `(1 | a/b)` is split as lme4's `expandSlash`
/// into `(1 | b:a) + (1 | a)`, and `(1 | a/b/c)` into `(1 | c:b:a) + (1 | b:a) + (1 | a)`;
/// `(1 | a:b)` is one grouping factor, the interaction. Terms keep their formula order here;
/// the fit orders them by decreasing number of levels, as lme4 does.
public struct MixedFormula: Sendable, Equatable, CustomStringConvertible {
  /// The fixed part (R's `nobars`): `y ~ months * sex`; `y ~ 1` when only bars remain.
  public var fixed: Formula
  /// The random-effects terms, expanded, in formula order.
  public var random: [RandomTerm]

  public init(fixed: Formula, random: [RandomTerm]) {
    self.fixed = fixed
    self.random = random
  }

  /// Every data column the formula uses (response, fixed, random effects, grouping), in order
  /// of appearance, without duplicates.
  public var variables: [String] {
    var out = fixed.variables
    for t in random {
      for v in t.effects.variables + t.groupVariables where !out.contains(v) { out.append(v) }
    }
    return out
  }

  public var description: String {
    ([fixed.description] + random.map(\.description)).joined(separator: " + ")
  }

  /// Parses an lme4 formula such as `y ~ wave * x + (1 + wave | patient) + (1 | therapist)`.
  /// - Throws: ``FormulaError`` with the offset of the offending character.
  public static func parse(_ text: String) throws -> MixedFormula {
    var parser = ExpressionParser(text)
    let node = try parser.parseAll()
    guard case .binary("~", let lhs, let rhs) = node.kind else {
      throw FormulaError(
        offset: node.offset, message: "a mixed-model formula needs a response and '~'",
        remedy: "Write it as 'outcome ~ predictors + (1 | group)'.")
    }
    var bars: [Node] = []
    let fixedNode = try split(rhs, &bars)
    let fixedText = lhs.deparsed + " ~ " + (fixedNode?.deparsed ?? "1")
    let fixed: Formula
    do {
      fixed = try Formula.parse(fixedText)
    } catch let e as FormulaError {
      throw FormulaError(offset: fixedNode?.offset ?? rhs.offset, message: e.message, remedy: e.remedy)
    }
    var random: [RandomTerm] = []
    for bar in bars { random += try expand(bar) }
    if random.isEmpty {
      throw FormulaError(
        offset: rhs.offset, message: "no random effects terms specified in formula",
        remedy: "Add a term such as (1 | group), or use a regression for a model without random effects.")
    }
    return MixedFormula(fixed: fixed, random: random)
  }

  private static func isBar(_ node: Node) -> Bool {
    if case .binary(let op, _, _) = node.kind, op == "|" || op == "||" { return true }
    return false
  }

  private static func containsBar(_ node: Node) -> Bool {
    switch node.kind {
    case .binary(let op, let l, let r): return op == "|" || op == "||" || containsBar(l) || containsBar(r)
    case .paren(let e), .unary(_, let e): return containsBar(e)
    case .call(_, let args): return args.contains(where: containsBar)
    default: return false
    }
  }

  /// Removes the bars from a right-hand side (collecting them in order) and returns what is
  /// left of the fixed part, or nil when nothing is.
  private static func split(_ node: Node, _ bars: inout [Node]) throws -> Node? {
    if isBar(node) {
      bars.append(node)
      return nil
    }
    switch node.kind {
    case .paren(let inner):
      if isBar(inner) {
        bars.append(inner)
        return nil
      }
      if containsBar(inner) { return try split(inner, &bars) }
      return node
    case .binary("+", let l, let r):
      let a = try split(l, &bars)
      let b = try split(r, &bars)
      switch (a, b) {
      case (nil, nil): return nil
      case (let a?, nil): return a
      case (nil, let b?): return b
      case (let a?, let b?): return Node(kind: .binary("+", a, b), offset: a.offset)
      }
    case .binary("-", let l, let r):
      if containsBar(r) {
        throw FormulaError(
          offset: r.offset, message: "a random-effects term cannot be subtracted",
          remedy: "Remove the term instead of subtracting it.")
      }
      guard let a = try split(l, &bars) else {
        return Node(kind: .unary("-", r), offset: r.offset)
      }
      return Node(kind: .binary("-", a, r), offset: a.offset)
    default:
      if containsBar(node) {
        throw FormulaError(
          offset: node.offset,
          message: "a random-effects term '(… | …)' can only be added to the formula",
          remedy: "Write random terms as separate summands: y ~ x + (1 | group).")
      }
      return node
    }
  }

  /// lme4's `expandDoubleVerts` then `expandSlash` for one bar.
  private static func expand(_ bar: Node) throws -> [RandomTerm] {
    guard case .binary(let op, let lhs, let rhs) = bar.kind else { return [] }
    let effects: Formula
    do {
      effects = try Formula.parse("~ " + lhs.deparsed)
    } catch let e as FormulaError {
      throw FormulaError(offset: lhs.offset, message: e.message, remedy: e.remedy)
    }
    if let response = effects.response {
      throw FormulaError(
        offset: lhs.offset, message: "unexpected '~' in the random-effects term ('\(response)')")
    }
    // Random-effect column sets, with the text of each as lme4 deparses it.
    var sets: [(Formula, String)] = []
    if op == "||" {
      if effects.intercept {
        sets.append((Formula(responseAtom: nil, terms: [], intercept: true, variables: []), "1"))
      }
      for t in effects.terms {
        let vars = effects.variables.filter { v in t.atoms.contains { atomMentions($0, v) } }
        sets.append(
          (Formula(responseAtom: nil, terms: [t], intercept: false, variables: vars), "0 + " + t.label))
      }
    } else {
      sets.append((effects, lhs.deparsed))
    }
    let groups = try groupingFactors(rhs)
    var out: [RandomTerm] = []
    for (formula, text) in sets {
      for g in groups {
        let name = g.map { Node.isSyntactic($0) ? $0 : "`\($0)`" }.joined(separator: ":")
        out.append(RandomTerm(effects: formula, groupVariables: g, label: text + " | " + name))
      }
    }
    return out
  }

  private static func atomMentions(_ atom: Atom, _ variable: String) -> Bool {
    switch atom {
    case .variable(let n): return n == variable
    case .expression(_, let code): return code.contains(variable)
    }
  }

  /// The grouping factors of a bar's right-hand side, each as the variables of its interaction.
  /// `a/b/c` gives `[c, b, a]`, `[b, a]`, `[a]` (lme4's `makeInteraction` order).
  private static func groupingFactors(_ node: Node) throws -> [[String]] {
    let chain = try slashChain(node)
    var out: [[String]] = []
    for k in stride(from: chain.count, to: 0, by: -1) {
      out.append(chain[0..<k].reversed().flatMap { $0 })
    }
    return out
  }

  private static func slashChain(_ node: Node) throws -> [[String]] {
    switch node.kind {
    case .binary("/", let l, let r):
      return try slashChain(l) + [try interaction(r)]
    case .paren(let e):
      return try slashChain(e)
    default:
      return [try interaction(node)]
    }
  }

  private static func interaction(_ node: Node) throws -> [String] {
    switch node.kind {
    case .name(let n): return [n]
    case .binary(":", let l, let r): return try interaction(l) + interaction(r)
    case .paren(let e): return try interaction(e)
    default:
      throw FormulaError(
        offset: node.offset,
        message: "the grouping factor '\(node.deparsed)' must be a column, an interaction a:b or a nesting a/b",
        remedy: "Create the grouping column in a data step.")
    }
  }
}
