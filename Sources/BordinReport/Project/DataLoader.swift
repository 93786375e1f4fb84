import BordinData
import Crypto
import Foundation

/// Reads a report's data sources (CSV/TSV, SQLite queries, SPSS/Stata/SAS files) inside the
/// project, with their SHA-256 and reading options for provenance.
enum DataLoader {
  /// Largest data file read (bytes); larger files are refused with a diagnostic.
  static let maxBytes = FileLimits.maxDataBytes

  /// Loads every front-matter data source, recording diagnostics for the ones that fail.
  static func load(_ sources: [FrontMatter.DataSource], project: Project, params: [(String, String)],
                   sink: DiagnosticSink) -> [String: LoadedDataset] {
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
        sink.record(error, at: s.at, context: "data file '\(s.path)'")
      }
    }
    return out
  }
}
