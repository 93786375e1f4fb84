import BordinTestSupport
import XCTest

@testable import BordinPlot

/// One path diagram per group of a multigroup model, stacked, each under its heading.
final class PathDiagramPanelsTests: XCTestCase {
  static func example() -> PathDiagramPanels {
    var a = PathDiagramTests.example()
    a.edges[4].label = ".30***"
    let b = PathDiagramTests.example()
    return PathDiagramPanels(panels: [.init(heading: "Format: Individual", diagram: a), .init(heading: "Format: Group", diagram: b)],
                             title: "Path diagrams by format", idPrefix: "fig-mg")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "path-diagram-panels.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    // Each panel keeps its own markers, with ids unique in the figure.
    let markers = parsed.elements(named: "marker").compactMap { $0["id"] }
    XCTAssertEqual(markers, ["fig-mg-g1-arrow", "fig-mg-g1-arrow-start", "fig-mg-g2-arrow", "fig-mg-g2-arrow-start"])
    XCTAssertEqual(Set(markers).count, markers.count)
    XCTAssertEqual(parsed.elements(named: "g").filter { $0["class"] == "panel" }.count, 2)
    XCTAssertEqual(parsed.elements(named: "title").count, 1, "one accessible name for the figure")
    XCTAssertTrue(parsed.text.contains("Format: Individual"))
    XCTAssertTrue(parsed.text.contains("Format: Group"))
    // The description lists each panel's paths under its heading.
    XCTAssertTrue(parsed.text.contains("Format: Individual: Path diagram of 6 variables"), parsed.text)
    XCTAssertTrue(parsed.text.contains("Format: Group: Path diagram"), parsed.text)
    // The second panel starts below the first.
    let translations = parsed.elements(named: "g").filter { $0["class"] == "panel" }.compactMap { $0["transform"] }
    XCTAssertEqual(translations.count, 2)
    XCTAssertNotEqual(translations[0], translations[1])
  }

  func testNoPanelsGiveAValidSmallFigure() {
    let svg = PathDiagramPanels(panels: []).svg()
    assertValidSVG(svg)
  }
}
