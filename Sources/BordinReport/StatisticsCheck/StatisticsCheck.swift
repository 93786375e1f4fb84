import BordinStats
import Foundation

/// `bordin check --statistics`: finds APA-style results typed as text (`t(58) = 2.10, p = .04`,
/// `F(2, 147) = 3.2, p = .045`, `r(98) = .27, p = .007`, `χ2(1, N = 90) = 0.41, p = .524`,
/// `z = 2.18, p = .029`, `Qb(1) = 0.41, p = .524`), recomputes p from the statistic and its df,
/// and judges each (``TypedResult``): ok, ok as one-tailed, inconsistent, decision error,
/// impossible value, reporting error. Text comes from ``StatisticsText`` (Markdown, HTML, plain
/// text of a PDF or Word document), results from ``StatisticsScanner``.
/// In a Bordin report every typed result is also flagged as not computed: computed values are
/// inline code spans and never match.
public enum StatisticsCheck {
  public enum Kind: Sendable { case markdown, html, plain }

  public struct Finding: Sendable, Equatable {
    public var line: Int
    public var column: Int
    /// The page, in the text of a PDF (nil without page breaks).
    public var page: Int?
    /// The result as it reads once markup is removed.
    public var text: String
    public var result: TypedResult
    public var verdict: TypedResult.Verdict
    /// The p recomputed from the statistic as printed (halved when judged one-tailed).
    public var recomputedP: Double
    /// p over the rounding interval of the statistic (halved when judged one-tailed).
    public var pRange: ClosedRange<Double>

    public var consistent: Bool { verdict == .ok || verdict == .okOneTailed || verdict == .reportingError }
    public var oneTailed: Bool { verdict == .okOneTailed }
    public var decisionError: Bool { verdict == .decisionError }
    /// Whether the verdict is an error (exit status 1).
    public var isError: Bool { !consistent }
  }

  /// Scans `text` (Markdown or HTML) for typed results.
  public static func scan(_ text: String, html: Bool = false) -> [Finding] {
    scan(text, kind: html ? .html : .markdown)
  }

  public static func scan(_ text: String, kind: Kind) -> [Finding] {
    let t = StatisticsText(text, kind: kind)
    let scanner = StatisticsScanner(t.scalars, pdfGlyphs: kind == .plain)
    let matches = scanner.scan()
    var out: [Finding] = []
    out.reserveCapacity(matches.count)
    for (k, m) in matches.enumerated() {
      let lo = sentenceStart(t.scalars, m.start, limit: k > 0 ? matches[k - 1].end : 0)
      let hi = sentenceEnd(t.scalars, m.end, limit: k + 1 < matches.count ? matches[k + 1].start : t.scalars.count)
      let cue = oneTailedCue(scanner.s, lo..<m.start) || oneTailedCue(scanner.s, m.end..<hi)
      let r = TypedResult(test: m.test, df1: m.df1, df2: m.df2, valueRelation: m.valueRelation, value: m.value,
                          valueDecimals: m.valueDecimals, pRelation: m.pRelation, p: m.p, pDecimals: m.pDecimals, oneTailedCue: cue)
      let j = r.judgement
      let range = r.pRange(twoTailed: j.verdict != .okOneTailed)
      let (line, column) = t.location(m.start)
      out.append(Finding(line: line, column: column, page: t.page(m.start), text: display(t.scalars[m.start..<m.end]), result: r, verdict: j.verdict,
                         recomputedP: j.computedP, pRange: range))
    }
    return out
  }

  /// The matched scalars with whitespace runs as one space.
  static func display(_ s: ArraySlice<Unicode.Scalar>) -> String {
    var out = String.UnicodeScalarView()
    var space = false
    for c in s {
      if StatisticsScanner.normalise(c) == " " {
        space = true
        continue
      }
      if space, !out.isEmpty { out.append(" ") }
      space = false
      out.append(c)
    }
    return String(out)
  }

  /// Sentence bounds: a `.`, `!` or `?` followed by whitespace, or a blank line (paragraph).
  static func sentenceStart(_ s: [Unicode.Scalar], _ i: Int, limit: Int) -> Int {
    var b = i - 1
    let stop = max(limit, i - 400)
    while b >= stop {
      if endsSentence(s, b) { return b + 1 }
      b -= 1
    }
    return max(stop, 0)
  }

  static func sentenceEnd(_ s: [Unicode.Scalar], _ i: Int, limit: Int) -> Int {
    var e = i
    let stop = min(limit, i + 400)
    while e < stop {
      if endsSentence(s, e) { return e }
      e += 1
    }
    return stop
  }

  private static func endsSentence(_ s: [Unicode.Scalar], _ b: Int) -> Bool {
    let c = s[b]
    if c == "." || c == "!" || c == "?" {
      return b + 1 >= s.count || StatisticsScanner.normalise(s[b + 1]) == " "
    }
    if c == "\n" {
      var j = b + 1
      while j < s.count, s[j] == " " || s[j] == "\t" || s[j] == "\r" { j += 1 }
      return j < s.count && s[j] == "\n"
    }
    return false
  }

  nonisolated(unsafe) private static let cueRegex = try! NSRegularExpression(
    pattern: #"(?<![a-z])(?:one|1) ?-? ?(?:tail|sided)|(?<![a-z])uni-?directional|(?<![a-z-])(?<!non )directional"#)

  /// Whether the scalars in `range` say one-tailed ("one-tailed", "one‑sided", "1-tailed",
  /// "directional", but not "non-directional" or "bidirectional").
  static func oneTailedCue(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
    guard !range.isEmpty else { return false }
    var t = String.UnicodeScalarView()
    for c in s[range] { t.append(c.value < 128 ? lowerASCII(c) : " ") }
    let str = String(t)
    guard str.contains("tail") || str.contains("sided") || str.contains("directional") else { return false }
    return cueRegex.firstMatch(in: str, range: NSRange(location: 0, length: (str as NSString).length)) != nil
  }

  // MARK: - Output

  /// The report of one finding, as the CLI prints it: `file:line:col: verdict: …`.
  public static func describe(_ f: Finding, file: String, bordinReport: Bool) -> String {
    let computed = Format.p(f.recomputedP)
    let range = "[\(fine(f.pRange.lowerBound)), \(fine(f.pRange.upperBound))]"
    var s = "\(file):\(f.line):\(f.column): "
    switch f.verdict {
    case .ok:
      s += "ok: '\(f.text)' (recomputed p \(computed))"
    case .okOneTailed:
      s += "ok: '\(f.text)' (recomputed p \(Format.p(f.result.recomputedP)) two-sided; consistent as one-tailed, p \(computed.hasPrefix("<") ? computed : "= " + computed), which its sentence states)"
    case .reportingError:
      s += "warning[reporting-error]: '\(f.text)': p = 0 is not a p value (recomputed p \(computed)); write p < .001"
    case .impossible:
      s += "error[impossible-value]: '\(f.text)': \(f.result.impossibility ?? "impossible value"); check the typed numbers"
    case .inconsistent, .decisionError:
      s += "error[\(f.verdict.rawValue)]: '\(f.text)': p recomputed from the statistic is \(computed) (\(range) over its rounding)"
      if f.decisionError { s += "; the reported p is on the other side of .05" }
      if f.result.hasTwoTails, !f.result.oneTailedCue, !f.result.isError(twoTailed: false) {
        s += "; it fits as one-tailed, but its sentence does not say one-tailed"
      }
    }
    if let page = f.page { s += " [page \(page)]" }
    if bordinReport { s += "\n  note[not-computed]: this result is typed, not computed; write it as an inline value `{label.field}`" }
    return s
  }

  /// The summary line of one file; "inconsistent" counts every error verdict (inconsistent,
  /// decision error, impossible value), reporting errors are warnings.
  public static func summary(_ findings: [Finding], file: String) -> String {
    let n = findings.count
    let bad = findings.filter { !$0.consistent }.count
    let dec = findings.filter(\.decisionError).count
    let imp = findings.filter { $0.verdict == .impossible }.count
    let rep = findings.filter { $0.verdict == .reportingError }.count
    var s = "\(file): \(n) typed result\(n == 1 ? "" : "s"), \(bad) inconsistent, \(dec) decision error\(dec == 1 ? "" : "s")"
    if imp > 0 { s += ", \(imp) impossible value\(imp == 1 ? "" : "s")" }
    if rep > 0 { s += ", \(rep) reporting error\(rep == 1 ? "" : "s") (p = .000)" }
    return s
  }

  public static let tsvHeader = "file\tline\tcolumn\ttest\tdf1\tdf2\tvalue\treported_p\trecomputed_p\tp_low\tp_high\tverdict\tone_tailed\ttext\tpage"

  /// One TSV row (columns of ``tsvHeader``); numbers at full precision.
  public static func tsvRow(_ f: Finding, file: String) -> String {
    let r = f.result
    let cells: [String] = [
      file, String(f.line), String(f.column), r.test.rawValue, r.df1.map(number) ?? "", r.df2.map(number) ?? "",
      valueText(r), pText(r), number(f.recomputedP), number(f.pRange.lowerBound), number(f.pRange.upperBound),
      f.verdict.rawValue, f.oneTailed ? "true" : "false", f.text, f.page.map(String.init) ?? "",
    ]
    return cells.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\t")
  }

  /// One JSON object (keys in a fixed order).
  public static func jsonObject(_ f: Finding, file: String) -> String {
    let r = f.result
    func str(_ s: String) -> String {
      var o = "\""
      for c in s.unicodeScalars {
        switch c {
        case "\"": o += "\\\""
        case "\\": o += "\\\\"
        case "\n": o += "\\n"
        case "\t": o += "\\t"
        case "\r": o += "\\r"
        default:
          if c.value < 0x20 { o += String(format: "\\u%04x", c.value) } else { o.unicodeScalars.append(c) }
        }
      }
      return o + "\""
    }
    func num(_ x: Double?) -> String { x.map { $0.isFinite ? number($0) : "null" } ?? "null" }
    return "{\"file\": \(str(file)), \"line\": \(f.line), \"column\": \(f.column), \"test\": \(str(r.test.rawValue)), "
      + "\"df1\": \(num(r.df1)), \"df2\": \(num(r.df2)), \"value_relation\": \(str(r.valueRelation.rawValue)), \"value\": \(num(r.value)), "
      + "\"value_decimals\": \(r.valueDecimals), \"p_relation\": \(r.pRelation.map { str($0.rawValue) } ?? "\"ns\""), "
      + "\"reported_p\": \(num(r.p)), \"p_decimals\": \(r.pDecimals), \"recomputed_p\": \(num(f.recomputedP)), "
      + "\"p_low\": \(num(f.pRange.lowerBound)), \"p_high\": \(num(f.pRange.upperBound)), \"verdict\": \(str(f.verdict.rawValue)), "
      + "\"one_tailed\": \(f.oneTailed), \"one_tailed_cue\": \(r.oneTailedCue), \"text\": \(str(f.text)), \"page\": \(f.page.map(String.init) ?? "null")}"
  }

  /// p to four decimals (".0412"), or two significant digits below .001 ("2.3e-05").
  static func fine(_ x: Double) -> String {
    guard x.isFinite else { return "NaN" }
    if x < 0.001 { return String(format: "%.1e", x) }
    let s = String(format: "%.4f", x)
    return s.hasPrefix("0.") ? String(s.dropFirst()) : s
  }

  static func number(_ x: Double) -> String {
    guard x.isFinite else { return "NaN" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
  }

  static func valueText(_ r: TypedResult) -> String {
    (r.valueRelation == .equal ? "" : r.valueRelation.rawValue) + String(format: "%.\(r.valueDecimals)f", r.value)
  }

  static func pText(_ r: TypedResult) -> String {
    guard let rel = r.pRelation else { return "ns" }
    return rel.rawValue + String(format: "%.\(min(r.pDecimals, 20))f", r.p)
  }
}
