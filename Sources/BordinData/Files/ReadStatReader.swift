import CReadStat
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads SPSS (.sav, .zsav, .por), Stata (.dta) and SAS (.sas7bdat) files with ReadStat
/// (https://github.com/WizardMac/ReadStat), the library behind R's haven. The only file that
/// touches the C library.
///
/// The file is parsed from bytes already read (and hashed) by the caller, so the values are those
/// of the file provenance records. Types follow `haven::read_sav` + `haven::as_factor`:
/// - numeric columns are numbers;
/// - a column whose values all have value labels is a factor: text whose levels are the labels
///   of every labelled code, used or not, in code order, so that the lowest code is the reference
///   level, as `haven::as_factor` (`valueLabels: .codes` keeps the numbers instead). A column
///   with unlabelled values (a scale whose labels name only a missing code or the end points)
///   stays numeric with its labels kept, where `as_factor` would make every value a level;
/// - date, date-time and time formats (SPSS `DATE`, `ADATE`, `DATETIME`, `TIME`…, Stata `%td`,
///   `%tc`, SAS `DATE9.`, `DATETIME.`, `TIME.`…) become ISO 8601 text (`2024-03-01`,
///   `2024-03-01T10:30:00`, `10:30:00`);
/// - strings are text (an empty string is missing, as in CSV);
/// - SPSS user-missing values and ranges (of numbers and of strings) are missing, counted per column
///   (`userMissing: .keep` keeps them as values); Stata/SAS tagged missing values (`.a`) and
///   system-missing values are missing.
public enum ReadStatReader {
  public enum Format: String, Sendable, CaseIterable {
    case sav, zsav, por, dta, sas7bdat

    /// The format for a file name's extension, if it is one of these.
    public init?(extension ext: String) { self.init(rawValue: ext.lowercased()) }

    /// The format for a front-matter `format:` value: a family (`spss`, `stata`, `sas`) or an extension.
    public init?(name: String) {
      switch name.lowercased() {
      case "spss": self = .sav
      case "stata": self = .dta
      case "sas": self = .sas7bdat
      default: self.init(rawValue: name.lowercased())
      }
    }

    /// "SPSS", "Stata" or "SAS" and the file kind, for messages and provenance.
    public var description: String {
      switch self {
      case .sav: return "SPSS (.sav)"
      case .zsav: return "SPSS compressed (.zsav)"
      case .por: return "SPSS portable (.por)"
      case .dta: return "Stata (.dta)"
      case .sas7bdat: return "SAS (.sas7bdat)"
      }
    }

    var isSPSS: Bool { self == .sav || self == .zsav || self == .por }
  }

  public enum UserMissing: String, Sendable { case drop, keep }
  public enum ValueLabels: String, Sendable { case factors, codes }

  public struct Options: Sendable {
    public var userMissing: UserMissing = .drop
    public var valueLabels: ValueLabels = .factors
    /// Largest number of cells (rows × columns) read; a file declaring or holding more is refused.
    public var maxCells = 64 * 1024 * 1024
    public init() {}
  }

  /// What was read of one variable, for the codebook and provenance.
  public struct Variable: Sendable, Equatable {
    public enum Kind: String, Sendable { case numeric, factor, text, date, datetime, time }
    public var name: String
    public var label: String?
    public var kind: Kind
    /// The file's display format (`F8.2`, `DATE11`, `%td`).
    public var format: String
    public var valueLabels: [ColumnInfo.ValueLabel]
    /// Factor levels in code order (factor columns).
    public var levels: [String]?
    /// The user-missing rule as text (`-99`, `-99, -98`, `-9 thru -1`), if any.
    public var userMissing: String?
    /// Values set to missing by the user-missing rule (0 with `userMissing: .keep`).
    public var userMissingDropped: Int
    /// User-missing values kept as values (with `userMissing: .keep`).
    public var userMissingKept: Int
    /// Missing values in the column as read (system, tagged and dropped user-missing).
    public var missing: Int
  }

  public struct File: Sendable {
    public var format: Format
    public var table: Table
    public var variables: [Variable]
    public var fileLabel: String?
  }

  public struct ReadError: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var remedy: String?
  }

  /// ReadStat's version, from the file name of the loaded library (`libreadstat.so.1.1.8` →
  /// `1.1.8`, found in /proc/self/maps); "unknown" when it cannot be told.
  public static let version: String = {
    _ = readstat_error_message(READSTAT_OK)  // the library is loaded
    guard let f = fopen("/proc/self/maps", "r") else { return "unknown" }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 4096)
    while fgets(&line, Int32(line.count), f) != nil {
      let s = String(cString: line)
      guard s.contains("libreadstat"), let slash = s.firstIndex(of: "/") else { continue }
      let path = s[slash...].trimmingCharacters(in: .newlines)
      guard let real = realpath(path, nil) else { continue }
      defer { free(real) }
      let base = String(cString: real).split(separator: "/").last.map(String.init) ?? ""
      if let r = base.range(of: ".so.") { return String(base[r.upperBound...]) }
    }
    return "unknown"
  }()

  /// Parses `bytes` as a file of `format`.
  /// - Throws: `ReadError` `bad-data-file` (not a valid file of that format, with ReadStat's
  ///   message), `data-too-large` (over `options.maxCells`), `no-columns`.
  public static func read(_ bytes: [UInt8], format: Format, options: Options = Options()) throws(ReadError) -> File {
    // A Stata 13+ file is tagged: without its closing tag it was cut short, and ReadStat would
    // silently drop the value labels stored at the end.
    if format == .dta, bytes.starts(with: Array("<stata_dta>".utf8)) {
      var end = bytes.count
      while end > 0, [0x0A, 0x0D, 0x20, 0x00].contains(bytes[end - 1]) { end -= 1 }
      guard bytes[..<end].reversed().starts(with: Array("</stata_dta>".utf8).reversed()) else {
        throw ReadError(
          code: "bad-data-file", message: "not a readable \(format.description) file: it does not end with </stata_dta> (the file is cut short)",
          remedy: "copy or export the file again; the end of the file, with its value labels, is missing")
      }
    }
    let parser = readstat_parser_init()
    guard let parser else { throw ReadError(code: "out-of-memory", message: "ReadStat could not start") }
    defer { readstat_parser_free(parser) }
    let ctx = Collector(bytes: bytes, maxCells: options.maxCells)
    let ptr = Unmanaged.passUnretained(ctx).toOpaque()
    readstat_set_open_handler(parser) { _, _ in 0 }
    readstat_set_close_handler(parser) { _ in 0 }
    readstat_set_seek_handler(parser) { offset, whence, io in
      let c = Unmanaged<Collector>.fromOpaque(io!).takeUnretainedValue()
      let base: Int
      switch whence {
      case READSTAT_SEEK_SET: base = 0
      case READSTAT_SEEK_CUR: base = c.position
      default: base = c.bytes.count
      }
      let target = base + Int(offset)
      guard target >= 0, target <= c.bytes.count else { return -1 }
      c.position = target
      return readstat_off_t(target)
    }
    readstat_set_read_handler(parser) { buf, n, io in
      let c = Unmanaged<Collector>.fromOpaque(io!).takeUnretainedValue()
      let k = min(n, c.bytes.count - c.position)
      if k > 0, let buf {
        c.bytes.withUnsafeBufferPointer { src in _ = memcpy(buf, src.baseAddress! + c.position, k) }
        c.position += k
      }
      return k
    }
    readstat_set_update_handler(parser) { _, _, _, _ in READSTAT_OK }
    readstat_set_io_ctx(parser, ptr)
    readstat_set_metadata_handler(parser) { meta, raw in
      let c = Unmanaged<Collector>.fromOpaque(raw!).takeUnretainedValue()
      let rows = Int(readstat_get_row_count(meta)), vars = Int(readstat_get_var_count(meta))
      if rows > 0, vars > 0, rows.multipliedReportingOverflow(by: vars).overflow || rows * vars > c.maxCells {
        c.tooLarge = (rows, vars)
        return Int32(READSTAT_HANDLER_ABORT)
      }
      if let l = readstat_get_file_label(meta), l.pointee != 0 { c.fileLabel = String(cString: l) }
      c.declaredRows = rows
      return Int32(READSTAT_HANDLER_OK)
    }
    readstat_set_variable_handler(parser) { index, v, labels, raw in
      let c = Unmanaged<Collector>.fromOpaque(raw!).takeUnretainedValue()
      c.addVariable(Int(index), v!, labels.map { String(cString: $0) })
      return Int32(READSTAT_HANDLER_OK)
    }
    readstat_set_value_handler(parser) { obs, v, value, raw in
      let c = Unmanaged<Collector>.fromOpaque(raw!).takeUnretainedValue()
      return c.addValue(Int(obs), Int(readstat_variable_get_index(v)), v!, value) ? Int32(READSTAT_HANDLER_OK) : Int32(READSTAT_HANDLER_ABORT)
    }
    readstat_set_value_label_handler(parser) { set, value, label, raw in
      let c = Unmanaged<Collector>.fromOpaque(raw!).takeUnretainedValue()
      c.addValueLabel(String(cString: set!), value, String(cString: label!))
      return Int32(READSTAT_HANDLER_OK)
    }
    readstat_set_error_handler(parser) { msg, raw in
      let c = Unmanaged<Collector>.fromOpaque(raw!).takeUnretainedValue()
      if let msg { c.errors.append(String(cString: msg).trimmingTrailingNewlines()) }
    }
    let err: readstat_error_t
    switch format {
    case .sav, .zsav: err = readstat_parse_sav(parser, "", ptr)
    case .por: err = readstat_parse_por(parser, "", ptr)
    case .dta: err = readstat_parse_dta(parser, "", ptr)
    case .sas7bdat: err = readstat_parse_sas7bdat(parser, "", ptr)
    }
    if let (r, v) = ctx.tooLarge {
      throw ReadError(
        code: "data-too-large",
        message: "the \(format.description) file \(r >= 0 ? "declares \(r) rows of \(v) columns" : "holds more than \(options.maxCells) values"); the limit is \(options.maxCells) values",
        remedy: "save only the rows and columns the report needs")
    }
    guard err == READSTAT_OK else {
      var m = String(cString: readstat_error_message(err))
      if let e = ctx.errors.first { m += " (\(e))" }
      throw ReadError(
        code: "bad-data-file", message: "not a readable \(format.description) file: \(m)",
        remedy: "check that the file is complete and of this format (the extension, or `format:` in the data source, picks the reader)")
    }
    return try ctx.finish(format: format, options: options)
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var s = self
    while s.last == "\n" || s.last == "\r" { s.removeLast() }
    return s
  }
}

/// Collects ReadStat's callbacks; `finish` builds the table.
private final class Collector {
  let bytes: [UInt8]
  var position = 0
  let maxCells: Int
  var tooLarge: (Int, Int)?
  var declaredRows = -1
  var fileLabel: String?
  var errors: [String] = []

  struct Var {
    var name: String
    var label: String?
    var format: String
    var isString: Bool
    var labelSet: String?
    /// User-missing ranges (lo, hi) of a numeric SPSS variable.
    var missingRanges: [(Double, Double)] = []
    /// User-missing values of a string SPSS variable.
    var missingStrings: [String] = []
    var numbers: [Double] = []
    var strings: [String?] = []
    /// Rows whose value is user-missing.
    var userMissingRows: [Int] = []
  }
  var vars: [Var] = []
  /// Position in `vars` of each ReadStat variable index.
  var slot: [Int: Int] = [:]
  var maxRow = -1
  var cells = 0
  /// Value labels by label-set name: numeric or string codes.
  var numericLabels: [String: [(Double, String)]] = [:]
  var stringLabels: [String: [(String, String)]] = [:]

  init(bytes: [UInt8], maxCells: Int) {
    self.bytes = bytes
    self.maxCells = maxCells
  }

  func addVariable(_ index: Int, _ v: UnsafeMutablePointer<readstat_variable_t>, _ labels: String?) {
    let name = readstat_variable_get_name(v).map { String(cString: $0) } ?? "V\(index + 1)"
    let label = readstat_variable_get_label(v).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    let format = readstat_variable_get_format(v).map { String(cString: $0) } ?? ""
    let isString = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING
    var x = Var(name: name, label: label, format: format, isString: isString, labelSet: labels)
    for i in 0..<readstat_variable_get_missing_ranges_count(v) {
      let lo = readstat_variable_get_missing_range_lo(v, i), hi = readstat_variable_get_missing_range_hi(v, i)
      if isString {
        if readstat_value_type_class(lo) == READSTAT_TYPE_CLASS_STRING, let c = readstat_string_value(lo) {
          x.missingStrings.append(String(cString: c))
        }
      } else if let lo = Self.number(lo), let hi = Self.number(hi) {
        x.missingRanges.append((lo, hi))
      }
    }
    slot[index] = vars.count
    vars.append(x)
  }

  static func number(_ value: readstat_value_t) -> Double? {
    switch readstat_value_type(value) {
    case READSTAT_TYPE_INT8: return Double(readstat_int8_value(value))
    case READSTAT_TYPE_INT16: return Double(readstat_int16_value(value))
    case READSTAT_TYPE_INT32: return Double(readstat_int32_value(value))
    case READSTAT_TYPE_FLOAT: return Double(readstat_float_value(value))
    case READSTAT_TYPE_DOUBLE: return readstat_double_value(value)
    default: return nil
    }
  }

  func addValue(_ row: Int, _ index: Int, _ v: UnsafeMutablePointer<readstat_variable_t>, _ value: readstat_value_t) -> Bool {
    guard let p = slot[index], row >= 0 else { return true }
    cells += 1
    if cells > maxCells {
      tooLarge = (-1, vars.count)
      return false
    }
    if vars[p].isString {
      while vars[p].strings.count < row { vars[p].strings.append(nil) }
      let s = readstat_string_value(value).map { String(cString: $0) }
      if let s, vars[p].missingStrings.contains(s) { vars[p].userMissingRows.append(row) }
      vars[p].strings.append(s?.isEmpty == false ? s : nil)
    } else {
      while vars[p].numbers.count < row { vars[p].numbers.append(.nan) }
      var d = Double.nan
      if readstat_value_is_system_missing(value) == 0, readstat_value_is_tagged_missing(value) == 0,
        let n = Self.number(value)
      {
        d = n
        if vars[p].missingRanges.contains(where: { n >= $0.0 && n <= $0.1 }) { vars[p].userMissingRows.append(row) }
      }
      vars[p].numbers.append(d)
    }
    maxRow = max(maxRow, row)
    return true
  }

  func addValueLabel(_ set: String, _ value: readstat_value_t, _ label: String) {
    if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
      stringLabels[set, default: []].append((readstat_string_value(value).map { String(cString: $0) } ?? "", label))
    } else if readstat_value_is_tagged_missing(value) == 0, let n = Self.number(value) {
      numericLabels[set, default: []].append((n, label))
    }
  }

  func finish(format: ReadStatReader.Format, options: ReadStatReader.Options) throws(ReadStatReader.ReadError) -> ReadStatReader.File {
    guard !vars.isEmpty else {
      throw ReadStatReader.ReadError(code: "no-columns", message: "the \(format.description) file has no variables", remedy: nil)
    }
    // Fewer rows than the header declares: the file lost rows (ReadStat does not always say so).
    if declaredRows > maxRow + 1 {
      throw ReadStatReader.ReadError(
        code: "bad-data-file", message: "the \(format.description) file declares \(declaredRows) rows but holds \(maxRow + 1)",
        remedy: "the file is damaged or cut short; copy or export it again")
    }
    let rows = max(maxRow + 1, 0)
    var table = Table()
    var out: [ReadStatReader.Variable] = []
    var used = Set<String>()
    for var x in vars {
      // Names are unique in valid files; a damaged file could repeat one.
      var name = x.name
      var k = 2
      while used.contains(name) { name = "\(x.name)_\(k)"; k += 1 }
      used.insert(name)
      let kind = TemporalKind(format: x.format, fileFormat: format)
      var info = ColumnInfo(label: x.label)
      var variable = ReadStatReader.Variable(
        name: name, label: x.label, kind: .numeric, format: x.format, valueLabels: [], levels: nil,
        userMissing: x.isString ? (x.missingStrings.isEmpty ? nil : x.missingStrings.map { "\"\($0)\"" }.joined(separator: ", "))
          : Self.describe(x.missingRanges),
        userMissingDropped: 0, userMissingKept: 0, missing: 0)
      let column: Column
      if x.isString {
        while x.strings.count < rows { x.strings.append(nil) }
        if options.userMissing == .drop {
          for r in x.userMissingRows { x.strings[r] = nil }
          variable.userMissingDropped = x.userMissingRows.count
        } else {
          variable.userMissingKept = x.userMissingRows.count
        }
        let labels = (x.labelSet.flatMap { stringLabels[$0] } ?? []).sorted { $0.0 < $1.0 }
        info.valueLabels = labels.map { ColumnInfo.ValueLabel(code: $0.0, label: $0.1) }
        variable.kind = .text
        if !labels.isEmpty, options.valueLabels == .factors,
          case let map = Dictionary(labels, uniquingKeysWith: { a, _ in a }),
          x.strings.allSatisfy({ $0 == nil || map[$0!] != nil })
        {
          let present = Set(x.strings.compactMap { $0 })
          let codes = Set(labels.map(\.0)).union(present).sorted()
          info.levels = unique(codes.map { map[$0] ?? $0 })
          column = .text(x.strings.map { $0.map { map[$0] ?? $0 } })
          variable.kind = .factor
        } else {
          column = .text(x.strings)
        }
      } else {
        while x.numbers.count < rows { x.numbers.append(.nan) }
        if options.userMissing == .drop {
          for r in x.userMissingRows { x.numbers[r] = .nan }
          variable.userMissingDropped = x.userMissingRows.count
        } else {
          variable.userMissingKept = x.userMissingRows.count
        }
        let labels = (x.labelSet.flatMap { numericLabels[$0] } ?? []).sorted { $0.0 < $1.0 }
        info.valueLabels = labels.map { ColumnInfo.ValueLabel(code: formatShortest($0.0), label: $0.1) }
        if let kind {
          variable.kind = kind.variableKind
          column = .text(x.numbers.map { $0.isNaN ? nil : kind.iso($0) })
        } else if !labels.isEmpty, options.valueLabels == .factors,
          case let map = Dictionary(labels, uniquingKeysWith: { a, _ in a }),
          x.numbers.allSatisfy({ $0.isNaN || map[$0] != nil })
        {
          let present = Set(x.numbers.filter { !$0.isNaN })
          let codes = Set(labels.map(\.0)).union(present).sorted()
          info.levels = unique(codes.map { map[$0] ?? formatShortest($0) })
          column = .text(x.numbers.map { $0.isNaN ? nil : map[$0] ?? formatShortest($0) })
          variable.kind = .factor
        } else {
          column = .numeric(x.numbers)
        }
      }
      variable.valueLabels = info.valueLabels
      variable.levels = info.levels
      variable.missing = column.missingCount
      table[name] = column
      if info != ColumnInfo() { table.info[name] = info }
      out.append(variable)
    }
    return ReadStatReader.File(format: format, table: table, variables: out, fileLabel: fileLabel)
  }

  private func unique(_ xs: [String]) -> [String] {
    var seen = Set<String>()
    return xs.filter { seen.insert($0).inserted }
  }

  static func describe(_ ranges: [(Double, Double)]) -> String? {
    if ranges.isEmpty { return nil }
    return ranges.map { lo, hi in
      if lo == hi { return formatShortest(lo) }
      let l = lo == -.infinity || lo <= -Double.greatestFiniteMagnitude ? "lowest" : formatShortest(lo)
      let h = hi == .infinity || hi >= Double.greatestFiniteMagnitude ? "highest" : formatShortest(hi)
      return "\(l) thru \(h)"
    }.joined(separator: ", ")
  }
}

/// Dates, date-times and times by display format, with each family's epoch.
private struct TemporalKind {
  enum Unit { case date, datetime, time }
  let unit: Unit
  /// Seconds (date-time, time) or days (date) per stored unit, and the epoch in days before 1970-01-01.
  let scale: Double
  let epochDays: Double

  var variableKind: ReadStatReader.Variable.Kind {
    switch unit {
    case .date: return .date
    case .datetime: return .datetime
    case .time: return .time
    }
  }

  init?(format raw: String, fileFormat: ReadStatReader.Format) {
    var f = raw.uppercased()
    if fileFormat == .dta {
      // Stata: %td (days since 1960), %tc / %tC (milliseconds since 1960), %d (old dates).
      if f.hasPrefix("%TD") || f.hasPrefix("%D") {
        (unit, scale, epochDays) = (.date, 1, 3653)
      } else if f.hasPrefix("%TC") {
        (unit, scale, epochDays) = (.datetime, 0.001, 3653)
      } else {
        return nil
      }
      return
    }
    while let last = f.last, last.isNumber || last == "." { f.removeLast() }
    if fileFormat.isSPSS {
      // SPSS: seconds since 1582-10-14 (141428 days before 1970-01-01).
      switch f {
      case "DATE", "ADATE", "EDATE", "JDATE", "SDATE": (unit, scale, epochDays) = (.date, 1 / 86400, 141428)
      case "DATETIME", "YMDHMS": (unit, scale, epochDays) = (.datetime, 1, 141428)
      case "TIME", "DTIME": (unit, scale, epochDays) = (.time, 1, 0)
      default: return nil
      }
      return
    }
    // SAS: days (dates) or seconds (date-times) since 1960-01-01.
    let dates: Set<String> = [
      "DATE", "DDMMYY", "MMDDYY", "YYMMDD", "E8601DA", "B8601DA", "WORDDATE", "WEEKDATE", "MONYY", "YYMMDDN",
      "DDMMYYN", "MMDDYYN", "DDMMYYS", "MMDDYYS", "YYMMDDS", "DDMMYYD", "MMDDYYD", "YYMMDDD", "DDMMYYP", "MMDDYYP",
      "YYMMDDP", "NLDATE", "EURDFDE", "MINGUO",
    ]
    if dates.contains(f) {
      (unit, scale, epochDays) = (.date, 1, 3653)
    } else if ["DATETIME", "E8601DT", "B8601DT", "DATEAMPM", "NLDATM", "MDYAMPM"].contains(f) {
      (unit, scale, epochDays) = (.datetime, 1, 3653)
    } else if ["TIME", "TOD", "HHMM", "E8601TM", "B8601TM", "TIMEAMPM", "HOUR"].contains(f) {
      (unit, scale, epochDays) = (.time, 1, 0)
    } else {
      return nil
    }
  }

  /// The ISO 8601 text of stored value `x`.
  func iso(_ x: Double) -> String? {
    guard x.isFinite else { return nil }
    switch unit {
    case .date:
      let days = (x * scale).rounded(.down) - epochDays
      guard abs(days) < 1e8 else { return nil }
      return civil(Int(days))
    case .datetime:
      let secs = x * scale - epochDays * 86400
      guard abs(secs) < 1e13 else { return nil }
      let day = (secs / 86400).rounded(.down)
      return civil(Int(day)) + "T" + clock(secs - day * 86400)
    case .time:
      guard abs(x) < 1e13 else { return nil }
      return clock(x * scale)
    }
  }

  /// `YYYY-MM-DD` of days since 1970-01-01 (H. Hinnant's civil_from_days).
  private func civil(_ z0: Int) -> String {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
  }

  /// `HH:MM:SS` (with fractional seconds when present) of seconds in the day.
  private func clock(_ s: Double) -> String {
    let neg = s < 0
    let a = abs(s)
    let whole = a.rounded(.down)
    var w = Int(whole)
    // Round to milliseconds; carry.
    var ms = Int(((a - whole) * 1000).rounded())
    if ms == 1000 { w += 1; ms = 0 }
    let h = w / 3600, m = (w % 3600) / 60, sec = w % 60
    var out = (neg ? "-" : "") + pad(h, 2) + ":" + pad(m, 2) + ":" + pad(sec, 2)
    if ms > 0 {
      var f = pad(ms, 3)
      while f.last == "0" { f.removeLast() }
      out += "." + f
    }
    return out
  }

  private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(abs(n))
    return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
  }
}
