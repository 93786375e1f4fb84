import CCmarkGFM
import Foundation

/// A parsed CommonMark + GFM document: the only place that touches cmark-gfm.
///
/// The report pipeline reads the directive blocks and inline code spans out of the tree,
/// computes their replacements, and asks for the HTML with those replacements spliced in.
/// Everything else is rendered by cmark-gfm itself, so Markdown without directives renders
/// byte-for-byte as the `cmark-gfm` command renders it with the table, strikethrough,
/// autolink, tagfilter and tasklist extensions.
///
/// The C tree is owned by this object and freed in `deinit`; no pointer leaves this file.
final class MarkdownDocument {
  /// A fenced code block whose info string starts with `{` (a directive candidate).
  struct FencedBlock: Sendable {
    var index: Int
    var info: String
    var body: String
    /// 1-based line of the opening fence in the whole file.
    var line: Int
    var column: Int
  }

  /// An inline code span whose content starts with `{` or `\{`.
  struct CodeSpan: Sendable {
    var index: Int
    var literal: String
    /// 1-based line in the whole file (of the span, or of its paragraph where cmark gives no inline position).
    var line: Int
    var column: Int
  }

  /// Parser extensions. `tagfilter` is not attached: it would also filter the HTML Bordin
  /// inserts (an SVG `<title>`); Markdown without raw HTML renders the same without it, and
  /// raw HTML is escaped, or filtered by ``tagFilter(_:)`` when the report allows it.
  static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

  private let parser: OpaquePointer
  private let root: OpaquePointer
  private var blockNodes: [OpaquePointer] = []
  private var spanNodes: [OpaquePointer] = []
  /// HTML nodes this object inserted (directive output), never escaped.
  private var inserted: Set<OpaquePointer> = []
  private(set) var fencedBlocks: [FencedBlock] = []
  private(set) var codeSpans: [CodeSpan] = []
  /// Every `@fig-…`/`@tbl-…` reference in the document's text, with its line.
  private(set) var crossReferences: [(label: String, line: Int)] = []
  /// Every cited key, with its line (only when the report has a bibliography).
  private(set) var citations: [(key: String, line: Int)] = []
  /// Whether `@key` and `[@key]` in text are citations.
  let citationsEnabled: Bool
  /// Lines before the Markdown body (the front matter), added to every reported line.
  let lineOffset: Int

  init(_ text: String, lineOffset: Int = 0, citations: Bool = false) {
    cmark_gfm_core_extensions_ensure_registered()
    self.lineOffset = lineOffset
    citationsEnabled = citations
    let p: OpaquePointer = cmark_parser_new(CMARK_OPT_DEFAULT)
    for name in Self.extensionNames {
      if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(p, ext) }
    }
    var text = text
    text.withUTF8 { buf in
      buf.withMemoryRebound(to: CChar.self) { cbuf in
        if let base = cbuf.baseAddress { cmark_parser_feed(p, base, cbuf.count) }
      }
    }
    parser = p
    root = cmark_parser_finish(p)
    collect()
  }

  /// Registers cmark-gfm's extensions; call once before rendering on several threads.
  static func prepare() { cmark_gfm_core_extensions_ensure_registered() }

  deinit {
    cmark_node_free(root)
    cmark_parser_free(parser)
  }

  /// Every node of the tree in document order (the iterator's ENTER events).
  private func nodes() -> [(node: OpaquePointer, type: cmark_node_type)] {
    var out: [(OpaquePointer, cmark_node_type)] = []
    let iter = cmark_iter_new(root)
    defer { cmark_iter_free(iter) }
    while true {
      let ev = cmark_iter_next(iter)
      if ev == CMARK_EVENT_DONE { break }
      guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter) else { continue }
      out.append((node, cmark_node_get_type(node)))
    }
    return out
  }

  private func collect() {
    cmark_consolidate_text_nodes(root)
    var paragraphLine = 1
    var paragraphColumn = 1
    for (node, type) in nodes() {
      if type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM {
        paragraphLine = Int(cmark_node_get_start_line(node))
        paragraphColumn = Int(cmark_node_get_start_column(node))
      } else if type == CMARK_NODE_CODE_BLOCK {
        let info = string(cmark_node_get_fence_info(node)).trimmingWhitespace()
        guard info.hasPrefix("{") else { continue }
        fencedBlocks.append(FencedBlock(
          index: blockNodes.count, info: info, body: string(cmark_node_get_literal(node)),
          line: Int(cmark_node_get_start_line(node)) + lineOffset,
          column: Int(cmark_node_get_start_column(node))))
        blockNodes.append(node)
      } else if type == CMARK_NODE_CODE {
        let lit = string(cmark_node_get_literal(node))
        guard lit.hasPrefix("{") || lit.hasPrefix("\\{") else { continue }
        var line = Int(cmark_node_get_start_line(node))
        var column = Int(cmark_node_get_start_column(node))
        if line <= 0 { line = paragraphLine; column = paragraphColumn }
        codeSpans.append(CodeSpan(index: spanNodes.count, literal: lit, line: line + lineOffset, column: column))
        spanNodes.append(node)
      } else if type == CMARK_NODE_TEXT {
        // Only text with an '@' can hold a reference or citation: test the C string first.
        guard Self.hasAt(node), !isInsideLink(node) else { continue }
        for piece in CrossReference.split(string(cmark_node_get_literal(node)), citations: citationsEnabled) {
          switch piece {
          case .reference(let l): crossReferences.append((l, paragraphLine + lineOffset))
          case .citation(let cs, _): for c in cs { citations.append((c.key, paragraphLine + lineOffset)) }
          case .text: break
          }
        }
      }
    }
  }

  /// Renders the document to HTML.
  ///
  /// - Parameters:
  ///   - blocks: replacement HTML for directive blocks, by `FencedBlock.index`; a block without
  ///     an entry is printed as ordinary code.
  ///   - spans: replacement HTML for code spans, by `CodeSpan.index`; a span without an entry
  ///     stays a code span (a `\{` prefix loses its backslash).
  ///   - reference: HTML for a cross-reference or citation in text, or nil to leave the text as it is.
  ///   - unsafeHTML: pass raw HTML through; otherwise it is shown as escaped text.
  func render(blocks: [Int: String], spans: [Int: String],
              reference: (CrossReference.Piece) -> String?, unsafeHTML: Bool) -> String {
    for (i, node) in blockNodes.enumerated() {
      guard let html = blocks[i] else { continue }
      let new = cmark_node_new(CMARK_NODE_HTML_BLOCK)
      cmark_node_set_literal(new, html)
      cmark_node_replace(node, new)
      cmark_node_free(node)
      if let new { inserted.insert(new) }
    }
    blockNodes = []
    for (i, node) in spanNodes.enumerated() {
      if let html = spans[i] {
        let new = cmark_node_new(CMARK_NODE_HTML_INLINE)
        cmark_node_set_literal(new, html)
        cmark_node_replace(node, new)
        cmark_node_free(node)
        if let new { inserted.insert(new) }
      } else {
        let lit = string(cmark_node_get_literal(node))
        if lit.hasPrefix("\\{") { cmark_node_set_literal(node, String(lit.dropFirst())) }
      }
    }
    spanNodes = []
    rewriteText(reference: reference, unsafeHTML: unsafeHTML)
    let exts = cmark_parser_get_syntax_extensions(parser)
    guard let cstr = cmark_render_html(root, CMARK_OPT_UNSAFE, exts) else { return "" }
    defer { free(cstr) }
    return String(cString: cstr)
  }

  /// Escapes raw HTML (unless allowed) and turns cross-references in text into links.
  private func rewriteText(reference: (CrossReference.Piece) -> String?, unsafeHTML: Bool) {
    cmark_consolidate_text_nodes(root)
    var html: [OpaquePointer] = []
    var texts: [OpaquePointer] = []
    for (node, type) in nodes() {
      if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
        if !inserted.contains(node) { html.append(node) }
      } else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE), !unsafeHTML {
        // cmark's safe mode, which rendering with CMARK_OPT_UNSAFE (for Bordin's own HTML) turns off.
        if Self.isDangerousURL(string(cmark_node_get_url(node)), image: type == CMARK_NODE_IMAGE) { cmark_node_set_url(node, "") }
      } else if type == CMARK_NODE_TEXT, Self.hasAt(node) {
        texts.append(node)
      }
    }
    if unsafeHTML {
      for node in html {
        cmark_node_set_literal(node, tagFilter(string(cmark_node_get_literal(node))))
      }
    } else {
      for node in html {
        let type = cmark_node_get_type(node)
        let lit = string(cmark_node_get_literal(node))
        if type == CMARK_NODE_HTML_INLINE {
          let text = cmark_node_new(CMARK_NODE_TEXT)
          cmark_node_set_literal(text, lit)
          cmark_node_replace(node, text)
          cmark_node_free(node)
        } else {
          // A raw HTML block becomes a paragraph of its text, shown escaped.
          let para = cmark_node_new(CMARK_NODE_PARAGRAPH)
          let text = cmark_node_new(CMARK_NODE_TEXT)
          cmark_node_set_literal(text, lit.hasSuffix("\n") ? String(lit.dropLast()) : lit)
          cmark_node_append_child(para, text)
          cmark_node_replace(node, para)
          cmark_node_free(node)
        }
      }
    }
    for node in texts {
      let lit = string(cmark_node_get_literal(node))
      guard lit.contains("@"), !isInsideLink(node) else { continue }
      let pieces = CrossReference.split(lit, citations: citationsEnabled)
      guard pieces.contains(where: { if case .text = $0 { return false } else { return true } }) else { continue }
      for piece in pieces {
        let new: OpaquePointer?
        if case .text(let s) = piece {
          new = cmark_node_new(CMARK_NODE_TEXT)
          cmark_node_set_literal(new, s)
        } else if let h = reference(piece) {
          new = cmark_node_new(CMARK_NODE_HTML_INLINE)
          cmark_node_set_literal(new, h)
          if let new { inserted.insert(new) }
        } else {
          new = cmark_node_new(CMARK_NODE_TEXT)
          cmark_node_set_literal(new, Self.source(of: piece))
        }
        cmark_node_insert_before(node, new)
      }
      cmark_node_unlink(node)
      cmark_node_free(node)
    }
  }


  /// cmark's `_scan_dangerous_url`: `javascript:`, `vbscript:`, `file:` and `data:` URLs, except
  /// `data:image/{png,gif,jpeg,webp}` for images.
  static func isDangerousURL(_ url: String, image: Bool) -> Bool {
    let u = url.lowercased().filter { !$0.isWhitespace }
    if u.hasPrefix("data:image/png") || u.hasPrefix("data:image/gif") || u.hasPrefix("data:image/jpeg") || u.hasPrefix("data:image/webp") {
      return false
    }
    return u.hasPrefix("javascript:") || u.hasPrefix("vbscript:") || u.hasPrefix("file:") || u.hasPrefix("data:")
  }

  /// Whether a text node's literal contains '@' (without making a Swift string of it).
  private static func hasAt(_ node: OpaquePointer) -> Bool {
    guard let p = cmark_node_get_literal(node) else { return false }
    return strchr(p, 64) != nil
  }

  /// True when `node` is inside a link (its text is the link's, not prose to rewrite).
  private func isInsideLink(_ node: OpaquePointer) -> Bool {
    var p = cmark_node_parent(node)
    while let q = p {
      if cmark_node_get_type(q) == CMARK_NODE_LINK { return true }
      p = cmark_node_parent(q)
    }
    return false
  }

  /// The text a piece was written as.
  static func source(of piece: CrossReference.Piece) -> String {
    switch piece {
    case .text(let s): return s
    case .reference(let l): return "@" + l
    case .citation(let cs, let narrative):
      if narrative { return "@" + (cs.first?.key ?? "") }
      return "[" + cs.map { "@" + $0.key + ($0.locator.map { ", " + $0 } ?? "") }.joined(separator: "; ") + "]"
    }
  }

  private func string(_ p: UnsafePointer<CChar>?) -> String {
    guard let p else { return "" }
    return String(cString: p)
  }
}

/// GFM's tagfilter: `<title>`, `<textarea>`, `<style>`, `<xmp>`, `<iframe>`, `<noembed>`,
/// `<noframes>`, `<script>` and `<plaintext>` lose their opening `<` (GFM spec §6.11).
func tagFilter(_ html: String) -> String {
  let tags = ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"]
  var out = ""
  var rest = Substring(html)
  while let lt = rest.firstIndex(of: "<") {
    out += rest[..<lt]
    var after = rest[rest.index(after: lt)...]
    if after.first == "/" { after = after.dropFirst() }
    let name = after.prefix { $0.isLetter }.lowercased()
    let next = after.dropFirst(name.count).first
    if tags.contains(name), next == nil || next == ">" || next == "/" || next == " " || next == "\t" || next == "\n" {
      out += "&lt;"
    } else {
      out += "<"
    }
    rest = rest[rest.index(after: lt)...]
  }
  return out + rest
}

/// Plain CommonMark + GFM → HTML, exactly as the `cmark-gfm` command renders it.
func renderPlainMarkdown(_ text: String) -> String {
  MarkdownDocument(text).render(blocks: [:], spans: [:], reference: { _ in nil }, unsafeHTML: true)
}
