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
  /// Raw HTML, links and images, and text with an '@', for ``rewriteText(reference:unsafeHTML:)``.
  private var rawHTMLNodes: [OpaquePointer] = []
  private var linkNodes: [OpaquePointer] = []
  private var textNodes: [OpaquePointer] = []
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

  /// Calls `body` with every node of the tree in document order (the iterator's ENTER events).
  private func forEachNode(_ body: (OpaquePointer, cmark_node_type) -> Void) {
    let iter = cmark_iter_new(root)
    defer { cmark_iter_free(iter) }
    while true {
      let ev = cmark_iter_next(iter)
      if ev == CMARK_EVENT_DONE { break }
      guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter) else { continue }
      body(node, cmark_node_get_type(node))
    }
  }

  /// One walk over the parsed tree: directive blocks, inline-value spans, and the nodes
  /// ``rewriteText(reference:unsafeHTML:)`` changes later (raw HTML, links and images, text
  /// with an '@'), so rendering needs no second walk.
  private func collect() {
    var paragraphLine = 1
    var paragraphColumn = 1
    // Blocks whose text holds an '@', with their line: cmark splits text at characters such as
    // '_' and '[', so a reference is read only after that block's text nodes are merged.
    var atBlocks: [(block: OpaquePointer, line: Int)] = []
    forEachNode { node, type in
      switch type {
      case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
        paragraphLine = Int(cmark_node_get_start_line(node))
        paragraphColumn = Int(cmark_node_get_start_column(node))
      case CMARK_NODE_CODE_BLOCK:
        guard Self.literalStarts(cmark_node_get_fence_info(node), skippingSpaces: true) else { return }
        let info = string(cmark_node_get_fence_info(node)).trimmingWhitespace()
        guard info.hasPrefix("{") else { return }
        fencedBlocks.append(FencedBlock(
          index: blockNodes.count, info: info, body: string(cmark_node_get_literal(node)),
          line: Int(cmark_node_get_start_line(node)) + lineOffset,
          column: Int(cmark_node_get_start_column(node))))
        blockNodes.append(node)
      case CMARK_NODE_CODE:
        guard Self.literalStarts(cmark_node_get_literal(node), skippingSpaces: false) else { return }
        let lit = string(cmark_node_get_literal(node))
        var line = Int(cmark_node_get_start_line(node))
        var column = Int(cmark_node_get_start_column(node))
        if line <= 0 { line = paragraphLine; column = paragraphColumn }
        codeSpans.append(CodeSpan(index: spanNodes.count, literal: lit, line: line + lineOffset, column: column))
        spanNodes.append(node)
      case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
        rawHTMLNodes.append(node)
      case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
        linkNodes.append(node)
      case CMARK_NODE_TEXT:
        // Only text with an '@' can hold a reference or citation: test the C string first.
        guard Self.hasAt(node), let block = Self.enclosingBlock(node), atBlocks.last?.block != block else { return }
        atBlocks.append((block, paragraphLine))
      default:
        break
      }
    }
    for (block, line) in atBlocks {
      cmark_consolidate_text_nodes(block)
      let iter = cmark_iter_new(block)
      defer { cmark_iter_free(iter) }
      while true {
        let ev = cmark_iter_next(iter)
        if ev == CMARK_EVENT_DONE { break }
        guard ev == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter), cmark_node_get_type(node) == CMARK_NODE_TEXT,
              Self.hasAt(node), !isInsideLink(node) else { continue }
        textNodes.append(node)
        for piece in CrossReference.split(string(cmark_node_get_literal(node)), citations: citationsEnabled) {
          switch piece {
          case .reference(let l): crossReferences.append((l, line + lineOffset))
          case .citation(let cs, _): for c in cs { citations.append((c.key, line + lineOffset)) }
          case .text: break
          }
        }
      }
    }
  }

  /// The nearest block (paragraph, heading, table cell, …) holding an inline node.
  private static func enclosingBlock(_ node: OpaquePointer) -> OpaquePointer? {
    var p = cmark_node_parent(node)
    while let q = p {
      if cmark_node_get_type(q).rawValue & 0xc000 == 0x8000 { return q }
      p = cmark_node_parent(q)
    }
    return nil
  }

  /// Renders the document to HTML.
  ///
  /// - Parameters:
  ///   - blocks: replacement HTML for directive blocks, by `FencedBlock.index`; a block without
  ///     an entry is printed as ordinary code.
  ///   - spans: replacement HTML for code spans, by `CodeSpan.index`; a span without an entry
  ///     stays a code span (a `\{` prefix loses its backslash).
  ///   - sources: the provenance target (an element id) of each replaced span, by `CodeSpan.index`:
  ///     each paragraph, list item or table cell holding values ends with one link per distinct
  ///     target (``sourceLinks(_:what:)``); headings and alt text get none.
  ///   - reference: HTML for a cross-reference or citation in text, or nil to leave the text as it is.
  ///   - unsafeHTML: pass raw HTML through; otherwise it is shown as escaped text.
  func render(blocks: [Int: String], spans: [Int: String], sources: [Int: String] = [:],
              reference: (CrossReference.Piece) -> String?, unsafeHTML: Bool) -> String {
    for (i, node) in blockNodes.enumerated() {
      guard let html = blocks[i] else { continue }
      let new = cmark_node_new(CMARK_NODE_HTML_BLOCK)
      cmark_node_set_literal(new, withoutNUL(html))
      cmark_node_replace(node, new)
      cmark_node_free(node)
    }
    blockNodes = []
    // Blocks holding values, in document order, with their values' provenance targets.
    var sourceBlocks: [(block: OpaquePointer, targets: [String])] = []
    var sourceBlockIndex: [OpaquePointer: Int] = [:]  // constant-time lookup: linear in the values
    for (i, node) in spanNodes.enumerated() {
      if let html = spans[i] {
        let new: OpaquePointer?
        let container = Self.container(of: node)
        if let target = sources[i], container != CMARK_NODE_IMAGE, let block = Self.enclosingBlock(node),
           cmark_node_get_type(block) != CMARK_NODE_HEADING {
          if let k = sourceBlockIndex[block] {
            if !sourceBlocks[k].targets.contains(target) { sourceBlocks[k].targets.append(target) }
          } else {
            sourceBlockIndex[block] = sourceBlocks.count
            sourceBlocks.append((block, [target]))
          }
        }
        switch container {
        case CMARK_NODE_IMAGE:  // alt text is plain: the value's text, no markup
          new = cmark_node_new(CMARK_NODE_TEXT)
          cmark_node_set_literal(new, withoutNUL(Self.plainText(html)))
        case CMARK_NODE_LINK:  // a link cannot hold the value's own link
          new = cmark_node_new(CMARK_NODE_HTML_INLINE)
          cmark_node_set_literal(new, withoutNUL(Self.unlinked(html)))
        default:
          new = cmark_node_new(CMARK_NODE_HTML_INLINE)
          cmark_node_set_literal(new, withoutNUL(html))
        }
        cmark_node_replace(node, new)
        cmark_node_free(node)
      } else {
        let lit = string(cmark_node_get_literal(node))
        if lit.hasPrefix("\\{") { cmark_node_set_literal(node, String(lit.dropFirst())) }
      }
    }
    spanNodes = []
    for (block, targets) in sourceBlocks {
      let what = cmark_node_get_type(block) == CMARK_NODE_PARAGRAPH ? "the values in this paragraph" : "the values here"
      let new = cmark_node_new(CMARK_NODE_HTML_INLINE)
      cmark_node_set_literal(new, withoutNUL(Self.sourceLinks(targets, what: what)))
      cmark_node_append_child(block, new)
    }
    rewriteText(reference: reference, unsafeHTML: unsafeHTML)
    let exts = cmark_parser_get_syntax_extensions(parser)
    guard let cstr = cmark_render_html(root, CMARK_OPT_UNSAFE, exts) else { return "" }
    defer { free(cstr) }
    return String(cString: cstr)
  }

  /// Escapes raw HTML (unless allowed) and turns cross-references in text into links.
  ///
  /// Works on the nodes ``collect()`` recorded: directive output inserted since is never
  /// touched, and code blocks and spans (the only nodes replaced so far) have no children.
  private func rewriteText(reference: (CrossReference.Piece) -> String?, unsafeHTML: Bool) {
    let html = rawHTMLNodes
    let texts = textNodes
    rawHTMLNodes = []
    textNodes = []
    if !unsafeHTML {
      // cmark's safe mode, which rendering with CMARK_OPT_UNSAFE (for Bordin's own HTML) turns off.
      for node in linkNodes where Self.isDangerousURL(cmark_node_get_url(node), image: cmark_node_get_type(node) == CMARK_NODE_IMAGE) {
        cmark_node_set_url(node, "")
      }
    }
    linkNodes = []
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
      let pieces = CrossReference.split(lit, citations: citationsEnabled)
      guard pieces.contains(where: { if case .text = $0 { return false } else { return true } }) else { continue }
      for piece in pieces {
        let new: OpaquePointer?
        if case .text(let s) = piece {
          new = cmark_node_new(CMARK_NODE_TEXT)
          cmark_node_set_literal(new, s)
        } else if let h = reference(piece), Self.container(of: node) == CMARK_NODE_IMAGE {
          new = cmark_node_new(CMARK_NODE_TEXT)  // alt text: "Figure 2", not its link's markup
          cmark_node_set_literal(new, withoutNUL(Self.plainText(h)))
        } else if let h = reference(piece) {
          new = cmark_node_new(CMARK_NODE_HTML_INLINE)
          cmark_node_set_literal(new, withoutNUL(h))
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
  /// `data:image/{png,gif,jpeg,webp}` for images; case-insensitive, ignoring ASCII whitespace
  /// and control characters anywhere in the scheme (as browsers do).
  static func isDangerousURL(_ url: UnsafePointer<CChar>?, image: Bool) -> Bool {
    guard let url else { return false }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buf in
      // The first 16 bytes that are not whitespace or control characters, lower-cased.
      var n = 0
      var p = UnsafeRawPointer(url).assumingMemoryBound(to: UInt8.self)
      while n < 16, p.pointee != 0 {
        let b = p.pointee
        if b > 0x20, b != 0x7f { buf[n] = b >= 65 && b <= 90 ? b + 32 : b; n += 1 }
        p += 1
      }
      let head = UnsafeBufferPointer(rebasing: buf[..<n])
      func starts(_ s: StaticString) -> Bool { s.withUTF8Buffer { head.starts(with: $0) } }
      if image, starts("data:image/png") || starts("data:image/gif") || starts("data:image/jpeg") || starts("data:image/webp") {
        return false
      }
      return starts("javascript:") || starts("vbscript:") || starts("file:") || starts("data:")
    }
  }

  /// Whether a C string's first character (after spaces and tabs when `skippingSpaces`) is
  /// `{`, or `\{` (the escaped form), without making a Swift string of it.
  private static func literalStarts(_ p: UnsafePointer<CChar>?, skippingSpaces: Bool) -> Bool {
    guard var p else { return false }
    if skippingSpaces { while p.pointee == 32 || p.pointee == 9 || p.pointee == 10 || p.pointee == 13 { p += 1 } }
    return p.pointee == 123 || (p.pointee == 92 && p[1] == 123)
  }

  /// Whether a text node's literal contains '@' (without making a Swift string of it).
  private static func hasAt(_ node: OpaquePointer) -> Bool {
    guard let p = cmark_node_get_literal(node) else { return false }
    return strchr(p, 64) != nil
  }

  /// The nearest image or link holding `node` (CMARK_NODE_NONE when neither does).
  private static func container(of node: OpaquePointer) -> cmark_node_type {
    var p = cmark_node_parent(node)
    while let q = p {
      let t = cmark_node_get_type(q)
      if t == CMARK_NODE_IMAGE || t == CMARK_NODE_LINK { return t }
      p = cmark_node_parent(q)
    }
    return CMARK_NODE_NONE
  }

  /// The text of an HTML fragment: tags dropped and the entities `escapeHTML` writes (and `&nbsp;`) decoded,
  /// for an image's alt text (cmark escapes it again).
  static func plainText(_ html: String) -> String {
    var out = ""
    var inTag = false
    for ch in html {
      if inTag { if ch == ">" { inTag = false }; continue }
      if ch == "<" { inTag = true; continue }
      out.append(ch)
    }
    return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&nbsp;", with: "\u{00A0}").replacingOccurrences(of: "&amp;", with: "&")
  }

  /// The provenance links that end a block holding computed values: one per distinct target,
  /// ` <a class="bordin-src" href="#TARGET" aria-label="source of WHAT">source</a>`, so that a
  /// paragraph is one tab stop however many values it holds (the values carry `data-ref`).
  static func sourceLinks(_ targets: [String], what: String) -> String {
    // Several sources are told apart by number: a directive label ("pt-desc2") is the author's
    // name for a computation, not words for a reader.
    targets.enumerated().map { i, t in
      let which = targets.count > 1 ? " (\(i + 1) of \(targets.count))" : ""
      return " <a class=\"bordin-src\" href=\"#\(escapeHTML(t))\" aria-label=\"source of \(what)\(which)\">source</a>"
    }.joined()
  }

  /// A value for inside link text: `<span class="bordin-value" …>` with the value's own `id` and
  /// `data-ref`, and its markup (italics, sub- and superscripts) without any `<a>` of its own:
  /// links cannot nest (HTML §4.5.1).
  static func unlinked(_ html: String) -> String {
    guard html.hasPrefix("<a class=\"bordin-value\"") || html.hasPrefix("<span class=\"bordin-value\""),
          let open = html.firstIndex(of: ">") else {
      return escapeHTML(plainText(html))
    }
    let head = html[..<open]
    var attrs = ""
    for name in [" id=\"", " data-ref=\""] {
      if let r = head.range(of: name), let end = head[r.upperBound...].firstIndex(of: "\"") { attrs += head[r.lowerBound...end] }
    }
    var inner = String(html[html.index(after: open)...])
    for close in ["</a>", "</span>"] where inner.hasSuffix(close) { inner.removeLast(close.count); break }
    inner = inner.replacingOccurrences(of: "<a\\b[^>]*>|</a>", with: "", options: .regularExpression)
    return "<span class=\"bordin-value\"" + attrs + ">" + inner + "</span>"
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
