import BordinData
import BordinStats
import Foundation

// The PRAC design (Accurso 2015; Accurso & Garland 2016): 209 children aged 4–13 with
// disruptive behaviour problems and their caregivers, seen by 85 therapists in 6 community
// clinics; child, caregiver, therapist and observer alliance (TASC, 12 items 1–4, totals 12–48)
// at 4, 8, 12 and 16 months while the family is in treatment (209, 141, 100 and 61 active);
// child symptom severity, positive parenting and family functioning at the same interviews.
//
// Implementation goals, in priority order: (1) known true parameters for every analysis the
// reports run on these data — three-level growth models of each informant's alliance with
// predictors × time (lme4 formula `tasc ~ months * (sex + anxiety + ethnicity + experience) +
// (1 + months | child) + (1 | therapist) + (1 | clinic)`), informant mean differences, early
// alliance and dropout, and cross-lagged panel models of alliance and outcomes whose outcome
// equations are exactly the generating ones; (2) the published design: exact counts (209
// children, 85 therapists, 6 clinics, 209/141/100/61 active), monotone dropout, scale totals that
// are sums of 12 items in 1–4; (3) the published pattern of findings (therapists rate lower;
// therapist-rated child alliance declines for boys without anxiety and rises for girls and
// anxious children; caregiver alliance higher with less experienced therapists; caregiver
// alliance predicts later parenting and family functioning, child alliance does not predict
// later symptoms); (4) the same bytes for a seed on every machine (SimulationSupport.swift).
//
// The generating equations are written out in `readme` (and so in data/prac/README.md).
//
// References: Accurso, E. C. (2015), Therapeutic alliance and outcomes in usual care child
// psychotherapy (dissertation, UC San Diego); Accurso, E. C. & Garland, A. F. (2016), Child,
// caregiver, and therapist perspectives on therapeutic alliance in usual care child
// psychotherapy, Psychological Assessment 28(3); Shirk, S. R. & Saiz, C. C. (1992), TASC.

/// Simulates the PRAC usual-care child psychotherapy design (see the file comment).
public struct PracSimulator: Sendable {
  public var seed: UInt64

  public init(seed: UInt64) { self.seed = seed }

  public static let childCount = 209
  public static let therapistCount = 85
  public static let clinicCount = 6
  /// Interview months.
  public static let months = [4, 8, 12, 16]
  /// Families active in treatment at each interview (Accurso & Garland 2016).
  public static let activePerWave = [209, 141, 100, 61]
  /// Therapists per clinic (85 in all).
  static let therapistsPerClinic = [22, 18, 15, 13, 10, 7]

  /// The six alliance ratings: who rates, and whose alliance (child–therapist or
  /// caregiver–therapist). Column `tasc_<informant>` in the data.
  public static let informants = [
    "child", "caregiver", "therapist_child", "therapist_caregiver", "observer_child", "observer_caregiver",
  ]
  /// Fixed-effect terms of the growth model, in R's order for
  /// `months * (sex + anxiety + ethnicity + experience)`.
  public static let terms = [
    "(Intercept)", "months", "sexgirl", "anxiety", "ethnicitywhite", "experience",
    "months:sexgirl", "months:anxiety", "months:ethnicitywhite", "months:experience",
  ]

  /// One informant's growth model (latent total, TASC points).
  struct Growth {
    var fixed: [Double]
    var sdIntercept: Double
    var sdSlope: Double
    var sdTherapist: Double
    var sigma: Double
  }

  static let growth: [Growth] = [
    // child: stable, no predictors
    Growth(fixed: [40.0, 0, 0, 0, 0, 0, 0, 0, 0, 0], sdIntercept: 3.0, sdSlope: 0.08, sdTherapist: 1.2, sigma: 2.4),
    // caregiver: white caregivers start higher and improve less; less experienced therapists higher
    Growth(fixed: [39.5, 0.12, 0, 0, 1.5, -0.15, 0, 0, -0.12, 0], sdIntercept: 3.0, sdSlope: 0.08, sdTherapist: 1.2, sigma: 2.4),
    // therapist-rated child alliance: lower, declining for boys without anxiety, rising for girls and anxious children
    Growth(fixed: [36.5, -0.12, 0, 0, 0, 0, 0.15, 0.15, 0, 0], sdIntercept: 3.0, sdSlope: 0.10, sdTherapist: 2.0, sigma: 2.6),
    // therapist-rated caregiver alliance: lower, stable; experienced therapists see a rise (trend)
    Growth(fixed: [37.0, -0.05, 0, 0, 0, 0, 0, 0, 0, 0.01], sdIntercept: 3.0, sdSlope: 0.08, sdTherapist: 2.0, sigma: 2.6),
    // observers: between clients and therapists, stable
    Growth(fixed: [37.5, 0, 0, 0, 0, 0, 0, 0, 0, 0], sdIntercept: 2.5, sdSlope: 0.06, sdTherapist: 1.0, sigma: 2.8),
    Growth(fixed: [38.0, 0, 0, 0, 0, 0, 0, 0, 0, 0], sdIntercept: 2.5, sdSlope: 0.06, sdTherapist: 1.0, sigma: 2.8),
  ]
  static let clinicSD = 0.8
  /// Loadings on the shared family, therapist and occasion factors (correlations between two
  /// informants' components are the squares).
  static let familyLoading = 0.7
  static let therapistLoading = 0.6
  static let occasionLoading = 0.5

  /// Dropout: L = γ·z + η, z the standardised latent child-rated alliance at 4 months.
  static let dropoutGamma = 0.1

  /// The outcomes: name, scale, means at 4/8/12/16 months, SD at 4 months (innovation part),
  /// autoregression, innovation SD, cross-lagged effects of each informant's alliance (per
  /// TASC point, lag 4 months), concurrent loadings on each informant's occasion residual.
  struct Outcome {
    var name: String
    var range: (Double, Double)
    var means: [Double]
    var sd4: Double
    var ar: Double
    var innovationSD: Double
    var cross: [Double]
    var concurrent: [Double]
  }

  static let outcomes: [Outcome] = [
    Outcome(
      name: "symptoms", range: (30, 100), means: [66, 63, 61, 60], sd4: 7.9, ar: 0.6, innovationSD: 4.5,
      cross: [0, 0, 0, 0, 0, 0], concurrent: [-3, 0, -3, 0, 0, 0]),
    Outcome(
      name: "parenting", range: (6, 30), means: [22, 22.5, 23, 23.3], sd4: 3.3, ar: 0.55, innovationSD: 2.0,
      cross: [0, 0.12, 0, 0, 0, 0], concurrent: [0, 1.2, 0, 0, 1.0, 0]),
    Outcome(
      name: "family_functioning", range: (20, 80), means: [50, 51, 52, 52.5], sd4: 7.3, ar: 0.5, innovationSD: 4.5,
      cross: [0, 0.35, 0, 0, 0, 0], concurrent: [0, 3.5, 0, 0, 3.0, 0]),
  ]
  /// Lagged alliance enters the outcome equations as (TASC total − 40).
  static let allianceCentre = 40.0

  /// Probability that an active family's rating is missing at an interview (MCAR): child
  /// interview; caregiver interview (caregiver TASC and all three outcomes); therapist form
  /// (both therapist ratings); no usable session recording (both observer ratings).
  static let missingChild = 0.08
  static let missingCaregiver = 0.06
  static let missingTherapist = 0.05
  static let missingObserver = 0.25

  /// TASC item offsets (item scale, sum 0) and the SD of item noise.
  static let itemOffsets = [0.20, -0.10, 0.15, -0.25, 0.05, 0.10, -0.15, 0.25, -0.05, 0.00, -0.20, 0.00]
  static let itemNoiseSD = 0.5

  /// The marginal SD of the latent child-rated total at 4 months (child ratings have no
  /// predictors): √(sd₀² + 16 sd₁² + sd_T² + sd_clinic² + σ²).
  static var childSD4: Double {
    let g = growth[0]
    return (g.sdIntercept * g.sdIntercept + 16 * g.sdSlope * g.sdSlope + g.sdTherapist * g.sdTherapist
      + clinicSD * clinicSD + g.sigma * g.sigma).squareRoot()
  }

  public func generate() -> SimulatedStudy {
    let nC = Self.childCount, nT = Self.therapistCount, nR = Self.informants.count, nW = Self.months.count

    // 1. Clinics and therapists.
    var rngT = SplitMix64(seed: seed, stream: "prac/therapists")
    var therapistClinic: [Int] = []
    for (c, k) in Self.therapistsPerClinic.enumerated() { therapistClinic += Array(repeating: c, count: k) }
    let experience = (0..<nT).map { _ in
      Simulation.clamp(Simulation.round(Foundation.exp(Foundation.log(4.0) + 0.7 * rngT.normal()), 1), 0.5, 35)
    }
    let caseloadWeight = (0..<nT).map { _ in Foundation.exp(0.7 * rngT.normal()) }

    // 2. Children to therapists: one each, the other 124 in proportion to caseload weights.
    var rngA = SplitMix64(seed: seed, stream: "prac/assignment")
    var assigned = Array(0..<nT)
    let totalWeight = caseloadWeight.reduce(0, +)
    for _ in nT..<nC {
      var u = rngA.uniform() * totalWeight
      var j = 0
      while j < nT - 1, u > caseloadWeight[j] {
        u -= caseloadWeight[j]
        j += 1
      }
      assigned.append(j)
    }
    rngA.shuffle(&assigned)

    // 3. Child and caregiver characteristics.
    var rngC = SplitMix64(seed: seed, stream: "prac/children")
    var girl = [Double](), age = [Double](), anxiety = [Double](), white = [Double]()
    for _ in 0..<nC {
      girl.append(rngC.bernoulli(0.30) ? 1 : 0)
      age.append(Double(4 + rngC.integer(below: 10)))
      anxiety.append(rngC.bernoulli(0.25) ? 1 : 0)
      white.append(rngC.bernoulli(0.35) ? 1 : 0)
    }
    let exper = (0..<nC).map { experience[assigned[$0]] }
    func covariates(_ i: Int, _ m: Double) -> [Double] {
      [1, m, girl[i], anxiety[i], white[i], exper[i], m * girl[i], m * anxiety[i], m * white[i], m * exper[i]]
    }

    // 4. Random effects.
    var rngR = SplitMix64(seed: seed, stream: "prac/random-effects")
    let clinicEffect = (0..<Self.clinicCount).map { _ in Self.clinicSD * rngR.normal() }
    let lf = Self.familyLoading, lt = Self.therapistLoading, lo = Self.occasionLoading
    var therapistEffect = [[Double]](repeating: [Double](repeating: 0, count: nR), count: nT)
    for j in 0..<nT {
      let h = rngR.normal()
      for r in 0..<nR {
        therapistEffect[j][r] = Self.growth[r].sdTherapist * (lt * h + (1 - lt * lt).squareRoot() * rngR.normal())
      }
    }
    var u0 = [[Double]](repeating: [Double](repeating: 0, count: nR), count: nC)
    var u1 = u0
    for i in 0..<nC {
      let f = rngR.normal()
      for r in 0..<nR {
        u0[i][r] = Self.growth[r].sdIntercept * (lf * f + (1 - lf * lf).squareRoot() * rngR.normal())
        u1[i][r] = Self.growth[r].sdSlope * rngR.normal()
      }
    }
    // Occasion residuals e = σ(λ G + √(1−λ²) z); z kept for the outcomes' concurrent terms.
    var rngO = SplitMix64(seed: seed, stream: "prac/occasions")
    var zOcc = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: nR), count: nW), count: nC)
    var eOcc = zOcc
    for i in 0..<nC {
      for w in 0..<nW {
        let g = rngO.normal()
        for r in 0..<nR {
          let z = rngO.normal()
          zOcc[i][w][r] = z
          eOcc[i][w][r] = Self.growth[r].sigma * (lo * g + (1 - lo * lo).squareRoot() * z)
        }
      }
    }

    // 5. Alliance totals (latent and recorded) for every child, wave and informant.
    var latent = zOcc
    var tasc = [[[Int]]](repeating: [[Int]](repeating: [Int](repeating: 0, count: nR), count: nW), count: nC)
    for i in 0..<nC {
      let j = assigned[i]
      for (w, m) in Self.months.enumerated() {
        let x = covariates(i, Double(m))
        for r in 0..<nR {
          let fixed = zip(Self.growth[r].fixed, x).reduce(0) { $0 + $1.0 * $1.1 }
          let t = fixed + u0[i][r] + u1[i][r] * Double(m) + therapistEffect[j][r]
            + clinicEffect[therapistClinic[j]] + eOcc[i][w][r]
          latent[i][w][r] = t
          tasc[i][w][r] = Simulation.total(t, items: 12, low: 1, high: 4)
        }
      }
    }

    // 6. Monotone dropout with exactly 209/141/100/61 active: rank L = γz + η.
    var rngD = SplitMix64(seed: seed, stream: "prac/dropout")
    let propensity = (0..<nC).map { i in
      Self.dropoutGamma * (latent[i][0][0] - Self.growth[0].fixed[0]) / Self.childSD4 + rngD.normal()
    }
    let ranked = (0..<nC).sorted { propensity[$0] != propensity[$1] ? propensity[$0] > propensity[$1] : $0 < $1 }
    var lastWave = [Int](repeating: 0, count: nC)
    for (rank, i) in ranked.enumerated() {
      lastWave[i] = Self.activePerWave.lastIndex { rank < $0 }!
    }

    // 7. Outcomes (recorded values; the lagged terms use the recorded values).
    var rngY = SplitMix64(seed: seed, stream: "prac/outcomes")
    var outcome = [[[Double]]](
      repeating: [[Double]](repeating: [Double](repeating: .nan, count: nW), count: Self.outcomes.count), count: nC)
    for i in 0..<nC {
      for w in 0..<nW {
        for (k, o) in Self.outcomes.enumerated() {
          let eta = rngY.normal()
          var y = o.means[w]
          for r in 0..<nR { y += o.concurrent[r] * zOcc[i][w][r] }
          if w == 0 {
            y += o.sd4 * eta
          } else {
            y += o.ar * (outcome[i][k][w - 1] - o.means[w - 1]) + o.innovationSD * eta
            for r in 0..<nR { y += o.cross[r] * (Double(tasc[i][w - 1][r]) - Self.allianceCentre) }
          }
          outcome[i][k][w] = Simulation.clamp(y.rounded(), o.range.0, o.range.1)
        }
      }
    }

    // 8. Missing ratings among active families (MCAR), by interview or form.
    var rngM = SplitMix64(seed: seed, stream: "prac/missing")
    var present = [[[Bool]]](repeating: [[Bool]](repeating: [Bool](repeating: false, count: nR), count: nW), count: nC)
    var outcomePresent = [[Bool]](repeating: [Bool](repeating: false, count: nW), count: nC)
    for i in 0..<nC {
      for w in 0..<nW {
        let child = !rngM.bernoulli(Self.missingChild)
        let caregiver = !rngM.bernoulli(Self.missingCaregiver)
        let therapist = !rngM.bernoulli(Self.missingTherapist)
        let observer = !rngM.bernoulli(Self.missingObserver)
        guard w <= lastWave[i] else { continue }
        present[i][w] = [child, caregiver, therapist, therapist, observer, observer]
        outcomePresent[i][w] = caregiver
      }
    }

    // 9. Item responses for every recorded rating.
    var rngI = SplitMix64(seed: seed, stream: "prac/items")
    var itemRows: [(i: Int, w: Int, r: Int, items: [Int])] = []
    for i in 0..<nC {
      for w in 0..<nW {
        for r in 0..<nR {
          let noise = (0..<12).map { _ in Self.itemNoiseSD * rngI.normal() }
          guard present[i][w][r] else { continue }
          let items = Simulation.items(total: tasc[i][w][r], offsets: Self.itemOffsets, noise: noise, low: 1, high: 4)
          itemRows.append((i, w, r, items))
        }
      }
    }

    // 10. Tables.
    let childID = (0..<nC).map { String(format: "P%03d", $0 + 1) }
    let therapistID = (0..<nT).map { String(format: "T%02d", $0 + 1) }
    let clinicID = (0..<Self.clinicCount).map { "C\($0 + 1)" }
    let sexText = girl.map { $0 == 1 ? "girl" : "boy" }
    let ethText = white.map { $0 == 1 ? "white" : "other" }

    var long: [(String, Column)] = []
    let longRows = (0..<nC).flatMap { i in (0..<nW).map { (i, $0) } }
    long.append(("child", .text(longRows.map { childID[$0.0] })))
    long.append(("therapist", .text(longRows.map { therapistID[assigned[$0.0]] })))
    long.append(("clinic", .text(longRows.map { clinicID[therapistClinic[assigned[$0.0]]] })))
    long.append(("sex", .text(longRows.map { sexText[$0.0] })))
    long.append(("age", .numeric(longRows.map { age[$0.0] })))
    long.append(("anxiety", .numeric(longRows.map { anxiety[$0.0] })))
    long.append(("ethnicity", .text(longRows.map { ethText[$0.0] })))
    long.append(("experience", .numeric(longRows.map { exper[$0.0] })))
    long.append(("wave", .numeric(longRows.map { Double($0.1 + 1) })))
    long.append(("months", .numeric(longRows.map { Double(Self.months[$0.1]) })))
    long.append(("active", .numeric(longRows.map { $0.1 <= lastWave[$0.0] ? 1 : 0 })))
    for r in 0..<nR {
      long.append(("tasc_" + Self.informants[r], .numeric(longRows.map { present[$0.0][$0.1][r] ? Double(tasc[$0.0][$0.1][r]) : .nan })))
    }
    for (k, o) in Self.outcomes.enumerated() {
      long.append((o.name, .numeric(longRows.map { outcomePresent[$0.0][$0.1] ? outcome[$0.0][k][$0.1] : .nan })))
    }

    var items: [(String, Column)] = []
    items.append(("child", .text(itemRows.map { childID[$0.i] })))
    items.append(("wave", .numeric(itemRows.map { Double($0.w + 1) })))
    items.append(("months", .numeric(itemRows.map { Double(Self.months[$0.w]) })))
    items.append(("informant", .text(itemRows.map { Self.informants[$0.r] })))
    for k in 0..<12 {
      items.append((String(format: "item%02d", k + 1), .numeric(itemRows.map { Double($0.items[k]) })))
    }
    items.append(("total", .numeric(itemRows.map { Double($0.items.reduce(0, +)) })))

    var wide: [(String, Column)] = []
    wide.append(("child", .text(childID)))
    wide.append(("therapist", .text((0..<nC).map { therapistID[assigned[$0]] })))
    wide.append(("clinic", .text((0..<nC).map { clinicID[therapistClinic[assigned[$0]]] })))
    wide.append(("sex", .text(sexText)))
    wide.append(("age", .numeric(age)))
    wide.append(("anxiety", .numeric(anxiety)))
    wide.append(("ethnicity", .text(ethText)))
    wide.append(("experience", .numeric(exper)))
    wide.append(("last_month", .numeric(lastWave.map { Double(Self.months[$0]) })))
    for w in 0..<3 {
      let m = Self.months[w]
      for r in 0..<nR {
        wide.append(("tasc_\(Self.informants[r])_\(m)", .numeric((0..<nC).map { present[$0][w][r] ? Double(tasc[$0][w][r]) : .nan })))
      }
      for (k, o) in Self.outcomes.enumerated() {
        wide.append(("\(o.name)_\(m)", .numeric((0..<nC).map { outcomePresent[$0][w] ? outcome[$0][k][w] : .nan })))
      }
    }

    let parameters = trueParameters(girl: girl, anxiety: anxiety, white: white, experience: exper)
    return SimulatedStudy(
      design: "prac", seed: seed,
      files: [("long.csv", Table(long)), ("items.csv", Table(items)), ("wide.csv", Table(wide))],
      parameters: parameters, readme: readme(parameters))
  }

  /// The true parameters; informant differences at 4 months are averaged over the realised
  /// covariates of the 209 children.
  func trueParameters(girl: [Double], anxiety: [Double], white: [Double], experience: [Double])
    -> [(name: String, value: Double, description: String)]
  {
    var p: [(name: String, value: Double, description: String)] = []
    for (r, g) in Self.growth.enumerated() {
      let y = "tasc_" + Self.informants[r]
      for (k, term) in Self.terms.enumerated() {
        p.append(("\(y).fixed[\(term)]", g.fixed[k], "growth model of `\(y)`: fixed effect `\(term)` (TASC points\(term.contains("months") ? " per month" : ""))"))
      }
      p.append(("\(y).sd[child (Intercept)]", g.sdIntercept, "growth model of `\(y)`: SD of child random intercepts (at month 0)"))
      p.append(("\(y).sd[child months]", g.sdSlope, "growth model of `\(y)`: SD of child random slopes (points per month; uncorrelated with the intercepts)"))
      p.append(("\(y).sd[therapist (Intercept)]", g.sdTherapist, "growth model of `\(y)`: SD of therapist random intercepts"))
      p.append(("\(y).sd[clinic (Intercept)]", Self.clinicSD, "growth model of `\(y)`: SD of clinic random intercepts (one clinic effect shared by all informants)"))
      p.append(("\(y).sigma", g.sigma, "growth model of `\(y)`: residual SD (before rounding to whole points)"))
    }
    p.append(("cor[child (Intercept)]", Simulation.round(Self.familyLoading * Self.familyLoading, 10), "correlation of any two informants' child random intercepts (shared family factor, loading 0.7)"))
    p.append(("cor[therapist (Intercept)]", Simulation.round(Self.therapistLoading * Self.therapistLoading, 10), "correlation of any two informants' therapist random intercepts (loading 0.6)"))
    p.append(("cor[residual]", Simulation.round(Self.occasionLoading * Self.occasionLoading, 10), "correlation of any two informants' residuals at the same interview (loading 0.5)"))

    // Informant differences at month 4 over the realised covariates.
    let n = Double(girl.count)
    let means = [1, 4, girl.reduce(0, +) / n, anxiety.reduce(0, +) / n, white.reduce(0, +) / n, experience.reduce(0, +) / n]
    func mean4(_ r: Int) -> Double {
      let f = Self.growth[r].fixed
      return f[0] + 4 * f[1] + f[2] * means[2] + f[3] * means[3] + f[4] * means[4] + f[5] * means[5]
        + 4 * (f[6] * means[2] + f[7] * means[3] + f[8] * means[4] + f[9] * means[5])
    }
    for (a, b) in [(2, 0), (3, 1), (4, 0), (5, 1), (1, 0)] {
      let name = "diff4[\(Self.informants[a]) - \(Self.informants[b])]"
      p.append((name, mean4(a) - mean4(b), "expected mean of `tasc_\(Self.informants[a])` − `tasc_\(Self.informants[b])` at 4 months, averaged over the 209 children's covariates (paired comparison)"))
    }

    // Dropout.
    let gamma = Self.dropoutGamma
    p.append(("dropout.gamma", gamma, "dropout propensity L = γ·z + η (η ~ N(0, 1)) on z, the standardised latent child-rated alliance at 4 months; the families with the lowest L leave first"))
    let sd4 = Self.childSD4
    p.append(("dropout.sd_child4", sd4, "marginal SD of the latent child-rated total at 4 months (the z scale)"))
    for (w, m) in Self.months.enumerated().dropFirst() {
      let stay = Double(Self.activePerWave[w]) / Double(Self.childCount)
      let c = Distributions.normalQuantile(1 - stay)
      let phi = Foundation.exp(-c * c / 2) / (2 * Double.pi).squareRoot()
      let d = gamma / (1 + gamma * gamma).squareRoot() * phi * (1 / stay + 1 / (1 - stay))
      p.append(("dropout.d[\(m)]", d, "expected difference in z (latent child-rated alliance at 4 months, SD units) between families active at \(m) months and those who had left: γ/√(1+γ²)·φ(c)·(1/p + 1/(1−p)), p = \(Self.activePerWave[w])/209, c = Φ⁻¹(1−p)"))
      p.append(("dropout.diff[\(m)]", d * sd4, "the same difference in TASC points (`tasc_child` at 4 months; d × \(Simulation.text(Simulation.round(sd4, 3))))"))
    }

    // Outcome generating constants.
    for o in Self.outcomes {
      for (w, m) in Self.months.enumerated() {
        p.append(("\(o.name).mean[\(m)]", o.means[w], "μ: `\(o.name)` mean at \(m) months (outcome equations)"))
      }
      p.append(("\(o.name).s4", o.sd4, "s₄: SD of the own part of `\(o.name)` at 4 months"))
      p.append(("\(o.name).s", o.innovationSD, "s: SD of the own innovation of `\(o.name)` at 8–16 months"))
      for (r, inf) in Self.informants.enumerated() where o.concurrent[r] != 0 {
        p.append(("\(o.name).d[tasc_\(inf)]", o.concurrent[r], "d: loading of `\(o.name)` on the informant-specific residual z of `tasc_\(inf)` at the same interview (0 for informants not listed)"))
      }
    }

    // Cross-lagged panel model.
    for o in Self.outcomes {
      p.append(("clpm.ar[\(o.name)]", o.ar, "CLPM: `\(o.name)` on itself 4 months earlier (raw scale)"))
      for (r, inf) in Self.informants.enumerated() {
        p.append(("clpm.cross[\(o.name) ~ tasc_\(inf)]", o.cross[r], "CLPM: `\(o.name)` on `tasc_\(inf)` 4 months earlier (outcome points per TASC point)"))
      }
      p.append(("clpm.sigma[\(o.name)]", (o.innovationSD * o.innovationSD + o.concurrent.reduce(0) { $0 + $1 * $1 }).squareRoot(), "CLPM: residual SD of `\(o.name)` at 8–16 months, √(σ_η² + Σ d_r²)"))
      for (r, inf) in Self.informants.enumerated() where o.concurrent[r] != 0 {
        let s = Self.growth[r].sigma * (1 - Self.occasionLoading * Self.occasionLoading).squareRoot()
        p.append(("clpm.rescov[\(o.name) ~~ tasc_\(inf)]", o.concurrent[r] * s, "CLPM: within-time (residual) covariance of `\(o.name)` and `tasc_\(inf)`, d·σ·√(1−0.5²), at every interview (at 4 months the covariance itself)"))
      }
    }
    return p
  }

  func readme(_ parameters: [(name: String, value: Double, description: String)]) -> String {
    var s = """
      # PRAC: alliance in usual-care child psychotherapy (simulated)

      Simulated by `bordin simulate prac --seed \(seed)` to the design of the PRAC study
      (Accurso 2015; Accurso & Garland 2016). **These are not the study's data**: they are drawn
      from the model below, whose parameters are known, so that every report built on them can
      compare its estimates with the truth (parameter recovery).

      ## Design

      - 209 children aged 4–13 (`age`; 30% girls, `sex` boy/girl; 25% with an anxiety
        diagnosis, `anxiety` 0/1) and their caregivers (35% non-Hispanic white, `ethnicity`
        white/other).
      - 85 therapists (`T01`–`T85`) in 6 clinics (`C1`–`C6`: 22, 18, 15, 13, 10, 7 therapists).
        Every therapist has at least one child; the other 124 children go to therapists in
        proportion to a caseload weight exp(0.7 z). Therapist years of experience
        (`experience`) = exp(log 4 + 0.7 z), one decimal, 0.5–35.
      - Interviews at 4, 8, 12 and 16 months (`wave` 1–4, `months`). A family is rated only while
        active in treatment: exactly 209, 141, 100 and 61 families are active (`active` 1/0;
        dropout is monotone).
      - Six alliance ratings, each a TASC total (12 items scored 1–4, total 12–48): the child
        (`tasc_child`) and the therapist (`tasc_therapist_child`) and an observer
        (`tasc_observer_child`) rate the child–therapist alliance; the caregiver
        (`tasc_caregiver`), the therapist (`tasc_therapist_caregiver`) and an observer
        (`tasc_observer_caregiver`) rate the caregiver–therapist alliance.
      - Outcomes at the caregiver interview: child symptom severity (`symptoms`, a T score,
        30–100), positive parenting (`parenting`, 6–30), family functioning
        (`family_functioning`, positive versus negative interactions, 20–80).

      ## Files

      - `long.csv`: one row per child and interview (836 rows): ids, covariates, `wave`,
        `months`, `active`, the six TASC totals and the three outcomes (empty when the family was
        not active or the rating is missing).
      - `items.csv`: one row per recorded TASC rating: `child`, `wave`, `months`, `informant`
        (child, caregiver, therapist_child, therapist_caregiver, observer_child,
        observer_caregiver), `item01`–`item12` (1–4, already keyed) and `total`, their sum, which
        equals the rating in `long.csv`.
      - `wide.csv`: one row per family for cross-lagged panel models: covariates, `last_month`
        (the last interview in treatment) and `tasc_<informant>_<m>`, `symptoms_<m>`,
        `parenting_<m>`, `family_functioning_<m>` for m = 4, 8, 12 (empty after dropout).
      - `parameters.csv`: the true parameters below.

      ## Generating model

      Every normal deviate is independent unless a shared factor is named. For child *i* of
      therapist *j* in clinic *c*, informant *r*, at month *m* ∈ {4, 8, 12, 16}:

      ```
      T*ᵣᵢₘ = x'ᵢₘ βᵣ + u₀ᵣᵢ + u₁ᵣᵢ·m + vᵣⱼ + k_c + eᵣᵢₘ
      x'ᵢₘ  = (1, m, girl, anxiety, white, experience, m·girl, m·anxiety, m·white, m·experience)
      u₀ᵣᵢ = sd₀ᵣ (0.7 Fᵢ + √(1−0.7²) zᵣᵢ)          family factor Fᵢ ~ N(0, 1)
      u₁ᵣᵢ = sd₁ᵣ z                                 (uncorrelated with u₀)
      vᵣⱼ  = sd_Tᵣ (0.6 Hⱼ + √(1−0.6²) z)           therapist factor Hⱼ ~ N(0, 1)
      k_c  ~ N(0, 0.8²)                              one clinic effect for all informants
      eᵣᵢₘ = σᵣ (0.5 Gᵢₘ + √(1−0.5²) zᵣᵢₘ)          interview factor Gᵢₘ ~ N(0, 1)
      TASCᵣᵢₘ = min(48, max(12, round(T*ᵣᵢₘ)))
      ```

      The lme4 model whose parameters these are is
      `tasc_<r> ~ months * (sex + anxiety + ethnicity + experience) + (1 + months | child) + (1 | therapist) + (1 | clinic)`
      (R's term names: `sexgirl`, `ethnicitywhite`; month 0 is the intercept). Rounding adds
      variance 1/12 to the residual, and the ceiling at 48 is reached by about 2–5% of client
      ratings, which pulls estimates near the ceiling (client ratings' intercept SD and residual
      SD) slightly down. Models without `(1 | clinic)` absorb the clinic variance into the
      therapist variance. With 6 clinics and 85 therapists, most with one to three children,
      REML estimates of the clinic and therapist SDs are imprecise and on average somewhat below
      the truth; the fixed effects are unbiased.

      **Items.** Each recorded total is spread over the 12 items: item propensity
      `TASC/12 + δₖ + εₖ` (εₖ ~ N(0, 0.5²), δ = (0.20, −0.10, 0.15, −0.25, 0.05, 0.10, −0.15,
      0.25, −0.05, 0, −0.20, 0)), rounded and clamped to 1–4, then raised or lowered one point at
      a time (largest remainder first) until the items add up to the total. Reliability (α ≈ .7–.8)
      follows from this construction; it is not a generating parameter.

      **Dropout.** zᵢ = (T*_child,i,4 − 40)/\(Simulation.text(Simulation.round(Self.childSD4, 4))) (the
      latent child-rated total at 4 months, standardised with its model mean and SD);
      Lᵢ = \(Simulation.text(Self.dropoutGamma))·zᵢ + ηᵢ, ηᵢ ~ N(0, 1). The 61 families with the highest L stay to
      16 months, the next 39 to 12, the next 41 to 8, and the other 68 leave after the 4-month
      interview. Dropout is missing at random given the 4-month child rating, so likelihood-based
      models (mixed models, FIML) are not biased by it; the weak γ makes early alliance differ
      only a little between families who leave and those who stay (as the study found).

      **Missing ratings** among active families, completely at random: the child interview
      (8%: `tasc_child`), the caregiver interview (6%: `tasc_caregiver` and all three outcomes),
      the therapist form (5%: both therapist ratings), the session recording (25%: both observer
      ratings).

      **Outcomes** (recorded, whole points, clamped to the range), for outcome *k* with means
      μₖₘ:

      ```
      Yₖᵢ₄ = μₖ₄ + Σᵣ dₖᵣ zᵣᵢ₄ + s₄ₖ ηₖᵢ₄
      Yₖᵢₘ = μₖₘ + aₖ (Yₖᵢ,ₘ₋₄ − μₖ,ₘ₋₄) + Σᵣ cₖᵣ (TASCᵣᵢ,ₘ₋₄ − 40) + Σᵣ dₖᵣ zᵣᵢₘ + sₖ ηₖᵢₘ     (m = 8, 12, 16)
      ```

      with the recorded lagged values (so a regression on the recorded data is the generating
      one), zᵣᵢₘ the informant-specific part of the alliance residual above, and
      \(Self.outcomes.map { "μ(`\($0.name)`) = \($0.means.map { Simulation.text($0) }.joined(separator: ", "))" }.joined(separator: "; ")).
      The outcome equations are exactly the outcome equations of a cross-lagged panel model
      (CLPM) of `wide.csv`: a = autoregression, c = cross-lagged effect of alliance, and the
      within-time residual covariance is d·σᵣ·√(1−0.5²). Only caregiver alliance has cross-lagged
      effects (on parenting and family functioning), so a CLPM of one outcome with
      `tasc_caregiver` (or of symptoms with any one rating) contains the whole generating outcome
      equation. The c of the other ratings are *partial* effects (0 given caregiver alliance): a
      CLPM of parenting or family functioning with only, say, `tasc_child` omits caregiver
      alliance, which is correlated with it through the family factor, and estimates a positive
      path (about 0.17 for family functioning in simulations); adding `tasc_caregiver` at the
      same waves recovers 0. Alliance itself follows the growth model
      and does not depend on earlier outcomes; a CLPM's alliance equations are therefore not
      generating equations, and its outcome → alliance paths (0 in truth) can come out non-zero
      because alliance has stable child-level components (a random-intercept CLPM separates
      them).

      ## True parameters

      Fixed effects and SDs are on the TASC total scale (12–48), per month for terms with
      `months`; CLPM coefficients are unstandardised (raw scale).


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
