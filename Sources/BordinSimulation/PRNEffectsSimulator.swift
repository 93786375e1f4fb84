import BordinData
import BordinStats
import Foundation

/// Study-level effect sizes simulated to the published k and pooled effects of the alliance
/// meta-analyses that a practice-research network summarises, for the network's example
/// database (the studies' own data are not public).
///
/// For each meta-analysis: k sample sizes are drawn log-normally (median 80, clamped to
/// 15–1500; per group 12–80 for SMD), true effects on the analysis scale (Fisher z, or Hedges' g)
/// from N(θ, τ²) and observed effects from N(true, vᵢ) with vᵢ = 1/(nᵢ − 3) (z) or
/// 1/n₁ + 1/n₂ + g²/(2(n₁+n₂)) (SMD). All effects of a (sub)group are then shifted by one
/// constant so that the REML random-effects estimate equals the published pooled effect (to
/// 1e-9: the shift is rounded to a multiple of 2⁻³², so that the bytes of the file do not depend
/// on the last bits of the REML fit, which differ between BLAS builds); shifting leaves τ̂², the
/// weights and every heterogeneity statistic unchanged.
/// Deterministic for a seed: SplitMix64 seeded by the seed mixed with the summary id.
public enum PRNEffectsSimulator {
  /// A study-level moderator whose meta-regression slope (REML, analysis scale) the simulation
  /// reproduces: values drawn log-normally (median, log-SD), rounded and clamped to `range`.
  public struct Moderator: Sendable {
    public var name: String
    public var slope: Double
    public var median: Double
    public var logSD: Double
    public var range: ClosedRange<Double>
  }

  public struct Target: Sendable {
    public var id: String
    /// Published pooled effect per subgroup ("" when there are no subgroups): r, or SMD.
    public var groups: [(label: String, k: Int, effect: Double)]
    public var smd: Bool
    /// Between-study SD on the analysis scale.
    public var tau: Double
    /// The groups are separate analyses of the article (column `adjusted_for`: e.g. correlations adjusted
    /// for patient characteristics), not subgroups of one; the first, unlabelled, is the main one.
    public var sets = false
    /// A moderator whose published slope the main analysis reproduces.
    public var moderator: Moderator? = nil
    /// Three-level data: each study reports 1 to this many effect sizes (column `es` within
    /// `cluster`), and the published effect is the three-level (rma.mv) estimate.
    public var effectsPerStudy: Int? = nil
  }

  /// The published figures the simulation reproduces (from each paper's abstract or summary).
  public static let targets: [Target] = [
    Target(id: "horvath2011", groups: [("", 190, 0.275)], smd: false, tau: 0.12),
    Target(id: "mcleod2011", groups: [("", 38, 0.14)], smd: false, tau: 0.08),
    Target(id: "eubanks2018", groups: [("", 11, 0.29)], smd: false, tau: 0.08),
    Target(id: "flueckiger2018", groups: [("", 295, 0.278)], smd: false, tau: 0.12),
    Target(id: "karver2018", groups: [("", 28, 0.19)], smd: false, tau: 0.08),
    Target(id: "norwood2018", groups: [("", 4, -0.30)], smd: true, tau: 0.10),
    Target(id: "flueckiger2020", groups: [("", 53, 0.304), ("patient characteristics", 35, 0.286), ("treatment adherence", 13, 0.242)],
           smd: false, tau: 0.10, sets: true),
    Target(id: "delre2021", groups: [("", 152, 0.275)], smd: false, tau: 0.10,
           moderator: Moderator(name: "ptr", slope: -0.006, median: 4, logSD: 1.0, range: 1...60)),
    Target(id: "howard2021", groups: [("in person", 8, -0.323), ("remote", 4, -0.390)], smd: false, tau: 0.03),
    Target(id: "roest2022", groups: [("", 99, 0.17)], smd: false, tau: 0.10, effectsPerStudy: 4),
    Target(id: "horvath1991", groups: [("", 24, 0.26)], smd: false, tau: 0.10),
    Target(id: "martin2000", groups: [("", 79, 0.22)], smd: false, tau: 0.10),
    Target(id: "horvath2002", groups: [("", 89, 0.21)], smd: false, tau: 0.10),
    Target(id: "constantino2018", groups: [("", 81, 0.12)], smd: false, tau: 0.08),
    Target(id: "gelso2018", groups: [("", 16, 0.38)], smd: false, tau: 0.08),
    Target(id: "elliott2018", groups: [("", 82, 0.28)], smd: false, tau: 0.10),
    Target(id: "friedlander2018", groups: [("", 48, 0.297)], smd: false, tau: 0.10),
    Target(id: "swift2018", groups: [("", 53, 0.28)], smd: true, tau: 0.15),
    Target(id: "burlingame2018", groups: [("", 55, 0.26)], smd: false, tau: 0.10),
    Target(id: "tryon2018", groups: [("", 54, 0.24)], smd: false, tau: 0.10),
    Target(id: "kolden2018", groups: [("", 21, 0.23)], smd: false, tau: 0.08),
    Target(id: "farber2018", groups: [("", 64, 0.28)], smd: false, tau: 0.10),
  ]

  /// Rounded to 2⁻³² (2.3e-10): a REML estimate's last bits depend on the BLAS build, the file's bytes must not.
  static func representable(_ x: Double) -> Double { (x * 0x1p32).rounded() / 0x1p32 }

  /// One group's simulated effects, before the shift to the published effect.
  struct Draw {
    var yi: [Double] = [], vi: [Double] = [], n: [Double] = [], cluster: [Int] = [], es: [Int] = [], mod: [Double] = []
  }

  /// k studies (as the original generator: the same draws for targets without the newer features).
  static func draw(_ t: Target, k: Int, theta: Double, rng: inout SplitMix64) -> Draw {
    var d = Draw()
    for s in 0..<k {
      if t.smd {
        let n1 = min(80, max(12, (exp(log(30) + 0.5 * rng.normal())).rounded()))
        let n2 = min(80, max(12, (exp(log(30) + 0.5 * rng.normal())).rounded()))
        let truth = theta + t.tau * rng.normal()
        let v = 1 / n1 + 1 / n2 + truth * truth / (2 * (n1 + n2))
        d.yi.append(truth + v.squareRoot() * rng.normal()); d.vi.append(v); d.n.append(n1 + n2)
        d.cluster.append(s); d.es.append(1)
      } else {
        let size = min(1500, max(15, (exp(log(80) + 0.7 * rng.normal())).rounded()))
        let v = 1 / (size - 3)
        if let m = t.effectsPerStudy {
          // Three levels: a study effect (SD τ) and, within it, effect-size deviations (SD τ/2).
          let study = theta + t.tau * rng.normal()
          for e in 0...rng.integer(below: m) {
            d.yi.append(study + t.tau / 2 * rng.normal() + v.squareRoot() * rng.normal()); d.vi.append(v); d.n.append(size)
            d.cluster.append(s); d.es.append(e + 1)
          }
        } else {
          d.yi.append(theta + t.tau * rng.normal() + v.squareRoot() * rng.normal()); d.vi.append(v); d.n.append(size)
          d.cluster.append(s); d.es.append(1)
        }
      }
    }
    if let m = t.moderator {
      d.mod = d.yi.indices.map { _ in min(m.range.upperBound, max(m.range.lowerBound, exp(log(m.median) + m.logSD * rng.normal()).rounded())) }
    }
    return d
  }

  /// Shifts `d.yi` so the REML fits reproduce the published figures: first the moderator's
  /// slope (adding c·x moves the meta-regression slope by exactly c and leaves its τ̂²), then a
  /// constant for the pooled effect (random-effects, or three-level for nested effects).
  static func calibrate(_ d: inout Draw, _ t: Target, theta: Double) throws {
    if let m = t.moderator {
      let fit = try MetaAnalysis.fit(try MetaEffects(yi: d.yi, vi: d.vi), mods: m.name, data: Table([(m.name, .numeric(d.mod))]), options: MetaOptions(method: .REML))
      let slope = fit.coefficients.first { $0.term == m.name }!.estimate
      let c = representable(m.slope - slope)
      for i in d.yi.indices { d.yi[i] += c * d.mod[i] }
    }
    let estimate: Double
    if t.effectsPerStudy != nil {
      let data = Table([("cluster", .numeric(d.cluster.map(Double.init))), ("es", .numeric(d.es.map(Double.init)))])
      estimate = try MetaMultilevel.fit(try MetaEffects(yi: d.yi, vi: d.vi), random: "~ 1 | cluster/es", data: data).estimate
    } else {
      estimate = try MetaAnalysis.fit(try MetaEffects(yi: d.yi, vi: d.vi), options: MetaOptions(method: .REML)).estimate
    }
    let shift = representable(theta - estimate)
    for i in d.yi.indices { d.yi[i] += shift }
  }

  /// The simulated effects: summary_id, study, n, yi, vi, subgroup, adjusted_for, cluster, es and the
  /// moderator `ptr` (NA where a target has none).
  public static func generate(seed: UInt64) throws -> Table {
    var ids: [String?] = [], studies: [String?] = [], ns: [Double] = [], yis: [Double] = [], vis: [Double] = [], subs: [String?] = []
    var sets: [String?] = [], clusters: [String?] = [], ess: [Double] = [], ptrs: [Double] = []
    for t in targets {
      var rng = SplitMix64(seed: seed ^ fnv1a(t.id))
      var number = 0
      for g in t.groups {
        let theta = t.smd ? g.effect : atanh(g.effect)
        var d = draw(t, k: g.k, theta: theta, rng: &rng)
        try calibrate(&d, t, theta: theta)
        var lastCluster = -1
        for i in d.yi.indices {
          if d.cluster[i] != lastCluster { number += 1; lastCluster = d.cluster[i] }
          let study = String(format: "Simulated study %03d", number)
          ids.append(t.id); ns.append(d.n[i]); yis.append(d.yi[i]); vis.append(d.vi[i])
          studies.append(t.effectsPerStudy == nil ? study : study + ", effect \(d.es[i])")
          subs.append(g.label.isEmpty || t.sets ? nil : g.label)
          sets.append(g.label.isEmpty || !t.sets ? nil : g.label)
          clusters.append(study); ess.append(Double(d.es[i])); ptrs.append(d.mod.isEmpty ? .nan : d.mod[i])
        }
      }
    }
    return Table([("summary_id", .text(ids)), ("study", .text(studies)), ("n", .numeric(ns)), ("yi", .numeric(yis)),
                  ("vi", .numeric(vis)), ("subgroup", .text(subs)), ("adjusted_for", .text(sets)), ("cluster", .text(clusters)),
                  ("es", .numeric(ess)), ("ptr", .numeric(ptrs))])
  }

  /// The design as a ``SimulatedStudy`` for `bordin simulate prn`: one file,
  /// `effects_simulated.csv`, the published targets as its parameters, and a README.
  public static func study(seed: UInt64) throws -> SimulatedStudy {
    var params: [(name: String, value: Double, description: String)] = []
    for t in targets {
      for g in t.groups {
        let sub = g.label.isEmpty ? "" : " (\(g.label))"
        params.append(("\(t.id)\(g.label.isEmpty ? "" : "/" + g.label).k", Double(g.k), "number of studies\(sub)"))
        params.append(("\(t.id)\(g.label.isEmpty ? "" : "/" + g.label).\(t.smd ? "smd" : "r")", g.effect, "published pooled \(t.smd ? "SMD" : "correlation")\(sub), reproduced by the REML estimate to 1e-9"))
      }
      params.append(("\(t.id).tau", t.tau, "between-study SD on the analysis scale (\(t.smd ? "SMD" : "Fisher z"))"))
      if let m = t.moderator {
        params.append(("\(t.id).\(m.name)_slope", m.slope, "published meta-regression slope of \(m.name) (Fisher z), reproduced by the REML fit to 1e-9"))
      }
      if let m = t.effectsPerStudy {
        params.append(("\(t.id).effects_per_study_max", Double(m), "1 to this many effect sizes per study (three-level; within-study SD τ/2); the pooled r is the three-level REML estimate"))
      }
    }
    let readme = """
      # Simulated study-level effects for the network's summaries

      **Simulated data.** The study-level data of these meta-analyses are not public. For each, k
      sample sizes are drawn log-normally (median 80, 15–1500; for SMD 12–80 per group), true
      effects on the analysis scale (Fisher z or Hedges' g) from N(θ, τ²), observed effects from
      N(true, vᵢ) with vᵢ = 1/(nᵢ − 3) or 1/n₁ + 1/n₂ + g²/(2(n₁+n₂)); then every effect of a
      (sub)group is shifted by one constant so that the REML estimate equals the published pooled
      effect to 1e-9 (the shift leaves τ̂², the weights and the heterogeneity unchanged).
      Del Re et al. (2021): a patient–therapist ratio `ptr` per study, and the effects moved by
      c·ptr so that the REML meta-regression slope equals the published −0.006 (this leaves its
      τ̂² unchanged) before the constant shift. Roest et al. (2022): 1–4 effect sizes per study
      (`es` within `cluster`; study SD τ, within-study SD τ/2), shifted so that the three-level
      REML estimate (`rma.mv(yi, vi, random = ~ 1 | cluster/es)`) equals the published r = .17.
      Flückiger et al. (2020): three analyses in column `adjusted_for` (none: all 53 studies; "patient
      characteristics", 35; "treatment adherence", 13: correlations adjusted for them).
      Generator: `PRNEffectsSimulator` (Sources/BordinSimulation), SplitMix64 seeded by the seed mixed
      with each summary id. The targets are in `parameters.csv`.

      """
    return SimulatedStudy(design: "prn", seed: seed, files: [("effects_simulated.csv", try generate(seed: seed))],
                          parameters: params, readme: readme)
  }

  /// FNV-1a hash of a string (stable across runs and machines).
  static func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }
}
