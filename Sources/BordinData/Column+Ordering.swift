/// Ordering and level helpers on ``Column``.
///
/// Text is ordered by Unicode scalar values, which is R's order in the C locale
/// (`Sys.setlocale("LC_COLLATE", "C")`): upper case before lower case, `"B" < "a"`. Bordin never
/// depends on the machine's locale.
extension Column {
  /// The sorted unique non-missing values of `c`, as strings: the factor levels R would make.
  ///
  /// Numeric and logical columns sort by value (`FALSE` before `TRUE`) and are written in the
  /// shortest round-trip form (`2`, `2.5`); text sorts by Unicode scalar order, which equals
  /// R's `sort(unique(x))` in the C locale.
  public static func factorLevels(_ c: Column) -> [String] {
    switch c {
    case .numeric(let v):
      return Array(Set(v.filter { !$0.isNaN }.map { $0 == 0 ? 0 : $0 })).sorted().map(
        formatShortest)
    case .logical(let v):
      let present = Set(v.compactMap { $0 })
      return [false, true].filter(present.contains).map { $0 ? "TRUE" : "FALSE" }
    case .text(let v):
      return Array(Set(v.compactMap { $0 })).sorted(by: unicodeScalarLess)
    }
  }

  /// Compares rows `i` and `j` for sorting ascending with missing values last: -1, 0 or 1.
  func compareRows(_ i: Int, _ j: Int) -> Int {
    switch self {
    case .numeric(let v):
      let a = v[i]
      let b = v[j]
      if a.isNaN || b.isNaN { return a.isNaN == b.isNaN ? 0 : (a.isNaN ? 1 : -1) }
      return a < b ? -1 : (a > b ? 1 : 0)
    case .logical(let v):
      switch (v[i], v[j]) {
      case (nil, nil): return 0
      case (nil, _): return 1
      case (_, nil): return -1
      case (let a?, let b?): return a == b ? 0 : (a ? 1 : -1)
      }
    case .text(let v):
      switch (v[i], v[j]) {
      case (nil, nil): return 0
      case (nil, _): return 1
      case (_, nil): return -1
      case (let a?, let b?):
        if a == b { return 0 }
        return unicodeScalarLess(a, b) ? -1 : 1
      }
    }
  }

  /// The values at `indices`, with nil giving a missing value (used by lag and lead).
  public func gather(_ indices: [Int?]) -> Column {
    switch self {
    case .numeric(let v): return .numeric(indices.map { $0.map { v[$0] } ?? .nan })
    case .text(let v): return .text(indices.map { $0.flatMap { v[$0] } })
    case .logical(let v): return .logical(indices.map { $0.flatMap { v[$0] } })
    }
  }

  /// A column of `count` missing values of the same type as this one.
  func missingLike(count: Int) -> Column {
    switch self {
    case .numeric: return .numeric([Double](repeating: .nan, count: count))
    case .text: return .text([String?](repeating: nil, count: count))
    case .logical: return .logical([Bool?](repeating: nil, count: count))
    }
  }

  /// The type's name as used in messages: `numeric`, `text` or `logical`.
  public var typeName: String {
    switch self {
    case .numeric: return "numeric"
    case .text: return "text"
    case .logical: return "logical"
    }
  }
}

/// Whether `a` sorts before `b` by Unicode scalar values (R's C-locale collation).
func unicodeScalarLess(_ a: String, _ b: String) -> Bool {
  a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
}
