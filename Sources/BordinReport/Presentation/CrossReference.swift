/// Small text helpers shared by the report layer: HTML escaping, trimming, edit distance.
extension String {
  /// The string without leading and trailing spaces, tabs and newlines.
  func trimmingWhitespace() -> String {
    let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let a = firstIndex(where: { !ws($0) }), let b = lastIndex(where: { !ws($0) }) else { return "" }
    return String(self[a...b])
  }
}

/// Escapes text for HTML element content and attribute values (`&`, `<`, `>`, `"`, `'`), and
/// for the XML of the Atom feed: NUL, the other C0 controls but TAB, LF and CR, the
/// noncharacters U+FFFE/U+FFFF (invalid in XML 1.0, and a NUL truncates text at the C
/// Markdown renderer) become U+FFFD, so a stray control byte in data is visible, never lost.
func escapeHTML(_ s: String) -> String {
  var out = ""
  out.reserveCapacity(s.utf8.count)
  for ch in s.unicodeScalars {
    switch ch {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    case "\t", "\n", "\r": out.unicodeScalars.append(ch)
    case _ where ch.value < 0x20 || ch.value == 0xFFFE || ch.value == 0xFFFF: out += "\u{FFFD}"
    default: out.unicodeScalars.append(ch)
    }
  }
  return out
}

/// `s` with every NUL replaced by U+FFFD: text handed to the C Markdown renderer as a C string
/// (a NUL would end it, losing the rest of a table and its `</table>`). ``escapeHTML(_:)``
/// already does this for text from data; this guards HTML built any other way.
func withoutNUL(_ s: String) -> String {
  guard s.utf8.contains(0) else { return s }
  return String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
}

/// The candidate closest to `s` by edit distance, if it is close enough to be a likely typo.
func didYouMean(_ s: String, _ candidates: [String]) -> String? {
  var best: (String, Int)?
  let limit = max(2, s.count / 3)
  for c in candidates {
    let d = editDistance(s.lowercased(), c.lowercased())
    if d <= limit, best == nil || d < best!.1 { best = (c, d) }
  }
  return best?.0
}

/// " Did you mean 'x'?" or an empty string.
func didYouMeanSuffix(_ s: String, _ candidates: [String]) -> String {
  didYouMean(s, candidates).map { "; did you mean '\($0)'?" } ?? ""
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a), b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var prev = Array(0...b.count)
  var cur = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    cur[0] = i
    for j in 1...b.count {
      cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&prev, &cur)
  }
  return prev[b.count]
}

/// Splits prose text into plain runs, `@fig-…`/`@tbl-…` cross-references and (when the report
/// has a bibliography) citations: `[@key]`, `[@a; @b, p. 3]` and narrative `@key`.
enum CrossReference {
  enum Piece: Equatable {
    case text(String)
    case reference(String)
    case citation([Bibliography.Cite], narrative: Bool)
  }

  static func split(_ s: String, citations: Bool = false) -> [Piece] {
    var out: [Piece] = []
    let chars = Array(s)
    var i = 0
    var run = ""
    func flush() { if !run.isEmpty { out.append(.text(run)); run = "" } }
    while i < chars.count {
      let boundary = i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber)
      if citations, chars[i] == "[", let (cites, end) = bracketCitation(chars, from: i) {
        flush()
        out.append(.citation(cites, narrative: false))
        i = end
        continue
      }
      if chars[i] == "@", boundary {
        let (key, end) = citationKey(chars, from: i + 1)
        if key.hasPrefix("fig-") || key.hasPrefix("tbl-") {
          var label = key
          while label.hasSuffix("-") || label.hasSuffix(".") || label.hasSuffix(":") { label.removeLast() }
          if label.count > 4, label.allSatisfy(isLabelChar) {
            flush()
            out.append(.reference(label))
            i += 1 + label.count
            continue
          }
        } else if citations, !key.isEmpty {
          flush()
          out.append(.citation([.init(key: key, locator: nil)], narrative: true))
          i = end
          continue
        }
      }
      run.append(chars[i])
      i += 1
    }
    flush()
    return out
  }

  /// A citation key after `@`: letters, digits and `_-:.`, without trailing punctuation.
  static func citationKey(_ c: [Character], from start: Int) -> (String, Int) {
    var j = start
    while j < c.count, c[j].isLetter || c[j].isNumber || "_-:.".contains(c[j]) { j += 1 }
    while j > start, "-:.".contains(c[j - 1]) { j -= 1 }
    return (String(c[start..<j]), j)
  }

  /// `[@a, p. 3; @b]` starting at `from` (the `[`): the cites and the index after `]`.
  static func bracketCitation(_ c: [Character], from: Int) -> ([Bibliography.Cite], Int)? {
    guard let close = c[from...].firstIndex(of: "]") else { return nil }
    let inner = String(c[(from + 1)..<close])
    var cites: [Bibliography.Cite] = []
    for part in inner.split(separator: ";") {
      let t = String(part).trimmingWhitespace()
      guard t.hasPrefix("@") else { return nil }
      let (key, end) = citationKey(Array(t), from: 1)
      guard !key.isEmpty else { return nil }
      var rest = String(Array(t)[end...]).trimmingWhitespace()
      if rest.hasPrefix(",") { rest = String(rest.dropFirst()).trimmingWhitespace() }
      cites.append(.init(key: key, locator: rest.isEmpty ? nil : rest))
    }
    return cites.isEmpty ? nil : (cites, close + 1)
  }

  static func isLabelChar(_ c: Character) -> Bool {
    c == "-" || (c.isASCII && (c.isLowercase || c.isNumber))
  }
}
