import BordinData

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
