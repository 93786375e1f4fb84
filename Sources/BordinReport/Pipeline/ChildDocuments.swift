import BordinData
import Foundation

/// Child documents (DESIGN.md §2): `each` repeats a child template once per row of a dataset,
/// `include` inserts one once. Both are expanded in the report's Markdown before its directives
/// are read, so children share the page's figure and table numbering, its provenance record
/// and its result cache with no machinery of their own.
///
/// In a child of `each`, with the row's key `K` (a value of the `key` column):
/// - every label the child defines is prefixed by the key — `#pooled` becomes `#K-pooled`,
///   `#fig-forest` becomes `#fig-K-forest` (so cross-references still number it as a figure) —
///   and so are the child's own uses of them (`of: pooled`, `` `{pooled.k}` ``, `@fig-forest`);
///   names of front-matter datasets are never renamed;
/// - `` `{row.NAME}` `` in prose is the row's value of column NAME (a one-row dataset
///   `row-K`, so formats such as `| reference` apply), and `{row.NAME}` in a directive's options
///   is replaced by the value's text before the options are read (`filter: id == "{row.id}"`,
///   `template: prn-{row.analysis}.md`).
///
/// Children nest (an `include` in a child keeps its key and row; a nested `each` joins the
/// keys, `K-J`) up to ``maxDepth`` levels. Template paths are relative to the report, like data
/// paths, and confined to the project by ``Project/resolve(_:)``.
enum ChildDocuments {
  /// How deep children may nest.
  static let maxDepth = 8

  /// The expanded body, where its lines came from, and the child files read (path, SHA-256).
  struct Expansion {
    var body: String
    var lineMap: SourceLineMap?
    var templates: [(path: String, sha256: String)] = []
    var articles: [ChildArticle] = []
  }

  /// Expands every `each` and `include` block of `body`, whose first line is line `firstLine`
  /// of the report `displayPath`. Adds each row's one-row dataset to `datasets`.
  static func expand(_ body: String, firstLine: Int, displayPath: String, reportFile: URL, project: Project,
                     datasets: inout [String: LoadedDataset], sink: DiagnosticSink) -> Expansion {
    guard body.utf8Range(of: "{each") != nil || body.utf8Range(of: "{include") != nil else { return Expansion(body: body) }
    var x = ChildExpander(project: project, reportDisplayPath: displayPath, datasets: datasets)
    let top = (reportFile.standardizedFileURL.resolvingSymlinksInPath()).path
    x.emit(body, file: displayPath, firstLine: firstLine, context: .init(), depth: 0, stack: [top])
    datasets = x.datasets
    for d in x.diagnostics { sink.append(d) }
    return Expansion(body: x.lines.joined(separator: "\n"), lineMap: SourceLineMap(firstLine: firstLine, entries: x.entries),
                     templates: x.templates, articles: x.articles)
  }

  /// `label` with the key prefix: after `fig-`/`tbl-`, so the label still names a figure or table.
  static func prefixed(_ label: String, _ prefix: String) -> String {
    for kind in ["fig-", "tbl-"] where label.hasPrefix(kind) { return kind + prefix + "-" + label.dropFirst(kind.count) }
    return prefix + "-" + label
  }

  /// Whether `key` can prefix labels: lower-case letters, digits and hyphens, not starting with one.
  static func isLabelSafe(_ key: String) -> Bool {
    !key.isEmpty && key.first != "-" && key.allSatisfy(CrossReference.isLabelChar)
  }
}

/// A child of an `each` with a `title` column: its key, title and topics (the `topics` column,
/// `;`-separated), listed by the site's index and topic pages.
public struct ChildArticle: Sendable, Equatable {
  public var key: String
  public var title: String
  public var topics: [String]
  public init(key: String, title: String, topics: [String]) {
    self.key = key
    self.title = title
    self.topics = topics
  }
}

/// What a stretch of source is expanded in: the key prefix of its labels, the row its
/// `row.NAME` values come from, and the child it belongs to (nil: the report itself).
struct ChildContext {
  var prefix = ""
  var rowDataset: String?
  var row: Table?
  var origin: ChildOrigin?
  /// Labels of the enclosing texts: as written → as in the expanded source.
  var outer: [String: String] = [:]
}

/// The recursive expansion of one report: collects the expanded lines, where each came from,
/// the datasets of the rows, and diagnostics located in the file that holds the problem.
struct ChildExpander {
  let project: Project
  let reportDisplayPath: String
  var datasets: [String: LoadedDataset]
  var lines: [String] = []
  var entries: [SourceLineMap.Entry] = []
  var diagnostics: [Diagnostic] = []
  var templates: [(path: String, sha256: String)] = []
  var articles: [ChildArticle] = []

  init(project: Project, reportDisplayPath: String, datasets: [String: LoadedDataset]) {
    self.project = project
    self.reportDisplayPath = reportDisplayPath
    self.datasets = datasets
  }

  /// A directive block of the text being expanded: its lines (0-based, inclusive) and info words.
  struct Block {
    var start: Int
    var end: Int
    var column: Int
    var kind: String
    var label: String?
  }

  /// Appends `text` (lines of `file` from `firstLine` on) to the output, expanding its children.
  mutating func emit(_ text: String, file: String, firstLine: Int, context: ChildContext, depth: Int, stack: [String]) {
    let src = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let blocks = Self.blocks(of: text, lineCount: src.count)
    var local: [String: String] = [:]
    for b in blocks where !["each", "include"].contains(b.kind) {
      if let l = b.label { local[l] = context.prefix.isEmpty ? l : ChildDocuments.prefixed(l, context.prefix) }
    }
    let rename = renaming(local, context)
    let scope = context.outer.merging(local) { _, new in new }
    var i = 0
    while i < src.count {
      guard let b = blocks.first(where: { $0.start == i }) else {
        put(ChildText.rewriteProse(src[i], rename: rename, rowDataset: context.rowDataset), file, firstLine + i, context)
        i += 1
        continue
      }
      let closed = b.end > b.start && ChildText.isFence(src[b.end])
      let bodyEnd = closed ? b.end : min(b.end + 1, src.count)
      let body = Array(src[(b.start + 1)..<max(b.start + 1, bodyEnd)])
      let at = (file: file, line: firstLine + b.start, column: b.column)
      let substituted = body.enumerated().map { j, line in
        substituteRow(line, context: context, at: (file, firstLine + b.start + 1 + j, b.column))
      }
      if b.kind == "each" || b.kind == "include" {
        put("", file, at.line, context)
        expandChild(b, body: substituted, at: at, context: context, scope: scope, depth: depth, stack: stack)
        put("", file, at.line, context)
      } else {
        var fence = src[b.start]
        if let l = b.label, let new = local[l], new != l { fence = fence.replacingOccurrences(of: "#" + l, with: "#" + new) }
        put(fence, file, at.line, context)
        let renamed = renameReferences(substituted, kind: b.kind, rename: rename)
        for (j, line) in renamed.enumerated() { put(line, file, firstLine + b.start + 1 + j, context) }
        if closed { put(src[b.end], file, firstLine + b.end, context) }
      }
      i = b.end + 1
    }
  }

  /// How a name used in a child (an option value, an inline value's root, a cross-reference)
  /// is written in the expanded source: a label of this text, or of an enclosing one, by its
  /// final name; any other name but a dataset, `params`, `data` and `row` with the key prefix
  /// (a label of a file the child includes). Nil: unchanged.
  func renaming(_ local: [String: String], _ context: ChildContext) -> (String) -> String? {
    let datasets = Set(datasets.keys)
    return { n in
      guard !context.prefix.isEmpty else { return nil }
      if let x = local[n] ?? context.outer[n] { return x == n ? nil : x }
      if ["params", "data", "row"].contains(n) || datasets.contains(n) { return nil }
      return ChildDocuments.prefixed(n, context.prefix)
    }
  }

  mutating func put(_ line: String, _ file: String, _ n: Int, _ context: ChildContext) {
    lines.append(line)
    entries.append(.init(file: file, line: n, child: context.origin))
  }

  mutating func fail(_ at: (file: String, line: Int, column: Int), code: String, _ message: String, remedy: String? = nil) {
    diagnostics.append(Diagnostic(.error, file: at.file, line: at.line, column: at.column, code: code, message: message, remedy: remedy))
  }

  /// The directive blocks (`{kind …}` fenced code) of `text`, from cmark-gfm's parse.
  static func blocks(of text: String, lineCount: Int) -> [Block] {
    let doc = MarkdownDocument(text)
    return doc.fencedBlocks.compactMap { fb in
      let words = fb.info.dropFirst().prefix { $0 != "}" }.split(separator: " ").map(String.init)
      guard let kind = words.first, !kind.hasPrefix("#") else { return nil }
      let label = words.dropFirst().first { $0.hasPrefix("#") }.map { String($0.dropFirst()) }
      let start = fb.line - 1
      let newlines = fb.body.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
      return Block(start: start, end: min(start + newlines + 1, lineCount - 1), column: fb.column, kind: kind.lowercased(), label: label)
    }
  }

  /// `line` with each `{row.NAME}` replaced by the row's value (directive options).
  mutating func substituteRow(_ line: String, context: ChildContext, at: (file: String, line: Int, column: Int)) -> String {
    guard let row = context.row, line.contains("{row.") else { return line }
    var out = ""
    var rest = Substring(line)
    while let open = rest.range(of: "{row.") {
      out += rest[..<open.lowerBound]
      let tail = rest[open.upperBound...]
      guard let close = tail.firstIndex(of: "}") else { out += rest[open.lowerBound...]; rest = ""; break }
      let name = String(tail[..<close])
      if let c = row[name] {
        out += c.string(at: 0) ?? "NA"
      } else {
        fail(at, code: "unknown-column", "'{row.\(name)}': the row has no column '\(name)'\(didYouMeanSuffix(name, row.names))",
             remedy: "the row's columns are: \(row.names.joined(separator: ", "))")
        out += rest[open.lowerBound...close]
      }
      rest = tail[tail.index(after: close)...]
    }
    return out + rest
  }

  /// The body lines of a directive with its references to the child's own labels renamed.
  func renameReferences(_ body: [String], kind: String, rename: (String) -> String?) -> [String] {
    guard case .map(let options, _)? = try? YAMLNode.parse(body.joined(separator: "\n") + "\n", lineOffset: 0) else { return body }
    let inv = Invocation(kind: kind, label: "", labelled: false, at: .init(line: 0, column: 1), options: options, blockIndex: 0)
    var out = body
    for r in inv.references {
      guard let new = rename(r.name), r.at.line >= 1, r.at.line <= out.count else { continue }
      out[r.at.line - 1] = ChildText.replaceToken(r.name, with: new, in: out[r.at.line - 1], from: max(0, r.at.column - 1))
    }
    return out
  }
}
