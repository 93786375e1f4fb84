// Krippendorff's alpha for any number of coders, missing ratings allowed, four metrics.
//
// Implementation goals, in priority order: (1) Krippendorff's (2011) definition computed from
// the coincidence matrix, exact to rounding (the reference reproduces his published .743, .815,
// .849 and .797); (2) missing ratings handled as he prescribes: a unit contributes its mᵤ ≥ 2
// values with weight 1/(mᵤ − 1), and units with fewer than two values are not pairable;
// (3) typed errors for fewer than two coders, no pairable unit, one distinct value, and
// negative values on the ratio metric.
//
// Note on irr: `irr::kripp.alpha` uses mᵤ − 1 only when the data have a missing value; with
// complete data and more than two coders it divides by 1 instead, inflating the coincidences
// (irr 0.84.1). This file always follows Krippendorff (2011).
//
// References: Krippendorff, K. (2011), Computing Krippendorff's alpha-reliability, Annenberg
// School for Communication, University of Pennsylvania (Departmental Papers 43);
// Krippendorff, K. (2004), *Content Analysis: An Introduction to Its Methodology*, 2nd ed., ch. 11;
// Hayes, A. F. & Krippendorff, K. (2007), Answering the call for a standard reliability measure
// for coding data, *Communication Methods and Measures* 1, 77–89.

/// The metric (level of measurement) of the difference function δ².
public enum KrippendorffLevel: String, Sendable, CaseIterable, Equatable {
  /// δ²_ck = 0 if c = k, else 1.
  case nominal
  /// δ²_ck = (Σ_{g=c}^{k} n_g − (n_c + n_k)/2)², on the ranks of the values.
  case ordinal
  /// δ²_ck = (c − k)².
  case interval
  /// δ²_ck = ((c − k)/(c + k))².
  case ratio
}

/// Krippendorff's alpha and what it was computed from.
public struct KrippendorffResult: Sendable, Equatable {
  public var level: KrippendorffLevel
  /// α = 1 − D_o/D_e (`alpha`).
  public var alpha: Double
  /// The distinct values, sorted (numeric input) or in code order (text input).
  public var values: [String]
  /// The coincidence matrix o_ck (values × values).
  public var coincidence: Matrix
  /// n: the number of pairable values, Σ_ck o_ck.
  public var pairableValues: Double
  /// Units with at least two values.
  public var pairableUnits: Int
  /// Observed and expected disagreement, D_o = Σ o_ck δ²_ck / n and
  /// D_e = Σ n_c n_k δ²_ck / (n(n − 1)).
  public var observedDisagreement: Double
  public var expectedDisagreement: Double
  public var raters: [String]
}

/// Krippendorff's alpha.
public enum KrippendorffAlpha {
  /// Krippendorff's alpha of numeric ratings.
  ///
  /// ```
  /// o_ck = Σᵤ Σ_{i≠j} 1(v_ui = c, v_uj = k)/(mᵤ − 1)    (units with mᵤ ≥ 2 values)
  /// n_c = Σ_k o_ck,   n = Σ_c n_c
  /// α = 1 − (n − 1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck
  /// ```
  /// - Parameters:
  ///   - columns: one column per coder, one value per unit (equal lengths; NaN is missing).
  ///   - raters: coder names, one per column.
  ///   - level: the metric.
  /// - Throws: `StatsError` `too-few-raters`, `too-few-rows` (no unit has two values),
  ///   `zero-variance` (one distinct value: no expected disagreement), `negative-ratio`
  ///   (negative values on the ratio metric), `non-finite`.
  public static func compute(
    _ columns: [[Double]], raters: [String], level: KrippendorffLevel
  ) throws -> KrippendorffResult {
    precondition(columns.count == raters.count, "one name per coder column")
    try checkRaters(raters)
    let units = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == units }, "coder columns differ in length")
    let present = columns.flatMap { $0 }.filter { !$0.isNaN }
    if present.contains(where: { !$0.isFinite }) {
      throw StatsError(code: "non-finite", message: "the ratings contain an infinite value")
    }
    if level == .ratio, let negative = present.first(where: { $0 < 0 }) {
      throw StatsError(
        code: "negative-ratio",
        message: "the ratio metric needs non-negative values; the ratings contain \(negative)",
        remedy: "Use the interval metric for scales with negative values.")
    }
    let values = Array(Set(present)).sorted()
    let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
    let unitCodes: [[Int]] = (0..<units).map { u in
      columns.compactMap { $0[u].isNaN ? nil : index[$0[u]]! }
    }
    return try alpha(
      unitCodes: unitCodes, numericValues: values, labels: values.map { formatValue($0) },
      raters: raters, level: level)
  }

  /// Krippendorff's alpha of text codes: the nominal metric only (text has no distances).
  /// Values are sorted by Unicode scalar values for the report. nil is missing.
  /// - Throws: as ``compute(_:raters:level:)``.
  public static func nominal(codes columns: [[String?]], raters: [String]) throws
    -> KrippendorffResult
  {
    precondition(columns.count == raters.count, "one name per coder column")
    try checkRaters(raters)
    let units = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == units }, "coder columns differ in length")
    let labels = Array(Set(columns.flatMap { $0.compactMap { $0 } })).sorted {
      $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
    }
    let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    let unitCodes: [[Int]] = (0..<units).map { u in columns.compactMap { $0[u].map { index[$0]! } } }
    return try alpha(
      unitCodes: unitCodes, numericValues: nil, labels: labels, raters: raters, level: .nominal)
  }

  private static func checkRaters(_ raters: [String]) throws {
    if raters.count < 2 {
      throw StatsError(
        code: "too-few-raters",
        message: "Krippendorff's alpha needs at least two coders; got \(raters.count)",
        remedy: "List two or more coder columns in 'raters'.")
    }
  }

  private static func formatValue(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
  }

  private static func alpha(
    unitCodes: [[Int]], numericValues: [Double]?, labels: [String], raters: [String],
    level: KrippendorffLevel
  ) throws -> KrippendorffResult {
    let v = labels.count
    var o = Matrix(rows: v, cols: v)
    var pairable = 0
    for codes in unitCodes where codes.count >= 2 {
      pairable += 1
      let weight = 1 / Double(codes.count - 1)
      for a in codes.indices {
        for b in codes.indices where a != b { o[codes[a], codes[b]] += weight }
      }
    }
    if pairable == 0 {
      throw StatsError(
        code: "too-few-rows",
        message: "no unit has ratings from two coders, so nothing can be compared",
        remedy: "Krippendorff's alpha needs units rated by at least two of \(raters.map { "'\($0)'" }.joined(separator: ", ")).")
    }
    let nc = (0..<v).map { c in (0..<v).reduce(0) { $0 + o[c, $1] } }
    let n = nc.reduce(0, +)
    if v < 2 {
      throw StatsError(
        code: "zero-variance",
        message: "every pairable rating is '\(labels[0])', so there is no expected disagreement and alpha is undefined",
        remedy: "Check the coder columns and the filter.")
    }
    // δ² for every pair of value positions.
    var d2 = Matrix(rows: v, cols: v)
    for k in 0..<v {
      for c in 0..<v where c != k {
        switch level {
        case .nominal:
          d2[c, k] = 1
        case .ordinal:
          let lo = min(c, k)
          let hi = max(c, k)
          var s = nc[lo] / 2
          if hi > lo + 1 { for g in (lo + 1)..<hi { s += nc[g] } }
          s += nc[hi] / 2
          d2[c, k] = s * s
        case .interval:
          let diff = numericValues![c] - numericValues![k]
          d2[c, k] = diff * diff
        case .ratio:
          let x = numericValues![c]
          let y = numericValues![k]
          let r = (x - y) / (x + y)
          d2[c, k] = r * r
        }
      }
    }
    var observed = 0.0
    var expected = 0.0
    for k in 0..<v {
      for c in 0..<v {
        observed += o[c, k] * d2[c, k]
        expected += nc[c] * nc[k] * d2[c, k]
      }
    }
    if !(expected > 0) {
      throw StatsError(
        code: "zero-variance",
        message: "the pairable ratings show no expected disagreement, so alpha is undefined",
        remedy: "Check the coder columns and the filter.")
    }
    let alpha = 1 - (n - 1) * observed / expected
    return KrippendorffResult(
      level: level, alpha: alpha, values: labels, coincidence: o, pairableValues: n,
      pairableUnits: pairable, observedDisagreement: observed / n,
      expectedDisagreement: expected / (n * (n - 1)), raters: raters)
  }
}
