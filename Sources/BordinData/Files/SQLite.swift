import CSQLite
import Foundation

/// Reads the result of one SQL query from an SQLite database into a ``Table``.
///
/// The database is opened read-only, the query must be a single read-only statement, and an
/// authorizer allows only reading (no `ATTACH`, no `PRAGMA`, no writes), so a report can never
/// change a database or reach another file through it. Named parameters (`:month`, `@month`,
/// `$month`) are bound from `parameters` — never spliced into the SQL text. A progress handler
/// stops a query after `maxSteps` virtual-machine steps, so evaluation always terminates, and
/// the result is capped while stepping: no cell longer than `maxCellBytes` (SQLite's own length
/// limit, so an over-long value is refused before it is built or copied) and no more than
/// `maxBytes` in all, so a few huge strings cannot exhaust memory.
///
/// Column types: a column whose non-NULL values are all integers or reals is numeric; all other
/// columns are text (NULL is missing).
public enum SQLiteReader {
  public static let maxSteps = 200_000_000
  /// Default cap on the bytes of a query result (text and blob bytes, 8 per number).
  public static let defaultMaxBytes = 512 * 1024 * 1024
  /// Default cap on one cell (text or blob).
  public static let defaultMaxCellBytes = 64 * 1024 * 1024

  public static func read(path: String, query: String, parameters: [String: String],
                          maxBytes: Int = defaultMaxBytes, maxCellBytes: Int = defaultMaxCellBytes) throws(DataError) -> Table {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else {
      let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      sqlite3_close(db)
      throw DataError(code: "sql-open", message: "cannot open the SQLite database: \(msg)", remedy: "check that the file is an SQLite database")
    }
    defer { sqlite3_close(db) }
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, Int32(clamping: max(1, maxCellBytes)))
    sqlite3_set_authorizer(db, { _, action, _, _, _, _ in
      switch action {
      case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE: return SQLITE_OK
      default: return SQLITE_DENY
      }
    }, nil)
    var steps = 0
    withUnsafeMutablePointer(to: &steps) { ptr in
      sqlite3_progress_handler(db, 1000, { ctx in
        guard let p = ctx?.assumingMemoryBound(to: Int.self) else { return 0 }
        p.pointee += 1000
        return p.pointee > SQLiteReader.maxSteps ? 1 : 0
      }, ptr)
    }
    var stmt: OpaquePointer?
    var tail: UnsafePointer<CChar>?
    let prepared = query.withCString { sqlite3_prepare_v2(db, $0, -1, &stmt, &tail) }
    guard prepared == SQLITE_OK, let stmt else {
      throw DataError(code: "sql-error", message: "the query failed: \(String(cString: sqlite3_errmsg(db)))",
                      remedy: "check the table and column names in the query")
    }
    defer { sqlite3_finalize(stmt) }
    if let tail, !String(cString: tail).allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == ";" || $0 == "\r" }) {
      throw DataError(code: "sql-error", message: "the query holds more than one statement", remedy: "give a single SELECT")
    }
    guard sqlite3_stmt_readonly(stmt) != 0 else {
      throw DataError(code: "sql-error", message: "the query would change the database", remedy: "give a single SELECT")
    }
    // Bind named parameters.
    let count = sqlite3_bind_parameter_count(stmt)
    if count > 0 {
      for i in 1...count {
        guard let cname = sqlite3_bind_parameter_name(stmt, i) else {
          throw DataError(code: "sql-param", message: "the query uses an unnamed parameter '?'", remedy: "name it, e.g. :month, and declare month under params")
        }
        let name = String(String(cString: cname).dropFirst())
        guard let value = parameters[name] else {
          throw DataError(code: "missing-param", message: "the query uses parameter ':\(name)', which is not a param of the report",
                          remedy: "declare '\(name)' under 'params:' in the front matter or pass --param \(name)=…")
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(stmt, i, value, -1, transient)
      }
    }
    let ncol = Int(sqlite3_column_count(stmt))
    var names: [String] = []
    for j in 0..<ncol { names.append(sqlite3_column_name(stmt, Int32(j)).map { String(cString: $0) } ?? "V\(j + 1)") }
    var numbers = [[Double]](repeating: [], count: ncol)
    var texts = [[String?]](repeating: [], count: ncol)
    var numeric = [Bool](repeating: true, count: ncol)
    var total = 0
    while true {
      let rc = sqlite3_step(stmt)
      if rc == SQLITE_DONE { break }
      guard rc == SQLITE_ROW else {
        if rc == SQLITE_TOOBIG {
          throw DataError(code: "sql-too-large", message: "the query returns a value longer than \(maxCellBytes / 1_048_576) MiB",
                          remedy: "select shorter columns (e.g. substr(col, 1, 1000)) or leave large text and blobs out of the query")
        }
        throw DataError(code: "sql-error", message: "the query failed: \(String(cString: sqlite3_errmsg(db)))",
                        remedy: rc == SQLITE_INTERRUPT ? "the query ran too long; simplify it" : "check the query")
      }
      for j in 0..<ncol {
        let c = Int32(j)
        let type = sqlite3_column_type(stmt, c)
        let size = type == SQLITE_NULL ? 0 : type == SQLITE_INTEGER || type == SQLITE_FLOAT ? 8 : Int(sqlite3_column_bytes(stmt, c))
        if size > maxCellBytes {
          throw DataError(code: "sql-too-large", message: "the query returns a value longer than \(maxCellBytes / 1_048_576) MiB",
                          remedy: "select shorter columns (e.g. substr(col, 1, 1000)) or leave large text and blobs out of the query")
        }
        total += size + 8
        if total > maxBytes {
          throw DataError(code: "sql-too-large", message: "the query result is larger than \(maxBytes / 1_048_576) MiB (after \(numbers[0].count) rows)",
                          remedy: "select fewer rows or columns, or leave large text and blobs out of the query")
        }
        switch type {
        case SQLITE_NULL:
          numbers[j].append(.nan); texts[j].append(nil)
        case SQLITE_INTEGER, SQLITE_FLOAT:
          let d = sqlite3_column_double(stmt, c)
          numbers[j].append(d); texts[j].append(sqlite3_column_text(stmt, c).map { String(cString: $0) })
        default:
          numeric[j] = false
          numbers[j].append(.nan); texts[j].append(sqlite3_column_text(stmt, c).map { String(cString: $0) } ?? "")
        }
      }
    }
    var seen = Set<String>()
    var table = Table()
    for j in 0..<ncol {
      guard seen.insert(names[j]).inserted else {
        throw DataError(code: "sql-error", message: "the query returns two columns named '\(names[j])'", remedy: "rename one with AS")
      }
      table[names[j]] = numeric[j] ? .numeric(numbers[j]) : .text(texts[j])
    }
    return table
  }
}

/// Writes tables into a new SQLite database: how `bordin sqlite` builds a network's database
/// reproducibly from its CSV files (one table per CSV, rows in file order).
public enum SQLiteWriter {
  /// Creates (replacing) the database at `path` with `tables`. Numeric columns are REAL (whole
  /// numbers INTEGER), text TEXT, logical INTEGER 0/1; missing values are NULL.
  public static func write(path: String, tables: [(name: String, table: Table)]) throws(DataError) {
    unlink(path)
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
      sqlite3_close(db)
      throw DataError(code: "sql-open", message: "cannot create the SQLite database '\(path)'")
    }
    defer { sqlite3_close(db) }
    func exec(_ sql: String) throws(DataError) {
      guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
        throw DataError(code: "sql-error", message: String(cString: sqlite3_errmsg(db)))
      }
    }
    func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    try exec("PRAGMA journal_mode = OFF; BEGIN")
    for (name, t) in tables {
      let cols = zip(t.names, t.columns).map { n, c -> String in
        switch c {
        case .numeric: return quote(n) + " REAL"
        case .text: return quote(n) + " TEXT"
        case .logical: return quote(n) + " INTEGER"
        }
      }
      try exec("CREATE TABLE \(quote(name)) (\(cols.joined(separator: ", ")))")
      let sql = "INSERT INTO \(quote(name)) VALUES (\(Array(repeating: "?", count: t.columnCount).joined(separator: ", ")))"
      var stmt: OpaquePointer?
      guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
        throw DataError(code: "sql-error", message: String(cString: sqlite3_errmsg(db)))
      }
      defer { sqlite3_finalize(stmt) }
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      for i in 0..<t.rowCount {
        sqlite3_reset(stmt)
        for (j, c) in t.columns.enumerated() {
          let k = Int32(j + 1)
          switch c {
          case .numeric(let v):
            if v[i].isNaN { sqlite3_bind_null(stmt, k) } else if v[i] == v[i].rounded(), abs(v[i]) < 9e15 {
              sqlite3_bind_int64(stmt, k, Int64(v[i]))
            } else { sqlite3_bind_double(stmt, k, v[i]) }
          case .text(let v):
            if let s = v[i] { sqlite3_bind_text(stmt, k, s, -1, transient) } else { sqlite3_bind_null(stmt, k) }
          case .logical(let v):
            if let b = v[i] { sqlite3_bind_int64(stmt, k, b ? 1 : 0) } else { sqlite3_bind_null(stmt, k) }
          }
        }
        guard sqlite3_step(stmt) == SQLITE_DONE else {
          throw DataError(code: "sql-error", message: String(cString: sqlite3_errmsg(db)))
        }
      }
    }
    try exec("COMMIT")
  }
}
