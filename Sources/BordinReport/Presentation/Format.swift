import Foundation

/// APA 7 number formatting: the only place numbers become text for the reader.
///
/// Rules (APA Publication Manual, 7th ed., §6.36–6.38): statistics that cannot exceed 1 in
/// absolute value (correlations, proportions, p-values, ICC, kappa, alpha) have no leading
/// zero; p-values have three decimals and are never 0 (`< .001`); other statistics two
/// decimals; counts and degrees of freedom that are whole numbers have none; negative numbers
/// use the minus sign U+2212. Rounding is that of C's `printf` on the double's exact binary
/// value, as R's `sprintf`/`formatC` round.
public enum Format {
  /// How a field's value is shown when the inline value gives no explicit format.
  public enum Kind: Sendable {
    case bounded   // |x| ≤ 1: no leading zero, 2 decimals
    case pValue    // APA p
    case count     // integer
    case general   // 2 decimals
    case percent   // 1 decimal (I², R²)
  }

  public static let minus = "\u{2212}"

  /// Field names whose values are bounded by 1 (no leading zero).
  static let boundedNames: Set<String> = [
    "r", "rho", "ICC", "kappa", "weighted_kappa", "alpha", "raw_alpha", "std_alpha", "G6",
    "average_r", "omega_total", "r2", "adj_r2", "r_ci_lb", "r_ci_ub", "r_pi_lb", "r_pi_ub",
    "kappa_ci_lb", "kappa_ci_ub", "weighted_kappa_ci_lb", "weighted_kappa_ci_ub", "std_all", "tau",
    "cfi", "rmsea", "rmsea_ci_lb", "rmsea_ci_ub", "srmr", "r_drop", "r_cor", "std_loading", "alpha_if_deleted", "share", "proportion",
    "cramers_v",
  ]
  static let countNames: Set<String> = [
    "n", "k", "k0", "rows", "nobs", "df1", "Q_df", "QM_df", "missing", "rows_used", "rows_dropped", "npar", "ngroups", "levels",
    "n_x", "n_y", "columns", "Q_between_df", "patterns",
  ]
  static let percentNames: Set<String> = ["I2", "I2_ci_lb", "I2_ci_ub", "R2"]

  /// The display kind of field `name`, given its parent object (so `ci_lb` of a correlation is bounded).
  static func kind(of name: String, in parent: ResultValue?) -> Kind {
    if name == "p" || name.hasSuffix("_p") || name == "p_value" { return .pValue }
    if boundedNames.contains(name) { return .bounded }
    if percentNames.contains(name) { return .percent }
    if countNames.contains(name) { return .count }
    if name == "df" || name == "df2" || name == "Q_df" {
      return .count  // whole df print as integers; fractional df fall through in `auto`
    }
    if name == "ci_lb" || name == "ci_ub" || name == "pi_lb" || name == "pi_ub" {
      if let parent, parent["r"] != nil || parent["rho"] != nil || parent["ICC"] != nil { return .bounded }
    }
    return .general
  }

  /// Formats `x` for the reader according to its kind.
  public static func auto(_ x: Double, kind: Kind) -> String {
    switch kind {
    case .bounded: return fixed(x, 2, leadingZero: false)
    case .pValue: return p(x)
    case .count: return x == x.rounded() ? integer(x) : fixed(x, 2)
    case .general: return fixed(x, 2)
    case .percent: return fixed(x, 1)
    }
  }

  /// APA p-value: `.032`, `< .001`, `> .999`.
  public static func p(_ x: Double) -> String {
    guard x.isFinite else { return nonFinite(x) }
    if x < 0.001 { return "< .001" }
    let s = fixed(x, 3, leadingZero: false)
    if s == "1.000" { return "> .999" }
    return s
  }

  /// `x` with `digits` decimals; minus sign U+2212; optionally no leading zero.
  public static func fixed(_ x: Double, _ digits: Int, leadingZero: Bool = true) -> String {
    guard x.isFinite else { return nonFinite(x) }
    var s = roundedText(abs(x), digits: max(0, min(digits, 15)))
    let isZero = s.allSatisfy { $0 == "0" || $0 == "." }
    if !leadingZero, s.hasPrefix("0.") { s.removeFirst() }
    return (x < 0 && !isZero ? minus : "") + s
  }

  /// Whole number with no decimals.
  public static func integer(_ x: Double) -> String { fixed(x, 0) }

  /// Percentage: `x` (a proportion in [0, 1]) × 100 with one decimal and a `%` sign.
  public static func percent(_ x: Double) -> String { fixed(x * 100, 1) + "%" }

  /// An APA interval `[lb, ub]` in the format of its kind.
  public static func interval(_ lb: Double, _ ub: Double, kind: Kind) -> String {
    "[" + auto(lb, kind: kind) + ", " + auto(ub, kind: kind) + "]"
  }

  static func nonFinite(_ x: Double) -> String {
    if x.isNaN { return "NA" }
    return x > 0 ? "∞" : minus + "∞"
  }

  /// Rounds a non-negative finite number to `digits` decimals from the double's exact value
  /// (2.675 is stored as 2.67499… and gives 2.67, as in R's `sprintf`).
  static func roundedText(_ x: Double, digits: Int) -> String {
    String(format: "%.\(digits)f", locale: nil, x)
  }
}
