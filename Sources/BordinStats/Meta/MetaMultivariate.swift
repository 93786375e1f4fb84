import BordinData
import Foundation

// Multivariate meta-analysis with a known within-study covariance V and a structured
// between-study covariance of several outcomes per study, as metafor's
// `rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN")`.
//
// Implementation goals, in priority order: (1) metafor's model and reported numbers: the
// marginal covariance M = V + Z T Zᵀ, rows i, j of the same outer group (trial) sharing
// T[outcomeᵢ, outcomeⱼ]; T unstructured (UN: a τ² per outcome level and a correlation ρ per
// pair), compound symmetric (CS: one τ², one ρ), diagonal (DIAG) or τ²I (ID); REML with
// metafor's ½log|XᵀX| term (logLik, AIC, BIC parity), Cochran's QE with V, z tests or
// `test = "t"` (k − p df, F for QM); (2) the REML/ML optimum itself: Fisher scoring on the
// elements of T (T is linear in them, ∂M/∂θᵣ = Z Bᵣ Zᵀ), with step halving that keeps T
// positive semi-definite, iterated to a relative change of 1e-10 (the reference is rma.mv with
// bobyqa to rhoend 1e-12; metafor's default nlminb stops earlier); (3) a T on the boundary
// (a τ² at 0, |ρ| = 1) is reported with a warning.
//
// References: Berkey, C. S., Hoaglin, D. C., Antczak-Bouckoms, A., Mosteller, F. & Colditz,
// G. A. (1998). Meta-analysis of multiple outcomes by regression with random effects. Statistics
// in Medicine, 17, 2537–2550; Jackson, D., Riley, R. D. & White, I. R. (2011). Multivariate
// meta-analysis: potential and promise. Statistics in Medicine, 30, 2481–2498; Harville, D. A.
// (1977), JASA 72, 320–338 (REML scoring); Viechtbauer, W. (2010), JSS 36(3).

/// The between-study covariance structure of a multivariate model (metafor `struct`).
public enum MetaCovarianceStructure: String, Sendable, CaseIterable, Equatable {
  /// Unstructured: a τ² per level and a correlation per pair of levels.
  case UN
  /// Compound symmetry: one τ² and one correlation (metafor's default).
  case CS
  /// Diagonal: a τ² per level, uncorrelated.
  case DIAG
  /// One τ², uncorrelated.
  case ID

  /// The symmetric L × L matrices Bᵣ with T = Σ θᵣ Bᵣ, and what each θᵣ is: a variance of level
  /// l (`l`, `l`) or a covariance of levels (l, m).
  func basis(levels n: Int) -> [(matrix: Matrix, l: Int, m: Int)] {
    func unit(_ pairs: [(Int, Int)]) -> Matrix {
      var b = Matrix(rows: n, cols: n)
      for (a, c) in pairs { b[a, c] = 1; b[c, a] = 1 }
      return b
    }
    let diagonal = (0..<n).map { (unit([($0, $0)]), $0, $0) }
    switch self {
    case .UN:
      var out = diagonal
      for m in 0..<n { for l in (m + 1)..<n { out.append((unit([(l, m)]), l, m)) } }
      return out
    case .CS:
      var off: [(Int, Int)] = []
      for m in 0..<n { for l in (m + 1)..<n { off.append((l, m)) } }
      return [(Matrix.identity(n), 0, 0), (unit(off), 1, 0)]
    case .DIAG: return diagonal
    case .ID: return [(Matrix.identity(n), 0, 0)]
    }
  }
}

/// One outcome level's between-study variance.
public struct MultivariateTau2: Sendable, Equatable {
  public var level: String
  public var tau2: Double
  /// Number of outer groups (studies) with this level (metafor `g.levels.k`).
  public var groups: Int
}

/// The between-study correlation of two outcome levels.
public struct MultivariateRho: Sendable, Equatable {
  public var level1: String
  public var level2: String
  public var rho: Double
}

/// The result of a multivariate meta-analysis (metafor `rma.mv` with `random = ~ inner | outer`).
public struct MultivariateMetaResult: Sendable, Equatable {
  public var k: Int
  public var rowsUsed: [Int]
  public var rowsDropped: Int
  public var yi: [Double]
  /// The sampling variances (diagonal of V).
  public var vi: [Double]
  public var method: MetaMethod
  public var test: MetaTest
  public var level: Double
  public var structure: MetaCovarianceStructure
  /// The inner (outcome) and outer (study) grouping columns.
  public var inner: String
  public var outer: String
  /// Number of outer groups (metafor `g.nlevels[2]`).
  public var outerGroups: Int

  public var coefficients: [MetaCoefficient]
  public var covariance: Matrix
  /// Wald test of the moderators (all coefficients but an intercept): χ² (z) or F = χ²/m (t).
  public var QM: Double?
  public var QMDf: Int
  public var QMDf2: Int?
  public var QMP: Double?

  /// τ² per inner level, in sorted level order (CS and ID: the same value for every level).
  public var tau2: [MultivariateTau2]
  /// ρ per pair of levels, metafor's order (lower triangle by columns); empty for DIAG and ID.
  public var rho: [MultivariateRho]

  /// Cochran's QE = yᵀ(V⁻¹ − V⁻¹X(XᵀV⁻¹X)⁻¹XᵀV⁻¹)y with k − p df.
  public var QE: Double
  public var QEDf: Int
  public var QEP: Double

  public var logLik: Double
  public var AIC: Double
  public var BIC: Double
  /// Number of variance parameters.
  public var parameters: Int
  public var iterations: Int
  public var warnings: [StatsWarning]
}

public enum MetaMultivariate {
  /// Parses `~ inner | outer` (metafor's `random = ~ outcome | trial`) into its two columns;
  /// nil when the left side is `1` (nested random intercepts, ``MetaMultilevel``).
  /// - Throws: `StatsError` `bad-random` for other shapes.
  public static func parseRandom(_ text: String) throws -> (inner: String, outer: String)? {
    var s = text.trimmingCharacters(in: .whitespaces)
    if s.hasPrefix("~") { s = String(s.dropFirst()).trimmingCharacters(in: .whitespaces) }
    guard let bar = s.firstIndex(of: "|") else { return nil }
    let lhs = s[..<bar].trimmingCharacters(in: .whitespaces)
    let rhs = s[s.index(after: bar)...].trimmingCharacters(in: .whitespaces)
    if lhs == "1" { return nil }
    let name = { (p: String) in !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } }
    guard name(lhs), name(rhs) else {
      throw StatsError(
        code: "bad-random",
        message: "random '\(text)': a multivariate model is '~ inner | outer' with one column each (e.g. '~ outcome | trial')",
        remedy: "Write it as '~ outcome | study', or '~ 1 | study/es' for nested random intercepts.")
    }
    return (lhs, rhs)
  }

  /// Fits `rma.mv(yi, V, mods, random = ~ inner | outer, struct, method, test)`.
  ///
  /// ```
  /// y = Xβ + u + e,  e ~ N(0, V),  cov(uᵢ, uⱼ) = T[lᵢ, lⱼ] when rows i, j share the outer group
  /// M = V + Z T Zᵀ,  β̂ = (XᵀM⁻¹X)⁻¹XᵀM⁻¹y,  var(β̂) = (XᵀM⁻¹X)⁻¹
  /// REML: ℓ = −½(k − p)log 2π + ½log|XᵀX| − ½log|M| − ½log|XᵀM⁻¹X| − ½(y − Xβ̂)ᵀM⁻¹(y − Xβ̂)
  /// ```
  /// Inner levels are sorted as R's factor levels; rows missing yᵢ, a grouping value, a moderator
  /// or their variance are dropped and counted. `evaluate` gives the evaluator of `I(…)` terms
  /// for the table of the rows kept.
  /// - Throws: `StatsError` `bad-random`, `unknown-column`, `bad-struct`, `bad-method`, `bad-covariance`,
  ///   `too-few-studies`, `not-converged` and model-matrix errors.
  public static func fit(
    yi allYi: [Double], covariance: WithinStudyCovariance, rvars: [String], random: String,
    structure: MetaCovarianceStructure, data: Table, mods: String? = nil, method: MetaMethod = .REML,
    test: MetaTest = .z, level: Double = 0.95, maxIterations: Int = 1000,
    evaluate: (Table) -> ModelMatrix.Evaluator = { _ in ModelMatrix.noExpressions }
  ) throws -> MultivariateMetaResult {
    guard method == .REML || method == .ML else {
      throw StatsError(
        code: "bad-method", message: "method \(method.rawValue) is not available for multivariate models",
        remedy: "Use REML (the default) or ML.")
    }
    guard level > 0, level < 1 else {
      throw StatsError(code: "bad-level", message: "'level' must be between 0 and 1; got \(formatShortest(level))")
    }
    guard let (innerName, outerName) = try parseRandom(random) else {
      throw StatsError(
        code: "bad-random", message: "random '\(random)' has no inner factor; a multivariate model needs '~ outcome | study'",
        remedy: "Write it as '~ outcome | study'.")
    }
    var columns: [Column] = []
    for name in [innerName, outerName] {
      guard let c = data[name] else {
        throw StatsError(
          code: "unknown-column", message: "column '\(name)' (in random) is not in the data",
          remedy: "Available columns: \(data.names.joined(separator: ", ")).")
      }
      columns.append(c)
    }
    var rows = (0..<data.rowCount).filter { i in
      !allYi[i].isNaN && !covariance.variance(i).isNaN && columns.allSatisfy { !$0.isMissing(i) }
    }
    var x: Matrix
    var terms: [String]
    if let mods {
      let formula = try Formula.parse(mods.contains("~") ? mods : "~ " + mods)
      let subset = data.rows(rows)
      let design = try ModelMatrix.build(formula, data: subset, evaluate: evaluate(subset))
      rows = design.rowsUsed.map { rows[$0] }
      x = design.x
      terms = design.columnNames.map { $0 == "(Intercept)" ? "intrcpt" : $0 }
    } else {
      x = Matrix(rows: rows.count, cols: 1, repeating: 1)
      terms = ["intrcpt"]
    }
    let k = rows.count
    guard k >= x.cols + 1, k >= 2 else {
      throw StatsError(
        code: "too-few-studies",
        message: "a multivariate model with \(x.cols) coefficient\(x.cols == 1 ? "" : "s") needs at least \(max(2, x.cols + 1)) effect sizes; got \(k)",
        remedy: "Check the filter and the missing values.")
    }
    let yi = rows.map { allYi[$0] }
    try MetaAnalysis.checkDesign(x, terms: terms, yi: yi, method: .REML)
    let v = try covariance.matrix(rows: rows, rvars: rvars)

    let (levels, levelOf) = CrossTabulation.levels(columns[0], rows)
    var groupIndex: [String: Int] = [:]
    let groupOf = rows.map { i -> Int in
      let key = columns[1].string(at: i) ?? ""
      if let g = groupIndex[key] { return g }
      groupIndex[key] = groupIndex.count
      return groupIndex.count - 1
    }
    let nl = levels.count
    if nl < 2, structure == .UN || structure == .CS {
      throw StatsError(
        code: "bad-struct",
        message: "struct \(structure.rawValue) correlates the levels of '\(innerName)', which has \(nl) level in the rows used",
        remedy: "Use struct: ID (one τ²), or '~ 1 | \(outerName)' for a random intercept.")
    }
    var warnings: [StatsWarning] = []
    if allYi.count - k > 0 { warnings.append("\(allYi.count - k) of \(allYi.count) rows dropped for missing values") }
    let model = MultivariateModel(
      yi: yi, v: v, x: x, group: groupOf, level: levelOf, basis: structure.basis(levels: nl),
      levels: nl, reml: method == .REML)
    var (theta, iterations) = try model.maximize(from: try model.startingValues(), maxIterations: maxIterations)
    if structure == .UN, onBoundary(model.tMatrix(theta)), let polished = try? model.polishOnBoundary(theta) {
      theta = polished
    }
    let at = try model.evaluate(theta, derivatives: false)
    let t = model.tMatrix(theta)
    if onBoundary(t) {
      warnings.append(StatsWarning(
        code: "singular-fit", message: "the between-study covariance matrix is on its boundary (a τ² at 0 or a correlation of ±1)",
        remedy: "a simpler struct (CS, DIAG) may describe the data as well; compare the fits by AIC"))
    }
    return try summarize(
      model: model, at: at, theta: theta, t: t, terms: terms, levels: levels, levelOf: levelOf, groupOf: groupOf,
      rows: rows, total: allYi.count, method: method, test: test, level: level, structure: structure,
      inner: innerName, outer: outerName, iterations: iterations, warnings: warnings)
  }

  /// Whether T is singular (smallest eigenvalue ≤ 1e-8 of the largest): a τ² at 0 or |ρ| = 1.
  static func onBoundary(_ t: Matrix) -> Bool {
    guard let eig = try? LinearAlgebra.symmetricEigen(t), let lo = eig.values.last, let hi = eig.values.first else { return false }
    return lo <= 1e-8 * max(hi, 1e-300)
  }

  /// Tests, τ², ρ, QE and the information criteria at the optimum.
  static func summarize(
    model: MultivariateModel, at: MultivariateModel.Evaluation, theta: [Double], t: Matrix, terms: [String],
    levels: [String], levelOf: [Int], groupOf: [Int], rows: [Int], total: Int, method: MetaMethod,
    test: MetaTest, level: Double, structure: MetaCovarianceStructure, inner: String, outer: String,
    iterations: Int, warnings: [StatsWarning]
  ) throws -> MultivariateMetaResult {
    let k = rows.count
    let p = model.x.cols
    let tTest = test == .knha
    let ddf = Double(k - p)
    let crit = tTest
      ? Distributions.tQuantile(1 - (1 - level) / 2, df: ddf)
      : Distributions.normalQuantile((1 - level) / 2, lowerTail: false)
    let coefficients = (0..<p).map { j -> MetaCoefficient in
      let se = at.s[j, j].squareRoot()
      let stat = at.beta[j] / se
      let pValue = tTest
        ? 2 * Distributions.tCDF(-abs(stat), df: ddf)
        : 2 * Distributions.normalCDF(abs(stat), lowerTail: false)
      return MetaCoefficient(
        term: terms[j], estimate: at.beta[j], se: se, z: tTest ? nil : stat, t: tTest ? stat : nil,
        df: tTest ? k - p : nil, p: pValue, ciLower: at.beta[j] - crit * se, ciUpper: at.beta[j] + crit * se)
    }
    let intercept = terms.firstIndex(of: "intrcpt")
    let btt = (intercept != nil && p > 1) ? (0..<p).filter { $0 != intercept } : Array(0..<p)
    var qm: Double? = nil
    var qmp: Double? = nil
    if let inv = try? LinearAlgebra.inverseSPD(at.s.submatrix(btt)) {
      let chi2 = inv.quadraticForm(btt.map { at.beta[$0] })
      qm = tTest ? chi2 / Double(btt.count) : chi2
      qmp = tTest
        ? Distributions.fCDF(qm!, df1: Double(btt.count), df2: ddf, lowerTail: false)
        : Distributions.chiSquaredCDF(chi2, df: Double(btt.count), lowerTail: false)
    }
    let qe = try model.cochranQE()
    var counts = [Set<Int>](repeating: [], count: levels.count)
    for (a, l) in levelOf.enumerated() { counts[l].insert(groupOf[a]) }
    let tau2 = levels.indices.map { MultivariateTau2(level: levels[$0], tau2: t[$0, $0], groups: counts[$0].count) }
    var rho: [MultivariateRho] = []
    if structure == .UN || structure == .CS {
      for m in levels.indices {
        for l in (m + 1)..<levels.count {
          rho.append(MultivariateRho(level1: levels[m], level2: levels[l], rho: t[l, m] / (t[l, l] * t[m, m]).squareRoot()))
        }
      }
    }
    let npar = Double(p + theta.count)
    let aic = -2 * at.logLik + 2 * npar
    let bic = -2 * at.logLik + log(Double(method == .REML ? k - p : k)) * npar
    return MultivariateMetaResult(
      k: k, rowsUsed: rows, rowsDropped: total - k, yi: model.yi, vi: model.v.diagonal, method: method, test: test,
      level: level, structure: structure, inner: inner, outer: outer, outerGroups: Set(groupOf).count,
      coefficients: coefficients, covariance: at.s, QM: qm, QMDf: btt.count, QMDf2: tTest ? k - p : nil, QMP: qmp,
      tau2: tau2, rho: rho, QE: qe, QEDf: k - p,
      QEP: k > p ? Distributions.chiSquaredCDF(qe, df: ddf, lowerTail: false) : 1,
      logLik: at.logLik, AIC: aic, BIC: bic, parameters: theta.count, iterations: iterations, warnings: warnings)
  }
}
