import BordinData

/// libFuzzer entry: parse and evaluate arbitrary expressions over a small grouped table.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let table = Table([
    ("id", .text(["a", "a", "b", "b", nil])), ("t", .numeric([1, 2, 1, 2, 3])),
    ("x", .numeric([1.5, .nan, -2, 0, 1e300])), ("ok", .logical([true, false, nil, true, false])),
  ])
  if let e = try? ExpressionParser.parse(text) {
    _ = try? EvaluationContext(table: table).evaluate(e)
    _ = try? EvaluationContext(table: table, groupBy: ["id"], orderBy: ["t"]).evaluate(e)
  }
  return 0
}
