import BordinData
import BordinStats

// The one place where errors of the lower layers (StatsError, FormulaError, DataError, file
// limits) become located diagnostics (DESIGN.md §6): the code stays the lower layer's, the
// message is prefixed with the directive (or the file) it concerns, the remedy is kept, and
// the location is the option (and the character inside a one-line expression) it names.
// DIAGNOSTICS.md lists every code.

extension Evaluation {
  /// Records a statistics error at `option` and returns the failure to throw.
  func statsFailure(_ e: Error, _ inv: Invocation, option: String) -> DirectiveFailure {
    if let s = e as? StatsError {
      sink.error(inv.location(option), s.code, "\(inv.kind) '\(inv.label)': \(s.message)", remedy: s.remedy.isEmpty ? nil : s.remedy)
    } else if let f = e as? FormulaError {
      var at = inv.location(option)
      if case .scalar(_, let plain, _)? = inv.node(option) { at.column += f.offset + (plain ? 0 : 1) }
      sink.error(at, "formula-syntax", "\(inv.kind) '\(inv.label)': \(f.message)", remedy: f.remedy.isEmpty ? nil : f.remedy)
    } else if let d = e as? DataError {
      return dataFailure(d, inv, option: option)
    } else {
      sink.error(inv.location(option), "stats", "\(inv.kind) '\(inv.label)': \(e)")
    }
    return DirectiveFailure()
  }

  /// Records a data-language or pipeline error of `inv` (at the option and derive entry it
  /// names, `option` when it names none) and returns the failure to throw. `prefixed` puts
  /// "kind 'label': " before the message.
  func dataFailure(_ e: DataError, _ inv: Invocation, option: String? = nil, prefixed: Bool = true) -> DirectiveFailure {
    var err = e
    if err.option.isEmpty, let option { err.option = [option] }
    sink.error(inv.location(of: err), e.code, prefixed ? "\(inv.kind) '\(inv.label)': \(e.message)" : e.message, remedy: e.remedy)
    return DirectiveFailure()
  }
}

extension Evaluation {
  /// Parses and evaluates an expression option against `table` (used by directives that take one).
  func expression(_ text: String, option: String, inv: Invocation, table: Table) throws(DirectiveFailure) -> Column {
    do {
      let e = try ExpressionParser.parse(text)
      return try EvaluationContext(table: table).evaluate(e)
    } catch {
      throw dataFailure(error, inv, option: option, prefixed: false)
    }
  }
}

extension Invocation {
  /// The report position of a pipeline error: the option (and derive entry) it names, plus the
  /// character offset inside a one-line expression.
  func location(of e: DataError) -> SourceLocation {
    guard let first = e.option.first else { return at }
    var node = node(first)
    if e.option.count > 1, case .map(let items, _)? = node, let hit = items.first(where: { $0.key == e.option[1] }) {
      node = hit.value
    }
    guard var loc = node?.location else { return at }
    if let c = e.column, case .scalar(_, let plain, _)? = node { loc.column += (c - 1) + (plain ? 0 : 1) }
    return loc
  }
}

extension DiagnosticSink {
  /// Records an error of reading a data file, database or labels file, named by `context`
  /// ("data file 'x.csv'"), with the line and column the reader gives.
  func record(_ e: DataError, at: SourceLocation, context: String) {
    var msg = context
    if let l = e.line { msg += " line \(l)" }
    if let c = e.column { msg += ", column \(c)" }
    error(at, e.code, msg + ": " + e.message, remedy: e.remedy)
  }
}
