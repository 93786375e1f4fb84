import BordinData
import BordinStats
import Foundation

// Session-by-session alliance and symptoms in primary-care psychotherapy (Falkenström,
// Granström & Holmqvist 2013): 646 patients, the patient-rated Working Alliance Inventory –
// Short Revised (WAI-SR, 12 items 1–5) after every session and the CORE-OM before it, a
// personality-problems indicator, varying numbers of sessions.
//
// Implementation goals, in priority order: (1) known true within-patient and between-patient
// parameters for the lagged multilevel models the reports run: the within-patient effect of
// alliance on next-session symptoms, random across patients and stronger with personality
// problems, the reciprocal effect of symptoms on next-session alliance, and a between-patient
// alliance–symptom association that differs from the within-patient one, so that the
// within/between decomposition matters; (2) the published design: 646 patients, 76% women,
// brief therapies of varying length; (3) the same bytes for a seed on every machine
// (SimulationSupport.swift).
//
// References: Falkenström, F., Granström, F. & Holmqvist, R. (2013), Therapeutic alliance
// predicts symptomatic improvement session by session, J. Counsel. Psychol. 60(3), 317–328;
// Hatcher & Gillaspy (2006), WAI-SR; Evans et al. (2002), CORE-OM; Nickell (1981),
// Biases in dynamic models with fixed effects, Econometrica 49(6) (the small-T bias of
// person-mean centring noted in the README).

/// Simulates the session-by-session alliance–outcome design (see the file comment).
public struct SessionsSimulator: Sendable {
  public var seed: UInt64

  public init(seed: UInt64) { self.seed = seed }

  public static let patientCount = 646
  public static let minSessions = 3
  public static let maxSessions = 20
  /// Sessions = 3 + min(17, ⌊−meanExtra·log U⌋).
  static let meanExtra = 4.5

  // Between patients.
  static let waiMean = 46.0
  static let waiTrend = 0.2
  static let waiBetweenSD = 6.0
  static let coreMean = 17.0
  static let coreTrend = -0.4
  static let coreBetweenSD = 5.5
  static let betweenEffect = -0.2
  static let personalityOnWAI = -2.0
  static let personalityOnCORE = 3.0
  static let personalityRate = 0.30

  // Within patients (deviations from the patient's own level and trend).
  static let allianceEffect = -0.10
  static let personalityModeration = -0.10
  static let allianceEffectSD = 0.06
  static let reciprocalEffect = -0.15
  static let waiAR = 0.0
  static let coreAR = 0.0
  static let waiInnovationSD = 3.0
  static let coreInnovationSD = 3.0
  static let burnIn = 10

  static let missingWAI = 0.06
  static let missingCORE = 0.04

  static let itemOffsets = [0.15, -0.10, 0.20, -0.15, 0.05, 0.10, -0.20, 0.10, -0.05, 0.0, -0.10, 0.0]
  static let itemNoiseSD = 0.5

  public func generate() -> SimulatedStudy {
    let n = Self.patientCount

    // 1. Patients.
    var rngP = SplitMix64(seed: seed, stream: "sessions/patients")
    var woman = [Double](), age = [Double](), pp = [Double](), count = [Int]()
    var levelA = [Double](), levelC = [Double](), slope = [Double]()
    for _ in 0..<n {
      woman.append(rngP.bernoulli(0.76) ? 1 : 0)
      age.append(Simulation.clamp((38 + 12 * rngP.normal()).rounded(), 18, 75))
      let p = rngP.bernoulli(Self.personalityRate) ? 1.0 : 0.0
      pp.append(p)
      let extra = Int((-Self.meanExtra * Foundation.log(rngP.uniform())).rounded(.down))
      count.append(Self.minSessions + min(Self.maxSessions - Self.minSessions, extra))
      let a = Self.waiBetweenSD * rngP.normal() + Self.personalityOnWAI * p
      levelA.append(a)
      levelC.append(Self.betweenEffect * a + Self.personalityOnCORE * p + Self.coreBetweenSD * rngP.normal())
      slope.append(Self.allianceEffect + Self.personalityModeration * p + Self.allianceEffectSD * rngP.normal())
    }

    // 2. Sessions: a within-patient cross-lagged process on the recorded deviations.
    var rngW = SplitMix64(seed: seed, stream: "sessions/within")
    var wai = [[Int]](), core = [[Double]]()
    for i in 0..<n {
      var dA = 0.0, dC = 0.0
      var a: [Int] = [], c: [Double] = []
      for step in 0..<(Self.burnIn + count[i]) {
        let s = step - Self.burnIn  // session index − 1 once s ≥ 0
        let u = Self.waiInnovationSD * rngW.normal()
        let e = Self.coreInnovationSD * rngW.normal()
        let newA = Self.waiAR * dA + Self.reciprocalEffect * dC + u
        let newC = Self.coreAR * dC + slope[i] * dA + e
        if s < 0 {
          dA = newA
          dC = newC
          continue
        }
        let expA = Self.waiMean + Self.waiTrend * Double(s) + levelA[i]
        let expC = Self.coreMean + Self.coreTrend * Double(s) + levelC[i]
        let recA = Simulation.total(expA + newA, items: 12, low: 1, high: 5)
        let recC = Simulation.clamp(Simulation.round(expC + newC, 1), 0, 40)
        a.append(recA)
        c.append(recC)
        dA = Double(recA) - expA
        dC = recC - expC
      }
      wai.append(a)
      core.append(c)
    }

    // 3. Missing ratings and items.
    var rngM = SplitMix64(seed: seed, stream: "sessions/missing")
    var rngI = SplitMix64(seed: seed, stream: "sessions/items")
    var rows: [(i: Int, s: Int)] = []
    var waiPresent: [Bool] = [], corePresent: [Bool] = []
    var itemRows: [(i: Int, s: Int, items: [Int])] = []
    for i in 0..<n {
      for s in 0..<count[i] {
        let okA = !rngM.bernoulli(Self.missingWAI)
        let okC = !rngM.bernoulli(Self.missingCORE)
        rows.append((i, s))
        waiPresent.append(okA)
        corePresent.append(okC)
        let noise = (0..<12).map { _ in Self.itemNoiseSD * rngI.normal() }
        if okA {
          itemRows.append((i, s, Simulation.items(total: wai[i][s], offsets: Self.itemOffsets, noise: noise, low: 1, high: 5)))
        }
      }
    }

    let patientID = (0..<n).map { String(format: "P%03d", $0 + 1) }
    let sessions = Table([
      ("patient", .text(rows.map { patientID[$0.i] })),
      ("sex", .text(rows.map { woman[$0.i] == 1 ? "woman" : "man" })),
      ("age", .numeric(rows.map { age[$0.i] })),
      ("personality", .numeric(rows.map { pp[$0.i] })),
      ("sessions", .numeric(rows.map { Double(count[$0.i]) })),
      ("session", .numeric(rows.map { Double($0.s + 1) })),
      ("wai", .numeric(rows.indices.map { waiPresent[$0] ? Double(wai[rows[$0].i][rows[$0].s]) : .nan })),
      ("core", .numeric(rows.indices.map { corePresent[$0] ? core[rows[$0].i][rows[$0].s] : .nan })),
    ])
    var items: [(String, Column)] = [
      ("patient", .text(itemRows.map { patientID[$0.i] })), ("session", .numeric(itemRows.map { Double($0.s + 1) })),
    ]
    for k in 0..<12 {
      items.append((String(format: "wai%02d", k + 1), .numeric(itemRows.map { Double($0.items[k]) })))
    }

    let parameters = trueParameters()
    return SimulatedStudy(
      design: "sessions", seed: seed, files: [("sessions.csv", sessions), ("wai_items.csv", Table(items))],
      parameters: parameters, readme: readme(parameters))
  }

  func trueParameters() -> [(name: String, value: Double, description: String)] {
    [
      ("within.wai_to_core", Self.allianceEffect, "within-patient effect of alliance (WAI-SR total, deviation from the patient's level) on next-session CORE-OM (clinical score), patients without personality problems"),
      ("within.wai_to_core:personality", Self.personalityModeration, "difference in that effect for patients with personality problems (`personality` = 1)"),
      ("within.wai_to_core.personality1", Self.allianceEffect + Self.personalityModeration, "the within-patient alliance effect for patients with personality problems"),
      ("within.wai_to_core.sd", Self.allianceEffectSD, "SD of the within-patient alliance effect across patients (random slope)"),
      ("within.core_to_wai", Self.reciprocalEffect, "within-patient effect of CORE-OM (deviation) on next-session WAI-SR (reciprocal effect)"),
      ("within.wai_ar", Self.waiAR, "within-patient autoregression of alliance deviations"),
      ("within.core_ar", Self.coreAR, "within-patient autoregression of symptom deviations"),
      ("within.wai_sd", Self.waiInnovationSD, "SD of the within-patient alliance innovations (WAI points)"),
      ("within.core_sd", Self.coreInnovationSD, "SD of the within-patient symptom innovations (CORE points)"),
      ("between.wai_to_core", Self.betweenEffect, "between-patient association: CORE-OM level per point of the patient's WAI-SR level, at equal personality problems"),
      ("between.wai_mean", Self.waiMean, "mean WAI-SR total at session 1 (no personality problems)"),
      ("between.wai_trend", Self.waiTrend, "change in WAI-SR per session"),
      ("between.wai_sd", Self.waiBetweenSD, "SD of patients' WAI-SR levels"),
      ("between.core_mean", Self.coreMean, "mean CORE-OM clinical score at session 1 (no personality problems, average alliance)"),
      ("between.core_trend", Self.coreTrend, "change in CORE-OM per session"),
      ("between.core_sd", Self.coreBetweenSD, "SD of patients' CORE-OM levels given their alliance level"),
      ("between.personality_wai", Self.personalityOnWAI, "WAI-SR level difference with personality problems"),
      ("between.personality_core", Self.personalityOnCORE, "CORE-OM level difference with personality problems, at equal alliance level"),
      ("design.personality_rate", Self.personalityRate, "proportion of patients with personality problems"),
      ("design.mean_sessions", Double(Self.minSessions) + Self.expectedExtraSessions, "expected number of sessions per patient"),
    ]
  }

  /// E[min(17, ⌊−4.5 log U⌋)]: a geometric variable with P(X ≥ k) = exp(−k/4.5), truncated.
  static var expectedExtraSessions: Double {
    (1...(maxSessions - minSessions)).reduce(0) { $0 + Foundation.exp(-Double($1) / meanExtra) }
  }

  func readme(_ parameters: [(name: String, value: Double, description: String)]) -> String {
    var s = """
      # Alliance and symptoms session by session (simulated)

      Simulated by `bordin simulate sessions --seed \(seed)` to the design of Falkenström,
      Granström & Holmqvist (2013). **These are not the study's data**: they are drawn from the
      model below, whose parameters are known, so that every report built on them can compare its
      estimates with the truth (parameter recovery).

      ## Design

      - 646 primary-care psychotherapy patients (`P001`–`P646`; 76% women, `sex`; `age`
        18–75), 30% with personality problems (`personality` 1/0).
      - 3 to 20 sessions each (`sessions`): 3 + min(17, ⌊−4.5·log U⌋), U uniform, so most
        therapies are brief (mean ≈ \(Simulation.text(Simulation.round(3 + Self.expectedExtraSessions, 1)))) with a tail of longer ones.
      - Before every session the CORE-OM (`core`, clinical score: mean item × 10, 0–40, one
        decimal); after every session the patient-rated WAI-SR (`wai`, total of 12 items scored
        1–5, 12–60).

      ## Files

      - `sessions.csv`: one row per patient and session: `patient`, `sex`, `age`, `personality`,
        `sessions`, `session` (1, 2, …), `wai`, `core` (empty when missing).
      - `wai_items.csv`: one row per recorded WAI-SR: `patient`, `session`, `wai01`–`wai12`
        (1–5), which add up to `wai`.
      - `parameters.csv`: the true parameters below.

      ## Generating model

      For patient *i* (personality problems Pᵢ ∈ {0, 1}) at session *s* = 1 … nᵢ:

      ```
      aᵢ = 6 zᵢ − 2 Pᵢ                               patient's alliance level
      cᵢ = −0.2 aᵢ + 3 Pᵢ + 5.5 z'ᵢ                  patient's symptom level (between-patient effect −0.2)
      βᵢ = −0.10 − 0.10 Pᵢ + 0.06 z''ᵢ               patient's within-patient alliance effect
      WAIᵢₛ  = round(46 + 0.2 (s−1) + aᵢ + Ãᵢₛ), clamped to 12–60
      COREᵢₛ = round(17 − 0.4 (s−1) + cᵢ + C̃ᵢₛ, 1), clamped to 0–40
      Ãᵢₛ = \(Simulation.text(Self.waiAR))·Ãᵢ,ₛ₋₁ − 0.15·C̃ᵢ,ₛ₋₁ + uᵢₛ,   u ~ N(0, 3²)     symptoms → next-session alliance
      C̃ᵢₛ = \(Simulation.text(Self.coreAR))·C̃ᵢ,ₛ₋₁ + βᵢ·Ãᵢ,ₛ₋₁ + eᵢₛ,      e ~ N(0, 3²)     alliance → next-session symptoms
      ```

      Ã and C̃ are the patient's deviations from their own level and trend, taken from the
      recorded (rounded) values, so the lagged terms act on what is in the file. The process
      runs 10 unrecorded steps before session 1 so that it starts in its stationary state.

      **Within and between.** The within-patient alliance effect (−0.10; −0.20 with personality
      problems) differs from the between-patient association (−0.2 per point of alliance level),
      so a model that does not separate them (raw `wai` as the predictor) estimates a blend. The
      models the parameters belong to are, with `wai_w` = WAI − the patient's mean WAI and
      `wai_b` = the patient's mean WAI, and lags within patient:

      - `core_next ~ session + wai_w + wai_b + personality + wai_w:personality + (1 + wai_w | patient)`
        — `wai_w`: within.wai_to_core; `wai_w:personality`: within.wai_to_core:personality;
        random-slope SD: within.wai_to_core.sd; `wai_b`: between.wai_to_core.
      - `wai_next ~ session + core_w + core_b + personality + (1 | patient)` — `core_w`:
        within.core_to_wai.

      Centring on the patient's observed mean (over only 3–20 sessions) instead of the true level
      makes these estimators slightly biased (of order 1/nᵢ; Nickell 1981): because symptoms feed
      back into later alliance, the mean WAI contains later consequences of the current symptom
      innovation; with this design's session counts expect the within-patient estimates to come
      out roughly 10–15% closer to zero than the truth (less than one standard error at 646
      patients). Controlling for the patient-centred current CORE-OM (`core_w`, true effect 0)
      gives it a negative coefficient of about −1/(n̄ − 1) for the same reason. The patient
      means also carry sampling error, which attenuates the between effect a little
      (reliability of a patient mean ≈ 36/(36 + 9/n)).

      **Missing values**, completely at random: 6% of WAI-SR and 4% of CORE-OM ratings.

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
