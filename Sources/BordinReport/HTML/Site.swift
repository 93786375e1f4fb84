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
    let slugs = topicSlugs
    let names = Set(entries.flatMap(\.report.topics)).sorted()
    return names.map { t in (t, slugs[t]!, entries.filter { $0.report.topics.contains(t) }) }
  }

  /// Each topic's page slug, unique: topics whose slugs collide (`A B`, `a-b`, `a/b` are all
  /// `a-b`) get `-2`, `-3`, … in the alphabetical order of their names, so no page overwrites
  /// another and the same topics always get the same slugs.
  public var topicSlugs: [String: String] {
    var out: [String: String] = [:]
    var taken = Set<String>()
    for t in Set(entries.flatMap(\.report.topics)).sorted() {
      let base = Self.slug(t)
      var s = base
      var n = 1
      while taken.contains(s) { n += 1; s = "\(base)-\(n)" }
      taken.insert(s)
      out[t] = s
    }
    return out
  }

  /// A relative link to a file of the site: each path segment percent-encoded (only
  /// unreserved characters kept) and prefixed with `./`, so a name such as
  /// `javascript:alert(1);x.html` is a path, never a URL scheme.
  public static func relativeLink(_ path: String) -> String {
    "./" + percentEncoded(path)
  }

  static func percentEncoded(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: false).map { seg in
      var out = ""
      for b in seg.utf8 {
        let c = Character(UnicodeScalar(b))
        if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) } else {
          out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
        }
      }
      return out
    }.joined(separator: "/")
  }

  /// The feed's base URL: `site.url` with a trailing `/`, only when it is an http(s) URL (a
  /// `javascript:` or relative value from a stranger's bordin.yml is not used; the CLI warns).
  public static func feedBase(_ url: String?) -> String? {
    guard let u = url.flatMap(Bibliography.safeURL) else { return nil }
    return u.hasSuffix("/") ? u : u + "/"
  }

  /// Names a report page may not have in a site, because the site writes them itself.
  public static let reservedNames: Set<String> = ["index"]

  /// Diagnostics for report output names that the site's own files would overwrite.
  public static func collisions(outputNames: [(name: String, file: String)]) -> [Diagnostic] {
    outputNames.filter { reservedNames.contains($0.name.lowercased()) }.map {
      Diagnostic(file: $0.file, line: 1, code: "site-name-collision",
                 message: "the report page '\($0.name).html' would be overwritten by the site's own '\($0.name).html'",
                 remedy: "rename the report (for example to '\($0.name)-report.md')")
    }
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
      body += topics.map { "<li><a href=\"\(Self.relativeLink("topics/\($0.slug).html"))\">\(escapeHTML($0.name))</a></li>" }.joined()
      body += "</ul></nav>\n"
    }
    body += "<p><a href=\"./feed.xml\">Atom feed</a></p>\n</header>\n"
    let years = archive
    if years.isEmpty { body += list([], prefix: "") }
    if years.count > 1 {
      body += "<nav aria-label=\"Archive by year\"><ul class=\"bordin-years\">"
      body += years.map { "<li><a href=\"#\(Self.yearID($0.year))\">\(escapeHTML($0.year))</a></li>" }.joined()
      body += "</ul></nav>\n"
    }
    for y in years {
      body += "<section class=\"bordin-year\" aria-labelledby=\"\(Self.yearID(y.year))\">\n<h2 id=\"\(Self.yearID(y.year))\">\(escapeHTML(y.year))</h2>\n"
      body += list(y.entries, prefix: "", heading: "h3") + "</section>\n"
    }
    return withSiteHeader(page(title: title, body: body), prefix: "./")
  }

  /// The archive: entries grouped by the year of their `date` (newest year first, entries
  /// newest first within it); entries without a date come last under "Undated".
  public var archive: [(year: String, entries: [Entry])] {
    var out: [(year: String, entries: [Entry])] = []
    for e in entries {
      let y = e.report.date.flatMap { FrontMatter.isISODate($0) ? String($0.prefix(4)) : nil } ?? "Undated"
      if out.last?.year == y { out[out.count - 1].entries.append(e) } else { out.append((y, [e])) }
    }
    return out
  }

  static func yearID(_ y: String) -> String { y == "Undated" ? "undated" : "year-" + y }

  func topicPage(_ topic: String, _ items: [Entry]) -> String {
    var body = "<header class=\"bordin-title\">\n<p><a href=\"../index.html\">\(escapeHTML(title))</a></p>\n"
    body += "<h1>\(escapeHTML(topic))</h1>\n</header>\n"
    body += list(items, prefix: "../", topic: topic)
    return withSiteHeader(page(title: "\(topic) — \(title)", body: body), prefix: "../")
  }

  /// A link to a file of the site from a page whose way to the site root is `prefix`
  /// (`./` from the root, `../` from `topics/`).
  static func link(_ path: String, prefix: String) -> String {
    escapeHTML(prefix == "./" ? relativeLink(path) : prefix + percentEncoded(path))
  }

  /// The site header (DESIGN.md §4): the site's title linking to the index, and the topics.
  func siteHeader(prefix: String) -> String {
    var h = "<header class=\"bordin-site\"><nav aria-label=\"Site\"><ul>"
    h += "<li class=\"bordin-site-title\"><a href=\"\(Self.link("index.html", prefix: prefix))\">\(escapeHTML(title))</a></li>"
    for t in topics {
      h += "<li><a href=\"\(Self.link("topics/\(t.slug).html", prefix: prefix))\">\(escapeHTML(t.name))</a></li>"
    }
    return h + "</ul></nav></header>"
  }

  func withSiteHeader(_ html: String, prefix: String) -> String {
    SiteNavigation.fill(html, SiteNavigation.header, with: siteHeader(prefix: prefix))
  }

  /// A report page of the site with its navigation: the site header, its topic chips linked
  /// to their topic pages, and links to the previous (older, `rel="prev"`) and next (newer,
  /// `rel="next"`) report by date. Everything goes into the page's marked regions
  /// (``SiteNavigation``), so `bordin verify` still verifies the page. A file that is not an
  /// entry of the site is returned unchanged.
  public func navigated(file: String, html: String) -> String {
    guard let i = entries.firstIndex(where: { $0.file == file }) else { return html }
    let e = entries[i]
    var out = withSiteHeader(html, prefix: "./")
    if !e.report.topics.isEmpty, let chips = SiteNavigation.content(SiteNavigation.topics, in: out) {
      // Link each rendered chip (in order, as the report lists them) to its topic page.
      let slugs = topicSlugs
      var linked = chips
      var from = linked.startIndex
      for t in e.report.topics {
        let plain = "<li>\(escapeHTML(t))</li>"
        guard let r = linked[from...].utf8Range(of: plain) else { continue }
        let a = "<li><a href=\"\(Self.link("topics/\(slugs[t]!).html", prefix: "./"))\">\(escapeHTML(t))</a></li>"
        let at = linked.utf8.distance(from: linked.startIndex, to: r.lowerBound)
        linked.replaceSubrange(r, with: a)
        from = linked.utf8.index(linked.startIndex, offsetBy: at + a.utf8.count)
      }
      out = SiteNavigation.fill(out, SiteNavigation.topics, with: linked)
    }
    let older = i + 1 < entries.count ? entries[i + 1] : nil
    let newer = i > 0 ? entries[i - 1] : nil
    if older != nil || newer != nil {
      var p = "<nav class=\"bordin-pager\" aria-label=\"Previous and next report\"><ul>"
      if let o = older { p += "<li><a rel=\"prev\" href=\"\(Self.link(o.file, prefix: "./"))\">← \(escapeHTML(o.report.title))</a></li>" }
      if let n = newer { p += "<li><a rel=\"next\" href=\"\(Self.link(n.file, prefix: "./"))\">\(escapeHTML(n.report.title)) →</a></li>" }
      out = SiteNavigation.fill(out, SiteNavigation.pager, with: p + "</ul></nav>")
    }
    return out
  }

  /// The articles of an entry (its `each` children with a title) to list under it: on a topic
  /// page only those filed under the topic.
  static func articles(of e: Entry, topic: String?) -> [ChildArticle] {
    guard let topic else { return e.report.articles }
    return e.report.articles.filter { $0.topics.contains(topic) }
  }

  private func list(_ items: [Entry], prefix: String, heading: String = "h2", topic: String? = nil) -> String {
    guard !items.isEmpty else { return "<p>No reports yet.</p>\n" }
    var h = "<ol class=\"bordin-index\">\n"
    let slugs = topicSlugs
    // `prefix` is "" or "../"; a link is then "./x" or "../x", never a bare name.
    let link = { (path: String) -> String in escapeHTML(prefix.isEmpty ? Self.relativeLink(path) : prefix + Self.percentEncoded(path)) }
    for e in items {
      h += "<li><article>\n<\(heading)><a href=\"\(link(e.file))\">\(escapeHTML(e.report.title))</a></\(heading)>\n"
      if let d = e.report.date { h += "<p class=\"bordin-date\"><time datetime=\"\(escapeHTML(d))\">\(escapeHTML(d))</time></p>\n" }
      let articles = Self.articles(of: e, topic: topic)
      if !articles.isEmpty {
        h += "<ul class=\"bordin-articles\">" + articles.map { "<li>\(escapeHTML($0.title))</li>" }.joined() + "</ul>\n"
      } else if let s = e.report.summary {
        h += "<p>\(escapeHTML(s))</p>\n"
      }
      if !e.report.topics.isEmpty {
        h += "<ul class=\"bordin-topics\">" + e.report.topics.map {
          "<li><a href=\"\(link("topics/\(slugs[$0]!).html"))\">\(escapeHTML($0))</a></li>"
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
    let base = Self.feedBase(url)
    let updated = entries.compactMap { $0.report.date.flatMap(Self.atomDate) }.max() ?? "1970-01-01T00:00:00Z"
    var x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
    x += "  <title>\(escapeHTML(title))</title>\n"
    x += "  <id>\(escapeHTML(base ?? "urn:bordin:site:\(Self.slug(title))"))</id>\n"
    x += "  <updated>\(escapeHTML(updated))</updated>\n"
    x += "  <generator version=\"\(bordinVersion)\">Bordin</generator>\n"
    x += "  <link rel=\"alternate\" href=\"\(escapeHTML((base ?? "") + "index.html"))\"/>\n"
    if let base { x += "  <link rel=\"self\" href=\"\(escapeHTML(base + "feed.xml"))\"/>\n" }
    let slugs = topicSlugs
    for e in entries {
      x += "  <entry>\n"
      x += "    <title>\(escapeHTML(e.report.title))</title>\n"
      let file = Self.percentEncoded(e.file)
      x += "    <id>\(escapeHTML(base.map { $0 + file } ?? "urn:bordin:report:\(file)"))</id>\n"
      x += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(escapeHTML(base.map { $0 + file } ?? "./" + file))\"/>\n"
      x += "    <updated>\(escapeHTML(e.report.date.flatMap(Self.atomDate) ?? updated))</updated>\n"
      x += "    <author><name>\(escapeHTML(e.report.author ?? title))</name></author>\n"
      if let s = e.report.summary { x += "    <summary>\(escapeHTML(s))</summary>\n" }
      for t in e.report.topics { x += "    <category term=\"\(escapeHTML(slugs[t]!))\" label=\"\(escapeHTML(t))\"/>\n" }
      x += "  </entry>\n"
    }
    return x + "</feed>\n"
  }

  /// `2022-12-01` → `2022-12-01T00:00:00Z`; an RFC 3339 timestamp is kept; anything else is
  /// nil (front matter diagnoses a `date:` that is not ISO 8601, see ``FrontMatter/isISODate(_:)``).
  static func atomDate(_ d: String) -> String? {
    guard FrontMatter.isISODate(d) else { return nil }
    return d.utf8.count == 10 ? d + "T00:00:00Z" : d
  }
}

extension String {
  /// The string left-padded with zeros to `n` characters.
  func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
