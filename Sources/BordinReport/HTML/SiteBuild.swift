import Foundation

/// The decisions of a site build, kept out of the CLI: whether a render builds a site, which
/// `bordin.yml` governs it, what must hold before anything is written, and the site itself once
/// every report has rendered (so each page is written once, with its navigation).
public struct SiteBuild {
  /// The folder whose `bordin.yml` governs the site: the first folder given, else the first
  /// report's folder.
  public let settingsFolder: URL

  /// A site is built for a folder of reports or a params table (`--params-from`), never for
  /// body-only fragments; nil otherwise.
  public init?(paths: [String], paramsFrom: String?, fragment: Bool) {
    let folder = paths.first(where: Self.isDirectory)
    guard (folder != nil || paramsFrom != nil), !fragment, let first = folder ?? paths.first else { return nil }
    settingsFolder = URL(fileURLWithPath: first).deletingLastPathComponent()
  }

  /// What stops a site build before anything is written: two reports with one output name, and
  /// every problem of `bordin.yml` (DESIGN.md §6).
  public func preflight(_ requests: [Batch.Request]) -> [Diagnostic] {
    Site.collisions(outputNames: requests.map { ($0.outputName, $0.displayPath) })
      + ProjectSettings.load(for: settingsFolder).diagnostics
  }

  /// The site of the rendered reports, or nil when any failed (then no index, topic pages or
  /// feed are written, and each page is written without navigation); with the warnings to
  /// print (a `site.url` that is not an http(s) URL).
  public func site(_ requests: [Batch.Request], _ results: [Result<RenderedReport, ReportErrors>], title: String?)
    -> (site: Site?, warnings: [String])
  {
    var entries: [Site.Entry] = []
    for (req, result) in zip(requests, results) {
      guard case .success(let r) = result else { return (nil, []) }
      entries.append(Site.Entry(file: req.outputName + ".html", report: r))
    }
    let settings = ProjectSettings.load(for: settingsFolder)
    var warnings: [String] = []
    if let u = settings.siteURL, Site.feedBase(u) == nil {
      warnings.append("bordin.yml: warning[site-url]: site.url '\(u)' is not an http(s) URL; the feed uses relative links")
    }
    return (Site(title: title ?? settings.siteTitle, url: settings.siteURL, entries: entries), warnings)
  }

  static func isDirectory(_ path: String) -> Bool {
    var d: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
  }
}
