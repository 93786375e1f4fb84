import BordinData
import BordinStats

/// `compare` of two nested `sem` or `clpm` fits: the χ² difference (likelihood-ratio) test of
/// lavaan's `lavTestLRT(free, restricted)`,
///   Δχ² = χ²_r − χ²_f,  Δdf = df_r − df_f,  p = P(χ²_Δdf > Δχ²),
/// and under MLR the Satorra–Bentler (2001) scaled difference (lavTestLRT's default
/// `method = "satorra.bentler.2001"`): c_d = (df_r·c_r − df_f·c_f)/Δdf with the models' scaling
/// factors c (c_f = 1 for a saturated free model), Δχ²_SB = Δχ²/c_d (``SEMDifferenceTest``).
///
/// Both directives are refitted from their options (without `se: bootstrap`, which the test does
/// not use). Refused, located at the second model: different data or rows (`compare-rows`),
/// different estimators (`compare-estimator`), one multigroup and one single-group model, or
/// groups by different columns, different observed variables, equal df, or a "restricted"
/// model that fits better than the other (`not-nested`).
///
/// References: Satorra, A., & Bentler, P. M. (2001). A scaled difference chi-square test
/// statistic for moment structure analysis. *Psychometrika*, 66, 507–514.
extension CompareDirective {
  static let semKinds: Set<String> = ["sem", "clpm"]

  static func semRun(_ inv: Invocation, _ ev: Evaluation, labels: [String], kinds: [String], loc: (Int) -> SourceLocation)
    throws(DirectiveFailure) -> DirectiveOutput
  {
    var fits: [(label: String, f: SEMDirective.Fitted)] = []
    for (l, k) in zip(labels, kinds) {
      guard let ref = ev.invocations.first(where: { $0.label == l }) else { throw DirectiveFailure() }
      fits.append((l, k == "clpm" ? try CLPMDirective.fitted(ref, ev, bootstrap: false) : try SEMDirective.fitted(ref, ev, bootstrap: false)))
    }
    try checkComparable(inv, ev, fits, loc: loc(1))
    // The restricted model (more df, fewer parameters) first, as the smaller model of anova.
    if fits[1].f.fit.fit.df > fits[0].f.fit.fit.df { fits.swapAt(0, 1) }
    let (r, f) = (fits[0], fits[1])
    let tolerance = 1e-6 * max(1, f.f.fit.fit.chisq)
    guard r.f.fit.fit.chisq >= f.f.fit.fit.chisq - tolerance else {
      ev.sink.error(loc(1), "not-nested", "compare '\(inv.label)': the models are not nested: '\(r.label)' has more degrees of freedom (\(r.f.fit.fit.df) vs \(f.f.fit.fit.df)) yet fits better (χ² = \(Format.fixed(r.f.fit.fit.chisq, 2)) vs \(Format.fixed(f.f.fit.fit.chisq, 2)))",
                    remedy: "the restricted model must be the other with parameters fixed or constrained equal (e.g. the same model with 'group_equal'); compare non-nested models by AIC or BIC instead")
      throw DirectiveFailure()
    }
    let t: SEMDifferenceTest
    do { t = try SEMDifferenceTest.compare(r.f.fit, f.f.fit) } catch { throw ev.statsFailure(error, inv, option: "models") }
    let value = semValue(kind: Set(kinds).count == 1 ? kinds[0] : "sem", restricted: r, free: f, test: t)
    let model = table(label: inv.label, value: value, digits: 2)
    let html = model.html(id: inv.labelled ? inv.label : nil, number: ev.numbers[inv.label], caption: try OptionReader(inv, ev).string("caption"))
    let mlr = r.f.fit.estimator == .mlr
    let method = "χ² difference test of nested SEMs (lavaan's lavTestLRT)" + (mlr ? ", Satorra–Bentler (2001) scaled difference of MLR fits" : ", ML fits")
    return DirectiveOutput(result: value, html: html, data: r.f.data, rowsUsed: r.f.fit.rowsUsed.count, method: method)
  }

  /// The refusals of the file comment, before any test is computed.
  static func checkComparable(_ inv: Invocation, _ ev: Evaluation, _ fits: [(label: String, f: SEMDirective.Fitted)], loc at: SourceLocation)
    throws(DirectiveFailure)
  {
    let (a, b) = (fits[0], fits[1])
    if a.f.data != b.f.data || a.f.fit.rowsUsed != b.f.fit.rowsUsed {
      let (na, nb) = (a.f.fit.rowsUsed.count, b.f.fit.rowsUsed.count)
      let what = a.f.data != b.f.data
        ? "'\(a.label)' is fitted to '\(a.f.data)' but '\(b.label)' to '\(b.f.data)'"
        : "'\(a.label)' is fitted to \(na) rows but '\(b.label)' to \(nb)\(na == nb ? " different ones" : "")"
      ev.sink.error(at, "compare-rows", "compare '\(inv.label)': \(what); nested models must be fitted to the same rows",
                    remedy: "fit both models to one dataset with the same 'missing' and the same observed variables, so that they use the same rows")
      throw DirectiveFailure()
    }
    if a.f.fit.estimator != b.f.fit.estimator {
      ev.sink.error(at, "compare-estimator", "compare '\(inv.label)': '\(a.label)' is fitted with estimator \(a.f.fit.estimator.rawValue) but '\(b.label)' with \(b.f.fit.estimator.rawValue); the difference test needs one estimator",
                    remedy: "fit both models with the same 'estimator' (MLR gives the Satorra–Bentler scaled difference)")
      throw DirectiveFailure()
    }
    if a.f.group != b.f.group {
      let what = { (x: (label: String, f: SEMDirective.Fitted)) in x.f.group.map { "'\(x.label)' is fitted in the groups of '\($0)'" } ?? "'\(x.label)' is a single-group model" }
      ev.sink.error(at, "not-nested", "compare '\(inv.label)': the models are not nested: \(what(a)) but \(what(b))",
                    remedy: "give both models the same 'group' column; constrain parameters with 'group_equal' in one of them")
      throw DirectiveFailure()
    }
    let (va, vb) = (Set(a.f.fit.observed), Set(b.f.fit.observed))
    if va != vb {
      let only = { (x: Set<String>, y: Set<String>) in x.subtracting(y).sorted().joined(separator: ", ") }
      let parts = [(a.label, only(va, vb)), (b.label, only(vb, va))].filter { !$0.1.isEmpty }.map { "\($0.1) only in '\($0.0)'" }
      ev.sink.error(at, "not-nested", "compare '\(inv.label)': the models are not nested: they model different observed variables (\(parts.joined(separator: "; ")))",
                    remedy: "nested models have the same observed variables; fix paths at 0 ('y ~ 0*x') instead of leaving variables out")
      throw DirectiveFailure()
    }
    if a.f.fit.fit.df == b.f.fit.fit.df {
      let same = a.f.syntax == b.f.syntax && Set(a.f.equal) == Set(b.f.equal)
      ev.sink.error(at, same ? "same-model" : "not-nested",
                    "compare '\(inv.label)': '\(a.label)' and '\(b.label)' have the same degrees of freedom (\(a.f.fit.fit.df))" + (same ? "; they are the same model" : "; neither is a restriction of the other"),
                    remedy: "compare a model with a restricted version of it: parameters fixed, or constrained equal across groups with 'group_equal'")
      throw DirectiveFailure()
    }
  }

  /// The result: kind, test, estimator, models[] (restricted first), the difference test.
  static func semValue(kind: String, restricted r: (label: String, f: SEMDirective.Fitted), free f: (label: String, f: SEMDirective.Fitted),
                       test t: SEMDifferenceTest) -> ResultValue
  {
    let mlr = r.f.fit.estimator == .mlr
    var fields: [(String, ResultValue)] = [("kind", .string(kind)), ("test", .string("Chisq")), ("estimator", .string(r.f.fit.estimator.rawValue))]
    fields.append(("models", .array([r, f].map { m in
      let x = m.f.fit.fit
      var v: [(String, ResultValue)] = [("name", .string(m.label)), ("model", .string(m.f.syntax))]
      if let g = m.f.group { v += [("group", .string(g)), ("group_equal", .array(m.f.equal.map { .string($0.rawValue) }))] }
      v += [("npar", .int(x.npar)), ("nobs", .int(x.n)), ("AIC", .num(x.aic)), ("BIC", .num(x.bic)), ("logLik", .num(x.logLik)),
            ("chisq", .num(x.chisq)), ("df", .int(x.df))]
      if mlr { v.append(("scaling_factor", .num(x.df == 0 ? .nan : x.robust?.scalingFactor ?? .nan))) }
      return .object(v)
    })))
    fields += [("chisq", .num(t.unscaledChisqDiff)), ("df", .int(t.dfDiff)), ("p", .num(t.unscaledP))]
    if mlr { fields += [("scaled", .num(t.chisqDiff)), ("scaling", .num(t.scalingFactor ?? .nan)), ("p_scaled", .num(t.p))] }
    return .object(fields)
  }

  /// The comparison as lavTestLRT prints it: per model k, AIC, BIC, χ², df (and the MLR scaling
  /// factor), the difference test on the free model's row; the restricted model first.
  static func semTable(label: String, value v: ResultValue, digits: Int) -> TableModel {
    let mlr = v["scaled"] != nil
    let f = { (x: ResultValue?, d: Int) in escapeHTML(Format.fixed(x?.double ?? .nan, d)) }
    let int = { (x: ResultValue?) in escapeHTML(Format.integer(x?.double ?? .nan)) }
    let items: [ResultValue] = { if case .array(let a)? = v["models"] { return a }; return [] }()
    var rows: [[TableModel.Cell]] = []
    let equal = items.map { m -> [String] in if case .array(let a)? = m["group_equal"] { return a.compactMap(\.string) }; return [] }
    // Multigroup models that differ in their equality constraints are named by them alone.
    let described = items.allSatisfy { $0["group"] != nil } && Set(equal.map { $0.sorted() }).count == items.count
    for (i, m) in items.enumerated() {
      let ref = "\(label).models[\(i)]"
      let what = equal[i].isEmpty ? "parameters free across groups" : "equal across groups: " + equal[i].map(constraintName).joined(separator: ", ")
      let name = described ? what.prefix(1).uppercased() + what.dropFirst() : (m["name"]?.string ?? "") + (m["group"] == nil ? "" : " (" + what + ")")
      var row: [TableModel.Cell] = [.init(escapeHTML(name))]
      row += [.init(int(m["npar"]), ref: ref + ".npar"), .init(f(m["AIC"], digits), ref: ref + ".AIC"), .init(f(m["BIC"], digits), ref: ref + ".BIC"),
              .init(f(m["chisq"], digits), ref: ref + ".chisq"), .init(int(m["df"]), ref: ref + ".df")]
      if mlr { row.append(m["scaling_factor"]?.double?.isFinite == true ? .init(f(m["scaling_factor"], 3), ref: ref + ".scaling_factor") : .init("—")) }
      let stat = mlr ? "scaled" : "chisq", p = mlr ? "p_scaled" : "p"
      row += i == 0 ? [.init(""), .init(""), .init("")] :
        [.init(f(v[stat], digits), ref: "\(label).\(stat)"), .init(int(v["df"]), ref: "\(label).df"),
         .init(escapeHTML(Format.p(v[p]?.double ?? .nan)), ref: "\(label).\(p)")]
      rows.append(row)
    }
    let header = ["Model", APA.i("k"), "AIC", "BIC", "χ<sup>2</sup>", APA.i("df")] + (mlr ? ["Scaling factor"] : []) +
      ["Δχ<sup>2</sup>", "Δ" + APA.i("df"), APA.i("p")]
    var note = "χ<sup>2</sup> difference test of nested structural equation models (lavaan's lavTestLRT); " + APA.i("k") + " = free parameters"
    if mlr {
      note += "; MLR: χ<sup>2</sup> are the unscaled statistics, Δχ<sup>2</sup> the Satorra–Bentler (2001) scaled difference (difference scaling factor "
        + Format.fixed(v["scaling"]?.double ?? .nan, 3) + "; unscaled Δχ<sup>2</sup> = " + Format.fixed(v["chisq"]?.double ?? .nan, 2) + ")"
    }
    if let n = items.first?["nobs"]?.double { note += "; " + APA.i("N") + " = " + Format.integer(n) }
    return TableModel(header: header, rows: rows, note: note + ".")
  }

  /// A `group_equal` class in words ("regressions" → "regression paths").
  static func constraintName(_ c: String) -> String {
    switch SEMGroupEqual(rawValue: c) {
    case .regressions?: return "regression paths"
    case .residuals?: return "residual variances"
    case .residualCovariances?: return "residual covariances"
    case .lvVariances?: return "latent variances"
    case .lvCovariances?: return "latent covariances"
    default: return c
    }
  }

  /// "Δχ²(4) = 4.42, *p* = .353"; under MLR the scaled difference, "Δχ²_SB(4) = 4.22, *p* = .378".
  static func semFragment(_ o: ResultValue) -> String? {
    let scaled = o["scaled"] != nil
    guard let x = (scaled ? o["scaled"] : o["chisq"])?.double, let df = o["df"]?.double else { return nil }
    let p = (scaled ? o["p_scaled"] : o["p"])?.double
    return "Δχ<sup>2</sup>" + (scaled ? "<sub>SB</sub>" : "") + "(" + APA.df(df) + ") = " + Format.fixed(x, 2) + (p.map { ", " + APA.p($0) } ?? "")
  }
}
