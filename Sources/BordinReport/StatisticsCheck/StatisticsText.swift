/// The prose of a document as `check --statistics` scans it: markup removed, entities decoded,
/// code blanked, each kept scalar paired with its offset in the original text so that a finding
/// reports the original line and column (CRLF files included: only `\n` starts a line).
///
/// - Markdown: fenced blocks and code spans are blanked (directives and computed values are not
///   typed text); emphasis `*`/`_`, Pandoc super/subscripts `^2^`/`~b~`, inline LaTeX `$…$`
///   (`\chi` → χ, `\le` → ≤, `\,` → space), backslash escapes (`\<` → `<`) and inline HTML tags
///   are removed; entities decoded.
/// - HTML: tags removed (block tags end a paragraph), `<script>`/`<style>` and Bordin's computed
///   values (`<span class="bordin-value">`, and links of class `bordin-…`) skipped, entities decoded (`&minus;`, `&#8722;`, `&chi;`,
///   `&sup2;`, `&thinsp;`…). A `<` not opening a tag, and any `>`, are text.
/// - Plain text (from a PDF or a Word document): kept as is, form feeds as paragraph breaks.
struct StatisticsText {
  typealias Kind = StatisticsCheck.Kind

  var scalars: [Unicode.Scalar] = []
  /// Offset, in scalars of the original text, of each kept scalar.
  var offsets: [Int] = []
  /// Offsets where the original lines begin.
  var lineStarts: [Int] = [0]
  /// Offsets of form feeds: page breaks in the text of a PDF (pdftotext ends each page with one).
  var pageBreaks: [Int] = []

  init(_ text: String, kind: Kind) {
    let o = Array(text.unicodeScalars)
    scalars.reserveCapacity(o.count)
    offsets.reserveCapacity(o.count)
    for (i, s) in o.enumerated() {
      if s == "\n" { lineStarts.append(i + 1) } else if s == "\u{0C}" { pageBreaks.append(i) }
    }
    switch kind {
    case .markdown: markdown(o)
    case .html: html(o)
    case .plain:
      for (i, s) in o.enumerated() {
        if s == "\u{0C}" { emit("\n", i); emit("\n", i) } else if s != "\u{AD}" { emit(s, i) }
      }
    }
  }

  /// The 1-based line and column (in scalars) of kept scalar `i`.
  func location(_ i: Int) -> (line: Int, column: Int) {
    let off = i < offsets.count ? offsets[i] : (offsets.last ?? 0)
    var lo = 0, hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
    }
    return (lo + 1, off - lineStarts[lo] + 1)
  }

  /// The 1-based page of kept scalar `i`, when the text has page breaks.
  func page(_ i: Int) -> Int? {
    guard !pageBreaks.isEmpty, i < offsets.count else { return nil }
    let off = offsets[i]
    var lo = 0, hi = pageBreaks.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if pageBreaks[mid] < off { lo = mid + 1 } else { hi = mid }
    }
    return lo + 1
  }

  private mutating func emit(_ s: Unicode.Scalar, _ at: Int) {
    scalars.append(s)
    offsets.append(at)
  }

  private mutating func markdown(_ o: [Unicode.Scalar]) {
    var i = 0, inFence = false, inCode = false, lineStart = true
    while i < o.count {
      let s = o[i]
      if lineStart {
        lineStart = false
        var j = i
        while j < o.count, o[j] == " " || o[j] == "\t" { j += 1 }
        if j + 2 < o.count, (o[j] == "`" && o[j + 1] == "`" && o[j + 2] == "`") || (o[j] == "~" && o[j + 1] == "~" && o[j + 2] == "~") {
          inFence.toggle()
          while i < o.count, o[i] != "\n" { i += 1 }
          continue
        }
      }
      if s == "\n" {
        emit(s, i)
        lineStart = true
        inCode = false
        i += 1
        continue
      }
      if inFence { i += 1; continue }
      if s == "`" { inCode.toggle(); emit(" ", i); i += 1; continue }
      if inCode { i += 1; continue }
      switch s {
      case "*", "_", "$", "^", "{", "}", "~": i += 1
      case "\\":
        guard i + 1 < o.count else { i += 1; continue }
        let q = o[i + 1]
        if isASCIILetter(q) {
          var j = i + 1
          var name = ""
          while j < o.count, isASCIILetter(o[j]) { name.unicodeScalars.append(o[j]); j += 1 }
          if let r = StatisticsText.latex[name] { for x in r.unicodeScalars { emit(x, i) } }
          i = j
        } else if q == "," || q == ";" || q == ":" || q == " " {
          emit(" ", i); i += 2
        } else if q == "!" {
          i += 2
        } else {
          emit(q, i + 1); i += 2
        }
      case "<":
        if let end = tagEnd(o, i, sameLine: true) { i = end } else { emit(s, i); i += 1 }
      case "&":
        i = entity(o, i)
      default:
        emit(s, i); i += 1
      }
    }
  }

  /// The offset just after the `</span>` that closes a span whose start tag ends at `from`
  /// (nested spans counted), or the end of the text.
  private func spanEnd(_ o: [Unicode.Scalar], from: Int) -> Int {
    var depth = 1
    var i = from
    while i < o.count {
      if o[i] == "<", let end = tagEnd(o, i, sameLine: false) {
        if tagName(o, i) == "span" {
          if o[i + 1] == "/" { depth -= 1; if depth == 0 { return end } } else { depth += 1 }
        }
        i = end
      } else {
        i += 1
      }
    }
    return o.count
  }

  private mutating func html(_ o: [Unicode.Scalar]) {
    var i = 0
    while i < o.count {
      let s = o[i]
      if s == "<", let end = tagEnd(o, i, sameLine: false) {
        let name = tagName(o, i)
        if name == "script" || name == "style" {
          i = find(o, "</" + name, from: end).map { tagEnd(o, $0, sameLine: false) ?? $0 + 1 } ?? o.count
          continue
        }
        if name == "a", String(String.UnicodeScalarView(o[i..<end])).contains("bordin-") {
          // A computed value (Bordin's data-ref link): not typed text.
          emit(" ", i)
          i = find(o, "</a", from: end).map { tagEnd(o, $0, sameLine: false) ?? $0 + 1 } ?? o.count
          continue
        }
        if name == "span", String(String.UnicodeScalarView(o[i..<end])).contains("bordin-value") {
          // A computed value (`<span class="bordin-value" data-ref>`, spans inside): not typed text.
          emit(" ", i)
          i = spanEnd(o, from: end)
          continue
        }
        if name == "!--" {
          i = find(o, "-->", from: i + 4).map { $0 + 3 } ?? o.count
          continue
        }
        if StatisticsText.blockTags.contains(name) { emit("\n", i); emit("\n", i) } else if name == "td" || name == "th" || name == "br" { emit(" ", i) }
        i = end
      } else if s == "&" {
        i = entity(o, i)
      } else {
        emit(s, i); i += 1
      }
    }
  }

  /// The index after the `>` of a tag starting at `i` (a `<` followed by a letter, `/` or `!`).
  private func tagEnd(_ o: [Unicode.Scalar], _ i: Int, sameLine: Bool) -> Int? {
    guard i + 1 < o.count, isASCIILetter(o[i + 1]) || o[i + 1] == "/" || o[i + 1] == "!" else { return nil }
    var j = i + 1
    while j < o.count {
      if o[j] == ">" { return j + 1 }
      if o[j] == "<" || (sameLine && o[j] == "\n") { return nil }
      j += 1
    }
    return nil
  }

  private func tagName(_ o: [Unicode.Scalar], _ i: Int) -> String {
    var j = i + 1
    if j < o.count, o[j] == "/" { j += 1 }
    if j + 2 < o.count, o[j] == "!", o[j + 1] == "-", o[j + 2] == "-" { return "!--" }
    var name = ""
    while j < o.count, isASCIILetter(o[j]) || ("0"..."9").contains(o[j]) {
      name.unicodeScalars.append(lowerASCII(o[j]))
      j += 1
    }
    return name
  }

  private func find(_ o: [Unicode.Scalar], _ needle: String, from: Int) -> Int? {
    let n = Array(needle.unicodeScalars)
    guard !n.isEmpty, from + n.count <= o.count else { return nil }
    var i = from
    while i + n.count <= o.count {
      var k = 0
      while k < n.count, lowerASCII(o[i + k]) == n[k] { k += 1 }
      if k == n.count { return i }
      i += 1
    }
    return nil
  }

  /// Decodes the entity at `i` (a `&`), emitting its scalar(s); returns the index after it.
  /// An `&` that starts no known entity is text.
  private mutating func entity(_ o: [Unicode.Scalar], _ i: Int) -> Int {
    var j = i + 1
    var name = ""
    while j < o.count, j - i <= 10, isASCIILetter(o[j]) || ("0"..."9").contains(o[j]) || o[j] == "#" {
      name.unicodeScalars.append(o[j]); j += 1
    }
    guard j < o.count, o[j] == ";" else { emit("&", i); return i + 1 }
    var value: Unicode.Scalar?
    if name.hasPrefix("#x") || name.hasPrefix("#X") {
      value = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
    } else if name.hasPrefix("#") {
      value = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
    } else {
      value = StatisticsText.entities[name]
    }
    guard let v = value else { emit("&", i); return i + 1 }
    emit(v, i)
    return j + 1
  }

  static let entities: [String: Unicode.Scalar] = [
    "lt": "<", "LT": "<", "gt": ">", "GT": ">", "amp": "&", "AMP": "&", "quot": "\"", "apos": "'", "equals": "=",
    "nbsp": "\u{A0}", "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}", "hairsp": "\u{200A}", "ThinSpace": "\u{2009}",
    "NoBreak": "\u{2060}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "shy": "\u{AD}",
    "minus": "\u{2212}", "ndash": "\u{2013}", "mdash": "\u{2014}", "hyphen": "\u{2010}", "dash": "\u{2010}",
    "chi": "\u{3C7}", "Chi": "\u{3A7}", "sup2": "\u{B2}", "le": "\u{2264}", "leq": "\u{2264}", "ge": "\u{2265}", "geq": "\u{2265}",
    "lpar": "(", "rpar": ")", "lsqb": "[", "rsqb": "]", "comma": ",", "period": ".", "semi": ";", "colon": ":", "plus": "+",
    "times": "\u{D7}", "middot": "\u{B7}", "hellip": "\u{2026}", "rsquo": "\u{2019}", "lsquo": "\u{2018}",
    "ldquo": "\u{201C}", "rdquo": "\u{201D}",
  ]

  static let latex: [String: String] = [
    "chi": "χ", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "lt": "<", "gt": ">", "times": "×",
    "quad": " ", "qquad": " ", "thinspace": " ", "enspace": " ", "neg": "-",
  ]

  static let blockTags: Set<String> = [
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article", "blockquote",
    "figure", "figcaption", "caption", "header", "footer", "main", "body", "dd", "dt", "hr", "pre", "title",
  ]
}

@inline(__always) func isASCIILetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }

@inline(__always) func lowerASCII(_ s: Unicode.Scalar) -> Unicode.Scalar {
  ("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s
}
