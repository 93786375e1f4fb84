/// A table's or figure's own `labels:` (DESIGN.md §4): a mapping like the front matter's, used
/// for that directive only, over the report's labels.
extension Evaluation {
  /// Runs `body` with the invocation's `labels:` over ``labels`` and restores the report's
  /// labels after it. A label of the directive that names nothing it showed is a warning, as an
  /// unused front-matter label is; what it showed with the report's labels counts as shown for them.
  func withDirectiveLabels<T>(_ inv: Invocation, _ body: () throws(DirectiveFailure) -> T) throws(DirectiveFailure) -> T {
    guard let entries = try OptionReader(inv, self).pairs("labels") else { return try body() }
    let report = labels
    let own = report.overriding(entries.map { ($0.key, $0.value) })
    labels = own
    defer {
      report.record(shownBy: own, except: Set(entries.map(\.key)))
      labels = report
    }
    let result = try body()
    for e in entries where !own.wasShown(e.key) {
      sink.warning(inv.location("labels"), "unused-label", "label '\(e.key)' of \(inv.kind) '\(inv.label)' names no column or term it shows",
                   remedy: "check the name against the columns and terms this \(inv.kind) shows (results.json), or remove it")
    }
    return result
  }
}
