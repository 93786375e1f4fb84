/// Listwise deletion helpers: which rows are complete on a set of columns.
extension Table {
  /// The 0-based indices of rows with no missing value in any of `columns` (R's
  /// `complete.cases`). Names that are not columns of the table are ignored.
  public static func completeRows(_ t: Table, columns: [String]) -> [Int] {
    let cs = columns.compactMap { t[$0] }
    return (0..<t.rowCount).filter { r in !cs.contains { $0.isMissing(r) } }
  }

  /// The 0-based indices of rows with a missing value in at least one of `columns`: the rows
  /// listwise deletion drops. Names that are not columns of the table are ignored.
  public static func missingRows(_ t: Table, columns: [String]) -> [Int] {
    let cs = columns.compactMap { t[$0] }
    return (0..<t.rowCount).filter { r in cs.contains { $0.isMissing(r) } }
  }

  /// The 0-based indices of rows with no missing value in any of `columns`.
  public func completeRows(_ columns: [String]) -> [Int] { Self.completeRows(self, columns: columns) }
}
