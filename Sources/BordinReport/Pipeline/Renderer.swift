import BordinData
import Foundation

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
  ///
  /// The stages, in order: decode the source; read the front matter and resolve params; load
  /// the data and bibliography; evaluate the directives (``Evaluation``); resolve inline values
  /// and check cross-references and citations; build the body HTML; record provenance; fill the
  /// front matter's own inline values; lay out and seal the page. Every stage reports into one
  /// ``DiagnosticSink``; the render stops with all of them after the first stage that has errors
  /// and before anything is written.
  public static func render(source bytes: Data, file: URL, displayPath: String, options: RenderOptions = .init()) throws(ReportErrors) -> RenderedReport {
    let sink = DiagnosticSink(file: displayPath)
    let text = try decode(bytes, displayPath: displayPath)
    let (yaml, body, fmLines) = FrontMatter.split(text)
    var fm = FrontMatter.parse(yaml, lines: fmLines, sink: sink)
    let params = resolveParams(fm, overrides: options.params, sink: sink)

    let project = Project(reportFile: file)
    var datasets = DataLoader.load(fm.data, project: project, params: params, sink: sink)
    let bibliography = fm.bibliography.flatMap { Self.loadBibliography($0.path, at: $0.at, project: project, sink: sink) }
    let children = ChildDocuments.expand(body, firstLine: fmLines + 1, displayPath: displayPath, reportFile: file, project: project,
                                         datasets: &datasets, sink: sink)
    sink.lineMap = children.lineMap
    let doc = MarkdownDocument(children.body, lineOffset: fmLines, citations: fm.bibliography != nil)
    let ev = evaluate(doc, frontMatter: fm, datasets: datasets, params: params, project: project,
                      options: options, sink: sink)

    let resolver = inlineResolver(ev, params: params, datasets: datasets, bibliography: bibliography)
    let (spans, sources) = inlineValues(doc, ev: ev, resolver: resolver)
    checkReferences(doc, ev: ev, bibliography: bibliography, frontMatter: fm)
    if sink.hasErrors { throw ReportErrors(sink.items) }

    let bodyHTML = self.bodyHTML(doc, ev: ev, spans: spans, sources: sources, bibliography: bibliography, frontMatter: fm)
    var provenance = self.provenance(text: text, bytes: bytes, file: file, project: project, frontMatter: fm,
                                     datasets: datasets, params: params, ev: ev)
    provenance.lineMap = children.lineMap
    provenance.templates = children.templates
    fillFrontMatter(&fm, resolver: resolver, sink: sink)
    if sink.hasErrors { throw ReportErrors(sink.items) }

    let title = fm.title ?? file.deletingPathExtension().lastPathComponent
    let html = options.fragment
      ? bodyHTML
      : Page.html(title: title, frontMatter: fm, body: bodyHTML,
                  appendix: fm.provenanceAppendix ? provenance.appendixHTML : "", meta: provenance.metaTags)
    let sealed = Provenance.seal(html)
    provenance.renderID = sealed.id
    let record = provenance.json
    let manuscript = ManuscriptInfo(title: title, author: fm.author, date: fm.date, abstract: fm.abstract ?? fm.summary,
                                    runningHead: ManuscriptInfo.runningHead(given: fm.runningHead, title: title),
                                    style: fm.manuscript, lang: fm.lang)
    return RenderedReport(html: sealed.html, resultsJSON: JSONWriter.string(record),
                          warnings: sink.items.filter { $0.severity == .warning },
                          title: title, date: fm.date, topics: fm.topics, summary: fm.summary, author: fm.author,
                          cacheHits: ev.cacheHits, manuscript: manuscript, record: record, articles: children.articles)
  }
}

// MARK: - Stages

extension Renderer {
  /// The source as text: valid UTF-8 (else a diagnostic at the first bad line), without a BOM.
  static func decode(_ bytes: Data, displayPath: String) throws(ReportErrors) -> String {
    guard let source = String(validating: bytes, as: UTF8.self) else {
      let line = 1 + (bytes.prefix(while: { _ in true }).split(separator: 10, omittingEmptySubsequences: false)
        .firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0)
      throw ReportErrors([Diagnostic(file: displayPath, line: line, code: "not-utf8", message: "the report is not valid UTF-8",
                                     remedy: "save the file as UTF-8")])
    }
    return source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source
  }

  /// Params: the front matter's defaults, overridden by `--param` (which must name a declared one).
  static func resolveParams(_ fm: FrontMatter, overrides: [(String, String)], sink: DiagnosticSink) -> [(String, String)] {
    var params = fm.params.map { ($0.name, $0.value) }
    for (k, v) in overrides {
      if let i = params.firstIndex(where: { $0.0 == k }) {
        params[i].1 = v
      } else {
        sink.error(SourceLocation(line: 1, column: 1), "unknown-param",
                   "--param '\(k)' is not declared in the front matter\(didYouMeanSuffix(k, params.map(\.0)))",
                   remedy: "declare it under 'params:' with a default value")
      }
    }
    return params
  }

  /// Reads and runs the directives (with labels, the result cache or `verify`'s replayed
  /// results), then flags front-matter labels that nothing showed.
  static func evaluate(
    _ doc: MarkdownDocument, frontMatter fm: FrontMatter, datasets: [String: LoadedDataset], params: [(String, String)],
    project: Project, options: RenderOptions, sink: DiagnosticSink
  ) -> Evaluation {
    let ev = Evaluation(file: sink.file, datasets: datasets, params: params, sink: sink)
    ev.labels = Labels.load(fm, datasets: datasets, project: project, sink: sink)
    ev.replay = options.replay
    if options.cache, options.replay == nil {
      ev.cache = ResultCache.make(folder: project.root.appendingPathComponent(".bordin-cache"), sink: sink)
    }
    ev.read(doc.fencedBlocks)
    ev.run()
    // A front-matter label that no table or figure showed names nothing (a typo, or a column not used).
    for l in fm.labels where !ev.labels.wasShown(l.name) {
      sink.warning(l.at, "unused-label", "label '\(l.name)' names no column or term shown in a table or figure",
                   remedy: "check the name against the data's columns and the model terms (results.json), or remove it")
    }
    return ev
  }

  /// The resolver of `{label.path | format}` values, with citations from the bibliography.
  static func inlineResolver(
    _ ev: Evaluation, params: [(String, String)], datasets: [String: LoadedDataset], bibliography: Bibliography?
  ) -> InlineResolver {
    var resolver = InlineResolver(ev: ev, params: params, datasets: datasets)
    resolver.citation = { key, mode in
      guard let bibliography, bibliography.entries[key] != nil else { return nil }
      switch mode {
      case "reference": return bibliography.cite(key, reference: true)
      default: return bibliography.html([.init(key: key, locator: nil)], narrative: mode == "cite")
      }
    }
    return resolver
  }

  /// The HTML of every inline value and the id of its provenance entry, by code-span index; the
  /// first use of each result gets the anchor `use-LABEL` that provenance links back to.
  static func inlineValues(_ doc: MarkdownDocument, ev: Evaluation, resolver: InlineResolver) -> (spans: [Int: String], sources: [Int: String]) {
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
    return (spans, sources)
  }

  /// Every `@fig-…`/`@tbl-…` names a numbered figure or table, and every citation key is in the
  /// bibliography.
  static func checkReferences(_ doc: MarkdownDocument, ev: Evaluation, bibliography: Bibliography?, frontMatter fm: FrontMatter) {
    for ref in doc.crossReferences where ev.numbers[ref.label] == nil {
      let known = ev.numbers.keys.sorted()
      ev.sink.error(SourceLocation(line: ref.line, column: 1), "unknown-reference",
                    "cross-reference '@\(ref.label)' names no figure or table\(didYouMeanSuffix(ref.label, known))",
                    remedy: "label the table or plot directive #\(ref.label)")
    }
    guard let bib = bibliography else { return }
    for c in doc.citations where bib.entries[c.key] == nil {
      ev.sink.error(SourceLocation(line: c.line, column: 1), "unknown-citation",
                    "citation key '@\(c.key)' is not in the bibliography\(didYouMeanSuffix(c.key, bib.entries.keys.sorted()))",
                    remedy: "add an entry with key '\(c.key)' to \(fm.bibliography?.path ?? "the .bib file"), or correct the key")
    }
  }

  /// The body: Markdown with directive output, inline values, cross-references and citations;
  /// the table of contents (`toc: true`) and the reference list.
  static func bodyHTML(
    _ doc: MarkdownDocument, ev: Evaluation, spans: [Int: String], sources: [Int: String], bibliography: Bibliography?, frontMatter fm: FrontMatter
  ) -> String {
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
    return bodyHTML
  }

  /// The provenance record: source, inputs, params, every directive's result, and the anchors
  /// that link each result back to where the page shows it.
  static func provenance(
    text: String, bytes: Data, file: URL, project: Project, frontMatter fm: FrontMatter,
    datasets: [String: LoadedDataset], params: [(String, String)], ev: Evaluation
  ) -> Provenance {
    Provenance(
      version: bordinVersion, sourcePath: project.relative(file), sourceSHA256: sha256Hex(bytes), sourceText: text,
      inputs: fm.data.compactMap { datasets[$0.name] }, params: params,
      directives: ev.invocations.compactMap { inv in ev.output(inv.label).map { (inv, $0) } },
      backLinks: Dictionary(uniqueKeysWithValues: ev.invocations.compactMap { inv -> (String, String)? in
        if inv.labelled, directiveDefinition(inv.kind)?.traits.contains(.presentation) == true { return (inv.label, inv.label) }
        return ev.firstUse.contains(inv.label) ? (inv.label, "use-" + inv.label) : nil
      }))
  }

  /// Front-matter text may hold inline values (`{params.month}`, `{data.summary.title}`), so
  /// that one template gives every rendered report its own title, date, summary and topics.
  static func fillFrontMatter(_ fm: inout FrontMatter, resolver: InlineResolver, sink: DiagnosticSink) {
    let fill = { (s: String?) -> String? in s.map { Self.substitute($0, resolver: resolver) } }
    fm.title = fill(fm.title); fm.date = fill(fm.date); fm.summary = fill(fm.summary); fm.author = fill(fm.author)
    fm.abstract = fill(fm.abstract); fm.runningHead = fill(fm.runningHead)
    fm.checkFilledDate(sink)
    fm.topics = fm.topics.flatMap { t -> [String] in
      let v = Self.substitute(t, resolver: resolver)
      return t.contains("{") ? v.split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } : [v]
    }
    fm.topics = fm.topics.enumerated().filter { i, t in !fm.topics[..<i].contains(t) }.map(\.element)  // once each
  }
}
