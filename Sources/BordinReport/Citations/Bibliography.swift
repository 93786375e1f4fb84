import Foundation

/// APA 7 citations from a BibTeX bibliography: in-text citations (`[@key]`, `[@a; @b, p. 3]`,
/// narrative `@key`) and the reference list (APA Publication Manual, 7th ed., ch. 8–10).
///
/// One per render (a class): the order in which keys are first cited, which the reference list and
/// the "a"/"b" suffixes follow, accumulates across inline citations and the body.
final class Bibliography {
  struct Person: Equatable {
    var family: String
    var given: String
    /// "Family, G. G."
    var reference: String {
      let initials = given.split(whereSeparator: { $0 == " " || $0 == "." }).map { part -> String in
        part.split(separator: "-").map { String($0.prefix(1)) + "." }.joined(separator: "-")
      }.joined(separator: " ")
      return initials.isEmpty ? family : "\(family), \(initials)"
    }
  }

  let entries: [String: BibEntry]
  /// Year suffixes (2020a, 2020b) for works with the same author text and year.
  private(set) var suffix: [String: String] = [:]
  /// Keys cited, in order of first citation.
  private(set) var cited: [String] = []

  init(_ list: [BibEntry]) {
    var e: [String: BibEntry] = [:]
    for x in list where e[x.key] == nil { e[x.key] = x }
    entries = e
    var groups: [String: [String]] = [:]
    for x in list { groups[Self.authorText(x, narrative: false) + "|" + (x["year"] ?? "n.d."), default: []].append(x.key) }
    for (_, keys) in groups where keys.count > 1 {
      let sorted = keys.sorted { (entries[$0]?["title"] ?? "") < (entries[$1]?["title"] ?? "") }
      for (i, k) in sorted.enumerated() { suffix[k] = String(UnicodeScalar(UInt8(97 + min(i, 25)))) }
    }
  }

  static func people(_ s: String?) -> [Person] {
    guard let s, !s.isEmpty else { return [] }
    return s.components(separatedBy: " and ").map { raw in
      let n = raw.trimmingWhitespace()
      if let comma = n.firstIndex(of: ",") {
        return Person(family: String(n[..<comma]).trimmingWhitespace(), given: String(n[n.index(after: comma)...]).trimmingWhitespace())
      }
      let parts = n.split(separator: " ").map(String.init)
      guard parts.count > 1 else { return Person(family: n, given: "") }
      // "First von Last": the family name starts at the first lower-case particle, else is the last word.
      let particle = parts.dropLast().firstIndex { $0.first?.isLowercase ?? false }
      let split = particle ?? parts.count - 1
      return Person(family: parts[split...].joined(separator: " "), given: parts[..<split].joined(separator: " "))
    }
  }

  static func authorText(_ e: BibEntry, narrative: Bool) -> String {
    let a = people(e["author"] ?? e["editor"])
    switch a.count {
    case 0: return e["title"].map { "\u{201C}\($0)\u{201D}" } ?? e.key
    case 1: return a[0].family
    case 2: return a[0].family + (narrative ? " and " : " & ") + a[1].family
    default: return a[0].family + " et al."
    }
  }

  /// The year with its suffix, as plain text (escape it before it reaches HTML).
  func year(_ key: String) -> String {
    (entries[key]?["year"] ?? "n.d.") + (suffix[key] ?? "")
  }

  /// A link target for a reference: only `http(s)` URLs; a DOI becomes `https://doi.org/…`.
  /// Anything else (`javascript:`, `data:`, relative paths) is nil: shown as text, never a link.
  static func safeURL(_ s: String) -> String? {
    let t = s.trimmingWhitespace()
    let lower = t.lowercased()
    guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
    guard !t.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return nil }
    return t
  }

  /// One cited work with an optional locator ("p. 33").
  struct Cite: Equatable { var key: String; var locator: String? }

  /// HTML for a citation group: "(Smith, 2020; Jones & Lee, 2019, p. 4)" or "Smith (2020)".
  func html(_ cites: [Cite], narrative: Bool) -> String {
    for c in cites where !cited.contains(c.key) { cited.append(c.key) }
    let parts = cites.map { c -> String in
      guard let e = entries[c.key] else { return escapeHTML(c.key) }
      let loc = c.locator.map { ", " + escapeHTML($0) } ?? ""
      let who = escapeHTML(Self.authorText(e, narrative: narrative))
      let link = "<a class=\"bordin-cite\" href=\"#ref-\(escapeHTML(c.key))\">"
      let yr = escapeHTML(year(c.key))
      return narrative ? "\(link)\(who)</a> (\(yr)\(loc))" : "\(link)\(who), \(yr)\(loc)</a>"
    }
    return narrative ? parts.joined(separator: "; ") : "(" + parts.joined(separator: "; ") + ")"
  }

  /// One work's full APA reference (and counts it as cited).
  func cite(_ key: String, reference: Bool) -> String? {
    guard let e = entries[key] else { return nil }
    if !cited.contains(key) { cited.append(key) }
    return self.reference(e)
  }

  /// The reference list of every cited work, APA-ordered (first author, then year).
  func referenceList() -> String {
    guard !cited.isEmpty else { return "" }
    let keys = cited.sorted {
      let a = entries[$0].map { Self.sortKey($0) } ?? $0, b = entries[$1].map { Self.sortKey($0) } ?? $1
      return a == b ? year($0) < year($1) : a < b
    }
    var h = "<section class=\"bordin-references\" id=\"references\">\n<h2>References</h2>\n"
    for k in keys { if let e = entries[k] { h += "<p class=\"bordin-reference\" id=\"ref-\(escapeHTML(k))\">\(reference(e))</p>\n" } }
    return h + "</section>\n"
  }

  /// Characters a DOI keeps unencoded in a doi.org URL path.
  static let doiAllowed: CharacterSet = {
    var c = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    c.insert(charactersIn: "-._~/:;()")
    return c
  }()

  static func sortKey(_ e: BibEntry) -> String {
    (people(e["author"] ?? e["editor"]).map(\.family).joined(separator: " ") + " " + (e["year"] ?? "")).lowercased()
  }

  /// One APA 7 reference as HTML.
  func reference(_ e: BibEntry) -> String {
    let esc = escapeHTML
    var authors = Self.people(e["author"])
    let editorsOnly = authors.isEmpty
    if editorsOnly { authors = Self.people(e["editor"]) }
    var names = authors.map(\.reference)
    var who: String
    if names.count > 20 { names = Array(names.prefix(19)) + ["… " + authors.last!.reference] }
    switch names.count {
    case 0: who = ""
    case 1: who = names[0]
    case 2: who = names[0] + ", & " + names[1]
    default: who = names.dropLast().joined(separator: ", ") + ", & " + names.last!
    }
    if editorsOnly, !names.isEmpty { who += names.count == 1 ? " (Ed.)" : " (Eds.)" }
    let yr = "(" + esc(year(e.key)) + ")."
    let title = e["title"] ?? ""
    let period = { (s: String) -> String in s.hasSuffix(".") || s.hasSuffix("?") || s.hasSuffix("!") ? s : s + "." }
    var s = who.isEmpty ? "" : esc(period(who)) + " "
    s += yr + " "
    switch e.type {
    case "article":
      s += esc(period(title)) + " "
      if let j = e["journal"] {
        s += "<i>" + esc(j) + "</i>"
        if let v = e["volume"] { s += ", <i>" + esc(v) + "</i>" }
        if let n = e["number"] { s += "(" + esc(n) + ")" }
        if let p = e["pages"] { s += ", " + esc(p) }
        s += "."
      }
    case "book":
      s += "<i>" + esc(title) + "</i>"
      if let ed = e["edition"] { s += " (" + esc(ed) + " ed.)" }
      s += "."
      if let p = e["publisher"] { s += " " + esc(period(p)) }
    case "incollection", "inbook":
      s += esc(period(title))
      let eds = Self.people(e["editor"]).map { p in (p.given.split(separator: " ").map { String($0.prefix(1)) + "." }.joined(separator: " ") + " " + p.family).trimmingWhitespace() }
      s += " In "
      if !eds.isEmpty {
        s += esc(eds.count <= 2 ? eds.joined(separator: " & ") : eds.dropLast().joined(separator: ", ") + ", & " + eds.last!)
        s += eds.count == 1 ? " (Ed.), " : " (Eds.), "
      }
      s += "<i>" + esc(e["booktitle"] ?? "") + "</i>"
      if let p = e["pages"] { s += " (pp. " + esc(p) + ")" }
      s += "."
      if let p = e["publisher"] { s += " " + esc(period(p)) }
    case "phdthesis", "mastersthesis":
      let kind = e.type == "phdthesis" ? "Doctoral dissertation" : "Master’s thesis"
      s += "<i>" + esc(title) + "</i> [" + kind + (e["school"].map { ", " + esc($0) } ?? "") + "]."
    default:
      s += "<i>" + esc(period(title)) + "</i>"
      if let p = e["publisher"] ?? e["institution"] ?? e["howpublished"] { s += " " + esc(period(p)) }
    }
    // Links: only http(s); a DOI that is not a URL is resolved at doi.org (percent-encoded).
    let link = { (url: String) -> String in
      if let safe = Self.safeURL(url) { return " <a href=\"\(esc(safe))\">\(esc(safe))</a>" }
      return " " + esc(url)
    }
    if let doi = e["doi"] {
      let lower = doi.lowercased()
      if lower.hasPrefix("http://") || lower.hasPrefix("https://") { s += link(doi) } else {
        let path = doi.addingPercentEncoding(withAllowedCharacters: Self.doiAllowed) ?? ""
        s += " <a href=\"\(esc("https://doi.org/" + path))\">\(esc("https://doi.org/" + doi))</a>"
      }
    } else if let url = e["url"] {
      s += link(url)
    }
    return s
  }
}
