import BordinData
import BordinStats

/// libFuzzer entry: parse arbitrary R formulas and build their model matrices.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormula(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let table = Table([
    ("y", .numeric([1, 2, 3, 4, 5, 6])), ("x", .numeric([0.5, 1, 1.5, 3, 2, 7])),
    ("g", .text(["a", "b", "a", "b", "c", "c"])), ("z", .numeric([2, 1, 0, 1, 2, 3])),
  ])
  if let f = try? Formula.parse(text) {
    _ = try? ModelMatrix.build(f, data: table)
    _ = try? Regression.fit(f, data: table)
  }
  return 0
}
