import Foundation

/// `bordin verify`: checks that a rendered report still follows from its sources.
///
/// It reads the page and the provenance record beside it (`NAME.results.json`, see
/// ``VerifyReader``), checks that the two come from one render (the render id), re-hashes the
/// template and every input, re-renders in memory — from the recorded template text and params,
/// with the result cache off — and compares:
///
/// - the record with the fresh render, number by number, at the tolerance of each value's
///   class (``DriftClass``: 1e-10 relative for closed forms, 1e-7 for optimised quantities);
/// - the page with the *recorded* values: when the fresh numbers are bit-identical the page must
///   equal the fresh page byte for byte; when they drift within tolerance, the page is compared
///   with a render whose results are the recorded full-precision values, so every printed number
///   must be exactly its recorded value's formatting on whichever machine verify runs.
///
/// The verdict is one of three classes (``Verdict``). Everything verify reads passes the
/// rendering rules (DESIGN.md §6): the project root is the nearest folder upward from the page
/// (else from the current folder) holding `bordin.yml`, else the current folder; recorded paths
/// must be relative and stay inside it; sizes are limited before reading.
public enum Verifier {
  public enum Verdict: String, Sendable {
    case identical
    case withinTolerance = "within floating-point tolerance"
    case different
  }

  public struct Outcome: Sendable {
    public var differences: [String]
    public var notes: [String]
    /// The Word and PDF files the record names, each as written, changed or missing (never a difference).
    public var outputs: [String] = []
    /// The largest drift within tolerance (path below the record, relative drift, class).
    public var largestDrift: (path: String, relative: Double, drift: DriftClass)?
    /// The platform the record was made on, when recorded, and this one.
    public var recordedPlatform: Platform?
    public var platform: Platform = .current
    var withinTolerance = false

    public var agrees: Bool { differences.isEmpty }
    public var verdict: Verdict { !differences.isEmpty ? .different : withinTolerance ? .withinTolerance : .identical }

    /// The summary line: `verified: identical`, `verified: within floating-point tolerance
    /// (largest drift … at …; recorded on …, here …)`, `NOT verified: N differences`.
    public var summary: String {
      let platforms = recordedPlatform.flatMap { $0 == platform ? nil : "recorded on \($0.summary), here \(platform.summary)" }
      switch verdict {
      case .identical:
        return "verified: identical" + (platforms.map { " (\($0))" } ?? "")
      case .withinTolerance:
        var s = "verified: within floating-point tolerance"
        var inner: [String] = []
        if let d = largestDrift { inner.append("largest drift \(shortExp(d.relative)) relative at \(d.path), \(d.drift.rawValue)") }
        if let platforms { inner.append(platforms) }
        if !inner.isEmpty { s += " (" + inner.joined(separator: "; ") + ")" }
        return s
      case .different:
        let n = differences.count
        return "NOT verified: \(n) difference\(n == 1 ? "" : "s")" + (platforms.map { " (\($0))" } ?? "")
      }
    }

    init(differences: [String], notes: [String] = []) {
      self.differences = differences
      self.notes = notes
    }
  }

  /// Verifies the page at `htmlURL` (with `NAME.results.json` beside it). `currentDirectory`
  /// is where a project root is looked for when none is found above the page.
  public static func verify(html htmlURL: URL, currentDirectory: URL? = nil) -> Outcome {
    let cwd = currentDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let jsonURL = htmlURL.deletingPathExtension().appendingPathExtension("results.json")
    let page: VerifyReader.Page, record: VerifyReader.Record
    do {
      page = try VerifyReader.page([UInt8](try VerifyReader.readFile(htmlURL, limit: VerifyReader.maxHTMLBytes)))
    } catch {
      return Outcome(differences: ["cannot read the page: \(error.message)"])
    }
    do {
      let bytes = try VerifyReader.readFile(jsonURL, limit: VerifyReader.maxRecordBytes)
      record = try VerifyReader.record([UInt8](bytes), name: jsonURL.lastPathComponent)
    } catch {
      return Outcome(differences: ["no readable provenance record beside the page: \(error.message)"])
    }
    var out = Outcome(differences: [])
    out.recordedPlatform = record.platform
    check(page, record, recordName: jsonURL.lastPathComponent, into: &out)
    out.outputs = ManuscriptOutputs.notes(record: record.tree, folder: htmlURL.deletingLastPathComponent())

    // The project root and the template, under the rendering rules.
    let root = Project.configuredRoot(above: htmlURL.deletingLastPathComponent()) ?? Project.configuredRoot(above: cwd) ?? cwd.standardizedFileURL
    let project = Project(root: root)
    let sourceURL: URL
    do {
      sourceURL = try project.resolve(record.sourcePath)
    } catch {
      let why: String
      switch error {
      case .absolute: why = "is absolute; a record names its template relative to the project root"
      case .outside: why = "leaves the project root \(project.root.path)"
      case .missing: why = "does not exist in the project root \(project.root.path)"
      }
      out.differences.append("the template '\(record.sourcePath)' \(why); nothing was re-rendered")
      return out
    }
    out.notes.append("template \(record.sourcePath) in project root \(project.root.path)")
    do {
      let now = try VerifyReader.readFile(sourceURL, limit: VerifyReader.maxTemplateBytes)
      let sha = sha256Hex(now)
      if sha != record.sourceSHA256 {
        out.differences.append("template \(record.sourcePath) changed: SHA-256 was \(record.sourceSHA256.prefix(12))…, is \(sha.prefix(12))…")
        out.differences += LineDiff.changes(old: record.sourceText, new: String(decoding: now, as: UTF8.self), file: record.sourcePath)
      }
    } catch {
      out.differences.append("template \(record.sourcePath): \(error.message)")
    }
    if sha256Hex(Data(record.sourceText.utf8)) != record.sourceSHA256, sha256Hex(Data(("\u{FEFF}" + record.sourceText).utf8)) != record.sourceSHA256 {
      out.differences.append("the record's template text does not have the record's SHA-256")
    }

    // Inputs, under the same rules.
    for input in record.inputs {
      let url: URL
      do { url = try project.resolve(input.path) } catch {
        out.differences.append("data '\(input.name)' (\(input.path)) " + (error == .missing ? "is missing" : "is outside the project root; not read"))
        continue
      }
      do {
        let now = sha256Hex(try VerifyReader.readFile(url, limit: DataLoader.maxBytes))
        if now != input.sha256 { out.differences.append("data '\(input.name)' (\(input.path)) changed: SHA-256 was \(input.sha256.prefix(12))…, is \(now.prefix(12))…") }
      } catch {
        out.differences.append("data '\(input.name)' (\(input.path)): \(error.message)")
      }
    }

    rerender(page, record, sourceURL: sourceURL, into: &out)
    return out
  }

  /// The part of verification that needs nothing but the bytes of a page and its record: both
  /// parsed, the pair and its params checked, the record's template text diffed against the page
  /// (as a changed template would be). Reads no file and renders nothing, so it can be fuzzed
  /// (Fuzz/Sources/fuzz-verify). A difference starting `internal:` is a bug in Bordin: the
  /// record written back and read again must compare identical with itself.
  public static func inspect(html: [UInt8], record: [UInt8]) -> Outcome {
    let page: VerifyReader.Page, rec: VerifyReader.Record
    do { (page, rec) = try VerifyReader.parse(html: html, record: record) } catch {
      return Outcome(differences: [error.message])
    }
    var out = Outcome(differences: [])
    out.recordedPlatform = rec.platform
    check(page, rec, recordName: "results.json", into: &out)
    _ = LineDiff.changes(old: rec.sourceText, new: page.html, file: rec.sourcePath)
    _ = ComputedValues.extract(page.html)
    if !RecordComparison(recorded: rec.tree, fresh: rec.tree).identical {
      out.differences.append("internal: a record does not compare identical with itself")
    }
    if let again = try? RecordJSON.parse(Array(JSONWriter.string(rec.tree).utf8)) {
      if !RecordComparison(recorded: rec.tree, fresh: again).identical { out.differences.append("internal: a record written and read back differs") }
    } else {
      out.differences.append("internal: a record written back does not parse")
    }
    return out
  }

  /// Checks that needs nothing but the two files: one render, one engine, the same params and template.
  static func check(_ page: VerifyReader.Page, _ record: VerifyReader.Record, recordName: String, into out: inout Outcome) {
    out.differences += page.siteProblems
    if record.version != bordinVersion {
      out.differences.append("rendered by Bordin \(record.version); this is Bordin \(bordinVersion), so values may differ for that reason alone")
    }
    if let id = record.renderID {
      if let claimed = page.claimedID, claimed != id {
        out.differences.append("the page and \(recordName) come from different renders (render id \(claimed.prefix(12))… in the page, \(id.prefix(12))… in the record): render again")
      } else if page.claimedID == nil, !page.fragment {
        out.differences.append("the page has no render id; \(recordName) names render \(id.prefix(12))…")
      }
    } else {
      out.differences.append("\(recordName) has no render id (render.id)")
    }
    for (k, v) in page.params {
      let rec = record.params.first { $0.0 == k }?.1
      if rec != v { out.differences.append("param '\(k)': the HTML records '\(v)', the provenance record '\(rec ?? "(none)")'") }
    }
    for (k, v) in record.params where !page.params.contains(where: { $0.0 == k }) && !page.fragment {
      out.differences.append("param '\(k)' = '\(v)' is in the provenance record but not in the HTML")
    }
    if let pageSHA = page.sourceSHA256, pageSHA != record.sourceSHA256 {
      out.differences.append("the HTML and its provenance record name different templates (SHA-256 \(pageSHA.prefix(12))… vs \(record.sourceSHA256.prefix(12))…)")
    }
  }

  /// Re-renders the recorded template, compares the record at tolerance and the page exactly.
  static func rerender(_ page: VerifyReader.Page, _ record: VerifyReader.Record, sourceURL: URL, into out: inout Outcome) {
    let options = RenderOptions(params: record.params, fragment: page.fragment, cache: false)
    let fresh: RenderedReport
    do {
      fresh = try Renderer.render(source: Data(record.sourceText.utf8), file: sourceURL, displayPath: record.sourcePath, options: options)
    } catch {
      out.differences.append("the recorded template no longer renders: " + error.diagnostics.prefix(5).map(\.description).joined(separator: "; "))
      return
    }
    let freshTree: ResultValue
    do { freshTree = try RecordJSON.parse(Array(fresh.resultsJSON.utf8)) } catch {
      out.differences.append("internal: a fresh record does not parse (\(error.message))")
      return
    }
    let comparison = RecordComparison(recorded: record.tree, fresh: freshTree)
    if !comparison.differences.isEmpty {
      let shown = comparison.differences.prefix(10)
      out.differences += shown.map { "the provenance record differs from a fresh render at \($0)" }
      if comparison.differences.count > shown.count {
        out.differences.append("… and \(comparison.differences.count - shown.count) more differences in the provenance record")
      }
    }
    // The page against the recorded values: the fresh page when nothing drifted, else a render
    // that prints the recorded numbers.
    var expected = fresh.html
    if comparison.differences.isEmpty, let drift = comparison.largest {
      out.withinTolerance = true
      out.largestDrift = (drift.path, drift.relative, drift.drift)
      var replay = options
      replay.replay = recordedResults(record.tree)
      do {
        expected = try Renderer.render(source: Data(record.sourceText.utf8), file: sourceURL, displayPath: record.sourcePath, options: replay).html
      } catch {
        out.differences.append("the recorded values cannot be printed: " + error.diagnostics.prefix(5).map(\.description).joined(separator: "; "))
        return
      }
    }
    let before = out.differences.count
    if expected != page.html { out.differences += pageDifferences(page.html, expected) }
    if out.differences.count == before, page.contentID != record.renderID, record.renderID != nil {
      out.differences.append("the page's content does not give its render id: it was edited after rendering")
    }
  }

  /// `label → result` of every directive in a record.
  static func recordedResults(_ tree: ResultValue) -> [String: ResultValue] {
    var out: [String: ResultValue] = [:]
    for (label, entry) in tree["directives"]?.fields ?? [] {
      if let r = entry["result"] { out[label] = r }
    }
    return out
  }

  /// How a page differs from the expected page: value by value, else the first differing line.
  static func pageDifferences(_ html: String, _ expected: String) -> [String] {
    let a = ComputedValues.extract(html), b = ComputedValues.extract(expected)
    var diffs: [String] = []
    for (x, y) in zip(a, b) where x.ref != y.ref || x.text != y.text {
      if diffs.count == 20 { diffs.append("… and more values differ"); break }
      if x.ref == y.ref {
        diffs.append("value \(x.ref) (HTML line \(x.line)): the HTML shows '\(x.text)', the data give '\(y.text)'")
      } else {
        diffs.append("HTML line \(x.line): value '\(x.ref)' stands where '\(y.ref)' should")
      }
    }
    if a.count != b.count { diffs.append("the HTML has \(a.count) computed values; a fresh render has \(b.count)") }
    if diffs.isEmpty {
      diffs.append("the HTML differs from a fresh render outside the computed values (first at line \(firstDifferentLine(html, expected)))")
    }
    return diffs
  }

  /// Lines that differ between two versions of the template (see ``LineDiff``).
  static func lineChanges(old: String, new: String, file: String) -> [String] {
    LineDiff.changes(old: old, new: new, file: file)
  }

  static func firstDifferentLine(_ a: String, _ b: String) -> Int {
    var line = 1
    for (x, y) in zip(a.utf8, b.utf8) {
      if x != y { return line }
      if x == 10 { line += 1 }
    }
    return line
  }
}
