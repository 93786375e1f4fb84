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
  static func write(_ v: ResultValue, indent: Int = 0, into out: inout String) {
    let pad = String(repeating: "  ", count: indent)
    switch v {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .number(let d): out += number(d)
    case .string(let s): out += quote(s)
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      if items.allSatisfy(isScalar) {
        out += "["
        for (i, x) in items.enumerated() {
          if i > 0 { out += ", " }
          write(x, indent: indent + 1, into: &out)
        }
        out += "]"
        return
      }
      out += "[\n"
      for (i, x) in items.enumerated() {
        out += pad + "  "
        write(x, indent: indent + 1, into: &out)
        out += i + 1 < items.count ? ",\n" : "\n"
      }
      out += pad + "]"
    case .object(let fields):
      if fields.isEmpty { out += "{}"; return }
      out += "{\n"
      for (i, (k, x)) in fields.enumerated() {
        out += pad + "  " + quote(k) + ": "
        write(x, indent: indent + 1, into: &out)
        out += i + 1 < fields.count ? ",\n" : "\n"
      }
      out += pad + "}"
    }
  }

  static func string(_ v: ResultValue) -> String {
    var s = ""
    write(v, into: &s)
    return s + "\n"
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
    // Byte-wise over UTF-8 (multi-byte sequences are copied as they are): fast for long texts.
    var out: [UInt8] = [UInt8(ascii: "\"")]
    out.reserveCapacity(s.utf8.count + 16)
    let hex = Array("0123456789abcdef".utf8)
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out += [92, 34]
      case UInt8(ascii: "\\"): out += [92, 92]
      case 10: out += [92, UInt8(ascii: "n")]
      case 13: out += [92, UInt8(ascii: "r")]
      case 9: out += [92, UInt8(ascii: "t")]
      case UInt8(ascii: "<"): out += Array("\\u003c".utf8)  // safe to embed in HTML
      case 0..<0x20: out += [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
  }
}
