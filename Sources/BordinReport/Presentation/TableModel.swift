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
  func html(id: String?, number: Int?, caption: String?) -> String {
    var h = "<table class=\"apa\"" + (id.map { " id=\"\(escapeHTML($0))\"" } ?? "") + ">\n"
    if number != nil || caption != nil {
      h += "<caption>"
      if let number { h += "<span class=\"bordin-number\">Table \(number)</span>" }
      if let caption { h += "<span class=\"bordin-caption\">\(escapeHTML(caption))</span>" }
      h += "</caption>\n"
    }
    h += "<thead>\n<tr>" + header.map { "<th scope=\"col\">\($0)</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
    for row in rows {
      h += "<tr>"
      for (j, c) in row.enumerated() {
        let ref = c.ref.map { " data-ref=\"\(escapeHTML($0))\"" } ?? ""
        let content = c.ref.map { "<a class=\"bordin-cell\" href=\"#prov-\(escapeHTML(Self.label(of: $0)))\">\(c.html)</a>" } ?? c.html
        h += j == 0 ? "<th scope=\"row\"\(ref)>\(content)</th>" : "<td\(ref)>\(content)</td>"
      }
      h += "</tr>\n"
    }
    h += "</tbody>\n"
    if let note { h += "<tfoot><tr><td colspan=\"\(header.count)\"><i>Note.</i> \(note)</td></tr></tfoot>\n" }
    return h + "</table>\n"
  }
}
