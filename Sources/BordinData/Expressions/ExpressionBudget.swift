/// Size budgets that keep a tiny input from building a huge table.
///
/// The expression language has no loops, but each `derive` step may double a text value
/// (`s2: paste0(s1, s1)`), so 26 short lines could ask for gigabytes; reshapes multiply cells
/// the same way. Every operation that can grow text or cells checks the budget *before*
/// building the result and fails with `data-too-large`, naming the step, the size and the
/// limit. The limits are far above any real report's data (R's own cap on one string is 2³¹ − 1
/// bytes; a report that needs a 1 MiB cell or 50 million cells is not a report).
public enum ExpressionBudget {
  /// The most bytes (UTF-8) one text value may have.
  public static let maxValueBytes = 1 << 20
  /// The most bytes of text one table (or one expression's result) may hold.
  public static let maxTableBytes = 256 << 20
  /// The most cells (rows × columns) one table may have.
  public static let maxCells = 50_000_000

  /// Bytes of text held by `table`'s text columns.
  public static func textBytes(_ table: Table) -> Int {
    var total = 0
    for c in table.columns { total += textBytes(c) }
    return total
  }

  /// Bytes of text in `column` (0 for numbers and logicals).
  public static func textBytes(_ column: Column) -> Int {
    guard case .text(let v) = column else { return 0 }
    var total = 0
    for s in v { total += s?.utf8.count ?? 0 }
    return total
  }

  /// "1 MiB", "256 MiB", "3.2 GiB": a byte count for messages.
  static func describe(_ bytes: Int) -> String {
    let mib = Double(bytes) / 1_048_576
    if mib >= 1024 { return "\(formatShortest((mib / 1024 * 10).rounded() / 10)) GiB" }
    if mib >= 1 { return "\(formatShortest((mib * 10).rounded() / 10)) MiB" }
    return "\(bytes) bytes"
  }

  /// Throws `data-too-large` when a table of `rows` × `columns` would exceed ``maxCells``.
  public static func checkCells(rows: Int, columns: Int, what: String) throws(DataError) {
    let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
    guard overflow || cells > maxCells else { return }
    throw DataError(
      code: "data-too-large",
      message: "\(what) would make \(overflow ? "more than \(Int.max)" : "\(cells)") cells (\(rows) rows × \(columns) columns), more than the limit of \(maxCells)",
      remedy: "reshape fewer columns or filter rows first")
  }
}
