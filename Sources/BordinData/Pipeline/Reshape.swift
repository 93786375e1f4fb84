/// Options for ``Table/pivotLonger(_:)``, like tidyr's `pivot_longer`.
public struct Longer: Sendable, Equatable {
  /// The columns to stack, in order.
  public var cols: [String]
  /// The new column holding the stacked columns' names (YAML `names_to`).
  public var namesTo: String
  /// The new column holding their values (YAML `values_to`).
  public var valuesTo: String

  /// Creates the options; the defaults name the new columns `name` and `value`, as tidyr.
  public init(cols: [String], namesTo: String = "name", valuesTo: String = "value") {
    self.cols = cols
    self.namesTo = namesTo
    self.valuesTo = valuesTo
  }
}

/// Options for ``Table/pivotWider(_:)``, like tidyr's `pivot_wider`.
public struct Wider: Sendable, Equatable {
  /// The column whose values become new column names (YAML `names_from`).
  public var namesFrom: String
  /// The column whose values fill the new columns (YAML `values_from`).
  public var valuesFrom: String
  /// The columns that identify an output row (YAML `id_cols`); nil means every other column.
  public var idCols: [String]?
  /// Text put before each new column name (YAML `names_prefix`), e.g. `wave_`.
  public var namesPrefix: String

  /// Creates the options.
  public init(namesFrom: String, valuesFrom: String, idCols: [String]? = nil, namesPrefix: String = "") {
    self.namesFrom = namesFrom
    self.valuesFrom = valuesFrom
    self.idCols = idCols
    self.namesPrefix = namesPrefix
  }
}

extension Table {
  /// Stacks `spec.cols` into two columns, one row per input row and stacked column.
  ///
  /// The other columns come first and are repeated; then `namesTo` (text: the stacked column's
  /// name) and `valuesTo`. Rows are ordered by input row, then by the order of `cols`. The
  /// stacked columns must share a type, except that numbers and logicals combine to numbers and
  /// an all-missing column (which reads as logical) fits any type.
  ///
  /// - Throws: ``DataError`` with `option` `["longer", …]`: `data-unknown-column`, or
  ///   `data-option` for an empty or repeated `cols`, a clashing new name or mixed types.
  public func pivotLonger(_ spec: Longer) throws(DataError) -> Table {
    let option = ["longer"]
    if spec.cols.isEmpty {
      throw DataError(
        code: "data-option", message: "'cols' of 'longer' is empty",
        remedy: "list the columns to stack, e.g. cols: [wave1, wave2, wave3]",
        option: option + ["cols"])
    }
    var stacked: [Column] = []
    for name in spec.cols {
      guard let c = self[name] else {
        throw DataError.unknownColumn(name, available: names, option: option + ["cols"])
      }
      if stacked.count != spec.cols.firstIndex(of: name) {
        throw DataError(
          code: "data-option", message: "column '\(name)' is listed twice in 'cols' of 'longer'",
          remedy: "list each column once", option: option + ["cols"])
      }
      stacked.append(c)
    }
    let kept = names.filter { !spec.cols.contains($0) }
    for (key, new) in [("names_to", spec.namesTo), ("values_to", spec.valuesTo)] {
      if new.isEmpty {
        throw DataError(
          code: "data-option", message: "'\(key)' of 'longer' is empty",
          remedy: "name the new column", option: option + [key])
      }
      if kept.contains(new) {
        throw DataError(
          code: "data-option",
          message: "'\(key)' of 'longer' is '\(new)', which is already a column",
          remedy: "choose another name, or add '\(new)' to 'cols'", option: option + [key])
      }
    }
    if spec.namesTo == spec.valuesTo {
      throw DataError(
        code: "data-option",
        message: "'names_to' and 'values_to' of 'longer' are both '\(spec.namesTo)'",
        remedy: "give the two new columns different names", option: option + ["values_to"])
    }
    let k = spec.cols.count
    do throws(DataError) {
      try ExpressionBudget.checkCells(rows: rowCount * k, columns: kept.count + 2, what: "'longer'")
      let keptText = kept.reduce(0) { $0 + (self[$1].map(ExpressionBudget.textBytes) ?? 0) }
      let (bytes, overflow) = keptText.multipliedReportingOverflow(by: k)
      if overflow || bytes > ExpressionBudget.maxTableBytes {
        throw DataError(code: "data-too-large",
                        message: "'longer' would repeat the other columns' text \(k) times, more than the limit of \(ExpressionBudget.describe(ExpressionBudget.maxTableBytes))",
                        remedy: "select fewer columns before reshaping")
      }
    } catch {
      throw error.at(option: option + ["cols"])
    }
    let values = try Self.stack(stacked, names: spec.cols, option: option + ["cols"])
    var rowIndex: [Int] = []
    rowIndex.reserveCapacity(rowCount * k)
    var labels: [String?] = []
    labels.reserveCapacity(rowCount * k)
    for r in 0..<rowCount {
      for name in spec.cols {
        rowIndex.append(r)
        labels.append(name)
      }
    }
    var pairs: [(String, Column)] = kept.compactMap { n in self[n].map { (n, $0.select(rowIndex)) } }
    pairs.append((spec.namesTo, .text(labels)))
    pairs.append((spec.valuesTo, values))
    return Table(pairs)
  }

  /// Interleaves columns row by row (row 1 of each, then row 2 of each, …) into one column of
  /// their common type.
  static func stack(_ columns: [Column], names: [String], option: [String]) throws(DataError)
    -> Column
  {
    func allMissing(_ c: Column) -> Bool { c.missingCount == c.count }
    let informative = columns.enumerated().filter { !allMissing($0.element) || columns.count == 1 }
    let anyText = informative.contains { if case .text = $0.element { return true } else { return false } }
    if anyText, let other = informative.first(where: { if case .text = $0.element { return false } else { return true } }),
      let text = informative.first(where: { if case .text = $0.element { return true } else { return false } })
    {
      throw DataError(
        code: "data-option",
        message: "the columns to stack have different types: '\(names[text.offset])' is text "
          + "but '\(names[other.offset])' is \(other.element.typeName)",
        remedy: "stack columns of one type, or derive a converted column first "
          + "(as_numeric() or as_character())", option: option)
    }
    let rows = columns.first?.count ?? 0
    let order = (0..<rows).flatMap { r in columns.indices.map { (r, $0) } }
    if anyText {
      let v = columns.map { c -> [String?] in
        if case .text(let x) = c { return x }
        return [String?](repeating: nil, count: c.count)
      }
      return .text(order.map { v[$0.1][$0.0] })
    }
    let allLogical = informative.allSatisfy { if case .logical = $0.element { return true } else { return false } }
    if allLogical {
      let v = columns.map { c -> [Bool?] in
        if case .logical(let x) = c { return x }
        return [Bool?](repeating: nil, count: c.count)
      }
      return .logical(order.map { v[$0.1][$0.0] })
    }
    let v = columns.map { $0.doubles ?? [Double](repeating: .nan, count: $0.count) }
    return .numeric(order.map { v[$0.1][$0.0] })
  }

  /// Spreads `spec.valuesFrom` into one column per distinct value of `spec.namesFrom`.
  ///
  /// New columns are named by the `namesFrom` values (numbers in shortest form, missing as
  /// `NA`), prefixed with `namesPrefix`, in order of first appearance; they follow the id
  /// columns. There is one output row per distinct combination of id values, in order of first
  /// appearance. Combinations that do not occur are missing.
  ///
  /// - Throws: ``DataError`` with `option` `["wider", …]`: `data-unknown-column`,
  ///   `data-option` for a new name that clashes with an id column, or `data-wider-duplicate`
  ///   when two rows have the same id values and name (naming both rows and the values).
  public func pivotWider(_ spec: Wider) throws(DataError) -> Table {
    let option = ["wider"]
    guard let nameColumn = self[spec.namesFrom] else {
      throw DataError.unknownColumn(spec.namesFrom, available: names, option: option + ["names_from"])
    }
    guard let valueColumn = self[spec.valuesFrom] else {
      throw DataError.unknownColumn(
        spec.valuesFrom, available: names, option: option + ["values_from"])
    }
    if spec.namesFrom == spec.valuesFrom {
      throw DataError(
        code: "data-option",
        message: "'names_from' and 'values_from' of 'wider' are both '\(spec.namesFrom)'",
        remedy: "take names and values from different columns", option: option + ["values_from"])
    }
    let ids = spec.idCols ?? names.filter { $0 != spec.namesFrom && $0 != spec.valuesFrom }
    for id in ids where self[id] == nil {
      throw DataError.unknownColumn(id, available: names, option: option + ["id_cols"])
    }
    if let bad = ids.first(where: { $0 == spec.namesFrom || $0 == spec.valuesFrom }) {
      throw DataError(
        code: "data-option",
        message: "'id_cols' of 'wider' includes '\(bad)', which is names_from or values_from",
        remedy: "remove '\(bad)' from 'id_cols'", option: option + ["id_cols"])
    }
    // Output columns, in order of first appearance.
    var newNames: [String] = []
    var nameIndex: [String: Int] = [:]
    var nameOfRow = [Int](repeating: 0, count: rowCount)
    for r in 0..<rowCount {
      let label = spec.namesPrefix + (nameColumn.string(at: r) ?? "NA")
      if let k = nameIndex[label] {
        nameOfRow[r] = k
      } else {
        nameIndex[label] = newNames.count
        nameOfRow[r] = newNames.count
        newNames.append(label)
      }
    }
    if let clash = newNames.first(where: ids.contains) {
      throw DataError(
        code: "data-option",
        message: "'wider' would make a column '\(clash)', but an id column has that name",
        remedy: "set 'names_prefix', or rename the id column first", option: option + ["names_from"])
    }
    // Output rows: one per id combination.
    let idTable = selecting(ids)
    let grouping: RowGrouping
    do throws(DataError) {
      grouping = try RowGrouping(table: idTable, by: ids)
    } catch {
      throw error.at(option: option + ["id_cols"])
    }
    let groups = grouping.groups
    do throws(DataError) {
      try ExpressionBudget.checkCells(rows: groups.count, columns: ids.count + newNames.count, what: "'wider'")
    } catch {
      throw error.at(option: option + ["names_from"])
    }
    var cell = [Int?](repeating: nil, count: groups.count * newNames.count)
    for (g, rows) in groups.enumerated() {
      for r in rows {
        let slot = g * newNames.count + nameOfRow[r]
        if let earlier = cell[slot] {
          let idText = ids.map { "\($0) = \(self[$0]?.string(at: r) ?? "NA")" }
            .joined(separator: ", ")
          throw DataError(
            code: "data-wider-duplicate",
            message: "rows \(earlier + 1) and \(r + 1) both have "
              + (ids.isEmpty ? "" : "\(idText) and ")
              + "\(spec.namesFrom) = \(nameColumn.string(at: r) ?? "NA")",
            remedy: "add the column that tells these rows apart to 'id_cols', "
              + "or summarise the duplicates first", option: option)
        }
        cell[slot] = r
      }
    }
    let firstRows = groups.map { $0[0] }
    var pairs: [(String, Column)] = ids.compactMap { id in self[id].map { (id, $0.select(firstRows)) } }
    for (k, name) in newNames.enumerated() {
      let sources = (0..<groups.count).map { cell[$0 * newNames.count + k] }
      pairs.append((name, valueColumn.gather(sources)))
    }
    if pairs.isEmpty { return Table() }
    return Table(pairs)
  }
}
