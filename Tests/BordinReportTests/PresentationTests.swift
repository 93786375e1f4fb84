import Foundation
import XCTest

@testable import BordinReport

/// What readers see (issue 18): sentences that read right once values are in, APA 7 details,
/// valid SVG and HTML from values inside alt and link text.
final class PresentationTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("ps.csv", "p,q\n0.0004,0.0321\n")
    p.write("cp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/coping-power-sim.csv"), encoding: .utf8))
    p.write("m.csv", try String(contentsOf: fixtures.appendingPathComponent("data/meta-molloy2014.csv"), encoding: .utf8))
    return p
  }

  let header = "---\ndata:\n  ps: ps.csv\n  cp: cp.csv\n  m: m.csv\n---\n\n"

  /// The value's text inside `<a class="bordin-value" …>…</a>` or `<span …>…</span>` for `ref`.
  func value(_ html: String, _ ref: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    guard let r = html.range(of: "data-ref=\"\(ref)\">") else { XCTFail("no value \(ref)", file: file, line: line); return nil }
    let rest = html[r.upperBound...]
    guard let end = rest.range(of: "</a>") ?? rest.range(of: "</span>") else { return nil }
    return String(rest[..<end.lowerBound])
  }

  // MARK: Item 1: `| p=` writes the relation itself; `check` warns on "= <".

  func testPEqualsFormatWritesItsOwnRelation() throws {
    let p = try project()
    let h = p.html(header + "A `{data.ps.p | p=}`, B `{data.ps.q | p=}`.\n\n```{correlate #c}\ndata: cp\nvars: [bond_child, bond_therapist]\n```\n\nC `{c.pairs[0].p | p=}`.\n")
    XCTAssertEqual(value(h, "data.ps.p"), "<i>p</i> &lt; .001")
    XCTAssertEqual(value(h, "data.ps.q"), "<i>p</i> = .032")
    // A result path: the p of the pair's APA fragment, relation included.
    let frag = p.html(header + "```{correlate #c}\ndata: cp\nvars: [bond_child, bond_therapist]\n```\n\nC `{c.pairs[0]}`.\n")
    let c = try XCTUnwrap(value(h, "c.pairs[0].p"))
    XCTAssertTrue(c.hasPrefix("<i>p</i> "), c)
    XCTAssertTrue(try XCTUnwrap(value(frag, "c.pairs[0]")).hasSuffix(", " + c), c)
    XCTAssertFalse(h.contains("= &lt;"))
  }

  func testPEqualsOnAnObjectIsAnError() throws {
    let p = try project()
    let e = p.errors(header + "```{correlate #c}\ndata: cp\nvars: [bond_child, bond_therapist]\n```\n\nC `{c.pairs[0] | p=}`.\n")
    XCTAssertTrue(e.contains { $0.message.contains("format 'p=' applies to a number") }, "\(e)")
  }

  func testLintFindsRelationAfterEqualsAndLocatesIt() throws {
    let p = try project()
    let src = header + "Intro.\n\nHeterogeneity was large, *p* = `{data.ps.p}`, and small, *p* = `{data.ps.q}`.\n\nFixed: `{data.ps.p | p=}`.\n"
    guard case .success(let r) = p.render(src) else { return XCTFail() }
    let w = RenderedTextLint.warnings(html: r.html, source: src, file: "report.md")
    XCTAssertEqual(w.count, 1, "\(w)")  // the ".032" sentence and the `p=` value read right
    let d = try XCTUnwrap(w.first)
    XCTAssertEqual(d.severity, .warning)
    XCTAssertEqual(d.code, "relation-after-equals")
    XCTAssertEqual(d.line, 10)  // the line that writes `{data.ps.p}` (front matter is lines 1–6)
    XCTAssertTrue(d.message.contains("p = < .001"), d.message)
    XCTAssertTrue(d.remedy?.contains("{data.ps.p | p=}") ?? false, d.remedy ?? "")
  }

  func testLintForms() {
    // Across the italic markup and the value's link; ≥ and > as well; scripts are not text.
    let html = "<p><em>p</em> = <a class=\"bordin-value\" href=\"#x\" data-ref=\"a.p\">&lt; .001</a> and "
      + "<i>p</i> ≥ <span class=\"bordin-value\" data-ref=\"b.p\">&gt; .999</span>.</p>"
      + "<script>const f = () => x; if (a = <b) {}</script><style>a = > b {}</style>"
    let w = RenderedTextLint.warnings(html: html, source: "x\nsee `{b.p}`\n", file: "r.md")
    XCTAssertEqual(w.map(\.line), [1, 2])
    XCTAssertEqual(RenderedTextLint.warnings(html: "<p>x = 3 &lt; 4, a &lt; b = c</p>", source: "", file: "r.md").count, 0)
    XCTAssertEqual(RenderedTextLint.warnings(html: "<p>x = &lt; 4</p>", source: "", file: "r.md").map(\.line), [1])
  }

  func testNoExampleReportOrTemplateWritesEqualsBeforeAPValue() throws {
    // Every `*p* = {…p}` became `{…p | p=}`: the value may be "< .001".
    var files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("reports").path)
      .filter { $0.hasSuffix(".md") }.map { "reports/" + $0 }
    files.append("templates/prn-monthly.md")
    let re = try NSRegularExpression(pattern: #"\*p\*\s*=\s*`\{[^`|]*\}`"#)
    for f in files {
      let s = try String(contentsOf: repositoryRoot.appendingPathComponent(f), encoding: .utf8)
      let hits = re.matches(in: s, range: NSRange(location: 0, length: (s as NSString).length)).map { (s as NSString).substring(with: $0.range) }
      XCTAssertEqual(hits, [], f)
    }
  }

  // MARK: Item 7: figure number and title above the image.

  func testFigureCaptionIsAboveTheImage() throws {
    let p = try project()
    let h = p.html(header + "```{plot #fig-m}\ntype: means\ndata: cp\nx: format\ny: bond_child\ncaption: Bond by format\n```\n")
    let cap = try XCTUnwrap(h.range(of: "<figcaption><span class=\"bordin-number\">Figure 1</span><span class=\"bordin-caption\">Bond by format</span></figcaption>"))
    let svg = try XCTUnwrap(h.range(of: "<svg"))
    XCTAssertLessThan(cap.lowerBound, svg.lowerBound)
  }

  // MARK: Item 10: a valid halo (no `paint-order`) on surface-plot labels.

  func testSurfaceLabelsHaveAStrokedCopyNotPaintOrder() throws {
    let p = try project()
    let h = p.html(header + "```{discrepancy #d}\ndata: cp\noutcome: ext_post\nx: bond_child\ny: bond_therapist\n```\n\n```{plot #fig-s}\ntype: surface\nof: d\ncaption: S\n```\n")
    XCTAssertFalse(h.contains("paint-order"))
    for cls in ["congruence-line-label", "incongruence-line-label"] {
      let halo = try XCTUnwrap(h.range(of: "<text class=\"\(cls)-halo\""), cls)
      let label = try XCTUnwrap(h.range(of: "<text class=\"\(cls)\""), cls)
      XCTAssertLessThan(halo.lowerBound, label.lowerBound, "the halo is drawn first, under the label")
      let haloTag = h[halo.lowerBound...].prefix { $0 != ">" }
      XCTAssertTrue(haloTag.contains("stroke=\"#ffffff\"") && haloTag.contains("aria-hidden=\"true\""), String(haloTag))
      let labelTag = h[label.lowerBound...].prefix { $0 != ">" }
      XCTAssertFalse(labelTag.contains("stroke="), String(labelTag))
    }
  }

  // MARK: Item 11: values and references inside alt text and link text.

  func testValueAndReferenceInImageAltAreText() throws {
    let p = try project()
    let h = p.html(header + "```{plot #fig-m}\ntype: means\ndata: cp\nx: format\ny: bond_child\ncaption: M\n```\n\n![Bond, `{data.ps.p | p=}`, see @fig-m](x.png)\n")
    let img = try XCTUnwrap(h.range(of: "<img src=\"x.png\" alt=\""))
    let alt = h[img.upperBound...].prefix { $0 != "\"" }
    XCTAssertEqual(String(alt), "Bond, p &lt; .001, see Figure\u{00A0}1")
  }

  func testValueInLinkTextIsNotANestedLink() throws {
    let p = try project()
    let h = p.html(header + "See [the value `{data.ps.q | p=}` here](https://example.org/).\n")
    let a = try XCTUnwrap(h.range(of: "<a href=\"https://example.org/\">"))
    let inner = h[a.upperBound...].prefix { $0 != "\n" }
    let body = try XCTUnwrap(inner.range(of: "</a>")).lowerBound
    let text = String(inner[..<body])
    XCTAssertEqual(text, "the value <span class=\"bordin-value\" data-ref=\"data.ps.q\"><i>p</i> = .032</span> here")
  }

  func testPlainMarkdownLinksAndImagesUnchanged() {
    let md = "![a *b* `c`](x.png) [d `e`](y) ![`{x}`](z.png)\n"
    XCTAssertEqual(MarkdownDocument(md).render(blocks: [:], spans: [:], reference: { _ in nil }, unsafeHTML: true),
                   "<p><img src=\"x.png\" alt=\"a b c\" /> <a href=\"y\">d <code>e</code></a> <img src=\"z.png\" alt=\"{x}\" /></p>\n")
  }
}
