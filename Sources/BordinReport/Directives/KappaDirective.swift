import BordinData
import BordinStats

/// `kappa`: categorical agreement — Cohen's (1960) kappa and weighted kappa (Cohen 1968) with
/// variances and CIs as psych::cohen.kappa (averaged over pairs for three or more raters), and
/// Krippendorff's (2011) alpha at the chosen level of measurement, missing ratings allowed; with
/// three or more raters (or `method: fleiss`) also Fleiss' (1971) kappa for m raters with its SE
/// under the null, z and p, as irr::kappam.fleiss.
enum KappaDirective {
  static let definition = DirectiveDefinition(
    name: "kappa",
    summary: "Cohen's kappa (unweighted, linear, quadratic), Fleiss' kappa (m raters) and Krippendorff's alpha",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "the dataset"),
      OptionSpec(name: "raters", type: .columns, required: true, help: "one column per rater (codes)"),
      OptionSpec(name: "method", type: .choice(["auto", "cohen", "fleiss"]), defaultValue: "auto",
                 help: "auto: Cohen's kappa, plus Fleiss' kappa with three or more raters; cohen: Cohen's only; fleiss: Fleiss' only (irr::kappam.fleiss)"),
      OptionSpec(name: "weights", type: .choice(["none", "linear", "quadratic"]), defaultValue: "quadratic", help: "weights of the weighted kappa"),
      OptionSpec(name: "categories", type: .strings, help: "the declared categories (ratings outside them are errors)"),
      OptionSpec(name: "krippendorff", type: .choice(KrippendorffLevel.allCases.map(\.rawValue)), help: "also Krippendorff's alpha at this level"),
      OptionSpec(name: "variance", type: .choice(["psych", "fleiss-cohen-everitt"]), defaultValue: "psych",
                 help: "weighted-kappa variance: psych's (default, as cohen.kappa) or the published Fleiss–Cohen–Everitt (1969) formula"),
      OptionSpec(name: "level", type: .number, defaultValue: "0.95", help: "confidence level"),
    ],
    fields: [
      FieldSpec(name: "kappa, kappa_ci_lb, kappa_ci_ub, var_kappa", help: "unweighted kappa"),
      FieldSpec(name: "weighted_kappa, weighted_kappa_ci_lb, weighted_kappa_ci_ub, var_weighted", help: "weighted kappa"),
      FieldSpec(name: "n, po, pc", help: "rated units, observed and chance agreement"),
      FieldSpec(name: "pairs[]", help: "three or more raters: each pair's kappas"),
      FieldSpec(name: "alpha", help: "Krippendorff's alpha (with krippendorff)"),
      FieldSpec(name: "fleiss_kappa, fleiss_se, fleiss_z, fleiss_p, fleiss_subjects, fleiss_raters",
                help: "Fleiss' kappa for m raters (three or more raters, or method: fleiss): SE under H₀, z, two-sided p; subjects rated by every rater"),
    ],
    run: run,
    traits: [.cacheable])

  static func run(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    let o = OptionReader(inv, ev)
    let (name, table) = try ev.dataset(for: inv)
    let raters = try o.columns("raters", in: table, dataName: name) ?? []
    guard raters.count >= 2 else {
      ev.sink.error(inv.location("raters"), "too-few-raters", "kappa needs at least two raters; got \(raters.count)",
                    remedy: "list two or more rater columns")
      throw DirectiveFailure()
    }
    let method = try o.choice("method")
    if method == "fleiss" { return try fleissOnly(inv, ev, o, table: table, name: name, raters: raters) }
    let weights = KappaWeights(rawValue: try o.choice("weights")) ?? .quadratic
    let variance: KappaVarianceMethod = try o.choice("variance") == "psych" ? .psych : .fleissCohenEveritt
    let level = try o.level()
    let declared = try o.strings("categories")
    let codes = raters.map { r in (0..<table.rowCount).map { table[r]?.string(at: $0) } }
    var fields: [(String, ResultValue)] = [("raters", .array(raters.map { .string($0) })), ("weights", .string(weights.rawValue))]
    var used = 0
    var warnings: [StatsWarning] = []
    // Numeric codes are categories in numeric order (R's factor levels of numbers: 2 before 10);
    // text codes in sorted order, as psych::cohen.kappa's levels(as.factor(…)).
    let numeric = raters.allSatisfy { table[$0]?.isNumeric ?? false }
    do {
      if numeric {
        var cats: [Double]? = nil
        if let declared {
          cats = []
          for c in declared {
            guard let v = Double(c.trimmingCharacters(in: .whitespaces)), v.isFinite else {
              ev.sink.error(inv.location("categories"), "option-value",
                            "kappa '\(inv.label)': category '\(c)' is not a number, but the raters' codes are numeric",
                            remedy: "declare the numeric codes (e.g. [1, 2, 3])")
              throw DirectiveFailure()
            }
            cats!.append(v)
          }
        }
        let values = try raters.map { r throws(DirectiveFailure) in try o.numeric(r, option: "raters", in: table, dataName: name) }
        if raters.count == 2 {
          let k = try CohenKappa.compute(values[0], values[1], names: (raters[0], raters[1]), categories: cats, weights: weights,
                                         level: level, variance: variance)
          fields += kappaFields(k)
          used = Int(k.n)
          warnings += k.warnings
        } else {
          let m = try CohenKappa.pairwise(values, raters: raters, categories: cats, weights: weights, level: level, variance: variance)
          fields += pairFields(m)
          (used, warnings) = pairRows(m, codes: codes, warnings: warnings)
        }
      } else {
        if weights != .none, declared == nil {
          let order = Set(codes.flatMap { $0.compactMap { $0 } }).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
          warnings.append("weighted kappa with text codes weights the categories in sorted order (\(order.joined(separator: ", "))), as psych's cohen.kappa; declare 'categories' for another order")
        }
        if raters.count == 2 {
          let k = try CohenKappa.codes(codes[0], codes[1], names: (raters[0], raters[1]), categories: declared, weights: weights,
                                       level: level, variance: variance)
          fields += kappaFields(k)
          used = Int(k.n)
          warnings += k.warnings
        } else {
          let m = try CohenKappa.pairwiseCodes(codes, raters: raters, categories: declared, weights: weights, level: level, variance: variance)
          fields += pairFields(m)
          (used, warnings) = pairRows(m, codes: codes, warnings: warnings)
        }
      }
      if method == "auto", raters.count >= 3 {
        do {
          let f = try FleissKappa.compute(codes, raters: raters)
          fields += fleissFields(f)
          if f.subjects < used {
            warnings.append("Fleiss' kappa uses the \(f.subjects) units rated by all \(raters.count) raters (irr: na.omit); the pairwise kappas use \(used)")
          }
        } catch let e as StatsError {
          warnings.append("Fleiss' kappa not computed: \(e.message)")
        }
      }
      if let lv = try o.string("krippendorff") {
        let level = KrippendorffLevel(rawValue: try o.choice("krippendorff", KrippendorffLevel.allCases.map(\.rawValue), default: lv)) ?? .nominal
        let a: KrippendorffResult
        if level == .nominal, raters.contains(where: { !(table[$0]?.isNumeric ?? false) }) {
          a = try KrippendorffAlpha.nominal(codes: codes, raters: raters)
        } else {
          let numeric = try raters.map { r throws(DirectiveFailure) in try o.numeric(r, option: "raters", in: table, dataName: name) }
          a = try KrippendorffAlpha.compute(numeric, raters: raters, level: level)
        }
        fields += [("alpha", .num(a.alpha)), ("alpha_level", .string(level.rawValue)), ("alpha_pairable", .num(a.pairableValues))]
      }
    } catch let f as DirectiveFailure { throw f } catch { throw ev.statsFailure(error, inv, option: "raters") }
    return DirectiveOutput(result: .object(fields), data: name, rowsUsed: used, rowsDropped: max(0, table.rowCount - used),
                           droppedReason: table.rowCount > used ? "units without a rating from both raters" : nil,
                           method: "Cohen's kappa, \(weights.rawValue) weights, \(variance == .psych ? "psych" : "Fleiss–Cohen–Everitt") variance\(fields.contains { $0.0 == "fleiss_kappa" } ? "; Fleiss' kappa for m raters (irr)" : "")",
                           warnings: warnings)
  }

  /// `method: fleiss`: Fleiss' kappa only (irr::kappam.fleiss, exact = FALSE). The Cohen-only
  /// options (weights, variance, level) are refused rather than ignored; declared categories are
  /// checked; Krippendorff's alpha is not combined (ask for it with the default method).
  static func fleissOnly(_ inv: Invocation, _ ev: Evaluation, _ o: OptionReader, table: Table, name: String,
                         raters: [String]) throws(DirectiveFailure) -> DirectiveOutput {
    var conflict = false
    for k in ["weights", "variance", "level", "krippendorff"] where inv.node(k).map({ !$0.isNull }) ?? false {
      ev.sink.error(inv.location(k), "option-conflict",
                    "kappa '\(inv.label)': '\(k)' does not apply with 'method: fleiss' (Fleiss' kappa is unweighted, with its SE under the null hypothesis)",
                    remedy: "remove '\(k)', or use the default method (Cohen's kappa, with Fleiss' kappa for three or more raters)")
      conflict = true
    }
    if conflict { throw DirectiveFailure() }
    let codes = raters.map { r in (0..<table.rowCount).map { table[r]?.string(at: $0) } }
    if let declared = try o.strings("categories") {
      let numeric = raters.allSatisfy { table[$0]?.isNumeric ?? false }
      let known = { (c: String) -> Bool in
        numeric ? declared.contains { Double($0.trimmingCharacters(in: .whitespaces)) == Double(c) } : declared.contains(c)
      }
      for (k, column) in codes.enumerated() {
        if let i = column.indices.first(where: { column[$0].map { !known($0) } ?? false }) {
          ev.sink.error(inv.location("categories"), "undeclared-category",
                        "kappa '\(inv.label)': rater '\(raters[k])' row \(i + 1) has '\(column[i]!)', not one of the declared categories",
                        remedy: "add it to 'categories' or correct the rating")
          throw DirectiveFailure()
        }
      }
    }
    let f: FleissKappaResult
    do { f = try FleissKappa.compute(codes, raters: raters) } catch { throw ev.statsFailure(error, inv, option: "raters") }
    let fields: [(String, ResultValue)] = [("raters", .array(raters.map { .string($0) })), ("method", .string("fleiss"))] + fleissFields(f)
    return DirectiveOutput(result: .object(fields), data: name, rowsUsed: f.subjects, rowsDropped: table.rowCount - f.subjects,
                           droppedReason: table.rowCount > f.subjects ? "units without a rating from every rater" : nil,
                           method: "Fleiss' kappa for m raters, SE under H₀ (irr::kappam.fleiss)", warnings: [])
  }

  static func fleissFields(_ f: FleissKappaResult) -> [(String, ResultValue)] {
    [("fleiss_kappa", .num(f.kappa)), ("fleiss_se", .num(f.se)), ("fleiss_z", .num(f.z)), ("fleiss_p", .num(f.p)),
     ("fleiss_subjects", .int(f.subjects)), ("fleiss_raters", .int(f.raters)), ("fleiss_po", .num(f.observedAgreement)),
     ("fleiss_pe", .num(f.expectedAgreement)), ("fleiss_categories", .array(f.categories.map { .string($0) }))]
  }

  /// Rows used by three or more raters' pairwise kappas: those with at least two ratings (each
  /// pair uses its own complete units, as psych); a warning when the pairs' n differ.
  static func pairRows(_ m: KappaMatrixResult, codes: [[String?]], warnings: [StatsWarning]) -> (Int, [StatsWarning]) {
    let rows = codes.first?.indices.filter { i in codes.filter { $0[i] != nil }.count >= 2 }.count ?? 0
    var w = warnings
    let ns = m.pairs.map { Int($0.n) }
    if let lo = ns.min(), let hi = ns.max(), lo != hi {
      w.append("the rater pairs use different units (n from \(lo) to \(hi)): each pair's kappa uses the units both raters rated")
    }
    return (rows, w)
  }

  static func pairFields(_ m: KappaMatrixResult) -> [(String, ResultValue)] {
    [("kappa", .num(m.averageKappa)), ("weighted_kappa", .num(m.averageWeightedKappa)),
     ("pairs", .array(m.pairs.map { .object([("x", .string($0.x)), ("y", .string($0.y))] + kappaFields($0)) }))]
  }

  static func kappaFields(_ k: CohenKappaResult) -> [(String, ResultValue)] {
    [("n", .num(k.n)), ("po", .num(k.observedAgreement)), ("pc", .num(k.expectedAgreement)),
     ("kappa", .num(k.kappa)), ("var_kappa", .num(k.varKappa)), ("kappa_ci_lb", .num(k.kappaCILower)), ("kappa_ci_ub", .num(k.kappaCIUpper)),
     ("weighted_kappa", .num(k.weightedKappa)), ("var_weighted", .num(k.varWeighted)),
     ("weighted_kappa_ci_lb", .num(k.weightedKappaCILower)), ("weighted_kappa_ci_ub", .num(k.weightedKappaCIUpper)),
     ("categories", .array(k.categories.map { .string($0) }))]
  }
}
