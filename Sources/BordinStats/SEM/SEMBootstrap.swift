// The nonparametric (ordinary, case) bootstrap of a structural equation model: lavaan's
// `se = "bootstrap"` with `parameterEstimates(boot.ci.type = "perc")`.
//
// Implementation goals, in priority order: (1) lavaan 0.6's definitions: each draw resamples the
// n used rows with replacement and refits the model from the full-sample estimates (lavaan
// `lav_bootstrap_internal`, one optimiser attempt); draws that fail or do not converge are
// left out and counted; the SE of a free parameter is sqrt(Σ(θ_b − θ̄)²/R) over the R kept
// draws (lavaan `lav_model_nvcov_bootstrap`: cov(COEF)·(R−1)/R), that of a defined (`:=`)
// parameter the sd() of its values (divisor R − 1, `lav_model_vcov_se`); percentile intervals
// interpolate the order statistics on the normal scale at (R + 1)·α (boot's `norm.inter`, as
// lavaan); (2) the same bytes for any number of threads: draw b uses its own generator, seeded
// from (seed, b), and results are collected by index; (3) every core busy.
//
// References: Efron, B. & Tibshirani, R. J. (1993). *An introduction to the bootstrap*.
// Chapman & Hall, ch. 6 and 13. Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap methods and
// their application*, §5.2.3 (interpolation of order statistics). Rosseel (2012), lavaan.

import BordinData
import Foundation

/// Options of ``SEMBootstrap/run(model:data:options:bootstrap:)``.
public struct SEMBootstrapOptions: Sendable, Equatable {
  /// Number of resamples (lavaan's default 1000).
  public var draws: Int = 1000
  public var seed: UInt64 = SEMBootstrapOptions.defaultSeed
  /// Worker threads (nil: every active core). The result does not depend on it.
  public var threads: Int? = nil
  /// The seed used when the report gives none (recorded in the result).
  public static let defaultSeed: UInt64 = 20_260_101
  /// The fewest draws accepted: percentile limits at 2.5% need a few dozen draws in each tail.
  public static let minimumDraws = 100
  /// The fewest cases accepted: with fewer, resamples repeat and the bootstrap distribution is
  /// too coarse for a 95% interval.
  public static let minimumCases = 10

  public init(draws: Int = 1000, seed: UInt64 = SEMBootstrapOptions.defaultSeed, threads: Int? = nil) {
    self.draws = draws
    self.seed = seed
    self.threads = threads
  }
}

/// The bootstrap of one model: per reported parameter row (aligned with
/// ``SEMResult/parameters``) its bootstrap SE and percentile interval.
public struct SEMBootstrapResult: Sendable, Equatable {
  /// Draws requested.
  public var draws: Int
  /// Draws left out (optimiser failed or did not converge).
  public var failed: Int
  public var seed: UInt64
  /// Bootstrap SE of each parameter row; 0 for fixed rows (as lavaan).
  public var se: [Double]
  /// Percentile 95% interval of each row; the estimate for fixed rows.
  public var ciLower: [Double]
  public var ciUpper: [Double]
  /// `bootstrap-failed` when draws were left out.
  public var warnings: [StatsWarning]
  /// Kept draws.
  public var kept: Int { draws - failed }
}

/// The case bootstrap of ``SEM`` fits.
public enum SEMBootstrap {
  /// Fits the model and bootstraps it; returns the fit with its `se`, `z`, `p`, `ciLower` and
  /// `ciUpper` replaced by the bootstrap SE (z = est/se, normal p, as lavaan) and percentile
  /// interval, and ``SEMResult/bootstrap`` set.
  /// - Throws: what ``SEM/fit(model:data:options:)`` throws; `StatsError` `bad-option` for too
  ///   few draws, `too-few-rows` for fewer than ``SEMBootstrapOptions/minimumCases`` cases,
  ///   `bootstrap-failed` when fewer than two draws converge.
  public static func fit(model: String, data: Table, options: SEMOptions = SEMOptions(),
                         bootstrap: SEMBootstrapOptions = SEMBootstrapOptions()) throws -> SEMResult {
    let parsed = try LavaanModel.parse(model)
    var result = try SEM.fit(model: parsed, data: data, options: options)
    let b = try run(model: parsed, data: data, options: options, full: result, bootstrap: bootstrap)
    apply(b, to: &result)
    return result
  }

  /// Replaces the standard errors, z, p and intervals of `result` by the bootstrap's.
  public static func apply(_ b: SEMBootstrapResult, to result: inout SEMResult) {
    for i in result.parameters.indices {
      var p = result.parameters[i]
      p.se = b.se[i]
      let estimated = (p.free || p.op == ":=") && p.se != 0 && p.se.isFinite
      p.z = estimated ? p.est / p.se : nil
      p.p = p.z.map { 2 * (1 - Distributions.normalCDF(abs($0))) }
      p.ciLower = b.ciLower[i]
      p.ciUpper = b.ciUpper[i]
      result.parameters[i] = p
    }
    result.bootstrap = b
    result.warnings += b.warnings
  }

  /// The bootstrap of `full`, the fit of `model` to `data` with `options`.
  public static func run(model: LavaanModel, data: Table, options: SEMOptions, full: SEMResult,
                         bootstrap: SEMBootstrapOptions) throws -> SEMBootstrapResult {
    try run(model: model, data: data, options: options, full: full, bootstrap: bootstrap, failing: { _ in false })
  }

  /// As ``run(model:data:options:full:bootstrap:)``; `failing(b)` makes draw b fail (a test hook).
  static func run(model: LavaanModel, data: Table, options: SEMOptions, full: SEMResult,
                  bootstrap: SEMBootstrapOptions, failing: @Sendable (Int) -> Bool) throws -> SEMBootstrapResult {
    try check(bootstrap, cases: full.rowsUsed.count)
    let table = try SEMParameterTable.build(model)
    let sample = try SEMSample.make(table: data, variables: table.observed, missing: options.missing)
    let h1 = try SaturatedModel.estimate(sample, exogenous: table.exogenous.map { table.observed.firstIndex(of: $0)! })
    let ram = RAMModel(table: table)
    let (opt, _, _) = try SEM.estimate(ram: ram, sample: sample, table: table, h1: h1,
                                       fiml: options.missing == .fiml, maxIterations: options.maxIterations)
    let start = opt.point.theta
    let columns = data.selecting(table.observed)
    let rows = sample.rowsUsed
    let values = draws(bootstrap, failing: failing) { rng in
      let idx = rows.indices.map { _ in rows[rng.index(below: rows.count)] }
      return draw(columns.rows(idx), table: table, ram: ram, start: start, options: options)
    }
    return try summarize(values, table: table, ram: ram, full: full, start: start, bootstrap: bootstrap)
  }

  /// The bootstrap of the multigroup fit `full` (``SEM/fit(model:data:group:equal:options:)``):
  /// as lavaan, the cases are resampled within each group, so every draw keeps the group sizes;
  /// each draw refits the stacked model from the full-sample estimates.
  public static func run(model: LavaanModel, data: Table, group: String, equal: [SEMGroupEqual], options: SEMOptions,
                         full: SEMResult, bootstrap: SEMBootstrapOptions) throws -> SEMBootstrapResult {
    try run(model: model, data: data, group: group, equal: equal, options: options, full: full, bootstrap: bootstrap, failing: { _ in false })
  }

  /// As ``run(model:data:group:equal:options:full:bootstrap:)``; `failing(b)` makes draw b fail.
  static func run(model: LavaanModel, data: Table, group: String, equal: [SEMGroupEqual], options: SEMOptions,
                  full: SEMResult, bootstrap: SEMBootstrapOptions, failing: @Sendable (Int) -> Bool) throws -> SEMBootstrapResult {
    try check(bootstrap, cases: full.rowsUsed.count)
    let table0 = try SEMParameterTable.build(model)
    let (_, members0, _) = try SEM.groupRows(data: data, group: group, observed: table0.observed)
    // The rows the full fit used (listwise: complete; FIML: some variable observed), by group.
    let used = Set(full.rowsUsed)
    let members = members0.map { $0.filter(used.contains) }
    let stacked = try SEM.stackedTable(table0: table0, groups: members.count, equal: Set(equal))
    let (data0, _) = SEM.stackedData(data: data, members: members, observed: table0.observed, missing: .fiml)
    let sample = try SEMSample.make(table: data0, variables: stacked.observed, missing: .fiml)
    let p = table0.observed.count
    let exogenous = table0.exogenous.map { table0.observed.firstIndex(of: $0)! }
    let h1 = SEM.combined(try members.indices.map { g in
      try SaturatedModel.estimate(sample.restricted(to: Array((g * p)..<((g + 1) * p))), exogenous: exogenous)
    })
    let ram = RAMModel(table: stacked)
    let (opt, _, _) = try SEM.estimate(ram: ram, sample: sample, table: stacked, h1: h1, fiml: true, maxIterations: options.maxIterations)
    let start = opt.point.theta
    // The stacked data are missing outside each case's group by design: FIML on them.
    let drawOptions = { var o = options; o.missing = .fiml; return o }()
    let values = draws(bootstrap, failing: failing) { rng in
      let resampled = members.map { rows in rows.indices.map { _ in rows[rng.index(below: rows.count)] } }
      let (d, _) = SEM.stackedData(data: data, members: resampled, observed: table0.observed, missing: .fiml)
      return draw(d, table: stacked, ram: ram, start: start, options: drawOptions)
    }
    return try summarize(values, table: stacked, ram: ram, full: full, start: start, bootstrap: bootstrap)
  }

  /// Refuses too few draws or cases (DESIGN §6: before computing).
  static func check(_ bootstrap: SEMBootstrapOptions, cases: Int) throws {
    if bootstrap.draws < SEMBootstrapOptions.minimumDraws {
      throw StatsError(
        code: "bad-option",
        message: "\(bootstrap.draws) bootstrap draws are too few for percentile intervals (at least \(SEMBootstrapOptions.minimumDraws))",
        remedy: "Use 'bootstrap: 1000' or more (lavaan's default is 1000; 2000 or more for stable 95% limits).")
    }
    if cases < SEMBootstrapOptions.minimumCases {
      throw StatsError(
        code: "too-few-rows",
        message: "the bootstrap needs at least \(SEMBootstrapOptions.minimumCases) cases; the model uses \(cases)",
        remedy: "Use 'se: standard' with so few cases, or collect more data.")
    }
  }

  /// One draw: the free parameters refitted to the resample from `start` (one optimiser run,
  /// as lavaan), with the equality constraints; nil when it fails or does not converge.
  /// The `bootstrap.draws` refits, spread over the worker threads; draw b's resample comes from
  /// its own generator (seed, b), and its result is stored at index b, so the values are the
  /// same for any thread count. nil: the draw failed (or `failing(b)`, a test hook).
  static func draws(_ bootstrap: SEMBootstrapOptions, failing: @Sendable (Int) -> Bool,
                    _ refit: @Sendable (inout BootstrapGenerator) -> [Double]?) -> [[Double]?] {
    let B = bootstrap.draws
    let box = DrawBox(count: B)
    let workers = max(1, min(bootstrap.threads ?? ProcessInfo.processInfo.activeProcessorCount, B))
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for b in stride(from: w, to: B, by: workers) {
        if failing(b) { continue }
        var rng = BootstrapGenerator(seed: bootstrap.seed, draw: b)
        box.set(b, refit(&rng))
      }
    }
    return box.values
  }

  static func draw(_ data: Table, table: SEMParameterTable, ram: RAMModel, start: [Double], options: SEMOptions) -> [Double]? {
    guard let sample = try? SEMSample.make(table: data, variables: table.observed, missing: options.missing),
      let rows = try? table.constraints.map({ try SEMConstraints.linear($0, table: table) })
    else { return nil }
    var likelihood = SEMLikelihood(ram: ram, objective: FIMLObjective(sample: sample))
    let equalities = table.constraints.indices.filter { table.constraints[$0].relation == .equal }
    let c: SEMLinearConstraints?
    do { c = try SEMLinearConstraints.make(equalities.map { rows[$0] }, q: table.freeCount) } catch { return nil }
    likelihood.constraints = c
    guard let opt = try? likelihood.maximize(start: c?.phi(start) ?? start, maxIterations: options.maxIterations),
      opt.converged, opt.point.theta.allSatisfy({ $0.isFinite })
    else { return nil }
    // Inequality constraints: a draw that violates one is refitted with it active (SEM.estimate).
    let violated = table.constraints.indices.contains { i in
      table.constraints[i].relation != .equal
        && SEMConstraints.slack(rows[i], table.constraints[i].relation, theta: opt.point.theta) < -1e-8
    }
    if violated {
      guard let (o, _, _) = try? SEM.estimate(
        ram: ram, sample: sample, table: table,
        h1: try SaturatedModel.estimate(sample, exogenous: table.exogenous.map { table.observed.firstIndex(of: $0)! }),
        fiml: options.missing == .fiml, maxIterations: options.maxIterations), o.converged
      else { return nil }
      return o.point.theta
    }
    return opt.point.theta
  }

  /// SEs and percentile intervals of the kept draws, aligned with `full.parameters`.
  static func summarize(_ draws: [[Double]?], table: SEMParameterTable, ram: RAMModel, full: SEMResult,
                        start: [Double], bootstrap: SEMBootstrapOptions) throws -> SEMBootstrapResult {
    let kept = draws.compactMap { $0 }
    let failed = draws.count - kept.count
    guard kept.count >= 2 else {
      throw StatsError(
        code: "bootstrap-failed",
        message: "\(failed) of \(draws.count) bootstrap draws failed or did not converge; no standard errors",
        remedy: "Simplify the model or check it for identification problems; the full-sample fit may be unstable.")
    }
    let defined = kept.map { DefinedParameters.evaluate(table: table, rowValues: ram.rowValues($0, rowCount: table.rows.count), withGradient: false).map(\.value) }
    var se: [Double] = [], lo: [Double] = [], hi: [Double] = []
    var d = 0
    for r in table.rows {
      if !full.meanstructure && r.op == .intercept { continue }
      let values: [Double]
      let divisor: Double
      if r.op == .defined {
        values = defined.map { $0[d] }
        divisor = Double(kept.count - 1)
        d += 1
      } else if let k = r.free {
        values = kept.map { $0[k] }
        divisor = Double(kept.count)
      } else {
        values = []
        divisor = 1
      }
      let est = full.parameters[se.count].est
      let finite = values.filter(\.isFinite)
      guard finite.count >= 2 else {
        se.append(values.isEmpty ? 0 : .nan); lo.append(est); hi.append(est)
        continue
      }
      let mean = finite.reduce(0, +) / Double(finite.count)
      let ss = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
      let s = (ss / (divisor - Double(values.count - finite.count))).squareRoot()
      se.append(s)
      lo.append(percentile(finite, 0.025))
      hi.append(percentile(finite, 0.975))
    }
    var warnings: [StatsWarning] = []
    if failed > 0 {
      warnings.append(
        StatsError(
          code: "bootstrap-failed",
          message: "\(failed) of \(draws.count) bootstrap draws failed or did not converge and were left out",
          remedy: failed * 10 > draws.count
            ? "Many draws failed: the model may be unstable in resamples (near a Heywood case); simplify it or fix a variance."
            : "A few failures are usual with small samples; the SEs and intervals use the \(kept.count) kept draws."))
    }
    return SEMBootstrapResult(draws: draws.count, failed: failed, seed: bootstrap.seed, se: se, ciLower: lo,
                              ciUpper: hi, warnings: warnings)
  }

  /// The α-quantile of `t` by boot's `norm.inter` (Davison & Hinkley 1997, eq. 5.8): with R
  /// values and r = (R + 1)α, the order statistic t₍ᵣ₎ when r is whole, else interpolation between
  /// t₍ₖ₎ and t₍ₖ₊₁₎ (k = ⌊r⌋) linear in Φ⁻¹: t₍ₖ₎ + (Φ⁻¹(α) − Φ⁻¹(k/(R+1))) /
  /// (Φ⁻¹((k+1)/(R+1)) − Φ⁻¹(k/(R+1))) · (t₍ₖ₊₁₎ − t₍ₖ₎); the extremes outside [1, R].
  static func percentile(_ t: [Double], _ alpha: Double) -> Double {
    let s = t.sorted()
    let R = s.count
    let rk = Double(R + 1) * alpha
    let k = Int(rk.rounded(.towardZero))
    if k <= 0 { return s[0] }
    if k >= R { return s[R - 1] }
    if Double(k) == rk { return s[k - 1] }
    let z0 = Distributions.normalQuantile(alpha)
    let z1 = Distributions.normalQuantile(Double(k) / Double(R + 1))
    let z2 = Distributions.normalQuantile(Double(k + 1) / Double(R + 1))
    let w = (z0 - z1) / (z2 - z1)
    return s[k - 1] + w * (s[k] - s[k - 1])
  }

  /// The draws, written by index from several threads.
  private final class DrawBox: @unchecked Sendable {
    private var items: [[Double]?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: [Double]?) {
      lock.lock()
      defer { lock.unlock() }
      items[i] = v
    }
    var values: [[Double]?] { lock.lock(); defer { lock.unlock() }; return items }
  }
}

/// The generator of one bootstrap draw: SplitMix64 (Steele, Lea & Flood 2014) started from
/// seed ⊕ fmix64(b + 1) (MurmurHash3's finalizer), so that each draw's stream depends only on
/// (seed, b), never on which thread runs it or in what order.
struct BootstrapGenerator {
  private var state: UInt64

  init(seed: UInt64, draw b: Int) {
    var h = UInt64(b) &+ 1
    h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    state = seed ^ h
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform on 0..<n by the multiply-high map (Lemire 2019), bias below n/2⁶⁴.
  mutating func index(below n: Int) -> Int {
    Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }
}
