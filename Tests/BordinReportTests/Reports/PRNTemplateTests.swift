import Foundation
import XCTest

@testable import BordinReport

/// The practice-research network's monthly template over its database: every month renders,
/// the site is built, and a month without data or an undeclared param is a diagnostic.
final class PRNTemplateTests: XCTestCase {
  /// A copy of templates/prn-monthly.md and data/prn in a temporary project, with the database built.
  func project() throws -> (TestProject, URL) {
    let p = TestProject(name)
    let template = p.write("templates/prn-monthly.md", try String(contentsOf: repositoryRoot.appendingPathComponent("templates/prn-monthly.md"), encoding: .utf8))
    var csvs: [String] = []
    for f in ["summaries.csv", "months.csv", "simulated/effects_simulated.csv", "effects_real.csv", "refs.bib"] {
      let url = p.write("data/prn/\(f)", try String(contentsOf: repositoryRoot.appendingPathComponent("data/prn/\(f)"), encoding: .utf8))
      if f.hasSuffix(".csv") { csvs.append(url.path) }
    }
    try DatabaseBuilder.build(database: p.root.appendingPathComponent("data/prn/prn.sqlite").path, csvFiles: csvs)
    return (p, template)
  }

  func testEveryMonthRendersAndTheSiteIndexesThem() throws {
    let (p, template) = try project()
    let requests = try Batch.requests(files: [template], display: { $0.lastPathComponent }, params: [],
                                      paramsFrom: p.root.appendingPathComponent("data/prn/months.csv").path)
    XCTAssertEqual(requests.count, 12)
    let results = Batch.render(requests, fragment: false, jobs: 2)
    var entries: [Site.Entry] = []
    for (req, r) in zip(requests, results) {
      let report = try r.get()
      XCTAssertTrue(report.warnings.isEmpty, "\(req.outputName): \(report.warnings)")
      XCTAssertFalse(report.title.contains("{"), report.title)
      XCTAssertTrue(report.html.contains("<figure class=\"bordin-figure\" id=\"fig-forest\">"))
      XCTAssertTrue(report.html.contains("id=\"references\""))
      entries.append(.init(file: req.outputName + ".html", report: report))
    }
    // December: Roest et al. (2022), 99 studies simulated to a pooled r of .17.
    let dec = try results[11].get()
    XCTAssertEqual(dec.date, "2022-12-01")
    XCTAssertEqual(ComputedValues.text(dec.html, "pooled.k"), "99")
    XCTAssertTrue(ComputedValues.text(dec.html, "pooled")?.hasPrefix("r = .17, 95% CI") ?? false)
    // March: Molloy et al. (2014), real data: the pooled r matches metafor (.15).
    XCTAssertTrue(ComputedValues.text(try results[2].get().html, "pooled")?.hasPrefix("r = .15, 95% CI [.09, .21]") ?? false)
    let site = Site(title: "PRN", url: nil, entries: entries)
    let index = site.files().first { $0.path == "index.html" }!.text
    XCTAssertLessThan(index.range(of: "prn-monthly-2022-12.html")!.lowerBound, index.range(of: "prn-monthly-2022-01.html")!.lowerBound)
    XCTAssertTrue(site.files().contains { $0.path == "topics/trauma-and-or-ptsd.html" })
  }

  func testMonthWithoutDataAndUndeclaredParam() throws {
    let (p, template) = try project()
    XCTAssertThrowsError(try Renderer.render(file: template, displayPath: "prn-monthly.md", options: RenderOptions(params: [("month", "2030-01")]))) { e in
      let d = (e as? ReportErrors)?.diagnostics ?? []
      XCTAssertEqual(d.first?.code, "no-rows", "\(d)")
      XCTAssertTrue(d.first?.message.contains("month = 2030-01") ?? false)
    }
    let text = try String(contentsOf: template, encoding: .utf8).replacingOccurrences(of: ":month", with: ":monht")
    let bad = p.write("templates/bad.md", text)
    XCTAssertThrowsError(try Renderer.render(file: bad, displayPath: "bad.md")) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.first?.code, "missing-param")
    }
  }
}
