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
    do {
      return Bibliography(try BibTeX.parse(text))
    } catch {
      sink.error(at, "bibliography", "bibliography '\(path)' line \(error.line): \(error.message)", remedy: "fix the BibTeX entry")
      return nil
    }
  }
}
