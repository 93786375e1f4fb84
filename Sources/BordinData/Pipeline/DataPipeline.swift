/// The steps of a `data` directive, applied to a table in a fixed order.
///
/// The order is: ``longer``, ``wider``, ``derive`` (in the order given; a later expression may use
/// an earlier result), ``filter``, ``center``, ``lag``, ``lead``, ``rename``, ``select``. So
/// expressions see the reshaped data, centering and lags use only the rows that survive the
/// filter, and `rename`/`select` see every column made before them.
///
/// `by` and `order` apply to `derive` and `filter` (grouped functions such as `mean(x)` or
/// `lag(x)` work within groups, in order), and to `center`, `lag` and `lead`. They may name
/// columns made by `derive`: an expression without grouped functions does not need them, and
/// they must exist once `derive` is done.
///
/// Every error carries ``DataError/option``, the place in the directive (`["derive", "name"]`,
/// `["filter"]`, `["center"]`, …); errors in expressions also carry ``DataError/column``, the
/// 1-based character offset in the expression.
public struct DataPipeline: Sendable {
  /// Stack columns into name/value pairs (tidyr `pivot_longer`).
  public var longer: Longer?
  /// Spread name/value pairs into columns (tidyr `pivot_wider`).
  public var wider: Wider?
  /// New or replaced columns: name and expression, evaluated in order.
  public var derive: [(name: String, expression: String)]
  /// A condition; rows where it is `TRUE` are kept (`FALSE` and `NA` are dropped, as dplyr).
  public var filter: String?
  /// Grouping columns for grouped functions, `center`, `lag` and `lead`.
  public var by: [String]
  /// Ordering columns within groups for `lag`, `lead`, `row_number`, `cumsum`.
  public var order: [String]
  /// Columns to split into `x_between` and `x_within` by group (needs `by`).
  public var center: [String]
  /// Columns to add `x_lag` for: the previous row's value in the group's order.
  public var lag: [String]
  /// Columns to add `x_lead` for: the next row's value in the group's order.
  public var lead: [String]
  /// Renames, applied in order.
  public var rename: [(from: String, to: String)]
  /// The columns to keep, in this order; nil keeps all.
  public var select: [String]?

  /// Creates a pipeline; every step defaults to doing nothing.
  public init(
    longer: Longer? = nil, wider: Wider? = nil, derive: [(name: String, expression: String)] = [],
    filter: String? = nil, by: [String] = [], order: [String] = [], center: [String] = [],
    lag: [String] = [], lead: [String] = [], rename: [(from: String, to: String)] = [],
    select: [String]? = nil
  ) {
    self.longer = longer
    self.wider = wider
    self.derive = derive
    self.filter = filter
    self.by = by
    self.order = order
    self.center = center
    self.lag = lag
    self.lead = lead
    self.rename = rename
    self.select = select
  }

  /// Applies the steps to `input`.
  ///
  /// - Throws: the first ``DataError``, with its ``DataError/option`` set.
  public func apply(to input: Table) throws(DataError) -> Table {
    var t = input
    if let longer { t = try t.pivotLonger(longer) }
    if let wider { t = try t.pivotWider(wider) }
    for (name, text) in derive {
      let path = ["derive", name]
      if name.isEmpty {
        throw DataError(
          code: "data-option", message: "a derived column has an empty name",
          remedy: "write derive: {new_name: expression}", option: ["derive"])
      }
      do throws(DataError) {
        let e = try ExpressionParser.parse(text)
        t[name] = try EvaluationContext(table: t, groupBy: by, orderBy: order).evaluate(e)
        let bytes = ExpressionBudget.textBytes(t)
        if bytes > ExpressionBudget.maxTableBytes {
          throw DataError(
            code: "data-too-large",
            message: "after '\(name)' the table holds \(ExpressionBudget.describe(bytes)) of text, more than the limit of \(ExpressionBudget.describe(ExpressionBudget.maxTableBytes))",
            remedy: "text in one table is limited to keep a report from exhausting memory; derive fewer or shorter text columns")
        }
      } catch {
        throw error.at(option: path)
      }
    }
    for (key, names) in [("by", by), ("order", order)] {
      for name in names where !t.contains(name) {
        throw DataError.unknownColumn(name, available: t.names, option: [key])
      }
    }
    if let filter {
      do throws(DataError) {
        t = try Self.filtered(t, condition: filter, by: by, order: order)
      } catch {
        throw error.at(option: ["filter"])
      }
    }
    if !center.isEmpty { t = try t.centered(center, by: by) }
    if !lag.isEmpty { t = try t.shifted(lag, by: by, orderBy: order) }
    if !lead.isEmpty { t = try t.shifted(lead, by: by, orderBy: order, lead: true) }
    for (from, to) in rename {
      guard t.contains(from) else {
        throw DataError.unknownColumn(from, available: t.names, option: ["rename", from])
      }
      if to.isEmpty || (to != from && t.contains(to)) {
        throw DataError(
          code: "data-option",
          message: to.isEmpty
            ? "'rename' gives '\(from)' an empty name"
            : "'rename' would rename '\(from)' to '\(to)', but '\(to)' is already a column",
          remedy: "choose another new name", option: ["rename", from])
      }
      t.rename(from, to: to)
    }
    if let select {
      var seen = Set<String>()
      for name in select {
        guard t.contains(name) else {
          throw DataError.unknownColumn(name, available: t.names, option: ["select"])
        }
        if !seen.insert(name).inserted {
          throw DataError(
            code: "data-option", message: "column '\(name)' is listed twice in 'select'",
            remedy: "list each column once", option: ["select"])
        }
      }
      t = t.selecting(select)
    }
    return t
  }

  /// The rows of `t` where `condition` is `TRUE`.
  static func filtered(_ t: Table, condition: String, by: [String], order: [String])
    throws(DataError) -> Table
  {
    let e = try ExpressionParser.parse(condition)
    let result = try EvaluationContext(table: t, groupBy: by, orderBy: order).evaluate(e)
    guard case .logical(let keep) = result else {
      throw DataError(
        code: "expr-type",
        message: "the filter must give TRUE or FALSE, but '\(condition)' gives \(result.typeName) values",
        remedy: "write a condition, e.g. \(e) > 0 or !is_na(\(e))", column: e.offset + 1)
    }
    return t.rows(keep.indices.filter { keep[$0] == true })
  }
}
