import Foundation
import XCTest

@testable import BordinReport

/// Every plot type renders an accessible figure from a report, and bad options are diagnosed.
final class PlotDirectiveTests: XCTestCase {
  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("cp.csv", try String(contentsOf: fixtures.appendingPathComponent("data/coping-power-sim.csv"), encoding: .utf8))
    p.write("m.csv", try String(contentsOf: fixtures.appendingPathComponent("data/meta-molloy2014.csv"), encoding: .utf8))
    return p
  }

  let header = "---\ndata:\n  cp: cp.csv\n  m: m.csv\n---\n\n"

  func figure(_ p: TestProject, _ body: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    let h = p.html(header + body, file: file, line: line)
    guard let a = h.range(of: "<figure"), let b = h.range(of: "</figure>") else { XCTFail("no figure", file: file, line: line); return "" }
    return String(h[a.lowerBound..<b.upperBound])
  }

  func assertAccessible(_ fig: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(fig.contains("role=\"img\""), file: file, line: line)
    XCTAssertTrue(fig.contains("<title id="), file: file, line: line)
    XCTAssertTrue(fig.contains("<desc id="), file: file, line: line)
    XCTAssertTrue(fig.contains("<figcaption>"), file: file, line: line)
  }

  func testEveryType() throws {
    let p = try project()
    let meta = "```{meta #pooled}\ndata: m\nr: ri\nn: ni\nstudy: authors\nbias: [trimfill]\n```\n\n"
    var fig = figure(p, meta + "```{plot #fig-f}\ntype: forest\nof: pooled\ncaption: Forest\n```\n")
    assertAccessible(fig)
    XCTAssertTrue(fig.contains("Forest plot of 16 studies; pooled estimate .15 [.09, .21], prediction interval [−.04, .32]."), fig)
    fig = figure(p, meta + "```{plot #fig-f}\ntype: funnel\nof: pooled\ncaption: Funnel\n```\n")
    assertAccessible(fig)
    XCTAssertTrue(fig.contains("imputed by trim and fill"), fig)
    fig = figure(p, "```{plot #fig-b}\ntype: bland-altman\ndata: cp\nx: bond_child\ny: bond_therapist\ncaption: BA\n```\n")
    assertAccessible(fig)
    XCTAssertTrue(fig.contains("bias 0.22"), fig)
    fig = figure(p, "```{plot #fig-m}\ntype: means\ndata: cp\nx: format\ny: bond_child\ncaption: M\n```\n")
    assertAccessible(fig)
    fig = figure(p, "```{discrepancy #d}\ndata: cp\noutcome: ext_post\nx: bond_child\ny: bond_therapist\n```\n\n```{plot #fig-s}\ntype: surface\nof: d\ncaption: S\n```\n")
    assertAccessible(fig)
    XCTAssertTrue(fig.contains("lines of congruence and incongruence"), fig)
  }

  func testWrongResultKindAndType() throws {
    let p = try project()
    var e = p.errors(header + "```{describe #d}\ndata: cp\nvars: ext_pre\n```\n\n```{plot #fig-f}\ntype: forest\nof: d\n```\n")
    XCTAssertEqual(e.first?.code, "option-value")
    XCTAssertTrue(e.first?.message.contains("a forest plot draws a meta result") ?? false)
    e = p.errors(header + "```{plot #fig-f}\ntype: forrest\ndata: cp\n```\n")
    XCTAssertTrue(e.first?.message.contains("did you mean 'forest'?") ?? false, "\(e)")
  }
}
