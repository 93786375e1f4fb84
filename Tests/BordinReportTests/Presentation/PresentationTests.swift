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

  /// The inner HTML of the first value with path `ref` (``ComputedValues``).
  func value(_ html: String, _ ref: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    guard let v = ComputedValues.extract(html).first(where: { $0.ref == ref }) else { XCTFail("no value \(ref)", file: file, line: line); return nil }
    return v.html
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

  func testCheckCommandPrintsTheLocatedWarning() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let p = try project()
    p.write("r.md", header + "Small, *p* = `{data.ps.p}`.\n\nRight, `{data.ps.p | p=}`.\n")
    let r = try runBordin(["check", "r.md"], in: p.root)
    XCTAssertEqual(r.status, 0, r.stderr)  // a warning, not an error
    XCTAssertTrue(r.stderr.contains("r.md:8:14: warning[relation-after-equals]: the rendered text reads 'Small, p = < .001'"), r.stderr)
    XCTAssertTrue(r.stderr.contains("remedy: write `{data.ps.p | p=}`"), r.stderr)
    XCTAssertEqual(r.stderr.components(separatedBy: "warning[").count, 2, r.stderr)
    XCTAssertTrue(r.stdout.contains("r.md: ok"), r.stdout)
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
    files += try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("templates").path)
      .filter { $0.hasPrefix("prn-") && $0.hasSuffix(".md") }.sorted().map { "templates/" + $0 }
    let re = try NSRegularExpression(pattern: #"\*p\*\s*=\s*`\{[^`|]*\}`"#)
    for f in files {
      let s = try String(contentsOf: repositoryRoot.appendingPathComponent(f), encoding: .utf8)
      let hits = re.matches(in: s, range: NSRange(location: 0, length: (s as NSString).length)).map { (s as NSString).substring(with: $0.range) }
      XCTAssertEqual(hits, [], f)
    }
  }

  /// The PRN monthly summaries: the heterogeneity sentence of an article (templates/prn-pooled.md,
  /// included by each article) reads "*p* < .001" where the template wrote "*p* = {pooled.Q_p}",
  /// and every article whose heterogeneity p is below .001 read "*p* = < .001".
  func testMonthlySummariesHaveNoRelationAfterEquals() throws {
    let p = TestProject(name)
    var csvs: [String] = []
    for f in ["summaries.csv", "months.csv", "simulated/effects_simulated.csv", "effects_real.csv", "refs.bib"] {
      let url = p.write("data/prn/\(f)", try String(contentsOf: repositoryRoot.appendingPathComponent("data/prn/\(f)"), encoding: .utf8))
      if f.hasSuffix(".csv") { csvs.append(url.path) }
    }
    try DatabaseBuilder.build(database: p.root.appendingPathComponent("data/prn/prn.sqlite").path, csvFiles: csvs)
    let folder = repositoryRoot.appendingPathComponent("templates")
    for f in try FileManager.default.contentsOfDirectory(atPath: folder.path) where f.hasPrefix("prn-") {
      p.write("templates/\(f)", try String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8))
    }
    let fixed = try String(contentsOf: folder.appendingPathComponent("prn-pooled.md"), encoding: .utf8)
    let old = fixed.replacingOccurrences(of: "`{pooled.Q_p | p=}`", with: "*p* = `{pooled.Q_p}`")
    XCTAssertNotEqual(old, fixed)
    var counts: [Int] = []
    var below001 = 0
    for text in [old, fixed] {
      p.write("templates/prn-pooled.md", text)
      let template = p.root.appendingPathComponent("templates/prn-monthly.md")
      let requests = try Batch.requests(files: [template], display: { $0.lastPathComponent }, params: [],
                                        paramsFrom: p.root.appendingPathComponent("data/prn/months.csv").path)
      XCTAssertEqual(requests.count, 12)
      var n = 0
      for r in Batch.render(requests, fragment: false, jobs: 2) {
        let report = try r.get()
        let w = RenderedTextLint.warnings(html: report.html, source: text, file: "prn-pooled.md")
        XCTAssertTrue(w.allSatisfy { $0.code == "relation-after-equals" }, "\(w)")
        n += w.count
        guard text == fixed else { continue }
        XCTAssertTrue(report.html.contains("-pooled.Q_p\"><i>p</i> "), "the heterogeneity p")
        let record = try JSONSerialization.jsonObject(with: Data(report.resultsJSON.utf8)) as! [String: Any]
        for case let d as [String: Any] in (record["directives"] as! [String: Any]).values {
          guard (d["child"] as? [String: Any])?["template"] as? String == "prn-pooled.md", d["kind"] as? String == "meta",
                let q = (d["result"] as? [String: Any])?["Q_p"] as? Double else { continue }
          if q < 0.001 { below001 += 1 }
        }
      }
      counts.append(n)
    }
    XCTAssertGreaterThan(below001, 0)
    XCTAssertEqual(counts, [below001, 0])
  }

  // MARK: Item 7: figure number and title above the image.

  func testFigureCaptionIsAboveTheImage() throws {
    let p = try project()
    let h = p.html(header + "```{plot #fig-m}\ntype: means\ndata: cp\nx: format\ny: bond_child\ncaption: Bond by format\n```\n")
    let cap = try XCTUnwrap(h.range(of: "<figcaption><span class=\"bordin-number\">Figure 1</span><span class=\"bordin-caption\">Bond by format</span></figcaption>"))
    let svg = try XCTUnwrap(h.range(of: "<svg"))
    XCTAssertLessThan(cap.lowerBound, svg.lowerBound)
  }

  /// The cells of the table `tbl` (tags removed), row by row, and its note.
  func table(_ html: String, _ id: String, file: StaticString = #filePath, line: UInt = #line) -> (rows: [[String]], note: String) {
    guard let a = html.range(of: "id=\"\(id)\""), let b = html[a.upperBound...].range(of: "</table>") else {
      XCTFail("no table \(id)", file: file, line: line); return ([], "")
    }
    let t = String(html[a.upperBound..<b.lowerBound])
    func plain(_ s: Substring) -> String { s.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression) }
    var rows: [[String]] = []
    let body = (t.range(of: "<tbody>").map { t[$0.upperBound...] } ?? t[...]).components(separatedBy: "<tfoot>")[0]
    let cell = try! NSRegularExpression(pattern: "<t[hd][^>]*>(.*?)</t[hd]>")
    for r in body.components(separatedBy: "<tr>").dropFirst() {
      let ns = r as NSString
      rows.append(cell.matches(in: r, range: NSRange(location: 0, length: ns.length)).map { plain(Substring(ns.substring(with: $0.range(at: 1)))) })
    }
    let note = t.range(of: "<tfoot>").map { plain(t[$0.upperBound...]) } ?? ""
    return (rows, note)
  }

  func testSEMNoteFitIndicesHaveNoLeadingZero() throws {
    let p = try project()
    let h = p.html(header + "```{sem #s}\ndata: cp\nmodel: |\n  ext_post ~ ext_pre\n  bond_child ~ bond_therapist\n```\n\n```{table #tbl-s}\nof: s\n```\n\nCFI `{s.fit.cfi | 3}`.\n")
    let note = table(h, "tbl-s").note
    XCTAssertTrue(note.contains("CFI = "), note)
    XCTAssertNil(note.range(of: #"(CFI|RMSEA|SRMR) = 0\."#, options: .regularExpression), note)
    XCTAssertNotNil(note.range(of: #"CFI = (\.\d{3}|1\.000); RMSEA = \.\d{3}; SRMR = \.\d{3}"#, options: .regularExpression), note)
    // The same CFI as the prose writes it.
    let cfi = try XCTUnwrap(note.range(of: #"CFI = [^;]+"#, options: .regularExpression)).lowerBound
    XCTAssertTrue(h.contains(">" + note[cfi...].dropFirst(6).prefix { $0 != ";" } + "</span>"), note)
  }

  func testWholeNumberMinimaAndMaximaHaveNoDecimals() throws {
    let p = try project()
    p.write("w.csv", "a,b\n1,1.5\n27,2\n3,2.25\n")
    let h = p.html("---\ndata:\n  w: w.csv\n---\n\n```{describe #d}\ndata: w\nvars: [a, b]\n```\n\n```{table #tbl-d}\nof: d\n```\n")
    let rows = table(h, "tbl-d").rows
    XCTAssertEqual(rows.count, 2)
    XCTAssertEqual(Array(rows[0].suffix(4)), ["10.33", "14.47", "1", "27"])
    XCTAssertEqual(Array(rows[1].suffix(2)), ["1.50", "2.25"])
    let prose = p.html("---\ndata:\n  w: w.csv\n---\n\n```{describe #d}\ndata: w\nvars: [a, b]\n```\n\nRange `{d.vars[a].min}`–`{d.vars[a].max}`, `{d.vars[b].min}`, `{d.vars[a].max | 2}`.\n")
    XCTAssertEqual(value(prose, "d.vars[a].min"), "1")
    XCTAssertEqual(value(prose, "d.vars[b].min"), "1.50")
    XCTAssertTrue(prose.contains(">27.00</span>"), "an explicit format is kept")
  }

  func testMetaRegressionDecimalsFollowTheSE() throws {
    // metafor 3.8-1 (Tests/Fixtures/meta-molloy2014-moderators.json): meanage −0.00240276939353951,
    // SE 0.00201010996906423; intercept 0.274074844327117, SE 0.108982369247073.
    let p = try project()
    let h = p.html(header + "```{meta #age}\ndata: m\nr: ri\nn: ni\nmods: ~ meanage\n```\n\n```{table #tbl-age}\nof: age\n```\n")
    let rows = table(h, "tbl-age").rows
    XCTAssertEqual(rows.count, 2)
    XCTAssertEqual(Array(rows[0].prefix(4)), ["Intercept", "0.27", "0.11", "[0.06, 0.49]"])
    XCTAssertEqual(Array(rows[1].prefix(4)), ["meanage", "\u{2212}0.0024", "0.0020", "[\u{2212}0.0063, 0.0015]"])
    XCTAssertEqual(Array(rows[1].suffix(2)), ["\u{2212}1.20", ".232"])  // z and p keep their own format
  }

  func testDecimalsFromSERule() {
    XCTAssertEqual(ResultTables.decimals(se: 0.108982369247073, digits: 2), 2)
    XCTAssertEqual(ResultTables.decimals(se: 0.00201010996906423, digits: 2), 4)
    XCTAssertEqual(ResultTables.decimals(se: 0.0135, estimate: 0.0046, digits: 2), 3)  // the estimate would read 0.00
    XCTAssertEqual(ResultTables.decimals(se: 0.2, estimate: 0.003, digits: 2), 2)  // 0.00 (0.20) is right
    XCTAssertEqual(ResultTables.decimals(se: 1e-9, digits: 2), 5)
    XCTAssertEqual(ResultTables.decimals(se: .nan, digits: 2), 2)
  }

  func testICCFormsUseShroutFleissNames() throws {
    let p = try project()
    let h = p.html(header + "```{agree #a}\ndata: cp\nraters: [bond_child, bond_therapist]\n```\n\n```{table #tbl-a}\nof: a\n```\n")
    XCTAssertEqual(table(h, "tbl-a").rows.map { $0.first ?? "" }, ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,2)", "ICC(2,2)", "ICC(3,2)"])
    XCTAssertEqual(AgreeDirective.shroutFleissName("ICC3k", raters: nil), "ICC(3,k)")
    // The APA fragment of a form names it the same way.
    let f = p.html(header + "```{agree #a}\ndata: cp\nraters: [bond_child, bond_therapist]\n```\n\nAgreement `{a.icc[ICC3]}`; `{a.icc[ICC2k]}`.\n")
    let icc3 = try XCTUnwrap(value(f, "a.icc[ICC3]"))
    XCTAssertNotNil(icc3.range(of: #"^ICC\(3,1\) = \.\d\d, 95% CI \[\.\d\d, \.\d\d\], <i>F</i>\(347, 347\) = \d+\.\d\d, <i>p</i> "#, options: .regularExpression), icc3)
    XCTAssertTrue(try XCTUnwrap(value(f, "a.icc[ICC2k]")).hasPrefix("ICC(2,2) = ."))
    XCTAssertEqual(AgreeDirective.shroutFleissName("other", raters: 3), "other")
  }

  func testSplitRandomEffectsAreNamedByTheirGroup() throws {
    let p = try project()
    let h = p.html(header + "```{lmm #m}\ndata: cp\nformula: ext_post ~ ext_pre + (1 + ext_pre || school)\n```\n\n```{table #tbl-m}\nof: m\n```\n\n```{table #tbl-r}\nof: m\nshow: random\n```\n")
    let note = table(h, "tbl-m").note
    XCTAssertFalse(note.contains("school.1"), note)
    XCTAssertTrue(note.contains("school intercept SD = ") && note.contains("school ext_pre SD = "), note)
    let names = table(h, "tbl-r").rows.map { $0.first ?? "" }
    XCTAssertTrue(names.contains("school: ext_pre") && !names.contains { $0.contains("school.1") }, "\(names)")
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
