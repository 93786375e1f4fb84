import BordinData
import BordinStats
import Foundation

// The Coping Power format trial (Lochman et al. 2019; 2023): 360 fourth-grade children with
// high teacher-rated aggression in 20 schools, the schools randomised to group or individual
// delivery; child- and therapist-rated bond and task collaboration (TASC subscales) at mid and
// end of the intervention; teacher-rated externalizing and internalizing problems (BASC T
// scores) before and one year after.
//
// Implementation goals, in priority order: (1) known true parameters for the analyses the
// reports run: the format effect on each alliance rating (a multilevel model with children in
// schools), the effects of trait-like (person-mean) alliance on later problems controlling for
// earlier problems, and a response surface of therapist- and child-rated bond whose
// disagreement term differs by format; outcome equations are written on the recorded person
// means, so regressions on them estimate the stated coefficients without attenuation;
// (2) the published design: 18 children in each of 20 schools, 10 schools per format, 65% boys,
// ages 9.2–11.8, 78% Black; (3) the published pattern (individually seen children report more
// task collaboration; therapist-rated alliance predicts less externalizing; therapist–child
// disagreement on the bond predicts more internalizing in groups); (4) the same bytes for a seed
// on every machine (SimulationSupport.swift).
//
// References: Lochman, J. E. et al. (2023), Intervention format and therapist–child agreement
// associated with therapeutic alliance and outcomes, J. Consult. Clin. Psychol. 91(12);
// Lochman, J. E. et al. (2019), Dev. Psychopathol. 31(5); Edwards & Parry (1993) and
// Humberg, Nestler & Back (2019) for the response surface parameters a1–a5.

/// Simulates the Coping Power group-versus-individual trial (see the file comment).
public struct CopingPowerSimulator: Sendable {
  public var seed: UInt64

  public init(seed: UInt64) { self.seed = seed }

  public static let schoolCount = 20
  public static let childrenPerSchool = 18
  public static var childCount: Int { schoolCount * childrenPerSchool }

  /// The four alliance ratings, `<dimension>_<rater>`.
  public static let ratings = ["bond_child", "task_child", "bond_therapist", "task_therapist"]
  /// Means (1–4 item scale) at mid and end for the group format.
  static let means: [[Double]] = [[3.10, 3.15], [3.00, 3.05], [2.95, 3.00], [2.85, 2.90]]
  /// Format effect (individual − group) on each rating.
  static let formatEffect = [0.05, 0.20, 0.05, 0.05]
  /// SD of the child-level (trait) component, of school effects and of occasion noise.
  static let traitSD = [0.40, 0.40, 0.35, 0.35]
  static let schoolSD = 0.10
  static let occasionSD = 0.25
  /// Correlations of the trait components: bond–task of a rater .7, child–therapist .3 (same
  /// dimension) and .2 (other dimension).
  static let traitCorrelation: [[Double]] = [
    [1, 0.7, 0.3, 0.2], [0.7, 1, 0.2, 0.3], [0.3, 0.2, 1, 0.7], [0.2, 0.3, 0.7, 1],
  ]
  /// Therapists rate the alliance of more aggressive children lower: trait shift per
  /// externalizing T point above 66.
  static let pretestShift = [0, 0, -0.01, -0.01]
  /// Items per TASC subscale.
  static let subscaleItems = 6

  /// Outcome models: intercept, pre-test slope, format effect, effects of the four person means
  /// (minus 3), the group-format disagreement curvature g·(X − Y)², school SD and residual SD.
  struct Outcome {
    var name: String
    var intercept: Double
    var pre: Double
    var format: Double
    var alliance: [Double]
    var groupDisagreement: Double
    var schoolSD: Double
    var sigma: Double
  }

  static let externalizing = Outcome(
    name: "ext", intercept: 23, pre: 0.55, format: -1.0, alliance: [0, 0, -2.5, -2.5], groupDisagreement: 0,
    schoolSD: 1.5, sigma: 7)
  static let internalizing = Outcome(
    name: "int", intercept: 23, pre: 0.5, format: 0, alliance: [0, -2.0, -2.0, -2.0], groupDisagreement: 4.0,
    schoolSD: 1.5, sigma: 7)

  /// The typical (expected) difference therapist − child in person-mean bond, from the means:
  /// disagreement is measured from it.
  static var typicalBondDifference: Double {
    Simulation.round((means[2][0] + means[2][1]) / 2 - (means[0][0] + means[0][1]) / 2, 10)
  }

  /// Var(bond_therapist − bond_child) of person means: trait, school, pre-test shift, half the
  /// occasion variance and of the rounding variance ((1/6)²/12) per rating, minus twice the
  /// trait covariance. The disagreement term is centred at it, so that it averages 0 and the
  /// format effect keeps its meaning (the ceiling at 4 makes the realised variance slightly
  /// smaller).
  static var disagreementVariance: Double {
    let rounding = 1.0 / 36 / 12
    let sdPre = pretestShift[2] * 9
    let vx = traitSD[2] * traitSD[2] + schoolSD * schoolSD + sdPre * sdPre + (occasionSD * occasionSD + rounding) / 2
    let vy = traitSD[0] * traitSD[0] + schoolSD * schoolSD + (occasionSD * occasionSD + rounding) / 2
    return Simulation.round(vx + vy - 2 * traitCorrelation[0][2] * traitSD[0] * traitSD[2], 10)
  }

  static let missingChildBoth = 0.05
  static let missingChildEnd = 0.08
  static let missingTherapistEnd = 0.03
  static let missingFollowUp = 0.07

  public func generate() -> SimulatedStudy {
    let nS = Self.schoolCount, nK = Self.childCount, nA = Self.ratings.count

    // 1. Schools and randomisation (10 per format).
    var rngS = SplitMix64(seed: seed, stream: "coping-power/schools")
    var order = Array(0..<nS)
    rngS.shuffle(&order)
    var individualSchool = [Bool](repeating: false, count: nS)
    for s in order[(nS / 2)...] { individualSchool[s] = true }
    let schoolAlliance = (0..<nS).map { _ in (0..<nA).map { _ in Self.schoolSD * rngS.normal() } }
    let schoolExt = (0..<nS).map { _ in Self.externalizing.schoolSD * rngS.normal() }
    let schoolInt = (0..<nS).map { _ in Self.internalizing.schoolSD * rngS.normal() }

    // 2. Children.
    var rngK = SplitMix64(seed: seed, stream: "coping-power/children")
    let school = (0..<nK).map { $0 / Self.childrenPerSchool }
    let individual = school.map { individualSchool[$0] ? 1.0 : 0.0 }
    var boy = [Double](), age = [Double](), black = [Double](), extPre = [Double](), intPre = [Double]()
    for _ in 0..<nK {
      boy.append(rngK.bernoulli(0.65) ? 1 : 0)
      age.append(Simulation.round(9.2 + 2.6 * rngK.uniform(), 1))
      black.append(rngK.bernoulli(0.781) ? 1 : 0)
      let ze = rngK.normal(), zi = rngK.normal()
      extPre.append(Simulation.clamp((66 + 9 * ze).rounded(), 40, 110))
      intPre.append(Simulation.clamp((54 + 10 * (0.35 * ze + (1 - 0.35 * 0.35).squareRoot() * zi)).rounded(), 35, 110))
    }

    // 3. Alliance: latent L = mean + format + school + trait + occasion; recorded as the mean
    //    of 6 items (sum rounded and clamped to 6–24, over 6, two decimals).
    var rngT = SplitMix64(seed: seed, stream: "coping-power/alliance")
    let chol = Simulation.cholesky(Self.traitCorrelation)
    var recorded = [[[Double]]](repeating: [[Double]](repeating: [0, 0], count: nA), count: nK)
    for i in 0..<nK {
      let trait = Simulation.correlatedNormals(chol, &rngT)
      for a in 0..<nA {
        for o in 0..<2 {
          let fixed: Double = Self.means[a][o] + Self.formatEffect[a] * individual[i]
          let random: Double = schoolAlliance[school[i]][a] + Self.traitSD[a] * trait[a]
          let shift: Double = Self.pretestShift[a] * (extPre[i] - 66)
          let l: Double = fixed + random + shift + Self.occasionSD * rngT.normal()
          let sum = Simulation.total(Double(Self.subscaleItems) * l, items: Self.subscaleItems, low: 1, high: 4)
          recorded[i][a][o] = Simulation.round(Double(sum) / Double(Self.subscaleItems), 2)
        }
      }
    }
    var personMean = [[Double]](repeating: [Double](repeating: 0, count: nA), count: nK)
    for i in 0..<nK {
      for a in 0..<nA {
        let mid: Double = recorded[i][a][0]
        let end: Double = recorded[i][a][1]
        personMean[i][a] = (mid + end) / 2
      }
    }

    // 4. Outcomes one year after, from the recorded person means.
    var rngY = SplitMix64(seed: seed, stream: "coping-power/outcomes")
    func outcome(_ m: Outcome, _ i: Int, pre: Double, schoolEffect: Double) -> Double {
      var y = m.intercept + m.pre * pre + m.format * individual[i] + schoolEffect + m.sigma * rngY.normal()
      for a in 0..<nA { y += m.alliance[a] * (personMean[i][a] - 3) }
      let d = personMean[i][2] - personMean[i][0] - Self.typicalBondDifference
      y += (1 - individual[i]) * m.groupDisagreement * (d * d - Self.disagreementVariance)
      return Simulation.clamp(y.rounded(), 30, 120)
    }
    var extPost = [Double](), intPost = [Double]()
    for i in 0..<nK {
      extPost.append(outcome(Self.externalizing, i, pre: extPre[i], schoolEffect: schoolExt[school[i]]))
      intPost.append(outcome(Self.internalizing, i, pre: intPre[i], schoolEffect: schoolInt[school[i]]))
    }

    // 5. Missing values (MCAR).
    var rngM = SplitMix64(seed: seed, stream: "coping-power/missing")
    var present = [[[Bool]]](repeating: [[Bool]](repeating: [true, true], count: nA), count: nK)
    var followUp = [Bool](repeating: true, count: nK)
    for i in 0..<nK {
      let u = rngM.uniform()
      if u <= Self.missingChildBoth {
        present[i][0] = [false, false]; present[i][1] = [false, false]
      } else if u <= Self.missingChildBoth + Self.missingChildEnd {
        present[i][0][1] = false; present[i][1][1] = false
      }
      if rngM.bernoulli(Self.missingTherapistEnd) { present[i][2][1] = false; present[i][3][1] = false }
      if rngM.bernoulli(Self.missingFollowUp) { followUp[i] = false }
    }

    // 6. Tables.
    let childID = (0..<nK).map { String(format: "K%03d", $0 + 1) }
    let schoolID = (0..<nS).map { String(format: "S%02d", $0 + 1) }
    let formatText = individual.map { $0 == 1 ? "individual" : "group" }
    let occasions = ["mid", "end"]
    var children: [(String, Column)] = [
      ("child", .text(childID)), ("school", .text(school.map { schoolID[$0] })), ("format", .text(formatText)),
      ("sex", .text(boy.map { $0 == 1 ? "boy" : "girl" })), ("age", .numeric(age)), ("black", .numeric(black)),
    ]
    for a in 0..<nA {
      for o in 0..<2 {
        children.append(("\(Self.ratings[a])_\(occasions[o])", .numeric((0..<nK).map { present[$0][a][o] ? recorded[$0][a][o] : .nan })))
      }
    }
    children.append(("ext_pre", .numeric(extPre)))
    children.append(("ext_post", .numeric((0..<nK).map { followUp[$0] ? extPost[$0] : .nan })))
    children.append(("int_pre", .numeric(intPre)))
    children.append(("int_post", .numeric((0..<nK).map { followUp[$0] ? intPost[$0] : .nan })))

    let rows = (0..<nK).flatMap { i in [(i, 0), (i, 1)] }
    var ratings: [(String, Column)] = [
      ("child", .text(rows.map { childID[$0.0] })), ("school", .text(rows.map { schoolID[school[$0.0]] })),
      ("format", .text(rows.map { formatText[$0.0] })), ("occasion", .text(rows.map { occasions[$0.1] })),
      ("time", .numeric(rows.map { Double($0.1) })),
    ]
    for a in 0..<nA {
      ratings.append((Self.ratings[a], .numeric(rows.map { present[$0.0][a][$0.1] ? recorded[$0.0][a][$0.1] : .nan })))
    }

    let parameters = trueParameters()
    return SimulatedStudy(
      design: "coping-power", seed: seed,
      files: [("children.csv", Table(children)), ("ratings.csv", Table(ratings))],
      parameters: parameters, readme: readme(parameters))
  }

  func trueParameters() -> [(name: String, value: Double, description: String)] {
    var p: [(name: String, value: Double, description: String)] = []
    for (a, r) in Self.ratings.enumerated() {
      p.append(("\(r).mean[group, mid]", Self.means[a][0], "`\(r)`: mean at mid-intervention in the group format (1–4 item scale)"))
      p.append(("\(r).mean[group, end]", Self.means[a][1], "`\(r)`: mean at the end of the intervention in the group format"))
      p.append(("\(r).format", Self.formatEffect[a], "`\(r)`: format effect, individual − group (`formatindividual`), on both occasions"))
      p.append(("\(r).sd[child]", Self.traitSD[a], "`\(r)`: SD of the children's trait-like level (before the pre-test shift)"))
    }
    p.append(("alliance.sd[school]", Self.schoolSD, "SD of school effects on each alliance rating"))
    p.append(("alliance.sd[occasion]", Self.occasionSD, "SD of occasion (mid/end) noise of each latent rating, before rounding to sixths"))
    p.append(("alliance.pretest", Self.pretestShift[2], "shift of therapist-rated bond and task per teacher-rated externalizing T point above 66"))
    let names = ["bond_child", "task_child", "bond_therapist", "task_therapist"]
    for i in 0..<4 {
      for j in (i + 1)..<4 {
        p.append(("alliance.cor[\(names[i]), \(names[j])]", Self.traitCorrelation[i][j], "correlation of the trait components of `\(names[i])` and `\(names[j])`"))
      }
    }
    for m in [Self.externalizing, Self.internalizing] {
      let y = "\(m.name)_post"
      p.append(("\(y).intercept", m.intercept, "`\(y)`: intercept (group format, person means at 3)"))
      p.append(("\(y).\(m.name)_pre", m.pre, "`\(y)`: slope on `\(m.name)_pre`"))
      p.append(("\(y).formatindividual", m.format, "`\(y)`: format effect, individual − group, at equal alliance"))
      for (a, r) in Self.ratings.enumerated() {
        p.append(("\(y).\(r)", m.alliance[a], "`\(y)`: effect of the person mean of `\(r)` (T points per scale point)"))
      }
      p.append(("\(y).disagreement[group]", m.groupDisagreement, "`\(y)`: coefficient of (D − μ_D)² − κ, D = bond_therapist − bond_child (person means), in the group format only"))
      p.append(("\(y).sd[school]", m.schoolSD, "`\(y)`: SD of school effects"))
      p.append(("\(y).sigma", m.sigma, "`\(y)`: residual SD (before rounding to whole T points)"))
    }
    p.append(("disagreement.mu", Self.typicalBondDifference, "μ_D: the typical therapist − child difference in person-mean bond (from the generating means), from which disagreement is measured"))
    p.append(("disagreement.kappa", Self.disagreementVariance, "κ: Var(D), the model variance of the person-mean bond difference (centres the disagreement term)"))
    // Response surface of int_post on X = bond_therapist, Y = bond_child (person means):
    // g (X − Y − μ)² = g X² − 2g XY + g Y² − 2gμ X + 2gμ Y + const.
    let m = Self.internalizing
    let mu = Self.typicalBondDifference
    for (format, g) in [("group", m.groupDisagreement), ("individual", 0.0)] {
      // (rounded to 10 decimals: exact in decimal, without binary noise such as 0.3999999999999986)
      let b = [m.alliance[2] - 2 * g * mu, m.alliance[0] + 2 * g * mu, g, -2 * g, g].map { Simulation.round($0, 10) }
      let a = [b[0] + b[1], b[2] + b[3] + b[4], b[0] - b[1], b[2] - b[3] + b[4], b[2] - b[4]].map { Simulation.round($0, 10) }
      for k in 0..<5 {
        p.append(("rsa[\(format)].b\(k + 1)", b[k], "response surface of `int_post` on X = bond_therapist, Y = bond_child (person means), \(format) format: b\(k + 1) (\(["X", "Y", "X²", "XY", "Y²"][k]))"))
      }
      for k in 0..<5 {
        p.append(("rsa[\(format)].a\(k + 1)", a[k], "response surface, \(format) format: a\(k + 1) = \(["b1 + b2", "b3 + b4 + b5", "b1 − b2", "b3 − b4 + b5", "b3 − b5"][k])"))
      }
    }
    return p
  }

  func readme(_ parameters: [(name: String, value: Double, description: String)]) -> String {
    var s = """
      # Coping Power: group versus individual delivery (simulated)

      Simulated by `bordin simulate coping-power --seed \(seed)` to the design of the Coping Power
      format trial (Lochman et al. 2019, 2023). **These are not the trial's data**: they are drawn
      from the model below, whose parameters are known, so that every report built on them can
      compare its estimates with the truth (parameter recovery).

      ## Design

      - 360 fourth-grade children with high teacher-rated aggression, 18 in each of 20 schools
        (`S01`–`S20`); 10 schools randomised to group delivery and 10 to individual delivery
        (`format` group/individual). 65% boys (`sex`), ages 9.2–11.8 (`age`), 78% Black
        (`black` 1/0).
      - Therapeutic Alliance Scale for Children, bond and task collaboration subscales (6 items
        each, scored 1–4; the score is the item mean, two decimals), rated by the child and by the
        therapist at mid-intervention and at the end (`bond_child`, `task_child`,
        `bond_therapist`, `task_therapist`).
      - Teacher-rated externalizing and internalizing problems (BASC T scores) before the
        intervention (`ext_pre`, `int_pre`) and one year after (`ext_post`, `int_post`).

      ## Files

      - `children.csv`: one row per child: `child`, `school`, `format`, `sex`, `age`, `black`,
        the four ratings at `_mid` and `_end`, `ext_pre`, `ext_post`, `int_pre`, `int_post`.
      - `ratings.csv`: one row per child and occasion (720 rows): `child`, `school`, `format`,
        `occasion` (mid/end), `time` (0/1) and the four ratings, for multilevel models and
        within/between (person-mean) decomposition.
      - `parameters.csv`: the true parameters below.

      ## Generating model

      Every normal deviate is independent unless stated. For child *i* in school *s*, rating
      *a* (bond_child, task_child, bond_therapist, task_therapist) and occasion *o* (mid, end):

      ```
      Lₐᵢₒ = μₐₒ + fₐ·individualₛ + wₐₛ + sdₐ τₐᵢ + pₐ (ext_preᵢ − 66) + εₐᵢₒ
      (τ_bond_child, τ_task_child, τ_bond_therapist, τ_task_therapist) ~ N(0, R)
      wₐₛ ~ N(0, 0.10²),  εₐᵢₒ ~ N(0, 0.25²)
      ratingₐᵢₒ = round(min(24, max(6, round(6·Lₐᵢₒ))) / 6, 2)
      ext_pre = round(66 + 9 z₁),  int_pre = round(54 + 10 (0.35 z₁ + √(1−0.35²) z₂))
      ```

      R has .7 between a rater's bond and task, .3 between child and therapist on the same
      dimension and .2 otherwise; pₐ is −0.01 for the therapist's ratings and 0 for the child's.
      The format effect fₐ is what `rating ~ format + (1 | child) + (1 | school)` on `ratings.csv`
      estimates (`formatindividual`), up to the small bias from the ceiling at 4. The person means
      m̄ₐᵢ = (ratingₐᵢ,mid + ratingₐᵢ,end)/2 of the **recorded** ratings (before any are set
      missing) generate the outcomes:

      ```
      ext_post = 23 + 0.55 ext_pre − 1.0 individual + Σₐ βᵉˣᵗₐ (m̄ₐ − 3) + school + e,   school ~ N(0, 1.5²), e ~ N(0, 7²)
      int_post = 23 + 0.50 int_pre + Σₐ βⁱⁿᵗₐ (m̄ₐ − 3) + 4·group·((D − μ_D)² − κ) + school + e
      D = m̄_bond_therapist − m̄_bond_child
      ```

      rounded to whole T points (30–120), with βᵉˣᵗ = (0, 0, −2.5, −2.5) and
      βⁱⁿᵗ = (0, −2, −2, −2) for (bond_child, task_child, bond_therapist, task_therapist). So the
      regression `ext_post ~ ext_pre + format + bond_child_m + task_child_m + bond_therapist_m +
      task_therapist_m` on person means estimates the stated coefficients without attenuation
      (ordinary least squares standard errors ignore the school clustering).

      **Disagreement.** Therapists rate the bond lower than children do by
      μ_D = \(Simulation.text(Self.typicalBondDifference)) on average; disagreement is the departure from that typical
      difference, and κ = \(Simulation.text(Self.disagreementVariance)) (the model variance of D) centres the term
      so that it averages about 0 in groups and the format effect keeps its meaning. Because D is
      nearly symmetric around μ_D, the linear person-mean model of `int_post` also estimates
      the stated linear coefficients. In each format the response surface
      `int_post ~ X + Y + I(X^2) + I(X*Y) + I(Y^2) + int_pre + task_child_m + task_therapist_m`
      with X = bond_therapist_m, Y = bond_child_m has (b3, b4, b5) = (4, −8, 4) in groups and
      (0, 0, 0) individually, b1 = −2 − 8μ_D and b2 = 8μ_D in groups, b1 = −2 and b2 = 0
      individually: a4 = 16 (disagreement in either direction raises internalizing problems)
      in groups only, a3 = −2 − 16μ_D, a1 = −2, a2 = a5 = 0. The quadratic terms do not depend
      on where X and Y are centred (if both are centred at the same value), but b1 and b2 do:
      the values given are for the raw 1–4 scale. Leaving the task means out of the surface model
      lets the bond terms absorb part of their effect.

      **Missing values**, completely at random: 5% of children have no child ratings, another 8%
      none at the end; 3% have no therapist ratings at the end; 7% have no follow-up teacher
      rating (`ext_post`, `int_post`). Person means of the available ratings are noisier for
      children with one rating, which slightly attenuates their estimated effects; complete cases
      are unbiased.

      ## True parameters


      """
    s += Simulation.parameterTable(parameters)
    s += """

      The same values are in `parameters.csv`. Random numbers: SplitMix64 streams (one per
      component, seeded from the seed and the component's name) and Box–Muller normals; every
      recorded value is rounded, so the files are byte-identical on every machine.

      """
    return s
  }
}
