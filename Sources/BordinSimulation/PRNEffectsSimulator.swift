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
  public struct Target: Sendable {
    public var id: String
    /// Published pooled effect per subgroup ("" when there are no subgroups): r, or SMD.
    public var groups: [(label: String, k: Int, effect: Double)]
    public var smd: Bool
    /// Between-study SD on the analysis scale.
    public var tau: Double
  }

  /// The published figures the simulation reproduces (from each paper's abstract or summary).
  public static let targets: [Target] = [
    Target(id: "horvath2011", groups: [("", 190, 0.275)], smd: false, tau: 0.12),
    Target(id: "mcleod2011", groups: [("", 38, 0.14)], smd: false, tau: 0.08),
    Target(id: "eubanks2018", groups: [("", 11, 0.29)], smd: false, tau: 0.08),
    Target(id: "flueckiger2018", groups: [("", 295, 0.278)], smd: false, tau: 0.12),
    Target(id: "karver2018", groups: [("", 28, 0.19)], smd: false, tau: 0.08),
    Target(id: "norwood2018", groups: [("", 4, -0.30)], smd: true, tau: 0.10),
    Target(id: "flueckiger2020", groups: [("", 53, 0.304)], smd: false, tau: 0.10),
    Target(id: "delre2021", groups: [("", 152, 0.275)], smd: false, tau: 0.10),
    Target(id: "howard2021", groups: [("in person", 8, -0.323), ("remote", 4, -0.390)], smd: false, tau: 0.03),
    Target(id: "roest2022", groups: [("", 99, 0.17)], smd: false, tau: 0.10),
  ]

  /// The simulated effects: summary_id, study, n, yi, vi, subgroup.
  public static func generate(seed: UInt64) throws -> Table {
    var ids: [String?] = [], studies: [String?] = [], ns: [Double] = [], yis: [Double] = [], vis: [Double] = [], subs: [String?] = []
    for t in targets {
      var rng = SplitMix64(seed: seed ^ fnv1a(t.id))
      var number = 0
      for g in t.groups {
        var yi: [Double] = [], vi: [Double] = [], n: [Double] = []
        let theta = t.smd ? g.effect : atanh(g.effect)
        for _ in 0..<g.k {
          if t.smd {
            let n1 = min(80, max(12, (exp(log(30) + 0.5 * rng.normal())).rounded()))
            let n2 = min(80, max(12, (exp(log(30) + 0.5 * rng.normal())).rounded()))
            let truth = theta + t.tau * rng.normal()
            let v = 1 / n1 + 1 / n2 + truth * truth / (2 * (n1 + n2))
            yi.append(truth + v.squareRoot() * rng.normal()); vi.append(v); n.append(n1 + n2)
          } else {
            let size = min(1500, max(15, (exp(log(80) + 0.7 * rng.normal())).rounded()))
            let v = 1 / (size - 3)
            yi.append(theta + t.tau * rng.normal() + v.squareRoot() * rng.normal()); vi.append(v); n.append(size)
          }
        }
        let fit = try MetaAnalysis.fit(try MetaEffects(yi: yi, vi: vi), options: MetaOptions(method: .REML))
        // Rounded to 2⁻³² (2.3e-10): the REML estimate's last bits depend on the BLAS build.
        let shift = ((theta - fit.estimate) * 0x1p32).rounded() / 0x1p32
        for i in 0..<g.k {
          number += 1
          ids.append(t.id); studies.append(String(format: "Simulated study %03d", number)); ns.append(n[i])
          yis.append(yi[i] + shift); vis.append(vi[i]); subs.append(g.label.isEmpty ? nil : g.label)
        }
      }
    }
    return Table([("summary_id", .text(ids)), ("study", .text(studies)), ("n", .numeric(ns)), ("yi", .numeric(yis)),
                  ("vi", .numeric(vis)), ("subgroup", .text(subs))])
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
    }
    let readme = """
      # Simulated study-level effects for the network's summaries

      **Simulated data.** The study-level data of these meta-analyses are not public. For each, k
      sample sizes are drawn log-normally (median 80, 15–1500; for SMD 12–80 per group), true
      effects on the analysis scale (Fisher z or Hedges' g) from N(θ, τ²), observed effects from
      N(true, vᵢ) with vᵢ = 1/(nᵢ − 3) or 1/n₁ + 1/n₂ + g²/(2(n₁+n₂)); then every effect of a
      (sub)group is shifted by one constant so that the REML estimate equals the published pooled
      effect to 1e-9 (the shift leaves τ̂², the weights and the heterogeneity unchanged).
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
