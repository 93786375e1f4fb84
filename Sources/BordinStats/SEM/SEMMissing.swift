// The data of a structural equation model grouped by missing-data pattern.
//
// Implementation goals, in priority order: (1) the rows, patterns and per-pattern statistics
// lavaan uses (`lav_data_missing_patterns`, `lav_samplestats_missing_patterns`): rows with every
// model variable missing are dropped, patterns are ordered by decreasing frequency (ties in the
// order of their 0/1 codes), and each pattern keeps its mean vector and ML covariance matrix
// (divisor n), which are sufficient for the normal likelihood; (2) typed errors naming the
// column for unknown, non-numeric or entirely missing variables.

import BordinData

/// One missing-data pattern of the rows used by a model.
public struct SEMMissingPattern: Sendable, Equatable {
  /// The observed variables of the pattern, in the model's variable order.
  public var observed: [String]
  /// Number of rows with this pattern.
  public var count: Int
}

/// The share of used rows in which a variable is observed.
public struct SEMCoverage: Sendable, Equatable {
  public var variable: String
  public var proportion: Double
}

/// How rows with missing values are handled.
public enum SEMMissing: String, Sendable, Equatable {
  /// Full-information maximum likelihood (lavaan `missing = "ml"`): every row with at least
  /// one observed model variable contributes the likelihood of its observed values.
  case fiml
  /// Listwise deletion (lavaan `missing = "listwise"`): only complete rows are used.
  case listwise
}

/// The rows of one missing-data pattern with their sufficient statistics.
struct PatternData: Sendable {
  /// Indices of the observed variables (into the model's observed variables).
  var observed: [Int]
  /// The raw values, row-major: `values[r * observed.count + j]`.
  var values: [Double]
  var n: Int
  /// Mean of each observed variable over the pattern's rows.
  var mean: [Double]
  /// ML covariance (divisor n) of the observed variables, column-major; zero for n = 1.
  var cov: [Double]
  /// lavaan's pattern code ("1101…").
  var code: String
}

/// The model variables of the used rows, by pattern.
struct SEMSample: Sendable {
  let variables: [String]
  /// Row indices (into the input table) of the rows used.
  let rowsUsed: [Int]
  let patterns: [PatternData]
  let n: Int
  /// Rows dropped: all variables missing (FIML) or any missing (listwise).
  let rowsDropped: Int

  /// Collects the columns `variables` of `table`.
  /// - Throws: `StatsError` `unknown-variable` (with a close match), `not-numeric`,
  ///   `all-missing` (a variable with no observed value), `too-few-rows`, `zero-variance`.
  static func make(table: Table, variables: [String], missing: SEMMissing) throws -> SEMSample {
    var columns: [[Double]] = []
    for v in variables {
      guard let col = table[v] else {
        var remedy = "The data has: " + table.names.prefix(12).joined(separator: ", ")
          + (table.names.count > 12 ? ", …" : "") + "."
        if let near = closestMatch(v, in: table.names) { remedy = "Did you mean '\(near)'?" }
        throw StatsError(
          code: "unknown-variable",
          message: "'\(v)' is used as an observed variable of the model but is not a column of the data",
          remedy: remedy + " Latent variables must be defined with '=~'.")
      }
      guard let d = col.doubles else {
        throw StatsError(
          code: "not-numeric", message: "column '\(v)' is not numeric",
          remedy: "SEM needs numeric variables; recode it in a 'data' directive.")
      }
      columns.append(d)
    }
    let p = variables.count
    let nAll = table.rowCount
    var used: [Int] = []
    for i in 0..<nAll {
      let observed = columns.reduce(0) { $0 + ($1[i].isNaN ? 0 : 1) }
      switch missing {
      case .fiml: if observed > 0 { used.append(i) }
      case .listwise: if observed == p { used.append(i) }
      }
    }
    for (j, v) in variables.enumerated() where columns[j].allSatisfy(\.isNaN) {
      throw StatsError(
        code: "all-missing", message: "'\(v)' is missing in every row",
        remedy: "Remove '\(v)' from the model or check the data and the filter.")
    }
    if used.count < 2 {
      throw StatsError.tooFewRows("a structural equation model", have: used.count, need: 2)
    }
    for (j, v) in variables.enumerated() {
      let values = used.map { columns[j][$0] }.filter { !$0.isNaN }
      if let first = values.first, values.allSatisfy({ $0 == first }) { throw StatsError.zeroVariance(v) }
    }
    // Patterns.
    var byCode: [String: [Int]] = [:]
    for i in used {
      let code = String(columns.map { $0[i].isNaN ? "0" : "1" })
      byCode[code, default: []].append(i)
    }
    // Decreasing frequency, ties by code (R: sort(table(code), decreasing = TRUE)).
    let codes = byCode.keys.sorted { a, b in
      let na = byCode[a]!.count
      let nb = byCode[b]!.count
      return na != nb ? na > nb : a < b
    }
    var patterns: [PatternData] = []
    for code in codes {
      let rows = byCode[code]!
      let obs = Array(code.enumerated().filter { $0.element == "1" }.map(\.offset))
      let k = obs.count
      var values = [Double](repeating: 0, count: rows.count * k)
      for (r, i) in rows.enumerated() { for (j, v) in obs.enumerated() { values[r * k + j] = columns[v][i] } }
      let n = rows.count
      var mean = [Double](repeating: 0, count: k)
      for r in 0..<n { for j in 0..<k { mean[j] += values[r * k + j] } }
      for j in 0..<k { mean[j] /= Double(n) }
      var cov = [Double](repeating: 0, count: k * k)
      if n > 1 {
        for r in 0..<n {
          for b in 0..<k {
            let db = values[r * k + b] - mean[b]
            for a in b..<k { cov[a + b * k] += (values[r * k + a] - mean[a]) * db }
          }
        }
        for b in 0..<k {
          for a in b..<k {
            cov[a + b * k] /= Double(n)
            cov[b + a * k] = cov[a + b * k]
          }
        }
      }
      patterns.append(PatternData(observed: obs, values: values, n: n, mean: mean, cov: cov, code: code))
    }
    return SEMSample(
      variables: variables, rowsUsed: used, patterns: patterns, n: used.count,
      rowsDropped: nAll - used.count)
  }

  /// The patterns as public values.
  var publicPatterns: [SEMMissingPattern] {
    patterns.map { SEMMissingPattern(observed: $0.observed.map { variables[$0] }, count: $0.n) }
  }

  /// Share of used rows in which each variable is observed (lavaan's coverage diagonal).
  var coverage: [SEMCoverage] {
    variables.indices.map { j in
      let k = patterns.reduce(0) { $0 + ($1.observed.contains(j) ? $1.n : 0) }
      return SEMCoverage(variable: variables[j], proportion: Double(k) / Double(n))
    }
  }
}
