import BordinData

// Cohen's kappa and weighted kappa with large-sample variances and normal-theory intervals.
//
// Implementation goals, in priority order: (1) the numbers of `psych::cohen.kappa` (psych 2.2.9,
// R/kappa.R) to 1e-8 relative: the same category order, the same agreement weights (quadratic by
// default, 1 − (i − j)²/(k − 1)² on category positions), the same variance formulas and the same
// clipping of interval bounds to ±1; (2) honesty about psych's weighted variance: psych's
// `roww <- rowSums(w * rs)` multiplies each row of w by that row's marginal, so its weighted
// variance is not the published Fleiss–Cohen–Everitt (1969) one (w̄.ⱼ = Σᵢ wᵢⱼ pᵢ.); psych's
// formula is the default for parity, and ``KappaVarianceMethod/fleissCohenEveritt`` gives the
// published one (the unweighted variances agree); (3) typed errors for ratings outside declared
// categories, fewer than two raters, and data with one category.
//
// References: Cohen, J. (1960), A coefficient of agreement for nominal scales, *Educational and
// Psychological Measurement* 20, 37–46; Cohen, J. (1968), Weighted kappa, *Psychological
// Bulletin* 70, 213–220; Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969), Large sample standard
// errors of kappa and weighted kappa, *Psychological Bulletin* 72, 323–327; Revelle, W.,
// `psych::cohen.kappa`.

/// Agreement weights of weighted kappa (positions i, j of the categories, k categories).
public enum KappaWeights: String, Sendable, CaseIterable, Equatable {
  /// wᵢⱼ = 1 if i = j, else 0: weighted kappa equals kappa.
  case none
  /// wᵢⱼ = 1 − |i − j|/(k − 1) (Cicchetti–Allison).
  case linear
  /// wᵢⱼ = 1 − (i − j)²/(k − 1)² (Fleiss–Cohen; psych's default).
  case quadratic

  /// The k × k weight matrix.
  public func matrix(categories k: Int) -> Matrix {
    var w = Matrix(rows: k, cols: k)
    let denom = Double(max(k - 1, 1))
    for j in 0..<k {
      for i in 0..<k {
        let d = Double(abs(i - j))
        switch self {
        case .none: w[i, j] = i == j ? 1 : 0
        case .linear: w[i, j] = 1 - d / denom
        case .quadratic: w[i, j] = 1 - d * d / (denom * denom)
        }
      }
    }
    return w
  }
}

/// Which large-sample variance of weighted kappa.
public enum KappaVarianceMethod: String, Sendable, CaseIterable, Equatable {
  /// psych's formula (default, for parity with `psych::cohen.kappa`).
  case psych
  /// Fleiss, Cohen & Everitt (1969) as published.
  case fleissCohenEveritt
}

/// Cohen's kappa of two raters (the `kappa` directive's fields).
public struct CohenKappaResult: Sendable, Equatable {
  /// The raters: rows (x) and columns (y) of the agreement table.
  public var x: String
  public var y: String
  /// Category labels in table order.
  public var categories: [String]
  /// Rated units used (both ratings present); for a proportion table, the given n.
  public var n: Double
  /// Units dropped because a rating was missing.
  public var rowsDropped: Int
  /// The k × k table of counts (rows x, columns y).
  public var table: Matrix
  public var weightScheme: KappaWeights
  public var weights: Matrix
  /// Observed and chance agreement, po = Σ pᵢᵢ and pc = Σ pᵢ. p.ᵢ.
  public var observedAgreement: Double
  public var expectedAgreement: Double
  /// κ = (po − pc)/(1 − pc).
  public var kappa: Double
  /// Large-sample variance of κ (`var_kappa`).
  public var varKappa: Double
  /// κ ∓ z_{(1+level)/2} √var, clipped to [−1, 1] (`kappa_ci_lb`, `kappa_ci_ub`).
  public var kappaCILower: Double
  public var kappaCIUpper: Double
  /// κ_w = (po_w − pc_w)/(1 − pc_w) (`weighted_kappa`).
  public var weightedKappa: Double
  /// Variance of κ_w (`var_weighted`) by `varianceMethod`.
  public var varWeighted: Double
  public var weightedKappaCILower: Double
  public var weightedKappaCIUpper: Double
  public var level: Double
  public var varianceMethod: KappaVarianceMethod
  /// Numerical notes (a negative variance set to 0, bounds clipped to ±1), as psych's warnings.
  public var warnings: [StatsWarning]
}

/// Pairwise kappas among more than two raters, as `psych::cohen.kappa` on a data frame.
public struct KappaMatrixResult: Sendable, Equatable {
  public var raters: [String]
  /// Every pair i < j in column order.
  public var pairs: [CohenKappaResult]
  /// Mean of the pairwise κ (psych `av.kappa`) and κ_w (`av.wt`).
  public var averageKappa: Double
  public var averageWeightedKappa: Double
}

/// Cohen's (weighted) kappa.
public enum CohenKappa {
  /// Kappa of two raters with numeric codes. Categories are the declared ones (in the given
  /// order) or the distinct values of both raters sorted numerically (R's `factor` levels).
  /// Units with a missing (NaN) rating are dropped.
  /// - Parameters:
  ///   - a, b: the two raters' codes (equal lengths; NaN is missing).
  ///   - names: rater names for results and messages.
  ///   - categories: the declared categories; a code outside them is an error.
  ///   - weights: agreement weights of the weighted kappa (default quadratic, as psych).
  ///   - level: confidence level of the intervals.
  ///   - variance: the weighted-kappa variance formula.
  /// - Throws: see ``fromTable(_:n:categories:names:weights:level:variance:)``, plus
  ///   `undeclared-category`, `too-few-rows` (fewer than 2 complete units).
  public static func compute(
    _ a: [Double], _ b: [Double], names: (String, String) = ("x", "y"),
    categories: [Double]? = nil, weights: KappaWeights = .quadratic, level: Double = 0.95,
    variance: KappaVarianceMethod = .psych
  ) throws -> CohenKappaResult {
    precondition(a.count == b.count, "the raters' columns differ in length")
    let values = categories ?? Array(Set((a + b).filter { !$0.isNaN })).sorted()
    return try codes(
      a.map { $0.isNaN ? nil : formatShortest($0) }, b.map { $0.isNaN ? nil : formatShortest($0) },
      names: names, categories: values.map(formatShortest), weights: weights, level: level,
      variance: variance)
  }

  /// Kappa of two raters with text codes. Categories are the declared ones (in that order) or
  /// the distinct codes sorted by Unicode scalar values (R sorts by the locale's collation,
  /// which agrees for ASCII codes of one case). Units with a missing (nil) rating are dropped.
  /// - Throws: as ``compute(_:_:names:categories:weights:level:variance:)``.
  public static func codes(
    _ a: [String?], _ b: [String?], names: (String, String) = ("x", "y"),
    categories: [String]? = nil, weights: KappaWeights = .quadratic, level: Double = 0.95,
    variance: KappaVarianceMethod = .psych
  ) throws -> CohenKappaResult {
    precondition(a.count == b.count, "the raters' columns differ in length")
    let rows = a.indices.filter { a[$0] != nil && b[$0] != nil }
    let labels: [String]
    if let categories {
      if Set(categories).count != categories.count {
        throw StatsError(
          code: "duplicate-category", message: "the declared categories repeat a value",
          remedy: "List each category once.")
      }
      labels = categories
      for (codes, name) in [(a, names.0), (b, names.1)] {
        if let bad = rows.first(where: { !categories.contains(codes[$0]!) }) {
          throw StatsError(
            code: "undeclared-category",
            message: "rater '\(name)' gives '\(codes[bad]!)' (row \(bad + 1)), which is not one of the declared categories \(categories.joined(separator: ", "))",
            remedy: "Add '\(codes[bad]!)' to 'categories' or correct the data.")
        }
      }
    } else {
      labels = Array(Set(rows.flatMap { [a[$0]!, b[$0]!] })).sorted {
        $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
      }
    }
    if rows.count < 2 {
      throw StatsError.tooFewRows(
        "a kappa of '\(names.0)' and '\(names.1)'", have: rows.count, need: 2)
    }
    let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    var table = Matrix(rows: labels.count, cols: labels.count)
    for r in rows { table[index[a[r]!]!, index[b[r]!]!] += 1 }
    var result = try fromTable(
      table, categories: labels, names: names, weights: weights, level: level, variance: variance)
    result.rowsDropped = a.count - rows.count
    return result
  }

  /// Kappa from a k × k agreement table of counts, or of proportions (summing to 1) with `n`
  /// given (psych's `n.obs`; ignored for counts, as in psych).
  ///
  /// With pᵢⱼ the proportions, pᵢ. = rᵢ and p.ⱼ = cⱼ the margins:
  /// ```
  /// po = Σ pᵢᵢ,  pc = Σ rᵢcᵢ,  κ = (po − pc)/(1 − pc)
  /// Var κ = [Σᵢ pᵢᵢ((1 − pc) − (rᵢ + cᵢ)(1 − po))² + (1 − po)² Σ_{i≠j} pᵢⱼ(cᵢ + rⱼ)²
  ///          − (po·pc − 2pc + po)²] / (n(1 − pc)⁴)
  /// po_w = Σ wᵢⱼpᵢⱼ,  pc_w = Σ wᵢⱼrᵢcⱼ,  κ_w = (po_w − pc_w)/(1 − pc_w)
  /// Var κ_w = [Σᵢⱼ pᵢⱼ(wᵢⱼ(1 − pc_w) − (aᵢ + bⱼ)(1 − po_w))² − (po_w·pc_w − 2pc_w + po_w)²]
  ///           / (n(1 − pc_w)⁴)
  ///   Fleiss–Cohen–Everitt (1969): aᵢ = Σⱼ wᵢⱼcⱼ, bⱼ = Σᵢ wᵢⱼrᵢ
  ///   psych:                       aᵢ = Σₖ wₖᵢcₖ, bⱼ = rⱼ Σₖ wⱼₖ
  /// CI = κ ± qnorm((1 + level)/2) √Var, every bound clipped to [−1, 1]
  /// ```
  /// A negative (or NaN) variance is set to 0 with a warning, as psych does.
  /// - Throws: `StatsError` `bad-table` (not square, negative or non-finite cells, or a
  ///   proportion table without n), `one-category` (chance agreement 1: kappa undefined),
  ///   `bad-level`.
  public static func fromTable(
    _ table: Matrix, n: Double? = nil, categories: [String]? = nil,
    names: (String, String) = ("x", "y"), weights: KappaWeights = .quadratic,
    level: Double = 0.95, variance: KappaVarianceMethod = .psych
  ) throws -> CohenKappaResult {
    guard table.rows == table.cols, table.rows > 0,
      table.values.allSatisfy({ $0.isFinite && $0 >= 0 })
    else {
      throw StatsError(
        code: "bad-table",
        message: "an agreement table must be square with non-negative counts; got \(table.rows) × \(table.cols)")
    }
    guard level > 0, level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(level)")
    }
    let k = table.rows
    let labels = categories ?? (1...k).map(String.init)
    precondition(labels.count == k, "one label per category")
    let sum = table.values.reduce(0, +)
    // psych: a table summing to 1 holds proportions, and n.obs is then the number of units
    // (a table of counts ignores n). Up to rounding of the proportions' sum.
    let proportions = abs(sum - 1) < 1e-9 && table.values.contains { $0 != $0.rounded() }
    var tot = sum
    if let n, proportions { tot = n }
    if proportions, n == nil {
      throw StatsError(
        code: "bad-table", message: "the agreement table holds proportions but no n was given",
        remedy: "Give the number of rated units.")
    }
    var x = table
    for i in x.values.indices { x.values[i] /= sum }
    let rs = (0..<k).map { i in (0..<k).reduce(0) { $0 + x[i, $1] } }
    let cs = (0..<k).map { j in (0..<k).reduce(0) { $0 + x[$1, j] } }
    let po = (0..<k).reduce(0) { $0 + x[$1, $1] }
    let pc = (0..<k).reduce(0) { $0 + rs[$1] * cs[$1] }
    if k < 2 || !(1 - pc > 0) {
      throw StatsError(
        code: "one-category",
        message: "'\(names.0)' and '\(names.1)' use a single category (\(labels.first ?? "")) for every unit, so chance agreement is 1 and kappa is undefined",
        remedy: "Kappa needs ratings in at least two categories; check the data and the filter.")
    }
    let kappa = (po - pc) / (1 - pc)

    let w = weights.matrix(categories: k)
    var wpo = 0.0
    var wpc = 0.0
    for j in 0..<k {
      for i in 0..<k {
        wpo += w[i, j] * x[i, j]
        wpc += w[i, j] * rs[i] * cs[j]
      }
    }
    let weightedKappa = (wpo - wpc) / (1 - wpc)

    // Unweighted: Fleiss, Cohen & Everitt (1969), eq. 13, in psych's arrangement.
    var diagonal = 0.0
    var offDiagonal = 0.0
    for i in 0..<k {
      let d = (1 - pc) - (rs[i] + cs[i]) * (1 - po)
      diagonal += x[i, i] * d * d
      for j in 0..<k where j != i {
        let m = cs[i] + rs[j]
        offDiagonal += x[i, j] * m * m
      }
    }
    let last = po * pc - 2 * pc + po
    var varKappa = (diagonal + (1 - po) * (1 - po) * offDiagonal - last * last)
      / (tot * pow4(1 - pc))

    // Weighted.
    var a = [Double](repeating: 0, count: k)
    var b = [Double](repeating: 0, count: k)
    for i in 0..<k {
      for j in 0..<k {
        switch variance {
        case .fleissCohenEveritt:
          a[i] += w[i, j] * cs[j]
          b[j] += w[i, j] * rs[i]
        case .psych:
          a[i] += w[j, i] * cs[j]  // colSums(w * cs)
          b[i] += w[i, j] * rs[i]  // rowSums(w * rs)
        }
      }
    }
    var weightedSum = 0.0
    for j in 0..<k {
      for i in 0..<k {
        let d = w[i, j] * (1 - wpc) - (a[i] + b[j]) * (1 - wpo)
        weightedSum += x[i, j] * d * d
      }
    }
    let lastW = wpo * wpc - 2 * wpc + wpo
    var varWeighted = (weightedSum - lastW * lastW) / (tot * pow4(1 - wpc))

    var warnings: [StatsWarning] = []
    if varKappa.isNaN || varKappa < 0 {
      warnings.append("the variance of kappa came out negative (\(varKappa)) and was set to 0")
      varKappa = 0
    }
    if varWeighted.isNaN || varWeighted < 0 {
      warnings.append("the variance of weighted kappa came out negative (\(varWeighted)) and was set to 0")
      varWeighted = 0
    }
    let z = Distributions.normalQuantile((1 - level) / 2)  // negative
    var bounds = [
      kappa + z * varKappa.squareRoot(), kappa - z * varKappa.squareRoot(),
      weightedKappa + z * varWeighted.squareRoot(), weightedKappa - z * varWeighted.squareRoot(),
    ]
    if bounds.contains(where: { abs($0) > 1 }) {
      warnings.append("a confidence bound exceeded ±1 and was set to ±1")
      bounds = bounds.map { min(max($0, -1), 1) }
    }
    return CohenKappaResult(
      x: names.0, y: names.1, categories: labels, n: tot, rowsDropped: 0, table: table,
      weightScheme: weights, weights: w, observedAgreement: po, expectedAgreement: pc,
      kappa: kappa, varKappa: varKappa, kappaCILower: bounds[0], kappaCIUpper: bounds[1],
      weightedKappa: weightedKappa, varWeighted: varWeighted,
      weightedKappaCILower: bounds[2], weightedKappaCIUpper: bounds[3], level: level,
      varianceMethod: variance, warnings: warnings)
  }

  /// Kappas of every pair among two or more raters with numeric codes, and their averages, as
  /// `psych::cohen.kappa` on a data frame. Each pair uses its own complete units. Categories
  /// are the declared ones or the distinct values of all raters (psych takes each pair's own
  /// values, which changes the weights only when a pair does not use every category).
  /// - Throws: `StatsError` `too-few-raters`, and whatever a pair throws.
  public static func pairwise(
    _ columns: [[Double]], raters: [String], categories: [Double]? = nil,
    weights: KappaWeights = .quadratic, level: Double = 0.95,
    variance: KappaVarianceMethod = .psych
  ) throws -> KappaMatrixResult {
    precondition(columns.count == raters.count, "one name per rater column")
    if columns.count < 2 {
      throw StatsError(
        code: "too-few-raters",
        message: "kappa needs at least two raters; got \(columns.count)",
        remedy: "List two or more rater columns in 'raters'.")
    }
    let values = categories ?? Array(Set(columns.flatMap { $0 }.filter { !$0.isNaN })).sorted()
    return try everyPair(columns, raters: raters) { a, b, names in
      try compute(a, b, names: names, categories: values, weights: weights, level: level, variance: variance)
    }
  }

  /// Kappas of every pair among two or more raters with text codes, and their averages, as
  /// `psych::cohen.kappa` on a data frame of factors or strings (each pair on its own complete
  /// units). Categories are the declared ones (in that order) or the distinct codes of all
  /// raters sorted by Unicode scalars (R's `levels(as.factor(…))` for ASCII codes of one case);
  /// the weights of the weighted kappa follow that order, as in psych.
  /// - Throws: `StatsError` `too-few-raters`, and whatever a pair throws (see ``codes(_:_:names:categories:weights:level:variance:)``).
  public static func pairwiseCodes(
    _ columns: [[String?]], raters: [String], categories: [String]? = nil,
    weights: KappaWeights = .quadratic, level: Double = 0.95,
    variance: KappaVarianceMethod = .psych
  ) throws -> KappaMatrixResult {
    precondition(columns.count == raters.count, "one name per rater column")
    if columns.count < 2 {
      throw StatsError(
        code: "too-few-raters",
        message: "kappa needs at least two raters; got \(columns.count)",
        remedy: "List two or more rater columns in 'raters'.")
    }
    let labels = categories ?? Array(Set(columns.flatMap { $0.compactMap { $0 } })).sorted {
      $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
    }
    return try everyPair(columns, raters: raters) { a, b, names in
      try codes(a, b, names: names, categories: labels, weights: weights, level: level, variance: variance)
    }
  }

  /// The kappa of every pair of rater columns (i < j, in column order) and their averages.
  private static func everyPair<Column>(
    _ columns: [Column], raters: [String],
    _ kappa: (Column, Column, (String, String)) throws -> CohenKappaResult
  ) throws -> KappaMatrixResult {
    var pairs: [CohenKappaResult] = []
    for i in 0..<columns.count {
      for j in (i + 1)..<columns.count {
        pairs.append(try kappa(columns[i], columns[j], (raters[i], raters[j])))
      }
    }
    let m = Double(pairs.count)
    return KappaMatrixResult(
      raters: raters, pairs: pairs, averageKappa: pairs.reduce(0) { $0 + $1.kappa } / m,
      averageWeightedKappa: pairs.reduce(0) { $0 + $1.weightedKappa } / m)
  }

  private static func pow4(_ x: Double) -> Double { x * x * x * x }
}
