import Foundation
import XCTest

@testable import BordinReport

/// Issue 18 items 3, 6 and 8: keyboard and screen readers (one provenance link per table and
/// paragraph, a skip link, figures named once and described once), phones (tables and figures
/// scroll in their own box, figure text at least 10 px) and print.
final class ReaderAccessTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("cp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/coping-power-sim.csv"), encoding: .utf8))
    return p
  }

  static let report = """
    ---
    data:
      cp: cp.csv
    ---

    ```{regress #model}
    data: cp
    formula: ext_post ~ ext_pre + bond_therapist
    ```

    The bond predicted outcome, `{model.coef[bond_therapist]}`, with `{model.r2}` explained and
    `{model.n}` children (`{data.cp.rows}` rows).

    ```{table #tbl-model}
    of: model
    caption: Regression of outcome on the bond
    ```

    ```{plot #fig-bond}
    type: scatter
    data: cp
    x: bond_therapist
    y: ext_post
    caption: Outcome by the bond
    ```

    """

  func count(_ s: String, _ needle: String) -> Int { s.components(separatedBy: needle).count - 1 }

  /// Cells are not links; the table has one provenance link, in its caption; values keep data-ref.
  func testTableHasOneProvenanceLinkAndPlainCells() throws {
    let h = try project().html(Self.report)
    let table = try XCTUnwrap(h.range(of: "<table class=\"apa\" id=\"tbl-model\">")).lowerBound
    let end = try XCTUnwrap(h[table...].range(of: "</table>")).upperBound
    let t = String(h[table..<end])
    XCTAssertEqual(count(t, "<a "), 1, t)
    let caption = try XCTUnwrap(t.range(of: #"<caption>.*</caption>"#, options: .regularExpression))
    XCTAssertTrue(t[caption].contains("<a class=\"bordin-src\" href=\"#prov-model\" aria-label=\"source of the values in Table 1\">source</a>"), t)
    XCTAssertGreaterThan(count(t, "data-ref="), 6)
    XCTAssertFalse(t.contains("bordin-cell"))
    // The table scrolls inside its own box on a narrow screen.
    XCTAssertTrue(h[..<table].hasSuffix("<div class=\"bordin-table\">\n"))
  }

  /// A paragraph of values from one directive and a data source is two tab stops, not five.
  func testParagraphHasOneLinkPerSource() throws {
    let h = try project().html(Self.report)
    let p = try XCTUnwrap(h.range(of: #"(?s)<p>The bond predicted.*?</p>"#, options: .regularExpression))
    let para = String(h[p])
    XCTAssertEqual(count(para, "<a "), 2, para)
    XCTAssertEqual(count(para, "class=\"bordin-value\""), 4)
    XCTAssertTrue(para.contains("<a class=\"bordin-src\" href=\"#prov-model\""))
    XCTAssertTrue(para.contains("<a class=\"bordin-src\" href=\"#inputs\""))
    // Told apart by number, not by the author's directive label.
    XCTAssertTrue(para.contains("aria-label=\"source of the values in this paragraph (1 of 2)\""), para)
    XCTAssertTrue(para.contains("aria-label=\"source of the values in this paragraph (2 of 2)\""), para)
    XCTAssertFalse(h.contains("<a class=\"bordin-value\""))
    // The first use still carries the id the provenance entry links back to.
    XCTAssertTrue(para.contains("<span class=\"bordin-value\" id=\"use-model\" data-ref=\"model.coef[bond_therapist]\">"))
    XCTAssertTrue(h.contains("href=\"#use-model\""))
  }

  /// Values inside a heading or alt text get no link; a page has a skip link to its main content.
  func testSkipLinkAndNoLinksInHeadings() throws {
    let p = try project()
    let h = p.html(Self.report.replacingOccurrences(of: "The bond predicted", with: "## N = `{model.n}`\n\nThe bond predicted"))
    XCTAssertTrue(h.contains("<body>\n<a class=\"bordin-skip\" href=\"#bordin-main\">Skip to content</a>\n"))
    XCTAssertTrue(h.contains("<main id=\"bordin-main\">"))
    let heading = try XCTUnwrap(h.range(of: #"<h2>N = .*?</h2>"#, options: .regularExpression))
    XCTAssertFalse(h[heading].contains("<a "), String(h[heading]))
  }

  /// The figure's name is its chart type (the caption names the figure), read once; the
  /// description is the SVG's accessible description, not part of its name.
  func testFigureNameAndDescriptionAreReadOnce() throws {
    let h = try project().html(Self.report)
    XCTAssertTrue(h.contains("aria-labelledby=\"fig-bond-title\" aria-describedby=\"fig-bond-desc\""))
    XCTAssertTrue(h.contains("<title id=\"fig-bond-title\">Scatter plot</title>"))
    XCTAssertFalse(h.contains("<title id=\"fig-bond-title\">Outcome by the bond"))
  }

  /// Figure text never below 10 px: the plot's box is at least width × 10 / smallest font wide.
  func testFigureBoxKeepsTenPixelText() throws {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 300\" width=\"600\" height=\"300\"><g font-size=\"12\"><text font-size=\"8\">a</text></g></svg>"
    XCTAssertEqual(PlotDirective.minimumWidth(svg: svg), 750)
    XCTAssertNil(PlotDirective.minimumWidth(svg: "<svg width=\"600\"></svg>"))
    XCTAssertNil(PlotDirective.minimumWidth(svg: "<svg><text font-size=\"10\">a</text></svg>"))
    let h = try project().html(Self.report)
    // The scatter plot: 480 units wide, smallest text 11 → 437 px, wider than a phone's column,
    // so its box is a focusable region that scrolls sideways.
    XCTAssertTrue(h.contains("<div class=\"bordin-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Figure 1 (scrolls sideways)\">\n<div class=\"bordin-plot-box\" style=\"min-width: 437px\">"), h)
  }

  /// The stylesheet: boxes that scroll, no page-wide overflow, and a print style without navigation.
  func testStylesheetForPhonesAndPrint() {
    let css = Theme.css
    XCTAssertTrue(css.contains(".bordin-table, .bordin-scroll { overflow-x: auto;"))
    let print = String(css[css.range(of: "@media print {")!.lowerBound...])
    XCTAssertTrue(print.contains(".bordin-skip, header.bordin-site, nav.bordin-pager, nav.toc, a.bordin-src, a.bordin-back { display: none; }"))
    XCTAssertTrue(print.contains("@page { margin:"))
    XCTAssertTrue(print.contains("figure, .bordin-warning { break-inside: avoid; }"))
    XCTAssertTrue(print.contains(".bordin-provenance { margin-top: 2rem; break-before: auto; }"), "no forced page before the appendix")
    XCTAssertTrue(print.contains(".bordin-plot-box { min-width: 0 !important;"))
  }

  /// `check --statistics` on a page: a computed value (a span, spans inside) is not typed text.
  func testStatisticsTextSkipsValueSpans() {
    let html = "<p>t(3) = <span class=\"bordin-value\" data-ref=\"a.t\"><span>9.99</span>, p = .5</span> end</p>"
    let text = String(String.UnicodeScalarView(StatisticsText(html, kind: .html).scalars))
    XCTAssertFalse(text.contains("9.99"), text)
    XCTAssertFalse(text.contains(".5"), text)
    XCTAssertTrue(text.contains("end"), text)
  }

  /// A means plot's description tells the result in words: no "NA" for empty cells, and the
  /// categories without data named.
  func testMeansDescriptionHasNoNA() throws {
    let p = TestProject(name)
    p.write("m.csv", "t,g,y\n1,a,1\n1,a,2\n2,a,3\n2,a,4\n1,b,5\n1,b,6\n")
    let h = p.html("---\ndata:\n  m: m.csv\n---\n\n```{plot #fig-m}\ntype: means\ndata: m\nx: t\ny: y\ngroup: g\n```\n")
    let desc = try XCTUnwrap(h.range(of: #"<desc id="fig-m-desc">.*?</desc>"#, options: .regularExpression))
    let d = String(h[desc])
    XCTAssertFalse(d.contains("NA"), d)
    XCTAssertTrue(d.contains("a: from 1.50 at 1 to 3.50 at 2"), d)
    XCTAssertTrue(d.contains("b: 5.50 at 1 only (no data at 2)"), d)
  }

  /// In headless Chromium (Debian's `chromium`) at 390 px: the page is no wider than the screen
  /// and no figure text renders below 10 px. Skipped where chromium is missing.
  func testPhoneWidthInChromium() throws {
    guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
      throw XCTSkip("chromium is not installed (apt-get install chromium): the 390 px layout check needs a browser")
    }
    let p = try project()
    let h = p.html(Self.report)
    // Headless Chromium's window is at least 500 px wide, so the page is shown in a 390 px
    // frame (srcdoc: same origin) and measured from outside: its width and its smallest figure text.
    let script = """
      <script>addEventListener('load', () => { const d = document.querySelector('iframe').contentDocument; let m = 1e9;
      for (const t of d.querySelectorAll('svg text')) { const c = t.getScreenCTM();
      if (c) m = Math.min(m, parseFloat(d.defaultView.getComputedStyle(t).fontSize) * Math.hypot(c.a, c.b)); }
      document.body.setAttribute('data-width', d.documentElement.scrollWidth); document.body.setAttribute('data-text', m.toFixed(2)); });</script>
      """
    let frame = "<!DOCTYPE html><html><body style=\"margin:0\"><iframe width=\"390\" height=\"900\" style=\"border:0\" srcdoc=\""
      + h.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;") + "\"></iframe>" + script + "</body></html>"
    let page = p.write("phone.html", frame)
    let run = Process()
    run.executableURL = URL(fileURLWithPath: chromium)
    run.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,900", "--virtual-time-budget=5000", "--dump-dom", page.absoluteString]
    let out = Pipe()
    run.standardOutput = out
    run.standardError = FileHandle.nullDevice
    try run.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    run.waitUntilExit()
    let dom = String(decoding: data, as: UTF8.self)
    guard let w = dom.range(of: #"data-width="(\d+)""#, options: .regularExpression),
          let t = dom.range(of: #"data-text="([\d.]+)""#, options: .regularExpression) else {
      throw XCTSkip("chromium ran but reported nothing (exit \(run.terminationStatus))")
    }
    let width = Int(dom[w].dropFirst(12).dropLast())!
    let text = Double(dom[t].dropFirst(11).dropLast())!
    XCTAssertLessThanOrEqual(width, 390, "the page scrolls sideways at 390 px")
    XCTAssertGreaterThanOrEqual(text, 9.95, "figure text renders at \(text) px")
  }
}
