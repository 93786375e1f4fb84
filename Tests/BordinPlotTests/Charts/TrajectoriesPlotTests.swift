import BordinTestSupport
import XCTest

@testable import BordinPlot

final class TrajectoriesPlotTests: XCTestCase {
  /// 45 patients in three arms measured at weeks 0–12, with linear model-implied means and
  /// 95% bands widening away from the centre of time.
  static func example(palette: Palette = .greyscale) -> TrajectoriesPlot {
    var state: UInt64 = 2024
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    let weeks: [Double] = [0, 2, 4, 6, 8, 10, 12]
    let slopes = [-0.45, -0.9, -0.15]
    var individuals: [TrajectoriesPlot.Individual] = []
    for i in 0..<45 {
      let group = i % 3
      let intercept = 24 + 6 * (uniform() - 0.5)
      let slope = slopes[group] + 0.5 * (uniform() - 0.5)
      let ys = weeks.map { intercept + slope * $0 + 3 * (uniform() - 0.5) }
      individuals.append(TrajectoriesPlot.Individual(x: weeks, y: ys, group: group))
    }
    let grid = stride(from: 0.0, through: 12, by: 1).map { $0 }
    let groups = ["Treatment as usual", "CBT", "Waitlist"].enumerated().map { index, label in
      TrajectoriesPlot.Group(
        label: label, points: grid.map { PlotPoint(x: $0, y: 24 + slopes[index] * $0) },
        band: grid.map { t in
          let half = 0.9 + 0.012 * (t - 6) * (t - 6)
          return ErrorBar(at: t, lower: 24 + slopes[index] * t - half, upper: 24 + slopes[index] * t + half)
        })
    }
    return TrajectoriesPlot(
      individuals: individuals, groups: groups, xLabel: "Week", yLabel: "Depressive symptoms (PHQ-9)",
      palette: palette, title: "Symptom trajectories by arm", idPrefix: "fig-traj")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "trajectories.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    let paths = parsed.elements(named: "path")
    XCTAssertEqual(paths.filter { $0["class"] == "mean-line" }.count, 3)
    XCTAssertEqual(paths.filter { $0["class"] == "band" }.count, 3)
    guard let start = parsed.elements.firstIndex(where: { $0.attributes["class"] == "individual-lines" }) else {
      return XCTFail("no individual lines")
    }
    XCTAssertEqual(parsed.elements[(start + 1)...].prefix { $0.name == "path" && $0.attributes["class"] == nil }.count, 45)
    XCTAssertEqual(parsed.elements(named: "g").filter { $0["class"] == "legend-entry" }.count, 4)
    // Greyscale: groups differ by dash pattern.
    let dashes = paths.filter { $0["class"] == "mean-line" }.map { $0["stroke-dasharray"] ?? "solid" }
    XCTAssertEqual(Set(dashes).count, 3, "\(dashes)")
  }

  func testColourblindPaletteAndIndividualColours() {
    var plot = Self.example(palette: .okabeIto)
    plot.colourIndividualsByGroup = true
    let svg = plot.svg()
    XCTAssertTrue(svg.contains(##"stroke="#0072B2""##), svg)
    XCTAssertTrue(svg.contains(##"stroke="#D55E00""##), svg)
    assertValidSVG(svg)
  }

  func testManyIndividualsFade() {
    XCTAssertEqual(TrajectoriesPlot.individualOpacity(count: 10), 0.6)
    XCTAssertEqual(TrajectoriesPlot.individualOpacity(count: 80), 0.3, accuracy: 1e-12)
    XCTAssertEqual(TrajectoriesPlot.individualOpacity(count: 100_000), 0.12)
  }

  func testGeneratedDescription() {
    XCTAssertEqual(
      Self.example().generatedDescription,
      "Trajectories of Depressive symptoms (PHQ-9) (vertical axis) over Week (horizontal axis): 45 individual lines and mean lines for 3 groups (Treatment as usual, CBT, Waitlist) with 95% confidence bands.")
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let plot = TrajectoriesPlot(
      individuals: [.init(x: [0, 1], y: [1, 2])],
      groups: [.init(label: attack, points: [PlotPoint(x: 0, y: 1), PlotPoint(x: 1, y: 2)])], xLabel: attack,
      yLabel: attack, xTicks: [Tick(value: 0, label: attack)], individualsLabel: attack, title: attack,
      idPrefix: attack)
    let svg = plot.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let cases: [(String, TrajectoriesPlot)] = [
      ("empty", TrajectoriesPlot()),
      ("one point", TrajectoriesPlot(individuals: [.init(x: [1], y: [2])])),
      ("NaN", TrajectoriesPlot(individuals: [.init(x: [.nan, 1, 2], y: [1, .nan, .infinity])],
                               groups: [.init(label: "g", points: [PlotPoint(x: .nan, y: 0)],
                                              band: [ErrorBar(at: 0, lower: .nan, upper: 1)])])),
      ("flat", TrajectoriesPlot(individuals: [.init(x: [1, 2, 3], y: [5, 5, 5])])),
      ("same x", TrajectoriesPlot(groups: [.init(label: "g", points: [PlotPoint(x: 2, y: 1), PlotPoint(x: 2, y: 3)],
                                                 band: [ErrorBar(at: 2, lower: 0, upper: 4), ErrorBar(at: 2, lower: 1, upper: 2)])])),
      ("many groups", TrajectoriesPlot(groups: (0..<12).map {
        .init(label: "Group \($0)", points: [PlotPoint(x: 0, y: Double($0)), PlotPoint(x: 1, y: Double($0) + 1)]) })),
      ("bad group index", TrajectoriesPlot(individuals: [.init(x: [0, 1], y: [0, 1], group: -4)],
                                           colourIndividualsByGroup: true)),
      ("bad size", TrajectoriesPlot(individuals: [.init(x: [0, 1], y: [0, 1])], width: .nan, height: 0)),
    ]
    for (name, plot) in cases {
      let svg = plot.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, plot.svg(), name)
    }
    XCTAssertTrue(TrajectoriesPlot().svg().contains(">No data to plot</text>"))
  }
}
