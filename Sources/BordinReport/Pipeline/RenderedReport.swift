import Foundation

/// A rendered report: the HTML page, the provenance record, and any warnings.
public struct RenderedReport: Sendable {
  public var html: String
  public var resultsJSON: String
  public var warnings: [Diagnostic]
  public var title: String
  public var date: String?
  public var topics: [String]
  public var summary: String?
  public var author: String?
  /// Directives served from the result cache.
  public var cacheHits: Int = 0
  /// Title, author, abstract and layout of the Word and PDF outputs (``ManuscriptStyle``).
  public var manuscript = ManuscriptInfo(title: "", author: nil, date: nil, abstract: nil, runningHead: "", style: .report, lang: "en")
  /// The record behind ``resultsJSON``, so other outputs can be entered in it (``recording(outputs:)``).
  var record: ResultValue = .null
}
