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

  /// Writes `text` to `url` through a temporary file in the same folder and a rename, so a
  /// reader never sees a partial file and a failure leaves the previous file intact.
  ///
  /// The temporary file is created by `mkstemp` (a random name, `O_CREAT | O_EXCL`), so a file
  /// or symlink planted under a predictable name cannot redirect the write; `rename` replaces
  /// the directory entry `url` itself, never the target of a symlink standing there.
  public static func writeAtomically(_ text: String, to url: URL) throws {
    try writeAtomically(Array(text.utf8), to: url)
  }

  /// ``writeAtomically(_:to:)`` for bytes (a `.docx` or `.pdf`).
  public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = try temporaryFile(for: url, bytes: bytes)
    guard rename(tmp, url.path) == 0 else {
      let e = errno
      unlink(tmp)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: e) ?? .EIO)])
    }
  }

  /// Writes a report's page and record as one pair: both temporaries are written first, then
  /// renamed while the output folder is locked (`flock` on the folder itself, so no lock file is
  /// left behind), so two renders into one `--out` cannot interleave their pairs. A process
  /// killed between the two renames can still leave a new page beside an old record; the
  /// render id recorded in both makes `bordin verify` report such a pair as different.
  public static func writePair(html: String, to htmlURL: URL, record: String, to jsonURL: URL) throws {
    let dir = htmlURL.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let lock = open(dir.path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
    guard lock >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: dir.path]) }
    defer { close(lock) }
    let tmpJSON = try temporaryFile(for: jsonURL, text: record)
    let tmpHTML: String
    do { tmpHTML = try temporaryFile(for: htmlURL, text: html) } catch { unlink(tmpJSON); throw error }
    while flock(lock, LOCK_EX) != 0, errno == EINTR {}
    defer { flock(lock, LOCK_UN) }
    for (tmp, url) in [(tmpJSON, jsonURL), (tmpHTML, htmlURL)] where rename(tmp, url.path) != 0 {
      unlink(tmpJSON)
      unlink(tmpHTML)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
  }

  /// A new file `.NAME.XXXXXX` beside `url` (mode 0644) holding `text`; its path. The
  /// string's own UTF-8 storage is written (no copy of a page that may be megabytes).
  static func temporaryFile(for url: URL, text: String) throws -> String {
    var text = text
    return try text.withUTF8 { try temporaryFile(for: url, buffer: UnsafeRawBufferPointer($0)) }
  }

  /// A new file `.NAME.XXXXXX` beside `url` (mode 0644) holding `bytes`; its path.
  static func temporaryFile(for url: URL, bytes: [UInt8]) throws -> String {
    try bytes.withUnsafeBytes { try temporaryFile(for: url, buffer: $0) }
  }

  private static func temporaryFile(for url: URL, buffer buf: UnsafeRawBufferPointer) throws -> String {
    var template = Array(url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).XXXXXX").path.utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
    let path = String(cString: template)
    var ok = fchmod(fd, 0o644) == 0
    var done = 0
    while ok, done < buf.count {
      let n = write(fd, buf.baseAddress! + done, buf.count - done)
      if n < 0, errno == EINTR { continue }
      if n <= 0 { ok = false; break }
      done += n
    }
    if close(fd) != 0 { ok = false }
    guard ok else {
      unlink(path)
      throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: url.path])
    }
    return path
  }
}
