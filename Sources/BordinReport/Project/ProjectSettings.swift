import BordinData
import Foundation

/// Project settings from `bordin.yml` (all optional): `site: { title: …, url: … }`.
///
/// Nothing in it is silently ignored: a file that cannot be read or parsed, a value of the wrong
/// shape and an unknown key are each a located diagnostic in ``diagnostics`` (the site build
/// stops on them, DESIGN §6). A project without `bordin.yml`, or with an empty one, has none.
public struct ProjectSettings: Sendable {
  public var siteTitle = "Reports"
  public var siteURL: String?
  /// Problems found in `bordin.yml`, located at its lines.
  public var diagnostics: [Diagnostic] = []

  /// Top-level keys and `site:` keys that `bordin.yml` may hold.
  static let topLevelKeys = ["site"]
  static let siteKeys = ["title", "url"]

  /// Reads the `bordin.yml` that governs `folder` (the nearest one upward), if any.
  public static func load(for folder: URL) -> ProjectSettings {
    let project = Project(reportFile: folder.appendingPathComponent("x.md"))
    let url = project.root.appendingPathComponent("bordin.yml")
    guard FileManager.default.fileExists(atPath: url.path) else { return ProjectSettings() }
    let data: Data
    do { data = try FileLimits.read(url.path, limit: FileLimits.maxSettingsBytes) } catch {
      var s = ProjectSettings()
      s.diagnostics = [Diagnostic(file: "bordin.yml", line: 1, code: "settings", message: "bordin.yml cannot be read: \(error)")]
      return s
    }
    return parse(data, file: "bordin.yml")
  }

  /// Parses the bytes of a `bordin.yml` (comments only, or empty, is fine).
  public static func parse(_ data: Data, file: String) -> ProjectSettings {
    var s = ProjectSettings()
    func problem(_ at: SourceLocation, _ code: String, _ message: String, _ remedy: String? = nil) {
      s.diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column, code: code, message: message, remedy: remedy))
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      problem(SourceLocation(line: 1, column: 1), "settings", "bordin.yml is not UTF-8 text", "save it as UTF-8")
      return s
    }
    let node: YAMLNode
    do { node = try YAMLNode.parse(text.replacingOccurrences(of: "\r\n", with: "\n"), lineOffset: 0) } catch {
      problem(error.at, "yaml-syntax", "bordin.yml: \(error.message)")
      return s
    }
    if node.isNull { return s }
    guard case .map(let items, _) = node else {
      problem(node.location, "settings", "bordin.yml must be a mapping (e.g. 'site: { title: … }'); found \(node.shape)")
      return s
    }
    for item in items {
      guard item.key == "site" else {
        problem(item.keyAt, "unknown-setting", "unknown key '\(item.key)' in bordin.yml", "known keys: \(topLevelKeys.joined(separator: ", "))")
        continue
      }
      if item.value.isNull { continue }
      guard case .map(let site, _) = item.value else {
        problem(item.value.location, "settings", "'site' must be a mapping with \(siteKeys.joined(separator: ", ")); found \(item.value.shape)")
        continue
      }
      for it in site {
        guard siteKeys.contains(it.key) else {
          problem(it.keyAt, "unknown-setting", "unknown key 'site.\(it.key)' in bordin.yml", "known keys: \(siteKeys.map { "site." + $0 }.joined(separator: ", "))")
          continue
        }
        guard let t = it.value.scalarText, !it.value.isNull else {
          problem(it.value.location, "settings", "'site.\(it.key)' must be text; found \(it.value.shape)")
          continue
        }
        if it.key == "title" { s.siteTitle = t } else { s.siteURL = t }
      }
    }
    return s
  }
}
