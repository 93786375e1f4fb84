import BordinData
import Foundation

// The response of a generalized linear mixed model, as R's `model.frame` + `family$initialize`
// read it: a 0/1 or two-level outcome, binomial counts `cbind(successes, failures)`, or Poisson
// counts.
//
// Implementation goals: (1) R's coding: a text or logical outcome's first sorted level is 0 (a
// factor response); `cbind(s, f)` is the proportion s/(s + f) with prior weight s + f
// (`binomial()$initialize`); (2) every malformed outcome is a typed error naming the row:
// non-0/1 values, negative or fractional counts, `cbind` with a family other than binomial.
//
// Reference: R Core Team, `stats::binomial` (`initialize`: "cbind(successes, failures)"),
// `stats::glm`.

/// The response of a GLMM, ready for ``GLMMLaplace``: a numeric column substituted into the data
/// and the formula, with its prior weights.
struct GLMMResponse {
  /// The column name under which the response sits in ``table``.
  static let column = ".glmm_response"
  static let weightColumn = ".glmm_weights"

  /// The data with the response (and, for counts, the weights) as numeric columns.
  var table: Table
  /// The formula with the response replaced by ``column``.
  var formula: MixedFormula
  /// The response as written (`use`, `cbind(incidence, size - incidence)`).
  var name: String
  /// A two-level outcome's levels (first coded 0).
  var levels: [String]?
  /// Whether the response is `cbind(successes, failures)`.
  var counts: Bool

  /// Reads the response of `formula` from `data`.
  /// - Throws: `StatsError` `no-response`, `non-binary-outcome`, `cbind-family`, `bad-cbind`,
  ///   `negative-count`, `non-integer-count`.
  static func prepare(
    _ formula: MixedFormula, data: Table, family: GLMFamily, evaluate: ModelMatrix.Evaluator
  ) throws -> GLMMResponse {
    guard let atom = formula.fixed.responseAtom else {
      throw StatsError(code: "no-response", message: "the formula has no response", remedy: "Write it as 'outcome ~ predictors + (1 | group)'.")
    }
    var table = data
    var levels: [String]? = nil
    var counts = false
    let values: [Double]
    switch atom {
    case .variable(let name):
      guard let col = data[name] else {
        throw StatsError(code: "unknown-column", message: "column '\(name)' is not in the data",
                         remedy: "Available columns: \(data.names.joined(separator: ", ")).")
      }
      if family == .binomial, !col.isNumeric {
        let (coded, lv) = try GeneralizedLinearModel.binaryCoding(col, name: name)
        values = coded
        levels = lv
      } else {
        guard case .numeric(let v) = col else {
          throw StatsError(code: "non-numeric-response", message: "the response '\(name)' is not numeric",
                           remedy: "Counts must be numbers; recode the column in a data step.")
        }
        values = v
      }
    case .expression(let label, let code):
      if let args = cbindArguments(code) {
        guard family == .binomial else {
          throw StatsError(
            code: "cbind-family", message: "'\(label)' (successes and failures) is a binomial response, but the family is \(family.rawValue)",
            remedy: "Use family: binomial, or a single count column for poisson.")
        }
        let s = try column(args.0, data: data, evaluate: evaluate)
        let f = try column(args.1, data: data, evaluate: evaluate)
        try checkCounts(s, what: "successes '\(args.0)'")
        try checkCounts(f, what: "failures '\(args.1)'")
        var y = [Double](repeating: .nan, count: data.rowCount)
        var w = [Double](repeating: .nan, count: data.rowCount)
        for i in 0..<data.rowCount where s[i].isFinite && f[i].isFinite {
          let m = s[i] + f[i]
          w[i] = m
          y[i] = m > 0 ? s[i] / m : 0
        }
        table[weightColumn] = .numeric(w)
        values = y
        counts = true
      } else {
        values = try evaluate(code)
      }
    }
    table[column] = .numeric(values)
    var f = formula
    f.fixed.responseAtom = .variable(column)
    if !f.fixed.variables.contains(column) { f.fixed.variables.append(column) }
    return GLMMResponse(table: table, formula: f, name: atom.label, levels: levels, counts: counts)
  }

  /// The two arguments of `cbind(a, b)`, split at the top-level comma; nil for other code.
  static func cbindArguments(_ code: String) -> (String, String)? {
    let t = code.trimmingCharacters(in: .whitespaces)
    guard t.hasPrefix("cbind("), t.hasSuffix(")") else { return nil }
    let inner = t.dropFirst(6).dropLast()
    var depth = 0
    for (k, c) in zip(inner.indices, inner) {
      if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == ",", depth == 0 {
        let a = inner[..<k].trimmingCharacters(in: .whitespaces)
        let b = inner[inner.index(after: k)...].trimmingCharacters(in: .whitespaces)
        return a.isEmpty || b.isEmpty || depthZeroComma(b) ? nil : (a, b)
      }
    }
    return nil
  }

  private static func depthZeroComma(_ s: String) -> Bool {
    var depth = 0
    for c in s {
      if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == ",", depth == 0 { return true }
    }
    return false
  }

  /// A column by name, or an expression evaluated over the rows.
  private static func column(_ code: String, data: Table, evaluate: ModelMatrix.Evaluator) throws -> [Double] {
    if let col = data[code] {
      guard case .numeric(let v) = col else {
        throw StatsError(code: "non-numeric-response", message: "'\(code)' in cbind() is not numeric", remedy: "cbind() takes the numbers of successes and failures.")
      }
      return v
    }
    return try evaluate(code)
  }

  /// Successes and failures must be whole numbers ≥ 0 (R warns and rounds; Bordin refuses).
  private static func checkCounts(_ v: [Double], what: String) throws {
    if let i = v.firstIndex(where: { $0.isFinite && $0 < 0 }) {
      throw StatsError(
        code: "negative-count", message: "the \(what) is \(GeneralizedLinearModel.show(v[i])) in row \(i + 1); counts cannot be negative",
        remedy: "cbind(successes, failures) takes counts; check the second argument (e.g. size - events).")
    }
    if let i = v.firstIndex(where: { $0.isFinite && $0 != $0.rounded() }) {
      throw StatsError(
        code: "non-integer-count", message: "the \(what) is \(v[i]) in row \(i + 1); binomial counts are whole numbers",
        remedy: "Round the counts, or give the outcome as 0/1 rows.")
    }
  }
}
