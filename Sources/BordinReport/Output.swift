import Foundation

/// Finding report sources and writing outputs atomically (DESIGN.md §5–6).
public enum Output {
  /// The Markdown files named by `paths`: files as given, folders searched (not recursively)
  /// for `*.md` in name order. README.md files are skipped in folders.
  public static func sources(_ paths: [String]) throws(ReportErrors) -> [URL] {
    var out: [URL] = []
    for p in paths {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
        throw ReportErrors([Diagnostic(file: p, line: 1, code: "missing-file", message: "'\(p)' does not exist")])
      }
      if isDir.boolValue {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).filter {
          $0.hasSuffix(".md") && $0.lowercased() != "readme.md" && !$0.hasPrefix(".")
        }.sorted()
        out += names.map { URL(fileURLWithPath: p).appendingPathComponent($0) }
      } else {
        out.append(URL(fileURLWithPath: p))
      }
    }
    return out
  }

  /// `NAME.html` and `NAME.results.json` for report `file` under `folder`.
  public static func targets(for file: URL, in folder: URL) -> (html: URL, json: URL) {
    let base = file.deletingPathExtension().lastPathComponent
    return (folder.appendingPathComponent(base + ".html"), folder.appendingPathComponent(base + ".results.json"))
  }

  /// Writes `data` to `url` through a temporary file in the same folder and a rename, so a
  /// reader never sees a partial file and a failure leaves the previous file intact.
  public static func writeAtomically(_ text: String, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try Data(text.utf8).write(to: tmp)
      if rename(tmp.path, url.path) != 0 {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
      }
    } catch {
      try? FileManager.default.removeItem(at: tmp)
      throw error
    }
  }
}
