// Multigroup structural equation models (lavaan `sem(..., group = "g", group.equal = ...)`): one
// model per group, parameters equal across groups where `group.equal` or shared labels say so.
//
// Implementation goals, in priority order: (1) lavaan 0.6-14's estimates, standard errors and fit
// measures of a multigroup fit, ML and MLR, with FIML; (2) no second estimation engine: the
// groups are stacked into one model whose variables are the group-specific copies of the model's
// variables (x1 of group g is its own variable), with every cross-group covariance fixed at 0
// and each case observed on its group's copies only. The FIML log-likelihood of that model is
//   log L(θ) = Σ_g Σ_{i ∈ g} log φ(y_i; μ_g(θ), Σ_g(θ)),
// exactly lavaan's multigroup likelihood, so the optimum, the observed information and the
// casewise scores (MLR) are lavaan's.
//
// Fit (lavaan lav_fit_*, G groups, N = Σ n_g): χ² = Σ_g 2(log L_h1,g − log L_g) (the per-group
// parts are `chisq_group`), df = G(p(p+1)/2 + p) − npar, baseline χ² and df summed over groups,
// CFI/TLI as for one group, RMSEA = √G·√max((χ²/N)/df − 1/N, 0) with its interval scaled by √G,
// SRMR = Σ_g (n_g/N)·SRMR_g, AIC/BIC with log N. MLR: the Yuan–Bentler trace
// tr(UΓ) = Σ_g tr(A₁g⁻¹B₁g) − tr(E⁻¹B₀) (the h1 information is block diagonal over groups).
//
// group.equal (lavaan lav_partable_flat / lav_partable_vnames): `loadings` (=~), `intercepts`
// (~1 of the non-exogenous observed variables), `means` (~1 of the latent and exogenous observed
// variables), `regressions` (~), `residuals` (~~ variances of the non-exogenous observed),
// `residual.covariances`, `lv.variances`, `lv.covariances`; an equal free row gets lavaan's label
// `.pK.` (K its row in group 1); fixed rows stay fixed. With `intercepts` but not `means`, the
// latent means are free in groups 2..G (lavaan's default).
//
// References: Rosseel, Y. (2012). lavaan. *Journal of Statistical Software*, 48(2). Jöreskog,
// K. G. (1971). Simultaneous factor analysis in several populations. *Psychometrika*, 36,
// 409–426. Meredith, W. (1993). Measurement invariance, factor analysis and factorial invariance.
// *Psychometrika*, 58, 525–543.

import BordinData
import Foundation

/// Parameter classes constrained equal across groups (lavaan `group.equal`).
public enum SEMGroupEqual: String, Sendable, Equatable, CaseIterable {
  case loadings, intercepts, means, regressions, residuals
  case residualCovariances = "residual.covariances"
  case lvVariances = "lv.variances"
  case lvCovariances = "lv.covariances"
}

/// One group of a multigroup fit.
public struct SEMGroupInfo: Sendable, Equatable {
  /// The level of the group column (lavaan `group.label`).
  public var label: String
  /// Rows used in the group.
  public var n: Int
  /// The group's contribution to χ² (lavaan `stat.group`).
  public var chisq: Double
  public var impliedCovariance: Matrix
  public var impliedMeans: [Double]
}

extension SEM {
  /// Separator of a stacked variable's name and its group number (not in any column name).
  static let groupMark = "\u{1F}g"

  /// Fits `model` in every group of the column `group` (levels in order of first appearance, as
  /// lavaan), with the classes of `equal` constrained equal across groups. Parameters come group
  /// by group in lavaan's order, each with `group` set to its level; `:=` rows last.
  /// - Throws: as ``fit(model:data:options:)``, and `StatsError` `unknown-variable` (the group
  ///   column), `one-group` (a single level), `too-few-rows` (a group with fewer cases than
  ///   observed variables), `bad-option` (a `~1` restriction lavaan's group.equal cannot express).
  public static func fit(
    model text: String, data: Table, group: String, equal: [SEMGroupEqual], options: SEMOptions = SEMOptions()
  ) throws -> SEMResult {
    let model = try LavaanModel.parse(text)
    let table0 = try SEMParameterTable.build(model)
    let p = table0.observed.count
    if p == 0 { throw StatsError(code: "no-variables", message: "the model has no observed variables") }
    _ = try checkedMeanstructure(model: model, options: options)
    let (levels, members, groupWarnings) = try groupRows(data: data, group: group, observed: table0.observed)
    let stacked = try stackedTable(table0: table0, groups: levels.count, equal: Set(equal))
    let moments = levels.count * (p * (p + 1) / 2 + p)
    if stacked.freeCount > moments {
      throw StatsError(
        code: "unidentified",
        message: "the multigroup model is not identified: it has \(stacked.freeCount) free parameters but the "
          + "\(levels.count) groups give only \(moments) means, variances and covariances",
        remedy: "Constrain more parameters equal across groups ('group_equal'), or simplify the model.")
    }
    let (stackedData, order) = stackedData(data: data, members: members, observed: table0.observed, missing: options.missing)
    let sample: SEMSample
    do {
      sample = try SEMSample.make(table: stackedData, variables: stacked.observed, missing: .fiml)
    } catch var e as StatsError {
      e.message = readable(e.message, levels: levels)
      throw e
    }
    var h1s: [SaturatedModel] = []
    var subs: [SEMSample] = []
    for g in levels.indices {
      let sub = sample.restricted(to: Array((g * p)..<((g + 1) * p)))
      subs.append(sub)
      h1s.append(try SaturatedModel.estimate(sub, exogenous: table0.exogenous.map { table0.observed.firstIndex(of: $0)! }))
    }
    let h1 = combined(h1s)
    var warnings = groupWarnings
    if let w = try? collinearityWarning(h1: h1, table: stacked, options: options) {
      var w = w
      w.message = readable(w.message, levels: levels)
      warnings.append(w)
    }
    let ram = RAMModel(table: stacked)
    let (opt, likelihood, equalityRank) = try estimate(
      ram: ram, sample: sample, table: stacked, h1: h1, fiml: true, maxIterations: options.maxIterations)
    let point = opt.point
    let expected = likelihood.expectedInformation(point) ?? opt.expectedInformation
    let (dSigma, dMu) = likelihood.jacobian(point.implied)
    do {
      try SEMStandardErrors.checkIdentification(
        dSigma: dSigma, dMu: dMu, p: stacked.observed.count, table: stacked, constraints: likelihood.constraints)
    } catch var e as StatsError {
      e.message = readable(e.message, levels: levels)
      throw e
    }
    if !opt.converged {
      warnings.append(
        StatsError(
          code: "not-converged", message: "the optimiser did not converge in \(opt.iterations) iterations",
          remedy: "Check the model for identification problems, give start values, or simplify the model."))
    }
    let information = options.information ?? (options.missing == .fiml ? .observed : .expected)
    let (vcov, robustPart, seWarning) = parameterCovariance(
      likelihood: likelihood, point: point, expected: expected, information: information, options: options)
    if let seWarning { warnings.append(seWarning) }
    let rowValues = ram.rowValues(point.theta, rowCount: stacked.rows.count)
    var parameters = parameterRows(
      table: stacked, ram: ram, point: point, rowValues: rowValues, vcov: vcov, meanstructure: true)
    for i in parameters.indices { relabel(&parameters[i], levels: levels) }
    for var w in solutionWarnings(table: stacked, ram: ram, point: point, rowValues: rowValues) {
      w.message = readable(w.message, levels: levels)
      warnings.append(w)
    }

    let npar = stacked.freeCount - equalityRank
    let groupsInfo = levels.indices.map { g -> SEMGroupInfo in
      let idx = Array((g * p)..<((g + 1) * p))
      let (sigma, mu) = block(point.implied.sigma, point.implied.mu, idx)
      let lg = FIMLObjective(sample: subs[g]).evaluate(sigma: sigma, mu: mu, gradient: false)?.logLik ?? .nan
      return SEMGroupInfo(
        label: levels[g], n: subs[g].n, chisq: 2 * (h1s[g].logLik - lg),
        impliedCovariance: sigma, impliedMeans: mu)
    }
    var fit = multigroupFit(
      logLik: point.logLik, h1s: h1s, groups: groupsInfo, n: sample.n, npar: npar, df: moments - stacked.freeCount + equalityRank,
      baselineDf: levels.count * baselineDf(table0))
    if let robustPart {
      fit.robust = try multigroupRobust(
        robustPart, stacked: stacked, sample: sample, h1: h1, subs: subs, h1s: h1s, fit: fit, maxIterations: options.maxIterations)
      if fit.robust == nil {
        warnings.append(
          StatsError(
            code: "se-failed", message: "the robust (MLR) test statistics could not be computed",
            remedy: "The information matrix of the saturated or baseline model is singular."))
      }
    }
    // The rows of the data used: listwise, each group's complete rows; FIML, those with a model
    // variable observed.
    let used = sample.rowsUsed.map { order[$0] }.sorted()
    var result = SEMResult(
      parameters: parameters, fit: fit, converged: opt.converged, iterations: opt.iterations,
      warnings: warnings, observed: table0.observed, latent: table0.latent, missing: options.missing,
      information: information, estimator: options.estimator, meanstructure: true,
      patterns: [], coverage: [], rowsUsed: used,
      rowsDropped: data.rowCount - used.count,
      impliedCovariance: groupsInfo[0].impliedCovariance, impliedMeans: groupsInfo[0].impliedMeans)
    result.groups = groupsInfo
    return result
  }

  /// The rows of each group (levels in order of first appearance); rows with a missing group are
  /// left out with a warning.
  static func groupRows(data: Table, group: String, observed: [String]) throws
    -> ([String], [[Int]], [StatsWarning])
  {
    guard let col = data[group] else {
      throw StatsError(
        code: "unknown-variable", message: "the group column '\(group)' is not a column of the data",
        remedy: "The data has: " + data.names.prefix(12).joined(separator: ", ") + ".")
    }
    if observed.contains(group) {
      throw StatsError(
        code: "bad-option", message: "the group column '\(group)' is also a variable of the model",
        remedy: "Group by a column that is not in the model.")
    }
    var levels: [String] = []
    var members: [[Int]] = []
    var missing = 0
    for i in 0..<data.rowCount {
      guard let v = col.string(at: i), !col.isMissing(i) else {
        missing += 1
        continue
      }
      if let k = levels.firstIndex(of: v) { members[k].append(i) } else {
        levels.append(v)
        members.append([i])
      }
    }
    if levels.count < 2 {
      throw StatsError(
        code: "one-group",
        message: "the group column '\(group)' has \(levels.isEmpty ? "no values" : "one level ('\(levels[0])')")",
        remedy: "A multigroup model needs at least two groups; remove 'group' or check the filter.")
    }
    let p = observed.count
    for (k, rows) in members.enumerated() where rows.count < max(2, p) {
      throw StatsError(
        code: "too-few-rows",
        message: "group '\(levels[k])' of '\(group)' has \(rows.count) case\(rows.count == 1 ? "" : "s"), "
          + "fewer than the \(p) observed variables of the model",
        remedy: "Merge small groups or filter them out; each group's covariance matrix needs more cases than variables.")
    }
    var warnings: [StatsWarning] = []
    if missing > 0 {
      warnings.append(
        StatsError(
          code: "group-missing",
          message: "\(missing) row\(missing == 1 ? " has" : "s have") a missing '\(group)' and "
            + (missing == 1 ? "was" : "were") + " left out",
          remedy: "Filter these rows out, or recode the missing group."))
    }
    return (levels, members, warnings)
  }

  /// The stacked parameter table: group g's copy of every row, its variables renamed
  /// `name␟g<g>`, free parameters renumbered with shared labels (user labels and group.equal's
  /// `.pK.`) sharing a number; `:=` rows and constraints once.
  static func stackedTable(table0: SEMParameterTable, groups: Int, equal: Set<SEMGroupEqual>) throws
    -> SEMParameterTable
  {
    let names = Set(table0.observed + table0.latent)
    let exo = Set(table0.exogenous)
    let latent = Set(table0.latent)
    func rename(_ v: String, _ g: Int) -> String { names.contains(v) ? v + groupMark + String(g + 1) : v }
    func equalClass(_ r: SEMTableRow) -> SEMGroupEqual? {
      switch r.op {
      case .measuredBy: return .loadings
      case .regression: return .regressions
      case .intercept:
        return latent.contains(r.lhs) || exo.contains(r.lhs) ? .means : .intercepts
      case .covariance:
        if latent.contains(r.lhs) { return r.lhs == r.rhs ? .lvVariances : .lvCovariances }
        if exo.contains(r.lhs) || exo.contains(r.rhs) { return nil }
        return r.lhs == r.rhs ? .residuals : .residualCovariances
      default: return nil
      }
    }
    var rows: [SEMTableRow] = []
    var next = 0
    var labelIndex: [String: Int] = [:]
    for g in 0..<groups {
      for (i, r0) in table0.rows.enumerated() {
        if r0.op == .defined {
          if g == 0 { rows.append(r0) }
          continue
        }
        var r = r0
        r.lhs = rename(r0.lhs, g)
        r.rhs = rename(r0.rhs, g)
        // lavaan: with equal intercepts, the latent means are free in groups 2..G.
        if g > 0, r0.op == .intercept, latent.contains(r0.lhs), !r0.user, equal.contains(.intercepts),
          !equal.contains(.means)
        {
          r.free = 0
          r.value = nil
        }
        if r.free != nil, r.label.isEmpty, let c = equalClass(r0), equal.contains(c) { r.label = ".p\(i + 1)." }
        if r.free != nil {
          if !r.label.isEmpty, let k = labelIndex[r.label] {
            r.free = k
          } else {
            r.free = next
            if !r.label.isEmpty { labelIndex[r.label] = next }
            next += 1
          }
        }
        rows.append(r)
      }
    }
    // `:=` rows last (lavaan), after every group's rows.
    let defined = rows.filter { $0.op == .defined }
    rows = rows.filter { $0.op != .defined } + defined
    var t = table0
    t.rows = rows
    t.observed = (0..<groups).flatMap { g in table0.observed.map { rename($0, g) } }
    t.latent = (0..<groups).flatMap { g in table0.latent.map { rename($0, g) } }
    t.exogenous = (0..<groups).flatMap { g in table0.exogenous.map { rename($0, g) } }
    t.freeCount = next
    return t
  }

  /// The data as the stacked model sees it: column `x␟g<g>` holds x in group g's rows and is
  /// missing elsewhere. Under listwise deletion only each group's complete rows are kept. Also
  /// returns, for each stacked row, its row in `data`.
  static func stackedData(data: Table, members: [[Int]], observed: [String], missing: SEMMissing) -> (Table, [Int]) {
    let columns = observed.map { data[$0]?.doubles ?? [] }
    var keep = members
    if missing == .listwise {
      keep = members.map { rows in rows.filter { i in columns.allSatisfy { i < $0.count && !$0[i].isNaN } } }
    }
    let order = keep.flatMap { $0 }
    var pairs: [(String, Column)] = []
    for (g, rows) in keep.enumerated() {
      let inGroup = Set(rows)
      for (j, v) in observed.enumerated() {
        let values = order.map { i in inGroup.contains(i) && i < columns[j].count ? columns[j][i] : .nan }
        pairs.append((v + groupMark + String(g + 1), .numeric(values)))
      }
    }
    // Columns that are not numeric keep their type so that SEMSample reports them.
    for (j, v) in observed.enumerated() where data[v] != nil && data[v]?.doubles == nil {
      for g in keep.indices { pairs[g * observed.count + j] = (v + groupMark + String(g + 1), .text([])) }
    }
    return (Table(pairs), order)
  }

  /// "x1␟g2" → "x1 (group 'Grant-White')" in messages.
  static func readable(_ message: String, levels: [String]) -> String {
    var m = message
    for (g, level) in levels.enumerated().reversed() {
      m = m.replacingOccurrences(of: groupMark + String(g + 1), with: " (group '\(level)')")
    }
    return m
  }

  /// Strips the group mark from a parameter's names and sets its group.
  static func relabel(_ p: inout SEMParameter, levels: [String]) {
    for side in [p.lhs, p.rhs] {
      if let r = side.range(of: groupMark), let g = Int(side[r.upperBound...]) {
        p.group = levels[g - 1]
      }
    }
    func strip(_ s: String) -> String {
      guard let r = s.range(of: groupMark) else { return s }
      return String(s[..<r.lowerBound])
    }
    if p.op != ":=" {
      p.lhs = strip(p.lhs)
      p.rhs = strip(p.rhs)
    }
  }

  /// The block-diagonal saturated model of the stacked variables.
  static func combined(_ h1s: [SaturatedModel]) -> SaturatedModel {
    let p = h1s[0].mu.count
    let q = p * h1s.count
    var sigma = Matrix(rows: q, cols: q)
    var unridged = Matrix(rows: q, cols: q)
    for (g, h) in h1s.enumerated() {
      for j in 0..<p {
        for i in 0..<p {
          sigma[g * p + i, g * p + j] = h.sigma[i, j]
          unridged[g * p + i, g * p + j] = h.unridgedSigma[i, j]
        }
      }
    }
    return SaturatedModel(
      mu: h1s.flatMap(\.mu), sigma: sigma, logLik: h1s.reduce(0) { $0 + $1.logLik },
      baselineLogLik: h1s.reduce(0) { $0 + $1.baselineLogLik }, iterations: h1s.map(\.iterations).max() ?? 0,
      ridged: h1s.contains { $0.ridged }, unridgedSigma: unridged)
  }

  static func block(_ sigma: Matrix, _ mu: [Double], _ idx: [Int]) -> (Matrix, [Double]) {
    var s = Matrix(rows: idx.count, cols: idx.count)
    for (b, jb) in idx.enumerated() { for (a, ja) in idx.enumerated() { s[a, b] = sigma[ja, jb] } }
    return (s, idx.map { mu[$0] })
  }

  /// The baseline df of one group: p(p−1)/2 − k(k−1)/2 (k exogenous observed variables).
  static func baselineDf(_ t: SEMParameterTable) -> Int {
    let p = t.observed.count
    let k = t.exogenous.count
    return p * (p - 1) / 2 - (k > 1 ? k * (k - 1) / 2 : 0)
  }
}

extension SEM {
  /// lavaan's multigroup fit measures (see the file comment).
  static func multigroupFit(
    logLik: Double, h1s: [SaturatedModel], groups: [SEMGroupInfo], n: Int, npar: Int, df: Int, baselineDf: Int
  ) -> SEMFitMeasures {
    let h1 = combined(h1s)
    var fit = SEMFit.measures(
      logLik: logLik, h1: h1, n: n, npar: npar, df: df, baselineDf: baselineDf,
      sigma: h1.sigma, mu: h1.mu, meanstructure: true)
    let rootG = Double(groups.count).squareRoot()
    fit.rmsea *= rootG
    fit.rmseaCILower *= rootG
    fit.rmseaCIUpper *= rootG
    fit.srmr = zip(h1s, groups).reduce(0) { acc, e in
      acc + Double(e.1.n) / Double(n)
        * SEMFit.srmr(s: e.0.sigma, m: e.0.mu, sigma: e.1.impliedCovariance, mu: e.1.impliedMeans, meanstructure: true)
    }
    return fit
  }

  /// The MLR measures of a multigroup fit: the scaled test with the h1 trace summed over groups
  /// (lavaan lav_test_yuan_bentler_mplus_trace); the baseline model fitted on the stacked data.
  /// The FIML-corrected robust CFI/TLI/RMSEA group by group, as lavaan's lav_fit_fiml_corrected
  /// (SEMMultigroupRobust.swift).
  static func multigroupRobust(
    _ model: SEMRobustModelPart, stacked: SEMParameterTable, sample: SEMSample, h1: SaturatedModel,
    subs: [SEMSample], h1s: [SaturatedModel], fit: SEMFitMeasures, maxIterations: Int
  ) throws -> SEMRobustFitMeasures? {
    let bt = SEMRobust.baselineTable(stacked)
    let (ob, lb, _) = try estimate(
      ram: RAMModel(table: bt), sample: sample, table: bt, h1: h1, fiml: true, maxIterations: maxIterations)
    let steps = lb.newtonSteps(ob.point, info: ob.expectedInformation)
    guard let ib = lb.observedInformation(ob.point.phi, steps: steps),
      let baseline = SEMRobust.part(lb, ob.point, information: ib)
    else { return nil }
    var trH1 = 0.0
    var groups: [GroupH1] = []
    for (sub, h) in zip(subs, h1s) {
      guard let info = SEMRobust.h1Information(sample: sub, h1: h),
        let t = SEMRobust.trace(information: info.a, meat: info.b),
        let wc = SEMRobust.completeDataH1Information(h.sigma).map({
          SEMRobust.fixingExogenous($0, stacked.exogenous.compactMap { sub.variables.firstIndex(of: $0) }, p: h.mu.count)
        })
      else { return nil }
      trH1 += t
      let ng = Double(sub.n)
      groups.append(GroupH1(wm: scaled(info.a, 1 / ng), jm: scaled(info.b, 1 / ng), wc: wc, n: sub.n, em: h))
    }
    guard let trH0 = SEMRobust.trace(information: model.information, meat: model.meat),
      let trB = SEMRobust.trace(information: baseline.information, meat: baseline.meat)
    else { return nil }
    let d = Double(fit.df)
    let db = Double(fit.baselineDf)
    let nn = Double(fit.n)
    let c = (trH1 - trH0) / d
    let cb = (trH1 - trB) / db
    let t = fit.chisq / c
    let tb = fit.baselineChisq / cb
    let naive = SEMFit.incremental(chisq: t, df: fit.df, baselineChisq: tb, baselineDf: fit.baselineDf)
    let rootG = Double(subs.count).squareRoot()
    let r = multigroupRobustIndices(model: model, baseline: baseline, groups: groups, fit: fit)
    return SEMRobustFitMeasures(
      chisqScaled: t, scalingFactor: c,
      pScaled: Distributions.chiSquaredCDF(t, df: d, lowerTail: false),
      baselineChisqScaled: tb, baselineScalingFactor: cb, cfiScaled: naive.cfi, tliScaled: naive.tli,
      rmseaScaled: fit.df > 0 ? rootG * max(fit.chisq / (nn * c * d) - 1 / nn, 0).squareRoot() : 0,
      cfiRobust: r?.cfi ?? .nan, tliRobust: r?.tli ?? .nan, rmseaRobust: r?.rmsea ?? .nan,
      rmseaRobustCILower: r?.lower ?? .nan, rmseaRobustCIUpper: r?.upper ?? .nan)
  }
}
