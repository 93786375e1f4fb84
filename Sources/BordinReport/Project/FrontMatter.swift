/// The YAML front matter of a report (DESIGN.md §2): title, author, date, topics, data sources,
/// params and rendering switches.
struct FrontMatter {
  struct DataSource {
    var name: String
    var path: String
    var na: [String]?
    var at: SourceLocation
    var sqlite: Bool = false
    var query: String?
    var queryAt: SourceLocation?
    /// `format: spss|stata|sas|sav|zsav|por|dta|sas7bdat`; else the extension decides.
    var format: (name: String, at: SourceLocation)?
    /// `user_missing: keep` keeps SPSS user-missing codes as values (default: missing).
    var userMissingKeep = false
    /// `value_labels: codes` keeps value-labelled columns as numbers (default: factors).
    var valueLabelCodes = false
  }

  var title: String?
  var author: String?
  var date: String?
  var dateAt: SourceLocation?
  var topics: [String] = []
  var summary: String?
  var data: [DataSource] = []
  var params: [(name: String, value: String, at: SourceLocation)] = []
  var unsafeHTML = false
  /// `bibliography: refs.bib`, relative to the report.
  var bibliography: (path: String, at: SourceLocation)?
  var provenanceAppendix = true
  /// `toc: true`: a numbered table of contents after the title, the `##`/`###` headings
  /// numbered to match (``TableOfContents``).
  var toc = false
  /// `labels:` (DESIGN.md §4): a map of column or term → label, and/or a codebook CSV path.
  var labels: [(name: String, label: String, at: SourceLocation)] = []
  var labelsFile: (path: String, at: SourceLocation)?
  /// Lines taken by the front matter including both `---` fences (0 when there is none).
  var lineCount = 0
  /// `format: apa-manuscript`: how the Word and PDF outputs are laid out (``ManuscriptStyle``).
  var manuscript = ManuscriptStyle.report
  /// `abstract:` the manuscript's abstract (default: `summary`).
  var abstract: String?
  /// `running_head:` the manuscript's running head (default: the title, shortened).
  var runningHead: String?

  static let knownKeys = ["title", "author", "date", "topics", "summary", "data", "params", "unsafe_html", "provenance", "lang", "bibliography", "labels", "toc", "format", "abstract", "running_head"]
  var lang = "en"

  /// Splits `source` into front matter text and the Markdown body.
  ///
  /// Line endings are normalised first: CRLF and a lone CR become LF. (In a Swift `String`
  /// "\r\n" is one `Character`, so a search for "\n" misses it; normalising once here means no
  /// later search on the report text — directive bodies, line numbers, inline value locations,
  /// citations — meets a CR.)
  static func split(_ raw: String) -> (yaml: String?, body: String, lines: Int) {
    let source = normalizingLineEndings(raw)
    guard source.hasPrefix("---\n") else { return (nil, source, 0) }
    var lines: [Substring] = []
    var idx = source.startIndex
    var lineNo = 0
    while idx < source.endIndex {
      let end = source[idx...].firstIndex(of: "\n") ?? source.endIndex
      let line = source[idx..<end]
      lineNo += 1
      if lineNo > 1, line == "---" || line == "..." {
        let bodyStart = end < source.endIndex ? source.index(after: end) : end
        return (lines.dropFirst().joined(separator: "\n"), String(source[bodyStart...]), lineNo)
      }
      lines.append(line)
      idx = end < source.endIndex ? source.index(after: end) : end
    }
    return (nil, source, 0)  // no closing fence: not front matter
  }

  /// `s` with CRLF and lone CR line endings turned into LF (byte-wise, so "\r\n" as one
  /// `Character` is handled).
  static func normalizingLineEndings(_ s: String) -> String {
    guard s.utf8.contains(13) else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    var prevCR = false
    for b in s.utf8 {
      if b == 13 { out.append(10); prevCR = true; continue }
      if b == 10, prevCR { prevCR = false; continue }
      prevCR = false
      out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Parses the front matter YAML, recording problems in `sink`.
  static func parse(_ yaml: String?, lines: Int, sink: DiagnosticSink) -> FrontMatter {
    var fm = FrontMatter()
    fm.lineCount = lines
    guard let yaml else { return fm }
    let root: YAMLNode
    do {
      root = try YAMLNode.parse(yaml, lineOffset: 1)
    } catch {
      sink.error(error.at, "yaml-syntax", "the front matter is not valid YAML: \(error.message)",
                 remedy: "check indentation and quoting; values with ':' need quotes")
      return fm
    }
    guard case .map(let items, _) = root else {
      sink.error(root.location, "yaml-syntax", "the front matter must be a mapping of 'key: value'")
      return fm
    }
    for it in items {
      let v = it.value
      switch it.key {
      case "title": fm.title = text(v, "title", sink)
      case "author": fm.author = text(v, "author", sink) ?? listText(v)
      case "date":
        fm.date = text(v, "date", sink)
        fm.dateAt = v.location
        // A date with inline values (`{params.month}-01`) is checked once filled in.
        if let d = fm.date, !d.contains("{"), !isISODate(d) {
          sink.error(v.location, "front-matter-date", "'date' must be an ISO 8601 date; got '\(d)'",
                     remedy: "write it as YYYY-MM-DD, e.g. 'date: 2022-12-01' (or an RFC 3339 timestamp)")
        }
      case "summary": fm.summary = text(v, "summary", sink)
      case "abstract": fm.abstract = text(v, "abstract", sink)
      case "running_head": fm.runningHead = text(v, "running_head", sink)
      case "format":
        let s = v.scalarText ?? ""
        if let m = ManuscriptStyle(rawValue: s) { fm.manuscript = m } else {
          sink.error(v.location, "front-matter", "'format' must be \(ManuscriptStyle.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")); got \(v.shape)\(didYouMeanSuffix(s, ManuscriptStyle.allCases.map(\.rawValue)))",
                     remedy: "write 'format: apa-manuscript' for an APA 7 manuscript (title page, abstract, double spacing, tables and figures after the references) in the Word and PDF outputs")
        }
      case "lang": fm.lang = text(v, "lang", sink) ?? "en"
      case "topics":
        switch v {
        case .scalar(let s, _, _): fm.topics = [s]
        case .list(let xs, _): fm.topics = xs.compactMap(\.scalarText)
        default: sink.error(v.location, "front-matter", "'topics' must be a list of topic names")
        }
      case "bibliography":
        if let p = v.scalarText { fm.bibliography = (p, v.location) } else {
          sink.error(v.location, "front-matter", "'bibliography' must be the path of a BibTeX file")
        }
      case "labels":
        switch v {
        case .scalar(let p, _, let at): fm.labelsFile = (p, at)
        case .map(let items, _):
          for l in items {
            if let t = l.value.scalarText { fm.labels.append((l.key, t, l.keyAt)) } else {
              sink.error(l.value.location, "front-matter", "label of '\(l.key)' must be text; got \(l.value.shape)")
            }
          }
        case .list:
          sink.error(v.location, "front-matter", "'labels' must map names to labels (bond_t: Therapist-rated bond) or give a codebook CSV (columns name,label)")
        }
      case "unsafe_html": fm.unsafeHTML = v.scalarText == "true"
      case "toc":
        switch v.scalarText {
        case "true": fm.toc = true
        case "false": fm.toc = false
        default:
          sink.error(v.location, "front-matter", "'toc' must be true or false; got \(v.shape)",
                     remedy: "write 'toc: true' for a numbered table of contents of the ## and ### headings")
        }
      case "provenance":
        let s = v.scalarText ?? ""
        if s == "appendix" { fm.provenanceAppendix = true } else if s == "none" { fm.provenanceAppendix = false } else {
          sink.error(v.location, "front-matter", "'provenance' must be 'appendix' or 'none'; got \(v.shape)")
        }
      case "data":
        guard case .map(let sources, _) = v else {
          sink.error(v.location, "front-matter", "'data' must map names to files, e.g. 'prac: data/prac.csv'")
          continue
        }
        for s in sources { if let d = dataSource(s.key, s.value, sink) { fm.data.append(d) } }
      case "params":
        guard case .map(let ps, _) = v else {
          sink.error(v.location, "front-matter", "'params' must map names to default values")
          continue
        }
        for p in ps {
          guard let s = p.value.scalarText else {
            sink.error(p.value.location, "front-matter", "param '\(p.key)' must have a single default value; got \(p.value.shape)")
            continue
          }
          fm.params.append((p.key, s, p.value.location))
        }
      default:
        sink.warning(it.keyAt, "front-matter", "unknown front-matter key '\(it.key)'\(didYouMeanSuffix(it.key, knownKeys)); it is ignored")
      }
    }
    return fm
  }

  /// Checks a `date:` made of inline values once they are filled in (`{params.month}-01`).
  func checkFilledDate(_ sink: DiagnosticSink) {
    guard let d = date, !Self.isISODate(d) else { return }
    sink.error(dateAt ?? SourceLocation(line: 1, column: 1), "front-matter-date", "'date' must be an ISO 8601 date; it is '\(d)' once filled in",
               remedy: "make the values give YYYY-MM-DD, e.g. 'date: \"{params.month}-01\"' with month 2022-12")
  }

  /// Whether `d` is `YYYY-MM-DD` or an RFC 3339 timestamp (`YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)`),
  /// the forms an Atom feed's `<updated>` accepts.
  static func isISODate(_ d: String) -> Bool {
    let b = Array(d.utf8)
    func digits(_ r: Range<Int>) -> Int? {
      guard r.upperBound <= b.count, r.allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return nil }
      return r.reduce(0) { $0 * 10 + Int(b[$1] - 48) }
    }
    guard b.count >= 10, digits(0..<4) != nil, b[4] == 45, let m = digits(5..<7), b[7] == 45, let day = digits(8..<10),
          (1...12).contains(m), (1...31).contains(day) else { return false }
    if b.count == 10 { return true }
    guard b.count >= 20, b[10] == 84 || b[10] == 116, let h = digits(11..<13), b[13] == 58, let mi = digits(14..<16),
          b[16] == 58, let sec = digits(17..<19), h < 24, mi < 60, sec < 61 else { return false }
    var i = 19
    if b[i] == 46 {
      i += 1
      let start = i
      while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
      guard i > start else { return false }
    }
    guard i < b.count else { return false }
    if b[i] == 90 || b[i] == 122 { return i + 1 == b.count }
    guard b[i] == 43 || b[i] == 45, i + 6 == b.count, let zh = digits((i + 1)..<(i + 3)), b[i + 3] == 58,
          let zm = digits((i + 4)..<(i + 6)), zh < 24, zm < 60 else { return false }
    return true
  }

  private static func text(_ v: YAMLNode, _ key: String, _ sink: DiagnosticSink) -> String? {
    if let s = v.scalarText { return s }
    if case .list = v, key == "author" { return nil }
    sink.error(v.location, "front-matter", "'\(key)' must be text; got \(v.shape)")
    return nil
  }

  private static func listText(_ v: YAMLNode) -> String? {
    if case .list(let xs, _) = v { return xs.compactMap(\.scalarText).joined(separator: ", ") }
    return nil
  }

  private static func dataSource(_ name: String, _ v: YAMLNode, _ sink: DiagnosticSink) -> DataSource? {
    switch v {
    case .scalar(let path, _, let at):
      return DataSource(name: name, path: path, at: at)
    case .map(let items, let at):
      var d = DataSource(name: name, path: "", at: at)
      for it in items {
        switch it.key {
        case "path": d.path = it.value.scalarText ?? ""
        case "sqlite": d.path = it.value.scalarText ?? ""; d.sqlite = true
        case "query": d.query = it.value.scalarText; d.queryAt = it.value.location
        case "format":
          if let f = it.value.scalarText { d.format = (f, it.value.location) } else {
            sink.error(it.value.location, "front-matter", "'format' must be one name (spss, stata, sas, csv); got \(it.value.shape)")
          }
        case "user_missing":
          switch it.value.scalarText {
          case "keep": d.userMissingKeep = true
          case "drop": d.userMissingKeep = false
          default: sink.error(it.value.location, "front-matter", "'user_missing' must be 'drop' (the default: user-missing codes are missing) or 'keep'; got \(it.value.shape)")
          }
        case "value_labels":
          switch it.value.scalarText {
          case "codes": d.valueLabelCodes = true
          case "factors": d.valueLabelCodes = false
          default: sink.error(it.value.location, "front-matter", "'value_labels' must be 'factors' (the default: labelled columns are factors) or 'codes'; got \(it.value.shape)")
          }
        case "na":
          switch it.value {
          case .scalar(let s, _, _): d.na = [s]
          case .list(let xs, _): d.na = xs.compactMap(\.scalarText)
          default: sink.error(it.value.location, "front-matter", "'na' must be a list of strings, e.g. [\"\", \"NA\", \"-99\"]")
          }
        default:
          sink.error(it.keyAt, "front-matter", "data source '\(name)' has no setting '\(it.key)'\(didYouMeanSuffix(it.key, ["path", "na", "sqlite", "query", "format", "user_missing", "value_labels"]))")
        }
      }
      if d.path.isEmpty {
        sink.error(at, "front-matter", "data source '\(name)' needs a 'path'", remedy: "for example  \(name): { path: data/\(name).csv }")
        return nil
      }
      return d
    case .list:
      sink.error(v.location, "front-matter", "data source '\(name)' must be a path or a mapping with 'path'")
      return nil
    }
  }
}

/// The libFuzzer hook for front matter (Fuzz/Sources/fuzz-frontmatter): splits and parses
/// `source`, and checks the invariants a stranger's report must not break.
public enum FrontMatterFuzz {
  /// Traps (for libFuzzer to report) when the split loses text, a CR survives, or a date
  /// that passed validation would not make a valid Atom `<updated>`.
  public static func check(_ source: String) {
    let (yaml, body, lines) = FrontMatter.split(source)
    let normalized = FrontMatter.normalizingLineEndings(source)
    if body.utf8.contains(13) || (yaml?.utf8.contains(13) ?? false) { fatalError("a CR survived the split") }
    if yaml == nil, body != normalized { fatalError("text lost without front matter") }
    if yaml != nil, !normalized.hasSuffix(body) || lines < 2 { fatalError("the body is not the end of the source") }
    let sink = DiagnosticSink(file: "fuzz.md")
    let fm = FrontMatter.parse(yaml, lines: lines, sink: sink)
    for d in sink.items where d.line < 1 || d.line > lines + 2 { fatalError("diagnostic outside the front matter: \(d)") }
    if let d = fm.date, !sink.hasErrors, !d.contains("{") {
      guard let atom = Site.atomDate(d) else { fatalError("a validated date is not an Atom date: \(d)") }
      if atom.contains(where: { $0 == "<" || $0 == "&" }) { fatalError("markup in an Atom date") }
    }
  }
}
