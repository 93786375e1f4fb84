/// Checking a ``DataPipeline`` against column names before any data is processed.
extension DataPipeline {
  /// All problems that can be found from the input's column names alone: unknown columns in
  /// every step, expression syntax, unknown functions and argument counts, missing `by` for
  /// `center`, clashing new names. Column names are followed through the steps (a derived column
  /// is known to later steps); after `wider`, whose new names depend on the data, column
  /// checks are skipped. Type errors and `wider` duplicates need the data: ``apply(to:)``
  /// finds those.
  ///
  /// - Parameters:
  ///   - columns: the input's column names.
  ///   - dataName: the dataset's name, for messages.
  /// - Returns: the errors in step order, each with its ``DataError/option``.
  public func check(columns input: [String], dataName: String? = nil) -> [DataError] {
    var errors: [DataError] = []
    var names: [String]? = input
    func unknown(_ name: String, _ option: [String]) {
      if let known = names, !known.contains(name) {
        errors.append(
          DataError.unknownColumn(name, available: known, dataName: dataName, option: option))
      }
    }
    func expression(_ text: String, _ option: [String]) {
      do throws(DataError) {
        let e = try ExpressionParser.parse(text)
        errors += e.staticErrors(columns: names, dataName: dataName).map { $0.at(option: option) }
      } catch {
        errors.append(error.at(option: option))
      }
    }
    func add(_ name: String) {
      if names?.contains(name) == false { names?.append(name) }
    }

    if let longer {
      for c in longer.cols { unknown(c, ["longer", "cols"]) }
      if let known = names {
        names = known.filter { !longer.cols.contains($0) } + [longer.namesTo, longer.valuesTo]
      }
    }
    if let wider {
      unknown(wider.namesFrom, ["wider", "names_from"])
      unknown(wider.valuesFrom, ["wider", "values_from"])
      for c in wider.idCols ?? [] { unknown(c, ["wider", "id_cols"]) }
      names = nil
    }
    for (name, text) in derive {
      expression(text, ["derive", name])
      add(name)
    }
    for c in by { unknown(c, ["by"]) }
    for c in order { unknown(c, ["order"]) }
    if let filter { expression(filter, ["filter"]) }
    if !center.isEmpty && by.isEmpty {
      errors.append(
        DataError(
          code: "data-option", message: "'center' needs groups, but 'by' is not set",
          remedy: "add by: [the column identifying persons], e.g. by: [client]",
          option: ["center"]))
    }
    for c in center {
      unknown(c, ["center"])
      add(c + "_between")
      add(c + "_within")
    }
    for c in lag {
      unknown(c, ["lag"])
      add(c + "_lag")
    }
    for c in lead {
      unknown(c, ["lead"])
      add(c + "_lead")
    }
    for (from, to) in rename {
      unknown(from, ["rename", from])
      if let i = names?.firstIndex(of: from) { names?[i] = to }
    }
    for c in select ?? [] { unknown(c, ["select"]) }
    return errors
  }
}
