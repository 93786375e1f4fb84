/// A rendered page cut into the parts a manuscript arranges (``ManuscriptStyle``): the title
/// block, the body, the reference list, the tables and figures, and the provenance appendix.
///
/// The page is Bordin's own output, so its parts are found by the markup Bordin writes
/// (`<header class="bordin-title">`, `<table class="apa">`, `<figure class="bordin-figure">`,
/// `<section class="bordin-references">`, `<section class="bordin-provenance">`); none of these
/// elements nests in another of its kind.
struct ManuscriptLayout {
  var header = ""
  var body = ""
  var references = ""
  /// The APA tables, then the figures, each in page order, when they are moved out of the body.
  var floats: [String] = []
  var appendix = ""

  /// The parts of `page`; with `moveFloats` the tables and figures are taken out of the body
  /// (APA 7 §7.6: in a manuscript they may follow the references, each on a page of its own).
  init(page: String, moveFloats: Bool) {
    var main = Substring(page)
    if let a = page.range(of: "<main id=\"bordin-main\">") ?? page.range(of: "<main>"), let b = page.range(of: "</main>", options: .backwards), a.upperBound <= b.lowerBound {
      main = page[a.upperBound..<b.lowerBound]
    }
    var rest = String(main)
    if let h = Self.element(in: rest, open: "<header class=\"bordin-title\"", close: "</header>") {
      header = String(rest[h]); rest.removeSubrange(h)
    }
    if let p = rest.range(of: "<section class=\"bordin-provenance\""), let end = rest.range(of: "</section>", options: .backwards), p.lowerBound < end.upperBound {
      appendix = String(rest[p.lowerBound..<end.upperBound]); rest.removeSubrange(p.lowerBound..<end.upperBound)
    }
    if let r = Self.element(in: rest, open: "<section class=\"bordin-references\"", close: "</section>") {
      references = String(rest[r]); rest.removeSubrange(r)
    }
    if moveFloats {
      var kept = ""
      var tail = Substring(rest)
      while let next = Self.nextFloat(in: tail) {
        kept += tail[..<next.lowerBound]
        floats.append(String(tail[next]))
        tail = tail[next.upperBound...]
      }
      rest = kept + tail
      // APA 7 §2.14: the references, then the tables, then the figures.
      floats = floats.filter { $0.hasPrefix(Self.tableOpen) } + floats.filter { !$0.hasPrefix(Self.tableOpen) }
    }
    body = rest
  }

  /// The range of the first element starting with `open` and ending at the next `close`.
  static func element<S: StringProtocol>(in s: S, open: String, close: String) -> Range<S.Index>? {
    guard let a = s.range(of: open), let b = s[a.upperBound...].range(of: close) else { return nil }
    return a.lowerBound..<b.upperBound
  }

  static let tableOpen = "<table class=\"apa\"", figureOpen = "<figure class=\"bordin-figure\""

  /// The next APA table or figure in `s`.
  static func nextFloat(in s: Substring) -> Range<Substring.Index>? {
    let t = element(in: s, open: tableOpen, close: "</table>"), f = element(in: s, open: figureOpen, close: "</figure>")
    switch (t, f) {
    case (let t?, let f?): return t.lowerBound < f.lowerBound ? t : f
    case (let t?, nil): return t
    case (nil, let f?): return f
    default: return nil
    }
  }

  /// The text inside the first `<span class="CLASS">` of `html`, markup kept.
  static func span(_ cls: String, in html: Substring) -> String? {
    guard let a = html.range(of: "<span class=\"\(cls)\">"), let b = html[a.upperBound...].range(of: "</span>") else { return nil }
    return String(html[a.upperBound..<b.lowerBound])
  }
}
