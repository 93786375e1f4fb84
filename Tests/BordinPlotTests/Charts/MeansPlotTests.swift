import BordinTestSupport
import XCTest

@testable import BordinPlot

final class MeansPlotTests: XCTestCase {
  /// Externalising problems rated by three informants over four waves, with 95% CIs.
  static func example() -> MeansPlot {
    let waves = ["T1", "T2", "T3", "T4"]
    let groups = [
      MeansPlot.Group(label: "Mother", means: [12.4, 11.2, 10.1, 9.6], lower: [11.5, 10.3, 9.1, 8.5],
                      upper: [13.3, 12.1, 11.1, 10.7]),
      MeansPlot.Group(label: "Father", means: [11.1, 10.6, 9.9, 9.7], lower: [10.0, 9.4, 8.6, 8.3],
                      upper: [12.2, 11.8, 11.2, 11.1]),
      MeansPlot.Group(label: "Teacher", means: [9.0, 8.8, 8.1, .nan], lower: [7.8, 7.6, 6.8, .nan],
                      upper: [10.2, 10.0, 9.4, .nan]),
    ]
    return MeansPlot(
      categories: waves, groups: groups, xLabel: "Wave", yLabel: "Externalising (CBCL raw score)",
      title: "Externalising by informant and wave", idPrefix: "fig-means")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "means.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    let paths = parsed.elements(named: "path")
    XCTAssertEqual(paths.filter { $0["class"] == "error-bars" }.count, 3)
    XCTAssertEqual(paths.filter { $0["class"] == "group-line" }.count, 3)
    XCTAssertEqual(parsed.elements(named: "g").filter { $0["class"] == "group-means" }.count, 3)
    // 4 + 4 + 3 markers: circles (mother), squares (father), triangles (teacher, one missing).
    XCTAssertEqual(parsed.elements(named: "circle").count, 4 + 1, "four means and the legend's marker")
    XCTAssertEqual(parsed.elements(named: "rect").count, 4 + 1)
    XCTAssertEqual(parsed.elements(named: "g").filter { $0["class"] == "legend-entry" }.count, 3)
    for wave in ["T1", "T2", "T3", "T4"] { XCTAssertTrue(svg.contains(">\(wave)</text>"), wave) }
  }

  func testGroupsAreDodged() {
    let plot = Self.example()
    XCTAssertEqual(plot.offset(ofGroup: 0), -0.1, accuracy: 1e-12)
    XCTAssertEqual(plot.offset(ofGroup: 1), 0)
    XCTAssertEqual(plot.offset(ofGroup: 2), 0.1, accuracy: 1e-12)
    let many = MeansPlot(categories: ["a"], groups: (0..<13).map { MeansPlot.Group(label: "\($0)", means: [1]) })
    XCTAssertEqual(many.offset(ofGroup: 12) - many.offset(ofGroup: 0), 0.6, accuracy: 1e-12)
  }

  func testLongCategoryLabelsAreStaggered() {
    let categories = ["Baseline assessment", "Three months later", "Six months later", "Twelve months later"]
    let plot = MeansPlot(categories: categories, groups: [.init(label: "", means: [1, 2, 3, 4])], xLabel: "Wave",
                         width: 360)
    let svg = plot.svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    guard let start = parsed.elements.firstIndex(where: { $0.attributes["class"] == "category-labels" }) else {
      return XCTFail("labels are not staggered")
    }
    let ys = parsed.elements[(start + 1)...].prefix { $0.name == "text" && $0.attributes["class"] == nil }.compactMap { Double($0.attributes["y"] ?? "") }
    XCTAssertEqual(ys.count, 4)
    XCTAssertEqual(ys[0], ys[2])
    XCTAssertGreaterThan(ys[1], ys[0] + 11)
    XCTAssertTrue(svg.contains(">Wave</text>"))
  }

  func testGeneratedDescription() {
    XCTAssertEqual(
      Self.example().generatedDescription,
      "Means of Externalising (CBCL raw score) (vertical axis) with 95% confidence intervals for 3 groups (Mother, Father, Teacher) at 4 categories of Wave (T1, T2, T3, T4).")
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let plot = MeansPlot(
      categories: [attack, attack], groups: [.init(label: attack, means: [1, 2], lower: [0, 1], upper: [2, 3])],
      xLabel: attack, yLabel: attack, title: attack, idPrefix: attack)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let cases: [(String, MeansPlot)] = [
      ("empty", MeansPlot(categories: [], groups: [])),
      ("no groups", MeansPlot(categories: ["a", "b"], groups: [])),
      ("no categories", MeansPlot(categories: [], groups: [.init(label: "g", means: [1, 2])])),
      ("one mean", MeansPlot(categories: ["a"], groups: [.init(label: "g", means: [3], lower: [2], upper: [4])])),
      ("all NaN", MeansPlot(categories: ["a", "b"], groups: [.init(label: "g", means: [.nan, .infinity])])),
      ("ragged", MeansPlot(categories: ["a", "b", "c"], groups: [.init(label: "g", means: [1, 2, 3, 4, 5], lower: [0],
                                                                        upper: [2, .nan])])),
      ("flat", MeansPlot(categories: ["a", "b"], groups: [.init(label: "g", means: [0, 0])])),
      ("bad dodge", MeansPlot(categories: ["a"], groups: [.init(label: "g", means: [1]), .init(label: "h", means: [2])],
                              dodge: .nan)),
      ("bad size", MeansPlot(categories: ["a"], groups: [.init(label: "g", means: [1])], width: 0, height: .infinity)),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
    XCTAssertTrue(MeansPlot(categories: [], groups: []).svg().contains(">No data to plot</text>"))
  }
}
