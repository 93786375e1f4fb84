import Foundation

/// `--to pdf`: the page printed by headless Chromium with Bordin's print stylesheet
/// (DESIGN.md §4, §8), plus the page box of ``pageCSS``: US Letter, 1-inch margins, the running
/// head at the top left and the page number at the top right (CSS Paged Media margin boxes,
/// which Chromium draws since version 131); tables and figures are not split across pages
/// where they fit (`break-inside: avoid`, in the print stylesheet). With `format:
/// apa-manuscript` the page is first rearranged as an APA manuscript (``manuscriptHTML``).
///
/// Chromium stamps the PDF with the time it was made (`/CreationDate`, `/ModDate`); both are
/// replaced by the report's date, in place and at the same length, so the cross-reference
/// offsets stay valid and the same page gives the same bytes with the same Chromium.
enum PDFWriter {
  static func write(page: String, info: ManuscriptInfo) throws(ExternalTool.Failure) -> [UInt8] {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-pdf-\(UUID().uuidString)")
    do { try FileManager.default.createDirectory(at: work.appendingPathComponent("profile"), withIntermediateDirectories: true) } catch {
      throw ExternalTool.Failure(code: "write-failed", message: "cannot make a temporary folder for PDF output: \(error)")
    }
    defer { try? FileManager.default.removeItem(at: work) }
    let html = printHTML(page: page, info: info)
    let input = work.appendingPathComponent("page.html"), output = work.appendingPathComponent("page.pdf")
    try DocxWriter.save(Array(html.utf8), input)
    _ = try ExternalTool.chromium.run([
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run", "--disable-background-networking",
      "--user-data-dir=" + work.appendingPathComponent("profile").path, "--no-pdf-header-footer",
      "--print-to-pdf=" + output.path, input.absoluteString,
    ], environment: ["HOME": work.path], directory: work, timeout: 180)
    guard let bytes = FileManager.default.contents(atPath: output.path), bytes.starts(with: Array("%PDF".utf8)) else {
      throw ExternalTool.Failure(code: "tool-failed", message: "Chromium wrote no PDF",
                                 remedy: "check that headless Chromium can print: chromium --headless --no-sandbox --print-to-pdf=x.pdf some.html")
    }
    return stamped([UInt8](bytes), epoch: info.epoch)
  }

  /// The page to print: Bordin's page (rearranged for a manuscript) with ``pageCSS`` added,
  /// and a content security policy that lets Chromium load nothing but inline data, so a
  /// Markdown image naming a URL or a file is not fetched (DESIGN.md §6: no network access,
  /// nothing read outside the project).
  static func printHTML(page: String, info: ManuscriptInfo) -> String {
    var html = info.style == .apaManuscript ? manuscriptHTML(page: page, info: info) : page
    if let head = html.range(of: "<head>") { html.insert(contentsOf: "\n" + contentPolicy, at: head.upperBound) } else { html = contentPolicy + html }
    let css = "<style>\n" + pageCSS(info) + "</style>\n"
    guard let end = html.range(of: "</head>") else { return css + html }
    return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: css)
  }

  static let contentPolicy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:\">"

  /// The page box, and for a manuscript the APA type: Times New Roman 12 pt, double spaced,
  /// paragraphs indented 0.5 in, headings by APA level, each part starting a page.
  static func pageCSS(_ info: ManuscriptInfo) -> String {
    let head = cssString(info.runningHead)
    var css = """
      @page { size: letter; margin: 1in;
        @top-left { content: "\(head)"; font: 10pt "Times New Roman", serif; }
        @top-right { content: counter(page); font: 10pt "Times New Roman", serif; } }
      @media print { main { max-width: none; padding: 0; } figure, table.apa, .bordin-float { break-inside: avoid; } figure svg { max-width: 100%; }
        h2, h3, h4, figcaption, caption { break-after: avoid; } }

      """
    if info.style == .apaManuscript {
      css += """
        body { font: 12pt/2 "Times New Roman", Times, serif; }
        main p { text-indent: .5in; margin: 0; }
        main p.bordin-reference { text-indent: -.5in; padding-left: .5in; }
        .bordin-title-page { text-align: center; padding-top: 2.5in; break-after: page; }
        .bordin-title-page h1 { font-size: 12pt; font-weight: bold; margin: 0 0 24pt; }
        .bordin-title-page p, .bordin-abstract p { text-indent: 0; margin: 0; }
        .bordin-title-page .bordin-topics { display: none; }
        .bordin-abstract { break-after: page; }
        .bordin-abstract h2, .bordin-manuscript-title, .bordin-references h2 { text-align: center; font-size: 12pt; font-weight: bold; margin: 0; }
        .bordin-references, .bordin-float, .bordin-provenance { break-before: page; }
        main h2 { font-size: 12pt; text-align: center; margin: 0; }
        main h3 { font-size: 12pt; margin: 0; }
        main h4 { font-size: 12pt; font-style: italic; margin: 0; }
        table.apa { line-height: 1.3; font-size: 11pt; }

        """
    }
    return css
  }

  /// `s` as a CSS string's contents.
  static func cssString(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n", "\r": out += " "
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  /// The page as an APA manuscript: title page, abstract page, the body under the title, the
  /// references, each table and figure on a page of its own, the provenance appendix.
  static func manuscriptHTML(page: String, info: ManuscriptInfo) -> String {
    let parts = ManuscriptLayout(page: page, moveFloats: true)
    var main = "<div class=\"bordin-title-page\">\n" + parts.header.replacingOccurrences(of: "<header class=\"bordin-title\">", with: "<header>") + "</div>\n"
    if let a = info.abstract {
      main += "<section class=\"bordin-abstract\">\n<h2>Abstract</h2>\n<p>\(escapeHTML(a))</p>\n</section>\n"
    }
    main += "<p class=\"bordin-manuscript-title\">\(escapeHTML(info.title))</p>\n" + parts.body + parts.references
    main += parts.floats.map { "<div class=\"bordin-float\">\n\($0)</div>\n" }.joined() + parts.appendix
    guard let a = page.range(of: "<main id=\"bordin-main\">") ?? page.range(of: "<main>"), let b = page.range(of: "</main>", options: .backwards), a.upperBound <= b.lowerBound else { return page }
    return String(page[..<a.upperBound]) + "\n" + main + String(page[b.lowerBound...])
  }

  /// `pdf` with its creation and modification dates set to `epoch` (the report's date).
  static func stamped(_ pdf: [UInt8], epoch: Int) -> [UInt8] {
    let date = Array(pdfDate(epoch).utf8)
    var out = pdf
    for key in ["/CreationDate (", "/ModDate ("].map({ Array($0.utf8) }) {
      var i = 0
      while let at = find(key, in: out, from: i) {
        let start = at + key.count
        guard let end = out[start...].firstIndex(of: UInt8(ascii: ")")) else { break }
        // Same length only: the xref table counts bytes.
        if end - start == date.count { out.replaceSubrange(start..<end, with: date) }
        i = end
      }
    }
    return out
  }

  /// `D:YYYYMMDDHHmmSS+00'00'` (PDF 1.7 §7.9.4), the form Chromium writes.
  static func pdfDate(_ epoch: Int) -> String {
    let days = epoch / 86_400, secs = epoch % 86_400
    // Civil from days (H. Hinnant's algorithm).
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "D:\(y)\(two(m))\(two(d))\(two(secs / 3600))\(two(secs % 3600 / 60))\(two(secs % 60))+00'00'"
  }

  static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
    guard needle.count <= hay.count else { return nil }
    var i = from
    while i + needle.count <= hay.count {
      if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle { return i }
      i += 1
    }
    return nil
  }
}
