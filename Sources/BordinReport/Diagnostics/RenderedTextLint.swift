import Foundation

/// Checks on a report's rendered text that no single directive or inline value can make, because
/// the mistake is in how the prose and a value meet.
///
/// `relation-after-equals`: a sentence reads "*p* = < .001" when the template writes
/// `*p* = {x.p}` and the value brings its own relation ("< .001"). The scan looks in the HTML
/// outside `<script>` and `<style>` for `=`, `≤` or `≥` followed (past whitespace and tags, such as
/// `</em>` and the value's `<a …>`) by an escaped `<` or `>`. The warning is placed on the
/// template line that writes the value (found by the value's `data-ref`), else on line 1.
public enum RenderedTextLint {
  /// Warnings for the rendered `html` of the report whose Markdown source is `source`.
  public static func warnings(html: String, source: String, file: String) -> [Diagnostic] {
    let text = withoutScriptsAndStyles(html)
    let ns = text as NSString
    let pattern = #"(=|≤|≥|&le;|&ge;)((?:\s|<[A-Za-z/][^>]*>)*)(&lt;|&gt;)"#
    guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var out: [Diagnostic] = []
    for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
      let tags = ns.substring(with: m.range(at: 2))
      let snippet = context(ns, m.range)
      var line = 1, column = 1
      let ref = dataRef(in: tags)
      if let ref, let (l, c) = locate(ref, in: lines) { (line, column) = (l, c) }
      out.append(Diagnostic(
        .warning, file: file, line: line, column: column, code: "relation-after-equals",
        message: "the rendered text reads '\(snippet)': the value brings its own relation, so the sentence has two",
        remedy: ref.map { "write `{\($0) | p=}` (it writes '*p* = .032' or '*p* < .001' itself) instead of '*p* = `{\($0)}`'" }
          ?? "drop the '=' before a value that starts with '<' or '>'"))
    }
    return out
  }

  /// The HTML without the contents of `<script>` and `<style>` elements (JavaScript's `=>`).
  static func withoutScriptsAndStyles(_ html: String) -> String {
    var s = html
    for tag in ["script", "style"] {
      guard let re = try? NSRegularExpression(pattern: "<\(tag)\\b[^>]*>.*?</\(tag)>", options: [.dotMatchesLineSeparators, .caseInsensitive]) else { continue }
      s = re.stringByReplacingMatches(in: s, range: NSRange(location: 0, length: (s as NSString).length), withTemplate: "")
    }
    return s
  }

  /// The first `data-ref="…"` in `tags`, unescaped.
  static func dataRef(in tags: String) -> String? {
    guard let r = tags.range(of: "data-ref=\"") else { return nil }
    let rest = tags[r.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return unescape(String(rest[..<end]))
  }

  /// The 1-based line and column of the code span `{ref…}` in the source.
  static func locate(_ ref: String, in lines: [String]) -> (Int, Int)? {
    for (n, l) in lines.enumerated() {
      if let r = l.range(of: "{" + ref) { return (n + 1, l.distance(from: l.startIndex, to: r.lowerBound)) }
    }
    return nil
  }

  /// The match with up to 30 characters of its block's text before it and the value's first
  /// characters, tags removed and entities unescaped: "*Q*(3) = 41.20, p = < .001".
  static func context(_ ns: NSString, _ r: NSRange) -> String {
    let start = max(0, r.location - 400)
    let end = min(ns.length, r.location + r.length + 16)
    var before = ns.substring(with: NSRange(location: start, length: r.location + r.length - start))
    // From the start of the enclosing block (paragraph, list item, cell, heading, caption).
    if let re = try? NSRegularExpression(pattern: "<(p|li|td|th|h[1-6]|figcaption|dd|dt|div|blockquote)\\b[^>]*>", options: .caseInsensitive),
       let last = re.matches(in: before, range: NSRange(location: 0, length: (before as NSString).length)).last {
      before = (before as NSString).substring(from: last.range.location + last.range.length)
    } else if let gt = before.firstIndex(of: ">"), !before[..<gt].contains("<") {
      before = String(before[before.index(after: gt)...])  // a tag cut by the window
    }
    let after = ns.substring(with: NSRange(location: r.location + r.length, length: end - r.location - r.length))
    func plain(_ s: String) -> String {
      unescape(s.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression))
        .replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
    }
    let head = String(plain(before).suffix(30))
    return (head + plain(String(after.prefix { $0 != "<" }))).trimmingCharacters(in: .whitespaces)
  }

  static func unescape(_ s: String) -> String {
    s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&le;", with: "≤").replacingOccurrences(of: "&ge;", with: "≥")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
