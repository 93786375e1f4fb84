import Foundation

/// The marked regions of a page that site mode fills after rendering (DESIGN.md §4), and the
/// rule by which `bordin verify` undoes them.
///
/// A page is rendered before the site is known, so the layout carries three marked regions:
/// the site header (after `<body>`), the previous/next pager (before `</body>`), both empty
/// when rendered, and the report's topic chips (in its title header), plain text when rendered.
/// The site step puts navigation into them. ``unmarked(_:)`` gives back the page as rendered —
/// header and pager emptied, the chips' relative links removed — so the render id (the SHA-256
/// of the page without its id tag) and verify's byte comparison cover everything else, the chip
/// texts included. A region may hold only navigation (``navigationProblems(_:)``): an edit that
/// hides other content in it is a difference, never stripped silently.
public enum SiteNavigation {
  typealias Marker = (open: String, close: String)
  static let header: Marker = ("<!--bordin-site:header-->", "<!--/bordin-site:header-->")
  static let pager: Marker = ("<!--bordin-site:pager-->", "<!--/bordin-site:pager-->")
  static let topics: Marker = ("<!--bordin-site:topics-->", "<!--/bordin-site:topics-->")

  /// The layout's skip link, the first thing in `<body>` (before the site header it skips).
  static let skipLink = "<a class=\"bordin-skip\" href=\"#bordin-main\">Skip to content</a>\n"

  /// Where a region stands: the header right after `<body>\n` and the skip link, the pager
  /// right before `\n</body>`, the chips at their first marker (the title header precedes the body).
  static func range(of m: Marker, in html: String) -> Range<String.Index>? {
    // Byte searches (``Swift/String/utf8Range(of:)``): the markers are ASCII, and Foundation's
    // `range(of:)` bridged each whole page to UTF-16, 25% of a 100-page site build (issue 24).
    if m == header {
      guard let b = html.utf8Range(of: "<body>\n" + skipLink + m.open) ?? html.utf8Range(of: "<body>\n" + m.open) else { return nil }
      let start = html.utf8.index(b.upperBound, offsetBy: -m.open.utf8.count)
      guard let c = html[start...].utf8Range(of: m.close) else { return nil }
      return start..<c.upperBound
    }
    if m == pager {
      guard let c = html.utf8LastRange(of: m.close + "\n</body>"),
            let o = html[..<c.lowerBound].utf8LastRange(of: m.open) else { return nil }
      return o.lowerBound..<html.utf8.index(c.lowerBound, offsetBy: m.close.utf8.count)
    }
    guard let o = html.utf8Range(of: m.open), let c = html[o.upperBound...].utf8Range(of: m.close) else { return nil }
    return o.lowerBound..<c.upperBound
  }

  /// The content of a region, or nil when the page has none.
  static func content(_ m: Marker, in html: String) -> String? {
    guard let r = range(of: m, in: html) else { return nil }
    let s = html.utf8[r]
    guard s.count >= m.open.utf8.count + m.close.utf8.count else { return nil }
    return String(decoding: s.dropFirst(m.open.utf8.count).dropLast(m.close.utf8.count), as: UTF8.self)
  }

  /// `html` with the region's content replaced (unchanged when the page has no such region).
  static func fill(_ html: String, _ m: Marker, with content: String) -> String {
    guard let r = range(of: m, in: html) else { return html }
    var out = html
    out.replaceSubrange(r, with: m.open + content + m.close)
    return out
  }

  /// The page as rendered, before the site step, and what in its regions is not navigation.
  public static func unmarked(_ html: String) -> (html: String, problems: [String]) {
    var out = html
    var problems: [String] = []
    for (m, name) in [(header, "site header"), (pager, "previous/next navigation")] {
      guard let c = content(m, in: out), !c.isEmpty else { continue }
      problems += navigationProblems(c).map { "the \(name) of the page \($0)" }
      out = fill(out, m, with: "")
    }
    if let c = content(topics, in: out) {
      out = fill(out, topics, with: removingRelativeLinks(c))
    }
    return (out, problems)
  }

  /// `<a href="./…">` / `<a href="../…">` and their `</a>` removed, so linked chips read as
  /// the plain chips they were rendered as; any other tag is kept (and then differs).
  static func removingRelativeLinks(_ s: String) -> String {
    var out = ""
    var rest = Substring(s)
    while let lt = rest.firstIndex(of: "<") {
      out += rest[..<lt]
      guard let gt = rest[lt...].firstIndex(of: ">") else { break }
      let tag = rest[lt...gt]
      if tag == "</a>" || (tag.hasPrefix("<a href=\"./") || tag.hasPrefix("<a href=\"../")) && tag.dropLast().filter({ $0 == "\"" }).count == 2 && tag.hasSuffix("\">") {
        // dropped
      } else {
        out += tag
      }
      rest = rest[rest.index(after: gt)...]
    }
    return out + rest
  }

  static let allowedTags: Set<String> = ["header", "nav", "ul", "li", "a", "span"]
  static let allowedAttributes: Set<String> = ["class", "aria-label", "href", "rel"]

  /// What in a filled region is not site navigation: a tag other than header, nav, ul, li, a,
  /// span; an attribute other than class, aria-label, href, rel; a link that is not relative
  /// (`./`, `../`, `#`); a comment or script. Empty for what ``Site`` writes.
  static func navigationProblems(_ s: String) -> [String] {
    var problems: [String] = []
    var rest = Substring(s)
    while let lt = rest.firstIndex(of: "<") {
      guard let gt = rest[lt...].firstIndex(of: ">") else { problems.append("has an unclosed tag"); break }
      var tag = rest[rest.index(after: lt)..<gt]
      rest = rest[rest.index(after: gt)...]
      if tag.hasPrefix("/") {
        if !allowedTags.contains(String(tag.dropFirst())) { problems.append("closes <\(tag.dropFirst())>, which is not navigation") }
        continue
      }
      let name = tag.prefix { $0.isLetter }
      guard allowedTags.contains(String(name)) else { problems.append("holds <\(tag.prefix(20))>, which is not navigation"); continue }
      tag = tag.dropFirst(name.count)
      // Attributes: ` name="value"` only.
      while !tag.isEmpty {
        guard tag.first == " ", let eq = tag.firstIndex(of: "="), tag[tag.index(after: eq)...].first == "\"" else {
          problems.append("has a malformed <\(name)> tag"); break
        }
        let attr = String(tag[tag.index(after: tag.startIndex)..<eq])
        let valueStart = tag.index(eq, offsetBy: 2)
        guard let q = tag[valueStart...].firstIndex(of: "\"") else { problems.append("has a malformed <\(name)> tag"); break }
        let value = tag[valueStart..<q]
        if !allowedAttributes.contains(attr) { problems.append("has the attribute '\(attr.prefix(20))', which navigation does not use") }
        if attr == "href", !(value.hasPrefix("./") || value.hasPrefix("../") || value.hasPrefix("#")) {
          problems.append("links to '\(value.prefix(40))', which is not a relative link of the site")
        }
        tag = tag[tag.index(after: q)...]
      }
    }
    return problems
  }
}
