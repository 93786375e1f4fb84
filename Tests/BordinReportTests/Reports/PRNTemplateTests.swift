import Foundation
import XCTest

@testable import BordinReport

/// The practice-research network's monthly template over its database: every month renders
/// its two article summaries (`each` over prn-article.md), each with its own pooled effect and
/// forest plot, matching a direct render of the article alone; the site is built, and a month
/// without data or an undeclared param is a diagnostic.
final class PRNTemplateTests: XCTestCase {
  /// A copy of templates/prn-monthly.md and data/prn in a temporary project, with the database built.
  func project() throws -> (TestProject, URL) {
    let p = TestProject(name)
    let template = p.write("templates/prn-monthly.md", try String(contentsOf: repositoryRoot.appendingPathComponent("templates/prn-monthly.md"), encoding: .utf8))
    let folder = repositoryRoot.appendingPathComponent("templates")
    for f in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where f.hasPrefix("prn-") && f != "prn-monthly.md" {
      p.write("templates/\(f)", try String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8))
    }
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
      // Two article summaries, each with its own computed pooled effect and forest plot.
      XCTAssertEqual(report.articles.count, 2, req.outputName)
      for a in report.articles {
        XCTAssertTrue(report.html.contains("<figure class=\"bordin-figure\" id=\"fig-\(a.key)-forest\">"), "\(req.outputName): \(a.key)")
        XCTAssertNotNil(ComputedValues.text(report.html, "\(a.key)-pooled"), "\(req.outputName): \(a.key)")
        XCTAssertFalse(a.topics.isEmpty)
      }
      XCTAssertTrue(report.html.contains("id=\"references\""))
      entries.append(.init(file: req.outputName + ".html", report: report))
    }
    // December: Roest et al. (2022), 99 studies (260 effect sizes) simulated to a three-level pooled r of .17.
    let dec = try results[11].get()
    XCTAssertEqual(dec.date, "2022-12-01")
    XCTAssertEqual(dec.articles.map(\.key), ["roest2022", "horvath2002"])
    XCTAssertEqual(ComputedValues.text(dec.html, "roest2022-pooled.k"), "260")
    XCTAssertTrue(ComputedValues.text(dec.html, "roest2022-pooled")?.hasPrefix("r = .17, 95% CI") ?? false)
    // March: Molloy et al. (2014), real data: the pooled r matches metafor (.15).
    XCTAssertTrue(ComputedValues.text(try results[2].get().html, "molloy2014-pooled")?.hasPrefix("r = .15, 95% CI [.09, .21]") ?? false)
    // October: Del Re et al. (2021), the PTR slope −0.006 (simulated to it); November: Howard et al. (2021), Q-between.
    XCTAssertEqual(ComputedValues.text(try results[9].get().html, "delre2021-moderator.coef[ptr].estimate"), "−0.0060")
    XCTAssertNotNil(ComputedValues.text(try results[10].get().html, "howard2021-bygroup.Q_between"))
    let site = Site(title: "PRN", url: nil, entries: entries)
    let index = site.files().first { $0.path == "index.html" }!.text
    XCTAssertLessThan(index.range(of: "prn-monthly-2022-12.html")!.lowerBound, index.range(of: "prn-monthly-2022-01.html")!.lowerBound)
    XCTAssertTrue(index.contains("<li>The therapeutic alliance in child and adolescent psychotherapy</li><li>The alliance: a review for practice</li>"))
    // Topic pages list the articles filed under the topic, not every article of the month.
    let trauma = site.files().first { $0.path == "topics/trauma-and-or-ptsd.html" }!.text
    XCTAssertTrue(trauma.contains("<li>The alliance in treating posttraumatic stress disorder</li>"))
    XCTAssertFalse(trauma.contains("Positive regard and outcome"))
    // The feed: one entry per month page.
    let feed = site.files().first { $0.path == "feed.xml" }!.text
    XCTAssertEqual(feed.components(separatedBy: "<entry>").count - 1, 12)
  }

  /// An article's numbers on the month page are those of a report that analyses that article
  /// alone (its effects selected in SQL, no `each`): the same meta-analysis result, field by field.
  func testArticleMatchesADirectRenderOfItAlone() throws {
    let (p, template) = try project()
    let month = try Renderer.render(file: template, displayPath: "prn-monthly.md", options: RenderOptions(params: [("month", "2022-10")]))
    let alone = p.write("templates/delre-alone.md", """
      ---
      data:
        studies:
          sqlite: ../data/prn/prn.sqlite
          query: >-
            select e.study, e.yi, e.vi, e.ptr, s.measure from effects_simulated as e join summaries as s on s.id = e.summary_id
            where e.summary_id = 'delre2021' order by e.study
      ---
      ```{meta #pooled}
      data: studies
      yi: yi
      vi: vi
      measure: measure
      study: study
      ```

      ```{meta #moderator}
      data: studies
      yi: yi
      vi: vi
      measure: measure
      study: study
      mods: ~ ptr
      ```

      Pooled: `{pooled | apa}`.
      """)
    let direct = try Renderer.render(file: alone, displayPath: "delre-alone.md")
    let record = { (json: String) throws -> [String: Any] in
      (try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any])["directives"] as! [String: Any]
    }
    let m = try record(month.resultsJSON), d = try record(direct.resultsJSON)
    for (inMonth, inDirect) in [("delre2021-pooled", "pooled"), ("delre2021-moderator", "moderator")] {
      let a = (m[inMonth] as! [String: Any])["result"] as! NSDictionary
      let b = (d[inDirect] as! [String: Any])["result"] as! NSDictionary
      XCTAssertEqual(a, b, inMonth)
      XCTAssertEqual(a["k"] as? Int, 152)
    }
    XCTAssertEqual(ComputedValues.text(month.html, "delre2021-pooled"), ComputedValues.text(direct.html, "pooled"))
    XCTAssertTrue(ComputedValues.text(direct.html, "pooled")?.hasPrefix("r = .28, 95% CI") ?? false)
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
