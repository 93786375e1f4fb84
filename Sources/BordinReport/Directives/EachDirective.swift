import BordinData
import Foundation

/// `each` and `include`: child templates (DESIGN.md §2 "Child documents"). Their blocks are
/// replaced by the children's text before the report's directives are read
/// (``ChildDocuments``), so `run` is reached only by a block the expansion refused (its
/// diagnostic is already recorded).
enum EachDirective {
  static let definition = DirectiveDefinition(
    name: "each",
    summary: "a child template once per row of a dataset (row.NAME values; labels prefixed by the row's key)",
    options: [
      OptionSpec(name: "data", type: .dataset, required: true, help: "a front-matter data source: one child per row"),
      OptionSpec(name: "key", type: .column, required: true,
                 help: "a column of unique values (lower-case letters, digits, hyphens) that prefix the child's labels"),
      OptionSpec(name: "template", type: .string, required: true, help: "the child template (Markdown without front matter), relative to the report"),
      OptionSpec(name: "title", type: .column, help: "a column of titles: the site's index and topic pages list each child by it"),
      OptionSpec(name: "topics", type: .column, help: "a column of each child's topics (separated by ';'), for the site's topic pages (with title)"),
    ],
    fields: [],
    run: refused)

  static let includeDefinition = DirectiveDefinition(
    name: "include",
    summary: "a child template inserted once",
    options: [
      OptionSpec(name: "template", type: .string, required: true, help: "the child template (Markdown without front matter), relative to the report"),
    ],
    fields: [],
    run: refused)

  @Sendable static func refused(_ inv: Invocation, _ ev: Evaluation) throws(DirectiveFailure) -> DirectiveOutput {
    throw DirectiveFailure()
  }
}

extension ChildExpander {
  /// Replaces an `each` or `include` block by its child's text (once, or per row).
  mutating func expandChild(_ b: Block, body: [String], at: (file: String, line: Int, column: Int), context: ChildContext,
                            scope: [String: String], depth: Int, stack: [String]) {
    guard let options = readOptions(b, body: body, at: at) else { return }
    let value = { (k: String) in options.first { $0.key == k }?.value }
    guard let template = value("template")?.scalarText, !template.isEmpty else {
      fail(at, code: "option-value", "\(b.kind) option 'template' must be a file name", remedy: "write 'template: child.md'")
      return
    }
    let tAt = value("template").map { (at.file, $0.location.line, $0.location.column) } ?? at
    guard depth < ChildDocuments.maxDepth else {
      fail(tAt, code: "too-deep", "children nest more than \(ChildDocuments.maxDepth) levels deep at '\(template)'",
           remedy: "flatten the templates: a child may hold each or include blocks only \(ChildDocuments.maxDepth) levels down")
      return
    }
    guard let child = readTemplate(template, at: tAt, stack: stack) else { return }
    let label = b.label ?? b.kind
    if b.kind == "include" {
      var c = context
      c.outer = scope
      c.origin = ChildOrigin(directive: label, key: context.origin?.key, template: child.display)
      emit(child.text, file: child.display, firstLine: 1, context: c, depth: depth + 1, stack: stack + [child.real])
      return
    }
    guard let rows = eachRows(options, at: at) else { return }
    if rows.table.rowCount == 0 {
      diagnostics.append(Diagnostic(.warning, file: at.file, line: at.line, column: at.column, code: "each-empty",
                                    message: "each '\(label)': '\(rows.name)' has no rows, so '\(template)' is not shown",
                                    remedy: "check the data source's query and params"))
    }
    guard let listed = articleColumns(options, table: rows.table, name: rows.name, at: at) else { return }
    for (r, key) in rows.keys.enumerated() {
      if let t = listed.title, depth == 0, let title = t.string(at: r) {
        let topics = listed.topics?.string(at: r)?.split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } ?? []
        articles.append(ChildArticle(key: key, title: title, topics: topics))
      }
      let prefix = context.prefix.isEmpty ? key : context.prefix + "-" + key
      let rowName = "row-" + prefix
      var row = rows.source
      row.name = rowName
      row.table = rows.table.rows([r])
      datasets[rowName] = row
      let c = ChildContext(prefix: prefix, rowDataset: rowName, row: row.table,
                           origin: ChildOrigin(directive: label, key: prefix, template: child.display), outer: scope)
      emit(child.text, file: child.display, firstLine: 1, context: c, depth: depth + 1, stack: stack + [child.real])
      if r + 1 < rows.keys.count { put("", at.file, at.line, context) }
    }
  }

  /// The block's options, checked against the directive's definition.
  private mutating func readOptions(_ b: Block, body: [String], at: (file: String, line: Int, column: Int))
    -> [(key: String, keyAt: SourceLocation, value: YAMLNode)]? {
    let def = b.kind == "each" ? EachDirective.definition : EachDirective.includeDefinition
    let node: YAMLNode
    do { node = try YAMLNode.parse(body.joined(separator: "\n") + "\n", lineOffset: at.line, columnOffset: at.column - 1) } catch {
      fail((at.file, error.at.line, error.at.column), code: "yaml-syntax", "the options of \(b.kind) are not valid YAML: \(error.message)",
           remedy: "write the block body as 'option: value' lines")
      return nil
    }
    guard case .map(let options, _) = node else {
      fail(at, code: "yaml-syntax", "the options of \(b.kind) must be a mapping of 'option: value'; got \(node.shape)",
           remedy: "write the block body as 'option: value' lines")
      return nil
    }
    let known = def.options.map(\.name)
    var ok = true
    for o in options where !known.contains(o.key) {
      fail((at.file, o.keyAt.line, o.keyAt.column), code: "unknown-option", "\(b.kind) has no option '\(o.key)'\(didYouMeanSuffix(o.key, known))",
           remedy: "its options are: \(known.joined(separator: ", ")) (`bordin directives \(b.kind)`)")
      ok = false
    }
    for spec in def.options where spec.required && !options.contains(where: { $0.key == spec.name }) {
      fail(at, code: "missing-option", "\(b.kind) needs option '\(spec.name)' (\(spec.help))", remedy: "add '\(spec.name): …' to the block")
      ok = false
    }
    return ok ? options : nil
  }

  /// Reads a child template: inside the project, not already being expanded (a cycle), UTF-8,
  /// without front matter. Its text and SHA-256 are recorded once.
  private mutating func readTemplate(_ path: String, at: (file: String, line: Int, column: Int), stack: [String])
    -> (text: String, display: String, real: String)? {
    let url: URL
    do { url = try project.resolve(path) } catch {
      if error == .missing {
        let names = project.neighbours(of: path).filter { $0.hasSuffix(".md") }.sorted()
        let base = (path as NSString).lastPathComponent
        fail(at, code: "missing-file", "child template '\(path)' does not exist\(didYouMeanSuffix(base, names))",
             remedy: "template paths are relative to the report (\(reportDisplayPath)); give an existing Markdown file")
      } else {
        fail(at, code: "path-outside", "child template '\(path)' is outside the project",
             remedy: "give a relative path to a file inside the project (the folder holding bordin.yml, else the report's folder)")
      }
      return nil
    }
    let display = Self.joinPath(reportDisplayPath, path)
    guard !stack.contains(url.path) else {
      let names = stack.map { (($0 as NSString).lastPathComponent) } + [(url.path as NSString).lastPathComponent]
      fail(at, code: "include-cycle", "child templates include each other in a cycle: \(names.drop { $0 != names.last! }.joined(separator: " → "))",
           remedy: "remove the each or include that leads back to '\(path)'")
      return nil
    }
    let data: Data
    do { data = try FileLimits.read(url.path, limit: FileLimits.maxReportBytes) } catch {
      let m = FileLimits.message(error, "child template '\(path)'", limit: FileLimits.maxReportBytes)
      fail(at, code: m.code, m.message, remedy: m.remedy)
      return nil
    }
    guard var text = String(validating: data, as: UTF8.self) else {
      fail(at, code: "not-utf8", "child template '\(path)' is not valid UTF-8", remedy: "save the file as UTF-8")
      return nil
    }
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    text = FrontMatter.normalizingLineEndings(text)
    if FrontMatter.split(text).yaml != nil {
      fail(at, code: "child-front-matter", "child template '\(path)' has front matter; a child shares the report's",
           remedy: "declare data, params and the bibliography in the report's front matter and remove the child's")
      return nil
    }
    if !templates.contains(where: { $0.path == display }) { templates.append((display, sha256Hex(data))) }
    return (text, display, url.path)
  }

  /// The rows of an `each` and their keys: a front-matter dataset, a key column whose values
  /// are present, unique and can prefix labels.
  private mutating func eachRows(_ options: [(key: String, keyAt: SourceLocation, value: YAMLNode)], at: (file: String, line: Int, column: Int))
    -> (name: String, source: LoadedDataset, table: Table, keys: [String])? {
    let node = { (k: String) in options.first { $0.key == k }?.value }
    let loc = { (k: String) in node(k).map { (at.file, $0.location.line, $0.location.column) } ?? at }
    guard let name = node("data")?.scalarText, let source = datasets[name], !name.hasPrefix("row-") else {
      let names = datasets.keys.filter { !$0.hasPrefix("row-") }.sorted()
      fail(loc("data"), code: "unknown-data", "each reads a data source of the front matter; '\(node("data")?.scalarText ?? "")' is not one\(didYouMeanSuffix(node("data")?.scalarText ?? "", names))",
           remedy: names.isEmpty ? "declare it under 'data:' in the front matter" : "data sources: \(names.joined(separator: ", ")) (each is expanded before directives run, so a data directive cannot feed it)")
      return nil
    }
    let table = source.table
    guard let keyName = node("key")?.scalarText, let keyColumn = table[keyName] else {
      let k = node("key")?.scalarText ?? ""
      fail(loc("key"), code: "unknown-column", "column '\(k)' (option 'key') is not in '\(name)'\(didYouMeanSuffix(k, table.names))",
           remedy: "the columns of '\(name)' are: \(table.names.prefix(20).joined(separator: ", "))")
      return nil
    }
    var keys: [String] = []
    var firstRow: [String: Int] = [:]
    for r in 0..<table.rowCount {
      guard !keyColumn.isMissing(r), let key = keyColumn.string(at: r) else {
        fail(loc("key"), code: "each-key", "key column '\(keyName)' of '\(name)' is missing in row \(r + 1)",
             remedy: "every row needs a key: fill it in, or filter the row out in the data source's query")
        return nil
      }
      guard ChildDocuments.isLabelSafe(key) else {
        fail(loc("key"), code: "each-key", "key '\(key)' (row \(r + 1) of '\(name)') cannot prefix labels: a key holds lower-case letters, digits and hyphens",
             remedy: "use an id column such as 'roest2022', or derive one in the data source's query")
        return nil
      }
      if let first = firstRow[key] {
        fail(loc("key"), code: "each-key-duplicate", "key column '\(keyName)' of '\(name)' holds '\(key)' in rows \(first + 1) and \(r + 1); keys must be unique",
             remedy: "choose a column whose values are unique (an id), or remove the duplicate rows")
        return nil
      }
      firstRow[key] = r
      keys.append(key)
    }
    return (name, source, table, keys)
  }

  /// The `title` and `topics` columns of an `each`, when given (nil after a diagnostic).
  private mutating func articleColumns(_ options: [(key: String, keyAt: SourceLocation, value: YAMLNode)], table: Table, name: String,
                                       at: (file: String, line: Int, column: Int)) -> (title: Column?, topics: Column?)? {
    var out: (title: Column?, topics: Column?) = (nil, nil)
    for option in ["title", "topics"] {
      guard let node = options.first(where: { $0.key == option })?.value else { continue }
      guard let c = node.scalarText, let column = table[c] else {
        let c = node.scalarText ?? ""
        fail((at.file, node.location.line, node.location.column), code: "unknown-column",
             "column '\(c)' (option '\(option)') is not in '\(name)'\(didYouMeanSuffix(c, table.names))",
             remedy: "the columns of '\(name)' are: \(table.names.prefix(20).joined(separator: ", "))")
        return nil
      }
      if option == "title" { out.title = column } else { out.topics = column }
    }
    return out
  }

  /// `path` (relative to the report) as the report's display path names it: `templates/x.md`.
  static func joinPath(_ report: String, _ path: String) -> String {
    var parts = report.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
    for p in path.split(separator: "/").map(String.init) {
      if p == "." { continue }
      if p == "..", let last = parts.last, last != "..", last != "" { parts.removeLast(); continue }
      parts.append(p)
    }
    return parts.joined(separator: "/")
  }
}
