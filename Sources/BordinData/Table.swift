/// A columnar data table: the one data structure every layer above reads.
///
/// Columns are typed vectors of equal length. Missing values are `Double.nan` in numeric
/// columns and `nil` in text and logical columns (R's `NA`). Column names are unique and
/// keep their file order.
public struct Table: Sendable, Equatable {
  public private(set) var names: [String]
  public private(set) var columns: [Column]
  public private(set) var rowCount: Int
  /// Labels and level orders of columns read from SPSS, Stata or SAS files, keyed by column
  /// name; kept through renames, row selections and column selections, dropped with the column.
  public var info: [String: ColumnInfo] = [:]
  /// Position of each name in `names`, so that lookups by name cost O(1) and building a table
  /// of w columns costs O(w), not O(w²) (a CSV of 100,000 columns).
  private var positions: [String: Int] = [:]

  public init() {
    names = []
    columns = []
    rowCount = 0
  }

  /// Builds a table from named columns of equal length.
  /// - Precondition: names are unique and every column has the same length.
  public init(_ pairs: [(String, Column)]) {
    self.init()
    names.reserveCapacity(pairs.count)
    columns.reserveCapacity(pairs.count)
    positions.reserveCapacity(pairs.count)
    for (n, c) in pairs { self[n] = c }
  }

  public var columnCount: Int { names.count }

  public func index(of name: String) -> Int? { positions[name] }

  public func contains(_ name: String) -> Bool { positions[name] != nil }

  /// The column called `name`, or nil. Setting replaces or appends a column.
  public subscript(name: String) -> Column? {
    get { index(of: name).map { columns[$0] } }
    set {
      if let i = index(of: name) {
        if let c = newValue {
          precondition(c.count == rowCount, "column length \(c.count) != \(rowCount)")
          columns[i] = c
        } else {
          names.remove(at: i)
          columns.remove(at: i)
          positions[name] = nil
          for k in i..<names.count { positions[names[k]] = k }
          info[name] = nil
          if columns.isEmpty { rowCount = 0 }
        }
      } else if let c = newValue {
        if columns.isEmpty { rowCount = c.count }
        precondition(c.count == rowCount, "column length \(c.count) != \(rowCount)")
        positions[name] = names.count
        names.append(name)
        columns.append(c)
      }
    }
  }

  /// The rows at `indices`, in that order (repeats allowed).
  public func rows(_ indices: [Int]) -> Table {
    var t = Table()
    t.rowCount = indices.count
    t.names = names
    t.positions = positions
    t.columns = columns.map { $0.select(indices) }
    t.info = info
    return t
  }

  /// Renames column `old` to `new`. - Precondition: `old` exists and `new` is free.
  public mutating func rename(_ old: String, to new: String) {
    guard let i = index(of: old) else { preconditionFailure("no column \(old)") }
    precondition(old == new || !contains(new), "duplicate column \(new)")
    names[i] = new
    positions[old] = nil
    positions[new] = i
    if old != new, let c = info.removeValue(forKey: old) { info[new] = c }
  }

  /// Keeps only the named columns, in the given order.
  public func selecting(_ keep: [String]) -> Table {
    var t = Table()
    t.rowCount = rowCount
    for n in keep {
      if let c = self[n], t.positions[n] == nil {
        t.positions[n] = t.names.count
        t.names.append(n)
        t.columns.append(c)
        t.info[n] = info[n]
      }
    }
    if t.columns.isEmpty { t.rowCount = rowCount }
    return t
  }
}

/// One typed column of a ``Table``.
public enum Column: Sendable, Equatable {
  /// Numbers; `Double.nan` is missing.
  case numeric([Double])
  /// Strings; nil is missing.
  case text([String?])
  /// Booleans; nil is missing.
  case logical([Bool?])

  public var count: Int {
    switch self {
    case .numeric(let v): return v.count
    case .text(let v): return v.count
    case .logical(let v): return v.count
    }
  }

  public func isMissing(_ i: Int) -> Bool {
    switch self {
    case .numeric(let v): return v[i].isNaN
    case .text(let v): return v[i] == nil
    case .logical(let v): return v[i] == nil
    }
  }

  public var missingCount: Int { (0..<count).reduce(0) { $0 + (isMissing($1) ? 1 : 0) } }

  public var isNumeric: Bool { if case .numeric = self { return true } else { return false } }

  /// Numbers for numeric and logical columns (true = 1); nil for text.
  public var doubles: [Double]? {
    switch self {
    case .numeric(let v): return v
    case .logical(let v): return v.map { $0.map { $0 ? 1 : 0 } ?? .nan }
    case .text: return nil
    }
  }

  /// The value at `i` as display text (missing → nil). Numbers use the shortest round-trip form.
  public func string(at i: Int) -> String? {
    switch self {
    case .numeric(let v):
      return v[i].isNaN ? nil : formatShortest(v[i])
    case .text(let v): return v[i]
    case .logical(let v): return v[i].map { $0 ? "TRUE" : "FALSE" }
    }
  }

  public func select(_ indices: [Int]) -> Column {
    switch self {
    case .numeric(let v): return .numeric(indices.map { v[$0] })
    case .text(let v): return .text(indices.map { v[$0] })
    case .logical(let v): return .logical(indices.map { v[$0] })
    }
  }
}

/// The shortest decimal text that reads back as the same double; integers without ".0".
public func formatShortest(_ x: Double) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  return "\(x)"
}
