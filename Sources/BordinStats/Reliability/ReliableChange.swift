import BordinData

// Reliable and clinically significant change (Jacobson & Truax 1991): each patient's reliable
// change index and whether the post score crossed a cutoff, counted as recovered, improved,
// unchanged or deteriorated.
//
// Implementation goals: (1) the formulas of Jacobson & Truax (1991) with Christensen & Mendoza's
// (1986) standard error of the difference, exactly as DESIGN §3 fixes them: S_diff =
// √2 · SD · √(1 − r_xx), the SD of the pre scores over the rows with both scores (or given),
// |RCI| > 1.96 (strict) is reliable, cutoff c from norms else cutoff a; (2) nothing silent: rows
// missing a score are dropped and counted, impossible reliabilities and SDs are typed errors.
//
// Reference: Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
// defining meaningful change in psychotherapy research. *Journal of Consulting and Clinical
// Psychology, 59*(1), 12–19; Christensen, L., & Mendoza, J. L. (1986). A method of assessing
// change in a single subject: An alteration of the RC index. *Behavior Therapy, 17*, 305–308.

/// A patient's category under the Jacobson–Truax criteria.
public enum ChangeCategory: String, Sendable, CaseIterable {
  /// Reliable improvement and the post score on the functional side of the cutoff.
  case recovered
  /// Reliable improvement without crossing the cutoff.
  case improved
  /// No reliable change.
  case unchanged
  /// Reliable worsening.
  case deteriorated
}

/// How many patients (of a group) fall in a category.
public struct ChangeCount: Sendable, Equatable {
  /// The group's level (with `by`), else nil.
  public var group: String?
  public var category: ChangeCategory
  public var n: Int
  /// 100 · n / the group's (or the sample's) patients.
  public var percent: Double
}

/// One patient's change.
public struct PatientChange: Sendable, Equatable {
  /// The table row (0-based).
  public var row: Int
  public var pre: Double
  public var post: Double
  /// (post − pre) / S_diff.
  public var rci: Double
  public var category: ChangeCategory
  public var group: String?
}

/// The Jacobson–Truax analysis of a sample.
public struct ReliableChangeResult: Sendable, Equatable {
  /// Patients with both scores (and a group, with `by`).
  public var n: Int
  public var rowsDropped: Int
  /// SD₁: the SD of the pre scores (n − 1), or the given one.
  public var sd: Double
  /// M₁: the mean of the pre scores.
  public var meanPre: Double
  public var reliability: Double
  /// √2 · SD₁ · √(1 − r_xx).
  public var sdiff: Double
  /// 1.96: |RCI| above it is reliable.
  public var rciThreshold: Double
  /// The smallest reliable change in score points, 1.96 · S_diff.
  public var minReliableChange: Double
  /// The cutoff between the dysfunctional and functional populations.
  public var cutoff: Double
  /// "c" (from norms: (SD₀M₁ + SD₁M₀)/(SD₀ + SD₁)) or "a" (M₁ ∓ 2 SD₁).
  public var cutoffType: String
  public var lowerIsBetter: Bool
  /// The four categories in order, per group (levels sorted) with `by`.
  public var categories: [ChangeCount]
  /// Every patient, in table order.
  public var patients: [PatientChange]
  /// The groups' levels, sorted (empty without `by`).
  public var groups: [String]

  /// The count of `category` (in `group`).
  public func count(_ category: ChangeCategory, group: String? = nil) -> ChangeCount? {
    categories.first { $0.category == category && $0.group == group }
  }
}

/// Jacobson & Truax (1991) reliable change index and clinical significance.
public enum ReliableChange {
  /// The two-sided .05 criterion of Jacobson & Truax.
  public static let threshold = 1.96

  /// Classifies every patient with both scores.
  ///
  /// ```
  /// S_diff = √2 · SD₁ · √(1 − r_xx),   RCI = (post − pre) / S_diff,   reliable: |RCI| > 1.96
  /// cutoff c = (SD₀ M₁ + SD₁ M₀) / (SD₀ + SD₁)   (norms M₀, SD₀ of the functional population)
  /// cutoff a = M₁ − 2 SD₁  (lower is better)   or   M₁ + 2 SD₁  (higher is better)
  /// recovered = reliable improvement and post < c (lower is better; > c when higher is better)
  /// ```
  /// - Parameters:
  ///   - pre, post: scores (NaN = missing), one per row.
  ///   - reliability: the measure's test–retest reliability r_xx, in (0, 1).
  ///   - sd: SD₁ (default: the SD of `pre` over the rows with both scores).
  ///   - normMean, normSD: the functional population's mean and SD (cutoff c); both or neither.
  ///   - lowerIsBetter: the scale's direction (true for symptom scales).
  ///   - groups: a grouping column (its levels sorted as ``CrossTabulation`` sorts them), for
  ///     counts per group; the criteria come from all rows.
  /// - Throws: `StatsError` `bad-reliability`, `bad-sd`, `bad-norms`, `too-few-rows`,
  ///   `zero-variance`.
  public static func analyse(
    pre: [Double], post: [Double], reliability: Double, sd: Double? = nil, normMean: Double? = nil,
    normSD: Double? = nil, lowerIsBetter: Bool = true, groups: Column? = nil
  ) throws -> ReliableChangeResult {
    precondition(pre.count == post.count && (groups?.count ?? pre.count) == pre.count, "one value per row")
    guard reliability.isFinite, reliability > 0, reliability < 1 else {
      throw StatsError(
        code: "bad-reliability", message: "'reliability' must be between 0 and 1 (exclusive); got \(reliability)",
        remedy: "Give the measure's test–retest reliability, e.g. 0.85 (at 1 every change would be reliable).")
    }
    if let sd, !(sd.isFinite && sd > 0) {
      throw StatsError(code: "bad-sd", message: "'sd' must be a positive number; got \(sd)")
    }
    if (normMean == nil) != (normSD == nil) {
      throw StatsError(
        code: "bad-norms", message: "cutoff c needs both the functional norms' mean and SD",
        remedy: "Give both norm_mean and norm_sd, or neither (cutoff a).")
    }
    if let m = normMean, let s = normSD, !(m.isFinite && s.isFinite && s > 0) {
      throw StatsError(code: "bad-norms", message: "the norms must be finite with a positive SD; got mean \(m), SD \(s)")
    }
    let rows = pre.indices.filter { pre[$0].isFinite && post[$0].isFinite && !(groups?.isMissing($0) ?? false) }
    let need = sd == nil ? 2 : 1
    if rows.count < need {
      throw StatsError.tooFewRows("reliable change", have: rows.count, need: need)
    }
    let p = rows.map { pre[$0] }
    let m1 = Regression.mean(p)
    var s1 = sd ?? 0
    if sd == nil {
      var ss = 0.0
      for x in p { ss += (x - m1) * (x - m1) }
      s1 = (ss / Double(p.count - 1)).squareRoot()
      if !(s1 > 0) { throw StatsError.zeroVariance("pre") }
    }
    let sdiff = 2.0.squareRoot() * s1 * (1 - reliability).squareRoot()
    let cutoff: Double
    let type: String
    if let m0 = normMean, let s0 = normSD {
      cutoff = (s0 * m1 + s1 * m0) / (s0 + s1)
      type = "c"
    } else {
      cutoff = lowerIsBetter ? m1 - 2 * s1 : m1 + 2 * s1
      type = "a"
    }
    var levels: [String] = []
    var groupOf: [String?] = rows.map { _ in nil }
    if let groups {
      let (lv, codes) = CrossTabulation.levels(groups, rows)
      levels = lv
      groupOf = codes.map { lv[$0] }
    }
    var patients: [PatientChange] = []
    for (k, i) in rows.enumerated() {
      let rci = (post[i] - pre[i]) / sdiff
      let better = lowerIsBetter ? rci < -threshold : rci > threshold
      let worse = lowerIsBetter ? rci > threshold : rci < -threshold
      let functional = lowerIsBetter ? post[i] < cutoff : post[i] > cutoff
      let cat: ChangeCategory = better ? (functional ? .recovered : .improved) : (worse ? .deteriorated : .unchanged)
      patients.append(PatientChange(row: i, pre: pre[i], post: post[i], rci: rci, category: cat, group: groupOf[k]))
    }
    var counts: [ChangeCount] = []
    func tally(_ ps: [PatientChange], _ g: String?) {
      for c in ChangeCategory.allCases {
        let k = ps.filter { $0.category == c }.count
        counts.append(ChangeCount(group: g, category: c, n: k, percent: 100 * Double(k) / Double(ps.count)))
      }
    }
    if groups != nil {
      for g in levels { tally(patients.filter { $0.group == g }, g) }
    } else {
      tally(patients, nil)
    }
    return ReliableChangeResult(
      n: rows.count, rowsDropped: pre.count - rows.count, sd: s1, meanPre: m1, reliability: reliability,
      sdiff: sdiff, rciThreshold: threshold, minReliableChange: threshold * sdiff, cutoff: cutoff, cutoffType: type,
      lowerIsBetter: lowerIsBetter, categories: counts, patients: patients, groups: levels)
  }
}
