import Foundation

/// A strict, bounded JSON reader for the files `bordin verify` is handed (`results.json`),
/// producing a ``ResultValue`` with object keys in file order.
///
/// Unlike `JSONSerialization` it keeps key order (so paths print in the record's order), reads
/// numbers with Swift's correctly rounded `Double(_:)` (a recorded shortest round-trip double
/// reads back bit for bit), distinguishes integers by their text, and refuses nesting deeper
/// than ``maxDepth`` instead of recursing without bound, and refuses duplicate keys (which
/// would let one file say two things). Input is bytes: invalid UTF-8 in a
/// string is an error, never repaired.
enum RecordJSON {
  /// Deepest nesting accepted (a Bordin record nests about ten levels).
  static let maxDepth = 64

  struct Failure: Error, Equatable {
    var offset: Int
    var message: String
  }

  static func parse(_ bytes: [UInt8]) throws(Failure) -> ResultValue {
    var p = Parser(b: bytes)
    p.space()
    let v = try p.value(depth: 0)
    p.space()
    guard p.i == bytes.count else { throw Failure(offset: p.i, message: "text after the JSON value") }
    return v
  }

  private struct Parser {
    let b: [UInt8]
    var i = 0

    mutating func space() {
      while i < b.count, b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9 { i += 1 }
    }

    func fail(_ m: String) -> Failure { Failure(offset: i, message: m) }

    mutating func value(depth: Int) throws(Failure) -> ResultValue {
      guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
      guard i < b.count else { throw fail("unexpected end") }
      switch b[i] {
      case UInt8(ascii: "{"):
        i += 1
        var fields: [(String, ResultValue)] = []
        var keys = Set<String>()
        space()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
        while true {
          space()
          guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
          let k = try string()
          guard keys.insert(k).inserted else { throw fail("duplicate key '\(k.prefix(40))'") }
          space()
          guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
          i += 1
          space()
          fields.append((k, try value(depth: depth + 1)))
          space()
          guard i < b.count else { throw fail("unexpected end") }
          if b[i] == UInt8(ascii: ",") { i += 1; continue }
          if b[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
          throw fail("expected ',' or '}'")
        }
      case UInt8(ascii: "["):
        i += 1
        var items: [ResultValue] = []
        space()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
          space()
          items.append(try value(depth: depth + 1))
          space()
          guard i < b.count else { throw fail("unexpected end") }
          if b[i] == UInt8(ascii: ",") { i += 1; continue }
          if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
          throw fail("expected ',' or ']'")
        }
      case UInt8(ascii: "\""):
        return .string(try string())
      case UInt8(ascii: "t"): try word("true"); return .bool(true)
      case UInt8(ascii: "f"): try word("false"); return .bool(false)
      case UInt8(ascii: "n"): try word("null"); return .null
      default:
        return try number()
      }
    }

    mutating func word(_ w: String) throws(Failure) {
      let u = Array(w.utf8)
      guard i + u.count <= b.count, Array(b[i..<(i + u.count)]) == u else { throw fail("unexpected character") }
      i += u.count
    }

    mutating func number() throws(Failure) -> ResultValue {
      let start = i
      var integral = true
      if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
      let digits = i
      while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
      guard i > digits else { throw fail("unexpected character") }
      if b[digits] == 48, i - digits > 1 { throw fail("leading zero in a number") }
      if i < b.count, b[i] == UInt8(ascii: ".") {
        integral = false
        i += 1
        let f = i
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        guard i > f else { throw fail("no digits after '.'") }
      }
      if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
        integral = false
        i += 1
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let e = i
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        guard i > e else { throw fail("no digits in the exponent") }
      }
      let text = String(decoding: b[start..<i], as: UTF8.self)
      if integral, let n = Int(text) { return .int(n) }
      guard let d = Double(text), d.isFinite else { throw fail("number '\(text.prefix(40))' is out of range") }
      return .number(d)
    }

    mutating func hex4() throws(Failure) -> UInt32 {
      guard i + 4 <= b.count else { throw fail("short \\u escape") }
      var v: UInt32 = 0
      for _ in 0..<4 {
        let c = b[i]
        let d: UInt8
        switch c {
        case 48...57: d = c - 48
        case 65...70: d = c - 55
        case 97...102: d = c - 87
        default: throw fail("bad \\u escape")
        }
        v = v * 16 + UInt32(d)
        i += 1
      }
      return v
    }

    mutating func string() throws(Failure) -> String {
      i += 1  // the opening quote
      var out: [UInt8] = []
      var start = i
      while true {
        guard i < b.count else { throw fail("unterminated string") }
        let c = b[i]
        if c == UInt8(ascii: "\"") { break }
        if c < 0x20 { throw fail("control character in a string") }
        if c != UInt8(ascii: "\\") { i += 1; continue }
        out += b[start..<i]
        i += 1
        guard i < b.count else { throw fail("unterminated string") }
        let e = b[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""): out.append(34)
        case UInt8(ascii: "\\"): out.append(92)
        case UInt8(ascii: "/"): out.append(47)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "u"):
          var u = try hex4()
          if (0xD800..<0xDC00).contains(u) {
            guard i + 6 <= b.count, b[i] == 92, b[i + 1] == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
            i += 2
            let lo = try hex4()
            guard (0xDC00..<0xE000).contains(lo) else { throw fail("unpaired surrogate") }
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
          } else if (0xDC00..<0xE000).contains(u) {
            throw fail("unpaired surrogate")
          }
          guard let scalar = Unicode.Scalar(u) else { throw fail("bad \\u escape") }
          out += Array(String(Character(scalar)).utf8)
        default:
          throw fail("bad escape")
        }
        start = i
      }
      out += b[start..<i]
      i += 1
      guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
      return s
    }
  }
}
