import Foundation

/// The Word and PDF outputs of one render, made from its page (``DocxWriter``, ``PDFWriter``)
/// and entered in its record: `render.outputs` lists each with its file name (beside the page)
/// and SHA-256. The record's `render` block is not compared by `bordin verify`, so a page
/// rendered with `--to docx` verifies like one rendered without.
public enum ManuscriptOutputs {
  /// One written output.
  public struct Output: Sendable {
    public var format: OutputFormat
    /// The file name, beside the page (`NAME.docx`).
    public var file: String
    public var bytes: [UInt8]
    public var sha256: String { sha256Hex(bytes) }
  }

  /// The programs `formats` need that are not installed, as diagnostics against `file`
  /// (DESIGN.md §6: options are checked before anything is computed).
  public static func missingTools(for formats: [OutputFormat], file: String) -> [Diagnostic] {
    var tools: [ExternalTool] = []
    if formats.contains(.docx) { tools += [.pandoc, .rsvgConvert] }
    if formats.contains(.pdf) { tools.append(.chromium) }
    return tools.compactMap { t -> Diagnostic? in
      do throws(ExternalTool.Failure) { _ = try t.require(); return nil } catch { return diagnostic(error, file: file) }
    }
  }

  static func diagnostic(_ f: ExternalTool.Failure, file: String) -> Diagnostic {
    Diagnostic(file: file, line: 1, code: f.code, message: f.message, remedy: f.remedy)
  }

  /// The non-HTML outputs of `report` in `formats`, named after `baseName`.
  /// - Throws: ``ReportErrors`` naming `file` when a tool is missing or fails.
  public static func make(_ formats: [OutputFormat], report: RenderedReport, baseName: String, file: String) throws(ReportErrors) -> [Output] {
    var out: [Output] = []
    for f in formats where f != .html {
      do {
        let bytes = f == .docx ? try DocxWriter.write(page: report.html, info: report.manuscript)
          : try PDFWriter.write(page: report.html, info: report.manuscript)
        out.append(Output(format: f, file: baseName + "." + f.fileExtension, bytes: bytes))
      } catch {
        throw ReportErrors([diagnostic(error, file: file)])
      }
    }
    return out
  }
}

extension RenderedReport {
  /// The record with `render.outputs`: each other output's format, file and SHA-256. Without
  /// outputs, ``resultsJSON`` unchanged.
  public func recording(outputs: [ManuscriptOutputs.Output]) -> String {
    guard !outputs.isEmpty, case .object(var top) = record, let i = top.firstIndex(where: { $0.0 == "render" }),
          case .object(var render) = top[i].1 else { return resultsJSON }
    render.append(("outputs", .array(outputs.map {
      .object([("format", .string($0.format.rawValue)), ("file", .string($0.file)), ("sha256", .string($0.sha256))])
    })))
    top[i].1 = .object(render)
    return JSONWriter.string(.object(top))
  }
}

extension ManuscriptOutputs {
  /// `bordin verify`'s notes on the Word and PDF files a record names (`render.outputs`),
  /// looked for beside the page: each as written by that render, changed since, or missing.
  /// These are notes, never differences: the HTML is the canonical output, and the other
  /// files are made from it. A recorded name that is not a plain file name is not read.
  static func notes(record: ResultValue, folder: URL) -> [String] {
    guard case .array(let items)? = record["render"]?["outputs"] else { return [] }
    var out: [String] = []
    for item in items {
      guard let file = item["file"]?.string, let sha = item["sha256"]?.string else { continue }
      guard !file.isEmpty, !file.contains("/"), !file.contains("\\"), !file.hasPrefix(".") else {
        out.append("output '\(escapeControls(file))' is not a plain file name beside the page; not read")
        continue
      }
      let url = folder.appendingPathComponent(file)
      guard let bytes = try? VerifyReader.readFile(url, limit: VerifyReader.maxRecordBytes) else {
        out.append("output \(file) (recorded SHA-256 \(sha.prefix(12))…) is not beside the page")
        continue
      }
      let now = sha256Hex(bytes)
      out.append(now == sha ? "output \(file): as written by this render (SHA-256 \(sha.prefix(12))…)"
        : "output \(file) changed since this render (SHA-256 was \(sha.prefix(12))…, is \(now.prefix(12))…); it is made from the HTML, so render again to refresh it")
    }
    return out
  }
}
