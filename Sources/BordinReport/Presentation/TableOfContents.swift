import Foundation

/// `toc: true` (front matter): a numbered table of contents of the body's `##` and `###`
/// headings, and the same numbers on the headings themselves — R Markdown's `toc: true` with
/// `number_sections: true`, at depth 2 (`1`, `1.1`, …; an `h3` before any `h2` counts under
/// section 0, as Pandoc does).
///
/// Each numbered heading gets an id `sec-SLUG` (lower-case ASCII letters and digits joined by
/// hyphens, from the heading's text), unique on the page: an id the body already uses, or an
/// earlier heading's, gets `-2`, `-3`, … So the same body always gives the same ids.
struct TableOfContents {
  struct Item { var level: Int; var number: String; var id: String; var text: String }
  var items: [Item] = []
  /// The body with ids and numbers on its headings.
  var body: String

  init(_ html: String) {
    var taken = Self.ids(in: html)
    var out = ""
    var rest = Substring(html)
    var counts = [0, 0]
    while let r = rest.range(of: "<h") {
      let digit = r.upperBound
      guard digit < rest.endIndex, let level = Int(String(rest[digit])), level == 2 || level == 3 else {
        out += rest[..<digit]
        rest = rest[digit...]
        continue
      }
      let after = rest.index(after: digit)
      guard rest[after...].hasPrefix(">"), let close = rest[after...].range(of: "</h\(level)>") else {
        out += rest[..<after]
        rest = rest[after...]
        continue
      }
      let inner = rest[rest.index(after: after)..<close.lowerBound]
      if level == 2 { counts[0] += 1; counts[1] = 0 } else { counts[1] += 1 }
      let number = level == 2 ? "\(counts[0])" : "\(counts[0]).\(counts[1])"
      let text = ComputedValues.unescape(ComputedValues.stripTags(String(inner)))
      let hasWord = text.unicodeScalars.contains { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
      let base = "sec-" + (hasWord ? Site.slug(text) : "section")
      var id = base
      var n = 1
      while taken.contains(id) { n += 1; id = "\(base)-\(n)" }
      taken.insert(id)
      items.append(Item(level: level, number: number, id: id, text: String(inner)))
      out += rest[..<r.lowerBound]
      out += "<h\(level) id=\"\(id)\"><span class=\"bordin-secnum\">\(number)</span> \(inner)</h\(level)>"
      rest = rest[close.upperBound...]
    }
    body = out + rest
  }

  /// The `id="…"` values already in `html`.
  static func ids(in html: String) -> Set<String> {
    var out = Set<String>()
    var rest = Substring(html)
    while let r = rest.range(of: " id=\"") {
      guard let q = rest[r.upperBound...].firstIndex(of: "\"") else { break }
      out.insert(String(rest[r.upperBound..<q]))
      rest = rest[q...]
    }
    return out
  }

  /// The table of contents: nested lists of links, numbered as the headings; empty when the
  /// body has no `##` or `###` heading.
  var nav: String {
    guard !items.isEmpty else { return "" }
    var h = "<nav class=\"toc\" aria-label=\"Contents\">\n<h2 class=\"toc-title\">Contents</h2>\n<ul>\n"
    var open = false  // an h2's sub-list is open
    var item = false  // an h2's <li> is open
    for it in items {
      let link = "<a href=\"#\(it.id)\"><span class=\"bordin-secnum\">\(it.number)</span> \(ComputedValues.stripTags(it.text))</a>"
      if it.level == 2 {
        if open { h += "</ul>\n"; open = false }
        if item { h += "</li>\n" }
        h += "<li>" + link
        item = true
      } else {
        if !item { h += "<li>"; item = true }
        if !open { h += "\n<ul>\n"; open = true }
        h += "<li>" + link + "</li>\n"
      }
    }
    if open { h += "</ul>\n" }
    if item { h += "</li>\n" }
    return h + "</ul>\n</nav>\n"
  }
}
