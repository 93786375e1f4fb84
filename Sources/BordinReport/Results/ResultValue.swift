/// A computed result as an ordered JSON-like tree: what `.results.json` records and what inline
/// paths (`{label.field[key]}`) read.
///
/// Objects keep their field order so output is deterministic; numbers are doubles written at full
/// precision (shortest round-trip text), NaN and infinities as JSON `null`.
public indirect enum ResultValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case int(Int)
  case string(String)
  case array([ResultValue])
  case object([(String, ResultValue)])

  public static func == (a: ResultValue, b: ResultValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.int(let x), .int(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The field called `name` of an object.
  public subscript(name: String) -> ResultValue? {
    if case .object(let fields) = self { return fields.first { $0.0 == name }?.1 }
    return nil
  }

  public var fields: [(String, ResultValue)]? {
    if case .object(let f) = self { return f }
    return nil
  }

  public var double: Double? {
    switch self {
    case .number(let d): return d
    case .int(let i): return Double(i)
    default: return nil
    }
  }

  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// Builds an object from fields, dropping nil values.
  static func object(_ pairs: KeyValuePairs<String, ResultValue?>) -> ResultValue {
    .object(pairs.compactMap { k, v in v.map { (k, $0) } })
  }
}

extension ResultValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
  public init(floatLiteral v: Double) { self = .number(v) }
  public init(integerLiteral v: Int) { self = .int(v) }
  public init(stringLiteral v: String) { self = .string(v) }
  public init(booleanLiteral v: Bool) { self = .bool(v) }
}

/// Writes a ``ResultValue`` as JSON, deterministically: fields in order, two-space indent,
/// doubles in their shortest round-trip form.
enum JSONWriter {
  /// Appends `v` as JSON to the UTF-8 bytes `out` (one buffer for the whole document: the
  /// report's source text alone can be megabytes).
  static func write(_ v: ResultValue, indent: Int = 0, into out: inout [UInt8]) {
    func pad(_ n: Int) { out.append(contentsOf: repeatElement(32, count: 2 * n)) }
    switch v {
    case .null: out += "null".utf8
    case .bool(let b): out += (b ? "true" : "false").utf8
    case .int(let i): out += String(i).utf8
    case .number(let d): out += number(d).utf8
    case .string(let s): quote(s, into: &out)
    case .array(let items):
      if items.isEmpty { out += "[]".utf8; return }
      if items.allSatisfy(isScalar) {
        out.append(UInt8(ascii: "["))
        for (i, x) in items.enumerated() {
          if i > 0 { out += ", ".utf8 }
          write(x, indent: indent + 1, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return
      }
      out += "[\n".utf8
      for (i, x) in items.enumerated() {
        pad(indent + 1)
        write(x, indent: indent + 1, into: &out)
        out += (i + 1 < items.count ? ",\n" : "\n").utf8
      }
      pad(indent)
      out.append(UInt8(ascii: "]"))
    case .object(let fields):
      if fields.isEmpty { out += "{}".utf8; return }
      out += "{\n".utf8
      for (i, (k, x)) in fields.enumerated() {
        pad(indent + 1)
        quote(k, into: &out)
        out += ": ".utf8
        write(x, indent: indent + 1, into: &out)
        out += (i + 1 < fields.count ? ",\n" : "\n").utf8
      }
      pad(indent)
      out.append(UInt8(ascii: "}"))
    }
  }

  static func string(_ v: ResultValue) -> String {
    var out: [UInt8] = []
    write(v, into: &out)
    out.append(10)
    // Every byte written is ASCII or copied from a valid Swift string, so this cannot repair.
    return String(decoding: out, as: UTF8.self)
  }

  private static func isScalar(_ v: ResultValue) -> Bool {
    switch v {
    case .array, .object: return false
    default: return true
    }
  }

  /// Shortest text that reads back as the same double (Swift's algorithm); null when not finite.
  static func number(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + (d == 0 && d.sign == .minus ? "" : "") }
    return "\(d)"
  }

  static func quote(_ s: String) -> String {
    var out: [UInt8] = []
    quote(s, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends `s` as a JSON string literal. Runs of bytes that need no escape are copied whole
  /// (multi-byte UTF-8 included); `<` is written `\u003c` so the JSON is safe inside HTML.
  static func quote(_ s: String, into out: inout [UInt8]) {
    var s = s
    s.withUTF8 { bytes in
      let need = out.count + bytes.count + 2
      if out.capacity < need { out.reserveCapacity(max(need, 2 * out.capacity)) }
      out.append(UInt8(ascii: "\""))
      var start = 0
      for (i, b) in bytes.enumerated() where b < 0x20 || b == 34 || b == 92 || b == 60 {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        start = i + 1
        switch b {
        case 34: out += "\\\"".utf8
        case 92: out += "\\\\".utf8
        case 10: out += "\\n".utf8
        case 13: out += "\\r".utf8
        case 9: out += "\\t".utf8
        case 60: out += "\\u003c".utf8
        default:
          let hex: StaticString = "0123456789abcdef"
          out += "\\u00".utf8
          out.append(hex.utf8Start[Int(b >> 4)])
          out.append(hex.utf8Start[Int(b & 15)])
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
      out.append(UInt8(ascii: "\""))
    }
  }
}
