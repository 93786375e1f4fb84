import BordinData

// The design matrix of a formula on a table, as R's `model.frame` + `model.matrix`.
//
// Implementation goals, in priority order: (1) R's column names and column order, so that
// coefficient names (`(Intercept)`, `formatindividual`, `months:sexgirl`) match R's;
// (2) R's treatment contrasts and its marginality rule for when a factor in an interaction is
// coded by contrasts or by a full set of indicators; (3) listwise deletion over the model frame,
// reported (rows used, rows dropped) rather than silent.
//
// Reference: Chambers, J. M. & Hastie, T. J. (1992), *Statistical Models in S*, ch. 2.4;
// R's `model.matrix.default` and `TermCode` in src/library/stats/src/model.c.

/// A design matrix with its response, built from a ``Formula`` and a `Table`.
public struct ModelMatrix: Sendable, Equatable {
  /// Evaluates an expression atom's code (`x^2` for `I(x^2)`, or `log(x)`) over every row of the
  /// table, returning one number per row (NaN = missing). The report layer passes its expression
  /// language here; BordinStats never evaluates expressions itself.
  public typealias Evaluator = (String) throws -> [Double]

  /// The n × p design matrix (rows in `rowsUsed` order).
  public var x: Matrix
  /// Column names, as R's `colnames(model.matrix(...))`.
  public var columnNames: [String]
  /// R's `assign`: for each column, 0 for the intercept or the 1-based index of its term.
  public var assign: [Int]
  /// The response over the rows used (nil for a one-sided formula).
  public var response: [Double]?
  /// The formula the matrix was built from.
  public var formula: Formula
  /// Indices (0-based, into the table) of the rows used, in table order.
  public var rowsUsed: [Int]
  /// How many table rows were dropped because a model variable was missing.
  public var rowsDropped: Int
  /// Levels of each factor atom (text or logical column) in the rows used, sorted (in code order
  /// for a value-labelled column, `Table.info[name].levels`); the first is the reference level.
  /// Keyed by atom label.
  public var levels: [String: [String]]
  /// The sum of the `offset(…)` terms over the rows used (a term with its coefficient fixed at 1,
  /// R's `model.offset`), nil without one. Only built when the caller fits offsets
  /// (``build(_:data:evaluate:allowOffset:)``).
  public var offset: [Double]? = nil

  /// The number of rows used.
  public var n: Int { rowsUsed.count }

  /// How a factor coded by contrasts gets its k − 1 columns (R's `contrasts` argument).
  public enum Contrasts: Sendable, Equatable {
    /// `contr.treatment` (R's default): indicators of levels 2…k, named `<variable><level>`.
    case treatment
    /// `contr.sum`: column j is 1 for level j, −1 for the last level, 0 otherwise (j = 1…k − 1),
    /// named `<variable><j>` as R names them; the coefficients sum to zero over the levels
    /// (type 3 sums of squares, `car::Anova`).
    case sum
  }

  /// An evaluator that refuses every expression: for formulas without `I(...)` or calls.
  public static func noExpressions(_ code: String) throws -> [Double] {
    throw StatsError(
      code: "no-evaluator", message: "the expression '\(code)' cannot be evaluated here",
      remedy: "Compute the variable in a data step first.")
  }

  private enum Values {
    case numeric([Double])
    case factor([String?])
    /// Several columns from one atom (`poly(x, 2)`), suffixed 1, 2, … in names.
    case matrix([[Double]])

    func isMissing(_ i: Int) -> Bool {
      switch self {
      case .numeric(let v): return v[i].isNaN
      case .factor(let v): return v[i] == nil
      case .matrix(let m): return m.contains { $0[i].isNaN }
      }
    }
  }

  /// Builds the design matrix of `formula` on `data` with listwise deletion.
  ///
  /// Text and logical columns are factors with treatment contrasts: levels are the distinct
  /// values in the rows used, sorted by Unicode scalar values (R sorts by the locale's collation,
  /// which agrees for ASCII names of one case) or in code order for a value-labelled column
  /// (`Table.info`, as `haven::as_factor`), the first is the reference, and dummy columns are
  /// named `<variable><level>`. In an interaction, a factor is coded by contrasts when the term
  /// without it is also in the model (or is the intercept), and by all its levels otherwise; in a
  /// model without intercept the first factor gets all its levels. Interaction columns vary the
  /// first atom fastest and are named with `:`.
  ///
  /// - Parameters:
  ///   - formula: a parsed formula.
  ///   - data: the table.
  ///   - evaluate: evaluator for expression atoms such as `I(x^2)`.
  ///   - contrasts: the coding of factors coded by contrasts (default treatment); factors coded by
  ///     all their levels are indicators either way.
  /// - Returns: the design matrix, response, rows used and dropped, and factor levels.
  /// - Throws: `StatsError` `unknown-column`, `all-missing`, `too-few-rows`, `one-level-factor`,
  ///   `non-numeric-response`, `bad-expression`, or whatever `evaluate` throws.
  public static func build(
    _ formula: Formula, data: Table, evaluate: Evaluator = ModelMatrix.noExpressions,
    contrasts: Contrasts = .treatment, allowOffset: Bool = false
  ) throws -> ModelMatrix {
    let rowCount = data.rowCount
    var offsetAtoms: Set<Atom> = []
    var values: [Atom: Values] = [:]
    // Levels in a given order (factor() of a numeric column: numeric order, as R).
    var presetLevels: [Atom: [String]] = [:]
    // ordered(): coded by polynomial contrasts (contr.poly) instead of treatment contrasts.
    var polynomialCoded: Set<Atom> = []
    let atoms = formula.atoms
    for atom in atoms {
      switch atom {
      case .variable(let name):
        guard let column = data[name] else {
          throw StatsError(
            code: "unknown-column", message: "column '\(name)' is not in the data",
            remedy: "Available columns: \(data.names.joined(separator: ", ")).")
        }
        switch column {
        case .numeric(let v): values[atom] = .numeric(v)
        case .text(let v): values[atom] = .factor(v)
        case .logical(let v): values[atom] = .factor(v.map { $0.map { $0 ? "TRUE" : "FALSE" } })
        }
        if rowCount > 0, column.missingCount == rowCount {
          throw StatsError(
            code: "all-missing", message: "column '\(name)' has no non-missing values",
            remedy: "Check the column and the missing-value codes of the data source.")
        }
      case .expression(let label, let code):
        if let f = try FormulaFunction.recognise(code) {
          if case .offset(let node) = f, allowOffset {
            guard formula.terms.allSatisfy({ !$0.atoms.contains(atom) || $0.atoms == [atom] }) else {
              throw StatsError(
                code: "unsupported-offset", message: "'\(label)' cannot be part of an interaction",
                remedy: "Add the offset as a term of its own: '+ \(label)'.")
            }
            if formula.responseAtom == atom {
              throw StatsError(code: "unsupported-offset", message: "'\(label)' cannot be the response")
            }
            let v = try numericArgument(node, label: label, data: data, evaluate: evaluate)
            values[atom] = .numeric(v)
            offsetAtoms.insert(atom)
            continue
          }
          let (v, order) = try functionValues(f, label: label, data: data, evaluate: evaluate)
          if case .ordered = f { polynomialCoded.insert(atom) }
          values[atom] = v
          if let order { presetLevels[atom] = order }
          continue
        }
        let v = try evaluate(code)
        guard v.count == rowCount else {
          throw StatsError(
            code: "bad-expression",
            message: "'\(label)' gave \(v.count) values for \(rowCount) rows")
        }
        values[atom] = .numeric(v)
      }
    }

    let used = (0..<rowCount).filter { i in atoms.allSatisfy { values[$0]?.isMissing(i) == false } }
    if used.isEmpty {
      throw StatsError(
        code: "too-few-rows",
        message: "no row is complete on \(atoms.map { "'\($0.label)'" }.joined(separator: ", "))",
        remedy: "Check the missing values of these variables.")
    }

    // Response.
    var response: [Double]? = nil
    if let r = formula.responseAtom {
      guard case .numeric(let v)? = values[r] else {
        throw StatsError(
          code: "non-numeric-response", message: "the response '\(r.label)' is not numeric",
          remedy: "Use a numeric outcome, or recode it in a data step.")
      }
      response = used.map { v[$0] }
    }

    // Factor levels over the rows used.
    var levels: [String: [String]] = [:]
    var codes: [Atom: [Int]] = [:]
    for t in formula.terms {
      for a in t.atoms where levels[a.label] == nil {
        guard case .factor(let v)? = values[a] else { continue }
        let present = Set(used.compactMap { v[$0] })
        var lv = present.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        // A value-labelled column read from SPSS/Stata/SAS: levels in code order (haven::as_factor).
        if case .variable(let name) = a, let order = data.info[name]?.levels {
          let declared = order.filter { present.contains($0) }
          lv = declared + lv.filter { !Set(declared).contains($0) }
        }
        if let order = presetLevels[a] { lv = order.filter { present.contains($0) } }
        if lv.count < 2 {
          throw StatsError(
            code: "one-level-factor",
            message: "factor '\(a.label)' has only one level ('\(lv.first ?? "")') in the rows used",
            remedy: "A factor needs at least two levels; remove it or check the filter.")
        }
        levels[a.label] = lv
        let index = Dictionary(uniqueKeysWithValues: lv.enumerated().map { ($1, $0) })
        codes[a] = used.map { index[v[$0] ?? ""] ?? 0 }
      }
    }

    // Coding: contrasts (false) or full indicators (true), per (term, atom).
    let termSets = formula.terms.map { Set($0.atoms) }
    var full: [[Bool]] = formula.terms.enumerated().map { (ti, t) in
      t.atoms.map { a in
        guard codes[a] != nil else { return false }
        let rest = termSets[ti].subtracting([a])
        if rest.isEmpty { return false }
        return !termSets.contains(rest)
      }
    }
    if !formula.intercept {
      search: for (ti, t) in formula.terms.enumerated() {
        for (ai, a) in t.atoms.enumerated() where codes[a] != nil {
          full[ti][ai] = true
          break search
        }
      }
    }

    let n = used.count
    var columns: [[Double]] = []
    var names: [String] = []
    var assign: [Int] = []
    if formula.intercept {
      columns.append([Double](repeating: 1, count: n))
      names.append("(Intercept)")
      assign.append(0)
    }
    var skippedTerms = 0
    for (ti, t) in formula.terms.enumerated() {
      if t.atoms.count == 1, offsetAtoms.contains(t.atoms[0]) {
        skippedTerms += 1  // R's assign and term labels leave offsets out
        continue
      }
      // Per atom: its columns (name, values).
      var parts: [[(String, [Double])]] = []
      for (ai, a) in t.atoms.enumerated() {
        if let c = codes[a], let lv = levels[a.label], polynomialCoded.contains(a), !full[ti][ai] {
          let poly = try FormulaFunction.polynomialContrasts(levels: lv.count)
          parts.append(
            zip(poly.columns, poly.suffixes).map { col, suffix in (a.label + suffix, c.map { col[$0] }) })
        } else if let c = codes[a], let lv = levels[a.label], contrasts == .sum, !full[ti][ai] {
          let last = lv.count - 1
          parts.append(
            (0..<last).map { k in (a.label + String(k + 1), c.map { $0 == k ? 1 : $0 == last ? -1 : 0 }) })
        } else if let c = codes[a], let lv = levels[a.label] {
          let start = full[ti][ai] ? 0 : 1
          parts.append(
            (start..<lv.count).map { k in (a.label + lv[k], c.map { $0 == k ? 1 : 0 }) })
        } else if case .numeric(let v)? = values[a] {
          parts.append([(a.label, used.map { v[$0] })])
        } else if case .matrix(let m)? = values[a] {
          parts.append(m.enumerated().map { (j, col) in (a.label + String(j + 1), used.map { col[$0] }) })
        }
      }
      // Cartesian product, first atom varying fastest.
      var combos: [(String, [Double])] = [("", [Double](repeating: 1, count: n))]
      for (k, part) in parts.enumerated() {
        var next: [(String, [Double])] = []
        for p in part {
          for c in combos {
            next.append(
              (k == 0 ? p.0 : c.0 + ":" + p.0, zip(c.1, p.1).map { $0 * $1 }))
          }
        }
        combos = next
      }
      for c in combos {
        names.append(c.0)
        columns.append(c.1)
        assign.append(ti + 1 - skippedTerms)
      }
    }
    let x = columns.isEmpty ? Matrix(rows: n, cols: 0) : Matrix(columns: columns)
    var offset: [Double]? = nil
    for a in atoms where offsetAtoms.contains(a) {
      guard case .numeric(let v)? = values[a] else { continue }
      let o = used.map { v[$0] }
      offset = offset.map { zip($0, o).map(+) } ?? o
    }
    return ModelMatrix(
      x: x, columnNames: names, assign: assign, response: response, formula: formula,
      rowsUsed: used, rowsDropped: rowCount - n, levels: levels, offset: offset)
  }

  /// A function argument's values: a column (text and logical columns as factors) or a
  /// numeric expression through the evaluator.
  private static func variableValues(_ node: Node, label: String, data: Table, evaluate: Evaluator) throws -> Values {
    if case .name(let n) = node.kind, let column = data[n] {
      switch column {
      case .numeric(let v): return .numeric(v)
      case .text(let v): return .factor(v)
      case .logical(let v): return .factor(v.map { $0.map { $0 ? "TRUE" : "FALSE" } })
      }
    }
    if case .name(let n) = node.kind {
      throw StatsError(
        code: "unknown-column", message: "column '\(n)' (in \(label)) is not in the data",
        remedy: "Available columns: \(data.names.joined(separator: ", ")).")
    }
    let v = try evaluate(node.deparsed)
    guard v.count == data.rowCount else {
      throw StatsError(code: "bad-expression", message: "'\(label)' gave \(v.count) values for \(data.rowCount) rows")
    }
    return .numeric(v)
  }

  private static func numericArgument(_ node: Node, label: String, data: Table, evaluate: Evaluator) throws -> [Double] {
    guard case .numeric(let v) = try variableValues(node, label: label, data: data, evaluate: evaluate) else {
      throw StatsError(code: "bad-expression", message: "'\(label)' needs a numeric variable")
    }
    return v
  }

  /// The values of `factor(…)`, `poly(…, d)` atoms over every row (R evaluates them on the whole
  /// data before deleting incomplete rows, so poly's columns depend on every row, as in R).
  /// `factor` of a numeric variable gives levels in numeric order (R's `factor`), of a text
  /// column its values. `offset(…)` is refused: the models built on this matrix have no
  /// fixed-coefficient term.
  private static func functionValues(
    _ f: FormulaFunction, label: String, data: Table, evaluate: Evaluator
  ) throws -> (Values, [String]?) {
    func argument(_ node: Node) throws -> Values { try variableValues(node, label: label, data: data, evaluate: evaluate) }
    switch f {
    case .factor(let node), .ordered(let node):
      switch try argument(node) {
      case .numeric(let v):
        let order = Set(v.filter { !$0.isNaN }).sorted().map(formatShortest)
        return (.factor(v.map { $0.isNaN ? nil : formatShortest($0) }), order)
      case let other:
        return (other, nil)
      }
    case .poly(let node, let degree):
      guard case .numeric(let v) = try argument(node) else {
        throw StatsError(
          code: "bad-expression", message: "'\(label)': poly() needs a numeric variable",
          remedy: "Use a numeric column; a categorical one is a factor.")
      }
      return (.matrix(try FormulaFunction.orthogonalPolynomials(v, degree: degree, label: label)), nil)
    case .offset:
      throw StatsError(
        code: "unsupported-offset",
        message: "'\(label)': offset() (a term with its coefficient fixed at 1) is supported in regress and glm only",
        remedy: "Leave it out of this model (for a linear model, subtract it from the outcome in a data step).")
    }
  }

  /// Parses `formula` and builds its design matrix. See ``build(_:data:evaluate:)``.
  /// - Throws: ``FormulaError`` for syntax errors, `StatsError` for data problems.
  public static func build(
    _ formula: String, data: Table, evaluate: Evaluator = ModelMatrix.noExpressions,
    allowOffset: Bool = false
  ) throws -> ModelMatrix {
    try build(try Formula.parse(formula), data: data, evaluate: evaluate, allowOffset: allowOffset)
  }
}
