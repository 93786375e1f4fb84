import Foundation
import XCTest

@testable import BordinReport

/// Site mode's navigation on report pages (issue 18 item 4): the site header, previous/next by
/// date with rel, topic chips linking to topic pages, the index's archive by year, and
/// `bordin verify` still verifying a page with navigation while catching an edit.
final class SiteNavigationTests: XCTestCase {
  /// Three monthly reports across two years, rendered from one template, in a site.
  func site() throws -> (TestProject, Site, [String: String]) {
    let p = TestProject(name)
    p.write("bordin.yml", "site:\n  title: PRN reports\n")
    p.write("d.csv", "month,x,y\n2022-11,1,2\n2022-11,2,4.1\n2022-12,3,5.9\n2022-12,5,10.2\n2023-01,8,15.8\n2023-01,9,18.1\n")
    p.write("months.csv", "month\n2022-12\n2023-01\n2022-11\n")
    p.write("monthly.md", """
      ---
      title: Month {params.month}
      date: "{params.month}-01"
      topics: [Alliance, "A & B"]
      params:
        month: 2022-11
      data:
        d: d.csv
      ---

      ```{correlate #c}
      data: d
      vars: [x, y]
      ```

      The correlation was `{c.r}` in `{params.month}`.
      """)
    let reqs = try Batch.requests(files: [p.root.appendingPathComponent("monthly.md")], display: { $0.lastPathComponent },
                                  params: [], paramsFrom: p.root.appendingPathComponent("months.csv").path)
    let results = Batch.render(reqs, fragment: false, jobs: 1, cache: false)
    var entries: [Site.Entry] = []
    var pages: [String: String] = [:]
    for (req, r) in zip(reqs, results) {
      let report = try r.get()
      entries.append(Site.Entry(file: req.outputName + ".html", report: report))
      try Output.writeAtomically(report.resultsJSON, to: p.root.appendingPathComponent("_site/\(req.outputName).results.json"))
    }
    let site = Site(title: "PRN reports", url: nil, entries: entries)
    for e in entries {
      let html = site.navigated(file: e.file, html: e.report.html)
      pages[e.file] = html
      try Output.writeAtomically(html, to: p.root.appendingPathComponent("_site/\(e.file)"))
    }
    return (p, site, pages)
  }

  func testHeaderPrevNextAndChips() throws {
    let (_, _, pages) = try site()
    let mid = try XCTUnwrap(pages["monthly-2022-12.html"])
    XCTAssertTrue(mid.contains("<header class=\"bordin-site\"><nav aria-label=\"Site\"><ul><li class=\"bordin-site-title\"><a href=\"./index.html\">PRN reports</a></li><li><a href=\"./topics/a-b.html\">A &amp; B</a></li><li><a href=\"./topics/alliance.html\">Alliance</a></li></ul></nav></header>"), mid)
    XCTAssertTrue(mid.contains("<li><a rel=\"prev\" href=\"./monthly-2022-11.html\">← Month 2022-11</a></li><li><a rel=\"next\" href=\"./monthly-2023-01.html\">Month 2023-01 →</a></li>"), mid)
    XCTAssertTrue(mid.contains("<ul class=\"bordin-topics\"><li><a href=\"./topics/alliance.html\">Alliance</a></li><li><a href=\"./topics/a-b.html\">A &amp; B</a></li></ul>"), mid)
    // The oldest has only a next link, the newest only a previous one.
    let oldest = try XCTUnwrap(pages["monthly-2022-11.html"]), newest = try XCTUnwrap(pages["monthly-2023-01.html"])
    XCTAssertFalse(oldest.contains("rel=\"prev\""))
    XCTAssertTrue(oldest.contains("<a rel=\"next\" href=\"./monthly-2022-12.html\">"))
    XCTAssertFalse(newest.contains("rel=\"next\""))
    XCTAssertTrue(newest.contains("<a rel=\"prev\" href=\"./monthly-2022-12.html\">"))
    // One h1 per page; the navigation is outside <main>.
    XCTAssertEqual(mid.components(separatedBy: "<h1").count - 1, 1)
    let main = try XCTUnwrap(mid.range(of: "<main id=\"bordin-main\">"))
    XCTAssertLessThan(try XCTUnwrap(mid.range(of: "<header class=\"bordin-site\">")).lowerBound, main.lowerBound)
  }

  func testSingleReportHasNoNavigation() throws {
    let p = TestProject(name)
    let html = p.html("---\ntitle: Alone\ntopics: [Alliance]\n---\n\nText.\n")
    XCTAssertFalse(html.contains("<nav"), html)
    XCTAssertFalse(html.contains("href=\"./"), html)
    XCTAssertTrue(html.contains("<ul class=\"bordin-topics\"><li>Alliance</li></ul>"))
  }

  func testIndexArchiveByYearAndTopicPagesHaveHeader() throws {
    let (_, site, _) = try site()
    XCTAssertEqual(site.archive.map(\.year), ["2023", "2022"])
    XCTAssertEqual(site.archive.map { $0.entries.map(\.file) }, [["monthly-2023-01.html"], ["monthly-2022-12.html", "monthly-2022-11.html"]])
    let index = try XCTUnwrap(site.files().first { $0.path == "index.html" }?.text)
    XCTAssertTrue(index.contains("<nav aria-label=\"Archive by year\"><ul class=\"bordin-years\"><li><a href=\"#year-2023\">2023</a></li><li><a href=\"#year-2022\">2022</a></li></ul></nav>"), index)
    let y2023 = try XCTUnwrap(index.range(of: "<h2 id=\"year-2023\">2023</h2>"))
    let y2022 = try XCTUnwrap(index.range(of: "<h2 id=\"year-2022\">2022</h2>"))
    let dec = try XCTUnwrap(index.range(of: "<h3><a href=\"./monthly-2022-12.html\">"))
    let nov = try XCTUnwrap(index.range(of: "<h3><a href=\"./monthly-2022-11.html\">"))
    XCTAssertLessThan(y2023.lowerBound, y2022.lowerBound)
    XCTAssertLessThan(y2022.lowerBound, dec.lowerBound)
    XCTAssertLessThan(dec.lowerBound, nov.lowerBound)
    XCTAssertTrue(index.contains("<li class=\"bordin-site-title\"><a href=\"./index.html\">PRN reports</a></li>"))
    let topic = try XCTUnwrap(site.files().first { $0.path == "topics/alliance.html" }?.text)
    XCTAssertTrue(topic.contains("<li class=\"bordin-site-title\"><a href=\"../index.html\">PRN reports</a></li><li><a href=\"../topics/a-b.html\">"), topic)
  }

  func testVerifyPassesOnSitePageAndCatchesEdits() throws {
    let (p, _, _) = try site()
    let url = p.root.appendingPathComponent("_site/monthly-2022-12.html")
    let ok = Verifier.verify(html: url)
    XCTAssertTrue(ok.agrees, "\(ok.differences)")
    XCTAssertEqual(ok.verdict, .identical)

    // An edit of a computed value is still caught.
    let page = try String(contentsOf: url, encoding: .utf8)
    let value = try XCTUnwrap(ComputedValues.text(page, "c.r"))
    try editFile(url, "data-ref=\"c.r\">\(value)</span>", "data-ref=\"c.r\">.12</span>")
    let edited = Verifier.verify(html: url)
    XCTAssertTrue(edited.differences.contains { $0.hasPrefix("value c.r (HTML line") && $0.contains("the HTML shows '.12'") }, "\(edited.differences)")

    // An edit of a chip's text, or content hidden in the navigation, is caught too.
    try Data(page.utf8).write(to: url)
    try editFile(url, ">Alliance</a></li><li><a href=\"./topics/a-b.html\">A &amp; B</a></li></ul><!--/bordin-site:topics-->",
                 ">Alliances</a></li><li><a href=\"./topics/a-b.html\">A &amp; B</a></li></ul><!--/bordin-site:topics-->")
    XCTAssertFalse(Verifier.verify(html: url).agrees)
    try Data(page.utf8).write(to: url)
    try editFile(url, "<!--/bordin-site:header-->", "<span><a href=\"https://example.com/\">x</a></span><!--/bordin-site:header-->")
    let hidden = Verifier.verify(html: url)
    XCTAssertTrue(hidden.differences.contains { $0.contains("links to 'https://example.com/', which is not a relative link of the site") }, "\(hidden.differences)")
    try Data(page.utf8).write(to: url)
    try editFile(url, "<!--/bordin-site:pager-->", "<script>alert(1)</script><!--/bordin-site:pager-->")
    XCTAssertTrue(Verifier.verify(html: url).differences.contains { $0.contains("holds <script>, which is not navigation") })
  }

  func testUnmarkedGivesTheRenderedPage() throws {
    let (_, site, pages) = try site()
    for e in site.entries {
      let u = SiteNavigation.unmarked(try XCTUnwrap(pages[e.file]))
      XCTAssertEqual(u.html, e.report.html)
      XCTAssertEqual(u.problems, [])
    }
  }

  func testCommandLineSiteVerifies() throws {
    let (p, _, _) = try site()
    p.write("reports/a.md", "---\ntitle: A\ndate: 2022-01-05\ntopics: [X]\n---\n\nFirst.\n")
    p.write("reports/b.md", "---\ntitle: B\ndate: 2022-02-05\ntopics: [X]\n---\n\nSecond.\n")
    let r = try runBordin(["render", "reports", "--out", "_web"], in: p.root)
    XCTAssertEqual(r.status, 0, r.stderr)
    let a = try String(contentsOf: p.root.appendingPathComponent("_web/a.html"), encoding: .utf8)
    XCTAssertTrue(a.contains("<a rel=\"next\" href=\"./b.html\">B →</a>"), a)
    XCTAssertTrue(a.contains("<li><a href=\"./topics/x.html\">X</a></li>"), a)
    let v = try runBordin(["verify", "_web/a.html"], in: p.root)
    XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
  }

  /// Bytes a stranger wrote: markers out of order, cut, or joined by combining marks never crash
  /// and never make unmarked content disappear unnoticed.
  func testOddRegionsDoNotCrash() {
    let cases = [
      "<body>\n<!--bordin-site:header-->\u{301}<nav>x</nav><!--/bordin-site:header-->\u{301}\n</body>",
      "<body>\n<!--bordin-site:header-->",
      "<!--/bordin-site:pager-->\n</body><!--bordin-site:pager-->",
      "<!--bordin-site:topics--><ul><li><a href=\"./x\">X</a></li>",
      "<body>\n<!--bordin-site:header--><a href=\"./ok\" onclick=\"x()\">y</a><!--/bordin-site:header-->",
      "<body>\n<!--bordin-site:header--><a href=\"./ok\"<!--/bordin-site:header-->\n<!--bordin-site:pager--><ul <!--/bordin-site:pager-->\n</body>",
    ]
    for c in cases { _ = SiteNavigation.unmarked(c) }
    XCTAssertTrue(SiteNavigation.unmarked(cases[4]).problems.contains { $0.contains("the attribute 'onclick'") })
    XCTAssertFalse(SiteNavigation.unmarked(cases[5]).problems.isEmpty)
  }
}
