/// Printing recorded values: `bordin verify` renders a page whose results carry the numbers of
/// the record (``RenderOptions/replay``), so the page it is handed must show exactly those
/// numbers' formatting, on whichever platform verify runs.
extension ResultValue {
  /// This tree with each number replaced by the number at the same place in `recorded` (types,
  /// text and shape stay this tree's; where `recorded` has no number there, this one is kept).
  func withNumbers(of recorded: ResultValue) -> ResultValue {
    switch (self, recorded) {
    case (.number, _): return recorded.double.map { .number($0) } ?? self
    case (.object(let f), .object(let r)):
      let byKey = lookup(r)
      return .object(f.map { k, v in (k, byKey[k].map { v.withNumbers(of: $0) } ?? v) })
    case (.array(let a), .array(let r)) where a.count == r.count:
      return .array(zip(a, r).map { $0.withNumbers(of: $1) })
    default: return self
    }
  }
}
