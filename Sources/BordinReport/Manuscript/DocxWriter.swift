import Foundation

/// `--to docx`: a Word document made by pandoc from the rendered page (DESIGN.md §4, §8).
///
/// The page is rearranged (``ManuscriptLayout``) and rewritten into the HTML pandoc reads best:
/// each APA table becomes a paragraph with its number (bold), one with its title (italics), the
/// table itself — a real Word table, header row and body, no caption or footer rows — and a
/// paragraph with its note; each figure becomes its number, its title and the image, a PNG at
/// 300 dpi drawn from the SVG by `rsvg-convert`. Paragraph styles are named with pandoc's
/// `custom-style` and defined in the reference document (``ReferenceDocx``). Computed numbers
/// pass through as the page prints them. Links into the page (cells to the provenance
/// appendix, cross-references) become plain text, as a manuscript has no anchors.
///
/// Same page + same pandoc and librsvg ⇒ the same bytes: pandoc takes its time stamps from
/// `SOURCE_DATE_EPOCH`, set to the report's date (``ManuscriptInfo/epoch``).
enum DocxWriter {
  /// The widest a figure is shown: the 6.5 in between 1-inch margins on US Letter.
  static let maxFigureInches = 6.5
  static let dpi = 300.0

  static func write(page: String, info: ManuscriptInfo) throws(ExternalTool.Failure) -> [UInt8] {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("bordin-docx-\(UUID().uuidString)")
    do { try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true) } catch {
      throw ExternalTool.Failure(code: "write-failed", message: "cannot make a temporary folder for Word output: \(error)")
    }
    defer { try? FileManager.default.removeItem(at: work) }
    let env = ["SOURCE_DATE_EPOCH": String(info.epoch)]
    let reference = try ReferenceDocx.make(pandocDefault: try ExternalTool.pandoc.run(["--print-default-data-file", "reference.docx"]), info: info)
    var images: [(name: String, svg: String, pixels: Int)] = []
    let html = pandocHTML(page: page, info: info) { svg in
      let inches = min(maxFigureInches, (Self.viewBoxWidth(svg) ?? 640) / 96)
      let name = "figure-\(images.count + 1).png"
      images.append((name, svg, Int((inches * dpi).rounded())))
      return (name, inches)
    }
    for img in images {
      let png = try ExternalTool.rsvgConvert.run(["--format", "png", "--width", String(img.pixels), "--keep-aspect-ratio",
                                                   "--dpi-x", "300", "--dpi-y", "300", "--background-color", "white"],
                                                  stdin: Array(img.svg.utf8))
      try save(withDensity(png, dpi: dpi), work.appendingPathComponent(img.name))
    }
    try save(reference, work.appendingPathComponent("reference.docx"))
    try save(Array(html.utf8), work.appendingPathComponent("page.html"))
    _ = try ExternalTool.pandoc.run(["--from", "html", "--to", "docx", "--reference-doc", "reference.docx", "--shift-heading-level-by=-1",
                                     "--resource-path", ".", "--output", "page.docx", "page.html"],
                                    environment: env, directory: work)
    guard let bytes = FileManager.default.contents(atPath: work.appendingPathComponent("page.docx").path) else {
      throw ExternalTool.Failure(code: "tool-failed", message: "pandoc wrote no Word file")
    }
    return try keepingTablesTogether([UInt8](bytes))
  }

  /// `docx` with every paragraph in a table kept with the next (`w:keepNext`), so a table that
  /// fits on a page moves to the next page whole, with its note, instead of splitting (APA 7
  /// §7.6); a longer table still breaks, its header row repeated. pandoc gives table cells the
  /// paragraph style `Compact`, which tight lists share, so the property goes on the cells'
  /// paragraphs themselves (after `w:pStyle`, where the schema puts it).
  static func keepingTablesTogether(_ docx: [UInt8]) throws(ExternalTool.Failure) -> [UInt8] {
    var entries: [ZipArchive.Entry]
    do { entries = try ZipArchive.entries(docx) } catch {
      throw ExternalTool.Failure(code: "tool-failed", message: "pandoc wrote a Word file that cannot be read: \(error.message)")
    }
    guard let i = entries.firstIndex(where: { $0.name == "word/document.xml" }) else { return docx }
    let xml = String(decoding: entries[i].bytes, as: UTF8.self)
    var out = ""
    var rest = Substring(xml)
    while let r = ManuscriptLayout.element(in: rest, open: "<w:tbl>", close: "</w:tbl>") {
      out += rest[..<r.lowerBound]
      out += rest[r].replacingOccurrences(of: "<w:pStyle w:val=\"Compact\" />", with: "<w:pStyle w:val=\"Compact\" /><w:keepNext />")
      rest = rest[r.upperBound...]
    }
    entries[i].bytes = Array((out + rest).utf8)
    return ZipArchive.stored(entries)
  }

  /// `png` with a `pHYs` chunk saying `dpi` (PNG 1.2 §4.2.4.2: pixels per metre, unit 1),
  /// inserted after `IHDR`, so an image editor shows the figure's 300 dpi; unchanged when it
  /// has one already or is not a PNG.
  static func withDensity(_ png: [UInt8], dpi: Double) -> [UInt8] {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard png.count > 33, Array(png.prefix(8)) == signature, Array(png[12..<16]) == Array("IHDR".utf8),
          PDFWriter.find(Array("pHYs".utf8), in: png, from: 8) == nil else { return png }
    func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(v >> UInt32($0) & 0xFF) } }
    let ppm = be32(UInt32((dpi / 0.0254).rounded()))
    let body = Array("pHYs".utf8) + ppm + ppm + [1]
    let chunk = be32(9) + body + be32(ZipArchive.crc32(body))
    return Array(png[..<33]) + chunk + Array(png[33...])
  }

  static func save(_ bytes: [UInt8], _ url: URL) throws(ExternalTool.Failure) {
    do { try Data(bytes).write(to: url) } catch {
      throw ExternalTool.Failure(code: "write-failed", message: "cannot write \(url.path): \(error)")
    }
  }

  /// The page as pandoc's input: title, author and date as metadata, the abstract, body,
  /// references, tables and figures, appendix. `image` is given each figure's SVG and returns
  /// the PNG file it will be and its width in inches.
  static func pandocHTML(page: String, info: ManuscriptInfo, image: (String) -> (file: String, inches: Double)) -> String {
    let manuscript = info.style == .apaManuscript
    let parts = ManuscriptLayout(page: page, moveFloats: manuscript)
    var h = "<!DOCTYPE html>\n<html lang=\"\(escapeHTML(info.lang))\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(escapeHTML(info.title))</title>\n"
    if let a = info.author { h += "<meta name=\"author\" content=\"\(escapeHTML(a))\">\n" }
    if let d = info.date { h += "<meta name=\"date\" content=\"\(escapeHTML(d))\">\n" }
    h += "</head>\n<body>\n"
    if manuscript {
      if let abstract = info.abstract {
        h += styled("Abstract Heading", "Abstract") + styled("Abstract", escapeHTML(abstract))
      }
      h += styled("Manuscript Title", escapeHTML(info.title))
    }
    h += parts.body
    if !parts.references.isEmpty { h += references(parts.references) }
    h += parts.floats.joined(separator: "\n")
    h += parts.appendix
    h += "</body>\n</html>\n"
    return plainLinks(floats(offline(h), image: image))
  }

  /// `html` with every image that is not inline data (`data:` URLs) replaced by its alt
  /// text: pandoc would fetch a URL from the network or read any path on disk to embed it,
  /// and rendering reads nothing outside the project and makes no requests (DESIGN.md §6).
  static func offline(_ html: String) -> String {
    var out = ""
    var rest = Substring(html)
    while let a = rest.range(of: "<img", options: .caseInsensitive), let gt = rest[a.upperBound...].firstIndex(of: ">") {
      out += rest[..<a.lowerBound]
      let tag = rest[a.lowerBound...gt]
      let src = attribute("src", in: tag) ?? ""
      if src.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("data:image/") {
        out += tag
      } else {
        out += "[" + (attribute("alt", in: tag) ?? "image") + "]"
      }
      rest = rest[rest.index(after: gt)...]
    }
    return out + rest
  }

  /// The value of a double- or single-quoted attribute `name` in `tag`, as written.
  static func attribute(_ name: String, in tag: Substring) -> String? {
    for q in ["\"", "'"] {
      if let r = tag.range(of: " \(name)=\(q)", options: .caseInsensitive) {
        return String(tag[r.upperBound...].prefix { String($0) != q })
      }
    }
    return nil
  }

  /// One paragraph in paragraph style `style` (pandoc's `custom-style`).
  static func styled(_ style: String, _ inner: String) -> String {
    "<div data-custom-style=\"\(style)\"><p>\(inner)</p></div>\n"
  }

  /// The reference list: its heading and each entry in their styles.
  static func references(_ section: String) -> String {
    var out = styled("References Heading", "References")
    var rest = Substring(section)
    while let a = rest.range(of: "<p class=\"bordin-reference\""), let gt = rest[a.upperBound...].firstIndex(of: ">"),
          let b = rest[gt...].range(of: "</p>") {
      out += styled("Bibliography", String(rest[rest.index(after: gt)..<b.lowerBound]))
      rest = rest[b.upperBound...]
    }
    return out
  }

  /// Every APA table and figure of `html` rewritten as numbered, titled Word blocks.
  static func floats(_ html: String, image: (String) -> (file: String, inches: Double)) -> String {
    var out = ""
    var rest = Substring(html)
    while let r = ManuscriptLayout.nextFloat(in: rest) {
      out += rest[..<r.lowerBound]
      let block = rest[r]
      out += block.hasPrefix(ManuscriptLayout.tableOpen) ? table(block) : figure(block, image: image)
      rest = rest[r.upperBound...]
    }
    return out + rest
  }

  /// An APA table: number, title, the table without caption and footer, the note.
  static func table(_ t: Substring) -> String {
    var out = ""
    var inner = String(t)
    if let c = ManuscriptLayout.element(in: inner, open: "<caption>", close: "</caption>") {
      let caption = inner[c]
      if let n = ManuscriptLayout.span("bordin-number", in: caption) { out += styled("Table Number", n) }
      if let title = ManuscriptLayout.span("bordin-caption", in: caption) { out += styled("Table Title", title) }
      inner.removeSubrange(c)
    }
    var note = ""
    if let f = ManuscriptLayout.element(in: inner, open: "<tfoot>", close: "</tfoot>") {
      let foot = inner[f]
      if let a = foot.range(of: "<td"), let gt = foot[a.upperBound...].firstIndex(of: ">"), let b = foot.range(of: "</td>", options: .backwards) {
        note = styled("Table Note", String(foot[foot.index(after: gt)..<b.lowerBound]))
      }
      inner.removeSubrange(f)
    }
    return out + columns(inner) + note
  }

  /// `table` with a `<colgroup>` giving each column a width in proportion to its longest
  /// text (so pandoc writes a Word table grid that fits its contents) and the columns after
  /// the first right-aligned, as the page shows them.
  static func columns(_ table: String) -> String {
    var widths: [Int] = []
    var rest = Substring(table)
    while let r = ManuscriptLayout.element(in: rest, open: "<tr", close: "</tr>") {
      for (j, cell) in cells(rest[r]).enumerated() {
        if j == widths.count { widths.append(0) }
        widths[j] = max(widths[j], cell)
      }
      rest = rest[r.upperBound...]
    }
    guard widths.count > 1 else { return table }
    let weights = widths.map { max($0, 4) }, total = weights.reduce(0, +)
    let cols = "<colgroup>" + weights.map { "<col style=\"width: \(String(format: "%.1f", 100 * Double($0) / Double(total)))%\">" }.joined() + "</colgroup>\n"
    var out = table
    if let head = out.range(of: "<thead>") { out.insert(contentsOf: cols, at: head.lowerBound) }
    out = out.replacingOccurrences(of: "<td>", with: "<td align=\"right\">").replacingOccurrences(of: "<td data-ref", with: "<td align=\"right\" data-ref")
    return out.components(separatedBy: "<th scope=\"col\">").enumerated().map { i, part in
      i == 0 ? part : (i == 1 ? "<th scope=\"col\">" : "<th scope=\"col\" align=\"right\">") + part
    }.joined()
  }

  /// The visible length of each cell of one table row (a cell spanning columns counts 0).
  static func cells(_ row: Substring) -> [Int] {
    var out: [Int] = []
    var rest = row
    while let a = rest.range(of: "<t[hd][ >]", options: .regularExpression), let gt = rest[a.lowerBound...].firstIndex(of: ">"),
          let b = rest[gt...].range(of: "</t[hd]>", options: .regularExpression) {
      let tag = rest[a.lowerBound...gt]
      let text = ComputedValues.unescape(ComputedValues.stripTags(String(rest[rest.index(after: gt)..<b.lowerBound])))
      out.append(tag.contains("colspan") ? 0 : text.count)
      rest = rest[b.upperBound...]
    }
    return out
  }

  /// A figure: number, title, then the image (its SVG's `<title>` as alt text).
  static func figure(_ f: Substring, image: (String) -> (file: String, inches: Double)) -> String {
    var out = ""
    if let c = ManuscriptLayout.element(in: f, open: "<figcaption>", close: "</figcaption>") {
      if let n = ManuscriptLayout.span("bordin-number", in: f[c]) { out += styled("Figure Number", n) }
      if let title = ManuscriptLayout.span("bordin-caption", in: f[c]) { out += styled("Figure Title", title) }
    }
    guard let s = ManuscriptLayout.element(in: f, open: "<svg", close: "</svg>") else { return out }
    let svg = String(f[s])
    let alt = ManuscriptLayout.element(in: svg, open: "<title", close: "</title>").map { r -> String in
      let t = svg[r]
      return t.firstIndex(of: ">").map { String(t[t.index(after: $0)...].dropLast("</title>".count)) } ?? ""
    } ?? "Figure"
    let (file, inches) = image(svg)
    let width = String(format: "%.2fin", inches)
    return out + styled("Figure", "<img src=\"\(file)\" alt=\"\(alt)\" width=\"\(width)\">")
  }

  /// The width of an SVG's `viewBox`.
  static func viewBoxWidth(_ svg: String) -> Double? {
    guard let r = svg.range(of: "viewBox=\"") else { return nil }
    let parts = svg[r.upperBound...].prefix { $0 != "\"" }.split(separator: " ")
    return parts.count == 4 ? Double(parts[2]) : nil
  }

  /// `html` with every link into the page (`href="#…"`) replaced by its text.
  static func plainLinks(_ html: String) -> String {
    var out = ""
    var rest = Substring(html)
    while let a = rest.range(of: "<a ") {
      guard let gt = rest[a.upperBound...].firstIndex(of: ">") else { break }
      let tag = rest[a.lowerBound...gt]
      guard tag.contains("href=\"#"), let close = rest[gt...].range(of: "</a>") else {
        out += rest[..<rest.index(after: gt)]
        rest = rest[rest.index(after: gt)...]
        continue
      }
      out += rest[..<a.lowerBound]
      out += rest[rest.index(after: gt)..<close.lowerBound]
      rest = rest[close.upperBound...]
    }
    return out + rest
  }
}
