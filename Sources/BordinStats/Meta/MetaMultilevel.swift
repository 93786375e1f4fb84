import BordinData
import Foundation

// Multilevel (three-level) meta-analysis with nested random effects, as metafor's
// `rma.mv(yi, vi, random = ~ 1 | district/school)`.
//
// Implementation goals, in priority order: (1) metafor's model and reported numbers: the
// marginal covariance M = diag(vᵢ) + Σⱼ σⱼ² Zⱼ Zⱼ' with one variance component per nesting level
// (`district`, `district/school`), REML with metafor's ½log|X'X| term (logLik parity), Cochran's
// QE with FE weights, z tests (or metafor's `test = "t"`: t(k − p) tests, CIs and prediction
// interval, F(m, k − p) for QM), the prediction interval with Σσ²; (2) the REML optimum itself
// rather than an optimiser's stopping point: Fisher scoring on σ² with step halving, iterated to
// a relative change of 1e-10, from metafor's starting values (metafor's default `nlminb` stops
// at rel.tol 1e-10 of the objective, which fixes σ² only to about 1e-6 relative; the reference
// is rma.mv with bobyqa to rhoend 1e-12); (3) variance components that want to be
// negative are held at 0 (metafor optimises log σ² and ends with a tiny positive value instead).
//
// References: Konstantopoulos, S. (2011). Fixed effects and variance components estimation in
// three-level meta-analysis. Research Synthesis Methods, 2, 61–76; Cheung, M. W.-L. (2014).
// Modeling dependent effect sizes with three-level meta-analyses: a structural equation modeling
// approach. Psychological Methods, 19, 211–229 (variance shares); Harville, D. A. (1977).
// Maximum likelihood approaches to variance component estimation. JASA, 72, 320–338 (REML
// scoring); Viechtbauer, W. (2010), JSS 36(3).

/// One variance component of a multilevel meta-analysis.
public struct VarianceComponent: Sendable, Equatable {
  /// metafor's name: the grouping factors joined by `/` (`district`, `district/school`).
  public var name: String
  public var sigma2: Double
  /// Number of distinct groups at this level (metafor `s.nlevels`).
  public var levels: Int
  /// Share of the total variance in percent: 100σ²ⱼ/(Σσ² + vt), vt the typical sampling
  /// variance (the level's I², Cheung 2014).
  public var share: Double
}

/// The result of a multilevel meta-analysis (metafor `rma.mv`).
public struct MultilevelMetaResult: Sendable, Equatable {
  public var measure: MetaEffects.Measure
  public var k: Int
  public var rowsUsed: [Int]
  public var rowsDropped: Int
  public var yi: [Double]
  public var vi: [Double]
  public var method: MetaMethod
  /// `.z` (Wald z) or `.knha`, which for a multilevel model is metafor's `rma.mv(test = "t")`:
  /// the same SEs (no Knapp–Hartung rescaling), t tests with k − p df, t CIs and PI, F test of QM.
  public var test: MetaTest
  public var level: Double

  // The pooled effect (or the first coefficient).
  public var estimate: Double
  public var se: Double
  /// Wald z (test z); nil under test t.
  public var z: Double?
  /// t with `df` = k − p degrees of freedom (test t); nil under test z.
  public var t: Double?
  public var df: Int?
  public var p: Double
  public var ciLower: Double
  public var ciUpper: Double
  public var coefficients: [MetaCoefficient]
  /// Wald test of the moderators (all coefficients but the intercept; the intercept alone for an
  /// intercept-only model): χ²(m) under test z; under test t, F = χ²/m with (m, k − p) df.
  public var QM: Double?
  public var QMDf: Int
  /// The denominator df of the F test (test t); nil under test z.
  public var QMDf2: Int?
  public var QMP: Double?
  public var covariance: Matrix

  /// Variance components, outermost level first.
  public var sigma2: [VarianceComponent]
  /// Typical within-study (sampling) variance (k − p)/tr(P) with FE weights.
  public var typicalVariance: Double
  /// Share of the total variance due to sampling error, in percent (the "level 1" share).
  public var samplingShare: Double
  /// Total I² = Σ shares of the variance components.
  public var I2: Double

  /// Cochran's QE with FE weights.
  public var Q: Double
  public var QDf: Int
  public var QP: Double

  /// estimate ± crit·√(se² + Σσ²) (models without moderators), crit the normal quantile (test z)
  /// or the t(k − p) quantile (test t), as metafor's `predict.rma`.
  public var piLower: Double?
  public var piUpper: Double?
  public var r: Double?
  public var rCiLower: Double?
  public var rCiUpper: Double?
  public var rPiLower: Double?
  public var rPiUpper: Double?

  /// REML (with ½log|X'X|) or ML log-likelihood at the estimates.
  public var logLik: Double
  public var iterations: Int
  public var warnings: [StatsWarning]
}

public enum MetaMultilevel {
  /// Parses a metafor random-effects formula of nested intercepts, `~ 1 | a/b/c` (also `1 | a/b`
  /// or `a/b`), into its grouping columns, outermost first.
  /// - Throws: `StatsError` `bad-random` for other shapes (random slopes, crossed `+` terms).
  public static func parseRandom(_ text: String) throws -> [String] {
    var s = text.trimmingCharacters(in: .whitespaces)
    if s.hasPrefix("~") { s = String(s.dropFirst()).trimmingCharacters(in: .whitespaces) }
    if let bar = s.firstIndex(of: "|") {
      let lhs = s[..<bar].trimmingCharacters(in: .whitespaces)
      guard lhs == "1" else {
        throw StatsError(
          code: "bad-random",
          message: "random '\(text)': only random intercepts '~ 1 | …' are supported",
          remedy: "Write it as '~ 1 | study/es'.")
      }
      s = s[s.index(after: bar)...].trimmingCharacters(in: .whitespaces)
    }
    let parts = s.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
    let ok = !parts.isEmpty && parts.allSatisfy { p in
      !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }
    guard ok else {
      throw StatsError(
        code: "bad-random",
        message: "random '\(text)' is not a nesting of grouping columns",
        remedy: "Write it as '~ 1 | study/es' (outer/inner).")
    }
    return parts
  }

  /// Fits `rma.mv(yi, vi, mods, random = ~ 1 | a/b, method)` with REML (default) or ML.
  ///
  /// ```
  /// y = Xβ + Σⱼ Zⱼuⱼ + e,  uⱼ ~ N(0, σⱼ²I),  e ~ N(0, diag(vᵢ))
  /// M = diag(vᵢ) + Σⱼ σⱼ² ZⱼZⱼ',   β̂ = (X'M⁻¹X)⁻¹X'M⁻¹y,   var(β̂) = (X'M⁻¹X)⁻¹
  /// REML: ℓ = −½(k − p)log 2π + ½log|X'X| − ½log|M| − ½log|X'M⁻¹X| − ½(y − Xβ̂)'M⁻¹(y − Xβ̂)
  /// ```
  /// Level j groups rows by the first j grouping columns (so `school` is nested in `district`
  /// even when school numbers repeat across districts). Rows missing yᵢ, vᵢ, a grouping value or
  /// a moderator are dropped and counted.
  /// - Parameters:
  ///   - random: `~ 1 | outer/inner` (see ``parseRandom(_:)``).
  ///   - mods: optional moderators as a formula right-hand side.
  ///   - method: `.REML` (default) or `.ML`.
  ///   - test: `.z` (default) or `.knha`, which here is metafor's `rma.mv(test = "t")`:
  ///     tᵢ = β̂ᵢ/SEᵢ with k − p df, CIs β̂ᵢ ± t_{1−α/2, k−p}·SEᵢ, F = QM/m on (m, k − p) df and
  ///     the PI with the same t quantile (Viechtbauer 2010; metafor `rma.mv`, `predict.rma`).
  /// - Throws: `StatsError` `bad-random`, `unknown-column`, `too-few-studies`, `bad-method`,
  ///   `not-converged` (remedy: another method or more iterations), and model-matrix errors.
  public static func fit(
    _ effects: MetaEffects, random: String, data: Table, mods: String? = nil,
    method: MetaMethod = .REML, test: MetaTest = .z, level: Double = 0.95, maxIterations: Int = 1000,
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions,
    extraColumns: [(name: String, values: [Double])] = []
  ) throws -> MultilevelMetaResult {
    guard method == .REML || method == .ML else {
      throw StatsError(
        code: "bad-method",
        message: "method \(method.rawValue) is not available for multilevel models",
        remedy: "Use REML (the default) or ML.")
    }
    guard level > 0, level < 1 else {
      throw StatsError(
        code: "bad-level", message: "'level' must be between 0 and 1; got \(formatShortest(level))")
    }
    guard data.rowCount == effects.rowCount else {
      throw StatsError(
        code: "length-mismatch",
        message: "the data have \(data.rowCount) rows but there are \(effects.rowCount) effect sizes",
        remedy: "Use the data set the effect sizes come from.")
    }
    let factors = try parseRandom(random)
    var columns: [Column] = []
    for f in factors {
      guard let c = data[f] else {
        throw StatsError(
          code: "unknown-column", message: "column '\(f)' (in random) is not in the data",
          remedy: "Available columns: \(data.names.joined(separator: ", ")).")
      }
      columns.append(c)
    }
    var rows = effects.completeRows.filter { i in columns.allSatisfy { !$0.isMissing(i) } }
    var x: Matrix
    var terms: [String]
    if let mods {
      let formula = try Formula.parse(mods.contains("~") ? mods : "~ " + mods)
      let design = try ModelMatrix.build(formula, data: data.rows(rows), evaluate: evaluate)
      rows = design.rowsUsed.map { rows[$0] }
      x = design.x
      terms = design.columnNames.map { $0 == "(Intercept)" ? "intrcpt" : $0 }
    } else {
      x = Matrix(rows: rows.count, cols: 1, repeating: 1)
      terms = ["intrcpt"]
    }
    if !extraColumns.isEmpty {
      // Extra moderators given per effect-size row (the standard errors of the Egger test).
      x = Matrix(columns: (0..<x.cols).map { x.column($0) } + extraColumns.map { c in rows.map { c.values[$0] } })
      terms += extraColumns.map(\.name)
    }
    let k = rows.count
    if k < x.cols + 1 || k < 2 {
      throw StatsError(
        code: "too-few-studies",
        message: "a multilevel model with \(x.cols) coefficient\(x.cols == 1 ? "" : "s") needs at least \(max(2, x.cols + 1)) effect sizes; got \(k)",
        remedy: "Check the filter and the missing values.")
    }
    let yi = rows.map { effects.yi[$0] }
    let vi = rows.map { effects.vi[$0] }
    try MetaAnalysis.checkDesign(x, terms: terms, yi: yi, method: .REML)

    // Cluster index per level: rows grouped by the first j factors.
    var clusters: [[Int]] = []
    var names: [String] = []
    var counts: [Int] = []
    for j in 0..<factors.count {
      var index: [String: Int] = [:]
      var ids: [Int] = []
      for row in rows {
        let key = (0...j).map { columns[$0].string(at: row) ?? "" }.joined(separator: "\u{1F}")
        if let id = index[key] {
          ids.append(id)
        } else {
          index[key] = index.count
          ids.append(index.count - 1)
        }
      }
      clusters.append(ids)
      names.append(factors[0...j].joined(separator: "/"))
      counts.append(index.count)
    }
    var warnings: [StatsWarning] = []
    if effects.rowCount - k > 0 {
      warnings.append("\(effects.rowCount - k) of \(effects.rowCount) rows dropped for missing values")
    }
    for j in 0..<(counts.count - 1) where counts[j] == counts[j + 1] {
      // The same grouping at two levels: their variances are not separately identifiable.
      warnings.append(
        "'\(names[j])' and '\(names[j + 1])' group the effect sizes identically; their variance components are not separately identified")
    }

    let model = Model(yi: yi, vi: vi, x: x, clusters: clusters, reml: method == .REML)
    let start = try model.startingValues()
    let (sigma2, iterations) = try model.maximize(from: start, maxIterations: maxIterations)
    let at = try model.evaluate(sigma2)

    // Fixed effects and tests.
    let p = x.cols
    let ddf = k - p
    let tTest = test == .knha
    let crit = tTest
      ? Distributions.tQuantile(1 - (1 - level) / 2, df: Double(ddf))
      : Distributions.normalQuantile((1 - level) / 2, lowerTail: false)
    var coefficients: [MetaCoefficient] = []
    for j in 0..<p {
      let se = at.s[j, j].squareRoot()
      let stat = at.beta[j] / se
      let pValue = tTest
        ? 2 * Distributions.tCDF(-abs(stat), df: Double(ddf))
        : 2 * Distributions.normalCDF(abs(stat), lowerTail: false)
      coefficients.append(
        MetaCoefficient(
          term: terms[j], estimate: at.beta[j], se: se, z: tTest ? nil : stat,
          t: tTest ? stat : nil, df: tTest ? ddf : nil, p: pValue,
          ciLower: at.beta[j] - crit * se, ciUpper: at.beta[j] + crit * se))
    }
    let interceptIndex = terms.firstIndex(of: "intrcpt")
    let btt = (interceptIndex != nil && p > 1) ? (0..<p).filter { $0 != interceptIndex } : Array(0..<p)
    var qm: Double? = nil
    var qmp: Double? = nil
    if let inv = try? LinearAlgebra.inverseSPD(at.s.submatrix(btt)) {
      let chi2 = inv.quadraticForm(btt.map { at.beta[$0] })
      if tTest {
        qm = chi2 / Double(btt.count)
        qmp = Distributions.fCDF(qm!, df1: Double(btt.count), df2: Double(ddf), lowerTail: false)
      } else {
        qm = chi2
        qmp = Distributions.chiSquaredCDF(chi2, df: Double(btt.count), lowerTail: false)
      }
    }

    // QE and the typical sampling variance with FE weights.
    let het = try MetaHeterogeneity.statistics(yi: yi, vi: vi, x: x, tau2: 0, method: .FE)
    let total = sigma2.reduce(0, +) + het.vt
    let components = (0..<sigma2.count).map {
      VarianceComponent(
        name: names[$0], sigma2: sigma2[$0], levels: counts[$0], share: 100 * sigma2[$0] / total)
    }
    let first = coefficients[0]
    var result = MultilevelMetaResult(
      measure: effects.measure, k: k, rowsUsed: rows, rowsDropped: effects.rowCount - k, yi: yi,
      vi: vi, method: method, test: test, level: level, estimate: first.estimate, se: first.se,
      z: first.z, t: first.t, df: first.df,
      p: first.p, ciLower: first.ciLower, ciUpper: first.ciUpper, coefficients: coefficients,
      QM: qm, QMDf: btt.count, QMDf2: tTest ? ddf : nil, QMP: qmp, covariance: at.s, sigma2: components,
      typicalVariance: het.vt, samplingShare: 100 * het.vt / total,
      I2: components.reduce(0) { $0 + $1.share }, Q: het.Q, QDf: k - p, QP: het.QP,
      piLower: nil, piUpper: nil, r: nil, rCiLower: nil, rCiUpper: nil, rPiLower: nil,
      rPiUpper: nil, logLik: at.logLik, iterations: iterations, warnings: warnings)
    if p == 1, terms[0] == "intrcpt" {
      let spread = crit * (at.s[0, 0] + sigma2.reduce(0, +)).squareRoot()
      result.piLower = first.estimate - spread
      result.piUpper = first.estimate + spread
      if effects.measure == .zcor {
        result.r = tanh(first.estimate)
        result.rCiLower = tanh(first.ciLower)
        result.rCiUpper = tanh(first.ciUpper)
        result.rPiLower = tanh(first.estimate - spread)
        result.rPiUpper = tanh(first.estimate + spread)
      }
    }
    for c in components where c.sigma2 == 0 {
      result.warnings.append("the variance component '\(c.name)' is estimated at 0 (boundary)")
    }
    return result
  }

  /// The multilevel Egger test: the model refitted with the standard errors √vᵢ as an added
  /// moderator (Sterne & Egger 2005; Rodgers & Pustejovsky 2021 for dependent effect sizes),
  /// `rma.mv(yi, vi, mods = ~ sei (+ mods), random, test)`; the test of the √vᵢ coefficient (z,
  /// or t with k − p df) is the asymmetry test and, without other moderators, the intercept is
  /// the limit estimate (the effect of a study with standard error 0).
  /// - Throws: as ``fit(_:random:data:mods:method:test:level:maxIterations:evaluate:extraColumns:)``,
  ///   and `aliased-term` when the standard errors are collinear with the moderators (all equal).
  public static func egger(
    _ effects: MetaEffects, random: String, data: Table, mods: String? = nil,
    method: MetaMethod = .REML, test: MetaTest = .z, level: Double = 0.95, maxIterations: Int = 1000,
    evaluate: ModelMatrix.Evaluator = ModelMatrix.noExpressions
  ) throws -> EggerTest {
    let sei = effects.vi.map { $0.squareRoot() }
    let fit: MultilevelMetaResult
    do {
      fit = try self.fit(
        effects, random: random, data: data, mods: mods, method: method, test: test, level: level,
        maxIterations: maxIterations, evaluate: evaluate, extraColumns: [("sei", sei)])
    } catch let e as StatsError where e.code == "aliased-term" {
      throw StatsError(
        code: "aliased-term",
        message: "the standard errors are collinear with the model's moderators (e.g. all equal), so Egger's test cannot be computed",
        remedy: "Egger's test needs studies of different precision.")
    }
    let slope = fit.coefficients[fit.coefficients.count - 1]
    var out = EggerTest(
      z: slope.z, t: slope.t, df: slope.df, p: slope.p, slope: slope, limitEstimate: nil,
      limitCiLower: nil, limitCiUpper: nil, method: method)
    if fit.coefficients.count == 2, fit.coefficients[0].term == "intrcpt" {
      out.limitEstimate = fit.coefficients[0].estimate
      out.limitCiLower = fit.coefficients[0].ciLower
      out.limitCiUpper = fit.coefficients[0].ciUpper
    }
    return out
  }

  /// The likelihood of the model, with its REML/ML score and Fisher information in σ².
  struct Model {
    let yi: [Double]
    let vi: [Double]
    let x: Matrix
    /// Per variance component, the group index of every row.
    let clusters: [[Int]]
    let reml: Bool

    struct Evaluation {
      var logLik: Double
      var beta: [Double]
      /// (X'M⁻¹X)⁻¹.
      var s: Matrix
      var score: [Double]
      var information: Matrix
    }

    var k: Int { yi.count }

    /// metafor's starting values: total = max(0.001·J, var(y − Xβ_FE) − 1/mean(1/vᵢ)), split
    /// equally over the J components.
    func startingValues() throws -> [Double] {
      let w = vi.map { 1 / $0 }
      let s = try MetaLinear.weightedInverse(x, w)
      let b = MetaLinear.weightedCoefficients(x, w, s, yi)
      let f = x.multiplied(by: b)
      let res = (0..<k).map { yi[$0] - f[$0] }
      let j = Double(clusters.count)
      let total = max(0.001 * j, MetaLinear.variance(res) - 1 / MetaLinear.mean(w))
      return [Double](repeating: total / j, count: clusters.count)
    }

    func evaluate(_ sigma2: [Double], derivatives: Bool = true) throws -> Evaluation {
      let p = x.cols
      var m = Matrix(rows: k, cols: k)
      for i in 0..<k { m[i, i] = vi[i] }
      for (j, ids) in clusters.enumerated() where sigma2[j] != 0 {
        for a in 0..<k { for b in 0..<k where ids[a] == ids[b] { m[a, b] += sigma2[j] } }
      }
      let u = try LinearAlgebra.cholesky(m)
      let logDetM = 2 * u.diagonal.reduce(0) { $0 + log($1) }
      let mInv = try LinearAlgebra.inverseFromCholeskyFactor(u)
      let mInvX = mInv.multiplied(by: x)  // k × p
      let xtMInvX = x.transposed.multiplied(by: mInvX)
      let s = try LinearAlgebra.inverseSPD(xtMInvX)
      let xtMInvY = mInvX.transposed.multiplied(by: yi)
      let beta = s.multiplied(by: xtMInvY)
      let fitted = x.multiplied(by: beta)
      let resid = (0..<k).map { yi[$0] - fitted[$0] }
      let py = mInv.multiplied(by: resid)  // P y = M⁻¹(y − Xβ̂)
      var rss = 0.0
      for i in 0..<k { rss += resid[i] * py[i] }
      let logLik: Double
      let twoPi = log(2 * Double.pi)
      if reml {
        let ones = [Double](repeating: 1, count: k)
        let ldXX = try MetaLinear.logDeterminant(MetaLinear.crossProduct(x, ones))
        let ldXMX = try MetaLinear.logDeterminant(xtMInvX)
        logLik = -0.5 * Double(k - p) * twoPi + 0.5 * ldXX - 0.5 * logDetM - 0.5 * ldXMX - 0.5 * rss
      } else {
        logLik = -0.5 * Double(k) * twoPi - 0.5 * logDetM - 0.5 * rss
      }
      guard derivatives else {
        return Evaluation(logLik: logLik, beta: beta, s: s, score: [], information: Matrix(rows: 0, cols: 0))
      }
      // P = M⁻¹ − M⁻¹X S X'M⁻¹ (REML) or M⁻¹ (ML).
      var pm = mInv
      if reml {
        let b = mInvX.multiplied(by: s)
        for j in 0..<k {
          for i in 0..<k {
            var acc = 0.0
            for l in 0..<p { acc += b[i, l] * mInvX[j, l] }
            pm[i, j] -= acc
          }
        }
      }
      let nc = clusters.count
      var score = [Double](repeating: 0, count: nc)
      var agg: [Matrix] = []  // Zⱼ'P (groups × k)
      for (j, ids) in clusters.enumerated() {
        let g = (ids.max() ?? -1) + 1
        var zp = Matrix(rows: g, cols: k)
        for col in 0..<k { for a in 0..<k { zp[ids[a], col] += pm[a, col] } }
        agg.append(zp)
        var trPD = 0.0
        for a in 0..<k { trPD += zp[ids[a], a] }
        var zpy = [Double](repeating: 0, count: g)
        for a in 0..<k { zpy[ids[a]] += py[a] }
        let quad = zpy.reduce(0) { $0 + $1 * $1 }
        score[j] = -0.5 * trPD + 0.5 * quad
      }
      var info = Matrix(rows: nc, cols: nc)
      for j in 0..<nc {
        for l in 0...j {
          // tr(P Dⱼ P Dₗ) = ‖Zⱼ'P Zₗ‖²_F
          let ids = clusters[l]
          let gl = (ids.max() ?? -1) + 1
          var acc = 0.0
          let zp = agg[j]
          for r in 0..<zp.rows {
            var row = [Double](repeating: 0, count: gl)
            for a in 0..<k { row[ids[a]] += zp[r, a] }
            acc += row.reduce(0) { $0 + $1 * $1 }
          }
          info[j, l] = 0.5 * acc
          info[l, j] = 0.5 * acc
        }
      }
      return Evaluation(logLik: logLik, beta: beta, s: s, score: score, information: info)
    }

    /// Fisher scoring with step halving; components at 0 whose score points below 0 stay there.
    func maximize(from start: [Double], maxIterations: Int) throws -> ([Double], Int) {
      var sigma2 = start
      var current = try evaluate(sigma2)
      for iteration in 1...maxIterations {
        let active = (0..<sigma2.count).filter { !(sigma2[$0] <= 0 && current.score[$0] <= 0) }
        if active.isEmpty { return (sigma2, iteration) }
        let info = current.information.submatrix(active)
        guard let inv = try? LinearAlgebra.inverseSPD(info) else {
          throw notConverged("the information matrix is singular")
        }
        let step = inv.multiplied(by: active.map { current.score[$0] })
        var t = 1.0
        var accepted: ([Double], Evaluation)? = nil
        while t > 1e-12 {
          var candidate = sigma2
          for (a, j) in active.enumerated() { candidate[j] = max(0, sigma2[j] + t * step[a]) }
          if let e = try? evaluate(candidate), e.logLik >= current.logLik - 1e-12 * abs(current.logLik) {
            accepted = (candidate, e)
            break
          }
          t /= 2
        }
        guard let (next, e) = accepted else { return (sigma2, iteration) }
        var change = 0.0
        for j in 0..<sigma2.count {
          change = max(change, abs(next[j] - sigma2[j]) / max(sigma2[j], 1e-8))
        }
        sigma2 = next
        current = e
        if change < 1e-10 { return (sigma2, iteration) }
      }
      throw notConverged("no convergence in \(maxIterations) iterations")
    }

    func notConverged(_ why: String) -> StatsError {
      StatsError(
        code: "not-converged",
        message: "the \(reml ? "REML" : "ML") fit of the multilevel model did not converge (\(why))",
        remedy: "Try a different method or increase the number of iterations; check that every level has several groups.")
    }
  }
}
