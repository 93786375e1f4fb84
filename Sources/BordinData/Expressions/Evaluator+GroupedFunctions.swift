/// The grouped functions of the expression language: summaries broadcast to their group's rows,
/// and order-dependent functions (`scale`, `lag`, `lead`, `row_number`, `cumsum`).
extension Evaluator {
  func groupedCall(_ name: String, _ args: [Value], offset: Int) throws(DataError) -> Value {
    let what = "\(name)()"
    switch name {
    case "n":
      guard let x = args.first else {
        var out = [Double](repeating: 0, count: n)
        for g in groups { for r in g { out[r] = Double(g.count) } }
        return Value(data: .numeric(out), shape: .rows, offset: offset)
      }
      if x.shape == .scalar {
        return Value(data: .numeric([x.data.isMissing(0) ? 0 : 1]), shape: .scalar, offset: offset)
      }
      var out = [Double](repeating: 0, count: n)
      for g in groups {
        var k = 0
        for r in g where !x.data.isMissing(r) { k += 1 }
        for r in g { out[r] = Double(k) }
      }
      return Value(data: .numeric(out), shape: .rows, offset: offset)
    case "sum", "mean", "sd", "median", "min", "max":
      let f: ([Double]) -> Double
      switch name {
      case "sum": f = { $0.reduce(0, +) }
      case "mean": f = { meanOf($0) }
      case "sd": f = { sdOf($0) }
      case "median": f = { medianOf($0) }
      case "min": f = { $0.min() ?? .nan }
      default: f = { $0.max() ?? .nan }
      }
      let x = try numbers(args[0], for: what)
      if args[0].shape == .scalar {
        return Value(data: .numeric([f(x.filter { !$0.isNaN })]), shape: .scalar, offset: offset)
      }
      var out = [Double](repeating: .nan, count: n)
      for g in groups {
        let result = f(g.compactMap { x[$0].isNaN ? nil : x[$0] })
        for r in g { out[r] = result }
      }
      return Value(data: .numeric(out), shape: .rows, offset: offset)
    case "scale":
      let x = try numbers(try rows(args[0], in: what), for: what)
      var out = [Double](repeating: .nan, count: n)
      for g in groups {
        let present = g.compactMap { x[$0].isNaN ? nil : x[$0] }
        let m = meanOf(present)
        let s = sdOf(present)
        for r in g { out[r] = (x[r] - m) / s }
      }
      return Value(data: .numeric(out), shape: .rows, offset: offset)
    case "lag", "lead":
      let x = try rows(args[0], in: what)
      var k = 1
      if args.count == 2 { k = try lagDistance(args[1], for: what) }
      let step = name == "lag" ? -k : k
      var sources = [Int?](repeating: nil, count: n)
      for g in groups {
        for (position, r) in g.enumerated() {
          let p = position + step
          if p >= 0 && p < g.count { sources[r] = g[p] }
        }
      }
      return Value(data: x.data.gather(sources), shape: .rows, offset: offset)
    case "row_number":
      var out = [Double](repeating: .nan, count: n)
      for g in groups { for (position, r) in g.enumerated() { out[r] = Double(position + 1) } }
      return Value(data: .numeric(out), shape: .rows, offset: offset)
    default:  // cumsum
      let x = try numbers(try rows(args[0], in: what), for: what)
      var out = [Double](repeating: .nan, count: n)
      for g in groups {
        var total = 0.0
        for r in g {
          total += x[r]
          out[r] = total
        }
      }
      return Value(data: .numeric(out), shape: .rows, offset: offset)
    }
  }

  /// The `k` of `lag(x, k)`: a non-negative whole number given as a single value.
  func lagDistance(_ v: Value, for what: String) throws(DataError) -> Int {
    if v.shape == .scalar, case .numeric(let x) = v.data, let k = x.first, k >= 0,
      k == k.rounded(.down), k <= 1e9
    {
      return Int(k)
    }
    throw DataError(
      code: "expr-arguments",
      message: "the second argument of \(what) must be a whole number of rows ≥ 0",
      remedy: "write e.g. \(what.dropLast(2))(x, 2)", column: v.offset + 1)
  }
}

/// The mean with R's second pass (`mean.default` refines `sum/n` by the mean residual);
/// NaN when there are no values.
func meanOf(_ x: [Double]) -> Double {
  if x.isEmpty { return .nan }
  let count = Double(x.count)
  var s: RLongDouble = 0
  for v in x { s += RLongDouble(v) }
  s /= RLongDouble(count)
  if s.isFinite {
    var t: RLongDouble = 0
    for v in x { t += RLongDouble(v) - s }
    s += t / RLongDouble(count)
  }
  return Double(s)
}

/// The sample standard deviation (denominator n − 1), as R's `sd`; NaN below two values.
func sdOf(_ x: [Double]) -> Double {
  if x.count < 2 { return .nan }
  let m = meanOf(x)
  var ss = 0.0
  for v in x { ss += (v - m) * (v - m) }
  return (ss / Double(x.count - 1)).squareRoot()
}

/// The median (mean of the two middle values for an even count); NaN when empty.
func medianOf(_ x: [Double]) -> Double {
  if x.isEmpty { return .nan }
  let s = x.sorted()
  let h = s.count / 2
  return s.count % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2
}
