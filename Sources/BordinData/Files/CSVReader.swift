/// How to read a delimited text file.
public struct CSVOptions: Sendable, Equatable {
  /// The field separator: `,` for CSV, tab for TSV.
  public var delimiter: UInt8
  /// Cell texts that mean "missing" (R's `na.strings`). Matching is exact, before any trimming,
  /// and applies to quoted cells too: `"NA"` is missing when `NA` is an NA string.
  public var naStrings: Set<String>

  /// Creates options; the defaults read a comma-separated file with `""` and `NA` as missing.
  public init(delimiter: UInt8 = UInt8(ascii: ","), naStrings: Set<String> = ["", "NA"]) {
    self.delimiter = delimiter
    self.naStrings = naStrings
  }
}

/// Reads RFC 4180 delimited text (CSV or TSV) into a ``Table``, inferring column types as R's
/// `read.csv` does.
///
/// The reader works directly on the bytes: no per-cell regular expressions, and strings are only
/// made for text columns.
///
/// - Syntax: fields may be quoted with `"`; inside quotes, `""` is a literal quote and
///   delimiters and line breaks are part of the field. Spaces or tabs between a closing quote and
///   the next delimiter are ignored. Lines end with LF, CRLF or CR; the last line needs no line
///   break. A UTF-8 byte-order mark is skipped. Empty lines are skipped wherever they occur (R's
///   `blank.lines.skip = TRUE`). The first non-empty line is the header; spaces and tabs around
///   header names are dropped, and names are otherwise kept verbatim (no `make.names`).
/// - Types: a column is numeric when every non-missing cell is a decimal number (`1`, `-2.5`,
///   `1e-3`, `.5`, `5.`, `+3`, `Inf`, `-inf`, `NaN`, with optional surrounding blanks); `NaN`
///   reads as a missing number. Otherwise it is logical when every non-missing cell is one of
///   `TRUE FALSE True False true false T F`; otherwise it is text (kept verbatim). As in R,
///   blank cells (empty or only spaces) are missing in numeric and logical columns even when
///   they are not NA strings, and a column with no non-missing cell is logical. Hexadecimal
///   numbers are read as text.
/// - Numbers are correctly rounded (Clinger's fast path, else the C library's `strtod` in the
///   C locale).
public enum CSVReader {
  /// Options for a path by its extension: `.tsv` and `.tab` are tab-separated, anything else is
  /// comma-separated. The NA strings are the defaults.
  public static func options(forPath path: String) -> CSVOptions {
    let lower = path.lowercased()
    if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") {
      return CSVOptions(delimiter: UInt8(ascii: "\t"))
    }
    return CSVOptions()
  }

  /// Parses `bytes` into a table.
  ///
  /// - Throws: ``DataError`` with code `csv-empty` (no header line), `csv-header` (an empty or
  ///   duplicated column name), `csv-ragged` (a line with the wrong number of fields),
  ///   `csv-quote` (an unterminated quote, or text after a closing quote), `csv-utf8` (bytes
  ///   that are not UTF-8) or `csv-too-large` (2 GiB or more). ``DataError/line`` and
  ///   ``DataError/column`` locate the problem.
  public static func read(_ bytes: [UInt8], options: CSVOptions = .init()) throws(DataError)
    -> Table
  {
    if bytes.count >= Int(FieldSpan.sideFlag) {
      throw DataError(
        code: "csv-too-large",
        message: "the file has \(bytes.count) bytes; files of 2 GiB or more are not supported",
        remedy: "split the file, or filter it before reading")
    }
    let result: Result<Table, DataError> = bytes.withUnsafeBufferPointer { p in
      do throws(DataError) {
        var parser = CSVParser(bytes: p, options: options)
        return .success(try parser.parse())
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}

/// A field's bytes: `start..<end` in the input, or in the side buffer of unescaped quoted fields
/// when ``sideFlag`` is set in `start`.
struct FieldSpan {
  static let sideFlag: UInt32 = 1 << 31
  var start: UInt32
  var end: UInt32
  /// Offset of the field's first byte in the input, for error positions.
  var inputOffset: UInt32
}

private let quote = UInt8(ascii: "\"")
private let lf = UInt8(ascii: "\n")
private let cr = UInt8(ascii: "\r")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")

/// The single-pass state machine behind ``CSVReader``.
struct CSVParser {
  let p: UnsafeBufferPointer<UInt8>
  let options: CSVOptions
  let delimiter: UInt8
  let naBytes: [[UInt8]]
  /// All fields, row-major; the header's fields come first.
  var spans: [FieldSpan] = []
  /// Unescaped contents of quoted fields that contained `""`.
  var side: [UInt8] = []
  var columnCount = 0

  init(bytes: UnsafeBufferPointer<UInt8>, options: CSVOptions) {
    p = bytes
    self.options = options
    delimiter = options.delimiter
    naBytes = options.naStrings.map { Array($0.utf8) }
  }

  mutating func parse() throws(DataError) -> Table {
    var i = 0
    if p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
    let n = p.count
    var recordCount = 0
    while i < n {
      // Skip empty lines.
      if p[i] == lf || p[i] == cr {
        i += 1
        continue
      }
      let recordStart = i
      let before = spans.count
      i = try scanRecord(from: i)
      let fields = spans.count - before
      if recordCount == 0 {
        columnCount = fields
      } else if fields != columnCount {
        let (line, _) = position(of: recordStart)
        throw DataError(
          code: "csv-ragged",
          message: "line \(line) has \(fields) field\(fields == 1 ? "" : "s"), but the header has "
            + "\(columnCount)",
          remedy: "quote fields that contain the delimiter"
            + " ('\(Unicode.Scalar(delimiter).escaped(asASCII: true))'), or fix the line",
          line: line, column: 1)
      }
      recordCount += 1
    }
    if recordCount == 0 {
      throw DataError(
        code: "csv-empty", message: "the file is empty: it has no header line",
        remedy: "the first line must name the columns")
    }
    return try buildTable(rows: recordCount - 1)
  }

  /// Scans one record starting at `start`, appending its fields; returns the offset after it.
  mutating func scanRecord(from start: Int) throws(DataError) -> Int {
    let n = p.count
    var i = start
    while true {
      if i < n, p[i] == quote {
        let open = i
        i += 1
        let contentStart = i
        var escaped = false
        while true {
          while i < n, p[i] != quote { i += 1 }
          if i >= n {
            let (line, column) = position(of: open)
            throw DataError(
              code: "csv-quote",
              message: "the quote opened on line \(line) is never closed",
              remedy: "close the quoted field with \", and write a quote inside it as \"\"",
              line: line, column: column)
          }
          if i + 1 < n, p[i + 1] == quote {
            escaped = true
            i += 2
            continue
          }
          break
        }
        let contentEnd = i
        i += 1
        while i < n, p[i] == space || (p[i] == tab && delimiter != tab) { i += 1 }
        if i < n, p[i] != delimiter, p[i] != lf, p[i] != cr {
          let (line, column) = position(of: i)
          throw DataError(
            code: "csv-quote",
            message: "line \(line) has text after the closing quote of a field",
            remedy: "quote the whole field, and write a quote inside it as \"\"",
            line: line, column: column)
        }
        if escaped {
          let sideStart = side.count
          var k = contentStart
          while k < contentEnd {
            side.append(p[k])
            k += p[k] == quote ? 2 : 1
          }
          spans.append(
            FieldSpan(
              start: UInt32(sideStart) | FieldSpan.sideFlag, end: UInt32(side.count),
              inputOffset: UInt32(open)))
        } else {
          spans.append(
            FieldSpan(
              start: UInt32(contentStart), end: UInt32(contentEnd), inputOffset: UInt32(open)))
        }
      } else {
        let s = i
        while i < n {
          let c = p[i]
          if c == delimiter || c == lf || c == cr { break }
          i += 1
        }
        spans.append(FieldSpan(start: UInt32(s), end: UInt32(i), inputOffset: UInt32(s)))
      }
      if i >= n { return i }
      let c = p[i]
      i += 1
      if c == delimiter { continue }
      if c == cr, i < n, p[i] == lf { i += 1 }
      return i
    }
  }

  /// The 1-based line and character column of byte `offset`.
  func position(of offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    var k = 0
    let end = min(offset, p.count)
    while k < end {
      let c = p[k]
      if c == lf || (c == cr && (k + 1 >= p.count || p[k + 1] != lf)) {
        line += 1
        lineStart = k + 1
      }
      k += 1
    }
    var column = 1
    k = lineStart
    while k < end {
      if p[k] & 0xC0 != 0x80 { column += 1 }
      k += 1
    }
    return (line, column)
  }

  /// Runs `body` on a field's bytes.
  @inline(__always)
  func withField<R>(
    _ s: FieldSpan, _ sideBuffer: UnsafeBufferPointer<UInt8>,
    _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    if s.start & FieldSpan.sideFlag != 0 {
      let a = Int(s.start & ~FieldSpan.sideFlag)
      return body(UnsafeBufferPointer(rebasing: sideBuffer[a..<Int(s.end)]))
    }
    return body(UnsafeBufferPointer(rebasing: p[Int(s.start)..<Int(s.end)]))
  }

  func isNA(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for na in naBytes where na.count == b.count {
      if na.isEmpty { return true }
      var same = true
      for k in 0..<na.count where na[k] != b[k] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }

  func buildTable(rows: Int) throws(DataError) -> Table {
    let sideCopy = side
    let result: Result<Table, DataError> = sideCopy.withUnsafeBufferPointer { sb in
      do throws(DataError) {
        return .success(try buildTable(rows: rows, side: sb))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  func buildTable(rows: Int, side sb: UnsafeBufferPointer<UInt8>) throws(DataError) -> Table {
    let names = try headerNames(side: sb)
    var pairs: [(String, Column)] = []
    pairs.reserveCapacity(columnCount)
    for j in 0..<columnCount {
      pairs.append((names[j], try column(j, rows: rows, side: sb, name: names[j])))
    }
    return Table(pairs)
  }

  func headerNames(side sb: UnsafeBufferPointer<UInt8>) throws(DataError) -> [String] {
    var names: [String] = []
    var seen: [String: Int] = [:]
    for j in 0..<columnCount {
      let s = spans[j]
      let decoded = withField(s, sb) { String(validating: trimmedBlanks($0), as: UTF8.self) }
      // The location is worked out only for an error: position(of:) scans from the start of
      // the file, so computing it for every header field made wide files quadratic in width.
      guard let name = decoded else {
        let (line, column) = position(of: Int(s.inputOffset))
        throw DataError(
          code: "csv-utf8", message: "the name of column \(j + 1) in the header is not valid UTF-8",
          remedy: utf8Remedy, line: line, column: column)
      }
      if name.isEmpty {
        let (line, column) = position(of: Int(s.inputOffset))
        throw DataError(
          code: "csv-header", message: "column \(j + 1) has an empty name in the header",
          remedy: "give every column a name on the first line", line: line, column: column)
      }
      if let first = seen[name] {
        let (line, column) = position(of: Int(s.inputOffset))
        throw DataError(
          code: "csv-header",
          message: "columns \(first + 1) and \(j + 1) are both named '\(name)'",
          remedy: "give each column a unique name on the first line", line: line, column: column)
      }
      seen[name] = j
      names.append(name)
    }
    return names
  }

  func column(_ j: Int, rows: Int, side sb: UnsafeBufferPointer<UInt8>, name: String)
    throws(DataError) -> Column
  {
    let stride = columnCount
    var doubles = [Double]()
    doubles.reserveCapacity(rows)
    var allMissing = true
    var numeric = true
    for r in 0..<rows {
      let s = spans[(r + 1) * stride + j]
      let value: Double? = withField(s, sb) { b in
        if isNA(b) || trimmedBlanks(b).isEmpty { return .nan }
        allMissing = false
        return parseCSVNumber(b)
      }
      guard let value else {
        numeric = false
        break
      }
      doubles.append(value)
    }
    if allMissing && numeric { return .logical([Bool?](repeating: nil, count: rows)) }
    if numeric { return .numeric(doubles) }
    doubles = []

    var logicals = [Bool?]()
    logicals.reserveCapacity(rows)
    var logical = true
    for r in 0..<rows {
      let s = spans[(r + 1) * stride + j]
      let value: Bool?? = withField(s, sb) { b in
        if isNA(b) || trimmedBlanks(b).isEmpty { return .some(nil) }
        return parseCSVLogical(b).map { .some($0) }
      }
      guard let value else {
        logical = false
        break
      }
      logicals.append(value)
    }
    if logical { return .logical(logicals) }
    logicals = []

    var texts = [String?]()
    texts.reserveCapacity(rows)
    for r in 0..<rows {
      let s = spans[(r + 1) * stride + j]
      var invalid = false
      let value: String? = withField(s, sb) { b in
        if isNA(b) { return nil }
        guard let t = String(validating: b, as: UTF8.self) else {
          invalid = true
          return nil
        }
        return t
      }
      if invalid {
        let (line, column) = position(of: Int(s.inputOffset))
        throw DataError(
          code: "csv-utf8",
          message: "line \(line), column '\(name)' (field \(j + 1)) is not valid UTF-8 text",
          remedy: utf8Remedy, line: line, column: column)
      }
      texts.append(value)
    }
    return .text(texts)
  }
}

private let utf8Remedy =
  "save the file as UTF-8 (in Excel: 'CSV UTF-8'), or convert it, e.g. iconv -f latin1 -t utf-8"

/// Exact powers of ten representable in a double.
private let exactPowersOfTen: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

@inline(__always) private func isBlank(_ c: UInt8) -> Bool { c == space || c == tab }

/// The bytes without leading and trailing spaces and tabs.
private func trimmedBlanks(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
  var lo = 0
  var hi = b.count
  while lo < hi, isBlank(b[lo]) { lo += 1 }
  while hi > lo, isBlank(b[hi - 1]) { hi -= 1 }
  return UnsafeBufferPointer(rebasing: b[lo..<hi])
}

/// Parses a decimal number, `Inf`/`infinity` (any case) or `NaN`, with an optional sign and
/// optional surrounding blanks; nil when the bytes are not such a number.
///
/// Correctly rounded: uses Clinger's exact fast path when the significand fits in 53 bits and
/// the decimal exponent is within ±22, and the C library's `strtod` (via `Double(String)`)
/// otherwise.
func parseCSVNumber(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
  var lo = 0
  var hi = b.count
  while lo < hi, isBlank(b[lo]) { lo += 1 }
  while hi > lo, isBlank(b[hi - 1]) { hi -= 1 }
  if lo == hi { return nil }
  var i = lo
  var negative = false
  if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
    negative = b[i] == UInt8(ascii: "-")
    i += 1
    if i == hi { return nil }
  }
  let first = b[i]
  if first >= UInt8(ascii: "A") {
    let word = UnsafeBufferPointer(rebasing: b[i..<hi])
    if matchesIgnoringCase(word, "inf") || matchesIgnoringCase(word, "infinity") {
      return negative ? -.infinity : .infinity
    }
    if word.elementsEqual("NaN".utf8) { return .nan }
    return nil
  }
  var mantissa: UInt64 = 0
  var significant = 0
  var exponent = 0
  var sawDigit = false
  var inexact = false
  let zero = UInt8(ascii: "0")
  while i < hi, b[i] &- zero < 10 {
    let d = UInt64(b[i] &- zero)
    sawDigit = true
    if mantissa == 0 && d == 0 {
      // leading zero
    } else if significant < 19 {
      mantissa = mantissa * 10 + d
      significant += 1
    } else {
      exponent += 1
      if d != 0 { inexact = true }
    }
    i += 1
  }
  if i < hi, b[i] == UInt8(ascii: ".") {
    i += 1
    while i < hi, b[i] &- zero < 10 {
      let d = UInt64(b[i] &- zero)
      sawDigit = true
      if mantissa == 0 && d == 0 {
        exponent -= 1
      } else if significant < 19 {
        mantissa = mantissa * 10 + d
        significant += 1
        exponent -= 1
      } else if d != 0 {
        inexact = true
      }
      i += 1
    }
  }
  if !sawDigit { return nil }
  if i < hi, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
    i += 1
    var expNegative = false
    if i < hi, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
      expNegative = b[i] == UInt8(ascii: "-")
      i += 1
    }
    var e = 0
    var sawExpDigit = false
    while i < hi, b[i] &- zero < 10 {
      if e < 100_000 { e = e * 10 + Int(b[i] &- zero) }
      sawExpDigit = true
      i += 1
    }
    if !sawExpDigit { return nil }
    exponent += expNegative ? -e : e
  }
  if i != hi { return nil }
  if mantissa == 0 { return negative ? -0.0 : 0.0 }
  if !inexact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
    let m = Double(mantissa)
    let v = exponent >= 0 ? m * exactPowersOfTen[exponent] : m / exactPowersOfTen[-exponent]
    return negative ? -v : v
  }
  let text = String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
  return Double(text)
}

private func matchesIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
  guard b.count == word.utf8CodeUnitCount else { return false }
  let w = word.utf8Start
  for k in 0..<b.count where b[k] | 0x20 != w[k] | 0x20 { return false }
  return true
}

/// Parses R's logical spellings (`TRUE FALSE True False true false T F`), with optional
/// surrounding blanks.
func parseCSVLogical(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
  var lo = 0
  var hi = b.count
  while lo < hi, isBlank(b[lo]) { lo += 1 }
  while hi > lo, isBlank(b[hi - 1]) { hi -= 1 }
  let w = UnsafeBufferPointer(rebasing: b[lo..<hi])
  switch w.count {
  case 1:
    if w[0] == UInt8(ascii: "T") { return true }
    if w[0] == UInt8(ascii: "F") { return false }
  case 4:
    if w.elementsEqual("TRUE".utf8) || w.elementsEqual("True".utf8)
      || w.elementsEqual("true".utf8)
    {
      return true
    }
  case 5:
    if w.elementsEqual("FALSE".utf8) || w.elementsEqual("False".utf8)
      || w.elementsEqual("false".utf8)
    {
      return false
    }
  default: break
  }
  return nil
}
