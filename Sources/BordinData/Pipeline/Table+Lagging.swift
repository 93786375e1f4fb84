/// Lagged and lead copies of columns within groups.
extension Table {
  /// Adds `x_lag` (or `x_lead` when `lead` is true) for each column `x`: the value `1` row
  /// earlier (later) in the same `by` group, with rows taken in `orderBy` order; missing for
  /// the first (last) row of each group. Rows keep their positions in the table.
  ///
  /// Without `by` the whole table is one group; without `orderBy` the table order is used.
  ///
  /// - Throws: ``DataError`` with `option` `["lag"]` or `["lead"]` (or `["by"]`, `["order"]`):
  ///   `data-unknown-column`, or `data-option` when a new column's name is taken.
  public func shifted(_ columns: [String], by: [String], orderBy: [String], lead: Bool = false)
    throws(DataError) -> Table
  {
    let suffix = lead ? "_lead" : "_lag"
    let option = [lead ? "lead" : "lag"]
    let groups = try RowGrouping(table: self, by: by, orderBy: orderBy).groups
    var sources = [Int?](repeating: nil, count: rowCount)
    for g in groups {
      for (position, r) in g.enumerated() {
        let p = lead ? position + 1 : position - 1
        if p >= 0 && p < g.count { sources[r] = g[p] }
      }
    }
    var out = self
    for name in columns {
      guard let c = self[name] else {
        throw DataError.unknownColumn(name, available: names, option: option)
      }
      if out.contains(name + suffix) {
        throw DataError(
          code: "data-option",
          message: "'\(option[0])' would add column '\(name + suffix)', but the data already has one",
          remedy: "rename or drop the existing '\(name + suffix)' first", option: option)
      }
      out[name + suffix] = c.gather(sources)
    }
    return out
  }
}
