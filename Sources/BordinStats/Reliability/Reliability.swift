// Internal-consistency reliability of a scale: Cronbach's alpha and the item statistics of
// psych::alpha, with omega total alongside.
//
// Implementation goals, in priority order: (1) the numbers of `psych::alpha` (psych 2.2.9) to
// 1e-8 relative — raw and standardised alpha, Guttman's λ6 from squared multiple correlations
// (1 − 1/diag(R⁻¹)), average inter-item r, S/N, the alpha SE `ase`, alpha if an item is
// deleted (raw, standardised, G6, average r), and the item–total correlations raw.r, std.r, r.cor
// and r.drop — with psych's defaults (covariances with `use = "pairwise"`, correlations as
// `cov2cor` of them, reverse keys applied by sign to the covariances); (2) typed errors instead
// of psych's silent deletions: an item with zero variance, too few items or rows, a singular
// correlation matrix; (3) omega total from ``Omega`` in the same result, as the `reliability`
// directive reports both.
//
// References: Cronbach, L. J. (1951), Coefficient alpha and the internal structure of tests,
// *Psychometrika* 16, 297–334; Guttman, L. (1945), A basis for analyzing test-retest
// reliability, *Psychometrika* 10, 255–282 (λ6); Duhachek, A. & Iacobucci, D. (2004), Alpha's
// standard error (ASE), *Journal of Applied Psychology* 89, 792–808; McDonald, R. P. (1999),
// *Test Theory: A Unified Treatment*; Revelle, W., `psych::alpha` (R/alpha.R).

/// Per-item statistics (psych's `alpha.drop` and `item.stats`).
public struct ItemReliability: Sendable, Equatable {
  public var name: String
  /// Non-missing values of the item.
  public var n: Int
  public var reversed: Bool
  /// Raw alpha of the scale without this item (`alpha_if_deleted`).
  public var alphaIfDeleted: Double
  /// Standardised alpha, G6 and average r without this item.
  public var stdAlphaIfDeleted: Double
  public var g6IfDeleted: Double
  public var averageRIfDeleted: Double
  /// Correlation of the (keyed) item with the mean score over available items (`raw.r`).
  public var rawR: Double
  /// Correlation with the standardised total, Σⱼ Rᵢⱼ / √ΣR (`std.r`).
  public var stdR: Double
  /// std.r with the item's own variance replaced by its smc (`r.cor`).
  public var rCor: Double
  /// Corrected item–total correlation: the item with the sum of the other items
  /// (`r.drop`, `item_total_r_drop`).
  public var rDrop: Double
  /// Item mean (after reversal) and SD.
  public var mean: Double
  public var sd: Double
}

/// Scale reliability (the `reliability` directive's fields).
public struct ReliabilityResult: Sendable, Equatable {
  public var items: [String]
  public var reversed: [String]
  /// Cronbach's alpha from the covariances (`raw_alpha`).
  public var rawAlpha: Double
  /// Alpha from the correlations (`std_alpha`).
  public var stdAlpha: Double
  /// Guttman's λ6 with smc (`G6`).
  public var g6: Double
  /// Mean inter-item correlation (`average_r`).
  public var averageR: Double
  /// Median inter-item correlation.
  public var medianR: Double
  /// Signal/noise ratio k·r̄/(1 − r̄).
  public var signalNoise: Double
  /// Standard error of raw alpha (Duhachek & Iacobucci 2004; psych's `ase`).
  public var ase: Double
  /// Mean and SD of the mean item score (psych's `mean`, `sd`).
  public var totalMean: Double
  public var totalSD: Double
  /// Rows used (every row with at least one item under pairwise deletion).
  public var n: Int
  /// Rows dropped (complete-case mode only).
  public var rowsDropped: Int
  public var missing: MissingValues
  public var itemStatistics: [ItemReliability]
  /// Omega total from a one-factor ML model (complete rows), when requested and estimable.
  public var omega: OmegaResult?

  /// `alpha_if_deleted[]` in item order.
  public var alphaIfDeleted: [Double] { itemStatistics.map(\.alphaIfDeleted) }
  /// `item_total_r_drop[]` in item order.
  public var itemTotalRDrop: [Double] { itemStatistics.map(\.rDrop) }
}

/// Cronbach's alpha and related reliability statistics.
public enum Reliability {
  /// Alpha, λ6, item statistics and (optionally) omega total of a scale.
  ///
  /// With C the (keyed) item covariance matrix, R = cov2cor(C), k items, smc = 1 − 1/diag(R⁻¹):
  /// ```
  /// raw α = k/(k−1)·(1 − tr C/ΣC)        std α = k/(k−1)·(1 − k/ΣR)
  /// λ6 = 1 − (k − Σ smc)/ΣR               r̄ = (ΣR − k)/(k(k−1)),  S/N = k r̄/(1 − r̄)
  /// ase = √(Q/N),  Q = 2k²/((k−1)²(ΣC)³)·(ΣC(tr C² + (tr C)²) − 2 tr C·Σ(C²))
  /// r.drop_i = (Σⱼ Cᵢⱼ − Cᵢᵢ)/√(Cᵢᵢ Σ_{j,l≠i} Cⱼₗ)     std.r_i = Σⱼ Rᵢⱼ/√ΣR
  /// ```
  /// "If deleted" values are the same statistics on C and R without item i (for two items,
  /// psych's convention: raw C₁₂/C₂₂ and C₁₂/C₁₁, std and average r R₁₂, G6 smc₁).
  /// Reverse-keyed items enter C with their sign flipped; for their means and raw.r they are
  /// reversed as (max + min) − x over all items' observed values, as psych does.
  /// - Parameters:
  ///   - columns: one column per item (equal lengths; NaN is missing).
  ///   - names: item names.
  ///   - reverse: names of reverse-keyed items.
  ///   - missing: `.pairwise` (psych's default: each covariance on the rows where both items are
  ///     present) or `.complete` (rows complete on every item).
  ///   - omega: also fit the one-factor model for omega total (needs ≥ 3 items; skipped, nil,
  ///     with fewer).
  /// - Throws: `StatsError` `too-few-items` (< 2), `unknown-item` (a reversed name that is not
  ///   an item), `too-few-rows`, `zero-variance` (a constant item), `not-positive-definite`
  ///   (a singular correlation matrix), and what ``Omega/total(_:names:reverse:)`` throws.
  public static func analyze(
    _ columns: [[Double]], names: [String], reverse: [String] = [],
    missing: MissingValues = .pairwise, omega: Bool = true
  ) throws -> ReliabilityResult {
    precondition(columns.count == names.count, "one name per item column")
    let k = columns.count
    if k < 2 {
      throw StatsError(
        code: "too-few-items", message: "alpha needs at least two items; got \(k)",
        remedy: "List two or more items in 'items'.")
    }
    try checkReverse(reverse, names: names)
    let total = columns[0].count
    precondition(columns.allSatisfy { $0.count == total }, "item columns differ in length")
    var x = columns
    var rowsDropped = 0
    if missing == .complete {
      let rows = (0..<total).filter { i in columns.allSatisfy { !$0[i].isNaN } }
      x = columns.map { c in rows.map { c[$0] } }
      rowsDropped = total - rows.count
    }
    let nsub = x[0].count
    let keys = names.map { reverse.contains($0) ? -1.0 : 1.0 }

    // Item SDs; psych deletes a constant item with a warning, we stop.
    for j in 0..<k {
      let v = x[j].filter { !$0.isNaN }
      if v.count < 2 {
        throw StatsError.tooFewRows("item '\(names[j])'", have: v.count, need: 2)
      }
      let m = Regression.mean(v)
      if !(TTest.variance(v, mean: m) > 0) { throw StatsError.zeroVariance(names[j]) }
    }

    // Pairwise covariances (cov(x, use = "pairwise")), then keys: C = K C K.
    var c = Matrix(rows: k, cols: k)
    for a in 0..<k {
      for b in a..<k {
        let rows = (0..<nsub).filter { !x[a][$0].isNaN && !x[b][$0].isNaN }
        if rows.count < 2 {
          throw StatsError.tooFewRows(
            "the covariance of '\(names[a])' and '\(names[b])'", have: rows.count, need: 2)
        }
        let xa = rows.map { x[a][$0] }
        let xb = rows.map { x[b][$0] }
        let ma = Regression.mean(xa)
        let mb = Regression.mean(xb)
        var s = 0.0
        for i in rows.indices { s += (xa[i] - ma) * (xb[i] - mb) }
        let v = keys[a] * keys[b] * s / Double(rows.count - 1)
        c[a, b] = v
        c[b, a] = v
      }
    }
    let r = correlation(fromCovariance: c)
    let smcAll = try smc(r, names: names)
    let whole = statistics(c, r, smc: smcAll)

    // Alpha if deleted.
    var drop: [Statistics] = []
    if k > 2 {
      for i in 0..<k {
        let keep = (0..<k).filter { $0 != i }
        let ri = r.submatrix(keep)
        drop.append(statistics(c.submatrix(keep), ri, smc: try smc(ri, names: keep.map { names[$0] })))
      }
    } else {
      let r12 = r[0, 1]
      drop = [
        Statistics(raw: c[0, 1] / c[1, 1], std: r12, g6: smcAll[0], averageR: r12, sn: 0, q: 0, medianR: r12),
        Statistics(raw: c[0, 1] / c[0, 0], std: r12, g6: smcAll[0], averageR: r12, sn: 0, q: 0, medianR: r12),
      ]
    }

    // Correlations with the standardised total and corrected item–total correlations.
    let sumR = r.values.reduce(0, +)
    var rc = r
    for i in 0..<k { rc[i, i] = smcAll[i] }
    let sumRC = rc.values.reduce(0, +)
    let sumC = c.values.reduce(0, +)

    // Raw scores: reversed items as (max + min) − x, total = mean of available items.
    let observed = x.flatMap { $0 }.filter { !$0.isNaN }
    let adjust = (observed.max() ?? 0) + (observed.min() ?? 0)
    let keyed = (0..<k).map { j in keys[j] < 0 ? x[j].map { adjust - $0 } : x[j] }
    let totals = (0..<nsub).map { i -> Double in
      let v = keyed.compactMap { $0[i].isNaN ? nil : $0[i] }
      return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }
    let presentTotals = totals.filter { !$0.isNaN }
    let totalMean = Regression.mean(presentTotals)
    let totalSD = TTest.variance(presentTotals, mean: totalMean).squareRoot()

    var itemStatistics: [ItemReliability] = []
    for i in 0..<k {
      let colSumR = (0..<k).reduce(0) { $0 + r[$1, i] }
      let colSumRC = (0..<k).reduce(0) { $0 + rc[$1, i] }
      let colSumC = (0..<k).reduce(0) { $0 + c[$1, i] }
      let cDrop = colSumC - c[i, i]
      let vDrop = sumC - 2 * colSumC + c[i, i]
      let rows = (0..<nsub).filter { !keyed[i][$0].isNaN && !totals[$0].isNaN }
      let present = keyed[i].filter { !$0.isNaN }
      let m = Regression.mean(present)
      itemStatistics.append(
        ItemReliability(
          name: names[i], n: present.count, reversed: keys[i] < 0,
          alphaIfDeleted: drop[i].raw, stdAlphaIfDeleted: drop[i].std, g6IfDeleted: drop[i].g6,
          averageRIfDeleted: drop[i].averageR,
          rawR: Correlation.pearson(rows.map { totals[$0] }, rows.map { keyed[i][$0] }),
          stdR: colSumR / sumR.squareRoot(), rCor: colSumRC / sumRC.squareRoot(),
          rDrop: cDrop / (c[i, i] * vDrop).squareRoot(), mean: m,
          sd: TTest.variance(present, mean: m).squareRoot()))
    }

    var omegaResult: OmegaResult? = nil
    if omega, k >= 3 {
      omegaResult = try Omega.total(columns, names: names, reverse: reverse)
    }
    return ReliabilityResult(
      items: names, reversed: names.filter { reverse.contains($0) }, rawAlpha: whole.raw,
      stdAlpha: whole.std, g6: whole.g6, averageR: whole.averageR, medianR: whole.medianR,
      signalNoise: whole.sn, ase: (whole.q / Double(nsub)).squareRoot(), totalMean: totalMean,
      totalSD: totalSD, n: nsub, rowsDropped: rowsDropped, missing: missing,
      itemStatistics: itemStatistics, omega: omegaResult)
  }

  /// Checks that every reverse-keyed name is an item.
  static func checkReverse(_ reverse: [String], names: [String]) throws {
    if let bad = reverse.first(where: { !names.contains($0) }) {
      throw StatsError(
        code: "unknown-item",
        message: "'\(bad)' in 'reverse' is not one of the items \(names.joined(separator: ", "))",
        remedy: "Reverse-key only listed items.")
    }
  }

  /// psych's `alpha.1` on one covariance/correlation pair.
  private struct Statistics {
    var raw: Double
    var std: Double
    var g6: Double
    var averageR: Double
    var sn: Double
    var q: Double
    var medianR: Double
  }

  private static func statistics(_ c: Matrix, _ r: Matrix, smc: [Double]) -> Statistics {
    let n = Double(c.rows)
    let trC = c.diagonal.reduce(0, +)
    let sumC = c.values.reduce(0, +)
    let sumR = r.values.reduce(0, +)
    let raw = (1 - trC / sumC) * (n / (n - 1))
    let std = (1 - n / sumR) * (n / (n - 1))
    let g6 = 1 - (n - smc.reduce(0, +)) / sumR
    let averageR = (sumR - n) / (n * (n - 1))
    let cc = c.multiplied(by: c)
    let trCC = cc.diagonal.reduce(0, +)
    let sumCC = cc.values.reduce(0, +)
    let q = (2 * n * n / ((n - 1) * (n - 1) * (sumC * sumC * sumC)))
      * (sumC * (trCC + trC * trC) - 2 * (trC * sumCC))
    var lower: [Double] = []
    for j in 0..<r.cols { for i in (j + 1)..<r.rows { lower.append(r[i, j]) } }
    lower.sort()
    let m = lower.count
    let median = m % 2 == 1 ? lower[m / 2] : (lower[m / 2 - 1] + lower[m / 2]) / 2
    return Statistics(
      raw: raw, std: std, g6: g6, averageR: averageR, sn: n * averageR / (1 - averageR), q: q,
      medianR: median)
  }

  /// R's `cov2cor`: Rᵢⱼ = Cᵢⱼ/√(CᵢᵢCⱼⱼ), unit diagonal.
  static func correlation(fromCovariance c: Matrix) -> Matrix {
    let k = c.rows
    let sd = (0..<k).map { c[$0, $0].squareRoot() }
    var r = c
    for j in 0..<k { for i in 0..<k { r[i, j] = i == j ? 1 : c[i, j] / (sd[i] * sd[j]) } }
    return r
  }

  /// Squared multiple correlations 1 − 1/diag(R⁻¹), capped at 1 (psych's `smc`). psych inverts
  /// with a pseudoinverse (`Pinv`) and so returns numbers for a singular R; here a matrix whose
  /// Cholesky factorisation fails is an error, and a numerically positive-definite but nearly
  /// singular one gives smcs at (or capped to) 1, as psych's would be.
  static func smc(_ r: Matrix, names: [String]) throws -> [Double] {
    let inverse: Matrix
    do {
      inverse = try LinearAlgebra.inverseSPD(r)
    } catch let e as StatsError where e.code == "not-positive-definite" || e.code == "singular" {
      throw StatsError(
        code: "not-positive-definite",
        message: "the correlation matrix of \(names.map { "'\($0)'" }.joined(separator: ", ")) is not positive definite (an item is a linear combination of others, or pairwise deletion left inconsistent correlations)",
        remedy: "Remove the redundant item, or use complete rows ('missing: complete').")
    }
    return (0..<r.rows).map { min(1 - 1 / inverse[$0, $0], 1) }
  }
}
