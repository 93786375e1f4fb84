/// The rows of a table split into groups by the values of some columns, each group's rows in
/// a given order.
///
/// Groups appear in order of first appearance in the table; rows with missing values in a
/// grouping column form their own group, as in dplyr. Within a group, rows are sorted by the
/// ordering columns (ascending, missing last, text by Unicode scalar order); the sort is
/// stable, so ties keep their table order. Without grouping columns there is one group holding
/// every row (none when the table is empty).
public struct RowGrouping: Sendable, Equatable {
  /// Row indices (0-based) of each group, in evaluation order.
  public let groups: [[Int]]

  /// Groups the rows of `table`.
  ///
  /// - Throws: ``DataError`` `data-unknown-column` when a column does not exist.
  public init(table: Table, by: [String] = [], orderBy: [String] = []) throws(DataError) {
    var keyColumns: [Column] = []
    for name in by {
      guard let c = table[name] else {
        throw DataError.unknownColumn(name, available: table.names, option: ["by"])
      }
      keyColumns.append(c)
    }
    var orderColumns: [Column] = []
    for name in orderBy {
      guard let c = table[name] else {
        throw DataError.unknownColumn(name, available: table.names, option: ["order"])
      }
      orderColumns.append(c)
    }
    let n = table.rowCount
    var groups: [[Int]]
    if keyColumns.isEmpty {
      groups = n == 0 ? [] : [Array(0..<n)]
    } else {
      let codes = keyColumns.map(Self.codes)
      var index: [[Int]: Int] = [:]
      groups = []
      var key = [Int](repeating: 0, count: codes.count)
      for r in 0..<n {
        for k in 0..<codes.count { key[k] = codes[k][r] }
        if let g = index[key] {
          groups[g].append(r)
        } else {
          index[key] = groups.count
          groups.append([r])
        }
      }
    }
    if !orderColumns.isEmpty {
      groups = groups.map { rows in
        rows.sorted { a, b in
          for c in orderColumns {
            let d = c.compareRows(a, b)
            if d != 0 { return d < 0 }
          }
          return a < b
        }
      }
    }
    self.groups = groups
  }

  /// Dense integer codes for a column's values, in order of first appearance; missing values
  /// share one code, and `0` and `-0` are the same value.
  static func codes(_ c: Column) -> [Int] {
    switch c {
    case .numeric(let v):
      var seen: [UInt64: Int] = [:]
      return v.map { x in
        let bits = x.isNaN ? Double.nan.bitPattern : (x == 0 ? 0 : x.bitPattern)
        if let code = seen[bits] { return code }
        seen[bits] = seen.count
        return seen.count - 1
      }
    case .text(let v):
      var seen: [String?: Int] = [:]
      return v.map { x in
        if let code = seen[x] { return code }
        seen[x] = seen.count
        return seen.count - 1
      }
    case .logical(let v):
      return v.map { $0.map { $0 ? 1 : 0 } ?? 2 }
    }
  }
}
