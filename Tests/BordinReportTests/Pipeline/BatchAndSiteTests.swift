import Foundation
import XCTest

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import BordinReport

/// Batch rendering from a params file, parallel jobs, and site mode (index, topics, feed).
final class BatchAndSiteTests: XCTestCase {
  func project() -> TestProject {
    let p = TestProject(name)
    p.write("d.csv", "month,x\n2022-11,1\n2022-11,2\n2022-12,3\n2022-12,5\n2023-01,8\n")
    p.write("months.csv", "month\n2022-11\n2022-12\n2023-01\n")
    p.write("monthly.md", """
      ---
      title: Summary
      date: 2023-02-01
      topics: [Alliance]
      params:
        month: 2022-11
      data:
        d: d.csv
      ---

      ```{data #m}
      from: d
      filter: month == "2022-12"
      ```

      Month `{params.month}`: `{m.rows}` rows.
      """)
    return p
  }

  func testParamsFromGivesDistinctOutputsAndJobsDoNotChangeBytes() throws {
    let p = project()
    let file = p.root.appendingPathComponent("monthly.md")
    let reqs = try Batch.requests(files: [file], display: { $0.lastPathComponent }, params: [],
                                  paramsFrom: p.root.appendingPathComponent("months.csv").path)
    XCTAssertEqual(reqs.map(\.outputName), ["monthly-2022-11", "monthly-2022-12", "monthly-2023-01"])
    XCTAssertEqual(reqs[1].params.first { $0.0 == "month" }?.1, "2022-12")
    let serial = Batch.render(reqs, fragment: false, jobs: 1)
    let parallel = Batch.render(reqs, fragment: false, jobs: 4)
    for (a, b) in zip(serial, parallel) {
      let ra = try a.get(), rb = try b.get()
      XCTAssertEqual(ra.html, rb.html)
      XCTAssertEqual(ra.resultsJSON, rb.resultsJSON)
    }
    XCTAssertEqual(ComputedValues.text(try serial[2].get().html, "params.month"), "2023-01")
  }

  /// A case bootstrap (threads inside the report) rendered one report at a time and two at
  /// once gives the same bytes: each draw has its own seeded generator (DESIGN §5, issue 21).
  func testBootstrapIntervalsDoNotDependOnJobs() throws {
    let p = TestProject(name)
    var csv = "x,m,y\n"
    for i in 0..<80 {
      let x = sin(Double(i) * 0.9) * 2, m = 0.5 * x + cos(Double(i) * 1.7), y = 0.4 * m + sin(Double(i) * 2.3)
      csv += "\(x),\(m),\(y)\n"
    }
    p.write("d.csv", csv)
    p.write("runs.csv", "run\n1\n2\n")
    p.write("boot.md", """
      ---
      title: Bootstrap
      params:
        run: 1
      data:
        d: d.csv
      ---

      ```{sem #med}
      data: d
      model: |
        m ~ a*x
        y ~ b*m + x
        ab := a*b
      se: bootstrap
      bootstrap: 120
      ```

      Run `{params.run}`: indirect effect `{med.parameters[\"ab := a*b\"].est | 3}`, 95% CI [`{med.parameters[\"ab := a*b\"].ci_lb | 3}`, `{med.parameters[\"ab := a*b\"].ci_ub | 3}`].
      """)
    let reqs = try Batch.requests(files: [p.root.appendingPathComponent("boot.md")], display: { $0.lastPathComponent }, params: [],
                                  paramsFrom: p.root.appendingPathComponent("runs.csv").path)
    let serial = Batch.render(reqs, fragment: false, jobs: 1)
    let parallel = Batch.render(reqs, fragment: false, jobs: 2)
    for (a, b) in zip(serial, parallel) {
      let ra = try a.get(), rb = try b.get()
      XCTAssertEqual(ra.html, rb.html)
      XCTAssertEqual(ra.resultsJSON, rb.resultsJSON)
      XCTAssertTrue(ra.resultsJSON.contains("\"bootstrap\""), "the record holds the bootstrap block")
    }
    let first = try serial[0].get().html
    let lo = try XCTUnwrap(Double(ComputedValues.text(first, "med.parameters[\"ab := a*b\"].ci_lb") ?? ""))
    let hi = try XCTUnwrap(Double(ComputedValues.text(first, "med.parameters[\"ab := a*b\"].ci_ub") ?? ""))
    let est = try XCTUnwrap(Double(ComputedValues.text(first, "med.parameters[\"ab := a*b\"].est") ?? ""))
    XCTAssertLessThan(lo, est)
    XCTAssertLessThan(est, hi)
  }

  func testDuplicateOutputNamesAreRefused() {
    let p = project()
    p.write("dup.csv", "month\n2022-11\n2022-11\n")
    XCTAssertThrowsError(try Batch.requests(files: [p.root.appendingPathComponent("monthly.md")], display: { $0.path }, params: [],
                                            paramsFrom: p.root.appendingPathComponent("dup.csv").path)) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.first?.code, "duplicate-output")
    }
  }

  func report(_ title: String, _ date: String, _ topics: [String]) -> RenderedReport {
    RenderedReport(html: "", resultsJSON: "", warnings: [], title: title, date: date, topics: topics, summary: "About \(title) <b>", author: nil)
  }

  func testIndexIsNewestFirstWithTopicPagesAndAtomFeed() throws {
    let site = Site(title: "PRN blog", url: "https://prn.example.org/blog", entries: [
      .init(file: "a.html", report: report("Older", "2022-11-01", ["Alliance and Therapeutic Relationship"])),
      .init(file: "b.html", report: report("Newer", "2022-12-01", ["Alliance and Therapeutic Relationship", "Outcome Monitoring"])),
    ])
    let files = Dictionary(uniqueKeysWithValues: site.files().map { ($0.path, $0.text) })
    XCTAssertEqual(Set(files.keys), ["index.html", "topics/alliance-and-therapeutic-relationship.html", "topics/outcome-monitoring.html", "feed.xml"])
    let index = files["index.html"]!
    XCTAssertLessThan(index.range(of: "Newer")!.lowerBound, index.range(of: "Older")!.lowerBound)
    XCTAssertTrue(index.contains("<a href=\"./topics/outcome-monitoring.html\">Outcome Monitoring</a>"))
    XCTAssertTrue(index.contains("About Newer &lt;b&gt;"))
    let topic = files["topics/outcome-monitoring.html"]!
    XCTAssertTrue(topic.contains("<a href=\"../b.html\">Newer</a>"))
    XCTAssertFalse(topic.contains("Older"))
    let feed = files["feed.xml"]!
    XCTAssertTrue(feed.contains("<id>https://prn.example.org/blog/b.html</id>"))
    XCTAssertTrue(feed.contains("<updated>2022-12-01T00:00:00Z</updated>"))
    let parser = XMLParser(data: Data(feed.utf8))
    XCTAssertTrue(parser.parse(), "\(String(describing: parser.parserError))")
  }

  func testSlugs() {
    XCTAssertEqual(Site.slug("Alliance and Therapeutic Relationship"), "alliance-and-therapeutic-relationship")
    XCTAssertEqual(Site.slug("Child & Adolescent!"), "child-adolescent")
    XCTAssertEqual(Site.slug("2022-12"), "2022-12")
  }
}
