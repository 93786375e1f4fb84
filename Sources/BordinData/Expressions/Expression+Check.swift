/// Static checks of an expression: problems that can be found from the text and the column
/// names alone, before any data is read.
extension Expression {
  /// Every unknown function, wrong argument count and (when `columns` is given) unknown column in
  /// the expression, in source order. Evaluation finds the same problems, but stops at the first;
  /// type errors need the data and are only found by evaluation.
  ///
  /// - Parameter columns: the columns available, or nil to skip the column check.
  public func staticErrors(columns: [String]?, dataName: String? = nil) -> [DataError] {
    var errors: [DataError] = []
    collect { node in
      switch node {
      case .column(let name, let offset):
        if let columns, !columns.contains(name) {
          errors.append(
            DataError.unknownColumn(
              name, available: columns, dataName: dataName, code: "expr-unknown-column",
              column: offset + 1))
        }
      case .call(let name, let args, let offset):
        do throws(DataError) {
          _ = try ExpressionFunctions.resolve(
            name, arguments: args.count, offset: offset, columns: columns ?? [])
        } catch {
          errors.append(error)
        }
      default: break
      }
    }
    return errors.sorted { ($0.column ?? 0) < ($1.column ?? 0) }
  }
}

extension Table {
  /// The column called `name`, or an error naming the dataset and suggesting the closest name:
  /// "column 'aliance' is not in 'prac'; did you mean 'alliance'?".
  public func column(named name: String, in dataName: String? = nil, option: [String] = [])
    throws(DataError) -> Column
  {
    guard let c = self[name] else {
      throw DataError.unknownColumn(name, available: names, dataName: dataName, option: option)
    }
    return c
  }
}
