import BordinData
import Foundation

/// Builds an SQLite database from CSV files, one table per file named after it
/// (`data/prn/studies.csv` → table `studies`): the documented, reproducible way a network's
/// database is made (`bordin sqlite data/prn/prn.sqlite data/prn/*.csv`).
public enum DatabaseBuilder {
  /// The input that `database` would overwrite, if any: the same file by any spelling, through
  /// a symlink or a hard link (same device and inode, or the same resolved path).
  public static func inputClash(database: String, csvFiles: [String]) -> String? {
    var out = stat()
    let exists = stat(database, &out) == 0
    let real = realPathOrStandardised(database)
    for f in csvFiles {
      var st = stat()
      if exists, stat(f, &st) == 0, st.st_dev == out.st_dev, st.st_ino == out.st_ino { return f }
      if realPathOrStandardised(f) == real { return f }
    }
    return nil
  }

  /// The path with its existing folder resolved (realpath) and the name appended.
  private static func realPathOrStandardised(_ path: String) -> String {
    if let p = realpath(path, nil) { defer { free(p) }; return String(cString: p) }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    if let p = realpath(url.deletingLastPathComponent().path, nil) {
      defer { free(p) }
      return String(cString: p) + "/" + url.lastPathComponent
    }
    return url.path
  }

  public static func build(database: String, csvFiles: [String]) throws(ReportErrors) {
    if let clash = inputClash(database: database, csvFiles: csvFiles) {
      throw ReportErrors([Diagnostic(file: database, line: 1, code: "output-is-input",
                                     message: "the database '\(database)' is the input '\(clash)'; writing it would destroy that file",
                                     remedy: "give another path for the database")])
    }
    var tables: [(name: String, table: Table)] = []
    for path in csvFiles.sorted() {
      let data: Data
      do { data = try FileLimits.read(path, limit: FileLimits.maxDataBytes) } catch {
        let m = FileLimits.message(error, "'\(path)'", limit: FileLimits.maxDataBytes)
        throw ReportErrors([Diagnostic(file: path, line: 1, code: m.code == "file-too-large" ? "data-too-large" : m.code == "unreadable-file" ? "missing-file" : m.code,
                                       message: m.code == "missing-file" ? "cannot read '\(path)'" : m.message, remedy: m.remedy)])
      }
      do {
        let t = try CSVReader.read([UInt8](data), options: CSVReader.options(forPath: path))
        tables.append(((path as NSString).lastPathComponent.components(separatedBy: ".").first ?? path, t))
      } catch {
        throw ReportErrors([Diagnostic(file: path, line: error.line ?? 1, column: error.column ?? 1, code: error.code,
                                       message: error.message, remedy: error.remedy)])
      }
    }
    let tmp = database + ".tmp"
    do {
      try SQLiteWriter.write(path: tmp, tables: tables)
    } catch {
      try? FileManager.default.removeItem(atPath: tmp)
      throw ReportErrors([Diagnostic(file: database, line: 1, code: error.code, message: error.message)])
    }
    if rename(tmp, database) != 0 {
      throw ReportErrors([Diagnostic(file: database, line: 1, code: "write", message: "cannot write '\(database)'")])
    }
  }
}
