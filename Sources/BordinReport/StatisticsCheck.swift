import BordinStats
import Foundation

/// `bordin check --statistics`: finds APA-style results typed as text (`t(58) = 2.10, p = .04`,
/// `F(2, 147) = 3.2, p = .045`, `r(98) = .27, p = .007`, `χ2(1) = 0.41, p = .524`,
/// `z = 2.18, p = .029`, `Q(1) = 0.41, p = .524`), recomputes p from the statistic and its df,
/// and reports each inconsistency with its line and whether it changes the decision at .05.
/// In a Bordin report every typed result is also flagged as not computed: computed values are
/// inline code spans and never match.
public enum StatisticsCheck {
  public struct Finding: Sendable, Equatable {
    public var line: Int
    public var text: String
    public var statistic: ReportedStatistic
    public var recomputedP: Double
    public var consistent: Bool
    public var oneTailed: Bool
    public var decisionError: Bool
  }

  /// The report of one file, as the CLI prints it: one line per finding.
  public static func describe(_ f: Finding, file: String, bordinReport: Bool) -> String {
    let computed = Format.p(f.recomputedP)
    var s = "\(file):\(f.line): "
    if !f.consistent {
      s += (f.decisionError ? "error[decision-error]: " : "error[inconsistent]: ") + "'\(f.text)': p recomputed from the statistic is \(computed)"
      if f.decisionError { s += "; the reported p is on the other side of .05" }
    } else {
      s += "ok: '\(f.text)' (recomputed p \(computed)\(f.oneTailed ? ", consistent as one-tailed" : ""))"
    }
    if bordinReport { s += "\n  note[not-computed]: this result is typed, not computed; write it as an inline value `{label.field}`" }
    return s
  }

  /// Scans `text` (Markdown or HTML) for typed results.
  public static func scan(_ text: String, html: Bool = false) -> [Finding] {
    let lines = prose(text, html: html)
    let joined = lines.joined(separator: "\n")
    let oneTailed = joined.range(of: #"one[- ]?(tailed|sided)|directional"#, options: [.regularExpression, .caseInsensitive]) != nil
    guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
    var out: [Finding] = []
    let ns = joined as NSString
    for m in re.matches(in: joined, range: NSRange(location: 0, length: ns.length)) {
      func g(_ name: String) -> String? {
        let r = m.range(withName: name)
        return r.location == NSNotFound ? nil : ns.substring(with: r)
      }
      guard let testText = g("test"), let valText = g("val") else { continue }
      let test: ReportedStatistic.Test
      switch testText {
      case "t": test = .t
      case "F": test = .F
      case "r": test = .r
      case "z": test = .z
      case "Q": test = .Q
      default: test = .chi2
      }
      let df1 = g("df1").flatMap(Double.init), df2 = g("df2").flatMap(Double.init)
      // Each test needs its degrees of freedom.
      switch test {
      case .t, .r, .chi2, .Q: if df1 == nil || df2 != nil { continue }
      case .F: if df1 == nil || df2 == nil { continue }
      case .z: if df1 != nil { continue }
      }
      let v = valText.replacingOccurrences(of: "−", with: "-")
      guard let value = Double(v.hasPrefix(".") || v.hasPrefix("-.") ? v.replacingOccurrences(of: ".", with: "0.") : v) else { continue }
      let decimals = v.split(separator: ".").count > 1 ? v.split(separator: ".")[1].count : 0
      var relation = ReportedStatistic.Relation.equal
      var p = 1.0, pDecimals = 0
      if let ns = g("ns"), !ns.isEmpty {
        relation = .greater; p = 0.05; pDecimals = 2
      } else if let rel = g("rel"), let pText = g("p") {
        relation = rel == "<" || rel == "≤" ? .less : rel == ">" || rel == "≥" ? .greater : .equal
        let pt = pText.hasPrefix(".") ? "0" + pText : pText
        guard let pv = Double(pt) else { continue }
        p = pv
        pDecimals = pt.split(separator: ".").count > 1 ? pt.split(separator: ".")[1].count : 0
      } else { continue }
      let s = ReportedStatistic(test: test, df1: df1, df2: df2, value: value, decimals: decimals, relation: relation, p: p,
                                pDecimals: pDecimals, oneTailedMentioned: oneTailed)
      let line = joined[..<joined.index(joined.startIndex, offsetBy: ns.substring(to: m.range.location).count)]
        .reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
      out.append(Finding(line: line, text: ns.substring(with: m.range), statistic: s, recomputedP: s.recomputedP,
                         consistent: s.consistent, oneTailed: !s.consistentTwoSided && s.consistentOneTailed,
                         decisionError: s.decisionError))
    }
    return out
  }

  static let pattern = #"(?<![A-Za-z0-9])(?<test>t|F|r|z|Q|χ2|χ²|X2|chi2|χ\^2)\s*(?:\(\s*(?<df1>\d+(?:\.\d+)?)\s*(?:,\s*(?<df2>\d+(?:\.\d+)?)\s*)?(?:,\s*N\s*=\s*\d+\s*)?\))?\s*=\s*(?<val>[−-]?\d*\.?\d+)\s*,\s*(?:(?<ns>ns)|p\s*(?<rel>[=<>≤≥])\s*(?<p>\d?\.\d+|\d))"#

  /// The text to scan, line by line: HTML tags and Markdown emphasis removed, code blocks and
  /// code spans (directives and computed values) blanked.
  static func prose(_ text: String, html: Bool) -> [String] {
    var lines: [String] = []
    var inFence = false
    for raw in text.components(separatedBy: "\n") {
      var l = raw
      if !html, l.trimmingWhitespace().hasPrefix("```") || l.trimmingWhitespace().hasPrefix("~~~") {
        inFence.toggle()
        lines.append("")
        continue
      }
      if inFence { lines.append(""); continue }
      if html {
        // Computed values (Bordin's data-ref links) are not typed text.
        l = l.replacingOccurrences(of: #"<a class="bordin-(value|cell)"[^>]*>.*?</a>"#, with: " ", options: .regularExpression)
        l = ComputedValues.unescape(ComputedValues.stripTags(l))
      } else {
        // Blank code spans.
        var out = ""
        var inCode = false
        for ch in l {
          if ch == "`" { inCode.toggle(); out.append(" "); continue }
          out.append(inCode ? " " : ch)
        }
        l = out.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "_", with: "")
      }
      lines.append(l)
    }
    return lines
  }
}
