/// Which child of a report a line comes from: the `each` or `include` directive that inserted
/// it, the row's key (for `each`), and the child template's path as diagnostics name it.
struct ChildOrigin: Sendable, Equatable {
  /// The label of the `each` or `include` block (`articles`), or its kind when unlabelled.
  var directive: String
  /// The row's key (`each` only); nested children join their keys with `-`.
  var key: String?
  /// The child template, as diagnostics and provenance name it (`templates/prn-article.md`).
  var template: String
}

/// Where each line of a report's expanded source (its body with every `each` and `include`
/// replaced by the children's text, DESIGN.md §2 "Child documents") came from, so that
/// diagnostics and provenance name the child file and its own line, not the expanded text's.
///
/// Lines not in the map (the front matter, and every line of a report without children) are
/// the report's own, unchanged.
struct SourceLineMap: Sendable {
  struct Entry: Sendable, Equatable {
    var file: String
    var line: Int
    var child: ChildOrigin?
  }

  /// The first expanded line the entries describe (the first body line).
  var firstLine: Int
  /// One entry per expanded line from `firstLine` on.
  var entries: [Entry]

  /// The file and line that expanded line `line` stands for; nil when it is the report's own
  /// line with the same number.
  func locate(_ line: Int) -> Entry? {
    let i = line - firstLine
    guard i >= 0, i < entries.count else { return nil }
    return entries[i]
  }
}
