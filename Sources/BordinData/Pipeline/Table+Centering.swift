/// Person-mean centering: splits a variable into its between-group and within-group parts.
extension Table {
  /// Adds `x_between` and `x_within` for each column `x`.
  ///
  /// ```
  /// x_between = mean of the non-missing x in the row's group
  /// x_within  = x − x_between
  /// ```
  ///
  /// `x_between` is missing for a group with no values; `x_within` is missing where `x` is. This
  /// is the decomposition of Curran, P. J., & Bauer, D. J. (2011). The disaggregation of
  /// within-person and between-person effects in longitudinal models of change. *Annual Review
  /// of Psychology, 62*, 583–619. Means are taken over the rows present, so center after
  /// filtering out rows the model will not use.
  ///
  /// - Throws: ``DataError`` with `option` `["center"]` (or `["by"]`): `data-option` without
  ///   grouping columns, for a text column or when a new column's name is taken;
  ///   `data-unknown-column`.
  public func centered(_ columns: [String], by: [String]) throws(DataError) -> Table {
    let option = ["center"]
    if by.isEmpty {
      throw DataError(
        code: "data-option", message: "'center' needs groups, but 'by' is not set",
        remedy: "add by: [the column identifying persons], e.g. by: [client]", option: option)
    }
    let groups = try RowGrouping(table: self, by: by).groups
    var out = self
    for name in columns {
      guard let c = self[name] else {
        throw DataError.unknownColumn(name, available: names, option: option)
      }
      guard let x = c.doubles else {
        throw DataError(
          code: "data-option", message: "'center' needs a numeric column, but '\(name)' is text",
          remedy: "center numeric columns only, or convert it with a derive and as_numeric()",
          option: option)
      }
      for new in [name + "_between", name + "_within"] where out.contains(new) {
        throw DataError(
          code: "data-option",
          message: "'center' would add column '\(new)', but the data already has one",
          remedy: "rename or drop the existing '\(new)' first", option: option)
      }
      var between = [Double](repeating: .nan, count: rowCount)
      for g in groups {
        let m = meanOf(g.compactMap { x[$0].isNaN ? nil : x[$0] })
        for r in g { between[r] = m }
      }
      out[name + "_between"] = .numeric(between)
      out[name + "_within"] = .numeric(zip(x, between).map { $0 - $1 })
    }
    return out
  }
}
