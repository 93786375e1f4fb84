import Foundation

/// How to render one report.
public struct RenderOptions: Sendable {
  /// `--param name=value` overrides of front-matter params.
  public var params: [(String, String)] = []
  /// Body HTML only, without the page layout (`--fragment`).
  public var fragment = false
  /// Use the result cache in the project's `.bordin-cache/` (the CLI's default; `--no-cache`).
  public var cache = false
  /// `bordin verify`: results (by label) whose numbers replace the computed ones before they
  /// are printed, so a page can be checked against the values its record holds.
  var replay: [String: ResultValue]?
  public init(params: [(String, String)] = [], fragment: Bool = false, cache: Bool = false) {
    self.params = params
    self.fragment = fragment
    self.cache = cache
  }
}
