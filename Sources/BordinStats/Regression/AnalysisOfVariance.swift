import BordinData

// Analysis of variance and covariance of a linear model with type 2 or type 3 sums of squares,
// as `car::Anova` on an `lm` fit, with partial η² as `effectsize::eta_squared(partial = TRUE)`.
//
// Implementation goals, in priority order: (1) car's numbers to 1e-8 relative, for balanced
// and unbalanced designs, factors and covariates (ANCOVA); (2) no silent trouble: an empty cell
// of a type 3 interaction, aliased terms and too few rows are typed errors; (3) one OLS engine:
// every fit is `Regression.fit`, every sum of squares a Wald quadratic form on its coefficients.
//
// Reference: Fox, J. & Weisberg, S. (2019), *An R Companion to Applied Regression* (3rd ed.),
// §5.3.4 (`car::Anova`, `Anova.II.lm`, `Anova.III.lm`); Langsrud, Ø. (2003), ANOVA for unbalanced
// data: use type II instead of type III sums of squares, *Statistics and Computing* 13, 163–167.

/// One row of an ANOVA table.
public struct AnovaTerm: Sendable, Equatable {
  /// R's term label (`format`, `format:site`, `baseline`), or `(Intercept)` (type 3).
  public var term: String
  /// Sum of squares of the term (type 2 or 3).
  public var ss: Double
  /// Its degrees of freedom (the term's number of design-matrix columns).
  public var df: Int
  /// F = (SS/df) / (RSS/df_residual).
  public var f: Double
  /// Upper-tail p of F on (df, df_residual).
  public var p: Double
  /// Partial η² = SS / (SS + RSS); nil for `(Intercept)`, which `effectsize` leaves out.
  public var eta2Partial: Double?
}

/// An ANOVA/ANCOVA table: `car::Anova(lm(...), type = 2 | 3)`.
public struct AnovaResult: Sendable, Equatable {
  /// 2 or 3.
  public var type: Int
  /// Terms in formula order; type 3 starts with `(Intercept)` when the model has one.
  public var terms: [AnovaTerm]
  /// Residual sum of squares of the full model.
  public var residualSS: Double
  /// Residual degrees of freedom n − p.
  public var residualDF: Int
  /// Rows used.
  public var n: Int
  /// Rows dropped by listwise deletion.
  public var rowsDropped: Int
  /// The full model's fit (treatment contrasts for type 2, sum-to-zero for type 3).
  public var model: RegressionResult
  /// Type 2 with aliased columns (an empty cell of an interaction): what was dropped, as
  /// car's note "model has aliased coefficients".
  public var warnings: [StatsWarning] = []

  /// The row called `term`, if any.
  public func term(_ name: String) -> AnovaTerm? { terms.first { $0.term == name } }
}

/// ANOVA and ANCOVA with type 2 or type 3 sums of squares (`car::Anova`).
public enum AnalysisOfVariance {
  /// The sums-of-squares types offered.
  public static let types = [2, 3]

  /// The ANOVA table of `formula` on `data`.
  ///
  /// With b_T the coefficients of term T and V_T their block of the covariance σ̂²(X'X)⁻¹, a
  /// term's sum of squares is the Wald form
  /// ```
  /// SS_T = σ̂² · b_T' V_T⁻¹ b_T      (= RSS without T − RSS with T)
  /// ```
  /// - type 3: in the full model with sum-to-zero contrasts (`contr.sum`), for every term and the
  ///   intercept: each term adjusted for all others, as `Anova.III.lm`;
  /// - type 2: in the model without the terms that contain T (its higher-order relatives), with
  ///   treatment contrasts: each term adjusted for all terms not containing it, as `Anova.II.lm`.
  ///
  /// F = (SS_T/df_T)/(RSS/(n − p)) with RSS and n − p of the full model; partial η² = SS_T/(SS_T + RSS).
  /// - Throws: `StatsError` `bad-type`, `empty-cell` (type 3: a combination of factor levels of an
  ///   interaction has no rows), and whatever ``ModelMatrix/build(_:data:evaluate:contrasts:)``
  ///   and ``Regression/fit(_:level:)`` throw (`too-few-rows`, `aliased-term`,
  ///   `non-numeric-response`, `zero-variance`, …).
  public static func fit(
    _ formula: Formula, data: Table, type: Int = 3,
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> AnovaResult {
    guard types.contains(type) else {
      throw StatsError(code: "bad-type", message: "type must be 2 or 3; got \(type)",
                       remedy: "Write type: 2 (each term adjusted for the terms not containing it) or type: 3.")
    }
    if formula.responseAtom == nil {
      throw StatsError(code: "no-response", message: "the formula has no response",
                       remedy: "Write it as 'outcome ~ predictors'.")
    }
    var design = try ModelMatrix.build(formula, data: data, evaluate: evaluate, contrasts: type == 3 ? .sum : .treatment)
    var warnings: [StatsWarning] = []
    if type == 3 { try checkCells(design, data: data) } else { (design, warnings) = try droppingAliased(design) }
    let full = try Regression.fit(design)
    let rss = full.residuals.reduce(0) { $0 + $1 * $1 }
    let rdf = full.df2
    let sigma2 = rss / Double(rdf)

    var rows: [AnovaTerm] = []
    func add(_ label: String, ss: Double, df: Int, intercept: Bool) {
      let f = (ss / Double(df)) / sigma2
      rows.append(AnovaTerm(
        term: label, ss: ss, df: df, f: f,
        p: Distributions.fCDF(f, df1: Double(df), df2: Double(rdf), lowerTail: false),
        eta2Partial: intercept ? nil : ss / (ss + rss)))
    }
    let termSets = formula.terms.map { Set($0.atoms) }
    if type == 3, formula.intercept {
      let cols = columns(design, term: 0)
      add("(Intercept)", ss: try wald(full, cols), df: cols.count, intercept: true)
    }
    for (ti, t) in formula.terms.enumerated() {
      let cols = columns(design, term: ti + 1)
      if cols.isEmpty { continue }
      if type == 3 {
        add(t.label, ss: try wald(full, cols), df: cols.count, intercept: false)
        continue
      }
      // Type 2: drop the terms that contain T, then T's Wald form in what remains.
      let relatives = Set(termSets.indices.filter { $0 != ti && termSets[$0].isSuperset(of: termSets[ti]) }.map { $0 + 1 })
      if relatives.isEmpty {
        add(t.label, ss: try wald(full, cols), df: cols.count, intercept: false)
        continue
      }
      let keep = design.assign.indices.filter { !relatives.contains(design.assign[$0]) }
      var reduced = design
      reduced.x = design.x.selectingColumns(keep)
      reduced.columnNames = keep.map { design.columnNames[$0] }
      reduced.assign = keep.map { design.assign[$0] }
      let sub = try Regression.fit(reduced)
      let subCols = reduced.assign.indices.filter { reduced.assign[$0] == ti + 1 }
      add(t.label, ss: try wald(sub, subCols), df: subCols.count, intercept: false)
    }
    return AnovaResult(type: type, terms: rows, residualSS: rss, residualDF: rdf, n: full.n,
                       rowsDropped: design.rowsDropped, model: full, warnings: warnings)
  }

  /// Parses `formula` (R syntax) and tabulates it; see the `Formula` overload.
  public static func fit(
    _ formula: String, data: Table, type: Int = 3,
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> AnovaResult {
    try fit(try Formula.parse(formula), data: data, type: type, evaluate: evaluate)
  }

  /// The one-way ANOVA F test of equal means of `samples` (one array per group; empty groups
  /// are left out), as `summary(aov(x ~ group))`:
  /// ```
  /// F = (SSB/(k − 1)) / (SSW/(N − k)),  SSB = Σ n_g (x̄_g − x̄)²,  SSW = Σ_g Σ (x − x̄_g)²
  /// ```
  /// - Returns: F, its df (k − 1, N − k) and the upper-tail p.
  /// - Throws: `StatsError` `too-few-rows` (fewer than two groups with values, or N ≤ k),
  ///   `zero-variance` (no variation within the groups).
  public static func oneWay(_ samples: [[Double]], name: String = "x") throws -> (f: Double, df1: Int, df2: Int, p: Double) {
    let used = samples.filter { !$0.isEmpty }
    let n = used.reduce(0) { $0 + $1.count }, k = used.count
    guard k >= 2, n > k else {
      throw StatsError(code: "too-few-rows", message: "the one-way ANOVA of '\(name)' needs two groups with values and more values than groups; got \(k) groups, \(n) values",
                       remedy: "Check the missing values of '\(name)'.")
    }
    let grand = Regression.mean(used.flatMap { $0 })
    var ssb = 0.0, ssw = 0.0
    for s in used {
      let m = Regression.mean(s)
      ssb += Double(s.count) * (m - grand) * (m - grand)
      ssw += s.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    }
    guard ssw > 0 else {
      throw StatsError(code: "zero-variance", message: "'\(name)' does not vary within the groups, so the ANOVA F is not defined",
                       remedy: "Remove the constant variable or check the filter.")
    }
    let df1 = k - 1, df2 = n - k
    let f = (ssb / Double(df1)) / (ssw / Double(df2))
    return (f, df1, df2, Distributions.fCDF(f, df1: Double(df1), df2: Double(df2), lowerTail: false))
  }

  /// Type 2 keeps going when columns are aliased (an empty cell of an interaction), as car does
  /// (`singular.ok` for type 2): the aliased columns are dropped — a term's df is its remaining
  /// columns — and the sums of squares are the same model comparisons, since the remaining
  /// columns span the same space. A term left with no column is an error.
  static func droppingAliased(_ design: ModelMatrix) throws -> (ModelMatrix, [StatsWarning]) {
    guard let y = design.response, design.n > design.x.cols else { return (design, []) }
    let ls = try LinearAlgebra.leastSquares(design.x, y)
    guard !ls.aliased.isEmpty else { return (design, []) }
    let names = ls.aliased.map { design.columnNames[$0] }
    for k in design.formula.terms.indices {
      let cols = columns(design, term: k + 1)
      if !cols.isEmpty, cols.allSatisfy({ ls.aliased.contains($0) }) {
        throw try Regression.aliasedError(design, column: cols[0], kept: ls.kept)
      }
    }
    var reduced = design
    reduced.x = design.x.selectingColumns(ls.kept)
    reduced.columnNames = ls.kept.map { design.columnNames[$0] }
    reduced.assign = ls.kept.map { design.assign[$0] }
    let w = "aliased coefficient\(names.count == 1 ? "" : "s") \(names.map { "'\($0)'" }.joined(separator: ", ")) dropped (an empty cell of an interaction, or collinear predictors): type 2 sums of squares by model comparison on the remaining columns, as car::Anova; check the cell counts"
    return (reduced, [StatsWarning(message: w)])
  }

  /// Design-matrix columns of term `k` (R's `assign == k`; 0 is the intercept).
  static func columns(_ design: ModelMatrix, term k: Int) -> [Int] {
    design.assign.indices.filter { design.assign[$0] == k }
  }

  /// σ̂² · b_J' V_J⁻¹ b_J for the coefficients J of `fit` (V its covariance σ̂²(X'X)⁻¹).
  static func wald(_ fit: RegressionResult, _ cols: [Int]) throws -> Double {
    let b = cols.map { fit.coefficients[$0].estimate }
    let vInv = try LinearAlgebra.inverseSPD(fit.covariance.submatrix(cols))
    return fit.sigma * fit.sigma * vInv.quadraticForm(b)
  }

  /// Type 3 needs every cell of each interaction of factors: an empty cell aliases a sum-to-zero
  /// column (car: "there are aliased coefficients in the model"). Names the first empty cell.
  static func checkCells(_ design: ModelMatrix, data: Table) throws {
    for t in design.formula.terms where t.atoms.count > 1 {
      var factors: [(name: String, levels: [String], column: Column)] = []
      for a in t.atoms {
        guard case .variable(let name) = a, let lv = design.levels[a.label], let c = data[name] else { continue }
        factors.append((name, lv, c))
      }
      guard factors.count > 1 else { continue }
      var seen = Set<[String]>()
      for i in design.rowsUsed { seen.insert(factors.map { $0.column.string(at: i) ?? "" }) }
      let cellCount = factors.reduce(1) { $0 * $1.levels.count }
      guard seen.count < cellCount else { continue }
      // The first empty cell, first factor varying fastest (as R orders the columns).
      var index = [Int](repeating: 0, count: factors.count)
      var cell: [String] = []
      for _ in 0..<cellCount {
        let c = zip(factors, index).map { $0.levels[$1] }
        if !seen.contains(c) { cell = c; break }
        var k = 0
        while k < index.count {
          index[k] += 1
          if index[k] < factors[k].levels.count { break }
          index[k] = 0
          k += 1
        }
      }
      let named = zip(factors, cell).map { "\($0.name) = \($1)" }.joined(separator: ", ")
      throw StatsError(
        code: "empty-cell",
        message: "the interaction '\(t.label)' has an empty cell (\(named): no rows), so its sum-to-zero columns are aliased and type 3 sums of squares are not defined (\(cellCount - seen.count) of \(cellCount) cells empty)",
        remedy: "Use type: 2, remove the interaction '\(t.label)', or merge levels so that every cell has rows.")
    }
  }
}
