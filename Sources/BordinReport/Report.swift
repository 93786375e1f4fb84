import BordinData
import Foundation

/// Bordin's version, recorded in every output.
public let bordinVersion = "0.1.0"

/// How to render one report.
public struct RenderOptions: Sendable {
  /// `--param name=value` overrides of front-matter params.
  public var params: [(String, String)] = []
  /// Body HTML only, without the page layout (`--fragment`).
  public var fragment = false
  /// Use the result cache in the project's `.bordin-cache/` (the CLI's default; `--no-cache`).
  public var cache = false
  /// `bordin verify`: results (by label) whose numbers replace the computed ones before they
  /// are printed, so a page can be checked against the values its record holds.
  var replay: [String: ResultValue]?
  public init(params: [(String, String)] = [], fragment: Bool = false, cache: Bool = false) {
    self.params = params
    self.fragment = fragment
    self.cache = cache
  }
}

/// A rendered report: the HTML page, the provenance record, and any warnings.
public struct RenderedReport: Sendable {
  public var html: String
  public var resultsJSON: String
  public var warnings: [Diagnostic]
  public var title: String
  public var date: String?
  public var topics: [String]
  public var summary: String?
  public var author: String?
  /// Directives served from the result cache.
  public var cacheHits: Int = 0
}

/// Renders reports: source → front matter → data → directives → HTML + results.json.
public enum Renderer {
  /// Renders the report at `file`. `displayPath` is how diagnostics and provenance name it.
  /// - Throws: ``ReportErrors`` with every diagnostic when the report has errors.
  public static func render(file: URL, displayPath: String, options: RenderOptions = .init()) throws(ReportErrors) -> RenderedReport {
    let bytes: Data
    do { bytes = try FileLimits.read(file.path, limit: FileLimits.maxReportBytes) } catch {
      let m = FileLimits.message(error, "report '\(displayPath)'", limit: FileLimits.maxReportBytes)
      throw ReportErrors([Diagnostic(file: displayPath, line: 1, code: m.code == "unreadable-file" ? "missing-file" : m.code,
                                     message: m.code == "missing-file" ? "cannot read '\(displayPath)'" : m.message, remedy: m.remedy)])
    }
    return try render(source: bytes, file: file, displayPath: displayPath, options: options)
  }

  /// Renders report source `bytes` as if read from `file` (whose folder anchors relative paths).
  public static func render(source bytes: Data, file: URL, displayPath: String, options: RenderOptions = .init()) throws(ReportErrors) -> RenderedReport {
    var sink = DiagnosticSink(file: displayPath)
    guard let source = String(validating: bytes, as: UTF8.self) else {
      let line = 1 + (bytes.prefix(while: { _ in true }).split(separator: 10, omittingEmptySubsequences: false)
        .firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0)
      throw ReportErrors([Diagnostic(file: displayPath, line: line, code: "not-utf8", message: "the report is not valid UTF-8",
                                     remedy: "save the file as UTF-8")])
    }
    let text = source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source
    let (yaml, body, fmLines) = FrontMatter.split(text)
    var fm = FrontMatter.parse(yaml, lines: fmLines, sink: &sink)

    // Params: front-matter defaults, overridden by --param.
    var params = fm.params.map { ($0.name, $0.value) }
    for (k, v) in options.params {
      if let i = params.firstIndex(where: { $0.0 == k }) {
        params[i].1 = v
      } else {
        sink.error(SourceLocation(line: 1, column: 1), "unknown-param",
                   "--param '\(k)' is not declared in the front matter\(didYouMeanSuffix(k, params.map(\.0)))",
                   remedy: "declare it under 'params:' with a default value")
      }
    }

    let project = Project(reportFile: file)
    let datasets = DataLoader.load(fm.data, project: project, params: params, sink: &sink)
    var bibliography = fm.bibliography.flatMap { Self.loadBibliography($0.path, at: $0.at, project: project, sink: &sink) }
    let doc = MarkdownDocument(body, lineOffset: fmLines, citations: fm.bibliography != nil)
    let ev = Evaluation(file: displayPath, datasets: datasets, params: params)
    ev.labels = Labels.load(fm, datasets: datasets, project: project, sink: &sink)
    ev.sink = sink
    ev.replay = options.replay
    if options.cache, options.replay == nil { ev.cache = ResultCache.make(folder: project.root.appendingPathComponent(".bordin-cache"), sink: &ev.sink) }
    ev.read(doc.fencedBlocks)
    ev.run()
    // A front-matter label that no table or figure showed names nothing (a typo, or a column not used).
    for l in fm.labels where !ev.labels.wasShown(l.name) {
      ev.sink.warning(l.at, "unused-label", "label '\(l.name)' names no column or term shown in a table or figure",
                      remedy: "check the name against the data's columns and the model terms (results.json), or remove it")
    }

    // Inline values.
    var resolver = InlineResolver(ev: ev, params: params, datasets: datasets)
    resolver.citation = { key, mode in
      guard bibliography?.entries[key] != nil else { return nil }
      switch mode {
      case "reference": return bibliography!.cite(key, reference: true)
      default: return bibliography!.html([.init(key: key, locator: nil)], narrative: mode == "cite")
      }
    }
    var spans: [Int: String] = [:]
    var sources: [Int: String] = [:]
    var used = Set<String>()
    for span in doc.codeSpans where !span.literal.hasPrefix("\\") {
      let at = SourceLocation(line: span.line, column: span.column)
      guard span.literal.hasSuffix("}") else {
        ev.sink.error(at, "inline-syntax", "inline value '\(span.literal)' has no closing '}'",
                      remedy: "write `{label.field}`; for a literal code span starting with '{' write `\\{…}`")
        continue
      }
      let inner = String(span.literal.dropFirst().dropLast())
      do {
        let path = try InlinePath.parse(inner)
        do {
          let first = used.insert(path.root).inserted && ev.output(path.root) != nil
          spans[span.index] = try resolver.html(path, id: first ? "use-" + path.root : nil)
          sources[span.index] = resolver.target(path)
          if first { ev.firstUse.insert(path.root) }
        } catch {
          ev.sink.error(at, "inline-value", "in `{\(inner)}`: \(error.message)", remedy: error.remedy)
        }
      } catch {
        ev.sink.error(at, "inline-syntax", "in `{\(inner)}`: \(error.message)",
                      remedy: "write `{label.field}` or `{label.field | format}`")
      }
    }
    for ref in doc.crossReferences where ev.numbers[ref.label] == nil {
      let known = ev.numbers.keys.sorted()
      ev.sink.error(SourceLocation(line: ref.line, column: 1), "unknown-reference",
                    "cross-reference '@\(ref.label)' names no figure or table\(didYouMeanSuffix(ref.label, known))",
                    remedy: "label the table or plot directive #\(ref.label)")
    }
    if let bib = bibliography {
      for c in doc.citations where bib.entries[c.key] == nil {
        ev.sink.error(SourceLocation(line: c.line, column: 1), "unknown-citation",
                      "citation key '@\(c.key)' is not in the bibliography\(didYouMeanSuffix(c.key, bib.entries.keys.sorted()))",
                      remedy: "add an entry with key '\(c.key)' to \(fm.bibliography?.path ?? "the .bib file"), or correct the key")
      }
    }
    if ev.sink.hasErrors { throw ReportErrors(ev.sink.items) }

    // HTML.
    var blocks: [Int: String] = [:]
    for inv in ev.invocations { blocks[inv.blockIndex] = ev.output(inv.label)?.html ?? "" }
    let numbers = ev.numbers
    var bodyHTML = doc.render(blocks: blocks, spans: spans, sources: sources, reference: { piece in
      switch piece {
      case .reference(let label):
        guard let n = numbers[label] else { return nil }
        let word = label.hasPrefix("fig-") ? "Figure" : "Table"
        return "<a class=\"bordin-xref\" href=\"#\(escapeHTML(label))\">\(word)&nbsp;\(n)</a>"
      case .citation(let cites, let narrative):
        return bibliography?.html(cites, narrative: narrative)
      case .text:
        return nil
      }
    }, unsafeHTML: fm.unsafeHTML)
    if fm.toc {
      let toc = TableOfContents(bodyHTML)
      bodyHTML = toc.nav + toc.body
    }
    if let bib = bibliography { bodyHTML += bib.referenceList() }

    var provenance = Provenance(
      version: bordinVersion, sourcePath: project.relative(file), sourceSHA256: sha256Hex(bytes), sourceText: text,
      inputs: fm.data.compactMap { datasets[$0.name] }, params: params,
      directives: ev.invocations.compactMap { inv in ev.output(inv.label).map { (inv, $0) } },
      backLinks: Dictionary(uniqueKeysWithValues: ev.invocations.compactMap { inv -> (String, String)? in
        if inv.labelled, inv.kind == "table" || inv.kind == "plot" { return (inv.label, inv.label) }
        return ev.firstUse.contains(inv.label) ? (inv.label, "use-" + inv.label) : nil
      }))
    // Front-matter text may hold inline values (`{params.month}`, `{data.summary.title}`), so
    // that one template gives every rendered report its own title, date, summary and topics.
    let fill = { (s: String?) -> String? in s.map { Self.substitute($0, resolver: resolver) } }
    fm.title = fill(fm.title); fm.date = fill(fm.date); fm.summary = fill(fm.summary); fm.author = fill(fm.author)
    fm.checkFilledDate(&ev.sink)
    if ev.sink.hasErrors { throw ReportErrors(ev.sink.items) }
    fm.topics = fm.topics.flatMap { t -> [String] in
      let v = Self.substitute(t, resolver: resolver)
      return t.contains("{") ? v.split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } : [v]
    }
    let title = fm.title ?? file.deletingPathExtension().lastPathComponent
    let html: String
    if options.fragment {
      html = bodyHTML
    } else {
      html = Page.html(title: title, frontMatter: fm, body: bodyHTML,
                       appendix: fm.provenanceAppendix ? provenance.appendixHTML : "", meta: provenance.metaTags)
    }
    let sealed = Provenance.seal(html)
    provenance.renderID = sealed.id
    return RenderedReport(html: sealed.html, resultsJSON: JSONWriter.string(provenance.json),
                          warnings: ev.sink.items.filter { $0.severity == .warning },
                          title: title, date: fm.date, topics: fm.topics, summary: fm.summary, author: fm.author,
                          cacheHits: ev.cacheHits)
  }
}

extension Renderer {
  /// `text` with every `{path}` / `{path | format}` replaced by its value as plain text; a
  /// path that does not resolve is left as written.
  static func substitute(_ text: String, resolver: InlineResolver) -> String {
    guard text.contains("{") else { return text }
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      let inner = String(rest[rest.index(after: open)..<close])
      if let path = try? InlinePath.parse(inner), let html = try? resolver.html(path) {
        out += ComputedValues.unescape(ComputedValues.stripTags(html))
      } else {
        out += rest[open...close]
      }
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }

  /// Reads and parses the report's BibTeX file, recording problems in `sink`.
  static func loadBibliography(_ path: String, at: SourceLocation, project: Project, sink: inout DiagnosticSink) -> Bibliography? {
    let url: URL
    do { url = try project.resolve(path) } catch {
      let why = error == .missing ? "does not exist" : "is outside the project"
      sink.error(at, error == .missing ? "missing-file" : "path-outside", "bibliography '\(path)' \(why)",
                 remedy: "give a .bib file inside the project, relative to the report")
      return nil
    }
    let data: Data
    do { data = try FileLimits.read(url.path, limit: FileLimits.maxBibliographyBytes) } catch {
      let m = FileLimits.message(error, "bibliography '\(path)'", limit: FileLimits.maxBibliographyBytes)
      sink.error(at, m.code == "missing-file" ? m.code : "bibliography", m.message, remedy: m.remedy)
      return nil
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      sink.error(at, "bibliography", "bibliography '\(path)' cannot be read as UTF-8 text")
      return nil
    }
    do {
      return Bibliography(try BibTeX.parse(text))
    } catch {
      sink.error(at, "bibliography", "bibliography '\(path)' line \(error.line): \(error.message)", remedy: "fix the BibTeX entry")
      return nil
    }
  }
}

/// The page around a report body: the layout of `templates/layout.html` with its CSS inlined.
enum Page {
  static func html(title: String, frontMatter fm: FrontMatter, body: String, appendix: String, meta: String = "") -> String {
    var header = "<header class=\"bordin-title\">\n<h1>\(escapeHTML(title))</h1>\n"
    if let a = fm.author { header += "<p class=\"bordin-author\">\(escapeHTML(a))</p>\n" }
    if let d = fm.date { header += "<p class=\"bordin-date\"><time datetime=\"\(escapeHTML(d))\">\(escapeHTML(d))</time></p>\n" }
    if !fm.topics.isEmpty {
      // Marked so that site mode can link each chip to its topic page (``SiteNavigation``).
      header += SiteNavigation.topics.open + "<ul class=\"bordin-topics\">" + fm.topics.map { "<li>\(escapeHTML($0))</li>" }.joined()
        + "</ul>" + SiteNavigation.topics.close + "\n"
    }
    header += "</header>\n"
    return fill([
      "{{lang}}": escapeHTML(fm.lang), "{{version}}": bordinVersion, "{{title}}": escapeHTML(title),
      "{{css}}": Theme.css + "\n", "{{header}}": header, "{{body}}": body, "{{appendix}}": appendix, "{{meta}}": meta,
    ])
  }

  /// The layout with its `{{placeholders}}` filled in one left-to-right pass, so filled text
  /// is never re-scanned; a placeholder without a value becomes empty.
  static func fill(_ fills: [String: String]) -> String {
    var out = ""
    var rest = Substring(Theme.layout + "\n")
    while let open = rest.range(of: "{{") {
      out += rest[..<open.lowerBound]
      let tail = rest[open.lowerBound...]
      if let close = tail.range(of: "}}"), tail[tail.index(tail.startIndex, offsetBy: 2)..<close.lowerBound].allSatisfy({ $0.isLetter }) {
        out += fills[String(tail[..<close.upperBound])] ?? ""
        rest = tail[close.upperBound...]
      } else {
        out += "{{"
        rest = tail.dropFirst(2)
      }
    }
    return out + rest
  }
}
