import BordinData
import Foundation

/// Builds an SQLite database from CSV files, one table per file named after it
/// (`data/prn/studies.csv` → table `studies`): the documented, reproducible way a network's
/// database is made (`bordin sqlite data/prn/prn.sqlite data/prn/*.csv`).
public enum DatabaseBuilder {
  public static func build(database: String, csvFiles: [String]) throws(ReportErrors) {
    var tables: [(name: String, table: Table)] = []
    for path in csvFiles.sorted() {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw ReportErrors([Diagnostic(file: path, line: 1, code: "missing-file", message: "cannot read '\(path)'")])
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
