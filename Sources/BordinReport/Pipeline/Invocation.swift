import BordinData

/// One directive block as written in the report: kind, label, options and where it stands.
struct Invocation {
  var kind: String
  var label: String
  /// False when the report gave no `#label` (an automatic one was assigned).
  var labelled: Bool
  /// The opening fence.
  var at: SourceLocation
  /// The option mapping from the block body.
  var options: [(key: String, keyAt: SourceLocation, value: YAMLNode)]
  /// Index of the block in the Markdown document.
  var blockIndex: Int

  func node(_ name: String) -> YAMLNode? { options.first { $0.key == name }?.value }
  func has(_ name: String) -> Bool { node(name) != nil }
  /// Where option `name`'s value stands, or the fence.
  func location(_ name: String) -> SourceLocation { node(name)?.location ?? at }

  /// Labels of directives and names of datasets this invocation reads: `data`, `from`, `of`,
  /// `truth`, and what its definition adds (``DirectiveDefinition/references``).
  var references: [(name: String, at: SourceLocation)] {
    var out: [(name: String, at: SourceLocation)] = ["data", "from", "of", "truth"].compactMap { k in
      guard let n = node(k), let s = n.scalarText else { return nil }
      return (s, n.location)
    }
    for r in directiveDefinition(kind)?.references?(self) ?? [] where !out.contains(where: { $0.name == r.name }) {
      out.append(r)
    }
    return out
  }
}

/// Typed, checked access to an invocation's options. Every failed check records a located
/// diagnostic naming the option and the value, then throws ``DirectiveFailure``.
struct OptionReader {
  let inv: Invocation
  let ev: Evaluation

  init(_ inv: Invocation, _ ev: Evaluation) {
    self.inv = inv
    self.ev = ev
  }

  private func fail(_ name: String, _ message: String, remedy: String? = nil, code: String = "option-value") -> DirectiveFailure {
    ev.sink.error(inv.location(name), code, message, remedy: remedy)
    return DirectiveFailure()
  }

  func has(_ name: String) -> Bool { inv.node(name).map { !$0.isNull } ?? false }

  func string(_ name: String) throws(DirectiveFailure) -> String? {
    guard let n = inv.node(name), !n.isNull else { return nil }
    guard let s = n.scalarText else {
      throw fail(name, "option '\(name)' must be text; got \(n.shape)")
    }
    return s
  }

  func requiredString(_ name: String) throws(DirectiveFailure) -> String {
    guard let s = try string(name), !s.isEmpty else {
      throw fail(name, "\(inv.kind) '\(inv.label)' needs option '\(name)'", remedy: "add '\(name): …' to the block", code: "missing-option")
    }
    return s
  }

  func bool(_ name: String, default d: Bool) throws(DirectiveFailure) -> Bool {
    guard let s = try string(name) else { return d }
    switch s.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: throw fail(name, "option '\(name)' must be true or false; got '\(s)'")
    }
  }

  func number(_ name: String, default d: Double) throws(DirectiveFailure) -> Double {
    guard let s = try string(name) else { return d }
    guard let x = Double(s), x.isFinite else { throw fail(name, "option '\(name)' must be a number; got '\(s)'") }
    return x
  }

  /// A confidence level in (0, 1); `95` is read as 0.95.
  func level(_ name: String = "level") throws(DirectiveFailure) -> Double {
    var x = try number(name, default: 0.95)
    if x > 1, x < 100 { x /= 100 }
    guard x > 0, x < 1 else { throw fail(name, "option '\(name)' must be between 0 and 1 (or 0 and 100); got \(x)") }
    return x
  }

  func choice(_ name: String, _ allowed: [String], default d: String) throws(DirectiveFailure) -> String {
    guard let s = try string(name) else { return d }
    if let hit = allowed.first(where: { $0.lowercased() == s.lowercased() }) { return hit }
    throw fail(name, "option '\(name)' must be one of \(allowed.joined(separator: ", ")); got '\(s)'\(didYouMeanSuffix(s, allowed))")
  }

  /// A list of words; a single scalar is a one-element list.
  func strings(_ name: String) throws(DirectiveFailure) -> [String]? {
    guard let n = inv.node(name), !n.isNull else { return nil }
    switch n {
    case .scalar(let s, _, _): return [s]
    case .list(let items, _):
      var out: [String] = []
      for it in items {
        guard let s = it.scalarText else { throw fail(name, "option '\(name)' must be a list of names; got \(it.shape) in it") }
        out.append(s)
      }
      return out
    case .map: throw fail(name, "option '\(name)' must be a list of names; got a mapping")
    }
  }

  /// An ordered mapping of text to text (`derive`, `rename`).
  func pairs(_ name: String) throws(DirectiveFailure) -> [(key: String, value: String, at: SourceLocation)]? {
    guard let n = inv.node(name), !n.isNull else { return nil }
    guard case .map(let items, _) = n else { throw fail(name, "option '\(name)' must be a mapping of name: value; got \(n.shape)") }
    var out: [(String, String, SourceLocation)] = []
    for it in items {
      guard let v = it.value.scalarText else {
        ev.sink.error(it.value.location, "option-value", "'\(name).\(it.key)' must be text; got \(it.value.shape)")
        throw DirectiveFailure()
      }
      out.append((it.key, v, it.value.location))
    }
    return out
  }

  /// A column of `table` (named `dataName` in messages), with a did-you-mean remedy.
  func column(_ name: String, in table: Table, dataName: String) throws(DirectiveFailure) -> String? {
    guard let s = try string(name) else { return nil }
    try checkColumn(s, option: name, in: table, dataName: dataName)
    return s
  }

  func requiredColumn(_ name: String, in table: Table, dataName: String) throws(DirectiveFailure) -> String {
    let s = try requiredString(name)
    try checkColumn(s, option: name, in: table, dataName: dataName)
    return s
  }

  func columns(_ name: String, in table: Table, dataName: String) throws(DirectiveFailure) -> [String]? {
    guard let list = try strings(name) else { return nil }
    for s in list { try checkColumn(s, option: name, in: table, dataName: dataName) }
    return list
  }

  /// Checks that column `s` is in `table` and, when numeric, holds no infinite value: the one
  /// place every directive passes through for the columns it names (options, formula
  /// variables, model variables), so `Inf` in the data or from a `derive` such as `1/0` is a
  /// located error instead of being dropped as missing, or overflowing a fit.
  func checkColumn(_ s: String, option: String, in table: Table, dataName: String) throws(DirectiveFailure) {
    if let c = table[s] {
      try checkFinite(c, s, option: option, dataName: dataName)
      return
    }
    let hint = didYouMean(s, table.names)
    ev.sink.error(inv.location(option), "unknown-column",
                  "column '\(s)' (option '\(option)') is not in '\(dataName)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""),
                  remedy: hint.map { "write '\($0)'" } ?? "the columns of '\(dataName)' are: \(table.names.prefix(20).joined(separator: ", "))")
    throw DirectiveFailure()
  }

  /// Largest magnitude an estimator accepts: a little below √(greatest finite double) / 1e4, so
  /// that sums of squares of up to 10⁸ such values stay finite.
  static let largestUsable = 1e150

  /// A located `non-finite` error when numeric column `c` (called `col`) holds ±∞, naming the
  /// first row that does. NaN is missing (NA) and is not reported here.
  ///
  /// Values so large that their squares overflow (|x| > 1e150) are refused the same way for
  /// estimators (their variances, correlations and tests would silently become NA); plots draw
  /// them (their axes and fit lines are overflow-safe).
  func checkFinite(_ c: Column, _ col: String, option: String, dataName: String) throws(DirectiveFailure) {
    guard case .numeric(let v) = c else { return }
    if directiveDefinition(inv.kind)?.traits.contains(.figure) != true, let big = v.lazy.filter({ $0.isFinite }).map(abs).max(), big > Self.largestUsable {
      let i = v.firstIndex { abs($0) == big } ?? 0
      throw fail(option, "column '\(col)' of '\(dataName)' holds a value too large to compute with (\(v[i]) in row \(i + 1)); sums of squares would overflow",
                 remedy: "rescale the column (e.g. divide it by a power of ten in 'derive') or remove the extreme values",
                 code: "overflow")
    }
    guard let i = v.firstIndex(where: { $0.isInfinite }) else { return }
    let n = v.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
    throw fail(option, "column '\(col)' of '\(dataName)' holds an infinite value (\(v[i] > 0 ? "Inf" : "-Inf")) in row \(i + 1)\(n > 1 ? " and \(n - 1) other row\(n == 2 ? "" : "s")" : "")",
               remedy: "infinite values come from the data or from a division by zero in 'derive'; replace them with NA (e.g. ifelse(x == 0, NA, y / x)) or filter those rows",
               code: "non-finite")
  }

  /// The numeric values of a column; a text column is a located error naming an offending value,
  /// an infinite value a `non-finite` error.
  func numeric(_ col: String, option: String, in table: Table, dataName: String) throws(DirectiveFailure) -> [Double] {
    guard let c = table[col] else { throw fail(option, "column '\(col)' is not in '\(dataName)'", code: "unknown-column") }
    try checkFinite(c, col, option: option, dataName: dataName)
    if let d = c.doubles { return d }
    var example = ""
    if case .text(let v) = c, let i = v.firstIndex(where: { $0 != nil && Double($0!) == nil }) {
      example = "; row \(i + 1) holds '\(v[i]!)'"
    }
    throw fail(option, "column '\(col)' of '\(dataName)' is not numeric (it holds text)\(example)",
               remedy: "fix or remove the non-numeric cells, or declare them missing with the data source's 'na' list",
               code: "non-numeric")
  }
}
