import BordinData
import BordinStats

/// libFuzzer entry: parse arbitrary lavaan syntax, build its parameter table and fit it to a
/// small data set with missing values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLavaan(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let model = try? LavaanModel.parse(text) else { return 0 }
  guard (try? SEMParameterTable.build(model)) != nil else { return 0 }
  let table = Table([
    ("x1", .numeric([1, 2, 3, 4, 5, 6, 7, 8])), ("x2", .numeric([2, 1, 4, 3, 6, 5, .nan, 7])),
    ("y1", .numeric([1.5, 2.5, 2, 4, 4.5, 6, 6.5, .nan])), ("y2", .numeric([3, 2, 5, 4, 7, 5, 8, 9])),
  ])
  _ = try? SEM.fit(model: model, data: table, options: SEMOptions(maxIterations: 50))
  return 0
}
