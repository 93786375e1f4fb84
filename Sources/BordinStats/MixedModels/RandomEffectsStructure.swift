import BordinData

// The random-effects structure of a linear mixed model: grouping factors, the per-row model
// matrix of each term, and the relative covariance factor Λθ with its parameter vector θ.
//
// Implementation goals, in priority order: (1) lme4's structure exactly: levels and their order,
// term order (decreasing number of levels, lme4's `rev(order(nl))` rule), θ as the column-wise
// lower triangle of each term's lower-triangular factor, with lower bound 0 on the diagonal and
// starting value 1 on the diagonal and 0 elsewhere; (2) lme4's identifiability checks as typed
// errors with lme4's wording; (3) compact storage (level codes and a small row-major model matrix
// per term), never the n × q matrix Z.
//
// Reference: Bates et al. (2015), J. Stat. Softw. 67(1), §2.2–2.3 (Z, Λθ, θ, the Λθ template);
// lme4's `mkReTrms`, `mkBlist`, `checkNlevels`, `checkZdims` (R/utilities.R, R/lmer.R).

/// A grouping factor on the rows used: level labels (lme4's level order) and per-row codes.
struct GroupingFactor: Sendable {
  /// lme4's name: `child`, `cask:batch`.
  var name: String
  /// Level labels in factor order: sorted values; for an interaction `a:b`, the levels of `a`
  /// vary slowest and only combinations that occur are kept (R's `factor(a:b)`).
  var levels: [String]
  /// 0-based level code of each row.
  var codes: [Int32]

  /// Builds the factor of `variables` (an interaction when several) over `data`.
  static func make(name: String, variables: [String], data: Table) throws -> GroupingFactor {
    var parts: [(levels: [String], codes: [Int32])] = []
    for v in variables {
      guard let column = data[v] else {
        throw StatsError(
          code: "unknown-column", message: "grouping column '\(v)' is not in the data",
          remedy: "Available columns: \(data.names.joined(separator: ", ")).")
      }
      parts.append(codes(column))
    }
    if parts.count == 1 { return GroupingFactor(name: name, levels: parts[0].levels, codes: parts[0].codes) }
    // Interaction: mixed-radix key with the first variable slowest, then only keys that occur.
    let n = data.rowCount
    var keys = [Int](repeating: 0, count: n)
    for part in parts {
      let radix = part.levels.count
      for i in 0..<n { keys[i] = keys[i] * radix + Int(part.codes[i]) }
    }
    let used = Array(Set(keys)).sorted()
    let index = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, Int32($0)) })
    var labels: [String] = []
    labels.reserveCapacity(used.count)
    for key in used {
      var k = key
      var pieces: [String] = []
      for part in parts.reversed() {
        let radix = part.levels.count
        pieces.append(part.levels[k % radix])
        k /= radix
      }
      labels.append(pieces.reversed().joined(separator: ":"))
    }
    return GroupingFactor(name: name, levels: labels, codes: keys.map { index[$0]! })
  }

  /// Integer ids in a compact range (the usual patient or therapist number): levels and codes
  /// by a direct lookup table instead of hashing. Nil when the values are not such ids.
  private static func integerCodes(_ v: [Double]) -> (levels: [String], codes: [Int32])? {
    guard let first = v.first else { return nil }
    var lo = first
    var hi = first
    for x in v {
      guard x == x.rounded(), abs(x) < 1e15 else { return nil }
      lo = min(lo, x)
      hi = max(hi, x)
    }
    let range = Int(hi - lo) + 1
    guard range <= 4 * v.count + 16 else { return nil }
    let base = Int(lo)
    var index = [Int32](repeating: -1, count: range)
    for x in v { index[Int(x) - base] = 0 }
    var levels: [String] = []
    var next: Int32 = 0
    for k in 0..<range where index[k] == 0 {
      index[k] = next
      next += 1
      levels.append(String(base + k))
    }
    return (levels, v.map { index[Int($0) - base] })
  }

  /// Levels (sorted as R's `factor`) and codes of one complete column.
  private static func codes(_ column: Column) -> (levels: [String], codes: [Int32]) {
    switch column {
    case .numeric(let v):
      if let dense = integerCodes(v) { return dense }
      let uniq = Array(Set(v)).sorted()
      let index = Dictionary(uniqueKeysWithValues: uniq.enumerated().map { ($1, Int32($0)) })
      return (uniq.map(formatShortest), v.map { index[$0]! })
    case .text(let v):
      let uniq = Array(Set(v.map { $0 ?? "" })).sorted {
        $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
      }
      let index = Dictionary(uniqueKeysWithValues: uniq.enumerated().map { ($1, Int32($0)) })
      return (uniq, v.map { index[$0 ?? ""]! })
    case .logical(let v):
      let present = Set(v.map { $0 ?? false })
      let uniq = [false, true].filter { present.contains($0) }
      return (uniq.map { $0 ? "TRUE" : "FALSE" }, v.map { ($0 ?? false) && uniq.count == 2 ? 1 : 0 })
    }
  }
}

/// One random-effects term on the data: its grouping factor, its per-row model matrix and the
/// layout of its block of Λθ.
struct RandomEffectsTerm: Sendable {
  /// The term as written (after `||`/`/` expansion).
  var term: RandomTerm
  var factor: GroupingFactor
  /// Names of the random-effect columns: `(Intercept)`, `months`.
  var columnNames: [String]
  /// Row-major n × q model matrix of the term (row i at `z[i * q ..< (i + 1) * q]`).
  var z: [Double]

  /// Number of random-effect columns per level.
  var q: Int { columnNames.count }
  /// Number of levels of the grouping factor.
  var levelCount: Int { factor.levels.count }
  /// Number of θ parameters: the lower triangle of a q × q factor.
  var thetaCount: Int { q * (q + 1) / 2 }

  /// Lower bounds of this term's θ: 0 on the diagonal, −∞ off it (column-wise lower triangle).
  var thetaLower: [Double] {
    var out: [Double] = []
    for c in 0..<q { for r in c..<q { out.append(r == c ? 0 : -.infinity) } }
    return out
  }

  /// lme4's starting value: 1 on the diagonal, 0 off it.
  var thetaStart: [Double] {
    var out: [Double] = []
    for c in 0..<q { for r in c..<q { out.append(r == c ? 1 : 0) } }
    return out
  }

  /// Whether a θ entry (index within the term) lies on the diagonal of the factor.
  var thetaIsDiagonal: [Bool] {
    var out: [Bool] = []
    for c in 0..<q { for r in c..<q { out.append(r == c) } }
    return out
  }

  /// The q × q lower-triangular factor λ (column-major) from this term's slice of θ.
  func lambda(_ theta: ArraySlice<Double>) -> [Double] {
    var l = [Double](repeating: 0, count: q * q)
    var k = theta.startIndex
    for c in 0..<q {
      for r in c..<q {
        l[r + c * q] = theta[k]
        k += 1
      }
    }
    return l
  }
}

/// The random-effects structure of a model: terms in lme4's order with θ layout and checks.
struct RandomEffectsStructure: Sendable {
  /// Terms ordered as lme4 does (decreasing number of levels when not already so).
  var terms: [RandomEffectsTerm]

  /// Builds the terms of `formula` on `data` (the complete rows, already filtered) and applies
  /// lme4's term ordering and its default checks (`check.nlev.gtr.1`, `check.nobs.vs.nlev`,
  /// `check.nobs.vs.nRE`, all "stop").
  static func make(
    _ formula: MixedFormula, data: Table, evaluate: @escaping ModelMatrix.Evaluator
  ) throws -> RandomEffectsStructure {
    let n = data.rowCount
    var built: [RandomEffectsTerm] = []
    var factors: [String: GroupingFactor] = [:]
    for term in formula.random {
      let name = term.group
      let factor: GroupingFactor
      if let f = factors[name] {
        factor = f
      } else {
        factor = try GroupingFactor.make(name: name, variables: term.groupVariables, data: data)
        factors[name] = factor
      }
      let mm = try ModelMatrix.build(term.effects, data: data, evaluate: evaluate)
      let q = mm.x.cols
      if q == 0 {
        throw StatsError(
          code: "empty-random-term", message: "the random-effects term (\(term.label)) has no columns",
          remedy: "Write (1 | group) for a random intercept.")
      }
      var z = [Double](repeating: 0, count: n * q)
      for c in 0..<q {
        let base = c * n
        for i in 0..<n { z[i * q + c] = mm.x.values[base + i] }
      }
      built.append(RandomEffectsTerm(term: term, factor: factor, columnNames: mm.columnNames, z: z))
    }

    // lme4 `checkNlevels`: every grouping factor needs 2+ levels and fewer levels than rows.
    var seen: [String] = []
    for t in built where !seen.contains(t.factor.name) {
      seen.append(t.factor.name)
      if t.levelCount < 2 {
        throw StatsError(
          code: "one-level-group",
          message: "grouping factors must have > 1 sampled level: '\(t.factor.name)' has \(t.levelCount) level in the rows used",
          remedy: "Remove the random term for '\(t.factor.name)', or check the filter and missing values.")
      }
    }
    let tooMany = seen.filter { name in built.first { $0.factor.name == name }!.levelCount >= n }
    if !tooMany.isEmpty {
      throw StatsError(
        code: "too-many-levels",
        message: "number of levels of each grouping factor must be < number of observations (problems: \(tooMany.joined(separator: ", ")))",
        remedy: "A grouping factor with one row per level cannot be separated from the residual; remove that random term.")
    }

    // lme4 orders terms by decreasing number of levels: `rev(order(nl))` when any increase.
    let nl = built.map(\.levelCount)
    if zip(nl, nl.dropFirst()).contains(where: { $0 < $1 }) {
      let ascending = nl.indices.sorted { (nl[$0], $0) < (nl[$1], $1) }
      built = ascending.reversed().map { built[$0] }
    }

    // lme4 `checkZdims`: more rows than random effects in every term.
    for t in built where n <= t.levelCount * t.q {
      throw StatsError(
        code: "too-many-random-effects",
        message: "number of observations (=\(n)) <= number of random effects (=\(t.levelCount * t.q)) for term (\(t.term.label)); the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable",
        remedy: "Simplify the random-effects structure, e.g. drop the random slope or use (1 | \(t.factor.name)).")
    }
    return RandomEffectsStructure(terms: built)
  }

  /// Total number of θ parameters.
  var thetaCount: Int { terms.reduce(0) { $0 + $1.thetaCount } }

  var thetaStart: [Double] { terms.flatMap(\.thetaStart) }
  var thetaLower: [Double] { terms.flatMap(\.thetaLower) }
  var thetaIsDiagonal: [Bool] { terms.flatMap(\.thetaIsDiagonal) }

  /// The offset of each term's slice of θ.
  var thetaOffsets: [Int] {
    var out: [Int] = []
    var k = 0
    for t in terms {
      out.append(k)
      k += t.thetaCount
    }
    return out
  }

  /// Per-term λ factors from the full θ.
  func lambdas(_ theta: [Double]) -> [[Double]] {
    zip(terms, thetaOffsets).map { t, o in t.lambda(theta[o..<(o + t.thetaCount)]) }
  }

  /// lme4's variance-component names: grouping factors made unique as R's `make.unique`
  /// (`Subject`, `Subject.1`).
  var componentNames: [String] {
    var out: [String] = []
    var counts: [String: Int] = [:]
    for t in terms {
      let name = t.factor.name
      if let k = counts[name] {
        var j = k
        var candidate = "\(name).\(j)"
        while out.contains(candidate) {
          j += 1
          candidate = "\(name).\(j)"
        }
        counts[name] = j + 1
        out.append(candidate)
      } else {
        counts[name] = 1
        out.append(name)
      }
    }
    return out
  }
}
