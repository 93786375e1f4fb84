import BordinData
import BordinStats

/// `meta` with `random: ~ outcome | study` (and usually `V`): the multivariate model of metafor's
/// `rma.mv(yi, V, mods, random = ~ outcome | study, struct)`.
///
/// `V` is the known within-study covariance, given as metafor's `vcalc(vi, cluster, rvars)`
/// builds it: `V: {rvars: [v1i, v2i], cluster: trial}` (within a study, row a's b-th column is its
/// covariance with the study's b-th row; only the lower triangle is read), or with `vi: vi` in the
/// mapping the columns are correlations and V = diag(√vi) R diag(√vi). `V: [v1i, v2i]` is short
/// for `{rvars: [v1i, v2i]}`; `cluster` defaults to the study column of `random`. Without `V` the
/// rows are independent with the variances of `vi`/`sei`.
extension MetaDirective {
  static let structures = MetaCovarianceStructure.allCases.map(\.rawValue)

  /// True when the invocation asks for the multivariate model: `V` given, or `random` with an
  /// inner factor (`~ outcome | trial`).
  static func isMultivariate(_ inv: Invocation) -> Bool {
    if inv.node("V").map({ !$0.isNull }) ?? false { return true }
    guard let r = inv.node("random")?.scalarText else { return false }
    return ((try? MetaMultivariate.parseRandom(r)) ?? nil) != nil
  }

  /// Options that do not apply to the multivariate model (refused before computing, DESIGN §6).
  static func multivariateConflicts(_ inv: Invocation) -> [(option: String, message: String, remedy: String)] {
    let given = { (k: String) -> Bool in inv.node(k).map { !$0.isNull } ?? false }
    var out: [(String, String, String)] = []
    if given("V") {
      for k in ["vi", "sei"] where given(k) {
        out.append((k, "'\(k)' does not apply with 'V' (V holds the sampling variances and covariances)",
                    "remove '\(k)'; to read the V columns as correlations put 'vi' inside V: 'V: {rvars: [r1, r2], vi: vi}'"))
      }
    }
    for k in ["r", "n", "m1", "sd1", "n1", "m2", "sd2", "n2", "measure"] + countOptions where given(k) {
      out.append((k, "'\(k)' is not available with a multivariate model ('V' or 'random: ~ outcome | study'): it takes 'yi' with 'V' (or 'vi')",
                  "compute the effect sizes first and give them as 'yi'"))
    }
    if given("bias") {
      out.append(("bias", "'bias' is not available with a multivariate model (its tests assume one effect per study)", "remove 'bias'"))
    }
    return out
  }

  static func runMultivariate(_ inv: Invocation, _ ev: Evaluation, table: Table, name: String) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    guard let random = try o.string("random") else {
      ev.sink.error(inv.location("V"), "missing-option", "meta '\(inv.label)': 'V' needs a multivariate random part, 'random: ~ outcome | study'",
                    remedy: "add 'random: ~ outcome | study' (the outcome column and the study column)")
      throw DirectiveFailure()
    }
    let parsed: (inner: String, outer: String)
    do {
      guard let p = try MetaMultivariate.parseRandom(random) else {
        ev.sink.error(inv.location("random"), "option-conflict", "meta '\(inv.label)': 'V' needs 'random: ~ outcome | study'; '\(random)' is a model of nested random intercepts",
                      remedy: "write 'random: ~ outcome | study', or remove 'V' and give 'vi'")
        throw DirectiveFailure()
      }
      parsed = p
    } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: "random") }
    for c in [parsed.inner, parsed.outer] { try o.checkColumn(c, option: "random", in: table, dataName: name) }
    let structure = MetaCovarianceStructure(rawValue: try o.choice("struct", structures, default: "CS")) ?? .CS
    let method = MetaMethod(rawValue: try o.choice("method", methods, default: "REML")) ?? .REML
    guard method == .REML || method == .ML else {
      ev.sink.error(inv.location("method"), "option-value", "meta '\(inv.label)': method \(method.rawValue) is not available for multivariate models",
                    remedy: "use REML (the default) or ML")
      throw DirectiveFailure()
    }
    let test = MetaTest(rawValue: try o.choice("test", ["z", "knha"], default: "z")) ?? .z
    let level = try o.level()
    let maxiter = try o.integer("maxiter", default: 1000, range: 1...100_000)
    let yiColumn = try o.requiredColumn("yi", in: table, dataName: name)
    let yi = try o.numeric(yiColumn, option: "yi", in: table, dataName: name)
    let (covariance, rvars) = try withinCovariance(o, inv, ev, table: table, name: name, outer: parsed.outer)
    let fit: MultivariateMetaResult
    do {
      fit = try MetaMultivariate.fit(
        yi: yi, covariance: covariance, rvars: rvars, random: random, structure: structure, data: table,
        mods: try o.string("mods"), method: method, test: test, level: level, maxIterations: maxiter,
        evaluate: { formulaEvaluator($0) })
    } catch let f as DirectiveFailure { throw f } catch {
      let code = (error as? StatsError)?.code
      let option = code == "bad-covariance" ? "V" : code == "bad-struct" ? "struct" : code == "not-converged" && o.has("maxiter") ? "maxiter"
        : code == "bad-random" || code == "not-converged" ? "random" : o.has("mods") ? "mods" : "yi"
      throw ev.statsFailure(error, inv, option: inv.has(option) ? option : "random")
    }
    let labels: [String]? = try o.column("study", in: table, dataName: name).map { c in
      (0..<table.rowCount).map { table[c]?.string(at: $0) ?? "Study \($0 + 1)" }
    }
    var fields: [(String, ResultValue)] = [("measure", .string("GEN")), ("method", .string(method.rawValue)), ("test", .string(test.rawValue)),
                                           ("level", .number(level))]
    fields += multivariate(fit)
    fields.append(("studies", studies(yi: fit.yi, vi: fit.vi, weights: nil, rows: fit.rowsUsed, labels: labels, groups: nil, level: level)))
    return DirectiveOutput(
      result: .object(fields), data: name, rowsUsed: fit.k, rowsDropped: fit.rowsDropped,
      droppedReason: fit.rowsDropped > 0 ? "missing effect sizes, variances, grouping values or moderators" : nil,
      method: "multivariate meta-analysis, \(method.rawValue), random \(random), struct \(structure.rawValue)\(o.has("V") ? ", V from \(rvars.joined(separator: ", "))" : "")\(test == .knha ? ", t tests (k − p df)" : "")",
      warnings: fit.warnings)
  }

  /// V from the `V` option (a mapping of rvars, cluster, vi, or a list of rvars), or the diagonal
  /// of `vi`/`sei` without it; also the names of the columns V was read from.
  static func withinCovariance(_ o: OptionReader, _ inv: Invocation, _ ev: Evaluation, table: Table, name: String, outer: String) throws(DirectiveFailure)
    -> (WithinStudyCovariance, [String])
  {
    let n = table.rowCount
    guard let node = inv.node("V"), !node.isNull else {
      let v: [Double]
      let from: String
      if let c = try o.column("vi", in: table, dataName: name) {
        v = try o.numeric(c, option: "vi", in: table, dataName: name); from = "vi"
      } else if let c = try o.column("sei", in: table, dataName: name) {
        v = try o.numeric(c, option: "sei", in: table, dataName: name).map { $0 * $0 }; from = "sei"
      } else {
        ev.sink.error(inv.at, "missing-option", "meta '\(inv.label)': a multivariate model needs the sampling (co)variances: 'V' or 'vi'",
                      remedy: "add 'V: {rvars: [v1i, v2i]}' (covariances within each study) or 'vi: COLUMN' (independent rows)")
        throw DirectiveFailure()
      }
      // Independent rows: each row is its own cluster.
      do {
        return (try WithinStudyCovariance.build(rvars: [(from, v)], cluster: (0..<n).map { String($0) }), [from])
      } catch { throw ev.statsFailure(error, inv, option: from == "vi" ? "vi" : "sei") }
    }
    var rvars: [String] = []
    var cluster = outer
    var viColumn: String? = nil
    switch node {
    case .scalar(let s, _, _): rvars = [s]
    case .list(let items, _): rvars = items.compactMap(\.scalarText)
    case .map(let items, _):
      for it in items {
        switch it.key {
        case "rvars":
          switch it.value {
          case .scalar(let s, _, _): rvars = [s]
          case .list(let xs, _): rvars = xs.compactMap(\.scalarText)
          case .map: ev.sink.error(it.value.location, "option-value", "'V.rvars' must be a list of column names"); throw DirectiveFailure()
          }
        case "cluster", "vi":
          guard let s = it.value.scalarText else {
            ev.sink.error(it.value.location, "option-value", "'V.\(it.key)' must be a column name; got \(it.value.shape)")
            throw DirectiveFailure()
          }
          if it.key == "cluster" { cluster = s } else { viColumn = s }
        default:
          ev.sink.error(it.keyAt, "unknown-option", "'V' has no setting '\(it.key)'\(didYouMeanSuffix(it.key, ["rvars", "cluster", "vi"]))",
                        remedy: "its settings are: rvars, cluster, vi (as metafor's vcalc)")
          throw DirectiveFailure()
        }
      }
    }
    guard !rvars.isEmpty else {
      ev.sink.error(inv.location("V"), "missing-option", "'V' needs 'rvars', the covariance columns",
                    remedy: "write 'V: {rvars: [v1i, v2i]}': in each study, row a's b-th column is its covariance with the study's b-th row")
      throw DirectiveFailure()
    }
    var values: [(name: String, values: [Double])] = []
    for c in rvars {
      try o.checkColumn(c, option: "V", in: table, dataName: name)
      values.append((c, try o.numeric(c, option: "V", in: table, dataName: name)))
    }
    try o.checkColumn(cluster, option: "V", in: table, dataName: name)
    var vi: [Double]? = nil
    if let c = viColumn {
      try o.checkColumn(c, option: "V", in: table, dataName: name)
      vi = try o.numeric(c, option: "V", in: table, dataName: name)
    }
    do {
      let cov = try WithinStudyCovariance.build(rvars: values, cluster: (0..<n).map { table[cluster]?.string(at: $0) }, vi: vi)
      return (cov, rvars)
    } catch { throw ev.statsFailure(error, inv, option: "V") }
  }

  static func multivariate(_ f: MultivariateMetaResult) -> [(String, ResultValue)] {
    var v: [(String, ResultValue)] = [("k", .int(f.k)), ("struct", .string(f.structure.rawValue)), ("inner", .string(f.inner)),
                                      ("outer", .string(f.outer)), ("groups", .int(f.outerGroups))]
    if let first = f.coefficients.first {
      v += [("estimate", .num(first.estimate)), ("se", .num(first.se))]
      if let z = first.z { v.append(("z", .num(z))) }
      if let t = first.t { v.append(("t", .num(t))) }
      if let df = first.df { v.append(("df", .int(df))) }
      v += [("p", .num(first.p)), ("ci_lb", .num(first.ciLower)), ("ci_ub", .num(first.ciUpper))]
    }
    v.append(("coef", .array(f.coefficients.map(coefficient))))
    v += [("QM", .num(f.QM)), ("QM_df", .int(f.QMDf))]
    if let d2 = f.QMDf2 { v.append(("QM_df2", .int(d2))) }
    v.append(("QM_p", .num(f.QMP)))
    v.append(("tau2", .array(f.tau2.map {
      .object([("name", .string($0.level)), ("tau2", .num($0.tau2)), ("tau", .num($0.tau2.squareRoot())), ("k", .int($0.groups))])
    })))
    if !f.rho.isEmpty {
      v.append(("rho", .array(f.rho.map { .object([("x", .string($0.level1)), ("y", .string($0.level2)), ("rho", .num($0.rho))]) })))
    }
    v += [("Q", .num(f.QE)), ("Q_df", .int(f.QEDf)), ("Q_p", .num(f.QEP)), ("logLik", .num(f.logLik)), ("AIC", .num(f.AIC)), ("BIC", .num(f.BIC))]
    return v
  }
}
