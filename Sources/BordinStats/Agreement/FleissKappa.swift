import Foundation

/// Fleiss' kappa for m raters, as irr::kappam.fleiss (exact = FALSE), with its standard error
/// under the null hypothesis of no agreement beyond chance, z and the two-sided p.
///
/// With nᵢⱼ raters putting subject i in category j (N subjects, m raters, every subject rated by
/// all m):
/// ```
/// P̄ = Σᵢ (Σⱼ nᵢⱼ² − m) / (m(m − 1)) / N          (observed agreement)
/// pⱼ = Σᵢ nᵢⱼ / (N m),   qⱼ = 1 − pⱼ,   P̄ₑ = Σⱼ pⱼ²   (chance agreement)
/// κ = (P̄ − P̄ₑ) / (1 − P̄ₑ)
/// var₀(κ) = 2 / ((Σⱼ pⱼqⱼ)² N m (m − 1)) · ((Σⱼ pⱼqⱼ)² − Σⱼ pⱼqⱼ(qⱼ − pⱼ))
/// z = κ / √var₀(κ),   p = 2(1 − Φ(|z|))
/// ```
/// Subjects with a missing rating are dropped (irr: `na.omit`). The categories are those observed.
///
/// References: Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
/// Psychological Bulletin, 76(5), 378–382; Fleiss, J. L., Nee, J. C. M., & Landis, J. R. (1979).
/// Large sample variance of kappa in the case of different sets of raters. Psychological
/// Bulletin, 86(5), 974–977; Gamer, M. et al. (2019). irr: Various coefficients of interrater
/// reliability and agreement (R package 0.84.1), `kappam.fleiss`.
public struct FleissKappaResult: Sendable, Equatable {
  /// Subjects rated by every rater (the rows used).
  public var subjects: Int
  /// Number of raters m.
  public var raters: Int
  /// The categories observed, sorted (as R's levels of the codes).
  public var categories: [String]
  /// Observed agreement P̄.
  public var observedAgreement: Double
  /// Chance agreement P̄ₑ.
  public var expectedAgreement: Double
  public var kappa: Double
  /// Standard error under H₀: κ = 0 (Fleiss, Nee & Landis 1979; irr 0.84.1's formula).
  public var se: Double
  public var z: Double
  public var p: Double
}

public enum FleissKappa {
  /// Fleiss' kappa from one code vector per rater (`codes[rater][subject]`, nil = missing).
  /// - Throws: `StatsError` `too-few-raters` (fewer than 2), `length-mismatch`,
  ///   `too-few-rows` (fewer than 2 subjects rated by all raters), `single-category` (every
  ///   rating in one category: κ is 0/0).
  public static func compute(_ codes: [[String?]], raters names: [String]? = nil) throws -> FleissKappaResult {
    let nr = codes.count
    guard nr >= 2 else {
      throw StatsError(code: "too-few-raters", message: "Fleiss' kappa needs at least two raters; got \(nr)",
                       remedy: "Give one column per rater.")
    }
    let rows = codes[0].count
    for (k, c) in codes.enumerated() where c.count != rows {
      throw StatsError(code: "length-mismatch", message: "rater \(names?[k] ?? String(k + 1)) has \(c.count) ratings but the first has \(rows)",
                       remedy: "Give one rating per subject for every rater.")
    }
    let complete = (0..<rows).filter { i in codes.allSatisfy { $0[i] != nil } }
    let ns = complete.count
    guard ns >= 2 else {
      throw StatsError(code: "too-few-rows", message: "Fleiss' kappa needs at least two subjects rated by all \(nr) raters; got \(ns)",
                       remedy: "Check the ratings: subjects with a missing rating are dropped.")
    }
    let categories = Set(complete.flatMap { i in codes.map { $0[i]! } })
      .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    guard categories.count >= 2 else {
      throw StatsError(code: "single-category",
                       message: "every rating is '\(categories.first ?? "")': Fleiss' kappa is undefined (chance agreement is 1)",
                       remedy: "Kappa needs ratings in at least two categories.")
    }
    let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
    var colSums = [Double](repeating: 0, count: categories.count)
    let m = Double(nr), n = Double(ns)
    var agree = 0.0
    for i in complete {
      var counts = [Double](repeating: 0, count: categories.count)
      for c in codes { counts[index[c[i]!]!] += 1 }
      var sq = 0.0
      for j in counts.indices { sq += counts[j] * counts[j]; colSums[j] += counts[j] }
      agree += (sq - m) / (m * (m - 1)) / n
    }
    let total = n * m
    let pj2 = colSums.reduce(0) { $0 + $1 * $1 } / (total * total)
    let kappa = (agree - pj2) / (1 - pj2)
    var spq = 0.0, spqqp = 0.0
    for c in colSums {
      let pj = c / total, qj = 1 - pj
      spq += pj * qj
      spqqp += pj * qj * (qj - pj)
    }
    let varKappa = (2 / (spq * spq * (n * m * (m - 1)))) * (spq * spq - spqqp)
    let se = varKappa.squareRoot()
    let z = kappa / se
    let p = 2 * (1 - Distributions.normalCDF(abs(z)))
    return FleissKappaResult(subjects: ns, raters: nr, categories: categories, observedAgreement: agree,
                             expectedAgreement: pj2, kappa: kappa, se: se, z: z, p: p)
  }
}
