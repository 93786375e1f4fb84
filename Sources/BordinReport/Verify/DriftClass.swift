import Foundation

/// How far a recorded full-precision value may drift from a fresh computation on another
/// platform (another CPU, BLAS kernel or OS) and still verify (DESIGN.md §5).
///
/// Floating-point results depend on the order of operations, which BLAS kernels choose per
/// CPU, so across platforms the last bits of a value may differ. `bordin verify` puts every
/// recorded number in one of two classes by what computed it:
///
/// - **closed form** — a fixed sequence of arithmetic and LAPACK calls: `describe`,
///   `correlate`, `regress`, `ttest`, `agree`, `kappa`, `discrepancy`, `crosstab` (Fisher's
///   exact p is a finite sum), `change`, `anova`, `reliability`'s alpha family, and `meta` with a non-iterative τ² (FE, DL, HE, SJ, HS). Rounding differences stay
///   near machine precision: tolerance **1e-10 relative**.
/// - **optimised** — found by an optimiser or an iteration that stops at a tolerance, or
///   computed from such a value (its SE, t, p, df, CI): `lmm`, `growth`, `sem`, `clpm`,
///   `recovery`, `glm` (IRLS), `meta` with REML/ML/PM/EB or a multilevel `random` structure; and in a
///   closed-form kind the iterated parts — `meta`'s Q-profile CIs of τ², I² and H² and its
///   trim-and-fill, `reliability`'s one-factor omega and loadings. Tolerance **1e-7 relative**,
///   far tighter than the tolerances at which these match R (DESIGN.md §9), so a value that
///   drifts this little prints the same.
///
/// - **numerically differentiated** — Satterthwaite df (`lmm`/`growth` `fixed[].df`), which
///   lmerTest and Bordin take from finite-difference derivatives of the covariance of the fixed
///   effects with respect to θ (numDeriv's Richardson scheme). Rounding noise in the deviance,
///   which depends on the BLAS kernel, is divided by the squared step there, so the df drift by
///   up to about 2e-7 relative across OpenBLAS kernels even with θ converged to 1e-11
///   (accurso-2016-perspectives). Tolerance **1e-6 relative**: still a thousand times inside
///   DESIGN.md §9's 1e-3 for df, and printed df are checked exactly against the record anyway.
///
/// Drift is `|recorded − fresh| / max(|recorded|, |fresh|)`; two values both smaller in
/// magnitude than ``zeroFloor`` (the rounding noise of a quantity that is zero in exact
/// arithmetic, like a centred intercept) count as equal. Integers, strings, booleans and the
/// shape of the record must match exactly. Everything outside `directives.*.result` (sources,
/// hashes, params, options, row counts, warnings) must match exactly too; the record's
/// `render` block (render id and platform) is not compared: the pair check covers the id and
/// the platform is only printed.
public enum DriftClass: String, Sendable, CaseIterable {
  case closedForm = "closed form"
  case optimised
  case numericalDerivative = "numerically differentiated"

  public var tolerance: Double {
    switch self {
    case .closedForm: return 1e-10
    case .optimised: return 1e-7
    case .numericalDerivative: return 1e-6
    }
  }

  /// Values smaller than this in magnitude are rounding noise around zero.
  public static let zeroFloor = 1e-12

  /// Kinds whose results are closed forms throughout (iterated fields excepted, see
  /// ``of(kind:method:random:field:)``).
  static let closedKinds: Set<String> = ["data", "describe", "correlate", "regress", "ttest", "agree", "kappa", "discrepancy",
                                         "reliability", "table", "plot", "meta", "crosstab", "change", "anova"]
  /// Kinds whose results come from an optimiser (or are copied from other results).
  static let optimisedKinds: Set<String> = ["lmm", "growth", "sem", "clpm", "recovery", "glm", "compare"]
  /// `meta` τ² estimators without iteration.
  static let closedMetaMethods: Set<String> = ["FE", "DL", "HE", "SJ", "HS"]

  /// The class of a result field: `kind` and the `method` / `random` options of its directive,
  /// and `field`, the path inside `result` (its first step decides).
  public static func of(kind: String, method: String?, random: Bool, field: String) -> DriftClass {
    if ["lmm", "growth"].contains(kind), field == "fixed.df" { return .numericalDerivative }
    if optimisedKinds.contains(kind) || !closedKinds.contains(kind) { return .optimised }
    switch kind {
    case "meta":
      if random || !closedMetaMethods.contains((method ?? "REML").uppercased()) { return .optimised }
      let iterated = ["tau2_ci", "I2_ci", "H2_ci", "trimfill", "tau_ci"]
      return iterated.contains { field.hasPrefix($0) } ? .optimised : .closedForm
    case "reliability":
      return field.hasPrefix("omega") || field.hasPrefix("loadings") ? .optimised : .closedForm
    default:
      return .closedForm
    }
  }

  /// True for a result field that holds a p-value (`p`, `Q_p`, `QM_p`, `fisher_p`, `p_scaled`, …):
  /// its last path step is `p`, ends in `_p` or starts with `p_`.
  public static func isPValue(field: String) -> Bool {
    let key = field.split(separator: ".").last.map(String.init) ?? field
    return key == "p" || key.hasSuffix("_p") || key.hasPrefix("p_")
  }

  /// The drift of two p-values: the smaller of their relative drift and the drift of log p
  /// relative to max(1, |log p|).
  ///
  /// A p-value magnifies the drift of its statistic: for a normal z, d(log p)/d(log z) ≈ z², so
  /// a z of 6.5 that moves by 5e-9 relative moves p ≈ 1e-10 by 2e-7 relative. On the log scale
  /// the drift is the statistic's again (about 2·z·dz/|log p| ≈ 2 dz/z), and the printed value
  /// (`< .001`) cannot change. For p near 1 the two measures agree.
  public static func pValueDrift(_ a: Double, _ b: Double) -> Double {
    let rel = drift(a, b)
    guard rel > 0, a > 0, b > 0, a.isFinite, b.isFinite else { return rel }
    let la = log(a), lb = log(b)
    return min(rel, abs(la - lb) / max(1, abs(la), abs(lb)))
  }

  /// The relative drift between two doubles (0 when they are equal or both below ``zeroFloor``).
  public static func drift(_ a: Double, _ b: Double) -> Double {
    if a == b || (a.isNaN && b.isNaN) { return 0 }
    let scale = max(abs(a), abs(b))
    if scale < zeroFloor { return 0 }
    guard a.isFinite, b.isFinite else { return .infinity }
    return abs(a - b) / scale
  }
}

/// The comparison of a recorded `results.json` tree with a fresh one.
struct RecordComparison {
  /// The largest drift of a number, where it is and its class.
  struct Drift {
    var path: String
    var relative: Double
    var drift: DriftClass
  }

  /// Fields that differ beyond their tolerance (or in type, shape or text), with both values.
  var differences: [String] = []
  /// The largest drift within tolerance, nil when every number is bit-identical.
  var largest: Drift?

  var identical: Bool { differences.isEmpty && largest == nil }

  init(recorded: ResultValue, fresh: ResultValue) {
    guard let r = recorded.fields, let f = fresh.fields else {
      differences.append("the record is not an object")
      return
    }
    let keys = unionKeys(r, f)
    for k in keys where k != "render" {
      let a = recorded[k], b = fresh[k]
      if k == "directives", let da = a?.fields, let db = b?.fields {
        let la = lookup(da), lb = lookup(db)
        for label in unionKeys(da, db) {
          guard let ea = la[label], let eb = lb[label] else {
            differences.append("directives.\(label): \(la[label] == nil ? "not in the record" : "not in a fresh render")")
            continue
          }
          let kind = eb["kind"]?.string ?? ""
          let method = eb["options"]?["method"]?.string
          let random = eb["options"]?["random"] != nil
          compareEntry("directives.\(label)", ea, eb) { field in DriftClass.of(kind: kind, method: method, random: random, field: field) }
        }
      } else {
        walk(k, a, b, nil, field: "")
      }
    }
  }

  private mutating func compareEntry(_ path: String, _ a: ResultValue, _ b: ResultValue, classOf: (String) -> DriftClass) {
    guard let fa = a.fields, let fb = b.fields else { walk(path, a, b, nil, field: ""); return }
    for k in unionKeys(fa, fb) {
      if k == "result", let ra = a[k], let rb = b[k] {
        walkResult(path + ".result", ra, rb, classOf: classOf, field: "")
      } else {
        walk(path + "." + k, a[k], b[k], nil, field: "")
      }
    }
  }

  /// Inside a result: numbers compared at their class's tolerance; `field` is the path below `result`.
  private mutating func walkResult(_ path: String, _ a: ResultValue, _ b: ResultValue, classOf: (String) -> DriftClass, field: String) {
    switch (a, b) {
    case (.object(let x), .object(let y)):
      let dx = lookup(x), dy = lookup(y)
      for k in unionKeys(x, y) {
        guard let u = dx[k], let v = dy[k] else { differences.append("\(path).\(k): \(dx[k] == nil ? "not in the record" : "not in a fresh render")"); continue }
        walkResult(path + "." + k, u, v, classOf: classOf, field: field.isEmpty ? k : field + "." + k)
      }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { differences.append("\(path): \(x.count) items recorded, \(y.count) in a fresh render"); return }
      for (i, (u, v)) in zip(x, y).enumerated() { walkResult("\(path)[\(i)]", u, v, classOf: classOf, field: field) }
    default:
      walk(path, a, b, classOf(field), field: field)
    }
  }

  /// Outside results every value must match exactly (`drift` nil); leaves in results at `drift`.
  private mutating func walk(_ path: String, _ a: ResultValue?, _ b: ResultValue?, _ drift: DriftClass?, field: String) {
    guard let a, let b else { differences.append("\(path): \(a == nil ? "not in the record" : "not in a fresh render")"); return }
    switch (a, b) {
    case (.object(let x), .object(let y)):
      let dx = lookup(x), dy = lookup(y)
      for k in unionKeys(x, y) { walk(path + "." + k, dx[k], dy[k], drift, field: field) }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { differences.append("\(path): \(x.count) items recorded, \(y.count) in a fresh render"); return }
      for (i, (u, v)) in zip(x, y).enumerated() { walk("\(path)[\(i)]", u, v, drift, field: field) }
    case (.int(let x), .int(let y)) where x == y: return
    default:
      if let drift, let x = a.double, let y = b.double {
        let d = DriftClass.isPValue(field: field) ? DriftClass.pValueDrift(x, y) : DriftClass.drift(x, y)
        if d == 0, x == y { return }
        if d <= drift.tolerance {
          if d > (largest?.relative ?? -1) { largest = Drift(path: path, relative: d, drift: drift) }
          return
        }
        differences.append("\(path): recorded \(JSONWriter.number(x)), a fresh render gives \(JSONWriter.number(y)) (relative drift \(shortExp(d)) > \(shortExp(drift.tolerance)) for \(drift.rawValue) values)")
        return
      }
      if a == b { return }
      // Integral doubles are written without a decimal point, so read back as integers.
      if let x = a.double, let y = b.double, x == y { return }
      differences.append("\(path): recorded \(Self.show(a)), a fresh render gives \(Self.show(b))")
    }
  }

  static func show(_ v: ResultValue) -> String {
    let s = JSONWriter.string(v).trimmingCharacters(in: .newlines)
    return s.count > 80 ? String(s.prefix(77)) + "…" : s
  }
}

/// The keys of `a` in order, then those only in `b`.
func unionKeys(_ a: [(String, ResultValue)], _ b: [(String, ResultValue)]) -> [String] {
  var seen = Set(a.map(\.0))
  return a.map(\.0) + b.map(\.0).filter { seen.insert($0).inserted }
}

/// An object's fields by key (the first of duplicates; ``RecordJSON`` refuses duplicates).
func lookup(_ fields: [(String, ResultValue)]) -> [String: ResultValue] {
  Dictionary(fields, uniquingKeysWith: { a, _ in a })
}

/// `3.2e-9`: two significant digits.
func shortExp(_ d: Double) -> String {
  guard d.isFinite, d > 0 else { return d == 0 ? "0" : "\(d)" }
  let e = Int(floor(log10(d)))
  var m = d / pow(10, Double(e))
  var ee = e
  m = (m * 10).rounded() / 10
  if m >= 10 { m /= 10; ee += 1 }
  let ms = m == m.rounded() ? String(Int(m)) : String(format: "%.1f", m)
  return "\(ms)e\(ee)"
}
