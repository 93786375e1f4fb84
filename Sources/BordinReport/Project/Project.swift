import Foundation

/// Where a report's files may come from: the project root and path checks (DESIGN.md §6).
struct Project {
  /// The nearest folder upward from the report's folder that holds `bordin.yml`, else the report's folder.
  let root: URL
  let reportFolder: URL

  init(reportFile: URL) {
    reportFolder = reportFile.deletingLastPathComponent().standardizedFileURL
    var dir = reportFolder
    var found: URL?
    while true {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("bordin.yml").path) { found = dir; break }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { break }
      dir = up
    }
    root = (found ?? reportFolder).resolvingSymlinksInPath()
  }

  /// A project whose root is `root`, with paths resolved against it (`bordin verify` reads
  /// the root-relative paths a record holds under the same rules).
  init(root: URL) {
    self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    reportFolder = self.root
  }

  /// The root for a report in `folder`: the nearest folder upward holding `bordin.yml`, or nil.
  static func configuredRoot(above folder: URL) -> URL? {
    var dir = folder.standardizedFileURL
    while true {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("bordin.yml").path) { return dir }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { return nil }
      dir = up
    }
  }

  enum PathError: Error {
    case absolute, outside, missing
  }

  /// Resolves a report-relative path, refusing absolute paths, `..` escapes and symlinks that
  /// leave the project root.
  func resolve(_ path: String) throws(PathError) -> URL {
    if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("\\") || path.contains("://") { throw .absolute }
    let url = reportFolder.appendingPathComponent(path).standardizedFileURL
    guard isInside(url) else { throw .outside }
    guard FileManager.default.fileExists(atPath: url.path) else {
      // A missing file under a symlinked folder that leaves the project is outside, not missing.
      if let folder = Self.realFolder(of: url), !isInside(URL(fileURLWithPath: folder)) { throw .outside }
      throw .missing
    }
    let real = url.resolvingSymlinksInPath()
    guard isInside(real) else { throw .outside }
    return real
  }

  /// The nearest existing folder above `url` with every symlink resolved (realpath), if any.
  static func realFolder(of url: URL) -> String? {
    var dir = url.deletingLastPathComponent()
    while true {
      if let p = realpath(dir.path, nil) {
        defer { free(p) }
        return String(cString: p)
      }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { return nil }
      dir = up
    }
  }

  /// File names in the folder of `path` (report-relative) to suggest for a missing file: only
  /// when that folder, with symlinks resolved, is inside the project root.
  func neighbours(of path: String) -> [String] {
    let url = reportFolder.appendingPathComponent(path).standardizedFileURL
    guard let p = realpath(url.deletingLastPathComponent().path, nil) else { return [] }
    let folder = String(cString: p)
    free(p)
    guard isInside(URL(fileURLWithPath: folder)) else { return [] }
    return (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
  }

  func isInside(_ url: URL) -> Bool {
    let r = root.path.hasSuffix("/") ? root.path : root.path + "/"
    let p = url.path
    return p == root.path || p.hasPrefix(r) || url.resolvingSymlinksInPath().path.hasPrefix(r)
  }

  /// `url` relative to the project root, for provenance.
  func relative(_ url: URL) -> String {
    let r = root.path.hasSuffix("/") ? root.path : root.path + "/"
    let p = url.resolvingSymlinksInPath().path
    return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : url.lastPathComponent
  }
}
