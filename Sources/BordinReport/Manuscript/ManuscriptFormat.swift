/// The files one render writes (DESIGN.md §1, §4: `bordin render x.md --to html,docx,pdf`).
///
/// The HTML page and its `results.json` are always written: they are the canonical,
/// verifiable output. Word and PDF are made from that same page, so they print the same
/// numbers, and the record names each of them with its SHA-256 (`render.outputs`).
public enum OutputFormat: String, CaseIterable, Sendable, Comparable {
  case html, docx, pdf

  public var fileExtension: String { rawValue }

  public static func < (a: OutputFormat, b: OutputFormat) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// The formats a `--to` value names (comma-separated, repeatable), HTML always among them,
  /// in the fixed order html, docx, pdf; or the message for an unknown name.
  public static func parse(_ values: [String]) -> Result<[OutputFormat], UnknownFormat> {
    var out: Set<OutputFormat> = [.html]
    for v in values {
      for raw in v.split(separator: ",", omittingEmptySubsequences: false) {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard let f = OutputFormat(rawValue: name == "word" ? "docx" : name) else {
          return .failure(UnknownFormat(name: String(raw)))
        }
        out.insert(f)
      }
    }
    return .success(out.sorted())
  }

  public struct UnknownFormat: Error, CustomStringConvertible {
    public var name: String
    public var description: String {
      "--to takes html, docx or pdf (comma-separated, e.g. --to html,docx,pdf); got '\(name)'"
        + didYouMeanSuffix(name, OutputFormat.allCases.map(\.rawValue))
    }
  }
}

/// How the Word and PDF outputs are laid out: the front matter's `format:`.
///
/// - `report` (the default): the page as it reads on screen, in print style.
/// - `apa-manuscript`: an APA 7 manuscript (Publication Manual, 7th ed., §2.3–2.26): a title
///   page (title, author, date), the abstract on its own page, the body opening with the
///   title, double spacing throughout, the references on a new page, then each table and each
///   figure on a page of its own; page numbers and the running head in the page header.
///
/// The HTML page is the same in both: it is the canonical output.
public enum ManuscriptStyle: String, CaseIterable, Sendable {
  case report
  case apaManuscript = "apa-manuscript"
}

/// What a manuscript writer needs from a rendered report besides its page.
public struct ManuscriptInfo: Sendable {
  public var title: String
  public var author: String?
  public var date: String?
  public var abstract: String?
  public var runningHead: String
  public var style: ManuscriptStyle
  public var lang: String

  /// The running head APA 7 §2.18 asks for: at most 50 characters, capitals. A given one is
  /// used as written (capitalised); else the title up to its first colon or dash, cut at a
  /// word boundary.
  static func runningHead(given: String?, title: String) -> String {
    if let given { return given.uppercased() }
    var t = title
    for sep in [":", " — ", " – ", " - "] { if let r = t.range(of: sep) { t = String(t[..<r.lowerBound]) } }
    t = t.trimmingWhitespace()
    if t.count > 50 {
      var cut = ""
      for w in t.split(separator: " ") {
        guard cut.count + w.count + (cut.isEmpty ? 0 : 1) <= 50 else { break }
        cut += (cut.isEmpty ? "" : " ") + w
      }
      t = cut.isEmpty ? String(t.prefix(50)) : cut
    }
    return t.uppercased()
  }

  /// Seconds since 1970 of the report's date (noon UTC, so every time zone shows that day),
  /// the time stamp of the Word and PDF files; 0 without a date. Dates are data (DESIGN.md §2):
  /// the output never records when it was made.
  var epoch: Int {
    guard let d = date, d.utf8.count >= 10, let y = Int(d.prefix(4)), let m = Int(d.dropFirst(5).prefix(2)),
          let day = Int(d.dropFirst(8).prefix(2)) else { return 0 }
    // Days from civil (H. Hinnant's algorithm): proleptic Gregorian date → days since 1970-01-01.
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return max(0, (era * 146_097 + doe - 719_468) * 86_400 + 43_200)
  }
}
