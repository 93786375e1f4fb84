/// Finds APA-style results typed in prose: `t(58) = 2.10, p = .04`, `F(1, 40) < 1, ns`,
/// `r(50) = .20, p = .03`, `χ2(1, N = 2,500) = 5.00, p = .40`, `Z = 2.50, p = .012`,
/// `Qb(1) = 5.00, p = .025`, `t(30) = –2.50, p = 1.8e-2`, `F(1, 30) = 9.00, n.s.`.
///
/// The grammar is statcheck 1.4's (`RGX_NHST`; Nuijten et al. 2016), widened to the notations
/// reviewers meet (Greek capital chi, `x2`, `²`, en dash and other minus signs, thousands
/// separators, `P`, exponents in p, `≤`/`≥`, non-breaking spaces, `n.s.`, mathematical italic
/// letters, APA's `MSE = …` between F and p, and the artefacts of PDF text extraction that
/// statcheck also reads: control characters, `?` for a lost minus or χ, `BF(2, 56)`), and written
/// as one left-to-right pass: an attempt starts only at a test symbol not preceded by a letter or
/// digit and reads only digits, separators and a bounded number of spaces, so the scan is linear
/// in the text (10,000 results in 0.6 s in a debug build; the former regex scan took 84 s).
struct StatisticsScanner {
  typealias Relation = TypedResult.Relation

  struct Match: Sendable {
    var test: TypedResult.Test
    var df1: Double?
    var df2: Double?
    var valueRelation: Relation
    var value: Double
    var valueDecimals: Int
    /// nil: reported as "ns".
    var pRelation: Relation?
    var p: Double
    var pDecimals: Int
    /// Range in the scanned scalars.
    var start: Int
    var end: Int
  }

  let s: [Unicode.Scalar]
  /// Text extracted from a PDF: also read the glyphs some journals' fonts extract in place of
  /// relations, `p` or `¼` for `=`, `!` and `b` for `<` ("F(1, 127) p 6.36, p ! .05",
  /// "t(44)= 14.73, pb.001", "x2 (1, N p 6,721)", "F(1, 186) ¼ 5.73"), as found in statcheck's
  /// manually coded papers (inst/test_materials/manually_extracted_stats.csv).
  let pdfGlyphs: Bool

  init(_ scalars: [Unicode.Scalar], pdfGlyphs: Bool = false) {
    s = scalars.map(StatisticsScanner.normalise)
    self.pdfGlyphs = pdfGlyphs
  }

  /// Minus signs as `-`, spaces as ` `, `²` as `2`, chi variants as `χ`, `≦`/`≧` as `≤`/`≥`.
  static func normalise(_ c: Unicode.Scalar) -> Unicode.Scalar {
    switch c.value {
    case 0x2212, 0x2013, 0x2014, 0x2012, 0x2010, 0x2011, 0xFE63, 0xFF0D, 0x2043: return "-"
    case 0x09, 0x0A, 0x0D, 0xA0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return " "
    case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return " "
    // Control characters left by PDF text extraction ("t(261.38) \u{1}= -2.27").
    case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F: return " "
    case 0xB2, 0x2082: return "2"
    case 0x3A7, 0x1D712, 0x1D6D8, 0x1D74C, 0x1D70C: return "χ"
    case 0x2266: return "≤"
    case 0x2267: return "≥"
    case 0xFF1D: return "="
    case 0xFF1C: return "<"
    case 0xFF1E: return ">"
    // Mathematical italic letters (Word equations, MathML fonts): 𝑡 → t, 𝐹 → F, 𝑝 → p.
    case 0x1D434...0x1D44D: return Unicode.Scalar(c.value - 0x1D434 + 0x41)!
    case 0x1D44E...0x1D467: return Unicode.Scalar(c.value - 0x1D44E + 0x61)!
    default: return c
    }
  }

  func scan() -> [Match] {
    var out: [Match] = []
    var i = 0
    while i < s.count {
      if startsTest(s[i]), i == 0 || !isWordScalar(s[i - 1]) || glued(i), let m = attempt(at: i) {
        out.append(m)
        i = m.end
      } else {
        i += 1
      }
    }
    return out
  }

  /// `BF(2, 56)`: a symbol glued to a preceding capital by PDF extraction, directly followed by
  /// its df (statcheck's t, F, r and Q patterns have no left boundary at all).
  private func glued(_ i: Int) -> Bool {
    ("A"..."Z").contains(s[i - 1]) && (s[i] == "F" || s[i] == "t") && at(i + 1) == "("
  }

  private func isJunk(_ c: Unicode.Scalar) -> Bool {
    !isWordScalar(c) && !" .,;:()[]=<>≤≥\0".unicodeScalars.contains(c)
  }

  private func startsTest(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "t", "F", "r", "z", "Z", "Q", "χ", "x", "X", "c", "C", "G", "?", "\u{FFFD}": return true
    default: return false
    }
  }

  private func at(_ i: Int) -> Unicode.Scalar { i < s.count ? s[i] : "\0" }

  private func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

  /// Skips at most `max` spaces.
  private func spaces(_ i: inout Int, max: Int = 3) {
    var n = 0
    while n < max, at(i) == " " { i += 1; n += 1 }
  }

  private func word(_ i: Int, _ w: String) -> Bool {
    var j = i
    for c in w.unicodeScalars {
      guard at(j) == c else { return false }
      j += 1
    }
    return true
  }

  private func attempt(at start: Int) -> Match? {
    var i = start
    guard let test = symbol(&i) else { return nil }
    // Degrees of freedom.
    var dfs: [Double] = []
    var k = i
    spaces(&k, max: 2)
    if at(k) == "(" || at(k) == "[" {
      let close: Unicode.Scalar = at(k) == "(" ? ")" : "]"
      k += 1
      spaces(&k, max: 2)
      // t(1,234): a thousands separator in a single df (F's first df never has one: F(1,234) is 1 and 234).
      guard let d1 = number(&k, thousands: test != .F, allowIL: test == .F) else { return nil }
      dfs.append(d1.value)
      spaces(&k, max: 2)
      while at(k) == ",", dfs.count < 3 {
        k += 1
        spaces(&k, max: 2)
        if at(k) == "N" || at(k) == "n" {
          // Sample size, as in χ2(1, N = 2,500).
          k += 1
          spaces(&k, max: 2)
          guard at(k) == "=" || (pdfGlyphs && ((at(k) == "p" && at(k + 1) == " ") || at(k) == "¼")) else { return nil }
          k += 1
          spaces(&k, max: 2)
          guard number(&k, thousands: true) != nil else { return nil }
          spaces(&k, max: 2)
          break
        }
        guard let d = number(&k, thousands: true, allowIL: false) else { return nil }
        dfs.append(d.value)
        spaces(&k, max: 2)
      }
      guard at(k) == close else { return nil }
      i = k + 1
    }
    switch test {
    case .t, .r, .chi2, .Q, .Qb, .Qw: guard dfs.count == 1 else { return nil }
    case .F: guard dfs.count == 2 else { return nil }
    case .z: guard dfs.isEmpty else { return nil }
    }
    // The statistic.
    spaces(&i)
    guard let vr = relation(&i) ?? glyphRelation(&i, spaced: true) else { return nil }
    spaces(&i)
    var negative = false
    if at(i) == "-" || at(i) == "+" {
      negative = at(i) == "-"
      i += 1
      spaces(&i)
    } else {
      // A minus sign lost in PDF text extraction ("t(68) = ?2.15", statcheck's RGX_WEIRD_MINUS):
      // up to three symbols before the number read as a minus; the sign does not change p.
      var j = i
      while j - i < 3, isJunk(at(j)) { j += 1 }
      if j > i, isDigit(at(j)) || (at(j) == "." && isDigit(at(j + 1))) {
        negative = true
        i = j
      }
    }
    guard let v = number(&i, thousands: true) else { return nil }
    spaces(&i)
    guard at(i) == "," || at(i) == ";" else { return nil }
    i += 1
    spaces(&i)
    // APA's F(1, 40) = 4.10, MSE = 2.30, p = .05: the error mean square between F and p.
    if word(i, "MSE") || word(i, "MSe") {
      var j = i + 3
      spaces(&j)
      if at(j) == "=" {
        j += 1
        spaces(&j)
        if number(&j, thousands: true) != nil {
          spaces(&j)
          if at(j) == "," || at(j) == ";" {
            i = j + 1
            spaces(&i)
          }
        }
      }
    }
    // The p value, or ns.
    var pRel: Relation?
    var p = 0.05, pDec = 2
    if at(i) == "n" || at(i) == "N" {
      var j = i + 1
      if at(j) == "." { j += 1 }
      guard at(j) == "s" || at(j) == "S" else { return nil }
      j += 1
      if at(j) == "." { j += 1 }
      guard !isWordScalar(at(j)) else { return nil }
      i = j
    } else if at(i) == "p" || at(i) == "P" {
      i += 1
      spaces(&i)
      guard let r = relation(&i) ?? glyphRelation(&i, spaced: false) else { return nil }
      spaces(&i)
      guard let pv = number(&i, exponent: true) else { return nil }
      pRel = r
      p = pv.value
      pDec = pv.decimals
    } else {
      return nil
    }
    return Match(test: test, df1: dfs.first, df2: dfs.count > 1 ? dfs[1] : nil, valueRelation: vr,
                 value: negative ? -v.value : v.value, valueDecimals: v.decimals, pRelation: pRel, p: p, pDecimals: pDec,
                 start: start, end: i)
  }

  /// The test symbol at `i`; on success `i` is after it.
  private func symbol(_ i: inout Int) -> TypedResult.Test? {
    var j = i
    let c = at(j)
    var test: TypedResult.Test
    switch c {
    case "t": test = .t; j += 1
    case "F": test = .F; j += 1
    case "r": test = .r; j += 1
    case "z", "Z": test = .z; j += 1
    case "Q":
      test = .Q
      j += 1
      var k = j
      spaces(&k, max: 1)
      if at(k) == "-" { k += 1 }
      spaces(&k, max: 1)
      for (w, t) in [("within", TypedResult.Test.Qw), ("Within", .Qw), ("between", .Qb), ("Between", .Qb), ("w", .Qw), ("W", .Qw), ("b", .Qb), ("B", .Qb)]
      where word(k, w) && !isWordScalar(at(k + w.unicodeScalars.count)) {
        test = t
        j = k + w.unicodeScalars.count
        break
      }
    case "χ", "x", "X", "c", "C", "G", "?", "\u{FFFD}":
      // "?2(1)": a χ lost in PDF text extraction (statcheck's RGX_CHI2 reads any symbol before 2);
      // "G2(1)": the likelihood-ratio G², χ²-distributed.
      test = .chi2
      if c == "c" || c == "C" {
        guard word(j, c == "c" ? "chi" : "Chi") || word(j, "CHI") else { return nil }
        j += 3
        if word(j, "-square") || word(j, " square") { j += 7 } else if at(j) == "-" || at(j) == " " { if at(j + 1) == "2" { j += 1 } }
      } else {
        j += 1
      }
      var k = j
      spaces(&k, max: 1)
      if at(k) == "2" {
        j = k + 1
      } else if c != "χ" && c != "c" && c != "C" {
        return nil
      }
    default: return nil
    }
    guard !isWordScalar(at(j)) else { return nil }
    i = j
    return test
  }

  /// `p` (between spaces) or `¼` for `=`, `!` or `b` for `<`, when ``pdfGlyphs``; a number
  /// must follow.
  private func glyphRelation(_ i: inout Int, spaced: Bool) -> Relation? {
    guard pdfGlyphs else { return nil }
    let c = at(i)
    var rel: Relation
    switch c {
    case "p", "¼": rel = .equal
    case "!", "b": rel = .less
    default: return nil
    }
    if c == "p" { guard i > 0, s[i - 1] == " ", at(i + 1) == " " else { return nil } }
    var j = i + 1
    spaces(&j)
    guard isDigit(at(j)) || at(j) == "." || isJunk(at(j)) || at(j) == "-" else { return nil }
    i += 1
    return rel
  }

  private func relation(_ i: inout Int) -> Relation? {
    switch at(i) {
    case "=": i += 1; if at(i) == "<" { i += 1; return .less }; return .equal
    case "<", "≤": i += 1; if at(i) == "=" { i += 1 }; return .less
    case ">", "≥": i += 1; if at(i) == "=" { i += 1 }; return .greater
    default: return nil
    }
  }

  /// A number: `12`, `1.5`, `.20`, with `thousands` `2,500` and `1,200.0`, with `exponent`
  /// `1.8e-2` (decimals then count the exponent: 1.8e-2 has 3), with `allowIL` the `I`/`l`
  /// OCR misreads of 1 in F(l, 76). `decimals` is the count of digits after the point.
  private func number(_ i: inout Int, thousands: Bool = false, exponent: Bool = false, allowIL: Bool = false) -> (value: Double, decimals: Int)? {
    if allowIL, at(i) == "I" || at(i) == "l", !isWordScalar(at(i + 1)) {
      i += 1
      return (1, 0)
    }
    var j = i
    var text = ""
    while isDigit(at(j)) { text.unicodeScalars.append(at(j)); j += 1 }
    if thousands, !text.isEmpty, text.count <= 3 {
      while at(j) == ",", isDigit(at(j + 1)), isDigit(at(j + 2)), isDigit(at(j + 3)), !isDigit(at(j + 4)) {
        for d in 1...3 { text.unicodeScalars.append(at(j + d)) }
        j += 4
      }
    }
    var decimals = 0
    if at(j) == ".", isDigit(at(j + 1)) {
      text += "."
      j += 1
      while isDigit(at(j)) { text.unicodeScalars.append(at(j)); j += 1; decimals += 1 }
    }
    guard !text.isEmpty, text != "." else { return nil }
    if exponent, at(j) == "e" || at(j) == "E" {
      var k = j + 1
      var sign = ""
      if at(k) == "-" || at(k) == "+" { sign = at(k) == "-" ? "-" : ""; k += 1 }
      var e = ""
      while isDigit(at(k)) { e.unicodeScalars.append(at(k)); k += 1 }
      if !e.isEmpty, let ev = Int(sign + e) {
        text += "e" + sign + e
        decimals = max(0, decimals - ev)
        j = k
      }
    }
    // A second decimal point (t(28) = .2.20) or a letter right after is not a number.
    if at(j) == ".", isDigit(at(j + 1)) { return nil }
    if isASCIILetter(at(j)) { return nil }
    guard let v = Double(text.hasPrefix(".") ? "0" + text : text) else { return nil }
    i = j
    return (v, decimals)
  }
}

@inline(__always) func isWordScalar(_ c: Unicode.Scalar) -> Bool {
  if c.value < 128 { return isASCIILetter(c) || ("0"..."9").contains(c) }
  return c.properties.isAlphabetic || c.properties.numericType != nil
}
