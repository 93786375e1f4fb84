import Foundation

extension Renderer {
  /// Reads and parses the report's BibTeX file, recording problems in `sink`.
  static func loadBibliography(_ path: String, at: SourceLocation, project: Project, sink: DiagnosticSink) -> Bibliography? {
    let url: URL
    do { url = try project.resolve(path) } catch {
      let why = error == .missing ? "does not exist" : "is outside the project"
      sink.error(at, error == .missing ? "missing-file" : "path-outside", "bibliography '\(path)' \(why)",
                 remedy: "give a .bib file inside the project, relative to the report")
      return nil
    }
    let data: Data
    do { data = try FileLimits.read(url.path, limit: FileLimits.maxBibliographyBytes) } catch {
      let m = FileLimits.message(error, "bibliography '\(path)'", limit: FileLimits.maxBibliographyBytes)
      sink.error(at, m.code == "missing-file" ? m.code : "bibliography", m.message, remedy: m.remedy)
      return nil
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      sink.error(at, "bibliography", "bibliography '\(path)' cannot be read as UTF-8 text")
      return nil
    }
    // Bibliography is one per render (it records what is cited); the parsed entries are shared.
    if let entries = BibliographyCache.shared.entries(text) { return Bibliography(entries) }
    do {
      let entries = try BibTeX.parse(text)
      BibliographyCache.shared.store(entries, for: text)
      return Bibliography(entries)
    } catch {
      sink.error(at, "bibliography", "bibliography '\(path)' line \(error.line): \(error.message)", remedy: "fix the BibTeX entry")
      return nil
    }
  }
}

/// The bibliographies this process has parsed, by file text: the 100 summaries of a
/// parameterised batch that cite one .bib file parse it once (parsing was 4% of such a batch,
/// issue 24). Keyed by the text itself, so an edited file is parsed anew.
final class BibliographyCache: @unchecked Sendable {
  static let shared = BibliographyCache()
  private let lock = NSLock()
  private var byText: [String: [BibEntry]] = [:]

  func entries(_ text: String) -> [BibEntry]? {
    lock.lock()
    defer { lock.unlock() }
    return byText[text]
  }

  func store(_ entries: [BibEntry], for text: String) {
    lock.lock()
    defer { lock.unlock() }
    if byText.count >= 16 { byText.removeAll() }
    byText[text] = entries
  }
}
