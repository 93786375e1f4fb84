/// A small BibTeX reader: entries with fields, LaTeX accents and braces resolved to Unicode text.
///
/// Handles `@type{key, field = {…} | "…" | 123, …}`, nested braces, `@string` abbreviations,
/// `#` concatenation, `@comment`/`@preamble` (skipped), and the common LaTeX escapes
/// (`{\"o}` → ö, `\&` → &, `--` → –). Malformed input is a located error, never a crash, and
/// macro expansion is capped (``maxValueBytes``), so a small file cannot exhaust memory.
struct BibEntry: Sendable, Equatable {
  var type: String
  var key: String
  var fields: [String: String]
  var line: Int

  subscript(_ f: String) -> String? { fields[f].flatMap { $0.isEmpty ? nil : $0 } }
}

enum BibTeX {
  struct ParseError: Error { var message: String; var line: Int }

  /// The longest field value, after `@string` expansion and `#` concatenation (bytes). Doubling
  /// `@string`s would otherwise turn a 1 KB file into gigabytes.
  static let maxValueBytes = 64 * 1024
  /// The most text all `@string` abbreviations together may hold (bytes).
  static let maxStringBytes = 4 << 20

  static func parse(_ text: String) throws(ParseError) -> [BibEntry] {
    // CRLF is one Character, so it would not count as a line: normalise line endings first.
    var p = Parser(chars: Array(FrontMatter.normalizingLineEndings(text)))
    return try p.entries()
  }

  private struct Parser {
    let chars: [Character]
    var i = 0
    var line = 1
    var stringBytes = 0
    var strings: [String: String] = [
      "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
      "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
    ]

    init(chars: [Character]) { self.chars = chars }

    mutating func advance() {
      if chars[i] == "\n" { line += 1 }
      i += 1
    }

    mutating func skipSpace() {
      while i < chars.count, chars[i].isWhitespace { advance() }
    }

    mutating func entries() throws(ParseError) -> [BibEntry] {
      var out: [BibEntry] = []
      while i < chars.count {
        guard chars[i] == "@" else { advance(); continue }
        advance()
        let startLine = line
        let type = ident().lowercased()
        skipSpace()
        guard i < chars.count, chars[i] == "{" || chars[i] == "(" else {
          throw ParseError(message: "expected '{' after '@\(type)'", line: line)
        }
        let close: Character = chars[i] == "{" ? "}" : ")"
        advance()
        if type == "comment" || type == "preamble" {
          _ = try braced(open: close == "}" ? "{" : "(", close: close, alreadyOpen: true)
          continue
        }
        if type == "string" {
          skipSpace()
          let name = ident().lowercased()
          skipSpace()
          guard i < chars.count, chars[i] == "=" else { throw ParseError(message: "expected '=' in @string", line: line) }
          advance()
          let v = try value()
          stringBytes += v.utf8.count
          guard stringBytes <= BibTeX.maxStringBytes else {
            throw ParseError(message: "the @string abbreviations hold more than \(BibTeX.maxStringBytes / 1_048_576) MiB of text", line: line)
          }
          strings[name] = v
          skipSpace()
          if i < chars.count, chars[i] == close { advance() }
          continue
        }
        skipSpace()
        var key = ""
        while i < chars.count, chars[i] != ",", chars[i] != close, !chars[i].isWhitespace { key.append(chars[i]); advance() }
        guard !key.isEmpty else { throw ParseError(message: "an @\(type) entry has no key", line: startLine) }
        var fields: [String: String] = [:]
        while true {
          skipSpace()
          guard i < chars.count else { throw ParseError(message: "entry '\(key)' is not closed", line: startLine) }
          if chars[i] == "," { advance(); continue }
          if chars[i] == close { advance(); break }
          let name = ident().lowercased()
          guard !name.isEmpty else { throw ParseError(message: "unexpected '\(chars[i])' in entry '\(key)'", line: line) }
          skipSpace()
          guard i < chars.count, chars[i] == "=" else { throw ParseError(message: "expected '=' after field '\(name)' in entry '\(key)'", line: line) }
          advance()
          fields[name] = LaTeX.text(try value())
        }
        out.append(BibEntry(type: type, key: key, fields: fields, line: startLine))
      }
      return out
    }

    mutating func ident() -> String {
      var s = ""
      while i < chars.count, chars[i].isLetter || chars[i].isNumber || "_-:.".contains(chars[i]) { s.append(chars[i]); advance() }
      return s
    }

    /// A field value: pieces joined by `#`.
    mutating func value() throws(ParseError) -> String {
      var out = ""
      while true {
        skipSpace()
        guard i < chars.count else { throw ParseError(message: "a field value is not closed", line: line) }
        if chars[i] == "{" {
          advance()
          out += try braced(open: "{", close: "}", alreadyOpen: true)
        } else if chars[i] == "\"" {
          advance()
          var depth = 0
          while i < chars.count, !(chars[i] == "\"" && depth == 0) {
            if chars[i] == "{" { depth += 1 } else if chars[i] == "}" { depth -= 1 }
            out.append(chars[i])
            advance()
          }
          guard i < chars.count else { throw ParseError(message: "a quoted value is not closed", line: line) }
          advance()
        } else {
          let word = ident()
          guard !word.isEmpty else { throw ParseError(message: "expected a value", line: line) }
          let piece = strings[word.lowercased()] ?? word
          guard out.utf8.count + piece.utf8.count <= BibTeX.maxValueBytes else {
            throw ParseError(message: "a value built from @string '\(word)' would be longer than \(BibTeX.maxValueBytes / 1024) KiB (@string abbreviations that double each other?)", line: line)
          }
          out += piece
        }
        skipSpace()
        if i < chars.count, chars[i] == "#" { advance(); continue }
        return out
      }
    }

    /// Text up to the matching close brace (nested braces kept).
    mutating func braced(open: Character, close: Character, alreadyOpen: Bool) throws(ParseError) -> String {
      let start = line
      var depth = 1
      var s = ""
      while i < chars.count {
        let c = chars[i]
        if c == open { depth += 1 } else if c == close {
          depth -= 1
          if depth == 0 { advance(); return s }
        }
        s.append(c)
        advance()
      }
      throw ParseError(message: "a '\(open)' is not closed", line: start)
    }
  }
}

/// LaTeX text → Unicode: accents, escapes, dashes; protective braces removed.
enum LaTeX {
  static let accents: [Character: [Character: Character]] = [
    "\"": ["a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü", "e": "ë", "i": "ï", "y": "ÿ"],
    "'": ["a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "y": "ý", "A": "Á", "E": "É", "I": "Í", "O": "Ó", "U": "Ú", "c": "ć", "n": "ń", "s": "ś", "z": "ź"],
    "`": ["a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù", "A": "À", "E": "È"],
    "^": ["a": "â", "e": "ê", "i": "î", "o": "ô", "u": "û"],
    "~": ["n": "ñ", "a": "ã", "o": "õ", "N": "Ñ"],
    "c": ["c": "ç", "C": "Ç", "s": "ş"],
    "v": ["c": "č", "s": "š", "z": "ž", "r": "ř", "e": "ě", "C": "Č", "S": "Š", "Z": "Ž"],
  ]

  static func text(_ s: String) -> String {
    let c = Array(s)
    var out = ""
    var i = 0
    while i < c.count {
      let ch = c[i]
      if ch == "\\", i + 1 < c.count {
        let n = c[i + 1]
        if let table = accents[n] {
          var j = i + 2
          while j < c.count, c[j] == " " || c[j] == "{" { j += 1 }
          if j < c.count, let a = table[c[j]] {
            out.append(a)
            i = j + 1
            while i < c.count, c[i] == "}" { i += 1 }
            continue
          }
        }
        if "&%$#_{}".contains(n) { out.append(n); i += 2; continue }
        if n == "o" { out.append("ø"); i += 2; continue }
        if n == "O" { out.append("Ø"); i += 2; continue }
        if n == "s", i + 2 < c.count, c[i + 2] == "s" { out.append("ß"); i += 3; continue }
        // Unknown command: drop the backslash and the command name.
        var j = i + 1
        while j < c.count, c[j].isLetter { j += 1 }
        i = j
        continue
      }
      if ch == "{" || ch == "}" { i += 1; continue }
      if ch == "-", i + 1 < c.count, c[i + 1] == "-" {
        if i + 2 < c.count, c[i + 2] == "-" { out.append("—"); i += 3 } else { out.append("–"); i += 2 }
        continue
      }
      if ch == "~" { out.append("\u{00A0}"); i += 1; continue }
      if ch.isWhitespace {
        if !out.hasSuffix(" ") { out.append(" ") }
        i += 1
        continue
      }
      out.append(ch)
      i += 1
    }
    return out.trimmingWhitespace()
  }
}

/// The libFuzzer hook for the BibTeX reader (Fuzz/Sources/fuzz-bibtex): parses `text`, cites
/// every entry and renders the reference list, and checks that no field became markup.
public enum BibTeXFuzz {
  /// Returns the number of entries; traps (for libFuzzer to report) when a field leaked markup
  /// or a link other than http(s) was made.
  @discardableResult
  public static func check(_ text: String) -> Int {
    guard let entries = try? BibTeX.parse(text) else { return 0 }
    var bib = Bibliography(entries)
    var html = bib.html(entries.prefix(20).map { .init(key: $0.key, locator: "p. <1>") }, narrative: false)
    html += bib.html(entries.prefix(20).map { .init(key: $0.key, locator: nil) }, narrative: true)
    html += bib.referenceList()
    // Only Bordin's own tags may remain.
    var rest = Substring(html)
    while let lt = rest.firstIndex(of: "<") {
      let tail = rest[lt...]
      let allowed = ["<i>", "</i>", "</a>", "<a class=\"bordin-cite\" href=\"#ref-", "<a href=\"https://", "<a href=\"http://", "<a href=\"HTTP",
                     "<section class=\"bordin-references\" id=\"references\">", "</section>", "<h2>References</h2>",
                     "<p class=\"bordin-reference\" id=\"ref-", "</p>"]
      guard let token = allowed.first(where: { tail.prefix($0.count).lowercased() == $0.lowercased() }) else {
        fatalError("BibTeX field reached HTML as markup: \(tail.prefix(80))")
      }
      rest = tail.dropFirst(token.count)
    }
    return entries.count
  }
}
