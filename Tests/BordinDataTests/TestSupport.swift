import XCTest

@testable import BordinData

/// Runs `body`, which must throw a ``DataError``, and returns the error.
func assertDataError<T>(
  _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> DataError? {
  do {
    let value = try body()
    XCTFail("expected a DataError, got \(value)", file: file, line: line)
    return nil
  } catch let error as DataError {
    return error
  } catch {
    XCTFail("expected a DataError, got \(error)", file: file, line: line)
    return nil
  }
}

/// Parses CSV text with the default options.
func csv(_ text: String, options: CSVOptions = .init()) throws(DataError) -> Table {
  try CSVReader.read(Array(text.utf8), options: options)
}

/// Evaluates `text` over `table`.
func eval(
  _ text: String, _ table: Table = Table([("x", .numeric([1]))]), by: [String] = [],
  order: [String] = []
) throws(DataError) -> Column {
  try EvaluationContext(table: table, groupBy: by, orderBy: order).evaluate(text)
}

/// The numbers of a numeric column, or nil.
func numbers(_ c: Column) -> [Double]? {
  if case .numeric(let v) = c { return v }
  return nil
}

/// Asserts that two number arrays agree, treating NaN as equal to NaN.
func assertNumbers(
  _ actual: Column, _ expected: [Double], accuracy: Double = 0,
  file: StaticString = #filePath, line: UInt = #line
) {
  guard let a = numbers(actual) else {
    XCTFail("expected a numeric column, got \(actual)", file: file, line: line)
    return
  }
  XCTAssertEqual(a.count, expected.count, "length", file: file, line: line)
  for (x, y) in zip(a, expected) {
    if x.isNaN || y.isNaN {
      XCTAssert(x.isNaN && y.isNaN, "\(a) != \(expected)", file: file, line: line)
    } else if accuracy == 0 {
      XCTAssertEqual(x, y, "\(a) != \(expected)", file: file, line: line)
    } else {
      XCTAssertEqual(x, y, accuracy: accuracy, "\(a) != \(expected)", file: file, line: line)
    }
  }
}
