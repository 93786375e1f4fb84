import BordinTestSupport
import XCTest

@testable import BordinPlot

final class ChangePlotTests: XCTestCase {
  /// Twelve patients in the four categories, with the band and cutoff a `change` result gives.
  static func example() -> ChangePlot {
    let pre: [Double] = [70, 72, 65, 68, 75, 60, 62, 66, 71, 58, 63, 69]
    let post: [Double] = [50, 52, 55, 62, 68, 58, 61, 67, 70, 70, 75, 54]
    let category = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 0]
    return ChangePlot(
      pre: pre, post: post, category: category, categories: ["Recovered", "Improved", "Unchanged", "Deteriorated"],
      band: 7.85, cutoff: 58.33, cutoffLabel: "c = 58.33", xLabel: "Externalizing before", yLabel: "Externalizing after",
      title: "Reliable change", idPrefix: "fig-change")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "change.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    let paths = parsed.elements(named: "path")
    for c in ["no-change", "rci-upper", "rci-lower", "cutoff-x", "cutoff-y"] {
      XCTAssertEqual(paths.filter { $0["class"] == c }.count, 1, c)
    }
    XCTAssertNil(paths.first { $0["class"] == "no-change" }?["stroke-dasharray"], "no change is solid")
    XCTAssertNotNil(paths.first { $0["class"] == "rci-upper" }?["stroke-dasharray"], "limits are dashed")
    // Recovered and improved are circles (4 + 2, plus two legend swatches), unchanged squares,
    // deteriorated triangles.
    XCTAssertEqual(parsed.elements(named: "circle").count, 6 + 2)
    XCTAssertEqual(parsed.elements(named: "rect").count, 4 + 1)
    XCTAssertTrue(parsed.text.contains("Recovered (4)"))
    XCTAssertTrue(parsed.text.contains("Cutoff c = 58.33"))
    XCTAssertTrue(svg.contains("aria-labelledby=\"fig-change-title\" aria-describedby=\"fig-change-desc\""))
  }

  /// The alt text counts the categories and names the band and cutoff.
  func testGeneratedDescription() {
    let plot = Self.example()
    let desc = plot.generatedDescription
    XCTAssertTrue(desc.contains("Recovered 4, Improved 2, Unchanged 4, Deteriorated 2"), desc)
    XCTAssertTrue(desc.contains("dashed lines 7.85 points either side of no change"), desc)
  }

  /// Bad input never crashes: NaN scores are skipped, a category out of range takes the last
  /// style, no points give the note.
  func testBadInput() {
    let p = ChangePlot(pre: [1, .nan, 3], post: [2, 2, .infinity], category: [0, 1, 9], categories: ["A", "B"], band: .nan, cutoff: .nan)
    let svg = p.svg()
    assertValidSVG(svg)
    XCTAssertEqual(p.drawable.count, 1)
    let empty = ChangePlot(pre: [], post: [], category: [], categories: [])
    XCTAssertTrue(empty.svg().contains("No data to plot"))
  }
}
