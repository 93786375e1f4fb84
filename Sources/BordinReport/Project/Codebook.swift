import BordinData
import Foundation

/// `bordin describe-data FILE`: the codebook of a data file as Bordin reads it — per column its
/// name, type, label, levels (in order, the first the reference) or value labels, and missing
/// counts (with the user-missing values set to missing) — so a user sees what a report would get.
public enum Codebook {
  public struct Options: Sendable {
    public var userMissingKeep = false
    public var valueLabelCodes = false
    /// `spss`, `stata`, `sas` or an extension; nil: by the file's extension.
    public var format: String?
    public init() {}
  }

  /// The codebook text of the file at `path`.
  /// - Throws: `ReportErrors` with one diagnostic located at the file (missing, too large,
  ///   unreadable, not of its format, an unknown format).
  public static func describe(path: String, options: Options = Options()) throws(ReportErrors) -> String {
    func fail(_ code: String, _ message: String, _ remedy: String?) -> ReportErrors {
      ReportErrors([Diagnostic(file: path, line: 1, code: code, message: message, remedy: remedy)])
    }
    var format: ReadStatReader.Format?
    if let f = options.format {
      guard let known = ReadStatReader.Format(name: f) else {
        if f.lowercased() == "csv" { format = nil } else {
          throw fail("unknown-format", "unknown format '\(f)'\(didYouMeanSuffix(f, ["spss", "stata", "sas", "csv"] + ReadStatReader.Format.allCases.map(\.rawValue)))",
                     "use spss, stata, sas or csv")
        }
        return try describeCSV(path: path, fail: fail)
      }
      format = known
    } else {
      format = ReadStatReader.Format(extension: (path as NSString).pathExtension)
    }
    guard let format else {
      if options.userMissingKeep || options.valueLabelCodes {
        throw fail("usage", "--user-missing and --value-labels apply to SPSS, Stata and SAS files", "remove them for a CSV file")
      }
      return try describeCSV(path: path, fail: fail)
    }
    let data = try read(path, fail: fail)
    var o = ReadStatReader.Options()
    o.userMissing = options.userMissingKeep ? .keep : .drop
    o.valueLabels = options.valueLabelCodes ? .codes : .factors
    let file: ReadStatReader.File
    do { file = try ReadStatReader.read([UInt8](data), format: format, options: o) } catch {
      throw fail(error.code, error.message, error.remedy)
    }
    var out = "\((path as NSString).lastPathComponent): \(format.description), \(file.table.rowCount) rows, \(file.variables.count) variables; read with ReadStat \(ReadStatReader.version)\n"
    if let l = file.fileLabel { out += "label: \(l)\n" }
    out += "SHA-256 \(sha256Hex(data))\n"
    if options.userMissingKeep { out += "user-missing values kept as values (user_missing: keep)\n" }
    out += "\n"
    var rows: [[String]] = [["name", "type", "label", "missing", "levels / values"]]
    for v in file.variables {
      var missing = String(v.missing)
      if v.userMissingDropped > 0 { missing += " (\(v.userMissingDropped) user-missing \(v.userMissing ?? ""))" }
      if v.userMissingKept > 0 { missing += " (+\(v.userMissingKept) user-missing \(v.userMissing ?? "") kept)" }
      var values: String
      if let levels = v.levels {
        let code = Dictionary(v.valueLabels.map { ($0.label, $0.code) }, uniquingKeysWith: { a, _ in a })
        values = levels.enumerated().map { i, l in "\(l)" + (code[l].map { " (\($0))" } ?? "") + (i == 0 ? " [reference]" : "") }.joined(separator: ", ")
      } else if !v.valueLabels.isEmpty {
        values = v.valueLabels.map { "\($0.code) = \($0.label)" }.joined(separator: ", ")
      } else if [.date, .datetime, .time].contains(v.kind), case .text(let xs)? = file.table[v.name],
        let lo = xs.compactMap({ $0 }).min(), let hi = xs.compactMap({ $0 }).max()
      {
        values = "\(lo) – \(hi)"
      } else {
        values = summary(file.table[v.name])
      }
      if v.levels == nil, v.userMissing != nil, v.userMissingDropped == 0, v.userMissingKept == 0 {
        values += (values.isEmpty ? "" : "; ") + "user-missing \(v.userMissing!)"
      }
      let type = v.kind == .factor ? "factor (\(v.levels?.count ?? 0) levels)" : v.kind.rawValue
      rows.append([v.name, type + (v.format.isEmpty ? "" : " [\(v.format)]"), v.label ?? "", missing, values])
    }
    return out + align(rows)
  }

  private static func read(_ path: String, fail: (String, String, String?) -> ReportErrors) throws(ReportErrors) -> Data {
    do { return try FileLimits.read(path, limit: FileLimits.maxDataBytes) } catch {
      let m = FileLimits.message(error, "data file '\(path)'", limit: FileLimits.maxDataBytes)
      throw fail(m.code == "file-too-large" ? "data-too-large" : m.code, m.message, m.remedy)
    }
  }

  private static func describeCSV(path: String, fail: (String, String, String?) -> ReportErrors) throws(ReportErrors) -> String {
    let data = try read(path, fail: fail)
    let table: Table
    do { table = try CSVReader.read([UInt8](data), options: CSVReader.options(forPath: path)) } catch {
      throw ReportErrors([Diagnostic(file: path, line: error.line ?? 1, column: error.column ?? 1, code: error.code,
                                     message: error.message, remedy: error.remedy)])
    }
    let out = "\((path as NSString).lastPathComponent): CSV, \(table.rowCount) rows, \(table.columnCount) columns\nSHA-256 \(sha256Hex(data))\n\n"
    var rows: [[String]] = [["name", "type", "missing", "levels / values"]]
    for (n, c) in zip(table.names, table.columns) {
      let type: String
      switch c {
      case .numeric: type = "numeric"
      case .text: type = "text (factor: \(Column.factorLevels(c).count) levels)"
      case .logical: type = "logical"
      }
      rows.append([n, type, String(c.missingCount), summary(c)])
    }
    return out + align(rows)
  }

  /// "min – max" of a numeric column, the sorted levels of a text one (the first 12).
  private static func summary(_ c: Column?) -> String {
    guard let c else { return "" }
    if case .numeric(let v) = c {
      let xs = v.filter { !$0.isNaN }
      guard let lo = xs.min(), let hi = xs.max() else { return "" }
      return "\(formatShortest(lo)) – \(formatShortest(hi))"
    }
    let levels = Column.factorLevels(c)
    return levels.prefix(12).joined(separator: ", ") + (levels.count > 12 ? ", … (\(levels.count) in all)" : "")
  }

  /// Columns padded to their widest cell (by characters), two spaces apart.
  private static func align(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { j in rows.map { $0[j].count }.max() ?? 0 }
    return rows.map { r in
      r.enumerated().map { j, s in j == r.count - 1 ? s : s + String(repeating: " ", count: widths[j] - s.count) }.joined(separator: "  ")
        .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }.joined(separator: "\n") + "\n"
  }
}
