import BordinData
import Crypto
import Foundation

/// A data source read for a report, with what provenance records of it.
struct LoadedDataset {
  var name: String
  /// Path relative to the project root, with '/' separators.
  var path: String
  var sha256: String
  var table: Table
  var query: String?
  /// For an SPSS, Stata or SAS file: what ReadStat read (format, variables, user-missing counts).
  var statFile: StatFileRecord?
  /// The reading options that shape the table beyond the file's bytes (`na`, `user_missing`,
  /// `value_labels`), for the result cache's key.
  var readOptions = ""
}

/// Provenance of a file read by ReadStat: its format, ReadStat's version, and per variable its
/// label, type and the values the user-missing rule set to missing (or kept).
struct StatFileRecord {
  var format: ReadStatReader.Format
  var readerVersion: String
  var variables: [ReadStatReader.Variable]
  var fileLabel: String?
  var userMissingKept: Bool

  /// The user-missing values dropped, as "bond_t: 2 (user-missing -99)" entries.
  var droppedUserMissing: [(column: String, count: Int, reason: String)] {
    variables.compactMap { v in
      guard v.userMissingDropped > 0, let rule = v.userMissing else { return nil }
      return (v.name, v.userMissingDropped, "user-missing \(rule)")
    }
  }
}

/// Where a report's files may come from: the project root and path checks (DESIGN.md §6).
struct Project {
  /// The nearest folder upward from the report's folder that holds `bordin.yml`, else the report's folder.
  let root: URL
  let reportFolder: URL

  init(reportFile: URL) {
    reportFolder = reportFile.deletingLastPathComponent().standardizedFileURL
    var dir = reportFolder
    var found: URL?
    while true {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("bordin.yml").path) { found = dir; break }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { break }
      dir = up
    }
    root = (found ?? reportFolder).resolvingSymlinksInPath()
  }

  /// A project whose root is `root`, with paths resolved against it (`bordin verify` reads
  /// the root-relative paths a record holds under the same rules).
  init(root: URL) {
    self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    reportFolder = self.root
  }

  /// The root for a report in `folder`: the nearest folder upward holding `bordin.yml`, or nil.
  static func configuredRoot(above folder: URL) -> URL? {
    var dir = folder.standardizedFileURL
    while true {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("bordin.yml").path) { return dir }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { return nil }
      dir = up
    }
  }

  enum PathError: Error {
    case absolute, outside, missing
  }

  /// Resolves a report-relative path, refusing absolute paths, `..` escapes and symlinks that
  /// leave the project root.
  func resolve(_ path: String) throws(PathError) -> URL {
    if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("\\") || path.contains("://") { throw .absolute }
    let url = reportFolder.appendingPathComponent(path).standardizedFileURL
    guard isInside(url) else { throw .outside }
    guard FileManager.default.fileExists(atPath: url.path) else {
      // A missing file under a symlinked folder that leaves the project is outside, not missing.
      if let folder = Self.realFolder(of: url), !isInside(URL(fileURLWithPath: folder)) { throw .outside }
      throw .missing
    }
    let real = url.resolvingSymlinksInPath()
    guard isInside(real) else { throw .outside }
    return real
  }

  /// The nearest existing folder above `url` with every symlink resolved (realpath), if any.
  static func realFolder(of url: URL) -> String? {
    var dir = url.deletingLastPathComponent()
    while true {
      if let p = realpath(dir.path, nil) {
        defer { free(p) }
        return String(cString: p)
      }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { return nil }
      dir = up
    }
  }

  /// File names in the folder of `path` (report-relative) to suggest for a missing file: only
  /// when that folder, with symlinks resolved, is inside the project root.
  func neighbours(of path: String) -> [String] {
    let url = reportFolder.appendingPathComponent(path).standardizedFileURL
    guard let p = realpath(url.deletingLastPathComponent().path, nil) else { return [] }
    let folder = String(cString: p)
    free(p)
    guard isInside(URL(fileURLWithPath: folder)) else { return [] }
    return (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
  }

  func isInside(_ url: URL) -> Bool {
    let r = root.path.hasSuffix("/") ? root.path : root.path + "/"
    let p = url.path
    return p == root.path || p.hasPrefix(r) || url.resolvingSymlinksInPath().path.hasPrefix(r)
  }

  /// `url` relative to the project root, for provenance.
  func relative(_ url: URL) -> String {
    let r = root.path.hasSuffix("/") ? root.path : root.path + "/"
    let p = url.resolvingSymlinksInPath().path
    return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : url.lastPathComponent
  }
}

/// Hex SHA-256 of bytes.
func sha256Hex<D: DataProtocol>(_ data: D) -> String {
  SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

enum DataLoader {
  /// Largest data file read (bytes); larger files are refused with a diagnostic.
  static let maxBytes = FileLimits.maxDataBytes

  /// Loads every front-matter data source, recording diagnostics for the ones that fail.
  static func load(_ sources: [FrontMatter.DataSource], project: Project, params: [(String, String)],
                   sink: inout DiagnosticSink) -> [String: LoadedDataset] {
    var out: [String: LoadedDataset] = [:]
    for s in sources {
      let url: URL
      do {
        url = try project.resolve(s.path)
      } catch .absolute {
        sink.error(s.at, "path-outside", "data path '\(s.path)' is absolute; data paths must be relative to the report's folder",
                   remedy: "copy the file into the project and give its relative path")
        continue
      } catch .outside {
        sink.error(s.at, "path-outside", "data path '\(s.path)' leaves the project root '\(project.root.lastPathComponent)'",
                   remedy: "copy the file into the project (the folder holding bordin.yml) and give its relative path")
        continue
      } catch {
        let near = project.neighbours(of: s.path)
        let base = (s.path as NSString).lastPathComponent
        sink.error(s.at, "missing-file", "data file '\(s.path)' does not exist\(didYouMeanSuffix(base, near))",
                   remedy: "paths are relative to the report's folder")
        continue
      }
      if s.sqlite {
        guard let query = s.query, !query.isEmpty else {
          sink.error(s.at, "front-matter", "data source '\(s.name)' names an SQLite database but no 'query'",
                     remedy: "add query: \"select * from TABLE where month = :month\"")
          continue
        }
        let bytes: Data
        do { bytes = try FileLimits.read(url.path, limit: FileLimits.maxDataBytes) } catch {
          let m = FileLimits.message(error, "database '\(s.path)'", limit: FileLimits.maxDataBytes)
          sink.error(s.at, m.code == "file-too-large" ? "data-too-large" : m.code, m.message, remedy: m.remedy)
          continue
        }
        do {
          let table = try SQLiteReader.read(path: url.path, query: query, parameters: Dictionary(params, uniquingKeysWith: { a, _ in a }),
                                            maxBytes: FileLimits.maxDataBytes)
          if table.rowCount == 0 {
            let used = params.filter { query.contains(":" + $0.0) }.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
            sink.error(s.queryAt ?? s.at, "no-rows", "data source '\(s.name)' has no rows\(used.isEmpty ? "" : " for \(used)")",
                       remedy: used.isEmpty ? "check the query" : "check the param value (e.g. --param \(used.replacingOccurrences(of: " = ", with: "="))): the database has no rows for it")
            continue
          }
          out[s.name] = LoadedDataset(name: s.name, path: project.relative(url), sha256: sha256Hex(bytes), table: table, query: query)
        } catch {
          sink.error(s.queryAt ?? s.at, error.code, "data source '\(s.name)': \(error.message)", remedy: error.remedy)
        }
        continue
      }
      let statFormat: ReadStatReader.Format?
      if let f = s.format, ["csv", "tsv"].contains(f.name.lowercased()) {
        statFormat = nil
      } else if let f = s.format {
        guard let known = ReadStatReader.Format(name: f.name) else {
          let names = ["spss", "stata", "sas"] + ReadStatReader.Format.allCases.map(\.rawValue)
          sink.error(f.at, "front-matter", "data source '\(s.name)' has an unknown format '\(f.name)'\(didYouMeanSuffix(f.name, names + ["csv"]))",
                     remedy: "use spss, stata or sas (or sav, zsav, por, dta, sas7bdat); leave it out for CSV and TSV")
          continue
        }
        statFormat = known
      } else {
        statFormat = ReadStatReader.Format(extension: (s.path as NSString).pathExtension)
      }
      let data: Data
      do { data = try FileLimits.read(url.path, limit: maxBytes) } catch {
        let m = FileLimits.message(error, "data file '\(s.path)'", limit: maxBytes)
        sink.error(s.at, m.code == "file-too-large" ? "data-too-large" : m.code, m.message, remedy: m.remedy)
        continue
      }
      if let format = statFormat {
        if s.na != nil {
          sink.error(s.at, "front-matter", "data source '\(s.name)' is a \(format.description) file: 'na' applies to CSV",
                     remedy: "the file's own missing-value codes are used; 'user_missing: keep' keeps SPSS user-missing codes as values")
          continue
        }
        var options = ReadStatReader.Options()
        options.userMissing = s.userMissingKeep ? .keep : .drop
        options.valueLabels = s.valueLabelCodes ? .codes : .factors
        do {
          let file = try ReadStatReader.read([UInt8](data), format: format, options: options)
          let record = StatFileRecord(format: format, readerVersion: ReadStatReader.version, variables: file.variables,
                                      fileLabel: file.fileLabel, userMissingKept: s.userMissingKeep)
          out[s.name] = LoadedDataset(name: s.name, path: project.relative(url), sha256: sha256Hex(data), table: file.table, statFile: record,
                                      readOptions: "format=\(format.rawValue);user_missing=\(options.userMissing.rawValue);value_labels=\(options.valueLabels.rawValue)")
        } catch {
          sink.error(s.at, error.code, "data file '\(s.path)': \(error.message)", remedy: error.remedy)
        }
        continue
      }
      if s.userMissingKeep || s.valueLabelCodes {
        sink.error(s.at, "front-matter", "data source '\(s.name)': 'user_missing' and 'value_labels' apply to SPSS, Stata and SAS files",
                   remedy: "remove them, or give format: spss (stata, sas) if the file is one")
        continue
      }
      var options = CSVReader.options(forPath: s.path)
      if let na = s.na { options.naStrings = Set(na) }
      do {
        let table = try CSVReader.read([UInt8](data), options: options)
        out[s.name] = LoadedDataset(name: s.name, path: project.relative(url), sha256: sha256Hex(data), table: table,
                                    readOptions: s.na.map { "na=" + $0.joined(separator: "\u{1}") } ?? "")
      } catch {
        var msg = "data file '\(s.path)'"
        if let l = error.line { msg += " line \(l)" }
        if let c = error.column { msg += ", column \(c)" }
        sink.error(s.at, error.code, msg + ": " + error.message, remedy: error.remedy)
      }
    }
    return out
  }
}
