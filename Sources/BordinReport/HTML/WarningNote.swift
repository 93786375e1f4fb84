import BordinStats

/// The note a directive's warnings put above its output: one `<aside role="note">` per warning,
/// so a reader sees "singular fit" or "did not converge" beside the numbers it qualifies.
enum WarningNote {
  static func html(_ warnings: [StatsWarning]) -> String {
    warnings.map { "<aside class=\"bordin-warning\" role=\"note\"><strong>Warning:</strong> \(escapeHTML($0.description))</aside>\n" }.joined()
  }
}
