/// Small text helpers shared by the report layer: HTML escaping, trimming, edit distance.
extension String {
  /// The string without leading and trailing spaces, tabs and newlines.
  func trimmingWhitespace() -> String {
    let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let a = firstIndex(where: { !ws($0) }), let b = lastIndex(where: { !ws($0) }) else { return "" }
    return String(self[a...b])
  }
}

/// Escapes text for HTML element content and attribute values (`&`, `<`, `>`, `"`, `'`).
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
    default: out.unicodeScalars.append(ch)
    }
  }
  return out
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

/// Splits text into plain runs and `@fig-…`/`@tbl-…` cross-references.
enum CrossReference {
  enum Piece: Equatable { case text(String), reference(String) }

  static func split(_ s: String) -> [Piece] {
    var out: [Piece] = []
    let chars = Array(s)
    var i = 0
    var run = ""
    while i < chars.count {
      if chars[i] == "@", i + 4 < chars.count,
         i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber),
         String(chars[(i + 1)...(i + 4)]) == "fig-" || String(chars[(i + 1)...(i + 4)]) == "tbl-" {
        var j = i + 5
        while j < chars.count, isLabelChar(chars[j]) { j += 1 }
        // A trailing hyphen belongs to the prose, not the label.
        while j > i + 5, chars[j - 1] == "-" { j -= 1 }
        if j > i + 5 {
          if !run.isEmpty { out.append(.text(run)); run = "" }
          out.append(.reference(String(chars[(i + 1)..<j])))
          i = j
          continue
        }
      }
      run.append(chars[i])
      i += 1
    }
    if !run.isEmpty { out.append(.text(run)) }
    return out
  }

  static func isLabelChar(_ c: Character) -> Bool {
    c == "-" || (c.isASCII && (c.isLowercase || c.isNumber))
  }
}
