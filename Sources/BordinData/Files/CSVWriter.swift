/// Writes a ``Table`` as RFC 4180 CSV with deterministic formatting, so that the same table
/// always gives the same bytes and ``CSVReader`` (and R's `read.csv`) reads back the same values.
///
/// - Numbers: shortest round-trip form (``formatShortest``), integers without ".0";
///   missing numbers (NaN) are empty cells. Infinities are written `Inf`/`-Inf`.
/// - Text: written as is, quoted only when needed: when it contains the delimiter, a quote, a
///   line break, leading or trailing blanks, or is empty (quotes inside are doubled). Missing
///   text is an empty cell.
/// - Logical: `TRUE`/`FALSE`, missing as an empty cell.
/// - Header: the column names, quoted by the same rule. Lines end with LF, the last one too.
public enum CSVWriter {
  public static func write(_ table: Table, delimiter: Character = ",") -> String {
    var out = table.names.map { field($0, delimiter) }.joined(separator: String(delimiter))
    out += "\n"
    out.reserveCapacity(table.rowCount * table.columnCount * 6)
    for i in 0..<table.rowCount {
      var first = true
      for c in table.columns {
        if !first { out.append(delimiter) }
        first = false
        switch c {
        case .numeric(let v):
          if !v[i].isNaN { out += formatShortest(v[i]) }
        case .text(let v):
          if let s = v[i] { out += field(s, delimiter) }
        case .logical(let v):
          if let b = v[i] { out += b ? "TRUE" : "FALSE" }
        }
      }
      out += "\n"
    }
    return out
  }

  /// A text field, quoted when needed.
  static func field(_ s: String, _ delimiter: Character) -> String {
    let needsQuotes =
      s.isEmpty || s.first == " " || s.first == "\t" || s.last == " " || s.last == "\t"
      || s.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    guard needsQuotes else { return s }
    var q = "\""
    for ch in s {
      if ch == "\"" { q += "\"\"" } else { q.append(ch) }
    }
    return q + "\""
  }
}
