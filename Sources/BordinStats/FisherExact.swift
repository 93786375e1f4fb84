import Foundation

// Fisher's exact test of independence in a contingency table, two-sided, as R's `fisher.test`.
//
// Implementation goals: (1) R's p to ~1e-12: for 2 × 2 tables the hypergeometric sum of
// `fisher.test` (every table no more likely than the observed one, relative tolerance 1e-7); for
// r × c tables the same sum over every table with the observed margins, with FEXACT's tolerance
// (log-probability within 3.45254e-7 of the observed), found by complete enumeration instead of
// Mehta & Patel's network algorithm; (2) bounded work: an r × c table with too many tables to
// enumerate is a typed error, never a hang.
//
// Reference: Fisher, R. A. (1935), The logic of inductive inference, *JRSS, 98*, 39–82; Agresti,
// A. (2002), *Categorical Data Analysis*, 2nd ed., §3.5; R Core Team, `stats::fisher.test`;
// Mehta, C. R. & Patel, N. R. (1983), A network algorithm for performing Fisher's exact test in
// r × c contingency tables, *JASA, 78*, 427–434 (FEXACT's tolerance).

/// Fisher's exact test.
public enum FisherExact {
  /// At most this many tables are enumerated for an r × c test (a few seconds).
  public static let maxTables = 5_000_000

  /// Two-sided p of a 2 × 2 table [[a, b], [c, d]] (`fisher.test(x)$p.value`):
  ///
  /// ```
  /// m = a + c, n = b + d, k = a + b;  P(s) = dhyper(s, m, n, k), s = max(0, k − n)…min(k, m)
  /// p = Σ { P(s) : P(s) ≤ P(a) · (1 + 1e-7) }
  /// ```
  public static func twoByTwo(_ t: [[Int]]) -> Double {
    precondition(t.count == 2 && t.allSatisfy { $0.count == 2 }, "a 2 × 2 table")
    let m = Double(t[0][0] + t[1][0]), n = Double(t[0][1] + t[1][1]), k = Double(t[0][0] + t[0][1])
    let x = t[0][0]
    let lo = Int(max(0, k - n)), hi = Int(min(k, m))
    let logd = (lo...hi).map { Distributions.hypergeometricDensity(Double($0), m: m, n: n, k: k, log: true) }
    let mx = logd.max() ?? 0
    var d = logd.map { exp($0 - mx) }
    let total = d.reduce(0, +)
    d = d.map { $0 / total }
    let observed = d[x - lo] * (1 + 1e-7)
    return d.filter { $0 <= observed }.reduce(0, +)
  }

  /// Two-sided p of an r × c table by enumerating every table with its margins:
  ///
  /// ```
  /// P(table) = Π Rᵢ! Π Cⱼ! / (N! Π nᵢⱼ!),   p = Σ { P(t) : log P(t) ≤ log P(observed) + 3.45254e-7 }
  /// ```
  /// A 2 × 2 table gives the same p as ``twoByTwo(_:)`` up to the tolerance rule.
  /// - Throws: `StatsError` `exact-too-large` when more than ``maxTables`` tables would be
  ///   enumerated.
  public static func rByC(_ t: [[Int]], maxTables: Int = FisherExact.maxTables) throws -> Double {
    // Put the smaller dimension in the rows: fewer free cells per column.
    var table = t
    if table.count > (table.first?.count ?? 0) {
      table = (0..<(t.first?.count ?? 0)).map { j in t.map { $0[j] } }
    }
    let r = table.count, c = table.first?.count ?? 0
    let rows = table.map { $0.reduce(0, +) }
    let cols = (0..<c).map { j in table.reduce(0) { $0 + $1[j] } }
    let total = rows.reduce(0, +)
    let lf = (0...max(total, 1)).map { Distributions.logGamma(Double($0) + 1) }
    let constant = rows.reduce(0) { $0 + lf[$1] } + cols.reduce(0) { $0 + lf[$1] } - lf[total]
    var observed = constant
    for row in table { for x in row { observed -= lf[x] } }
    let limit = observed + 3.45254e-7

    var p = 0.0
    var visited = 0
    var remaining = rows
    var tooLarge = false
    // Column j, row i: choose n_ij given what is left of the row totals and of column j.
    func column(_ j: Int, _ logSoFar: Double) {
      if tooLarge { return }
      if j == c - 1 {
        // The last column is determined by the remaining row totals.
        var s = logSoFar
        for i in 0..<r { s -= lf[remaining[i]] }
        visited += 1
        if visited > maxTables { tooLarge = true; return }
        if s <= limit { p += exp(s) }
        return
      }
      cell(j, 0, cols[j], logSoFar)
    }
    func cell(_ j: Int, _ i: Int, _ left: Int, _ logSoFar: Double) {
      if tooLarge { return }
      if i == r - 1 {
        guard left <= remaining[i] else { return }
        remaining[i] -= left
        column(j + 1, logSoFar - lf[left])
        remaining[i] += left
        return
      }
      // What the rows below can still take bounds this cell from below.
      var below = 0
      for k in (i + 1)..<r { below += remaining[k] }
      let lo = max(0, left - below), hi = min(left, remaining[i])
      if lo > hi { return }
      for x in lo...hi {
        remaining[i] -= x
        cell(j, i + 1, left - x, logSoFar - lf[x])
        remaining[i] += x
        if tooLarge { return }
      }
    }
    if c <= 1 || r <= 1 { return 1 }
    column(0, constant)
    if tooLarge {
      throw StatsError(
        code: "exact-too-large",
        message: "Fisher's exact test of this \(t.count) × \(t.first?.count ?? 0) table (n = \(total)) needs more than \(maxTables) tables to be enumerated",
        remedy: "Drop 'exact: true' (use the χ² test), or merge sparse categories.")
    }
    return min(1, max(0, p))
  }
}
