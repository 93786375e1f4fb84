/// An APA 7 table before it becomes HTML: header, rows of cells, a note.
///
/// APA style (Publication Manual §7.8–7.21): number in bold above an italic title, horizontal
/// rules only (top, below the header, bottom), first column left-aligned row headings, numbers
/// right-aligned, a general note below.
struct TableModel {
  struct Cell {
    var html: String
    /// The inline path of the value shown, for `data-ref`.
    var ref: String?
    init(_ html: String, ref: String? = nil) {
      self.html = html
      self.ref = ref
    }
  }

  var header: [String]  // HTML
  var rows: [[Cell]]
  var note: String?  // HTML

  /// The directive label a value path starts with.
  static func label(of ref: String) -> String {
    String(ref.prefix { $0 != "." && $0 != "[" })
  }

  /// HTML with `<caption>`, `<th scope>` and `data-ref` on every computed cell.
  ///
  /// Cells are plain text, not links (a link per cell made hundreds of tab stops and had screen
  /// readers say "link" before every number): the table has one provenance link per directive
  /// its values come from, at the end of the caption (else of the note). The table sits in a
  /// box that scrolls sideways on narrow screens (the page itself never does).
  func html(id: String?, number: Int?, caption: String?) -> String {
    var h = "<div class=\"bordin-table\">\n<table class=\"apa\"" + (id.map { " id=\"\(escapeHTML($0))\"" } ?? "") + ">\n"
    let sources = Self.sourceLinks(labels: rows.flatMap { $0.compactMap { $0.ref.map(Self.label(of:)) } },
                                   what: number.map { "the values in Table \($0)" } ?? "the values in this table")
    if number != nil || caption != nil {
      h += "<caption>"
      if let number { h += "<span class=\"bordin-number\">Table \(number)</span>" }
      if let caption { h += "<span class=\"bordin-caption\">\(escapeHTML(caption))</span>" }
      h += sources + "</caption>\n"
    }
    h += "<thead>\n<tr>" + header.map { "<th scope=\"col\">\($0)</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
    for row in rows {
      h += "<tr>"
      for (j, c) in row.enumerated() {
        let ref = c.ref.map { " data-ref=\"\(escapeHTML($0))\"" } ?? ""
        h += j == 0 ? "<th scope=\"row\"\(ref)>\(c.html)</th>" : "<td\(ref)>\(c.html)</td>"
      }
      h += "</tr>\n"
    }
    h += "</tbody>\n"
    let captioned = number != nil || caption != nil
    if note != nil || (!captioned && !sources.isEmpty) {
      h += "<tfoot><tr><td colspan=\"\(header.count)\">" + (note.map { "<i>Note.</i> \($0)" } ?? "") + (captioned ? "" : sources) + "</td></tr></tfoot>\n"
    }
    return h + "</table>\n</div>\n"
  }

  /// One provenance link per distinct directive label, in first-use order:
  /// ` <a class="bordin-src" href="#prov-LABEL" aria-label="source of WHAT">source</a>`.
  static func sourceLinks(labels: [String], what: String) -> String {
    var seen = Set<String>()
    let distinct = labels.filter { seen.insert($0).inserted }
    return distinct.map { l in
      " <a class=\"bordin-src\" href=\"#prov-\(escapeHTML(l))\" aria-label=\"source of \(escapeHTML(what))\(distinct.count > 1 ? " (\(escapeHTML(l)))" : "")\">source</a>"
    }.joined()
  }
}
