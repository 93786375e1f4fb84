import Foundation

/// The provenance record of a render (DESIGN.md §5): written as `NAME.results.json` and shown
/// as the report's appendix.
struct Provenance {
  var version: String
  var sourcePath: String
  var sourceSHA256: String
  /// The report source as rendered, so `bordin verify` can show a changed template by line.
  var sourceText: String
  var inputs: [LoadedDataset]
  var params: [(String, String)]
  /// Directives in source order with their outputs (nil for failed ones; there are none in a written report).
  var directives: [(Invocation, DirectiveOutput)]
  /// Where each directive's output stands in the report (`#fig-a`, `#use-model`), for back links.
  var backLinks: [String: String] = [:]
  /// Where the lines of a report with child documents came from (``SourceLineMap``).
  var lineMap: SourceLineMap?
  /// The child templates read (`each`, `include`), with their SHA-256.
  var templates: [(path: String, sha256: String)] = []
  /// The render id (see ``seal(_:)``), recorded in both files so `bordin verify` can tell an
  /// HTML page and a `results.json` from different renders apart.
  var renderID = ""
  /// Where the render ran; recorded, never compared.
  var platform = Platform.current

  /// The full record as a result tree, results at full precision.
  var json: ResultValue {
    .object([
      ("bordin", .object([("version", .string(version))])),
      ("render", .object([("id", .string(renderID)), ("platform", platform.json)])),
      ("source", .object([("path", .string(sourcePath)), ("sha256", .string(sourceSHA256)), ("text", .string(sourceText))])),
      ("inputs", .array(inputs.map { d in
        .object([
          ("name", .string(d.name)), ("path", .string(d.path)), ("sha256", .string(d.sha256)),
          ("rows", .int(d.table.rowCount)), ("columns", .array(d.table.names.map { .string($0) })),
        ] + (d.query.map { [("query", ResultValue.string($0))] } ?? []) + (d.statFile.map(Self.statFields) ?? []))
      })),
      ("params", .object(params.map { ($0.0, .string($0.1)) })),
      ("directives", .object(directives.map { inv, out in (inv.label, entry(inv, out)) })),
    ] + (templates.isEmpty ? [] : [("templates", .array(templates.map {
      .object([("path", .string($0.path)), ("sha256", .string($0.sha256))])
    }))]))
  }

  /// The format, ReadStat's version and the user-missing values dropped (or kept) of an SPSS,
  /// Stata or SAS input.
  static func statFields(_ r: StatFileRecord) -> [(String, ResultValue)] {
    var f: [(String, ResultValue)] = [
      ("format", .string(r.format.rawValue)), ("reader", .string("ReadStat \(r.readerVersion)")),
      ("user_missing", .string(r.userMissingKept ? "keep" : "drop")),
    ]
    f.append(("dropped", .array(r.droppedUserMissing.map {
      .object([("column", .string($0.column)), ("values", .int($0.count)), ("reason", .string($0.reason))])
    })))
    let kept = r.variables.filter { $0.userMissingKept > 0 }
    if !kept.isEmpty {
      f.append(("user_missing_kept", .array(kept.map {
        .object([("column", .string($0.name)), ("values", .int($0.userMissingKept)), ("rule", .string($0.userMissing ?? ""))])
      })))
    }
    return f
  }

  private func entry(_ inv: Invocation, _ out: DirectiveOutput) -> ResultValue {
    let origin = lineMap?.locate(inv.at.line)
    var f: [(String, ResultValue)] = [("kind", .string(inv.kind)), ("source_line", .int(origin?.line ?? inv.at.line))]
    if let c = origin?.child {
      // A directive of a child document: the template it stands in, and the row's key.
      f.append(("child", .object([("template", .string(c.template)), ("directive", .string(c.directive))]
        + (c.key.map { [("key", ResultValue.string($0))] } ?? []))))
    }
    if let d = out.data { f.append(("data", .string(d))) }
    if let n = out.rowsUsed { f.append(("rows_used", .int(n))) }
    if let n = out.rowsDropped { f.append(("rows_dropped", .int(n))) }
    if let r = out.droppedReason { f.append(("dropped_reason", .string(r))) }
    if let m = out.method { f.append(("method", .string(m))) }
    f.append(("options", Self.options(inv.options)))
    f.append(("warnings", .array(out.warnings.map { .string($0.description) })))
    if let r = out.result { f.append(("result", r)) }
    return .object(f)
  }

  static func options(_ items: [(key: String, keyAt: SourceLocation, value: YAMLNode)]) -> ResultValue {
    .object(items.map { ($0.key, node($0.value)) })
  }

  /// An option value on one line: `x`, `[a, b]`, `{k: v}`.
  static func compact(_ n: YAMLNode) -> String {
    switch n {
    case .scalar(let s, _, _): return s
    case .list(let xs, _): return "[" + xs.map(compact).joined(separator: ", ") + "]"
    case .map(let kv, _): return "{" + kv.map { "\($0.key): \(compact($0.value))" }.joined(separator: ", ") + "}"
    }
  }

  private static func node(_ n: YAMLNode) -> ResultValue {
    switch n {
    case .scalar(let s, _, _): return .string(s)
    case .list(let xs, _): return .array(xs.map(node))
    case .map(let kv, _): return .object(kv.map { ($0.key, node($0.value)) })
    }
  }

  /// The `<meta>` tag that carries the render id in a page.
  static let renderIDTag = (open: "<meta name=\"bordin-render-id\" content=\"", close: "\">\n")

  /// Gives a rendered page its render id: the SHA-256 of the HTML as written without the id tag,
  /// inserted before the other Bordin `<meta>` tags (a fragment has none: its id is the hash of
  /// the fragment). Derived from content only, so the same render gives the same bytes; the
  /// HTML holds no full-precision value, so the id (and the page) is the same on every platform
  /// whose printed numbers agree.
  static func seal(_ html: String) -> (html: String, id: String) {
    let id = sha256Hex(utf8: html)
    guard let at = html.utf8Range(of: "<meta name=\"bordin-source\" content=\"") else { return (html, id) }
    var out = html
    out.insert(contentsOf: renderIDTag.open + id + renderIDTag.close, at: at.lowerBound)
    return (out, id)
  }

  /// The inverse of ``seal(_:)``: the id a page claims and the id its content gives.
  static func renderIDs(of html: String) -> (claimed: String?, actual: String) {
    guard let r = html.utf8Range(of: renderIDTag.open) else { return (nil, sha256Hex(utf8: html)) }
    let after = html[r.upperBound...]
    guard let end = after.utf8Range(of: renderIDTag.close) else { return (nil, sha256Hex(utf8: html)) }
    let claimed = String(after[..<end.lowerBound])
    var stripped = html
    stripped.removeSubrange(r.lowerBound..<end.upperBound)
    return (claimed, sha256Hex(utf8: stripped))
  }

  /// `<meta>` tags that record the render in the page itself (read by `bordin verify`).
  var metaTags: String {
    var h = "<meta name=\"bordin-source\" content=\"\(escapeHTML(sourcePath))\">\n"
    h += "<meta name=\"bordin-source-sha256\" content=\"\(sourceSHA256)\">\n"
    for (k, v) in params { h += "<meta name=\"bordin-param\" content=\"\(escapeHTML(k))=\(escapeHTML(v))\">\n" }
    return h
  }

  /// The appendix: inputs with hashes, each directive with its source line and rows.
  var appendixHTML: String {
    var h = "<section class=\"bordin-provenance\" id=\"provenance\">\n<h2>Provenance</h2>\n"
    h += "<p>Rendered by Bordin \(escapeHTML(version)) from <code>\(escapeHTML(sourcePath))</code> (SHA-256 <code class=\"hash\">\(sourceSHA256)</code>).</p>\n"
    if !params.isEmpty {
      h += "<p>Parameters: " + params.map { "<code>\(escapeHTML($0.0))</code> = <code>\(escapeHTML($0.1))</code>" }.joined(separator: ", ") + ".</p>\n"
    }
    if !inputs.isEmpty {
      h += "<div class=\"bordin-table\">\n<table class=\"bordin-inputs\" id=\"inputs\">\n<caption>Inputs</caption>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">File</th><th scope=\"col\">Rows</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n"
      for d in inputs {
        h += "<tr id=\"input-\(escapeHTML(d.name))\"><th scope=\"row\">\(escapeHTML(d.name))</th><td><code>\(escapeHTML(d.path))</code></td><td>\(d.table.rowCount)</td><td><code class=\"hash\">\(d.sha256)</code></td></tr>\n"
      }
      h += "</tbody>\n</table>\n</div>\n"
      // SPSS, Stata and SAS inputs: the reader and the user-missing values it set to missing.
      for d in inputs {
        guard let r = d.statFile else { continue }
        var note = "\(d.name): \(r.format.description), read with ReadStat \(r.readerVersion)"
        let dropped = r.droppedUserMissing
        if !dropped.isEmpty { note += "; user-missing values set to missing: " + dropped.map { "\($0.column) \($0.count) (\($0.reason))" }.joined(separator: ", ") }
        if r.userMissingKept { note += "; user-missing values kept as values" }
        h += "<p class=\"bordin-input-note\">\(escapeHTML(note)).</p>\n"
      }
    }
    if !directives.isEmpty {
      h += "<ol class=\"bordin-directives\">\n"
      let hashes = Dictionary(inputs.map { ($0.name, $0.sha256) }, uniquingKeysWith: { a, _ in a })
      for (inv, out) in directives {
        h += "<li id=\"prov-\(escapeHTML(inv.label))\"><code>\(escapeHTML(inv.kind)) #\(escapeHTML(inv.label))</code>, line \(inv.at.line)"
        if let d = out.data {
          h += "; data <code>\(escapeHTML(d))</code>"
          if let sha = hashes[d] { h += " (<a href=\"#input-\(escapeHTML(d))\">SHA-256 \(sha.prefix(12))…</a>)" } else { h += " (<a href=\"#prov-\(escapeHTML(d))\">derived</a>)" }
        }
        if let n = out.rowsUsed { h += "; \(n) rows used" }
        if let n = out.rowsDropped, n > 0 { h += ", \(n) dropped" + (out.droppedReason.map { " (\(escapeHTML($0)))" } ?? "") }
        if let m = out.method { h += "; \(escapeHTML(m))" }
        let opts = inv.options.filter { $0.key != "caption" && $0.key != "alt" }.map { "\($0.key): \(Self.compact($0.value))" }
        if !opts.isEmpty { h += "; options <code>\(escapeHTML(opts.joined(separator: "; ")))</code>" }
        for w in out.warnings { h += "; <strong>warning:</strong> \(escapeHTML(w.description))" }
        if let back = backLinks[inv.label] { h += " <a class=\"bordin-back\" href=\"#\(escapeHTML(back))\" aria-label=\"back to \(escapeHTML(inv.label)) in the text\">↩</a>" }
        h += "</li>\n"
      }
      h += "</ol>\n"
    }
    return h + "</section>\n"
  }
}
