// Intraclass correlations: the six Shrout & Fleiss (1979) forms from two-way ANOVA mean squares.
//
// Implementation goals, in priority order: (1) the numbers of `psych::ICC(x, lmer = FALSE)`
// (ICC, F, df, p and the confidence bounds, including the Satterthwaite-type ν of ICC2) to 1e-8
// relative, by the same formulas; psych's default `lmer = TRUE` rebuilds the mean squares from
// lme4 variance components and differs from the ANOVA values by optimiser noise (~5e-7), so the
// ANOVA path is the anchor (DESIGN.md §9); (2) explicit missing-data handling: targets with a
// missing rating are dropped listwise and counted (psych refuses them on the ANOVA path);
// (3) typed errors for fewer than two raters, too few targets, and data without variance.
//
// References: Shrout, P. E. & Fleiss, J. L. (1979), Intraclass correlations: Uses in assessing
// rater reliability, *Psychological Bulletin* 86, 420–428; McGraw, K. O. & Wong, S. P. (1996),
// Forming inferences about some intraclass correlation coefficients, *Psychological Methods* 1,
// 30–46; Revelle, W., `psych::ICC` (R/ICC.R, psych 2.2.9).

/// The six Shrout & Fleiss forms, named as in psych.
public enum ICCType: String, Sendable, CaseIterable, Equatable {
  /// ICC(1,1): one-way random, single rater, absolute agreement.
  case icc1 = "ICC1"
  /// ICC(2,1): two-way random, single rater, absolute agreement.
  case icc2 = "ICC2"
  /// ICC(3,1): two-way mixed, single rater, consistency.
  case icc3 = "ICC3"
  /// ICC(1,k): one-way random, mean of k raters.
  case icc1k = "ICC1k"
  /// ICC(2,k): two-way random, mean of k raters.
  case icc2k = "ICC2k"
  /// ICC(3,k): two-way mixed, mean of k raters.
  case icc3k = "ICC3k"
}

/// One ICC form with its F test and confidence interval (`icc[]` in DESIGN.md §3).
public struct ICCEstimate: Sendable, Equatable {
  public var type: ICCType
  /// The intraclass correlation (`ICC`).
  public var icc: Double
  /// F = MSB/MSW (ICC1, ICC1k) or MSB/MSE (the others).
  public var f: Double
  public var df1: Double
  public var df2: Double
  /// Upper-tail p of F.
  public var p: Double
  /// Confidence bounds at the result's level (`ci_lb`, `ci_ub`).
  public var ciLower: Double
  public var ciUpper: Double
}

/// The two-way ANOVA table behind the ICCs (targets × raters, one rating per cell).
public struct ICCMeanSquares: Sendable, Equatable {
  /// Between targets: SS_B/(n − 1).
  public var msb: Double
  /// Between raters (judges): SS_J/(k − 1).
  public var msj: Double
  /// Residual: SS_E/((n − 1)(k − 1)).
  public var mse: Double
  /// Within targets: (SS_J + SS_E)/(n(k − 1)).
  public var msw: Double
  public var ssb: Double
  public var ssj: Double
  public var sse: Double
  /// F for the rater effect, MSJ/MSE, with its upper-tail p on (k − 1, (n − 1)(k − 1)) df.
  public var fRaters: Double
  public var pRaters: Double
}

/// The result of ``IntraclassCorrelation/compute(_:raters:level:types:)``.
public struct ICCResult: Sendable, Equatable {
  /// The requested forms, in ``ICCType`` order.
  public var icc: [ICCEstimate]
  public var meanSquares: ICCMeanSquares
  /// Targets used (complete on every rater): `n_subjects`.
  public var nSubjects: Int
  /// Number of raters k.
  public var nRaters: Int
  public var raters: [String]
  /// Targets dropped because at least one rating was missing.
  public var rowsDropped: Int
  /// Confidence level of the bounds.
  public var level: Double

  /// The estimate of one form, if it was requested.
  public func estimate(_ type: ICCType) -> ICCEstimate? { icc.first { $0.type == type } }
}

/// Ratings reshaped from long form (one row per target × informant) to one column per informant.
public struct WideRatings: Sendable, Equatable {
  /// Target identifiers, in order of first appearance.
  public var targets: [String]
  /// Informant (rater) names, in order of first appearance.
  public var raters: [String]
  /// One column per rater, one value per target; NaN where that rater did not rate the target.
  public var columns: [[Double]]
}

/// Intraclass correlation coefficients.
public enum IntraclassCorrelation {
  /// The six Shrout & Fleiss (1979) ICCs of n targets rated by the same k raters.
  ///
  /// With x̄ᵢ. the target means, x̄.ⱼ the rater means and x̄ the grand mean:
  /// ```
  /// SS_B = k Σᵢ (x̄ᵢ. − x̄)²     SS_J = n Σⱼ (x̄.ⱼ − x̄)²     SS_E = Σᵢⱼ (xᵢⱼ − x̄ᵢ. − x̄.ⱼ + x̄)²
  /// MSB = SS_B/(n−1)   MSJ = SS_J/(k−1)   MSE = SS_E/((n−1)(k−1))   MSW = (SS_J+SS_E)/(n(k−1))
  /// ICC1  = (MSB − MSW)/(MSB + (k−1)MSW)            ICC1k = (MSB − MSW)/MSB
  /// ICC2  = (MSB − MSE)/(MSB + (k−1)MSE + k(MSJ − MSE)/n)
  /// ICC2k = (MSB − MSE)/(MSB + (MSJ − MSE)/n)
  /// ICC3  = (MSB − MSE)/(MSB + (k−1)MSE)            ICC3k = (MSB − MSE)/MSB
  /// ```
  /// Tests: F₁ = MSB/MSW on (n−1, n(k−1)) df for ICC1/ICC1k; F₂ = MSB/MSE on (n−1, (n−1)(k−1))
  /// for the others. Intervals (α = 1 − level), as psych:
  /// ```
  /// FL = F/qf(1−α/2, df1, df2),  FU = F·qf(1−α/2, df2, df1)
  /// ICC1, ICC3: [(FL−1)/(FL+k−1), (FU−1)/(FU+k−1)]      ICC1k, ICC3k: [1 − 1/FL, 1 − 1/FU]
  /// ICC2: Fⱼ = MSJ/MSE, ν = (k−1)(n−1)(kρFⱼ + n(1+(k−1)ρ) − kρ)² /
  ///                          ((n−1)k²ρ²Fⱼ² + (n(1+(k−1)ρ) − kρ)²),  ρ = ICC2,
  ///       F* = qf(1−α/2, n−1, ν), F** = qf(1−α/2, ν, n−1),
  ///       L = n(MSB − F*MSE)/(F*(kMSJ + (kn−k−n)MSE) + nMSB),
  ///       U = n(F**MSB − MSE)/(kMSJ + (kn−k−n)MSE + nF**MSB)
  /// ICC2k: [Lk/(1 + L(k−1)), Uk/(1 + U(k−1))]
  /// ```
  /// (Shrout & Fleiss 1979, Table 1 and eqs. 6–7; McGraw & Wong 1996.) Targets with any missing
  /// rating are dropped and counted in `rowsDropped`.
  /// - Parameters:
  ///   - columns: one column of ratings per rater (equal lengths; NaN is missing).
  ///   - raters: the rater names, one per column.
  ///   - level: confidence level of the bounds (psych: `1 − alpha`, default 0.95).
  ///   - types: the forms to report (default all six, in ``ICCType`` order).
  /// - Throws: `StatsError` `too-few-raters` (k < 2), `too-few-rows` (fewer than 2 complete
  ///   targets), `zero-variance` (every rating identical), `no-residual-variance` (MSE = 0: the
  ///   raters differ only by constants, F is infinite), `bad-level`.
  public static func compute(
    _ columns: [[Double]], raters: [String], level: Double = 0.95,
    types: [ICCType] = ICCType.allCases
  ) throws -> ICCResult {
    precondition(columns.count == raters.count, "one name per rater column")
    let k = columns.count
    if k < 2 {
      throw StatsError(
        code: "too-few-raters",
        message: "an ICC needs at least two raters; got \(k)\(k == 1 ? " ('\(raters[0])')" : "")",
        remedy: "List two or more rater columns in 'raters'.")
    }
    guard level > 0, level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(level)")
    }
    let total = columns[0].count
    precondition(columns.allSatisfy { $0.count == total }, "rater columns differ in length")
    let rows = (0..<total).filter { i in columns.allSatisfy { !$0[i].isNaN } }
    let n = rows.count
    if n < 2 {
      throw StatsError.tooFewRows(
        "an ICC of \(raters.map { "'\($0)'" }.joined(separator: ", "))", have: n, need: 2)
    }
    let x = columns.map { c in rows.map { c[$0] } }  // x[j][i]: rater j, target i
    let nd = Double(n)
    let kd = Double(k)
    let grand = Regression.mean(x.flatMap { $0 })
    let raterMeans = x.map { Regression.mean($0) }
    let targetMeans = (0..<n).map { i in Regression.mean((0..<k).map { x[$0][i] }) }
    let ssb = kd * targetMeans.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
    let ssj = nd * raterMeans.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
    var sse = 0.0
    for j in 0..<k {
      for i in 0..<n {
        let e = x[j][i] - targetMeans[i] - raterMeans[j] + grand
        sse += e * e
      }
    }
    if ssb == 0, ssj == 0, sse == 0 {
      throw StatsError(
        code: "zero-variance",
        message: "every rating of \(raters.map { "'\($0)'" }.joined(separator: ", ")) is \(x[0][0]) in the rows used",
        remedy: "An ICC needs ratings that vary; check the filter and the rater columns.")
    }
    let dfB = nd - 1
    let dfJ = kd - 1
    let dfE = dfB * dfJ
    let msb = ssb / dfB
    let msj = ssj / dfJ
    let mse = sse / dfE
    let msw = (ssj + sse) / (dfJ + dfE)
    if !(mse > 0) {
      throw StatsError(
        code: "no-residual-variance",
        message: "the ratings of \(raters.map { "'\($0)'" }.joined(separator: ", ")) differ only by a constant per rater (residual mean square 0), so F is infinite",
        remedy: "ICC3 is 1 here; report the rater means instead of an ICC.")
    }
    let fJ = msj / mse
    let meanSquares = ICCMeanSquares(
      msb: msb, msj: msj, mse: mse, msw: msw, ssb: ssb, ssj: ssj, sse: sse, fRaters: fJ,
      pRaters: Distributions.fCDF(fJ, df1: dfJ, df2: dfE, lowerTail: false))

    let icc1 = (msb - msw) / (msb + (kd - 1) * msw)
    let icc2 = (msb - mse) / (msb + (kd - 1) * mse + kd * (msj - mse) / nd)
    let icc3 = (msb - mse) / (msb + (kd - 1) * mse)
    let icc1k = (msb - msw) / msb
    let icc2k = (msb - mse) / (msb + (msj - mse) / nd)
    let icc3k = (msb - mse) / msb

    let f1 = msb / msw
    let df1d = nd * (kd - 1)
    let p1 = Distributions.fCDF(f1, df1: dfB, df2: df1d, lowerTail: false)
    let f2 = msb / mse
    let p2 = Distributions.fCDF(f2, df1: dfB, df2: dfE, lowerTail: false)
    let q = 1 - (1 - level) / 2

    let f1L = f1 / Distributions.fQuantile(q, df1: dfB, df2: df1d)
    let f1U = f1 * Distributions.fQuantile(q, df1: df1d, df2: dfB)
    let f3L = f2 / Distributions.fQuantile(q, df1: dfB, df2: dfE)
    let f3U = f2 * Distributions.fQuantile(q, df1: dfE, df2: dfB)

    // ICC2: Satterthwaite-type df (Shrout & Fleiss 1979, eq. 6; psych's `v`).
    let vn = (kd - 1) * (nd - 1)
      * pow2(kd * icc2 * fJ + nd * (1 + (kd - 1) * icc2) - kd * icc2)
    let vd = (nd - 1) * kd * kd * icc2 * icc2 * fJ * fJ
      + pow2(nd * (1 + (kd - 1) * icc2) - kd * icc2)
    let v = vn / vd
    let fStarU = Distributions.fQuantile(q, df1: dfB, df2: v)
    let fStarL = Distributions.fQuantile(q, df1: v, df2: dfB)
    let l2 = nd * (msb - fStarU * mse)
      / (fStarU * (kd * msj + (kd * nd - kd - nd) * mse) + nd * msb)
    let u2 = nd * (fStarL * msb - mse)
      / (kd * msj + (kd * nd - kd - nd) * mse + nd * fStarL * msb)

    func make(_ t: ICCType) -> ICCEstimate {
      switch t {
      case .icc1:
        return ICCEstimate(
          type: t, icc: icc1, f: f1, df1: dfB, df2: df1d, p: p1,
          ciLower: (f1L - 1) / (f1L + (kd - 1)), ciUpper: (f1U - 1) / (f1U + kd - 1))
      case .icc2:
        return ICCEstimate(
          type: t, icc: icc2, f: f2, df1: dfB, df2: dfE, p: p2, ciLower: l2, ciUpper: u2)
      case .icc3:
        return ICCEstimate(
          type: t, icc: icc3, f: f2, df1: dfB, df2: dfE, p: p2,
          ciLower: (f3L - 1) / (f3L + kd - 1), ciUpper: (f3U - 1) / (f3U + kd - 1))
      case .icc1k:
        return ICCEstimate(
          type: t, icc: icc1k, f: f1, df1: dfB, df2: df1d, p: p1,
          ciLower: 1 - 1 / f1L, ciUpper: 1 - 1 / f1U)
      case .icc2k:
        return ICCEstimate(
          type: t, icc: icc2k, f: f2, df1: dfB, df2: dfE, p: p2,
          ciLower: l2 * kd / (1 + l2 * (kd - 1)), ciUpper: u2 * kd / (1 + u2 * (kd - 1)))
      case .icc3k:
        return ICCEstimate(
          type: t, icc: icc3k, f: f2, df1: dfB, df2: dfE, p: p2,
          ciLower: 1 - 1 / f3L, ciUpper: 1 - 1 / f3U)
      }
    }
    let requested = ICCType.allCases.filter { types.contains($0) }
    return ICCResult(
      icc: requested.map(make), meanSquares: meanSquares, nSubjects: n, nRaters: k,
      raters: raters, rowsDropped: total - n, level: level)
  }

  /// Reshapes long ratings (one row per target × informant) to one column per informant, the
  /// input of ``compute(_:raters:level:types:)``. Rows whose target or informant is missing
  /// (nil) are skipped; a missing score stays NaN.
  /// - Throws: `StatsError` `duplicate-rating` when a target has two rows for one informant,
  ///   `too-few-raters` when fewer than two informants occur.
  public static func wide(target: [String?], informant: [String?], score: [Double]) throws
    -> WideRatings
  {
    precondition(
      target.count == informant.count && target.count == score.count,
      "target, informant and score differ in length")
    var targets: [String] = []
    var targetIndex: [String: Int] = [:]
    var raters: [String] = []
    var raterIndex: [String: Int] = [:]
    var cells: [[Int: Double]] = []  // per rater: target index → score
    for r in target.indices {
      guard let t = target[r], let i = informant[r] else { continue }
      let ti: Int
      if let known = targetIndex[t] {
        ti = known
      } else {
        ti = targets.count
        targetIndex[t] = ti
        targets.append(t)
      }
      let ri: Int
      if let known = raterIndex[i] {
        ri = known
      } else {
        ri = raters.count
        raterIndex[i] = ri
        raters.append(i)
        cells.append([:])
      }
      if cells[ri][ti] != nil {
        throw StatsError(
          code: "duplicate-rating",
          message: "target '\(t)' has more than one rating by informant '\(i)' (row \(r + 1))",
          remedy: "Keep one row per target and informant, e.g. average repeated ratings in a data step.")
      }
      cells[ri][ti] = score[r]
    }
    if raters.count < 2 {
      throw StatsError(
        code: "too-few-raters",
        message: "the long data name \(raters.count) informant\(raters.count == 1 ? "" : "s"); an ICC needs at least two",
        remedy: "Check the informant column.")
    }
    let columns = cells.map { c in targets.indices.map { c[$0] ?? .nan } }
    return WideRatings(targets: targets, raters: raters, columns: columns)
  }

  private static func pow2(_ x: Double) -> Double { x * x }
}
