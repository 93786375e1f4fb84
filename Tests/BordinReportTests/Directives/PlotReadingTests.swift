import Foundation
import XCTest

@testable import BordinReport

/// The figure options of issue 18, item 9, through a report: `scale_with` (two response surfaces
/// on one colour scale), `favours` (forest plots), the automatic jitter of tied ratings
/// (`jitter: false` turns it off), and options that do not apply to a plot's type.
final class PlotReadingTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("cp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/coping-power-sim.csv"), encoding: .utf8))
    p.write("m.csv", try String(contentsOf: fixtures.appendingPathComponent("data/meta-molloy2014.csv"), encoding: .utf8))
    return p
  }

  let header = "---\ndata:\n  cp: cp.csv\n  m: m.csv\n---\n\n"

  /// The SVG of every figure on the page, in order.
  func figures(_ html: String) -> [String] {
    html.components(separatedBy: "<figure").dropFirst().map { $0.components(separatedBy: "</figure>")[0] }
  }

  /// The colour bar's tick labels.
  func colourBar(_ svg: String) -> [String] {
    guard let r = svg.range(of: "class=\"colour-bar\"") else { return [] }
    let bar = svg[r.upperBound...].components(separatedBy: "class=\"axis-title\"")[0]
    return bar.components(separatedBy: "</text>").dropLast().compactMap { $0.components(separatedBy: ">").last }
  }

  /// Two formats' surfaces of the same comparison: external problems after treatment over the
  /// child's and the therapist's bond ratings, in individual and in group delivery.
  func surfaces(scaleWith: Bool) -> String {
    var body = ""
    for f in ["individual", "group"] {
      body += "```{data #\(f)}\nfrom: cp\nfilter: format == \"\(f)\"\n```\n\n"
      body += "```{discrepancy #d-\(f)}\ndata: \(f)\noutcome: ext_post\nx: bond_child\ny: bond_therapist\n```\n\n"
    }
    body += "```{plot #fig-a}\ntype: surface\nof: d-individual\n" + (scaleWith ? "scale_with: [d-group]\n" : "") + "caption: A\n```\n\n"
    body += "```{plot #fig-b}\ntype: surface\nof: d-group\n" + (scaleWith ? "scale_with: d-individual\n" : "") + "caption: B\n```\n"
    return header + body
  }

  func testScaleWithSharesTheColourScaleOfTwoSurfaces() throws {
    let p = try project()
    let apart = figures(p.html(surfaces(scaleWith: false)))
    XCTAssertEqual(apart.count, 2)
    XCTAssertNotEqual(colourBar(apart[0]), colourBar(apart[1]), "each surface on its own scale")
    let shared = figures(p.html(surfaces(scaleWith: true)))
    XCTAssertEqual(shared.count, 2)
    XCTAssertFalse(colourBar(shared[0]).isEmpty)
    XCTAssertEqual(colourBar(shared[0]), colourBar(shared[1]), "one scale for both")
    // The shared scale covers both surfaces' ranges: at least as many ticks as either alone.
    XCTAssertGreaterThanOrEqual(colourBar(shared[0]).count, max(colourBar(apart[0]).count, colourBar(apart[1]).count))
  }

  func testScaleWithNamesDiscrepancyResults() throws {
    let p = try project()
    var e = p.errors(surfaces(scaleWith: false).replacingOccurrences(of: "of: d-group\n", with: "of: d-group\nscale_with: [nothere]\n"))
    XCTAssertEqual(e.first?.code, "unknown-label", "\(e)")
    e = p.errors(header + "```{describe #desc}\ndata: cp\nvars: ext_pre\n```\n\n```{discrepancy #d}\ndata: cp\noutcome: ext_post\nx: bond_child\ny: bond_therapist\n```\n\n```{plot #fig}\ntype: surface\nof: d\nscale_with: [desc]\n```\n")
    XCTAssertEqual(e.first?.code, "option-value")
    XCTAssertTrue(e.first?.message.contains("'desc' is a describe") ?? false, "\(e)")
  }

  let meta = "```{meta #pooled}\ndata: m\nr: ri\nn: ni\nstudy: authors\n```\n\n"

  func testForestFavoursLabels() throws {
    let p = try project()
    let fig = figures(p.html(header + meta + "```{plot #fig-f}\ntype: forest\nof: pooled\nfavours: [weaker alliance, stronger alliance]\ncaption: F\n```\n"))[0]
    XCTAssertTrue(fig.contains("class=\"favours-left\""), fig)
    XCTAssertTrue(fig.contains(">← Favours weaker alliance</text>"))
    XCTAssertTrue(fig.contains(">Favours stronger alliance →</text>"))
    XCTAssertTrue(fig.contains("Estimates left of 0 favour weaker alliance; right of 0, stronger alliance."), fig)
    let one = figures(p.html(header + meta + "```{plot #fig-f}\ntype: forest\nof: pooled\nfavours: [\"\", treatment]\n```\n"))[0]
    XCTAssertFalse(one.contains("favours-left"))
    XCTAssertTrue(one.contains(">Favours treatment →</text>"))
    XCTAssertFalse(figures(p.html(header + meta + "```{plot #fig-f}\ntype: forest\nof: pooled\n```\n"))[0].contains("favours"))
    for bad in ["[control]", "[a, b, c]", "[\"\", \"\"]"] {
      let e = p.errors(header + meta + "```{plot #fig-f}\ntype: forest\nof: pooled\nfavours: \(bad)\n```\n")
      XCTAssertEqual(e.first?.code, "option-value", bad)
      XCTAssertTrue(e.first?.message.contains("'favours' takes two texts") ?? false, "\(bad): \(e)")
    }
  }

  /// Whole-number ratings with ties (a 1–5 item for 200 children), as SPSS files bring them.
  func ratings(_ p: TestProject) {
    var csv = "id,item_a,item_b,score\n"
    for i in 0..<200 { csv += "\(i),\(1 + (i * 7) % 5),\(1 + (i * 3 + i / 11) % 5),\(Double(i) * 0.37 + 1)\n" }
    p.write("r.csv", csv)
  }

  /// The drawn circles' centres in a figure.
  func centres(_ fig: String) -> Set<String> {
    Set(fig.components(separatedBy: "<circle").dropFirst().map { c in
      let cx = c.components(separatedBy: "cx=\"")[1].prefix { $0 != "\"" }
      let cy = c.components(separatedBy: "cy=\"")[1].prefix { $0 != "\"" }
      return "\(cx),\(cy)"
    })
  }

  func testTiedRatingsAreJitteredUnlessTurnedOff() throws {
    let p = try project()
    ratings(p)
    let head = "---\ndata:\n  r: r.csv\n---\n\n"
    let plot = "```{plot #fig-s}\ntype: scatter\ndata: r\nx: item_a\ny: item_b\n"
    let jittered = figures(p.html(head + plot + "caption: S\n```\n"))[0]
    XCTAssertEqual(centres(jittered).count, 200, "every child visible")
    XCTAssertTrue(jittered.contains("Tied whole-number values are spread by a small random jitter (up to ±0.20 horizontally and ±0.20 vertically)."), jittered)
    XCTAssertEqual(jittered, figures(p.html(head + plot + "caption: S\n```\n"))[0], "seeded: the same page every time")
    let plain = figures(p.html(head + plot + "jitter: false\ncaption: S\n```\n"))[0]
    XCTAssertLessThanOrEqual(centres(plain).count, 25, "5 × 5 values overprint")
    XCTAssertFalse(plain.contains("jitter"))
    // The least-squares line is fitted to the ratings as they are.
    func slope(_ f: String) -> String { String(f.components(separatedBy: "has slope ")[1].prefix { $0 != " " && $0 != "<" }) }
    XCTAssertEqual(slope(jittered), slope(plain))
    // A continuous variable is never jittered.
    let continuous = figures(p.html(head + "```{plot #fig-s}\ntype: scatter\ndata: r\nx: item_a\ny: score\n```\n"))[0]
    XCTAssertFalse(continuous.contains("jitter"))
  }

  func testMeansWithoutGroupsHaveNoLegendAndDodgedMeansStayOverTheAxis() throws {
    let p = try project()
    let one = figures(p.html(header + "```{plot #fig-m}\ntype: means\ndata: cp\nx: format\ny: bond_child\n```\n"))[0]
    XCTAssertFalse(one.contains("legend-entry"), "the y axis names the one line")
    XCTAssertTrue(one.contains("Mean bond_child by format, with 95% confidence intervals. From "), one)
    let two = figures(p.html(header + "```{plot #fig-m}\ntype: means\ndata: cp\nx: school\ny: bond_child\ngroup: format\n```\n"))[0]
    XCTAssertEqual(two.components(separatedBy: "class=\"legend-entry\"").count - 1, 2)
    XCTAssertTrue(two.contains("class=\"axis-line-ends\""))
  }

  /// A table's or figure's own `labels:` override the report's for that directive only.
  func testDirectiveLabelsOverrideTheReportsForThatDirectiveOnly() throws {
    let p = try project()
    let head = "---\ndata:\n  cp: cp.csv\nlabels:\n  bond_child: Child-rated bond\n---\n\n"
    let reg = "```{regress #m}\ndata: cp\nformula: ext_post ~ bond_child\n```\n\n"
    let body = head + reg
      + "```{table #t1}\nof: m\nlabels:\n  bond_child: Bond (child, TASC)\n```\n\n"
      + "```{table #t2}\nof: m\n```\n\n"
      + "```{plot #fig}\ntype: scatter\ndata: cp\nx: bond_child\ny: ext_post\nlabels:\n  ext_post: Externalizing a year later\n```\n"
    let report = try p.render(body).get()
    XCTAssertTrue(report.warnings.isEmpty, "\(report.warnings)")
    let t1 = report.html.components(separatedBy: "id=\"t1\"")[1].components(separatedBy: "</table>")[0]
    let t2 = report.html.components(separatedBy: "id=\"t2\"")[1].components(separatedBy: "</table>")[0]
    XCTAssertTrue(t1.contains(">Bond (child, TASC)<"), t1)
    XCTAssertTrue(t2.contains(">Child-rated bond<"), t2)
    let fig = figures(report.html)[0]
    XCTAssertTrue(fig.contains(">Externalizing a year later</text>"), fig)
    XCTAssertTrue(fig.contains(">Child-rated bond</text>"), "the report's label where the figure has none of its own")
    // A directive's label that names nothing it shows is a warning, located at its 'labels'.
    let unused = try p.render(head + reg + "```{table #t1}\nof: m\nlabels:\n  ext_pre: Before\n```\n").get()
    XCTAssertEqual(unused.warnings.map(\.code), ["unused-label"], "the report's bond_child counts as shown through t1: \(unused.warnings)")
    XCTAssertTrue(unused.warnings.contains { $0.message == "label 'ext_pre' of table 't1' names no column or term it shows" }, "\(unused.warnings)")
    XCTAssertEqual(p.errors(head + reg + "```{table #t1}\nof: m\nlabels: [a, b]\n```\n").first?.code, "option-value")
  }

  func testOptionsOfAnotherTypeAreRefused() throws {
    let p = try project()
    var e = p.errors(header + "```{plot #fig-s}\ntype: scatter\ndata: cp\nx: bond_child\ny: ext_post\nscale: z\n```\n")
    XCTAssertEqual(e.first?.code, "option-value", "\(e)")
    XCTAssertEqual(e.first?.message, "option 'scale' does not apply to a scatter plot")
    XCTAssertEqual(e.first?.remedy, "remove 'scale' (it applies to: forest)")
    e = p.errors(header + meta + "```{plot #fig-f}\ntype: forest\nof: pooled\njitter: false\n```\n")
    XCTAssertEqual(e.first?.message, "option 'jitter' does not apply to a forest plot", "\(e)")
  }
}
