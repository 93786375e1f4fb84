import BordinData

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
