/// The reference document pandoc takes its styles from (`--reference-doc`): pandoc's own
/// default (`pandoc --print-default-data-file reference.docx`) with Bordin's APA 7 styles and a
/// page header, made afresh on each run, so nothing binary is kept in the repository and the
/// result depends only on the pandoc version and the report's front matter.
///
/// APA 7 (Publication Manual, 7th ed.): Times New Roman 12 pt (§2.19), 1-inch margins (§2.22),
/// double spacing in a manuscript (§2.21), the first line of each paragraph indented 0.5 in
/// (§2.24); headings of five levels — centred bold, flush-left bold, flush-left bold italic,
/// indented bold, indented bold italic (§2.27, Table 2.3); tables with the number in bold and the
/// title in italics above, horizontal rules only, the note below (§7.8–7.14); figures likewise
/// (§7.24); references with a 0.5 in hanging indent (§2.13); the running head and page number in
/// the page header (§2.8, §2.18).
enum ReferenceDocx {
  /// The reference `.docx` for `info`, built from pandoc's default one.
  static func make(pandocDefault: [UInt8], info: ManuscriptInfo) throws(ExternalTool.Failure) -> [UInt8] {
    var entries: [ZipArchive.Entry]
    do { entries = try ZipArchive.entries(pandocDefault) } catch {
      throw ExternalTool.Failure(code: "tool-failed", message: "pandoc's default reference.docx cannot be read: \(error.message)",
                                 remedy: "check the pandoc installation: pandoc --print-default-data-file reference.docx > ref.docx")
    }
    func edit(_ name: String, _ f: (String) -> String) {
      if let i = entries.firstIndex(where: { $0.name == name }) {
        entries[i].bytes = Array(f(String(decoding: entries[i].bytes, as: UTF8.self)).utf8)
      }
    }
    let manuscript = info.style == .apaManuscript
    edit("word/styles.xml") { styles($0, manuscript: manuscript) }
    edit("word/document.xml") { sectionProperties($0) }
    edit("word/_rels/document.xml.rels") {
      $0.replacingOccurrences(of: "</Relationships>", with: "<Relationship Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Id=\"rIdBordinHeader\" Target=\"header1.xml\" /></Relationships>")
    }
    edit("[Content_Types].xml") {
      $0.replacingOccurrences(of: "</Types>", with: "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\" /></Types>")
    }
    // pandoc copies the reference's extended properties, which count the words of its sample
    // text; name the application instead and claim no counts (Word recounts on opening).
    edit("docProps/app.xml") { _ in
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
        + "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>Bordin \(bordinVersion) with pandoc</Application></Properties>"
    }
    entries.removeAll { $0.name == "word/header1.xml" }
    entries.append(ZipArchive.Entry(name: "word/header1.xml", bytes: Array(header(runningHead: info.runningHead.isEmpty ? nil : info.runningHead).utf8)))
    return ZipArchive.stored(entries)
  }

  static let wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

  /// US Letter, 1-inch margins, the header 0.5 in from the edge, Bordin's header on every page.
  static func sectionProperties(_ document: String) -> String {
    let sect = "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdBordinHeader\" /><w:pgSz w:w=\"12240\" w:h=\"15840\" />"
      + "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" w:footer=\"720\" w:gutter=\"0\" /></w:sectPr>"
    if let r = document.range(of: "<w:sectPr[^>]*/>", options: .regularExpression) {
      return document.replacingCharacters(in: r, with: sect)
    }
    if let a = document.range(of: "<w:sectPr", options: .backwards), let b = document.range(of: "</w:sectPr>", options: .backwards), a.lowerBound < b.upperBound {
      return document.replacingCharacters(in: a.lowerBound..<b.upperBound, with: sect)
    }
    return document.replacingOccurrences(of: "</w:body>", with: sect + "</w:body>")
  }

  /// The page header: the running head flush left and the page number flush right.
  static func header(runningHead: String?) -> String {
    var p = "<w:p><w:pPr><w:pStyle w:val=\"Header\" /><w:tabs><w:tab w:val=\"right\" w:pos=\"9360\" /></w:tabs></w:pPr>"
    if let runningHead { p += "<w:r><w:t xml:space=\"preserve\">\(escapeHTML(runningHead))</w:t></w:r>" }
    p += "<w:r><w:tab /></w:r><w:r><w:fldChar w:fldCharType=\"begin\" /></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
      + "<w:r><w:fldChar w:fldCharType=\"separate\" /></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\" /></w:r></w:p>"
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"\(wordNS)\" xmlns:r=\"\(relNS)\">\(p)</w:hdr>"
  }

  /// `styles.xml` with its document defaults and every style Bordin defines replaced (the
  /// others, and any pandoc adds later, kept as pandoc wrote them).
  static func styles(_ xml: String, manuscript: Bool) -> String {
    let ours = definitions(manuscript: manuscript)
    let ids = Set(ours.map(\.id))
    var out = ""
    var rest = Substring(xml)
    while let open = rest.range(of: "<w:style ") {
      out += rest[..<open.lowerBound]
      guard let close = rest[open.lowerBound...].range(of: "</w:style>") else { rest = rest[open.lowerBound...]; break }
      let block = rest[open.lowerBound..<close.upperBound]
      let id = block.range(of: "w:styleId=\"").map { r in String(block[r.upperBound...].prefix { $0 != "\"" }) } ?? ""
      if !ids.contains(id) { out += block }
      rest = rest[close.upperBound...]
    }
    out += rest
    out = out.replacingOccurrences(of: "</w:styles>", with: ours.map(\.xml).joined(separator: "\n") + "\n</w:styles>")
    if let a = out.range(of: "<w:docDefaults>"), let b = out.range(of: "</w:docDefaults>") {
      out.replaceSubrange(a.lowerBound..<b.upperBound, with: docDefaults(manuscript: manuscript))
    }
    return out
  }

  static func docDefaults(manuscript: Bool) -> String {
    "<w:docDefaults><w:rPrDefault><w:rPr>\(font)<w:sz w:val=\"24\" /><w:szCs w:val=\"24\" /><w:lang w:val=\"en-US\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\" /></w:rPr></w:rPrDefault>"
      + "<w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" \(spacing(manuscript)) /></w:pPr></w:pPrDefault></w:docDefaults>"
  }

  static let font = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\" />"

  /// Double spacing in a manuscript; 1.15 lines in a report.
  static func spacing(_ manuscript: Bool) -> String {
    "w:line=\"\(manuscript ? 480 : 276)\" w:lineRule=\"auto\""
  }

  struct Style {
    var id: String
    var xml: String
  }

  /// A paragraph style: its id (the name without spaces), name, base, paragraph and run properties.
  static func paragraph(_ name: String, basedOn: String? = "Normal", next: String? = nil, pPr: String = "", rPr: String = "", custom: Bool = true) -> Style {
    let id = name.replacingOccurrences(of: " ", with: "")
    var x = "<w:style w:type=\"paragraph\"" + (custom ? " w:customStyle=\"1\"" : "") + (name == "Normal" ? " w:default=\"1\"" : "") + " w:styleId=\"\(id)\"><w:name w:val=\"\(name)\" />"
    if let basedOn { x += "<w:basedOn w:val=\"\(basedOn)\" />" }
    if let next { x += "<w:next w:val=\"\(next)\" />" }
    x += "<w:qFormat />"
    if !pPr.isEmpty { x += "<w:pPr>\(pPr)</w:pPr>" }
    if !rPr.isEmpty { x += "<w:rPr>\(rPr)</w:rPr>" }
    return Style(id: id, xml: x + "</w:style>")
  }

  static func definitions(manuscript m: Bool) -> [Style] {
    let black = "<w:color w:val=\"000000\" />"
    let size = "<w:sz w:val=\"24\" /><w:szCs w:val=\"24\" />"
    let bold = "<w:b /><w:bCs />", italic = "<w:i /><w:iCs />"
    let keep = "<w:keepNext /><w:keepLines />"
    let centre = "<w:jc w:val=\"center\" />"
    let newPage = m ? "<w:pageBreakBefore />" : ""
    let body = m ? "<w:spacing w:before=\"0\" w:after=\"0\" /><w:ind w:firstLine=\"720\" />" : "<w:spacing w:before=\"0\" w:after=\"160\" />"
    let heading = { (level: Int, pPr: String, rPr: String) in
      paragraph("Heading \(level)", next: "Body Text", pPr: keep + "<w:spacing w:before=\"\(m ? 0 : 240)\" w:after=\"\(m ? 0 : 120)\" />" + "<w:outlineLvl w:val=\"\(level - 1)\" />" + pPr,
                rPr: font + black + size + rPr, custom: false)
    }
    return [
      paragraph("Normal", basedOn: nil, rPr: font + size, custom: false),
      paragraph("Body Text", pPr: body, custom: false),
      paragraph("First Paragraph", basedOn: "BodyText", next: "Body Text"),
      paragraph("Compact", basedOn: "BodyText", pPr: "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\" /><w:ind w:firstLine=\"0\" />"),
      paragraph("Title", next: "Body Text", pPr: keep + "<w:spacing w:before=\"\(m ? 2880 : 0)\" w:after=\"\(m ? 480 : 240)\" />" + centre, rPr: font + black + bold + size, custom: false),
      paragraph("Subtitle", basedOn: "Title", next: "Body Text", pPr: keep + centre, rPr: font + black + size, custom: false),
      paragraph("Author", next: "Body Text", pPr: keep + centre, rPr: size),
      paragraph("Date", next: "Body Text", pPr: keep + centre + "<w:spacing w:after=\"\(m ? 0 : 240)\" />", rPr: size),
      paragraph("Abstract Heading", next: "Abstract", pPr: newPage + keep + centre + (m ? "" : "<w:spacing w:before=\"240\" />"), rPr: bold),
      paragraph("Abstract", next: "Body Text", pPr: "<w:spacing w:before=\"0\" w:after=\"\(m ? 0 : 240)\" />", rPr: m ? "" : italic),
      paragraph("Manuscript Title", next: "Body Text", pPr: newPage + keep + centre, rPr: bold),
      heading(1, centre, bold), heading(2, "", bold), heading(3, "", bold + italic),
      heading(4, "<w:ind w:firstLine=\"720\" />", bold), heading(5, "<w:ind w:firstLine=\"720\" />", bold + italic),
      paragraph("References Heading", next: "Bibliography", pPr: newPage + keep + centre + (m ? "" : "<w:spacing w:before=\"240\" w:after=\"120\" />"), rPr: bold),
      paragraph("Bibliography", pPr: "<w:spacing w:before=\"0\" w:after=\"\(m ? 0 : 120)\" /><w:ind w:left=\"720\" w:hanging=\"720\" />"),
      paragraph("Table Number", next: "Table Title", pPr: newPage + keep + "<w:spacing w:before=\"\(m ? 0 : 240)\" />", rPr: bold),
      paragraph("Table Title", next: "Body Text", pPr: keep + "<w:spacing w:after=\"\(m ? 0 : 120)\" />", rPr: italic),
      paragraph("Table Note", next: "Body Text", pPr: "<w:spacing w:before=\"60\" w:after=\"240\" w:line=\"240\" w:lineRule=\"auto\" />"),
      paragraph("Figure Number", next: "Figure Title", pPr: newPage + keep + "<w:spacing w:before=\"\(m ? 0 : 240)\" />", rPr: bold),
      paragraph("Figure Title", next: "Figure", pPr: keep + "<w:spacing w:after=\"\(m ? 0 : 120)\" />", rPr: italic),
      paragraph("Figure", next: "Body Text", pPr: keep + "<w:spacing w:after=\"240\" w:line=\"240\" w:lineRule=\"auto\" />", custom: false),
      paragraph("Block Text", next: "Body Text", pPr: "<w:spacing w:before=\"120\" w:after=\"120\" /><w:ind w:left=\"720\" w:right=\"720\" />", custom: false),
      paragraph("Header", pPr: "<w:spacing w:line=\"240\" w:lineRule=\"auto\" />", custom: false),
      Style(id: "Table", xml: "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"Table\"><w:name w:val=\"Table\" /><w:basedOn w:val=\"TableNormal\" />"
        // Every paragraph of a table keeps with the next: Word moves a table that fits on a page
        // to the next page whole, with its note (APA 7 §7.6), instead of splitting it.
        + "<w:pPr><w:keepNext /><w:keepLines /></w:pPr><w:tblPr>"
        + "<w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\" /><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\" /></w:tblBorders>"
        + "<w:tblCellMar><w:left w:w=\"108\" w:type=\"dxa\" /><w:right w:w=\"108\" w:type=\"dxa\" /></w:tblCellMar></w:tblPr>"
        + "<w:tblStylePr w:type=\"firstRow\"><w:pPr><w:keepNext /></w:pPr><w:tblPr /><w:tcPr><w:tcBorders><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\" /></w:tcBorders><w:vAlign w:val=\"bottom\" /></w:tcPr></w:tblStylePr></w:style>"),
    ]
  }
}
