import Foundation

/// Reads the computed values back out of rendered HTML: every element carrying `data-ref`,
/// with its content. `bordin verify` compares these one by one; tests read values with it.
public enum ComputedValues {
  public struct Value: Equatable, Sendable {
    /// The value path (`model.coef["ext_pre"].estimate`), unescaped.
    public var ref: String
    /// The element's inner HTML as written.
    public var html: String
    /// The text a reader sees: tags removed, entities decoded.
    public var text: String
    /// 1-based line in the HTML.
    public var line: Int
  }

  /// Every `data-ref` element in document order.
  ///
  /// The scans back to an element's `<` and forward to its closing tag share one budget of
  /// byte steps (16 per byte of the page, at least 16 Mi): a page Bordin wrote needs a few steps
  /// per byte, while hostile markup (unclosed elements, `data-ref` outside any tag) would make
  /// them quadratic; there the extraction stops early and `bordin verify` reports the values as
  /// differing, instead of hanging.
  public static func extract(_ html: String) -> [Value] {
    var out: [Value] = []
    let bytes = Array(html.utf8)
    var budget = max(1 << 24, 16 * bytes.count)
    let needle = Array(" data-ref=\"".utf8)
    var i = 0
    var line = 1
    var lineCountedTo = 0
    while i + needle.count < bytes.count {
      guard bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle else { i += 1; continue }
      // The element's tag name: scan back to '<'.
      var t = i
      while t > 0, bytes[t] != UInt8(ascii: "<") { t -= 1; budget -= 1 }
      let name = String(decoding: bytes[(t + 1)...].prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: ">") }, as: UTF8.self)
      let refStart = i + needle.count
      guard let refEnd = bytes[refStart...].firstIndex(of: UInt8(ascii: "\"")),
            let tagEnd = bytes[refEnd...].firstIndex(of: UInt8(ascii: ">")) else { break }
      let close = Array("</\(name)>".utf8)
      let open = Array("<\(name)".utf8)
      var depth = 1
      var j = tagEnd + 1
      while j < bytes.count {
        budget -= 1
        if budget < 0 { return out }
        if bytes[j] == UInt8(ascii: "<") {
          if bytes[j...].starts(with: close) { depth -= 1; if depth == 0 { break } } else if bytes[j...].starts(with: open) { depth += 1 }
        }
        j += 1
      }
      for k in lineCountedTo..<i where bytes[k] == UInt8(ascii: "\n") { line += 1 }
      lineCountedTo = i
      let inner = String(decoding: bytes[(tagEnd + 1)..<min(j, bytes.count)], as: UTF8.self)
      out.append(Value(ref: unescape(String(decoding: bytes[refStart..<refEnd], as: UTF8.self)), html: inner,
                       text: unescape(stripTags(inner)), line: line))
      i = tagEnd + 1
    }
    return out
  }

  /// The first value with path `ref`, as the reader sees it.
  public static func text(_ html: String, _ ref: String) -> String? {
    extract(html).first { $0.ref == ref }?.text
  }

  static func stripTags(_ s: String) -> String {
    var out = ""
    var inTag = false
    for ch in s {
      if ch == "<" { inTag = true } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
    }
    return out
  }

  static func unescape(_ s: String) -> String {
    guard s.contains("&") else { return s }
    return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&nbsp;", with: "\u{00A0}").replacingOccurrences(of: "&amp;", with: "&")
  }
}
