import BordinData
import Foundation

// Two-way contingency tables: counts, row percentages, expected counts, Pearson's χ² test (with
// Yates' correction on request), Cramér's V, Fisher's exact test and the sample odds ratio, as R's
// `table`, `chisq.test`, `fisher.test` and `effectsize::cramers_v(adjust = FALSE)`.
//
// Implementation goals: (1) closed forms to R's last digits: E = rowsum · colsum / n, X² =
// Σ(|O − E| − Y)²/E with Y = min(0.5, |O − E|) for 2 × 2 tables under `correct`, p from
// `pchisq`; (2) R's orientation: x levels are rows, y levels columns, each sorted (numbers
// numerically, text by Unicode scalars, FALSE before TRUE); (3) nothing silent: small expected
// counts, zero cells under the odds ratio and one-level variables are warnings or errors.
//
// Reference: Agresti, A. (2002), *Categorical Data Analysis*, 2nd ed., §3.2 (χ²), §3.5 (Fisher),
// §3.1.4 (Woolf's interval for the odds ratio); Cramér, H. (1946), *Mathematical Methods of
// Statistics*, p. 282; Yates, F. (1934), *JRSS Suppl., 1*, 217–235; R Core Team,
// `stats::chisq.test`, `stats::fisher.test`.

/// One cell of a contingency table.
public struct CrossTabCell: Sendable, Equatable {
  /// The x (row) and y (column) levels.
  public var x: String
  public var y: String
  public var n: Int
  /// 100 · n / row total.
  public var rowPercent: Double
  /// Row total · column total / n.
  public var expected: Double
}

/// A two-way table and its tests.
public struct CrossTabResult: Sendable, Equatable {
  /// Levels of x (rows) and y (columns), in sorted order.
  public var xLevels: [String]
  public var yLevels: [String]
  /// counts[i][j] = rows with x = xLevels[i] and y = yLevels[j].
  public var counts: [[Int]]
  /// Cells in row-major order (x slowest).
  public var cells: [CrossTabCell]
  /// Total count.
  public var n: Int
  /// Pearson's X², Yates-corrected when `corrected`.
  public var chisq: Double
  public var df: Int
  /// Upper-tail χ² p of `chisq`.
  public var p: Double
  /// Yates' correction was requested and applied (a 2 × 2 table).
  public var corrected: Bool
  /// The uncorrected Pearson X² (= `chisq` when not corrected).
  public var chisqPearson: Double
  /// √(X²/(n (min(r, c) − 1))) from the uncorrected X².
  public var cramersV: Double
  /// Fisher's exact two-sided p (every 2 × 2 table; larger ones on request).
  public var fisherP: Double?
  /// The sample odds ratio n₁₁n₂₂/(n₁₂n₂₁) and its Woolf interval (2 × 2 tables).
  public var oddsRatio: Double?
  public var oddsRatioCiLower: Double?
  public var oddsRatioCiUpper: Double?
  /// The smallest expected count, and how many are below 5.
  public var minExpected: Double
  public var smallExpected: Int
  public var level: Double
  public var rowsUsed: Int
  public var rowsDropped: Int
  /// Warnings: small expected counts, a zero cell under the odds ratio.
  public var warnings: [StatsWarning]

  /// The cell at levels (x, y).
  public func cell(_ x: String, _ y: String) -> CrossTabCell? { cells.first { $0.x == x && $0.y == y } }
}

/// Two-way contingency tables.
public enum CrossTabulation {
  /// Larger tables are refused: a variable with that many levels is an identifier or a score.
  public static let maxCells = 10_000

  /// Cross-tabulates two columns over the rows where both are present (`complete.cases`).
  ///
  /// ```
  /// Eᵢⱼ = Rᵢ Cⱼ / n,   X² = Σ (|Oᵢⱼ − Eᵢⱼ| − Y)² / Eᵢⱼ,   df = (r − 1)(c − 1),   p = P(χ²_df > X²)
  /// Y = min(0.5, |O − E|) for a 2 × 2 table with `correct`, else 0
  /// V = √(X²_Pearson / (n (min(r, c) − 1)))
  /// OR = n₁₁n₂₂ / (n₁₂n₂₁),   CI = exp(log OR ∓ z₍₁₊level₎/₂ √(Σ 1/nᵢⱼ))   (2 × 2)
  /// ```
  /// - Parameters:
  ///   - x: the row variable; `xName` names it in messages.
  ///   - y: the column variable.
  ///   - correct: Yates' continuity correction for 2 × 2 tables (`chisq.test(correct =)`).
  ///   - exact: also Fisher's exact test for tables larger than 2 × 2.
  ///   - level: confidence level of the odds ratio's interval.
  /// - Throws: `StatsError` `too-few-rows` (no complete row), `one-level` (a variable with one
  ///   level), `too-many-levels` (more than ``maxCells`` cells), `bad-level`, `exact-too-large`.
  public static func tabulate(
    x: Column, y: Column, xName: String = "x", yName: String = "y", correct: Bool = false,
    exact: Bool = false, level: Double = 0.95
  ) throws -> CrossTabResult {
    precondition(x.count == y.count, "x and y have the same length")
    guard level > 0, level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(level)")
    }
    let used = (0..<x.count).filter { !x.isMissing($0) && !y.isMissing($0) }
    if used.isEmpty {
      throw StatsError(code: "too-few-rows", message: "no row has both '\(xName)' and '\(yName)'",
                       remedy: "Check the missing values of these variables.")
    }
    let (xl, xc) = levels(x, used)
    let (yl, yc) = levels(y, used)
    for (name, lv) in [(xName, xl), (yName, yl)] where lv.count < 2 {
      throw StatsError(
        code: "one-level", message: "'\(name)' has only one level ('\(lv.first ?? "")') in the rows used, so there is nothing to cross-tabulate",
        remedy: "A contingency table needs at least two levels of each variable; check the filter.")
    }
    let r = xl.count, c = yl.count
    if r * c > maxCells {
      throw StatsError(
        code: "too-many-levels",
        message: "'\(xName)' (\(r) levels) by '\(yName)' (\(c) levels) makes a table of \(r * c) cells, more than \(maxCells)",
        remedy: "Cross-tabulate categorical variables (not identifiers or continuous scores), or group the levels in a data step.")
    }
    var counts = [[Int]](repeating: [Int](repeating: 0, count: c), count: r)
    for k in used.indices { counts[xc[k]][yc[k]] += 1 }
    let n = used.count
    let rowTotals = counts.map { $0.reduce(0, +) }
    let colTotals = (0..<c).map { j in counts.reduce(0) { $0 + $1[j] } }
    let nd = Double(n)
    var expected = [[Double]](repeating: [Double](repeating: 0, count: c), count: r)
    for i in 0..<r { for j in 0..<c { expected[i][j] = Double(rowTotals[i]) * Double(colTotals[j]) / nd } }

    let is2x2 = r == 2 && c == 2
    var yates = 0.0
    if correct && is2x2 {
      var m = 0.5
      for i in 0..<2 { for j in 0..<2 { m = min(m, abs(Double(counts[i][j]) - expected[i][j])) } }
      yates = m
    }
    var x2 = 0.0, pearson = 0.0
    for i in 0..<r {
      for j in 0..<c {
        let d = abs(Double(counts[i][j]) - expected[i][j])
        x2 += (d - yates) * (d - yates) / expected[i][j]
        pearson += d * d / expected[i][j]
      }
    }
    let df = (r - 1) * (c - 1)
    let p = Distributions.chiSquaredCDF(x2, df: Double(df), lowerTail: false)
    let v = (pearson / (nd * Double(min(r, c) - 1))).squareRoot()

    var cells: [CrossTabCell] = []
    for i in 0..<r {
      for j in 0..<c {
        cells.append(CrossTabCell(x: xl[i], y: yl[j], n: counts[i][j], rowPercent: 100 * Double(counts[i][j]) / Double(rowTotals[i]),
                                  expected: expected[i][j]))
      }
    }
    var warnings: [StatsWarning] = []
    let flat = expected.flatMap { $0 }
    let minE = flat.min() ?? 0
    let small = flat.filter { $0 < 5 }.count
    if small > 0 {
      warnings.append(
        "\(small) of \(r * c) expected counts are below 5 (smallest \(String(format: "%.2f", minE))), so the χ² approximation may be inaccurate (R: 'Chi-squared approximation may be incorrect'); "
          + (is2x2 ? "report Fisher's exact test (fisher_p)" : "report Fisher's exact test (exact: true) or merge sparse categories"))
    }

    var fisher: Double? = nil
    var or: Double? = nil, orLow: Double? = nil, orHigh: Double? = nil
    if is2x2 {
      fisher = FisherExact.twoByTwo(counts)
      let a = Double(counts[0][0]), b = Double(counts[0][1]), cc = Double(counts[1][0]), d = Double(counts[1][1])
      let ratio = (a * d) / (b * cc)
      or = ratio
      let se = (1 / a + 1 / b + 1 / cc + 1 / d).squareRoot()
      let z = Distributions.normalQuantile(1 - (1 - level) / 2)
      if a * b * cc * d > 0 {
        orLow = exp(log(ratio) - z * se)
        orHigh = exp(log(ratio) + z * se)
      } else {
        warnings.append("a cell of the 2 × 2 table is 0, so the odds ratio is \(ratio.isNaN ? "undefined" : ratio == 0 ? "0" : "infinite") and its Woolf interval is undefined; report Fisher's exact test (fisher_p)")
      }
    } else if exact {
      fisher = try FisherExact.rByC(counts)
    }
    return CrossTabResult(
      xLevels: xl, yLevels: yl, counts: counts, cells: cells, n: n, chisq: x2, df: df, p: p,
      corrected: correct && is2x2, chisqPearson: pearson, cramersV: v, fisherP: fisher, oddsRatio: or,
      oddsRatioCiLower: orLow, oddsRatioCiUpper: orHigh, minExpected: minE, smallExpected: small, level: level,
      rowsUsed: n, rowsDropped: x.count - n, warnings: warnings)
  }

  /// Sorted levels of a column over `rows` and each row's level index: numbers numerically (as
  /// R's `factor` of a number), text by Unicode scalars, FALSE before TRUE.
  static func levels(_ col: Column, _ rows: [Int]) -> ([String], [Int]) {
    switch col {
    case .numeric(let v):
      let lv = Array(Set(rows.map { v[$0] })).sorted()
      let index = Dictionary(uniqueKeysWithValues: lv.enumerated().map { ($1, $0) })
      return (lv.map(formatShortest), rows.map { index[v[$0]] ?? 0 })
    case .text(let v):
      let lv = Set(rows.compactMap { v[$0] }).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
      let index = Dictionary(uniqueKeysWithValues: lv.enumerated().map { ($1, $0) })
      return (lv, rows.map { index[v[$0] ?? ""] ?? 0 })
    case .logical(let v):
      let lv = Set(rows.compactMap { v[$0] }).sorted { !$0 && $1 }
      return (lv.map { $0 ? "TRUE" : "FALSE" }, rows.map { v[$0] == lv[0] ? 0 : 1 })
    }
  }
}
