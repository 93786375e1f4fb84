import Foundation

/// Site mode (DESIGN.md §4): for a folder of reports, an `index.html` (newest first, with
/// summary and topics), one page per topic under `topics/`, and an Atom `feed.xml`. Links are
/// relative, so the folder can be served from anywhere; output is deterministic (dates come
/// from the reports' front matter, never from the clock).
public struct Site {
  public struct Entry: Sendable {
    /// The report page's file name, e.g. `prn-monthly-2022-12.html`.
    public var file: String
    public var report: RenderedReport
    public init(file: String, report: RenderedReport) {
      self.file = file
      self.report = report
    }
  }

  public var title: String
  /// The site's absolute URL, if known (`site.url` in bordin.yml): used for feed ids and links.
  public var url: String?
  public var entries: [Entry]

  public init(title: String, url: String?, entries: [Entry]) {
    self.title = title
    self.url = url
    // Newest first; ties by title then file, so the order never depends on the file system.
    self.entries = entries.sorted {
      let a = $0.report.date ?? "", b = $1.report.date ?? ""
      if a != b { return a > b }
      if $0.report.title != $1.report.title { return $0.report.title < $1.report.title }
      return $0.file < $1.file
    }
  }

  /// A URL-safe slug for a topic: lower-case ASCII letters and digits joined by hyphens.
  public static func slug(_ s: String) -> String {
    var out = ""
    var dash = false
    for ch in s.lowercased().unicodeScalars {
      if ch.isASCII, CharacterSet.alphanumerics.contains(ch) {
        if dash, !out.isEmpty { out += "-" }
        out.unicodeScalars.append(ch)
        dash = false
      } else {
        dash = true
      }
    }
    return out.isEmpty ? "topic" : out
  }

  /// Topics in alphabetical order with their entries (newest first).
  public var topics: [(name: String, slug: String, entries: [Entry])] {
    let names = Set(entries.flatMap(\.report.topics)).sorted()
    return names.map { t in (t, Self.slug(t), entries.filter { $0.report.topics.contains(t) }) }
  }

  /// Every file of the site other than the report pages: path relative to the site folder → text.
  public func files() -> [(path: String, text: String)] {
    var out: [(String, String)] = [("index.html", index())]
    for t in topics { out.append(("topics/\(t.slug).html", topicPage(t.name, t.entries))) }
    out.append(("feed.xml", feed()))
    return out
  }

  func index() -> String {
    var body = "<header class=\"bordin-title\">\n<h1>\(escapeHTML(title))</h1>\n"
    if !topics.isEmpty {
      body += "<nav aria-label=\"Topics\"><ul class=\"bordin-topics\">"
      body += topics.map { "<li><a href=\"topics/\($0.slug).html\">\(escapeHTML($0.name))</a></li>" }.joined()
      body += "</ul></nav>\n"
    }
    body += "<p><a href=\"feed.xml\">Atom feed</a></p>\n</header>\n"
    body += list(entries, prefix: "")
    return page(title: title, body: body)
  }

  func topicPage(_ topic: String, _ items: [Entry]) -> String {
    var body = "<header class=\"bordin-title\">\n<p><a href=\"../index.html\">\(escapeHTML(title))</a></p>\n"
    body += "<h1>\(escapeHTML(topic))</h1>\n</header>\n"
    body += list(items, prefix: "../")
    return page(title: "\(topic) — \(title)", body: body)
  }

  private func list(_ items: [Entry], prefix: String) -> String {
    guard !items.isEmpty else { return "<p>No reports yet.</p>\n" }
    var h = "<ol class=\"bordin-index\">\n"
    for e in items {
      h += "<li><article>\n<h2><a href=\"\(prefix)\(escapeHTML(e.file))\">\(escapeHTML(e.report.title))</a></h2>\n"
      if let d = e.report.date { h += "<p class=\"bordin-date\"><time datetime=\"\(escapeHTML(d))\">\(escapeHTML(d))</time></p>\n" }
      if let s = e.report.summary { h += "<p>\(escapeHTML(s))</p>\n" }
      if !e.report.topics.isEmpty {
        h += "<ul class=\"bordin-topics\">" + e.report.topics.map {
          "<li><a href=\"\(prefix)topics/\(Self.slug($0)).html\">\(escapeHTML($0))</a></li>"
        }.joined() + "</ul>\n"
      }
      h += "</article></li>\n"
    }
    return h + "</ol>\n"
  }

  private func page(title: String, body: String) -> String {
    Page.fill(["{{lang}}": "en", "{{version}}": bordinVersion, "{{title}}": escapeHTML(title),
               "{{css}}": Theme.css + "\n", "{{header}}": "", "{{body}}": body, "{{appendix}}": ""])
  }

  /// An Atom 1.0 feed (RFC 4287) of the reports, newest first.
  func feed() -> String {
    let base = url.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    let updated = entries.compactMap { $0.report.date }.max() ?? "1970-01-01"
    var x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
    x += "  <title>\(escapeHTML(title))</title>\n"
    x += "  <id>\(escapeHTML(base ?? "urn:bordin:site:\(Self.slug(title))"))</id>\n"
    x += "  <updated>\(Self.atomDate(updated))</updated>\n"
    x += "  <generator version=\"\(bordinVersion)\">Bordin</generator>\n"
    x += "  <link rel=\"alternate\" href=\"\(escapeHTML((base ?? "") + "index.html"))\"/>\n"
    if let base { x += "  <link rel=\"self\" href=\"\(escapeHTML(base + "feed.xml"))\"/>\n" }
    for e in entries {
      x += "  <entry>\n"
      x += "    <title>\(escapeHTML(e.report.title))</title>\n"
      x += "    <id>\(escapeHTML(base.map { $0 + e.file } ?? "urn:bordin:report:\(e.file)"))</id>\n"
      x += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(escapeHTML((base ?? "") + e.file))\"/>\n"
      x += "    <updated>\(Self.atomDate(e.report.date ?? updated))</updated>\n"
      x += "    <author><name>\(escapeHTML(e.report.author ?? title))</name></author>\n"
      if let s = e.report.summary { x += "    <summary>\(escapeHTML(s))</summary>\n" }
      for t in e.report.topics { x += "    <category term=\"\(escapeHTML(Self.slug(t)))\" label=\"\(escapeHTML(t))\"/>\n" }
      x += "  </entry>\n"
    }
    return x + "</feed>\n"
  }

  /// `2022-12-01` → `2022-12-01T00:00:00Z`; a full timestamp is kept.
  static func atomDate(_ d: String) -> String {
    d.count == 10 ? d + "T00:00:00Z" : d
  }
}
