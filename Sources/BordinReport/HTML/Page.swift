import Foundation

/// The page around a report body: the layout of `templates/layout.html` with its CSS inlined.
enum Page {
  static func html(title: String, frontMatter fm: FrontMatter, body: String, appendix: String, meta: String = "") -> String {
    var header = "<header class=\"bordin-title\">\n<h1>\(escapeHTML(title))</h1>\n"
    if let a = fm.author { header += "<p class=\"bordin-author\">\(escapeHTML(a))</p>\n" }
    if let d = fm.date { header += "<p class=\"bordin-date\"><time datetime=\"\(escapeHTML(d))\">\(escapeHTML(d))</time></p>\n" }
    if !fm.topics.isEmpty {
      // Marked so that site mode can link each chip to its topic page (``SiteNavigation``).
      header += SiteNavigation.topics.open + "<ul class=\"bordin-topics\">" + fm.topics.map { "<li>\(escapeHTML($0))</li>" }.joined()
        + "</ul>" + SiteNavigation.topics.close + "\n"
    }
    header += "</header>\n"
    return fill([
      "{{lang}}": escapeHTML(fm.lang), "{{version}}": bordinVersion, "{{title}}": escapeHTML(title),
      "{{css}}": Theme.css + "\n", "{{header}}": header, "{{body}}": body, "{{appendix}}": appendix, "{{meta}}": meta,
    ])
  }

  /// The layout with its `{{placeholders}}` filled in one left-to-right pass, so filled text
  /// is never re-scanned; a placeholder without a value becomes empty.
  static func fill(_ fills: [String: String]) -> String {
    var out = ""
    var rest = Substring(Theme.layout + "\n")
    while let open = rest.range(of: "{{") {
      out += rest[..<open.lowerBound]
      let tail = rest[open.lowerBound...]
      if let close = tail.range(of: "}}"), tail[tail.index(tail.startIndex, offsetBy: 2)..<close.lowerBound].allSatisfy({ $0.isLetter }) {
        out += fills[String(tail[..<close.upperBound])] ?? ""
        rest = tail[close.upperBound...]
      } else {
        out += "{{"
        rest = tail.dropFirst(2)
      }
    }
    return out + rest
  }
}
