import BordinData
import BordinStats
import Foundation

// A deterministic simulated growth design: patients nested in therapists, measured at equally
// spaced waves, with a patient-level covariate x. It is the data of the performance budget in
// DESIGN.md §10, `y ~ wave * x + (1 + wave | patient) + (1 | therapist)`.
//
// Implementation goals, in priority order: (1) bit-identical data on every machine and run for a
// seed: an own PRNG (SplitMix64) and Box–Muller normals, no Foundation or system randomness;
// (2) a true model with every component identifiable, so that benchmark fits converge to an
// interior optimum as real growth data usually do.
//
// Model, for patient i of therapist j at wave t = 0 … waves − 1:
//
// ```
//   y = 50 − 1.5 t + 2 x + 0.5 t·x + u₀ᵢ + u₁ᵢ t + vⱼ + e,
//   (u₀, u₁) ~ N(0, [5², −0.3·5·1; ·, 1²]),   v ~ N(0, 2²),   e ~ N(0, 4²),   x ~ N(0, 1).
// ```
//
// Reference: Steele, G. L., Lea, D. & Flood, C. H. (2014), Fast splittable pseudorandom number
// generators, OOPSLA '14 (SplitMix64); Box, G. E. P. & Muller, M. E. (1958), A note on the
// generation of random normal deviates, Ann. Math. Statist. 29(2).

/// Patients nested in therapists, measured at waves 0 … waves − 1 (see the file comment).
public struct SimulatedGrowthDesign: Sendable, Equatable {
  public var patients: Int
  public var therapists: Int
  public var waves: Int
  public var seed: UInt64

  /// The fixed effects: (Intercept), wave, x, wave:x.
  public var beta: [Double] = [50, -1.5, 2, 0.5]
  public var patientInterceptSD = 5.0
  public var patientSlopeSD = 1.0
  public var patientCorrelation = -0.3
  public var therapistSD = 2.0
  public var residualSD = 4.0

  /// The benchmark formula.
  public static let formula = "y ~ wave * x + (1 + wave | patient) + (1 | therapist)"

  public init(patients: Int, therapists: Int, waves: Int = 5, seed: UInt64 = 1979) {
    precondition(patients > 0 && therapists > 0 && therapists <= patients && waves > 1)
    self.patients = patients
    self.therapists = therapists
    self.waves = waves
    self.seed = seed
  }

  /// DESIGN.md §10's shape at a given size: 5 waves, 25 patients per therapist (1,000,000 rows
  /// = 200,000 patients in 8,000 therapists).
  public init(rows: Int, seed: UInt64 = 1979) {
    let patients = max(rows / 5, 2)
    self.init(patients: patients, therapists: max(patients / 25, 1), waves: 5, seed: seed)
  }

  public var rows: Int { patients * waves }

  /// The data: `y`, `wave`, `x`, `patient` (1 … patients) and `therapist` (1 … therapists), one
  /// row per patient and wave, patients in blocks of consecutive ids per therapist.
  public func table() -> Table {
    var rng = SplitMix64(seed: seed)
    let therapistEffect = (0..<therapists).map { _ in therapistSD * rng.normal() }
    let n = rows
    var y = [Double](repeating: 0, count: n)
    var wave = [Double](repeating: 0, count: n)
    var x = [Double](repeating: 0, count: n)
    var patient = [Double](repeating: 0, count: n)
    var therapist = [Double](repeating: 0, count: n)
    let rho = patientCorrelation
    for i in 0..<patients {
      let j = i * therapists / patients
      let xi = rng.normal()
      let z0 = rng.normal()
      let z1 = rng.normal()
      let u0 = patientInterceptSD * z0
      let u1 = patientSlopeSD * (rho * z0 + (1 - rho * rho).squareRoot() * z1)
      for t in 0..<waves {
        let r = i * waves + t
        let tt = Double(t)
        let mean = beta[0] + beta[1] * tt + beta[2] * xi + beta[3] * tt * xi
        y[r] = mean + u0 + u1 * tt + therapistEffect[j] + residualSD * rng.normal()
        wave[r] = tt
        x[r] = xi
        patient[r] = Double(i + 1)
        therapist[r] = Double(j + 1)
      }
    }
    return Table([
      ("y", .numeric(y)), ("wave", .numeric(wave)), ("x", .numeric(x)),
      ("patient", .numeric(patient)), ("therapist", .numeric(therapist)),
    ])
  }

  /// The data as CSV text (header `y,wave,x,patient,therapist`; numbers in shortest round-trip
  /// form, so that R reads back the same doubles).
  public func csv() -> String {
    let t = table()
    let cols = ["y", "wave", "x", "patient", "therapist"].map { t[$0]!.doubles! }
    var out = "y,wave,x,patient,therapist\n"
    out.reserveCapacity(rows * 48)
    for r in 0..<rows {
      out += cols.map { formatShortest($0[r]) }.joined(separator: ",")
      out += "\n"
    }
    return out
  }
}
