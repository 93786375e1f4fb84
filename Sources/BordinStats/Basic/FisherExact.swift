import Foundation

// Fisher's exact test of independence in a contingency table, two-sided, as R's `fisher.test`.
//
// Implementation goals: (1) R's p to ~1e-12: for 2 × 2 tables the hypergeometric sum of
// `fisher.test` (every table no more likely than the observed one, relative tolerance 1e-7); for
// r × c tables the same sum over every table with the observed margins, with FEXACT's tolerance
// (log-probability within 3.45254e-7 of the observed), found by enumerating the tables column by
// column and, as Mehta & Patel's network algorithm, adding or dropping whole sets of completions
// at once when bounds place them all on one side of the observed probability; (2) bounded work: an r × c table with too many tables to
// enumerate is a typed error, never a hang.
//
// Reference: Fisher, R. A. (1935), The logic of inductive inference, *JRSS, 98*, 39–82; Agresti,
// A. (2002), *Categorical Data Analysis*, 2nd ed., §3.5; R Core Team, `stats::fisher.test`;
// Mehta, C. R. & Patel, N. R. (1983), A network algorithm for performing Fisher's exact test in
// r × c contingency tables, *JASA, 78*, 427–434 (FEXACT's tolerance).

/// Fisher's exact test.
public enum FisherExact {
  /// At most this many (partial) tables are visited for an r × c test (a few seconds).
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

  /// Two-sided p of an r × c table over every table with its margins (enumerated column by
  /// column, whole sets of completions added or dropped by bounds):
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
    // Columns in decreasing order of their totals (the p does not depend on the order; the
    // network is smaller this way).
    if let width = table.first?.count, width > 1 {
      let order = (0..<width).sorted { a, b in
        let ta = table.reduce(0) { $0 + $1[a] }, tb = table.reduce(0) { $0 + $1[b] }
        return ta != tb ? ta > tb : a < b
      }
      table = table.map { row in order.map { row[$0] } }
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

    if c <= 1 || r <= 1 { return 1 }

    // The network of Mehta & Patel (1983): stage j holds the partial tables of columns 0…j−1,
    // keyed by the multiset of row totals still to fill (the rest of a table depends on nothing
    // else), each with its distinct past values (Σ −log n! so far, plus the constant) and how many
    // partial tables share them. Bounds on the rest decide whole groups at once: the most even
    // split maximises Σ −log n!, the most concentrated (largest caps first) minimises it, each
    // relaxed to one set of margins; and Σ Π 1/n! over all completions is N'!/(Π Sᵢ! Π Cₖ!).
    func even(_ total: Int, _ parts: Int) -> Double {
      let q = total / parts, rem = total % parts
      return -(Double(rem) * lf[q + 1] + Double(parts - rem) * lf[q])
    }
    func concentrated(_ total: Int, _ caps: [Int]) -> Double {
      var left = total, v = 0.0
      for cap in caps.sorted(by: >) where left > 0 {
        let x = min(left, cap)
        v -= lf[x]
        left -= x
      }
      return v
    }
    /// Past values are merged when they agree to 1e-11 (they differ only by summation order).
    func bin(_ v: Double) -> Int64 { Int64((v * 1e11).rounded()) }

    var p = 0.0
    var work = 0
    var stage: [[Int]: [Int64: (value: Double, count: Double)]] = [rows.sorted(): [bin(constant): (constant, 1)]]
    for j in 0..<c {
      let restCols = Array(cols[j...])
      var next: [[Int]: [Int64: (value: Double, count: Double)]] = [:]
      // Deterministic order (dictionary order is not).
      for key in stage.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        guard let pasts = stage[key] else { continue }
        if j == c - 1 {
          // The last column is the remaining row totals.
          let last = key.reduce(0) { $0 + lf[$1] }
          for (_, e) in pasts where e.value - last <= limit { p += e.count * exp(e.value - last) }
          continue
        }
        let upper = min(restCols.reduce(0) { $0 + even($1, r) }, key.reduce(0) { $0 + even($1, c - j) })
        let lower = max(restCols.reduce(0) { $0 + concentrated($1, key) }, key.reduce(0) { $0 + concentrated($1, restCols) })
        let n = key.reduce(0, +)
        let totalLog = lf[n] - key.reduce(0) { $0 + lf[$1] } - restCols.reduce(0) { $0 + lf[$1] }
        var open: [(value: Double, count: Double)] = []
        for (_, e) in pasts {
          if e.value + lower > limit { continue }
          if e.value + upper <= limit { p += e.count * exp(e.value + totalLog); continue }
          open.append(e)
        }
        if open.isEmpty { continue }
        // Every split of column j's total over the rows, within the rows' remaining totals.
        var x = [Int](repeating: 0, count: r)
        func split(_ i: Int, _ left: Int, _ inc: Double) {
          if work > maxTables { return }
          if i == r - 1 {
            guard left <= key[i] else { return }
            x[i] = left
            work += 1
            let child = (0..<r).map { key[$0] - x[$0] }.sorted()
            let add = inc - lf[left]
            var bucket = next[child] ?? [:]
            for e in open {
              let v = e.value + add
              let b = bin(v)
              if let old = bucket[b] { bucket[b] = (old.value, old.count + e.count) } else { bucket[b] = (v, e.count) }
            }
            next[child] = bucket
            return
          }
          var below = 0
          for k in (i + 1)..<r { below += key[k] }
          let lo = max(0, left - below), hi = min(left, key[i])
          if lo > hi { return }
          for v in lo...hi {
            x[i] = v
            split(i + 1, left - v, inc - lf[v])
          }
        }
        split(0, cols[j], 0)
        if work > maxTables { break }
      }
      if work > maxTables { break }
      stage = next
    }
    let tooLarge = work > maxTables
    if tooLarge {
      throw StatsError(
        code: "exact-too-large",
        message: "Fisher's exact test of this \(t.count) × \(t.first?.count ?? 0) table (n = \(total)) needs more than \(maxTables) (partial) tables to be enumerated",
        remedy: "Drop 'exact: true' (use the χ² test), or merge sparse categories.")
    }
    return min(1, max(0, p))
  }
}
