// The parameter table of a structural equation model, built as lavaan's `lavaanify` builds it
// for `sem()`.
//
// Implementation goals, in priority order: (1) the same rows, in the same order, with the same
// free/fixed status as lavaan 0.6 for single-group continuous models, so that results can be
// compared row by row; (2) errors point at the model text.
//
// What `sem()` adds to the user's formulas (lavaan `lav_partable_flat`, defaults `auto.var`,
// `auto.fix.first`, `auto.fix.single`, `auto.cov.lv.x`, `auto.cov.y`, `int.ov.free = TRUE`,
// `int.lv.free = FALSE`), after the user's rows and unless the user wrote them:
//   1. (residual) variances of every observed variable that is not exogenous, then of every
//      latent variable;
//   2. covariances among exogenous latent variables;
//   3. covariances among the purely dependent variables (latent, then observed);
//   4. variances and covariances of the exogenous observed variables (lower triangle); they are
//      free parameters here because Bordin models exogenous variables (`fixed.x = FALSE`);
//   5. intercepts of every observed variable (free), then of every latent variable (fixed at 0).
// The first loading of each latent variable is fixed at 1 (marker scaling), and the residual
// variance of a single indicator of a latent variable is fixed at 0. Modifiers then fix
// (`1*x`), free (`NA*x`), label (`a*x`) or start (`start(1)*x`) single rows. Rows sharing a
// label are one parameter (an equality constraint).
//
// Reference: Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. *Journal
// of Statistical Software*, 48(2), 1–36; lavaan 0.6-14 `lav_partable_vnames`, `lav_partable_flat`.

import BordinData

/// One row of the parameter table (lavaan's `parTable`).
public struct SEMTableRow: Sendable, Equatable {
  public var lhs: String
  public var op: LavaanOperator
  /// Right-hand variable; "" for intercepts; the expression text for `:=`.
  public var rhs: String
  /// The user's label, the name for `:=` rows, else "".
  public var label: String
  /// Written in the model syntax (lavaan `user = 1`), as opposed to added by default.
  public var user: Bool
  /// 0-based index into the vector of free parameters; rows with equal labels share it; nil
  /// when the row is fixed (and for `:=` rows).
  public var free: Int?
  /// The value of a fixed row (lavaan `ustart`); the user's start value of a free row, or nil.
  public var value: Double?
  /// Where the row comes from in the model text (nil for rows added by default).
  public var location: LavaanLocation?
}

/// The parameter table of a model with its variable lists.
public struct SEMParameterTable: Sendable, Equatable {
  /// Rows in lavaan's order: the user's formulas, then the default rows, then `:=` rows.
  public var rows: [SEMTableRow]
  /// Observed variables in lavaan's order (`ov.names`): indicators, dependent, independent,
  /// then variables that only appear in `~~` or `~ 1`.
  public var observed: [String]
  /// Latent variables, in order of their first `=~`.
  public var latent: [String]
  /// Exogenous observed variables (lavaan `ov.x`: only predictors, and no `~~` or `~ 1` of
  /// theirs in the model); their covariances are free in the baseline model.
  public var exogenous: [String]
  public var definitions: [LavaanDefinition]
  /// Explicit constraints (`==`, `<`, `>`), their names checked.
  public var constraints: [LavaanConstraint] = []
  /// Number of distinct free parameters (rows with equal labels count once).
  public var freeCount: Int

  /// The row indices of free parameter `k`.
  public func rows(ofFree k: Int) -> [Int] { rows.indices.filter { rows[$0].free == k } }

  /// "lhs op rhs" of a row (`y~x`, `f=~x1`, `y~1`), for messages.
  public func name(ofRow i: Int) -> String {
    let r = rows[i]
    switch r.op {
    case .intercept: return "\(r.lhs) ~1"
    default: return "\(r.lhs) \(r.op.rawValue) \(r.rhs)"
    }
  }

  /// A readable name of free parameter `k` (its first row, and its label).
  public func name(ofFree k: Int) -> String {
    let idx = rows(ofFree: k)
    guard let first = idx.first else { return "parameter \(k + 1)" }
    let label = rows[first].label
    return name(ofRow: first) + (label.isEmpty ? "" : " (\(label))")
  }

  /// Builds the table of `sem(model, fixed.x = FALSE)` with a mean structure.
  ///
  /// - Throws: ``LavaanSyntaxError`` for duplicated elements, regressions of a variable on
  ///   itself, and `:=` definitions that use unknown labels or reuse a name.
  public static func build(_ model: LavaanModel) throws -> SEMParameterTable {
    let flat = model.formulas
    let names = SEMVariableNames(flat)
    let (lv, ov, ovNamesX) = (names.lv, names.ov, names.ovNamesX)
    let user = try checkedUserRows(flat)
    let defaults = defaultRows(names, user: user)

    var rows: [SEMTableRow] = user.map {
      SEMTableRow(
        lhs: $0.lhs, op: $0.op, rhs: $0.rhs, label: "", user: true, free: 0, value: nil,
        location: $0.rhsLocation)
    }
    rows += defaults.map {
      SEMTableRow(lhs: $0.0, op: $0.1, rhs: $0.2, label: "", user: false, free: 0, value: nil, location: nil)
    }
    let next = fixAndNumber(&rows, user: user, latent: names.lvSet)
    try appendDefinitions(model, to: &rows, variables: Set(ov + lv))
    return SEMParameterTable(
      rows: rows, observed: ov, latent: lv, exogenous: ovNamesX, definitions: model.definitions,
      constraints: model.constraints, freeCount: next)
  }

  /// Two elements are the same parameter: same operator and sides, or a covariance written
  /// the other way round.
  static func sameElement(_ a: (String, LavaanOperator, String), _ b: (String, LavaanOperator, String))
    -> Bool
  {
    guard a.1 == b.1 else { return false }
    if a.0 == b.0 && a.2 == b.2 { return true }
    return a.1 == .covariance && a.0 == b.2 && a.2 == b.0
  }

  /// The user's rows, after rejecting regressions of a variable on itself and elements written twice.
  static func checkedUserRows(_ flat: [LavaanFormula]) throws -> [LavaanFormula] {
    // Checks on the user's rows.
    for f in flat {
      if (f.op == .regression || f.op == .measuredBy) && f.lhs == f.rhs {
        throw LavaanSyntaxError(
          line: f.rhsLocation.line, column: f.rhsLocation.column,
          message: f.op == .regression
            ? "'\(f.lhs)' is regressed on itself" : "'\(f.lhs)' is its own indicator",
          remedy: "Use different variables on the two sides")
      }
    }
    var user: [LavaanFormula] = []
    for f in flat {
      if let prior = user.first(where: { sameElement(($0.lhs, $0.op, $0.rhs), (f.lhs, f.op, f.rhs)) }) {
        let what = f.op == .intercept ? "\(f.lhs) ~ 1" : "\(f.lhs) \(f.op.rawValue) \(f.rhs)"
        throw LavaanSyntaxError(
          line: f.rhsLocation.line, column: f.rhsLocation.column,
          message: "'\(what)' is already in the model (line \(prior.rhsLocation.line))",
          remedy: "Write each parameter once; put all its modifiers on one element")
      }
      user.append(f)
    }

    return user
  }

  /// The default rows lavaan adds (lav_partable_flat): variances, covariances among exogenous
  /// latents, among pure outcomes and among exogenous observed variables, and intercepts; less
  /// those the user wrote.
  static func defaultRows(_ names: SEMVariableNames, user: [LavaanFormula]) -> [(String, LavaanOperator, String)] {
    let (lv, ov, ovNox, lvX, lvY, ovYType, ovNamesX) = (
      names.lv, names.ov, names.ovNox, names.lvX, names.lvY, names.ovYType, names.ovNamesX)
    var defaults: [(String, LavaanOperator, String)] = []
    for v in ovNox + lv { defaults.append((v, .covariance, v)) }
    func pairs(_ xs: [String]) -> [(String, String)] {
      var out: [(String, String)] = []
      for i in 0..<xs.count { for j in (i + 1)..<xs.count { out.append((xs[i], xs[j])) } }
      return out
    }
    if lvX.count > 1 { for (a, b) in pairs(lvX) { defaults.append((a, .covariance, b)) } }
    let lvovY = lvY + ovYType
    if lvovY.count > 1 { for (a, b) in pairs(lvovY) { defaults.append((a, .covariance, b)) } }
    for j in 0..<ovNamesX.count {
      for i in j..<ovNamesX.count { defaults.append((ovNamesX[j], .covariance, ovNamesX[i])) }
    }
    for v in ov + lv { defaults.append((v, .intercept, "")) }
    defaults.removeAll { d in user.contains { sameElement(($0.lhs, $0.op, $0.rhs), d) } }

    return defaults
  }

  /// Fixes and frees the rows (auto.fix.first, auto.fix.single, int.lv.free = FALSE, the user's
  /// modifiers, equal labels) and numbers the free parameters; returns their count.
  static func fixAndNumber(_ rows: inout [SEMTableRow], user: [LavaanFormula], latent lvSet: Set<String>) -> Int {
    // free: 0 = free (numbered below), nil = fixed.
    // auto.fix.first: the first loading of each latent variable.
    var seenLV = Set<String>()
    for i in rows.indices where rows[i].op == .measuredBy {
      if seenLV.insert(rows[i].lhs).inserted {
        rows[i].free = nil
        rows[i].value = 1
      }
    }
    // auto.fix.single: a latent variable with one indicator that indicates nothing else.
    let mm = rows.filter { $0.op == .measuredBy }
    let singles = Set(
      Dictionary(grouping: mm, by: \.lhs).filter { $0.value.count == 1 }.map(\.key))
    let rhsCounts = Dictionary(grouping: mm, by: \.rhs).mapValues(\.count)
    let singleIndicators = Set(
      mm.filter { singles.contains($0.lhs) && $0.lhs != $0.rhs && rhsCounts[$0.rhs] == 1 }.map(\.rhs))
    for i in rows.indices
    where !rows[i].user && rows[i].op == .covariance && rows[i].lhs == rows[i].rhs
      && singleIndicators.contains(rows[i].lhs)
    {
      rows[i].free = nil
      rows[i].value = 0
    }
    // int.lv.free = FALSE.
    for i in rows.indices where !rows[i].user && rows[i].op == .intercept && lvSet.contains(rows[i].lhs) {
      rows[i].free = nil
      rows[i].value = 0
    }
    // Modifiers.
    for (k, f) in user.enumerated() {
      let m = f.modifier
      if let v = m.fixed {
        rows[k].free = nil
        rows[k].value = v
      }
      if m.free {
        rows[k].free = 0
        rows[k].value = nil
      }
      // lavaan: a start value is the row's ustart, so on a fixed row it is the fixed value.
      if let s = m.start { rows[k].value = s }
      if let l = m.label { rows[k].label = l }
    }
    // Equal labels: all fixed if any is fixed (at the first fixed value), else one parameter.
    var groups: [String: [Int]] = [:]
    var order: [String] = []
    for i in rows.indices where !rows[i].label.isEmpty {
      if groups[rows[i].label] == nil { order.append(rows[i].label) }
      groups[rows[i].label, default: []].append(i)
    }
    for label in order {
      let idx = groups[label]!
      guard idx.count > 1 else { continue }
      if let fixedRow = idx.first(where: { rows[$0].free == nil }) {
        let v = rows[fixedRow].value
        for i in idx {
          rows[i].free = nil
          rows[i].value = v
        }
      }
    }
    // Number the free parameters; shared labels share the number.
    var next = 0
    var labelIndex: [String: Int] = [:]
    for i in rows.indices where rows[i].free != nil {
      if !rows[i].label.isEmpty, let k = labelIndex[rows[i].label] {
        rows[i].free = k
        continue
      }
      rows[i].free = next
      if !rows[i].label.isEmpty { labelIndex[rows[i].label] = next }
      next += 1
    }

    return next
  }

  /// Appends the ':=' rows after checking their names and the labels they and the constraints use.
  static func appendDefinitions(_ model: LavaanModel, to rows: inout [SEMTableRow], variables: Set<String>)
    throws
  {
    // Defined parameters.
    let labels = Set(rows.map(\.label).filter { !$0.isEmpty })
    var defined: [String] = []
    for d in model.definitions {
      if labels.contains(d.name) || defined.contains(d.name) {
        throw LavaanSyntaxError(
          line: d.location.line, column: d.location.column,
          message: "'\(d.name)' is already the name of a parameter",
          remedy: "Choose a new name for the defined parameter")
      }
      if variables.contains(d.name) {
        throw LavaanSyntaxError(
          line: d.location.line, column: d.location.column,
          message: "'\(d.name)' is a variable of the model",
          remedy: "Choose a name that is not a variable")
      }
      for (n, loc) in d.expression.names where !labels.contains(n) && !defined.contains(n) {
        let known = Array(labels) + defined
        var remedy = "Label the parameter in the model, e.g. 'y ~ \(n)*x'"
        if let near = closestMatch(n, in: known.sorted()) { remedy = "Did you mean '\(near)'?" }
        throw LavaanSyntaxError(
          line: loc.line, column: loc.column,
          message: variables.contains(n)
            ? "'\(n)' is a variable, not a parameter label" : "unknown parameter label '\(n)'",
          remedy: remedy)
      }
      defined.append(d.name)
      rows.append(
        SEMTableRow(
          lhs: d.name, op: .defined, rhs: d.text, label: d.name, user: true, free: nil, value: nil,
          location: d.location))
    }
    for c in model.constraints {
      for (n, loc) in c.lhs.names + c.rhs.names where !labels.contains(n) && !defined.contains(n) {
        var remedy = "Constraints use parameter labels, e.g. 'y ~ a*x1 + b*x2' with 'a == b'"
        if let near = closestMatch(n, in: (Array(labels) + defined).sorted()) { remedy = "Did you mean '\(near)'?" }
        throw LavaanSyntaxError(
          line: loc.line, column: loc.column,
          message: variables.contains(n)
            ? "'\(n)' is a variable, not a parameter label" : "unknown parameter label '\(n)' in a constraint",
          remedy: remedy)
      }
    }
  }
}

/// The variable names of a model's user rows, in lavaan's order (lav_partable_vnames).
struct SEMVariableNames {
  /// Latent variables, observed variables, exogenous observed variables (modelled, fixed.x = FALSE).
  var lv: [String], lvSet: Set<String>, ov: [String], ovNamesX: [String]
  /// Observed variables that are not exogenous; exogenous latents; pure-outcome latents and observed.
  var ovNox: [String], lvX: [String], lvY: [String], ovYType: [String]

  init(_ flat: [LavaanFormula]) {
      func uniq(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
      }
      // lav_partable_vnames on the user's rows.
      let lv = uniq(flat.filter { $0.op == .measuredBy }.map(\.lhs))
      let lvSet = Set(lv)
      let eqsY = uniq(flat.filter { $0.op == .regression }.map(\.lhs))
      let eqsX = uniq(flat.filter { $0.op == .regression }.map(\.rhs))
      let vInd = uniq(flat.filter { $0.op == .measuredBy }.map(\.rhs))
      let ovInd = vInd.filter { !lvSet.contains($0) }
      let ovY0 = eqsY.filter { !lvSet.contains($0) && !ovInd.contains($0) }
      let ovX0 = eqsX.filter { !lvSet.contains($0) && !ovInd.contains($0) && !ovY0.contains($0) }
      let ovCov =
        flat.filter { $0.op == .covariance && !lvSet.contains($0.lhs) }.map(\.lhs)
        + flat.filter { $0.op == .covariance && !lvSet.contains($0.rhs) }.map(\.rhs)
      let ovInt = flat.filter { $0.op == .intercept && !lvSet.contains($0.lhs) }.map(\.lhs)
      let ovTmp = ovInd + ovY0 + ovX0
      let ovExtra = uniq(ovCov + ovInt)
      let ov = ovTmp + ovExtra.filter { !ovTmp.contains($0) }
      // Exogenous observed variables: not if the user wrote their (co)variance or intercept.
      let userMentioned = Set(
        flat.filter { $0.op == .intercept }.map(\.lhs)
          + flat.filter { $0.op == .covariance }.flatMap { [$0.lhs, $0.rhs] })
      let ovNamesX = ovX0.filter { !userMentioned.contains($0) }
      let ovNox = ov.filter { !ovNamesX.contains($0) }
      let lvX = lv.filter { !vInd.contains($0) && !eqsY.contains($0) }
      let pureY = eqsY.filter { !vInd.contains($0) && !eqsX.contains($0) }
      let ovYType = ov.filter { pureY.contains($0) && !lvSet.contains($0) }
      let lvY = lv.filter { pureY.contains($0) }

    self.lv = lv
    self.lvSet = lvSet
    self.ov = ov
    self.ovNamesX = ovNamesX
    self.ovNox = ovNox
    self.lvX = lvX
    self.lvY = lvY
    self.ovYType = ovYType
  }
}
